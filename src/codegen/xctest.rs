//! A keychain document as one Swift file with an `XCTestCase` that performs the steps against
//! the real keychain and asserts, per step, the status Keyplay predicts and the shape of the
//! result (its count and type).
//!
//! - Every dictionary goes through `scoped(&query)` before its call: it appends a per-run
//!   suffix to `kSecAttrService`, `kSecAttrServer` and `kSecAttrLabel` (so runs never see each
//!   other's items) and adds `kSecUseDataProtectionKeychain` where the document's platform uses
//!   the data protection keychain on macOS.
//! - `cleanUp()` deletes every item of those services before and after the test; it sits
//!   between `// keyplay-import: off` / `on` markers, so importing the file back yields only the
//!   document's steps.
//! - Event steps (device lock, reboot, entitlement change, biometry) cannot be performed by a
//!   test: they become `throw XCTSkip(reason)` (with their `// keyplay-step:` marker), and so
//!   do starting items in access groups the test host cannot write.
//!
//! The predicted statuses come from running the document, so the file states what Keyplay
//! expects the real keychain to answer.

use super::swift::comment;
use super::values::{Hoisted, ValueWriter};
use crate::instant::Instant;
use crate::keychain::constants::{key_by_name, ValueKind};
use crate::keychain::StepReport;
use serde_json::{Map, Value as Json};

const I1: &str = "    ";
const I2: &str = "        ";

/// Exports a keychain document (JSON text). `now` is the clock for documents without `now`.
pub fn document_to_xctest(text: &str, now: Instant) -> Result<String, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    if doc.get("kind").and_then(Json::as_str) != Some("keychain") {
        return Err("only keychain documents export as XCTest (kind is not \"keychain\")".into());
    }
    let reports = match crate::run::run(doc.clone(), now) {
        crate::report::Report::Keychain(report) => std::rc::Rc::unwrap_or_clone(report).steps,
        crate::report::Report::NotUnderstood(error) => {
            return Err(format!("the document cannot be run: {} {}", error.path, error.message));
        }
        _ => Vec::new(),
    };
    Ok(write(&doc, &reports))
}

fn write(doc: &Json, reports: &[std::rc::Rc<StepReport>]) -> String {
    let mut out = Vec::new();
    let title = doc.get("title").and_then(Json::as_str).unwrap_or("Keychain scenario");
    comment(&format!("Keyplay: {title} (generated XCTest)"), &mut out);
    if let Some(notes) = doc.get("notes").and_then(Json::as_str) {
        comment(notes, &mut out);
    }
    let platform = doc.get("platform").and_then(Json::as_str).unwrap_or("ios");
    comment("Run it in a test target whose host app is signed with these entitlements:", &mut out);
    match doc.get("app") {
        Some(app) => comment(&format!("  {}", serde_json::to_string(app).unwrap_or_default()), &mut out),
        None => comment("  application-identifier TEAMID1234.com.example.app (no other groups)", &mut out),
    }
    comment("The asserted statuses and result shapes are what Keyplay predicts; a failing assertion is a", &mut out);
    comment("difference between the model and this device worth reporting.", &mut out);
    out.push(String::new());
    out.push("import XCTest".into());
    out.push("import Security".into());
    out.push(String::new());
    out.push("final class KeyplayScenarioTests: XCTestCase {".into());
    out.push(format!("{I1}/// A suffix unique to this run: earlier runs' items never interfere."));
    out.push(format!("{I1}private let runID = UUID().uuidString"));
    let data_protection = match platform {
        "macos-file" => "false",
        _ => "true",
    };
    out.push(format!("{I1}/// Platform {platform}: whether macOS calls go to the data protection keychain."));
    out.push(format!("{I1}private let useDataProtectionKeychain = {data_protection}"));
    out.push(String::new());
    let (services, servers) = names_used(doc);
    helpers(&services, &servers, &mut out);
    out.push(String::new());
    out.push(format!("{I1}func testScenario() throws {{"));
    let mut body = Vec::new();
    let app_groups = app_groups(doc);
    if let Some(items) = doc.get("keychain").and_then(Json::as_array) {
        for (n, item) in items.iter().enumerate() {
            body.push(String::new());
            body.push(format!("// Starting item {}", n + 1));
            let group = item.get("kSecAttrAccessGroup").and_then(Json::as_str);
            if let Some(g) = group.filter(|g| !app_groups.iter().any(|a| a == g)) {
                body.push(format!("try skip(\"starting item {} is in access group {g}, which this test host cannot write: Keyplay stores starting items without entitlement checks\")", n + 1));
            }
            call("SecItemAdd", item, &Json::Null, None, &mut body);
        }
    }
    if let Some(steps) = doc.get("steps").and_then(Json::as_array) {
        for (n, step) in steps.iter().enumerate() {
            body.push(String::new());
            let Some((action, value)) = action_of(step) else { continue };
            body.push(format!("// Step {}: {action}", n + 1));
            if let Some(note) = step.get("note").and_then(Json::as_str) {
                comment(&format!("Note: {note}"), &mut body);
            }
            let report = reports.get(n).map(|r| &**r);
            match action {
                "SecItemAdd" | "SecItemCopyMatching" | "SecItemDelete" | "SecItemUpdate" => {
                    let expect = step.get("expect").cloned().unwrap_or(Json::Null);
                    call(action, value, &expect, report, &mut body);
                }
                event => {
                    super::events::event_lines(event, value, &mut body);
                    let reason = format!(
                        "step {} ({event}) cannot be performed by a test; the steps after it depend on it: run them by hand",
                        n + 1
                    );
                    body.push(format!("try skip({})", super::values::swift_string(&reason)));
                }
            }
        }
    }
    for line in body {
        out.push(if line.is_empty() { line } else { format!("{I2}{line}") });
    }
    out.push(format!("{I1}}}"));
    out.push("}".into());
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn app_groups(doc: &Json) -> Vec<String> {
    let Some(app) = doc.get("app") else { return vec!["TEAMID1234.com.example.app".into()] };
    let mut groups = Vec::new();
    for field in ["keychain-access-groups", "application-groups"] {
        groups.extend(
            app.get(field).and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str).map(str::to_string),
        );
    }
    groups.extend(app.get("application-identifier").and_then(Json::as_str).map(str::to_string));
    groups
}

