//! Apple's own keychain regression tests, translated into Keyplay documents
//! (`tests/apple/**/*.json`, embedded by build.rs so the browser run needs no file
//! system) and run through the engine. Runs natively and in headless browsers.
//!
//! A step's assertions are its `expect` (each of `status`, `count`, `result`, `pitfalls`
//! is one), its `x-shape` checks on the result (each listed check is one) and
//! `x-same-result-as` (one). A step with `x-known-failure` (the reason) is an assertion
//! the engine does not meet yet: the suite fails if it starts passing, so the list of
//! known failures in `tests/apple/README.md` stays true.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/apple_corpus.rs"));

use keyplay::{run_text, Instant};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const NOW: Instant = Instant(1_767_225_600); // 2026-01-01T00:00:00Z
const README: &str = include_str!("apple/README.md");

/// What running one document found.
#[derive(Default)]
struct Tally {
    assertions: usize,
    known: Vec<String>,
    problems: Vec<String>,
}

/// The CF type a reported result encodes.
fn shape_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Array(_) => "array",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Object(o) if o.len() == 1 => match o.keys().next().map(String::as_str) {
            Some("utf8" | "base64" | "hex") => "data",
            Some("persistentRef") => "persistentRef",
            Some("certificate") => "certificate",
            Some("key") => "key",
            Some("identity") => "identity",
            Some("keychainItem") => "keychainItem",
            Some("date") => "date",
            _ => "dictionary",
        },
        Value::Object(_) => "dictionary",
    }
}

/// Checks one `x-shape` object against a result; returns (checks made, failures).
fn check_shape(shape: &Map<String, Value>, result: &Value, at: &str) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut bad = Vec::new();
    for (check, want) in shape {
        match check.as_str() {
            "type" => {
                n += 1;
                let got = shape_of(result);
                if Some(got) != want.as_str() {
                    bad.push(format!("{at}type: expected {want}, got {got}"));
                }
            }
            "count" => {
                n += 1;
                let got = result.as_array().map(Vec::len);
                if got.map(|g| g as u64) != want.as_u64() {
                    bad.push(format!("{at}count: expected {want}, got {got:?}"));
                }
            }
            "has" | "lacks" => {
                for key in want.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    n += 1;
                    let present = result.get(key).is_some_and(|v| !v.is_null());
                    if present != (check == "has") {
                        bad.push(format!("{at}{check} {key}: the result is {result}"));
                    }
                }
            }
            "equals" => {
                for (key, value) in want.as_object().into_iter().flatten() {
                    n += 1;
                    if result.get(key) != Some(value) {
                        bad.push(format!("{at}{key}: expected {value}, got {:?}", result.get(key)));
                    }
                }
            }
            "types" => {
                for (key, ty) in want.as_object().into_iter().flatten() {
                    n += 1;
                    let got = result.get(key).map_or("absent", shape_of);
                    if Some(got) != ty.as_str() {
                        bad.push(format!("{at}{key}: expected a {ty}, got {got}"));
                    }
                }
            }
            "first" | "each" => {
                let items: Vec<&Value> = match (check.as_str(), result.as_array()) {
                    ("first", Some(a)) => a.first().into_iter().collect(),
                    ("each", Some(a)) => a.iter().collect(),
                    _ => Vec::new(),
                };
                let inner = want.as_object().cloned().unwrap_or_default();
                if items.is_empty() {
                    let (k, _) = check_shape(&inner, &Value::Null, at);
                    n += k;
                    bad.push(format!("{at}{check}: the result is not a non-empty array: {result}"));
                }
                let mut most = 0;
                for (i, item) in items.iter().enumerate() {
                    let (k, b) = check_shape(&inner, item, &format!("{at}{check}[{i}] "));
                    most = most.max(k);
                    bad.extend(b);
                }
                n += most;
            }
            other => bad.push(format!("{at}unknown x-shape check {other}")),
        }
    }
    (n, bad)
}

fn expect_assertions(expect: &Value) -> usize {
    ["status", "count", "result", "pitfalls"].iter().filter(|k| expect.get(**k).is_some()).count()
}

