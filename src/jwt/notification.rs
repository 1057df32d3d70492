//! Profile `apple-server-notification`: the RS256 JWT Apple POSTs to the server-to-server
//! notification endpoint of a Sign in with Apple app group (`{"payload": "<JWT>"}`), checked
//! against Apple's key set like an identity token, plus the `events` claim: a JSON **string**
//! holding `{type, sub, event_time, email?, is_private_email?}`.
//!
//! Sources (cited next to each rule in `docs/siwa-server.md`):
//! - Apple, "Processing changes for Sign in with Apple accounts" (signinwithapple documentation)
//! - Apple Account Help, "Enabling server-to-server notifications"
//! - DTS answers in Apple Developer Forums threads 807645 and 809509
//! - the real notification in `tests/vectors/siwa-notification-lunaone-2025-07-15.json`

use super::checks::{self, KidRule, Session};
use super::document::Expected;
use super::identity_token::APPLE_ISSUER;
use super::keys::{KeySet, Origin};
use super::signature_check;
use super::times;
use super::token::json_type;
use super::JwtCheck;
use crate::document::suggestion;
use crate::instant::Instant;
use crate::validator::Check;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The event types Apple documents, in the order of its documentation.
pub const EVENT_TYPES: [&str; 4] = ["email-disabled", "email-enabled", "consent-revoked", "account-delete"];

/// Above this, `event_time` is in milliseconds (as Apple sends it); below, it was written in seconds.
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// What one event means and what the server should do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventExplainer {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub meaning: &'static str,
    pub server_should: &'static [&'static str],
    pub evidence: &'static str,
    pub sources: &'static [&'static str],
}

const PROCESSING_CHANGES: &str =
    "https://developer.apple.com/documentation/signinwithapple/processing-changes-for-sign-in-with-apple-accounts";

static EVENTS: [EventExplainer; 4] = [
    EventExplainer {
        kind: "email-disabled",
        meaning: "The user turned off forwarding for the private relay address your team got (Hide My Email): mail \
                  sent to the @privaterelay.appleid.com address no longer reaches them. Sent only for relay addresses.",
        server_should: &[
            "Mark the stored relay address as not delivering; keep it (it still identifies nothing, sub does).",
            "Stop sending mail that matters (receipts, password resets) to it and show the change in the user's profile.",
            "Offer another contact channel, or ask the user to turn forwarding back on.",
        ],
        evidence: "documented",
        sources: &[PROCESSING_CHANGES, "https://developer.apple.com/help/account/capabilities/enabling-server-to-server-notifications"],
    },
    EventExplainer {
        kind: "email-enabled",
        meaning: "The user turned forwarding for the private relay address back on; mail to it reaches them again.",
        server_should: &["Mark the relay address as delivering again and update what the profile shows."],
        evidence: "documented",
        sources: &[PROCESSING_CHANGES],
    },
    EventExplainer {
        kind: "consent-revoked",
        meaning: "The user stopped using Sign in with Apple with your app group (Settings › Sign in with Apple › Stop \
                  Using, or account.apple.com). Apple invalidates the tokens it issued; the credential state becomes \
                  revoked and the next sign-in is a first authorization again (name and email are shared anew).",
        server_should: &[
            "Treat it as a sign-out: end the user's sessions and drop the stored refresh and access tokens (they no longer work).",
            "Keep or unlink the account according to your policy; the user may sign in again later with the same sub.",
            "Expect duplicates: Apple delivers each event once, but repeated account activity can send it again; handle it idempotently.",
        ],
        evidence: "documented",
        sources: &[PROCESSING_CHANGES, "Apple Developer Forums, DTS answers in threads 807645 and 809509"],
    },
    EventExplainer {
        kind: "account-delete",
        meaning: "The user permanently deleted their Apple Account. The sub will never sign in again.",
        server_should: &[
            "Delete or anonymise the data tied to this sub as your account-deletion policy requires.",
            "Close the account if Sign in with Apple was its only way in; otherwise unlink Apple from it.",
        ],
        evidence: "documented",
        sources: &[PROCESSING_CHANGES, "https://developer.apple.com/help/account/capabilities/enabling-server-to-server-notifications"],
    },
];

/// What the server should do on each documented event, for a UI index.
pub fn explainers() -> &'static [EventExplainer] {
    &EVENTS
}

/// The explainer of one event type.
pub fn explainer(kind: &str) -> Option<&'static EventExplainer> {
    EVENTS.iter().find(|e| e.kind == kind)
}

