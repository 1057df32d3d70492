#![no_main]
//! Arbitrary bytes into the `att` document parser and stepper: as JSON text, as a list of
//! steps, and as a single event name. Nothing may panic.
use keyplay::privacy::att;
use keyplay::Instant;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let now = Instant(1_795_867_200);
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        if let Ok(doc) = att::parse(value.clone()) {
            let _ = att::run(&doc, now);
        }
        if let Ok(doc) = att::parse(json!({ "steps": value })) {
            let _ = att::run(&doc, now);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(doc) = att::parse(json!({ "steps": [text, { text: {} }] })) {
            let _ = att::run(&doc, now);
        }
    }
});
