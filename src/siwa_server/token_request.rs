//! Kind `apple-token-request`: the requests a server sends to `appleid.apple.com` with a client
//! secret besides the code exchange — token revocation (`/auth/revoke`), user migration (TN3159
//! `/auth/usermigrationinfo`, both halves) and the migration access token (`/auth/token` with
//! `grant_type=client_credentials`). Checks the URL, the content type, the form fields, the
//! client secret (the jwt module's client-secret checks, ids prefixed `client-secret.`), which
//! team signed it, and each endpoint's own fields; then ranks the causes of Apple's error.
//!
//! Sources: Apple, "Revoke tokens" (Sign in with Apple REST API); TN3159 "Migrating Sign in with
//! Apple users for an app transfer"; TN3107 "Resolving Sign in with Apple response errors";
//! "Transferring your apps and users to another team"; DTS answers in Apple Developer Forums
//! threads 705275 and 707610. Rules only forums state are marked in `docs/siwa-server.md`.

use super::document::{TokenRequestDocument, Transfer};
use super::explain;
use super::ranking::{self, Cause};
use super::TokenRequestCheck;
use crate::document::{suggestion, DocError};
use crate::endpoint;
use crate::instant::Instant;
use crate::jwt::checks::{looks_like_apple_id, Session};
use crate::jwt::document::Expected as SecretExpected;
use crate::jwt::keys::KeySet;
use crate::jwt::{client_secret, key_set, JwtCheck};
use crate::validator::{Check, Verdict};
use serde_json::{json, Map, Value};

/// Apple's authorization server.
pub const APPLE_HOST: &str = "appleid.apple.com";
const FORM: &str = "application/x-www-form-urlencoded";

/// The endpoints this kind checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Revoke,
    UserMigrationInfo,
    Token,
}

impl Endpoint {
    pub const PATHS: [&'static str; 3] = ["/auth/revoke", "/auth/usermigrationinfo", "/auth/token"];

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Revoke => "/auth/revoke",
            Endpoint::UserMigrationInfo => "/auth/usermigrationinfo",
            Endpoint::Token => "/auth/token",
        }
    }

    fn from_path(path: &str) -> Option<Endpoint> {
        match path.trim_end_matches('/') {
            "/auth/revoke" => Some(Endpoint::Revoke),
            "/auth/usermigrationinfo" => Some(Endpoint::UserMigrationInfo),
            "/auth/token" => Some(Endpoint::Token),
            _ => None,
        }
    }
}

/// Which half of a migration (or which request) the form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Revoke,
    /// The transferring team turns its sub into a transfer_sub (`sub` + `target`).
    GenerateTransferSub,
    /// The recipient team turns a transfer_sub into its own sub (`transfer_sub`).
    ExchangeTransferSub,
    /// An access token for migration (`grant_type=client_credentials`, `scope=user.migration`).
    MigrationAccessToken,
    /// Another token request (code or refresh token exchange).
    OtherToken,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Revoke => "revoke",
            Step::GenerateTransferSub => "generate-transfer-sub",
            Step::ExchangeTransferSub => "exchange-transfer-sub",
            Step::MigrationAccessToken => "migration-access-token",
            Step::OtherToken => "token",
        }
    }

    /// Required and optional fields.
    fn fields(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Step::Revoke => (&["client_id", "client_secret", "token"], &["token_type_hint"]),
            Step::GenerateTransferSub => (&["sub", "target", "client_id", "client_secret"], &[]),
            Step::ExchangeTransferSub => (&["transfer_sub", "client_id", "client_secret"], &[]),
            Step::MigrationAccessToken => (&["grant_type", "scope", "client_id", "client_secret"], &[]),
            Step::OtherToken => {
                (&["grant_type", "client_id", "client_secret"], &["code", "redirect_uri", "refresh_token", "scope"])
            }
        }
    }
}

