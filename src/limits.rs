//! The largest inputs Keyplay accepts, in one table ([`TABLE`], documented in
//! `docs/limits.md`), and the checks that refuse anything larger before any expensive work.
//!
//! [`check_document_text`] runs first on every document: it measures the text, then walks it
//! once with serde_json without building anything (no `Value`, no strings copied) to bound its
//! nesting, its keychain's size and its steps. Only a document that passes is parsed for real.
//! The validators' own bounds (token, CBOR, DER, …) stay next to their parsers; the table
//! points at those constants so there is one number for each limit.
//!
//! Pure engine code: no I/O, no clock.

use crate::document::DocError;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

/// The largest document, in bytes of JSON text (the same bound a permalink expands to).
pub const DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
/// The deepest nesting of arrays and objects in a document (the shipped documents need 8).
pub const JSON_DEPTH: usize = 32;
/// The most steps a keychain document may have. The engine's work grows with steps × items
/// (a search looks at every item of its class), so these two bound the time a run takes.
/// 1 200 leaves room for a document that fills a 1 000-item keychain by its own steps and then
/// works on it (the "50 steps over 1 000 items" of the page benchmark has 1 050 steps).
pub const STEPS: usize = 1_200;
/// The most items a keychain document's initial `keychain` may hold.
pub const KEYCHAIN_ITEMS: usize = 1_000;
/// The longest string inside `keychain` or `steps` (an attribute, a value's text), in bytes.
pub const VALUE_BYTES: usize = 16 * 1024;
/// The most items a keychain document's steps may return in total (the sum of every step's
/// `count`); steps past it still run, but their `result` is left out of the report.
pub const RESULT_ITEMS: usize = 2_000;
/// The most bytes, as compact JSON, a keychain document's steps may return in total; steps
/// past it still run, but their `result` is left out of the report. Half the largest
/// document, so that a report stays proportional to the document that asked for it (held as
/// JSON values, results take about three times their compact text).
pub const RESULT_BYTES: usize = DOCUMENT_BYTES / 2;
/// The longest Swift or Objective-C source the importer reads, in bytes.
pub const SWIFT_SOURCE_BYTES: usize = crate::codegen::MAX_SOURCE_BYTES;
/// The longest permalink fragment read, in characters (after `#`).
pub const PERMALINK_CHARS: usize = 1024 * 1024;

/// One limit: its name (used in error messages), its value and what it bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: usize,
    pub unit: &'static str,
    pub what: &'static str,
    /// Where it is enforced.
    pub checked_by: &'static str,
}

