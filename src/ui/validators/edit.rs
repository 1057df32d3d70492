//! Form edits: each rewrites the document's JSON text (the text stays the source of truth).
//! Pure functions over `serde_json::Value`; nothing here touches the DOM.

use serde_json::{json, Map, Value};

use crate::document::Kind;
use crate::report::Report;

/// How a form field's text goes into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string; empty removes the member.
    Text,
    /// An integer; empty or not a number removes the member.
    Integer,
    /// `true` / `false`.
    Bool,
    /// Pasted JSON; text that does not parse is kept as a string so the engine can say why.
    Json,
}

/// A fresh document of a validator kind: the fields its form shows, empty. `None` for a
/// kind no form starts (the keychain has its workspace).
pub fn template(kind: Kind) -> Option<Value> {
    let body = match kind {
        Kind::Keychain
        | Kind::Att
        | Kind::TccScreenCapture
        | Kind::PlatformSso
        | Kind::AppleTokenRequest
        | Kind::SiwaExplain
        | Kind::DevicecheckRequest
        | Kind::DevicecheckNetwork => return None,
        Kind::ErrorExplainer => json!({"query": ""}),
        Kind::Jwt => json!({"profile": "apple-client-secret", "token": "", "keys": {"pem": ""},
                                 "expected": {"team-id": "", "client-id": "", "key-id": ""}}),
        Kind::AppleClientSecretRequest => json!({"p8": "", "team-id": "", "key-id": "", "client-id": "",
                                          "lifetime-seconds": 86400}),
        Kind::AppAttest => json!({"attestation": "", "key-id": "", "client-data": {"utf8": ""},
                                       "app-id": "", "environment": "development"}),
        Kind::AppAttestAssertion => json!({"assertion": "", "client-data": {"utf8": ""}, "public-key": {"pem": ""},
                                       "app-id": "", "previous-counter": 0}),
        Kind::WebauthnOptions => json!({"options": {}, "origin": "https://"}),
        Kind::WebauthnRegistration => json!({"response": {}, "expected": {"challenge": "", "origin": "https://",
                                          "rp-id": "", "user-verification": "preferred"}}),
        Kind::WebauthnAuthentication => json!({"response": {}, "public-key": {"cose": ""},
                                            "expected": {"challenge": "", "origin": "https://", "rp-id": "",
                                                         "user-verification": "preferred"}}),
    };
    let mut doc = json!({"keyplay": 1, "kind": kind.name()});
    if let (Some(doc), Value::Object(body)) = (doc.as_object_mut(), body) {
        doc.extend(body);
    }
    Some(doc)
}

/// What a form did.
#[derive(Debug, Clone, PartialEq)]
pub enum FormEdit {
    /// Set (or, empty, remove) the member at `path`.
    Set { path: &'static [&'static str], shape: Shape, value: String },
    /// Set the member at `path` (a string; empty removes it) and remove the members it
    /// excludes (the error explainer takes a `query` or a `log`, never both).
    SetInstead { path: &'static [&'static str], instead_of: &'static [&'static str], value: String },
    /// The key textarea: a JWKS / JWK JSON, an SPKI PEM or a `.p8` PEM.
    Keys(String),
    /// The App Attest challenge as text (hashed by the engine).
    ClientData(String),
    /// The App Attest client-data hash, base64.
    ClientDataHash(String),
    /// The Team ID part of `app-id`.
    TeamId(String),
    /// The bundle ID part of `app-id`.
    BundleId(String),
    /// A fresh document of a validator kind.
    Start(Kind),
    /// From a client-secret request's report: a `jwt` document verifying the signed token.
    VerifySecret,
    /// From an attestation report: an assertion document with its public key.
    UseKeyForAssertion,
    /// From a WebAuthn registration report: an authentication document with its public key.
    UseCredential,
}

/// The member at `path`, if any.
pub fn get<'a>(doc: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, key| v.get(key))
}

/// A member as a form shows it: strings as they are, anything else as JSON.
pub fn shown(doc: &Value, path: &[&str]) -> String {
    match get(doc, path) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) if o.is_empty() => String::new(),
        Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn set(doc: &mut Value, path: &[&str], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut here = doc;
    for key in parents {
        let Some(object) = here.as_object_mut() else { return };
        here = object.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    let Some(object) = here.as_object_mut() else { return };
    match value {
        Some(value) => {
            object.insert(last.to_string(), value);
        }
        None => {
            object.remove(*last);
        }
    }
}

fn shaped(shape: Shape, value: &str) -> Option<Value> {
    match shape {
        Shape::Text if value.is_empty() => None,
        Shape::Text => Some(Value::String(value.to_owned())),
        Shape::Integer => value.trim().parse::<i64>().ok().map(Value::from),
        Shape::Bool => Some(Value::Bool(value == "true")),
        Shape::Json if value.trim().is_empty() => None,
        Shape::Json => Some(serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()))),
    }
}

