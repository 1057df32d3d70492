//! Authenticator-data extensions that newer OS versions (iOS 27+) append after the COSE key:
//! `apple_validation_category_01` (4-byte little-endian number) and `apple_bundle_version_01`.
//! They are risk signals to show, never reasons to reject.

use crate::attest::cbor;
use ciborium::Value;
use serde_json::json;

/// Launch validation categories (numbering from Apple's launch-constraint documentation as
/// a third-party library reports it; unverified against Apple's App Attest docs).
fn category_name(n: u32) -> &'static str {
    match n {
        1 => "Platform",
        2 => "TestFlight",
        3 => "Development",
        4 => "App Store",
        5 => "Enterprise / ad hoc",
        6 => "Developer ID",
        10 => "None",
        _ => "unknown category",
    }
}

/// A report view of the extensions map.
pub fn describe(value: &Value) -> serde_json::Value {
    let mut out = json!({ "raw": cbor::to_json(value) });
    let Some(entries) = cbor::as_map(value) else { return out };
    for key in ["apple_validation_category_01", "validationCategory"] {
        let number = match cbor::get(entries, key) {
            Some(Value::Bytes(b)) => <[u8; 4]>::try_from(b.as_slice()).ok().map(u32::from_le_bytes),
            Some(Value::Integer(i)) => u32::try_from(i128::from(*i)).ok(),
            _ => None,
        };
        if let Some(n) = number {
            out["validation-category"] = json!({ "value": n, "name": category_name(n) });
        }
    }
    for key in ["apple_bundle_version_01", "bundleVersion"] {
        if let Some(Value::Text(t)) = cbor::get(entries, key) {
            out["bundle-version"] = json!(t);
        }
    }
    out
}
