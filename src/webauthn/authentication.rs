//! `webauthn-authentication`: verifying an assertion, WebAuthn Level 3 §7.2 "Verifying an
//! Authentication Assertion" (`#sctn-verifying-assertion`). The step numbers below are the spec's;
//! steps the RP performs elsewhere (1, 2, 5, 6, 19, 23–25) are named where they would run.

use super::client_data;
use super::cose::{self, CoseKey};
use super::flags;
use super::response::{field, AuthenticationDoc, StoredKey};
use crate::attest::auth_data::{self, Flag, Rules};
use crate::data::encode_base64url;
use crate::figure::Figure;
use crate::validator::{Check, Verdict};
use crate::webauthn::WebauthnCheck as Id;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Verifies an authentication document. Every check of the checklist runs and is reported;
/// a `format` failure (steps 3, 7–9 and the decoding of authData) stops early because nothing
/// after it can be read.
pub fn verify(doc: &AuthenticationDoc) -> Verdict {
    let mut v = Verdict::default();
    let cred = &doc.response;
    // 1.–2. The RP made the request options and called navigator.credentials.get(): the
    //    document's `expected` says what it asked for, `response` is the credential it got.
    // 3. Let response be credential.response, an AuthenticatorAssertionResponse (it has
    //    authenticatorData and signature; the credential's type is "public-key").
    // 7. Let cData, authData and sig be response's clientDataJSON, authenticatorData and
    //    signature (decoded from base64url).
    let decoded = (|| -> Result<_, String> {
        let (raw_id, _) = field("rawId", &cred.raw_id)?;
        let (cdj, _) = field("clientDataJSON", &cred.response.client_data_json)?;
        let ad = cred
            .response
            .authenticator_data
            .as_deref()
            .ok_or("response.authenticatorData is missing (is this a registration response?)")?;
        let (ad, _) = field("authenticatorData", ad)?;
        let sig = cred.response.signature.as_deref().ok_or("response.signature is missing")?;
        let (sig, _) = field("signature", sig)?;
        if cred.kind != "public-key" {
            return Err(format!("credential type is {}, not public-key", cred.kind));
        }
        Ok((raw_id, cdj, ad, sig))
    })();
    let (raw_id, cdj, ad_bytes, sig) = match decoded {
        Ok(d) => d,
        Err(e) => return format_failure(v, e),
    };
    // 4. clientExtensionResults are accepted and not evaluated (see step 23).
    // 8. Let JSONtext be the UTF-8 decoding of cData. 9. Let C be the result of parsing it.
    let cd = match client_data::parse(&cdj) {
        Ok(cd) => cd,
        Err(e) => return format_failure(v, e),
    };
    // (Decoding authData, used from step 15 on.)
    let auth = match auth_data::parse(&ad_bytes, Rules::WEBAUTHN) {
        Ok(a) => a,
        Err(e) => return format_failure(v, e.to_string()),
    };
    v.checks.push(Check::pass(Id::Format, "response decoded: clientDataJSON, authenticatorData and signature"));
    v.figure(Figure::Bytes(auth.byte_map("Authenticator data of the assertion", &ad_bytes)));
    // 5.–6. allowCredentials and the user account are the RP's; what can be checked offline is
    //    that credential.id equals base64url(credential.rawId).
    v.checks.push(credential_id(&cred.id, &raw_id));
    // 10. C.type is "webauthn.get". 11. C.challenge is the base64url of the options' challenge.
    // 12. C.origin is an origin the RP expects. 13. C.crossOrigin is true only if the RP expects
    //     an iframe. 14. C.topOrigin, if present, is only accepted with crossOrigin.
    v.checks.extend(client_data::checks(&cd, "webauthn.get", &doc.expected.client()));
    // 15. rpIdHash in authData is SHA-256 of the RP ID the RP expects.
    v.checks.push(flags::rp_id(&auth, &doc.expected.rp_id));
    // 16. The UP bit is set.
    v.checks.push(flags::user_present(&auth));
    // 17. If user verification is required, the UV bit is set; otherwise UV is ignored.
    v.checks.push(flags::user_verified(&auth, doc.expected.user_verification));
    // 18. If BE is not set, BS is not set.
    v.checks.push(flags::backup_state(&auth));
    // 19. Comparing BE and BS with the stored credential record is the RP's policy.
    // (Not a numbered step: an authenticator sets AT only for attestations, §6.1.)
    v.checks.push(if auth.flags.has(Flag::AttestedData) {
        Check::fail(Id::AttestedCredentialData, "an assertion carries the AT flag")
            .expected_found("AT = 0", format!("flags {:#04x}", auth.flags.byte()))
            .cause("a registration's authenticator data was sent as an assertion, or a non-conforming authenticator (App Attest assertions set AT without data)")
    } else {
        Check::pass(Id::AttestedCredentialData, "AT clear, as an assertion requires")
    });
    // 20. Let hash be SHA-256 of cData.
    let client_data_hash = Sha256::digest(&cdj);
    // 21. Using the stored public key, verify that sig is a valid signature over authData ‖ hash.
    let key = stored_key(&doc.public_key);
    let mut signed = ad_bytes.clone();
    signed.extend_from_slice(&client_data_hash);
    match key {
        Err(e) => {
            v.checks.push(
                Check::fail(Id::PublicKey, "the stored public key cannot be used")
                    .expected_found("a COSE, PEM or JWK public key (P-256, P-384, Ed25519 or RSA)", e)
                    .cause("the key was stored in another encoding, or truncated when copied"),
            );
        }
        Ok(key) => {
            let alg = key.alg.unwrap_or_else(|| cose::default_alg(&key.key));
            v.checks.push(Check::pass(
                Id::PublicKey,
                format!("stored key: {} with {}", cose::key_type(&key.key), cose::alg_label(alg)),
            ));
            v.checks.push(match cose::verify(&key.key, alg, &signed, &sig) {
                Ok(()) => Check::pass(Id::Signature, format!("{} signature over authenticatorData ‖ SHA-256(clientDataJSON) verifies", cose::alg_label(alg))),
                Err(e) => Check::fail(Id::Signature, "the assertion signature does not verify with the stored key")
                    .expected_found(format!("a valid {} signature", cose::alg_label(alg)), e)
                    .cause("the stored key belongs to another credential (look the key up by credential id), or authenticatorData / clientDataJSON were altered after signing (e.g. re-encoded JSON)"),
            });
            v.detail("public-key", key_detail(&key));
        }
    }
    // 22. If authData.signCount or the stored count is nonzero, the new count must be greater.
    v.checks.push(sign_count(doc.previous_sign_count, auth.counter));
    v.detail("sign-count", json!(auth.counter));
    v.detail("flags", auth.flags.to_json());
    v.detail("client-data", client_data::detail(&cd));
    v.detail("credential-id", json!(encode_base64url(&raw_id)));
    if let Some(h) = &cred.response.user_handle {
        v.detail("user-handle", json!(h));
    }
    // 23.–25. Processing extension outputs and updating the credential record are the RP's,
    //     after a valid verdict.
    v
}

