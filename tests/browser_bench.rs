//! Keychain engine figures in the browser (headless Chromium or Firefox under
//! wasm-bindgen-test): add, copy by primary key, copy by a non-key attribute, delete-all,
//! and a 50-step document. Prints figures to the test output; asserts nothing about time.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use keyplay::keychain::document::{App, DevicePatch, Dict, Platform};
use keyplay::keychain::engine::{Device, Keychain};
use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn dict(v: serde_json::Value) -> Dict {
    Dict::from_json(&v, "").unwrap_or_default()
}

fn filled(n: usize) -> (Keychain, f64) {
    let mut kc =
        Keychain::new(Platform::Ios, App::default_app(), Device::from_patch(&DevicePatch::default()), Instant(0));
    let adds: Vec<Dict> = (0..n)
        .map(|i| {
            dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": format!("svc{}", i % 97),
                "kSecAttrAccount": format!("user{i}"), "kSecAttrLabel": format!("label{}", i % 13), "kSecValueData": {"utf8": "pw"}}))
        })
        .collect();
    let start = now_ms();
    for d in &adds {
        kc.add(d);
    }
    (kc, (now_ms() - start) / n as f64)
}

fn per_call<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    let start = now_ms();
    for _ in 0..reps {
        f();
    }
    (now_ms() - start) / reps as f64
}

#[wasm_bindgen_test]
fn keychain_figures_in_the_browser() {
    console_log!("keychain engine in the browser (debug build of the test; ms per call)");
    for n in [10usize, 1_000, 10_000] {
        let (mut kc, add) = filled(n);
        let by_pk = dict(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": format!("svc{}", (n / 2) % 97), "kSecAttrAccount": format!("user{}", n / 2), "kSecReturnData": true}),
        );
        let by_label = dict(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "label5", "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true}),
        );
        let copy_pk = per_call(50, || {
            kc.copy_matching(&by_pk);
        });
        let copy_label = per_call(5, || {
            kc.copy_matching(&by_label);
        });
        let start = now_ms();
        let deleted = kc.delete(&dict(json!({"kSecClass": "kSecClassGenericPassword"})));
        let delete_all = now_ms() - start;
        console_log!(
            "{n:>6} items: add {add:.4} | copy by PK {copy_pk:.4} | copy by label {copy_label:.3} | delete all {delete_all:.1} ({})",
            deleted.status.name()
        );
        assert_eq!(deleted.status, keyplay::status::Status::Success);
    }
}

/// Full App Attest attestation verification (chain, receipt, every check) in the browser.
#[wasm_bindgen_test]
fn app_attest_figures_in_the_browser() {
    let Some((_, text)) =
        keyplay::gallery::EXAMPLES.iter().find(|(p, _)| p.ends_with("app-attest/ios14-development.json"))
    else {
        panic!("the App Attest example is missing");
    };
    let reps = 10;
    let start = now_ms();
    for _ in 0..reps {
        keyplay::attest::key::forget_verified();
        let out = run_text(text, Instant(0));
        assert_eq!(out.exit, 0, "{}", out.report);
    }
    console_log!("app attest: full attestation verification {:.1} ms per document", (now_ms() - start) / reps as f64);
    // Run again as after an edit that left the attestation as it was: its signature checks
    // are remembered (`attest::key::verify_digest`).
    let start = now_ms();
    for _ in 0..reps {
        let out = run_text(text, Instant(0));
        assert_eq!(out.exit, 0, "{}", out.report);
    }
    console_log!(
        "app attest: the same, its signatures already checked {:.1} ms per document",
        (now_ms() - start) / reps as f64
    );
}
