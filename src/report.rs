//! What running a document gives: one typed [`Report`] that the page renders, the command
//! line prints and the tests read, with its [`Exit`] status. It serialises to exactly the
//! JSON `keyplay run` prints (see `docs/document.md`).

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::document::{DocError, Kind};
use crate::keychain::KeychainReport;
use crate::signin::errors::ExplainerReport;
use crate::stepper::StepperReport;
use crate::validator::Verdict;

/// The report of one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// The document could not be understood: where and why.
    NotUnderstood(DocError),
    /// A keychain run: every step's answer and the keychain it left (shared: the page's next
    /// run of an edited document reuses it when no step changed).
    Keychain(std::rc::Rc<KeychainReport>),
    /// A validator's verdict.
    Verdict(VerdictReport),
    /// A state-model explainer's run (`att`, `tcc-screen-capture`, `platform-sso`).
    Stepper(StepperRun),
    /// The sign-in error explainer's answer (`error-explainer`).
    Explainer(ExplainerReport),
}

/// A stepper document's report and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct StepperRun {
    pub kind: Kind,
    pub report: StepperReport,
}

/// The command line's exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The document ran and every expectation was met (or it had none).
    Met,
    /// An expectation was not met.
    Unmet,
    /// The document could not be understood.
    NotUnderstood,
}

impl Exit {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Exit::Met => 0,
            Exit::Unmet => 1,
            Exit::NotUnderstood => 2,
        }
    }
}

/// Whether an expectation held; `"met"` / `"unmet"` in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Met {
    Met,
    Unmet,
}

impl Met {
    /// `Met` when `held`.
    pub fn from_bool(held: bool) -> Met {
        if held {
            Met::Met
        } else {
            Met::Unmet
        }
    }
}

/// A validator document's report: the verdict and whether the document's `expect` held.
/// Its serde form is what the page's worker sends (`crate::wire`), not the report JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictReport {
    pub kind: Kind,
    pub verdict: Verdict,
    /// `None` when the document had no `expect`.
    pub expect: Option<Met>,
}

impl VerdictReport {
    /// False only when an expectation was unmet.
    pub fn ok(&self) -> bool {
        self.expect != Some(Met::Unmet)
    }

    /// A detail the validator reported (decoded claims, a signed token, a public key, …).
    pub fn detail(&self, key: &str) -> Option<&serde_json::Value> {
        self.verdict.details.get(key)
    }
}

impl Report {
    /// The exit status this report gives.
    pub fn exit(&self) -> Exit {
        match self {
            Report::NotUnderstood(_) => Exit::NotUnderstood,
            Report::Keychain(report) if !report.ok => Exit::Unmet,
            Report::Verdict(report) if !report.ok() => Exit::Unmet,
            Report::Stepper(run) if !run.report.ok => Exit::Unmet,
            Report::Explainer(report) if !report.ok => Exit::Unmet,
            Report::Keychain(_) | Report::Verdict(_) | Report::Stepper(_) | Report::Explainer(_) => Exit::Met,
        }
    }

    /// The document's kind; `None` when it was not understood.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Report::NotUnderstood(_) => None,
            Report::Keychain(_) => Some(Kind::Keychain),
            Report::Verdict(report) => Some(report.kind),
            Report::Stepper(run) => Some(run.kind),
            Report::Explainer(_) => Some(Kind::ErrorExplainer),
        }
    }

    /// The report as a JSON value (what `keyplay run` prints, unformatted).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The report as `keyplay run` prints it: pretty JSON.
    pub fn to_cli_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Writes [`Report::to_cli_json`]'s text to `out` as it is serialised, without holding
    /// the whole text (a report can be several times its document's size).
    pub fn write_cli_json(&self, out: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(std::io::Error::other)
    }
}

/// A report as the command line hands it to other tools: its JSON and its exit code.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub report: serde_json::Value,
    pub exit: u8,
}

impl Report {
    /// The report's JSON and exit code, for tools and tests that read what `keyplay run` prints.
    pub fn printed(&self) -> Printed {
        Printed { report: self.to_json(), exit: self.exit().code() }
    }
}

