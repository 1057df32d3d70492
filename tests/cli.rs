//! The command line, run as a user runs it: the built `keyplay` binary on files and on
//! standard input, checked for its printed report and its exit status.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use keyplay::report::Printed;
use keyplay::Instant;
use serde_json::{json, Value};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: keyplay::Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

const DEFAULT_EXAMPLE: &str = "examples/keychain/lost-items-after-entitlement-change.json";

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
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("{args:?}: stdout is not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    });
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
    let steps = report["steps"].as_array().expect("steps");
    let calls: Vec<&str> = steps.iter().filter_map(|s| s["call"].as_str()).collect();
    assert_eq!(calls, ["SecItemAdd", "app", "SecItemCopyMatching"]);
    assert_eq!(steps[0]["status"], json!("errSecSuccess"));
    assert_eq!(steps[0]["code"], json!(0));
    assert_eq!(steps[2]["status"], json!("errSecItemNotFound"));
    assert_eq!(steps[2]["code"], json!(-25300));
    assert_eq!(steps[2]["expect"], json!("met"));
}

/// The default example at a fixed `now`, so that runs compare equal.
fn pinned_example() -> String {
    let mut doc: Value = serde_json::from_str(&read(DEFAULT_EXAMPLE)).expect("JSON");
    doc["now"] = json!("2026-01-01T00:00:00Z");
    doc.to_string()
}

#[test]
fn prints_what_the_engine_reports_for_a_file_or_standard_input() {
    let text = pinned_example();
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-pinned-example.json");
    std::fs::write(&file, &text).expect("temporary file written");
    let path = file.to_string_lossy();

    let expected = run_text(&text, Instant(0)).report;
    assert_eq!(run(&["run", &path], None), (0, expected.clone()));
    assert_eq!(run(&["run", "-"], Some(&text)), (0, expected));
}

#[test]
fn an_unmet_expectation_exits_1() {
    let mut doc: Value = serde_json::from_str(&read(DEFAULT_EXAMPLE)).expect("JSON");
    doc["steps"][2]["expect"] = json!({ "status": "errSecSuccess" });
    let (code, report) = run(&["run", "-"], Some(&doc.to_string()));
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["ok"], json!(false));
    assert_eq!(report["steps"][2]["expect"], json!("unmet"));
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

/// Every shipped example is understood by the command line, with the exit status its
/// `expect`s ask for (all are written to be met).
#[test]
fn every_example_runs_with_its_expectations_met() {
    assert!(!keyplay::gallery::EXAMPLES.is_empty());
    for (path, _) in keyplay::gallery::EXAMPLES {
        let (code, report) = run(&["run", &format!("examples/{path}")], None);
        assert_eq!(code, 0, "examples/{path}: {report}");
    }
}

#[test]
fn import_entitlements_from_a_file_and_from_standard_input() {
    let (code, fragment) = run(&["import", "entitlements", "tests/import/codesign-text-ios.txt"], None);
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["app"]["keychain-access-groups"], json!(["SKMME9E2Y8.groupA", "SKMME9E2Y8.groupB"]));
    assert_eq!(fragment["x-evidence"]["team-id"], json!("SKMME9E2Y8"));
    assert_eq!(fragment["x-evidence"]["ignored"][0]["entitlement"], json!("get-task-allow"));
    let text = read("tests/import/codesign-xml-macos.txt");
    let (code, fragment) = run(&["import", "entitlements", "-"], Some(&text));
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["platform"], json!("macos"));
}

#[test]
fn import_profile_with_and_without_signed_entitlements() {
    let (code, fragment) = run(&["import", "profile", "tests/import/waffle-ber.mobileprovision"], None);
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["x-evidence"]["team-ids"], json!(["SKMME9E2Y8"]));
    assert_eq!(fragment["x-evidence"]["devices"], json!(3));
    assert_eq!(fragment["x-evidence"]["differences"], json!([]));
    let moved = read("tests/import/codesign-text-ios.txt").replace("SKMME9E2Y8", "Q8V2RZL3KN");
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-moved-team.txt");
    std::fs::write(&file, moved).expect("temporary file written");
    let (code, fragment) = run(
        &["import", "profile", "tests/import/waffle-der.mobileprovision", "--entitlements", &file.to_string_lossy()],
        None,
    );
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["x-evidence"]["differences"][0]["id"], json!("team-id-change"));
}

