//! Runs one keychain document on all three platforms and marks the steps whose answers
//! differ (status, result count, or result).

use super::document::{KeychainDoc, Platform};
use crate::document::DocError;
use crate::instant::Instant;
use serde::Serialize;

/// One platform's answer to a step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub platform: &'static str,
    pub status: Option<&'static str>,
    pub code: Option<i32>,
    pub count: Option<usize>,
    pub result: Option<serde_json::Value>,
}

/// A step across platforms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedStep {
    pub index: usize,
    pub call: &'static str,
    pub answers: Vec<Answer>,
    /// The status or the number of results differs.
    pub differs: bool,
    /// The results themselves differ (attribute sets differ between keychains, so this is
    /// shown but not marked).
    pub results_differ: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub steps: Vec<ComparedStep>,
    /// Indexes of the steps whose answers differ.
    pub differing: Vec<usize>,
}

/// Runs `doc` as `ios`, `macos` and `macos-file`.
pub fn compare(doc: &KeychainDoc, now: Instant) -> Result<Comparison, DocError> {
    let mut runs = Vec::new();
    for platform in Platform::ALL {
        let variant = KeychainDoc { platform, ..doc.clone() };
        runs.push((platform, super::run::run(&variant, now)?));
    }
    let mut steps = Vec::new();
    for (index, step) in doc.steps.iter().enumerate() {
        let answers: Vec<Answer> = runs
            .iter()
            .map(|(platform, report)| {
                let s = report.steps.get(index);
                Answer {
                    platform: platform.name(),
                    status: s.and_then(|s| s.status).map(|st| st.name()),
                    code: s.and_then(|s| s.code),
                    count: s.and_then(|s| s.count),
                    result: s.and_then(|s| s.result.clone()),
                }
            })
            .collect();
        let first = answers.first().map(|a| (a.status, a.count));
        let differs = answers.iter().any(|a| Some((a.status, a.count)) != first);
        let first_result = answers.first().map(|a| a.result.clone());
        let results_differ = answers.iter().any(|a| Some(a.result.clone()) != first_result);
        steps.push(ComparedStep { index, call: step.action.name(), answers, differs, results_differ });
    }
    let differing = steps.iter().filter(|s| s.differs).map(|s| s.index).collect();
    Ok(Comparison { steps, differing })
}
