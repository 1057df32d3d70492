//! How serious a finding is: the one scale the keychain's pitfalls and the WebAuthn option
//! lints share.

use serde::Serialize;

/// How serious a finding is; `"error"`, `"warning"` or `"info"` in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// It fails: the call returns an error, loses data, or the browser rejects it.
    Error,
    /// It works today but is fragile, weak, or does more than was meant.
    Warning,
    /// Worth knowing to read the result right; nothing breaks.
    Info,
}
