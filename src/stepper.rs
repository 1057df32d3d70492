//! One report shape for the state-model explainers (App Tracking Transparency, macOS screen
//! capture consent, Platform SSO): a document is a list of events; the report gives, for
//! every event, the state after it as ordered key/values, why, the sources behind the rule,
//! and whether the step's `expect` was met.
//!
//! A kind supplies a [`Machine`]: its state keys, its event type (an externally tagged serde
//! enum, one key per step) and the transition. [`parse_steps`] and [`run`] do the rest.

use serde::de::DeserializeOwned;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::document::{parse_typed, suggestion, DocError};

/// How well a rule is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Evidence {
    /// Apple's documentation, a technote, a WWDC session or a header comment says so.
    #[serde(rename = "documented")]
    Documented,
    /// An Apple engineer (DTS or the framework team) said so in a forum answer.
    #[serde(rename = "apple-forum-answer")]
    AppleAnswer,
    /// Only developers' reports (forum threads, blog posts) say so.
    #[serde(rename = "reported, not documented")]
    Reported,
    /// Keyplay's reading of the API where Apple says nothing either way.
    #[serde(rename = "inferred from the API, not documented")]
    Inferred,
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: &'static str,
    pub url: &'static str,
    pub evidence: Evidence,
}

/// An ordered state snapshot: serialized as a JSON object whose keys keep their order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State(pub Vec<(&'static str, Value)>);

impl State {
    /// The value of `key`, if this snapshot has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Adds a key.
    pub fn put(&mut self, key: &'static str, value: impl Into<Value>) {
        self.0.push((key, value.into()));
    }
}

impl Serialize for State {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// What one event did: the lines that explain it and the sources of the rules applied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effect {
    pub explanation: Vec<String>,
    pub sources: Vec<Source>,
}

impl Effect {
    /// Adds an explanation line and the source of its rule.
    pub fn because(&mut self, line: impl Into<String>, source: Source) {
        self.explanation.push(line.into());
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
    }

    /// Adds an explanation line that needs no source (it restates the document).
    pub fn say(&mut self, line: impl Into<String>) {
        self.explanation.push(line.into());
    }
}

/// A state model driven by events.
pub trait Machine {
    type Event;
    /// Every key a snapshot may carry, in snapshot order; `expect` may name only these.
    const STATE_KEYS: &'static [&'static str];
    /// The event's name as written in documents.
    fn event_name(event: &Self::Event) -> &'static str;
    /// Applies one event.
    fn apply(&mut self, event: &Self::Event) -> Effect;
    /// The state after the last event, including per-step results (what a call returned).
    fn snapshot(&self) -> State;
    /// Closing lines for the whole run (the answer to the thread), if any.
    fn summary(&self) -> Vec<String> {
        Vec::new()
    }
}

/// One step of a document: an event, an optional note, and the state it must lead to.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<E> {
    pub event: E,
    pub note: Option<String>,
    /// `(state key, expected value)`, in document order.
    pub expect: Vec<(String, Value)>,
}

/// One step's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub index: usize,
    pub event: &'static str,
    pub state: State,
    pub explanation: Vec<String>,
    pub sources: Vec<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// `"met"` or `"unmet"` when the step has an `expect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<&'static str>,
    /// What differed from `expect`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<String>,
}

/// A stepper document's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepperReport {
    /// Every `expect` was met.
    pub ok: bool,
    pub steps: Vec<StepReport>,
    #[serde(rename = "final")]
    pub final_state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub summary: Vec<String>,
}

/// Runs `steps` through `machine`, checking each step's `expect`.
pub fn run<M: Machine>(mut machine: M, steps: &[Step<M::Event>]) -> StepperReport {
    let mut reports = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let effect = machine.apply(&step.event);
        let state = machine.snapshot();
        let unmet = compare(&step.expect, &state);
        let expect = (!step.expect.is_empty()).then_some(if unmet.is_empty() { "met" } else { "unmet" });
        reports.push(StepReport {
            index,
            event: M::event_name(&step.event),
            state,
            explanation: effect.explanation,
            sources: effect.sources,
            note: step.note.clone(),
            expect,
            unmet,
        });
    }
    let ok = reports.iter().all(|r| r.unmet.is_empty());
    StepperReport { ok, steps: reports, final_state: machine.snapshot(), summary: machine.summary() }
}

