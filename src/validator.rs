//! What every validator (JWT, App Attest, WebAuthn) hands back: a list of named checks,
//! each saying what was expected, what was found and the likely cause when it fails.

use serde::{Deserialize, Serialize};

/// One verification step's outcome. `id` is stable (fixed by the document spec or the
/// project's docs) so that documents can `expect` it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: String,
    pub ok: bool,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Check {
    /// A passing check.
    pub fn pass(id: &str, message: impl Into<String>) -> Check {
        Check { id: id.to_string(), ok: true, message: message.into(), expected: None, found: None, cause: None }
    }

    /// A failing check.
    pub fn fail(id: &str, message: impl Into<String>) -> Check {
        Check { id: id.to_string(), ok: false, message: message.into(), expected: None, found: None, cause: None }
    }

    /// Adds what was expected and what was found.
    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Check {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Adds the most likely cause of a failure.
    pub fn cause(mut self, cause: impl Into<String>) -> Check {
        self.cause = Some(cause.into());
        self
    }
}

/// A validator's answer: the checks in the order they ran, and kind-specific details
/// (decoded header and claims, the public key, certificates, a signed token, …) that the
/// report shows beside them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    pub checks: Vec<Check>,
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Verdict {
    /// True when every check passed (and there was at least one, or none was needed).
    pub fn valid(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The ids of the failing checks, in order.
    pub fn failed_ids(&self) -> Vec<&str> {
        self.checks.iter().filter(|c| !c.ok).map(|c| c.id.as_str()).collect()
    }

    /// Records a detail for the report.
    pub fn detail(&mut self, key: &str, value: serde_json::Value) {
        self.details.insert(key.to_string(), value);
    }
}

/// `"expect": {"valid": false, "failed": ["aud"]}` on a validator document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub valid: Option<bool>,
    pub failed: Option<Vec<String>>,
}

impl Expectation {
    /// Whether `verdict` meets this expectation: the verdict matches `valid`, and the set of
    /// failing check ids equals `failed` when given.
    pub fn met_by(&self, verdict: &Verdict) -> bool {
        let valid_ok = self.valid.is_none_or(|v| v == verdict.valid());
        let failed_ok = self.failed.as_ref().is_none_or(|want| {
            let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
            let mut got = verdict.failed_ids();
            want.sort_unstable();
            want.dedup();
            got.sort_unstable();
            got.dedup();
            want == got
        });
        valid_ok && failed_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectation_compares_verdict_and_failing_ids() {
        let verdict = Verdict {
            checks: vec![Check::pass("format", "ok"), Check::fail("aud", "wrong"), Check::fail("exp", "old")],
            details: Default::default(),
        };
        assert!(!verdict.valid());
        let exact = Expectation { valid: Some(false), failed: Some(vec!["exp".into(), "aud".into()]) };
        assert!(exact.met_by(&verdict));
        let partial = Expectation { valid: Some(false), failed: Some(vec!["aud".into()]) };
        assert!(!partial.met_by(&verdict));
        let wrong_verdict = Expectation { valid: Some(true), failed: None };
        assert!(!wrong_verdict.met_by(&verdict));
    }
}
