//! Certificate and key objects (`SecCertificateCreateWithData`, `SecKeyCreateWithData`)
//! and the attributes the system derives from them when they are added by reference.

use crate::document::DocError;
use crate::instant::Instant;
use der::{Decode, Encode, Tagged};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPublicKey};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value as Json};
use sha1::{Digest, Sha1};
use x509_cert::Certificate;

/// A parsed certificate and what the system derives from its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateObject {
    pub der: Vec<u8>,
    /// `kSecAttrCertificateType`: the X.509 version (3 for v3).
    pub certificate_type: i64,
    /// Subject Name content without its outer SEQUENCE (the data protection keychain's form).
    pub subject_content: Vec<u8>,
    /// Issuer Name content without its outer SEQUENCE (data protection keychain).
    pub issuer_content: Vec<u8>,
    /// The whole issuer Name DER, with its SEQUENCE (the file-based keychain's form).
    pub issuer_der: Vec<u8>,
    pub serial: Vec<u8>,
    pub subject_key_id: Option<Vec<u8>>,
    /// SHA-1 of the subjectPublicKey BIT STRING's bytes: `kSecAttrPublicKeyHash`.
    pub public_key_hash: Vec<u8>,
    /// The default label: the subject's common name (or first attribute value).
    pub summary: String,
    /// Every attribute value of the subject, joined (what kSecMatchSubjectContains searches).
    pub subject_text: String,
    /// E-mail addresses: the subject's emailAddress attributes and rfc822Name alternative names.
    pub emails: Vec<String>,
    pub not_before: Instant,
    pub not_after: Instant,
}

impl CertificateObject {
    /// Parses `{"base64": DER}` (or hex): what `SecCertificateCreateWithData` accepts.
    pub fn from_json(json: &Json, path: &str) -> Result<CertificateObject, DocError> {
        let bytes = crate::data::Bytes::from_json(json).map_err(|m| DocError::new(path, m))?;
        CertificateObject::from_der(&bytes.0).map_err(|m| DocError::new(path, m))
    }

    /// Parses DER; an error says why `SecCertificateCreateWithData` would return NULL.
    pub fn from_der(der: &[u8]) -> Result<CertificateObject, String> {
        let cert = Certificate::from_der(der).map_err(|e| {
            format!("SecCertificateCreateWithData would return NULL: not a DER X.509 certificate ({e})")
        })?;
        let tbs = &cert.tbs_certificate;
        let subject_der = tbs.subject.to_der().map_err(|e| e.to_string())?;
        let issuer_der = tbs.issuer.to_der().map_err(|e| e.to_string())?;
        let spk = tbs.subject_public_key_info.subject_public_key.raw_bytes();
        let subject_key_id = tbs.extensions.as_ref().and_then(|exts| {
            exts.iter()
                .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
                .and_then(|e| der::asn1::OctetString::from_der(e.extn_value.as_bytes()).ok())
                .map(|o| o.as_bytes().to_vec())
        });
        Ok(CertificateObject {
            der: der.to_vec(),
            certificate_type: tbs.version as i64 + 1,
            subject_content: sequence_content(&subject_der),
            issuer_content: sequence_content(&issuer_der),
            issuer_der,
            serial: tbs.serial_number.as_bytes().to_vec(),
            subject_key_id,
            public_key_hash: Sha1::digest(spk).to_vec(),
            summary: summary(&tbs.subject),
            subject_text: subject_text(&tbs.subject),
            emails: emails(tbs),
            not_before: Instant(
                i64::try_from(tbs.validity.not_before.to_unix_duration().as_secs()).unwrap_or(i64::MAX),
            ),
            not_after: Instant(i64::try_from(tbs.validity.not_after.to_unix_duration().as_secs()).unwrap_or(i64::MAX)),
        })
    }
}

/// The content octets of a DER SEQUENCE (drops tag and length).
/// A `kSecAttrIssuer` given in a data protection keychain query as a whole DER name (a
/// top-level SEQUENCE) is converted to the name's content, the form the keychain stores
/// (Apple's `OSX/sec/Security/SecItem.m`: "convert DN to canonical issuer, if value is DN";
/// si-42-identity.m finds an identity this way). Anything else is left as given.
pub fn issuer_query_content(bytes: &[u8]) -> Option<Vec<u8>> {
    let any = der::asn1::AnyRef::from_der(bytes).ok()?;
    (any.tag() == der::Tag::Sequence).then(|| any.value().to_vec())
}

fn sequence_content(der_bytes: &[u8]) -> Vec<u8> {
    der::asn1::AnyRef::from_der(der_bytes).map(|any| any.value().to_vec()).unwrap_or_default()
}

fn summary(name: &x509_cert::name::Name) -> String {
    let mut first = None;
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            let text = atv_text(&atv.value);
            if atv.oid == const_oid::db::rfc4519::CN {
                return text;
            }
            first.get_or_insert(text);
        }
    }
    first.unwrap_or_default()
}

fn subject_text(name: &x509_cert::name::Name) -> String {
    name.0.iter().flat_map(|rdn| rdn.0.iter()).map(|atv| atv_text(&atv.value)).collect::<Vec<_>>().join(", ")
}