/// Every limit Keyplay enforces.
pub const TABLE: &[Limit] = &[
    Limit {
        name: "document-bytes",
        max: DOCUMENT_BYTES,
        unit: "bytes",
        what: "a document's JSON text",
        checked_by: "limits::check_document_text",
    },
    Limit {
        name: "json-depth",
        max: JSON_DEPTH,
        unit: "levels",
        what: "nesting of arrays and objects in a document",
        checked_by: "limits::check_document_text",
    },
    Limit {
        name: "steps",
        max: STEPS,
        unit: "steps",
        what: "a keychain document's steps",
        checked_by: "limits::check_document_text",
    },
    Limit {
        name: "keychain-items",
        max: KEYCHAIN_ITEMS,
        unit: "items",
        what: "a keychain document's initial keychain",
        checked_by: "limits::check_document_text",
    },
    Limit {
        name: "value-bytes",
        max: VALUE_BYTES,
        unit: "bytes",
        what: "one string in a keychain document's keychain or steps",
        checked_by: "limits::check_document_text",
    },
    Limit {
        name: "result-items",
        max: RESULT_ITEMS,
        unit: "items",
        what: "items all steps of a keychain document return together (later results are left out)",
        checked_by: "keychain::run::run_steps",
    },
    Limit {
        name: "result-bytes",
        max: RESULT_BYTES,
        unit: "bytes",
        what:
            "the results all steps of a keychain document return together, as compact JSON (later results are left out)",
        checked_by: "keychain::run::run_steps",
    },
    Limit {
        name: "swift-source-bytes",
        max: SWIFT_SOURCE_BYTES,
        unit: "bytes",
        what: "Swift or Objective-C source given to the importer",
        checked_by: "codegen::import",
    },
    Limit {
        name: "permalink-chars",
        max: PERMALINK_CHARS,
        unit: "characters",
        what: "a permalink's fragment",
        checked_by: "share::open_permalink",
    },
    Limit {
        name: "permalink-expanded-bytes",
        max: crate::share::MAX_DOCUMENT_BYTES,
        unit: "bytes",
        what: "the document a permalink inflates to",
        checked_by: "share::open_permalink",
    },
    Limit {
        name: "jwt-token-bytes",
        max: crate::jwt::token::MAX_TOKEN_LEN,
        unit: "bytes",
        what: "a compact JWS",
        checked_by: "jwt::token::decode",
    },
    Limit {
        name: "jwt-pem-bytes",
        max: crate::jwt::pem::MAX_PEM_LEN,
        unit: "bytes",
        what: "a PEM key or certificate given to the JWT validator",
        checked_by: "jwt::pem::read",
    },
    Limit {
        name: "jwks-keys",
        max: crate::jwt::keys::MAX_JWKS_KEYS,
        unit: "keys",
        what: "keys in a JWKS",
        checked_by: "jwt::keys",
    },
    Limit {
        name: "attestation-cbor-bytes",
        max: crate::attest::cbor::MAX_CBOR_BYTES,
        unit: "bytes",
        what: "a CBOR object of App Attest or WebAuthn (attestation, assertion, COSE key)",
        checked_by: "attest::cbor",
    },
    Limit {
        name: "attestation-cbor-depth",
        max: crate::attest::cbor::MAX_CBOR_DEPTH,
        unit: "levels",
        what: "nesting in an App Attest or WebAuthn CBOR object",
        checked_by: "attest::cbor",
    },
    Limit {
        name: "app-attest-receipt-bytes",
        max: crate::app_attest::cms::MAX_RECEIPT_BYTES,
        unit: "bytes",
        what: "an App Attest receipt (CMS, BER)",
        checked_by: "app_attest::cms::parse",
    },
    Limit {
        name: "app-attest-receipt-certificates",
        max: crate::app_attest::cms::MAX_CERTIFICATES,
        unit: "certificates",
        what: "certificates read from a receipt",
        checked_by: "app_attest::cms::parse",
    },
    Limit {
        name: "webauthn-field-chars",
        max: crate::webauthn::response::MAX_FIELD,
        unit: "characters",
        what: "one base64url field of a WebAuthn response",
        checked_by: "webauthn::response",
    },
    Limit {
        name: "webauthn-client-data-bytes",
        max: crate::webauthn::client_data::MAX_CLIENT_DATA,
        unit: "bytes",
        what: "clientDataJSON",
        checked_by: "webauthn::client_data::parse",
    },
    Limit {
        name: "webauthn-certificate-bytes",
        max: crate::attest::x509::MAX_CERT_BYTES,
        unit: "bytes",
        what: "one DER certificate in x5c",
        checked_by: "attest::x509",
    },
    Limit {
        name: "webauthn-chain-certificates",
        max: crate::attest::x509::MAX_CHAIN,
        unit: "certificates",
        what: "certificates in x5c",
        checked_by: "attest::x509",
    },
    Limit {
        name: "credential-id-bytes",
        max: crate::attest::auth_data::MAX_CREDENTIAL_ID,
        unit: "bytes",
        what: "a credential id in authenticator data",
        checked_by: "attest::auth_data",
    },
    Limit {
        name: "rsa-bits",
        max: crate::attest::key::MAX_RSA_BITS,
        unit: "bits",
        what: "an RSA key's modulus (COSE or certificate)",
        checked_by: "attest::key",
    },
];

/// A writer that keeps nothing and counts the bytes it is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted(pub usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The length of a value's compact JSON text, counted as it is written (nothing is kept).
pub fn json_len(value: &impl serde::Serialize) -> usize {
    let mut counted = Counted(0);
    // Writing to a counter cannot fail; a value that cannot be serialised counts what it wrote.
    let _ = serde_json::to_writer(&mut counted, value);
    counted.0
}

