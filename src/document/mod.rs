//! The Keyplay document (see `docs/document.md` and the shared spec): parse the envelope,
//! dispatch on `kind`, run, and build the report and the exit status.

mod error;
mod kind;

pub use error::{parse_typed, suggestion, DocError};
pub use kind::Kind;

use crate::instant::Instant;
use crate::validator::{Expectation, Verdict};
use crate::{app_attest, jwt, keychain, webauthn};
use serde_json::{json, Map, Value};

/// The outcome of running a document: the report and the command line's exit status
/// (0 ran and every expectation met, 1 an expectation unmet, 2 not understood).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub report: Value,
    pub exit: u8,
}

impl Outcome {
    fn not_understood(error: DocError) -> Outcome {
        Outcome { report: json!({ "keyplay": 1, "error": error }), exit: 2 }
    }

    /// The report as `keyplay run` prints it: pretty JSON.
    pub fn to_cli_json(&self) -> String {
        serde_json::to_string_pretty(&self.report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Whether every expectation was met.
    pub fn ok(&self) -> bool {
        self.exit == 0
    }
}

/// The fields every document may carry, whatever its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub kind: Kind,
    pub title: Option<String>,
    pub notes: Option<String>,
    /// The document's `now`, or the shell's clock when absent.
    pub now: Instant,
}

/// Parses JSON text and runs it. `clock` is the current time, used when the document
/// has no `now` of its own.
pub fn run_text(text: &str, clock: Instant) -> Outcome {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => run(value, clock),
        Err(e) => Outcome::not_understood(DocError::new(
            "",
            format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column()),
        )),
    }
}

/// Runs a parsed document.
pub fn run(value: Value, clock: Instant) -> Outcome {
    match run_inner(value, clock) {
        Ok(outcome) => outcome,
        Err(error) => Outcome::not_understood(error),
    }
}

fn run_inner(mut value: Value, clock: Instant) -> Result<Outcome, DocError> {
    strip_extensions(&mut value);
    let Value::Object(mut body) = value else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    let envelope = take_envelope(&mut body, clock)?;
    let expect = body.remove("expect");
    let kind = envelope.kind;
    if kind == Kind::Keychain {
        if expect.is_some() {
            return Err(DocError::new("/expect", "a keychain document carries expect on each step, not at the top"));
        }
        let doc = keychain::document::parse(Value::Object(body))?;
        let report = keychain::run(&doc, envelope.now)?;
        let exit = if report.ok { 0 } else { 1 };
        let mut out = header(kind);
        if let Value::Object(fields) = serde_json::to_value(&report).map_err(|e| DocError::new("", e.to_string()))? {
            out.extend(fields);
        }
        return Ok(Outcome { report: Value::Object(out), exit });
    }

    let expectation: Option<Expectation> = expect.map(|e| parse_typed(e, "/expect")).transpose()?;
    let body = Value::Object(body);
    let verdict: Verdict = match kind {
        Kind::Jwt | Kind::AppleClientSecretRequest => jwt::run_document(kind, body, envelope.now)?,
        Kind::AppAttest | Kind::AppAttestAssertion => app_attest::run_document(kind, body, envelope.now)?,
        Kind::WebauthnOptions | Kind::WebauthnRegistration | Kind::WebauthnAuthentication => {
            webauthn::run_document(kind, body, envelope.now)?
        }
        Kind::Keychain => unreachable_keychain(),
    };
    let met = expectation.as_ref().map(|e| e.met_by(&verdict));
    let mut out = header(kind);
    out.insert("ok".into(), Value::Bool(met.unwrap_or(true)));
    out.insert("valid".into(), Value::Bool(verdict.valid()));
    out.insert("checks".into(), serde_json::to_value(&verdict.checks).unwrap_or(Value::Null));
    out.extend(verdict.details);
    if let Some(met) = met {
        out.insert("expect".into(), Value::String(if met { "met" } else { "unmet" }.into()));
    }
    Ok(Outcome { report: Value::Object(out), exit: if met == Some(false) { 1 } else { 0 } })
}