/// Every service and server string the document names (the cleanup deletes their items).
fn names_used(doc: &Json) -> (Vec<String>, Vec<String>) {
    let mut services = Vec::new();
    let mut servers = Vec::new();
    fn walk(v: &Json, services: &mut Vec<String>, servers: &mut Vec<String>) {
        match v {
            Json::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("kSecAttrService", Json::String(s)) if !services.contains(s) => services.push(s.clone()),
                        ("kSecAttrServer", Json::String(s)) if !servers.contains(s) => servers.push(s.clone()),
                        _ => walk(v, services, servers),
                    }
                }
            }
            Json::Array(items) => items.iter().for_each(|i| walk(i, services, servers)),
            _ => {}
        }
    }
    walk(doc.get("keychain").unwrap_or(&Json::Null), &mut services, &mut servers);
    walk(doc.get("steps").unwrap_or(&Json::Null), &mut services, &mut servers);
    (services, servers)
}

fn helpers(services: &[String], servers: &[String], out: &mut Vec<String>) {
    let list = |names: &[String]| names.iter().map(|s| super::values::swift_string(s)).collect::<Vec<_>>().join(", ");
    let lines = [
        "// keyplay-import: off".to_string(),
        "override func setUpWithError() throws {".into(),
        "    try super.setUpWithError()".into(),
        "    cleanUp()".into(),
        "}".into(),
        String::new(),
        "override func tearDownWithError() throws {".into(),
        "    cleanUp()".into(),
        "    try super.tearDownWithError()".into(),
        "}".into(),
        String::new(),
        "/// Makes a dictionary this run's own: suffixes service, server and label, and picks the keychain.".into(),
        "private func scoped(_ query: inout [String: Any]) {".into(),
        "    for key in [kSecAttrService as String, kSecAttrServer as String, kSecAttrLabel as String] {".into(),
        "        if let value = query[key] as? String { query[key] = value + \"-\" + runID }".into(),
        "    }".into(),
        "    #if os(macOS)".into(),
        "    if useDataProtectionKeychain { query[kSecUseDataProtectionKeychain as String] = true }".into(),
        "    #endif".into(),
        "}".into(),
        String::new(),
        "/// Deletes this run's items (synced or not) of every service and server the scenario names.".into(),
        "private func cleanUp() {".into(),
        format!("    let services: [String] = [{}]", list(services)),
        format!("    let servers: [String] = [{}]", list(servers)),
        "    var queries: [[String: Any]] = []".into(),
        "    for s in services { queries.append([kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: s]) }".into(),
        "    for s in servers { queries.append([kSecClass as String: kSecClassInternetPassword, kSecAttrServer as String: s]) }".into(),
        "    let remove = SecItemDelete".into(),
        "    for var q in queries {".into(),
        "        scoped(&q)".into(),
        "        q[kSecAttrSynchronizable as String] = kSecAttrSynchronizableAny".into(),
        "        _ = remove(q as CFDictionary)".into(),
        "    }".into(),
        "}".into(),
        String::new(),
        "/// A step a test cannot perform: the rest of the scenario is skipped, with the reason.".into(),
        "private func skip(_ reason: String) throws {".into(),
        "    throw XCTSkip(reason)".into(),
        "}".into(),
        "// keyplay-import: on".into(),
    ];
    out.extend(lines.into_iter().map(|l| if l.is_empty() { l } else { format!("{I1}{l}") }));
}