#[test]
fn import_dump_gives_a_starting_keychain() {
    let text = read("tests/import/dump-nsdictionary.txt");
    let (code, fragment) = run(&["import", "dump", "-"], Some(&text));
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["keychain"].as_array().map(Vec::len), Some(2));
    assert_eq!(fragment["keychain"][0]["kSecAttrService"], json!("AYS"));
    let (code, fragment) = run(&["import", "dump", "tests/import/dump-keychain.txt"], None);
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["platform"], json!("macos-file"));
}

#[test]
fn import_swift_gives_steps() {
    let (code, fragment) = run(&["import", "swift", "tests/codegen/keychain-wrapper.swift"], None);
    assert_eq!(code, 0, "{fragment}");
    assert!(!fragment["steps"].as_array().expect("steps").is_empty(), "{fragment}");
    assert!(fragment["x-evidence"]["problems"].is_array());
}

#[test]
fn import_swift_lists_placeholders_and_flags_and_fills_them() {
    let file = "tests/import/wrappers/keychain-swift.swift";
    let (code, fragment) = run(&["import", "swift", file], None);
    assert_eq!(code, 0, "{fragment}");
    let names: Vec<&str> = fragment["x-evidence"]["placeholders"]
        .as_array()
        .expect("placeholders")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["prefixedKey", "value", "accessGroup"]);
    let flags: Vec<&str> =
        fragment["x-evidence"]["flags"].as_array().expect("flags").iter().filter_map(|f| f["id"].as_str()).collect();
    assert!(flags.contains(&"delete-then-add"), "{flags:?}");
    let (code, fragment) = run(&["import", "swift", file, "--set", "prefixedKey=mrgumby"], None);
    assert_eq!(code, 0, "{fragment}");
    assert_eq!(fragment["steps"][0]["SecItemDelete"]["kSecAttrAccount"], "mrgumby");
    assert_eq!(fragment["x-evidence"]["placeholders"].as_array().map(Vec::len), Some(2));
    let out = keyplay(&["import", "swift", file, "--set", "no-equals-sign"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_exits_2_on_input_it_cannot_read() {
    for (kind, input) in [("entitlements", "hello"), ("dump", "hello"), ("swift", "print(1)"), ("profile", "hello")] {
        let out = keyplay(&["import", kind, "-"], Some(input));
        assert_eq!(out.status.code(), Some(2), "{kind}");
        assert!(out.stdout.is_empty(), "{kind}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("keyplay: -: "), "{kind}: {stderr}");
    }
    let out = keyplay(&["import", "entitlements", "tests/import/no-such-file"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read tests/import/no-such-file"));
    let out = keyplay(&["import", "recipes", "-"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown import kind recipes"));
}

#[test]
fn export_xctest_prints_a_test_case() {
    let out = keyplay(&["export", "xctest", DEFAULT_EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let swift = String::from_utf8_lossy(&out.stdout);
    assert!(swift.contains("final class KeyplayScenarioTests: XCTestCase"), "{swift}");
    assert!(swift.contains("XCTAssertEqual(status, errSecItemNotFound)"), "{swift}");
    let out = keyplay(&["export", "xctest", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn export_fixtures_prints_the_fixture_set_and_each_negative_runs_as_its_own_expectation() {
    let out = keyplay(&["export", "fixtures", "examples/app-attest/assertion-ios14.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let set: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!((set["fixtures"].clone(), set["kind"].clone()), (json!(1), json!("app-attest-assertion")));
    let negatives = set["negatives"].as_array().expect("negatives");
    let replay = negatives.iter().find(|n| n["id"] == json!("counter-replay")).expect("counter-replay");
    assert_eq!(replay["fails"], json!(["counter"]));
    // A negative's document is a document of its own: `keyplay run` meets its expect (exit 0).
    let out = keyplay(&["run", "-"], Some(&replay["document"].to_string()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["valid"], json!(false));

    // Standard input works; a keychain document, bad JSON and a missing file exit 2 with a message.
    let jwt = read("examples/jwt/identity-token-valid.json");
    let out = keyplay(&["export", "fixtures", "-"], Some(&jwt));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for (file, stdin, says) in [
        (DEFAULT_EXAMPLE, None, "fixtures are derived from validator documents"),
        ("-", Some("{"), "not valid JSON"),
        ("examples/no-such-file.json", None, "cannot read"),
    ] {
        let out = keyplay(&["export", "fixtures", file], stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(out.stdout.is_empty(), "{file}");
        assert!(stderr.contains(says), "{file}: {stderr}");
    }
}
