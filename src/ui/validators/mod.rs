//! Friendlier forms for the validator documents (Sign in with Apple JWTs, App Attest,
//! WebAuthn). The document text stays the source of truth: a form shows what the parsed
//! document holds, and each edit becomes a [`FormEdit`] that the reducer turns into new
//! text (see [`FormEdit::apply`]).

mod app_attest;
mod edit;
mod explain;
mod fields;
mod jwt;
mod lookup;
mod webauthn;

use std::rc::Rc;

use serde_json::Value;
use yew::{component, html, Callback, Html, Properties};

pub use edit::{keys_for, FormEdit, Shape};

use super::state::Run;
use crate::document::Kind;

#[derive(Debug, Properties, PartialEq)]
pub struct ValidatorFormsProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
    pub onedit: Callback<FormEdit>,
}

/// The props every form gets: the parsed document, its run (for the verdict's details),
/// and where edits go.
#[derive(Debug, Properties, PartialEq)]
pub struct FormProps {
    pub doc: Rc<Value>,
    pub run: Rc<Run>,
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
    let kind = props.run.kind();
    let onedit = props.onedit.clone();
    // Only a kind with a form (a small document) is parsed again, for its form.
    let form = || FormProps { doc: props.run.json_or_null(), run: props.run.clone(), onedit: onedit.clone() };
    let body = match kind {
        Some(Kind::Jwt) => html! { <jwt::JwtForm ..form() /> },
        Some(Kind::AppleClientSecretRequest) => html! { <jwt::SecretForm ..form() /> },
        Some(Kind::AppAttest) => html! { <app_attest::AttestationForm ..form() /> },
        Some(Kind::AppAttestAssertion) => html! { <app_attest::AssertionForm ..form() /> },
        Some(Kind::WebauthnOptions) => html! { <webauthn::OptionsForm ..form() /> },
        Some(Kind::WebauthnRegistration) => html! { <webauthn::RegistrationForm ..form() /> },
        Some(Kind::WebauthnAuthentication) => html! { <webauthn::AuthenticationForm ..form() /> },
        Some(Kind::ErrorExplainer) => html! { <lookup::LookupForm ..form() /> },
        Some(Kind::AppleTokenRequest | Kind::SiwaExplain | Kind::DevicecheckRequest | Kind::DevicecheckNetwork) => {
            html! {
                <p class="muted">{ "This kind has no form: edit its JSON in the editor; the report lists every check with its cause." }</p>
            }
        }
        Some(Kind::Keychain | Kind::Att | Kind::TccScreenCapture | Kind::PlatformSso) | None => {
            html! {
                <p class="muted">{ "The validators have forms: start one above, or pick a validator example." }</p>
            }
        }
    };
    html! {
        <section class="validator-forms" aria-labelledby="validator-forms-title">
            <h2 id="validator-forms-title">{ "Validator forms" }</h2>
            <div class="form-starts" role="group" aria-label="Start a new validator document">
                for (start, label) in Kind::starts() {
                    <button type="button" class="start" data-kind={start.name()}
                            aria-pressed={(kind == Some(start)).to_string()}
                            onclick={onedit.reform(move |_| FormEdit::Start(start))}>
                        { label }
                    </button>
                }
            </div>
            { body }
        </section>
    }
}
