#![no_main]
//! Arbitrary bytes into the error explainer: the lookup, the log scanner, and whole
//! `error-explainer` documents. Nothing may panic.
use keyplay::signin::errors;
use keyplay::Instant;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let now = Instant(1_795_867_200);
    let text = String::from_utf8_lossy(data);
    let _ = errors::lookup(&text);
    let _ = errors::scan_log(&text);
    for doc in [json!({ "query": text }), json!({ "log": text })] {
        if let Ok(doc) = errors::parse(doc) {
            let _ = errors::run(&doc, now);
        }
    }
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        if let Ok(doc) = errors::parse(value) {
            let _ = errors::run(&doc, now);
        }
    }
});
