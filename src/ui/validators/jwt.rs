//! Sign in with Apple / JWT: verify a token, sign a client secret, and the times view.

use serde_json::Value;
use yew::{component, html, Html, Properties};

use super::edit::{key_text, shown};
use super::explain::JwtExplainers;
use super::fields::{Area, Choice, Field};
use super::{setter, FormEdit, FormProps, Shape};

const PROFILES: &[&str] = &["apple-client-secret", "apple-identity-token", "generic"];

/// The expected fields each profile reads.
fn expected_fields(profile: &str) -> &'static [(&'static [&'static str], &'static str)] {
    match profile {
        "apple-client-secret" => &[
            (&["expected", "team-id"], "Team ID (iss)"),
            (&["expected", "client-id"], "Client ID / Services ID (sub)"),
            (&["expected", "key-id"], "Key ID (kid)"),
        ],
        "apple-identity-token" => &[
            (&["expected", "audience"], "Audience: bundle ID or Services ID (aud)"),
            (&["expected", "nonce"], "Raw nonce"),
        ],
        _ => &[
            (&["expected", "issuer"], "Issuer (iss)"),
            (&["expected", "audience"], "Audience (aud)"),
            (&["expected", "subject"], "Subject (sub)"),
        ],
    }
}

/// `now`, empty meaning the clock.
pub fn now_field(props: &FormProps, id: &'static str) -> Html {
    html! {
        <Field id={id} label="Now (RFC 3339; empty: this computer's clock)" value={shown(&props.doc, &["now"])}
               placeholder="2026-11-28T12:00:00Z" onedit={setter(&props.onedit, &["now"], Shape::Text)} />
    }
}

/// Verify a JWT: token, key, profile, expected fields, now.
#[component]
pub fn JwtForm(props: &FormProps) -> Html {
    let profile = shown(&props.doc, &["profile"]);
    html! {
        <div class="validator-form" data-form="jwt">
            <Area id="jwt-token" label="Token (paste a JWT)" value={shown(&props.doc, &["token"])}
                  placeholder="eyJhbGciOi…" onedit={setter(&props.onedit, &["token"], Shape::Text)} />
            <Area id="jwt-key" label="Key: a JWKS JSON, an SPKI public-key PEM or a .p8 private key"
                  value={key_text(&props.doc)} onedit={props.onedit.reform(FormEdit::Keys)}
                  help="Detected from what you paste. A .p8 stays in this page; permalinks leave it out." />
            <Choice id="jwt-profile" label="Profile" value={profile.clone()} options={PROFILES}
                    onedit={setter(&props.onedit, &["profile"], Shape::Text)} />
            for (path, label) in expected_fields(&profile).iter() {
                <Field id={format!("jwt-{}", path[1])} label={*label} value={shown(&props.doc, path)}
                       onedit={setter(&props.onedit, path, Shape::Text)} />
            }
            { now_field(props, "jwt-now") }
            <Decoded run={props.run.clone()} />
            <JwtExplainers />
        </div>
    }
}

/// Sign a client secret from a .p8, then verify it.
#[component]
pub fn SecretForm(props: &FormProps) -> Html {
    let signed = props.run.detail("token").and_then(Value::as_str).is_some_and(|t| !t.is_empty());
    html! {
        <div class="validator-form" data-form="apple-client-secret-request">
            <Area id="secret-p8" label="Private key (.p8 from the developer portal)" value={shown(&props.doc, &["p8"])}
                  placeholder="-----BEGIN PRIVATE KEY-----" onedit={setter(&props.onedit, &["p8"], Shape::Text)}
                  help="Signed in this page. The p8 never goes into a permalink or a saved workspace." />
            <Field id="secret-team-id" label="Team ID" value={shown(&props.doc, &["team-id"])}
                   onedit={setter(&props.onedit, &["team-id"], Shape::Text)} />
            <Field id="secret-key-id" label="Key ID" value={shown(&props.doc, &["key-id"])}
                   onedit={setter(&props.onedit, &["key-id"], Shape::Text)} />
            <Field id="secret-client-id" label="Client ID (Services ID or bundle ID)"
                   value={shown(&props.doc, &["client-id"])}
                   onedit={setter(&props.onedit, &["client-id"], Shape::Text)} />
            <Field id="secret-lifetime" label="Lifetime (seconds, at most 15777000)"
                   value={shown(&props.doc, &["lifetime-seconds"])}
                   onedit={setter(&props.onedit, &["lifetime-seconds"], Shape::Integer)} />
            { now_field(props, "secret-now") }
            if signed {
                <button type="button" class="action verify-secret" onclick={props.onedit.reform(|_| FormEdit::VerifySecret)}>
                    { "Verify this secret" }
                </button>
            }
            <Decoded run={props.run.clone()} />
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct DecodedProps {
    pub run: std::rc::Rc<crate::ui::state::Run>,
}

/// The decoded header and claims, and the times as dates and relative to now.
#[component]
pub fn Decoded(props: &DecodedProps) -> Html {
    let pretty = |name: &str| props.run.detail(name).and_then(|v| serde_json::to_string_pretty(v).ok());
    let times = props.run.detail("times").and_then(Value::as_object);
    html! {
        <div class="decoded">
            if let Some(header) = pretty("header") {
                <h3>{ "Header" }</h3>
                <pre class="json" tabindex="0">{ header }</pre>
            }
            if let Some(claims) = pretty("claims") {
                <h3>{ "Claims" }</h3>
                <pre class="json" tabindex="0">{ claims }</pre>
            }
            if let Some(times) = times {
                <h3>{ "Times" }</h3>
                <table class="times">
                    <thead><tr><th scope="col">{ "claim" }</th><th scope="col">{ "UTC" }</th>
                               <th scope="col">{ "relative to now" }</th><th scope="col">{ "unix" }</th></tr></thead>
                    <tbody>
                        for (name, time) in times.iter().filter(|(_, t)| t.is_object()) {
                            <tr>
                                <th scope="row"><code>{ name.clone() }</code></th>
                                <td>{ text(time, "utc") }</td>
                                <td>{ text(time, "relative") }</td>
                                <td>{ text(time, "unix") }</td>
                            </tr>
                        }
                        for (name, value) in times.iter().filter(|(_, t)| !t.is_object()) {
                            <tr><th scope="row"><code>{ name.clone() }</code></th>
                                <td colspan="3">{ scalar(value) }</td></tr>
                        }
                    </tbody>
                </table>
            }
        </div>
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn text(value: &Value, name: &str) -> String {
    value.get(name).map(scalar).unwrap_or_default()
}
