//! Integration tests for the jwt module: every check id passing and failing, real vectors at
//! their own time, malformed input of every kind, and a never-panics property test.
#![allow(clippy::unwrap_used)]
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::data::encode_base64url;
use keyplay::{run_text, Instant, Outcome};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// 2026-11-28T12:00:00Z, the `now` of every generated-token test.
const NOW: i64 = 1_795_867_200;
const NOW_TEXT: &str = "2026-11-28T12:00:00Z";
const TEAM: &str = "SKMME9E2Y8";
const KEY_ID: &str = "ABC123DEFG";
const CLIENT: &str = "com.example.service";

/// A throwaway RSA-2048 key made with `openssl genpkey` for these tests only.
const RSA_TEST_KEY: &str = "
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDCriBZeagRppfd
ak5jLHVpvh8g68aWrA7eea5IUKGbAOtedg+yxRbldHSght3kynWSUVus7hzeXgGW
H6PDfMhKdH/NPjys7xjB9RI2cXreDItyG5hvczc8h3H8flMj3AS2rFL2De0E94gu
iswyQOCq6c/ZrC3PpkNIcSQyuWVRlbw3YIL9cQ0pAcKf8E6dO99FeLM9tSt+VJwA
3gTcTBAi4xb43X/zMw/kx8fzODj+eOT18jzggIAduPhgvK4AXah9aD/iJ++c0qBg
y0St0lJL3XHYWlU12Sqb5bfeV0RMF96sDf9wi7ZflwR7zz75l+2WTqcZk6SQvm3v
EXa55apfAgMBAAECggEAXfMAI43lQNdflHe36n5LD0Oz7AQ8avwPlOet5rIaux3f
eE+LVd9tJEBmBA3xyXa29GyUzEiA4AMHyvXr5uwyEFRWVKsDRwV/siJdrq5m9/+f
z+pnTumQL4LBzHL+FmEYWTuiMaIYzvvR2Xwb/Oh4Q6LgLpC77uiysaQALwZvUcYS
6wFw/QmDNxsBppr1e04cHc2P7DwaZ/8yduHwIHEvgQ0aVjjPn5G3Hwd/gpXm6PxU
vSICqQs8J4SIgPpXooI2pECi5ZbxqhQlBYXx3QE1Mp5dyxeDTdtNejGz0VHybQYq
v+qlVVUfXaDi/phzSO+fZ4efHU5QnmPtpWPrlD9vmQKBgQD74L4JuHbBffHHxWrR
xF7t5Lq3EGwV/N++zQhvhsiwN01peVtlSM9vcsrSEuRXmkqlWTTFCWCZoG/mrnhM
n/P6wClt3K9Yoss6D1tUgTDoNVCF2hQd4hQR4wnq0HI3zNbAkIfVTQXOktCPNdJ2
1VUTdwKmAy0Po6Ugr4ykoIJaRQKBgQDF3cAwKEueEmB8/2kZn9ucq9YE+BCe6A47
aXbWwfFL4HEi/jdKEjRdyELDAr3SyC0iOdyPaR+M+doWWsS4LGyNCtoNePh6ee3k
wSnxdjUkiveJi8sdMheuNm7RjfcmW9hKHaZSSXMShh4bVUpNZ2V8KWw27HG4XZkH
wWujsWIuUwKBgARS3lBCZ1947v6T5/qD2XFR/NaJpKFX/utCj8OCV82WlXCbEbOS
ZWUvXkXu5xaN4nwmJN7BA3R/qYwXMJ94G3MRe2SUZjoqSTzM6K9xrEpAKAq0LKY6
rEeGUzRBscQ9cu5JTNuff9sE8CmVLfC2RsiXwWbiJRLgp0QBX3OwAazVAoGADGcW
AO7FrqbgPXWVFPIcRfnPdIhIIm3RVpAJzvRhN6xd6x+cP5xcg/Rlmuu1El1R1u9h
j+u6+o8+yF/wLMs8Eqs3d9i5WpQCAXDKPER4mE3NrmWA2del/FmVILWRZGolaJ/r
KQVJnUOi53u1KJzuk5XVHqw7hJ75VK8fHCemS9kCgYEArejxbnnnVKDIe69lVemW
CI7KDG4SnJKMmA+IoyfDOSJVuMLyuf0buMDQTAOkDRkyXVayuqFrdCTwh6pZmluh
+2QQvNCAoZfvu12criO2wOBlZ2wP+N5wiS2ZliQvjxiBeVp8piU0vu/Idj1rvXI+
ZtYjUhZKWbVUoBFSJdaIMzg=
-----END PRIVATE KEY-----
";

