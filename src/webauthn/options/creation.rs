//! Lints specific to PublicKeyCredentialCreationOptions.

use super::shared::{self, b64url};
use super::Lints;
use crate::webauthn::cose;
use crate::webauthn::WebauthnCheck as Id;
use serde_json::{Map, Value};

const KNOWN: &[&str] = &[
    "rp",
    "user",
    "challenge",
    "pubKeyCredParams",
    "timeout",
    "excludeCredentials",
    "authenticatorSelection",
    "hints",
    "attestation",
    "attestationFormats",
    "extensions",
];

/// Runs every creation lint.
pub fn lint(o: &Map<String, Value>, host: Option<&str>, l: &mut Lints) {
    required(o, l);
    shared::unknown_members(o, KNOWN, l);
    shared::rp_id_lint(o.get("rp").and_then(|rp| rp.get("id")), host, l);
    shared::challenge(o, l);
    user_id(o, l);
    algorithms(o.get("pubKeyCredParams"), l);
    let sel = o.get("authenticatorSelection").and_then(Value::as_object);
    resident_key(sel, l);
    shared::user_verification(sel.and_then(|s| s.get("userVerification")), l);
    match sel.and_then(|s| s.get("authenticatorAttachment")) {
        None => l.pass(Id::AuthenticatorAttachment, "no authenticatorAttachment: any authenticator may be used"),
        Some(Value::String(a)) if a == "platform" || a == "cross-platform" => {
            l.pass(Id::AuthenticatorAttachment, format!("authenticatorAttachment {a}"))
        }
        Some(other) => l.fire(
            Id::AuthenticatorAttachment,
            "unknown authenticatorAttachment: ignored by browsers",
            "platform or cross-platform",
            other.to_string(),
            "a typo; the browser offers every kind of authenticator",
        ),
    }
    match o.get("attestation") {
        None => l.pass(Id::Attestation, "attestation absent: none applies"),
        Some(Value::String(a)) if a == "none" || a == "indirect" || a == "direct" => {
            l.pass(Id::Attestation, format!("attestation {a}"))
        }
        Some(Value::String(a)) if a == "enterprise" => l.fire(
            Id::Attestation,
            "enterprise attestation is only released to RPs allow-listed by the platform or browser policy",
            "none, indirect or direct (unless you are allow-listed)",
            a.clone(),
            "without the allow-listing the client downgrades the request",
        ),
        Some(other) => l.fire(
            Id::Attestation,
            "unknown attestation value: treated as none",
            "none, indirect, direct or enterprise",
            other.to_string(),
            "a typo; the RP receives fmt none",
        ),
    }
    shared::timeout(o.get("timeout"), l);
    shared::descriptors(Id::ExcludeCredentials, "excludeCredentials", o.get("excludeCredentials"), l);
    if let Some(items) = o.get("excludeCredentials").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate().take(1000) {
            if let Some(Err(e)) = item.get("id").and_then(Value::as_str).map(b64url) {
                l.note_encoding(&format!("excludeCredentials[{i}].id"), &e);
            }
        }
    }
}

fn required(o: &Map<String, Value>, l: &mut Lints) {
    let mut missing = Vec::new();
    let text = |v: Option<&Value>| v.is_some_and(Value::is_string);
    match o.get("rp").and_then(Value::as_object) {
        None => missing.push("rp"),
        Some(rp) if !text(rp.get("name")) => missing.push("rp.name"),
        _ => {}
    }
    match o.get("user").and_then(Value::as_object) {
        None => missing.push("user"),
        Some(u) => {
            for (k, label) in [("id", "user.id"), ("name", "user.name"), ("displayName", "user.displayName")] {
                if !text(u.get(k)) {
                    missing.push(label);
                }
            }
        }
    }
    if !text(o.get("challenge")) {
        missing.push("challenge");
    }
    if !o.get("pubKeyCredParams").is_some_and(Value::is_array) {
        missing.push("pubKeyCredParams");
    }
    if missing.is_empty() {
        l.pass(Id::RequiredMembers, "rp, user, challenge and pubKeyCredParams are present");
    } else {
        l.fire(
            Id::RequiredMembers,
            "required members are missing or of the wrong type: TypeError",
            "rp{name}, user{id, name, displayName}, challenge, pubKeyCredParams",
            format!("missing or not a string/array: {}", missing.join(", ")),
            "the server library left a field out, or renamed it (e.g. user.displayName is required even when empty)",
        );
    }
}

