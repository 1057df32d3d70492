//! Step 1 of attestation verification: the x5c chain up to the App Attestation root, worded as
//! the `certificate-chain` check from the shared chain walk ([`crate::attest::chain`]).

use super::AppAttestCheck;
use crate::attest::chain::{self, Anchoring, Signer, Subject};
use crate::attest::roots::AppleRoot;
use crate::attest::x509::{Cert, X509Error};
use crate::figure::ChainFigure;
use crate::instant::Instant;
use crate::validator::Check;

/// Hours a fresh App Attest leaf is usually valid, for the advice on `now`.
const SUGGEST_OFFSET_SECONDS: i64 = 86_400;

/// The result of the chain check and what it learnt along the way.
#[derive(Debug, Clone)]
pub struct ChainOutcome {
    pub check: Check,
    /// The x5c certificates, in order, each parsed or with why not.
    pub certificates: Vec<Result<Cert, X509Error>>,
    /// The anchor used and whether it is Apple's.
    pub anchor: serde_json::Value,
    /// The chain as walked, when every certificate could be read.
    pub figure: Option<ChainFigure>,
}

fn fail(
    message: impl Into<String>,
    expected: impl Into<String>,
    found: impl Into<String>,
    cause: impl Into<String>,
) -> Check {
    Check::fail(AppAttestCheck::CertificateChain, message).expected_found(expected, found).cause(cause)
}

/// Loads the anchor: the document's own, or the embedded Apple root checked against its pin.
fn choose_anchor(custom_pem: Option<&str>) -> Result<(Cert, bool), Box<Check>> {
    let root = AppleRoot::AppAttestation;
    let builtin = root.load().map_err(|e| {
        Box::new(fail(
            "the embedded Apple App Attestation Root CA failed its fingerprint check",
            format!("SHA-256 {}", root.sha256()),
            e,
            "this build carries a damaged root certificate; rebuild from Apple's published PEM",
        ))
    })?;
    let Some(pem) = custom_pem else {
        return Ok((builtin, true));
    };
    let custom = Cert::from_pem(pem).map_err(|e| {
        Box::new(fail(
            "the document's trust-anchor is not a readable certificate",
            "a PEM certificate",
            e.to_string(),
            "paste the whole -----BEGIN CERTIFICATE----- block; copies of this root in public code are sometimes corrupted",
        ))
    })?;
    let is_apple = custom.fingerprint() == builtin.fingerprint();
    Ok((custom, is_apple))
}

/// Verifies the chain `x5c[0]` ← `x5c[1]` ← … ← anchor: each signature with the issuer's key
/// (P-384 root and intermediate, P-256 leaf signed with ecdsa-with-SHA256) and each
/// certificate's validity at `now`. Signature failures are reported before validity ones.
pub fn verify(x5c: &[Vec<u8>], custom_anchor: Option<&str>, now: Instant) -> ChainOutcome {
    let certificates: Vec<Result<Cert, X509Error>> = x5c.iter().map(|der| Cert::parse(der)).collect();
    let (anchor, is_apple) = match choose_anchor(custom_anchor) {
        Ok(a) => a,
        Err(check) => {
            return ChainOutcome { check: *check, certificates, anchor: serde_json::Value::Null, figure: None }
        }
    };
    let anchor_json = serde_json::json!({
        "subject": anchor.subject(),
        "sha256": anchor.fingerprint(),
        "apple-app-attestation-root": is_apple,
        "source": if custom_anchor.is_some() { "document trust-anchor" } else { "embedded, pinned by fingerprint" },
    });
    let (check, figure) = chain_check(&certificates, &anchor, is_apple, now);
    ChainOutcome { check, certificates, anchor: anchor_json, figure }
}

