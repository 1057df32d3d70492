//! The report, read once from the engine's JSON into types the view can render.
//!
//! Reading is lenient about fields the view does not need; a report of a shape the view
//! does not know falls back to [`ReportView::Other`], which shows the raw JSON.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// A report, by what the view does with it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportView {
    /// The document could not be understood.
    NotUnderstood(DocProblem),
    /// A keychain run: one card per step, then the keychain.
    Keychain(KeychainReport),
    /// A validator's verdict (`jwt`, `app-attest`, `webauthn-*`, …).
    Verdict(VerdictReport),
    /// A report of a shape this view does not know; only its JSON is shown.
    Other { kind: Option<String> },
}

impl ReportView {
    /// Reads the engine's report.
    pub fn from_report(report: &Value) -> ReportView {
        if let Some(error) = report.get("error") {
            return match DocProblem::deserialize(error) {
                Ok(problem) => ReportView::NotUnderstood(problem),
                Err(_) => ReportView::Other { kind: None },
            };
        }
        let kind = report.get("kind").and_then(Value::as_str).map(str::to_owned);
        let view = match kind.as_deref() {
            Some("keychain") => KeychainReport::deserialize(report).ok().map(ReportView::Keychain),
            Some(_) => VerdictReport::read(report).map(ReportView::Verdict),
            None => None,
        };
        view.unwrap_or(ReportView::Other { kind })
    }

    /// The report's kind, for the page's `data-kind` attribute (`error` when not understood).
    pub fn kind(&self) -> &str {
        match self {
            ReportView::NotUnderstood(_) => "error",
            ReportView::Keychain(_) => "keychain",
            ReportView::Verdict(verdict) => &verdict.kind,
            ReportView::Other { kind } => kind.as_deref().unwrap_or("unknown"),
        }
    }
}

/// Where a document went wrong (a JSON pointer) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DocProblem {
    pub path: String,
    pub message: String,
}

impl DocProblem {
    /// The path to show: the pointer, or `/` for the whole document.
    pub fn shown_path(&self) -> &str {
        if self.path.is_empty() {
            "/"
        } else {
            &self.path
        }
    }
}

/// Whether a step's (or a verdict's) expectation was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expectation {
    Met,
    Unmet,
}

impl Expectation {
    /// The CSS class a step gets for it.
    pub fn class(self) -> &'static str {
        match self {
            Expectation::Met => "expect-met",
            Expectation::Unmet => "expect-unmet",
        }
    }
}

/// A keychain run.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct KeychainReport {
    #[serde(default)]
    pub ok: bool,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub steps: Vec<StepReport>,
    #[serde(default)]
    pub keychain: Vec<KeychainRow>,
}

/// One step of a keychain run: a SecItem call, or an event such as `device` or `reboot`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StepReport {
    pub index: usize,
    pub call: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub meaning: Option<String>,
    /// `Some(Value::Null)` when the call handed back nothing, `None` when the step is no call.
    #[serde(default, deserialize_with = "present")]
    pub result: Option<Value>,
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub pitfalls: Vec<Pitfall>,
    #[serde(default)]
    pub explanation: Vec<String>,
    #[serde(default)]
    pub expect: Option<Expectation>,
}

/// How a step's status reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// `errSecSuccess`.
    Success,
    /// Any other status.
    Failure,
    /// A step that is not a call (`device`, `reboot`, `app`, `biometry`).
    Event,
}

impl Tone {
    /// The CSS class for the tone.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Success => "success",
            Tone::Failure => "failure",
            Tone::Event => "event",
        }
    }
}

impl StepReport {
    /// Success, failure, or an event without a status.
    pub fn tone(&self) -> Tone {
        match self.status.as_deref() {
            None => Tone::Event,
            Some("errSecSuccess") => Tone::Success,
            Some(_) => Tone::Failure,
        }
    }

