//! Kind `devicecheck-request`: the request a server sends to Apple's DeviceCheck API
//! (`query_two_bits`, `update_two_bits`, `validate_device_token`), checked one rule at a time
//! like a client secret: the URL, the `Authorization: Bearer <JWT>` header, the ES256 JWT
//! (`format`, `alg`, `kid`, `signature`, `iss`, `iat`, reusing the jwt module's checks), and
//! the JSON body (`body`, `device_token`, `transaction_id`, `timestamp`, `bits`).
//!
//! Sources: Apple, "Accessing and modifying per-device data" (DeviceCheck documentation: hosts,
//! the JWT made like an APNs provider token, the body fields); Apple Account Help, "Create a
//! DeviceCheck private key". What only libraries or forums say is marked in `docs/siwa-server.md`.

use super::document::{Environment, RequestDocument, Response};
use super::network;
use super::RequestCheck;
use crate::data::decode_base64;
use crate::document::{suggestion, DocError};
use crate::endpoint;
use crate::instant::Instant;
use crate::jwt::checks::{self, looks_like_apple_id, KidRule, Session};
use crate::jwt::keys::KeySet;
use crate::jwt::token::json_type;
use crate::jwt::{key_set, signature_check, times, JwtCheck};
use crate::validator::{Check, Verdict};
use serde_json::{json, Map, Value};

/// The production and development API hosts.
pub const PRODUCTION_HOST: &str = "api.devicecheck.apple.com";
pub const DEVELOPMENT_HOST: &str = "api.development.devicecheck.apple.com";

/// Above this a timestamp is in milliseconds (as Apple wants it).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// How far from `now` a body timestamp may be before Keyplay warns.
const TIMESTAMP_SLACK_MS: i64 = 5 * 60 * 1000;

/// APNs provider tokens older than this are refused; DeviceCheck's docs point to the same steps.
const TOKEN_MAX_AGE: i64 = 3600;

/// The three operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    QueryTwoBits,
    UpdateTwoBits,
    ValidateDeviceToken,
}

impl Operation {
    pub const NAMES: [&'static str; 3] = ["query_two_bits", "update_two_bits", "validate_device_token"];

    pub fn name(self) -> &'static str {
        match self {
            Operation::QueryTwoBits => "query_two_bits",
            Operation::UpdateTwoBits => "update_two_bits",
            Operation::ValidateDeviceToken => "validate_device_token",
        }
    }

    fn from_name(name: &str) -> Option<Operation> {
        match name {
            "query_two_bits" => Some(Operation::QueryTwoBits),
            "update_two_bits" => Some(Operation::UpdateTwoBits),
            "validate_device_token" => Some(Operation::ValidateDeviceToken),
            _ => None,
        }
    }

    /// The body fields the operation reads.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Operation::UpdateTwoBits => &["device_token", "transaction_id", "timestamp", "bit0", "bit1"],
            _ => &["device_token", "transaction_id", "timestamp"],
        }
    }
}

/// Field names people write instead of Apple's, and the right one.
const MISNAMED: &[(&str, &str)] = &[
    ("deviceToken", "device_token"),
    ("token", "device_token"),
    ("transactionId", "transaction_id"),
    ("transactionID", "transaction_id"),
    ("bit_0", "bit0"),
    ("bit_1", "bit1"),
    ("time", "timestamp"),
];

/// Reads the document's keys (a DocError only when `keys` itself is malformed).
pub fn load_keys(doc: &RequestDocument) -> Result<Option<KeySet>, DocError> {
    doc.keys.as_ref().map(key_set).transpose()
}

/// Checks the request; `keys` verify the JWT's signature when given.
pub fn verify(doc: &RequestDocument, keys: Option<&KeySet>, now: Instant) -> Verdict {
    let leeway = i64::from(doc.leeway_seconds.unwrap_or(crate::jwt::DEFAULT_LEEWAY));
    let mut s = Session::default();
    if let Some(set) = keys {
        for note in &set.notes {
            s.warn("keys", note.clone());
        }
    }

    // 1. URL: https, one of the two hosts, /v1/<operation>.
    let (operation, environment) = url_check(&mut s, &doc.url, doc.expected.environment);

    // 2. Authorization: Bearer <JWT>; 3.–8. the JWT's checks.
    if let Some(token) = authorization_check(&mut s, doc) {
        jwt_checks(&mut s, &token, keys, doc, now, leeway);
    }

    // 9.–13. The body.
    body_checks(&mut s, &doc.body, operation, now);

    if let Some(op) = operation {
        s.detail("operation", json!(op.name()));
    }
    if let Some(env) = environment {
        s.detail("environment", json!(env.name()));
    }
    if let Some(response) = doc.response.as_ref() {
        s.detail("response", explain_response(response, operation));
    }
    s.detail("network", network::server_side_note());
    s.finish()
}

