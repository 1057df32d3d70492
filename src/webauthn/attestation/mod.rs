//! Attestation statement formats (WebAuthn `#sctn-defined-attestation-formats`).
//!
//! Verified: `none`, `packed` (self and full), `apple`, `fido-u2f`. Recognised and decoded
//! but not verified: `tpm`, `android-key`, `android-safetynet`, `compound`.
//!
//! Check ids: `attestation-format`, `attestation-statement`, `attestation-certificate`,
//! `attestation-chain` (see docs/webauthn.md).

mod apple;
mod fido_u2f;
mod packed;

use crate::attest::auth_data::AuthData;
use crate::attest::cbor;
use crate::attest::chain::{self, Anchoring, Problem, Signer, Subject};
use crate::attest::x509::{self, Cert};
use crate::figure::Figure;
use crate::instant::Instant;
use crate::validator::Check;
use crate::webauthn::cose::CoseKey;
use crate::webauthn::WebauthnCheck as Id;
use ciborium::Value;
use serde_json::json;

/// Everything a format's verification procedure looks at.
pub struct Input<'a> {
    pub fmt: &'a str,
    pub stmt: &'a [(Value, Value)],
    pub auth_data: &'a [u8],
    pub auth: &'a AuthData,
    pub client_data_hash: &'a [u8],
    pub credential: &'a CoseKey,
    pub credential_id: &'a [u8],
    pub roots: &'a [Cert],
    pub now: Instant,
}

/// Checks plus report details.
#[derive(Default)]
pub struct Outcome {
    pub checks: Vec<Check>,
    pub details: serde_json::Map<String, serde_json::Value>,
    pub figures: Vec<Figure>,
}

const UNVERIFIED: &[&str] = &["tpm", "android-key", "android-safetynet", "compound"];

/// Dispatches on `fmt`.
pub fn verify(input: &Input) -> Outcome {
    let mut out = Outcome::default();
    out.details.insert("fmt".into(), json!(input.fmt));
    out.details.insert("attestation-statement".into(), cbor::to_json(&Value::Map(input.stmt.to_vec())));
    match input.fmt {
        "none" => {
            out.checks.push(Check::pass(
                Id::AttestationFormat,
                "fmt none: no attestation (what passkey providers such as iCloud Keychain return)",
            ));
            out.checks.push(if input.stmt.is_empty() {
                Check::pass(Id::AttestationStatement, "attStmt is the empty map, as fmt none requires")
            } else {
                Check::fail(Id::AttestationStatement, "fmt none with a non-empty attStmt")
                    .expected_found("{}", format!("{} entries", input.stmt.len()))
                    .cause("the client replaced fmt but kept the statement, or the object was assembled by hand")
            });
        }
        "packed" => packed::verify(input, &mut out),
        "apple" => apple::verify(input, &mut out),
        "fido-u2f" => fido_u2f::verify(input, &mut out),
        f if UNVERIFIED.contains(&f) => {
            out.checks.push(Check::pass(
                Id::AttestationFormat,
                format!("fmt {f}: format recognised, attestation statement not verified by Keyplay (informational)"),
            ));
            if let Some(x5c) = cbor::get(input.stmt, "x5c") {
                if let Ok(chain) = parse_x5c(x5c) {
                    out.details.insert("certificates".into(), chain.iter().map(|c| c.summary(input.now)).collect());
                }
            }
        }
        other => out.checks.push(
            Check::fail(Id::AttestationFormat, "unknown attestation statement format")
                .expected_found("none, packed, apple, fido-u2f, tpm, android-key, android-safetynet or compound", other)
                .cause("a typo in a hand-built object, or a format registered after this Keyplay was written"),
        ),
    }
    out
}

/// Parses the `x5c` array of an attestation statement into certificates, leaf first.
pub(crate) fn parse_x5c(value: &Value) -> Result<Vec<Cert>, String> {
    let items = x509::x5c_bytes(value).map_err(|e| e.to_string())?;
    items.iter().enumerate().map(|(i, der)| Cert::parse(der).map_err(|e| format!("x5c[{i}]: {e}"))).collect()
}

