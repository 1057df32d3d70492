//! Placeholder: the app_attest validator is being built (see its issue).

use crate::document::{DocError, Kind};
use crate::instant::Instant;
use crate::validator::Verdict;

/// Runs a document of one of this module's kinds.
pub fn run_document(kind: Kind, _body: serde_json::Value, _now: Instant) -> Result<Verdict, DocError> {
    Err(DocError::new("/kind", format!("documents of kind {} are not supported yet", kind.name())))
}
