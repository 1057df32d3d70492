//! One tree for property lists, whichever form they came in: XML or binary plists (read by
//! the `plist` crate) and codesign's `[Dict]` text form (read by `text_plist`).

use super::ImportError;
use crate::instant::Instant;
use serde_json::{json, Map, Value as Json};

/// A property-list value.
#[derive(Debug, Clone, PartialEq)]
pub enum PValue {
    Str(String),
    Bool(bool),
    Int(i64),
    Real(f64),
    Data(Vec<u8>),
    Date(Instant),
    Array(Vec<PValue>),
    /// Keys in the order written.
    Dict(Vec<(String, PValue)>),
}

impl PValue {
    /// The plist type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            PValue::Str(_) => "a string",
            PValue::Bool(_) => "a Boolean",
            PValue::Int(_) | PValue::Real(_) => "a number",
            PValue::Data(_) => "data",
            PValue::Date(_) => "a date",
            PValue::Array(_) => "an array",
            PValue::Dict(_) => "a dictionary",
        }
    }

    pub fn get(&self, key: &str) -> Option<&PValue> {
        match self {
            PValue::Dict(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            PValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An array whose every element is a string.
    pub fn as_strings(&self) -> Option<Vec<String>> {
        match self {
            PValue::Array(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    }

    /// A JSON rendering for reports (data as hex, dates as RFC 3339).
    pub fn to_json(&self) -> Json {
        match self {
            PValue::Str(s) => json!(s),
            PValue::Bool(b) => json!(b),
            PValue::Int(i) => json!(i),
            PValue::Real(r) => json!(r),
            PValue::Data(d) => json!({ "hex": hex::encode(d) }),
            PValue::Date(t) => json!({ "date": t.to_rfc3339() }),
            PValue::Array(items) => Json::Array(items.iter().map(PValue::to_json).collect()),
            PValue::Dict(entries) => {
                Json::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect::<Map<_, _>>())
            }
        }
    }

    fn from_plist(value: plist::Value) -> Result<PValue, ImportError> {
        Ok(match value {
            plist::Value::String(s) => PValue::Str(s),
            plist::Value::Boolean(b) => PValue::Bool(b),
            plist::Value::Integer(i) => match i.as_signed() {
                Some(n) => PValue::Int(n),
                None => PValue::Real(i.as_unsigned().map(|u| u as f64).unwrap_or(f64::NAN)),
            },
            plist::Value::Real(r) => PValue::Real(r),
            plist::Value::Data(d) => PValue::Data(d),
            plist::Value::Date(d) => PValue::Date(
                Instant::parse_rfc3339(&d.to_xml_format())
                    .map_err(|e| ImportError::new(format!("a plist date does not convert: {e}")))?,
            ),
            plist::Value::Array(items) => {
                PValue::Array(items.into_iter().map(PValue::from_plist).collect::<Result<_, _>>()?)
            }
            plist::Value::Dictionary(dict) => PValue::Dict(
                dict.into_iter().map(|(k, v)| PValue::from_plist(v).map(|v| (k, v))).collect::<Result<_, _>>()?,
            ),
            plist::Value::Uid(u) => PValue::Int(i64::try_from(u.get()).unwrap_or(i64::MAX)),
            _ => return Err(ImportError::new("the plist holds a value type Keyplay does not know")),
        })
    }
}

/// Parses an XML or binary property list.
pub fn parse_plist(bytes: &[u8]) -> Result<PValue, ImportError> {
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::new(format!("not a readable property list: {e}")))?;
    PValue::from_plist(value)
}
