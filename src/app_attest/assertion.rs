//! The assertion verification procedure: Apple's "Validating apps that connect to your server",
//! section "Verify the assertion", steps 1–6, after the `format` check that decodes the object.

use super::input::{AssertionDocument, ClientData};
use super::{object, report, AppAttestCheck as Id};
use crate::attest::auth_data::Flag;
use crate::figure::Figure;
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

    // Format (before Apple's steps): decode the CBOR assertion {signature, authenticatorData};
    // authenticatorData holds at least the 37-byte header.
    let obj = match object::assertion(&doc.assertion) {
        Ok(o) => o,
        Err(e) => {
            verdict.checks.push(
                Check::fail(Id::Format, format!("the assertion object cannot be read: {e}"))
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
    if ad.flags.has(Flag::AttestedData) && ad.extensions.is_none() {
        message.push_str(
            "; the AT flag is set although no attested credential data follows: real App Attest assertions all do \
             this, so it is accepted",
        );
    }
    if let Some(extensions) = &ad.extensions {
        message.push_str(&format!("; {} bytes of extension data follow the 37-byte header", extensions.raw.len()));
    }
    verdict.checks.push(Check::pass(Id::Format, message));
    verdict.detail("authenticator-data", report::auth_data(ad));
    verdict.figure(Figure::Bytes(ad.byte_map("Authenticator data of the assertion", &obj.auth_data_raw)));

    // 1. Compute clientDataHash as the SHA-256 hash of clientData (or take the hash as given).
    let client_data_hash = client.hash();
    // 2. Concatenate authenticatorData and clientDataHash, and apply a SHA-256 hash over the
    //    result to form nonce.
    let nonce = nonce_over(&obj.auth_data_raw, &client_data_hash);
    verdict.detail("nonce", json!({ "hex": hex::encode(&nonce), "computed-over": format!("SHA-256(authenticatorData ‖ clientDataHash), {}", client.describe()) }));

    // 3. Use the public key stored from the attestation object to verify that the assertion's
    //    signature is valid for nonce.
    verdict.checks.push(signature_check(doc, client, &obj, &nonce));

    // 4. Compute the SHA-256 hash of the client's App ID, and verify that it matches the RP ID
    //    hash in the authenticator data.
    let expected = crate::attest::sha256(doc.app_id.as_bytes());
    verdict.checks.push(if expected == ad.rp_id_hash {
        Check::pass(Id::RpId, format!("rpIdHash = SHA-256(\"{}\")", doc.app_id))
    } else {
        Check::fail(Id::RpId, format!("rpIdHash is not SHA-256(\"{}\")", doc.app_id))
            .expected_found(hex::encode(expected), hex::encode(ad.rp_id_hash))
            .cause("wrong team ID or bundle ID in app-id (give TEAMID.bundleID), or the assertion is from another app")
    });

    // 5. Verify that the authenticator data's counter is greater than the value stored from the
    //    previous assertion (0 after the attestation).
    verdict.checks.push(if ad.counter > doc.previous_counter {
        Check::pass(
            Id::Counter,
            format!("counter {} > previous {}; store {} now", ad.counter, doc.previous_counter, ad.counter),
        )
    } else {
        Check::fail(
            Id::Counter,
            format!("counter {} is not greater than the stored {}", ad.counter, doc.previous_counter),
        )
        .expected_found(format!("> {}", doc.previous_counter), ad.counter.to_string())
        .cause("a replayed assertion (the same one sent twice), or the stored counter was updated before checking")
    });
    verdict.detail("counter", json!(ad.counter));

    // 6. Verify that the embedded challenge matches the challenge sent to the app: the format of
    //    clientData is the app's own, so this step is the server's; the document's client-data is
    //    taken as the one the server expects.
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
            return Check::fail(Id::Signature, "the public key cannot be read")
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
            return Check::fail(Id::Signature, "the signature is not a DER ECDSA signature")
                .expected_found(
                    "DER SEQUENCE { r INTEGER, s INTEGER }",
                    format!("{} bytes: {}", obj.signature.len(), hex::encode(&obj.signature)),
                )
                .cause(cause);
        }
    };
    if key.verify(nonce, &signature).is_ok() {
        return Check::pass(
            Id::Signature,
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
    Check::fail(Id::Signature, format!("the signature does not verify over the nonce ({})", client.describe()))
        .expected_found(
            "a signature by the given public key over SHA-256(authenticatorData ‖ clientDataHash)",
            "a signature that does not verify",
        )
        .cause(cause)
}