fn ec_key(seed: u8) -> p256::SecretKey {
    p256::SecretKey::from_slice(&[seed; 32]).unwrap()
}

fn p8(key: &p256::SecretKey) -> String {
    key.to_pkcs8_pem(der::pem::LineEnding::LF).unwrap().to_string()
}

fn ec_jwk(key: &p256::SecretKey, kid: &str) -> Value {
    let point = p256::ecdsa::VerifyingKey::from(key.public_key()).to_encoded_point(false);
    json!({"kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
           "x": encode_base64url(point.x().unwrap()), "y": encode_base64url(point.y().unwrap())})
}

fn rsa_key() -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::from_pkcs8_pem(RSA_TEST_KEY.trim()).unwrap()
}

fn rsa_jwk(kid: &str) -> Value {
    let key = rsa_key();
    json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
           "n": encode_base64url(&key.n().to_bytes_be()), "e": encode_base64url(&key.e().to_bytes_be())})
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", encode_base64url(header.to_string().as_bytes()), encode_base64url(claims.to_string().as_bytes()))
}

fn es256(key: &p256::SecretKey, header: Value, claims: Value) -> String {
    let input = signing_input(&header, &claims);
    let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(key).sign(input.as_bytes());
    format!("{input}.{}", encode_base64url(&sig.to_bytes()))
}

fn es256_der(key: &p256::SecretKey, header: Value, claims: Value) -> String {
    let input = signing_input(&header, &claims);
    let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(key).sign(input.as_bytes());
    format!("{input}.{}", encode_base64url(sig.to_der().as_bytes()))
}

fn rs256(header: Value, claims: Value) -> String {
    let input = signing_input(&header, &claims);
    let digest = Sha256::digest(input.as_bytes());
    let sig = rsa_key().sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    format!("{input}.{}", encode_base64url(&sig))
}

fn secret_claims() -> Value {
    json!({"iss": TEAM, "iat": NOW - 600, "exp": NOW + 86_400, "aud": "https://appleid.apple.com", "sub": CLIENT})
}

fn with(base: Value, changes: Value) -> Value {
    let mut out = base;
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            out.as_object_mut().unwrap().remove(k);
        } else {
            out[k] = v.clone();
        }
    }
    out
}

/// A client-secret document checked against the public key of `ec_key(1)`.
fn secret_doc(token: &str, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "jwt", "profile": "apple-client-secret", "now": NOW_TEXT, "token": token,
           "keys": {"p8": p8(&ec_key(1))},
           "expected": {"team-id": TEAM, "client-id": CLIENT, "key-id": KEY_ID},
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

fn run(doc: &Value) -> Outcome {
    run_text(&doc.to_string(), Instant(NOW))
}

/// Runs `doc` and asserts its `expect` was met, printing the report when not.
fn met(doc: &Value) -> Value {
    let out = run(doc);
    assert_eq!(out.exit, 0, "{}", serde_json::to_string_pretty(&out.report).unwrap());
    out.report
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id} in {report}"))
}