/// How a notification reaches the server, whatever the event (the `delivery` detail).
fn delivery() -> Value {
    json!({
        "how": "Apple POSTs JSON {\"payload\": \"<JWT>\"} to the one endpoint URL registered on the primary App ID of the app group (TLS 1.2 or later)",
        "aud": "the client id of the app or Services ID the event is about: one URL may serve several apps and teams, so route on aud",
        "answer": "reply 200 quickly once the signature and claims are verified; do the work asynchronously",
        "sources": [PROCESSING_CHANGES, "https://developer.apple.com/help/account/capabilities/enabling-server-to-server-notifications",
                    "Apple Developer Forums, DTS answer in thread 809509"],
    })
}

/// Verifies a notification, pushing `format`, `alg`, `kid`, `signature`, `iss`, `aud`, `exp`,
/// `iat`, `events` and (when events parsed) `event-type`.
pub fn verify(s: &mut Session, token: &str, keys: &KeySet, expected: &Expected, now: Instant, leeway: i64) {
    // 1. Three base64url parts; header and claims are JSON objects.
    let Some(decoded) = checks::format(s, token, true) else {
        return;
    };
    let Ok(claims) = decoded.claims.as_ref() else { return };
    s.detail("times", times::detail(claims, now));

    // 2. Header: alg RS256 (Apple signs notifications like identity tokens), kid in Apple's JWKS.
    s.push(checks::alg(&decoded.header, Some("RS256"), "Apple signs server-to-server notifications with RS256"));
    let unknown = if keys.origin == Origin::BuiltInAppleJwks {
        "Apple rotates its keys: the notification is newer than Keyplay's 2025-07-13 snapshot (fetch \
         https://appleid.apple.com/auth/keys and pass it as keys), or its key is retired"
    } else {
        "the key rotated or the JWKS is stale: refetch https://appleid.apple.com/auth/keys when a kid is unknown"
    };
    s.push_opt(checks::kid(
        &decoded.header,
        Some(keys),
        &KidRule { required: true, expected: None, unknown_cause: unknown },
    ));

    // 3. RS256 signature over header.payload with the key the kid names.
    let sig = signature_check::signature(s, &decoded, Some(keys));
    s.push_opt(sig);

    // 4. iss is https://appleid.apple.com.
    s.push(match checks::string_claim(claims, JwtCheck::Iss, APPLE_ISSUER) {
        Ok(iss) if iss == APPLE_ISSUER => Check::pass(JwtCheck::Iss, format!("iss is {APPLE_ISSUER}")),
        Ok(iss) => Check::fail(JwtCheck::Iss, format!("iss is {iss}"))
            .expected_found(APPLE_ISSUER, iss)
            .cause("this notification was not issued by Sign in with Apple; never act on it"),
        Err(c) => *c,
    });

    // 5. aud is the client id the endpoint serves.
    s.push(aud_check(claims, expected));

    // 6.–7. exp not passed, iat not in the future.
    s.push_opt(times::exp_check(claims, now, leeway, true, None));
    s.push_opt(times::iat_check(claims, now, leeway, true));

    // 8. events: a string of JSON with type, sub and event_time; 9. type is a documented one.
    if let Some(event) = events_check(s, claims) {
        let kind = event.get("type").and_then(Value::as_str).unwrap_or_default();
        s.push(type_check(kind));
        s.detail("event", event_detail(&event, expected, now));
        if let Some(explained) = explainer(kind) {
            s.detail("explain", json!([explained]));
        }
    }
    s.detail("delivery", delivery());
}

fn aud_check(claims: &Map<String, Value>, expected: &Expected) -> Check {
    let aud = match checks::string_claim(claims, JwtCheck::Aud, "the client id (bundle ID or Services ID)") {
        Ok(a) => a,
        Err(c) => return *c,
    };
    let Some(want) = expected.audience.as_ref().map(|a| a.values()) else {
        return Check::pass(JwtCheck::Aud, format!("aud is {aud} (no expected audience given to compare)"));
    };
    if want.contains(&aud) {
        return Check::pass(JwtCheck::Aud, format!("aud is the client id {aud}"));
    }
    let cause = if want.iter().any(|w| w.eq_ignore_ascii_case(aud)) {
        "identifiers are case-sensitive".to_string()
    } else {
        format!(
            "the notification is about {aud}, not an app this endpoint serves: one endpoint URL may be shared by \
             several apps and teams, so route each event on aud, and reject the ones for clients you do not know"
        )
    };
    Check::fail(JwtCheck::Aud, format!("aud is {aud}, not {}", want.join(" or ")))
        .expected_found(want.join(" or "), aud)
        .cause(cause)
}