fn url_check(s: &mut Session, url: &str, expected: Option<Environment>) -> (Option<Operation>, Option<Environment>) {
    let want = format!("https://{PRODUCTION_HOST}/v1/<operation> or https://{DEVELOPMENT_HOST}/v1/<operation>");
    let Some(u) = endpoint::split(url) else {
        s.push(Check::fail(RequestCheck::Url, format!("{url} is not an absolute URL")).expected_found(want, url));
        return (None, None);
    };
    let environment = match u.host {
        PRODUCTION_HOST => Some(Environment::Production),
        DEVELOPMENT_HOST => Some(Environment::Development),
        _ => None,
    };
    let name = u.path.strip_prefix("/v1/").unwrap_or(u.path.trim_start_matches('/'));
    let operation = Operation::from_name(name);
    let mut problems: Vec<String> = Vec::new();
    if u.scheme != "https" {
        problems.push(format!("the scheme is {}, not https", u.scheme));
    }
    if environment.is_none() {
        let hint = if u.host.contains("appattest") {
            " (that is an App Attest host: the two-bit API lives on api.devicecheck.apple.com)"
        } else if u.host == "api.devicecheck.development.apple.com" || u.host == "development.devicecheck.apple.com" {
            " (the development host is api.development.devicecheck.apple.com)"
        } else {
            ""
        };
        problems.push(format!("the host {} is not a DeviceCheck API host{hint}", u.host));
    }
    if operation.is_none() {
        problems.push(format!("the path {} names no operation{}", u.path, suggestion(name, &Operation::NAMES)));
    } else if !u.path.starts_with("/v1/") {
        problems.push(format!("the path {} lacks the /v1/ prefix", u.path));
    }
    if let (Some(want_env), Some(env)) = (expected, environment) {
        if want_env != env {
            problems.push(format!(
                "the request goes to the {} server but the token comes from a {} build",
                env.name(),
                want_env.name()
            ));
        }
    }
    if problems.is_empty() {
        let env = environment.map(Environment::name).unwrap_or_default();
        s.push(Check::pass(RequestCheck::Url, format!("POST to the {env} server, operation {name}")));
    } else {
        s.push(Check::fail(RequestCheck::Url, problems.join("; ")).expected_found(want, url).cause(
            "each environment keeps its own two bits: a development build's tokens are answered by the \
                 development host, an App Store or TestFlight build's by the production host",
        ));
    }
    (operation, environment)
}

/// The JWT from the header (or the `jwt` field), with the `authorization` check.
fn authorization_check(s: &mut Session, doc: &RequestDocument) -> Option<String> {
    let header = match (&doc.authorization, &doc.jwt) {
        (Some(h), _) => h.trim(),
        (None, Some(token)) => {
            s.push(Check::pass(
                RequestCheck::Authorization,
                "the JWT was given alone; send it as Authorization: Bearer <JWT>",
            ));
            return Some(token.trim().to_string());
        }
        (None, None) => {
            s.push(
                Check::fail(RequestCheck::Authorization, "no Authorization header")
                    .expected_found("Authorization: Bearer <JWT>", "nothing")
                    .cause("every DeviceCheck request is authenticated by a JWT signed with the DeviceCheck key"),
            );
            return None;
        }
    };
    let header = header.strip_prefix("Authorization:").map(str::trim).unwrap_or(header);
    match header.split_once(' ') {
        Some(("Bearer", token)) => {
            s.push(Check::pass(RequestCheck::Authorization, "Authorization: Bearer <JWT>"));
            Some(token.trim().to_string())
        }
        Some((scheme, token)) => {
            let cause = if scheme.eq_ignore_ascii_case("bearer") {
                "write the scheme as Bearer".to_string()
            } else {
                format!("the {scheme} scheme is not what Apple reads; the JWT goes after Bearer")
            };
            s.push(
                Check::fail(RequestCheck::Authorization, format!("the header uses the {scheme} scheme"))
                    .expected_found("Bearer <JWT>", format!("{scheme} …"))
                    .cause(cause),
            );
            Some(token.trim().to_string())
        }
        None => {
            s.push(
                Check::fail(RequestCheck::Authorization, "the header has no Bearer scheme")
                    .expected_found("Bearer <JWT>", "a bare value")
                    .cause("the JWT was sent without the Bearer prefix"),
            );
            Some(header.to_string())
        }
    }
}

