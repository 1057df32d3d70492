//! The attestation verification procedure (Apple's "Verify the attestation" steps, each a check).

use super::auth_data;
use super::input::{AttestationDocument, ClientData, Environment};
use super::{cert, chain, object, receipt};
use crate::data::{decode_base64, encode_base64};
use crate::instant::Instant;
use crate::validator::{Check, Verdict};
use serde_json::json;
use sha2::{Digest, Sha256};

/// aaguid of the development environment: the 16 ASCII bytes `appattestdevelop`.
pub const AAGUID_DEVELOPMENT: [u8; 16] = *b"appattestdevelop";
/// aaguid of the production environment: `appattest` followed by 7 zero bytes.
pub const AAGUID_PRODUCTION: [u8; 16] = *b"appattest\0\0\0\0\0\0\0";

/// Verifies an attestation document at `now`. Checks run in Apple's order; when the object
/// cannot be read at all only `format` is reported, and when the credential certificate
/// cannot be parsed the checks that need it (`nonce`, `key-id`) are left out.
pub fn verify(doc: &AttestationDocument, client: &ClientData, now: Instant) -> Verdict {
    let mut verdict = Verdict::default();

    // 0. Format: base64 → CBOR map; fmt = "apple-appattest"; attStmt.x5c ≥ 2 DER certificates;
    //    attStmt.receipt; authData with rpIdHash, flags (AT set), counter, attested credential data.
    let obj = match object::attestation(&doc.attestation) {
        Ok(o) => o,
        Err(e) => {
            let check = Check::fail("format", format!("the attestation object cannot be read: {e}"))
                .expected_found(
                    "base64 of a CBOR map {fmt: \"apple-appattest\", attStmt: {x5c, receipt}, authData}",
                    e.to_string(),
                )
                .cause(e.cause());
            verdict.checks.push(check);
            return verdict;
        }
    };
    let ad = &obj.auth_data;
    verdict.checks.push(Check::pass("format", format_message(&obj)));
    verdict.detail("authenticator-data", auth_data::to_json(ad));

    // The receipt is read first (it is checked last, informationally): the App ID and the client
    // hash it names sharpen the causes given by `rp-id` and `nonce`.
    let receipt_info = obj.receipt.as_deref().map(|r| receipt::inspect(r, now));

    // 1. Verify that the x5c certificates chain up to Apple's App Attestation root, at `now`.
    let chain = chain::verify(&obj.x5c, doc.trust_anchor.as_ref().map(|a| a.pem.as_str()), now);
    verdict.checks.push(chain.check.clone());
    let certificates: Vec<serde_json::Value> =
        chain.certificates.iter().flatten().map(|c| cert::summary(c, now)).collect();
    verdict.detail("certificates", json!(certificates));
    verdict.detail("trust-anchor", chain.anchor.clone());
    let leaf = chain.certificates.first().cloned().flatten();
    if let Some(leaf) = &leaf {
        verdict.detail("apple-extensions", super::apple_ext::describe(leaf));
    }

    // 2. clientDataHash as the app computed it; concatenate authData ‖ clientDataHash.
    let client_data_hash = client.hash();
    let mut signed = obj.auth_data_raw.clone();
    signed.extend_from_slice(&client_data_hash);
    // 3. nonce = SHA-256(authData ‖ clientDataHash).
    let nonce = Sha256::digest(&signed).to_vec();
    // 4. The credential certificate's extension 1.2.840.113635.100.8.2 must hold that nonce.
    if let Some(leaf) = &leaf {
        let device_hash = receipt_info.as_ref().and_then(|r| r.client_hash());
        verdict.checks.push(nonce_check(leaf, &obj.auth_data_raw, &nonce, client, device_hash));
    }

    // 5. key id = SHA-256 of the credential certificate's public key (uncompressed point, 65 bytes).
    let computed_key_id = leaf.as_ref().map(|l| Sha256::digest(cert::public_key_bytes(l)).to_vec());
    if let (Some(leaf), Some(computed)) = (&leaf, &computed_key_id) {
        verdict.checks.push(key_id_check(&doc.key_id, computed));
        if let Ok(pem) = cert::public_key_pem(leaf) {
            verdict.detail("public-key", json!({ "pem": pem, "key-id": encode_base64(computed) }));
        }
    }

    // 6. rpIdHash = SHA-256(App ID), the App ID being TEAMID.bundleID.
    let receipt_app_id = receipt_info.as_ref().and_then(|r| r.app_id.clone());
    verdict.checks.push(rp_id_check(&doc.app_id, &ad.rp_id_hash, receipt_app_id.as_deref()));

    // 7. The counter is 0.
    verdict.checks.push(if ad.counter == 0 {
        Check::pass("counter", "the counter is 0, as for a key that was never used")
    } else {
        Check::fail("counter", format!("the counter is {} in an attestation", ad.counter))
            .expected_found("0", ad.counter.to_string())
            .cause("this authenticator data comes from an assertion or a reused key, not from attestKey")
    });

    // 8. aaguid = "appattestdevelop" (development) or "appattest" + 7 zero bytes (production).
    if let Some(att) = &ad.attested {
        verdict.checks.push(aaguid_check(&att.aaguid, doc.environment));
    }

    // 9. credentialId = the key id (compared with the key id of the certificate's key, so that a
    //    wrong document key-id fails only `key-id`; without a readable certificate, with key-id).
    if let Some(att) = &ad.attested {
        let reference = computed_key_id.clone().or_else(|| decode_base64(&doc.key_id).ok()).unwrap_or_default();
        verdict.checks.push(if att.credential_id == reference {
            Check::pass("credential-id", "the credential id in authData equals the key id")
        } else {
            Check::fail("credential-id", "the credential id in authData is not the key id")
                .expected_found(encode_base64(&reference), encode_base64(&att.credential_id))
                .cause("the authenticator data was altered, or it belongs to another key than the certificate")
        });
        if let (Some(point), Some(leaf)) = (att.uncompressed_point(), &leaf) {
            verdict.detail("cose-key-matches-certificate", json!(point == cert::public_key_bytes(leaf)));
        }
    }

    if let Some(info) = receipt_info {
        verdict.checks.push(info.check(leaf.as_ref()));
        verdict.detail("receipt", info.to_json(obj.receipt.as_deref().unwrap_or_default()));
    }
    verdict
}

