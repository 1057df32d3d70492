#![no_main]
//! Any bytes as a Keyplay document: the runner must answer with a report, never panic; and the
//! page's way of reading it (its outline, a keychain document a step at a time) must give the
//! report `keyplay run` gives.
use keyplay::report::{Printed, Report};
use libfuzzer_sys::fuzz_target;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let clock = keyplay::Instant(1_795_867_200);
        let by_text = run_text(text, clock);
        let by_outline = match keyplay::run::outline(text.into()) {
            Ok(outline) => keyplay::run::run_outline(&outline, clock, None).0,
            Err(error) => Report::NotUnderstood(error),
        }
        .printed();
        assert_eq!(by_text.report, by_outline.report, "the outline's report differs");
    }
});
