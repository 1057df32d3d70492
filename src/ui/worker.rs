//! The page's side of its validator worker. The release page's own module is built without
//! the validators (the `validators` feature); a validator document's run, or its fixture set,
//! is a [`Job`] posted to a web worker (`src/bin/keyplay-worker.rs`) that Trunk builds beside
//! the page and `scripts/worker-bundle` names in `index.html` (`<link rel="x-keyplay-worker">`,
//! same origin). The worker starts when it is first needed; each [`Answer`] goes to the
//! callback its job was sent with. Builds with the validators (every test suite) never start it.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use crate::document::DocError;
use crate::wire::{self, Answer, Job, Outcome};

/// Whether this build runs validator documents in a worker (the release page) rather than in
/// the page (builds with the `validators` feature).
pub const IN_WORKER: bool = !cfg!(feature = "validators");

thread_local! {
    static LAST_JOB: Cell<u64> = const { Cell::new(0) };
    static WORKER: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// A new job id: larger than every one before it (ids start at 1).
pub fn next_job() -> u64 {
    LAST_JOB.with(|last| {
        last.set(last.get() + 1);
        last.get()
    })
}

/// Who waits for which job's answer.
type Waiting = Rc<RefCell<HashMap<u64, Callback<Answer>>>>;

/// The running worker and what listens to it.
struct Started {
    worker: web_sys::Worker,
    /// The jobs sent and not yet answered, each with the callback its answer goes to.
    waiting: Waiting,
    /// The jobs' messages while the worker is not yet listening ([`wire::READY`]); `None` once
    /// it is.
    held: Rc<RefCell<Option<Vec<String>>>>,
    /// Set when the worker failed: the next job starts a new one.
    stopped: Rc<Cell<bool>>,
    _message: EventListener,
    _error: EventListener,
}

impl Started {
    /// Posts `message`, or holds it until the worker listens.
    fn post(&self, message: String) -> Result<(), String> {
        if let Some(held) = self.held.borrow_mut().as_mut() {
            held.push(message);
            return Ok(());
        }
        self.worker.post_message(&JsValue::from_str(&message)).map_err(describe)
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Sends `job` to the worker (started on first use); `done` gets its answer, or the job
/// answered with why it could not be done (no worker, a message that does not read back).
pub fn send(job: Job, done: Callback<Answer>) {
    let id = job.id;
    let failed = |why: String| done.emit(answer_with(id, why));
    let message = match wire::encode(&job) {
        Ok(message) => message,
        Err(error) => return failed(error.to_string()),
    };
    let posted = WORKER.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.as_ref().is_some_and(|s| s.stopped.get()) {
            *slot = None;
        }
        if slot.is_none() {
            *slot = Some(start()?);
        }
        match slot.as_ref() {
            Some(started) => {
                started.waiting.borrow_mut().insert(id, done.clone());
                started.post(message)
            }
            None => Err("the validator worker did not start".to_owned()),
        }
    });
    if let Err(why) = posted {
        drop(WORKER.with(|slot| slot.borrow_mut().take()));
        failed(why);
    }
}

/// Starts the worker the page names.
fn start() -> Result<Started, String> {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=x-keyplay-worker]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
        .ok_or("this page names no validator worker")?;
    let worker = web_sys::Worker::new(&href).map_err(describe)?;
    let waiting: Waiting = Rc::default();
    let held = Rc::new(RefCell::new(Some(Vec::<String>::new())));
    let (answered, unheld, target) = (waiting.clone(), held.clone(), worker.clone());
    let message = EventListener::new(&worker, "message", move |event| {
        let text = event.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
        if text.as_deref() == Some(wire::READY) {
            let jobs = unheld.borrow_mut().take().unwrap_or_default();
            for job in jobs {
                if let Err(why) = target.post_message(&JsValue::from_str(&job)) {
                    fail_all(&answered, &describe(why));
                }
            }
            return;
        }
        match text.as_deref().map(wire::decode::<Answer>) {
            // Id 0: the worker could not read a job.
            Some(Ok(answer)) if answer.id == 0 => fail_all(&answered, &reason(answer.outcome)),
            Some(Ok(answer)) => {
                let done = answered.borrow_mut().remove(&answer.id);
                if let Some(done) = done {
                    done.emit(answer);
                }
            }
            Some(Err(error)) => fail_all(&answered, &error.to_string()),
            None => fail_all(&answered, "the validator worker sent something that is not text"),
        }
    });
    let stopped = Rc::new(Cell::new(false));
    let (stop, failing) = (stopped.clone(), waiting.clone());
    let error = EventListener::new(&worker, "error", move |event| {
        let what = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
        stop.set(true);
        fail_all(&failing, &format!("the validator worker stopped ({href}): {what}"));
    });
    Ok(Started { worker, waiting, held, stopped, _message: message, _error: error })
}

/// Answers every job still waiting with why it has no answer.
fn fail_all(waiting: &Waiting, why: &str) {
    let jobs: Vec<(u64, Callback<Answer>)> = waiting.borrow_mut().drain().collect();
    for (id, done) in jobs {
        done.emit(answer_with(id, why.to_owned()));
    }
}

fn answer_with(id: u64, why: String) -> Answer {
    Answer { id, outcome: Outcome::NotUnderstood(DocError::new("", why)) }
}

fn reason(outcome: Outcome) -> String {
    match outcome {
        Outcome::NotUnderstood(error) => error.message,
        _ => "the validator worker answered a job it was not given".to_owned(),
    }
}

fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::JSON::stringify(&error).ok().and_then(|s| s.as_string())).unwrap_or_default()
}
