//! The release page's validator worker: a web worker that Trunk builds beside the page with
//! the `validators` feature (the page's own module is built without it). It reads each
//! message as a [`keyplay::wire::Job`], runs the document through the one dispatcher and
//! posts back the [`keyplay::wire::Answer`]. Nothing else reaches it, and it sends nothing
//! anywhere but back to the page.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    use keyplay::document::DocError;
    use keyplay::wire::{self, Answer, Job, Outcome};
    use wasm_bindgen::{JsCast, JsValue};

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    gloo_events::EventListener::new(&scope, "message", move |event| {
        let text = event.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string()).unwrap_or_default();
        let answer = match wire::decode::<Job>(&text) {
            Ok(job) => job.answer(),
            // Not a job: the answer goes to the page's latest one (id 0 is never a job's).
            Err(error) => Answer { id: 0, outcome: Outcome::NotUnderstood(DocError::new("", error.to_string())) },
        };
        let message = wire::encode(&answer).unwrap_or_else(|e| e.to_string());
        // The page is gone when this fails: there is no one to tell.
        let _ = reply.post_message(&JsValue::from_str(&message));
    })
    .forget();
    let _ = scope.post_message(&JsValue::from_str(wire::READY));
}

/// Natively there is no worker: the command line (`keyplay run`) runs validators itself.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!("keyplay-worker is the web page's validator worker (built by Trunk); run `keyplay run FILE` instead");
    std::process::ExitCode::from(2)
}
