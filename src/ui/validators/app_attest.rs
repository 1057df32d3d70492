//! App Attest: the attestation and assertion forms.

use serde_json::Value;
use yew::{component, html, Html};

use super::edit::{app_id, get, shown};
use super::explain::DcErrorTable;
use super::fields::{Area, Choice, Field};
use super::jwt::now_field;
use super::{setter, FormEdit, FormProps, Shape};

const ENVIRONMENTS: &[&str] = &["development", "production"];

fn client_data_fields(props: &FormProps, prefix: &str) -> Html {
    let text = get(&props.doc, &["client-data", "utf8"]).and_then(Value::as_str).unwrap_or("").to_owned();
    let hash = get(&props.doc, &["client-data-hash", "base64"]).and_then(Value::as_str).unwrap_or("").to_owned();
    html! {
        <>
            <Field id={format!("{prefix}-challenge")} label="Challenge as text (client data, hashed with SHA-256 here)"
                   value={text} onedit={props.onedit.reform(FormEdit::ClientData)} />
            <Field id={format!("{prefix}-client-data-hash")} label="…or the client-data hash (base64, used as is)"
                   value={hash} onedit={props.onedit.reform(FormEdit::ClientDataHash)} />
        </>
    }
}

fn app_id_fields(props: &FormProps, prefix: &str) -> Html {
    let (team, bundle) = app_id(&props.doc);
    html! {
        <>
            <Field id={format!("{prefix}-team-id")} label="Team ID" value={team}
                   onedit={props.onedit.reform(FormEdit::TeamId)} />
            <Field id={format!("{prefix}-bundle-id")} label="Bundle ID" value={bundle}
                   onedit={props.onedit.reform(FormEdit::BundleId)} />
        </>
    }
}

/// An attestation: object, key id, challenge, app, environment, now.
#[component]
pub fn AttestationForm(props: &FormProps) -> Html {
    let has_key = props.run.detail("public-key").is_some_and(Value::is_object);
    html! {
        <div class="validator-form" data-form="app-attest">
            <Area id="attest-attestation" label="Attestation object (base64)" value={shown(&props.doc, &["attestation"])}
                  onedit={setter(&props.onedit, &["attestation"], Shape::Text)} />
            <Field id="attest-key-id" label="Key ID (from generateKey)" value={shown(&props.doc, &["key-id"])}
                   onedit={setter(&props.onedit, &["key-id"], Shape::Text)} />
            { client_data_fields(props, "attest") }
            { app_id_fields(props, "attest") }
            <Choice id="attest-environment" label="Environment" value={shown(&props.doc, &["environment"])}
                    options={ENVIRONMENTS} onedit={setter(&props.onedit, &["environment"], Shape::Text)} />
            { now_field(props, "attest-now") }
            if has_key {
                <button type="button" class="action use-key" onclick={props.onedit.reform(|_| FormEdit::UseKeyForAssertion)}>
                    { "Use this key for an assertion" }
                </button>
            }
            <DcErrorTable />
        </div>
    }
}

/// An assertion: object, challenge, public key, app, previous counter.
#[component]
pub fn AssertionForm(props: &FormProps) -> Html {
    html! {
        <div class="validator-form" data-form="app-attest-assertion">
            <Area id="assert-assertion" label="Assertion (base64)" value={shown(&props.doc, &["assertion"])}
                  onedit={setter(&props.onedit, &["assertion"], Shape::Text)} />
            { client_data_fields(props, "assert") }
            <Area id="assert-public-key" label="Public key (PEM, from the attestation's report)"
                  value={shown(&props.doc, &["public-key", "pem"])}
                  onedit={setter(&props.onedit, &["public-key", "pem"], Shape::Text)} />
            { app_id_fields(props, "assert") }
            <Field id="assert-counter" label="Previous counter" value={shown(&props.doc, &["previous-counter"])}
                   onedit={setter(&props.onedit, &["previous-counter"], Shape::Integer)} />
            { now_field(props, "assert-now") }
            <DcErrorTable />
        </div>
    }
}