fn jwt_checks(s: &mut Session, token: &str, keys: Option<&KeySet>, doc: &RequestDocument, now: Instant, leeway: i64) {
    let Some(decoded) = checks::format(s, token, true) else {
        return;
    };
    let Ok(claims) = decoded.claims.as_ref() else { return };
    s.detail("times", times::detail(claims, now));
    s.push(checks::alg(
        &decoded.header,
        Some("ES256"),
        "DeviceCheck tokens are signed like APNs provider tokens, with ES256 and the .p8 key",
    ));
    let rule = KidRule {
        required: true,
        expected: doc.expected.key_id.as_deref(),
        unknown_cause: "the kid names another key; use the Key ID of the key with DeviceCheck enabled",
    };
    s.push_opt(checks::kid(&decoded.header, keys, &rule));
    let sig = signature_check::signature(s, &decoded, keys);
    s.push_opt(sig);
    s.push(iss_check(claims, doc.expected.team_id.as_deref()));
    s.push_opt(times::iat_check(claims, now, leeway, true));
    if let times::TimeClaim::At(iat) = times::read(claims, "iat") {
        let age = now.0.saturating_sub(iat.0);
        if age > TOKEN_MAX_AGE {
            s.warn(
                "iat",
                format!(
                    "the token was made {age} s ago; APNs refuses provider tokens older than one hour and \
                     DeviceCheck's documentation tells you to make the token the same way (reported, not documented \
                     for DeviceCheck): refresh it at least hourly"
                ),
            );
        }
    }
    s.push_opt(times::exp_check(claims, now, leeway, false, None));
    for name in ["aud", "sub"] {
        if claims.contains_key(name) {
            s.warn(
                name,
                format!("the {name} claim is not part of a DeviceCheck token (iss and iat only); Apple ignores it"),
            );
        }
    }
}

fn iss_check(claims: &Map<String, Value>, team: Option<&str>) -> Check {
    let iss = match checks::string_claim(claims, JwtCheck::Iss, "your 10-character Team ID") {
        Ok(v) => v,
        Err(c) => return (*c).cause("iss must be the Team ID of the account that owns the DeviceCheck key"),
    };
    match team {
        Some(team) if iss == team => Check::pass(JwtCheck::Iss, format!("iss is the Team ID {team}")),
        Some(team) => {
            let cause = if iss.contains('.') {
                "iss holds a bundle ID; it must be the Team ID"
            } else if looks_like_apple_id(iss) {
                "iss is another 10-character identifier: the Key ID, or another team's ID"
            } else {
                "iss must be the Team ID that owns the key"
            };
            Check::fail(JwtCheck::Iss, format!("iss is {iss}, not the Team ID {team}"))
                .expected_found(team, iss)
                .cause(cause)
        }
        None if looks_like_apple_id(iss) => {
            Check::pass(JwtCheck::Iss, format!("iss {iss} looks like a Team ID (no expected team-id given to compare)"))
        }
        None => Check::fail(JwtCheck::Iss, format!("iss {iss} is not a Team ID"))
            .expected_found("10 upper-case letters and digits", iss)
            .cause("iss must be the Team ID"),
    }
}

