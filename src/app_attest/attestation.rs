//! The attestation verification procedure: Apple's "Validating apps that connect to your server",
//! section "Verify the attestation", steps 1–9, each a check, after the `format` check that
//! decodes the object.

use super::input::{AttestationDocument, ClientData, Environment};
use super::{chain, object, receipt, report, AppAttestCheck as Id};
use crate::attest::apple_nonce;
use crate::attest::auth_data::Flag;
use crate::attest::sha256;
use crate::attest::x509::Cert;
use crate::data::{decode_base64, encode_base64};
use crate::figure::Figure;
use crate::instant::Instant;
use crate::validator::{Check, Verdict};
use serde_json::json;

/// aaguid of the development environment: the 16 ASCII bytes `appattestdevelop`.
pub const AAGUID_DEVELOPMENT: [u8; 16] = *b"appattestdevelop";
/// aaguid of the production environment: `appattest` followed by 7 zero bytes.
pub const AAGUID_PRODUCTION: [u8; 16] = *b"appattest\0\0\0\0\0\0\0";

/// Verifies an attestation document at `now`. Checks run in Apple's order; when the object
/// cannot be read at all only `format` is reported, and when the credential certificate
/// cannot be parsed the checks that need it (`nonce`, `key-id`) are left out.
pub fn verify(doc: &AttestationDocument, client: &ClientData, now: Instant) -> Verdict {
    let mut verdict = Verdict::default();

    // Format (before Apple's steps): decode the base64 CBOR map {fmt = "apple-appattest",
    // attStmt: {x5c: [credCert, intermediate], receipt}, authData} and authData's fields (AT set,
    // aaguid, credentialId, COSE key, any extensions).
    let obj = match object::attestation(&doc.attestation) {
        Ok(o) => o,
        Err(e) => {
            let check = Check::fail(Id::Format, format!("the attestation object cannot be read: {e}"))
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
    verdict.checks.push(Check::pass(Id::Format, format_message(&obj)));
    verdict.detail("authenticator-data", report::auth_data(ad));
    verdict.figure(Figure::Bytes(ad.byte_map("Authenticator data of the attestation", &obj.auth_data_raw)));

    // The receipt is read first (it is checked last, informationally): the App ID and the client
    // hash it names sharpen the causes given by `rp-id` and `nonce`.
    let receipt_info = obj.receipt.as_deref().map(|r| receipt::inspect(r, now));

    // 1. Verify that the x5c array contains the intermediate and leaf certificates for App Attest,
    //    starting from the credential certificate (credCert) in its first buffer, and verify them
    //    with Apple's App Attestation root certificate (here: signatures and validity at `now`).
    let chain = chain::verify(&obj.x5c, doc.trust_anchor.as_ref().map(|a| a.pem.as_str()), now);
    verdict.checks.push(chain.check.clone());
    verdict.figures.extend(chain.figure.clone().map(Figure::Chain));
    let certificates: Vec<serde_json::Value> = chain.certificates.iter().flatten().map(|c| c.summary(now)).collect();
    verdict.detail("certificates", json!(certificates));
    verdict.detail("trust-anchor", chain.anchor.clone());
    let leaf = chain.certificates.first().and_then(|c| c.as_ref().ok()).cloned();
    if let Some(leaf) = &leaf {
        verdict.detail("apple-extensions", super::apple_ext::describe(leaf));
    }

    // 2. Create clientDataHash as the SHA-256 hash of the one-time challenge (or take the hash the
    //    document gives), and append it to the end of authData.
    let mut composite = obj.auth_data_raw.clone();
    composite.extend_from_slice(&client.hash());

    // 3. Generate a new SHA-256 hash of the composite item to create nonce.
    let nonce = sha256(&composite);

    // 4. Obtain the value of credCert's extension 1.2.840.113635.100.8.2, a DER-encoded ASN.1
    //    sequence; decode it, extract the single octet string it contains, and verify that it
    //    equals nonce.
    if let Some(leaf) = &leaf {
        let device_hash = receipt_info.as_ref().and_then(|r| r.client_hash());
        verdict.checks.push(nonce_check(leaf, &obj.auth_data_raw, &nonce, client, device_hash));
        if let Ok(Some(value)) = leaf.extension(&apple_nonce::OID) {
            verdict.figures.extend(apple_nonce::byte_map(value, &nonce).ok().map(Figure::Bytes));
        }
    }

    // 5. Create the SHA-256 hash of the public key in credCert (the 65-byte uncompressed point),
    //    and verify that it matches the key identifier from the app.
    let computed_key_id = leaf.as_ref().map(|l| sha256(l.public_key_bytes()).to_vec());
    if let (Some(leaf), Some(computed)) = (&leaf, &computed_key_id) {
        verdict.checks.push(key_id_check(&doc.key_id, computed));
        if let Ok(pem) = leaf.public_key_pem() {
            verdict.detail("public-key", json!({ "pem": pem, "key-id": encode_base64(computed) }));
        }
    }

    // 6. Compute the SHA-256 hash of the app's App ID (TEAMID.bundleID), and verify that it is the
    //    same as the authenticator data's RP ID hash.
    let receipt_app_id = receipt_info.as_ref().and_then(|r| r.app_id.clone());
    verdict.checks.push(rp_id_check(&doc.app_id, &ad.rp_id_hash, receipt_app_id.as_deref()));

    // 7. Verify that the authenticator data's counter field equals 0.
    verdict.checks.push(if ad.counter == 0 {
        Check::pass(Id::Counter, "the counter is 0, as for a key that was never used")
    } else {
        Check::fail(Id::Counter, format!("the counter is {} in an attestation", ad.counter))
            .expected_found("0", ad.counter.to_string())
            .cause("this authenticator data comes from an assertion or a reused key, not from attestKey")
    });

    // 8. Verify that the authenticator data's aaguid field is either appattestdevelop (development
    //    environment) or appattest followed by seven 0x00 bytes (production environment).
    if let Some(att) = &ad.attested {
        verdict.checks.push(aaguid_check(&att.aaguid, doc.environment));
    }

    // 9. Verify that the authenticator data's credentialId field is the same as the key
    //    identifier (compared with the key id of the certificate's key, so that a wrong document
    //    key-id fails only `key-id`; without a readable certificate, with the document's key-id).
    if let Some(att) = &ad.attested {
        let reference = computed_key_id.clone().or_else(|| decode_base64(&doc.key_id).ok()).unwrap_or_default();
        verdict.checks.push(if att.credential_id == reference {
            Check::pass(Id::CredentialId, "the credential id in authData equals the key id")
        } else {
            Check::fail(Id::CredentialId, "the credential id in authData is not the key id")
                .expected_found(encode_base64(&reference), encode_base64(&att.credential_id))
                .cause("the authenticator data was altered, or it belongs to another key than the certificate")
        });
        if let (Some(point), Some(leaf)) = (att.uncompressed_p256_point(), &leaf) {
            verdict.detail("cose-key-matches-certificate", json!(point == leaf.public_key_bytes()));
        }
    }

    // After Apple's steps: the receipt, informational unless it is authenticated and contradicts.
    if let Some(info) = receipt_info {
        verdict.checks.push(info.check(leaf.as_ref()));
        verdict.figures.extend(info.figure.clone().map(Figure::Chain));
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
    if let Some(extensions) = &obj.auth_data.extensions {
        message.push_str(&format!(
            "; {} bytes of extension data follow the COSE key (newer OS versions append them{})",
            extensions.raw.len(),
            if obj.auth_data.flags.has(Flag::ExtensionData) { "" } else { " without setting the ED flag" }
        ));
    }
    message
}

fn nonce_check(leaf: &Cert, auth_data: &[u8], nonce: &[u8], client: &ClientData, device_hash: Option<&[u8]>) -> Check {
    let found = match apple_nonce::from_certificate(leaf) {
        Ok(f) => f,
        Err(e) => {
            return Check::fail(Id::Nonce, "the credential certificate carries no readable nonce")
                .expected_found(apple_nonce::SHAPE, e.to_string())
                .cause("not an App Attest credential certificate, or it was altered")
        }
    };
    let computed_over = format!("nonce = SHA-256(authData ‖ clientDataHash), {}", client.describe());
    if found == nonce {
        return Check::pass(Id::Nonce, format!("the certificate's nonce matches: {computed_over}"));
    }
    let cause = client
        .alternatives()
        .into_iter()
        .find(|(alt, _)| {
            let mut data = auth_data.to_vec();
            data.extend_from_slice(alt);
            sha256(&data) == found.as_slice()
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
        sha256(&data)[..] == found[..]
    }) {
        Some(h) => format!(
            "{cause}. The receipt shows the clientDataHash the device used: {}{}",
            hex::encode(h),
            std::str::from_utf8(h).map(|t| format!(" (the text \"{t}\")")).unwrap_or_default()
        ),
        None => cause,
    };
    Check::fail(Id::Nonce, format!("the certificate's nonce does not match ({computed_over})"))
        .expected_found(hex::encode(nonce), hex::encode(&found))
        .cause(cause)
}

fn key_id_check(given: &str, computed: &[u8]) -> Check {
    match decode_base64(given) {
        Ok(bytes) if bytes == computed => {
            Check::pass(Id::KeyId, "key-id is SHA-256 of the certificate's public key (65-byte uncompressed point)")
        }
        Ok(bytes) => {
            let cause = if hex::decode(given.trim()).ok().as_deref() == Some(computed) {
                "key-id was given in hex; give the base64 string generateKey returned".to_string()
            } else if bytes.len() != 32 {
                format!("key-id decodes to {} bytes, not 32: it is not a key identifier", bytes.len())
            } else {
                "key-id names another key: the app sent the id of a different (older or regenerated) key".to_string()
            };
            Check::fail(Id::KeyId, "key-id is not the SHA-256 of the certificate's public key")
                .expected_found(encode_base64(computed), encode_base64(&bytes))
                .cause(cause)
        }
        Err(e) => Check::fail(Id::KeyId, "key-id is not base64")
            .expected_found(encode_base64(computed), e)
            .cause("pass the key identifier exactly as generateKey returned it (standard base64, 44 characters)"),
    }
}

fn rp_id_check(app_id: &str, rp_id_hash: &[u8; 32], receipt_app_id: Option<&str>) -> Check {
    let expected = sha256(app_id.as_bytes());
    if expected == *rp_id_hash {
        return Check::pass(Id::RpId, format!("rpIdHash = SHA-256(\"{app_id}\")"));
    }
    let bundle_only = app_id.split_once('.').map(|(_, b)| b).unwrap_or(app_id);
    let cause = if let Some(real) = receipt_app_id.filter(|r| sha256(r.as_bytes()) == *rp_id_hash) {
        format!("the attestation was made for the App ID \"{real}\" (named in its receipt): wrong team or bundle ID")
    } else if sha256(bundle_only.as_bytes()) == *rp_id_hash {
        "the hash is of the bundle ID alone: give the App ID as TEAMID.bundleID".to_string()
    } else {
        "wrong team ID or bundle ID (App Clips use the clip's own bundle ID), or the authData was altered".to_string()
    };
    Check::fail(Id::RpId, format!("rpIdHash is not SHA-256(\"{app_id}\")"))
        .expected_found(hex::encode(expected), hex::encode(rp_id_hash))
        .cause(cause)
}

fn aaguid_check(aaguid: &[u8; 16], environment: Option<Environment>) -> Check {
    let found = report::aaguid_text(aaguid);
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
        (Some(a), Some(e)) if a == e => Check::pass(Id::Aaguid, format!("aaguid {found}: the {} environment", name(a))),
        (Some(a), None) => Check::pass(Id::Aaguid, format!("aaguid {found}: the {} environment (no environment was expected)", name(a))),
        (Some(a), Some(e)) => Check::fail(Id::Aaguid, format!("the attestation is from the {} environment", name(a)))
            .expected_found(format!("the {} aaguid", name(e)), found)
            .cause(match a {
                Environment::Development => "a development build (entitlement appattest-environment = development) attested against a production server; keys never move between environments",
                Environment::Production => "TestFlight, App Store and Enterprise builds always attest in production, whatever the entitlement; a Mac build without the entitlement does too",
            }),
        (None, _) => Check::fail(Id::Aaguid, "the aaguid is neither App Attest value")
            .expected_found("appattestdevelop or appattest followed by 7 zero bytes", found)
            .cause("not an App Attest attestation (a WebAuthn authenticator?), or the authData was altered"),
    }
}
