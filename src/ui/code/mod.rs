//! Code in, code out: paste Swift or Objective-C SecItem code to get document steps
//! ([`crate::codegen::import`]), and copy a keychain document as Swift
//! ([`crate::codegen::swift`]).

mod export;
mod import;

pub use export::{SwiftExport, SwiftExportProps};
pub use import::{ImportPanel, ImportPanelProps};

use serde_json::Value;

/// A keychain document with `steps` appended to its `steps`.
pub fn append_steps(mut doc: Value, steps: &[Value]) -> Result<Value, String> {
    let Value::Object(map) = &mut doc else { return Err("the document is not a JSON object".into()) };
    if map.get("kind").and_then(Value::as_str) != Some("keychain") {
        return Err("steps can only be added to a keychain document".into());
    }
    match map.entry("steps").or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(list) => list.extend(steps.iter().cloned()),
        _ => return Err("the document's steps are not a list".into()),
    }
    Ok(doc)
}