fn action_of(step: &Json) -> Option<(&str, &Json)> {
    step.as_object()?.iter().find(|(k, _)| *k != "expect" && *k != "note").map(|(k, v)| (k.as_str(), v))
}

fn returns(dict: &Json) -> bool {
    ["kSecReturnData", "kSecReturnAttributes", "kSecReturnRef", "kSecReturnPersistentRef"]
        .iter()
        .any(|k| dict.get(k).is_some_and(|v| v != &Json::Bool(false)))
}

fn call(name: &str, value: &Json, expect: &Json, report: Option<&StepReport>, out: &mut Vec<String>) {
    let mut hoisted = Hoisted::default();
    let mut body = Vec::new();
    let empty = Json::Object(Map::new());
    let mut result_var = false;
    let args = if name == "SecItemUpdate" {
        decl("query", value.get("query").unwrap_or(&empty), &mut hoisted, &mut body);
        decl("attributes", value.get("attributes").unwrap_or(&empty), &mut hoisted, &mut body);
        body.push("scoped(&query)".into());
        "query as CFDictionary, attributes as CFDictionary".to_string()
    } else {
        decl("query", value, &mut hoisted, &mut body);
        body.push("scoped(&query)".into());
        if name == "SecItemCopyMatching" || (name == "SecItemAdd" && returns(value)) {
            result_var = true;
            body.push("var result: CFTypeRef?".into());
            "query as CFDictionary, &result".to_string()
        } else if name == "SecItemDelete" {
            "query as CFDictionary".to_string()
        } else {
            "query as CFDictionary, nil".to_string()
        }
    };
    out.push("do {".into());
    for line in hoisted.lines.into_iter().chain(body) {
        out.push(format!("{I1}{line}"));
    }
    out.push(format!("{I1}let status = {name}({args})"));
    // The predicted status: the document's expectation, else what Keyplay answered.
    let predicted = expect
        .get("status")
        .and_then(Json::as_str)
        .map(str::to_string)
        .or_else(|| report.and_then(|r| r.status).map(|s| s.name().to_string()));
    match &predicted {
        Some(status) => out.push(format!("{I1}XCTAssertEqual(status, {status})")),
        None => out.push(format!("{I1}XCTAssertEqual(status, errSecSuccess)")),
    }
    if result_var && predicted.as_deref() == Some("errSecSuccess") {
        if let Some(r) = report {
            shape(r, out);
        }
    }
    out.push("}".into());
}

/// Asserts the result's type and count as Keyplay predicts them.
fn shape(report: &StepReport, out: &mut Vec<String>) {
    let count = report.count.map(|c| c as u64);
    match report.result.as_ref() {
        Some(Json::Array(items)) => {
            out.push(format!("{I1}let items = result as? [Any]"));
            out.push(format!("{I1}XCTAssertEqual(items?.count, {})", count.unwrap_or(items.len() as u64)));
        }
        Some(Json::Object(map))
            if map.contains_key("utf8") || map.contains_key("hex") || map.contains_key("base64") =>
        {
            out.push(format!("{I1}XCTAssertNotNil(result as? Data)"));
        }
        Some(Json::Object(map)) if map.contains_key("persistentRef") => {
            out.push(format!("{I1}XCTAssertNotNil(result as? Data)"));
        }
        Some(Json::Object(map))
            if map.contains_key("certificate")
                || map.contains_key("key")
                || map.contains_key("identity")
                || map.contains_key("keychainItem") =>
        {
            out.push(format!("{I1}XCTAssertNotNil(result)"));
        }
        Some(Json::Object(_)) => out.push(format!("{I1}XCTAssertNotNil(result as? [String: Any])")),
        Some(Json::Null) | None => out.push(format!("{I1}XCTAssertNil(result)")),
        Some(_) => out.push(format!("{I1}XCTAssertNotNil(result)")),
    }
}

fn decl(name: &str, dict: &Json, hoisted: &mut Hoisted, out: &mut Vec<String>) {
    let Some(map) = dict.as_object().filter(|m| !m.is_empty()) else {
        out.push(format!("var {name}: [String: Any] = [:]"));
        return;
    };
    out.push(format!("var {name}: [String: Any] = ["));
    for (key, value) in map {
        let kind = key_by_name(key).map_or(ValueKind::Opaque, |k| k.value);
        let text = ValueWriter { hoisted: &mut *hoisted }.value(value, kind);
        out.push(format!("{I1}{key} as String: {text},"));
    }
    out.push("]".into());
}
