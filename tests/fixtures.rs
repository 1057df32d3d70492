//! Fixture sets (`keyplay::fixtures::derive`): for every valid validator example of the gallery,
//! every derived negative is run through `keyplay::run::run_text` and must
//! - not be valid, and meet its own `expect` (`{"valid": false, "failed": fails}`);
//! - run exactly the checks the original runs, in the same order (same ids);
//! - fail exactly the checks its `fails` names: each of them passes in the original and fails
//!   here, and every other check has the outcome it has in the original (pass stays pass).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

use keyplay::fixtures::{self, FixtureSet, Method};
use keyplay::gallery::EXAMPLES;
use keyplay::report::Report;
use keyplay::validator::Verdict;
use keyplay::Instant;
use serde_json::{json, Value};

/// Documents without `now` run at this time (assertions carry no time).
const CLOCK: Instant = Instant(1_764_400_000);

fn verdict(text: &str) -> (Verdict, Report) {
    let report = keyplay::run_text(text, CLOCK);
    match &report {
        Report::Verdict(v) => (v.verdict.clone(), report.clone()),
        other => panic!("not a verdict: {other:?}"),
    }
}

fn outcomes(v: &Verdict) -> Vec<(&'static str, bool)> {
    v.checks.iter().map(|c| (c.id, c.ok)).collect()
}

/// Runs every negative of `set` against its original and returns the negatives' ids.
fn check_set(name: &str, set: &FixtureSet) -> Vec<&'static str> {
    let original_text = set.document.to_string();
    let (original, _) = verdict(&original_text);
    assert!(original.valid(), "{name}: the original is not valid: {:?}", original.failed_ids());
    let table = keyplay::run::check_ids(keyplay::document::kind_of(&set.document).expect("a kind"));
    let mut ids = Vec::new();
    for negative in &set.negatives {
        let at = format!("{name} / {}", negative.id);
        assert!(!negative.fails.is_empty(), "{at}: names no check");
        for id in &negative.fails {
            assert!(table.contains(id), "{at}: {id} is not a check id of this kind");
        }
        assert!(!ids.contains(&negative.id), "{at}: the id appears twice");
        ids.push(negative.id);
        assert_ne!(negative.document, set.document, "{at}: the document did not change");
        let (tampered, report) = verdict(&negative.document.to_string());
        assert!(!tampered.valid(), "{at}: still valid");
        assert_eq!(report.exit(), keyplay::Exit::Met, "{at}: its own expect is unmet: {:?}", tampered.failed_ids());
        let (before, after) = (outcomes(&original), outcomes(&tampered));
        let ran: Vec<&str> = before.iter().map(|(id, _)| *id).collect();
        let ran_after: Vec<&str> = after.iter().map(|(id, _)| *id).collect();
        assert_eq!(ran_after, ran, "{at}: other checks ran");
        for ((id, was), (_, now)) in before.iter().zip(&after) {
            if negative.fails.contains(id) {
                assert!(*was && !*now, "{at}: {id} should pass in the original and fail here");
            } else {
                assert_eq!(now, was, "{at}: {id} changed its outcome but is not named");
            }
        }
        assert_eq!(negative.document["x-fixture"]["id"], json!(negative.id), "{at}");
    }
    ids
}

fn valid_validator_examples() -> Vec<(&'static str, &'static str)> {
    EXAMPLES
        .iter()
        .copied()
        .filter(|(_, text)| {
            let doc: Value = serde_json::from_str(text).expect("JSON");
            let kind = keyplay::document::kind_of(&doc).expect("a kind");
            fixtures::KINDS.contains(&kind) && doc["expect"]["valid"] == json!(true)
        })
        .collect()
}

#[test]
fn every_negative_of_every_valid_example_fails_exactly_its_checks() {
    let examples = valid_validator_examples();
    assert!(examples.len() >= 15, "only {} valid validator examples", examples.len());
    let mut total = 0;
    for (path, text) in examples {
        let set = fixtures::derive(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(set.negatives.len() >= 2, "{path}: only {} negatives", set.negatives.len());
        let ids = check_set(path, &set);
        for skipped in &set.not_derived {
            assert!(!ids.contains(&skipped.id), "{path}: {} is both derived and not derived", skipped.id);
        }
        total += ids.len();
    }
    assert!(total > 60, "only {total} negatives");
}

fn example(path: &str) -> &'static str {
    EXAMPLES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t).expect(path)
}

fn negative<'a>(set: &'a FixtureSet, id: &str) -> &'a fixtures::Negative {
    set.negatives.iter().find(|n| n.id == id).unwrap_or_else(|| panic!("no negative {id}"))
}

