//! Integration tests for the jwt module: every check id passing and failing, real vectors at
//! their own time, malformed input of every kind, and a never-panics property test.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::data::encode_base64url;
use keyplay::report::Printed;
use keyplay::Instant;
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

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

fn run(doc: &Value) -> Printed {
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
    let too_far =
        es256(&ec_key(1), header(), with(secret_claims(), json!({"iat": NOW, "exp": NOW + 15_777_000 + 100})));
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
    for token in
        ["", "abc", "a.b", "eyJ.eyJ.x", "a.b.c.d.e", "%%%.e30.AA", "e30=.e30.AA", "W10.e30.AA", "e30.bm90IGpzb24.AA"]
    {
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
    let p384 =
        p384::SecretKey::from_slice(&[3; 48]).unwrap().to_pkcs8_pem(der::pem::LineEnding::LF).unwrap().to_string();
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
    // Bare base64 that is no key: paste the whole file. A PRIVATE KEY block that is no PKCS#8
    // key is named as such (not as a wrong label); another label is a wrong label.
    let public_pem = p256::PublicKey::from(ec_key(1).public_key()).to_string();
    let bare_sec1 = encode_base64url(&ec_key(1).to_sec1_der().unwrap()).replace('-', "+").replace('_', "/");
    for (p8, needle, cause) in [
        ("AAAA", "no -----BEGIN", Some("including its BEGIN and END lines")),
        (public_pem.as_str(), "public key", Some("the public key was pasted where the private .p8 belongs")),
        (bare_sec1.as_str(), "SEC1 EC PRIVATE KEY", None),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "not a PKCS#8 PrivateKeyInfo", None),
        ("-----BEGIN SECRET KEY-----\nAAAA\n-----END SECRET KEY-----", "SECRET KEY", None),
        ("-----BEGIN PRIVATE KEY-----\n%%%\n-----END PRIVATE KEY-----", "not base64", Some("damaged when copied")),
        ("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----", "SEC1 EC PRIVATE KEY", None),
        (RSA_TEST_KEY.trim(), "RSA private key", Some("Sign in with Apple keys are ES256")),
        ("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", "RSA private key", None),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
            "encrypted",
            Some("decrypt it first"),
        ),
    ] {
        let mut doc = secret_doc(&token, &["signature"]);
        doc["keys"] = json!({ "p8": p8 });
        let report = met(&doc);
        let sig = check(&report, "signature");
        let text = sig.to_string();
        assert!(text.contains(needle), "{needle}: {sig}");
        if let Some(cause) = cause {
            assert!(sig["cause"].as_str().unwrap().contains(cause), "{cause}: {sig}");
        }
    }
    // A PKCS#8 key of another algorithm that carries a curve is named by its algorithm, not as
    // an EC key (the P-384 key with id-ecPublicKey's last byte changed: 1.2.840.10045.2.2).
    let mut der = p384::SecretKey::from_slice(&[3; 48]).unwrap().to_pkcs8_der().unwrap().as_bytes().to_vec();
    let ec_oid = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    let at = der.windows(ec_oid.len()).position(|w| w == ec_oid).expect("id-ecPublicKey") + ec_oid.len() - 1;
    der[at] = 0x02;
    let other = der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, &der).unwrap();
    let mut doc = secret_doc(&token, &["signature"]);
    doc["keys"] = json!({ "p8": other });
    let report = met(&doc);
    let sig = check(&report, "signature").to_string();
    assert!(sig.contains("key is a 1.2.840.10045.2.2 key"), "{sig}");
    // A PEM body on one line is warned about past 64 characters, not at 64.
    for (len, warned) in [(64, false), (68, true)] {
        let body = "A".repeat(len);
        let mut doc = secret_doc(&token, &["signature"]);
        doc["keys"] = json!({ "p8": format!("-----BEGIN PRIVATE KEY-----{body}-----END PRIVATE KEY-----") });
        let report = met(&doc);
        assert_eq!(report["warnings"].to_string().contains("no line breaks"), warned, "{len}: {}", report["warnings"]);
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
    let report = met(&doc);
    assert!(check(&report, "signature")["cause"].as_str().unwrap().contains("edited or truncated"), "{report}");
    let mut enc = ec_jwk(&ec_key(1), KEY_ID);
    enc["use"] = json!("enc");
    doc["keys"] = json!({ "keys": [enc] });
    let report = met(&doc);
    assert!(check(&report, "signature")["message"].as_str().unwrap().contains("use"));
}

// ---------------------------------------------------------------- apple-identity-token

const LUNA_TOKEN: &str = "eyJraWQiOiJVYUlJRlkyZlc0IiwiYWxnIjoiUlMyNTYifQ.eyJpc3MiOiJodHRwczovL2FwcGxlaWQuYXBwbGUuY29tIiwiYXVkIjoiZGUubHVuYW9uZS5zaWduLWluLXdpdGgtYXBwbGUtZXhhbXBsZSIsImV4cCI6MTc1MjY2MjE1NywiaWF0IjoxNzUyNTc1NzU3LCJzdWIiOiIwMDA3MzkuOTBhYjcyZDVjNzg0NDRhOWJkZjFhM2ZiODBmZjY2NjAuMjEwNSIsImNfaGFzaCI6IlpDcnByb2lvRFNkU1FNb3FZVzMtN1EiLCJlbWFpbCI6InVnczZxdHBlaGZAcHJpdmF0ZXJlbGF5LmFwcGxlaWQuY29tIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImlzX3ByaXZhdGVfZW1haWwiOnRydWUsImF1dGhfdGltZSI6MTc1MjU3NTc1Nywibm9uY2Vfc3VwcG9ydGVkIjp0cnVlLCJyZWFsX3VzZXJfc3RhdHVzIjowfQ.YPLWr3FULJqVZ7o6rEtlXbI2Rh4USqmhyTRPcjzj3pQ1PmoWVYEe4kJKNgGCLPaMqB4ylaXo1gqvH5zdT_9llRhLzzSRJfXY7AIZifGe6ptZ6k44qYSo4ibACKBop39Uo3XTXACm2IN1gDAUW3MfC78ccE_E9z_U2i9gZ5Y32ce9TUrDX-t5cz9Lqaw8GbQAXKY4dbes_2ndHIza0NOOvWO3rB-B98OnirvivJow9Ei8m-w-dEEIEzq_zMNnVVJjMYKKS9Xk2QGOs71Wl1SFAc7QUos7jEqSHOaKIHHZY79ao73sAPU4kIZXGww1bU5c8W4Zg65TfHPkw7OEIgETcA";
const LUNA_AUD: &str = "de.lunaone.sign-in-with-apple-example";
/// Inside the token's validity window (iat 10:35:57Z, exp next day 10:35:57Z).
const LUNA_NOW: &str = "2025-07-15T12:00:00Z";

fn vector(name: &str) -> Value {
    let text = match name {
        "idtoken" => include_str!("vectors/siwa-idtoken-lunaone-2025-07-15.json"),
        "jwks" => include_str!("vectors/siwa-jwks-2025-07-13.json"),
        "a3" => include_str!("vectors/jws-es256-rfc7515-a3.json"),
        "wycheproof" => include_str!("vectors/jws-es256-wycheproof.json"),
        other => panic!("no vector named {other}"),
    };
    serde_json::from_str(text).unwrap()
}