/// OID 1.2.840.113549.1.9.1, emailAddress in a distinguished name.
const EMAIL_ADDRESS: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");

fn emails(tbs: &x509_cert::TbsCertificate) -> Vec<String> {
    let mut found: Vec<String> = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == EMAIL_ADDRESS)
        .map(|atv| atv_text(&atv.value))
        .collect();
    let san = tbs.extensions.iter().flatten().find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME);
    if let Some(ext) = san {
        if let Ok(names) = x509_cert::ext::pkix::SubjectAltName::from_der(ext.extn_value.as_bytes()) {
            for name in names.0 {
                if let x509_cert::ext::pkix::name::GeneralName::Rfc822Name(mail) = name {
                    found.push(mail.to_string());
                }
            }
        }
    }
    found
}

fn atv_text(value: &der::Any) -> String {
    std::str::from_utf8(value.value()).map(str::to_string).unwrap_or_default()
}

/// The algorithm of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Ec,
    Rsa,
}

/// A key as from `SecKeyCreateWithData`, with what the system derives from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyObject {
    pub algorithm: Algorithm,
    pub private: bool,
    /// The external representation (EC: 04‖X‖Y[‖D]; RSA: PKCS#1 DER).
    pub data: Vec<u8>,
    /// The public key's bytes (EC: 04‖X‖Y; RSA: PKCS#1 RSAPublicKey DER).
    pub public_bytes: Vec<u8>,
    pub size_bits: i64,
}

impl KeyObject {
    /// `kSecAttrApplicationLabel`: SHA-1 of the public key bytes.
    pub fn application_label(&self) -> Vec<u8> {
        Sha1::digest(&self.public_bytes).to_vec()
    }

    /// Raw `kSecAttrKeyType` value.
    pub fn key_type_raw(&self) -> &'static str {
        match self.algorithm {
            Algorithm::Ec => "73",
            Algorithm::Rsa => "42",
        }
    }

    /// Parses `{"kSecAttrKeyType", "kSecAttrKeyClass", "kSecValueData"}`.
    pub fn from_json(json: &Json, path: &str) -> Result<KeyObject, DocError> {
        let obj = json
            .as_object()
            .ok_or_else(|| DocError::new(path, "a key is {kSecAttrKeyType, kSecAttrKeyClass, kSecValueData}"))?;
        const FIELDS: [&str; 3] = ["kSecAttrKeyType", "kSecAttrKeyClass", "kSecValueData"];
        for field in obj.keys() {
            if !FIELDS.contains(&field.as_str()) {
                let hint = crate::document::suggestion(field, &FIELDS);
                return Err(DocError::new(format!("{path}/{field}"), format!("unknown field {field}{hint}")));
            }
        }
        let text = |field: &str| -> Result<&str, DocError> {
            obj.get(field)
                .and_then(Json::as_str)
                .ok_or_else(|| DocError::new(format!("{path}/{field}"), format!("missing {field} (a constant name)")))
        };
        let algorithm = match text("kSecAttrKeyType")? {
            "kSecAttrKeyTypeECSECPrimeRandom" | "kSecAttrKeyTypeEC" | "kSecAttrKeyTypeECDSA" => Algorithm::Ec,
            "kSecAttrKeyTypeRSA" => Algorithm::Rsa,
            other => {
                return Err(DocError::new(
                    format!("{path}/kSecAttrKeyType"),
                    format!(
                    "SecKeyCreateWithData supports kSecAttrKeyTypeECSECPrimeRandom and kSecAttrKeyTypeRSA, not {other}"
                ),
                ))
            }
        };
        let private = match text("kSecAttrKeyClass")? {
            "kSecAttrKeyClassPrivate" => true,
            "kSecAttrKeyClassPublic" => false,
            other => {
                return Err(DocError::new(
                    format!("{path}/kSecAttrKeyClass"),
                    format!(
                        "SecKeyCreateWithData takes kSecAttrKeyClassPublic or kSecAttrKeyClassPrivate, not {other}"
                    ),
                ))
            }
        };
        let data_json = obj
            .get("kSecValueData")
            .ok_or_else(|| DocError::new(path, "missing kSecValueData (the key's external representation)"))?;
        let data_path = format!("{path}/kSecValueData");
        let data = crate::data::Bytes::from_json(data_json).map_err(|m| DocError::new(&data_path, m))?.0;
        KeyObject::from_external(algorithm, private, data).map_err(|m| DocError::new(data_path, m))
    }

    /// Interprets an external representation; errors say why `SecKeyCreateWithData` fails.
    pub fn from_external(algorithm: Algorithm, private: bool, data: Vec<u8>) -> Result<KeyObject, String> {
        match algorithm {
            Algorithm::Ec => ec_key(private, data),
            Algorithm::Rsa => rsa_key(private, data),
        }
    }

    /// The report form.
    pub fn to_json(&self) -> Json {
        json!({ "key": {
            "kSecAttrKeyType": if self.algorithm == Algorithm::Ec { "kSecAttrKeyTypeECSECPrimeRandom" } else { "kSecAttrKeyTypeRSA" },
            "kSecAttrKeyClass": if self.private { "kSecAttrKeyClassPrivate" } else { "kSecAttrKeyClassPublic" },
            "kSecValueData": { "hex": hex::encode(&self.data) } } })
    }
}

