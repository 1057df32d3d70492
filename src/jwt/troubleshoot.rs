//! Extension `troubleshoot` on `jwt` documents: given Apple's token-endpoint error and the
//! request that caused it, rank the likely causes (auth-rules §1.5–1.7) using every check
//! that can be made offline. The result is the `diagnosis` detail; it never changes `valid`.

use super::checks::looks_like_apple_id;
use super::document::{CodeKind, EndpointError, Troubleshoot};
use super::signature::looks_like_der;
use super::times::{self, TimeClaim};
use super::token;
use crate::instant::Instant;
use crate::validator::Check;
use serde_json::{json, Value};

/// A known cause: what it is, how to fix it, and the checks that confirm or rule it out.
struct Cause {
    id: &'static str,
    text: &'static str,
    fix: &'static str,
    /// Check ids (diagnosis checks, or `client-secret/<id>` for the secret's own checks).
    evidence: &'static [&'static str],
    /// Whether passing evidence rules the cause out (false when the checks only see part of it,
    /// e.g. a kid that looks right locally may still name a key Apple does not link to the client).
    decisive: bool,
}

const INVALID_CLIENT: &[Cause] = &[
    Cause { id: "sub-client-id", text: "the client secret's sub differs from the client_id sent (Apple's most common invalid_client)", fix: "make sub and client_id the same identifier: bundle ID for codes from the app, Services ID for codes from the web", evidence: &["sub-matches-client-id", "client-secret/sub", "client-id-prefix"], decisive: true },
    Cause { id: "secret-expired", text: "the client secret has expired (pre-generated secrets silently die after at most 6 months)", fix: "generate secrets on the server when needed, or renew them well before exp", evidence: &["secret-not-expired", "client-secret/exp"], decisive: true },
    Cause { id: "der-signature", text: "the signature is ASN.1 DER instead of raw r‖s", fix: "use a JOSE library or convert the signature (Node: dsaEncoding 'ieee-p1363')", evidence: &["signature-encoding", "client-secret/signature"], decisive: true },
    Cause { id: "claims", text: "a header or claim is wrong: alg not ES256, iss not the Team ID, aud not exactly https://appleid.apple.com, iat in the future, lifetime over 15777000 s", fix: "fix the failing client-secret checks listed above", evidence: &["client-secret/alg", "client-secret/iss", "client-secret/aud", "client-secret/iat", "client-secret/lifetime", "client-secret/format"], decisive: true },
    Cause { id: "key-linkage", text: "the key is not enabled for Sign in with Apple, is revoked, belongs to another team, or is grouped under another primary App ID than the client", fix: "in Certificates, Identifiers & Profiles check the key's Sign in with Apple configuration and the Services ID's primary App ID; kid must be that key's ID", evidence: &["client-secret/kid"], decisive: false },
    Cause { id: "form-encoding", text: "the form body is not application/x-www-form-urlencoded (or not percent-encoded)", fix: "POST a percent-encoded form with Content-Type application/x-www-form-urlencoded", evidence: &["content-type"], decisive: true },
];

const INVALID_GRANT: &[Cause] = &[
    Cause { id: "code-other-client", text: "the code was issued to another client_id (an app code exchanged with the Services ID, or the reverse)", fix: "exchange app codes with the bundle ID and web codes with the Services ID; the identity token's aud shows which", evidence: &["identity-token-aud"], decisive: true },
    Cause { id: "code-reused", text: "the code was already used (a retry, a double submit, two servers racing)", fix: "exchange each code exactly once; do not retry invalid_grant", evidence: &[], decisive: true },
    Cause { id: "code-expired", text: "the code is older than 5 minutes", fix: "send the code to the server and exchange it immediately", evidence: &[], decisive: true },
    Cause { id: "id-token-as-code", text: "the identity token was sent as code", fix: "send authorizationCode, not identityToken", evidence: &["code-is-not-a-jwt"], decisive: true },
    Cause { id: "redirect-uri", text: "redirect_uri differs from the one used at /auth/authorize (native-app codes use none)", fix: "send the identical redirect_uri, or none for codes from the app", evidence: &["redirect-uri"], decisive: false },
    Cause { id: "refresh-token", text: "the refresh token is invalid, revoked or was issued to another client", fix: "use the refresh token with the client_id it was issued to; sign the user in again if revoked", evidence: &[], decisive: true },
];

const INVALID_REQUEST: &[Cause] = &[
    Cause {
        id: "transport",
        text: "wrong content type (JSON body), or a missing, duplicated or misspelt parameter",
        fix: "POST a percent-encoded form with grant_type, code (or refresh_token), client_id, client_secret",
        evidence: &["content-type", "grant-type"],
        decisive: false,
    },
    Cause {
        id: "mismatch",
        text: "the access token, client_id and client-secret sub do not belong together",
        fix: "use one identifier consistently",
        evidence: &["sub-matches-client-id"],
        decisive: false,
    },
    Cause {
        id: "revoked",
        text: "the user revoked the app's authorization",
        fix: "sign the user in again",
        evidence: &[],
        decisive: true,
    },
];

