#![no_main]
//! Arbitrary bytes into the WebAuthn decoding paths: CBOR, authenticator data, COSE keys,
//! clientDataJSON, X.509, and whole documents of the webauthn kinds (the bytes as the
//! attestation object / authenticator data / signature / stored key). Nothing may panic.
use keyplay::attest::auth_data::{self, Rules};
use keyplay::attest::cbor;
use keyplay::attest::x509::Cert;
use keyplay::data::encode_base64url;
use keyplay::report::Printed;
use keyplay::webauthn::{client_data, cose};
use keyplay::Instant;
use libfuzzer_sys::fuzz_target;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const EXPECTED: &str = r#"{"challenge": "AAAA", "origin": "https://example.com", "rp-id": "example.com"}"#;

fuzz_target!(|data: &[u8]| {
    let _ = cbor::decode_prefix(data);
    let _ = auth_data::parse(data, Rules::WEBAUTHN);
    let _ = cose::from_cose(data);
    let _ = client_data::parse(data);
    let _ = Cert::parse(data);
    // base64url text never needs escaping inside a JSON string.
    let b = encode_base64url(data);
    let reg = format!(
        r#"{{"keyplay": 1, "kind": "webauthn-registration", "expected": {EXPECTED},
            "response": {{"id": "AQ", "rawId": "AQ", "type": "public-key",
                "response": {{"clientDataJSON": "e30", "attestationObject": "{b}"}}}}}}"#
    );
    let _ = run_text(&reg, Instant(1_795_867_200));
    let auth = format!(
        r#"{{"keyplay": 1, "kind": "webauthn-authentication", "expected": {EXPECTED}, "public-key": {{"cose": "{b}"}},
            "response": {{"id": "AQ", "rawId": "AQ", "type": "public-key",
                "response": {{"clientDataJSON": "{b}", "authenticatorData": "{b}", "signature": "{b}"}}}}}}"#
    );
    let _ = run_text(&auth, Instant(1_795_867_200));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = run_text(text, Instant(1_795_867_200));
    }
});
