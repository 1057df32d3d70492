//! The text of a persistent reference, as the simulated keychain writes it: `{class}:{row}`
//! for an item (`genp:3`), and `idnt:{row}` for an identity, whose row is its certificate's.
//! One reading and one writing, so every call that takes a persistent reference reads it
//! the same way. Only the canonical text is read: `genp:03` names nothing.

use super::schema::Class;

/// What a persistent reference's text names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersistentRef {
    /// An item of `class` (never `Identity`) at `row`.
    Item { class: Class, row: u64 },
    /// An identity: the certificate at `cert` and the private key that pairs with it.
    Identity { cert: u64 },
}

impl PersistentRef {
    /// Reads a persistent reference's text, or None when it is not one this keychain wrote.
    pub fn parse(text: &str) -> Option<PersistentRef> {
        let (class, row) = text.split_once(':')?;
        let row: u64 = row.parse().ok()?;
        let read = match Class::from_raw(class)? {
            Class::Identity => PersistentRef::Identity { cert: row },
            class => PersistentRef::Item { class, row },
        };
        (read.to_string() == text).then_some(read)
    }

    /// The class name the text carries (`genp`, `idnt`, …), whatever it names.
    pub fn class_raw(text: &str) -> Option<&str> {
        text.split_once(':').map(|(class, _)| class)
    }

    /// The certificate row of an identity's reference, None for an item's.
    pub fn identity_cert(self) -> Option<u64> {
        match self {
            PersistentRef::Identity { cert } => Some(cert),
            PersistentRef::Item { .. } => None,
        }
    }
}

impl std::fmt::Display for PersistentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PersistentRef::Item { class, row } => write!(f, "{}:{row}", class.raw()),
            PersistentRef::Identity { cert } => write!(f, "{}:{cert}", Class::Identity.raw()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_and_an_identity_read_back_from_their_text() {
        assert_eq!(PersistentRef::parse("genp:3"), Some(PersistentRef::Item { class: Class::GenericPassword, row: 3 }));
        assert_eq!(PersistentRef::parse("idnt:12"), Some(PersistentRef::Identity { cert: 12 }));
        assert_eq!(PersistentRef::Identity { cert: 12 }.to_string(), "idnt:12");
        assert_eq!(PersistentRef::Item { class: Class::Key, row: 0 }.to_string(), "keys:0");
        assert_eq!(PersistentRef::parse("idnt:12").and_then(PersistentRef::identity_cert), Some(12));
        assert_eq!(PersistentRef::parse("cert:12").and_then(PersistentRef::identity_cert), None);
    }

    #[test]
    fn a_text_this_keychain_never_writes_names_nothing() {
        for text in ["genp:03", "idnt:+4", "genp", "genp:", ":3", "idnt:-1", "genp:3:4", "idnt: 3", "gen:3", "GENP:3"] {
            assert_eq!(PersistentRef::parse(text), None, "{text}");
        }
        assert_eq!(PersistentRef::class_raw("inet:x"), Some("inet"));
        assert_eq!(PersistentRef::class_raw("nothing"), None);
    }
}
