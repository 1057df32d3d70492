//! Friendlier forms for the validator documents (Sign in with Apple JWTs, App Attest,
//! WebAuthn). The document text stays the source of truth: a form shows what the parsed
//! document holds, and each edit becomes a [`FormEdit`] that the reducer turns into new
//! text (see [`FormEdit::apply`]).

mod app_attest;
mod edit;
mod explain;
mod fields;
mod jwt;
mod webauthn;

use std::rc::Rc;

use serde_json::Value;
use yew::{component, html, Callback, Html, Properties};

pub use edit::{keys_for, FormEdit, Shape, Start};

use super::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct ValidatorFormsProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
    pub onedit: Callback<FormEdit>,
}

/// The props every form gets: the parsed document and report, and where edits go.
#[derive(Debug, Properties, PartialEq)]
pub struct FormProps {
    pub doc: Rc<Value>,
    pub report: Rc<Value>,
    pub onedit: Callback<FormEdit>,
}

/// A callback that sets the member at `path`.
pub(crate) fn setter(onedit: &Callback<FormEdit>, path: &'static [&'static str], shape: Shape) -> Callback<String> {
    onedit.reform(move |value| FormEdit::Set { path, shape, value })
}

/// The form row: buttons starting a document of each validator kind, then the form for the
/// document's kind (when it is a validator kind) and its explainers.
#[component]
pub fn ValidatorForms(props: &ValidatorFormsProps) -> Html {
    // A keychain document (possibly large) has no form: skip parsing it again.
    let keychain = props.run.view.kind() == "keychain";
    let parse = |text: &str| if keychain { Value::Null } else { serde_json::from_str(text).unwrap_or(Value::Null) };
    let doc = Rc::new(parse(&props.text));
    let report = Rc::new(parse(&props.run.json));
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("").to_owned();
    let onedit = props.onedit.clone();
    let form = FormProps { doc, report, onedit: onedit.clone() };
    let body = match kind.as_str() {
        "jwt" => html! { <jwt::JwtForm ..form /> },
        "apple-client-secret-request" => html! { <jwt::SecretForm ..form /> },
        "app-attest" => html! { <app_attest::AttestationForm ..form /> },
        "app-attest-assertion" => html! { <app_attest::AssertionForm ..form /> },
        "webauthn-options" => html! { <webauthn::OptionsForm ..form /> },
        "webauthn-registration" => html! { <webauthn::RegistrationForm ..form /> },
        "webauthn-authentication" => html! { <webauthn::AuthenticationForm ..form /> },
        _ => html! {
            <p class="muted">{ "The validators have forms: start one above, or pick a validator example." }</p>
        },
    };
    html! {
        <section class="validator-forms" aria-labelledby="validator-forms-title">
            <h2 id="validator-forms-title">{ "Validator forms" }</h2>
            <div class="form-starts" role="group" aria-label="Start a new validator document">
                for start in Start::ALL {
                    <button type="button" class="start" data-kind={start.kind()}
                            aria-pressed={(kind == start.kind()).to_string()}
                            onclick={onedit.reform(move |_| FormEdit::Start(start))}>
                        { start.label() }
                    </button>
                }
            </div>
            { body }
        </section>
    }
}
