#![no_main]
//! Arbitrary bytes into the jwt engine's decoding paths: the compact-JWS decoder, the PEM /
//! PKCS#8 key readers, JWKs, and whole `jwt` / `apple-client-secret-request` documents under
//! each profile. None may panic. (Only `keyplay` is a dependency of the fuzz crate, so the
//! documents are built as text.)
use keyplay::report::Printed;
use libfuzzer_sys::fuzz_target;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

/// A JSON string literal for `text`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = keyplay::jwt::token::decode(&text);
    let _ = keyplay::jwt::pem::read(&text);
    let _ = keyplay::jwt::keys::read_p8(&text, &mut Vec::new());
    let _ = keyplay::jwt::keys::KeySet::from_pem(&text);
    let now = keyplay::Instant(1_795_867_200);
    // The raw input as a JWK inside a JWKS (most inputs are not JSON: a document error, fine).
    let jwks_doc =
        format!(r#"{{"keyplay":1,"kind":"jwt","profile":"generic","token":"e30.e30.AA","keys":{{"keys":[{text}]}}}}"#);
    let _ = run_text(&jwks_doc, now);
    // Split the input: the first half is the token, the second the key text.
    let middle = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
    let (token, key) = text.split_at(middle);
    let (token, key) = (quote(token), quote(key));
    for profile in ["apple-client-secret", "apple-identity-token", "generic"] {
        for field in ["p8", "pem"] {
            let doc = format!(
                r#"{{"keyplay":1,"kind":"jwt","profile":"{profile}","token":{token},"keys":{{"{field}":{key}}},
                "expected":{{"nonce":"n","audience":"a","team-id":"SKMME9E2Y8","key-id":"ABC123DEFG"}},
                "troubleshoot":{{"error":"invalid_client","identity-token":{key},"request":{{"code":{key},"client_id":"c"}}}}}}"#
            );
            let _ = run_text(&doc, now);
        }
    }
    let request = format!(
        r#"{{"keyplay":1,"kind":"apple-client-secret-request","p8":{key},"team-id":{token},"key-id":"K","client-id":"C","lifetime-seconds":60}}"#
    );
    let _ = run_text(&request, now);
});