const UNAUTHORIZED_CLIENT: &[Cause] = &[Cause {
    id: "grant-not-allowed",
    text: "this client may not use the grant type, or the web service has no matching return URL",
    fix: "register the return URL on the Services ID; use authorization_code or refresh_token",
    evidence: &["grant-type", "redirect-uri"],
    decisive: false,
}];

const UNSUPPORTED_GRANT_TYPE: &[Cause] = &[Cause {
    id: "grant-type",
    text: "grant_type is misspelt (grand_type) or not authorization_code, refresh_token or client_credentials",
    fix: "send grant_type=authorization_code",
    evidence: &["grant-type"],
    decisive: true,
}];

const INVALID_SCOPE: &[Cause] = &[Cause {
    id: "scope",
    text: "scope is not name/email at /auth/authorize, or not user.migration with client_credentials",
    fix: "use the documented scope values",
    evidence: &["grant-type"],
    decisive: false,
}];

/// The `diagnosis` detail. `secret_checks` are the client-secret checks already run on the
/// document's token (empty when the profile is not `apple-client-secret`).
pub fn diagnose(t: &Troubleshoot, secret_token: Option<&str>, secret_checks: &[Check], now: Instant) -> Value {
    let mut checks: Vec<Value> = Vec::new();
    let mut results: Vec<(String, bool)> = secret_checks
        .iter()
        .map(|c| (format!("client-secret/{}", c.id), c.ok))
        .collect();
    let mut record = |id: &str, ok: bool, message: String| {
        results.push((id.to_string(), ok));
        checks.push(json!({ "id": id, "ok": ok, "message": message }));
    };
    let request = &t.request;
    let secret = secret_token.and_then(|t| token::decode(t).ok());
    let claims = secret.as_ref().and_then(|d| d.claims.as_ref().ok());

    if let (Some(client_id), Some(sub)) = (
        request.client_id.as_deref(),
        claims.and_then(|c| c.get("sub")).and_then(Value::as_str),
    ) {
        record(
            "sub-matches-client-id",
            sub == client_id,
            format!("client secret sub {sub} vs request client_id {client_id}"),
        );
    }
    if let Some(TimeClaim::At(exp)) = claims.map(|c| times::read(c, "exp")) {
        record(
            "secret-not-expired",
            exp > now,
            format!("client secret exp {} ({})", exp.to_rfc3339(), exp.relative_to(now)),
        );
    }
    if let Some(d) = secret.as_ref() {
        let der = looks_like_der(&d.signature);
        record(
            "signature-encoding",
            !der,
            format!(
                "client secret signature: {} bytes, {}",
                d.signature.len(),
                if der { "ASN.1 DER" } else { "not DER" }
            ),
        );
    }
    if let Some(client_id) = request.client_id.as_deref() {
        if let Some(id_token) = t.identity_token.as_deref() {
            let aud = token::decode(id_token)
                .ok()
                .and_then(|d| d.claims.ok())
                .and_then(|c| c.get("aud").and_then(Value::as_str).map(str::to_string));
            match aud {
                Some(aud) => record(
                    "identity-token-aud",
                    aud == client_id,
                    format!(
                        "the code was issued with an identity token for {aud}; the request uses client_id {client_id}"
                    ),
                ),
                None => record(
                    "identity-token-aud",
                    false,
                    "the identity token could not be decoded or has no aud".into(),
                ),
            }
        }
        if looks_like_apple_id(client_id.split('.').next().unwrap_or_default()) && client_id.contains('.') {
            record(
                "client-id-prefix",
                false,
                format!("client_id {client_id} may start with a Team ID; send the identifier without it"),
            );
        }
    }
    if let Some(grant) = request.grant_type.as_deref() {
        let (ok, message) = match grant {
            "authorization_code" if request.code.is_none() => {
                (false, "grant_type authorization_code needs code".to_string())
            }
            "authorization_code" => (true, "grant_type authorization_code with a code".into()),
            "refresh_token" => (
                request.refresh_token.is_some(),
                "grant_type refresh_token needs refresh_token".into(),
            ),
            "client_credentials" => (
                request.scope.as_deref() == Some("user.migration"),
                "client_credentials needs scope=user.migration (TN3159)".into(),
            ),
            other => (
                false,
                format!("grant_type {other} is not authorization_code, refresh_token or client_credentials"),
            ),
        };
        record("grant-type", ok, message);
    }
    if let Some(code) = request.code.as_deref() {
        let jwt = code.starts_with("eyJ") && code.matches('.').count() == 2;
        record(
            "code-is-not-a-jwt",
            !jwt,
            if jwt {
                "code is a JWT: the identity token was sent instead of the authorization code".into()
            } else {
                "code is not a JWT".into()
            },
        );
    }
    if let Some(uri) = request.redirect_uri.as_deref() {
        let host = uri
            .strip_prefix("https://")
            .map(|r| r.split(['/', ':', '?']).next().unwrap_or_default());
        let ok = host
            .is_some_and(|h| h.contains('.') && h != "localhost" && !h.chars().all(|c| c.is_ascii_digit() || c == '.'));
        record("redirect-uri", ok, format!("redirect_uri {uri} must be https with a domain name (no IP, no localhost) and identical to the authorize request"));
    }
    if let Some(ct) = request.content_type.as_deref() {
        record(
            "content-type",
            ct.starts_with("application/x-www-form-urlencoded"),
            format!("Content-Type {ct}"),
        );
    }

    let table = match t.error {
        EndpointError::InvalidClient => INVALID_CLIENT,
        EndpointError::InvalidGrant => INVALID_GRANT,
        EndpointError::InvalidRequest => INVALID_REQUEST,
        EndpointError::UnauthorizedClient => UNAUTHORIZED_CLIENT,
        EndpointError::UnsupportedGrantType => UNSUPPORTED_GRANT_TYPE,
        EndpointError::InvalidScope => INVALID_SCOPE,
    };
    let mut causes: Vec<(u8, Value)> = table.iter().map(|c| rank(c, &results)).collect();
    causes.sort_by_key(|(order, _)| *order);
    let causes: Vec<Value> = causes
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut v))| {
            if let Some(m) = v.as_object_mut() {
                m.insert("rank".into(), json!(i + 1));
            }
            v
        })
        .collect();

    json!({
        "error": t.error.name(),
        "meaning": meaning(t.error),
        "description-hint": t.error_description.as_deref().map(description_hint),
        "decision": decision(t.error, t.code_kind),
        "checks": checks,
        "causes": causes,
    })
}

