//! Figures a verdict carries beside its checks, for people to look at rather than read: a
//! certificate chain with each certificate's validity against the verification time, and a
//! byte map of a binary structure (authenticator data, Apple's nonce extension) with each
//! field's range and meaning. The validators fill them from what they parsed while checking;
//! the page draws them; they are not part of the report JSON (the details already say the
//! same in words). They cross to the page from its validator worker (`crate::wire`), hence serde.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::instant::Instant;

/// One figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    Chain(ChainFigure),
    Bytes(ByteMap),
}

/// What a certificate is in its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The first certificate (the credential or signing certificate).
    Leaf,
    /// A certificate between the leaf and the anchor.
    Intermediate,
    /// A trust anchor (pinned or supplied); also the top of a chain that carries its own root.
    Anchor,
    /// The top of a chain that reaches no anchor.
    Top,
}

impl Role {
    pub const fn word(self) -> &'static str {
        match self {
            Role::Leaf => "leaf",
            Role::Intermediate => "intermediate",
            Role::Anchor => "trust anchor",
            Role::Top => "top (no anchor)",
        }
    }
}

/// How a certificate relates to the one above it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    /// Its signature verifies with the key of the certificate above.
    Signed,
    /// Its signature does not verify with the key of the certificate above, and why.
    Broken(String),
    /// Nothing is above it: it is the anchor, or the chain stops without one.
    End,
}

/// One certificate of a chain figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCert {
    pub role: Role,
    pub subject: String,
    pub not_before: Instant,
    pub not_after: Instant,
    /// Its link to the certificate above it (the next in the list).
    pub link: Link,
}

impl ChainCert {
    /// Whether `now` lies within its validity.
    pub fn valid_at(&self, now: Instant) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// A chain, leaf first, its anchor (when one was reached or expected) last, judged at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainFigure {
    pub title: String,
    pub now: Instant,
    pub certs: Vec<ChainCert>,
}

impl ChainFigure {
    /// The earliest notBefore and latest notAfter, widened to include `now`: the span the
    /// validity bars are drawn against.
    pub fn span(&self) -> (Instant, Instant) {
        let start = self.certs.iter().map(|c| c.not_before).chain([self.now]).min().unwrap_or(self.now);
        let end = self.certs.iter().map(|c| c.not_after).chain([self.now]).max().unwrap_or(self.now);
        (start, end)
    }

    /// The index of the first certificate that fails (broken link or not valid at `now`).
    pub fn first_failure(&self) -> Option<usize> {
        self.certs.iter().position(|c| matches!(c.link, Link::Broken(_)) || !c.valid_at(self.now))
    }
}

/// One bit of a flags field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bit {
    pub bit: u8,
    pub name: Cow<'static, str>,
    pub set: bool,
}

/// One field of a byte map: `len` bytes from `start`, with what they say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteField {
    pub name: Cow<'static, str>,
    pub start: usize,
    pub len: usize,
    /// The field's value as a person reads it.
    pub value: String,
    /// For a flags byte, each bit by name.
    pub bits: Vec<Bit>,
}

impl ByteField {
    pub fn new(name: &'static str, start: usize, len: usize, value: impl Into<String>) -> ByteField {
        ByteField { name: Cow::Borrowed(name), start, len, value: value.into(), bits: Vec::new() }
    }

    /// Whether byte `offset` belongs to this field.
    pub fn covers(&self, offset: usize) -> bool {
        offset >= self.start && offset - self.start < self.len
    }
}

/// A binary structure laid out field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByteMap {
    pub title: String,
    pub bytes: Vec<u8>,
    /// In byte order, not overlapping.
    pub fields: Vec<ByteField>,
    /// What the structure is checked against (for the nonce: the computed value and whether it
    /// matches).
    pub note: Option<String>,
}

impl ByteMap {
    /// The index of the field that byte `offset` belongs to.
    pub fn field_at(&self, offset: usize) -> Option<usize> {
        self.fields.iter().position(|f| f.covers(offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(role: Role, from: i64, to: i64, link: Link) -> ChainCert {
        ChainCert {
            role,
            subject: format!("CN={}", role.word()),
            not_before: Instant(from),
            not_after: Instant(to),
            link,
        }
    }

    #[test]
    fn the_span_covers_every_certificate_and_now() {
        let figure = ChainFigure {
            title: "t".into(),
            now: Instant(500),
            certs: vec![cert(Role::Leaf, 100, 200, Link::Signed), cert(Role::Anchor, 50, 300, Link::End)],
        };
        assert_eq!(figure.span(), (Instant(50), Instant(500)));
        assert_eq!(figure.first_failure(), Some(0), "the leaf expired before now");
    }

    #[test]
    fn a_broken_link_is_the_first_failure_even_when_every_date_is_good() {
        let figure = ChainFigure {
            title: "t".into(),
            now: Instant(150),
            certs: vec![
                cert(Role::Leaf, 100, 200, Link::Signed),
                cert(Role::Intermediate, 100, 200, Link::Broken("bad signature".into())),
                cert(Role::Anchor, 0, 300, Link::End),
            ],
        };
        assert_eq!(figure.first_failure(), Some(1));
    }

    #[test]
    fn fields_cover_their_own_bytes_only() {
        let map = ByteMap {
            title: "m".into(),
            bytes: vec![0; 6],
            fields: vec![ByteField::new("a", 0, 2, "x"), ByteField::new("b", 2, 4, "y")],
            note: None,
        };
        assert_eq!(map.field_at(0), Some(0));
        assert_eq!(map.field_at(1), Some(0));
        assert_eq!(map.field_at(2), Some(1));
        assert_eq!(map.field_at(5), Some(1));
        assert_eq!(map.field_at(6), None);
    }
}