fn format_message(obj: &object::AttestationObject) -> String {
    let mut message = format!(
        "CBOR attestation object, fmt apple-appattest, {} certificates, authData {} bytes",
        obj.x5c.len(),
        obj.auth_data_raw.len()
    );
    if obj.receipt.is_none() {
        message.push_str(", no receipt");
    }
    if !obj.auth_data.trailing.is_empty() {
        message.push_str(&format!(
            "; {} bytes of extension data follow the COSE key (newer OS versions append them{})",
            obj.auth_data.trailing.len(),
            if obj.auth_data.flags & auth_data::FLAG_ED == 0 { " without setting the ED flag" } else { "" }
        ));
    }
    message
}

fn nonce_check(
    leaf: &x509_cert::Certificate,
    auth_data: &[u8],
    nonce: &[u8],
    client: &ClientData,
    device_hash: Option<&[u8]>,
) -> Check {
    let found = match cert::extension(leaf, &cert::NONCE_OID).and_then(|v| v.ok_or_else(|| "missing".to_string())) {
        Ok(value) => cert::nonce_from_extension(value),
        Err(e) => Err(format!("extension 1.2.840.113635.100.8.2 {e}")),
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => {
            return Check::fail("nonce", "the credential certificate carries no readable nonce")
                .expected_found("extension 1.2.840.113635.100.8.2 = SEQUENCE { [1] OCTET STRING }", e)
                .cause("not an App Attest credential certificate, or it was altered")
        }
    };
    let computed_over = format!("nonce = SHA-256(authData ‖ clientDataHash), {}", client.describe());
    if found == nonce {
        return Check::pass("nonce", format!("the certificate's nonce matches: {computed_over}"));
    }
    let cause = client
        .alternatives()
        .into_iter()
        .find(|(alt, _)| {
            let mut data = auth_data.to_vec();
            data.extend_from_slice(alt);
            super::sha256(&data) == found.as_slice()
        })
        .map(|(_, why)| format!("the nonce matches another clientDataHash: {why}"))
        .unwrap_or_else(|| {
            "the challenge is not the one this attestation was made for (wrong or reused challenge), or the authData \
             was altered"
                .to_string()
        });
    let cause = match device_hash.filter(|h| {
        let mut data = auth_data.to_vec();
        data.extend_from_slice(h);
        super::sha256(&data)[..] == found[..]
    }) {
        Some(h) => format!(
            "{cause}. The receipt shows the clientDataHash the device used: {}{}",
            hex::encode(h),
            std::str::from_utf8(h).map(|t| format!(" (the text \"{t}\")")).unwrap_or_default()
        ),
        None => cause,
    };
    Check::fail("nonce", format!("the certificate's nonce does not match ({computed_over})"))
        .expected_found(hex::encode(nonce), hex::encode(&found))
        .cause(cause)
}

