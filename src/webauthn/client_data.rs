//! CollectedClientData (`clientDataJSON`, WebAuthn `#dictionary-client-data`) and the
//! checks every ceremony runs on it: type, challenge, origin, crossOrigin.

use crate::data::{decode_base64, encode_base64url};
use crate::validator::Check;
use crate::webauthn::WebauthnCheck as Id;
use serde_json::{json, Value};

/// Largest clientDataJSON accepted (64 KiB; real ones are ~200 bytes).
pub const MAX_CLIENT_DATA: usize = 64 * 1024;

/// The fields the checks need, as found.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientData {
    pub kind: Option<String>,
    pub challenge: Option<String>,
    pub origin: Option<String>,
    pub cross_origin: Option<bool>,
    pub top_origin: Option<String>,
    pub json: Value,
}

/// Decodes the UTF-8 JSON (a leading BOM is dropped, as the spec's UTF-8 decode does).
pub fn parse(bytes: &[u8]) -> Result<ClientData, String> {
    if bytes.len() > MAX_CLIENT_DATA {
        return Err(format!("clientDataJSON of {} bytes exceeds the {MAX_CLIENT_DATA}-byte limit", bytes.len()));
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| format!("clientDataJSON is not UTF-8: {e}"))?;
    let json: Value = serde_json::from_str(text).map_err(|e| format!("clientDataJSON is not JSON: {e}"))?;
    if !json.is_object() {
        return Err("clientDataJSON is not a JSON object".into());
    }
    let text_field = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(ClientData {
        kind: text_field("type"),
        challenge: text_field("challenge"),
        origin: text_field("origin"),
        cross_origin: json.get("crossOrigin").and_then(Value::as_bool),
        top_origin: text_field("topOrigin"),
        json: json.clone(),
    })
}

/// What the relying party expected, common to both ceremonies.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected<'a> {
    pub challenge: &'a str,
    pub origin: &'a str,
    pub allow_cross_origin: bool,
}

/// 3./4./5./6. of the registration checklist (and the same steps of authentication):
/// type, challenge, origin, crossOrigin.
pub fn checks(cd: &ClientData, want_type: &str, expected: &Expected) -> Vec<Check> {
    let mut out = Vec::new();
    // type must be exactly "webauthn.create" / "webauthn.get".
    out.push(match cd.kind.as_deref() {
        Some(t) if t == want_type => Check::pass(Id::ClientDataType, format!("type is {want_type}")),
        found => {
            let cause = match found {
                Some("webauthn.get" | "webauthn.create") => {
                    "a response of the other ceremony was sent (an assertion where a registration was expected, or the reverse)"
                }
                Some("payment.get") => "a Secure Payment Confirmation response, not a plain WebAuthn one",
                _ => "the client data was not produced by a WebAuthn client",
            };
            Check::fail(Id::ClientDataType, "clientDataJSON.type is not the one this ceremony produces")
                .expected_found(want_type, found.unwrap_or("(missing)"))
                .cause(cause)
        }
    });
    // challenge must be the base64url of the challenge the RP issued (compared as bytes).
    let want = decode_base64(expected.challenge).ok();
    let got = cd.challenge.as_deref().map(decode_base64);
    out.push(match (&want, &got) {
        (Some(w), Some(Ok(g))) if w == g => Check::pass(Id::Challenge, "challenge matches the issued one"),
        (_, None) => Check::fail(Id::Challenge, "clientDataJSON has no challenge")
            .expected_found(expected.challenge, "(missing)")
            .cause("the client data is incomplete or was not produced by a WebAuthn client"),
        (_, Some(Err(e))) => Check::fail(Id::Challenge, format!("challenge in clientDataJSON is not base64url: {e}"))
            .expected_found(expected.challenge, cd.challenge.clone().unwrap_or_default())
            .cause("the client data was edited or hand-built"),
        (None, _) => Check::fail(Id::Challenge, "the expected challenge in the document is not base64url")
            .expected_found("base64url text", expected.challenge)
            .cause("write the challenge as the server issued it, base64url-encoded"),
        (Some(w), Some(Ok(g))) => Check::fail(Id::Challenge, "challenge differs from the one issued")
            .expected_found(encode_base64url(w), encode_base64url(g))
            .cause("a stale or replayed response, a challenge from another session, or the server compared against the wrong stored challenge"),
    });
    // origin must be an origin the RP expects (exact string match).
    out.push(match cd.origin.as_deref() {
        Some(o) if o == expected.origin => Check::pass(Id::Origin, format!("origin is {o}")),
        found => {
            let f = found.unwrap_or("(missing)");
            let cause = if f.starts_with("android:apk-key-hash:") {
                "an Android app made this call; its origin is the app's signing-key hash, which must be in the RP's allow-list"
            } else if f.trim_end_matches('/') == expected.origin.trim_end_matches('/') {
                "the origins differ only by a trailing slash; origins have no path, so the expected value is written wrongly"
            } else {
                "the response comes from another site or port (phishing, a staging host, or a missing entry in the RP's allowed origins)"
            };
            Check::fail(Id::Origin, "clientDataJSON.origin is not the expected origin")
                .expected_found(expected.origin, f)
                .cause(cause)
        }
    });
    // crossOrigin true means the call came from an iframe of another origin.
    out.push(match (cd.cross_origin, expected.allow_cross_origin) {
        (Some(true), false) => Check::fail(Id::CrossOrigin, "the ceremony ran in a cross-origin iframe")
            .expected_found("crossOrigin false or absent", format!("crossOrigin true, topOrigin {}", cd.top_origin.as_deref().unwrap_or("(absent)")))
            .cause("an embedding page ran the ceremony; accept it only if you set expected.cross-origin and trust the top origin"),
        (Some(true), true) => Check::pass(Id::CrossOrigin, format!("cross-origin call accepted (topOrigin {})", cd.top_origin.as_deref().unwrap_or("absent"))),
        _ => Check::pass(Id::CrossOrigin, "not a cross-origin call"),
    });
    out
}

/// The decoded client data for the report.
pub fn detail(cd: &ClientData) -> Value {
    json!(cd.json)
}