#[test]
fn the_app_attest_sets_hold_the_named_negatives() {
    let set = fixtures::derive(example("app-attest/ios14-development.json")).expect("derived");
    assert_eq!(set.kind, "app-attest");
    let want = [
        ("wrong-app-id", vec!["rp-id"]),
        ("wrong-challenge", vec!["nonce"]),
        ("wrong-key-id", vec!["key-id"]),
        ("wrong-environment", vec!["aaguid"]),
        ("expired", vec!["certificate-chain"]),
        ("flipped-signature-byte", vec!["certificate-chain"]),
        ("counter-not-zero", vec!["nonce", "counter"]),
        ("rp-id-hash-altered", vec!["nonce", "rp-id"]),
    ];
    for (id, fails) in want {
        assert_eq!(negative(&set, id).fails, fails, "{id}");
    }
    assert_eq!(negative(&set, "expired").document["now"], json!("2021-01-25T12:13:36Z"));
    assert_eq!(negative(&set, "counter-not-zero").method, Method::ReEncoded);

    let set = fixtures::derive(example("app-attest/assertion-ios14.json")).expect("derived");
    let ids: Vec<&str> = set.negatives.iter().map(|n| n.id).collect();
    assert_eq!(
        ids,
        [
            "wrong-app-id",
            "wrong-challenge",
            "counter-replay",
            "flipped-signature-byte",
            "counter-rewound",
            "rp-id-hash-altered"
        ]
    );
    assert_eq!(negative(&set, "rp-id-hash-altered").fails, ["signature", "rp-id"]);
    assert_eq!(negative(&set, "counter-replay").document["previous-counter"], json!(1));
    assert_eq!(negative(&set, "counter-rewound").fails, ["signature", "counter"]);
    assert!(set.not_derived.iter().any(|n| n.id == "expired"));
}

#[test]
fn a_flipped_assertion_signature_is_still_cbor_and_der() {
    let set = fixtures::derive(example("app-attest/assertion-ios14.json")).expect("derived");
    let text = negative(&set, "flipped-signature-byte").document["assertion"].as_str().expect("base64").to_string();
    let bytes = keyplay::data::decode_base64(&text).expect("base64");
    let value = keyplay::attest::cbor::decode_whole(&bytes).expect("CBOR");
    let map = keyplay::attest::cbor::as_map(&value).expect("a map");
    let Some(ciborium::Value::Bytes(sig)) = keyplay::attest::cbor::get(map, "signature") else { panic!("signature") };
    assert!(p256::ecdsa::Signature::from_der(sig).is_ok(), "not DER");
    let (tampered, _) = verdict(&negative(&set, "flipped-signature-byte").document.to_string());
    let message = &tampered.checks.iter().find(|c| c.id == "signature").expect("signature").message;
    assert!(message.contains("does not verify"), "{message}");
}

/// client-secret-valid.json with its key given as the private PKCS#8 key: claim changes are
/// re-signed and fail only their claim's check.
#[test]
fn a_document_with_its_private_key_gets_re_signed_negatives() {
    use p256::pkcs8::EncodePrivateKey;
    let sec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO5UKaujU0OSvDhXWVsNbRX051b3bKH7F7jas6fs8fTVoAoGCCqGSM49\nAwEHoUQDQgAEyK5DU+gsgmrFTk/Iidl7dq+hVmkhAfapv+QvT9ELtJUKjYSLI0+D\n7P8OWymusJncM1/MUL+JRECD20EMa+1Oww==\n-----END EC PRIVATE KEY-----\n";
    let key = p256::SecretKey::from_sec1_pem(sec1).expect("SEC1");
    let p8 = key.to_pkcs8_pem(p256::pkcs8::LineEnding::LF).expect("PKCS#8").to_string();
    let mut doc: Value = serde_json::from_str(example("jwt/client-secret-valid.json")).expect("JSON");
    doc["keys"] = json!({ "p8": p8 });
    let set = fixtures::derive(&doc.to_string()).expect("derived");
    let altered = negative(&set, "claim-altered");
    assert_eq!((altered.method, altered.fails.clone()), (Method::ReSigned, vec!["iss"]));
    check_set("client-secret-valid with p8", &set);

    // Without the private key the same change is not re-signed.
    let set = fixtures::derive(example("jwt/client-secret-valid.json")).expect("derived");
    let altered = negative(&set, "claim-altered");
    assert_eq!((altered.method, altered.fails.clone()), (Method::ReEncoded, vec!["signature", "iss"]));
}

