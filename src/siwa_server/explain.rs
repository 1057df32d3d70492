//! Kind `siwa-explain`: text explainers for the Sign in with Apple questions no token check
//! answers, starting with the "App ID's identifier not updating" thread: where the name a user
//! sees comes from and when it changes. Reuses the jwt module's [`Explainer`] shape (and its
//! existing explainers for the first authorization and app transfers).

use super::document::ExplainDocument;
use super::ExplainCheck;
use crate::document::suggestion;
use crate::jwt::explain::{self as jwt_explain, Explainer, Identifier, Step};
use crate::jwt::notification;
use crate::validator::{Check, Verdict};
use serde::Serialize;
use serde_json::json;

/// The topics, by id.
pub const TOPICS: [&str; 4] = ["display-name", "server-notifications", "app-transfer", "first-authorization"];

/// The explainer of a topic.
pub fn topic(id: &str) -> Option<&'static Explainer> {
    match id {
        "display-name" => Some(&DISPLAY_NAME),
        "server-notifications" => Some(&SERVER_NOTIFICATIONS),
        "app-transfer" => Some(jwt_explain::app_transfer()),
        "first-authorization" => Some(jwt_explain::first_authorization()),
        _ => None,
    }
}

/// What renaming one identifier changes, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rename {
    pub what: &'static str,
    pub shows_in: &'static str,
    pub changes_when: &'static str,
    pub evidence: &'static str,
}

/// The identifiers a developer can rename.
pub const RENAMES: [Rename; 5] = [
    Rename {
        what: "app-store-name",
        shows_in: "the native Sign in with Apple sheet and Settings › Apple Account › Sign in with Apple, for an app on the App Store: the app's name",
        changes_when: "with the next approved version that carries the new name; existing entries in Settings may keep the old name for a while",
        evidence: "reported, not documented",
    },
    Rename {
        what: "app-id-description",
        shows_in: "the name Certificates, Identifiers & Profiles shows; for an app not (yet) on the App Store the sheet and Settings may fall back to it",
        changes_when: "not reliably after the user's first consent: the entry in Settings was created with the name of that time",
        evidence: "reported, not documented",
    },
    Rename {
        what: "services-id-description",
        shows_in: "the web sign-in page (Sign in with Apple JS, the REST redirect): the Services ID's description is the name users see there",
        changes_when: "on the next web sign-in; Settings lists the group under its primary App ID, not the Services ID",
        evidence: "reported, not documented",
    },
    Rename {
        what: "bundle-display-name",
        shows_in: "the home screen only; Sign in with Apple does not read CFBundleDisplayName",
        changes_when: "never for Sign in with Apple",
        evidence: "reported, not documented",
    },
    Rename {
        what: "notification-url",
        shows_in: "nowhere: the server-to-server endpoint is configuration of the primary App ID, independent of every name",
        changes_when: "as soon as the App ID is saved; a stale name in Settings says nothing about a stale configuration",
        evidence: "documented (the endpoint is set on the primary App ID); the independence from names is an inference",
    },
];

static DISPLAY_NAME: Explainer = Explainer {
    id: "siwa-display-name",
    title: "Where the name in the Sign in with Apple sheet and in Settings comes from",
    summary: "Users consent to an app group, represented by its primary App ID, not to each identifier. Settings › \
              Apple Account › Sign in with Apple lists one entry per group under the primary app's name (grouped apps \
              and Services IDs do not get entries of their own); the web page shows the Services ID's description. \
              Renaming an identifier does not rename an existing consent entry at once, and the name is not the \
              configuration: a server notification URL saved on the primary App ID applies whatever name is shown. \
              A development build with its own App ID and Services ID is a separate group with its own entry and \
              configuration, which is why it can work while production does not.",
    steps: &[
        Step { actor: "developer", text: "Find the group's primary App ID: Certificates, Identifiers & Profiles › the App ID › Sign in with Apple › Configure. A grouped App ID inherits the primary's consent and notification endpoint." },
        Step { actor: "developer", text: "Set the server-to-server notification URL on that primary App ID (it can only be registered there) and save the App ID." },
        Step { actor: "developer", text: "Check revocation and notifications with a token for that group: the aud of a notification is the client id, and /auth/revoke needs a client secret whose sub is the client_id the token was issued to." },
        Step { actor: "tester", text: "To see current names, stop using the app in Settings › Apple Account › Sign in with Apple and sign in again: a new consent entry is created." },
        Step { actor: "developer", text: "To give a grouped app its own entry and configuration, ungroup it (make it a primary App ID); Apple recommends a new key for each new primary." },
    ],
    identifiers: &[
        Identifier { name: "primary App ID", meaning: "the group's representative: its app's name labels the group in Settings, and it holds the notification endpoint" },
        Identifier { name: "grouped App ID", meaning: "an app grouped with a primary: shares consent, users and the endpoint; no entry of its own in Settings" },
        Identifier { name: "Services ID", meaning: "the client id of the web flow, associated with a primary App ID; its description is the name on the web page" },
        Identifier { name: "App ID description", meaning: "a label in the developer portal, not the name of the App Store app" },
    ],
    sources: &[
        "https://developer.apple.com/help/account/capabilities/about-sign-in-with-apple",
        "https://developer.apple.com/help/account/configure-app-capabilities/group-apps-for-sign-in-with-apple",
        "https://developer.apple.com/help/account/capabilities/enabling-server-to-server-notifications",
        "Apple Developer Forums thread 795172 (DTS: the primary app is the authentication source for the group; grouped apps are not listed)",
        "Seed thread \"APP ID's identifier not updating\" (the renamed identifiers still show the old name: reported, not documented)",
    ],
};

