//! Benchmark for the jwt engine: verifies an ES256 token (RFC 7515 A.3) and an RS256 token
//! (a real Sign in with Apple identity token) N times, signature only and as whole documents,
//! and prints the time per operation. Prints figures; asserts nothing about time.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use keyplay::jwt::keys::{from_jwk, PublicKey};
use keyplay::jwt::{signature, token};
use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::{json, Value};
use std::time::Instant as Clock;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const N: u32 = 200;

fn per_op(label: &str, n: u32, mut f: impl FnMut() -> bool) {
    let start = Clock::now();
    let mut ok = 0;
    for _ in 0..n {
        if f() {
            ok += 1;
        }
    }
    let each = start.elapsed() / n;
    println!("{label:<44} {each:>12?} per op  ({ok}/{n} valid)");
}

fn key(jwk: &Value) -> PublicKey {
    match from_jwk(jwk.as_object().unwrap_or(&serde_json::Map::new())) {
        Ok(k) => k,
        Err(e) => panic!("bench key: {e}"),
    }
}

fn main() {
    let a3: Value =
        serde_json::from_str(include_str!("../tests/vectors/jws-es256-rfc7515-a3.json")).unwrap_or_default();
    let es_token = a3["inputs"]["jws_compact"].as_str().unwrap_or_default().to_string();
    let es_key = key(&a3["inputs"]["jwk_public"]);
    let siwa: Value =
        serde_json::from_str(include_str!("../tests/vectors/siwa-idtoken-lunaone-2025-07-15.json")).unwrap_or_default();
    let rs_token = siwa["inputs"]["token"].as_str().unwrap_or_default().to_string();
    let rs_key = key(&siwa["inputs"]["jwks"]["keys"][0]);

    let es = token::decode(&es_token).ok();
    let rs = token::decode(&rs_token).ok();
    println!("jwt bench, {N} iterations each (debug builds are much slower; use cargo bench)");
    per_op("ES256 signature verify (p256)", N, || {
        es.as_ref()
            .is_some_and(|d| signature::verify("ES256", &es_key, d.signing_input.as_bytes(), &d.signature).is_ok())
    });
    per_op("RS256 signature verify (rsa, 2048-bit)", N, || {
        rs.as_ref()
            .is_some_and(|d| signature::verify("RS256", &rs_key, d.signing_input.as_bytes(), &d.signature).is_ok())
    });

    let es_doc = json!({"keyplay": 1, "kind": "jwt", "profile": "generic", "now": "2011-03-22T18:00:00Z",
        "token": es_token, "keys": {"keys": [a3["inputs"]["jwk_public"]]}})
    .to_string();
    let rs_doc = json!({"keyplay": 1, "kind": "jwt", "profile": "apple-identity-token", "now": "2025-07-15T12:00:00Z",
        "token": rs_token, "expected": {"audience": "de.lunaone.sign-in-with-apple-example"}})
    .to_string();
    per_op("ES256 generic document, end to end", N, || run_text(&es_doc, Instant(0)).report["valid"] == true);
    per_op("RS256 identity-token document (built-in JWKS)", N, || {
        run_text(&rs_doc, Instant(0)).report["valid"] == true
    });
}
