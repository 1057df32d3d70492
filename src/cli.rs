//! The native command line: `keyplay run FILE` (or `-` for standard input) prints the
//! document's report as JSON. Exit status: 0 ran with every expectation met, 1 an
//! expectation unmet, 2 the document could not be understood (or the file not read).

use crate::instant::Instant;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: keyplay run FILE                  run a document, print its report as JSON
       keyplay import entitlements FILE   codesign -d --entitlements - output, .entitlements → app block
       keyplay import profile FILE [--entitlements FILE2]
                                          a provisioning profile (and how the signed entitlements differ)
       keyplay import dump FILE           a keychain dump (Swift/NSDictionary print, security dump-keychain)
       keyplay import swift FILE [--set NAME=VALUE]...
                                          Swift or Objective-C SecItem code → steps (--set fills the
                                          placeholder \"<NAME>\" in every step)
       keyplay export xctest DOC          a keychain document → an XCTestCase (Swift)
       keyplay export fixtures DOC        a valid validator document → its negatives as a JSON fixture set
FILE may be - for standard input (not for profile).

run: exit status 0 every expectation met, 1 an expectation unmet, 2 the document could not be understood.
import prints a JSON fragment of a document (exit 0), or exits 2 with a message on input it cannot read.
export prints its file (exit 0), or exits 2 with a message on a document it cannot export.";

/// Runs the command line with `args` (without the program name).
pub fn main(args: &[String]) -> ExitCode {
    match args {
        [cmd, file] if cmd == "run" => run_file(file),
        [cmd, what, rest @ ..] if cmd == "import" => import(what, rest),
        [cmd, what, file] if cmd == "export" && what == "xctest" => export_xctest(file),
        [cmd, what, file] if cmd == "export" && what == "fixtures" => export_fixtures(file),
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
    // The text is freed once parsed, and the report is written as it is serialised: the
    // peak holds neither the document's text nor the report's beside the run.
    let report = crate::run::run_string(text, system_now());
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // A closed pipe is not worth a panic; the exit status still tells the outcome.
    let _ = report.write_cli_json(&mut stdout).and_then(|()| writeln!(stdout)).and_then(|()| stdout.flush());
    ExitCode::from(report.exit().code())
}

/// `keyplay import KIND FILE`: prints the document fragment, or exits 2.
fn import(what: &str, rest: &[String]) -> ExitCode {
    let mut fills: Vec<(String, String)> = Vec::new();
    if let ("swift", [_, sets @ ..]) = (what, rest) {
        if !sets.is_empty() {
            for pair in sets.chunks(2) {
                match pair {
                    [flag, nv] if flag == "--set" && nv.contains('=') => {
                        let (n, v) = nv.split_once('=').unwrap_or_default();
                        fills.push((n.to_string(), v.to_string()));
                    }
                    _ => {
                        eprintln!("{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
        }
    }
    let (file, entitlements_file) = match rest {
        [file] => (file, None),
        [file, ..] if what == "swift" => (file, None),
        [file, flag, other] if what == "profile" && flag == "--entitlements" => (file, Some(other)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let bytes = match read_bytes(file) {
        Ok(b) => b,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    let Some(source) = crate::import::Source::from_name(what) else {
        return fail(&format!("unknown import kind {what}: entitlements, profile, dump or swift"));
    };
    let signed = match entitlements_file.map(|f| read_bytes(f).map_err(|e| format!("cannot read {f}: {e}"))) {
        Some(Err(e)) => return fail(&e),
        Some(Ok(b)) => Some(b),
        None => None,
    };
    let fragment =
        crate::import::evidence::import(source, &bytes, signed.as_deref(), &fills, system_now()).map(|e| e.fragment);
    match fragment {
        Ok(json) => print_json(&json, ExitCode::SUCCESS),
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

/// `keyplay export xctest DOC`: prints the Swift test file, or exits 2.
fn export_xctest(file: &str) -> ExitCode {
    let text = match read_input(file) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    match crate::codegen::xctest::document_to_xctest(&text, system_now()) {
        Ok(swift) => {
            let mut stdout = std::io::stdout().lock();
            let _ = write!(stdout, "{swift}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

/// `keyplay export fixtures DOC`: prints the fixture set as JSON, or exits 2.
fn export_fixtures(file: &str) -> ExitCode {
    let text = match read_input(file) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    match crate::fixtures::derive(&text) {
        Ok(set) => {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}", set.to_json_text());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("keyplay: {message}");
    ExitCode::from(2)
}

fn print_json(json: &serde_json::Value, code: ExitCode) -> ExitCode {
    let rendered = serde_json::to_string_pretty(json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{rendered}");
    code
}

fn read_bytes(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
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
