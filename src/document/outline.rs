//! Where a document's parts are in its text: the byte range of each top-level field (in the
//! order written) and of each step, found by one pass that builds no JSON tree. A shell that
//! keeps a document's text keeps this instead of the parsed JSON (which is about twice the
//! text's size), and parses a part again only when it shows or edits it; the keychain engine
//! reads a document from it one step at a time ([`crate::run::run_outline`]).

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use std::ops::Range;
use std::rc::Rc;

/// A document's text and where its parts are in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    text: Rc<str>,
    /// Whether the text is a JSON object (the only documents with parts).
    object: bool,
    /// Each top-level field's value, in the order written (a repeated name keeps its first
    /// place and its last value, as the parsed JSON does).
    fields: Vec<(String, Range<usize>)>,
    /// Each step's JSON, when `steps` is an array.
    steps: Vec<Range<usize>>,
    /// Whether `steps` is there and is an array.
    steps_array: bool,
}

/// The top-level fields of a JSON object as raw slices of its text, in order.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
                let mut fields: Vec<(String, &'de RawValue)> = Vec::new();
                while let Some((name, raw)) = map.next_entry::<String, &'de RawValue>()? {
                    match fields.iter_mut().find(|(n, _)| *n == name) {
                        Some(field) => field.1 = raw,
                        None => fields.push((name, raw)),
                    }
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

impl Outline {
    /// The outline of `text`; a text that is not a JSON object has no parts.
    pub fn of(text: Rc<str>) -> Outline {
        let Ok(Fields(fields)) = serde_json::from_str::<Fields>(&text) else {
            return Outline { text, ..Outline::default() };
        };
        let fields: Vec<(String, Range<usize>)> =
            fields.into_iter().map(|(name, raw)| (name, range_in(&text, raw))).collect();
        let mut outline = Outline { text: text.clone(), object: true, fields, steps: Vec::new(), steps_array: false };
        if let Some(Ok(steps)) = outline.field_text("steps").map(serde_json::from_str::<Vec<&RawValue>>) {
            outline.steps = steps.into_iter().map(|raw| range_in(&text, raw)).collect();
            outline.steps_array = true;
        }
        outline
    }

    /// The document's text.
    pub fn text(&self) -> &Rc<str> {
        &self.text
    }

    /// Whether the text is a JSON object.
    pub fn is_object(&self) -> bool {
        self.object
    }

    /// The top-level fields' names and JSON texts, in the order written.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().filter_map(|(name, r)| Some((name.as_str(), self.text.get(r.clone())?)))
    }

    /// The JSON text of the top-level field `name`.
    pub fn field_text(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).and_then(|(_, r)| self.text.get(r.clone()))
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
        self.fields.iter().any(|(n, _)| n == name)
    }

    /// How many steps the document has (none when `steps` is not an array).
    pub fn step_count(&self) -> usize {
        self.steps.len()
    }

    /// The JSON text of step `index`.
    pub fn step_text(&self, index: usize) -> Option<&str> {
        self.steps.get(index).and_then(|r| self.text.get(r.clone()))
    }

    /// Each step's JSON text, when `steps` is an array.
    pub fn step_texts(&self) -> Option<impl ExactSizeIterator<Item = &str>> {
        let texts = self.steps.iter().map(|r| self.text.get(r.clone()).unwrap_or_default());
        self.steps_array.then_some(texts)
    }

    /// Step `index`, parsed.
    pub fn step(&self, index: usize) -> Option<Value> {
        self.step_text(index).and_then(|t| serde_json::from_str(t).ok())
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
            r#"{ "keyplay": 1, "kind": "keychain", "title": "A \"quoted\" title", "steps": [ {"reboot": {}}, {"device": {"locked": true}} ], "app": {"application-identifier": "T.a"}, "kind": "keychain" }"#.into();
        let outline = Outline::of(text.clone());
        assert!(outline.is_object());
        assert_eq!(outline.field_text("kind"), Some(r#""keychain""#));
        assert_eq!(outline.string("title").as_deref(), Some(r#"A "quoted" title"#));
        assert_eq!(outline.field("app"), Some(serde_json::json!({"application-identifier": "T.a"})));
        assert_eq!(outline.step_count(), 2);
        assert_eq!(outline.step(1), Some(serde_json::json!({"device": {"locked": true}})));
        assert_eq!(outline.step(2), None);
        assert_eq!(
            outline.step_texts().map(|t| t.collect::<Vec<_>>()),
            Some(vec![r#"{"reboot": {}}"#, r#"{"device": {"locked": true}}"#])
        );
        assert!(outline.has("keyplay") && !outline.has("now"));
        let names: Vec<&str> = outline.fields().map(|(n, _)| n).collect();
        assert_eq!(names, ["keyplay", "kind", "title", "steps", "app"], "in order, a repeated name once");
        let parsed: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(outline.parse(), parsed);
        let keys: Vec<&String> = parsed.as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, names, "the order the parsed JSON keeps");
    }

    #[test]
    fn text_that_is_not_an_object_has_no_parts() {
        for text in ["", "[1, 2]", "{\"steps\": 3}", "{\"steps\": [1,", "\"s\""] {
            let outline = Outline::of(text.into());
            assert_eq!(outline.step_count(), 0, "{text}");
            assert_eq!(outline.is_object(), text == "{\"steps\": 3}", "{text}");
            assert_eq!(outline.field_text("steps").is_some(), text == "{\"steps\": 3}", "{text}");
            assert!(outline.step_texts().is_none(), "{text}");
        }
    }
}
