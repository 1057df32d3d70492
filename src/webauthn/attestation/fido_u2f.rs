//! `fido-u2f` attestation (WebAuthn `#sctn-fido-u2f-attestation`).

use super::{chain_check, parse_x5c, Input, Outcome};
use crate::attest::cbor;
use crate::validator::Check;
use crate::webauthn::cose::{self, PublicKey};
use crate::webauthn::WebauthnCheck as Id;
use ciborium::Value;

/// The fido-u2f verification procedure.
pub fn verify(input: &Input, out: &mut Outcome) {
    out.checks.push(Check::pass(Id::AttestationFormat, "fmt fido-u2f (a U2F security key)"));
    // 1. attStmt = {x5c: [one certificate], sig}.
    let stmt = (|| -> Result<_, String> {
        let x5c = cbor::get(input.stmt, "x5c").ok_or("attStmt has no x5c")?;
        let chain = parse_x5c(x5c)?;
        if chain.len() != 1 {
            return Err(format!("x5c has {} certificates; fido-u2f allows exactly one", chain.len()));
        }
        let sig = cbor::get(input.stmt, "sig").and_then(Value::as_bytes).ok_or("attStmt has no byte-string sig")?;
        Ok((chain, sig.clone()))
    })();
    let (chain, sig) = match stmt {
        Ok(s) => s,
        Err(e) => {
            out.checks.push(
                Check::fail(Id::AttestationStatement, "fido-u2f attStmt is malformed")
                    .expected_found("{x5c: [cert], sig}", e)
                    .cause("a truncated or hand-built attestation object"),
            );
            return;
        }
    };
    let Some(leaf) = chain.first() else { return };
    // 2. The certificate key must be P-256 and the credential key EC2 P-256.
    let (cert_key, point) = match (leaf.public_key(), &input.credential.key) {
        (Ok(k @ PublicKey::P256(_)), PublicKey::P256(c)) => (k, c.to_encoded_point(false)),
        (k, _) => {
            out.checks.push(
                Check::fail(Id::AttestationStatement, "fido-u2f needs P-256 keys")
                    .expected_found(
                        "P-256 certificate key and P-256 credential key",
                        format!(
                            "certificate {:?}, credential {}",
                            k.map(|k| cose::key_type(&k)),
                            cose::key_type(&input.credential.key)
                        ),
                    )
                    .cause("not a U2F authenticator"),
            );
            return;
        }
    };
    // 3. verificationData = 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ publicKeyU2F.
    let mut data = vec![0u8];
    data.extend_from_slice(&input.auth.rp_id_hash);
    data.extend_from_slice(input.client_data_hash);
    data.extend_from_slice(input.credential_id);
    data.extend_from_slice(point.as_bytes());
    // 4. Verify sig with the certificate key (ES256).
    out.checks.push(match cose::verify(&cert_key, -7, &data, &sig) {
        Ok(()) => Check::pass(
            Id::AttestationStatement,
            "U2F registration signature verifies with the attestation certificate",
        ),
        Err(e) => Check::fail(Id::AttestationStatement, "the U2F registration signature does not verify")
            .expected_found("ES256 over 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ public key", e)
            .cause("authenticatorData or clientDataJSON were altered after signing"),
    });
    chain_check(&chain, input.roots, input.now, false, out);
}