/// The document's `attestation-roots` PEMs as certificates.
pub(crate) fn parse_x5c_roots(roots: &[crate::webauthn::response::Pem]) -> Result<Vec<Cert>, String> {
    roots.iter().map(|p| Cert::from_pem(&p.pem).map_err(|e| e.to_string())).collect()
}

/// What went wrong in a chain walk, in words.
fn describe(problem: &Problem, chain: &[Cert], anchors: &[Cert], now: Instant) -> String {
    match problem {
        Problem::Validity { which, not_before, not_after } => {
            let (name, subject) = match which {
                Subject::Chain(i) => (format!("x5c[{i}]"), chain.get(*i).map(Cert::subject)),
                Subject::Anchor(i) => ("trust anchor".to_string(), anchors.get(*i).map(Cert::subject)),
            };
            let subject = subject.unwrap_or_default();
            if now < *not_before {
                format!("{name} ({subject}) not yet valid at {} (from {})", now.to_rfc3339(), not_before.to_rfc3339())
            } else {
                format!("{name} ({subject}) expired at {} (valid until {})", now.to_rfc3339(), not_after.to_rfc3339())
            }
        }
        Problem::Signature { index, signer: Signer::Next(next), reason } => {
            format!("x5c[{index}] is not signed by x5c[{next}]: {reason}")
        }
        Problem::Signature { index, signer: Signer::Anchor(a), reason } => {
            let anchor = anchors.get(*a).map(Cert::subject).unwrap_or_default();
            format!("x5c[{index}] is not signed by the trust anchor {anchor}: {reason}")
        }
    }
}

/// The `attestation-chain` check from a walk: `required_anchor` says whether reaching one of
/// the anchors is mandatory.
pub(crate) fn chain_check(chain: &[Cert], anchors: &[Cert], now: Instant, required_anchor: bool, out: &mut Outcome) {
    let walk = chain::walk(chain, anchors, now);
    out.figures.push(Figure::Chain(chain::figure(
        "The attestation certificate chain (x5c)",
        chain,
        anchors,
        &walk,
        now,
    )));
    out.details.insert("certificates".into(), chain.iter().map(|c| c.summary(now)).collect());
    let anchor = match walk.anchoring {
        Anchoring::Anchored(i) => anchors.get(i).map(Cert::subject),
        _ => None,
    };
    out.details.insert("attestation-root".into(), json!(anchor.clone().unwrap_or_else(|| walk.top_issuer.clone())));
    let problems: Vec<String> = walk.problems.iter().map(|p| describe(p, chain, anchors, now)).collect();
    let check = if !problems.is_empty() {
        Check::fail(Id::AttestationChain, "the attestation certificate chain does not verify")
            .expected_found(format!("every certificate valid at {} and signed by the next", now.to_rfc3339()), problems.join("; "))
            .cause("attestation leaves are short-lived: set the document's now to the time of the capture; otherwise the chain was altered")
    } else if let Some(a) = &anchor {
        Check::pass(Id::AttestationChain, format!("chain of {} verified up to the trust anchor {a}", chain.len()))
    } else if required_anchor || !anchors.is_empty() {
        Check::fail(Id::AttestationChain, "the chain does not lead to a configured trust anchor")
            .expected_found(
                anchors.iter().map(Cert::subject).collect::<Vec<_>>().join(" | "),
                format!("last certificate issued by {}", walk.top_issuer),
            )
            .cause("the authenticator belongs to another vendor than the roots you trust (look its AAGUID up in the FIDO Metadata Service), or the statement was forged")
    } else {
        Check::pass(
            Id::AttestationChain,
            format!("chain of {} verified as far as given; its root {} was not supplied, so it is not anchored (add attestation-roots to anchor it)", chain.len(), walk.top_issuer),
        )
    };
    out.checks.push(check);
}

/// Reads `alg` and `sig` from a statement.
pub(crate) fn alg_sig(stmt: &[(Value, Value)]) -> Result<(i64, &[u8]), String> {
    let alg = cbor::get(stmt, "alg").and_then(cbor::as_i64).ok_or("attStmt has no integer alg")?;
    let sig = cbor::get(stmt, "sig").and_then(Value::as_bytes).ok_or("attStmt has no byte-string sig")?;
    Ok((alg, sig.as_slice()))
}
