//! App Attest: real vectors at their own time, tampered copies failing the right check,
//! document errors, limits, the DCError explainer, examples, and never-panic properties.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use base64::Engine as _;
use keyplay::app_attest::{cms, dcerror, receipt};
use keyplay::attest::auth_data::{self, Rules};
use keyplay::attest::cbor;
use keyplay::attest::roots::{self, AppleRoot};
use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

macro_rules! v {
    ($name:literal) => {
        ($name, include_str!(concat!("vectors/", $name)))
    };
}

const VECTORS: &[(&str, &str)] = &[
    v!("appattest-asr-veehaitch-ios14.2-dev.json"),
    v!("appattest-asr-veehaitch-ios14.3-beta-2-dev.json"),
    v!("appattest-asr-veehaitch-ios14.3-beta-3-dev.json"),
    v!("appattest-asr-veehaitch-ios14.3-dev.json"),
    v!("appattest-asr-veehaitch-ios14.4-beta-1-dev.json"),
    v!("appattest-asr-veehaitch-ios14.4-beta-2-dev.json"),
    v!("appattest-asr-veehaitch-ios14.4-dev.json"),
    v!("appattest-att-apple-docs-sample-prod.json"),
    v!("appattest-att-fido2netlib-2020-prod.json"),
    v!("appattest-att-veehaitch-ios14.2-dev.json"),
    v!("appattest-att-veehaitch-ios14.3-beta-2-dev.json"),
    v!("appattest-att-veehaitch-ios14.3-beta-3-dev.json"),
    v!("appattest-att-veehaitch-ios14.3-dev.json"),
    v!("appattest-att-veehaitch-ios14.4-beta-1-dev.json"),
    v!("appattest-att-veehaitch-ios14.4-beta-2-dev.json"),
    v!("appattest-att-veehaitch-ios14.4-dev.json"),
    v!("appattest-neg-apple-sample-expired.json"),
    v!("appattest-neg-apple-sample-wrong-appid.json"),
    v!("appattest-neg-apple-sample-wrong-challenge.json"),
    v!("appattest-neg-apple-sample-wrong-environment.json"),
    v!("appattest-neg-asr-veehaitch-counter-replay.json"),
    v!("appattest-neg-asr-veehaitch-wrong-appid.json"),
    v!("appattest-neg-asr-veehaitch-wrong-clientdata.json"),
    v!("appattest-neg-fido2netlib-prod-expired-now.json"),
    v!("appattest-neg-veehaitch-dev-as-production.json"),
    v!("appattest-neg-veehaitch-expired-now.json"),
    v!("appattest-neg-veehaitch-wrong-appid.json"),
    v!("appattest-neg-veehaitch-wrong-challenge.json"),
    v!("appattest-neg-veehaitch-wrong-keyid.json"),
    v!("appattest-neg-veehaitch-wrong-trust-anchor.json"),
];

const G3_ROOT: &str = include_str!("vectors/root-apple-root-ca-g3.json");
const APP_ATTEST_ROOT: &str = include_str!("vectors/root-apple-app-attestation-root-ca.json");

/// A clock far from every vector, to prove that documents carry their own `now`.
const CLOCK: Instant = Instant(1_795_867_200);

fn vector(name: &str) -> Value {
    let (_, text) = VECTORS.iter().find(|(n, _)| n.starts_with(name)).unwrap_or_else(|| panic!("no vector {name}"));
    serde_json::from_str(text).expect("vector JSON")
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(text).expect("base64")
}

/// Builds a Keyplay document from a vector's inputs, as a user would write it.
fn document(v: &Value) -> Value {
    let i = &v["inputs"];
    let client = if let Some(data) = i["client_data_b64"].as_str() {
        json!({"client-data": {"base64": data}})
    } else {
        json!({"client-data-hash": {"base64": i["client_data_hash_b64"]}})
    };
    let mut doc = if v["kind"] == "appattest.attestation" {
        let mut d = json!({
            "keyplay": 1, "kind": "app-attest",
            "attestation": i["attestation_b64"], "key-id": i["key_id_b64"],
            "app-id": i["app_id"], "environment": i["environment"],
            "now": v["verification_time"]["use"],
        });
        if i.get("trust_anchor").is_some() {
            let g3: Value = serde_json::from_str(G3_ROOT).expect("G3 JSON");
            d["trust-anchor"] = json!({"pem": g3["pem"]});
        }
        d
    } else {
        json!({
            "keyplay": 1, "kind": "app-attest-assertion",
            "assertion": i["assertion_b64"], "public-key": {"pem": i["public_key_pem"]},
            "app-id": i["app_id"], "previous-counter": i["previous_counter"],
        })
    };
    if let (Some(d), Some(c)) = (doc.as_object_mut(), client.as_object()) {
        d.extend(c.clone());
    }
    doc
}

fn run(doc: &Value) -> Printed {
    keyplay::run::run(doc.clone(), CLOCK).printed()
}

fn failed(out: &Printed) -> Vec<String> {
    assert_eq!(out.exit, 0, "document not understood: {}", out.report);
    let mut ids: Vec<String> = out.report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] != true)
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

fn check<'a>(out: &'a Printed, id: &str) -> &'a Value {
    out.report["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == id)).unwrap_or(&Value::Null)
}

fn ids(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn names(prefix: &str) -> Vec<&'static str> {
    VECTORS.iter().map(|(n, _)| *n).filter(|n| n.starts_with(prefix)).collect()
}

/// The vectors a loop runs: all of them natively; in the browser, where a test that keeps
/// the renderer busy for 30 s makes ChromeDriver give up, the first two.
fn sample(all: Vec<&'static str>) -> Vec<&'static str> {
    if cfg!(target_arch = "wasm32") {
        all.into_iter().take(2).collect()
    } else {
        all
    }
}

/// The attestation object of a vector, and where its parts sit.
struct Parts {
    raw: Vec<u8>,
    auth_data: Vec<u8>,
    auth_data_at: usize,
    leaf_at: usize,
    leaf_len: usize,
    intermediate_at: usize,
    intermediate_len: usize,
    client_data_hash: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).position(|w| w == needle).expect("part present")
}

fn parts(v: &Value) -> Parts {
    let raw = unb64(v["inputs"]["attestation_b64"].as_str().expect("attestation"));
    let value: ciborium::Value = ciborium::de::from_reader(raw.as_slice()).expect("CBOR");
    let map = value.as_map().expect("map");
    let get = |k: &str| map.iter().find(|(key, _)| key.as_text() == Some(k)).map(|(_, v)| v.clone()).expect(k);
    let auth_data = get("authData").as_bytes().expect("bytes").clone();
    let stmt = get("attStmt");
    let x5c = stmt.as_map().expect("map").iter().find(|(k, _)| k.as_text() == Some("x5c")).expect("x5c").1.clone();
    let x5c = x5c.as_array().expect("array").clone();
    let leaf = x5c[0].as_bytes().expect("leaf").clone();
    let intermediate = x5c[1].as_bytes().expect("intermediate").clone();
    Parts {
        auth_data_at: find(&raw, &auth_data),
        leaf_at: find(&raw, &leaf),
        leaf_len: leaf.len(),
        intermediate_at: find(&raw, &intermediate),
        intermediate_len: intermediate.len(),
        client_data_hash: unb64(v["inputs"]["client_data_hash_b64"].as_str().expect("hash")),
        raw,
        auth_data,
    }
}

/// The receipt (`attStmt.receipt`) of an attestation object.
fn receipt_of(raw: &[u8]) -> Vec<u8> {
    let value: ciborium::Value = ciborium::de::from_reader(raw).expect("CBOR");
    let field = |map: &ciborium::Value, name: &str| {
        map.as_map().expect("map").iter().find(|(k, _)| k.as_text() == Some(name)).map(|(_, v)| v.clone()).expect(name)
    };
    field(&field(&value, "attStmt"), "receipt").as_bytes().cloned().expect("receipt bytes")
}

