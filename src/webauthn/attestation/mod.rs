//! Attestation statement formats (WebAuthn `#sctn-defined-attestation-formats`).
//!
//! Verified: `none`, `packed` (self and full), `apple`, `fido-u2f`. Recognised and decoded
//! but not verified: `tpm`, `android-key`, `android-safetynet`, `compound`.
//!
//! Check ids: `attestation-format`, `attestation-statement`, `attestation-certificate`,
//! `attestation-chain` (see docs/webauthn.md).

mod apple;
pub mod apple_root;
pub mod cert;
mod fido_u2f;
mod packed;

use crate::instant::Instant;
use crate::validator::Check;
use crate::webauthn::authdata::AuthData;
use crate::webauthn::cbor;
use crate::webauthn::cose::CoseKey;
use cert::Cert;
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
}

const UNVERIFIED: &[&str] = &["tpm", "android-key", "android-safetynet", "compound"];

/// Dispatches on `fmt`.
pub fn verify(input: &Input) -> Outcome {
    let mut out = Outcome::default();
    out.details.insert("fmt".into(), json!(input.fmt));
    out.details.insert(
        "attestation-statement".into(),
        cbor::to_json(&Value::Map(input.stmt.to_vec()), 0),
    );
    match input.fmt {
        "none" => {
            out.checks.push(Check::pass(
                "attestation-format",
                "fmt none: no attestation (what passkey providers such as iCloud Keychain return)",
            ));
            out.checks.push(if input.stmt.is_empty() {
                Check::pass(
                    "attestation-statement",
                    "attStmt is the empty map, as fmt none requires",
                )
            } else {
                Check::fail("attestation-statement", "fmt none with a non-empty attStmt")
                    .expected_found("{}", format!("{} entries", input.stmt.len()))
                    .cause("the client replaced fmt but kept the statement, or the object was assembled by hand")
            });
        }
        "packed" => packed::verify(input, &mut out),
        "apple" => apple::verify(input, &mut out),
        "fido-u2f" => fido_u2f::verify(input, &mut out),
        f if UNVERIFIED.contains(&f) => {
            out.checks.push(Check::pass(
                "attestation-format",
                format!("fmt {f}: format recognised, attestation statement not verified by Keyplay (informational)"),
            ));
            if let Some(x5c) = cbor::get_text(input.stmt, "x5c") {
                if let Ok(chain) = cert::parse_x5c(x5c) {
                    out.details
                        .insert("certificates".into(), chain.iter().map(Cert::summary).collect());
                }
            }
        }
        other => out.checks.push(
            Check::fail("attestation-format", "unknown attestation statement format")
                .expected_found(
                    "none, packed, apple, fido-u2f, tpm, android-key, android-safetynet or compound",
                    other,
                )
                .cause("a typo in a hand-built object, or a format registered after this Keyplay was written"),
        ),
    }
    out
}

/// The `attestation-chain` check from a walk: `required_anchor` says whether reaching one of
/// the anchors is mandatory.
pub(crate) fn chain_check(chain: &[Cert], anchors: &[Cert], now: Instant, required_anchor: bool, out: &mut Outcome) {
    let r = cert::walk(chain, anchors, now);
    out.details
        .insert("certificates".into(), chain.iter().map(Cert::summary).collect());
    out.details.insert(
        "attestation-root".into(),
        json!(r.anchor.clone().unwrap_or_else(|| r.top_issuer.clone())),
    );
    let check = if !r.problems.is_empty() {
        Check::fail("attestation-chain", "the attestation certificate chain does not verify")
            .expected_found(format!("every certificate valid at {} and signed by the next", now.to_rfc3339()), r.problems.join("; "))
            .cause("attestation leaves are short-lived: set the document's now to the time of the capture; otherwise the chain was altered")
    } else if let Some(a) = &r.anchor {
        Check::pass(
            "attestation-chain",
            format!("chain of {} verified up to the trust anchor {a}", chain.len()),
        )
    } else if required_anchor || !anchors.is_empty() {
        Check::fail("attestation-chain", "the chain does not lead to a configured trust anchor")
            .expected_found(
                anchors.iter().map(Cert::subject).collect::<Vec<_>>().join(" | "),
                format!("last certificate issued by {}", r.top_issuer),
            )
            .cause("the authenticator belongs to another vendor than the roots you trust (look its AAGUID up in the FIDO Metadata Service), or the statement was forged")
    } else {
        Check::pass(
            "attestation-chain",
            format!("chain of {} verified as far as given; its root {} was not supplied, so it is not anchored (add attestation-roots to anchor it)", chain.len(), r.top_issuer),
        )
    };
    out.checks.push(check);
}

/// Reads `alg` and `sig` from a statement.
pub(crate) fn alg_sig(stmt: &[(Value, Value)]) -> Result<(i64, &[u8]), String> {
    let alg = cbor::get_text(stmt, "alg")
        .and_then(cbor::as_i64)
        .ok_or("attStmt has no integer alg")?;
    let sig = cbor::get_text(stmt, "sig")
        .and_then(Value::as_bytes)
        .ok_or("attStmt has no byte-string sig")?;
    Ok((alg, sig.as_slice()))
}