fn key_id_check(given: &str, computed: &[u8]) -> Check {
    match decode_base64(given) {
        Ok(bytes) if bytes == computed => {
            Check::pass("key-id", "key-id is SHA-256 of the certificate's public key (65-byte uncompressed point)")
        }
        Ok(bytes) => {
            let cause = if hex::decode(given.trim()).ok().as_deref() == Some(computed) {
                "key-id was given in hex; give the base64 string generateKey returned".to_string()
            } else if bytes.len() != 32 {
                format!("key-id decodes to {} bytes, not 32: it is not a key identifier", bytes.len())
            } else {
                "key-id names another key: the app sent the id of a different (older or regenerated) key".to_string()
            };
            Check::fail("key-id", "key-id is not the SHA-256 of the certificate's public key")
                .expected_found(encode_base64(computed), encode_base64(&bytes))
                .cause(cause)
        }
        Err(e) => Check::fail("key-id", "key-id is not base64")
            .expected_found(encode_base64(computed), e)
            .cause("pass the key identifier exactly as generateKey returned it (standard base64, 44 characters)"),
    }
}

fn rp_id_check(app_id: &str, rp_id_hash: &[u8; 32], receipt_app_id: Option<&str>) -> Check {
    let expected = super::sha256(app_id.as_bytes());
    if expected == *rp_id_hash {
        return Check::pass("rp-id", format!("rpIdHash = SHA-256(\"{app_id}\")"));
    }
    let bundle_only = app_id.split_once('.').map(|(_, b)| b).unwrap_or(app_id);
    let cause = if let Some(real) = receipt_app_id.filter(|r| super::sha256(r.as_bytes()) == *rp_id_hash) {
        format!("the attestation was made for the App ID \"{real}\" (named in its receipt): wrong team or bundle ID")
    } else if super::sha256(bundle_only.as_bytes()) == *rp_id_hash {
        "the hash is of the bundle ID alone: give the App ID as TEAMID.bundleID".to_string()
    } else {
        "wrong team ID or bundle ID (App Clips use the clip's own bundle ID), or the authData was altered".to_string()
    };
    Check::fail("rp-id", format!("rpIdHash is not SHA-256(\"{app_id}\")"))
        .expected_found(hex::encode(expected), hex::encode(rp_id_hash))
        .cause(cause)
}

fn aaguid_check(aaguid: &[u8; 16], environment: Option<Environment>) -> Check {
    let found = auth_data::aaguid_text(aaguid);
    let actual = if *aaguid == AAGUID_DEVELOPMENT {
        Some(Environment::Development)
    } else if *aaguid == AAGUID_PRODUCTION {
        Some(Environment::Production)
    } else {
        None
    };
    let name = |e: Environment| match e {
        Environment::Development => "development",
        Environment::Production => "production",
    };
    match (actual, environment) {
        (Some(a), Some(e)) if a == e => Check::pass("aaguid", format!("aaguid {found}: the {} environment", name(a))),
        (Some(a), None) => Check::pass("aaguid", format!("aaguid {found}: the {} environment (no environment was expected)", name(a))),
        (Some(a), Some(e)) => Check::fail("aaguid", format!("the attestation is from the {} environment", name(a)))
            .expected_found(format!("the {} aaguid", name(e)), found)
            .cause(match a {
                Environment::Development => "a development build (entitlement appattest-environment = development) attested against a production server; keys never move between environments",
                Environment::Production => "TestFlight, App Store and Enterprise builds always attest in production, whatever the entitlement; a Mac build without the entitlement does too",
            }),
        (None, _) => Check::fail("aaguid", "the aaguid is neither App Attest value")
            .expected_found("appattestdevelop or appattest followed by 7 zero bytes", found)
            .cause("not an App Attest attestation (a WebAuthn authenticator?), or the authData was altered"),
    }
}
