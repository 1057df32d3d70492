//! `webauthn-registration`: verifying a new credential, WebAuthn Level 3 §7.1 "Registering a New
//! Credential" (`#sctn-registering-a-new-credential`). The step numbers below are the spec's;
//! steps the RP performs elsewhere (1, 2, 4, 18, 19, 25–28) are named where they would run.

use super::aaguid;
use super::attestation::{self, parse_x5c_roots};
use super::authentication::{credential_id, format_failure, key_detail};
use super::client_data;
use super::cose;
use super::flags;
use super::response::{field, RegistrationDoc};
use crate::attest::auth_data::{self, Flag, Rules};
use crate::attest::cbor;
use crate::data::encode_base64url;
use crate::figure::Figure;
use crate::instant::Instant;
use crate::validator::{Check, Verdict};
use crate::webauthn::WebauthnCheck as Id;
use ciborium::Value;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Verifies a registration document following the spec's steps. Decoding (steps 3, 5, 6 and
/// 13) comes first and is the `format` check: when it fails nothing else can be read.
pub fn verify(doc: &RegistrationDoc, now: Instant) -> Verdict {
    let mut v = Verdict::default();
    let cred = &doc.response;
    // 1.–2. The RP made the options and called navigator.credentials.create(): the document's
    //    `expected` says what it asked for, `response` is the credential it got.
    // 3. Let response be credential.response, an AuthenticatorAttestationResponse (it has an
    //    attestationObject; the credential's type is "public-key"). Decode its base64url members.
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
    // 4. clientExtensionResults are accepted and not evaluated (see step 27).
    // 5. Let JSONtext be the UTF-8 decoding of response.clientDataJSON.
    // 6. Let C be the result of parsing JSONtext.
    let cd = match client_data::parse(&cdj) {
        Ok(cd) => cd,
        Err(e) => return format_failure(v, e),
    };
    // 13. CBOR-decode the attestationObject into fmt, authData and attStmt (decoded here, before
    //     steps 7–12, because nothing can be checked from an unreadable response).
    let parsed = (|| -> Result<_, String> {
        let value = cbor::decode_whole(&ao).map_err(|e| format!("attestationObject: {e}"))?;
        let map = cbor::as_map(&value)
            .ok_or_else(|| format!("attestationObject is not a CBOR map ({})", cbor::type_name(&value)))?;
        let fmt =
            cbor::get(map, "fmt").and_then(Value::as_text).ok_or("attestationObject has no text fmt")?.to_string();
        let stmt = cbor::get(map, "attStmt").ok_or("attestationObject has no attStmt")?;
        let stmt = cbor::as_map(stmt)
            .ok_or_else(|| format!("attStmt is not a CBOR map ({})", cbor::type_name(stmt)))?
            .to_vec();
        let ad = cbor::get(map, "authData")
            .and_then(Value::as_bytes)
            .ok_or("attestationObject has no byte-string authData")?
            .clone();
        let auth = auth_data::parse(&ad, Rules::WEBAUTHN).map_err(|e| e.to_string())?;
        Ok((fmt, stmt, ad, auth))
    })();
    let (fmt, stmt, ad_bytes, auth) = match parsed {
        Ok(p) => p,
        Err(e) => return format_failure(v, e),
    };
    v.checks.push(Check::pass(
        Id::Format,
        format!("response decoded: clientDataJSON, attestationObject (fmt {fmt}) and authenticator data"),
    ));
    v.figure(Figure::Bytes(auth.byte_map("Authenticator data of the registration", &ad_bytes)));
    // (Not a numbered step.) credential.id equals base64url(credential.rawId).
    v.checks.push(credential_id(&cred.id, &raw_id));
    // 7. C.type is "webauthn.create". 8. C.challenge is the base64url of the options' challenge.
    // 9. C.origin is an origin the RP expects. 10. C.crossOrigin is true only if the RP expects
    //    an iframe. 11. C.topOrigin, if present, is only accepted with crossOrigin.
    v.checks.extend(client_data::checks(&cd, "webauthn.create", &doc.expected.client()));
    // 12. Let hash be SHA-256 of response.clientDataJSON.
    let client_data_hash = Sha256::digest(&cdj);
    // 14. rpIdHash in authData is SHA-256 of the RP ID the RP expects.
    v.checks.push(flags::rp_id(&auth, &doc.expected.rp_id));
    // 15. The UP bit is set.
    v.checks.push(flags::user_present(&auth));
    // 16. If the RP requires user verification, the UV bit is set.
    v.checks.push(flags::user_verified(&auth, doc.expected.user_verification));
    // 17. If BE is not set, BS is not set.
    v.checks.push(flags::backup_state(&auth));
    // 18.–19. How BE and BS inform the RP's policy is the RP's: they are reported in `flags`.
    v.detail("flags", auth.flags.to_json());
    v.detail("sign-count", json!(auth.counter));
    v.detail("client-data", client_data::detail(&cd));
    // (Implied by steps 13 and 20.) AT is set and the attested credential data is present; its
    // credentialId equals rawId. (24. credentialId ≤ 1023 bytes is enforced when authData is
    // decoded, as a `format` failure.)
    let Some(att) = auth.attested.as_ref().filter(|_| auth.flags.has(Flag::AttestedData)) else {
        v.checks.push(
            Check::fail(Id::AttestedCredentialData, "registration without attested credential data")
                .expected_found(
                    "AT = 1 with aaguid, credentialId and credentialPublicKey",
                    format!("flags {:#04x}", auth.flags.byte()),
                )
                .cause("an assertion's authenticator data was sent as a registration"),
        );
        return v;
    };
    v.checks.push(if att.credential_id == raw_id {
        Check::pass(
            Id::AttestedCredentialData,
            format!("AT set; credential id of {} bytes equals rawId", att.credential_id.len()),
        )
    } else {
        Check::fail(Id::AttestedCredentialData, "the credential id in authData differs from rawId")
            .expected_found(encode_base64url(&raw_id), encode_base64url(&att.credential_id))
            .cause("rawId was taken from another credential, or the client rewrote it")
    });
    v.detail("credential-id", json!(encode_base64url(&att.credential_id)));
    v.detail("aaguid", json!({"id": aaguid::aaguid_string(&att.aaguid), "known-as": aaguid::aaguid_name(&att.aaguid)}));
    // 20. The alg of the credential public key is one of the requested pubKeyCredParams (and the
    //     COSE key is one Keyplay can use).
    let key = match cose::from_value(&att.public_key) {
        Ok(k) => k,
        Err(e) => {
            v.checks.push(
                Check::fail(Id::PublicKey, "the credential public key cannot be used")
                    .expected_found("an EC2 P-256/P-384, OKP Ed25519 or RSA COSE key", e)
                    .cause("an algorithm Keyplay does not support, or a malformed key"),
            );
            return v;
        }
    };
    v.checks.push(public_key_check(&key, doc.expected.algorithms.as_deref()));
    v.detail("public-key", key_detail(&key));
    // 21. Determine the attestation statement format from fmt.
    // 22. Verify that attStmt is a correct attestation statement with a valid signature, by fmt's
    //     verification procedure given attStmt, authData and hash.
    // 23. Assess the attestation's trustworthiness: trust anchors from the document's
    //     attestation-roots (for `apple`, the pinned Apple WebAuthn Root CA).
    let roots = match parse_x5c_roots(doc.attestation_roots.as_deref().unwrap_or_default()) {
        Ok(r) => r,
        Err(e) => {
            v.checks.push(
                Check::fail(Id::AttestationChain, "an attestation root cannot be read")
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
    v.figures.extend(outcome.figures);
    // 25.–28. Checking that the credential id is new, storing the credential record and
    //     processing extension outputs are the RP's, after a valid verdict.
    v
}

fn public_key_check(key: &cose::CoseKey, requested: Option<&[i64]>) -> Check {
    let Some(alg) = key.alg else {
        return Check::fail(Id::PublicKey, "the COSE key has no alg (label 3)")
            .expected_found("an alg bound to the key", "none")
            .cause("a malformed COSE key");
    };
    if !cose::alg_fits(&key.key, alg) {
        return Check::fail(Id::PublicKey, "the key's alg does not fit its type")
            .expected_found(format!("an alg for {}", cose::key_type(&key.key)), cose::alg_label(alg))
            .cause("a malformed COSE key");
    }
    // No list given: no restriction. An empty list means the spec default [ES256, RS256].
    let requested = match requested {
        None => {
            return Check::pass(
                Id::PublicKey,
                format!("{} key with {}", cose::key_type(&key.key), cose::alg_label(alg)),
            )
        }
        Some([]) => vec![-7, -257],
        Some(list) => list.to_vec(),
    };
    if !requested.contains(&alg) {
        return Check::fail(Id::PublicKey, "the credential's algorithm was not among those requested")
            .expected_found(requested.iter().map(|a| cose::alg_label(*a)).collect::<Vec<_>>().join(", "), cose::alg_label(alg))
            .cause("observed behaviour: Safari with iCloud Keychain / Passwords creates ES256 credentials even when pubKeyCredParams has no ES256 (the spec requires NotSupportedError); other authenticators return their only algorithm");
    }
    Check::pass(Id::PublicKey, format!("{} key with {}", cose::key_type(&key.key), cose::alg_label(alg)))
}