fn with_attestation(v: &Value, raw: &[u8]) -> Value {
    let mut doc = document(v);
    doc["attestation"] = json!(b64(raw));
    doc
}

fn flipped(raw: &[u8], at: usize) -> Vec<u8> {
    let mut out = raw.to_vec();
    out[at] ^= 0x01;
    out
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_attestations_verify_at_their_own_time() {
    let names = names("appattest-att-");
    assert_eq!(names.len(), 9);
    for name in sample(names) {
        let v = vector(name);
        let out = run(&document(&v));
        assert_eq!(failed(&out), Vec::<String>::new(), "{name}: {}", out.report["checks"]);
        assert_eq!(out.report["valid"], true, "{name}");
        assert_eq!(out.report["public-key"]["pem"], v["expected_result"]["public_key_pem"], "{name}");
        assert_eq!(out.report["public-key"]["key-id"], v["inputs"]["key_id_b64"], "{name}");
        assert_eq!(out.report["certificates"].as_array().map(Vec::len), Some(2), "{name}");
        assert_eq!(out.report["receipt"]["authenticated"], true, "{name}: {}", check(&out, "receipt"));
        assert_eq!(out.report["receipt"]["fields"]["type"], "ATTEST", "{name}");
        assert_eq!(out.report["receipt"]["fields"]["app-id"], v["inputs"]["app_id"], "{name}");
        assert_eq!(out.report["cose-key-matches-certificate"], true, "{name}");
        assert_eq!(out.report["trust-anchor"]["apple-app-attestation-root"], true);
        let apple = &out.report["apple-extensions"];
        assert_eq!(apple["app-info (1.2.840.113635.100.8.5)"]["app-id"], v["inputs"]["app_id"], "{name}: {apple}");
        assert!(apple["os-info (1.2.840.113635.100.8.7)"]["os-version"].is_string(), "{name}: {apple}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_assertions_verify_and_report_the_new_counter() {
    let names = names("appattest-asr-");
    assert_eq!(names.len(), 7);
    for name in sample(names) {
        let v = vector(name);
        let out = run(&document(&v));
        assert_eq!(failed(&out), Vec::<String>::new(), "{name}: {}", out.report["checks"]);
        assert_eq!(out.report["counter"], v["expected_result"]["counter"], "{name}");
        let format = check(&out, "format")["message"].as_str().unwrap_or_default().to_string();
        assert!(format.contains("AT flag is set"), "{name}: {format}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn negative_vectors_fail_their_named_check_only() {
    let names = names("appattest-neg-");
    assert_eq!(names.len(), 14);
    for name in sample(names) {
        let v = vector(name);
        let named = v["expected_result"]["failing_check"].as_str().unwrap_or_default();
        let id = [
            ("certificate_chain", "certificate-chain"),
            ("expired", "certificate-chain"),
            ("rp_id", "rp-id"),
            ("nonce", "nonce"),
            ("aaguid", "aaguid"),
            ("key_id", "key-id"),
            ("counter", "counter"),
            ("signature", "signature"),
        ]
        .iter()
        .find(|(prefix, _)| named.starts_with(prefix))
        .map(|(_, id)| *id)
        .unwrap_or_else(|| panic!("{name}: unmapped {named}"));
        let out = run(&document(&v));
        assert_eq!(failed(&out), ids(&[id]), "{name}: {}", out.report["checks"]);
        let failing = check(&out, id);
        for field in ["expected", "found", "cause"] {
            assert!(failing[field].as_str().is_some_and(|s| !s.is_empty()), "{name}: {field} missing in {failing}");
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn flipped_bytes_in_each_region_fail_the_right_checks() {
    for name in sample(vec!["appattest-att-veehaitch-ios14.4-dev", "appattest-att-apple-docs-sample-prod"])
        .into_iter()
        .take(if cfg!(target_arch = "wasm32") { 1 } else { 2 })
    {
        let v = vector(name);
        let p = parts(&v);
        let ad = p.auth_data_at;
        let mut nonce_input = p.auth_data.clone();
        nonce_input.extend_from_slice(&p.client_data_hash);
        let nonce_at = find(&p.raw, &Sha256::digest(&nonce_input));
        let cases: Vec<(&str, usize, Vec<&str>)> = vec![
            ("authData rpIdHash", ad, vec!["rp-id", "nonce"]),
            ("authData counter", ad + 36, vec!["counter", "nonce"]),
            ("authData aaguid", ad + 40, vec!["aaguid", "nonce"]),
            ("authData credential id", ad + 60, vec!["credential-id", "nonce"]),
            ("authData COSE key x", ad + 100, vec!["nonce"]),
            ("leaf signature", p.leaf_at + p.leaf_len - 1, vec!["certificate-chain"]),
            ("intermediate signature", p.intermediate_at + p.intermediate_len - 1, vec!["certificate-chain"]),
            ("nonce in the leaf", nonce_at + 5, vec!["certificate-chain", "nonce"]),
        ];
        for (region, at, expected) in cases {
            let out = run(&with_attestation(&v, &flipped(&p.raw, at)));
            assert_eq!(failed(&out), ids(&expected), "{name} {region}: {}", out.report["checks"]);
        }
        // The challenge: one bit changed in the client data (or its hash).
        let mut doc = document(&v);
        let field = if doc.get("client-data").is_some() { "client-data" } else { "client-data-hash" };
        let mut bytes = unb64(doc[field]["base64"].as_str().unwrap_or_default());
        bytes[0] ^= 0x01;
        doc[field] = json!({"base64": b64(&bytes)});
        assert_eq!(failed(&run(&doc)), ids(&["nonce"]), "{name} challenge");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn flipped_bytes_in_an_assertion_fail_the_right_checks() {
    let v = vector("appattest-asr-veehaitch-ios14.4-dev");
    let raw = unb64(v["inputs"]["assertion_b64"].as_str().unwrap_or_default());
    let value: ciborium::Value = ciborium::de::from_reader(raw.as_slice()).expect("CBOR");
    let map = value.as_map().expect("map");
    let field = |k: &str| {
        map.iter().find(|(key, _)| key.as_text() == Some(k)).and_then(|(_, v)| v.as_bytes().cloned()).expect(k)
    };
    let ad_at = find(&raw, &field("authenticatorData"));
    let sig = field("signature");
    let sig_at = find(&raw, &sig);
    let cases: Vec<(&str, usize, Vec<&str>)> = vec![
        ("signature", sig_at + sig.len() - 1, vec!["signature"]),
        ("authData rpIdHash", ad_at + 3, vec!["rp-id", "signature"]),
        ("authData counter to 0", ad_at + 36, vec!["counter", "signature"]),
        ("authData flags", ad_at + 32, vec!["signature"]),
    ];
    for (region, at, expected) in cases {
        let mut doc = document(&v);
        doc["assertion"] = json!(b64(&flipped(&raw, at)));
        let out = run(&doc);
        assert_eq!(failed(&out), ids(&expected), "{region}: {}", out.report["checks"]);
    }
    let mut doc = document(&v);
    doc["client-data"] = json!({"utf8": "wurzelpfropg"});
    assert_eq!(failed(&run(&doc)), ids(&["signature"]), "challenge");

    // Unreadable assertions fail `format` alone, with a cause.
    let short_auth_data = ciborium::Value::Map(vec![
        (ciborium::Value::Text("signature".into()), ciborium::Value::Bytes(sig.clone())),
        (ciborium::Value::Text("authenticatorData".into()), ciborium::Value::Bytes(vec![0; 36])),
    ]);
    let mut short = Vec::new();
    ciborium::ser::into_writer(&short_auth_data, &mut short).expect("encode");
    for (what, bytes) in [("not CBOR", vec![0xff, 0x00]), ("36-byte authenticatorData", short), ("empty", vec![])] {
        let mut doc = document(&v);
        doc["assertion"] = json!(b64(&bytes));
        let out = run(&doc);
        assert_eq!(failed(&out), ids(&["format"]), "{what}: {}", out.report["checks"]);
        assert!(check(&out, "format")["cause"].is_string(), "{what}");
    }
    // A raw r‖s signature is named as such.
    let rs = ciborium::Value::Map(vec![
        (ciborium::Value::Text("signature".into()), ciborium::Value::Bytes(vec![1; 64])),
        (ciborium::Value::Text("authenticatorData".into()), ciborium::Value::Bytes(field("authenticatorData"))),
    ]);
    let mut bytes = Vec::new();
    ciborium::ser::into_writer(&rs, &mut bytes).expect("encode");
    let mut doc = document(&v);
    doc["assertion"] = json!(b64(&bytes));
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["signature"]));
    assert!(check(&out, "signature")["cause"].as_str().unwrap_or_default().contains("r‖s"));
    // A document without a public key is not understood.
    let mut doc = document(&v);
    doc.as_object_mut().map(|d| d.remove("public-key"));
    assert_eq!(run(&doc).exit, 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_now_past_the_leaf_expiry_fails_certificate_chain_only() {
    for name in sample(names("appattest-att-")) {
        let v = vector(name);
        let first = run(&document(&v));
        let not_after = first.report["certificates"][0]["not-after"].as_str().expect("not-after").to_string();
        let end = Instant::parse_rfc3339(&not_after).expect("time");
        let mut doc = document(&v);
        doc["now"] = json!(Instant(end.0 + 86_400).to_rfc3339());
        let out = run(&doc);
        assert_eq!(failed(&out), ids(&["certificate-chain"]), "{name}: {}", out.report["checks"]);
        let cause = check(&out, "certificate-chain")["cause"].as_str().unwrap_or_default().to_string();
        assert!(cause.contains("expired"), "{name}: {cause}");
        doc["now"] = json!(Instant(end.0).to_rfc3339());
        assert_eq!(failed(&run(&doc)), Vec::<String>::new(), "{name} at the last valid second");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_nonce_check_names_how_the_challenge_was_hashed() {
    // Apple's sample used the raw bytes as clientDataHash; hashing them fails and says so.
    let mut doc = document(&vector("appattest-att-apple-docs-sample-prod"));
    doc.as_object_mut().map(|d| d.remove("client-data-hash"));
    doc["client-data"] = json!({"utf8": "test_server_challenge"});
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["nonce"]));
    let cause = check(&out, "nonce")["cause"].as_str().unwrap_or_default().to_string();
    assert!(cause.contains("not hashed"), "{cause}");
    assert!(cause.contains("test_server_challenge"), "receipt hint missing: {cause}");

    // The veehaitch captures hashed "wurzelpfropf" once; giving the raw text as the hash fails.
    let mut doc = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    doc.as_object_mut().map(|d| d.remove("client-data"));
    doc["client-data-hash"] = json!({"utf8": "wurzelpfropf"});
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["nonce"]));
    let cause = check(&out, "nonce")["cause"].as_str().unwrap_or_default().to_string();
    assert!(cause.contains("once more"), "{cause}");

    // …and the precomputed hash passes, with the message saying what was hashed.
    doc["client-data-hash"] = json!({"base64": "i+ZcylFa0JfJU5Z9GNY12G3XihQu09B3UmvtEca+xns="});
    let out = run(&doc);
    assert_eq!(failed(&out), Vec::<String>::new());
    let message = check(&out, "nonce")["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("not hashed again"), "{message}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn key_ids_compare_as_bytes_and_hex_is_diagnosed() {
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let key_id = unb64(v["inputs"]["key_id_b64"].as_str().unwrap_or_default());
    let mut doc = document(&v);
    doc["key-id"] = json!(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&key_id));
    assert_eq!(failed(&run(&doc)), Vec::<String>::new(), "base64url key id");
    doc["key-id"] = json!(hex::encode(&key_id));
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["key-id"]));
    assert!(check(&out, "key-id")["cause"].as_str().unwrap_or_default().contains("hex"));
    doc["key-id"] = json!("not base64!");
    assert_eq!(failed(&run(&doc)), ids(&["key-id"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_rp_id_check_points_at_the_app_id_in_the_receipt() {
    let out = run(&document(&vector("appattest-neg-apple-sample-wrong-appid")));
    let cause = check(&out, "rp-id")["cause"].as_str().unwrap_or_default().to_string();
    assert!(cause.contains("0352187391.com.apple.example_app_attest"), "{cause}");
    let mut doc = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    doc["app-id"] = json!("XXXXXXXXXX.de.vincent-haupert.apple-appattest-poc");
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["rp-id"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn trust_anchors_are_pinned_and_custom_ones_are_named() {
    let embedded = AppleRoot::AppAttestation.load().expect("embedded root passes its pin");
    assert_eq!(embedded.fingerprint(), AppleRoot::AppAttestation.sha256());
    let shipped: Value = serde_json::from_str(APP_ATTEST_ROOT).expect("root JSON");
    assert_eq!(shipped["sha256_fingerprint_der"], AppleRoot::AppAttestation.sha256());
    assert!(roots::pinned(AppleRoot::AppAttestation.pem(), AppleRoot::RootCaG3.sha256()).is_err());
    assert!(AppleRoot::RootCaG3.load().is_ok());

    // Supplying Apple's own root is the same as the default.
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let mut doc = document(&v);
    doc["trust-anchor"] = json!({"pem": shipped["pem"]});
    let out = run(&doc);
    assert_eq!(failed(&out), Vec::<String>::new());
    assert_eq!(out.report["trust-anchor"]["apple-app-attestation-root"], true);

    // A corrupted copy of the root (one character of its body changed) is refused.
    let pem = shipped["pem"].as_str().unwrap_or_default();
    let mut corrupted: Vec<char> = pem.chars().collect();
    let at = pem.find("MIIC").expect("body") + 200;
    corrupted[at] = if corrupted[at] == 'A' { 'B' } else { 'A' };
    doc["trust-anchor"] = json!({"pem": corrupted.into_iter().collect::<String>()});
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["certificate-chain"]), "{}", out.report["checks"]);

    // Another anchor (Apple Root CA - G3) is named and the chain fails.
    let out = run(&document(&vector("appattest-neg-veehaitch-wrong-trust-anchor")));
    assert_eq!(out.report["trust-anchor"]["apple-app-attestation-root"], false);
    assert!(check(&out, "certificate-chain")["message"].as_str().unwrap_or_default().contains("not Apple's"));
    let cause = check(&out, "certificate-chain")["cause"].as_str().unwrap_or_default().to_owned();
    assert!(cause.contains("not to the trust anchor this document supplies"), "{cause}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_receipt_from_another_attestation_fails_the_receipt_check() {
    let a = parts(&vector("appattest-att-veehaitch-ios14.4-dev"));
    let b = parts(&vector("appattest-att-veehaitch-ios14.4-beta-2-dev"));
    let ra = receipt_of(&a.raw);
    // Rebuild a's attestation object with b's receipt.
    let mut value: ciborium::Value = ciborium::de::from_reader(a.raw.as_slice()).expect("CBOR");
    if let ciborium::Value::Map(entries) = &mut value {
        for (k, v) in entries.iter_mut() {
            if k.as_text() == Some("attStmt") {
                if let ciborium::Value::Map(stmt) = v {
                    for (sk, sv) in stmt.iter_mut() {
                        if sk.as_text() == Some("receipt") {
                            *sv = ciborium::Value::Bytes(receipt_of(&b.raw));
                        }
                    }
                }
            }
        }
    }
    let mut mixed = Vec::new();
    ciborium::ser::into_writer(&value, &mut mixed).expect("encode");
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let out = run(&with_attestation(&v, &mixed));
    assert_eq!(failed(&out), ids(&["receipt"]), "{}", out.report["checks"]);

    // A damaged receipt cannot be authenticated: informational, not counted.
    let mut damaged = a.raw.clone();
    let receipt_at = find(&damaged, &ra);
    damaged[receipt_at + ra.len() - 20] ^= 0x01;
    let out = run(&with_attestation(&v, &damaged));
    assert_eq!(failed(&out), Vec::<String>::new());
    assert!(check(&out, "receipt")["message"].as_str().unwrap_or_default().starts_with("informational"));
    assert!(receipt::inspect(&ra, Instant(1_611_404_013)).authenticated.is_ok());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_attestation_report_feeds_an_assertion_document() {
    let att = run(&document(&vector("appattest-att-veehaitch-ios14.4-dev")));
    let mut doc = document(&vector("appattest-asr-veehaitch-ios14.4-dev"));
    doc["public-key"] = att.report["public-key"].clone();
    assert!(doc["public-key"]["key-id"].is_string());
    assert_eq!(failed(&run(&doc)), Vec::<String>::new());
    // Another attestation's key fails the signature.
    let other = run(&document(&vector("appattest-att-veehaitch-ios14.3-dev")));
    doc["public-key"] = other.report["public-key"].clone();
    assert_eq!(failed(&run(&doc)), ids(&["signature"]));
    doc["public-key"] = json!({"pem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"});
    assert_eq!(failed(&run(&doc)), ids(&["signature"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn document_errors_are_only_for_documents_that_cannot_be_understood() {
    let base = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    let mut typo = base.clone();
    typo["key_id"] = typo["key-id"].take();
    typo.as_object_mut().map(|d| d.remove("key-id"));
    let out = run(&typo);
    assert_eq!(out.exit, 2);
    assert_eq!(out.report["error"]["path"], "/key_id", "{}", out.report);
    assert!(out.report["error"]["message"].as_str().unwrap_or_default().contains("did you mean key-id?"));

    let mut both = base.clone();
    both["client-data-hash"] = json!({"hex": "00"});
    assert_eq!(run(&both).exit, 2);
    let mut neither = base.clone();
    neither.as_object_mut().map(|d| d.remove("client-data"));
    assert_eq!(run(&neither).report["error"]["path"], "/client-data");
    let mut environment = base.clone();
    environment["environment"] = json!("staging");
    assert_eq!(run(&environment).exit, 2);

    // Bad artefacts are verdicts, not document errors.
    let mut bad = base.clone();
    bad["attestation"] = json!("@@@not base64@@@");
    let out = run(&bad);
    assert_eq!(failed(&out), ids(&["format"]));
    assert!(check(&out, "format")["cause"].is_string());
    bad["attestation"] = json!(b64(b"\xa1\x63fmt\x64none"));
    let out = run(&bad);
    assert_eq!(failed(&out), ids(&["format"]));
    assert!(check(&out, "format")["found"].as_str().unwrap_or_default().contains("\"none\""));

    // Without an environment either aaguid passes and the message says which.
    let mut any = base;
    any.as_object_mut().map(|d| d.remove("environment"));
    let out = run(&any);
    assert_eq!(failed(&out), Vec::<String>::new());
    assert!(check(&out, "aaguid")["message"].as_str().unwrap_or_default().contains("development"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn deep_or_huge_cbor_is_refused_with_its_limit() {
    let mut deep = vec![0x81u8; 100];
    deep.push(0x00);
    let err = cbor::decode_whole(&deep).expect_err("too deep").to_string();
    assert!(err.contains(&cbor::MAX_CBOR_DEPTH.to_string()), "{err}");
    let mut ok_depth = vec![0x81u8; cbor::MAX_CBOR_DEPTH - 1];
    ok_depth.push(0x00);
    assert!(cbor::decode_whole(&ok_depth).is_ok());

    let huge = vec![0u8; cbor::MAX_CBOR_BYTES + 1];
    let err = cbor::decode_whole(&huge).expect_err("too big").to_string();
    assert!(err.contains(&cbor::MAX_CBOR_BYTES.to_string()), "{err}");

    let mut doc = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    doc["attestation"] = json!(b64(&deep));
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["format"]));
    doc["attestation"] = json!(b64(&vec![0xa0; cbor::MAX_CBOR_BYTES + 10]));
    assert!(check(&run(&doc), "format")["message"].as_str().unwrap_or_default().contains("limit"));
    // A byte string that claims 2^63 bytes is truncated input, not an allocation.
    assert!(cbor::decode_whole(&[0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
    assert!(cms::parse(&vec![0x30; cms::MAX_RECEIPT_BYTES + 1]).is_err());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn authenticator_data_tolerates_extensions_after_the_cose_key() {
    let p = parts(&vector("appattest-att-veehaitch-ios14.4-dev"));
    let plain = auth_data::parse(&p.auth_data, Rules::APP_ATTEST_ATTESTATION).expect("parses");
    let att = plain.attested.as_ref().expect("attested data");
    assert_eq!(att.public_key_cbor.len(), 77);
    assert!(plain.extensions.is_none());
    // iOS 27 appends {"apple_validation_category_01": h'04000000', "apple_bundle_version_01": "1.0"}.
    let mut extended = p.auth_data.clone();
    let mut ext = Vec::new();
    let map = ciborium::Value::Map(vec![
        (ciborium::Value::Text("apple_validation_category_01".into()), ciborium::Value::Bytes(vec![4, 0, 0, 0])),
        (ciborium::Value::Text("apple_bundle_version_01".into()), ciborium::Value::Text("1.0".into())),
    ]);
    ciborium::ser::into_writer(&map, &mut ext).expect("encode");
    extended.extend_from_slice(&ext);
    let parsed = auth_data::parse(&extended, Rules::APP_ATTEST_ATTESTATION).expect("parses with extensions");
    let extensions = parsed.extensions.as_ref().expect("extensions");
    assert_eq!(extensions.raw, ext);
    let described = keyplay::app_attest::extensions::describe(extensions.value.as_ref().expect("decoded"));
    assert_eq!(described["validation-category"]["name"], "App Store");
    assert_eq!(described["bundle-version"], "1.0");
    assert!(auth_data::parse(&p.auth_data[..60], Rules::APP_ATTEST_ATTESTATION).is_err());
    assert!(auth_data::parse(&p.auth_data[..36], Rules::APP_ATTEST_ASSERTION).is_err());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_dcerror_explainer_covers_every_method_and_code() {
    let methods = ["generateKey", "attestKey", "generateAssertion", "DCDevice.generateToken"];
    for method in methods {
        for code in &dcerror::CODES {
            let cells: Vec<_> =
                dcerror::MATRIX.iter().filter(|c| c.method == method && c.error == code.swift).collect();
            assert_eq!(cells.len(), 1, "{method} × {}", code.swift);
        }
    }
    let zero = dcerror::lookup("com.apple.devicecheck.error 0").expect("code 0");
    assert_eq!(zero.swift, "unknownSystemFailure");
    let three = dcerror::lookup(r#"Error Domain=com.apple.devicecheck.error Code=3 "(null)""#).expect("code 3");
    assert_eq!(three.objc, "DCErrorInvalidKey");
    assert_eq!(dcerror::cells_for(three).count(), 4);
    assert!(dcerror::lookup("Error Domain=NSURLErrorDomain Code=-1009").is_none());
    let json = serde_json::to_value(dcerror::explainer()).expect("serializes");
    let cell = json["matrix"]
        .as_array()
        .and_then(|m| m.iter().find(|c| c["method"] == "attestKey" && c["error"] == "serverUnavailable"))
        .expect("cell");
    assert_eq!(cell["retry"], "yes-with-backoff");
    assert_eq!(cell["discard-key"], "no");
    assert_eq!(cell["evidence"], "documented");
    assert!(json["notes"].as_array().is_some_and(|n| n.iter().any(|n| n["topic"] == "simulator")));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_example_meets_its_expectation() {
    let examples: Vec<(&str, &str)> = keyplay::gallery::of_kind("app-attest").collect();
    assert!(examples.len() >= 7);
    for (name, text) in examples {
        let out = run_text(text, CLOCK);
        assert_eq!(out.exit, 0, "{name}: {}", out.report);
        assert_eq!(out.report["expect"], "met", "{name}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn real_attestation() -> Vec<u8> {
        unb64(vector("appattest-att-veehaitch-ios14.4-dev")["inputs"]["attestation_b64"].as_str().unwrap_or_default())
    }

    fn run_attestation(bytes: &[u8]) -> Printed {
        let mut doc = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
        doc["attestation"] = json!(b64(bytes));
        keyplay::run::run(doc, CLOCK).printed()
    }

    fn run_assertion(bytes: &[u8]) -> Printed {
        let mut doc = document(&vector("appattest-asr-veehaitch-ios14.4-dev"));
        doc["assertion"] = json!(b64(bytes));
        keyplay::run::run(doc, CLOCK).printed()
    }

    proptest! {
        // Each case runs full verifications (unoptimised in tests), so the counts stay modest;
        // the fuzz target explores the same paths without a bound.
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_as_any_artefact(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            prop_assert_eq!(run_attestation(&bytes).exit, 0);
            prop_assert_eq!(run_assertion(&bytes).exit, 0);
            let _ = receipt::inspect(&bytes, CLOCK);
            let _ = auth_data::parse(&bytes, Rules::APP_ATTEST_ATTESTATION);
            let _ = auth_data::parse(&bytes, Rules::APP_ATTEST_ASSERTION);
            let _ = keyplay::attest::apple_nonce::decode(&bytes);
        }

        #[test]
        fn mutated_real_attestations(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
            let mut bytes = real_attestation();
            for (index, value) in &edits {
                let at = index.index(bytes.len());
                bytes[at] = *value;
            }
            let out = run_attestation(&bytes);
            prop_assert_eq!(out.exit, 0);
            let truncated = &bytes[..cut.index(bytes.len())];
            prop_assert_eq!(run_attestation(truncated).exit, 0);
        }

        #[test]
        fn mutated_real_receipts(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
            let raw = real_attestation();
            let value: ciborium::Value = ciborium::de::from_reader(raw.as_slice()).expect("CBOR");
            let stmt = value.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("attStmt")).map(|(_, v)| v.clone())).expect("attStmt");
            let mut receipt_bytes = stmt.as_map().and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("receipt")).and_then(|(_, v)| v.as_bytes().cloned())).expect("receipt");
            for (index, value) in &edits {
                let at = index.index(receipt_bytes.len());
                receipt_bytes[at] = *value;
            }
            let _ = receipt::inspect(&receipt_bytes, CLOCK);
            let _ = receipt::inspect(&receipt_bytes[..cut.index(receipt_bytes.len())], CLOCK);
        }

        #[test]
        fn deep_nesting_of_any_shape(prefix in proptest::collection::vec(prop::sample::select(vec![0x81u8, 0xa1, 0x9f, 0xbf, 0xc6, 0x30, 0x80]), 0..2000)) {
            let mut bytes = prefix.clone();
            bytes.push(0);
            prop_assert_eq!(run_attestation(&bytes).exit, 0);
            let _ = cms::parse(&bytes);
            let _ = cms::payload_fields(&bytes);
        }
    }
}

/// The verdict's figures for a gallery example, run at a clock the document's `now` overrides.
fn figures(name: &str) -> Vec<keyplay::figure::Figure> {
    let (_, text) = keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(name)).expect("the example");
    match keyplay::run_text(text, Instant(0)) {
        keyplay::Report::Verdict(v) => v.verdict.figures,
        other => panic!("{name}: not a verdict: {other:?}"),
    }
}

#[test]
fn an_attestation_carries_its_chains_and_byte_maps() {
    use keyplay::figure::{Figure, Role};
    let all = figures("app-attest/apple-sample-production.json");
    let chains: Vec<_> = all.iter().filter_map(|f| if let Figure::Chain(c) = f { Some(c) } else { None }).collect();
    let maps: Vec<_> = all.iter().filter_map(|f| if let Figure::Bytes(m) = f { Some(m) } else { None }).collect();
    assert_eq!(chains.len(), 2, "the x5c and the receipt's signing chain");
    let roles: Vec<Role> = chains[0].certs.iter().map(|c| c.role).collect();
    assert_eq!(roles, [Role::Leaf, Role::Intermediate, Role::Anchor]);
    assert!(chains[0].certs[2].subject.contains("Apple App Attestation Root CA"));
    assert!(chains[1].certs.last().is_some_and(|c| c.subject.contains("Apple Root CA - G3")));
    assert_eq!(chains[0].first_failure(), None);
    assert_eq!(maps.len(), 2, "authenticator data and the nonce extension");
    assert_eq!(maps[0].fields.iter().map(|f| f.len).sum::<usize>(), maps[0].bytes.len());
    assert_eq!(maps[1].fields.last().map(|f| &*f.name), Some("nonce"));
    assert!(maps[1].note.as_deref().is_some_and(|n| n.starts_with("equals")), "{:?}", maps[1].note);

    // Judged after the leaf expired, the figure marks the leaf.
    let expired = figures("app-attest/ios14-expired-today.json");
    let Some(Figure::Chain(chain)) = expired.iter().find(|f| matches!(f, Figure::Chain(_))) else {
        panic!("no chain figure")
    };
    assert_eq!(chain.first_failure(), Some(0));
    assert!(!chain.certs[0].valid_at(chain.now) && chain.certs[1].valid_at(chain.now));

    // An assertion has only its authenticator data.
    let assertion = figures("app-attest/assertion-ios14.json");
    assert!(matches!(assertion.as_slice(), [Figure::Bytes(m)] if m.fields.len() == 3), "{assertion:?}");
}

/// The receipt's fields by their names, the launch-validation categories by theirs, and an
/// Apple extension value as text only when it has no control character (else as hex).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn receipt_fields_categories_and_extension_values_are_named() {
    let v = vector(names("appattest-att-")[0]);
    let out = run(&document(&v));
    let fields = &out.report["receipt"]["fields"];
    // An attestation's receipt (type ATTEST) has no risk metric (field 17): only the receipts
    // Apple sends back for a refresh (type RECEIPT) carry one, and no vector here is one. The
    // attestation receipts here have no not-before (field 19) either.
    let named = ["app-id", "attested-certificate", "client-hash", "token", "type", "environment", "creation-time"];
    for name in named.into_iter().chain(["expiration-time"]) {
        assert!(!fields[name].is_null(), "{name} missing from {fields}");
    }
    assert!(fields.as_object().is_some_and(|f| !f.contains_key("unknown")), "{fields}");
    // A receipt whose failure has no words of its own says it could not be decoded (the check
    // stays informational); one with words gives them.
    let mut info = receipt::inspect(b"not a receipt", Instant(0));
    let said = serde_json::to_value(info.check(None)).unwrap_or_default().to_string();
    assert!(said.contains("not a BER CMS SignedData") && said.contains("\"ok\":true"), "{said}");
    // Nothing decoded means no attested certificate either, which it says as well.
    assert!(said.contains("it also disagrees: it names no attested certificate (field 3)"), "{said}");
    info.authenticated = Err(String::new());
    let said = serde_json::to_value(info.check(None)).unwrap_or_default().to_string();
    assert!(said.contains("cannot be authenticated (it could not be decoded)"), "{said}");
    // Categories, by the numbers the extensions map carries.
    let categories = [
        (1, "Platform"),
        (2, "TestFlight"),
        (3, "Development"),
        (4, "App Store"),
        (5, "Enterprise / ad hoc"),
        (6, "Developer ID"),
        (10, "None"),
        (7, "unknown category"),
    ];
    for (n, name) in categories {
        let map = ciborium::Value::Map(vec![(
            ciborium::Value::Text("validationCategory".into()),
            ciborium::Value::Integer(n.into()),
        )]);
        let described = keyplay::app_attest::extensions::describe(&map);
        assert_eq!(described["validation-category"]["name"], name, "{n}");
    }
    // SEQUENCE { [1] { OCTET STRING "abc" } }, and the same with "a\nb".
    let text = keyplay::app_attest::apple_ext::decode(&[0x30, 0x07, 0xa1, 0x05, 0x04, 0x03, b'a', b'b', b'c']);
    assert_eq!(text, Some(json!({"[1]": "abc"})));
    let control = keyplay::app_attest::apple_ext::decode(&[0x30, 0x07, 0xa1, 0x05, 0x04, 0x03, b'a', b'\n', b'b']);
    assert_eq!(control, Some(json!({"[1]": {"hex": "610a62"}})));
}

/// The nonce extension's byte map counts each header's own length: with a nonce long enough
/// for long-form DER lengths (three-byte headers), the sizes it states are the DER's.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_nonce_byte_map_states_the_der_sizes() {
    let nonce = vec![7u8; 200];
    let mut der = vec![0x30, 0x81, 206, 0xa1, 0x81, 203, 0x04, 0x81, 200];
    der.extend_from_slice(&nonce);
    let map = keyplay::attest::apple_nonce::byte_map(&der, &nonce).expect("a nonce extension");
    let values: Vec<(&str, usize, usize, &str)> =
        map.fields.iter().map(|f| (&*f.name, f.start, f.len, f.value.as_str())).collect();
    assert_eq!(values[0], ("SEQUENCE header", 0, 3, "tag 30, content 206 bytes"));
    assert_eq!(values[1], ("[1] header", 3, 3, "tag a1, content 203 bytes"));
    assert_eq!(values[2], ("OCTET STRING header", 6, 3, "tag 04, content 200 bytes"));
    assert_eq!((values[3].1, values[3].2), (9, 200));
}

/// The shared substrate's edges: each pinned root's name is its certificate's common name,
/// a CBOR error says where, nesting deeper than the bound is cut, and an RSA modulus may be
/// as long as the bound but no longer.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn roots_cbor_errors_depth_and_rsa_bounds() {
    for root in [AppleRoot::AppAttestation, AppleRoot::RootCaG3, AppleRoot::WebAuthn] {
        let cert = root.load().expect("a pinned root");
        let subject = cert.subject();
        let cn = subject.split(',').find_map(|part| part.strip_prefix("CN="));
        assert_eq!(cn, Some(root.name()), "{subject}");
    }
    let error = cbor::CborError::Semantic { offset: Some(5), message: "a text key was expected".into() };
    assert_eq!(error.to_string(), "CBOR not understood at byte 5: a text key was expected");
    let nest = |depth: usize| {
        let mut v = ciborium::Value::Integer(1.into());
        for _ in 0..depth {
            v = ciborium::Value::Array(vec![v]);
        }
        v
    };
    let deepest = |v: &Value| {
        let mut v = v;
        let mut depth = 0;
        while let Some(inner) = v.get(0) {
            v = inner;
            depth += 1;
        }
        (depth, v.clone())
    };
    let bound = cbor::MAX_CBOR_DEPTH;
    assert_eq!(deepest(&cbor::to_json(&nest(bound))), (bound, json!(1)));
    assert_eq!(deepest(&cbor::to_json(&nest(bound + 1))), (bound + 1, json!("…")));
    let bytes = keyplay::attest::key::MAX_RSA_BITS / 8;
    let mut n = vec![0xc5u8; bytes];
    n[bytes - 1] |= 1;
    // At the bound, Keyplay's own limit lets it through (the rsa crate may still refuse it).
    let at_bound = keyplay::attest::key::rsa_key(&n, &[1, 0, 1]).err().unwrap_or_default();
    assert!(!at_bound.contains("above the"), "{at_bound}");
    n.push(0x01);
    let refused = keyplay::attest::key::rsa_key(&n, &[1, 0, 1]).err().unwrap_or_default();
    assert!(refused.contains("above the"), "{refused}");
}

/// The size bounds are inclusive of what they allow: base64 whose decoded size can be at most
/// the limit (plus the three bytes a last quantum may hold) is decoded, a quantum more is not;
/// a receipt of exactly the receipt limit reaches the CMS parser, a byte more does not.
#[test]
fn artefact_and_receipt_bounds_take_their_limit_and_refuse_one_step_more() {
    use keyplay::app_attest::input;
    // 44 characters: at most 33 bytes, which is the limit (30) plus one quantum's slack.
    let decoded = input::artefact(&"A".repeat(44), 30).expect("44 characters fit a limit of 30 bytes");
    assert_eq!(decoded, vec![0u8; 33]);
    // 48 characters: up to 36 bytes, over it, refused before decoding.
    let err = input::artefact(&"A".repeat(48), 30).expect_err("48 characters exceed a limit of 30 bytes");
    assert!(err.contains("48 characters of base64 is over the limit of 30 bytes"), "{err}");

    let at = cms::parse(&vec![0u8; cms::MAX_RECEIPT_BYTES]).err().unwrap_or_default();
    assert!(!at.contains("over the receipt limit"), "exactly the limit is parsed: {at}");
    let over = cms::parse(&vec![0u8; cms::MAX_RECEIPT_BYTES + 1]).err().unwrap_or_default();
    assert!(over.contains("over the receipt limit"), "a byte more is refused: {over}");
}

/// A format failure says its likely cause: damaged base64, or bytes that are not CBOR.
#[test]
fn a_format_failure_names_its_likely_cause() {
    let base = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    for (attestation, cause) in [
        ("not base64 at all!", "paste the exact base64 the app sent"),
        ("////", "not an App Attest object, or truncated/damaged bytes"),
    ] {
        let mut doc = base.clone();
        doc["attestation"] = json!(attestation);
        let out = run(&doc);
        let said = check(&out, "format")["cause"].as_str().unwrap_or_default().to_string();
        assert!(said.contains(cause), "{attestation}: {said}");
    }
}

/// A DCError is found by its Swift name or its Objective-C name alone, as well as by domain and code.
#[test]
fn a_dcerror_is_found_by_either_name_alone() {
    assert_eq!(dcerror::lookup("DCErrorInvalidKey").map(|c| c.raw), Some(3));
    assert_eq!(dcerror::lookup("caught DCError.invalidInput").map(|c| c.raw), Some(2));
}

/// A key-id of the wrong length is said to be no key identifier; one of the right length but
/// another value names another key; an App ID other than the attested one names the App ID the
/// receipt holds.
#[test]
fn key_id_and_rp_id_failures_say_which_mistake_it_was() {
    let base = document(&vector("appattest-att-veehaitch-ios14.4-dev"));
    for (key_id, cause) in [(b64(&[7u8; 16]), "decodes to 16 bytes, not 32"), (b64(&[7u8; 32]), "names another key")] {
        let mut doc = base.clone();
        doc["key-id"] = json!(key_id);
        let out = run(&doc);
        assert_eq!(failed(&out), ids(&["key-id"]));
        let said = check(&out, "key-id")["cause"].as_str().unwrap_or_default().to_string();
        assert!(said.contains(cause), "{key_id}: {said}");
    }
    let mut doc = base.clone();
    let real = base["app-id"].as_str().unwrap_or_default().to_string();
    doc["app-id"] = json!("ZZZZZZZZZZ.not.the.app");
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["rp-id"]));
    let said = check(&out, "rp-id")["cause"].as_str().unwrap_or_default().to_string();
    assert!(said.contains(&format!("made for the App ID \"{real}\" (named in its receipt)")), "{said}");
}

/// An attestation whose x5c holds the leaf alone is refused as a format error naming the count.
#[test]
fn an_x5c_with_one_certificate_is_a_format_error() {
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let p = parts(&v);
    // Both certificates are over 255 bytes: each follows a 3-byte header (0x59, a 2-byte
    // length), and the x5c array's header (0x82, two elements) precedes the leaf's.
    assert_eq!((p.raw[p.leaf_at - 4], p.raw[p.leaf_at - 3], p.raw[p.intermediate_at - 3]), (0x82, 0x59, 0x59));
    let mut raw = p.raw[..p.intermediate_at - 3].to_vec();
    raw[p.leaf_at - 4] = 0x81;
    raw.extend_from_slice(&p.raw[p.intermediate_at + p.intermediate_len..]);
    let out = run(&with_attestation(&v, &raw));
    assert_eq!(failed(&out), ids(&["format"]), "{}", out.report);
    let found = check(&out, "format")["found"].as_str().unwrap_or_default().to_string();
    assert!(found.ends_with("found 1 certificate(s)"), "{found}");
}

/// The note on the AT flag is given only when the flag is set: an assertion with it cleared
/// (its signature then fails) says nothing of it.
#[test]
fn the_at_flag_note_needs_the_at_flag() {
    let v = vector("appattest-asr-veehaitch-ios14.4-dev");
    let raw = unb64(v["inputs"]["assertion_b64"].as_str().unwrap_or_default());
    let value: ciborium::Value = ciborium::de::from_reader(raw.as_slice()).expect("CBOR");
    let map = value.as_map().expect("map");
    let ad =
        map.iter().find(|(k, _)| k.as_text() == Some("authenticatorData")).and_then(|(_, v)| v.as_bytes().cloned());
    let ad_at = find(&raw, &ad.unwrap_or_default());
    let base = document(&v);
    let note = |doc: &Value| check(&run(doc), "format")["message"].as_str().unwrap_or_default().contains("AT flag");
    assert!(note(&base), "the real assertion sets AT without attested data");
    assert_eq!(raw[ad_at + 32] & 0x40, 0x40);
    let mut cleared = raw.clone();
    cleared[ad_at + 32] &= !0x40;
    let mut doc = base.clone();
    doc["assertion"] = json!(b64(&cleared));
    assert!(!note(&doc));
}

/// An Apple extension value shows at most 64 entries: of 65 distinctly tagged ones, the first 64.
#[test]
fn an_apple_extension_value_shows_at_most_64_entries() {
    let mut body = Vec::new();
    for n in 0u8..65 {
        // [n] { OCTET STRING "a" }: context-specific, constructed; numbers from 31 on take a second byte.
        if n < 31 {
            body.push(0xa0 | n);
        } else {
            body.extend([0xbf, n]);
        }
        body.extend([0x03, 0x04, 0x01, b'a']);
    }
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes();
    let mut der = vec![0x30, 0x82, len[0], len[1]];
    der.extend(body);
    let shown = keyplay::app_attest::apple_ext::decode(&der);
    let entries = shown.as_ref().and_then(Value::as_object).map(|o| o.len());
    assert_eq!(entries, Some(64), "{shown:?}");
}

/// Without a receipt to name the App ID, an rp-id failure says whether the hash is of the given
/// App ID's bundle part alone, or of something else.
#[test]
fn an_rp_id_failure_without_a_receipt_tells_a_bundle_id_from_a_wrong_one() {
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let p = parts(&v);
    let value: ciborium::Value = ciborium::de::from_reader(p.raw.as_slice()).expect("CBOR");
    let receipt = value
        .as_map()
        .and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("attStmt")))
        .and_then(|(_, s)| s.as_map())
        .and_then(|s| s.iter().find(|(k, _)| k.as_text() == Some("receipt")))
        .and_then(|(_, r)| r.as_bytes().cloned())
        .expect("receipt");
    // The receipt's bytes zeroed: the CBOR stays whole, the receipt names no App ID.
    let at = find(&p.raw, &receipt);
    let mut raw = p.raw.clone();
    raw[at..at + receipt.len()].fill(0);
    let base = with_attestation(&v, &raw);
    let real = base["app-id"].as_str().unwrap_or_default().to_string();
    for (app_id, cause) in [
        (format!("XXXXXXXXXX.{real}"), "the hash is of the bundle ID alone"),
        ("ZZZZZZZZZZ.not.the.app".to_string(), "wrong team ID or bundle ID"),
    ] {
        let mut doc = base.clone();
        doc["app-id"] = json!(app_id);
        let out = run(&doc);
        let said = check(&out, "rp-id")["cause"].as_str().unwrap_or_default().to_string();
        assert!(said.contains(cause), "{app_id}: {said}");
    }
}

/// An x5c of three (the root appended) whose middle certificate's signature was altered: the
/// words name the middle link and its signer inside the x5c, the cause is an altered
/// certificate, and the figure marks that link alone as broken.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_broken_middle_link_is_named_by_its_place_in_the_x5c() {
    use keyplay::figure::{Figure, Link, Role};
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let p = parts(&v);
    let root = AppleRoot::AppAttestation.load().expect("root");
    let root_der = root.der();
    let len = u16::try_from(root_der.len()).expect("root under 64 KiB");
    assert_eq!((p.raw[p.leaf_at - 4], p.raw[p.intermediate_at - 3]), (0x82, 0x59));
    let end = p.intermediate_at + p.intermediate_len;
    let mut raw = p.raw[..end].to_vec();
    raw[p.leaf_at - 4] = 0x83;
    raw[end - 1] ^= 0x01;
    raw.push(0x59);
    raw.extend_from_slice(&len.to_be_bytes());
    raw.extend_from_slice(root_der);
    raw.extend_from_slice(&p.raw[end..]);
    let doc = with_attestation(&v, &raw);
    let out = run(&doc);
    assert_eq!(failed(&out), ids(&["certificate-chain"]), "{}", out.report["checks"]);
    let chain = check(&out, "certificate-chain");
    let message = chain["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("x5c[1] (") && message.contains("is not signed by x5c[2]:"), "{message}");
    let cause = chain["cause"].as_str().unwrap_or_default();
    assert!(cause.starts_with("a certificate in the attestation was altered"), "{cause}");

    let keyplay::Report::Verdict(verdict) = keyplay::run::run(doc, CLOCK) else { panic!("not a verdict") };
    let Some(Figure::Chain(figure)) = verdict.verdict.figures.into_iter().find(|f| matches!(f, Figure::Chain(_)))
    else {
        panic!("no chain figure")
    };
    let links: Vec<bool> = figure.certs.iter().map(|c| matches!(c.link, Link::Broken(_))).collect();
    assert_eq!(links, [false, true, false], "{:?}", figure.certs);
    // The root, carried as the x5c's last certificate, is drawn as the anchor, where the chain ends.
    let roles: Vec<Role> = figure.certs.iter().map(|c| c.role).collect();
    assert_eq!(roles, [Role::Leaf, Role::Intermediate, Role::Anchor]);
    assert_eq!(figure.certs[2].link, Link::End);
    assert_eq!(figure.first_failure(), Some(1));

    // The two-certificate x5c with its intermediate altered: the top link fails, and the
    // cause says the chain does not come from the App Attestation root.
    let out = run(&with_attestation(&v, &flipped(&p.raw, end - 1)));
    let cause = check(&out, "certificate-chain")["cause"].as_str().unwrap_or_default().to_owned();
    assert!(
        cause.starts_with("x5c[1] was issued by") && cause.contains("rather than by the App Attestation root"),
        "{cause}"
    );
    // The leaf altered: its signer is x5c[1].
    let out = run(&with_attestation(&v, &flipped(&p.raw, p.leaf_at + p.leaf_len - 1)));
    let message = check(&out, "certificate-chain")["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.starts_with("x5c[0] (") && message.contains("is not signed by x5c[1]:"), "{message}");
}

/// A receipt's certificate list is read up to eight entries, in order: eight are all kept,
/// a ninth is dropped.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_receipt_keeps_at_most_eight_certificates() {
    let v = vector("appattest-att-veehaitch-ios14.4-dev");
    let receipt = receipt_of(&unb64(v["inputs"]["attestation_b64"].as_str().unwrap_or_default()));
    let now = Instant(1_611_404_013);
    let real = receipt::inspect(&receipt, now);
    assert_eq!(real.certificates.len(), 3);
    // The certificates field is `[0]` of indefinite length (a0 80), first entry a SEQUENCE with
    // a two-byte length (30 82): copies of that entry go in front of it.
    let at = find(&receipt, &[0xa0, 0x80, 0x30, 0x82]) + 2;
    let first_len = 4 + usize::from(u16::from_be_bytes([receipt[at + 2], receipt[at + 3]]));
    let with_copies = |n: usize| {
        let mut out = receipt[..at].to_vec();
        for _ in 0..n {
            out.extend_from_slice(&receipt[at..at + first_len]);
        }
        out.extend_from_slice(&receipt[at..]);
        out
    };
    let subjects = |n: usize| -> Vec<String> {
        receipt::inspect(&with_copies(n), now).certificates.iter().map(|c| c.subject()).collect()
    };
    let [first, second, third] = [0, 1, 2].map(|i| real.certificates[i].subject());
    let eight = subjects(5);
    assert_eq!(eight.len(), 8);
    assert_eq!(eight[6..], [second.clone(), third], "the last two are the receipt's own");
    let nine = subjects(6);
    assert_eq!(nine.len(), cms::MAX_CERTIFICATES);
    assert_eq!(nine[..7], vec![first; 7][..]);
    assert_eq!(nine[7], second, "the ninth, the receipt's third certificate, is dropped");
}

/// An aaguid is shown as text only when every byte before its trailing zeros is a printable
/// ASCII character; otherwise as hex.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn an_aaguid_is_text_only_when_printable() {
    use keyplay::app_attest::report::aaguid_text;
    assert_eq!(aaguid_text(b"appattestdevelop"), "appattestdevelop");
    assert_eq!(aaguid_text(b"appattest\0\0\0\0\0\0\0"), "appattest\\0\\0\\0\\0\\0\\0\\0");
    assert_eq!(aaguid_text(b"app attest\0\0\0\0\0\0"), hex::encode(b"app attest\0\0\0\0\0\0"));
    assert_eq!(aaguid_text(b"appattest\x01\0\0\0\0\0\0"), hex::encode(b"appattest\x01\0\0\0\0\0\0"));
}

/// The shared authenticator-data parser: an error names its field and byte; extensions after
/// the header are read to their end and nothing may follow them; a credential id may be 1 023
/// bytes and not 1 024.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn authenticator_data_names_fields_and_bounds_credential_ids() {
    use keyplay::attest::auth_data::{parse, AuthDataError, MAX_CREDENTIAL_ID};
    let short = parse(&[0u8; 36], Rules::WEBAUTHN).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(short, "authenticator data, byte 33: expected 4 bytes of signCount, only 3 left");

    // UP and ED, then the extensions map {"credProtect": 1}.
    let mut header = vec![0u8; 37];
    header[32] = 0x81;
    let map = [&[0xa1, 0x6b][..], b"credProtect", &[0x01]].concat();
    let with_extensions = [header.clone(), map.clone()].concat();
    let ad = parse(&with_extensions, Rules::WEBAUTHN).expect("header and extensions");
    let ext = ad.extensions.expect("extensions");
    assert_eq!((ext.offset, ext.raw.as_slice()), (37, map.as_slice()));
    assert!(
        parse(&[with_extensions.as_slice(), &[0x00]].concat(), Rules::WEBAUTHN).is_err(),
        "a byte after the extensions"
    );

    // UP and AT, a credential id of `len` bytes, then the COSE key {1: 2}.
    let with_id = |len: usize| {
        let mut bytes = vec![0u8; 37];
        bytes[32] = 0x41;
        bytes.extend_from_slice(&[0u8; 16]);
        bytes.extend_from_slice(&u16::try_from(len).expect("u16").to_be_bytes());
        bytes.extend(std::iter::repeat_n(7u8, len));
        bytes.extend_from_slice(&[0xa1, 0x01, 0x02]);
        parse(&bytes, Rules::WEBAUTHN)
    };
    assert_eq!(MAX_CREDENTIAL_ID, 1023);
    let longest = with_id(1023).expect("1 023 bytes");
    assert_eq!(longest.attested.map(|a| a.credential_id.len()), Some(1023));
    assert!(matches!(with_id(1024), Err(AuthDataError::CredentialIdTooLong { offset: 53, length: 1024, max: 1023 })));
}

/// The shared CBOR reader: an input of its size limit is read, one byte more is refused, and
/// bytes after a whole item are counted; a value's type has a name for messages.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cbor_size_limit_and_trailing_bytes() {
    use keyplay::attest::cbor::{decode_prefix, decode_whole, CborError, MAX_CBOR_BYTES};
    // A byte string filling the limit: the 0x5a head (4-byte length), then its content.
    let content = MAX_CBOR_BYTES - 5;
    let mut at_limit = vec![0x5a];
    at_limit.extend_from_slice(&u32::try_from(content).expect("u32").to_be_bytes());
    at_limit.resize(MAX_CBOR_BYTES, 0);
    assert_eq!(decode_prefix(&at_limit).map(|(_, used)| used), Ok(MAX_CBOR_BYTES));
    at_limit.push(0);
    assert!(matches!(decode_prefix(&at_limit), Err(CborError::TooLarge { .. })));
    assert_eq!(decode_whole(&[0x01, 0x02, 0x03]), Err(CborError::Trailing { offset: 1, count: 2 }));
    // Messages name a value's type.
    use ciborium::Value as C;
    let names = [
        (C::Integer(1.into()), "integer"),
        (C::Bytes(vec![]), "byte string"),
        (C::Float(0.5), "float"),
        (C::Text(String::new()), "text string"),
        (C::Bool(true), "boolean"),
        (C::Null, "null"),
        (C::Tag(1, Box::new(C::Null)), "tagged value"),
        (C::Array(vec![]), "array"),
        (C::Map(vec![]), "map"),
    ];
    for (value, name) in names {
        assert_eq!(keyplay::attest::cbor::type_name(&value), name);
    }
    assert_eq!(keyplay::attest::cbor::to_json(&C::Null), Value::Null, "CBOR null is JSON null");
}
