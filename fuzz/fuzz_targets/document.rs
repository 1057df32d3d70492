#![no_main]
//! Any bytes as a Keyplay document: the runner must answer with a report, never panic.
use keyplay::report::Printed;
use libfuzzer_sys::fuzz_target;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = run_text(text, keyplay::Instant(1_795_867_200));
    }
});
