//! WebAuthn engine: real vectors at their own time, tampered copies failing the right
//! check, every options lint firing and quiet, the provider model, and never-panics.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::attest::roots::AppleRoot;
use keyplay::data::{decode_base64, encode_base64url};
use keyplay::report::Printed;
use keyplay::Instant;

/// The report of a parsed document as `keyplay run` prints it.
fn run(doc: serde_json::Value, clock: Instant) -> Printed {
    keyplay::run::run(doc, clock).printed()
}
use serde_json::{json, Value};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

// ---------------------------------------------------------------- helpers

fn b64(text: &str) -> Vec<u8> {
    decode_base64(text).unwrap()
}

/// Builds a registration/authentication document from a vector file.
fn doc_from_vector(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap();
    let inputs = &v["inputs"];
    let uv = if inputs["require_user_verification"] == json!(true) { "required" } else { "preferred" };
    let mut doc = json!({
        "keyplay": 1,
        "response": inputs["credential"],
        "expected": {
            "challenge": inputs["expected_challenge_b64url"],
            "origin": inputs["expected_origin"],
            "rp-id": inputs["expected_rp_id"],
            "user-verification": uv,
        },
    });
    if v["kind"] == json!("webauthn.authentication") {
        doc["kind"] = json!("webauthn-authentication");
        doc["public-key"] = json!({"cose": inputs["credential_public_key_cose_b64url"]});
        doc["previous-sign-count"] = inputs["credential_current_sign_count"].clone();
    } else {
        doc["kind"] = json!("webauthn-registration");
        if let Some(pem) = inputs["trust_anchor_pem_for_packed"].as_str() {
            doc["attestation-roots"] = json!([{ "pem": pem }]);
        }
    }
    // Vectors without a pinned time: their YubiKey / TPM certificates are valid in 2024.
    doc["now"] = json!(v["verification_time"]["use"].as_str().unwrap_or("2024-01-01T00:00:00Z"));
    doc
}

fn report(doc: &Value) -> Value {
    let out = run(doc.clone(), Instant(0));
    assert_ne!(out.exit, 2, "document not understood: {}", out.report);
    out.report
}

