//! Apple's error answers to revoke, user-migration and migration-token requests, each with its
//! possible causes, ranked: causes a failing check of this request points to come first, then
//! documented causes, then those only forums report.

use super::document::Response;
use super::token_request::Step;
use serde::Serialize;
use serde_json::{json, Value};

/// How well a cause is backed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    Documented,
    #[serde(rename = "reported, not documented")]
    Reported,
    /// Keyplay's inference from documented rules, not stated anywhere.
    Inferred,
}

/// One possible cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub cause: &'static str,
    pub fix: &'static str,
    pub evidence: Evidence,
    pub source: &'static str,
    /// Failing checks of this request that point to the cause.
    pub seen_in: Vec<String>,
}

struct Rule {
    steps: &'static [Step],
    error: &'static str,
    cause: &'static str,
    fix: &'static str,
    evidence: Evidence,
    source: &'static str,
    /// Check ids (a trailing `*` matches a prefix) whose failure points to this cause.
    checks: &'static [&'static str],
}

const TN3107: &str = "TN3107: Resolving Sign in with Apple response errors";
const TN3159: &str = "TN3159: Migrating Sign in with Apple users for an app transfer";
const REVOKE: &str = "Sign in with Apple REST API: Revoke tokens";
const MIGRATION: &[Step] = &[Step::GenerateTransferSub, Step::ExchangeTransferSub];
const ALL: &[Step] =
    &[Step::Revoke, Step::GenerateTransferSub, Step::ExchangeTransferSub, Step::MigrationAccessToken, Step::OtherToken];

const RULES: &[Rule] = &[
    // invalid_client: client authentication.
    Rule { steps: ALL, error: "invalid_client", cause: "the client secret is malformed, expired, badly signed (DER or wrong key), or its sub differs from client_id", fix: "fix the client-secret checks that fail; sub must equal client_id byte for byte", evidence: Evidence::Documented, source: TN3107, checks: &["client-secret.*"] },
    Rule { steps: ALL, error: "invalid_client", cause: "the body is not a percent-encoded form", fix: "send application/x-www-form-urlencoded", evidence: Evidence::Documented, source: TN3107, checks: &["content-type"] },
    Rule { steps: &[Step::Revoke, Step::OtherToken], error: "invalid_client", cause: "the client secret is signed by a team that does not own the client id (iss is another Team ID, for example the team that transferred the app away)", fix: "sign with a key of the team that owns the client id now, iss = its Team ID", evidence: Evidence::Documented, source: TN3107, checks: &["team", "client-secret.iss"] },
    Rule { steps: MIGRATION, error: "invalid_client", cause: "the secret is signed by the other team of the transfer", fix: "the transferring team signs generate-transfer-sub requests, the recipient team exchange requests, each with its own key and Team ID", evidence: Evidence::Documented, source: TN3159, checks: &["team"] },
    Rule { steps: ALL, error: "invalid_client", cause: "the key is not enabled for Sign in with Apple, or is configured for another primary App ID group than the client id", fix: "use a Sign in with Apple key whose primary App ID is the client id's group", evidence: Evidence::Reported, source: "forum reports (auth-rules §1.7)", checks: &["client-secret.kid"] },
    // invalid_request: the request itself.
    Rule { steps: ALL, error: "invalid_request", cause: "a parameter is missing, misnamed, duplicated or empty, or the content type is wrong", fix: "send exactly the documented fields", evidence: Evidence::Documented, source: TN3107, checks: &["fields", "content-type", "url"] },
    Rule { steps: ALL, error: "invalid_request", cause: "the token, the client_id and the client secret's sub do not belong together", fix: "use the client id the tokens were issued to, in both client_id and the secret's sub", evidence: Evidence::Documented, source: TN3107, checks: &["client_id", "client-secret.sub"] },
    Rule { steps: MIGRATION, error: "invalid_request", cause: "the user revoked access to the app before the migration completed", fix: "nothing to migrate for that user: they sign up again", evidence: Evidence::Documented, source: "TN3107; DTS answer in forum thread 705275", checks: &[] },
    Rule { steps: MIGRATION, error: "invalid_request", cause: "the access token is missing, belongs to the other team, or was not made with scope user.migration", fix: "get it from /auth/token (grant_type=client_credentials, scope=user.migration) with the calling team's secret", evidence: Evidence::Documented, source: TN3159, checks: &["authorization"] },
    Rule { steps: &[Step::Revoke], error: "invalid_request", cause: "the user already revoked the app (Settings › Stop Using): there is nothing left to revoke", fix: "treat it as done; the consent-revoked notification tells you the same", evidence: Evidence::Documented, source: TN3107, checks: &[] },
    // access_denied: not documented for these endpoints.
    Rule { steps: MIGRATION, error: "access_denied", cause: "client_id is not the transferred app: for example the primary App ID of the group while a grouped App ID was transferred", fix: "send the transferred app's own identifier as client_id and as the secret's sub", evidence: Evidence::Inferred, source: "TN3159 (client_id is the transferred app); access_denied itself is not documented for usermigrationinfo", checks: &["client_id", "client-secret.sub"] },
    Rule { steps: MIGRATION, error: "access_denied", cause: "the transferred App ID was still grouped under another primary App ID", fix: "ungroup before the transfer; Apple asks for it and App Store Connect refuses grouped apps", evidence: Evidence::Inferred, source: "Transferring your apps and users to another team (ungroup first)", checks: &["group"] },
    Rule { steps: MIGRATION, error: "access_denied", cause: "the team signing the call may not act on this app now: the recipient generating transfer identifiers, the sender exchanging them, or a call before the transfer completed or after the 60-day window", fix: "check the team per step and the transfer date; a missed window is reopened by transferring back and forth", evidence: Evidence::Inferred, source: TN3159, checks: &["team", "target"] },
    Rule { steps: MIGRATION, error: "access_denied", cause: "the migration endpoint answered access_denied for this request (reported in the forum without an Apple explanation)", fix: "fix every failing check first; if all pass, ask DTS with the request id", evidence: Evidence::Reported, source: "Seed thread \"access_denied error during Sign in with Apple user migration (TN3159)\"", checks: &[] },
    // invalid_grant and invalid_scope.
    Rule { steps: &[Step::Revoke], error: "invalid_grant", cause: "the refresh or access token is invalid, expired, or was issued to another client id", fix: "revoke a token from a code exchange made with this client_id", evidence: Evidence::Documented, source: TN3107, checks: &["token", "client_id"] },
    Rule { steps: &[Step::MigrationAccessToken, Step::OtherToken], error: "invalid_scope", cause: "scope is not user.migration for a client_credentials request", fix: "send scope=user.migration", evidence: Evidence::Documented, source: TN3107, checks: &["scope"] },
    Rule { steps: &[Step::MigrationAccessToken, Step::OtherToken], error: "unsupported_grant_type", cause: "grant_type is misspelled or not one Apple supports", fix: "grant_type=client_credentials for migration", evidence: Evidence::Documented, source: TN3107, checks: &["fields"] },
];