    /// The JSON pointer of the step in the document, e.g. `/steps/2`.
    pub fn pointer(&self) -> String {
        format!("/steps/{}", self.index)
    }
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// A pitfall the engine recognised in a call.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Pitfall {
    pub id: String,
    #[serde(default)]
    pub severity: String,
    pub message: String,
    /// Why the platform behaves so.
    #[serde(default)]
    pub explanation: Option<String>,
    #[serde(default)]
    pub fix: Option<String>,
}

impl Pitfall {
    /// The CSS class for the severity (unknown severities read as notes).
    pub fn severity_class(&self) -> &'static str {
        match self.severity.as_str() {
            "error" => "severity-error",
            "warning" => "severity-warning",
            _ => "severity-note",
        }
    }
}

/// Attribute keys the keychain table gives their own columns.
const CLASS: &str = "kSecClass";
const ACCESS_GROUP: &str = "kSecAttrAccessGroup";
const NAMES: [(&str, &str); 4] = [
    ("kSecAttrService", "service"),
    ("kSecAttrAccount", "account"),
    ("kSecAttrServer", "server"),
    ("kSecAttrLabel", "label"),
];

/// One item in the keychain after the last step.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct KeychainRow(pub Map<String, Value>);

impl KeychainRow {
    /// `kSecClass`.
    pub fn class(&self) -> String {
        self.0.get(CLASS).map(shown).unwrap_or_default()
    }

    /// The class without its `kSecClass` prefix, e.g. `GenericPassword`.
    pub fn short_class(&self) -> String {
        let class = self.class();
        class.strip_prefix(CLASS).map(str::to_owned).unwrap_or(class)
    }

    /// `kSecAttrAccessGroup`.
    pub fn access_group(&self) -> String {
        self.0.get(ACCESS_GROUP).map(shown).unwrap_or_default()
    }

    /// What names the item: service, account, server and label, those it has.
    pub fn names(&self) -> Vec<(&'static str, String)> {
        NAMES.iter().filter_map(|(key, label)| self.0.get(*key).map(|v| (*label, shown(v)))).collect()
    }

    /// Every other attribute, in the report's order.
    pub fn others(&self) -> Vec<(&str, String)> {
        self.0
            .iter()
            .filter(|(key, _)| *key != CLASS && *key != ACCESS_GROUP && !NAMES.iter().any(|(k, _)| k == key))
            .map(|(key, value)| (key.as_str(), shown(value)))
            .collect()
    }
}

/// A value in one line: strings as they are, anything else as compact JSON.
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A value as indented JSON.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| e.to_string())
}

/// A validator's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictReport {
    pub kind: String,
    pub ok: bool,
    pub valid: bool,
    pub checks: Vec<CheckRow>,
    pub expect: Option<Expectation>,
    /// A token the document made (`apple-client-secret-request`), shown on its own.
    pub token: Option<String>,
    /// Every other field of the report (decoded header and claims, keys, certificates, …).
    pub details: Map<String, Value>,
}

/// One check of a verdict.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CheckRow {
    pub id: String,
    pub ok: bool,
    pub message: String,
    #[serde(default)]
    pub expected: Option<Value>,
    #[serde(default)]
    pub found: Option<Value>,
    #[serde(default)]
    pub cause: Option<Value>,
}

impl VerdictReport {
    fn read(report: &Value) -> Option<VerdictReport> {
        let mut fields = report.as_object()?.clone();
        let kind = fields.remove("kind")?.as_str()?.to_owned();
        let valid = fields.remove("valid")?.as_bool()?;
        let checks = Vec::<CheckRow>::deserialize(fields.remove("checks")?).ok()?;
        let ok = fields.remove("ok").and_then(|v| v.as_bool()).unwrap_or(true);
        let expect = fields.remove("expect").and_then(|v| Expectation::deserialize(v).ok());
        let token = match fields.remove("token") {
            Some(Value::String(token)) => Some(token),
            Some(other) => {
                fields.insert("token".into(), other);
                None
            }
            None => None,
        };
        fields.remove("keyplay");
        Some(VerdictReport { kind, ok, valid, checks, expect, token, details: fields })
    }
}