pub(crate) fn format_failure(mut v: Verdict, message: String) -> Verdict {
    v.checks.push(Check::fail(Id::Format, "the response cannot be decoded")
        .expected_found("base64url members holding CBOR / JSON as WebAuthn defines them", message)
        .cause("the response was truncated or re-encoded when copied (standard base64 vs base64url, JSON re-serialised, a field from another response)"));
    v
}

pub(crate) fn credential_id(id: &str, raw_id: &[u8]) -> Check {
    let want = encode_base64url(raw_id);
    if id.trim_end_matches('=') == want {
        Check::pass(Id::CredentialId, format!("id equals base64url(rawId) ({} bytes)", raw_id.len()))
    } else {
        Check::fail(Id::CredentialId, "id is not base64url(rawId)")
            .expected_found(want, id)
            .cause("id and rawId come from different credentials, or one was re-encoded")
    }
}

fn stored_key(k: &StoredKey) -> Result<CoseKey, String> {
    match k {
        StoredKey::Cose(text) => {
            let (bytes, _) = field("public-key.cose", text)?;
            cose::from_cose(&bytes)
        }
        StoredKey::Pem(pem) => cose::from_pem(pem).map(|key| CoseKey { key, alg: None }),
        StoredKey::Jwk(jwk) => cose::from_jwk(jwk),
    }
}

/// `{"cose": base64url, "pem": …, "type": …, "alg": …}` for reports.
pub fn key_detail(key: &CoseKey) -> serde_json::Value {
    let alg = key.alg.unwrap_or_else(|| cose::default_alg(&key.key));
    json!({
        "cose": cose::to_cose(key).map(|c| encode_base64url(&c)).unwrap_or_default(),
        "pem": cose::to_pem(&key.key).unwrap_or_default(),
        "type": cose::key_type(&key.key),
        "alg": cose::alg_label(alg),
    })
}

/// Sign-count rule (`#sctn-sign-counter`).
pub fn sign_count(previous: Option<u32>, new: u32) -> Check {
    match previous {
        None => Check::pass(Id::SignCount, format!("new sign count {new}; no previous count given to compare")),
        Some(0) if new == 0 => Check::pass(Id::SignCount, "both counts are 0: an authenticator that does not count (typical of synced passkeys)"),
        Some(p) if new > p => Check::pass(Id::SignCount, format!("sign count rose from {p} to {new}")),
        Some(p) => Check::fail(Id::SignCount, "the sign count did not increase")
            .expected_found(format!("greater than {p}"), new.to_string())
            .cause(if new == 0 {
                "the authenticator stopped counting (reports 0); some RPs accept this, but it can also be a cloned authenticator"
            } else {
                "possible cloned authenticator, or a replayed assertion, or the server stored the count of another credential"
            }),
    }
}
