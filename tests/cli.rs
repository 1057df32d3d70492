//! The command line, run as a user runs it: the built `keyplay` binary on files and on
//! standard input, checked for its printed report and its exit status.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use keyplay::{run_text, Instant};
use serde_json::{json, Value};

const DEFAULT_EXAMPLE: &str = "examples/keychain/first-slice.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn keyplay(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyplay"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keyplay starts");
    let mut input = child.stdin.take().expect("a stdin pipe");
    input.write_all(stdin.unwrap_or("").as_bytes()).expect("stdin written");
    drop(input);
    child.wait_with_output().expect("keyplay finishes")
}

/// The exit status and the report printed on standard output.
fn run(args: &[&str], stdin: Option<&str>) -> (i32, Value) {
    let out = keyplay(args, stdin);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().expect("an exit code"), report)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).expect("example readable")
}

#[test]
fn runs_the_default_example_file() {
    let (code, report) = run(&["run", DEFAULT_EXAMPLE], None);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["keyplay"], json!(1));
    assert_eq!(report["kind"], json!("keychain"));
    assert_eq!(report["ok"], json!(true));
    assert!(report.get("error").is_none(), "{report}");
    // The command line prints exactly what the engine reports (a keychain run needs no clock).
    assert_eq!(report, run_text(&read(DEFAULT_EXAMPLE), Instant(0)).report);
}

#[test]
fn reads_the_document_from_standard_input() {
    let text = read(DEFAULT_EXAMPLE);
    let (code, report) = run(&["run", "-"], Some(&text));
    assert_eq!(code, 0, "{report}");
    assert_eq!(report, run(&["run", DEFAULT_EXAMPLE], None).1);
}

#[test]
fn a_malformed_document_exits_2_with_the_path_of_the_problem() {
    let (code, report) = run(&["run", "-"], Some(r#"{"keyplay": 1, "kind": "keychian", "steps": []}"#));
    assert_eq!(code, 2);
    assert_eq!(report["keyplay"], json!(1));
    assert_eq!(report["error"]["path"], json!("/kind"));
    let message = report["error"]["message"].as_str().expect("a message");
    assert!(message.contains("did you mean keychain?"), "{message}");

    let (code, report) = run(&["run", "-"], Some("{\"keyplay\": 1,"));
    assert_eq!(code, 2);
    assert_eq!(report["error"]["path"], json!(""));
    assert!(report["error"]["message"].as_str().unwrap_or("").contains("not valid JSON"), "{report}");
}

#[test]
fn usage_errors_and_unreadable_files_exit_2() {
    let out = keyplay(&[], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: keyplay run FILE"));

    let out = keyplay(&["run", "examples/no-such-file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read examples/no-such-file.json"));

    let out = keyplay(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("usage: keyplay run FILE"));
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("examples/ readable");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
}

/// Every shipped example is understood, and offered by the web app's example picker
/// (which embeds the list in `src/ui/examples.rs`).
#[test]
fn every_example_runs_and_is_in_the_web_apps_picker() {
    let picker = std::fs::read_to_string(root().join("src/ui/examples.rs")).expect("src/ui/examples.rs");
    let mut files = Vec::new();
    json_files(&root().join("examples"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let relative = file.strip_prefix(root().join("examples")).expect("under examples/");
        let name = relative.to_string_lossy().replace('\\', "/");
        assert!(picker.contains(&format!("\"{name}\"")), "examples/{name} is not listed in src/ui/examples.rs");
        let (code, report) = run(&["run", &format!("examples/{name}")], None);
        assert_ne!(code, 2, "examples/{name} is not understood: {report}");
    }
}