/// Status of a cause from its evidence: confirmed (a check failed), ruled out (all ran and passed,
/// and they cover the whole cause), or possible.
fn rank(cause: &Cause, results: &[(String, bool)]) -> (u8, Value) {
    let seen: Vec<bool> = cause
        .evidence
        .iter()
        .filter_map(|id| results.iter().find(|(r, _)| r == id).map(|(_, ok)| *ok))
        .collect();
    let (order, status) = if seen.iter().any(|ok| !ok) {
        (0, "confirmed")
    } else if cause.decisive && !seen.is_empty() && seen.len() == cause.evidence.len() {
        (2, "ruled-out")
    } else {
        (1, "possible")
    };
    (
        order,
        json!({ "id": cause.id, "status": status, "cause": cause.text, "fix": cause.fix, "evidence": cause.evidence }),
    )
}

fn meaning(error: EndpointError) -> &'static str {
    match error {
        EndpointError::InvalidClient => {
            "client authentication failed: Apple did not accept the client_id / client_secret pair"
        }
        EndpointError::InvalidGrant => "the client authenticated, but the code or refresh token is not valid for it",
        EndpointError::InvalidRequest => "the request is malformed, or the user revoked the authorization",
        EndpointError::UnauthorizedClient => "the client is not allowed this grant type or return URL",
        EndpointError::UnsupportedGrantType => "the grant_type is not one Apple supports",
        EndpointError::InvalidScope => "the requested scope is invalid",
    }
}

fn decision(error: EndpointError, kind: Option<CodeKind>) -> &'static str {
    match (error, kind) {
        (EndpointError::InvalidGrant, Some(CodeKind::Dummy)) => "a dummy code got invalid_grant: client authentication PASSED (client_id, sub, iss, kid, key, signature, aud, exp are all accepted); the problem is the real code: expired, reused, or issued to another client",
        (EndpointError::InvalidClient, Some(_)) => "invalid_client: client authentication itself is broken; fix the client secret and key linkage first, the code is irrelevant",
        (EndpointError::InvalidGrant, Some(CodeKind::Fresh)) => "a fresh code got invalid_grant: client authentication is OK; the code was issued to another client_id, was already consumed, is older than 5 minutes, or redirect_uri differs",
        (EndpointError::InvalidRequest, _) => "invalid_request: a transport problem (content type, missing parameter) or the user revoked the authorization",
        (_, None) => "probe: send a deliberately dummy code (e.g. abc) with the same client_id and secret. invalid_grant means client authentication passed and the real code is the problem; invalid_client means the secret or key is the problem (Apple authenticates the client before looking at the grant)",
        _ => "see the ranked causes",
    }
}

fn description_hint(description: &str) -> &'static str {
    let d = description.to_ascii_lowercase();
    if d.contains("already been used") {
        "the code was exchanged before: do not retry, get a new code"
    } else if d.contains("expired or has been revoked") {
        "the code is older than 5 minutes or was revoked"
    } else if d.contains("client_id mismatch") {
        "the code was issued to another client_id: bundle ID for app codes, Services ID for web codes"
    } else {
        "no known pattern"
    }
}