/// Runs one corpus document and checks every step as described at the top.
fn run_corpus_document(name: &str, text: &str) -> Tally {
    let mut tally = Tally::default();
    let doc: Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            tally.problems.push(format!("{name}: not JSON: {e}"));
            return tally;
        }
    };
    let source = &doc["x-source"];
    if source["file"].as_str().is_none() || source["function"].as_str().is_none() {
        tally.problems.push(format!("{name}: no x-source with the Apple file and test function"));
    }
    let out = run_text(text, NOW).printed();
    if out.exit == 2 {
        tally.problems.push(format!("{name}: document error {}", out.report["error"]));
        return tally;
    }
    let steps = doc["steps"].as_array().cloned().unwrap_or_default();
    let reported = out.report["steps"].as_array().cloned().unwrap_or_default();
    if steps.len() != reported.len() {
        tally.problems.push(format!("{name}: {} steps but {} in the report", steps.len(), reported.len()));
        return tally;
    }
    for (i, (step, got)) in steps.iter().zip(&reported).enumerate() {
        let mut assertions = 0;
        let mut unmet: Vec<String> = Vec::new();
        if let Some(expect) = step.get("expect") {
            assertions += expect_assertions(expect);
            if got["expect"] != "met" {
                let why = got["unmet"].as_array().cloned().unwrap_or_default();
                unmet.extend(why.iter().map(|w| w.as_str().unwrap_or("unmet").to_string()));
                if why.is_empty() {
                    unmet.push(format!("expect {}", got["expect"]));
                }
            }
        }
        let result = &got["result"];
        if let Some(shape) = step.get("x-shape").and_then(Value::as_object) {
            let (n, bad) = check_shape(shape, result, "");
            assertions += n;
            unmet.extend(bad);
        }
        if let Some(j) = step.get("x-same-result-as").and_then(Value::as_u64) {
            assertions += 1;
            let other = reported.get(j as usize).map(|s| &s["result"]);
            if other != Some(result) {
                unmet.push(format!("result differs from step {j}'s: {result} vs {other:?}"));
            }
        }
        tally.assertions += assertions;
        let call = got["call"].as_str().unwrap_or("?");
        match step.get("x-known-failure").and_then(Value::as_str) {
            Some(reason) if unmet.is_empty() => tally.problems.push(format!(
                "{name} step {i} ({call}): marked x-known-failure ({reason}) but now passes: remove the mark \
                 and the README's entry"
            )),
            Some(reason) => tally.known.push(format!("{name} step {i} ({call}): {reason} [{}]", unmet.join("; "))),
            None if !unmet.is_empty() => tally.problems.push(format!(
                "{name} step {i} ({call}): {} (explanation: {})",
                unmet.join("; "),
                got["explanation"]
            )),
            None => {}
        }
        if assertions == 0 && step.get("x-known-failure").is_some() {
            tally.problems.push(format!("{name} step {i}: x-known-failure on a step that asserts nothing"));
        }
    }
    tally
}

/// The README's table: document name → (assertions, known failures).
fn readme_table() -> BTreeMap<String, (usize, usize)> {
    let mut rows = BTreeMap::new();
    for line in README.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `doc.json` | Apple file | function | assertions | platforms | known failures |
        if cells.len() >= 7 && cells[1].starts_with('`') && cells[1].ends_with(".json`") {
            let name = cells[1].trim_matches('`').to_string();
            let assertions = cells[4].parse().unwrap_or(usize::MAX);
            let known = cells[6].split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
            rows.insert(name, (assertions, known));
        }
    }
    rows
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn apples_regression_tests_hold_in_the_engine() {
    let table = readme_table();
    let mut problems = Vec::new();
    let mut known = Vec::new();
    let mut total = 0;
    for (name, text) in APPLE_CORPUS {
        let tally = run_corpus_document(name, text);
        total += tally.assertions;
        match table.get(*name) {
            None => problems.push(format!("{name}: no row in tests/apple/README.md")),
            Some(&(a, k)) if a != tally.assertions || k != tally.known.len() => problems.push(format!(
                "{name}: README says {a} assertions and {k} known failures, the document has {} and {}",
                tally.assertions,
                tally.known.len()
            )),
            Some(_) => {}
        }
        problems.extend(tally.problems);
        known.extend(tally.known);
    }
    for name in table.keys() {
        if !APPLE_CORPUS.iter().any(|(n, _)| n == name) {
            problems.push(format!("README row {name} has no document"));
        }
    }
    println!(
        "Apple corpus: {} documents, {total} assertions, {} known failures:\n  {}",
        APPLE_CORPUS.len(),
        known.len(),
        known.join("\n  ")
    );
    assert!(problems.is_empty(), "{} problem(s) in the Apple corpus:\n  {}", problems.len(), problems.join("\n  "));
    assert!(total >= 100, "only {total} assertions translated");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_runner_catches_unmet_steps_and_known_failures_that_pass() {
    let doc = |mark: &str| {
        format!(
            r#"{{"keyplay": 1, "kind": "keychain", "platform": "ios",
            "x-source": {{"file": "f", "function": "t"}},
            "steps": [{{"SecItemCopyMatching": {{"kSecClass": "kSecClassGenericPassword"}},
                        "expect": {{"status": "errSecSuccess"}}{mark}}},
                      {{"SecItemAdd": {{"kSecClass": "kSecClassGenericPassword", "kSecReturnData": true}},
                        "x-shape": {{"type": "data"}}}}]}}"#
        )
    };
    let plain = run_corpus_document("t.json", &doc(""));
    assert_eq!(plain.assertions, 2);
    assert_eq!(plain.problems.len(), 1, "{:?}", plain.problems);
    assert!(plain.problems[0].contains("expected errSecSuccess, got errSecItemNotFound"), "{:?}", plain.problems);
    let marked = run_corpus_document("t.json", &doc(r#", "x-known-failure": "why""#));
    assert!(marked.problems.is_empty(), "{:?}", marked.problems);
    assert_eq!(marked.known.len(), 1);
    let passing = doc(r#", "x-known-failure": "why""#).replace("errSecSuccess", "errSecItemNotFound");
    let now_passes = run_corpus_document("t.json", &passing);
    assert_eq!(now_passes.problems.len(), 1, "{:?}", now_passes.problems);
    assert!(now_passes.problems[0].contains("now passes"));
}
