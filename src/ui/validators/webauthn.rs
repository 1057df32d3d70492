//! WebAuthn: options, registration and authentication forms.

use serde_json::Value;
use yew::{component, html, Html};

use super::edit::shown;
use super::explain::ProviderStepper;
use super::fields::{Area, Choice, Field};
use super::jwt::now_field;
use super::{setter, FormEdit, FormProps, Shape};

const USER_VERIFICATION: &[&str] = &["required", "preferred", "discouraged"];

fn expected_fields(props: &FormProps, prefix: &str) -> Html {
    html! {
        <>
            <Field id={format!("{prefix}-challenge")} label="Expected challenge (base64url)"
                   value={shown(&props.doc, &["expected", "challenge"])}
                   onedit={setter(&props.onedit, &["expected", "challenge"], Shape::Text)} />
            <Field id={format!("{prefix}-origin")} label="Expected origin" placeholder="https://example.com"
                   value={shown(&props.doc, &["expected", "origin"])}
                   onedit={setter(&props.onedit, &["expected", "origin"], Shape::Text)} />
            <Field id={format!("{prefix}-rp-id")} label="RP ID" placeholder="example.com"
                   value={shown(&props.doc, &["expected", "rp-id"])}
                   onedit={setter(&props.onedit, &["expected", "rp-id"], Shape::Text)} />
            <Choice id={format!("{prefix}-uv")} label="User verification" options={USER_VERIFICATION}
                    value={shown(&props.doc, &["expected", "user-verification"])}
                    onedit={setter(&props.onedit, &["expected", "user-verification"], Shape::Text)} />
        </>
    }
}

/// Creation or request options and the page's origin.
#[component]
pub fn OptionsForm(props: &FormProps) -> Html {
    html! {
        <div class="validator-form" data-form="webauthn-options">
            <Area id="options-json" label="Options (JSON, creation or request)" value={shown(&props.doc, &["options"])}
                  onedit={setter(&props.onedit, &["options"], Shape::Json)} />
            <Field id="options-origin" label="Origin of the page calling WebAuthn" value={shown(&props.doc, &["origin"])}
                   onedit={setter(&props.onedit, &["origin"], Shape::Text)} />
            <ProviderStepper />
        </div>
    }
}

/// A RegistrationResponseJSON and what was expected.
#[component]
pub fn RegistrationForm(props: &FormProps) -> Html {
    let has_key = props.run.detail("public-key").and_then(|k| k.get("cose")).is_some_and(Value::is_string);
    html! {
        <div class="validator-form" data-form="webauthn-registration">
            <Area id="registration-response" label="RegistrationResponseJSON (what the browser returned)"
                  value={shown(&props.doc, &["response"])}
                  onedit={setter(&props.onedit, &["response"], Shape::Json)} />
            { expected_fields(props, "registration") }
            { now_field(props, "registration-now") }
            if has_key {
                <button type="button" class="action use-credential" onclick={props.onedit.reform(|_| FormEdit::UseCredential)}>
                    { "Use this credential for an authentication" }
                </button>
            }
            <ProviderStepper />
        </div>
    }
}

/// An AuthenticationResponseJSON, the stored public key and the previous sign count.
#[component]
pub fn AuthenticationForm(props: &FormProps) -> Html {
    html! {
        <div class="validator-form" data-form="webauthn-authentication">
            <Area id="authentication-response" label="AuthenticationResponseJSON" value={shown(&props.doc, &["response"])}
                  onedit={setter(&props.onedit, &["response"], Shape::Json)} />
            <Area id="authentication-public-key" label="Stored public key: {\"cose\"|\"pem\"|\"jwk\": …}"
                  value={shown(&props.doc, &["public-key"])}
                  onedit={setter(&props.onedit, &["public-key"], Shape::Json)} />
            { expected_fields(props, "authentication") }
            <Field id="authentication-sign-count" label="Previous sign count"
                   value={shown(&props.doc, &["previous-sign-count"])}
                   onedit={setter(&props.onedit, &["previous-sign-count"], Shape::Integer)} />
            { now_field(props, "authentication-now") }
            <ProviderStepper />
        </div>
    }
}