fn user_id(o: &Map<String, Value>, l: &mut Lints) {
    let user = o.get("user");
    let Some(id) = user.and_then(|u| u.get("id")).and_then(Value::as_str) else {
        l.pass(Id::UserIdLength, "no user.id to check (see required-members)");
        l.pass(Id::UserIdPii, "no user.id to check");
        return;
    };
    let bytes = match b64url(id) {
        Ok(b) => b,
        Err(e) => {
            l.note_encoding("user.id", &e);
            id.as_bytes().to_vec()
        }
    };
    if bytes.is_empty() || bytes.len() > 64 {
        l.fire(
            Id::UserIdLength,
            "user.id must be 1 to 64 bytes: TypeError",
            "1 to 64 bytes",
            format!("{} bytes", bytes.len()),
            "a long identifier (e.g. a UUID string hashed to hex, or a JWT) was used; use 16 to 64 random bytes",
        );
    } else {
        l.pass(Id::UserIdLength, format!("user.id of {} bytes", bytes.len()));
    }
    let text = String::from_utf8_lossy(&bytes).to_string();
    let name = user.and_then(|u| u.get("name")).and_then(Value::as_str).unwrap_or("");
    if text.contains('@') || (!name.is_empty() && text == name) {
        l.fire(Id::UserIdPii, "user.id looks like personal data", "random opaque bytes", text, "the e-mail or user name was used as the user handle; it is stored on the authenticator and returned to anyone who starts a sign-in");
    } else {
        l.pass(Id::UserIdPii, "user.id does not look like an e-mail or the user name");
    }
}