fn body_checks(s: &mut Session, body: &Value, operation: Option<Operation>, now: Instant) {
    let Value::Object(fields) = body else {
        s.push(
            Check::fail(RequestCheck::Body, format!("the body is {}, not a JSON object", json_type(body)))
                .expected_found("a JSON object with device_token, transaction_id, timestamp", json_type(body))
                .cause("the body must be JSON (not a form): Content-Type application/json"),
        );
        return;
    };
    let allowed: &[&str] = operation.map(Operation::fields).unwrap_or(Operation::UpdateTwoBits.fields());
    let mut problems = Vec::new();
    for key in fields.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        if let Some((_, right)) = MISNAMED.iter().find(|(wrong, _)| *wrong == key.as_str()) {
            problems.push(format!("{key} should be {right}"));
        } else if matches!(key.as_str(), "bit0" | "bit1") {
            let op = operation.map(Operation::name).unwrap_or("this operation");
            problems.push(format!("{key} is read only by update_two_bits, not by {op}"));
        } else {
            problems.push(format!("{key} is not a field Apple reads{}", suggestion(key, allowed)));
        }
    }
    if problems.is_empty() {
        s.push(Check::pass(RequestCheck::Body, format!("a JSON object with the fields {}", allowed.join(", "))));
    } else {
        s.push(
            Check::fail(RequestCheck::Body, problems.join("; "))
                .expected_found(allowed.join(", "), fields.keys().cloned().collect::<Vec<_>>().join(", "))
                .cause("Apple's field names are snake_case and exact; a misnamed field is as good as a missing one"),
        );
    }
    s.push(device_token_check(fields.get("device_token")));
    s.push(transaction_id_check(fields.get("transaction_id")));
    let timestamp = timestamp_check(s, fields.get("timestamp"), now);
    s.push(timestamp);
    if operation == Some(Operation::UpdateTwoBits) {
        s.push(bits_check(fields));
    }
}

fn device_token_check(value: Option<&Value>) -> Check {
    let want = "the base64 string of the Data DCDevice.generateToken returned";
    let text = match value {
        Some(Value::String(t)) => t.trim(),
        None => {
            return Check::fail(RequestCheck::DeviceToken, "device_token is missing")
                .expected_found(want, "nothing")
                .cause("the app's token did not reach the request")
        }
        Some(other) => {
            return Check::fail(RequestCheck::DeviceToken, format!("device_token is {}", json_type(other)))
                .expected_found(want, other.to_string())
                .cause("the token Data was serialised as bytes or an object; send token.base64EncodedString()")
        }
    };
    if text.is_empty() {
        return Check::fail(RequestCheck::DeviceToken, "device_token is empty").expected_found(want, "\"\"");
    }
    if text.contains(['-', '_']) {
        return Check::fail(RequestCheck::DeviceToken, "device_token uses the base64url alphabet")
            .expected_found(want, short(text))
            .cause("the token was encoded as base64url; Apple wants standard base64 (+ and /, with = padding)");
    }
    if text.contains(|c: char| c.is_ascii_whitespace()) {
        return Check::fail(RequestCheck::DeviceToken, "device_token contains white space")
            .expected_found(want, short(text))
            .cause("the base64 was wrapped into lines (base64EncodedString(options: .lineLength64Characters)); send it unwrapped");
    }
    match decode_base64(text) {
        Ok(bytes) if bytes.len() >= 16 => {
            Check::pass(RequestCheck::DeviceToken, format!("device_token is base64 of {} bytes", bytes.len()))
        }
        Ok(bytes) => {
            Check::fail(RequestCheck::DeviceToken, format!("device_token decodes to only {} bytes", bytes.len()))
                .expected_found(
                    "the whole token (usually a few thousand base64 characters)",
                    format!("{} bytes", bytes.len()),
                )
                .cause("the token was truncated, or a placeholder was sent")
        }
        Err(e) => {
            let cause = if text.bytes().all(|b| b.is_ascii_hexdigit()) {
                "the token was hex-encoded; send base64"
            } else {
                "the token was altered on the way (URL-encoding, line breaks, or a String(describing:) of the Data)"
            };
            Check::fail(RequestCheck::DeviceToken, format!("device_token is not base64: {e}"))
                .expected_found(want, short(text))
                .cause(cause)
        }
    }
}

fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

fn transaction_id_check(value: Option<&Value>) -> Check {
    match value {
        Some(Value::String(t)) if !t.trim().is_empty() => {
            Check::pass(RequestCheck::TransactionId, "transaction_id is set (make it unique per request, e.g. a UUID)")
        }
        Some(Value::String(_)) => Check::fail(RequestCheck::TransactionId, "transaction_id is empty")
            .expected_found("a unique string per request, such as a UUID", "\"\"")
            .cause("Apple uses the id to tell requests apart"),
        Some(other) => Check::fail(RequestCheck::TransactionId, format!("transaction_id is {}", json_type(other)))
            .expected_found("a string", other.to_string())
            .cause("send the UUID as a string"),
        None => Check::fail(RequestCheck::TransactionId, "transaction_id is missing")
            .expected_found("a unique string per request, such as a UUID", "nothing")
            .cause("every request needs its own transaction id"),
    }
}

