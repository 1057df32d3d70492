//! `apple` anonymous attestation (WebAuthn `#sctn-apple-anonymous-attestation`).

use super::{apple_root, cert, chain_check, Input, Outcome};
use crate::validator::Check;
use crate::webauthn::cbor;
use crate::webauthn::cose;
use der::{Decode, Tagged};
use sha2::{Digest, Sha256};

/// Apple's nonce extension.
const NONCE_OID: &str = "1.2.840.113635.100.8.2";

/// Extracts the nonce from the extension value `SEQUENCE { [1] EXPLICIT OCTET STRING }`.
fn nonce_of(ext: &[u8]) -> Result<Vec<u8>, String> {
    let seq = der::asn1::AnyRef::from_der(ext).map_err(|e| format!("nonce extension: {e}"))?;
    if seq.tag() != der::Tag::Sequence {
        return Err(format!("nonce extension is a {}, not a SEQUENCE", seq.tag()));
    }
    let tagged = der::asn1::AnyRef::from_der(seq.value()).map_err(|e| format!("nonce extension: {e}"))?;
    let octets = der::asn1::OctetString::from_der(tagged.value()).map_err(|e| format!("nonce extension: {e}"))?;
    Ok(octets.as_bytes().to_vec())
}

/// The apple verification procedure.
pub fn verify(input: &Input, out: &mut Outcome) {
    out.checks.push(Check::pass(
        "attestation-format",
        "fmt apple (Apple anonymous attestation)",
    ));
    // 1. attStmt = {x5c: [credCert, caCerts…]}.
    let chain = match cbor::get_text(input.stmt, "x5c")
        .ok_or_else(|| "attStmt has no x5c".to_string())
        .and_then(cert::parse_x5c)
    {
        Ok(c) => c,
        Err(e) => {
            out.checks.push(
                Check::fail("attestation-statement", "apple attStmt is malformed")
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
    let want = Sha256::digest(&data);
    // 3. credCert's extension 1.2.840.113635.100.8.2 must hold that nonce.
    let found = leaf
        .extension(NONCE_OID)
        .ok_or_else(|| format!("credCert has no extension {NONCE_OID}"))
        .and_then(nonce_of);
    out.checks.push(match found {
        Ok(n) if n[..] == want[..] => Check::pass(
            "attestation-statement",
            "nonce extension equals SHA-256(authData ‖ clientDataHash)",
        ),
        Ok(n) => Check::fail(
            "attestation-statement",
            "the certificate's nonce does not match this response",
        )
        .expected_found(hex::encode(want), hex::encode(n))
        .cause("authenticatorData or clientDataJSON were altered, or the certificate belongs to another registration"),
        Err(e) => Check::fail("attestation-statement", "the nonce extension cannot be read")
            .expected_found(format!("extension {NONCE_OID}"), e)
            .cause("not an Apple attestation certificate"),
    });
    // 4. The credential public key must equal credCert's subject public key.
    let same = leaf.public_key().ok().and_then(|k| cose::to_spki_der(&k).ok())
        == cose::to_spki_der(&input.credential.key).ok();
    out.checks.push(if same {
        Check::pass(
            "attestation-certificate",
            "credCert's public key is the credential public key",
        )
    } else {
        Check::fail(
            "attestation-certificate",
            "credCert's key differs from the credential public key",
        )
        .expected_found("the COSE key of authData", "another key in credCert")
        .cause("the attestation statement was taken from another registration")
    });
    // 5. Chain to the pinned Apple WebAuthn Root CA.
    match apple_root::root() {
        Ok(root) => chain_check(&chain, std::slice::from_ref(&root), input.now, true, out),
        Err(e) => out.checks.push(
            Check::fail("attestation-chain", "the built-in Apple root is unusable")
                .expected_found(apple_root::FINGERPRINT, e)
                .cause("a damaged build"),
        ),
    }
}