fn compare(expect: &[(String, Value)], state: &State) -> Vec<String> {
    expect
        .iter()
        .filter_map(|(key, want)| match state.get(key) {
            Some(found) if found == want => None,
            Some(found) => Some(format!("{key}: expected {want}, found {found}")),
            None => Some(format!("{key}: expected {want}, but this step does not report {key}")),
        })
        .collect()
}

/// The envelope fields every document may carry; a kind's parser skips them so that it can
/// be given a whole document as well as the body the dispatcher leaves.
pub const ENVELOPE: &[&str] = &["keyplay", "kind", "title", "notes", "now"];

/// Splits a stepper document into its `steps` and the remaining setup fields (envelope
/// fields dropped). A top-level `expect` is refused: expectations go on steps.
pub fn split_document(value: Value) -> Result<(Map<String, Value>, Value), DocError> {
    let Value::Object(mut body) = value else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    for key in ENVELOPE {
        body.remove(*key);
    }
    if body.contains_key("expect") {
        return Err(DocError::new("/expect", "this kind carries expect on each step, not at the top"));
    }
    let steps = body.remove("steps").ok_or_else(|| DocError::new("/steps", "missing steps (a list of events)"))?;
    Ok((body, steps))
}

/// Parses `steps`: each a one-key object `{"event-name": {fields}}` (a bare string or a
/// `null` value stand for no fields) with optional `note` and `expect` beside the event key.
pub fn parse_steps<E: DeserializeOwned>(
    value: Value,
    base: &str,
    state_keys: &[&str],
    event_names: &[&str],
) -> Result<Vec<Step<E>>, DocError> {
    let Value::Array(items) = value else {
        return Err(DocError::new(base, "steps must be a list of events"));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| parse_step(item, &format!("{base}/{i}"), state_keys, event_names))
        .collect()
}

fn parse_step<E: DeserializeOwned>(
    item: Value,
    path: &str,
    state_keys: &[&str],
    event_names: &[&str],
) -> Result<Step<E>, DocError> {
    let mut map = match item {
        Value::String(name) => Map::from_iter([(name, Value::Object(Map::new()))]),
        Value::Object(map) => map,
        _ => {
            return Err(DocError::new(
                path,
                format!("a step is an object with one event: one of {}", event_names.join(", ")),
            ))
        }
    };
    let note = match map.remove("note") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(DocError::new(format!("{path}/note"), "note must be a string")),
    };
    let expect = match map.remove("expect") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(fields)) => parse_expect(fields, &format!("{path}/expect"), state_keys)?,
        Some(_) => return Err(DocError::new(format!("{path}/expect"), "expect must be an object of state keys")),
    };
    let mut keys: Vec<String> = map.keys().cloned().collect();
    if keys.len() != 1 {
        let found = if keys.is_empty() { "none".to_string() } else { keys.join(", ") };
        return Err(DocError::new(
            path,
            format!("a step has exactly one event (one of {}); found {found}", event_names.join(", ")),
        ));
    }
    let name = keys.remove(0);
    if !event_names.contains(&name.as_str()) {
        return Err(DocError::new(
            format!("{path}/{}", pointer_escape(&name)),
            format!("unknown event {name}{}", unknown_hint(&name, event_names)),
        ));
    }
    if map.get(&name).is_some_and(Value::is_null) {
        map.insert(name.clone(), Value::Object(Map::new()));
    }
    let event = parse_typed::<E>(Value::Object(map), path)?;
    Ok(Step { event, note, expect })
}