fn timestamp_check(s: &mut Session, value: Option<&Value>, now: Instant) -> Check {
    let want = "the current UTC time in milliseconds since 1970 (13 digits today)";
    let ms = match value {
        Some(Value::Number(n)) => match n.as_i64() {
            Some(v) => v,
            None => {
                return Check::fail(RequestCheck::Timestamp, "timestamp is not a whole number")
                    .expected_found(want, n.to_string())
            }
        },
        Some(Value::String(t)) => {
            return Check::fail(RequestCheck::Timestamp, "timestamp is a string")
                .expected_found(want, t.clone())
                .cause("send a JSON number, not text (Date().timeIntervalSince1970 * 1000, Date.now())")
        }
        Some(other) => {
            return Check::fail(RequestCheck::Timestamp, format!("timestamp is {}", json_type(other)))
                .expected_found(want, other.to_string())
        }
        None => return Check::fail(RequestCheck::Timestamp, "timestamp is missing").expected_found(want, "nothing"),
    };
    if ms < MILLIS_THRESHOLD {
        return Check::fail(RequestCheck::Timestamp, format!("timestamp {ms} is in seconds"))
            .expected_found(want, ms.to_string())
            .cause("the time was written in seconds (time(), Date().timeIntervalSince1970); multiply by 1000");
    }
    let drift = ms.saturating_sub(now.0.saturating_mul(1000));
    if drift.abs() > TIMESTAMP_SLACK_MS {
        s.warn(
            "timestamp",
            format!("timestamp is {} from now; send the time of the request", Instant(ms / 1000).relative_to(now)),
        );
    }
    Check::pass(RequestCheck::Timestamp, format!("timestamp is in milliseconds ({})", Instant(ms / 1000).to_rfc3339()))
}

fn bits_check(fields: &Map<String, Value>) -> Check {
    let mut problems = Vec::new();
    let mut given = 0;
    for name in ["bit0", "bit1"] {
        match fields.get(name) {
            None => {}
            Some(Value::Bool(_)) => given += 1,
            Some(other) => problems.push(format!("{name} is {} ({other})", json_type(other))),
        }
    }
    if !problems.is_empty() {
        return Check::fail(RequestCheck::Bits, problems.join("; "))
            .expected_found("bit0 and/or bit1 as JSON booleans", "numbers or strings")
            .cause("write true/false, not 1/0 or \"true\"");
    }
    if given == 0 {
        return Check::fail(RequestCheck::Bits, "update_two_bits sets neither bit0 nor bit1")
            .expected_found("bit0 and/or bit1", "neither")
            .cause("an update without bits changes nothing; name the bits to set");
    }
    Check::pass(RequestCheck::Bits, format!("{given} bit(s) set as booleans; a bit left out keeps its value"))
}

/// What Apple's answer means. Status meanings follow Apple's article; the exact body texts are as
/// libraries and forum posts report them.
fn explain_response(response: &Response, operation: Option<Operation>) -> Value {
    let text = match &response.body {
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (meaning, evidence) = match response.status {
        200 if text.contains("Bit State Not Found") => (
            "the query worked, and the bits of this device were never set for your team: treat both as false",
            "reported, not documented (the body text)",
        ),
        200 if operation == Some(Operation::QueryTwoBits) => {
            ("the query worked: the body holds bit0, bit1 and last_update_time (YYYY-MM)", "documented")
        }
        200 => ("Apple accepted the request; validate and update answer with an empty body", "documented"),
        400 => (
            "Apple could not read the request: a missing or malformed device_token, transaction_id or timestamp, \
             a body that is not JSON, or a token from the other environment",
            "documented (status); the body text is reported",
        ),
        401 => (
            "Apple could not verify the JWT: wrong kid or iss, a key without DeviceCheck enabled, a bad signature, \
             or a token too old",
            "documented (status); causes reported",
        ),
        403 | 405 => ("the method or endpoint is wrong: POST to /v1/<operation>", "reported, not documented"),
        429 => ("too many requests: back off and retry later", "reported, not documented"),
        500..=599 => ("Apple's server failed: retry later with backoff", "documented (status)"),
        _ => ("a status Keyplay has no reading for", "none"),
    };
    json!({ "status": response.status, "body": text, "meaning": meaning, "evidence": evidence })
}
