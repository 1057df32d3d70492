//! What the page and its validator worker say to each other. The release page's own module is
//! built without the validators (the `validators` feature): it sends a validator document's
//! text and the time to run it at ([`Job`]) to a web worker built with them, which runs it with
//! [`crate::run::run_text`] and answers with the typed report ([`Answer`]); it also derives the
//! fixture sets of validator documents there ([`Task::Fixtures`]) and reads pasted evidence
//! (Swift and Objective-C code, entitlements, profiles, dumps: [`Task::Import`]). Both sides are this crate's
//! own types, written as JSON text; a message that does not read back is an error the page
//! shows, never a panic.

use serde::{Deserialize, Serialize};

/// Reads a string that must be one of `known` (a table of static strings) and gives the table's
/// own string, so that a deserialised `&'static str` field is never borrowed from the message;
/// another string is an error: `{unknown} {string}`.
pub fn one_of<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    known: impl IntoIterator<Item = &'static str>,
    unknown: &str,
) -> Result<&'static str, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    known.into_iter().find(|k| *k == text).ok_or_else(|| serde::de::Error::custom(format!("{unknown} {text}")))
}

/// Serde for a type that is written as its name: `serde_by_name!(Kind, name, from_name, "no
/// document kind is called")` writes `Kind::name(self)` and reads with `Kind::from_name`, a name
/// it does not know being an error that says so.
#[macro_export]
macro_rules! serde_by_name {
    ($ty:ty, $name:ident, $from_name:ident, $unknown:literal) => {
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.$name())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let name = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                <$ty>::$from_name(&name)
                    .ok_or_else(|| <D::Error as ::serde::de::Error>::custom(format!(concat!($unknown, " {}"), name)))
            }
        }
    };
}

use crate::document::DocError;
use crate::fixtures::Listing;
use crate::import::evidence::{Evidence, Source};
use crate::import::ImportError;
use crate::instant::Instant;
use crate::report::{Report, VerdictReport};

/// Work for the worker, and its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Which of the page's requests this is, echoed in the answer: the page keeps only the
    /// answer to its latest one.
    pub id: u64,
    pub task: Task,
}

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// Run a validator document, at `now` when it has no `now` of its own.
    Run { text: String, now: Instant },
    /// Derive a validator document's fixture set ([`crate::fixtures::derive`]).
    Fixtures { text: String },
    /// Read a piece of evidence ([`crate::import::evidence::import`], the same arguments).
    Import { source: Source, bytes: Vec<u8>, signed: Option<Vec<u8>>, fills: Vec<(String, String)>, now: Instant },
}

/// What the worker found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The [`Job::id`] this answers.
    pub id: u64,
    pub outcome: Outcome,
}

/// A task's result: a validator's report or a fixture set, or why the document could not be
/// understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    NotUnderstood(DocError),
    Verdict(VerdictReport),
    Fixtures(Listing),
    Imported(Result<Evidence, ImportError>),
}

impl Outcome {
    /// The report the page shows for a [`Task::Run`].
    pub fn into_report(self) -> Report {
        match self {
            Outcome::NotUnderstood(error) => Report::NotUnderstood(error),
            Outcome::Verdict(verdict) => Report::Verdict(verdict),
            Outcome::Fixtures(_) => Report::NotUnderstood(mismatch("a fixture set", "a report")),
            Outcome::Imported(_) => Report::NotUnderstood(mismatch("evidence", "a report")),
        }
    }

    /// What the evidence gave, for a [`Task::Import`].
    pub fn into_evidence(self) -> Result<Evidence, ImportError> {
        match self {
            Outcome::Imported(evidence) => evidence,
            Outcome::NotUnderstood(error) => Err(ImportError::new(error.message)),
            Outcome::Verdict(_) => Err(ImportError::new(mismatch("a report", "evidence").message)),
            Outcome::Fixtures(_) => Err(ImportError::new(mismatch("a fixture set", "evidence").message)),
        }
    }

    /// The fixture set the page lists for a [`Task::Fixtures`].
    pub fn into_fixtures(self) -> Result<Listing, DocError> {
        match self {
            Outcome::NotUnderstood(error) => Err(error),
            Outcome::Fixtures(listing) => Ok(listing),
            Outcome::Verdict(_) => Err(mismatch("a report", "a fixture set")),
            Outcome::Imported(_) => Err(mismatch("evidence", "a fixture set")),
        }
    }
}

fn mismatch(got: &str, wanted: &str) -> DocError {
    DocError::new("", format!("the validator worker sent {got} where {wanted} was asked for"))
}

impl Job {
    /// Does the job (in the worker): a document through the one dispatcher, or its fixtures.
    pub fn answer(&self) -> Answer {
        let outcome = match &self.task {
            Task::Run { text, now } => match crate::run::run_text(text, *now) {
                Report::NotUnderstood(error) => Outcome::NotUnderstood(error),
                Report::Verdict(verdict) => Outcome::Verdict(verdict),
                other => Outcome::NotUnderstood(DocError::new(
                    "/kind",
                    format!(
                        "the worker checks validator documents; this is a {} document",
                        other.kind().map_or("different", |k| k.name())
                    ),
                )),
            },
            Task::Fixtures { text } => match crate::fixtures::derive(text) {
                Ok(set) => Outcome::Fixtures(set.listing()),
                Err(error) => Outcome::NotUnderstood(error),
            },
            Task::Import { source, bytes, signed, fills, now } => {
                Outcome::Imported(crate::import::evidence::import(*source, bytes, signed.as_deref(), fills, *now))
            }
        };
        Answer { id: self.id, outcome }
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