/// The message for `actual` over the limit `name`: names the limit and points at the table.
pub fn over(name: &str, actual: usize) -> String {
    let limit = TABLE.iter().find(|l| l.name == name);
    let (max, unit, what) = limit.map_or((0, "", name), |l| (l.max, l.unit, l.what));
    format!("limit {name} exceeded: {what} may have at most {max} {unit}, this has {actual} (see docs/limits.md)")
}

/// Refuses a document over [`DOCUMENT_BYTES`], nested deeper than [`JSON_DEPTH`], with more
/// than [`STEPS`] steps or [`KEYCHAIN_ITEMS`] initial items, or with a string longer than
/// [`VALUE_BYTES`] in its keychain or steps. Text that is not JSON passes (the parser that
/// follows explains what is wrong with it).
pub fn check_document_text(text: &str) -> Result<(), DocError> {
    if text.len() > DOCUMENT_BYTES {
        return Err(DocError::new("", over("document-bytes", text.len())));
    }
    let mut scan = Scan { path: Vec::new(), found: None };
    let mut reader = serde_json::Deserializer::from_str(text);
    // A syntax error ends the walk without a finding: the real parse reports it.
    let _ = Node { scan: &mut scan }.deserialize(&mut reader);
    scan.found.map_or(Ok(()), Err)
}

/// Refuses Swift or Objective-C source over [`SWIFT_SOURCE_BYTES`].
pub fn check_swift_source(source: &str) -> Result<(), DocError> {
    if source.len() > SWIFT_SOURCE_BYTES {
        return Err(DocError::new("", over("swift-source-bytes", source.len())));
    }
    Ok(())
}

/// Refuses a permalink fragment over [`PERMALINK_CHARS`].
pub fn check_permalink(fragment: &str) -> Result<(), DocError> {
    if fragment.len() > PERMALINK_CHARS {
        return Err(DocError::new("", over("permalink-chars", fragment.len())));
    }
    Ok(())
}

enum Seg<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

/// The walk's state: where it is, and the first limit found exceeded.
struct Scan<'de> {
    path: Vec<Seg<'de>>,
    found: Option<DocError>,
}

impl Scan<'_> {
    fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    out.push('/');
                    out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => out.push_str(&format!("/{i}")),
            }
        }
        out
    }

    /// The top-level field the walk is in, when it is `keychain` or `steps`.
    fn in_keychain_or_steps(&self) -> bool {
        matches!(self.path.first(), Some(Seg::Key(k)) if k == "keychain" || k == "steps")
    }

    fn fail<E: de::Error>(&mut self, name: &str, actual: usize) -> E {
        self.found = Some(DocError::new(self.pointer(), over(name, actual)));
        E::custom(name)
    }

    fn string<E: de::Error>(&mut self, len: usize) -> Result<(), E> {
        if len > VALUE_BYTES && self.in_keychain_or_steps() {
            return Err(self.fail("value-bytes", len));
        }
        Ok(())
    }

    fn enter<E: de::Error>(&mut self) -> Result<(), E> {
        // `path` holds one segment per container entered so far.
        if self.path.len() >= JSON_DEPTH {
            return Err(self.fail("json-depth", self.path.len() + 1));
        }
        Ok(())
    }

    /// The count limit for the array at the current path, if it has one.
    fn array_limit(&self) -> Option<(&'static str, usize)> {
        match self.path.as_slice() {
            [Seg::Key(k)] if k == "steps" => Some(("steps", STEPS)),
            [Seg::Key(k)] if k == "keychain" => Some(("keychain-items", KEYCHAIN_ITEMS)),
            _ => None,
        }
    }
}

