//! The report view of App Attest authenticator data.

use crate::attest::auth_data::AuthData;
use crate::attest::cbor;
use serde_json::json;

/// The aaguid as text when it is printable (trailing zero bytes shown as `\0`), else hex.
pub fn aaguid_text(aaguid: &[u8]) -> String {
    let printable = aaguid.iter().rposition(|b| *b != 0).map_or(0, |last| last + 1);
    let (text, zeros) = aaguid.split_at(printable);
    match std::str::from_utf8(text) {
        Ok(text) if text.chars().all(|c| c.is_ascii_graphic()) => {
            format!("{text}{}", "\\0".repeat(zeros.len()))
        }
        _ => hex::encode(aaguid),
    }
}

/// `authenticator-data`: rpIdHash, flags, counter, the attested credential data and any
/// extensions (decoded when they are one CBOR item, else shown as bytes).
pub fn auth_data(ad: &AuthData) -> serde_json::Value {
    let mut out = json!({
        "rp-id-hash": hex::encode(ad.rp_id_hash),
        "flags": ad.flags.to_json(),
        "counter": ad.counter,
    });
    if let Some(att) = &ad.attested {
        out["aaguid"] = json!(aaguid_text(&att.aaguid));
        out["credential-id"] = json!({ "base64": crate::data::encode_base64(&att.credential_id) });
        out["cose-key"] = cbor::to_json(&att.public_key);
    }
    if let Some(extensions) = &ad.extensions {
        out["extensions"] = match &extensions.value {
            Some(v) => super::extensions::describe(v),
            None => json!({ "unparsed": crate::data::Bytes(extensions.raw.clone()).to_json() }),
        };
    }
    out
}
