//! Code in, code out: paste Swift or Objective-C SecItem code to get document steps
//! ([`crate::codegen::import`]), and copy a keychain document as Swift
//! ([`crate::codegen::swift`]).

mod export;
mod import;

pub use export::{SwiftExport, SwiftExportProps};
pub use import::{ImportPanel, ImportPanelProps};

use serde_json::Value;

/// `text` (a keychain document) with `steps` appended to its `steps`, pretty-printed.
pub fn append_steps(text: &str, steps: &[Value]) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(text).map_err(|_| "the document is not valid JSON".to_string())?;
    let Value::Object(map) = &mut doc else { return Err("the document is not a JSON object".into()) };
    if map.get("kind").and_then(Value::as_str) != Some("keychain") {
        return Err("steps can only be added to a keychain document".into());
    }
    match map.entry("steps").or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(list) => list.extend(steps.iter().cloned()),
        _ => return Err("the document's steps are not a list".into()),
    }
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}

/// Whether `text` is a keychain document (the only kind code import and export handle).
pub fn is_keychain(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|d| d.get("kind").and_then(Value::as_str) == Some("keychain"))
}