fn algorithms(params: Option<&Value>, l: &mut Lints) {
    let Some(list) = params.and_then(Value::as_array) else {
        for id in [
            Id::AlgorithmsEmpty,
            Id::AlgorithmsType,
            Id::AlgorithmsUnknown,
            Id::AlgorithmsEs256,
            Id::AlgorithmsRecommended,
        ] {
            l.pass(id, "no pubKeyCredParams list (see required-members)");
        }
        return;
    };
    if list.is_empty() {
        l.fire(
            Id::AlgorithmsEmpty,
            "pubKeyCredParams is empty: the client uses ES256 and RS256",
            "an explicit list, e.g. [-8, -7, -257]",
            "[]",
            "the server did not configure algorithms",
        );
    } else {
        l.pass(Id::AlgorithmsEmpty, format!("{} algorithms listed", list.len()));
    }
    let mut algs = Vec::new();
    let mut skipped = Vec::new();
    for (i, p) in list.iter().enumerate().take(1000) {
        match (p.get("type").and_then(Value::as_str), p.get("alg").and_then(Value::as_i64)) {
            (Some("public-key"), Some(a)) => algs.push(a),
            _ => skipped.push(format!("[{i}] {p}")),
        }
    }
    if skipped.is_empty() || list.is_empty() {
        l.pass(Id::AlgorithmsType, "every entry is {type: \"public-key\", alg: integer}");
    } else {
        let what = if algs.is_empty() {
            "no usable entry remains: NotSupportedError"
        } else {
            "entries skipped by the client"
        };
        l.fire(
            Id::AlgorithmsType,
            what,
            "{type: \"public-key\", alg: <COSE id>}",
            skipped.join(", "),
            "a misspelt type or the algorithm given as a name (\"ES256\") instead of its COSE number",
        );
    }
    let unknown: Vec<String> = algs.iter().filter(|a| cose::alg_name(**a).is_none()).map(|a| a.to_string()).collect();
    if unknown.is_empty() {
        l.pass(Id::AlgorithmsUnknown, "every algorithm is a registered COSE identifier");
    } else {
        l.fire(
            Id::AlgorithmsUnknown,
            "algorithm identifiers outside the COSE registry",
            "registered ids such as -7, -8, -257",
            unknown.join(", "),
            "a sign error (7 for -7) or a JOSE name mapped wrongly",
        );
    }
    let effective = if list.is_empty() { vec![-7, -257] } else { algs.clone() };
    if effective.contains(&-7) {
        l.pass(Id::AlgorithmsEs256, "ES256 (-7) is listed");
    } else {
        l.fire(Id::AlgorithmsEs256, "ES256 (-7) is not listed", "-7 among the algorithms", effective.iter().map(|a| cose::alg_label(*a)).collect::<Vec<_>>().join(", "), "per spec iCloud Keychain and Google Password Manager would answer NotSupportedError; observed: Safari with Passwords creates an ES256 credential anyway, which a strict server then rejects");
    }
    let mut advice = Vec::new();
    for (a, why) in [(-8, "EdDSA (-8) recommended"), (-257, "RS256 (-257) recommended (Windows Hello)")] {
        if !effective.contains(&a) {
            advice.push(why.to_string());
        }
    }
    for a in effective.iter().filter(|a| [-9, -19, -51, -52].contains(*a)) {
        advice.push(format!("{} is fully specified: NOT RECOMMENDED in pubKeyCredParams", cose::alg_label(*a)));
    }
    if advice.is_empty() {
        l.pass(Id::AlgorithmsRecommended, "the recommended algorithms are listed");
    } else {
        l.fire(
            Id::AlgorithmsRecommended,
            "the list departs from the spec's recommendation",
            "at least -8, -7 and -257",
            advice.join("; "),
            "libraries default to [-7, -257] or [-8, -7, -257]; the list decides which authenticators can register",
        );
    }
}

fn resident_key(sel: Option<&Map<String, Value>>, l: &mut Lints) {
    let rk = sel.and_then(|s| s.get("residentKey"));
    let rrk = sel.and_then(|s| s.get("requireResidentKey"));
    let rk_str = rk.and_then(Value::as_str);
    if let Some(v) = rk.filter(|_| !matches!(rk_str, Some("discouraged" | "preferred" | "required"))) {
        let effective = if rrk == Some(&Value::Bool(true)) { "required" } else { "discouraged" };
        l.fire(
            Id::ResidentKey,
            format!("unknown residentKey value: ignored, so {effective} applies"),
            "discouraged, preferred or required",
            v.to_string(),
            "a typo, or a boolean where the string belongs",
        );
        return;
    }
    let require = rrk.and_then(Value::as_bool).unwrap_or(false);
    match (rk_str, require) {
        (Some("required"), false) => l.fire(
            Id::ResidentKey,
            "residentKey is required but requireResidentKey is not true",
            "requireResidentKey: true when residentKey is required",
            "requireResidentKey false or absent",
            "Level 1 clients read only requireResidentKey and may create a non-discoverable credential",
        ),
        (Some(r @ ("preferred" | "discouraged")), true) => l.fire(
            Id::ResidentKey,
            format!("requireResidentKey is true but residentKey is {r}"),
            "requireResidentKey true only with residentKey required",
            format!("residentKey {r}, requireResidentKey true"),
            "the two members contradict; newer clients follow residentKey, older ones requireResidentKey",
        ),
        (None, true) => l.pass(Id::ResidentKey, "requireResidentKey true: residentKey required applies"),
        (Some(r), _) => l.pass(Id::ResidentKey, format!("residentKey {r}, consistent with requireResidentKey")),
        (None, false) => l.pass(
            Id::ResidentKey,
            "residentKey absent: discouraged applies (passkey providers create discoverable credentials anyway)",
        ),
    }
}
