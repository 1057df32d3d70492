//! Benchmark for the webauthn engine: prints figures, asserts nothing about time.
//! Runs each example document many times through the public entry point and prints the mean.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
use keyplay::report::Printed;
use std::time::Instant as Clock;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

fn main() {
    let docs = [
        ("options (creation, 21 lints)", include_str!("../examples/webauthn/options-creation-clean.json")),
        ("registration none", include_str!("../examples/webauthn/registration-none.json")),
        ("registration packed (x5c)", include_str!("../examples/webauthn/registration-packed-yubikey.json")),
        ("registration apple (P-384 chain)", include_str!("../examples/webauthn/registration-apple-2021.json")),
        ("authentication ES256", include_str!("../examples/webauthn/authentication-es256.json")),
    ];
    for (name, text) in docs {
        let runs = 50u32;
        let start = Clock::now();
        let mut ok = 0;
        for _ in 0..runs {
            ok += u32::from(run_text(text, keyplay::Instant(1_795_867_200)).exit == 0);
        }
        let mean = start.elapsed() / runs;
        println!(
            "webauthn {name:<34} {:>10.3} ms/run  ({ok}/{runs} met their expectation)",
            mean.as_secs_f64() * 1000.0
        );
    }
}
