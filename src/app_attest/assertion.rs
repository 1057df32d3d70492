//! The assertion verification procedure (Apple's "Verify the assertion" steps).

use super::auth_data::FLAG_AT;
use super::input::{AssertionDocument, ClientData};
use super::object;
use crate::validator::{Check, Verdict};
use ecdsa::signature::hazmat::PrehashVerifier;
use ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Verifies an assertion document. The signature is ECDSA P-256 with SHA-256 over the nonce,
/// so the digest actually signed is SHA-256(nonce) (checked against the real vectors).
pub fn verify(doc: &AssertionDocument, client: &ClientData) -> Verdict {
    let mut verdict = Verdict::default();

    // 1. Decode the CBOR assertion {signature, authenticatorData}; authenticatorData ≥ 37 bytes.
    let obj = match object::assertion(&doc.assertion) {
        Ok(o) => o,
        Err(e) => {
            verdict.checks.push(
                Check::fail("format", format!("the assertion object cannot be read: {e}"))
                    .expected_found("base64 of a CBOR map {signature, authenticatorData}", e.to_string())
                    .cause(e.cause()),
            );
            return verdict;
        }
    };
    let ad = &obj.auth_data;
    let mut message = format!(
        "CBOR assertion, signature {} bytes, authenticatorData {} bytes",
        obj.signature.len(),
        obj.auth_data_raw.len()
    );
    if ad.flags & FLAG_AT != 0 && ad.trailing.is_empty() {
        message.push_str(
            "; the AT flag is set although no attested credential data follows: real App Attest assertions all do \
             this, so it is accepted",
        );
    }
    if !ad.trailing.is_empty() {
        message.push_str(&format!("; {} bytes of extension data follow the 37-byte header", ad.trailing.len()));
    }
    verdict.checks.push(Check::pass("format", message));
    verdict.detail("authenticator-data", super::auth_data::to_json(ad));

    // 2. clientDataHash = SHA-256(clientData) (or the hash as given).
    let client_data_hash = client.hash();
    // 3. nonce = SHA-256(authenticatorData ‖ clientDataHash).
    let nonce = nonce_over(&obj.auth_data_raw, &client_data_hash);
    verdict.detail("nonce", json!({ "hex": hex::encode(&nonce), "computed-over": format!("SHA-256(authenticatorData ‖ clientDataHash), {}", client.describe()) }));

    // 4. Verify the DER ECDSA signature over the nonce with the attested public key.
    verdict.checks.push(signature_check(doc, client, &obj, &nonce));

    // 5. rpIdHash = SHA-256(App ID).
    let expected = super::sha256(doc.app_id.as_bytes());
    verdict.checks.push(if expected == ad.rp_id_hash {
        Check::pass("rp-id", format!("rpIdHash = SHA-256(\"{}\")", doc.app_id))
    } else {
        Check::fail("rp-id", format!("rpIdHash is not SHA-256(\"{}\")", doc.app_id))
            .expected_found(hex::encode(expected), hex::encode(ad.rp_id_hash))
            .cause("wrong team ID or bundle ID in app-id (give TEAMID.bundleID), or the assertion is from another app")
    });

    // 6. counter > the stored counter (strictly).
    verdict.checks.push(if ad.counter > doc.previous_counter {
        Check::pass(
            "counter",
            format!("counter {} > previous {}; store {} now", ad.counter, doc.previous_counter, ad.counter),
        )
    } else {
        Check::fail(
            "counter",
            format!("counter {} is not greater than the stored {}", ad.counter, doc.previous_counter),
        )
        .expected_found(format!("> {}", doc.previous_counter), ad.counter.to_string())
        .cause("a replayed assertion (the same one sent twice), or the stored counter was updated before checking")
    });
    verdict.detail("counter", json!(ad.counter));
    verdict
}

fn nonce_over(auth_data: &[u8], client_data_hash: &[u8]) -> Vec<u8> {
    let mut data = auth_data.to_vec();
    data.extend_from_slice(client_data_hash);
    Sha256::digest(&data).to_vec()
}

fn signature_check(doc: &AssertionDocument, client: &ClientData, obj: &object::AssertionObject, nonce: &[u8]) -> Check {
    let key = match VerifyingKey::from_public_key_pem(doc.public_key.pem.trim()) {
        Ok(k) => k,
        Err(e) => {
            return Check::fail("signature", "the public key cannot be read")
                .expected_found("a PEM P-256 PUBLIC KEY (the attestation report's public-key)", e.to_string())
                .cause("paste the public-key pem from the attestation report; App Attest keys are P-256")
        }
    };
    let signature = match Signature::from_der(&obj.signature) {
        Ok(s) => s,
        Err(_) => {
            let cause = if obj.signature.len() == 64 {
                "this looks like a raw r‖s signature; App Attest assertions carry DER"
            } else {
                "the signature bytes were altered or cut"
            };
            return Check::fail("signature", "the signature is not a DER ECDSA signature")
                .expected_found(
                    "DER SEQUENCE { r INTEGER, s INTEGER }",
                    format!("{} bytes: {}", obj.signature.len(), hex::encode(&obj.signature)),
                )
                .cause(cause);
        }
    };
    if key.verify(nonce, &signature).is_ok() {
        return Check::pass(
            "signature",
            format!("ECDSA P-256/SHA-256 signature over the nonce verifies ({})", client.describe()),
        );
    }
    let mut cause =
        "the signature was made by another key, over other client data, or the assertion was altered".to_string();
    if key.verify_prehash(nonce, &signature).is_ok() {
        cause = "the signature is over the nonce used directly as the digest (not hashed again): a signer that skipped ECDSA's own SHA-256".to_string();
    } else if let Some((_, why)) = client
        .alternatives()
        .into_iter()
        .find(|(alt, _)| key.verify(&nonce_over(&obj.auth_data_raw, alt), &signature).is_ok())
    {
        cause = format!("the signature verifies with another clientDataHash: {why}");
    }
    Check::fail("signature", format!("the signature does not verify over the nonce ({})", client.describe()))
        .expected_found(
            "a signature by the given public key over SHA-256(authenticatorData ‖ clientDataHash)",
            "a signature that does not verify",
        )
        .cause(cause)
}
