//! What the page and its validator worker say to each other. The release page's own module is
//! built without the validators (the `validators` feature): it sends a validator document's
//! text and the time to run it at ([`Job`]) to a web worker built with them, which runs it with
//! [`crate::run::run_text`] and answers with the typed report ([`Answer`]). Both sides are this
//! crate's own types, written as JSON text; a message that does not read back is an error the
//! page shows, never a panic.

use serde::{Deserialize, Serialize};

use crate::document::DocError;
use crate::instant::Instant;
use crate::report::{Report, VerdictReport};

/// A validator document to check, and the time to check it at when it has no `now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Which of the page's runs this is, echoed in the answer: the page keeps only the answer
    /// to its latest job.
    pub id: u64,
    pub text: String,
    pub now: Instant,
}

/// What the worker found: a validator's report, or why the document could not be understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The [`Job::id`] this answers.
    pub id: u64,
    pub report: Outcome,
}

/// The reports a validator document can give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    NotUnderstood(DocError),
    Verdict(VerdictReport),
}

impl Outcome {
    /// The report the page shows.
    pub fn into_report(self) -> Report {
        match self {
            Outcome::NotUnderstood(error) => Report::NotUnderstood(error),
            Outcome::Verdict(verdict) => Report::Verdict(verdict),
        }
    }
}

impl Job {
    /// Runs the job (in the worker): the document through the one dispatcher.
    pub fn answer(&self) -> Answer {
        let report = match crate::run::run_text(&self.text, self.now) {
            Report::NotUnderstood(error) => Outcome::NotUnderstood(error),
            Report::Verdict(verdict) => Outcome::Verdict(verdict),
            other => Outcome::NotUnderstood(DocError::new(
                "/kind",
                format!(
                    "the worker checks validator documents; this is a {} document",
                    other.kind().map_or("different", |k| k.name())
                ),
            )),
        };
        Answer { id: self.id, report }
    }
}

/// What the worker posts once it listens: a message posted to it before then would be lost
/// (its module loads after its script starts), so the page holds its job until this comes.
pub const READY: &str = "ready";

/// A message as the other side reads it.
pub fn encode<T: Serialize>(message: &T) -> Result<String, WireError> {
    serde_json::to_string(message).map_err(|e| WireError(e.to_string()))
}

/// A message read back; an error says where it went wrong.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, WireError> {
    serde_json::from_str(text).map_err(|e| WireError(e.to_string()))
}

/// A message between the page and its worker that could not be written or read (a worker of
/// another version, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the validator worker's message could not be read: {0}")]
pub struct WireError(pub String);
