#![no_main]
//! Any bytes as a document handed to the fixture exporter (`keyplay::fixtures::derive`): it must
//! answer a set or a document error, never panic. When the original is understood by `run_text`,
//! every derived negative is understood too (a fixture is never a document error); when the
//! original is valid, every negative is invalid and meets its own `expect`.
use keyplay::report::Report;
use libfuzzer_sys::fuzz_target;

const CLOCK: keyplay::Instant = keyplay::Instant(1_795_867_200);

fn check(text: &str) {
    let Ok(set) = keyplay::fixtures::derive(text) else { return };
    let original_valid = match keyplay::run_text(text, CLOCK) {
        Report::NotUnderstood(_) => return,
        Report::Verdict(v) => v.verdict.valid(),
        _ => false,
    };
    for negative in &set.negatives {
        let report = keyplay::run_text(&negative.document.to_string(), CLOCK);
        if let Report::NotUnderstood(e) = &report {
            panic!("{}: the negative is not understood: {e}", negative.id);
        }
        if original_valid {
            assert_eq!(report.exit(), keyplay::Exit::Met, "{}: its expect is unmet", negative.id);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
});
