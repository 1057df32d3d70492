//! Sharing and keeping documents: permalinks (the document compressed into a URL
//! fragment), versioned autosaves, and the redaction that keeps private keys and tokens
//! out of both unless the user asks for them.

use crate::data::{decode_base64url_strict, encode_base64url};
use serde_json::{json, Value};

/// Why a permalink or a save could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("the link is not a Keyplay permalink (it should start with {PREFIX})")]
    NotAPermalink,
    #[error("the link is damaged: {0}")]
    Damaged(String),
    #[error("the link holds more than {MAX_DOCUMENT_BYTES} bytes once expanded")]
    TooLarge,
    #[error("{0}")]
    LinkTooLong(String),
    #[error("the document is not valid JSON, so its secrets cannot be found and removed; fix it, or share it with secrets included")]
    NotJson,
    #[error("this save was written by a newer Keyplay (format {0}); it was set aside, not opened")]
    NewerSave(u64),
    #[error("the saved workspace is corrupt ({0}); it was set aside")]
    CorruptSave(String),
}

/// Fragment prefix: format version 1, raw DEFLATE, base64url.
pub const PREFIX: &str = "v1.";

/// The largest document a permalink may expand to (a bound against decompression bombs).
pub const MAX_DOCUMENT_BYTES: usize = crate::limits::DOCUMENT_BYTES;

const REDACTED: &str = "<redacted>";

/// Field names whose values are secrets wherever they appear.
/// Attestations, assertions and receipts are not keys, but they identify a device and an app
/// install: they stay out of links and the autosave unless the user keeps secrets too.
const SECRET_FIELDS: &[&str] = &[
    "p8",
    "token",
    "identity-token",
    "client-secret",
    "secret",
    "private-key",
    "refresh-token",
    "attestation",
    "assertion",
    "receipt",
    "attestationObject",
];

/// JWK private members.
const JWK_PRIVATE: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "k"];

/// Replaces every secret in a document with `"<redacted>"`: private keys (PEM, JWK
/// private members, `.p8`, private SecKey data), and tokens. Returns the JSON pointers
/// of what was removed.
pub fn redact(mut doc: Value) -> (Value, Vec<String>) {
    let mut paths = Vec::new();
    walk(&mut doc, "", &mut paths);
    (doc, paths)
}

/// Whether [`redact`] could find anything in the JSON `text`: false only when none of what it
/// looks for is in the text as written (no secret field's quoted name, no `"kty"`, no private
/// key class, no PEM header, no `eyJ` that starts a token) and no `\u` escape could spell one.
/// A text without secrets is then saved as it is, without parsing it.
pub fn may_hold_secrets(text: &str) -> bool {
    const MARKS: [&str; 5] = ["\\u", "\"kty\"", "kSecAttrKeyClassPrivate", "-----BEGIN", "eyJ"];
    MARKS.iter().any(|m| text.contains(m)) || SECRET_FIELDS.iter().any(|f| text.contains(&format!("\"{f}\"")))
}

fn walk(value: &mut Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let is_jwk = map.contains_key("kty");
            let private_key_ref =
                map.get("kSecAttrKeyClass").and_then(Value::as_str) == Some("kSecAttrKeyClassPrivate");
            for (k, v) in map.iter_mut() {
                let here = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                let secret = SECRET_FIELDS.contains(&k.as_str())
                    || (is_jwk && JWK_PRIVATE.contains(&k.as_str()))
                    || (private_key_ref && k == "kSecValueData");
                if secret && *v != Value::String(REDACTED.into()) {
                    *v = Value::String(REDACTED.into());
                    found.push(here);
                } else {
                    walk(v, &here, found);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(v, &format!("{path}/{i}"), found);
            }
        }
        Value::String(s) if looks_secret(s) => {
            *s = REDACTED.into();
            found.push(path.to_string());
        }
        _ => {}
    }
}

/// A PEM private key, or a compact JWS (a signed token) anywhere in the document.
fn looks_secret(s: &str) -> bool {
    let pem_private = s.contains("-----BEGIN") && s.contains("PRIVATE KEY");
    let jws = s.starts_with("eyJ") && s.split('.').count() == 3 && s.len() > 40;
    pem_private || jws
}

