//! The native command line: `keyplay run FILE` (or `-` for standard input) prints the
//! document's report as JSON. Exit status: 0 ran with every expectation met, 1 an
//! expectation unmet, 2 the document could not be understood (or the file not read).

use crate::instant::Instant;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: keyplay run FILE   (FILE may be - for standard input)

Runs a Keyplay document and prints its report as JSON.
Exit status: 0 every expectation met, 1 an expectation unmet, 2 the document could not be understood.";

/// Runs the command line with `args` (without the program name).
pub fn main(args: &[String]) -> ExitCode {
    match args {
        [cmd, file] if cmd == "run" => run_file(file),
        [flag] if flag == "--help" || flag == "-h" || flag == "help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_file(file: &str) -> ExitCode {
    let text = match read_input(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("keyplay: cannot read {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = crate::run::run_text(&text, system_now());
    let rendered = report.to_cli_json();
    let mut stdout = std::io::stdout().lock();
    // A closed pipe is not worth a panic; the exit status still tells the outcome.
    let _ = writeln!(stdout, "{rendered}");
    ExitCode::from(report.exit().code())
}

fn read_input(file: &str) -> std::io::Result<String> {
    if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
    }
}

/// The shell's clock: the only place the native build reads the time.
fn system_now() -> Instant {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Instant(i64::try_from(secs).unwrap_or(i64::MAX))
}