/// `{"keyplay": 1, "kind": …, …the kind's fields}`, or `{"keyplay": 1, "error": …}`.
impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Report::NotUnderstood(error) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("keyplay", &1)?;
                map.serialize_entry("error", error)?;
                map.end()
            }
            Report::Keychain(report) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("keyplay", &1)?;
                map.serialize_entry("kind", Kind::Keychain.name())?;
                map.serialize_entry("ok", &report.ok)?;
                map.serialize_entry("platform", report.platform)?;
                map.serialize_entry("steps", &report.steps)?;
                map.serialize_entry("keychain", &report.keychain)?;
                map.end()
            }
            Report::Verdict(report) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("keyplay", &1)?;
                map.serialize_entry("kind", report.kind.name())?;
                map.serialize_entry("ok", &report.ok())?;
                map.serialize_entry("valid", &report.verdict.valid())?;
                map.serialize_entry("checks", &report.verdict.checks)?;
                for (key, value) in &report.verdict.details {
                    // The fixed fields above win over a detail of the same name.
                    if !matches!(key.as_str(), "keyplay" | "kind" | "ok" | "valid" | "checks" | "expect") {
                        map.serialize_entry(key, value)?;
                    }
                }
                if let Some(expect) = report.expect {
                    map.serialize_entry("expect", &expect)?;
                }
                map.end()
            }
            Report::Stepper(run) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("keyplay", &1)?;
                map.serialize_entry("kind", run.kind.name())?;
                map.serialize_entry("ok", &run.report.ok)?;
                map.serialize_entry("steps", &run.report.steps)?;
                map.serialize_entry("final", &run.report.final_state)?;
                if !run.report.summary.is_empty() {
                    map.serialize_entry("summary", &run.report.summary)?;
                }
                map.end()
            }
            Report::Explainer(report) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("keyplay", &1)?;
                map.serialize_entry("kind", Kind::ErrorExplainer.name())?;
                map.serialize_entry("ok", &report.ok)?;
                if let Some(query) = &report.query {
                    map.serialize_entry("query", query)?;
                }
                if let Some(found) = &report.found_in_log {
                    map.serialize_entry("found-in-log", found)?;
                }
                map.serialize_entry("matches", &report.matches)?;
                if let Some(expect) = report.expect {
                    map.serialize_entry("expect", expect)?;
                }
                if !report.unmet.is_empty() {
                    map.serialize_entry("unmet", &report.unmet)?;
                }
                map.end()
            }
        }
    }
}

/// Items of a list result that a page shows; the rest is counted, not drawn.
pub const SHOWN_RESULT_ITEMS: usize = 100;
/// Characters of a result's text that a page shows.
pub const SHOWN_RESULT_CHARS: usize = 64 * 1024;

/// A step's result as the page shows it: pretty JSON of at most [`SHOWN_RESULT_ITEMS`] items
/// and [`SHOWN_RESULT_CHARS`] characters, with a last line saying what was left out (the
/// report itself, and `keyplay run`, keep all of it). A page that drew a 1 000-item result
/// with its data whole would hold megabytes of text per step, twice over.
pub fn shown_result(result: &serde_json::Value) -> String {
    let (mut text, more_items) = match result {
        serde_json::Value::Array(items) if items.len() > SHOWN_RESULT_ITEMS => (
            serde_json::to_string_pretty(&items[..SHOWN_RESULT_ITEMS]).unwrap_or_default(),
            items.len() - SHOWN_RESULT_ITEMS,
        ),
        _ => (serde_json::to_string_pretty(result).unwrap_or_default(), 0),
    };
    let mut notes = Vec::new();
    if more_items > 0 {
        notes.push(format!("{more_items} more items"));
    }
    if let Some((cut, _)) = text.char_indices().nth(SHOWN_RESULT_CHARS) {
        notes.push(format!("{} more characters", text[cut..].chars().count()));
        text.truncate(cut);
    }
    if !notes.is_empty() {
        text.push_str(&format!(
            "\n… {} not shown here (the page shows the first {SHOWN_RESULT_ITEMS} items and {SHOWN_RESULT_CHARS} characters; `keyplay run` prints the whole result)",
            notes.join(" and ")
        ));
    }
    text
}

#[cfg(test)]
mod shown_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_small_result_is_shown_whole() {
        let r = json!([{"acct": "a"}, {"acct": "b"}]);
        assert_eq!(shown_result(&r), serde_json::to_string_pretty(&r).unwrap_or_default());
    }

    #[test]
    fn a_long_list_shows_its_first_items_and_counts_the_rest() {
        let r = serde_json::Value::Array((0..250).map(|i| json!({ "acct": format!("a{i}") })).collect());
        let shown = shown_result(&r);
        assert!(shown.contains("\"a99\"") && !shown.contains("\"a100\""), "{shown}");
        assert!(shown.ends_with("`keyplay run` prints the whole result)"), "{shown}");
        assert!(shown.contains("… 150 more items not shown here"), "{shown}");
    }

    #[test]
    fn a_long_text_is_cut_at_a_character_and_counted() {
        let r = json!({ "v_Data": "é".repeat(SHOWN_RESULT_CHARS * 2) });
        let shown = shown_result(&r);
        let whole = serde_json::to_string_pretty(&r).unwrap_or_default().chars().count();
        let kept = shown.split("\n… ").next().map_or(0, |s| s.chars().count());
        assert_eq!(kept, SHOWN_RESULT_CHARS);
        assert!(shown.contains(&format!("… {} more characters not shown", whole - SHOWN_RESULT_CHARS)), "{shown}");
    }
}