/// One JSON value, walked and dropped.
struct Node<'s, 'de> {
    scan: &'s mut Scan<'de>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scan.string(v.len())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.scan.enter()?;
        let limit = self.scan.array_limit();
        let mut index = 0;
        loop {
            if let Some((name, max)) = limit {
                if index == max {
                    // One more element means the array is over: count it, refuse it.
                    self.scan.path.push(Seg::Index(index));
                    let more = seq.next_element_seed(Node { scan: self.scan });
                    let result = match more {
                        Ok(Some(())) => Err(self.scan.fail(name, max + 1)),
                        other => other.map(|_| ()),
                    };
                    self.scan.path.pop();
                    return result;
                }
            }
            self.scan.path.push(Seg::Index(index));
            let next = seq.next_element_seed(Node { scan: self.scan });
            self.scan.path.pop();
            if next?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.scan.enter()?;
        while let Some(key) = map.next_key_seed(Key)? {
            #[cfg(all(debug_assertions, not(fuzzing)))]
            test_panic(&self.scan.path, &key);
            let len = key.len();
            self.scan.path.push(Seg::Key(key));
            self.scan.string(len)?;
            let value = map.next_value_seed(Node { scan: self.scan });
            self.scan.path.pop();
            value?;
        }
        Ok(())
    }
}

/// The field a test puts at the top of a document to make the engine panic: how the browser
/// tests prove that a panic in an engine call shows the banner and keeps the document.
/// Honoured only in debug builds (the tests'), never in a release build (the page, the command
/// line), nor under the fuzzer.
pub const TEST_PANIC_FIELD: &str = "x-keyplay-test-panic";