/// The URL fragment (without `#`) for a document. Secrets are removed unless
/// `include_secrets`; the removed paths are listed in `x-redacted`.
pub fn permalink(text: &str, include_secrets: bool) -> Result<String, ShareError> {
    let payload = if include_secrets {
        text.to_string()
    } else {
        let doc: Value = serde_json::from_str(text).map_err(|_| ShareError::NotJson)?;
        let (mut clean, removed) = redact(doc);
        if let (Value::Object(map), false) = (&mut clean, removed.is_empty()) {
            map.insert("x-redacted".into(), json!(removed));
        }
        serde_json::to_string(&clean).map_err(|e| ShareError::Damaged(e.to_string()))?
    };
    let compressed = miniz_oxide::deflate::compress_to_vec(payload.as_bytes(), 9);
    let link = format!("{PREFIX}{}", encode_base64url(&compressed));
    crate::limits::check_permalink(&link).map_err(|e| ShareError::LinkTooLong(e.message))?;
    Ok(link)
}

/// The document text a fragment carries (with or without a leading `#`).
pub fn open_permalink(fragment: &str) -> Result<String, ShareError> {
    let fragment = fragment.trim_start_matches('#');
    crate::limits::check_permalink(fragment).map_err(|e| ShareError::LinkTooLong(e.message))?;
    let body = fragment.strip_prefix(PREFIX).ok_or(ShareError::NotAPermalink)?;
    let compressed = decode_base64url_strict(body).map_err(ShareError::Damaged)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_DOCUMENT_BYTES).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            ShareError::TooLarge
        } else {
            ShareError::Damaged(format!("cannot inflate ({:?})", e.status))
        }
    })?;
    String::from_utf8(bytes).map_err(|_| ShareError::Damaged("not UTF-8 text".into()))
}

/// The autosave format version this build writes.
pub const SAVE_VERSION: u64 = 1;

/// A saved workspace: the document text plus view settings the UI keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub document: String,
    pub view: Value,
}

/// Encodes a workspace for browser storage, redacting secrets unless asked not to. A document
/// with nothing to redact is written straight into the saved JSON, not copied first.
pub fn save(document: &str, view: &Value, include_secrets: bool) -> String {
    #[derive(serde::Serialize)]
    struct Save<'a> {
        #[serde(rename = "keyplay-save")]
        version: u64,
        document: &'a str,
        view: &'a Value,
    }
    let redacted;
    let document = if include_secrets || !may_hold_secrets(document) {
        document
    } else {
        redacted = match serde_json::from_str::<Value>(document) {
            Ok(doc) => serde_json::to_string_pretty(&redact(doc).0).unwrap_or_default(),
            // Not JSON yet (mid-edit): keep it only if nothing in it looks secret.
            Err(_) if !document.contains("PRIVATE KEY") && !document.contains("eyJ") => document.to_string(),
            Err(_) => String::new(),
        };
        &redacted
    };
    serde_json::to_string(&Save { version: SAVE_VERSION, document, view }).unwrap_or_default()
}

