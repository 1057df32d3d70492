//! The SecItem semantics engine: a simulated keychain (items, classes, attributes,
//! access groups, data protection, identities) with the iOS, macOS data protection and
//! macOS file-based behaviours, and the pitfalls each call can hit.

pub mod catalog;
pub mod choices;
pub mod compare;
pub mod constants;
pub mod diff;
pub mod document;
pub mod edit;
pub mod engine;
pub mod incremental;
pub mod objects;
pub mod pairing;
pub mod pitfalls;
pub mod pref;
pub mod protection;
pub mod row;
pub mod run;
pub mod schema;
pub mod store;
pub mod table;
pub mod timeline;
pub mod value;

pub use document::{KeychainDoc, Platform};
pub use engine::Keychain;
pub use run::{KeychainReport, StepReport};

use crate::document::{DocError, Kind};
use crate::instant::Instant;

/// Runs a parsed keychain document.
pub fn run(doc: &KeychainDoc, now: Instant) -> Result<KeychainReport, DocError> {
    run::run(doc, now)
}

/// Reads a whole keychain document (envelope and all); `clock` is the `now` of a document
/// without one. Gives the document and the time it runs at.
pub fn parse_document(value: serde_json::Value, clock: Instant) -> Result<(KeychainDoc, Instant), DocError> {
    let split = crate::document::split(value, clock)?;
    if split.envelope.kind != Kind::Keychain {
        return Err(DocError::new("/kind", "this is not a keychain document"));
    }
    if split.expect.is_some() {
        return Err(DocError::new("/expect", "a keychain document carries expect on each step, not at the top"));
    }
    Ok((document::parse(split.body)?, split.envelope.now))
}

/// The keychain's items before and after step `step` (the starting keychain is "before" step
/// 0), from one run of the steps up to it.
pub fn keychain_around(
    doc: &serde_json::Value,
    step: usize,
    clock: Instant,
) -> Result<(Vec<row::Row>, Vec<row::Row>), DocError> {
    let (doc, now) = parse_document(doc.clone(), clock)?;
    run::keychain_around(&doc, step, now)
}

/// The keychain as step `step` of a whole document left it (every step when `step` is past
/// the last one).
pub fn keychain_after(doc: &serde_json::Value, step: usize, clock: Instant) -> Result<Vec<row::Row>, DocError> {
    let (doc, now) = parse_document(doc.clone(), clock)?;
    run::keychain_after(&doc, step, now)
}
