//! Why a key could not be used, with the likely cause in plain words.

use super::pem;

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Pem(#[from] pem::PemError),
    #[error("this is a SEC1 EC PRIVATE KEY; Apple's .p8 is PKCS#8 (BEGIN PRIVATE KEY)")]
    Sec1,
    #[error("this is an RSA private key; a Sign in with Apple key is an EC P-256 key in PKCS#8")]
    RsaPrivate,
    #[error("this is an encrypted private key; Apple's .p8 is not encrypted")]
    Encrypted,
    #[error("this is a public key ({label}); p8 needs the private key, or give it as pem")]
    PublicGivenAsPrivate { label: String },
    #[error("this PKCS#8 key is {found}; Apple's .p8 is an EC key on P-256")]
    WrongAlgorithm { found: String },
    #[error("there is no -----BEGIN PRIVATE KEY----- line, and the text is not base64 DER of a key either")]
    NotPem,
    #[error("the PEM label is {label}; expected {expected}")]
    WrongLabel { label: String, expected: &'static str },
    #[error("the key's DER cannot be read: {detail}")]
    Der { detail: String },
    #[error("the JWK has no {field}")]
    JwkMissing { field: &'static str },
    #[error("the JWK's {field} is not base64url: {detail}")]
    JwkBase64 { field: &'static str, detail: String },
    #[error("the JWK's {field} is {found} bytes; {crv} needs {expected}")]
    JwkLength {
        field: &'static str,
        found: usize,
        expected: usize,
        crv: &'static str,
    },
    #[error("the JWK's point is not on the curve {crv}")]
    JwkNotOnCurve { crv: &'static str },
    #[error("the JWK has kty {kty}{}; Keyplay verifies EC P-256, EC P-384 and RSA keys", .crv.as_deref().map(|c| format!(" / crv {c}")).unwrap_or_default())]
    Unsupported { kty: String, crv: Option<String> },
    #[error("the RSA key is not usable: {detail}")]
    Rsa { detail: String },
}

impl KeyError {
    /// The most likely cause and the fix, in plain words.
    pub fn cause(&self) -> String {
        match self {
            KeyError::Sec1 => "the key was converted with `openssl ec` or generated with `openssl ecparam -genkey`; \
                convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`, or use the AuthKey_<KEYID>.p8 Apple \
                let you download"
                .into(),
            KeyError::RsaPrivate => "an RSA key was pasted; Sign in with Apple keys are ES256 (P-256) keys created \
                in Certificates, Identifiers & Profiles › Keys"
                .into(),
            KeyError::Encrypted => "decrypt it first (`openssl pkcs8 -in key.pem -nocrypt`)".into(),
            KeyError::PublicGivenAsPrivate { .. } => "the public key was pasted where the private .p8 belongs".into(),
            KeyError::WrongAlgorithm { .. } => "this is not the key Apple issued; Apple's keys are P-256".into(),
            KeyError::NotPem => "paste the whole .p8 file, including its BEGIN and END lines".into(),
            KeyError::Pem(_) => "the PEM text was damaged when copied (missing lines, stray characters)".into(),
            KeyError::JwkBase64 { .. } | KeyError::JwkLength { .. } | KeyError::JwkNotOnCurve { .. } => {
                "the JWK was edited or truncated".into()
            }
            _ => "the key material is not what the token needs".into(),
        }
    }
}