fn chain_check(
    certificates: &[Result<Cert, X509Error>],
    anchor: &Cert,
    is_apple: bool,
    now: Instant,
) -> (Check, Option<ChainFigure>) {
    let mut parsed = Vec::with_capacity(certificates.len());
    for (index, c) in certificates.iter().enumerate() {
        match c {
            Ok(c) => parsed.push(c.clone()),
            Err(e) => {
                let check = fail(
                    format!("x5c[{index}] is not a readable DER certificate"),
                    "a DER X.509 certificate",
                    e.to_string(),
                    "the attestation object was damaged in transit (check the base64 copy)",
                );
                return (check, None);
            }
        }
    }
    let walk = chain::walk(&parsed, std::slice::from_ref(anchor), now);
    let figure = chain::figure("x5c to the App Attestation root", &parsed, std::slice::from_ref(anchor), &walk, now);
    (chain_words(&parsed, anchor, is_apple, &walk, now), Some(figure))
}

/// The `certificate-chain` check, worded from the walk.
fn chain_words(parsed: &[Cert], anchor: &Cert, is_apple: bool, walk: &chain::Walk, now: Instant) -> Check {
    let anchor_note = if is_apple {
        String::new()
    } else {
        format!(
            " NOTE: the anchor is the document's own certificate {} (SHA-256 {}), not Apple's App Attestation Root CA",
            anchor.subject(),
            anchor.fingerprint()
        )
    };
    let last = parsed.len().saturating_sub(1);
    let signature_problem =
        walk.first_signature_problem().map(|(i, s, r)| (i, Some(s), r.to_string())).or(match &walk.anchoring {
            Anchoring::NotAnchored { reason } => Some((last, None, reason.clone())),
            _ => None,
        });
    if let Some((index, signer, reason)) = signature_problem {
        let child = parsed.get(index);
        let (issuer, issuer_name) = match signer {
            Some(Signer::Next(i)) => (parsed.get(i).unwrap_or(anchor), format!("x5c[{i}]")),
            _ => (anchor, "the trust anchor".to_string()),
        };
        let child_subject = child.map(Cert::subject).unwrap_or_default();
        let child_issuer = child.map(Cert::issuer).unwrap_or_default();
        let cause = if index == last && !is_apple {
            "the chain leads to Apple's App Attestation Root CA, not to the trust anchor this document supplies"
                .to_string()
        } else if index == last {
            format!(
                "x5c[{index}] was issued by {child_issuer} rather than by the App Attestation root: not an App Attest \
                 chain, or a forged one"
            )
        } else {
            "a certificate in the attestation was altered (a byte changed) or the chain was assembled from different \
             attestations"
                .to_string()
        };
        return fail(
            format!("x5c[{index}] ({child_subject}) is not signed by {issuer_name}: {reason}.{anchor_note}"),
            format!("a signature by {}", issuer.subject()),
            format!("issuer named {child_issuer}; {reason}"),
            cause,
        );
    }
    if let Some((which, not_before, not_after)) = walk.first_validity_problem() {
        let which = match which {
            Subject::Chain(0) => "the leaf (credential certificate)".to_string(),
            Subject::Chain(i) => parsed.get(i).map(Cert::subject).unwrap_or_default(),
            Subject::Anchor(_) => anchor.subject(),
        };
        let suggestion = Instant(not_before.0.saturating_add(SUGGEST_OFFSET_SECONDS)).to_rfc3339();
        let cause = if now > not_after {
            format!(
                "{which} expired {} at this now; App Attest leaves live days to months, so an archived attestation \
                 needs a now inside its validity, e.g. \"now\": \"{suggestion}\"",
                not_after.relative_to(now)
            )
        } else {
            format!(
                "{which} is not valid yet at this now (clock behind, or now set too early); try \"now\": \"{suggestion}\""
            )
        };
        return fail(
            format!("{which} is not valid at {}.{anchor_note}", now.to_rfc3339()),
            format!("{} ≤ now ≤ {}", not_before.to_rfc3339(), not_after.to_rfc3339()),
            now.to_rfc3339(),
            cause,
        );
    }
    let message = format!(
        "{} certificate(s) chain to {} with valid signatures, all valid at {}.{anchor_note}",
        parsed.len(),
        anchor.subject(),
        now.to_rfc3339()
    );
    Check::pass(AppAttestCheck::CertificateChain, message)
}
