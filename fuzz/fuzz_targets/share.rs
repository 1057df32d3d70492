#![no_main]
//! Any text as a permalink fragment and as a stored autosave; and any text through making a
//! permalink and a save and reading them back, which must give the text (or its redacted
//! form) again. Nothing may panic.
use keyplay::share::{load, open_permalink, permalink, save};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = open_permalink(&text);
    let _ = load(&text);
    // With secrets kept, a permalink carries the text exactly.
    if let Ok(link) = permalink(&text, true) {
        assert_eq!(open_permalink(&link).as_deref(), Ok(&*text), "a permalink gives back its document");
    }
    // Redacted, it is still JSON that reads back.
    if let Ok(link) = permalink(&text, false) {
        let back = open_permalink(&link);
        assert!(back.as_ref().is_ok_and(|t| serde_json::from_str::<serde_json::Value>(t).is_ok()), "{back:?}");
    }
    for secrets in [true, false] {
        let stored = save(&text, &json!({"platform": "ios"}), secrets);
        let loaded = load(&stored);
        assert!(loaded.is_ok(), "a save reads back: {loaded:?}");
        if secrets {
            assert_eq!(loaded.map(|s| s.document).as_deref(), Ok(&*text));
        }
    }
});
