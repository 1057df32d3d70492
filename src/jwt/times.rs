//! NumericDate claims (`iat`, `exp`, `nbf`, `auth_time`): reading them, showing them as
//! RFC 3339 and relative to `now`, and the `iat` / `exp` checks with leeway.

use super::JwtCheck as Id;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::{json, Map, Value};

/// Apple's maximum client-secret lifetime, and how far ahead of Apple's clock `exp` may lie.
pub const APPLE_MAX_LIFETIME: i64 = 15_777_000;

/// Above this, a NumericDate is almost certainly in milliseconds (year 5138 in seconds).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// A time claim as found in the token.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeClaim {
    Missing,
    /// Seconds since the epoch (fractions dropped).
    At(Instant),
    /// Present but not a JSON number.
    NotNumber(String),
}

/// Reads `name` from the claims.
pub fn read(claims: &Map<String, Value>, name: &str) -> TimeClaim {
    match claims.get(name) {
        None => TimeClaim::Missing,
        Some(Value::Number(n)) => match n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)) {
            Some(secs) => TimeClaim::At(Instant(secs)),
            None => TimeClaim::NotNumber(n.to_string()),
        },
        Some(other) => TimeClaim::NotNumber(other.to_string()),
    }
}

/// The `times` detail: each time claim as seconds, RFC 3339 and relative to `now`, plus `exp − iat`.
pub fn detail(claims: &Map<String, Value>, now: Instant) -> Value {
    let mut out = Map::new();
    for name in ["iat", "nbf", "exp", "auth_time"] {
        if let TimeClaim::At(t) = read(claims, name) {
            out.insert(name.into(), json!({ "unix": t.0, "utc": t.to_rfc3339(), "relative": t.relative_to(now) }));
        }
    }
    if let (TimeClaim::At(iat), TimeClaim::At(exp)) = (read(claims, "iat"), read(claims, "exp")) {
        out.insert("lifetime-seconds".into(), json!(exp.0.saturating_sub(iat.0)));
    }
    out.insert("now".into(), json!(now.to_rfc3339()));
    Value::Object(out)
}

fn not_number(id: Id, name: &str, found: &str) -> Check {
    Check::fail(id, format!("{name} is not a NumericDate"))
        .expected_found("a JSON number of seconds since 1970", found)
        .cause("the claim was written as a string or date text; JWT times are plain numbers of seconds")
}

fn millis_check(id: Id, name: &str, t: Instant) -> Option<Check> {
    (t.0 > MILLIS_THRESHOLD).then(|| {
        Check::fail(id, format!("{name} is {} — that is milliseconds, not seconds", t.0))
            .expected_found("seconds since 1970 (10 digits today)", t.0.to_string())
            .cause("the code used Date.now() or currentTimeMillis(); divide by 1000")
    })
}

/// `iat`: present (when `required`), a number, and not later than `now + leeway`. `nbf`, when
/// present, must also have been reached (folded in here: both say "not yet valid").
pub fn iat_check(claims: &Map<String, Value>, now: Instant, leeway: i64, required: bool) -> Option<Check> {
    let iat = read(claims, "iat");
    let nbf = read(claims, "nbf");
    let latest = Instant(now.0.saturating_add(leeway));
    let check = match iat {
        TimeClaim::Missing if required => Check::fail(Id::Iat, "the iat claim is missing")
            .expected_found("iat: the time the token was made", "no iat")
            .cause("the token was built without an issued-at time"),
        TimeClaim::Missing => return nbf_check(nbf, now, latest),
        TimeClaim::NotNumber(found) => not_number(Id::Iat, "iat", &found),
        TimeClaim::At(t) => {
            if let Some(c) = millis_check(Id::Iat, "iat", t) {
                return Some(c);
            }
            if t > latest {
                Check::fail(Id::Iat, format!("issued in the future: iat is {} ({})", t.to_rfc3339(), t.relative_to(now)))
                    .expected_found(format!("at or before {} (now + {leeway} s leeway)", latest.to_rfc3339()), t.to_rfc3339())
                    .cause("the signing machine's clock runs ahead, or iat was set to a future time; Apple rejects secrets from the future")
            } else {
                match nbf_check(nbf, now, latest) {
                    Some(nbf) if !nbf.ok => nbf,
                    _ => Check::pass(Id::Iat, format!("issued {} ({})", t.relative_to(now), t.to_rfc3339())),
                }
            }
        }
    };
    Some(check)
}

fn nbf_check(nbf: TimeClaim, now: Instant, latest: Instant) -> Option<Check> {
    match nbf {
        TimeClaim::Missing => None,
        TimeClaim::NotNumber(found) => Some(not_number(Id::Iat, "nbf", &found)),
        TimeClaim::At(t) if t > latest => Some(
            Check::fail(Id::Iat, format!("not valid yet: nbf is {} ({})", t.to_rfc3339(), t.relative_to(now)))
                .expected_found(format!("nbf at or before {}", latest.to_rfc3339()), t.to_rfc3339())
                .cause("the token is used before its not-before time, or a clock is wrong"),
        ),
        TimeClaim::At(t) => Some(Check::pass(Id::Iat, format!("usable since {} (nbf)", t.relative_to(now)))),
    }
}

/// `exp`: present (when `required`), a number, and later than `now − leeway`. With
/// `max_ahead`, also at most that many seconds after `now` (Apple's client-secret rule).
pub fn exp_check(
    claims: &Map<String, Value>,
    now: Instant,
    leeway: i64,
    required: bool,
    max_ahead: Option<i64>,
) -> Option<Check> {
    let check = match read(claims, "exp") {
        TimeClaim::Missing if !required => return None,
        TimeClaim::Missing => Check::fail(Id::Exp, "the exp claim is missing")
            .expected_found("exp: when the token stops being valid", "no exp")
            .cause("the token was built without an expiry"),
        TimeClaim::NotNumber(found) => not_number(Id::Exp, "exp", &found),
        TimeClaim::At(t) => {
            if let Some(c) = millis_check(Id::Exp, "exp", t) {
                return Some(c);
            }
            let earliest = Instant(now.0.saturating_sub(leeway));
            let ahead = t.0.saturating_sub(now.0);
            if t <= earliest {
                Check::fail(Id::Exp, format!("expired {} ({})", t.relative_to(now), t.to_rfc3339()))
                    .expected_found(format!("after {} (now − {leeway} s leeway)", earliest.to_rfc3339()), t.to_rfc3339())
                    .cause("the token is too old: make a new one (client secrets must be renewed before they expire; identity tokens are checked once, right after sign-in)")
            } else if let Some(max) = max_ahead.filter(|max| ahead > *max) {
                Check::fail(Id::Exp, format!("exp is {ahead} s ahead of now; Apple accepts at most {max} s"))
                    .expected_found(
                        format!("exp at or before {}", Instant(now.0.saturating_add(max)).to_rfc3339()),
                        t.to_rfc3339(),
                    )
                    .cause("the client secret was given a lifetime beyond Apple's 6-month (15777000 s) maximum")
            } else {
                Check::pass(Id::Exp, format!("expires {} ({})", t.relative_to(now), t.to_rfc3339()))
            }
        }
    };
    Some(check)
}
