//! The explainers beside the forms: Sign in with Apple flows, the DeviceCheck error matrix,
//! and the AutoFill credential provider state model as a small stepper.

use std::rc::Rc;

use serde_json::Value;
use yew::{component, html, use_reducer, Callback, Html, Reducible};

use crate::webauthn::provider::{self, Credential, Event, ExtensionError, State};

fn s(value: &Value, name: &str) -> String {
    match value.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn list(value: &Value, name: &str) -> Vec<Value> {
    value.get(name).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// `keyplay::jwt::explainers()` as sections.
#[component]
pub fn JwtExplainers() -> Html {
    let explainers = match crate::jwt::explainers() {
        Value::Array(all) => all,
        _ => Vec::new(),
    };
    html! {
        <div class="explainers">
            for explainer in explainers.iter() {
                <details class="explainer" id={format!("explainer-{}", s(explainer, "id"))}>
                    <summary>{ s(explainer, "title") }</summary>
                    <p>{ s(explainer, "summary") }</p>
                    <ol>
                        for step in list(explainer, "steps").iter() {
                            <li><strong>{ s(step, "actor") }</strong>{ ": " }{ s(step, "text") }</li>
                        }
                    </ol>
                    <dl>
                        for id in list(explainer, "identifiers").iter() {
                            <dt><code>{ s(id, "name") }</code></dt><dd>{ s(id, "meaning") }</dd>
                        }
                    </dl>
                    <p class="muted">{ "Sources: " }{ list(explainer, "sources").iter().map(|v| v.as_str().unwrap_or("").to_owned()).collect::<Vec<_>>().join("; ") }</p>
                </details>
            }
        </div>
    }
}

/// The DCError matrix: per method and error, cause, retry, key handling, evidence.
#[component]
pub fn DcErrorTable() -> Html {
    let explainer = serde_json::to_value(crate::app_attest::dcerror::explainer()).unwrap_or(Value::Null);
    html! {
        <details class="explainer dcerror">
            <summary>{ format!("DCError ({}): what each error means and what to do", s(&explainer, "domain")) }</summary>
            <table class="dcerror-codes">
                <thead><tr><th scope="col">{ "code" }</th><th scope="col">{ "Swift" }</th>
                           <th scope="col">{ "meaning" }</th></tr></thead>
                <tbody>
                    for code in list(&explainer, "codes").iter() {
                        <tr><td>{ s(code, "raw") }</td><td><code>{ s(code, "swift") }</code></td>
                            <td>{ s(code, "meaning") }</td></tr>
                    }
                </tbody>
            </table>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                <table class="dcerror-matrix">
                    <thead><tr>
                        <th scope="col">{ "method" }</th><th scope="col">{ "error" }</th><th scope="col">{ "cause" }</th>
                        <th scope="col">{ "retry" }</th><th scope="col">{ "backoff" }</th>
                        <th scope="col">{ "discard key" }</th><th scope="col">{ "remedy" }</th>
                        <th scope="col">{ "evidence" }</th>
                    </tr></thead>
                    <tbody>
                        for cell in list(&explainer, "matrix").iter() {
                            <tr>
                                <td><code>{ s(cell, "method") }</code></td><td><code>{ s(cell, "error") }</code></td>
                                <td>{ s(cell, "cause") }</td><td>{ s(cell, "retry") }</td><td>{ s(cell, "backoff") }</td>
                                <td>{ s(cell, "discard-key") }</td><td>{ s(cell, "remedy") }</td>
                                <td><span class={format!("evidence {}", s(cell, "evidence"))}>{ s(cell, "evidence") }</span></td>
                            </tr>
                        }
                    </tbody>
                </table>
            </div>
            <ul>
                for note in list(&explainer, "notes").iter() {
                    <li><strong>{ s(note, "topic") }</strong>{ ": " }{ s(note, "text") }
                        { " " }<span class={format!("evidence {}", s(note, "evidence"))}>{ s(note, "evidence") }</span></li>
                }
            </ul>
        </details>
    }
}

/// The stepper's state: where the provider extension is, and the events so far.
#[derive(Debug, Clone, PartialEq)]
struct Stepper {
    state: State,
    history: Vec<(Event, State)>,
}

enum StepperAction {
    Happen(Event),
    Reset,
}

impl Reducible for Stepper {
    type Action = StepperAction;

    fn reduce(self: Rc<Self>, action: StepperAction) -> Rc<Self> {
        match action {
            StepperAction::Reset => Rc::new(Stepper { state: State::Idle, history: Vec::new() }),
            StepperAction::Happen(event) => {
                let state = provider::next(self.state, event);
                let mut history = self.history.clone();
                history.push((event, state));
                Rc::new(Stepper { state, history })
            }
        }
    }
}

const EVENTS: [(&str, Event); 9] = [
    ("User picks a suggested password", Event::UserPicksSuggestedIdentity { credential: Credential::Password }),
    ("User picks a suggested passkey", Event::UserPicksSuggestedIdentity { credential: Credential::Passkey }),
    ("User opens the provider's list (passkey)", Event::UserOpensProviderList { credential: Credential::Passkey }),
    ("A site creates a passkey", Event::PasskeyRegistrationRequested),
    ("Extension enabled in Settings", Event::ExtensionEnabledInSettings),
    ("Extension completes the request", Event::ExtensionCompletes),
    (
        "Extension cancels: userInteractionRequired",
        Event::ExtensionCancels { error: ExtensionError::UserInteractionRequired },
    ),
    ("Extension cancels: userCanceled", Event::ExtensionCancels { error: ExtensionError::UserCanceled }),
    ("Extension cancels: failed", Event::ExtensionCancels { error: ExtensionError::Failed }),
];

fn state_name(state: State) -> String {
    serde_json::to_value(state).map(|v| s(&v, "state")).unwrap_or_default()
}

/// The credential provider extension's state model: pick events, see the next state and the
/// method the system calls.
#[component]
pub fn ProviderStepper() -> Html {
    let stepper = use_reducer(|| Stepper { state: State::Idle, history: Vec::new() });
    let method = provider::method_called(stepper.state).unwrap_or("(no method: the extension is not running)");
    let explainer = provider::explainer();
    let happen = {
        let dispatcher = stepper.dispatcher();
        Callback::from(move |action: StepperAction| dispatcher.dispatch(action))
    };
    html! {
        <details class="explainer provider-stepper">
            <summary>{ "AutoFill credential provider: which method the system calls" }</summary>
            <p aria-live="polite">
                { "State: " }<strong class="provider-state">{ state_name(stepper.state) }</strong>
                { " — calls " }<code>{ method }</code>
            </p>
            <div class="form-starts" role="group" aria-label="What happens next">
                for (label, event) in EVENTS {
                    <button type="button" onclick={happen.reform(move |_| StepperAction::Happen(event))}>
                        { label }
                    </button>
                }
                <button type="button" onclick={happen.reform(|_| StepperAction::Reset)}>{ "Reset" }</button>
            </div>
            <ol class="provider-history">
                for (event, state) in stepper.history.iter() {
                    <li>{ serde_json::to_string(event).unwrap_or_default() }{ " → " }{ state_name(*state) }</li>
                }
            </ol>
            <h4>{ "Entry points" }</h4>
            <dl>
                for m in list(&explainer, "methods").iter() {
                    <dt><code>{ s(m, "name") }</code>{ format!(" ({})", s(m, "since")) }</dt>
                    <dd>{ s(m, "called-when") }{ s(m, "called_when") }<span class="muted">{ format!(" [{}]", s(m, "confidence")) }</span></dd>
                }
            </dl>
            <h4>{ "Questions" }</h4>
            <dl>
                for f in list(&explainer, "faq").iter() {
                    <dt>{ s(f, "question") }</dt><dd>{ s(f, "answer") }<span class="muted">{ format!(" [{}]", s(f, "confidence")) }</span></dd>
                }
            </dl>
        </details>
    }
}