/// Names people send instead of Apple's, with the right one.
const MISNAMED: &[(&str, &str)] = &[
    ("user_token", "sub (the user's identifier under the transferring team)"),
    ("user_id", "sub"),
    ("user", "sub"),
    ("transferSub", "transfer_sub"),
    ("target_team", "target"),
    ("team_id", "target (the recipient team)"),
    ("clientId", "client_id"),
    ("clientSecret", "client_secret"),
    ("refresh_token", "token (with token_type_hint=refresh_token)"),
    ("access_token", "token (with token_type_hint=access_token)"),
    ("tokenTypeHint", "token_type_hint"),
    ("grand_type", "grant_type"),
];

/// Reads the document's keys.
pub fn load_keys(doc: &TokenRequestDocument) -> Result<Option<KeySet>, DocError> {
    doc.keys.as_ref().map(key_set).transpose()
}

/// Checks the request and explains Apple's answer.
pub fn verify(doc: &TokenRequestDocument, keys: Option<&KeySet>, now: Instant) -> Verdict {
    let leeway = i64::from(doc.leeway_seconds.unwrap_or(crate::jwt::DEFAULT_LEEWAY));
    let mut s = Session::default();
    if let Some(set) = keys {
        for note in &set.notes {
            s.warn("keys", note.clone());
        }
    }

    // 1. URL: https://appleid.apple.com/auth/<endpoint>; 2. Content-Type: form.
    let endpoint = url_check(&mut s, &doc.url);
    content_type_check(&mut s, doc.content_type.as_deref());

    // 3. The form: an object of strings, with the step's fields.
    let empty = Map::new();
    let form = match &doc.form {
        Value::Object(map) => map,
        other => {
            s.push(
                Check::fail(
                    TokenRequestCheck::Fields,
                    format!("the form is {}, not an object of fields", crate::jwt::token::json_type(other)),
                )
                .expected_found("{\"client_id\": …, \"client_secret\": …, …}", other.to_string()),
            );
            &empty
        }
    };
    let step = step_of(endpoint, form);
    if doc.form.is_object() {
        fields_check(&mut s, form, step);
    }
    let field = |name: &str| form.get(name).and_then(Value::as_str).map(str::trim);

    // 4. client_id: no team prefix; the client the tokens belong to (the transferred app for migration).
    let client_id = field("client_id");
    if let Some(id) = client_id {
        s.push(client_id_check(id, doc.expected.client_id.as_deref(), doc.transfer.as_ref(), step));
    }

    // 5. client_secret: every client-secret check, then 6. the team that must sign it.
    let mut iss = None;
    if let Some(secret) = field("client_secret") {
        iss = secret_checks(&mut s, secret, keys, doc, client_id, now, leeway);
    }
    if let Some(check) = team_check(iss.as_deref(), doc, step) {
        s.push(check);
    }

    // 7. The step's own fields.
    match step {
        Step::Revoke => token_checks(&mut s, field("token"), field("token_type_hint")),
        Step::GenerateTransferSub => {
            s.push(target_check(field("target"), iss.as_deref(), doc.transfer.as_ref()));
            s.push(authorization_check(doc.authorization.as_deref()));
        }
        Step::ExchangeTransferSub => s.push(authorization_check(doc.authorization.as_deref())),
        Step::MigrationAccessToken => s.push(scope_check(field("scope"))),
        Step::OtherToken => s.warn(
            "grant_type",
            "code and refresh-token exchanges are diagnosed by kind jwt with troubleshoot (the client secret and the error)",
        ),
    }
    if let (Some(true), true) = (doc.transfer.as_ref().and_then(|t| t.grouped), is_migration(step)) {
        s.push(group_check(doc.transfer.as_ref()));
    }

    s.detail("endpoint", json!(endpoint.map(Endpoint::path)));
    s.detail("step", json!(step.name()));
    if let Some(response) = doc.response.as_ref() {
        let failing: Vec<String> = s.verdict.failed_ids().iter().map(|id| id.to_string()).collect();
        let causes: Vec<Cause> = ranking::causes(step, response, &failing);
        s.detail("diagnosis", ranking::render(response, &causes));
    }
    let mut explainers = Vec::new();
    if is_migration(step) {
        if let Some(e) = explain::topic("app-transfer") {
            explainers.push(json!(e));
        }
    }
    if step == Step::Revoke || doc.transfer.as_ref().is_some_and(|t| t.grouped == Some(true)) {
        if let Some(e) = explain::topic("display-name") {
            explainers.push(json!(e));
        }
    }
    if !explainers.is_empty() {
        s.detail("explain", Value::Array(explainers));
    }
    s.finish()
}