/// The `keys` member for pasted key text: which of JWKS, PEM or p8 it is.
pub fn keys_for(text: &str) -> Value {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        if let Ok(Value::Object(jwk)) = serde_json::from_str::<Value>(trimmed) {
            if jwk.contains_key("keys") {
                return Value::Object(jwk);
            }
            return json!({"keys": [Value::Object(jwk)]});
        }
    }
    if trimmed.contains("BEGIN PRIVATE KEY") {
        return json!({"p8": text});
    }
    json!({"pem": text})
}

/// The key text a `keys` member came from.
pub fn key_text(doc: &Value) -> String {
    match get(doc, &["keys"]) {
        Some(keys) if keys.get("keys").is_some() => serde_json::to_string_pretty(keys).unwrap_or_default(),
        Some(keys) => ["p8", "pem"].iter().find_map(|k| keys.get(k).and_then(Value::as_str)).unwrap_or("").to_owned(),
        None => String::new(),
    }
}

/// `app-id` split into Team ID and bundle ID.
pub fn app_id(doc: &Value) -> (String, String) {
    let id = get(doc, &["app-id"]).and_then(Value::as_str).unwrap_or("");
    match id.split_once('.') {
        Some((team, bundle)) => (team.to_owned(), bundle.to_owned()),
        None => (id.to_owned(), String::new()),
    }
}

fn copy(from: &Value, path: &[&str], to: &mut Value, into: &[&str]) {
    if let Some(value) = get(from, path) {
        set(to, into, Some(value.clone()));
    }
}

impl FormEdit {
    /// The document after this edit, given the current document (when it parsed) and its
    /// report. `None` when the edit cannot apply (the document is not a JSON object, the
    /// report lacks what the edit needs).
    pub fn apply(&self, doc: Option<&Value>, report: &Report) -> Option<Value> {
        let mut doc: Value = match self {
            FormEdit::Start(kind) => template(*kind)?,
            _ => doc.filter(|d| d.is_object())?.clone(),
        };
        let details = || match report {
            Report::Verdict(verdict) => Some(&verdict.verdict.details),
            _ => None,
        };
        match self {
            FormEdit::Set { path, shape, value } => set(&mut doc, path, shaped(*shape, value)),
            FormEdit::SetInstead { path, instead_of, value } => {
                for other in *instead_of {
                    set(&mut doc, &[other], None);
                }
                set(&mut doc, path, shaped(Shape::Text, value));
            }
            FormEdit::Keys(text) => set(&mut doc, &["keys"], Some(keys_for(text))),
            FormEdit::ClientData(text) => {
                set(&mut doc, &["client-data-hash"], None);
                set(&mut doc, &["client-data"], Some(json!({"utf8": text})));
            }
            FormEdit::ClientDataHash(hash) => {
                set(&mut doc, &["client-data"], None);
                set(&mut doc, &["client-data-hash"], Some(json!({"base64": hash})));
            }
            FormEdit::TeamId(team) => {
                let (_, bundle) = app_id(&doc);
                set(&mut doc, &["app-id"], Some(Value::String(format!("{team}.{bundle}"))));
            }
            FormEdit::BundleId(bundle) => {
                let (team, _) = app_id(&doc);
                set(&mut doc, &["app-id"], Some(Value::String(format!("{team}.{bundle}"))));
            }
            FormEdit::Start(_) => {}
            FormEdit::VerifySecret => doc = verify_secret(&doc, details()?)?,
            FormEdit::UseKeyForAssertion => doc = assertion_for(&doc, details()?)?,
            FormEdit::UseCredential => doc = authentication_for(&doc, details()?)?,
        }
        Some(doc)
    }
}

fn verify_secret(request: &Value, report: &Map<String, Value>) -> Option<Value> {
    let token = report.get("token")?.as_str()?;
    let mut doc = json!({"keyplay": 1, "kind": "jwt", "title": "The client secret signed in the page",
                         "profile": "apple-client-secret", "token": token,
                         "keys": {"p8": get(request, &["p8"])?.clone()}});
    copy(request, &["now"], &mut doc, &["now"]);
    for name in ["team-id", "client-id", "key-id"] {
        copy(request, &[name], &mut doc, &["expected", name]);
    }
    Some(doc)
}

fn assertion_for(attestation: &Value, report: &Map<String, Value>) -> Option<Value> {
    let key = report.get("public-key")?.as_object()?;
    let mut doc = json!({"keyplay": 1, "kind": "app-attest-assertion", "assertion": "",
                         "client-data": {"utf8": ""}, "public-key": key, "previous-counter": 0});
    copy(attestation, &["app-id"], &mut doc, &["app-id"]);
    copy(attestation, &["now"], &mut doc, &["now"]);
    Some(doc)
}

fn authentication_for(registration: &Value, report: &Map<String, Value>) -> Option<Value> {
    let key = report.get("public-key")?;
    let cose = key.get("cose")?.clone();
    let mut doc = json!({"keyplay": 1, "kind": "webauthn-authentication", "response": {},
                         "public-key": {"cose": cose}, "expected": {"challenge": ""}});
    for name in ["origin", "rp-id", "user-verification"] {
        copy(registration, &["expected", name], &mut doc, &["expected", name]);
    }
    if let Some(count) = report.get("sign-count") {
        set(&mut doc, &["previous-sign-count"], Some(count.clone()));
    }
    Some(doc)
}
