//! A token laid out for people: its three parts as written (header, payload, signature) with
//! their decoded sizes, and its time claims as dates (issued, not before, expires, signed in),
//! each relative to `now`, with the lifetime `exp − iat`. The page draws this; nothing here
//! judges the token (the checks do).

use super::times::{read, TimeClaim};
use super::token::decode;
use crate::instant::Instant;

/// One time claim as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRow {
    pub claim: &'static str,
    pub meaning: &'static str,
    pub utc: String,
    pub relative: String,
}

/// A token's parts and times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anatomy {
    /// The three base64url parts, as written.
    pub parts: [String; 3],
    /// Decoded sizes in bytes: header JSON, payload, signature.
    pub sizes: [usize; 3],
    pub times: Vec<TimeRow>,
    /// `exp − iat` in seconds, when both are numbers.
    pub lifetime: Option<i64>,
}

const TIME_CLAIMS: [(&str, &str); 4] =
    [("iat", "issued"), ("nbf", "not valid before"), ("exp", "expires"), ("auth_time", "the user signed in")];

/// The token's anatomy, or `None` when it is not a compact JWS with a JSON header.
pub fn anatomy(token: &str, now: Instant) -> Option<Anatomy> {
    let decoded = decode(token).ok()?;
    let trimmed = token.trim();
    let mut split = trimmed.split('.').map(str::to_owned);
    let parts = [split.next()?, split.next()?, split.next()?];
    let header_len = decoded.signing_input.split('.').next().map_or(0, |h| h.len() * 3 / 4);
    let sizes = [header_len, decoded.payload.len(), decoded.signature.len()];
    let claims = decoded.claims.ok();
    let times = claims
        .as_ref()
        .map(|c| {
            TIME_CLAIMS
                .iter()
                .filter_map(|(claim, meaning)| match read(c, claim) {
                    TimeClaim::At(t) => {
                        Some(TimeRow { claim, meaning, utc: t.to_rfc3339(), relative: t.relative_to(now) })
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let lifetime = claims.as_ref().and_then(|c| match (read(c, "iat"), read(c, "exp")) {
        (TimeClaim::At(iat), TimeClaim::At(exp)) => Some(exp.0.saturating_sub(iat.0)),
        _ => None,
    });
    Some(Anatomy { parts, sizes, times, lifetime })
}

/// The anatomy of a document's `token`, judged at the document's `now` when it gives one (as
/// the checks are), else at `clock`; with the instant used.
pub fn of_document(doc: &serde_json::Value, clock: Instant) -> Option<(Anatomy, Instant)> {
    let now = doc.get("now").and_then(serde_json::Value::as_str).and_then(|t| Instant::parse_rfc3339(t).ok());
    let now = now.unwrap_or(clock);
    let token = doc.get("token").and_then(serde_json::Value::as_str)?;
    anatomy(token, now).map(|a| (a, now))
}

/// A duration in words: `1 d 2 h`, `24 h 10 min`, `45 s`.
pub fn duration_words(seconds: i64) -> String {
    let sign = if seconds < 0 { "−" } else { "" };
    let s = seconds.unsigned_abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    let text = match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_token() -> String {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../examples/jwt/client-secret-valid.json")).unwrap_or_default();
        doc["token"].as_str().unwrap_or_default().to_owned()
    }

    #[test]
    fn parts_sizes_and_times_of_a_client_secret() {
        let token = example_token();
        let a = anatomy(&token, Instant(1_795_867_200)).expect("a JWS");
        assert_eq!(a.parts.join("."), token);
        assert!(a.parts[0].starts_with("eyJ") && a.parts[1].starts_with("eyJ"));
        assert_eq!(a.sizes[2], 64, "an ES256 signature is r || s, 64 bytes");
        let claims: Vec<&str> = a.times.iter().map(|t| t.claim).collect();
        assert_eq!(claims, ["iat", "exp"]);
        assert_eq!(a.times[0].utc, "2026-11-28T11:50:00Z");
        assert_eq!(a.times[0].relative, "10 minutes ago");
        assert_eq!(a.lifetime, Some(87_000));
    }

    #[test]
    fn a_document_is_judged_at_its_own_now() {
        let doc = serde_json::json!({"token": example_token(), "now": "2026-11-28T12:00:00Z"});
        let (a, now) = of_document(&doc, Instant(0)).expect("a token");
        assert_eq!(now.to_rfc3339(), "2026-11-28T12:00:00Z");
        assert_eq!(a.times[0].relative, "10 minutes ago");
        let (_, now) = of_document(&serde_json::json!({"token": example_token()}), Instant(7)).expect("a token");
        assert_eq!(now, Instant(7));
        assert!(of_document(&serde_json::json!({"now": "2026-11-28T12:00:00Z"}), Instant(0)).is_none());
    }

    #[test]
    fn not_a_token_has_no_anatomy_and_durations_read_as_words() {
        assert_eq!(anatomy("not a token", Instant(0)), None);
        assert_eq!(anatomy("a.b", Instant(0)), None);
        assert_eq!(duration_words(0), "0 s");
        assert_eq!(duration_words(-45), "−45 s");
        assert_eq!(duration_words(45), "45 s");
        assert_eq!(duration_words(600), "10 min");
        assert_eq!(duration_words(87_000), "1 d");
        assert_eq!(duration_words(90_000), "1 d 1 h");
        assert_eq!(duration_words(3_660), "1 h 1 min");
        assert_eq!(duration_words(-7_200), "−2 h");
    }
}