/// What a 200 from revoke means.
const REVOKE_200: &str = "Apple answers 200 even for tokens it does not know or already revoked, so a 200 proves \
    nothing about the token; confirm with the credential state (revoked) or the consent-revoked notification (reported, not documented: forum \
    thread 707610)";

fn matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => id.starts_with(prefix),
        None => pattern == id,
    }
}

/// The causes of the response's error for this step, ranked.
pub fn causes(step: Step, response: &Response, failing: &[String]) -> Vec<Cause> {
    let Some(error) = response.error.as_deref() else { return Vec::new() };
    let mut out: Vec<(usize, Cause)> = RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| r.error == error && r.steps.contains(&step))
        .map(|(i, r)| {
            let seen_in = failing.iter().filter(|id| r.checks.iter().any(|p| matches(p, id))).cloned().collect();
            (i, Cause { cause: r.cause, fix: r.fix, evidence: r.evidence, source: r.source, seen_in })
        })
        .collect();
    out.sort_by_key(|(i, c)| (c.seen_in.is_empty(), c.evidence, *i));
    out.into_iter().map(|(_, c)| c).collect()
}

/// The `diagnosis` detail.
pub fn render(response: &Response, causes: &[Cause]) -> Value {
    let note = match (response.status, response.error.as_deref()) {
        (Some(200), None) | (None, None) => json!(REVOKE_200),
        (_, Some(e)) if causes.is_empty() => json!(format!(
            "Keyplay has no causes for {e} on this endpoint; TN3107 lists invalid_request, invalid_client, invalid_grant, \
             unauthorized_client, unsupported_grant_type and invalid_scope"
        )),
        _ => Value::Null,
    };
    json!({
        "status": response.status,
        "error": response.error,
        "error_description": response.error_description,
        "causes": causes,
        "note": note,
        "sources": [REVOKE, TN3107, TN3159],
    })
}
