//! The page's side of its validator worker. The release page's own module is built without
//! the validators (the `validators` feature); a validator document's run is a [`Job`] posted to
//! a web worker (`src/bin/keyplay-worker.rs`) that Trunk builds beside the page and
//! `scripts/worker-bundle` names in `index.html` (`<link rel="x-keyplay-worker">`, same origin).
//! The worker starts when the first validator document is opened; its [`Answer`] comes back
//! as an action. Builds with the validators (every test suite) never start it.

use std::cell::{Cell, RefCell};
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

/// The running worker and what listens to it.
struct Started {
    worker: web_sys::Worker,
    /// The latest job's message while the worker is not yet listening ([`wire::READY`]).
    waiting: Rc<RefCell<Option<String>>>,
    /// Set when the worker failed: the next job starts a new one.
    stopped: Rc<Cell<bool>>,
    _message: EventListener,
    _error: EventListener,
}

impl Started {
    /// Posts `message`, or holds it (in place of one held before) until the worker listens.
    fn post(&self, message: String) -> Result<(), String> {
        let mut waiting = self.waiting.borrow_mut();
        if waiting.is_some() {
            *waiting = Some(message);
            return Ok(());
        }
        drop(waiting);
        self.worker.post_message(&JsValue::from_str(&message)).map_err(describe)
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Sends `job` to the worker (started on first use); `done` gets its answer, or the job
/// answered with why it could not be run (no worker, a message that does not read back).
pub fn send(job: Job, done: Callback<Answer>) {
    let id = job.id;
    let failed = |why: String| done.emit(Answer { id, report: Outcome::NotUnderstood(DocError::new("", why)) });
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
            *slot = Some(start(done.clone())?);
        }
        match slot.as_ref() {
            Some(started) => started.post(message),
            None => Err("the validator worker did not start".to_owned()),
        }
    });
    if let Err(why) = posted {
        drop(WORKER.with(|slot| slot.borrow_mut().take()));
        failed(why);
    }
}

/// Starts the worker the page names; its answers (and its failure to load) go to `done`.
fn start(done: Callback<Answer>) -> Result<Started, String> {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=x-keyplay-worker]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
        .ok_or("this page names no validator worker")?;
    let worker = web_sys::Worker::new(&href).map_err(describe)?;
    // Until the worker says it listens, `Some`: the job to send then.
    let waiting = Rc::new(RefCell::new(Some(String::new())));
    let (answered, held, target) = (done.clone(), waiting.clone(), worker.clone());
    let message = EventListener::new(&worker, "message", move |event| {
        let text = event.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string());
        if text.as_deref() == Some(wire::READY) {
            let job = held.borrow_mut().take().filter(|job| !job.is_empty());
            if let Some(Err(why)) = job.map(|job| target.post_message(&JsValue::from_str(&job))) {
                answered.emit(unreadable(describe(why)));
            }
            return;
        }
        let answer = match text.as_deref().map(wire::decode::<Answer>) {
            // Id 0: the worker could not read a job; it answers the latest.
            Some(Ok(answer)) if answer.id == 0 => Answer { id: LAST_JOB.with(Cell::get), ..answer },
            Some(Ok(answer)) => answer,
            Some(Err(error)) => unreadable(error.to_string()),
            None => unreadable("the validator worker sent something that is not text".to_owned()),
        };
        answered.emit(answer);
    });
    let stopped = Rc::new(Cell::new(false));
    let stop = stopped.clone();
    let error = EventListener::new(&worker, "error", move |event| {
        let what = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
        stop.set(true);
        done.emit(unreadable(format!("the validator worker stopped ({href}): {what}")));
    });
    Ok(Started { worker, waiting, stopped, _message: message, _error: error })
}

/// An answer to the latest job saying why it has none.
fn unreadable(why: String) -> Answer {
    Answer { id: LAST_JOB.with(Cell::get), report: Outcome::NotUnderstood(DocError::new("", why)) }
}

fn describe(error: JsValue) -> String {
    error.as_string().or_else(|| js_sys::JSON::stringify(&error).ok().and_then(|s| s.as_string())).unwrap_or_default()
}