fn parse_expect(fields: Map<String, Value>, path: &str, state_keys: &[&str]) -> Result<Vec<(String, Value)>, DocError> {
    fields
        .into_iter()
        .map(|(key, value)| {
            if state_keys.contains(&key.as_str()) {
                Ok((key, value))
            } else {
                Err(DocError::new(
                    format!("{path}/{}", pointer_escape(&key)),
                    format!("unknown state key {key}{}", unknown_hint(&key, state_keys)),
                ))
            }
        })
        .collect()
}

fn unknown_hint(word: &str, candidates: &[&str]) -> String {
    let hint = suggestion(word, candidates);
    if hint.is_empty() {
        format!("; expected one of {}", candidates.join(", "))
    } else {
        hint
    }
}

fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    #[serde(rename_all = "kebab-case", rename_all_fields = "kebab-case", deny_unknown_fields)]
    enum Ev {
        Add {
            #[serde(default = "one")]
            by: i64,
        },
        Reset {},
    }

    fn one() -> i64 {
        1
    }

    struct Counter(i64);

    impl Machine for Counter {
        type Event = Ev;
        const STATE_KEYS: &'static [&'static str] = &["count", "even"];
        fn event_name(event: &Ev) -> &'static str {
            match event {
                Ev::Add { .. } => "add",
                Ev::Reset {} => "reset",
            }
        }
        fn apply(&mut self, event: &Ev) -> Effect {
            let mut effect = Effect::default();
            match event {
                Ev::Add { by } => self.0 = self.0.saturating_add(*by),
                Ev::Reset {} => self.0 = 0,
            }
            effect.say(format!("now {}", self.0));
            effect
        }
        fn snapshot(&self) -> State {
            let mut s = State::default();
            s.put("count", self.0);
            s.put("even", self.0 % 2 == 0);
            s
        }
    }

    const NAMES: &[&str] = &["add", "reset"];

    #[test]
    fn steps_run_and_expectations_are_compared() {
        let steps = parse_steps::<Ev>(
            json!([{"add": {"by": 2}, "expect": {"count": 2, "even": true}}, "add", {"reset": null, "expect": {"count": 1}}]),
            "/steps",
            Counter::STATE_KEYS,
            NAMES,
        )
        .expect("parses");
        let report = run(Counter(0), &steps);
        assert!(!report.ok);
        assert_eq!(report.steps[0].expect, Some("met"));
        assert_eq!(report.steps[1].expect, None);
        assert_eq!(report.steps[2].unmet, ["count: expected 1, found 0"]);
        let text = serde_json::to_string(&report.steps[0].state).expect("serializes");
        assert_eq!(text, r#"{"count":2,"even":true}"#);
    }

    #[test]
    fn bad_steps_get_pointers_and_suggestions() {
        let cases = [
            (json!([{"ad": {}}]), "/steps/0/ad", "did you mean add?"),
            (json!([{"add": {"bye": 1}}]), "/steps/0/add/bye", "did you mean by?"),
            (json!([{"add": {}, "expect": {"cuont": 1}}]), "/steps/0/expect/cuont", "did you mean count?"),
            (json!([{"add": {}, "reset": {}}]), "/steps/0", "exactly one event"),
            (json!([3]), "/steps/0", "one event"),
            (json!({}), "/steps", "a list"),
        ];
        for (value, path, message) in cases {
            let err = parse_steps::<Ev>(value.clone(), "/steps", Counter::STATE_KEYS, NAMES).expect_err("refused");
            assert_eq!(err.path, path, "{value}: {err}");
            assert!(err.message.contains(message), "{value}: {err}");
        }
    }

    #[test]
    fn split_refuses_top_level_expect_and_missing_steps() {
        assert_eq!(split_document(json!({"steps": [], "expect": {}})).expect_err("expect").path, "/expect");
        assert_eq!(split_document(json!({"kind": "att"})).expect_err("steps").path, "/steps");
        let (rest, steps) = split_document(json!({"keyplay": 1, "kind": "att", "steps": [], "x": 1})).expect("ok");
        assert_eq!(steps, json!([]));
        assert_eq!(Value::Object(rest), json!({"x": 1}));
    }
}
