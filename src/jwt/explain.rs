//! Explainers the UI can show beside a report: static, structured text about Sign in with
//! Apple behaviour that no token check can reveal (auth-rules §2.5, §2.6).

use serde::Serialize;

/// One explainer: a title, a short summary, steps to follow, the identifiers involved, and sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Explainer {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub steps: &'static [Step],
    pub identifiers: &'static [Identifier],
    pub sources: &'static [&'static str],
}

/// A numbered step, with who performs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    pub actor: &'static str,
    pub text: &'static str,
}

/// An identifier a developer meets, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Identifier {
    pub name: &'static str,
    pub meaning: &'static str,
}

/// Every explainer, for a UI index.
pub fn all() -> [&'static Explainer; 2] {
    [first_authorization(), app_transfer()]
}

/// Why name and email arrive only once, and how to get them again while testing.
pub fn first_authorization() -> &'static Explainer {
    &FIRST_AUTHORIZATION
}

/// Moving an app and its Sign in with Apple users to another team (TN3159).
pub fn app_transfer() -> &'static Explainer {
    &APP_TRANSFER
}

static FIRST_AUTHORIZATION: Explainer = Explainer {
    id: "siwa-first-authorization",
    title: "Name and email come only with the first authorization",
    summary: "Apple hands the user's name and the user object (with email) to the app or web page only the first \
              time an Apple ID authorizes it. Later sign-ins return just the user identifier; the email stays in \
              the identity token, the name is never in it. Store both on your server the first time.",
    steps: &[
        Step { actor: "app", text: "On the first authorization, read fullName and email from the credential (web: the user JSON posted with response_mode=form_post) and send them to your server at once." },
        Step { actor: "server", text: "Persist them keyed by sub; on later sign-ins fall back to the email claim of the identity token." },
        Step { actor: "tester", text: "To see the first-authorization sheet again: Settings › [your name] › Sign-In & Security › Sign in with Apple › the app › Stop Using (or appleid.apple.com › Sign in with Apple), then sign in again." },
        Step { actor: "server", text: "Or revoke the user's tokens with POST /auth/revoke; the credential state becomes revoked and the next sign-in is a first authorization." },
        Step { actor: "app", text: "Make profile fields optional: App Review's Apple ID has usually authorized the app before, so the review build gets no name or email, and asking for data Sign in with Apple already provided leads to rejection." },
    ],
    identifiers: &[
        Identifier { name: "sub", meaning: "the user identifier, stable for all apps of your team; the account key" },
        Identifier { name: "email", meaning: "real address or @privaterelay.appleid.com relay; in the identity token every time, but not an identifier" },
        Identifier { name: "fullName", meaning: "only in the first authorization response, never in the identity token" },
    ],
    sources: &[
        "https://developer.apple.com/documentation/signinwithapplejs/useri",
        "Apple Developer Forums DTS answers, threads 749308 and 701867",
    ],
};

static APP_TRANSFER: Explainer = Explainer {
    id: "siwa-app-transfer",
    title: "Transferring an app moves its users to new team-scoped identifiers (TN3159)",
    summary: "User identifiers (sub) and private relay addresses belong to a team. After an app transfer the \
              receiving team sees new values; during a 60-day window both teams call /auth/usermigrationinfo to map \
              each old sub to the new one through a transfer identifier.",
    steps: &[
        Step { actor: "sending team", text: "Before the transfer, ungroup Sign in with Apple app groups; a Services ID tied to the transferred primary App ID moves with it." },
        Step { actor: "sending team", text: "Get an access token: POST /auth/token with grant_type=client_credentials, scope=user.migration, client_id = the transferred app's identifier, client_secret signed with the sending team's key (iss = sending Team ID)." },
        Step { actor: "sending team", text: "For each user: POST /auth/usermigrationinfo with sub (old), target (the RECEIVING Team ID), client_id, client_secret and the bearer token; store the returned transfer_sub." },
        Step { actor: "sending team", text: "Hand over only transfer_sub values, never old subs or relay emails." },
        Step { actor: "receiving team", text: "Get its own access token the same way, with a client secret signed by the receiving team's key (iss = receiving Team ID)." },
        Step { actor: "receiving team", text: "For each transfer_sub: POST /auth/usermigrationinfo with transfer_sub, client_id, client_secret; Apple returns the new sub, email and is_private_email." },
        Step { actor: "receiving team", text: "Users who sign in during the window carry a transfer_sub claim in the identity token; match them by it. The window is 60 days; transferring back and forth reopens it." },
    ],
    identifiers: &[
        Identifier { name: "sub (sending team)", meaning: "the user's identifier under the old team; meaningless to the receiving team" },
        Identifier { name: "transfer_sub", meaning: "the transfer identifier linking old and new sub, valid during the 60-day window" },
        Identifier { name: "sub (receiving team)", meaning: "the user's new identifier; differs from the old one" },
        Identifier { name: "target", meaning: "the receiving team's Team ID (a classic bug is sending the sender's own ID)" },
        Identifier { name: "client_id", meaning: "the transferred app's bundle ID or Services ID, without Team ID prefix" },
        Identifier { name: "iss of the client secret", meaning: "the calling team: the sender for step 2–3, the receiver for step 5–6" },
    ],
    sources: &[
        "https://developer.apple.com/documentation/technotes/tn3159-migrating-sign-in-with-apple-users-for-an-app-transfer",
        "https://developer.apple.com/documentation/technotes/tn3107-resolving-sign-in-with-apple-response-errors",
    ],
};
