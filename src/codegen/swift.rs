//! Export document steps as Swift ready to paste into Xcode: `[String: Any]` dictionaries keyed
//! `kSec… as String`, the SecItem call, `assert(status == …)` for the expected status, and event
//! steps as comments (with a `// keyplay-step:` marker the importer reads back).

use super::values::{Hoisted, ValueWriter};
use crate::keychain::constants::{key_by_name, ValueKind};
use serde_json::{Map, Value as Json};

const INDENT: &str = "    ";

/// One step as Swift statements (no enclosing block).
pub fn step_to_swift(step: &Json) -> String {
    let mut lines = Vec::new();
    step_lines(step, &mut lines);
    join(&lines)
}

/// A whole keychain document as Swift: a header comment describing the setup, the initial items,
/// then each step in its own `do { … }` block so that names can repeat.
pub fn document_to_swift(doc: &Json) -> String {
    let mut out: Vec<String> = Vec::new();
    header(doc, &mut out);
    out.push("import Foundation".into());
    out.push("import Security".into());
    if let Some(items) = doc.get("keychain").and_then(Json::as_array).filter(|a| !a.is_empty()) {
        out.push(String::new());
        out.push(
            "// Items already in the keychain before the steps (the document's \"keychain\"; Keyplay stores".into(),
        );
        out.push("// them without entitlement checks). On a device, add them first:".into());
        for item in items {
            let mut lines = Vec::new();
            call_lines("SecItemAdd", item, &Json::Null, &mut lines);
            block(&lines, &mut out);
        }
    }
    if let Some(steps) = doc.get("steps").and_then(Json::as_array) {
        for (n, step) in steps.iter().enumerate() {
            out.push(String::new());
            out.push(format!("// Step {}: {}", n + 1, action_of(step).map_or("?", |(a, _)| a)));
            let mut lines = Vec::new();
            step_lines(step, &mut lines);
            if lines.iter().all(|l| l.starts_with("//")) {
                out.extend(lines);
            } else {
                block(&lines, &mut out);
            }
        }
    }
    join(&out)
}

fn join(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn block(lines: &[String], out: &mut Vec<String>) {
    out.push("do {".into());
    out.extend(lines.iter().map(|l| if l.is_empty() { String::new() } else { format!("{INDENT}{l}") }));
    out.push("}".into());
}

/// A comment line (or several): never a `keyplay-step` marker by accident.
pub fn comment(text: &str, out: &mut Vec<String>) {
    for line in text.lines() {
        let line = line.replace("keyplay-step:", "keyplay-step :").replace(['\r', '\u{2028}', '\u{2029}'], " ");
        out.push(format!("// {line}").trim_end().to_string());
    }
}

fn header(doc: &Json, out: &mut Vec<String>) {
    let title = doc.get("title").and_then(Json::as_str).unwrap_or("Keychain scenario");
    comment(&format!("Keyplay: {title}"), out);
    if let Some(notes) = doc.get("notes").and_then(Json::as_str) {
        comment(notes, out);
    }
    let platform = match doc.get("platform").and_then(Json::as_str).unwrap_or("ios") {
        "macos" => "macOS, data protection keychain (add kSecUseDataProtectionKeychain as String: true on macOS)",
        "macos-file" => "macOS, file-based keychain",
        _ => "iOS (data protection keychain)",
    };
    comment(&format!("Platform: {platform}"), out);
    match doc.get("app") {
        Some(app) => comment(&format!("Entitlements: {}", compact(app)), out),
        None => comment("Entitlements: application-identifier TEAMID1234.com.example.app only", out),
    }
    if let Some(device) = doc.get("device") {
        comment(&format!("Device: {}", compact(device)), out);
    }
    out.push(String::new());
}

fn compact(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The step's action name and value.
fn action_of(step: &Json) -> Option<(&str, &Json)> {
    step.as_object()?.iter().find(|(k, _)| *k != "expect" && *k != "note").map(|(k, v)| (k.as_str(), v))
}

fn step_lines(step: &Json, out: &mut Vec<String>) {
    if let Some(note) = step.get("note").and_then(Json::as_str) {
        comment(&format!("Note: {note}"), out);
    }
    let expect = step.get("expect").unwrap_or(&Json::Null);
    match action_of(step) {
        Some((call @ ("SecItemAdd" | "SecItemCopyMatching" | "SecItemDelete" | "SecItemUpdate"), value)) => {
            call_lines(call, value, expect, out)
        }
        Some((event, value)) => super::events::event_lines(event, value, out),
        None => comment("Keyplay: a step without an action", out),
    }
}

fn call_lines(call: &str, value: &Json, expect: &Json, out: &mut Vec<String>) {
    let mut hoisted = Hoisted::default();
    let mut body = Vec::new();
    let empty = Json::Object(Map::new());
    let args = if call == "SecItemUpdate" {
        dict_decl("query", value.get("query").unwrap_or(&empty), &mut hoisted, &mut body);
        dict_decl("attributes", value.get("attributes").unwrap_or(&empty), &mut hoisted, &mut body);
        "query as CFDictionary, attributes as CFDictionary".to_string()
    } else {
        dict_decl("query", value, &mut hoisted, &mut body);
        match call {
            "SecItemDelete" => "query as CFDictionary".to_string(),
            "SecItemCopyMatching" => {
                body.push("var result: CFTypeRef?".into());
                "query as CFDictionary, &result".to_string()
            }
            _ if returns(value) => {
                body.push("var result: CFTypeRef?".into());
                "query as CFDictionary, &result".to_string()
            }
            _ => "query as CFDictionary, nil".to_string(),
        }
    };
    out.extend(hoisted.lines);
    out.extend(body);
    out.push(format!("let status = {call}({args})"));
    if expect.get("status").is_none() {
        out.push(format!("print(\"{call}:\", status)"));
    }
    expectations(expect, out);
}

fn returns(dict: &Json) -> bool {
    ["kSecReturnData", "kSecReturnAttributes", "kSecReturnRef", "kSecReturnPersistentRef"]
        .iter()
        .any(|k| dict.get(k).is_some_and(|v| v != &Json::Bool(false)))
}

fn dict_decl(name: &str, dict: &Json, hoisted: &mut Hoisted, out: &mut Vec<String>) {
    let Some(map) = dict.as_object().filter(|m| !m.is_empty()) else {
        out.push(format!("let {name}: [String: Any] = [:]"));
        return;
    };
    out.push(format!("let {name}: [String: Any] = ["));
    for (key, value) in map {
        let kind = key_by_name(key).map_or(ValueKind::Opaque, |k| k.value);
        let text = ValueWriter { hoisted: &mut *hoisted }.value(value, kind);
        out.push(format!("{INDENT}{key} as String: {text},"));
    }
    out.push("]".into());
}

fn expectations(expect: &Json, out: &mut Vec<String>) {
    if let Some(status) = expect.get("status").and_then(Json::as_str) {
        out.push(format!("assert(status == {status})"));
    }
    if let Some(count) = expect.get("count") {
        comment(&format!("Keyplay expects {count} item(s) or value(s) in the result"), out);
    }
    if let Some(result) = expect.get("result") {
        comment(&format!("Keyplay expects the result {}", compact(result)), out);
    }
    if let Some(pitfalls) = expect.get("pitfalls").and_then(Json::as_array) {
        let ids: Vec<&str> = pitfalls.iter().filter_map(Json::as_str).collect();
        if ids.is_empty() {
            comment("Keyplay expects no pitfall here", out);
        } else {
            comment(&format!("Keyplay pitfalls: {}", ids.join(", ")), out);
        }
    }
}
