//! Where a document's parts are in its text: the byte range of each top-level field and of
//! each step, found by one pass that builds no JSON tree. A shell that keeps a document's text
//! keeps this instead of the parsed JSON (which is about twice the text's size), and parses a
//! part again only when it shows or edits it.

use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

/// A document's text and where its parts are in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    text: Rc<str>,
    /// Each top-level field's value, by name (empty when the document is not a JSON object).
    fields: BTreeMap<String, Range<usize>>,
    /// Each step's JSON, when `steps` is an array.
    steps: Vec<Range<usize>>,
}

impl Outline {
    /// The outline of `text`; a text that is not JSON has an empty one.
    pub fn of(text: Rc<str>) -> Outline {
        let fields: BTreeMap<String, Range<usize>> = serde_json::from_str::<BTreeMap<String, &RawValue>>(&text)
            .map(|fields| fields.into_iter().map(|(name, raw)| (name, range_in(&text, raw))).collect())
            .unwrap_or_default();
        let steps = match fields.get("steps").and_then(|r| text.get(r.clone())) {
            Some(steps) => serde_json::from_str::<Vec<&RawValue>>(steps)
                .map(|steps| steps.into_iter().map(|raw| range_in(&text, raw)).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Outline { text, fields, steps }
    }

    /// The document's text.
    pub fn text(&self) -> &Rc<str> {
        &self.text
    }

    /// The JSON text of the top-level field `name`.
    pub fn field_text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(|r| self.text.get(r.clone()))
    }

    /// The top-level field `name`, parsed.
    pub fn field(&self, name: &str) -> Option<Value> {
        self.field_text(name).and_then(|t| serde_json::from_str(t).ok())
    }

    /// The top-level field `name` when it is a string.
    pub fn string(&self, name: &str) -> Option<String> {
        self.field_text(name).and_then(|t| serde_json::from_str::<String>(t).ok())
    }

    /// Whether the document has a top-level field `name`.
    pub fn has(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// How many steps the document has (none when `steps` is not an array).
    pub fn step_count(&self) -> usize {
        self.steps.len()
    }

    /// Step `index`, parsed.
    pub fn step(&self, index: usize) -> Option<Value> {
        let range = self.steps.get(index)?;
        self.text.get(range.clone()).and_then(|t| serde_json::from_str(t).ok())
    }

    /// The whole document, parsed (`Null` when the text is not JSON).
    pub fn parse(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

/// Where `raw`, a slice that serde_json borrowed from `text`, lies in it.
fn range_in(text: &str, raw: &RawValue) -> Range<usize> {
    let start = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    start..start + raw.get().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_steps_are_found_where_they_are() {
        let text: Rc<str> =
            r#"{ "keyplay": 1, "kind": "keychain", "title": "A \"quoted\" title", "steps": [ {"reboot": {}}, {"device": {"locked": true}} ], "app": {"application-identifier": "T.a"} }"#.into();
        let outline = Outline::of(text.clone());
        assert_eq!(outline.field_text("kind"), Some(r#""keychain""#));
        assert_eq!(outline.string("title").as_deref(), Some(r#"A "quoted" title"#));
        assert_eq!(outline.field("app"), Some(serde_json::json!({"application-identifier": "T.a"})));
        assert_eq!(outline.step_count(), 2);
        assert_eq!(outline.step(1), Some(serde_json::json!({"device": {"locked": true}})));
        assert_eq!(outline.step(2), None);
        assert!(outline.has("keyplay") && !outline.has("now"));
        assert_eq!(outline.parse(), serde_json::from_str::<Value>(&text).unwrap_or_default());
    }

    #[test]
    fn text_that_is_not_an_object_has_no_parts() {
        for text in ["", "[1, 2]", "{\"steps\": 3}", "{\"steps\": [1,", "\"s\""] {
            let outline = Outline::of(text.into());
            assert_eq!(outline.step_count(), 0, "{text}");
            assert_eq!(outline.field_text("steps").is_some(), text == "{\"steps\": 3}", "{text}");
        }
    }
}
