//! The report of every shipped example, byte for byte, against `tests/golden/`: the JSON
//! that `keyplay run` prints must not change when the engine's internals do.
//!
//! After an intended change of a report, `KEYPLAY_BLESS=1 cargo test --test golden` rewrites
//! the files; review their diff before committing it.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

use keyplay::gallery::EXAMPLES;
use std::path::PathBuf;

/// A fixed clock, so documents without `now` give the same report on every run.
const CLOCK: keyplay::Instant = keyplay::Instant(1_764_400_000);

fn golden_path(example: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(example)
}

#[test]
fn every_example_reports_exactly_what_its_golden_file_holds() {
    let bless = std::env::var_os("KEYPLAY_BLESS").is_some();
    let mut differ = Vec::new();
    for (path, text) in EXAMPLES {
        let report = keyplay::run_text(text, CLOCK).to_cli_json();
        let file = golden_path(path);
        if bless {
            std::fs::create_dir_all(file.parent().expect("a parent directory")).expect("golden directory");
            std::fs::write(&file, format!("{report}\n")).expect("golden file written");
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(want) if want == format!("{report}\n") => {}
            Ok(_) => differ.push(format!("{path}: the report differs from {}", file.display())),
            Err(e) => differ.push(format!("{path}: no golden file {} ({e})", file.display())),
        }
    }
    assert!(EXAMPLES.len() > 90, "the gallery shrank to {}", EXAMPLES.len());
    assert!(differ.is_empty(), "{} of {} reports changed:\n{}", differ.len(), EXAMPLES.len(), differ.join("\n"));
}