fn is_migration(step: Step) -> bool {
    matches!(step, Step::GenerateTransferSub | Step::ExchangeTransferSub | Step::MigrationAccessToken)
}

fn step_of(endpoint: Option<Endpoint>, form: &Map<String, Value>) -> Step {
    match endpoint {
        Some(Endpoint::Revoke) => Step::Revoke,
        Some(Endpoint::UserMigrationInfo) => {
            if form.contains_key("transfer_sub") && !form.contains_key("sub") {
                Step::ExchangeTransferSub
            } else {
                Step::GenerateTransferSub
            }
        }
        Some(Endpoint::Token) | None => {
            let grant = form.get("grant_type").and_then(Value::as_str);
            if grant == Some("client_credentials")
                || form.get("scope").and_then(Value::as_str) == Some("user.migration")
            {
                Step::MigrationAccessToken
            } else if endpoint.is_none() && form.contains_key("token") {
                Step::Revoke
            } else {
                Step::OtherToken
            }
        }
    }
}

fn url_check(s: &mut Session, url: &str) -> Option<Endpoint> {
    let want = format!("https://{APPLE_HOST}{{{}}}", Endpoint::PATHS.join(", "));
    let Some(u) = endpoint::split(url) else {
        s.push(Check::fail(TokenRequestCheck::Url, format!("{url} is not an absolute URL")).expected_found(want, url));
        return None;
    };
    let found = Endpoint::from_path(u.path);
    let mut problems = Vec::new();
    if u.scheme != "https" {
        problems.push(format!("the scheme is {}, not https", u.scheme));
    }
    if u.host != APPLE_HOST {
        problems.push(format!("the host is {}, not {APPLE_HOST}", u.host));
    }
    if found.is_none() {
        problems.push(format!("the path {} is none of Apple's{}", u.path, suggestion(u.path, &Endpoint::PATHS)));
    }
    if u.query.is_some() {
        problems.push("the fields are in the query string; they belong in the form body".to_string());
    }
    if problems.is_empty() {
        s.push(Check::pass(TokenRequestCheck::Url, format!("POST https://{APPLE_HOST}{}", u.path)));
    } else {
        s.push(Check::fail(TokenRequestCheck::Url, problems.join("; ")).expected_found(want, url));
    }
    found
}

fn content_type_check(s: &mut Session, content_type: Option<&str>) {
    match content_type.map(str::trim) {
        None => s.warn("content-type", format!("no Content-Type given; Apple reads only {FORM} bodies")),
        Some(ct) if ct.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case(FORM)) => {
            s.push(Check::pass(TokenRequestCheck::ContentType, format!("Content-Type: {FORM}")))
        }
        Some(ct) => {
            let cause = if ct.contains("json") {
                "a JSON body is not read: Apple answers invalid_request (TN3107); send a percent-encoded form"
            } else {
                "Apple reads only percent-encoded form bodies"
            };
            s.push(
                Check::fail(TokenRequestCheck::ContentType, format!("Content-Type is {ct}"))
                    .expected_found(FORM, ct)
                    .cause(cause),
            );
        }
    }
}

fn fields_check(s: &mut Session, form: &Map<String, Value>, step: Step) {
    let (required, optional) = step.fields();
    let known: Vec<&str> = required.iter().chain(optional).copied().collect();
    let mut problems = Vec::new();
    for name in required {
        if !form.contains_key(*name) {
            problems.push(format!("{name} is missing"));
        }
    }
    for (name, value) in form {
        if !known.contains(&name.as_str()) {
            if let Some((_, right)) = MISNAMED.iter().find(|(wrong, _)| *wrong == name.as_str()) {
                problems.push(format!("{name} is not read by {}: send {right}", step_label(step)));
            } else {
                problems.push(format!("{name} is not a field of {}{}", step_label(step), suggestion(name, &known)));
            }
            continue;
        }
        match value {
            Value::String(t) if t.trim().is_empty() => problems.push(format!("{name} is empty")),
            Value::String(t) if t.trim() != t => problems.push(format!("{name} has white space around it")),
            Value::String(_) => {}
            other => problems.push(format!("{name} is {}, not a string", crate::jwt::token::json_type(other))),
        }
    }
    if problems.is_empty() {
        s.push(Check::pass(TokenRequestCheck::Fields, format!("the form has {}", required.join(", "))));
    } else {
        let found: Vec<&str> = form.keys().map(String::as_str).collect();
        s.push(
            Check::fail(TokenRequestCheck::Fields, problems.join("; "))
                .expected_found(required.join(", "), found.join(", "))
                .cause("a missing, misnamed or duplicated parameter is answered with invalid_request (TN3107)"),
        );
    }
}

