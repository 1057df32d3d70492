//! Document errors: where (a JSON pointer) and what, with a suggestion for typos.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_path_to_error::Segment;

/// A document that cannot be understood: the JSON pointer of the offending value and a
/// message saying what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    pub path: String,
    pub message: String,
}

impl DocError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> DocError {
        DocError { path: path.into(), message: message.into() }
    }

    /// The same error, under a parent path.
    pub fn under(mut self, parent: &str) -> DocError {
        self.path = format!("{parent}{}", self.path);
        self
    }
}

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

impl std::error::Error for DocError {}

/// `"; did you mean X?"` when a candidate is close to `word`, else empty.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    closest(word, candidates).map(|c| format!("; did you mean {c}?")).unwrap_or_default()
}

/// Words longer than this get no suggestion.
const MAX_SUGGESTION_WORD: usize = 128;

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // No typo is this long, and the edit distance costs length × length (time and memory).
    if word.len() > MAX_SUGGESTION_WORD {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| {
            let other = c.to_ascii_lowercase();
            // A truncated name (SecItemCopy for SecItemCopyMatching) counts as close.
            let prefix = lower.len() >= 4 && other.starts_with(&lower);
            (if prefix { 1 } else { strsim::damerau_levenshtein(&lower, &other) }, *c)
        })
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Deserializes `value` into `T`, turning serde's error into a [`DocError`] with a JSON
/// pointer rooted at `base` and a suggestion for unknown field names.
pub fn parse_typed<T: DeserializeOwned>(value: serde_json::Value, base: &str) -> Result<T, DocError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let mut path = base.to_string();
        for segment in err.path().iter() {
            match segment {
                Segment::Seq { index } => path.push_str(&format!("/{index}")),
                Segment::Map { key } | Segment::Enum { variant: key } => {
                    path.push('/');
                    path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                }
                Segment::Unknown => {}
            }
        }
        DocError::new(path, rewrite_message(&err.inner().to_string()))
    })
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into a suggestion.
fn rewrite_message(message: &str) -> String {
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let (Some(rest), Some(first)) = (message.strip_prefix("unknown field `"), names.first()) {
        let _ = rest;
        let allowed = &names[1..];
        let hint = suggestion(first, allowed);
        if hint.is_empty() && !allowed.is_empty() {
            return format!("unknown field {first}; expected one of {}", allowed.join(", "));
        }
        return format!("unknown field {first}{hint}");
    }
    if let (Some(_), Some(first)) = (message.strip_prefix("unknown variant `"), names.first()) {
        let allowed = &names[1..];
        let hint = suggestion(first, allowed);
        if hint.is_empty() {
            return format!("unknown value {first}; expected one of {}", allowed.join(", "));
        }
        return format!("unknown value {first}{hint}");
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        locked: Option<bool>,
        biometry: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        device: Vec<Inner>,
    }

    #[test]
    fn unknown_fields_get_a_pointer_and_a_suggestion() {
        let value = serde_json::json!({"device": [{}, {"lockd": true}]});
        let err = parse_typed::<Outer>(value, "/x").expect_err("typo");
        assert_eq!(err.path, "/x/device/1/lockd");
        assert_eq!(err.message, "unknown field lockd; did you mean locked?");
    }

    #[test]
    fn closest_rejects_distant_words() {
        assert_eq!(closest("kSecAttrServce", &["kSecAttrService", "kSecAttrServer"]), Some("kSecAttrService"));
        assert_eq!(closest("banana", &["kSecAttrService"]), None);
        // A pasted blob as a field name: no quadratic edit distance, no suggestion.
        assert_eq!(closest(&format!("kSecAttrService{}", "x".repeat(MAX_SUGGESTION_WORD)), &["kSecAttrService"]), None);
    }
}