fn ec_key(private: bool, data: Vec<u8>) -> Result<KeyObject, String> {
    let field_len = |total: usize| -> Option<usize> {
        let body = total.checked_sub(1)?;
        let parts = if private { 3 } else { 2 };
        (body % parts == 0).then_some(body / parts)
    };
    let n = field_len(data.len()).filter(|n| [32, 48, 66].contains(n)).ok_or_else(|| {
        format!(
            "SecKeyCreateWithData would fail: an EC {} key is 04‖X‖Y{} for P-256, P-384 or P-521 ({} bytes for P-256), not {} bytes",
            if private { "private" } else { "public" },
            if private { "‖D" } else { "" },
            if private { 97 } else { 65 },
            data.len()
        )
    })?;
    if data.first() != Some(&0x04) {
        return Err("SecKeyCreateWithData would fail: the key must start with 04 (uncompressed point)".into());
    }
    let public_bytes = data.get(..1 + 2 * n).map(<[u8]>::to_vec).unwrap_or_default();
    let point_ok = match n {
        32 => p256::PublicKey::from_sec1_bytes(&public_bytes).is_ok(),
        48 => p384::PublicKey::from_sec1_bytes(&public_bytes).is_ok(),
        _ => true,
    };
    if !point_ok {
        return Err("SecKeyCreateWithData would fail: X and Y are not a point on the curve".into());
    }
    Ok(KeyObject {
        algorithm: Algorithm::Ec,
        private,
        public_bytes,
        size_bits: [(32, 256), (48, 384), (66, 521)].iter().find(|(l, _)| *l == n).map_or(0, |(_, b)| *b),
        data,
    })
}

fn rsa_key(private: bool, data: Vec<u8>) -> Result<KeyObject, String> {
    let public = if private {
        rsa::RsaPrivateKey::from_pkcs1_der(&data)
            .map_err(|e| format!("SecKeyCreateWithData would fail: not a PKCS#1 RSAPrivateKey ({e})"))?
            .to_public_key()
    } else {
        rsa::RsaPublicKey::from_pkcs1_der(&data)
            .map_err(|e| format!("SecKeyCreateWithData would fail: not a PKCS#1 RSAPublicKey ({e})"))?
    };
    let public_bytes = public.to_pkcs1_der().map_err(|e| e.to_string())?.as_bytes().to_vec();
    let size_bits = i64::try_from(public.n().bits()).unwrap_or(0);
    Ok(KeyObject { algorithm: Algorithm::Rsa, private, data, public_bytes, size_bits })
}

/// The certificate of a shipped example (`CN=Alice Example, O=Keyplay Examples`, no e-mail
/// address anywhere), for unit tests.
#[cfg(test)]
pub(crate) fn example_certificate() -> CertificateObject {
    const DOC: &str = include_str!("../../examples/keychain/identity-add-by-ref.json");
    let start = DOC.find("\"MII").expect("the example holds a certificate") + 1;
    let len = DOC[start..].find('"').expect("its base64 ends");
    let der = crate::data::decode_base64(&DOC[start..start + len]).expect("base64");
    CertificateObject::from_der(&der).expect("a certificate")
}

#[cfg(test)]
mod tests {
    use super::{example_certificate, issuer_query_content};

    #[test]
    fn a_subject_without_an_email_address_gives_no_emails() {
        let cert = example_certificate();
        assert_eq!(cert.summary, "Alice Example");
        assert!(cert.subject_text.contains("Keyplay Examples"), "{}", cert.subject_text);
        assert_eq!(cert.emails, Vec::<String>::new(), "the common name and organisation are not e-mail addresses");
    }

    #[test]
    fn emails_come_from_the_subjects_email_address_and_the_alternative_names() {
        // A throwaway self-signed certificate made with `openssl req -x509` for this test:
        // subject CN=Mail Example, emailAddress=alice@example.com; subjectAltName
        // email:alice@example.org and DNS:example.org.
        let der = include_bytes!("../../tests/keys/throwaway-mail-example.der");
        let cert = super::CertificateObject::from_der(der).expect("a certificate");
        assert_eq!(cert.emails, ["alice@example.com", "alice@example.org"]);
    }

    #[test]
    fn a_der_name_in_a_query_becomes_its_content_and_content_stays_as_given() {
        // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "Keyplay Example CA" } } }
        let mut dn = vec![0x30, 0x1d, 0x31, 0x1b, 0x30, 0x19, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x12];
        dn.extend_from_slice(b"Keyplay Example CA");
        assert_eq!(issuer_query_content(&dn), Some(dn[2..].to_vec()));
        assert_eq!(issuer_query_content(&dn[2..]), None, "content (a SET) is not converted again");
        assert_eq!(issuer_query_content(b"not DER"), None);
        assert_eq!(issuer_query_content(&dn[..10]), None, "a truncated name is left as given");
    }
}