fn step_label(step: Step) -> &'static str {
    match step {
        Step::Revoke => "/auth/revoke",
        Step::GenerateTransferSub => "/auth/usermigrationinfo (transferring team: sub + target)",
        Step::ExchangeTransferSub => "/auth/usermigrationinfo (recipient team: transfer_sub)",
        Step::MigrationAccessToken => "/auth/token (client_credentials, scope user.migration)",
        Step::OtherToken => "/auth/token",
    }
}

fn client_id_check(id: &str, expected: Option<&str>, transfer: Option<&Transfer>, step: Step) -> Check {
    if let Some((prefix, rest)) = id.split_once('.') {
        if looks_like_apple_id(prefix) && rest.contains('.') {
            return Check::fail(TokenRequestCheck::ClientId, format!("client_id {id} starts with a Team ID"))
                .expected_found(rest, id)
                .cause("client_id is the bundle ID or Services ID without the App ID prefix");
        }
    }
    let want = if is_migration(step) { transfer.and_then(|t| t.client_id.as_deref()).or(expected) } else { expected };
    let Some(want) = want else {
        return Check::pass(
            TokenRequestCheck::ClientId,
            format!("client_id is {id} (no expected client id given to compare)"),
        );
    };
    if id == want {
        return Check::pass(TokenRequestCheck::ClientId, format!("client_id is {want}"));
    }
    let cause = if transfer.and_then(|t| t.primary_app_id.as_deref()) == Some(id) {
        "client_id is the primary App ID of the group, not the app being transferred: migration works per transferred \
         app, so send the transferred app's own identifier (and its secret's sub must match)"
            .to_string()
    } else if id.eq_ignore_ascii_case(want) {
        "identifiers are case-sensitive".to_string()
    } else if is_migration(step) {
        "client_id must be the identifier of the transferred app (TN3159)".to_string()
    } else {
        "the tokens were issued to another client id: the bundle ID for tokens from the app, the Services ID for tokens \
         from the web"
            .to_string()
    };
    Check::fail(TokenRequestCheck::ClientId, format!("client_id is {id}, not {want}"))
        .expected_found(want, id)
        .cause(cause)
}

/// Runs the client-secret checks on the secret, ids prefixed `client-secret.`; returns its `iss`.
fn secret_checks(
    s: &mut Session,
    secret: &str,
    keys: Option<&KeySet>,
    doc: &TokenRequestDocument,
    client_id: Option<&str>,
    now: Instant,
    leeway: i64,
) -> Option<String> {
    // The team is compared by the `team` check (it depends on the step); sub must equal the form's client_id.
    let expected = SecretExpected {
        key_id: doc.expected.key_id.clone(),
        client_id: client_id.map(str::to_string),
        ..SecretExpected::default()
    };
    let mut inner = Session::default();
    client_secret::verify(&mut inner, secret, keys, &expected, now, leeway);
    for mut check in inner.verdict.checks {
        // Every id a client secret reports has its prefixed variant (tested below).
        if let Some(prefixed) = JwtCheck::from_id(check.id).and_then(TokenRequestCheck::client_secret) {
            check.id = prefixed.id();
        }
        s.push(check);
    }
    for warning in inner.warnings {
        s.warnings.push(warning);
    }
    let iss =
        inner.verdict.details.get("claims").and_then(|c| c.get("iss")).and_then(Value::as_str).map(str::to_string);
    s.detail("client-secret", Value::Object(inner.verdict.details));
    iss
}

