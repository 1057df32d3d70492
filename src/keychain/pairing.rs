//! Why an identity forms, or not, in a keychain as a report shows it: a certificate and a
//! private key form an identity when the certificate's public key hash (`kSecAttrPublicKeyHash`,
//! `pkhh`) equals the key's application label (`kSecAttrApplicationLabel`, `klbl`). For every
//! certificate: the key it pairs with, or the private keys there are and their labels, to
//! compare. The page draws this.

use serde_json::Value;

use super::row::{shown, Row};

const PUBLIC_KEY_HASH: &str = "kSecAttrPublicKeyHash";
const APPLICATION_LABEL: &str = "kSecAttrApplicationLabel";

/// One certificate and what it pairs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairing {
    /// Index of the certificate among the rows.
    pub certificate: usize,
    /// Its `pkhh`, as shown (absent: the certificate has none, no identity can form).
    pub hash: Option<String>,
    /// The private key whose `klbl` equals it, if any (index among the rows).
    pub key: Option<usize>,
}

/// A private key among the rows: its index and its `klbl` as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateKey {
    pub index: usize,
    pub label: Option<String>,
}

fn is_class(row: &Row, class: &str) -> bool {
    row.0.get("kSecClass").and_then(Value::as_str) == Some(class)
}

fn is_private_key(row: &Row) -> bool {
    is_class(row, "kSecClassKey")
        && row.0.get("kSecAttrKeyClass").map(shown).is_some_and(|c| c == "1" || c == "kSecAttrKeyClassPrivate")
}

/// The private keys among `rows`.
pub fn private_keys(rows: &[Row]) -> Vec<PrivateKey> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| is_private_key(r))
        .map(|(index, r)| PrivateKey { index, label: r.0.get(APPLICATION_LABEL).map(shown) })
        .collect()
}

/// Every certificate among `rows` with the private key it forms an identity with.
pub fn pairings(rows: &[Row]) -> Vec<Pairing> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| is_class(r, "kSecClassCertificate"))
        .map(|(certificate, cert)| {
            let hash = cert.0.get(PUBLIC_KEY_HASH);
            let key =
                hash.and_then(|h| rows.iter().position(|r| is_private_key(r) && r.0.get(APPLICATION_LABEL) == Some(h)));
            Pairing { certificate, hash: hash.map(shown), key }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> Row {
        Row::from_value(value)
    }

    #[test]
    fn a_certificate_pairs_with_the_private_key_whose_label_is_its_hash() {
        let rows = [
            row(
                json!({"kSecClass": "kSecClassKey", "kSecAttrKeyClass": "1", "kSecAttrApplicationLabel": {"base64": "AA=="}}),
            ),
            row(json!({"kSecClass": "kSecClassCertificate", "kSecAttrPublicKeyHash": {"base64": "BB=="}})),
            row(json!({"kSecClass": "kSecClassCertificate", "kSecAttrPublicKeyHash": {"base64": "AA=="}})),
            // A public key with the same label forms nothing.
            row(
                json!({"kSecClass": "kSecClassKey", "kSecAttrKeyClass": "0", "kSecAttrApplicationLabel": {"base64": "BB=="}}),
            ),
        ];
        let p = pairings(&rows);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].certificate, p[0].key), (1, None));
        assert_eq!((p[1].certificate, p[1].key), (2, Some(0)));
        assert_eq!(private_keys(&rows), [PrivateKey { index: 0, label: Some(r#"{"base64":"AA=="}"#.into()) }]);
    }
}
