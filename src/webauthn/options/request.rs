//! Lints specific to PublicKeyCredentialRequestOptions.

use super::shared::{self, b64url};
use super::Lints;
use crate::webauthn::WebauthnCheck as Id;
use serde_json::{Map, Value};

const KNOWN: &[&str] = &["challenge", "timeout", "rpId", "allowCredentials", "userVerification", "hints", "extensions"];

/// Runs every request lint.
pub fn lint(o: &Map<String, Value>, host: Option<&str>, l: &mut Lints) {
    if o.get("challenge").is_some_and(Value::is_string) {
        l.pass(Id::RequiredMembers, "challenge is present");
    } else {
        l.fire(
            Id::RequiredMembers,
            "challenge is missing or not a string: TypeError",
            "challenge (base64url)",
            "absent",
            "the server did not send the challenge, or sent it under another name",
        );
    }
    shared::unknown_members(o, KNOWN, l);
    shared::rp_id_lint(o.get("rpId"), host, l);
    shared::challenge(o, l);
    shared::user_verification(o.get("userVerification"), l);
    shared::timeout(o.get("timeout"), l);
    shared::descriptors(Id::AllowCredentials, "allowCredentials", o.get("allowCredentials"), l);
    if let Some(items) = o.get("allowCredentials").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate().take(1000) {
            if let Some(Err(e)) = item.get("id").and_then(Value::as_str).map(b64url) {
                l.note_encoding(&format!("allowCredentials[{i}].id"), &e);
            }
        }
    }
}
