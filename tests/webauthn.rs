//! WebAuthn engine: real vectors, tampered copies, option lints, provider model, never-panics.
#![allow(clippy::unwrap_used)]
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::{run, Instant};
use serde_json::{json, Value};

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
    let now = v["verification_time"]["use"].as_str().unwrap_or("2024-01-01T00:00:00Z");
    doc["now"] = json!(now);
    doc
}

fn failed(report: &Value) -> Vec<String> {
    report["checks"].as_array().unwrap().iter().filter(|c| c["ok"] == json!(false)).map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

fn run_doc(doc: &Value) -> Value {
    let out = run(doc.clone(), Instant(0));
    assert_ne!(out.exit, 2, "not understood: {}", out.report);
    out.report
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn smoke() {
    for text in [
        include_str!("vectors/webauthn-reg-none-pyw.json"),
        include_str!("vectors/webauthn-reg-apple-pyw-2021.json"),
        include_str!("vectors/webauthn-reg-packed-yubikey-pyw.json"),
        include_str!("vectors/webauthn-reg-packed-ed25519-pyw.json"),
        include_str!("vectors/webauthn-reg-fido-u2f-yubikey-pyw.json"),
        include_str!("vectors/webauthn-reg-tpm-ecc-pyw.json"),
        include_str!("vectors/webauthn-reg-tpm-rsa-surface-pyw.json"),
        include_str!("vectors/webauthn-reg-android-key-pyw-2025.json"),
        include_str!("vectors/webauthn-reg-neg-packed-wrong-root-pyw.json"),
        include_str!("vectors/webauthn-auth-es256-pyw.json"),
        include_str!("vectors/webauthn-auth-eddsa-pyw.json"),
        include_str!("vectors/webauthn-auth-rs256-pyw.json"),
        include_str!("vectors/webauthn-auth-neg-uv-required-pyw.json"),
        include_str!("vectors/webauthn-auth-neg-wrong-public-key-pyw.json"),
    ] {
        let r = run_doc(&doc_from_vector(text));
        println!("{} {:?}", serde_json::from_str::<Value>(text).unwrap()["id"], failed(&r));
        for c in r["checks"].as_array().unwrap() { if c["ok"] == json!(false) { println!("   {c}"); } }
    }
}
