//! Evidence in: turn what a developer already has into parts of a Keyplay document.
//!
//! - [`entitlements()`]: `codesign -d --entitlements - APP` output (XML plist or the `[Dict]` text
//!   form) or an `.entitlements` file → the keychain document's `app` block;
//! - [`profile()`]: an `embedded.mobileprovision` / `.provisionprofile` (CMS SignedData around a
//!   plist) → its team, expiry, devices and entitlements, and [`profile::compare`] against signed
//!   entitlements;
//! - [`dump()`]: the post's `dumpGenericPasswords()` printout (Swift or NSDictionary description)
//!   or `security dump-keychain` output → the document's starting `keychain` array;
//! - [`evidence::import`] / [`merge()`]: any of these (or Swift code) by [`Source`], and the
//!   fragment folded into a document: the one path the CLI and the page share.
//!
//! Pure engine code: bytes or text in, typed results out; no I/O, no clock (`now` is a
//! parameter). See `docs/import.md` for the formats and limits.

pub mod dump;
pub mod entitlements;
pub mod evidence;
mod plist_value;
pub mod profile;
mod text_plist;

pub use dump::{dump, Dump};
pub use entitlements::{entitlements, entitlements_bytes, Entitlements};
pub use evidence::{merge, Source};
pub use profile::{profile, Profile};

use serde::{Deserialize, Serialize};

/// The largest input any importer reads (bytes).
pub const MAX_INPUT_BYTES: usize = 512 * 1024;

/// Input an importer cannot read at all: what it expected, and where it gave up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ImportError {
    /// 1-based line of the input, when the problem has one.
    pub line: Option<usize>,
    pub message: String,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> ImportError {
        ImportError { line: None, message: message.into() }
    }

    pub fn at(line: usize, message: impl Into<String>) -> ImportError {
        ImportError { line: Some(line), message: message.into() }
    }
}

/// Refuses input over [`MAX_INPUT_BYTES`].
fn check_size(len: usize, what: &str) -> Result<(), ImportError> {
    if len > MAX_INPUT_BYTES {
        return Err(ImportError::new(format!(
            "the {what} is {len} bytes; Keyplay reads at most {MAX_INPUT_BYTES} bytes"
        )));
    }
    Ok(())
}