/// `team`: the secret was signed by the team this step needs.
fn team_check(iss: Option<&str>, doc: &TokenRequestDocument, step: Step) -> Option<Check> {
    let iss = iss?;
    let transfer = doc.transfer.as_ref();
    let (want, who) = match step {
        Step::GenerateTransferSub => (transfer.map(|t| t.transferring_team.as_str()), "the transferring team"),
        Step::ExchangeTransferSub => (transfer.map(|t| t.recipient_team.as_str()), "the recipient team"),
        Step::MigrationAccessToken => (None, "the team making the migration call"),
        Step::Revoke | Step::OtherToken => (doc.expected.team_id.as_deref(), "the team that owns the client id"),
    };
    if step == Step::MigrationAccessToken {
        let t = transfer?;
        return Some(if iss == t.transferring_team || iss == t.recipient_team {
            let side = if iss == t.transferring_team { "transferring" } else { "recipient" };
            Check::pass(TokenRequestCheck::Team, format!("the secret is signed by the {side} team {iss}; use this access token for the {side} team's calls only"))
        } else {
            Check::fail(TokenRequestCheck::Team, format!("the secret is signed by {iss}, neither team of the transfer"))
                .expected_found(format!("{} or {}", t.transferring_team, t.recipient_team), iss)
                .cause("the key belongs to a third team")
        });
    }
    let want = want?;
    if iss == want {
        return Some(Check::pass(TokenRequestCheck::Team, format!("the client secret is signed by {who} ({want})")));
    }
    let cause = match (step, transfer) {
        (Step::GenerateTransferSub, Some(t)) if iss == t.recipient_team => {
            "the recipient team's key signed the secret: transfer identifiers are generated by the transferring team, \
             with its own key and Team ID (TN3159)"
        }
        (Step::ExchangeTransferSub, Some(t)) if iss == t.transferring_team => {
            "the transferring team's key signed the secret: the recipient exchanges transfer_sub values with its own key \
             and Team ID (TN3159)"
        }
        (Step::Revoke, _) => {
            "the secret was made with another team's key: tokens can only be revoked by the team that owns the client \
             id now (after an app transfer, the recipient)"
        }
        _ => "the secret was signed by another team",
    };
    Some(
        Check::fail(TokenRequestCheck::Team, format!("the client secret is signed by {iss}, not {who} ({want})"))
            .expected_found(want, iss)
            .cause(cause),
    )
}

fn token_checks(s: &mut Session, token: Option<&str>, hint: Option<&str>) {
    if let Some(t) = token {
        let parts = t.split('.').count();
        let check = if parts == 3 && t.starts_with("eyJ") {
            Check::fail(
                TokenRequestCheck::Token,
                "token is a JWT: the identity token (or the client secret), which cannot be revoked",
            )
            .expected_found("the refresh_token or access_token /auth/token returned", "a JWT")
            .cause("revoke the refresh token (or access token) from the code exchange; identity tokens simply expire")
        } else {
            Check::pass(TokenRequestCheck::Token, "token is an opaque token, not a JWT")
        };
        s.push(check);
        // Apple's refresh tokens have been seen to start with r, access tokens with a, codes with c (reported).
        let guess = match t.chars().next() {
            Some('r') => Some("refresh_token"),
            Some('a') => Some("access_token"),
            Some('c') => Some("authorization code"),
            _ => None,
        };
        match (guess, hint) {
            (Some("authorization code"), _) => s.warn(
                "token",
                "the token looks like an authorization code (reported: codes start with c); exchange it at /auth/token \
                 first and revoke the refresh token",
            ),
            (Some(g), Some(h)) if g != h => s.warn(
                "token_type_hint",
                format!("the token looks like an {g} (reported, not documented: Apple's {g}s start with {}), but the hint says {h}", &g[..1]),
            ),
            _ => {}
        }
    }
    if let Some(h) = hint {
        s.push(if h == "refresh_token" || h == "access_token" {
            Check::pass(TokenRequestCheck::TokenTypeHint, format!("token_type_hint is {h}"))
        } else {
            Check::fail(
                TokenRequestCheck::TokenTypeHint,
                format!("token_type_hint is {h}{}", suggestion(h, &["refresh_token", "access_token"])),
            )
            .expected_found("refresh_token or access_token", h)
            .cause("Apple documents only these two hints")
        });
    }
}