/// The `events` check; the parsed event object when the claim is well formed.
fn events_check(s: &mut Session, claims: &Map<String, Value>) -> Option<Map<String, Value>> {
    let want = "a string holding a JSON object {type, sub, event_time, …}";
    let text = match claims.get("events") {
        Some(Value::String(t)) => t,
        None => {
            s.push(
                Check::fail(JwtCheck::Events, "the events claim is missing")
                    .expected_found(want, "no events")
                    .cause("this is not a server-to-server notification (an identity token, perhaps)"),
            );
            return None;
        }
        Some(other) => {
            s.push(
                Check::fail(JwtCheck::Events, format!("events is {}, not a string", json_type(other)))
                    .expected_found(want, other.to_string())
                    .cause(
                        "Apple sends events as a JSON string that must be parsed a second time; a token whose events \
                         is an object was not made by Apple (and code that reads events as an object fails on real \
                         notifications)",
                    ),
            );
            return None;
        }
    };
    let parsed: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            s.push(
                Check::fail(JwtCheck::Events, format!("events is not JSON: {e}"))
                    .expected_found(want, text.chars().take(80).collect::<String>())
                    .cause("the string was cut, or escaped twice"),
            );
            return None;
        }
    };
    let Value::Object(event) = parsed else {
        s.push(
            Check::fail(JwtCheck::Events, format!("events holds {}, not an object", json_type(&parsed)))
                .expected_found(want, text.clone()),
        );
        return None;
    };
    let mut problems = Vec::new();
    match event.get("type") {
        Some(Value::String(_)) => {}
        Some(other) => problems.push(format!("type is {}", json_type(other))),
        None => problems.push("no type".to_string()),
    }
    match event.get("sub") {
        Some(Value::String(sub)) if !sub.is_empty() => {}
        Some(other) => problems.push(format!("sub is {}", short(other))),
        None => problems.push("no sub".to_string()),
    }
    match event.get("event_time") {
        Some(Value::Number(_)) => {}
        Some(other) => problems.push(format!("event_time is {}", json_type(other))),
        None => problems.push("no event_time".to_string()),
    }
    if !problems.is_empty() {
        s.push(
            Check::fail(JwtCheck::Events, format!("the event lacks what Apple always sends: {}", problems.join(", ")))
                .expected_found("type and sub strings, event_time a number of milliseconds", text.clone())
                .cause("the event was built by hand or edited"),
        );
        return None;
    }
    s.push(Check::pass(JwtCheck::Events, "events is a JSON string holding type, sub and event_time"));
    Some(event)
}

fn short(value: &Value) -> String {
    match value {
        Value::String(t) if t.is_empty() => "empty".into(),
        other => json_type(other).to_string(),
    }
}

fn type_check(kind: &str) -> Check {
    if EVENT_TYPES.contains(&kind) {
        return Check::pass(JwtCheck::EventType, format!("type {kind} is one Apple documents"));
    }
    Check::fail(
        JwtCheck::EventType,
        format!("type {kind} is not one Apple documents{}", suggestion(kind, &EVENT_TYPES)),
    )
    .expected_found(EVENT_TYPES.join(", "), kind)
    .cause("the event was edited, or Apple added a type after this snapshot: log and answer 200 without acting on it")
}

/// The `event` detail: each field with its meaning, and whether the sub is the one expected.
fn event_detail(event: &Map<String, Value>, expected: &Expected, now: Instant) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), event.get("type").cloned().unwrap_or(Value::Null));
    if let Some(sub) = event.get("sub") {
        let mut entry = json!({ "value": sub, "note": "the team-scoped user identifier: look the account up by it" });
        if let (Some(want), Some(map)) = (expected.subject.as_deref(), entry.as_object_mut()) {
            map.insert("matches-expected".into(), json!(sub.as_str() == Some(want)));
        }
        out.insert("sub".into(), entry);
    }
    if let Some(Value::Number(n)) = event.get("event_time") {
        let raw = n.as_i64().unwrap_or_default();
        let (secs, unit) = if raw > MILLIS_THRESHOLD {
            (raw / 1000, "milliseconds")
        } else {
            (raw, "seconds (Apple sends milliseconds)")
        };
        let at = Instant(secs);
        out.insert(
            "event_time".into(),
            json!({ "value": raw, "unit": unit, "utc": at.to_rfc3339(), "relative": at.relative_to(now) }),
        );
    }
    if let Some(email) = event.get("email") {
        out.insert("email".into(), email.clone());
    }
    if let Some(private) = event.get("is_private_email") {
        let value = match private {
            Value::Bool(b) => json!({ "value": b, "written-as": "boolean" }),
            Value::String(t) if t == "true" || t == "false" => json!({ "value": t == "true", "written-as": "string",
                "note": "seen written as a string in notifications (reported, not documented); accept both forms" }),
            other => json!({ "value": other, "written-as": "unexpected" }),
        };
        out.insert("is_private_email".into(), value);
    }
    let extra: Vec<&String> = event
        .keys()
        .filter(|k| !["type", "sub", "event_time", "email", "is_private_email"].contains(&k.as_str()))
        .collect();
    if !extra.is_empty() {
        out.insert("other-fields".into(), json!(extra));
    }
    Value::Object(out)
}
