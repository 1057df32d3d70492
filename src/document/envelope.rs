//! The fields every document carries, whatever its kind, and the JSON text they come in.

use super::error::{suggestion, DocError};
use super::kind::Kind;
use crate::instant::Instant;
use serde_json::{json, Map, Value};

/// The fields every document may carry, whatever its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub kind: Kind,
    pub title: Option<String>,
    pub notes: Option<String>,
    /// The document's `now`, or the shell's clock when absent.
    pub now: Instant,
}

/// A document split into its envelope, its top-level `expect` and the kind's own fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub envelope: Envelope,
    pub expect: Option<Value>,
    /// The remaining fields, extension (`x-…`) keys removed at every depth.
    pub body: Value,
}

/// Parses a document's JSON text; the error says where the JSON breaks.
pub fn parse_json(text: &str) -> Result<Value, DocError> {
    serde_json::from_str(text)
        .map_err(|e| DocError::new("", format!("not valid JSON at line {}, column {}: {e}", e.line(), e.column())))
}

/// The document's kind, if it names a known one (no other check is made).
pub fn kind_of(doc: &Value) -> Option<Kind> {
    doc.get("kind").and_then(Value::as_str).and_then(Kind::from_name)
}

/// Checks the envelope and splits the document. `clock` is the `now` of a document without one.
pub fn split(mut value: Value, clock: Instant) -> Result<Split, DocError> {
    strip_extensions(&mut value);
    let Value::Object(mut body) = value else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    let envelope = take_envelope(&mut body, clock)?;
    let expect = body.remove("expect");
    Ok(Split { envelope, expect, body: Value::Object(body) })
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
        Some(Value::String(name)) => Kind::from_name(&name)
            .ok_or_else(|| DocError::new("/kind", format!("unknown kind {name}{}", suggestion(&name, Kind::NAMES))))?,
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
pub fn strip_extensions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with("x-"));
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}