fn target_check(target: Option<&str>, iss: Option<&str>, transfer: Option<&Transfer>) -> Check {
    let Some(target) = target else {
        return Check::fail(TokenRequestCheck::Target, "target is missing")
            .expected_found("the recipient team's Team ID", "nothing");
    };
    if !looks_like_apple_id(target) {
        return Check::fail(TokenRequestCheck::Target, format!("target {target} is not a Team ID"))
            .expected_found("10 upper-case letters and digits", target)
            .cause(if target.contains('.') {
                "target holds an identifier; it is the recipient's Team ID"
            } else {
                "target is a Team ID"
            });
    }
    match transfer {
        Some(t) if target == t.recipient_team => {}
        Some(t) => {
            let cause = if target == t.transferring_team {
                "target is the transferring team's own Team ID; it must be the team receiving the app (a classic bug, \
                 reported in nov/apple_id #21)"
            } else {
                "the transfer identifiers would be made for another team"
            };
            return Check::fail(
                TokenRequestCheck::Target,
                format!("target is {target}, not the recipient team {}", t.recipient_team),
            )
            .expected_found(t.recipient_team.clone(), target)
            .cause(cause);
        }
        None if iss == Some(target) => {
            return Check::fail(TokenRequestCheck::Target, format!("target is {target}, the team signing the request"))
                .expected_found("the recipient team's Team ID", target)
                .cause("target is the team receiving the app, not the sender's own Team ID (a classic bug, reported in nov/apple_id #21)");
        }
        None => {}
    }
    Check::pass(TokenRequestCheck::Target, format!("target is the recipient team {target}"))
}

fn authorization_check(header: Option<&str>) -> Check {
    let want = "Authorization: Bearer <access_token from /auth/token with grant_type=client_credentials, scope=user.migration>";
    let Some(h) = header.map(str::trim) else {
        return Check::fail(TokenRequestCheck::Authorization, "no Authorization header")
            .expected_found(want, "nothing")
            .cause("user migration calls need an access token of the calling team (TN3159)");
    };
    let h = h.strip_prefix("Authorization:").map(str::trim).unwrap_or(h);
    let Some(token) = h.strip_prefix("Bearer ") else {
        return Check::fail(TokenRequestCheck::Authorization, "the header is not Bearer <token>")
            .expected_found(want, h.to_string());
    };
    if token.trim().starts_with("eyJ") {
        return Check::fail(TokenRequestCheck::Authorization, "the bearer token is a JWT")
            .expected_found(want, "a JWT (the client secret or an identity token)")
            .cause("send the access_token Apple returned for grant_type=client_credentials, not the client secret");
    }
    Check::pass(TokenRequestCheck::Authorization, "Authorization: Bearer <access token>")
}

fn scope_check(scope: Option<&str>) -> Check {
    match scope {
        Some("user.migration") => Check::pass(TokenRequestCheck::Scope, "scope is user.migration"),
        Some(other) => Check::fail(TokenRequestCheck::Scope, format!("scope is {other}"))
            .expected_found("user.migration", other)
            .cause("the migration access token needs scope=user.migration; anything else is invalid_scope"),
        None => Check::fail(TokenRequestCheck::Scope, "scope is missing").expected_found("user.migration", "nothing"),
    }
}

fn group_check(transfer: Option<&Transfer>) -> Check {
    let primary = transfer.and_then(|t| t.primary_app_id.as_deref()).unwrap_or("another primary App ID");
    Check::fail(TokenRequestCheck::Group, format!("the transferred App ID is grouped under {primary}"))
        .expected_found(
            "a primary App ID of its own (ungrouped before the transfer)",
            format!("grouped under {primary}"),
        )
        .cause(
            "Apple asks you to ungroup Sign in with Apple app groups before a transfer (App Store Connect refuses to \
             transfer a grouped app); users of a grouped app belong to the primary's group. Ungrouping keeps working \
             sign-ins but Apple recommends a new key for each new primary App ID",
        )
}