static SERVER_NOTIFICATIONS: Explainer = Explainer {
    id: "siwa-server-notifications",
    title: "Server-to-server notifications: what arrives and what to do",
    summary: "Apple POSTs {\"payload\": \"<JWT>\"} to the endpoint of the primary App ID. Verify the RS256 signature \
              with Apple's JWKS, iss https://appleid.apple.com, aud = your client id, exp; then parse the events \
              claim, a JSON string, for type, sub and event_time (milliseconds). Check it with kind jwt, profile \
              apple-server-notification.",
    steps: &[
        Step { actor: "server", text: "Verify the JWT before reading events; refetch https://appleid.apple.com/auth/keys when the kid is unknown." },
        Step { actor: "server", text: "Parse events a second time (it is a string); route on aud when one URL serves several apps or teams." },
        Step { actor: "server", text: "email-disabled / email-enabled: mark the relay address as not delivering / delivering." },
        Step { actor: "server", text: "consent-revoked: sign the user out and drop their tokens; account-delete: delete or close the account tied to sub." },
        Step { actor: "server", text: "Answer 200, handle duplicates idempotently, do slow work asynchronously." },
    ],
    identifiers: &[
        Identifier { name: "events", meaning: "a JSON string: {type, sub, event_time, email?, is_private_email?}" },
        Identifier { name: "aud", meaning: "the client id (bundle ID or Services ID) the event is about" },
    ],
    sources: &[
        "https://developer.apple.com/documentation/signinwithapple/processing-changes-for-sign-in-with-apple-accounts",
        "https://developer.apple.com/help/account/capabilities/enabling-server-to-server-notifications",
        "Apple Developer Forums, DTS answers in threads 807645 and 809509",
    ],
};

/// Looks a topic up; `renamed` entries explain what renaming each identifier changes.
pub fn verify(doc: &ExplainDocument) -> Verdict {
    let mut verdict = Verdict::default();
    match topic(&doc.topic) {
        Some(explainer) => {
            verdict.checks.push(Check::pass(ExplainCheck::Topic, format!("topic {}: {}", doc.topic, explainer.title)));
            verdict.detail("explain", json!([explainer]));
        }
        None => verdict.checks.push(
            Check::fail(ExplainCheck::Topic, format!("no topic {}{}", doc.topic, suggestion(&doc.topic, &TOPICS)))
                .expected_found(TOPICS.join(", "), doc.topic.clone()),
        ),
    }
    if doc.topic == "server-notifications" {
        verdict.detail("events", json!(notification::explainers()));
    }
    if !doc.renamed.is_empty() {
        let names: Vec<&str> = RENAMES.iter().map(|r| r.what).collect();
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        for name in &doc.renamed {
            match RENAMES.iter().find(|r| r.what == name.as_str()) {
                Some(r) => found.push(json!(r)),
                None => unknown.push(format!("{name}{}", suggestion(name, &names))),
            }
        }
        verdict.checks.push(if unknown.is_empty() {
            Check::pass(ExplainCheck::Renamed, format!("{} renamed identifier(s) explained", found.len()))
        } else {
            Check::fail(ExplainCheck::Renamed, format!("unknown: {}", unknown.join(", ")))
                .expected_found(names.join(", "), doc.renamed.join(", "))
        });
        verdict.detail("renamed", json!(found));
    }
    verdict.detail("topics", json!(TOPICS));
    verdict
}