#[test]
fn documents_that_are_not_validators_are_refused_with_a_path() {
    for (text, path) in [
        ("{", ""),
        ("[]", ""),
        (r#"{"keyplay":1,"kind":"keychain","steps":[]}"#, "/kind"),
        (r#"{"keyplay":1,"kind":"nope"}"#, "/kind"),
        (r#"{"keyplay":1,"kind":"app-attest-assertion","assertion":"!!"}"#, "/assertion"),
        (r#"{"keyplay":1,"kind":"jwt","token":"a.b"}"#, "/token"),
    ] {
        let err = fixtures::derive(text).expect_err(text);
        assert_eq!(err.path, path, "{text}: {err}");
    }
}

#[test]
fn the_set_serializes_with_kebab_case_fields() {
    let set = fixtures::derive(example("webauthn/authentication-es256.json")).expect("derived");
    let json = serde_json::to_value(&set).expect("JSON");
    assert_eq!(json["fixtures"], json!(1));
    assert_eq!(json["kind"], json!("webauthn-authentication"));
    assert!(json["not-derived"].is_array());
    let first = &json["negatives"][0];
    for key in ["id", "change", "method", "fails", "document"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    assert_eq!(first["method"], json!("document-field"));
}

mod exhaustive {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        /// Any app id other than the right one fails only rp-id, for both App Attest kinds.
        #[test]
        fn any_other_app_id_fails_only_rp_id(suffix in "[A-Za-z0-9.-]{1,12}", assertion in any::<bool>()) {
            let path = if assertion { "app-attest/assertion-ios14.json" } else { "app-attest/ios14-development.json" };
            let mut doc: Value = serde_json::from_str(example(path)).expect("JSON");
            let app_id = format!("{}{suffix}", doc["app-id"].as_str().expect("app-id"));
            doc["app-id"] = json!(app_id);
            doc["expect"] = json!({ "valid": false, "failed": ["rp-id"] });
            let (v, report) = verdict(&doc.to_string());
            prop_assert_eq!(report.exit(), keyplay::Exit::Met, "{:?}", v.failed_ids());
        }

        /// Damaged artefacts never panic derive: it answers a document error, or a set whose every
        /// negative is still a document `keyplay run` understands.
        #[test]
        fn damaged_artefacts_give_an_error_or_runnable_negatives(
            at in 0usize..4096,
            byte in any::<u8>(),
            which in 0usize..4,
        ) {
            let (path, field, url) = [
                ("app-attest/assertion-ios14.json", "/assertion", false),
                ("app-attest/ios14-development.json", "/attestation", false),
                ("webauthn/authentication-es256.json", "/response/response/authenticatorData", true),
                ("webauthn/registration-packed-yubikey.json", "/response/response/attestationObject", true),
            ][which];
            let mut doc: Value = serde_json::from_str(example(path)).expect("JSON");
            let text = doc.pointer(field).and_then(Value::as_str).expect("a field").to_string();
            let mut bytes = keyplay::data::decode_base64(&text).expect("base64");
            let at = at % bytes.len();
            bytes[at] = byte;
            let encoded = if url { keyplay::data::encode_base64url(&bytes) } else { keyplay::data::encode_base64(&bytes) };
            *doc.pointer_mut(field).expect("a field") = json!(encoded);
            if let Ok(set) = fixtures::derive(&doc.to_string()) {
                for negative in &set.negatives {
                    let report = keyplay::run_text(&negative.document.to_string(), CLOCK);
                    prop_assert_ne!(report.exit(), keyplay::Exit::NotUnderstood, "{}", negative.id);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics_derive(text in ".{0,200}") {
            let _ = fixtures::derive(&text);
            let jwt = json!({"keyplay": 1, "kind": "jwt", "profile": "apple-identity-token", "token": text});
            let _ = fixtures::derive(&jwt.to_string());
        }
    }
}

#[test]
fn a_token_checked_without_keys_gets_no_signature_negatives() {
    // Found by the `fixtures` fuzz target: a generic-profile token with no keys is valid without
    // its signature being checked, so a flipped signature byte fails nothing.
    let mut doc: Value = serde_json::from_str(example("jwt/identity-token-valid.json")).expect("JSON");
    let fields = doc.as_object_mut().expect("an object");
    fields.remove("profile");
    fields.remove("keys");
    fields.remove("expect");
    let text = doc.to_string();
    let (original, _) = verdict(&text);
    assert!(original.valid() && original.checks.iter().all(|c| c.id != "signature"), "{:?}", outcomes(&original));
    let set = fixtures::derive(&text).expect("a set");
    assert!(set.negatives.iter().all(|n| n.id != "flipped-signature-byte"));
    assert!(set.not_derived.iter().any(|s| s.id == "flipped-signature-byte"), "{:?}", set.not_derived);
    assert_eq!(negative(&set, "claim-altered").fails, ["aud"]);
    check_set("identity token, generic profile, no keys", &set);
}
