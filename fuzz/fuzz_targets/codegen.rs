#![no_main]
//! Any text into the Swift / Objective-C importer, then its steps back out as Swift and in
//! again, and the imported steps run as a keychain document. Nothing may panic, and an
//! imported document is always one the runner understands or refuses with a document error.
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    let imported = keyplay::codegen::import(&source);
    assert!(imported.problems.len() <= keyplay::codegen::MAX_PROBLEMS + 1, "problems are capped");
    let doc = json!({"keyplay": 1, "kind": "keychain", "steps": imported.steps});
    for step in &imported.steps {
        let _ = keyplay::codegen::swift::step_to_swift(step);
    }
    let swift = keyplay::codegen::swift::document_to_swift(&doc);
    let _ = keyplay::codegen::import(&swift);
    let _ = keyplay::run_text(&doc.to_string(), keyplay::Instant(1_795_867_200));
});
