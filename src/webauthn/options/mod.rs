//! `webauthn-options`: lints for PublicKeyCredentialCreationOptions and
//! PublicKeyCredentialRequestOptions in their JSON form (as
//! `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`
//! accept them).
//!
//! Every lint is a check: a lint that does not fire passes. The report's `lints` detail
//! gives each lint's severity, the spec's rule and what iCloud Keychain, security keys and
//! other platform authenticators do (see [`knowledge`]).

mod creation;
pub mod knowledge;
mod request;
pub mod rp_id;
mod shared;

use crate::validator::{Check, Verdict};
use crate::webauthn::WebauthnCheck as Id;
use serde::Deserialize;
use serde_json::{json, Value};

/// Body of a `webauthn-options` document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsDoc {
    /// Creation or request options, bare or as the argument of `navigator.credentials.create()`
    /// / `get()` (`{"publicKey": …}`, with `mediation` or `signal` beside it).
    pub options: serde_json::Map<String, Value>,
    /// The page's origin, e.g. `https://login.example.com`.
    pub origin: String,
}

/// Collects lint outcomes as checks.
#[derive(Debug, Default)]
pub struct Lints {
    checks: Vec<Check>,
    encoding: Vec<String>,
}

impl Lints {
    pub fn pass(&mut self, id: Id, message: impl Into<String>) {
        self.checks.push(Check::pass(id, message));
    }

    pub fn fire(
        &mut self,
        id: Id,
        message: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
        cause: impl Into<String>,
    ) {
        let severity = knowledge::find(id).map(|l| l.severity).unwrap_or(knowledge::Severity::Warning);
        let sev = serde_json::to_value(severity).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        self.checks
            .push(Check::fail(id, format!("{sev}: {}", message.into())).expected_found(expected, found).cause(cause));
    }

    /// Records a member that is not base64url (reported by the `encoding` lint).
    pub fn note_encoding(&mut self, member: &str, problem: &str) {
        self.encoding.push(format!("{member}: {problem}"));
    }

    fn finish_encoding(&mut self) {
        if self.encoding.is_empty() {
            self.pass(Id::Encoding, "every binary member is base64url");
        } else {
            let found = self.encoding.join("; ");
            self.fire(
                Id::Encoding,
                "binary members that are not base64url: parse…FromJSON throws EncodingError",
                "unpadded base64url",
                found,
                "the server encoded bytes with standard base64 or hex; WebAuthn JSON uses base64url",
            );
        }
    }
}

/// Lints the options of a document.
pub fn lint(doc: &OptionsDoc) -> Verdict {
    // The argument of `navigator.credentials.create()` / `get()` wraps the options in
    // `publicKey`, beside `mediation` (passkey autofill: "conditional") and `signal`.
    let opts = doc.options.get("publicKey").and_then(Value::as_object).unwrap_or(&doc.options);
    let creation = ["rp", "user", "pubKeyCredParams", "excludeCredentials", "attestation", "authenticatorSelection"]
        .iter()
        .any(|k| opts.contains_key(*k));
    let mut l = Lints::default();
    let host = shared::origin(&doc.origin, &mut l);
    if creation {
        creation::lint(opts, host.as_deref(), &mut l);
    } else {
        request::lint(opts, host.as_deref(), &mut l);
    }
    l.finish_encoding();
    let mut v = Verdict::default();
    let lints: Vec<Value> = l
        .checks
        .iter()
        .map(|c| {
            let k = Id::from_id(c.id).and_then(knowledge::find);
            json!({
                "id": c.id, "fired": !c.ok,
                "severity": k.map(|k| k.severity),
                "spec": k.map(|k| k.spec),
                "authenticators": k.map(|k| json!({
                    "icloud-keychain": k.icloud_keychain, "security-key": k.security_key, "other-platforms": k.other_platforms,
                })),
                "observed-deviation": k.map(|k| k.observed),
                "confidence": k.map(|k| k.confidence),
            })
        })
        .collect();
    v.checks = l.checks;
    v.detail("ceremony", json!(if creation { "create" } else { "get" }));
    v.detail("lints", Value::Array(lints));
    v
}
