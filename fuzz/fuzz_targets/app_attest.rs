#![no_main]
//! Arbitrary bytes into every App Attest decoding path: as an attestation object, as an
//! assertion object, as authenticator data, as a BER receipt, as a nonce extension value.
//! The engine must answer with a verdict (never a panic, never an unbounded allocation).
use keyplay::app_attest::{cms, receipt};
use keyplay::attest::auth_data::{self, Rules};
use keyplay::attest::{apple_nonce, cbor};
use keyplay::report::Printed;
use keyplay::Instant;
use libfuzzer_sys::fuzz_target;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const PEM: &str = "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiMA0oZCqfbxaBhUBxlQoA5QlghmL\\n\
PxzFRnPKO5rSC0FSgmelT1/boEafr7RrtpkKOWvwT5SknUMgyBx6skCjmA==\\n-----END PUBLIC KEY-----\\n";
const NOW: Instant = Instant(1_611_404_013); // 2021-01-23T12:13:33Z, inside the iOS 14.4 vector's validity

fuzz_target!(|data: &[u8]| {
    let encoded = keyplay::data::encode_base64(data);
    let attestation = format!(
        r#"{{"keyplay": 1, "kind": "app-attest", "attestation": "{encoded}",
            "key-id": "YmbJO4x5nEHUvncp9zdWuVZjNBEMgJn3cdSToAXQe3M=", "client-data": {{"utf8": "wurzelpfropf"}},
            "app-id": "6MURL8TA57.de.vincent-haupert.apple-appattest-poc", "environment": "development",
            "now": "2021-01-23T12:13:33Z"}}"#
    );
    let out = run_text(&attestation, NOW);
    assert_ne!(out.exit, 2, "bad artefacts are verdicts, not document errors");
    let assertion = format!(
        r#"{{"keyplay": 1, "kind": "app-attest-assertion", "assertion": "{encoded}",
            "client-data": {{"utf8": "wurzelpfropf"}}, "public-key": {{"pem": "{PEM}"}},
            "app-id": "6MURL8TA57.de.vincent-haupert.apple-appattest-poc", "previous-counter": 0}}"#
    );
    let out = run_text(&assertion, NOW);
    assert_ne!(out.exit, 2, "bad artefacts are verdicts, not document errors");
    let _ = cbor::decode_prefix(data);
    let _ = auth_data::parse(data, Rules::APP_ATTEST_ATTESTATION);
    let _ = auth_data::parse(data, Rules::APP_ATTEST_ASSERTION);
    let _ = cms::parse(data);
    let _ = cms::payload_fields(data);
    let _ = receipt::inspect(data, NOW);
    let _ = apple_nonce::decode(data);
});
