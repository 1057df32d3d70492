//! The SecItem semantics engine: a simulated keychain (items, classes, attributes,
//! access groups, data protection, identities) with the iOS, macOS data protection and
//! macOS file-based behaviours, and the pitfalls each call can hit.

pub mod choices;
pub mod compare;
pub mod constants;
pub mod document;
pub mod engine;
pub mod objects;
pub mod pitfalls;
pub mod protection;
pub mod run;
pub mod schema;
pub mod store;
pub mod value;

pub use document::{KeychainDoc, Platform};
pub use engine::Keychain;
pub use run::{KeychainReport, StepReport};

use crate::document::DocError;
use crate::instant::Instant;

/// Runs a parsed keychain document.
pub fn run(doc: &KeychainDoc, now: Instant) -> Result<KeychainReport, DocError> {
    run::run(doc, now)
}