fn ids(report: &Value) -> Vec<String> {
    report["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

fn header() -> Value {
    json!({"alg": "ES256", "kid": KEY_ID})
}

// ---------------------------------------------------------------- apple-client-secret

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_valid_passes_every_check() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let report = met(&secret_doc(&token, &[]));
    assert_eq!(ids(&report), ["format", "alg", "kid", "signature", "iss", "iat", "exp", "lifetime", "aud", "sub"]);
    assert_eq!(report["header"]["kid"], KEY_ID);
    assert_eq!(report["claims"]["sub"], CLIENT);
    assert_eq!(report["times"]["exp"]["utc"], "2026-11-29T12:00:00Z");
    assert_eq!(report["times"]["exp"]["relative"], "in 24 hours");
    assert_eq!(report["times"]["lifetime-seconds"], 87_000);
    assert!(report["key"]["pem"].as_str().unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
    assert!(!report.to_string().contains("PRIVATE KEY"), "the p8 must not be echoed");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_verifies_with_jwks_and_pem_too() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let mut doc = secret_doc(&token, &[]);
    doc["keys"] = json!({"keys": [ec_jwk(&ec_key(2), "OTHERKEY01"), ec_jwk(&ec_key(1), KEY_ID)]});
    met(&doc);
    let pem = p256::PublicKey::from(ec_key(1).public_key()).to_string();
    doc["keys"] = json!({ "pem": pem });
    met(&doc);
    // A JWKS without the kid fails kid; the signature still verifies by trying every key.
    doc["keys"] = json!({"keys": [ec_jwk(&ec_key(1), "OTHERKEY01")]});
    doc["expect"] = json!({"valid": false, "failed": ["kid"]});
    let report = met(&doc);
    assert!(check(&report, "kid")["message"].as_str().unwrap().contains("names none"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_alg_must_be_es256() {
    let token = es256(&ec_key(1), json!({"alg": "RS256", "kid": KEY_ID}), secret_claims());
    let report = met(&secret_doc(&token, &["alg", "signature"]));
    assert_eq!(check(&report, "alg")["expected"], "ES256");
    let mut doc = secret_doc(&token, &["alg"]);
    doc.as_object_mut().unwrap().remove("keys");
    met(&doc);
    let none = format!("{}.", signing_input(&json!({"alg": "none", "kid": KEY_ID}), &secret_claims()));
    let report = met(&secret_doc(&none, &["alg", "signature"]));
    assert!(check(&report, "alg")["message"].as_str().unwrap().contains("unsigned"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_kid_present_and_expected() {
    let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": "ZZZ999ZZZ9"}), secret_claims());
    let report = met(&secret_doc(&token, &["kid"]));
    assert_eq!(check(&report, "kid")["found"], "ZZZ999ZZZ9");
    let token = es256(&ec_key(1), json!({"alg": "ES256"}), secret_claims());
    met(&secret_doc(&token, &["kid"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_signature_wrong_key_and_der() {
    let token = es256(&ec_key(9), header(), secret_claims());
    let report = met(&secret_doc(&token, &["signature"]));
    assert!(check(&report, "signature")["message"].as_str().unwrap().contains("does not match"));
    let der = es256_der(&ec_key(1), header(), secret_claims());
    let report = met(&secret_doc(&der, &["signature"]));
    let sig = check(&report, "signature");
    assert!(sig["message"].as_str().unwrap().contains("ASN.1 DER"), "{sig}");
    assert!(sig["cause"].as_str().unwrap().contains("the DER signature verifies"), "{sig}");
    // Without keys the DER encoding is still caught.
    let mut doc = secret_doc(&der, &["signature"]);
    doc.as_object_mut().unwrap().remove("keys");
    met(&doc);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_iss_sub_aud() {
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"iss": "com.example.app"})));
    let report = met(&secret_doc(&token, &["iss"]));
    assert!(check(&report, "iss")["cause"].as_str().unwrap().contains("bundle ID"));
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"sub": "com.example.app"})));
    met(&secret_doc(&token, &["sub"]));
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"sub": format!("{TEAM}.{CLIENT}")})));
    let report = met(&secret_doc(&token, &["sub"]));
    assert!(check(&report, "sub")["cause"].as_str().unwrap().contains("Team ID prefix"));
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"aud": ["https://appleid.apple.com"]})));
    let report = met(&secret_doc(&token, &["aud"]));
    assert!(check(&report, "aud")["cause"].as_str().unwrap().contains("single string"));
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"aud": "https://appleid.apple.com/"})));
    let report = met(&secret_doc(&token, &["aud"]));
    assert!(check(&report, "aud")["cause"].as_str().unwrap().contains("trailing slash"));
    let token = es256(&ec_key(1), header(), with(secret_claims(), json!({"aud": null})));
    met(&secret_doc(&token, &["aud"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_times_and_lifetime() {
    let future = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW + 3600})));
    met(&secret_doc(&future, &["iat"]));
    let within_leeway = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW + 30})));
    met(&secret_doc(&within_leeway, &[]));
    let expired = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW - 90_000, "exp": NOW - 3600})));
    let report = met(&secret_doc(&expired, &["exp"]));
    assert!(check(&report, "exp")["message"].as_str().unwrap().contains("expired 60 minutes ago"));
    let too_far = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW, "exp": NOW + 15_777_000 + 100})));
    met(&secret_doc(&too_far, &["exp", "lifetime"]));
    let long = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW - 1000, "exp": NOW + 15_776_990})));
    let report = met(&secret_doc(&long, &["lifetime"]));
    assert_eq!(check(&report, "lifetime")["found"], "15777990 s");
    let millis = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": (NOW - 10) * 1000})));
    let report = met(&secret_doc(&millis, &["iat", "lifetime"]));
    assert!(check(&report, "iat")["cause"].as_str().unwrap().contains("divide by 1000"));
    let text = es256(&ec_key(1), header(), with(secret_claims(), json!({"exp": "2026-12-01"})));
    met(&secret_doc(&text, &["exp"]));
    let missing = es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": null})));
    met(&secret_doc(&missing, &["iat"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_format_failures_stop_early() {
    for token in ["", "abc", "a.b", "eyJ.eyJ.x", "a.b.c.d.e", "%%%.e30.AA", "e30=.e30.AA", "W10.e30.AA", "e30.bm90IGpzb24.AA"] {
        let report = met(&secret_doc(token, &["format"]));
        assert_eq!(ids(&report), ["format"], "{token}");
    }
    let report = met(&secret_doc("a.b.c.d.e", &["format"]));
    assert!(check(&report, "format")["cause"].as_str().unwrap().contains("JWE"));
    let wrapped = format!("{}\n{}", "eyJhbGciOiJFUzI1NiJ9", ".e30.AA");
    let report = met(&secret_doc(&wrapped, &["format"]));
    assert!(check(&report, "format")["message"].as_str().unwrap().contains("white space"));
    let huge = "A".repeat(100_000);
    met(&secret_doc(&format!("{huge}.{huge}.{huge}"), &["format"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wrong_key_material_is_named() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let sec1 = ec_key(1).to_sec1_pem(der::pem::LineEnding::LF).unwrap().to_string();
    let rsa_p8 = RSA_TEST_KEY.trim().to_string();
    let p384 = p384::SecretKey::from_slice(&[3; 48]).unwrap().to_pkcs8_pem(der::pem::LineEnding::LF).unwrap().to_string();
    let public = p256::PublicKey::from(ec_key(1).public_key()).to_string();
    for (p8, needle) in [
        (sec1.as_str(), "SEC1 EC PRIVATE KEY"),
        (rsa_p8.as_str(), "RSA private key"),
        (p384.as_str(), "P-384"),
        (public.as_str(), "public key"),
        ("-----BEGIN PRIVATE KEY-----\nMIGTAgEA\n", "no matching END"),
        ("not a key at all", "no -----BEGIN"),
        ("-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----", "not base64"),
    ] {
        let mut doc = secret_doc(&token, &["signature"]);
        doc["keys"] = json!({ "p8": p8 });
        let report = met(&doc);
        let sig = check(&report, "signature");
        assert!(sig["message"].as_str().unwrap().contains(needle), "{needle}: {sig}");
    }
    // An escaped p8 (literal \n) still works, with a warning.
    let mut doc = secret_doc(&token, &[]);
    doc["keys"] = json!({ "p8": p8(&ec_key(1)).replace('\n', "\\n") });
    let report = met(&doc);
    assert!(report["warnings"].to_string().contains("literal \\\\n"), "{}", report["warnings"]);
    // A JWK that cannot be read, or that is for encryption.
    let mut bad = ec_jwk(&ec_key(1), KEY_ID);
    bad["x"] = json!("!!!");
    doc["keys"] = json!({ "keys": [bad] });
    doc["expect"] = json!({"valid": false, "failed": ["signature"]});
    met(&doc);
    let mut enc = ec_jwk(&ec_key(1), KEY_ID);
    enc["use"] = json!("enc");
    doc["keys"] = json!({ "keys": [enc] });
    let report = met(&doc);
    assert!(check(&report, "signature")["message"].as_str().unwrap().contains("use"));
}