/// Reads a saved workspace. Older versions are migrated; newer or corrupt ones are errors
/// the UI reports (and sets the save aside) instead of showing a blank page.
pub fn load(stored: &str) -> Result<Saved, ShareError> {
    let value: Value = serde_json::from_str(stored).map_err(|e| ShareError::CorruptSave(e.to_string()))?;
    let version = value.get("keyplay-save").and_then(Value::as_u64);
    match version {
        Some(1) => {
            let document = value
                .get("document")
                .and_then(Value::as_str)
                .ok_or_else(|| ShareError::CorruptSave("no document".into()))?;
            Ok(Saved { document: document.to_string(), view: value.get("view").cloned().unwrap_or(Value::Null) })
        }
        Some(v) if v > SAVE_VERSION => Err(ShareError::NewerSave(v)),
        // Version 0: the bare document text, as an early build stored it.
        None if value.get("keyplay").is_some() => Ok(Saved { document: stored.to_string(), view: Value::Null }),
        _ => Err(ShareError::CorruptSave("unknown save format".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_keys_and_tokens_are_redacted() {
        let doc = json!({
            "keyplay": 1, "kind": "jwt", "token": "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl",
            "keys": { "p8": "-----BEGIN PRIVATE KEY-----\nMIG…\n-----END PRIVATE KEY-----" },
            "notes": "public text stays",
        });
        let (clean, paths) = redact(doc);
        assert_eq!(paths, ["/token", "/keys/p8"]);
        assert_eq!(clean["notes"], json!("public text stays"));
        let key_doc = json!({"steps": [{"SecItemAdd": {"kSecValueRef": {"key": {"kSecAttrKeyClass": "kSecAttrKeyClassPrivate", "kSecValueData": {"hex": "04aa"}}}}}]});
        assert_eq!(redact(key_doc).1, ["/steps/0/SecItemAdd/kSecValueRef/key/kSecValueData"]);
        let public = json!({"key": {"kSecAttrKeyClass": "kSecAttrKeyClassPublic", "kSecValueData": {"hex": "04aa"}}});
        assert!(redact(public).1.is_empty());
    }

    #[test]
    #[cfg(feature = "examples")]
    fn a_text_is_saved_as_it_is_only_when_nothing_in_it_could_be_redacted() {
        // Every shipped example: when the quick look finds no mark, redaction finds nothing.
        let mut skipped = 0;
        for entry in crate::gallery::EXAMPLES {
            let Ok(doc) = serde_json::from_str::<Value>(entry.1) else { continue };
            if !may_hold_secrets(entry.1) {
                skipped += 1;
                assert!(redact(doc).1.is_empty(), "{}", entry.0);
            }
        }
        assert!(skipped >= 20, "{skipped} examples are saved as they are");
        // Each kind of secret is seen, even spelled with escapes.
        for text in [
            r#"{"token": "abc"}"#,
            r#"{"k": "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"}"#,
            r#"{"key": {"kty": "EC", "d": "x"}}"#,
            r#"{"pem": "-----BEGIN PRIVATE KEY-----"}"#,
            r#"{"kSecAttrKeyClass": "kSecAttrKeyClassPrivate", "kSecValueData": {"hex": "04"}}"#,
            r#"{"\u0070\u0038": "abc"}"#,
        ] {
            assert!(may_hold_secrets(text), "{text}");
            let doc: Value = serde_json::from_str(text).unwrap_or_default();
            assert!(!redact(doc).1.is_empty(), "{text}");
        }
        let plain = r#"{"keyplay": 1, "kind": "keychain", "steps": [ {"reboot": {}} ]}"#;
        assert!(!may_hold_secrets(plain));
        let saved = save(plain, &json!({}), false);
        assert_eq!(load(&saved).map(|s| s.document).ok().as_deref(), Some(plain), "saved as written");
    }

    #[test]
    fn permalinks_round_trip_and_reject_damage() {
        let text = r#"{"keyplay":1,"kind":"keychain","steps":[]}"#;
        let link = permalink(text, false).unwrap_or_default();
        assert!(link.starts_with(PREFIX));
        assert_eq!(open_permalink(&format!("#{link}")), Ok(text.to_string()));
        assert_eq!(open_permalink("v2.abc"), Err(ShareError::NotAPermalink));
        assert!(matches!(open_permalink("v1.!!!"), Err(ShareError::Damaged(_))));
        assert_eq!(permalink("{", false), Err(ShareError::NotJson));
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        let huge = " ".repeat(MAX_DOCUMENT_BYTES + 10);
        let compressed = miniz_oxide::deflate::compress_to_vec(huge.as_bytes(), 9);
        let link = format!("{PREFIX}{}", encode_base64url(&compressed));
        assert_eq!(open_permalink(&link), Err(ShareError::TooLarge));
    }

    #[test]
    fn a_link_over_the_length_limit_is_refused_before_decoding() {
        let limit = crate::limits::PERMALINK_CHARS;
        // Just under: read (and found damaged, since it is not DEFLATE data), not refused for length.
        let under = format!("{PREFIX}{}", "A".repeat(limit - PREFIX.len()));
        assert!(matches!(open_permalink(&under), Err(ShareError::Damaged(_))));
        let over = format!("#{PREFIX}{}", "A".repeat(limit - PREFIX.len() + 1));
        match open_permalink(&over) {
            Err(ShareError::LinkTooLong(m)) => assert!(m.starts_with("limit permalink-chars exceeded"), "{m}"),
            other => panic!("expected LinkTooLong, got {other:?}"),
        }
    }

    #[test]
    fn saves_are_versioned_and_corruption_is_reported() {
        let saved = save(
            r#"{"keyplay":1,"token":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"}"#,
            &json!({"platform": "ios"}),
            false,
        );
        let loaded = load(&saved).unwrap_or(Saved { document: String::new(), view: Value::Null });
        assert!(loaded.document.contains(REDACTED));
        assert_eq!(loaded.view, json!({"platform": "ios"}));
        assert_eq!(load(r#"{"keyplay-save": 9, "document": ""}"#), Err(ShareError::NewerSave(9)));
        assert!(matches!(load("{garbage"), Err(ShareError::CorruptSave(_))));
        assert!(load(r#"{"keyplay":1,"kind":"keychain"}"#).is_ok());
    }
}
