#![no_main]
//! Any bytes as a Keyplay document: the runner must answer with a report, never panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = keyplay::run_text(text, keyplay::Instant(1_795_867_200));
    }
});
