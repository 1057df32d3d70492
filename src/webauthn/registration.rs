//! `webauthn-registration`: verifying a new credential (WebAuthn
//! `#sctn-registering-a-new-credential`).

use super::attestation::{self, cert};
use super::authdata::{self, flag};
use super::authentication::{credential_id, format_failure, key_detail};
use super::cbor;
use super::client_data::{self, Expected as ClientExpected};
use super::cose;
use super::flags;
use super::response::{field, RegistrationDoc};
use crate::data::encode_base64url;
use crate::instant::Instant;
use crate::validator::{Check, Verdict};
use ciborium::Value;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Verifies a registration document following the spec's steps.
pub fn verify(doc: &RegistrationDoc, now: Instant) -> Verdict {
    let mut v = Verdict::default();
    let cred = &doc.response;
    // 1. type is "public-key"; decode rawId, clientDataJSON, attestationObject.
    let decoded = (|| -> Result<_, String> {
        if cred.kind != "public-key" {
            return Err(format!("credential type is {}, not public-key", cred.kind));
        }
        let (raw_id, _) = field("rawId", &cred.raw_id)?;
        let (cdj, _) = field("clientDataJSON", &cred.response.client_data_json)?;
        let ao = cred
            .response
            .attestation_object
            .as_deref()
            .ok_or("response.attestationObject is missing (is this an authentication response?)")?;
        let (ao, _) = field("attestationObject", ao)?;
        Ok((raw_id, cdj, ao))
    })();
    let (raw_id, cdj, ao) = match decoded {
        Ok(d) => d,
        Err(e) => return format_failure(v, e),
    };
    // 2. Parse clientDataJSON (UTF-8 JSON).
    let cd = match client_data::parse(&cdj) {
        Ok(cd) => cd,
        Err(e) => return format_failure(v, e),
    };
    // 9. CBOR-decode attestationObject into fmt, attStmt, authData.
    let parsed = (|| -> Result<_, String> {
        let value = cbor::decode_exact(&ao).map_err(|e| format!("attestationObject: {e}"))?;
        let map = cbor::as_map(&value, "attestationObject")?;
        let fmt = cbor::get_text(map, "fmt")
            .and_then(Value::as_text)
            .ok_or("attestationObject has no text fmt")?
            .to_string();
        let stmt = cbor::get_text(map, "attStmt").ok_or("attestationObject has no attStmt")?;
        let stmt = cbor::as_map(stmt, "attStmt")?.to_vec();
        let ad = cbor::get_text(map, "authData")
            .and_then(Value::as_bytes)
            .ok_or("attestationObject has no byte-string authData")?
            .clone();
        let auth = authdata::parse(&ad).map_err(|e| e.to_string())?;
        Ok((fmt, stmt, ad, auth))
    })();
    let (fmt, stmt, ad_bytes, auth) = match parsed {
        Ok(p) => p,
        Err(e) => return format_failure(v, e),
    };
    v.checks.push(Check::pass(
        "format",
        format!("response decoded: clientDataJSON, attestationObject (fmt {fmt}) and authenticator data"),
    ));
    // 1b. id equals base64url(rawId).
    v.checks.push(credential_id(&cred.id, &raw_id));
    // 3.–6. clientDataJSON type webauthn.create, challenge, origin, crossOrigin.
    let exp = ClientExpected {
        challenge: &doc.expected.challenge,
        origin: &doc.expected.origin,
        allow_cross_origin: doc.expected.cross_origin,
    };
    v.checks.extend(client_data::checks(&cd, "webauthn.create", &exp));
    // 8. hash = SHA-256(clientDataJSON).
    let client_data_hash = Sha256::digest(&cdj);
    // 10. rpIdHash. 11. UP. 12. UV if required. 13. BE/BS.
    v.checks.push(flags::rp_id(&auth, &doc.expected.rp_id));
    v.checks.push(flags::user_present(&auth));
    v.checks
        .push(flags::user_verified(&auth, doc.expected.user_verification));
    v.checks.push(flags::backup_state(&auth));
    v.detail("flags", auth.flags_json());
    v.detail("sign-count", json!(auth.sign_count));
    v.detail("client-data", client_data::detail(&cd));
    // 14. AT set, attested credential data present; its id equals rawId.
    let Some(att) = auth.attested.as_ref().filter(|_| auth.has(flag::AT)) else {
        v.checks.push(
            Check::fail(
                "attested-credential-data",
                "registration without attested credential data",
            )
            .expected_found(
                "AT = 1 with aaguid, credentialId and credentialPublicKey",
                format!("flags {:#04x}", auth.flags),
            )
            .cause("an assertion's authenticator data was sent as a registration"),
        );
        return v;
    };
    v.checks.push(if att.credential_id == raw_id {
        Check::pass(
            "attested-credential-data",
            format!(
                "AT set; credential id of {} bytes equals rawId",
                att.credential_id.len()
            ),
        )
    } else {
        Check::fail(
            "attested-credential-data",
            "the credential id in authData differs from rawId",
        )
        .expected_found(encode_base64url(&raw_id), encode_base64url(&att.credential_id))
        .cause("rawId was taken from another credential, or the client rewrote it")
    });
    v.detail("credential-id", json!(encode_base64url(&att.credential_id)));
    v.detail(
        "aaguid",
        json!({"id": authdata::aaguid_string(&att.aaguid), "known-as": authdata::aaguid_name(&att.aaguid)}),
    );
    // 15. COSE key: supported type and curve, alg among the requested ones.
    let key = match cose::from_cose(&att.public_key_cbor) {
        Ok(k) => k,
        Err(e) => {
            v.checks.push(
                Check::fail("public-key", "the credential public key cannot be used")
                    .expected_found("an EC2 P-256/P-384, OKP Ed25519 or RSA COSE key", e)
                    .cause("an algorithm Keyplay does not support, or a malformed key"),
            );
            return v;
        }
    };
    v.checks
        .push(public_key_check(&key, doc.expected.algorithms.as_deref()));
    v.detail("public-key", key_detail(&key));
    // 16.–17. Verify the attestation statement for its fmt; trust decision.
    let roots: Vec<cert::Cert> = match doc
        .attestation_roots
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|p| cert::from_pem(&p.pem))
        .collect()
    {
        Ok(r) => r,
        Err(e) => {
            v.checks.push(
                Check::fail("attestation-chain", "an attestation root cannot be read")
                    .expected_found("PEM certificates", e)
                    .cause("a mangled PEM in attestation-roots"),
            );
            Vec::new()
        }
    };
    let input = attestation::Input {
        fmt: &fmt,
        stmt: &stmt,
        auth_data: &ad_bytes,
        auth: &auth,
        client_data_hash: &client_data_hash,
        credential: &key,
        credential_id: &att.credential_id,
        roots: &roots,
        now,
    };
    let outcome = attestation::verify(&input);
    v.checks.extend(outcome.checks);
    v.details.extend(outcome.details);
    v
}

