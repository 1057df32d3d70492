//! Walking a certificate chain (leaf first) up to trust anchors: every certificate signed by the
//! next, the last one signed by (or equal to) an anchor, and every certificate, the anchor
//! included, valid at a given time. No revocation checking (Apple publishes none for its
//! attestation CAs). The walk reports facts; each validator words its own check from them.

use super::x509::Cert;
use crate::figure::{ChainCert, ChainFigure, Link, Role};
use crate::instant::Instant;

/// Who should have signed a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    /// The next certificate of the chain, by index.
    Next(usize),
    /// The anchor, by index into the anchors given.
    Anchor(usize),
}

/// Which certificate a validity problem concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Chain(usize),
    Anchor(usize),
}

/// One thing wrong with the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `index` is not signed by `signer`.
    Signature { index: usize, signer: Signer, reason: String },
    /// `which` is not valid at the time of the walk.
    Validity { which: Subject, not_before: Instant, not_after: Instant },
}

/// How the top of the chain relates to the anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchoring {
    /// The last certificate is anchor `index`, or is signed by it.
    Anchored(usize),
    /// No anchor signed the last certificate; the reason given by the first anchor tried.
    NotAnchored { reason: String },
    /// No anchors were given.
    NoAnchors,
}

/// The outcome of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    /// In chain order: each certificate's validity, then its signature by the next.
    pub problems: Vec<Problem>,
    pub anchoring: Anchoring,
    /// The issuer named by the last certificate (the root the chain points to).
    pub top_issuer: String,
}

impl Walk {
    /// The first signature problem, if any.
    pub fn first_signature_problem(&self) -> Option<(usize, Signer, &str)> {
        self.problems.iter().find_map(|p| match p {
            Problem::Signature { index, signer, reason } => Some((*index, *signer, reason.as_str())),
            Problem::Validity { .. } => None,
        })
    }

    /// The first validity problem, if any.
    pub fn first_validity_problem(&self) -> Option<(Subject, Instant, Instant)> {
        self.problems.iter().find_map(|p| match p {
            Problem::Validity { which, not_before, not_after } => Some((*which, *not_before, *not_after)),
            Problem::Signature { .. } => None,
        })
    }
}

fn validity(cert: &Cert, which: Subject, now: Instant) -> Option<Problem> {
    let (not_before, not_after) = cert.validity();
    (!cert.valid_at(now)).then_some(Problem::Validity { which, not_before, not_after })
}

/// Walks `chain` (leaf first) at `now` to the first of `anchors` that signed (or is) its last
/// certificate.
pub fn walk(chain: &[Cert], anchors: &[Cert], now: Instant) -> Walk {
    let mut problems = Vec::new();
    for (index, cert) in chain.iter().enumerate() {
        problems.extend(validity(cert, Subject::Chain(index), now));
        if let Some(next) = chain.get(index + 1) {
            if let Err(reason) = cert.signed_by(next) {
                problems.push(Problem::Signature { index, signer: Signer::Next(index + 1), reason });
            }
        }
    }
    let top_issuer = chain.last().map(Cert::issuer).unwrap_or_default();
    let anchoring = match chain.last() {
        _ if anchors.is_empty() => Anchoring::NoAnchors,
        None => Anchoring::NotAnchored { reason: "the chain is empty".into() },
        Some(last) => {
            let mut first_reason = None;
            let found = anchors.iter().position(|anchor| {
                if anchor.der() == last.der() {
                    return true;
                }
                match last.signed_by(anchor) {
                    Ok(()) => true,
                    Err(reason) => {
                        first_reason.get_or_insert(reason);
                        false
                    }
                }
            });
            match found.and_then(|index| Some((index, anchors.get(index)?))) {
                Some((index, anchor)) => {
                    if anchor.der() != last.der() {
                        problems.extend(validity(anchor, Subject::Anchor(index), now));
                    }
                    Anchoring::Anchored(index)
                }
                None => Anchoring::NotAnchored { reason: first_reason.unwrap_or_default() },
            }
        }
    };
    Walk { problems, anchoring, top_issuer }
}

/// The chain as a figure: `chain` (leaf first) then the anchor the walk reached, or the first
/// anchor when none signed the top (drawn as the link that fails), each link as the walk found it.
pub fn figure(title: impl Into<String>, chain: &[Cert], anchors: &[Cert], walk: &Walk, now: Instant) -> ChainFigure {
    let last = chain.len().saturating_sub(1);
    let top_is_anchor = matches!(walk.anchoring, Anchoring::Anchored(a)
        if chain.last().zip(anchors.get(a)).is_some_and(|(top, anchor)| top.der() == anchor.der()));
    let mut certs: Vec<ChainCert> = chain
        .iter()
        .enumerate()
        .map(|(index, cert)| {
            let role = match index {
                i if i == last && top_is_anchor => Role::Anchor,
                0 => Role::Leaf,
                i if i == last && matches!(walk.anchoring, Anchoring::NoAnchors) => Role::Top,
                _ => Role::Intermediate,
            };
            let link = if index < last {
                walk.problems
                    .iter()
                    .find_map(|p| match p {
                        Problem::Signature { index: i, reason, .. } if *i == index => {
                            Some(Link::Broken(reason.clone()))
                        }
                        _ => None,
                    })
                    .unwrap_or(Link::Signed)
            } else {
                match &walk.anchoring {
                    Anchoring::Anchored(_) if top_is_anchor => Link::End,
                    Anchoring::Anchored(_) => Link::Signed,
                    Anchoring::NotAnchored { reason } => Link::Broken(reason.clone()),
                    Anchoring::NoAnchors => Link::End,
                }
            };
            let (not_before, not_after) = cert.validity();
            ChainCert { role, subject: cert.subject(), not_before, not_after, link }
        })
        .collect();
    let anchor = match walk.anchoring {
        Anchoring::Anchored(a) if !top_is_anchor => anchors.get(a),
        Anchoring::NotAnchored { .. } => anchors.first(),
        _ => None,
    };
    if let Some(anchor) = anchor {
        let (not_before, not_after) = anchor.validity();
        certs.push(ChainCert { role: Role::Anchor, subject: anchor.subject(), not_before, not_after, link: Link::End });
    }
    ChainFigure { title: title.into(), now, certs }
}
