//! Instants in time as the engine sees them: whole seconds since the Unix epoch, always
//! passed in (from a document's `now` or from the shell's clock), never read here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A point in time, in seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

impl Instant {
    /// Parses an RFC 3339 timestamp such as `2026-11-28T12:00:00Z`.
    pub fn parse_rfc3339(text: &str) -> Result<Instant, String> {
        OffsetDateTime::parse(text, &Rfc3339)
            .map(|t| Instant(t.unix_timestamp()))
            .map_err(|e| format!("not an RFC 3339 time ({e}); write it like 2026-11-28T12:00:00Z"))
    }

    /// Seconds since the epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// RFC 3339 in UTC; out-of-range values are printed as raw seconds.
    pub fn to_rfc3339(self) -> String {
        OffsetDateTime::from_unix_timestamp(self.0)
            .ok()
            .and_then(|t| t.format(&Rfc3339).ok())
            .unwrap_or_else(|| format!("@{}", self.0))
    }

    /// A short human phrase for `self` relative to `now`, e.g. `in 3 days` or `2 hours ago`.
    pub fn relative_to(self, now: Instant) -> String {
        let delta = self.0.saturating_sub(now.0);
        let magnitude = delta.unsigned_abs();
        let (n, unit) = match magnitude {
            0 => return "now".to_string(),
            1..=119 => (magnitude, "second"),
            120..=7199 => (magnitude / 60, "minute"),
            7200..=172_799 => (magnitude / 3600, "hour"),
            _ => (magnitude / 86_400, "day"),
        };
        let plural = if n == 1 { "" } else { "s" };
        if delta > 0 {
            format!("in {n} {unit}{plural}")
        } else {
            format!("{n} {unit}{plural} ago")
        }
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

/// Reads what [`Instant`]'s `Serialize` writes: RFC 3339, or `@` and raw seconds.
impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Instant, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        match text.strip_prefix('@') {
            Some(seconds) => seconds.parse().map(Instant).map_err(serde::de::Error::custom),
            None => Instant::parse_rfc3339(&text).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_rfc3339() {
        let t = Instant::parse_rfc3339("2026-11-28T12:00:00Z").unwrap_or(Instant(0));
        assert_eq!(t.unix(), 1_795_867_200);
        assert_eq!(t.to_rfc3339(), "2026-11-28T12:00:00Z");
        assert!(Instant::parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn relative_phrases() {
        let now = Instant(1_000_000);
        assert_eq!(Instant(1_000_000 + 3 * 86_400).relative_to(now), "in 3 days");
        assert_eq!(Instant(1_000_000 - 7200).relative_to(now), "2 hours ago");
        assert_eq!(Instant(1_000_000 - 1).relative_to(now), "1 second ago");
    }
}
