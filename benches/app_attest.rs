//! Benchmark for the app_attest engine: full verification of a real attestation (CBOR,
//! chain to the pinned root with P-384/P-256 signatures, nonce, key id, receipt decoding and
//! its CMS signature and chain) and of a real assertion, N times each. Prints figures and
//! asserts nothing about time.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use keyplay::app_attest::{assertion, attestation, input};
use keyplay::Instant;
use serde_json::{json, Value};
use std::time::Instant as Clock;

const ATTESTATION: &str = include_str!("../tests/vectors/appattest-att-veehaitch-ios14.4-dev.json");
const ASSERTION: &str = include_str!("../tests/vectors/appattest-asr-veehaitch-ios14.4-dev.json");

fn inputs(text: &str) -> Value {
    serde_json::from_str::<Value>(text).map(|v| v["inputs"].clone()).unwrap_or(Value::Null)
}

fn per_op(label: &str, n: u32, mut op: impl FnMut() -> bool) {
    let mut ok = 0u32;
    let start = Clock::now();
    for _ in 0..n {
        if op() {
            ok += 1;
        }
    }
    let elapsed = start.elapsed();
    let micros = elapsed.as_secs_f64() * 1e6 / f64::from(n.max(1));
    println!("{label}: {n} runs in {:.3} s, {micros:.1} µs per run ({ok} valid)", elapsed.as_secs_f64());
}

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let a = inputs(ATTESTATION);
    let body = json!({
        "attestation": a["attestation_b64"], "key-id": a["key_id_b64"],
        "client-data": {"base64": a["client_data_b64"]}, "app-id": a["app_id"], "environment": "development",
    });
    let now = Instant::parse_rfc3339("2021-01-23T12:13:33Z").unwrap_or(Instant(0));
    let Ok((doc, client)) = input::attestation(body) else {
        println!("app_attest: the attestation document did not parse");
        return;
    };
    per_op("attestation verify (full, incl. receipt)", n, || {
        keyplay::attest::key::forget_verified();
        attestation::verify(&doc, &client, now).valid()
    });
    per_op("the same, its signatures already checked", n, || attestation::verify(&doc, &client, now).valid());

    let s = inputs(ASSERTION);
    let body = json!({
        "assertion": s["assertion_b64"], "client-data": {"base64": s["client_data_b64"]},
        "public-key": {"pem": s["public_key_pem"]}, "app-id": s["app_id"], "previous-counter": 0,
    });
    let Ok((doc, client)) = input::assertion(body) else {
        println!("app_attest: the assertion document did not parse");
        return;
    };
    per_op("assertion verify", n * 5, || {
        keyplay::attest::key::forget_verified();
        assertion::verify(&doc, &client).valid()
    });
}
