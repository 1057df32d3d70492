#![no_main]
//! Arbitrary bytes into the server-side Sign in with Apple and DeviceCheck parsers: the URL
//! splitter, the host and operation lookups, and whole documents of kinds
//! `apple-token-request`, `devicecheck-request`, `devicecheck-network`, `siwa-explain` and
//! `jwt` (profile `apple-server-notification`). None may panic. Documents are built as text
//! (the fuzz crate depends only on `keyplay`).
use libfuzzer_sys::fuzz_target;

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
    let now = keyplay::Instant(1_795_867_200);
    let _ = keyplay::endpoint::split(&text);
    let _ = keyplay::devicecheck::network::find_host(&text);
    let _ = keyplay::devicecheck::network::find_operation(&text);
    let _ = keyplay::app_attest::dcerror::lookup(&text);
    let q = quote(&text);
    let docs = [
        // The raw input as the form / body (mostly not JSON: a document error, fine), then as values.
        format!(
            r#"{{"keyplay":1,"kind":"apple-token-request","url":"https://appleid.apple.com/auth/revoke","form":{text}}}"#
        ),
        format!(
            r#"{{"keyplay":1,"kind":"apple-token-request","url":{q},"content-type":{q},"authorization":{q},
            "form":{{"client_id":{q},"client_secret":{q},"token":{q},"token_type_hint":{q},"sub":{q},"target":{q},"transfer_sub":{q}}},
            "transfer":{{"transferring-team":{q},"recipient-team":"K2Q7ZT4X9B","client-id":{q},"grouped":true}},
            "response":{{"error":{q}}}}}"#
        ),
        format!(
            r#"{{"keyplay":1,"kind":"devicecheck-request","url":"https://api.devicecheck.apple.com/v1/update_two_bits","body":{text}}}"#
        ),
        format!(
            r#"{{"keyplay":1,"kind":"devicecheck-request","url":{q},"authorization":{q},
            "body":{{"device_token":{q},"transaction_id":{q},"timestamp":{q},"bit0":{q}}},"response":{{"status":200,"body":{q}}}}}"#
        ),
        format!(r#"{{"keyplay":1,"kind":"devicecheck-network","host":{q},"operation":{q},"error":{q},"network":{q}}}"#),
        format!(r#"{{"keyplay":1,"kind":"siwa-explain","topic":{q},"renamed":[{q}]}}"#),
        format!(
            r#"{{"keyplay":1,"kind":"jwt","profile":"apple-server-notification","token":{q},"expected":{{"audience":{q}}}}}"#
        ),
    ];
    for doc in &docs {
        let _ = keyplay::run_text(doc, now);
    }
});