#[cfg(all(debug_assertions, not(fuzzing)))]
#[allow(clippy::panic)] // the one deliberate panic: the browser tests' trigger, never in release
fn test_panic(path: &[Seg<'_>], key: &str) {
    if path.is_empty() && key == TEST_PANIC_FIELD {
        // A deliberate panic, for tests only (see above).
        panic!("{TEST_PANIC_FIELD}: the test-only panic trigger");
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keychain_doc(items: usize, steps: usize) -> String {
        let item = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s"});
        json!({"keyplay": 1, "kind": "keychain", "keychain": vec![item; items], "steps": vec![json!({"reboot": {}}); steps]})
            .to_string()
    }

    fn nested(depth: usize) -> String {
        // `depth` levels in all: the document object, then arrays inside `notes`-like `x-deep`.
        format!(r#"{{"keyplay": 1, "x-deep": {}{}}}"#, "[".repeat(depth - 1), "]".repeat(depth - 1))
    }

    fn limit_error(text: &str) -> DocError {
        match check_document_text(text) {
            Err(e) => e,
            Ok(()) => DocError::new("", "accepted"),
        }
    }

    #[test]
    fn document_size_just_under_is_accepted_and_just_over_is_refused() {
        let base = r#"{"keyplay": 1, "notes": ""}"#;
        let pad = DOCUMENT_BYTES - base.len();
        let under = format!(r#"{{"keyplay": 1, "notes": "{}"}}"#, "n".repeat(pad));
        assert_eq!(under.len(), DOCUMENT_BYTES);
        assert_eq!(check_document_text(&under), Ok(()));
        let over_by_one = format!(r#"{{"keyplay": 1, "notes": "{}"}}"#, "n".repeat(pad + 1));
        let e = limit_error(&over_by_one);
        assert_eq!(e.path, "");
        assert!(e.message.starts_with("limit document-bytes exceeded"), "{}", e.message);
        assert!(e.message.contains(&format!("at most {DOCUMENT_BYTES} bytes, this has {}", DOCUMENT_BYTES + 1)));
    }

    #[test]
    fn nesting_just_under_is_accepted_and_just_over_is_refused() {
        assert_eq!(check_document_text(&nested(JSON_DEPTH)), Ok(()));
        let e = limit_error(&nested(JSON_DEPTH + 1));
        assert!(e.message.starts_with("limit json-depth exceeded"), "{}", e.message);
        assert_eq!(e.path, format!("/x-deep{}", "/0".repeat(JSON_DEPTH - 1)));
        // Far deeper than serde_json's own recursion limit: still our error, not a crash.
        assert!(limit_error(&nested(100_000)).message.starts_with("limit json-depth"));
    }

    #[test]
    fn steps_and_items_just_under_are_accepted_and_just_over_are_refused() {
        assert_eq!(check_document_text(&keychain_doc(KEYCHAIN_ITEMS, STEPS)), Ok(()));
        let e = limit_error(&keychain_doc(0, STEPS + 1));
        assert_eq!(e.path, format!("/steps/{STEPS}"));
        assert!(e.message.starts_with("limit steps exceeded"), "{}", e.message);
        assert!(e.message.contains(&format!("this has {}", STEPS + 1)));
        let e = limit_error(&keychain_doc(KEYCHAIN_ITEMS + 1, 0));
        assert_eq!(e.path, format!("/keychain/{KEYCHAIN_ITEMS}"));
        assert!(e.message.starts_with("limit keychain-items exceeded"), "{}", e.message);
        // Arrays elsewhere are not counted as steps.
        let elsewhere = json!({"keyplay": 1, "x-list": vec![0; STEPS + 1]}).to_string();
        assert_eq!(check_document_text(&elsewhere), Ok(()));
    }

    #[test]
    fn value_size_just_under_is_accepted_and_just_over_is_refused() {
        let doc = |len: usize| {
            json!({"keyplay": 1, "kind": "keychain", "steps": [{"SecItemAdd": {
                "kSecClass": "kSecClassGenericPassword", "kSecValueData": {"utf8": "v".repeat(len)}}}]})
            .to_string()
        };
        assert_eq!(check_document_text(&doc(VALUE_BYTES)), Ok(()));
        let e = limit_error(&doc(VALUE_BYTES + 1));
        assert_eq!(e.path, "/steps/0/SecItemAdd/kSecValueData/utf8");
        assert!(e.message.starts_with("limit value-bytes exceeded"), "{}", e.message);
        // Escaped text is measured as the string it decodes to.
        let escaped = format!(r#"{{"keychain": [{{"kSecAttrAccount": "{}"}}]}}"#, "\\u0041".repeat(VALUE_BYTES + 1));
        assert!(limit_error(&escaped).message.starts_with("limit value-bytes"));
        // Validator documents carry artefacts longer than a keychain value: not this limit.
        let token = json!({"keyplay": 1, "kind": "jwt", "token": "t".repeat(VALUE_BYTES + 1)}).to_string();
        assert_eq!(check_document_text(&token), Ok(()));
    }

    #[test]
    fn text_that_is_not_json_is_left_to_the_parser() {
        assert_eq!(check_document_text("{"), Ok(()));
        assert_eq!(check_document_text("[1, 2,"), Ok(()));
        assert_eq!(check_document_text(""), Ok(()));
    }

    #[test]
    fn swift_source_and_permalink_limits_name_themselves() {
        assert_eq!(check_swift_source(&"a".repeat(SWIFT_SOURCE_BYTES)), Ok(()));
        let e = check_swift_source(&"a".repeat(SWIFT_SOURCE_BYTES + 1)).err().map(|e| e.message).unwrap_or_default();
        assert!(e.starts_with("limit swift-source-bytes exceeded"), "{e}");
        assert_eq!(check_permalink(&"a".repeat(PERMALINK_CHARS)), Ok(()));
        let e = check_permalink(&"a".repeat(PERMALINK_CHARS + 1)).err().map(|e| e.message).unwrap_or_default();
        assert!(e.starts_with("limit permalink-chars exceeded"), "{e}");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "the test-only panic trigger")]
    fn the_test_panic_field_panics_in_debug_builds() {
        let _ = crate::run_text(r#"{"keyplay": 1, "x-keyplay-test-panic": true}"#, crate::Instant(0));
    }

    #[test]
    fn the_test_panic_field_only_counts_at_the_top() {
        assert_eq!(check_document_text(r#"{"keyplay": 1, "x": {"x-keyplay-test-panic": true}}"#), Ok(()));
    }

    #[test]
    fn every_limit_has_a_unique_name_and_a_positive_bound() {
        let mut names: Vec<&str> = TABLE.iter().map(|l| l.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLE.len());
        assert!(TABLE.iter().all(|l| l.max > 0));
        assert!(over("steps", 7).contains("at most 1200 steps, this has 7"));
    }
}
