//! Step 1 of attestation verification: the x5c chain up to the App Attestation root.

use super::cert;
use super::root::{self, Anchor};
use crate::instant::Instant;
use crate::validator::Check;
use x509_cert::Certificate;

/// Hours a fresh App Attest leaf is usually valid, for the advice on `now`.
const SUGGEST_OFFSET_SECONDS: i64 = 86_400;

/// The result of the chain check and what it learnt along the way.
#[derive(Debug, Clone)]
pub struct ChainOutcome {
    pub check: Check,
    /// The parsed x5c certificates, in order (None where one could not be parsed).
    pub certificates: Vec<Option<Certificate>>,
    /// The anchor used and whether it is Apple's.
    pub anchor: serde_json::Value,
}

fn fail(
    message: impl Into<String>,
    expected: impl Into<String>,
    found: impl Into<String>,
    cause: impl Into<String>,
) -> Check {
    Check::fail("certificate-chain", message).expected_found(expected, found).cause(cause)
}

/// Loads the anchor: the document's own, or the embedded Apple root checked against its pin.
fn choose_anchor(custom_pem: Option<&str>) -> Result<(Anchor, bool), Box<Check>> {
    let builtin = root::app_attestation_root().map_err(|e| {
        Box::new(fail(
            "the embedded Apple App Attestation Root CA failed its fingerprint check",
            format!("SHA-256 {}", root::APP_ATTESTATION_ROOT_SHA256),
            e,
            "this build carries a damaged root certificate; rebuild from Apple's published PEM",
        ))
    })?;
    let Some(pem) = custom_pem else {
        return Ok((builtin, true));
    };
    let custom = root::parse_anchor(pem).map_err(|e| {
        Box::new(fail(
            "the document's trust-anchor is not a readable certificate",
            "a PEM certificate",
            e,
            "paste the whole -----BEGIN CERTIFICATE----- block; copies of this root in public code are sometimes corrupted",
        ))
    })?;
    let is_apple = custom.sha256 == builtin.sha256;
    Ok((custom, is_apple))
}

/// Verifies the chain x5c[0] ← x5c[1] ← … ← anchor: each signature with the issuer's key
/// (P-384 root and intermediate, P-256 leaf signed with ecdsa-with-SHA256) and each
/// certificate's validity at `now`. No revocation checking (Apple publishes none for it).
pub fn verify(x5c: &[Vec<u8>], custom_anchor: Option<&str>, now: Instant) -> ChainOutcome {
    let certificates: Vec<Option<Certificate>> = x5c.iter().map(|der| cert::parse(der).ok()).collect();
    let (anchor, is_apple) = match choose_anchor(custom_anchor) {
        Ok(a) => a,
        Err(check) => return ChainOutcome { check: *check, certificates, anchor: serde_json::Value::Null },
    };
    let anchor_json = serde_json::json!({
        "subject": cert::subject(&anchor.certificate),
        "sha256": anchor.sha256,
        "apple-app-attestation-root": is_apple,
        "source": if custom_anchor.is_some() { "document trust-anchor" } else { "embedded, pinned by fingerprint" },
    });
    let outcome =
        |check: Check| ChainOutcome { check, certificates: certificates.clone(), anchor: anchor_json.clone() };
    let anchor_note = if is_apple {
        String::new()
    } else {
        format!(
            " NOTE: the anchor is the document's own certificate {} (SHA-256 {}), not Apple's App Attestation Root CA",
            cert::subject(&anchor.certificate),
            anchor.sha256
        )
    };

    // Signatures: every certificate must be signed by the next one, the last by the anchor.
    for (index, parsed) in certificates.iter().enumerate() {
        let Some(child) = parsed else {
            return outcome(fail(
                format!("x5c[{index}] is not a readable DER certificate"),
                "a DER X.509 certificate",
                x5c.get(index).map(|d| cert::parse(d).err().unwrap_or_default()).unwrap_or_default(),
                "the attestation object was damaged in transit (check the base64 copy)",
            ));
        };
        let (issuer, issuer_name) = match certificates.get(index + 1) {
            Some(Some(next)) => (next, format!("x5c[{}]", index + 1)),
            Some(None) => continue, // reported when the loop reaches it
            None => (&anchor.certificate, "the trust anchor".to_string()),
        };
        if let Err(reason) = cert::verify_signed_by(child, issuer) {
            let last = index + 1 == certificates.len();
            let cause = if last && !is_apple {
                "the chain leads to Apple's App Attestation Root CA, not to the trust anchor this document supplies"
                    .to_string()
            } else if last {
                format!(
                    "x5c[{index}] was issued by {} rather than by the App Attestation root: not an App Attest chain, or a forged one",
                    cert::issuer(child)
                )
            } else {
                "a certificate in the attestation was altered (a byte changed) or the chain was assembled from different attestations".to_string()
            };
            return outcome(fail(
                format!(
                    "x5c[{index}] ({}) is not signed by {issuer_name}: {reason}.{anchor_note}",
                    cert::subject(child)
                ),
                format!("a signature by {}", cert::subject(issuer)),
                format!("issuer named {}; {reason}", cert::issuer(child)),
                cause,
            ));
        }
    }

    // Validity of every certificate (and the anchor) at `now`.
    let named = certificates.iter().flatten().chain(std::iter::once(&anchor.certificate));
    for (index, c) in named.enumerate() {
        let (not_before, not_after) = cert::validity(c);
        if now < not_before || now > not_after {
            let which = if index == 0 { "the leaf (credential certificate)".to_string() } else { cert::subject(c) };
            let suggestion = Instant(not_before.0.saturating_add(SUGGEST_OFFSET_SECONDS)).to_rfc3339();
            let cause = if now > not_after {
                format!(
                    "{which} expired {} at this now; App Attest leaves live days to months, so an archived attestation \
                     needs a now inside its validity, e.g. \"now\": \"{suggestion}\"",
                    not_after.relative_to(now)
                )
            } else {
                format!("{which} is not valid yet at this now (clock behind, or now set too early); try \"now\": \"{suggestion}\"")
            };
            return outcome(fail(
                format!("{which} is not valid at {}.{anchor_note}", now.to_rfc3339()),
                format!("{} ≤ now ≤ {}", not_before.to_rfc3339(), not_after.to_rfc3339()),
                now.to_rfc3339(),
                cause,
            ));
        }
    }
    let message = format!(
        "{} certificate(s) chain to {} with valid signatures, all valid at {}.{anchor_note}",
        certificates.len(),
        cert::subject(&anchor.certificate),
        now.to_rfc3339()
    );
    outcome(Check::pass("certificate-chain", message))
}
