//! Keychain engine figures for keychains of 10, 1 000 and 100 000 items: add, copy by
//! primary key, copy by a non-key attribute (a scan), delete-all, and a 50-step document.
//! Prints figures; asserts nothing about time.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use keyplay::keychain::document::{App, DevicePatch, Dict, Platform};
use keyplay::keychain::engine::{Device, Keychain};
use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::json;
use std::time::Instant as Clock;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

fn dict(v: serde_json::Value) -> Dict {
    match Dict::from_json(&v, "") {
        Ok(d) => d,
        Err(e) => panic!("bench dictionary: {e}"),
    }
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
    let start = Clock::now();
    for d in &adds {
        kc.add(d);
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    (kc, per)
}

fn time<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    let start = Clock::now();
    for _ in 0..reps {
        f();
    }
    start.elapsed().as_secs_f64() / reps as f64
}

fn us(s: f64) -> String {
    format!("{:>10.2} µs", s * 1e6)
}

fn fifty_step_document(items: usize) -> String {
    let keychain: Vec<_> = (0..items)
        .map(|i| json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "bulk", "kSecAttrAccount": format!("u{i}"), "kSecValueData": {"utf8": "x"}}))
        .collect();
    let mut steps = Vec::new();
    for i in 0..10 {
        let q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": format!("a{i}")});
        let mut add = q.clone();
        add["kSecValueData"] = json!({"utf8": "v"});
        let mut copy = q.clone();
        copy["kSecReturnData"] = json!(true);
        steps.push(json!({"SecItemAdd": add}));
        steps.push(json!({"SecItemCopyMatching": copy}));
        steps.push(json!({"SecItemUpdate": {"query": q, "attributes": {"kSecValueData": {"utf8": "w"}}}}));
        steps.push(json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "none"}}));
        steps.push(json!({"SecItemDelete": q}));
    }
    json!({"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z", "keychain": keychain, "steps": steps})
        .to_string()
}

fn main() {
    println!("keychain engine (native, release)");
    println!(
        "{:>8} | {:>13} | {:>13} | {:>13} | {:>13}",
        "items", "add/item", "copy by PK", "copy by label", "delete all"
    );
    for n in [10usize, 1_000, 100_000] {
        let (kc, add) = filled(n);
        let reps = if n > 10_000 { 20 } else { 2_000 };
        let by_pk = dict(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": format!("svc{}", (n / 2) % 97), "kSecAttrAccount": format!("user{}", n / 2), "kSecReturnData": true}),
        );
        let by_label = dict(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "label5", "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true}),
        );
        let mut probe = kc.clone();
        let copy_pk = time(reps, || {
            probe.copy_matching(&by_pk);
        });
        let copy_label = time(reps.min(200), || {
            probe.copy_matching(&by_label);
        });
        let delete_reps = if n > 10_000 { 3 } else { 50 };
        let mut delete_total = 0.0;
        for _ in 0..delete_reps {
            let mut victim = kc.clone();
            let start = Clock::now();
            victim.delete(&dict(json!({"kSecClass": "kSecClassGenericPassword"})));
            delete_total += start.elapsed().as_secs_f64();
        }
        println!(
            "{n:>8} | {} | {} | {} | {}",
            us(add),
            us(copy_pk),
            us(copy_label),
            us(delete_total / delete_reps as f64)
        );
    }
    for items in [0usize, 1_000] {
        let doc = fifty_step_document(items);
        let reps = if items > 0 { 5 } else { 200 };
        let t = time(reps, || {
            let out = run_text(&doc, Instant(0));
            assert!(out.exit <= 1);
        });
        println!("50-step document over {items} initial items: {:.2} ms per run (parse + run + report)", t * 1e3);
    }
}