fn identity_doc(token: &str, now: &str, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "jwt", "profile": "apple-identity-token", "now": now, "token": token,
           "expected": {"audience": LUNA_AUD},
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_identity_token_verifies_with_built_in_and_given_jwks() {
    let v = vector("idtoken");
    assert_eq!(v["inputs"]["token"], LUNA_TOKEN);
    let report = met(&identity_doc(LUNA_TOKEN, LUNA_NOW, &[]));
    assert_eq!(ids(&report), ["format", "alg", "kid", "signature", "iss", "aud", "exp", "iat"]);
    assert!(check(&report, "signature")["message"].as_str().unwrap().contains("built-in"));
    assert_eq!(report["claims"], v["expected_result"]["claims"]);
    assert_eq!(report["apple"]["real_user_status"]["meaning"].as_str().unwrap().split(' ').next(), Some("0"));
    assert_eq!(report["apple"]["email"]["private-relay"], true);
    assert_eq!(report["times"]["auth_time"]["utc"], "2025-07-15T10:35:57Z");
    let mut doc = identity_doc(LUNA_TOKEN, LUNA_NOW, &[]);
    doc["expected"]["authorization-code"] = json!("not the code of this sign-in");
    let report = met(&doc);
    assert_eq!(report["apple"]["c_hash"]["value"], "ZCrproioDSdSQMoqYW3-7Q");
    assert_eq!(report["apple"]["c_hash"]["matches"], false);
    assert!(report["warnings"].to_string().contains("c_hash"));
    let mut doc = identity_doc(LUNA_TOKEN, LUNA_NOW, &[]);
    doc["keys"] = vector("jwks")["jwks"].clone();
    let report = met(&doc);
    assert_eq!(check(&report, "signature")["message"], "RS256 signature verifies with keys/keys/0 (kid UaIIFY2fW4)");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_identity_token_negative_cases() {
    let v = vector("idtoken");
    // The library's own pinned time precedes iat by 36 minutes: beyond any leeway.
    met(&identity_doc(LUNA_TOKEN, v["verification_time"]["use"].as_str().unwrap(), &["iat"]));
    met(&identity_doc(LUNA_TOKEN, NOW_TEXT, &["exp"]));
    let mut doc = identity_doc(LUNA_TOKEN, LUNA_NOW, &["aud"]);
    doc["expected"]["audience"] = json!("com.example.other");
    let report = met(&doc);
    assert!(check(&report, "aud")["cause"].as_str().unwrap().contains("Services ID"));
    doc["expected"]["audience"] = json!(["com.example.web", LUNA_AUD]);
    doc["expect"] = json!({"valid": true});
    met(&doc);
    let tampered = v["negative_cases"][2]["token"].as_str().unwrap();
    met(&identity_doc(tampered, LUNA_NOW, &["signature", "aud"]));
    let mut doc = identity_doc(tampered, LUNA_NOW, &["signature"]);
    doc["expected"]["audience"] = json!("com.example.other");
    met(&doc);
    // A JWKS without the token's key: kid fails (rotation), and no other key verifies it.
    let mut doc = identity_doc(LUNA_TOKEN, LUNA_NOW, &["kid", "signature"]);
    let mut jwks = vector("jwks")["jwks"].clone();
    jwks["keys"].as_array_mut().unwrap().remove(0);
    doc["keys"] = jwks;
    let report = met(&doc);
    assert!(check(&report, "kid")["cause"].as_str().unwrap().contains("rotated"));
}

fn id_claims() -> Value {
    json!({"iss": "https://appleid.apple.com", "aud": LUNA_AUD, "exp": NOW + 600, "iat": NOW - 60,
           "sub": "001234.abcdef.0001", "email": "a@privaterelay.appleid.com", "email_verified": "true",
           "is_private_email": "true", "nonce_supported": true, "real_user_status": 2})
}

fn own_identity_doc(token: &str, nonce: Option<&str>, failed: &[&str]) -> Value {
    let mut doc = identity_doc(token, NOW_TEXT, failed);
    doc["keys"] = json!({"keys": [rsa_jwk("TESTKEY001")]});
    if let Some(n) = nonce {
        doc["expected"]["nonce"] = json!(n);
    }
    doc
}

fn rs_header() -> Value {
    json!({"kid": "TESTKEY001", "alg": "RS256"})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn identity_token_nonce_variants() {
    let raw = "a9f3-raw-nonce";
    let hashed = hex::encode(Sha256::digest(raw.as_bytes()));
    let code = "c0de.0.abc";
    let c_hash = encode_base64url(&Sha256::digest(code.as_bytes())[..16]);
    let good = rs256(rs_header(), with(id_claims(), json!({ "nonce": hashed, "c_hash": c_hash })));
    let mut doc = own_identity_doc(&good, Some(raw), &[]);
    doc["expected"]["authorization-code"] = json!(code);
    let report = met(&doc);
    assert_eq!(report["apple"]["c_hash"]["matches"], true);
    assert!(check(&report, "nonce")["ok"].as_bool().unwrap());
    assert_eq!(report["apple"]["email_verified"]["written-as"], "string");
    assert_eq!(report["apple"]["email_verified"]["value"], true);
    assert!(report["apple"]["real_user_status"]["meaning"].as_str().unwrap().contains("LikelyReal"));
    // Without an expected nonce the check is omitted.
    let report = met(&own_identity_doc(&good, None, &[]));
    assert!(!ids(&report).contains(&"nonce".to_string()));
    let cases: [(Value, &str, &str); 6] = [
        (json!(raw), raw, "raw nonce to Apple"),
        (json!("deadbeef"), "deadbeef", "raw nonce to Apple"),
        (json!(hashed), &hashed, "already a SHA-256 hash"),
        (json!(hashed.to_uppercase()), raw, "upper-case"),
        (json!(hex::encode(Sha256::digest(hashed.as_bytes()))), raw, "hashed twice"),
        (json!(null), raw, "nonce_supported"),
    ];
    for (claim, given, needle) in cases {
        let token = rs256(rs_header(), with(id_claims(), json!({ "nonce": claim })));
        let report = met(&own_identity_doc(&token, Some(given), &["nonce"]));
        let c = check(&report, "nonce");
        assert!(c["cause"].as_str().unwrap().contains(needle), "{needle}: {c}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn identity_token_alg_iss_and_transfer() {
    let es = es256(&ec_key(1), json!({"kid": "EC1", "alg": "ES256"}), id_claims());
    let mut doc = own_identity_doc(&es, None, &["alg"]);
    doc["keys"] = json!({"keys": [ec_jwk(&ec_key(1), "EC1")]});
    met(&doc);
    let token = rs256(rs_header(), with(id_claims(), json!({"iss": "https://accounts.google.com"})));
    met(&own_identity_doc(&token, None, &["iss"]));
    let token =
        rs256(rs_header(), with(id_claims(), json!({"transfer_sub": "000111.abc.0002", "email_verified": "yes"})));
    let report = met(&own_identity_doc(&token, None, &[]));
    assert_eq!(report["explain"][0]["id"], "siwa-app-transfer");
    assert!(report["warnings"].to_string().contains("email_verified"));
}

// ---------------------------------------------------------------- generic

fn generic_doc(token: &str, keys: Value, now: &str) -> Value {
    json!({"keyplay": 1, "kind": "jwt", "profile": "generic", "now": now, "token": token, "keys": keys})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rfc7515_a3_verifies_including_its_high_s_and_low_s_twin() {
    let v = vector("a3");
    let token = v["inputs"]["jws_compact"].as_str().unwrap();
    let keys = json!({"keys": [v["inputs"]["jwk_public"]]});
    let now = v["verification_time"]["use"].as_str().unwrap();
    let mut doc = generic_doc(token, keys.clone(), now);
    doc["expect"] = json!({"valid": true});
    let report = met(&doc);
    assert_eq!(ids(&report), ["format", "alg", "signature", "exp"]);
    assert_eq!(report["claims"], v["expected_result"]["claims"]);
    let (input, _) = token.rsplit_once('.').unwrap();
    let twin = format!("{input}.{}", v["expected_result"]["low_s_twin_signature_b64url"].as_str().unwrap());
    let mut doc = generic_doc(&twin, keys.clone(), now);
    doc["expect"] = json!({"valid": true});
    met(&doc);
    // Today the token is long expired; with a tampered payload the signature fails.
    let mut doc = generic_doc(token, keys.clone(), NOW_TEXT);
    doc["expect"] = json!({"valid": false, "failed": ["exp"]});
    met(&doc);
    let tampered = token.replacen(".eyJpc3MiOiJqb2Ui", ".eyJpc3MiOiJqb2Ii", 1);
    let mut doc = generic_doc(&tampered, keys, now);
    doc["expect"] = json!({"valid": false, "failed": ["signature"]});
    met(&doc);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wycheproof_es256_suite_agrees() {
    let v = vector("wycheproof");
    let mut count = 0;
    for group in v["inputs"]["groups"].as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            let doc = generic_doc(test["jws"].as_str().unwrap(), json!({"keys": [group["public_jwk"]]}), NOW_TEXT);
            let out = run(&doc);
            assert_eq!(out.exit, 0);
            let want = test["result"] == "valid";
            assert_eq!(out.report["valid"], want, "tcId {}: {}", test["tcId"], out.report);
            count += 1;
        }
    }
    assert_eq!(count, 41);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn generic_rules() {
    let keys = json!({"keys": [ec_jwk(&ec_key(1), "k1")]});
    let claims = json!({"iss": "me", "nbf": NOW + 3600});
    let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": "k1"}), claims);
    let mut doc = generic_doc(&token, keys.clone(), NOW_TEXT);
    doc["expect"] = json!({"valid": false, "failed": ["iat"]});
    let report = met(&doc);
    assert!(check(&report, "iat")["message"].as_str().unwrap().contains("nbf"));
    doc["expected"] = json!({"issuer": "you"});
    doc["expect"] = json!({"valid": false, "failed": ["iat", "iss"]});
    met(&doc);
    // alg none: never accepted; HS256: a shared secret, refused.
    let none = format!("{}.", signing_input(&json!({"alg": "none"}), &json!({"sub": "x"})));
    let mut doc = generic_doc(&none, keys.clone(), NOW_TEXT);
    doc["expect"] = json!({"valid": false, "failed": ["alg", "signature"]});
    met(&doc);
    doc.as_object_mut().unwrap().remove("keys");
    doc["expect"] = json!({"valid": false, "failed": ["alg"]});
    met(&doc);
    let hs = format!("{}.AAAA", signing_input(&json!({"alg": "HS256"}), &json!({})));
    let mut doc = generic_doc(&hs, json!({"pem": p256::PublicKey::from(ec_key(1).public_key()).to_string()}), NOW_TEXT);
    doc["expect"] = json!({"valid": false, "failed": ["alg", "signature"]});
    met(&doc);
    // sub and aud against expectations, both ways; an expectation the profile ignores is a warning.
    let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": "k1"}), json!({"sub": "u1", "aud": "svc"}));
    let mut doc = generic_doc(&token, keys.clone(), NOW_TEXT);
    doc["expected"] = json!({"subject": "u1", "audience": ["other", "svc"], "team-id": TEAM});
    doc["expect"] = json!({"valid": true});
    let report = met(&doc);
    assert!(report["warnings"].to_string().contains("expected.team-id is not used"));
    doc["expected"] = json!({"subject": "u2", "audience": "other"});
    doc["expect"] = json!({"valid": false, "failed": ["sub", "aud"]});
    met(&doc);
    // Several keys: the kid must name one of them.
    let two = json!({"keys": [ec_jwk(&ec_key(2), "k2"), ec_jwk(&ec_key(1), "k1")]});
    let unnamed = es256(&ec_key(1), json!({"alg": "ES256"}), json!({"sub": "x"}));
    let mut doc = generic_doc(&unnamed, two.clone(), NOW_TEXT);
    doc["expect"] = json!({"valid": false, "failed": ["kid"]});
    met(&doc);
    let named = es256(&ec_key(1), json!({"alg": "ES256", "kid": "k1"}), json!({"sub": "x"}));
    let mut doc = generic_doc(&named, two, NOW_TEXT);
    doc["expect"] = json!({"valid": true});
    assert!(check(&met(&doc), "kid")["ok"].as_bool().unwrap());
    // No keys at all: format and alg only, and a warning that nothing was verified.
    let token = es256(&ec_key(1), json!({"alg": "ES256"}), json!({"aud": ["a", "b"]}));
    let mut doc = generic_doc(&token, Value::Null, NOW_TEXT);
    doc.as_object_mut().unwrap().remove("keys");
    doc["expected"] = json!({"audience": "b"});
    let report = met(&doc);
    assert_eq!(ids(&report), ["format", "alg", "aud"]);
    assert!(report["warnings"].to_string().contains("not verified"));
}

// ---------------------------------------------------------------- apple-client-secret-request

fn request_doc(p8_text: &str, lifetime: i64) -> Value {
    json!({"keyplay": 1, "kind": "apple-client-secret-request", "now": NOW_TEXT, "p8": p8_text,
           "team-id": TEAM, "key-id": KEY_ID, "client-id": CLIENT, "lifetime-seconds": lifetime})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn signing_request_makes_a_secret_that_verifies() {
    let mut doc = request_doc(&p8(&ec_key(1)), 86_400);
    doc["expect"] = json!({"valid": true});
    let report = met(&doc);
    assert_eq!(
        ids(&report),
        ["p8", "format", "alg", "kid", "signature", "iss", "iat", "exp", "lifetime", "aud", "sub"]
    );
    assert_eq!(report["header"], json!({"alg": "ES256", "kid": KEY_ID}));
    assert_eq!(
        report["claims"],
        json!({"iss": TEAM, "iat": NOW, "exp": NOW + 86_400, "aud": "https://appleid.apple.com", "sub": CLIENT})
    );
    let token = report["token"].as_str().unwrap().to_string();
    assert!(!report.to_string().contains("PRIVATE"));
    // Deterministic (RFC 6979): the same request signs the same token.
    assert_eq!(met(&doc)["token"], token.as_str());
    // And the produced token verifies as a client secret in a jwt document.
    met(&secret_doc(&token, &[]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn signing_request_refusals() {
    for lifetime in [15_777_001, 0, -5] {
        let mut doc = request_doc(&p8(&ec_key(1)), lifetime);
        doc["expect"] = json!({"valid": false, "failed": ["lifetime"]});
        let report = met(&doc);
        assert!(report.get("token").is_none());
    }
    let mut doc = request_doc(&p8(&ec_key(1)), 15_777_000);
    doc["expect"] = json!({"valid": true});
    met(&doc);
    let sec1 = ec_key(1).to_sec1_pem(der::pem::LineEnding::LF).unwrap().to_string();
    let mut doc = request_doc(&sec1, 3600);
    doc["expect"] = json!({"valid": false, "failed": ["p8"]});
    let report = met(&doc);
    assert!(check(&report, "p8")["cause"].as_str().unwrap().contains("openssl pkcs8 -topk8"));
    assert!(!report.to_string().contains("PRIVATE KEY-----"));
}

// ---------------------------------------------------------------- troubleshoot

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn troubleshoot_invalid_client_ranks_sub_mismatch_first() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let mut doc = secret_doc(&token, &[]);
    doc["troubleshoot"] = json!({"error": "invalid_client", "code-kind": "dummy",
        "request": {"client_id": "com.example.app", "grant_type": "authorization_code", "code": "abc"}});
    let report = met(&doc);
    let d = &report["diagnosis"];
    assert_eq!(d["causes"][0]["id"], "sub-client-id");
    assert_eq!(d["causes"][0]["status"], "confirmed");
    assert_eq!(d["causes"][0]["rank"], 1);
    let der = d["causes"].as_array().unwrap().iter().find(|c| c["id"] == "der-signature").unwrap();
    assert_eq!(der["status"], "ruled-out");
    let linkage = d["causes"].as_array().unwrap().iter().find(|c| c["id"] == "key-linkage").unwrap();
    assert_eq!(linkage["status"], "possible", "a kid that looks right locally cannot rule out Apple-side linkage");
    assert!(d["decision"].as_str().unwrap().contains("client authentication itself is broken"));
    // Fixing client_id moves the confirmed cause away.
    doc["troubleshoot"]["request"]["client_id"] = json!(CLIENT);
    let report = met(&doc);
    assert_ne!(report["diagnosis"]["causes"][0]["status"], "confirmed");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn troubleshoot_invalid_grant_finds_code_issued_to_other_client() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let mut doc = secret_doc(&token, &[]);
    doc["troubleshoot"] = json!({"error": "invalid_grant", "code-kind": "fresh", "identity-token": LUNA_TOKEN,
        "error-description": "client_id mismatch. The code was not issued to com.example.service.",
        "request": {"client_id": CLIENT, "grant_type": "authorization_code", "code": "c1.0.abc"}});
    let report = met(&doc);
    let d = &report["diagnosis"];
    assert_eq!(d["causes"][0]["id"], "code-other-client", "{d}");
    assert!(d["description-hint"].as_str().unwrap().contains("another client_id"));
    // The identity token sent as code is recognised.
    doc["troubleshoot"]["request"]["code"] = json!(LUNA_TOKEN);
    doc["troubleshoot"].as_object_mut().unwrap().remove("identity-token");
    let report = met(&doc);
    assert_eq!(report["diagnosis"]["causes"][0]["id"], "id-token-as-code");
}

// ---------------------------------------------------------------- document errors, explainers

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn document_errors_are_exit_2_with_a_path() {
    let token = es256(&ec_key(1), header(), secret_claims());
    let mut doc = secret_doc(&token, &[]);
    doc["expected"]["teamid"] = json!(TEAM);
    let out = run(&doc);
    assert_eq!(out.exit, 2);
    assert_eq!(out.report["error"]["path"], "/expected/teamid");
    assert!(out.report["error"]["message"].as_str().unwrap().contains("did you mean team-id"));
    let mut doc = secret_doc(&token, &[]);
    doc["keys"]["pem"] = json!("x");
    assert_eq!(run(&doc).report["error"]["path"], "/keys");
    let mut doc = secret_doc(&token, &[]);
    doc["troubleshoot"] = json!({"error": "invalid_clinet"});
    let out = run(&doc);
    assert_eq!(out.report["error"]["path"], "/troubleshoot/error", "{}", out.report);
    let mut doc = secret_doc(&token, &[]);
    doc.as_object_mut().unwrap().remove("token");
    assert_eq!(run(&doc).exit, 2);
    let mut doc = secret_doc(&token, &[]);
    doc["profile"] = json!("apple-client-secrets");
    assert!(run(&doc).report["error"]["message"].as_str().unwrap().contains("did you mean apple-client-secret"));
    let mut doc = secret_doc(&token, &[]);
    doc["expected"]["audience"] = json!(5);
    let out = run(&doc);
    assert_eq!(out.report["error"]["path"], "/expected/audience");
    assert!(out.report["error"]["message"].as_str().unwrap().contains("a string or a list of strings"));
    let mut doc = request_doc("x", 1);
    doc.as_object_mut().unwrap().remove("key-id");
    assert_eq!(run(&doc).exit, 2);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn explainers_serialize_with_content() {
    let all = keyplay::jwt::explainers();
    assert_eq!(all[0]["id"], "siwa-first-authorization");
    assert!(all[0]["steps"].to_string().contains("Stop Using"));
    assert_eq!(all[1]["id"], "siwa-app-transfer");
    assert!(all[1]["identifiers"].to_string().contains("transfer_sub"));
    assert!(all[1]["summary"].as_str().unwrap().contains("60-day"));
}

// ---------------------------------------------------------------- examples

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_example_meets_its_expectation() {
    let examples: Vec<(&str, &str)> = keyplay::gallery::of_kind("jwt").collect();
    assert!(examples.len() >= 13, "the jwt gallery shrank to {}", examples.len());
    for (name, text) in examples.iter().copied() {
        let doc: Value = serde_json::from_str(text).unwrap();
        assert!(doc.get("expect").is_some(), "{name} has no expect");
        let out = run_text(text, Instant(NOW));
        assert_eq!(out.exit, 0, "{name}: {}", serde_json::to_string_pretty(&out.report).unwrap());
    }
    let der: Value = serde_json::from_str(examples.iter().find(|(n, _)| n.contains("der")).unwrap().1).unwrap();
    let report = met(&der);
    assert!(check(&report, "signature")["cause"].as_str().unwrap().contains("the DER signature verifies"));
}

// ---------------------------------------------------------------- never panics

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn valid_token() -> String {
        es256(&ec_key(1), header(), secret_claims())
    }

    fn run_all_profiles(token: &str, keys: Value) {
        for profile in ["apple-client-secret", "apple-identity-token", "generic"] {
            let doc = json!({"keyplay": 1, "kind": "jwt", "profile": profile, "now": NOW_TEXT, "token": token,
                             "keys": keys, "expected": {"nonce": "n", "audience": "a", "team-id": TEAM}});
            let out = run(&doc);
            assert!(out.exit == 0 || out.exit == 2);
            if out.exit == 0 {
                assert!(out.report["checks"].as_array().is_some_and(|c| !c.is_empty()));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn random_tokens(token in ".{0,300}") {
            run_all_profiles(&token, json!({"keys": [ec_jwk(&ec_key(1), KEY_ID)]}));
        }

        #[test]
        fn mutated_tokens(pos in 0usize..200, byte in any::<u8>(), cut in 0usize..200) {
            let mut bytes = valid_token().into_bytes();
            let len = bytes.len();
            bytes[pos % len] = byte;
            bytes.truncate(len - cut % len);
            let token = String::from_utf8_lossy(&bytes).to_string();
            run_all_profiles(&token, json!({"p8": p8(&ec_key(1))}));
        }

        #[test]
        fn random_segments(h in proptest::collection::vec(any::<u8>(), 0..80),
                           p in proptest::collection::vec(any::<u8>(), 0..80),
                           s in proptest::collection::vec(any::<u8>(), 0..100)) {
            let token = format!("{}.{}.{}", encode_base64url(&h), encode_base64url(&p), encode_base64url(&s));
            run_all_profiles(&token, json!({"pem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}));
            let with_header = format!("{}.{}.{}", encode_base64url(br#"{"alg":"ES256","kid":"ABC123DEFG"}"#), encode_base64url(&p), encode_base64url(&s));
            run_all_profiles(&with_header, json!({"keys": [ec_jwk(&ec_key(1), KEY_ID), {"kty": "RSA", "n": encode_base64url(&h), "e": "AQAB"}]}));
        }

        #[test]
        fn random_key_text(text in ".{0,400}", jwk in proptest::collection::btree_map("[a-z]{1,4}", ".{0,20}", 0..6)) {
            run_all_profiles(&valid_token(), json!({"p8": text}));
            run_all_profiles(&valid_token(), json!({"pem": format!("-----BEGIN PUBLIC KEY-----\n{text}\n-----END PUBLIC KEY-----")}));
            run_all_profiles(&valid_token(), json!({"keys": [jwk]}));
            let doc = json!({"keyplay": 1, "kind": "apple-client-secret-request", "p8": text, "team-id": "T",
                             "key-id": "K", "client-id": "C", "lifetime-seconds": 60});
            prop_assert_eq!(run(&doc).exit, 0);
        }

        #[test]
        fn random_jwks(kty in prop::sample::select(vec!["EC", "RSA", "OKP", ""]),
                       crv in prop::sample::select(vec!["P-256", "P-384", "P-521", "Ed25519"]),
                       x in proptest::collection::vec(any::<u8>(), 0..70),
                       y in proptest::collection::vec(any::<u8>(), 0..70),
                       usage in prop::sample::select(vec!["sig", "enc", ""])) {
            let jwk = json!({"kty": kty, "crv": crv, "kid": KEY_ID, "use": usage, "x": encode_base64url(&x),
                             "y": encode_base64url(&y), "n": encode_base64url(&x), "e": encode_base64url(&y)});
            run_all_profiles(&valid_token(), json!({"keys": [jwk]}));
        }

        #[test]
        fn rs256_with_odd_rsa_keys(n in proptest::collection::vec(any::<u8>(), 0..40),
                                   e in proptest::collection::vec(any::<u8>(), 0..5),
                                   sig_len in 0usize..40) {
            let header = encode_base64url(br#"{"alg":"RS256","kid":"r"}"#);
            let token = format!("{header}.e30.{}", encode_base64url(&vec![7u8; sig_len]));
            let jwk = json!({"kty": "RSA", "kid": "r", "n": encode_base64url(&n), "e": encode_base64url(&e)});
            run_all_profiles(&token, json!({"keys": [jwk]}));
        }

        #[test]
        fn random_troubleshoot(code in ".{0,80}", uri in ".{0,40}", client in ".{0,30}") {
            let doc = json!({"keyplay": 1, "kind": "jwt", "profile": "apple-client-secret", "token": valid_token(),
                "troubleshoot": {"error": "invalid_grant", "identity-token": code,
                    "request": {"client_id": client, "code": code, "redirect_uri": uri, "grant_type": code}}});
            prop_assert_eq!(run(&doc).exit, 0);
        }
    }
}

/// Keys and PEM: a P-384 public key PEM is read as P-384 (and a P-256 one as P-256), the
/// key set lists its kids, and a one-line PEM body longer than a PEM line is noted.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn public_key_pems_by_curve_kids_and_one_line_bodies() {
    use keyplay::jwt::keys::{KeySet, Origin};
    use keyplay::jwt::public_key::PublicKey;
    use p256::pkcs8::EncodePublicKey;
    let p384 = p384::SecretKey::from_slice(&[[0u8; 47].as_slice(), &[1]].concat()).expect("a scalar").public_key();
    let pem384 = p384.to_public_key_pem(p256::pkcs8::LineEnding::LF).expect("PEM");
    let set = KeySet::from_pem(&pem384);
    assert!(matches!(set.keys[0].key, Ok(PublicKey::P384(_))), "{:?}", set.keys[0].key);
    let pem256 = ec_key(3).public_key().to_public_key_pem(p256::pkcs8::LineEnding::LF).expect("PEM");
    assert!(matches!(KeySet::from_pem(&pem256).keys[0].key, Ok(PublicKey::P256(_))));
    let rsa_pem =
        rsa::pkcs8::EncodePublicKey::to_public_key_pem(&rsa_key().to_public_key(), p256::pkcs8::LineEnding::LF)
            .expect("PEM");
    assert!(matches!(KeySet::from_pem(&rsa_pem).keys[0].key, Ok(PublicKey::Rsa(_))));
    // The same key with its curve renamed P-192 (1.2.840.10045.3.1.1, the OID's last byte
    // changed): an unsupported curve, not a P-384 key that fails to parse.
    let der = ec_key(3).public_key().to_public_key_der().expect("DER").into_vec();
    let p256_oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let at = der.windows(p256_oid.len()).position(|w| w == p256_oid).expect("the curve OID") + p256_oid.len() - 1;
    let mut p192 = der.clone();
    p192[at] = 0x01;
    let pem192 = der::pem::encode_string("PUBLIC KEY", der::pem::LineEnding::LF, &p192).expect("PEM");
    let key = KeySet::from_pem(&pem192).keys.remove(0).key;
    assert!(matches!(key, Err(keyplay::jwt::key_error::KeyError::Unsupported { .. })), "{key:?}");

    let jwks = [ec_jwk(&ec_key(1), "KID1"), ec_jwk(&ec_key(2), "KID2")];
    let entries: Vec<_> = jwks.iter().filter_map(|j| j.as_object().cloned()).collect();
    assert_eq!(KeySet::from_jwks(&entries, Origin::Jwks).kids(), ["KID1", "KID2"]);

    // The same P-256 PEM with its body on one line: read, and noted.
    let body: String = pem256.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(body.len() > 64);
    let one_line = format!("-----BEGIN PUBLIC KEY-----{body}-----END PUBLIC KEY-----");
    let read = keyplay::jwt::pem::read(&one_line).expect("one-line PEM");
    assert!(read.notes.iter().any(|n| n.contains("no line breaks")), "{:?}", read.notes);
    assert!(keyplay::jwt::pem::read(&pem256).expect("PEM").notes.is_empty());
    // PEM text over the bound is refused before it is read; text of exactly the bound is read.
    let max = keyplay::jwt::pem::MAX_PEM_LEN;
    for len in [max + 1, max + 100] {
        let read = keyplay::jwt::pem::read(&"A".repeat(len));
        assert!(matches!(read, Err(keyplay::jwt::pem::PemError::TooLong { .. })), "{len}: {read:?}");
    }
    assert!(!matches!(keyplay::jwt::pem::read(&"A".repeat(max)), Err(keyplay::jwt::pem::PemError::TooLong { .. })));
    // A legacy encrypted PEM is refused by either of its headers.
    for header in ["Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF"] {
        let legacy = format!("-----BEGIN EC PRIVATE KEY-----\n{header}\n\nAAAA\n-----END EC PRIVATE KEY-----");
        let read = keyplay::jwt::pem::read(&legacy);
        assert!(matches!(read, Err(keyplay::jwt::pem::PemError::LegacyEncrypted)), "{header}: {read:?}");
    }
}

/// Identity-token nonces: a missing nonce when the device supports them (true as a boolean or
/// as the string "true") says the device supports them; otherwise either may be why.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_missing_nonce_blames_the_app_when_the_device_supports_nonces() {
    use keyplay::jwt::identity_token::nonce_check;
    let cause = |claims: Value| {
        let c = nonce_check(claims.as_object().expect("claims"), "raw-nonce");
        assert!(!c.ok);
        c.cause.unwrap_or_default()
    };
    for supported in [json!(true), json!("true")] {
        assert!(cause(json!({"nonce_supported": supported})).contains("the device supports nonces"), "{supported}");
    }
    assert!(cause(json!({"nonce_supported": false})).contains("or the platform does not support nonces"));
}

/// Token and key errors say what was expected and why; the token bound takes its limit.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn token_and_key_errors_explain_themselves() {
    use keyplay::jwt::key_error::KeyError;
    use keyplay::jwt::token::{decode, TokenError, MAX_TOKEN_LEN};
    let wrong = KeyError::WrongAlgorithm { found: "an RSA key".into() };
    assert!(wrong.cause().contains("Apple's keys are P-256"), "{}", wrong.cause());
    let Err(err) = decode("e30.e3!9.AAAA") else { panic!("not base64url, yet decoded") };
    assert!(matches!(err, TokenError::Base64 { .. }), "{err:?}");
    assert!(err.expected().starts_with("base64url characters"), "{}", err.expected());
    let long = |len: usize| decode(&format!("e30.{}.AAAA", "A".repeat(len - 9)));
    assert!(!matches!(long(MAX_TOKEN_LEN), Err(TokenError::TooLong { .. })), "the limit itself is not too long");
    assert!(matches!(long(MAX_TOKEN_LEN + 1), Err(TokenError::TooLong { .. })));
}

/// RS384 is verified with SHA-384; nbf equal to now is usable, nbf in the future makes the
/// iat check fail with the not-before time.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn rs384_and_not_before_times() {
    use keyplay::jwt::public_key::PublicKey;
    use rsa::signature::{SignatureEncoding, Signer as _};
    let input = b"header.payload";
    let signed = rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(rsa_key()).sign(input).to_vec();
    let key = PublicKey::Rsa(rsa_key().to_public_key());
    assert_eq!(keyplay::jwt::signature::verify("RS384", &key, input, &signed), Ok(()));
    assert!(keyplay::jwt::signature::verify("RS512", &key, input, &signed).is_err());

    use keyplay::jwt::times::iat_check;
    let claims = |nbf: i64| json!({"iat": NOW - 60, "nbf": nbf});
    let iat = |nbf: i64| iat_check(claims(nbf).as_object().expect("claims"), Instant(NOW), 0, true).expect("a check");
    let at_now = iat(NOW);
    assert!(at_now.ok, "{at_now:?}");
    let later = iat(NOW + 1);
    assert!(!later.ok && later.message.starts_with("not valid yet: nbf is"), "{later:?}");
}

/// A generic JWT's `aud` may be an array (one of its values must be expected), and a header
/// that names a key by URL alone (`jku` or `x5u`) is warned about like one that embeds it.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn generic_aud_arrays_and_header_key_urls() {
    let keys = json!({"keys": [ec_jwk(&ec_key(1), "k1")]});
    let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": "k1"}), json!({"sub": "u1", "aud": ["a", "svc"]}));
    let mut doc = generic_doc(&token, keys.clone(), NOW_TEXT);
    doc["expected"] = json!({"audience": "svc"});
    doc["expect"] = json!({"valid": true});
    assert_eq!(check(&met(&doc), "aud")["message"], json!("aud includes svc"));
    for member in ["jku", "x5u"] {
        let token = es256(
            &ec_key(1),
            json!({"alg": "ES256", "kid": "k1", member: "https://keys.example.com/k"}),
            json!({"sub": "u1"}),
        );
        let mut doc = generic_doc(&token, keys.clone(), NOW_TEXT);
        doc["expect"] = json!({"valid": true});
        assert!(met(&doc)["warnings"].to_string().contains("carries its own key"), "{member}");
    }
}

/// Mutants of the second round-robin eighth of `src/jwt` that the tests above missed: the
/// anatomy's header size, real_user_status 1, a P-384 DER signature without keys, a short
/// signature's size, a header that is not JSON, and the invalid_grant troubleshooter's
/// redirect_uri check and dummy-code decision.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn second_shard_mutants() {
    // The anatomy gives the header's decoded size.
    let token = es256(&ec_key(1), header(), secret_claims());
    let anatomy = keyplay::jwt::anatomy::anatomy(&token, Instant(NOW)).expect("an anatomy");
    assert_eq!(anatomy.sizes[0], header().to_string().len());
    assert_eq!(anatomy.sizes[2], 64);

    // real_user_status 1 is Unknown.
    let claims = with(id_claims(), json!({"real_user_status": 1}));
    let report = met(&own_identity_doc(&rs256(rs_header(), claims), None, &[]));
    let meaning = report["apple"]["real_user_status"]["meaning"].as_str().unwrap_or_default();
    assert!(meaning.starts_with("1 Unknown"), "{}", report["apple"]);

    // Without keys, a P-384 DER signature on an ES384 token is named as DER.
    let p384_key = p384::ecdsa::SigningKey::from_slice(&[5; 48]).unwrap();
    let es384 = json!({"alg": "ES384", "kid": KEY_ID});
    let input = signing_input(&es384, &secret_claims());
    let der: p384::ecdsa::DerSignature = p384::ecdsa::signature::Signer::sign(&p384_key, input.as_bytes());
    let der_token = format!("{input}.{}", encode_base64url(der.as_bytes()));
    let report = run(&generic_doc(&der_token, Value::Null, NOW_TEXT)).report;
    let sig = check(&report, "signature");
    assert_eq!(sig["found"], "ASN.1 DER", "{sig}");
    assert!(sig["message"].as_str().unwrap().ends_with("ES384 in JOSE is raw r‖s of 96 bytes"), "{sig}");
    // 70 bytes that start like DER but are not: not named DER (without keys, no signature check).
    let fake = format!("{}.{}", signing_input(&header(), &secret_claims()), encode_base64url(&[0x30; 70]));
    let report = run(&generic_doc(&fake, Value::Null, NOW_TEXT)).report;
    assert!(!ids(&report).contains(&"signature".to_string()), "{report}");

    // A signature of 10 bytes is found as 10 bytes.
    let short = format!("{}.{}", signing_input(&header(), &secret_claims()), encode_base64url(&[1; 10]));
    let report = met(&secret_doc(&short, &["signature"]));
    assert_eq!(check(&report, "signature")["found"], "10 bytes");

    // A header that is base64url but not JSON expects a JSON object.
    let not_json = format!("{}.{}.AAAA", encode_base64url(b"not json"), encode_base64url(b"{}"));
    let report = met(&secret_doc(&not_json, &["format"]));
    assert_eq!(check(&report, "format")["expected"], "a JSON object");
    assert!(
        check(&report, "format")["message"].as_str().unwrap().starts_with("the header is not valid JSON"),
        "{report}"
    );
    // A part that is not base64url: padded, or truncated / another alphabet.
    for (header, cause) in [("e30=", "= padding"), ("eyJ!!!", "the token was truncated")] {
        let report = met(&secret_doc(&format!("{header}.e30.AAAA"), &["format"]));
        assert!(check(&report, "format")["cause"].as_str().unwrap().contains(cause), "{cause}: {report}");
    }

    // kid: a client secret needs one even when no key id is expected; a generic JWT needs one
    // to pick among several JWKS keys, not with a single key.
    let no_kid = es256(&ec_key(1), json!({"alg": "ES256"}), secret_claims());
    let mut doc = secret_doc(&no_kid, &["kid"]);
    doc["expected"].as_object_mut().unwrap().remove("key-id");
    let report = met(&doc);
    assert!(check(&report, "kid")["message"].as_str().unwrap().contains("no kid"), "{report}");
    let two = json!({"keys": [ec_jwk(&ec_key(1), "KID1"), ec_jwk(&ec_key(2), "KID2")]});
    let report = run(&generic_doc(&no_kid, two, NOW_TEXT)).report;
    assert_eq!(check(&report, "kid")["ok"], false, "{report}");
    let one = json!({"keys": [ec_jwk(&ec_key(1), "KID1")]});
    let report = run(&generic_doc(&no_kid, one, NOW_TEXT)).report;
    assert!(!ids(&report).contains(&"kid".to_string()), "{report}");
    assert_eq!(check(&report, "signature")["ok"], true, "{report}");

    // A generic JWT with an algorithm Keyplay does not verify: HS256 is named as shared-secret,
    // PS256 only as unverified.
    for (alg, shared) in [("HS256", true), ("PS256", false)] {
        let token = format!(
            "{}.{}.AAAA",
            encode_base64url(json!({"alg": alg}).to_string().as_bytes()),
            encode_base64url(b"{}")
        );
        let report = run(&generic_doc(&token, Value::Null, NOW_TEXT)).report;
        let alg_check = check(&report, "alg");
        assert_eq!(alg_check["message"].as_str().unwrap().contains("shared-secret"), shared, "{alg_check}");
    }
    // A client secret's aud in another case, or naming appleid.apple.com with a path: close.
    for aud in ["HTTPS://APPLEID.APPLE.COM", "https://appleid.apple.com/auth/token"] {
        let token = es256(&ec_key(1), header(), with(secret_claims(), json!({ "aud": aud })));
        let report = met(&secret_doc(&token, &["aud"]));
        assert!(check(&report, "aud")["cause"].as_str().unwrap().starts_with("close, but"), "{aud}: {report}");
    }

    // An ES256 token checked against an RSA key: found is the key it was given.
    let mut rsa = rsa_jwk(KEY_ID);
    rsa.as_object_mut().unwrap().remove("alg");
    let mismatch = run(&generic_doc(&token, json!({ "keys": [rsa] }), NOW_TEXT)).report;
    let found = check(&mismatch, "signature")["found"].as_str().unwrap_or_default().to_owned();
    assert!(found.starts_with("RSA"), "{mismatch}");
    // A token of 54 KB is read (the bound is 64 KiB).
    let long = es256(&ec_key(1), header(), with(secret_claims(), json!({ "pad": "x".repeat(40_000) })));
    assert!(long.len() > 50_000 && long.len() < keyplay::jwt::token::MAX_TOKEN_LEN, "{}", long.len());
    assert_eq!(check(&met(&secret_doc(&long, &[])), "format")["ok"], true);
    // Of several keys that fail, the most telling failure is reported: a signature that does not
    // verify with a key of the right type before a key of another type (whatever their order).
    let mut rsa = rsa_jwk("R");
    rsa.as_object_mut().unwrap().remove("alg");
    let no_kid = es256(&ec_key(1), json!({"alg": "ES256"}), secret_claims());
    let keys = json!({ "keys": [rsa, ec_jwk(&ec_key(2), "E")] });
    let report = run(&generic_doc(&no_kid, keys, NOW_TEXT)).report;
    assert_eq!(check(&report, "signature")["found"], "64 signature bytes that do not verify", "{report}");
    // A kid that is not 10 upper-case letters or digits is warned about, whether short or lower-case.
    for kid in ["ABC123", "abcdefghij"] {
        let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": kid}), secret_claims());
        let mut doc = secret_doc(&token, &[]);
        doc["expected"]["key-id"] = json!(kid);
        let report = met(&doc);
        assert!(report["warnings"].to_string().contains("does not look like an Apple Key ID"), "{kid}: {report}");
    }
    // The kid picks the key: a token signed by key A but naming key B fails, although A is in
    // the JWKS too.
    let misnamed = es256(&ec_key(1), json!({"alg": "ES256", "kid": "B"}), secret_claims());
    let keys = json!({ "keys": [ec_jwk(&ec_key(1), "A"), ec_jwk(&ec_key(2), "B")] });
    let report = run(&generic_doc(&misnamed, keys, NOW_TEXT)).report;
    assert_eq!(check(&report, "signature")["ok"], false, "{report}");
    // ES384 verifies with a P-384 key.
    let key384 = p384::ecdsa::SigningKey::from_slice(&[5; 48]).unwrap();
    let h384 = json!({"alg": "ES384", "kid": "P"});
    let input = signing_input(&h384, &secret_claims());
    let sig: p384::ecdsa::Signature = p384::ecdsa::signature::Signer::sign(&key384, input.as_bytes());
    let point = key384.verifying_key().to_encoded_point(false);
    let jwk384 = json!({"kty": "EC", "crv": "P-384", "kid": "P", "use": "sig",
        "x": encode_base64url(point.x().unwrap()), "y": encode_base64url(point.y().unwrap())});
    let es384 = format!("{input}.{}", encode_base64url(&sig.to_bytes()));
    let report = run(&generic_doc(&es384, json!({ "keys": [jwk384] }), NOW_TEXT)).report;
    assert_eq!(check(&report, "signature")["ok"], true, "{report}");
    // A passing nbf leaves iat's own message; an iat of exactly 10^11 is not taken for milliseconds.
    let with_nbf = es256(&ec_key(1), header(), with(secret_claims(), json!({ "nbf": NOW - 600 })));
    let report = met(&secret_doc(&with_nbf, &[]));
    assert!(check(&report, "iat")["message"].as_str().unwrap().starts_with("issued"), "{report}");
    let at_threshold = es256(&ec_key(1), header(), with(secret_claims(), json!({ "iat": 100_000_000_000_i64 })));
    let report = run(&secret_doc(&at_threshold, &["iat"])).report;
    assert!(!check(&report, "iat")["message"].as_str().unwrap().contains("milliseconds"), "{report}");
    // b64 set to anything but true is the unencoded-payload option, refused; b64: true is read.
    for (b64, ok) in [(json!(false), false), (json!(true), true)] {
        let token = es256(&ec_key(1), json!({"alg": "ES256", "kid": KEY_ID, "b64": b64}), secret_claims());
        let report = run(&secret_doc(&token, &[])).report;
        assert_eq!(check(&report, "format")["ok"], json!(ok), "{b64}: {report}");
    }
    // A JWKS of more keys than are read says so; one of exactly that many does not.
    use keyplay::jwt::keys::{KeySet, Origin};
    let many: Vec<_> = (0..=keyplay::jwt::keys::MAX_JWKS_KEYS)
        .filter_map(|i| ec_jwk(&ec_key(1), &format!("K{i}")).as_object().cloned())
        .collect();
    let over = KeySet::from_jwks(&many, Origin::Jwks);
    assert!(over.notes.iter().any(|n| n.starts_with("only the first")), "{:?}", over.notes);
    let exact = KeySet::from_jwks(&many[1..], Origin::Jwks);
    assert!(exact.notes.is_empty(), "{:?}", exact.notes);

    // The troubleshooter: a domain redirect_uri passes, localhost and an IP do not; a dummy code that
    // got invalid_grant means client authentication passed.
    let uris =
        [("https://example.com/callback", true), ("https://localhost/callback", false), ("https://10.0.0.1/cb", false)];
    for (uri, ok) in uris {
        let mut doc = secret_doc(&token, &[]);
        doc["troubleshoot"] = json!({"error": "invalid_grant", "code-kind": "dummy",
            "request": {"client_id": CLIENT, "code": "abc", "redirect_uri": uri, "grant_type": "authorization_code"}});
        let report = met(&doc);
        let diagnosis = &report["diagnosis"];
        let redirect = diagnosis["checks"].as_array().unwrap().iter().find(|c| c["id"] == "redirect-uri");
        assert_eq!(redirect.map(|c| c["ok"].clone()), Some(json!(ok)), "{uri}: {diagnosis}");
        assert!(diagnosis["decision"].as_str().unwrap().contains("client authentication PASSED"), "{diagnosis}");
    }
    // A code that only starts like a JWT is not taken for one; an identity token sent as the
    // code is.
    for (code, ok) in [("eyJhbGciOi", true), (token.as_str(), false)] {
        let mut doc = secret_doc(&token, &[]);
        doc["troubleshoot"] = json!({"error": "invalid_grant", "request": {"client_id": CLIENT, "code": code}});
        let diagnosis = met(&doc)["diagnosis"].clone();
        let check = diagnosis["checks"].as_array().unwrap().iter().find(|c| c["id"] == "code-is-not-a-jwt").cloned();
        assert_eq!(check.map(|c| c["ok"].clone()), Some(json!(ok)), "{code}: {diagnosis}");
    }
    // Without a code kind, invalid_grant asks for the dummy-code probe; a secret whose exp is
    // the verification time has expired.
    let at_now = es256(&ec_key(1), header(), with(secret_claims(), json!({ "exp": NOW })));
    let mut doc = secret_doc(&at_now, &[]);
    doc.as_object_mut().unwrap().remove("expect");
    doc["troubleshoot"] = json!({"error": "invalid_grant", "request": {"client_id": CLIENT}});
    let diagnosis = run(&doc).report["diagnosis"].clone();
    assert!(diagnosis["decision"].as_str().unwrap().starts_with("probe:"), "{diagnosis}");
    let expiry = diagnosis["checks"].as_array().unwrap().iter().find(|c| c["id"] == "secret-not-expired").cloned();
    assert_eq!(expiry.map(|c| c["ok"].clone()), Some(json!(false)), "{diagnosis}");
    // A fresh code that got invalid_grant: the code, not the client, is the problem; a
    // client_credentials grant needs the user.migration scope.
    for (scope, ok) in [("user.migration", true), ("name email", false)] {
        let mut doc = secret_doc(&token, &[]);
        doc["troubleshoot"] = json!({"error": "invalid_grant", "code-kind": "fresh",
            "request": {"client_id": CLIENT, "grant_type": "client_credentials", "scope": scope}});
        let diagnosis = met(&doc)["diagnosis"].clone();
        assert!(diagnosis["decision"].as_str().unwrap().starts_with("a fresh code got invalid_grant"), "{diagnosis}");
        let grant = diagnosis["checks"].as_array().unwrap().iter().find(|c| c["id"] == "grant-type").cloned();
        assert_eq!(grant.map(|c| c["ok"].clone()), Some(json!(ok)), "{scope}: {diagnosis}");
    }
    // A client secret without exp fails exp (it is required there).
    let no_exp = es256(&ec_key(1), header(), with(secret_claims(), json!({"exp": null})));
    let report = met(&secret_doc(&no_exp, &["exp"]));
    assert_eq!(check(&report, "exp")["message"], "the exp claim is missing");
    // PS256 with an EC key: the algorithm is not one Keyplay verifies (not a key mismatch).
    let ps = format!(
        "{}.{}",
        signing_input(&json!({"alg": "PS256", "kid": KEY_ID}), &secret_claims()),
        encode_base64url(&[1; 64])
    );
    let report = run(&generic_doc(&ps, json!({"keys": [ec_jwk(&ec_key(1), KEY_ID)]}), NOW_TEXT)).report;
    let sig = check(&report, "signature");
    assert!(sig["message"].as_str().unwrap().starts_with("PS256 cannot be verified"), "{sig}");
    // authorization_code without a code fails the grant-type check.
    let mut doc = secret_doc(&token, &[]);
    doc["troubleshoot"] = json!({"error": "invalid_request",
        "request": {"client_id": CLIENT, "grant_type": "authorization_code"}});
    let diagnosis = met(&doc)["diagnosis"].clone();
    assert!(diagnosis["decision"].as_str().unwrap().starts_with("invalid_request: a transport problem"), "{diagnosis}");
    let grant = diagnosis["checks"].as_array().unwrap().iter().find(|c| c["id"] == "grant-type").cloned();
    assert_eq!(
        grant.map(|c| (c["ok"].clone(), c["message"].clone())),
        Some((json!(false), json!("grant_type authorization_code needs code"))),
        "{diagnosis}"
    );
}
