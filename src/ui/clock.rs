//! The shell's clock: the only place the web app reads the time.

use crate::Instant;

/// The browser's current time, in whole seconds since the epoch.
pub(crate) fn now() -> Instant {
    // Date.now() is milliseconds as an f64; `as` saturates, so a broken clock gives a far date, not UB.
    Instant((js_sys::Date::now() / 1000.0).floor() as i64)
}
