//! `webauthn-authentication`: verifying an assertion (WebAuthn `#sctn-verifying-assertion`).

use super::authdata::{self, flag};
use super::client_data::{self, Expected as ClientExpected};
use super::cose::{self, CoseKey};
use super::flags;
use super::response::{field, AuthenticationDoc, StoredKey};
use crate::data::encode_base64url;
use crate::validator::{Check, Verdict};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Verifies an authentication document. Every check of the checklist runs and is reported;
/// a `format` failure stops early because nothing after it can be read.
pub fn verify(doc: &AuthenticationDoc) -> Verdict {
    let mut v = Verdict::default();
    let cred = &doc.response;
    // 1. Decode the base64url members; type must be "public-key".
    let decoded = (|| -> Result<_, String> {
        let (raw_id, _) = field("rawId", &cred.raw_id)?;
        let (cdj, _) = field("clientDataJSON", &cred.response.client_data_json)?;
        let ad = cred
            .response
            .authenticator_data
            .as_deref()
            .ok_or("response.authenticatorData is missing (is this a registration response?)")?;
        let (ad, _) = field("authenticatorData", ad)?;
        let sig = cred
            .response
            .signature
            .as_deref()
            .ok_or("response.signature is missing")?;
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
    // 2. Parse clientDataJSON and authenticatorData.
    let cd = match client_data::parse(&cdj) {
        Ok(cd) => cd,
        Err(e) => return format_failure(v, e),
    };
    let auth = match authdata::parse(&ad_bytes) {
        Ok(a) => a,
        Err(e) => return format_failure(v, e.to_string()),
    };
    v.checks.push(Check::pass(
        "format",
        "response decoded: clientDataJSON, authenticatorData and signature",
    ));
    // 3. id must equal base64url(rawId).
    v.checks.push(credential_id(&cred.id, &raw_id));
    // 4. clientDataJSON: type webauthn.get, challenge, origin, crossOrigin.
    let exp = ClientExpected {
        challenge: &doc.expected.challenge,
        origin: &doc.expected.origin,
        allow_cross_origin: doc.expected.cross_origin,
    };
    v.checks.extend(client_data::checks(&cd, "webauthn.get", &exp));
    // 5. rpIdHash = SHA-256(rpId).
    v.checks.push(flags::rp_id(&auth, &doc.expected.rp_id));
    // 6. UP set. 7. UV set if required. 8. BE = 0 ⇒ BS = 0.
    v.checks.push(flags::user_present(&auth));
    v.checks
        .push(flags::user_verified(&auth, doc.expected.user_verification));
    v.checks.push(flags::backup_state(&auth));
    // 9. AT must not be set in an assertion.
    v.checks.push(if auth.has(flag::AT) {
        Check::fail("attested-credential-data", "an assertion carries the AT flag")
            .expected_found("AT = 0", format!("flags {:#04x}", auth.flags))
            .cause("a registration's authenticator data was sent as an assertion, or a non-conforming authenticator (App Attest assertions set AT without data)")
    } else {
        Check::pass("attested-credential-data", "AT clear, as an assertion requires")
    });
    // 10. Signature over authenticatorData ‖ SHA-256(clientDataJSON) with the stored key.
    let key = stored_key(&doc.public_key);
    let client_data_hash = Sha256::digest(&cdj);
    let mut signed = ad_bytes.clone();
    signed.extend_from_slice(&client_data_hash);
    match key {
        Err(e) => {
            v.checks.push(
                Check::fail("public-key", "the stored public key cannot be used")
                    .expected_found("a COSE, PEM or JWK public key (P-256, P-384, Ed25519 or RSA)", e)
                    .cause("the key was stored in another encoding, or truncated when copied"),
            );
        }
        Ok(key) => {
            let alg = key.alg.unwrap_or_else(|| cose::default_alg(&key.key));
            v.checks.push(Check::pass(
                "public-key",
                format!("stored key: {} with {}", cose::key_type(&key.key), cose::alg_label(alg)),
            ));
            v.checks.push(match cose::verify(&key.key, alg, &signed, &sig) {
                Ok(()) => Check::pass("signature", format!("{} signature over authenticatorData ‖ SHA-256(clientDataJSON) verifies", cose::alg_label(alg))),
                Err(e) => Check::fail("signature", "the assertion signature does not verify with the stored key")
                    .expected_found(format!("a valid {} signature", cose::alg_label(alg)), e)
                    .cause("the stored key belongs to another credential (look the key up by credential id), or authenticatorData / clientDataJSON were altered after signing (e.g. re-encoded JSON)"),
            });
            v.detail("public-key", key_detail(&key));
        }
    }
    // 11. Sign count: new > previous, unless both are 0.
    v.checks.push(sign_count(doc.previous_sign_count, auth.sign_count));
    v.detail("sign-count", json!(auth.sign_count));
    v.detail("flags", auth.flags_json());
    v.detail("client-data", client_data::detail(&cd));
    v.detail("credential-id", json!(encode_base64url(&raw_id)));
    if let Some(h) = &cred.response.user_handle {
        v.detail("user-handle", json!(h));
    }
    v
}

pub(crate) fn format_failure(mut v: Verdict, message: String) -> Verdict {
    v.checks.push(Check::fail("format", "the response cannot be decoded")
        .expected_found("base64url members holding CBOR / JSON as WebAuthn defines them", message)
        .cause("the response was truncated or re-encoded when copied (standard base64 vs base64url, JSON re-serialised, a field from another response)"));
    v
}

pub(crate) fn credential_id(id: &str, raw_id: &[u8]) -> Check {
    let want = encode_base64url(raw_id);
    if id.trim_end_matches('=') == want {
        Check::pass(
            "credential-id",
            format!("id equals base64url(rawId) ({} bytes)", raw_id.len()),
        )
    } else {
        Check::fail("credential-id", "id is not base64url(rawId)")
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
        None => Check::pass("sign-count", format!("new sign count {new}; no previous count given to compare")),
        Some(0) if new == 0 => Check::pass("sign-count", "both counts are 0: an authenticator that does not count (typical of synced passkeys)"),
        Some(p) if new > p => Check::pass("sign-count", format!("sign count rose from {p} to {new}")),
        Some(p) => Check::fail("sign-count", "the sign count did not increase")
            .expected_found(format!("greater than {p}"), new.to_string())
            .cause(if new == 0 {
                "the authenticator stopped counting (reports 0); some RPs accept this, but it can also be a cloned authenticator"
            } else {
                "possible cloned authenticator, or a replayed assertion, or the server stored the count of another credential"
            }),
    }
}