fn failed(doc: &Value) -> Vec<String> {
    let r = report(doc);
    let mut ids: Vec<String> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == json!(false))
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn ids(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// A byte-string member of a vector's credential public key (COSE), as base64url.
fn cose_member(vector: &str, label: i64) -> String {
    let v: Value = serde_json::from_str(vector).unwrap();
    let cose = b64(v["inputs"]["credential_public_key_cose_b64url"].as_str().unwrap());
    let key: ciborium::Value = ciborium::de::from_reader(cose.as_slice()).unwrap();
    let map = key.as_map().unwrap();
    encode_base64url(map.iter().find(|(k, _)| k.as_integer() == Some(label.into())).unwrap().1.as_bytes().unwrap())
}

/// Applies `f` to the decoded bytes of a base64url response member and re-encodes it.
fn edit_member(doc: &mut Value, member: &str, f: impl FnOnce(&mut Vec<u8>)) {
    let slot = &mut doc["response"]["response"][member];
    let mut bytes = b64(slot.as_str().unwrap());
    f(&mut bytes);
    *slot = json!(encode_base64url(&bytes));
}

/// Replaces the last occurrence of `from` (authData comes after attStmt in the object).
fn replace_last(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let text = bytes.clone();
    let at = text.windows(from.len()).rposition(|w| w == from).expect("pattern present");
    bytes.splice(at..at + from.len(), to.iter().copied());
}

fn replace(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let text = bytes.clone();
    let at = text.windows(from.len()).position(|w| w == from).expect("pattern present");
    bytes.splice(at..at + from.len(), to.iter().copied());
}

const REG_NONE: &str = include_str!("vectors/webauthn-reg-none-pyw.json");
const REG_APPLE: &str = include_str!("vectors/webauthn-reg-apple-pyw-2021.json");
const REG_PACKED: &str = include_str!("vectors/webauthn-reg-packed-yubikey-pyw.json");
const REG_ED25519: &str = include_str!("vectors/webauthn-reg-packed-ed25519-pyw.json");
const REG_U2F: &str = include_str!("vectors/webauthn-reg-fido-u2f-yubikey-pyw.json");
const REG_TPM_ECC: &str = include_str!("vectors/webauthn-reg-tpm-ecc-pyw.json");
const REG_TPM_RSA: &str = include_str!("vectors/webauthn-reg-tpm-rsa-surface-pyw.json");
const REG_ANDROID: &str = include_str!("vectors/webauthn-reg-android-key-pyw-2025.json");
const REG_NEG_ROOT: &str = include_str!("vectors/webauthn-reg-neg-packed-wrong-root-pyw.json");
const AUTH_ES256: &str = include_str!("vectors/webauthn-auth-es256-pyw.json");
const AUTH_EDDSA: &str = include_str!("vectors/webauthn-auth-eddsa-pyw.json");
const AUTH_RS256: &str = include_str!("vectors/webauthn-auth-rs256-pyw.json");
const AUTH_NEG_UV: &str = include_str!("vectors/webauthn-auth-neg-uv-required-pyw.json");
const AUTH_NEG_KEY: &str = include_str!("vectors/webauthn-auth-neg-wrong-public-key-pyw.json");

// ---------------------------------------------------------------- real vectors

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn registrations_of_every_format_verify_at_their_time() {
    for (text, fmt, attestation_checked) in [
        (REG_NONE, "none", true),
        (REG_APPLE, "apple", true),
        (REG_PACKED, "packed", true),
        (REG_ED25519, "packed", true),
        (REG_U2F, "fido-u2f", true),
        (REG_TPM_ECC, "tpm", false),
        (REG_TPM_RSA, "tpm", false),
        (REG_ANDROID, "android-key", false),
    ] {
        let v: Value = serde_json::from_str(text).unwrap();
        let r = report(&doc_from_vector(text));
        assert_eq!(r["valid"], json!(true), "{}: {}", v["id"], r["checks"]);
        assert_eq!(r["fmt"], json!(fmt));
        let want = &v["expected_result"];
        assert_eq!(r["credential-id"], want["credential_id_b64url"], "{}", v["id"]);
        assert_eq!(r["sign-count"], want["sign_count"], "{}", v["id"]);
        assert_eq!(r["aaguid"]["id"].as_str().unwrap().replace('-', ""), want["aaguid_hex"].as_str().unwrap());
        // The reported COSE key carries the same coordinates / modulus as the vector's.
        let cose = b64(r["public-key"]["cose"].as_str().unwrap());
        let key: ciborium::Value = ciborium::de::from_reader(cose.as_slice()).unwrap();
        let map = key.as_map().unwrap();
        let get = |label: i64| map.iter().find(|(k, _)| k.as_integer() == Some(label.into())).map(|(_, v)| v.clone());
        let want_key = &want["credential_public_key_cose"];
        assert_eq!(get(3).and_then(|v| v.as_integer()), Some(want_key["3"].as_i64().unwrap().into()));
        let x = get(-2).unwrap();
        let want_x = want_key["-2"].as_str().unwrap();
        if let Some(bytes) = x.as_bytes() {
            assert_eq!(bytes, &b64(want_x), "{}", v["id"]);
        }
        assert!(r["public-key"]["pem"].as_str().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
        let checks = r["checks"].as_array().unwrap();
        let has = |id: &str| checks.iter().any(|c| c["id"] == json!(id));
        assert_eq!(has("attestation-statement"), attestation_checked, "{}", v["id"]);
        if !attestation_checked {
            let format = checks.iter().find(|c| c["id"] == json!("attestation-format")).unwrap();
            assert!(format["message"].as_str().unwrap().contains("not verified"));
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn apple_registration_chains_to_the_pinned_root() {
    let r = report(&doc_from_vector(REG_APPLE));
    assert_eq!(r["attestation-root"], json!("ST=California,O=Apple Inc.,CN=Apple WebAuthn Root CA"));
    assert_eq!(r["certificates"].as_array().unwrap().len(), 2);
    let root: Value = serde_json::from_str(include_str!("vectors/root-apple-webauthn-root-ca.json")).unwrap();
    assert_eq!(AppleRoot::WebAuthn.sha256(), root["sha256_fingerprint_der"].as_str().unwrap());
    assert_eq!(AppleRoot::WebAuthn.pem().trim(), root["pem"].as_str().unwrap().trim());
    let c = AppleRoot::WebAuthn.load().unwrap();
    assert_eq!(c.fingerprint(), root["sha256_fingerprint_der"].as_str().unwrap());
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn packed_full_attestation_reports_the_root_it_names() {
    let r = report(&doc_from_vector(REG_PACKED));
    assert!(r["attestation-root"].as_str().unwrap().contains("Yubico U2F Root CA"), "{}", r["attestation-root"]);
    let chain = r["checks"].as_array().unwrap().iter().find(|c| c["id"] == json!("attestation-chain")).unwrap();
    assert!(chain["message"].as_str().unwrap().contains("not anchored"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn authentications_verify_and_report_the_new_count() {
    for text in [AUTH_ES256, AUTH_EDDSA, AUTH_RS256] {
        let v: Value = serde_json::from_str(text).unwrap();
        let r = report(&doc_from_vector(text));
        assert_eq!(r["valid"], json!(true), "{}: {}", v["id"], r["checks"]);
        assert_eq!(r["sign-count"], v["expected_result"]["new_sign_count"]);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn stored_key_works_as_pem_and_jwk_too() {
    for text in [AUTH_ES256, AUTH_EDDSA, AUTH_RS256] {
        let doc = doc_from_vector(text);
        let r = report(&doc);
        let pem = r["public-key"]["pem"].as_str().unwrap().to_string();
        let mut with_pem = doc.clone();
        with_pem["public-key"] = json!({ "pem": pem });
        assert_eq!(failed(&with_pem), Vec::<String>::new());
        // A PEM of another key fails the signature.
        let other = report(&doc_from_vector(AUTH_NEG_UV))["public-key"]["pem"].clone();
        if r["public-key"]["type"] == json!("EC P-256") {
            with_pem["public-key"] = json!({ "pem": other });
            assert_eq!(failed(&with_pem), ids(&["signature"]));
        }
    }
    // JWK form of the ES256 key, built from its COSE coordinates.
    let coord = |label: i64| cose_member(AUTH_ES256, label);
    let mut doc = doc_from_vector(AUTH_ES256);
    doc["public-key"] = json!({"jwk": {"kty": "EC", "crv": "P-256", "x": coord(-2), "y": coord(-3), "alg": "ES256"}});
    assert_eq!(failed(&doc), Vec::<String>::new());
    doc["public-key"] = json!({"jwk": {"kty": "EC", "crv": "P-256", "x": coord(-3), "y": coord(-2)}});
    assert_eq!(failed(&doc), ids(&["public-key"]), "swapped coordinates are not a point on the curve");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn negative_vectors_fail_their_named_check() {
    assert_eq!(failed(&doc_from_vector(AUTH_NEG_UV)), ids(&["user-verified"]));
    assert_eq!(failed(&doc_from_vector(AUTH_NEG_KEY)), ids(&["signature"]));
    assert_eq!(failed(&doc_from_vector(REG_NEG_ROOT)), ids(&["attestation-chain"]));
    // The same UV vector passes when UV is only preferred.
    let mut doc = doc_from_vector(AUTH_NEG_UV);
    doc["expected"]["user-verification"] = json!("preferred");
    assert_eq!(failed(&doc), Vec::<String>::new());
}

// ---------------------------------------------------------------- tampered copies

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wrong_expectations_fail_the_matching_check() {
    for text in [REG_NONE, REG_APPLE, REG_PACKED, AUTH_ES256, AUTH_RS256] {
        let base = doc_from_vector(text);
        let mut doc = base.clone();
        doc["expected"]["origin"] = json!("https://evil.example");
        assert_eq!(failed(&doc), ids(&["origin"]));
        let mut doc = base.clone();
        doc["expected"]["challenge"] = json!(encode_base64url(&[9u8; 32]));
        assert_eq!(failed(&doc), ids(&["challenge"]));
        let mut doc = base.clone();
        doc["expected"]["rp-id"] = json!("example.com");
        assert_eq!(failed(&doc), ids(&["rp-id"]));
        let mut doc = base.clone();
        doc["response"]["id"] = json!("AAAA");
        assert_eq!(failed(&doc), ids(&["credential-id"]));
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_changed_client_data_byte_breaks_what_it_protects() {
    // Origin rewritten inside clientDataJSON ("5000" -> "5001" / "5000" port of Apple's).
    for (text, attested) in [
        (REG_NONE, &[][..]),
        (REG_PACKED, &["attestation-statement"][..]),
        (REG_ED25519, &["attestation-statement"][..]),
        (REG_U2F, &["attestation-statement"][..]),
        (REG_APPLE, &["attestation-statement"][..]),
    ] {
        let mut doc = doc_from_vector(text);
        edit_member(&mut doc, "clientDataJSON", |b| replace(b, b":5000", b":5001"));
        let mut want = vec!["origin"];
        want.extend_from_slice(attested);
        assert_eq!(failed(&doc), ids(&want), "{}", &text[..80]);
    }
    let mut doc = doc_from_vector(AUTH_ES256);
    edit_member(&mut doc, "clientDataJSON", |b| replace(b, b":5000", b":5001"));
    assert_eq!(failed(&doc), ids(&["origin", "signature"]));
    // A registration's clientDataJSON type where an assertion is expected.
    let mut doc = doc_from_vector(AUTH_EDDSA);
    edit_member(&mut doc, "clientDataJSON", |b| replace(b, b"webauthn.get", b"webauthn.create"));
    assert_eq!(failed(&doc), ids(&["client-data-type", "signature"]));
    // Unparseable client data is a format failure, not a document error.
    let mut doc = doc_from_vector(AUTH_EDDSA);
    edit_member(&mut doc, "clientDataJSON", |b| b.truncate(10));
    assert_eq!(failed(&doc), ids(&["format"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_changed_authenticator_data_byte_breaks_the_signature() {
    // Assertion: flip the low byte of the sign count.
    let mut doc = doc_from_vector(AUTH_ES256);
    edit_member(&mut doc, "authenticatorData", |b| {
        let last = b.len() - 1;
        b[last] ^= 0x01;
    });
    assert_eq!(failed(&doc), ids(&["signature"]));
    // Registration: flip the sign count inside the attestation object's authData.
    for (text, count) in [(REG_PACKED, 52u32), (REG_APPLE, 0), (REG_ED25519, 2)] {
        let mut doc = doc_from_vector(text);
        edit_member(&mut doc, "attestationObject", |b| {
            let flags_and_count: Vec<u8> = count.to_be_bytes().to_vec();
            let new = (count ^ 0x0100).to_be_bytes();
            // The count follows the flags byte (0x41 or 0x45) right after the 32-byte rpIdHash.
            let at =
                b.windows(5).position(|w| (w[0] == 0x45 || w[0] == 0x41) && w[1..] == flags_and_count[..]).unwrap();
            b[at + 1..at + 5].copy_from_slice(&new);
        });
        assert_eq!(failed(&doc), ids(&["attestation-statement"]), "{}", &text[..80]);
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_changed_signature_byte_fails_the_signature() {
    for text in [AUTH_ES256, AUTH_EDDSA, AUTH_RS256] {
        let mut doc = doc_from_vector(text);
        edit_member(&mut doc, "signature", |b| {
            let mid = b.len() / 2;
            b[mid] ^= 0x20;
        });
        assert_eq!(failed(&doc), ids(&["signature"]));
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn registration_flags_are_checked() {
    // The none vector: flags 0x45 (UP, UV, AT). None attestation signs nothing, so only the
    // flag checks react.
    let flip = |from: u8, to: u8| {
        let mut doc = doc_from_vector(REG_NONE);
        edit_member(&mut doc, "attestationObject", |b| {
            let v: Value = serde_json::from_str(REG_NONE).unwrap();
            let rp_hash = {
                use sha2::Digest;
                sha2::Sha256::digest(v["inputs"]["expected_rp_id"].as_str().unwrap().as_bytes()).to_vec()
            };
            let at = b.windows(33).position(|w| w[..32] == rp_hash[..] && w[32] == from).unwrap();
            b[at + 32] = to;
        });
        failed(&doc)
    };
    assert_eq!(flip(0x45, 0x44), ids(&["user-present"]));
    assert_eq!(flip(0x45, 0x55), ids(&["backup-state"]));
    assert_eq!(flip(0x45, 0x5d), Vec::<String>::new(), "BE and BS together are fine");
    // UV required: the ed25519 packed vector has flags 0x41 (no UV).
    let mut doc = doc_from_vector(REG_ED25519);
    doc["expected"]["user-verification"] = json!("required");
    assert_eq!(failed(&doc), ids(&["user-verified"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn registration_key_and_attestation_checks() {
    // Requested algorithms: ES256 listed passes, RS256-only fails public-key.
    let mut doc = doc_from_vector(REG_APPLE);
    doc["expected"]["algorithms"] = json!([-7]);
    assert_eq!(failed(&doc), Vec::<String>::new());
    doc["expected"]["algorithms"] = json!([-257]);
    assert_eq!(failed(&doc), ids(&["public-key"]));
    // Apple: certificate expired at a later time.
    let mut doc = doc_from_vector(REG_APPLE);
    doc["now"] = json!("2026-11-28T12:00:00Z");
    assert_eq!(failed(&doc), ids(&["attestation-chain"]));
    // Apple: the credential key swapped for another valid P-256 key of the same size
    // breaks both the nonce and the key binding.
    let apple: Value = serde_json::from_str(REG_APPLE).unwrap();
    let none: Value = serde_json::from_str(REG_NONE).unwrap();
    let coords = |v: &Value| {
        (
            b64(v["expected_result"]["credential_public_key_cose"]["-2"].as_str().unwrap()),
            b64(v["expected_result"]["credential_public_key_cose"]["-3"].as_str().unwrap()),
        )
    };
    let (ax, ay) = coords(&apple);
    let (nx, ny) = coords(&none);
    let mut doc = doc_from_vector(REG_APPLE);
    edit_member(&mut doc, "attestationObject", |b| {
        replace_last(b, &ax, &nx);
        replace_last(b, &ay, &ny);
    });
    assert_eq!(failed(&doc), ids(&["attestation-statement", "attestation-certificate"]));
    // The same swap inside the leaf certificate instead breaks the chain and the binding.
    let mut doc = doc_from_vector(REG_APPLE);
    edit_member(&mut doc, "attestationObject", |b| replace(b, &ax, &nx));
    assert_eq!(failed(&doc), ids(&["attestation-chain", "attestation-certificate"]));
    // A trust anchor that is not the packed key's vendor root fails the chain; with the
    // Apple root given as anchor instead, the packed chain still does not lead to it.
    let mut doc = doc_from_vector(REG_PACKED);
    doc["attestation-roots"] = json!([{ "pem": AppleRoot::WebAuthn.pem() }]);
    assert_eq!(failed(&doc), ids(&["attestation-chain"]));
    // Truncated attestation object: format.
    let mut doc = doc_from_vector(REG_PACKED);
    edit_member(&mut doc, "attestationObject", |b| b.truncate(b.len() / 2));
    assert_eq!(failed(&doc), ids(&["format"]));
    // Not base64url at all: format.
    let mut doc = doc_from_vector(REG_PACKED);
    doc["response"]["response"]["attestationObject"] = json!("***");
    assert_eq!(failed(&doc), ids(&["format"]));
}

// ---------------------------------------------------------------- synthetic ceremonies
// Signed here with a fixed test key, to reach the checks no captured vector exercises
// (AT in an assertion, crossOrigin, counts of 0, self attestation, malformed statements).

mod synth {
    use super::*;
    use keyplay::webauthn::cose::{to_cose, CoseKey, PublicKey};
    use p256::ecdsa::signature::Signer;
    use sha2::{Digest, Sha256};

    pub const RAW_ID: [u8; 4] = [1, 2, 3, 4];

    pub fn key(seed: u8) -> p256::ecdsa::SigningKey {
        p256::ecdsa::SigningKey::from_bytes(&[seed; 32].into()).unwrap()
    }

    pub fn cose(seed: u8) -> Vec<u8> {
        to_cose(&CoseKey { key: PublicKey::P256(*key(seed).verifying_key()), alg: Some(-7) }).unwrap()
    }

    pub fn client(kind: &str, extra: Value) -> Vec<u8> {
        let mut c = json!({"type": kind, "challenge": encode_base64url(&[5u8; 32]), "origin": "https://example.com"});
        if let (Some(c), Some(e)) = (c.as_object_mut(), extra.as_object()) {
            c.extend(e.clone());
        }
        c.to_string().into_bytes()
    }

    pub fn auth_data(flags: u8, count: u32, rest: &[u8]) -> Vec<u8> {
        let mut a = Sha256::digest(b"example.com").to_vec();
        a.push(flags);
        a.extend_from_slice(&count.to_be_bytes());
        a.extend_from_slice(rest);
        a
    }

    pub fn attested(cred_id: &[u8], seed: u8) -> Vec<u8> {
        let mut a = vec![0u8; 16];
        a.extend_from_slice(&(cred_id.len() as u16).to_be_bytes());
        a.extend_from_slice(cred_id);
        a.extend_from_slice(&cose(seed));
        a
    }

    pub fn sign(seed: u8, auth: &[u8], client: &[u8]) -> Vec<u8> {
        let mut m = auth.to_vec();
        m.extend_from_slice(&Sha256::digest(client));
        let s: p256::ecdsa::Signature = key(seed).sign(&m);
        s.to_der().as_bytes().to_vec()
    }

    fn expected() -> Value {
        json!({"challenge": encode_base64url(&[5u8; 32]), "origin": "https://example.com", "rp-id": "example.com"})
    }

    pub fn assertion(auth: &[u8], client: &[u8], previous: u32) -> Value {
        json!({
            "keyplay": 1, "kind": "webauthn-authentication",
            "response": {"id": encode_base64url(&RAW_ID), "rawId": encode_base64url(&RAW_ID), "type": "public-key",
                "response": {"clientDataJSON": encode_base64url(client), "authenticatorData": encode_base64url(auth),
                    "signature": encode_base64url(&sign(1, auth, client))}},
            "public-key": {"cose": encode_base64url(&cose(1))},
            "expected": expected(),
            "previous-sign-count": previous,
        })
    }

    pub fn registration(fmt: &str, stmt: Vec<(ciborium::Value, ciborium::Value)>, auth: &[u8], client: &[u8]) -> Value {
        let obj = ciborium::Value::Map(vec![
            (ciborium::Value::Text("fmt".into()), ciborium::Value::Text(fmt.into())),
            (ciborium::Value::Text("attStmt".into()), ciborium::Value::Map(stmt)),
            (ciborium::Value::Text("authData".into()), ciborium::Value::Bytes(auth.to_vec())),
        ]);
        let mut ao = Vec::new();
        ciborium::ser::into_writer(&obj, &mut ao).unwrap();
        json!({
            "keyplay": 1, "kind": "webauthn-registration", "now": "2026-01-01T00:00:00Z",
            "response": {"id": encode_base64url(&RAW_ID), "rawId": encode_base64url(&RAW_ID), "type": "public-key",
                "response": {"clientDataJSON": encode_base64url(client), "attestationObject": encode_base64url(&ao)}},
            "expected": expected(),
        })
    }

    pub fn packed_self(alg: i64, sig: Vec<u8>) -> Vec<(ciborium::Value, ciborium::Value)> {
        vec![
            (ciborium::Value::Text("alg".into()), ciborium::Value::Integer(alg.into())),
            (ciborium::Value::Text("sig".into()), ciborium::Value::Bytes(sig)),
        ]
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn assertion_checks_pass_and_fail() {
    let get = synth::client("webauthn.get", json!({}));
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x05, 10, &[]), &get, 9)), Vec::<String>::new());
    // Sign counts: both 0 is fine; equal or lower is a clone signal; 0 after counting too.
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x05, 0, &[]), &get, 0)), Vec::<String>::new());
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x05, 10, &[]), &get, 10)), ids(&["sign-count"]));
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x05, 0, &[]), &get, 10)), ids(&["sign-count"]));
    // Flags.
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x04, 10, &[]), &get, 9)), ids(&["user-present"]));
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x15, 10, &[]), &get, 9)), ids(&["backup-state"]));
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x1d, 10, &[]), &get, 9)), Vec::<String>::new());
    let with_at = synth::auth_data(0x45, 10, &synth::attested(&synth::RAW_ID, 1));
    assert_eq!(failed(&synth::assertion(&with_at, &get, 9)), ids(&["attested-credential-data"]));
    // AT without attested data cannot be parsed: format.
    assert_eq!(failed(&synth::assertion(&synth::auth_data(0x45, 10, &[]), &get, 9)), ids(&["format"]));
    // Cross-origin: refused unless expected.
    let cross = synth::client("webauthn.get", json!({"crossOrigin": true, "topOrigin": "https://shop.example"}));
    let mut doc = synth::assertion(&synth::auth_data(0x05, 10, &[]), &cross, 9);
    assert_eq!(failed(&doc), ids(&["cross-origin"]));
    doc["expected"]["cross-origin"] = json!(true);
    assert_eq!(failed(&doc), Vec::<String>::new());
    // An unusable stored key.
    let mut doc = synth::assertion(&synth::auth_data(0x05, 10, &[]), &get, 9);
    doc["public-key"] = json!({"cose": "oA"});
    assert_eq!(failed(&doc), ids(&["public-key"]));
    doc["public-key"] = json!({"pem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"});
    assert_eq!(failed(&doc), ids(&["public-key"]));
    // A registration response sent to an authentication document: format.
    let mut doc = synth::assertion(&synth::auth_data(0x05, 10, &[]), &get, 9);
    doc["response"]["response"].as_object_mut().unwrap().remove("authenticatorData");
    assert_eq!(failed(&doc), ids(&["format"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn self_attestation_and_malformed_statements() {
    let create = synth::client("webauthn.create", json!({}));
    let ad = synth::auth_data(0x45, 0, &synth::attested(&synth::RAW_ID, 1));
    let good = synth::sign(1, &ad, &create);
    assert_eq!(
        failed(&synth::registration("packed", synth::packed_self(-7, good.clone()), &ad, &create)),
        Vec::<String>::new()
    );
    assert_eq!(
        failed(&synth::registration("packed", synth::packed_self(-257, good.clone()), &ad, &create)),
        ids(&["attestation-statement"])
    );
    let other = synth::sign(2, &ad, &create);
    assert_eq!(
        failed(&synth::registration("packed", synth::packed_self(-7, other), &ad, &create)),
        ids(&["attestation-statement"])
    );
    assert_eq!(failed(&synth::registration("packed", vec![], &ad, &create)), ids(&["attestation-statement"]));
    assert_eq!(failed(&synth::registration("none", vec![], &ad, &create)), Vec::<String>::new());
    assert_eq!(
        failed(&synth::registration("none", synth::packed_self(-7, good.clone()), &ad, &create)),
        ids(&["attestation-statement"])
    );
    assert_eq!(failed(&synth::registration("fido-u3f", vec![], &ad, &create)), ids(&["attestation-format"]));
    // The wrong ceremony type.
    let get = synth::client("webauthn.get", json!({}));
    assert_eq!(failed(&synth::registration("none", vec![], &ad, &get)), ids(&["client-data-type"]));
    // No AT, or a credential id different from rawId.
    let no_at = synth::auth_data(0x05, 0, &[]);
    assert_eq!(failed(&synth::registration("none", vec![], &no_at, &create)), ids(&["attested-credential-data"]));
    let other_id = synth::auth_data(0x45, 0, &synth::attested(&[9, 9], 1));
    assert_eq!(failed(&synth::registration("none", vec![], &other_id, &create)), ids(&["attested-credential-data"]));
    // Extensions: ED with a CBOR map parses; ED without one, or trailing bytes, are format errors.
    let mut ext = synth::attested(&synth::RAW_ID, 1);
    ext.extend_from_slice(&[0xa1, 0x6b, b'c', b'r', b'e', b'd', b'P', b'r', b'o', b't', b'e', b'c', b't', 0x02]);
    let ad_ed = synth::auth_data(0xc5, 0, &ext);
    assert_eq!(failed(&synth::registration("none", vec![], &ad_ed, &create)), Vec::<String>::new());
    let ad_trailing = synth::auth_data(0x45, 0, &ext);
    assert_eq!(failed(&synth::registration("none", vec![], &ad_trailing, &create)), ids(&["format"]));
    let ad_ed_missing = synth::auth_data(0xc5, 0, &synth::attested(&synth::RAW_ID, 1));
    assert_eq!(failed(&synth::registration("none", vec![], &ad_ed_missing, &create)), ids(&["format"]));
}

// ---------------------------------------------------------------- options lints

fn clean_creation() -> Value {
    json!({
        "rp": {"id": "example.com", "name": "Example"},
        "user": {"id": encode_base64url(&[1u8; 32]), "name": "alice", "displayName": "Alice"},
        "challenge": encode_base64url(&[2u8; 32]),
        "pubKeyCredParams": [{"type": "public-key", "alg": -8}, {"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 300000,
        "authenticatorSelection": {"residentKey": "required", "requireResidentKey": true, "userVerification": "preferred"},
        "attestation": "none",
        "excludeCredentials": [{"type": "public-key", "id": encode_base64url(&[3u8; 16]), "transports": ["internal", "hybrid"]}],
    })
}

fn clean_request() -> Value {
    json!({
        "challenge": encode_base64url(&[4u8; 32]),
        "rpId": "example.com",
        "allowCredentials": [{"type": "public-key", "id": encode_base64url(&[3u8; 16]), "transports": ["usb", "nfc"]}],
        "userVerification": "required",
        "timeout": 300000,
    })
}

fn options_doc(options: Value, origin: &str) -> Value {
    json!({"keyplay": 1, "kind": "webauthn-options", "options": options, "origin": origin})
}

/// The check `id` of the report of options linted for `origin`.
fn option_check(options: Value, origin: &str, id: &str) -> Value {
    let r = report(&options_doc(options, origin));
    r["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == id).cloned()).unwrap_or(Value::Null)
}

/// Sets the member at a JSON pointer (creating it), or removes it when `value` is None.
fn set(mut v: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = v.pointer_mut(parent).unwrap().as_object_mut().unwrap();
    match value {
        Some(x) => {
            target.insert(key.to_string(), x);
        }
        None => {
            target.remove(key);
        }
    }
    v
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn clean_options_raise_no_lint_and_run_every_lint() {
    let r = report(&options_doc(clean_creation(), "https://login.example.com"));
    assert_eq!(r["valid"], json!(true), "{}", r["checks"]);
    assert_eq!(r["ceremony"], json!("create"));
    let ran: Vec<&str> = r["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    for lint in keyplay::webauthn::options::knowledge::LINTS {
        assert_eq!(ran.contains(&lint.id.id()), lint.id.id() != "allow-credentials", "{}", lint.id);
    }
    assert_eq!(ran.len(), keyplay::webauthn::options::knowledge::LINTS.len() - 1, "each lint runs once: {ran:?}");
    let r = report(&options_doc(clean_request(), "https://example.com"));
    assert_eq!(r["valid"], json!(true), "{}", r["checks"]);
    assert_eq!(r["ceremony"], json!("get"));
    // Every lint in the report carries its severity, rule and authenticator behaviour.
    for l in r["lints"].as_array().unwrap() {
        assert!(
            l["spec"].is_string() && l["severity"].is_string() && l["authenticators"]["icloud-keychain"].is_string(),
            "{l}"
        );
    }
    // The {"publicKey": …} wrapper is accepted, also beside `mediation` (passkey autofill)
    // and `signal`, and the wrapped options are linted as they are.
    assert_eq!(
        failed(&options_doc(json!({"publicKey": clean_request()}), "https://example.com")),
        Vec::<String>::new()
    );
    let autofill = json!({"mediation": "conditional", "signal": {}, "publicKey": clean_request()});
    let r = report(&options_doc(autofill, "https://example.com"));
    assert_eq!((&r["valid"], &r["ceremony"]), (&json!(true), &json!("get")), "{}", r["checks"]);
    // A creation wrapped the same way, its challenge left out: that is what fails.
    let wrapped_creation = json!({"mediation": "conditional", "publicKey": set(clean_creation(), "/challenge", None)});
    let doc = options_doc(wrapped_creation, "https://login.example.com");
    assert_eq!(report(&doc)["ceremony"], json!("create"));
    assert_eq!(failed(&doc), ids(&["required-members"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn each_creation_lint_fires_alone() {
    let pk = |alg: i64| json!({"type": "public-key", "alg": alg});
    let cases: Vec<(Value, &str, Vec<&str>)> = vec![
        (clean_creation(), "http://login.example.com", vec!["origin"]),
        (clean_creation(), "https://192.168.1.10", vec!["origin"]),
        (clean_creation(), "https://login.example.com/path", vec!["origin"]),
        (set(clean_creation(), "/rp/id", Some(json!("com"))), "https://login.example.com", vec!["rp-id"]),
        (set(clean_creation(), "/rp/id", Some(json!("example.org"))), "https://login.example.com", vec!["rp-id"]),
        (
            set(clean_creation(), "/rp/id", Some(json!("m.login.example.com"))),
            "https://login.example.com",
            vec!["rp-id"],
        ),
        (
            set(clean_creation(), "/rp/id", Some(json!("https://example.com"))),
            "https://login.example.com",
            vec!["rp-id"],
        ),
        (set(clean_creation(), "/rp/id", Some(json!("co.uk"))), "https://shop.example.co.uk", vec!["rp-id"]),
        (set(clean_creation(), "/user/displayName", None), "https://login.example.com", vec!["required-members"]),
        (
            set(clean_creation(), "/pubKeyCredParam", Some(json!([]))),
            "https://login.example.com",
            vec!["unknown-member"],
        ),
        (
            set(clean_creation(), "/challenge", Some(json!("AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg+/"))),
            "https://login.example.com",
            vec!["encoding"],
        ),
        (
            set(clean_creation(), "/challenge", Some(json!(encode_base64url(&[2u8; 8])))),
            "https://login.example.com",
            vec!["challenge-length"],
        ),
        (
            set(clean_creation(), "/user/id", Some(json!(encode_base64url(&[1u8; 65])))),
            "https://login.example.com",
            vec!["user-id-length"],
        ),
        (
            set(clean_creation(), "/user/id", Some(json!(encode_base64url(b"alice@example.com")))),
            "https://login.example.com",
            vec!["user-id-pii"],
        ),
        (
            set(clean_creation(), "/pubKeyCredParams", Some(json!([]))),
            "https://login.example.com",
            vec!["algorithms-empty", "algorithms-recommended"],
        ),
        (
            set(
                clean_creation(),
                "/pubKeyCredParams",
                Some(json!([pk(-8), pk(-7), pk(-257), {"type": "public_key", "alg": -7}])),
            ),
            "https://login.example.com",
            vec!["algorithms-type"],
        ),
        (
            set(clean_creation(), "/pubKeyCredParams", Some(json!([pk(-8), pk(-7), pk(-257), pk(7)]))),
            "https://login.example.com",
            vec!["algorithms-unknown"],
        ),
        (
            set(clean_creation(), "/pubKeyCredParams", Some(json!([pk(-8), pk(-257)]))),
            "https://login.example.com",
            vec!["algorithms-es256"],
        ),
        (
            set(clean_creation(), "/pubKeyCredParams", Some(json!([pk(-7)]))),
            "https://login.example.com",
            vec!["algorithms-recommended"],
        ),
        (
            set(clean_creation(), "/pubKeyCredParams", Some(json!([pk(-8), pk(-7), pk(-257), pk(-9)]))),
            "https://login.example.com",
            vec!["algorithms-recommended"],
        ),
        (
            set(clean_creation(), "/authenticatorSelection/requireResidentKey", None),
            "https://login.example.com",
            vec!["resident-key"],
        ),
        (
            set(clean_creation(), "/authenticatorSelection/residentKey", Some(json!("preferred"))),
            "https://login.example.com",
            vec!["resident-key"],
        ),
        (
            set(clean_creation(), "/authenticatorSelection/residentKey", Some(json!(true))),
            "https://login.example.com",
            vec!["resident-key"],
        ),
        (
            set(clean_creation(), "/authenticatorSelection/userVerification", Some(json!("always"))),
            "https://login.example.com",
            vec!["user-verification"],
        ),
        (
            set(clean_creation(), "/authenticatorSelection/authenticatorAttachment", Some(json!("roaming"))),
            "https://login.example.com",
            vec!["authenticator-attachment"],
        ),
        (set(clean_creation(), "/attestation", Some(json!("full"))), "https://login.example.com", vec!["attestation"]),
        (
            set(clean_creation(), "/attestation", Some(json!("enterprise"))),
            "https://login.example.com",
            vec!["attestation"],
        ),
        (set(clean_creation(), "/timeout", Some(json!(60000))), "https://login.example.com", vec!["timeout"]),
        (set(clean_creation(), "/timeout", Some(json!("60s"))), "https://login.example.com", vec!["timeout"]),
        (
            set(
                clean_creation(),
                "/excludeCredentials",
                Some(json!([{"type": "public-key", "id": encode_base64url(&[3u8; 16]), "transports": ["bluetooth"]}])),
            ),
            "https://login.example.com",
            vec!["exclude-credentials"],
        ),
        (
            set(clean_creation(), "/excludeCredentials", Some(json!([{"type": "public-key", "id": "AwMD/w=="}]))),
            "https://login.example.com",
            vec!["exclude-credentials", "encoding"],
        ),
    ];
    for (options, origin, want) in cases {
        let got = failed(&options_doc(options.clone(), origin));
        assert_eq!(got, ids(&want), "{origin} {options}");
    }
    // Quiet variants of the same rules.
    for (options, origin) in [
        (clean_creation(), "http://localhost:8080"),
        (set(clean_creation(), "/rp/id", Some(json!("example.co.uk"))), "https://shop.example.co.uk"),
        (set(clean_creation(), "/rp/id", None), "https://login.example.com"),
        (
            set(clean_creation(), "/authenticatorSelection", Some(json!({"residentKey": "discouraged"}))),
            "https://login.example.com",
        ),
    ] {
        let options =
            if origin == "http://localhost:8080" { set(options, "/rp/id", Some(json!("localhost"))) } else { options };
        assert_eq!(failed(&options_doc(options.clone(), origin)), Vec::<String>::new(), "{origin} {options}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn each_request_lint_fires_alone() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (set(clean_request(), "/challenge", None), vec!["required-members"]),
        (set(clean_request(), "/rpID", Some(json!("example.com"))), vec!["unknown-member"]),
        (set(clean_request(), "/rpId", Some(json!("other.example"))), vec!["rp-id"]),
        (set(clean_request(), "/challenge", Some(json!(encode_base64url(b"hello")))), vec!["challenge-length"]),
        (set(clean_request(), "/userVerification", Some(json!("yes"))), vec!["user-verification"]),
        (set(clean_request(), "/timeout", Some(json!(1_000_000))), vec!["timeout"]),
        (
            set(clean_request(), "/allowCredentials", Some(json!([{"type": "public-key", "id": ""}]))),
            vec!["allow-credentials"],
        ),
        (set(clean_request(), "/allowCredentials", Some(json!({"type": "public-key"}))), vec!["allow-credentials"]),
        (
            set(clean_request(), "/allowCredentials", Some(json!([{"type": "public-key", "id": "AwMD+w"}]))),
            vec!["allow-credentials", "encoding"],
        ),
    ];
    for (options, want) in cases {
        assert_eq!(failed(&options_doc(options.clone(), "https://example.com")), ids(&want), "{options}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn misshapen_documents_are_document_errors() {
    for (doc, path) in [
        (json!({"keyplay": 1, "kind": "webauthn-options", "options": [], "origin": "https://a.example"}), "/options"),
        (json!({"keyplay": 1, "kind": "webauthn-options", "options": {}, "orign": "https://a.example"}), "/orign"),
        (
            json!({"keyplay": 1, "kind": "webauthn-authentication", "response": {}, "public-key": {"cose": ""}, "expected": {}}),
            "/expected",
        ),
        (
            json!({"keyplay": 1, "kind": "webauthn-authentication", "response": {"id": "a"}, "public-key": {"der": ""},
            "expected": {"challenge": "AA", "origin": "https://a.example", "rp-id": "a.example"}}),
            "/",
        ),
    ] {
        let out = run(doc.clone(), Instant(0));
        assert_eq!(out.exit, 2, "{doc}");
        assert!(out.report["error"]["path"].as_str().unwrap().starts_with(path), "{}", out.report);
    }
    let mut doc = doc_from_vector(AUTH_ES256);
    doc["expected"]["user-verificaton"] = json!("required");
    let out = run(doc, Instant(0));
    assert_eq!(out.exit, 2);
    assert!(
        out.report["error"]["message"].as_str().unwrap().contains("did you mean user-verification"),
        "{}",
        out.report
    );
}

// ---------------------------------------------------------------- examples

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_example_meets_its_expectation() {
    let examples: Vec<(&str, &str)> = keyplay::gallery::of_kind("webauthn").collect();
    assert!(examples.len() >= 13, "the webauthn gallery shrank to {}", examples.len());
    for (name, text) in examples {
        let out = run_text(text, Instant(1_795_867_200));
        assert_eq!(out.exit, 0, "{name}: {}", out.report);
        assert_eq!(out.report["expect"], json!("met"), "{name}");
    }
}

// ---------------------------------------------------------------- provider explainer

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn provider_model_explains_when_the_ui_method_is_called() {
    use keyplay::webauthn::provider::{method_called, next, Credential, Event, ExtensionError, State};
    let pick = Event::UserPicksSuggestedIdentity { credential: Credential::Passkey };
    // The forum case: the silent path completes, so the UI method is never reached.
    let s = next(State::Idle, pick);
    assert_eq!(s, State::ProvidingWithoutUi { credential: Credential::Passkey });
    assert!(method_called(s).unwrap().starts_with("provideCredentialWithoutUserInteraction"));
    assert_eq!(next(s, Event::ExtensionCompletes), State::Completed);
    // Cancelling with userInteractionRequired is what brings prepareInterfaceToProvideCredential.
    let ui = next(s, Event::ExtensionCancels { error: ExtensionError::UserInteractionRequired });
    assert_eq!(ui, State::ProvidingWithUi { credential: Credential::Passkey });
    assert!(method_called(ui).unwrap().starts_with("prepareInterfaceToProvideCredential"));
    // Any other error ends the request; userInteractionRequired from the UI does not loop.
    assert_eq!(
        next(s, Event::ExtensionCancels { error: ExtensionError::UserCanceled }),
        State::Cancelled { error: ExtensionError::UserCanceled }
    );
    assert_eq!(
        next(ui, Event::ExtensionCancels { error: ExtensionError::UserInteractionRequired }),
        State::Cancelled { error: ExtensionError::UserInteractionRequired }
    );
    // The list and registration paths, and an impossible event leaving the state alone.
    let list = next(State::Idle, Event::UserOpensProviderList { credential: Credential::Passkey });
    assert_eq!(method_called(list), Some("prepareCredentialList(for:requestParameters:)"));
    assert_eq!(
        method_called(next(State::Idle, Event::PasskeyRegistrationRequested)),
        Some("prepareInterfaceForPasskeyRegistration(_:)")
    );
    assert_eq!(next(State::Idle, Event::ExtensionCompletes), State::Idle);
    assert_eq!(next(list, pick), list);
    let data = keyplay::webauthn::provider::explainer();
    assert!(data["faq"][0]["answer"].as_str().unwrap().contains("userInteractionRequired"));
    assert_eq!(serde_json::to_value(ui).unwrap(), json!({"state": "providing-with-ui", "credential": "passkey"}));
}

// ---------------------------------------------------------------- never panics

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use keyplay::attest::auth_data::{self, Rules};
    use keyplay::attest::cbor;
    use keyplay::webauthn::{client_data, cose};
    use proptest::prelude::*;

    fn reg_docs() -> Vec<Value> {
        [REG_NONE, REG_APPLE, REG_PACKED, REG_U2F, REG_TPM_RSA, REG_ANDROID]
            .iter()
            .map(|t| doc_from_vector(t))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

        #[test]
        fn decoders_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = cbor::decode_prefix(&bytes);
            let _ = auth_data::parse(&bytes, Rules::WEBAUTHN);
            let _ = cose::from_cose(&bytes);
            let _ = client_data::parse(&bytes);
            let _ = cose::from_spki_der(&bytes);
            let _ = keyplay::attest::x509::Cert::parse(&bytes);
        }

        #[test]
        fn authdata_with_flags_and_garbage(flags in any::<u8>(), tail in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut bytes = vec![0u8; 32];
            bytes.push(flags);
            bytes.extend_from_slice(&[0, 0, 0, 1]);
            bytes.extend_from_slice(&tail);
            let _ = auth_data::parse(&bytes, Rules::WEBAUTHN);
        }

        #[test]
        fn mutated_attestation_objects_give_a_report(which in 0usize..6, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>(), truncate in any::<bool>()) {
            let mut doc = reg_docs().swap_remove(which);
            edit_member(&mut doc, "attestationObject", |b| {
                for (i, x) in &edits {
                    let at = i.index(b.len());
                    b[at] = *x;
                }
                if truncate {
                    let n = cut.index(b.len());
                    b.truncate(n);
                }
            });
            let out = run(doc, Instant(0));
            prop_assert_eq!(out.exit, 0);
        }

        #[test]
        fn mutated_assertions_give_a_report(member in 0usize..3, edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let name = ["clientDataJSON", "authenticatorData", "signature"][member];
            let mut doc = doc_from_vector(AUTH_RS256);
            edit_member(&mut doc, name, |b| {
                for (i, x) in &edits {
                    let at = i.index(b.len());
                    b[at] = *x;
                }
            });
            let out = run(doc, Instant(0));
            prop_assert_eq!(out.exit, 0);
        }

        #[test]
        fn any_text_as_a_webauthn_document(kind in 0usize..3, body in "[ -~]{0,200}") {
            let kind = ["webauthn-options", "webauthn-registration", "webauthn-authentication"][kind];
            let text = format!("{{\"keyplay\":1,\"kind\":\"{kind}\",{body}}}");
            let _ = run_text(&text, Instant(0));
        }

        #[test]
        fn options_with_arbitrary_members(origin in "[a-z:/.0-9\\[\\]]{0,40}", key in "[a-zA-Z]{1,20}", value in prop_oneof![
            Just(json!(null)), Just(json!(-7)), Just(json!("")), Just(json!([{"type": 1}])), Just(json!({"id": 5})), "[ -~]{0,40}".prop_map(Value::from)
        ]) {
            for base in [clean_creation(), clean_request()] {
                let mut options = base;
                options[key.as_str()] = value.clone();
                if let Some(rp) = options.get_mut("rp").and_then(Value::as_object_mut) {
                    rp.insert("id".into(), value.clone());
                }
                let out = run(options_doc(options, &origin), Instant(0));
                prop_assert!(out.exit != 2, "{}", out.report);
            }
        }
    }

    #[test]
    fn deep_cbor_nesting_is_refused_not_overflowing() {
        let mut bytes = vec![0x81u8; 100_000];
        bytes.push(0x00);
        assert!(cbor::decode_prefix(&bytes).is_err());
        let mut deep_map = [0xa1u8, 0x01].repeat(50_000);
        deep_map.push(0x00);
        assert!(cose::from_cose(&deep_map).is_err());
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_registered_key_feeds_an_authentication_document() {
    let create = synth::client("webauthn.create", json!({}));
    let ad = synth::auth_data(0x45, 0, &synth::attested(&synth::RAW_ID, 1));
    let reg = report(&synth::registration("none", vec![], &ad, &create));
    assert_eq!(reg["valid"], json!(true));
    let get = synth::client("webauthn.get", json!({}));
    for form in ["cose", "pem"] {
        let mut doc = synth::assertion(&synth::auth_data(0x05, 1, &[]), &get, 0);
        doc["public-key"] = json!({ form: reg["public-key"][form] });
        assert_eq!(failed(&doc), Vec::<String>::new(), "{form}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn packed_certificate_requirements_are_checked() {
    // The YubiKey's single certificate with its OU edited: the statement signature still
    // verifies (the key is unchanged) and no root is given, so only the requirement fails.
    let mut doc = doc_from_vector(REG_PACKED);
    edit_member(&mut doc, "attestationObject", |b| {
        replace(b, b"Authenticator Attestation", b"Authenticator Attestatiom")
    });
    assert_eq!(failed(&doc), ids(&["attestation-certificate"]));
    // With the (wrong) anchor given, the edited certificate also fails the chain.
    doc["attestation-roots"] = json!([{ "pem": AppleRoot::WebAuthn.pem() }]);
    assert_eq!(failed(&doc), ids(&["attestation-certificate", "attestation-chain"]));
    // The authenticator data's AAGUID changed (the last copy of it in the object; the
    // certificate's extension holds the first): it no longer equals the extension's.
    let mut doc = doc_from_vector(REG_PACKED);
    let id = report(&doc)["aaguid"]["id"].as_str().unwrap_or_default().replace('-', "");
    let aaguid = hex::decode(id).expect("hex");
    let mut other = aaguid.clone();
    other[15] ^= 0x01;
    edit_member(&mut doc, "attestationObject", |b| replace_last(b, &aaguid, &other));
    let r = report(&doc);
    let certificate =
        r["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "attestation-certificate").cloned());
    let text = certificate.map(|c| c.to_string()).unwrap_or_default();
    assert!(text.contains("differs from authData AAGUID"), "{text}");
}

/// authenticatorAttachment and attestation: the spec's values pass, enterprise attestation and
/// unknown values fire, each with its own words.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn attachment_and_attestation_values_are_judged_one_by_one() {
    let lint = |pointer: &str, value: &str, id: &str| {
        option_check(set(clean_creation(), pointer, Some(json!(value))), "https://login.example.com", id)
    };
    let passes = [
        (
            "/authenticatorSelection/authenticatorAttachment",
            "authenticator-attachment",
            "platform",
            "authenticatorAttachment",
        ),
        (
            "/authenticatorSelection/authenticatorAttachment",
            "authenticator-attachment",
            "cross-platform",
            "authenticatorAttachment",
        ),
        ("/attestation", "attestation", "none", "attestation"),
        ("/attestation", "attestation", "indirect", "attestation"),
        ("/attestation", "attestation", "direct", "attestation"),
    ];
    for (pointer, id, value, member) in passes {
        let c = lint(pointer, value, id);
        assert_eq!(
            (c["ok"].as_bool(), c["message"].as_str()),
            (Some(true), Some(format!("{member} {value}").as_str())),
            "{c}"
        );
    }
    let typo = lint("/authenticatorSelection/authenticatorAttachment", "Platform", "authenticator-attachment");
    assert_eq!(typo["ok"], json!(false), "{typo}");
    let enterprise = lint("/attestation", "enterprise", "attestation");
    assert!(
        enterprise["ok"] == json!(false)
            && enterprise["message"].as_str().is_some_and(|m| m.contains("enterprise attestation is only released")),
        "{enterprise}"
    );
    let unknown = lint("/attestation", "anonymous", "attestation");
    assert!(
        unknown["ok"] == json!(false)
            && unknown["message"].as_str().is_some_and(|m| m.contains("unknown attestation value")),
        "{unknown}"
    );
}

#[test]
fn a_registration_carries_its_chain_and_authenticator_data_map() {
    use keyplay::figure::{Figure, Link};
    let figures = |name: &str| {
        let (_, text) = keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with(name)).expect("the example");
        match keyplay::run_text(text, keyplay::Instant(0)) {
            keyplay::Report::Verdict(v) => v.verdict.figures,
            other => panic!("{name}: not a verdict: {other:?}"),
        }
    };
    let apple = figures("webauthn/registration-apple-2021.json");
    assert!(
        matches!(apple.as_slice(), [Figure::Bytes(_), Figure::Chain(c)] if c.first_failure().is_none()),
        "{apple:?}"
    );
    let wrong_root = figures("webauthn/registration-packed-wrong-root.json");
    let Some(Figure::Chain(chain)) = wrong_root.iter().find(|f| matches!(f, Figure::Chain(_))) else {
        panic!("no chain figure: {wrong_root:?}")
    };
    let top = chain.certs.len() - 2;
    assert!(matches!(chain.certs[top].link, Link::Broken(_)), "{chain:?}");
    let none = figures("webauthn/registration-none.json");
    assert!(matches!(none.as_slice(), [Figure::Bytes(m)] if m.fields.iter().any(|f| f.name == "credentialPublicKey")));
    let assertion = figures("webauthn/authentication-es256.json");
    assert!(matches!(assertion.as_slice(), [Figure::Bytes(m)] if m.fields.len() == 3), "{assertion:?}");
}

/// COSE algorithm names (the IANA registry's), a P-384 EC2 key read from its COSE map, and
/// what the origin check says is the cause.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn cose_names_keys_and_origin_causes() {
    use keyplay::webauthn::cose::{alg_name, from_value};
    let names = [
        (-7, "ES256"),
        (-8, "EdDSA"),
        (-9, "ESP256"),
        (-19, "Ed25519"),
        (-35, "ES384"),
        (-36, "ES512"),
        (-37, "PS256"),
        (-38, "PS384"),
        (-39, "PS512"),
        (-48, "ML-DSA-44"),
        (-49, "ML-DSA-65"),
        (-50, "ML-DSA-87"),
        (-51, "ESP384"),
        (-52, "ESP512"),
        (-257, "RS256"),
        (-258, "RS384"),
        (-259, "RS512"),
        (-65535, "RS1"),
    ];
    for (alg, name) in names {
        assert_eq!(alg_name(alg), Some(name), "{alg}");
    }
    assert_eq!(alg_name(-4711), None);
    // A P-384 public key (the scalar 1's point, the curve's generator) as a COSE EC2 map.
    let secret = p384::SecretKey::from_slice(&[[0u8; 47].as_slice(), &[1]].concat()).expect("a scalar");
    let point = secret.public_key().to_sec1_bytes();
    let (x, y) = (point[1..49].to_vec(), point[49..].to_vec());
    let cose = |x: Vec<u8>, y: Vec<u8>| {
        use ciborium::Value as C;
        C::Map(vec![
            (C::Integer(1.into()), C::Integer(2.into())),
            (C::Integer(3.into()), C::Integer((-35).into())),
            (C::Integer((-1).into()), C::Integer(2.into())),
            (C::Integer((-2).into()), C::Bytes(x)),
            (C::Integer((-3).into()), C::Bytes(y)),
        ])
    };
    let key = from_value(&cose(x.clone(), y.clone())).expect("a P-384 key");
    assert!(matches!(key.key, keyplay::attest::key::PublicKey::P384(_)));
    assert_eq!(key.alg, Some(-35));
    let short = from_value(&cose(x[..32].to_vec(), y[..32].to_vec())).err().unwrap_or_default();
    assert!(short.contains("do not fit crv 2"), "{short}");
    // The origin check's cause: a trailing slash, or another site.
    let cause = |expected: &str| {
        let mut doc = doc_from_vector(REG_NONE);
        doc["expected"]["origin"] = json!(expected);
        let r = report(&doc);
        let check = r["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "origin").cloned());
        check.map(|c| c.to_string()).unwrap_or_default()
    };
    let actual = doc_from_vector(REG_NONE)["expected"]["origin"].as_str().unwrap_or_default().to_owned();
    assert!(
        cause(&format!("{actual}/")).contains("differ only by a trailing slash"),
        "{}",
        cause(&format!("{actual}/"))
    );
    assert!(cause("https://evil.example").contains("another site or port"), "{}", cause("https://evil.example"));
}

/// A challenge that is not base64url is told apart: padded base64url, standard base64, or not
/// base64 at all (a trailing `=` alone does not make it padded base64url).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_challenge_that_is_not_base64url_says_what_it_is() {
    let said = |challenge: &str| {
        let r = report(&options_doc(
            set(clean_creation(), "/challenge", Some(json!(challenge))),
            "https://login.example.com",
        ));
        r["checks"].to_string()
    };
    let padded = encode_base64url(&[2u8; 31]) + "=";
    assert!(said(&padded).contains("browsers differ on padding"), "{}", said(&padded));
    for not_padded in ["a+b/c=", "%%%="] {
        assert!(!said(not_padded).contains("browsers differ on padding"), "{not_padded}: {}", said(not_padded));
    }
}

/// A credential descriptor's id is 1 to 1023 bytes: 1023 passes, 1024 is named.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn credential_ids_are_one_to_1023_bytes() {
    let said = |len: usize| {
        let descriptor =
            json!([{"type": "public-key", "id": encode_base64url(&vec![3u8; len]), "transports": ["internal"]}]);
        let options = set(clean_creation(), "/excludeCredentials", Some(descriptor));
        report(&options_doc(options, "https://login.example.com"))["checks"].to_string()
    };
    assert!(said(1023).contains("excludeCredentials: 1 well-formed entries"), "{}", said(1023));
    assert!(said(1024).contains("[0].id is 1024 bytes (1 to 1023 allowed)"), "{}", said(1024));
}

/// The AAGUIDs an Apple developer meets are named: Apple's passkey providers (the community
/// list at passkeydeveloper/passkey-authenticator-aaguids), Windows Hello's TPM, all zero.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn well_known_aaguids_are_named() {
    use keyplay::webauthn::aaguid::{aaguid_name, aaguid_string};
    let bytes = |text: &str| -> [u8; 16] {
        let raw = hex::decode(text.replace('-', "")).expect("hex");
        raw.try_into().expect("16 bytes")
    };
    for (id, name) in [
        ("fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "iCloud Keychain / Apple Passwords"),
        ("dd4ec289-e01d-41c9-bb89-70fa845d4bf2", "iCloud Keychain (managed Apple Account)"),
        ("08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello (TPM)"),
    ] {
        assert_eq!(aaguid_string(&bytes(id)), id);
        assert_eq!(aaguid_name(&bytes(id)), Some(name), "{id}");
    }
    assert!(aaguid_name(&[0; 16]).is_some_and(|n| n.starts_with("all zero")));
    assert_eq!(aaguid_name(&bytes("cb69481e-8ff7-4039-93ec-0a2729a154a8")), None, "a YubiKey 5 is not in the table");
}

/// clientDataJSON: the 64 KiB bound, the cause of a wrong type (the other ceremony, Secure
/// Payment Confirmation, anything else), and an accepted cross-origin call said as such.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_data_bound_type_causes_and_cross_origin() {
    use keyplay::webauthn::client_data::{checks, parse, Expected, MAX_CLIENT_DATA};
    assert_eq!(MAX_CLIENT_DATA, 65_536);
    let padded = |len: usize| {
        let body = br#"{"type":"webauthn.get","challenge":"AAAA","origin":"https://example.com"}"#;
        let mut out = body.to_vec();
        out.resize(len, b' ');
        out
    };
    assert!(parse(&padded(MAX_CLIENT_DATA)).is_ok(), "64 KiB is accepted");
    let err = parse(&padded(MAX_CLIENT_DATA + 1)).err().unwrap_or_default();
    assert!(err.contains("65537 bytes exceeds the 65536-byte limit"), "{err}");

    let expected = Expected { challenge: "AAAA", origin: "https://example.com", allow_cross_origin: true };
    let client = |kind: &str, extra: &str| {
        let text = format!(r#"{{"type":"{kind}","challenge":"AAAA","origin":"https://example.com"{extra}}}"#);
        parse(text.as_bytes()).expect("client data")
    };
    let type_cause = |kind: &str| {
        let all = checks(&client(kind, ""), "webauthn.create", &expected);
        all.into_iter().find(|c| c.id == "client-data-type").and_then(|c| c.cause).unwrap_or_default()
    };
    assert!(type_cause("webauthn.get").contains("the other ceremony"), "{}", type_cause("webauthn.get"));
    assert!(type_cause("payment.get").contains("Secure Payment Confirmation"), "{}", type_cause("payment.get"));
    assert!(type_cause("webauthn.sign").contains("not produced by a WebAuthn client"));
    assert!(checks(&client("webauthn.create", ""), "webauthn.create", &expected).iter().all(|c| c.ok));

    let cross = |allow: bool| {
        let e = Expected { allow_cross_origin: allow, ..expected };
        let all = checks(
            &client("webauthn.get", r#","crossOrigin":true,"topOrigin":"https://shop.example""#),
            "webauthn.get",
            &e,
        );
        all.into_iter().find(|c| c.id == "cross-origin").expect("cross-origin check")
    };
    let accepted = cross(true);
    assert!(
        accepted.ok && accepted.message == "cross-origin call accepted (topOrigin https://shop.example)",
        "{accepted:?}"
    );
    let refused = cross(false);
    assert!(
        !refused.ok && refused.found.as_deref() == Some("crossOrigin true, topOrigin https://shop.example"),
        "{refused:?}"
    );
}

/// The sign-count rule: both zero passes as a non-counting authenticator, a rise from zero is
/// a rise, and a drop to zero says the authenticator stopped counting.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sign_counts_from_and_to_zero() {
    use keyplay::webauthn::authentication::sign_count;
    let both = sign_count(Some(0), 0);
    assert!(both.ok && both.message.starts_with("both counts are 0"), "{both:?}");
    let rose = sign_count(Some(0), 3);
    assert!(rose.ok && rose.message == "sign count rose from 0 to 3", "{rose:?}");
    let stopped = sign_count(Some(5), 0);
    assert!(!stopped.ok && stopped.cause.as_deref().is_some_and(|c| c.contains("stopped counting")), "{stopped:?}");
    let same = sign_count(Some(5), 5);
    assert!(!same.ok && same.cause.as_deref().is_some_and(|c| c.contains("cloned")), "{same:?}");
}

/// A chain judged before its certificates were issued says "not yet valid", not "expired".
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_chain_before_its_time_is_not_yet_valid() {
    let mut doc = doc_from_vector(REG_APPLE);
    doc["now"] = json!("2020-01-01T00:00:00Z");
    assert_eq!(failed(&doc), ids(&["attestation-chain"]));
    let r = report(&doc);
    let chain = r["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "attestation-chain").cloned());
    let text = chain.map(|c| c.to_string()).unwrap_or_default();
    assert!(text.contains("not yet valid at 2020-01-01T00:00:00Z") && !text.contains("expired"), "{text}");
}

/// A stored public key given as a JWK keeps its `alg`, mapped to the COSE number; an `alg`
/// outside the table (or none) leaves the algorithm open.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_jwk_alg_maps_to_its_cose_number() {
    use keyplay::webauthn::cose::from_jwk;
    let p384 = p384::SecretKey::from_slice(&[[0u8; 47].as_slice(), &[1]].concat()).expect("a scalar").public_key();
    let point = p384.to_sec1_bytes();
    let ec_jwk =
        json!({"kty": "EC", "crv": "P-256", "x": cose_member(AUTH_ES256, -2), "y": cose_member(AUTH_ES256, -3)});
    let p384_jwk =
        json!({"kty": "EC", "crv": "P-384", "x": encode_base64url(&point[1..49]), "y": encode_base64url(&point[49..])});
    let okp_jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": cose_member(AUTH_EDDSA, -2)});
    let rsa_jwk = json!({"kty": "RSA", "n": cose_member(AUTH_RS256, -1), "e": cose_member(AUTH_RS256, -2)});
    for (jwk, alg, cose) in [
        (&ec_jwk, "ES256", Some(-7)),
        (&p384_jwk, "ES384", Some(-35)),
        (&okp_jwk, "EdDSA", Some(-8)),
        (&okp_jwk, "Ed25519", Some(-8)),
        (&rsa_jwk, "RS256", Some(-257)),
        (&rsa_jwk, "PS256", Some(-37)),
        (&rsa_jwk, "RS1", None),
    ] {
        let mut jwk = jwk.clone();
        jwk["alg"] = json!(alg);
        assert_eq!(from_jwk(&jwk).map(|k| k.alg), Ok(cose), "{alg}");
    }
    assert_eq!(from_jwk(&ec_jwk).map(|k| k.alg), Ok(None), "no alg");
    // Without an alg, each key type gets its usual algorithm, one that fits it.
    use keyplay::webauthn::signature::{alg_fits, default_alg};
    for (jwk, alg) in [(&ec_jwk, -7), (&p384_jwk, -35), (&okp_jwk, -8), (&rsa_jwk, -257)] {
        let key = from_jwk(jwk).expect("a key").key;
        assert_eq!(default_alg(&key), alg, "{jwk}");
        assert!(alg_fits(&key, alg), "{jwk}");
    }
}

/// The backup flags say which kind of credential signed: BE and BS a synced passkey, BE alone
/// a multi-device credential not yet backed up, neither a single-device one; BS alone fails.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn backup_flags_name_the_kind_of_credential() {
    use keyplay::attest::auth_data::{parse, Rules};
    use keyplay::webauthn::flags::backup_state;
    let with_flags = |flags: u8| {
        let mut bytes = vec![0u8; 37];
        bytes[32] = flags;
        backup_state(&parse(&bytes, Rules::WEBAUTHN).expect("authenticator data"))
    };
    let (up, be, bs) = (0x01, 0x08, 0x10);
    let synced = with_flags(up | be | bs);
    assert!(synced.ok && synced.message.starts_with("multi-device credential, currently backed up"), "{synced:?}");
    let eligible = with_flags(up | be);
    assert!(eligible.ok && eligible.message == "multi-device credential, not backed up yet", "{eligible:?}");
    let single = with_flags(up);
    assert!(single.ok && single.message.starts_with("single-device credential"), "{single:?}");
    assert!(!with_flags(up | bs).ok, "BS without BE");
}

/// A base64url field of the response may be as long as the limit, not one character more.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_response_field_takes_its_limit_and_refuses_one_more() {
    use keyplay::webauthn::response::{field, MAX_FIELD};
    // A multiple of 4 characters of "A" decodes to zero bytes whatever its length.
    let at_limit = "A".repeat(MAX_FIELD - MAX_FIELD % 4);
    assert!(field("clientDataJSON", &at_limit).is_ok());
    let over = "A".repeat(MAX_FIELD + 1);
    let err = field("clientDataJSON", &over).err().unwrap_or_default();
    assert!(err.contains("above the") && err.contains("-character limit"), "{err}");
    let short = "A".repeat(MAX_FIELD - 1);
    assert!(
        !field("clientDataJSON", &short).err().unwrap_or_default().contains("limit"),
        "under the limit, only its encoding is judged"
    );
}

/// A signature is checked under the algorithm recorded for the key: PS256 and RS256 with the
/// same RSA key are told apart, and an algorithm for another key type is refused before any
/// verification.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rsa_signatures_follow_their_algorithm_and_keys_refuse_foreign_ones() {
    use keyplay::attest::key::PublicKey;
    use keyplay::webauthn::signature::{alg_fits, verify};
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::rand_core::{CryptoRng, RngCore};
    use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
    /// A fixed byte stream for the PSS salt: the test needs no real randomness.
    struct Fixed;
    impl RngCore for Fixed {
        fn next_u32(&mut self) -> u32 {
            7
        }
        fn next_u64(&mut self) -> u64 {
            7
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            dest.fill(7);
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            dest.fill(7);
            Ok(())
        }
    }
    impl CryptoRng for Fixed {}
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("keys/throwaway-rsa-2048.pem").trim()).expect("key");
    let key = PublicKey::Rsa(private.to_public_key());
    let message = b"authenticatorData || SHA-256(clientDataJSON)";
    let pss = rsa::pss::SigningKey::<sha2::Sha256>::new(private.clone()).sign_with_rng(&mut Fixed, message).to_vec();
    let pkcs1 = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(private).sign(message).to_vec();
    assert_eq!(verify(&key, -37, message, &pss), Ok(()));
    assert_eq!(verify(&key, -257, message, &pkcs1), Ok(()));
    assert!(verify(&key, -257, message, &pss).is_err(), "a PS256 signature is not an RS256 one");
    assert!(verify(&key, -37, message, &pkcs1).is_err(), "nor the reverse");
    // ES256 named for an RSA key, RS256 for an EC key: refused as not fitting.
    assert!(!alg_fits(&key, -7));
    let err = verify(&key, -7, message, &pkcs1).err().unwrap_or_default();
    assert!(err.contains("does not fit"), "{err}");
    let ec = PublicKey::P256(*p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).expect("scalar").verifying_key());
    assert!(!alg_fits(&ec, -257));
}

/// The creation's required members and user.id: what is missing is named (rp, or its name
/// alone), user.id may be 64 bytes and not 65, and a user.id equal to the user name fires.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn required_members_and_user_id_bounds() {
    let check = |options: Value, id: &str| option_check(options, "https://login.example.com", id);
    let found = |options: Value| check(options, "required-members")["found"].as_str().unwrap_or_default().to_owned();
    assert_eq!(found(set(clean_creation(), "/rp", None)), "missing or not a string/array: rp");
    assert_eq!(found(set(clean_creation(), "/rp/name", None)), "missing or not a string/array: rp.name");
    assert_eq!(check(clean_creation(), "required-members")["ok"], json!(true));
    let with_id = |bytes: &[u8]| set(clean_creation(), "/user/id", Some(json!(encode_base64url(bytes))));
    let length = |bytes: &[u8]| check(with_id(bytes), "user-id-length");
    assert_eq!(length(&[5u8; 64])["ok"], json!(true), "64 bytes");
    assert_eq!(length(&[5u8; 65])["ok"], json!(false), "65 bytes");
    assert_eq!(length(&[])["ok"], json!(false), "empty");
    let pii = check(with_id(b"alice"), "user-id-pii");
    assert_eq!(pii["ok"], json!(false), "the user name as user.id: {pii}");
    assert_eq!(check(with_id(b"alice@example.com"), "user-id-pii")["ok"], json!(false));
    assert_eq!(check(with_id(&[5u8; 16]), "user-id-pii")["ok"], json!(true));
}

/// rp.id's form: a scheme, a port or path, an empty label, upper case and other characters
/// are each named; a bare lower-case domain has no problem.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rp_id_form_problems_are_named() {
    use keyplay::webauthn::options::rp_id::domain_problem;
    let problem = |id: &str| domain_problem(id).unwrap_or_default();
    assert!(problem("https://example.com").contains("scheme"));
    assert!(problem("example.com:443").contains("port or path"));
    for id in ["", ".example.com", "example.com.", "login..example.com"] {
        assert!(problem(id).contains("empty label"), "{id:?}: {}", problem(id));
    }
    assert!(problem("Example.com").contains("upper-case"));
    assert!(problem("exa_mple.com").contains("characters a domain cannot have"));
    assert_eq!(domain_problem("login.example.com"), None);
    assert_eq!(domain_problem("my-site.example.com"), None, "a hyphen is a domain character");
}

/// Fully specified algorithms in pubKeyCredParams are advised against, each by name; an
/// unknown residentKey says which value applies instead, from requireResidentKey.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn fully_specified_algorithms_and_unknown_resident_keys() {
    let check = |options: Value, id: &str| option_check(options, "https://login.example.com", id);
    for alg in [-9, -19, -51, -52] {
        let params = json!([{"type": "public-key", "alg": -8}, {"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}, {"type": "public-key", "alg": alg}]);
        let c = check(set(clean_creation(), "/pubKeyCredParams", Some(params)), "algorithms-recommended");
        assert!(
            c["ok"] == json!(false) && c["found"].as_str().is_some_and(|f| f.contains("is fully specified")),
            "{alg}: {c}"
        );
    }
    assert_eq!(check(clean_creation(), "algorithms-recommended")["ok"], json!(true));
    for (require, applies) in [(true, "so required applies"), (false, "so discouraged applies")] {
        let o = set(clean_creation(), "/authenticatorSelection/residentKey", Some(json!("requried")));
        let o = set(o, "/authenticatorSelection/requireResidentKey", Some(json!(require)));
        let c = check(o, "resident-key");
        assert!(c["ok"] == json!(false) && c["message"].as_str().is_some_and(|m| m.contains(applies)), "{c}");
    }
}

/// The challenge's 16-byte floor and the timeout's range, with the cause that fits the side
/// a timeout falls on.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn challenge_floor_and_timeout_range() {
    let check = |options: Value, id: &str| option_check(options, "https://example.com", id);
    let challenge = |n: usize| {
        check(set(clean_request(), "/challenge", Some(json!(encode_base64url(&vec![4u8; n])))), "challenge-length")
    };
    assert_eq!(challenge(16)["ok"], json!(true), "16 bytes");
    assert_eq!(challenge(15)["ok"], json!(false), "15 bytes");
    let timeout = |ms: u64| check(set(clean_request(), "/timeout", Some(json!(ms))), "timeout");
    for ms in [300_000, 600_000] {
        assert_eq!(timeout(ms)["ok"], json!(true), "{ms}");
    }
    let short = timeout(299_999);
    assert!(
        short["ok"] == json!(false) && short["cause"].as_str().is_some_and(|c| c.contains("run out of time")),
        "{short}"
    );
    let long = timeout(600_001);
    assert!(
        long["ok"] == json!(false) && long["cause"].as_str().is_some_and(|c| c.contains("keeps the challenge alive")),
        "{long}"
    );
}

/// An unknown member close to a known one (three edits or fewer) gets a did-you-mean; a
/// name far from every member gets none.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unknown_members_suggest_only_near_names() {
    let found = |member: &str| {
        let r =
            report(&options_doc(set(clean_request(), &format!("/{member}"), Some(json!(1))), "https://example.com"));
        let c = r["checks"].as_array().and_then(|c| c.iter().find(|c| c["id"] == "unknown-member").cloned());
        c.and_then(|c| c["found"].as_str().map(str::to_owned)).unwrap_or_default()
    };
    assert_eq!(found("timeOut"), "timeOut (did you mean timeout?)");
    assert_eq!(found("userVerifcation"), "userVerifcation (did you mean userVerification?)");
    assert_eq!(found("somethingElseEntirely"), "somethingElseEntirely");
}