/// Runs a keychain document on every platform and compares the answers (the page's
/// compare view).
pub fn compare_text(text: &str, clock: Instant) -> Result<keychain::compare::Comparison, DocError> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| DocError::new("", format!("not valid JSON: {e}")))?;
    strip_extensions(&mut value);
    let Value::Object(mut body) = value else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    let envelope = take_envelope(&mut body, clock)?;
    if envelope.kind != Kind::Keychain {
        return Err(DocError::new("/kind", "only keychain documents can be compared across platforms"));
    }
    body.remove("expect");
    body.remove("platform");
    let doc = keychain::document::parse(Value::Object(body))?;
    keychain::compare::compare(&doc, envelope.now)
}

// Keychain documents return above; this arm exists only to keep the match exhaustive.
fn unreachable_keychain() -> Verdict {
    Verdict::default()
}

fn header(kind: Kind) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("keyplay".into(), json!(1));
    out.insert("kind".into(), json!(kind.name()));
    out
}

/// Removes the fields every kind shares and checks them.
fn take_envelope(body: &mut Map<String, Value>, clock: Instant) -> Result<Envelope, DocError> {
    match body.remove("keyplay") {
        Some(v) if v == json!(1) => {}
        Some(v) => {
            return Err(DocError::new(
                "/keyplay",
                format!("unsupported format version {v}; this Keyplay reads version 1"),
            ))
        }
        None => return Err(DocError::new("/keyplay", r#"missing "keyplay": 1 (the format version)"#)),
    }
    let kind = match body.remove("kind") {
        Some(Value::String(name)) => Kind::from_name(&name).ok_or_else(|| {
            DocError::new("/kind", format!("unknown kind {name}{}", error::suggestion(&name, Kind::NAMES)))
        })?,
        Some(_) => return Err(DocError::new("/kind", "kind must be a string")),
        None => return Err(DocError::new("/kind", format!("missing kind; one of {}", Kind::NAMES.join(", ")))),
    };
    let title = optional_string(body, "title")?;
    let notes = optional_string(body, "notes")?;
    let now = match optional_string(body, "now")? {
        Some(text) => Instant::parse_rfc3339(&text).map_err(|m| DocError::new("/now", m))?,
        None => clock,
    };
    Ok(Envelope { kind, title, notes, now })
}

fn optional_string(body: &mut Map<String, Value>, field: &str) -> Result<Option<String>, DocError> {
    match body.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(DocError::new(format!("/{field}"), format!("{field} must be a string"))),
    }
}

/// Drops every `"x-…"` key, at any depth: they are free for extensions.
fn strip_extensions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with("x-"));
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(text: &str) -> Outcome {
        run_text(text, Instant(0))
    }

    #[test]
    fn malformed_documents_get_an_error_report_and_exit_2() {
        for (text, path) in [
            ("{", ""),
            ("[]", ""),
            (r#"{"kind":"keychain"}"#, "/keyplay"),
            (r#"{"keyplay":2,"kind":"keychain"}"#, "/keyplay"),
            (r#"{"keyplay":1,"kind":"keychian"}"#, "/kind"),
            (r#"{"keyplay":1,"kind":"keychain","now":"soon"}"#, "/now"),
        ] {
            let out = run_str(text);
            assert_eq!(out.exit, 2, "{text}");
            assert_eq!(out.report["error"]["path"], json!(path), "{text}: {}", out.report);
        }
        let out = run_str(r#"{"keyplay":1,"kind":"keychian"}"#);
        assert!(out.report["error"]["message"].as_str().unwrap_or("").contains("did you mean keychain?"));
    }

    #[test]
    fn extension_keys_are_ignored_anywhere() {
        let out = run_str(r#"{"keyplay":1,"kind":"keychain","x-editor":{"cursor":3},"steps":[]}"#);
        assert_eq!(out.exit, 0, "{}", out.report);
    }
}