fn public_key_check(key: &cose::CoseKey, requested: Option<&[i64]>) -> Check {
    let Some(alg) = key.alg else {
        return Check::fail("public-key", "the COSE key has no alg (label 3)")
            .expected_found("an alg bound to the key", "none")
            .cause("a malformed COSE key");
    };
    if !cose::alg_fits(&key.key, alg) {
        return Check::fail("public-key", "the key's alg does not fit its type")
            .expected_found(format!("an alg for {}", cose::key_type(&key.key)), cose::alg_label(alg))
            .cause("a malformed COSE key");
    }
    // No list given: no restriction. An empty list means the spec default [ES256, RS256].
    let requested = match requested {
        None => {
            return Check::pass(
                "public-key",
                format!("{} key with {}", cose::key_type(&key.key), cose::alg_label(alg)),
            )
        }
        Some([]) => vec![-7, -257],
        Some(list) => list.to_vec(),
    };
    if !requested.contains(&alg) {
        return Check::fail("public-key", "the credential's algorithm was not among those requested")
            .expected_found(requested.iter().map(|a| cose::alg_label(*a)).collect::<Vec<_>>().join(", "), cose::alg_label(alg))
            .cause("observed behaviour: Safari with iCloud Keychain / Passwords creates ES256 credentials even when pubKeyCredParams has no ES256 (the spec requires NotSupportedError); other authenticators return their only algorithm");
    }
    Check::pass(
        "public-key",
        format!("{} key with {}", cose::key_type(&key.key), cose::alg_label(alg)),
    )
}
