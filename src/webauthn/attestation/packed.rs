//! `packed` attestation (WebAuthn `#sctn-packed-attestation`).

use super::{alg_sig, chain_check, parse_x5c, Input, Outcome};
use crate::attest::cbor;
use crate::attest::x509::Cert;
use crate::validator::Check;
use crate::webauthn::cose;
use crate::webauthn::WebauthnCheck as Id;
use x509_cert::der::asn1::ObjectIdentifier;

/// id-fido-gen-ce-aaguid.
const AAGUID_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.45724.1.1.4");
/// basicConstraints.
const BASIC_CONSTRAINTS_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");

/// The packed verification procedure.
pub fn verify(input: &Input, out: &mut Outcome) {
    // 1. attStmt = {alg, sig, x5c?}.
    let (alg, sig) = match alg_sig(input.stmt) {
        Ok(p) => p,
        Err(e) => {
            out.checks.push(Check::pass(Id::AttestationFormat, "fmt packed"));
            out.checks.push(
                Check::fail(Id::AttestationStatement, "packed attStmt is malformed")
                    .expected_found("{alg, sig, x5c?}", e)
                    .cause("a truncated or hand-built attestation object"),
            );
            return;
        }
    };
    // 2. The signed data is authenticatorData ‖ clientDataHash.
    let mut signed = input.auth_data.to_vec();
    signed.extend_from_slice(input.client_data_hash);
    match cbor::get(input.stmt, "x5c") {
        Some(x5c) => {
            out.checks.push(Check::pass(Id::AttestationFormat, "fmt packed, full attestation (x5c)"));
            let chain = match parse_x5c(x5c) {
                Ok(c) => c,
                Err(e) => {
                    out.checks.push(
                        Check::fail(Id::AttestationStatement, "x5c cannot be read")
                            .expected_found("DER certificates", e)
                            .cause("a truncated attestation object"),
                    );
                    return;
                }
            };
            let Some(leaf) = chain.first() else { return };
            // 3. Verify sig with the attestation certificate's key using alg.
            out.checks.push(match leaf.public_key().and_then(|k| cose::verify(&k, alg, &signed, sig)) {
                Ok(()) => Check::pass(
                    Id::AttestationStatement,
                    format!("sig ({}) verifies with the attestation certificate", cose::alg_label(alg)),
                ),
                Err(e) => Check::fail(Id::AttestationStatement, "the packed signature does not verify with x5c[0]")
                    .expected_found("a signature over authenticatorData ‖ clientDataHash", e)
                    .cause("authenticatorData or clientDataJSON were altered after the authenticator signed them"),
            });
            // 3b. Certificate requirements: v3, OU "Authenticator Attestation", CA false, AAGUID extension.
            out.checks
                .push(leaf_requirements(leaf, &input.auth.attested.as_ref().map(|a| a.aaguid).unwrap_or_default()));
            // 3c. Chain as far as given, to a configured root if any.
            chain_check(&chain, input.roots, input.now, false, out);
        }
        None => {
            out.checks.push(Check::pass(Id::AttestationFormat, "fmt packed, self attestation (no x5c)"));
            // 4. Self attestation: alg must be the credential's, and sig verifies with the credential key.
            let cred_alg = input.credential.alg.unwrap_or_else(|| cose::default_alg(&input.credential.key));
            out.checks.push(if alg != cred_alg {
                Check::fail(Id::AttestationStatement, "self attestation alg differs from the credential key's alg")
                    .expected_found(cose::alg_label(cred_alg), cose::alg_label(alg))
                    .cause("a malformed statement")
            } else {
                match cose::verify(&input.credential.key, alg, &signed, sig) {
                    Ok(()) => Check::pass(
                        Id::AttestationStatement,
                        "self-attestation signature verifies with the credential key",
                    ),
                    Err(e) => Check::fail(Id::AttestationStatement, "the self-attestation signature does not verify")
                        .expected_found("a signature by the new credential", e)
                        .cause("authenticatorData or clientDataJSON were altered after signing"),
                }
            });
        }
    }
}

fn leaf_requirements(leaf: &Cert, aaguid: &[u8; 16]) -> Check {
    let mut problems = Vec::new();
    let tbs = &leaf.certificate().tbs_certificate;
    if tbs.version != x509_cert::Version::V3 {
        problems.push("version is not 3".to_string());
    }
    if !leaf.subject().contains("OU=Authenticator Attestation") {
        problems.push(format!("subject OU is not \"Authenticator Attestation\" ({})", leaf.subject()));
    }
    match leaf.extension(&AAGUID_OID) {
        Err(e) => problems.push(e.to_string()),
        Ok(None) => {}
        Ok(Some(ext)) => {
            use der::Decode;
            match der::asn1::OctetString::from_der(ext) {
                Ok(o) if o.as_bytes() == aaguid => {}
                Ok(o) => problems.push(format!(
                    "AAGUID extension {} differs from authData AAGUID {}",
                    hex::encode(o.as_bytes()),
                    hex::encode(aaguid)
                )),
                Err(e) => problems.push(format!("AAGUID extension is not an OCTET STRING: {e}")),
            }
        }
    }
    if let Ok(Some(bc)) = leaf.extension(&BASIC_CONSTRAINTS_OID) {
        use der::Decode;
        if let Ok(b) = x509_cert::ext::pkix::BasicConstraints::from_der(bc) {
            if b.ca {
                problems.push("basicConstraints says CA = true".into());
            }
        }
    }
    if problems.is_empty() {
        Check::pass(
            Id::AttestationCertificate,
            format!("attestation certificate meets the packed requirements ({})", leaf.subject()),
        )
    } else {
        Check::fail(Id::AttestationCertificate, "the attestation certificate breaks the packed requirements")
            .expected_found(
                "v3, OU=Authenticator Attestation, CA=false, AAGUID extension equal to authData's",
                problems.join("; "),
            )
            .cause("an authenticator with a non-conforming certificate, or a certificate from another device")
    }
}
