//! `apple` anonymous attestation (WebAuthn `#sctn-apple-anonymous-attestation`).

use super::{chain_check, parse_x5c, Input, Outcome};
use crate::attest::cbor;
use crate::attest::roots::AppleRoot;
use crate::attest::{apple_nonce, sha256};
use crate::validator::Check;
use crate::webauthn::cose;
use crate::webauthn::WebauthnCheck as Id;

/// The apple verification procedure.
pub fn verify(input: &Input, out: &mut Outcome) {
    out.checks.push(Check::pass(Id::AttestationFormat, "fmt apple (Apple anonymous attestation)"));
    // 1. attStmt = {x5c: [credCert, caCerts…]}.
    let chain = match cbor::get(input.stmt, "x5c").ok_or_else(|| "attStmt has no x5c".to_string()).and_then(parse_x5c) {
        Ok(c) => c,
        Err(e) => {
            out.checks.push(
                Check::fail(Id::AttestationStatement, "apple attStmt is malformed")
                    .expected_found("{x5c: [credCert, …]}", e)
                    .cause("a truncated or hand-built attestation object"),
            );
            return;
        }
    };
    let Some(leaf) = chain.first() else { return };
    // 2. nonce = SHA-256(authenticatorData ‖ clientDataHash).
    let mut data = input.auth_data.to_vec();
    data.extend_from_slice(input.client_data_hash);
    let want = sha256(&data);
    // 3. credCert's extension 1.2.840.113635.100.8.2 must hold that nonce.
    let found = apple_nonce::from_certificate(leaf);
    out.checks.push(match found {
        Ok(n) if n[..] == want[..] => {
            Check::pass(Id::AttestationStatement, "nonce extension equals SHA-256(authData ‖ clientDataHash)")
        }
        Ok(n) => Check::fail(Id::AttestationStatement, "the certificate's nonce does not match this response")
            .expected_found(hex::encode(want), hex::encode(n))
            .cause(
                "authenticatorData or clientDataJSON were altered, or the certificate belongs to another registration",
            ),
        Err(e) => Check::fail(Id::AttestationStatement, "the nonce extension cannot be read")
            .expected_found(apple_nonce::SHAPE, e.to_string())
            .cause("not an Apple attestation certificate"),
    });
    // 4. The credential public key must equal credCert's subject public key.
    let same = leaf.public_key().ok().and_then(|k| cose::to_spki_der(&k).ok())
        == cose::to_spki_der(&input.credential.key).ok();
    out.checks.push(if same {
        Check::pass(Id::AttestationCertificate, "credCert's public key is the credential public key")
    } else {
        Check::fail(Id::AttestationCertificate, "credCert's key differs from the credential public key")
            .expected_found("the COSE key of authData", "another key in credCert")
            .cause("the attestation statement was taken from another registration")
    });
    // 5. Chain to the pinned Apple WebAuthn Root CA.
    match AppleRoot::WebAuthn.load() {
        Ok(root) => chain_check(&chain, std::slice::from_ref(&root), input.now, true, out),
        Err(e) => out.checks.push(
            Check::fail(Id::AttestationChain, "the built-in Apple root is unusable")
                .expected_found(AppleRoot::WebAuthn.sha256(), e)
                .cause("a damaged build"),
        ),
    }
}
