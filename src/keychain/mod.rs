//! The simulated keychain (stub while the engine lands).
pub mod document;

use crate::instant::Instant;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct KeychainReport {
    pub ok: bool,
}

pub fn run(_doc: &document::KeychainDoc, _now: Instant) -> KeychainReport {
    KeychainReport { ok: true }
}
