//! The two document bodies this module reads, and the byte inputs they share.

use crate::data::{decode_base64, Bytes};
use crate::document::{parse_typed, DocError};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Which App Attest environment the server expects (decides the expected aaguid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// A certificate given as PEM.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PemCertificate {
    pub pem: String,
}

/// A public key: a PEM `PUBLIC KEY`, optionally with the key id an attestation report gives
/// beside it (so the report's `public-key` detail can be pasted as is).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PublicKeyInput {
    pub pem: String,
    #[serde(default)]
    pub key_id: Option<String>,
}

/// Body of an `app-attest` document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AttestationDocument {
    /// Base64 of the CBOR attestation object.
    pub attestation: String,
    /// Base64 of the key identifier `generateKey` returned.
    pub key_id: String,
    #[serde(default)]
    pub client_data: Option<Bytes>,
    #[serde(default)]
    pub client_data_hash: Option<Bytes>,
    /// `TEAMID.bundleID`.
    pub app_id: String,
    /// Absent: either environment is accepted and the report says which one it was.
    #[serde(default)]
    pub environment: Option<Environment>,
    /// Another trust anchor to verify the chain against instead of the embedded Apple root.
    #[serde(default)]
    pub trust_anchor: Option<PemCertificate>,
}

/// Body of an `app-attest-assertion` document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AssertionDocument {
    /// Base64 of the CBOR assertion object.
    pub assertion: String,
    #[serde(default)]
    pub client_data: Option<Bytes>,
    #[serde(default)]
    pub client_data_hash: Option<Bytes>,
    pub public_key: PublicKeyInput,
    pub app_id: String,
    /// The counter stored after the last accepted assertion (0 right after attestation).
    #[serde(default)]
    pub previous_counter: u32,
}

/// What the document says about the challenge: the client data itself, or only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientData {
    /// `client-data`: hashed with SHA-256 to make clientDataHash.
    Data(Vec<u8>),
    /// `client-data-hash`: used as clientDataHash as is, whatever its length.
    Hash(Vec<u8>),
}

impl ClientData {
    fn from_fields(data: Option<Bytes>, hash: Option<Bytes>) -> Result<ClientData, DocError> {
        match (data, hash) {
            (Some(d), None) => Ok(ClientData::Data(d.0)),
            (None, Some(h)) => Ok(ClientData::Hash(h.0)),
            (Some(_), Some(_)) => Err(DocError::new(
                "/client-data-hash",
                "give either client-data (hashed here with SHA-256) or client-data-hash (used as is), not both",
            )),
            (None, None) => Err(DocError::new(
                "/client-data",
                "missing client-data (the challenge bytes, hashed with SHA-256) or client-data-hash (used as is)",
            )),
        }
    }

    /// clientDataHash as the document defines it.
    pub fn hash(&self) -> Vec<u8> {
        match self {
            ClientData::Data(d) => Sha256::digest(d).to_vec(),
            ClientData::Hash(h) => h.clone(),
        }
    }

    /// Plain words for how clientDataHash was formed.
    pub fn describe(&self) -> String {
        match self {
            ClientData::Data(d) => format!("clientDataHash = SHA-256(client-data, {} bytes)", d.len()),
            ClientData::Hash(h) => {
                format!("clientDataHash = client-data-hash as given ({} bytes, not hashed again)", h.len())
            }
        }
    }

    /// Other ways an app or server commonly forms clientDataHash, to name the one that matches
    /// when the document's way does not.
    pub fn alternatives(&self) -> Vec<(Vec<u8>, &'static str)> {
        match self {
            ClientData::Data(d) => vec![
                (d.clone(), "the device used the client data itself as clientDataHash (not hashed): give it as client-data-hash"),
                (
                    Sha256::digest(Sha256::digest(d)).to_vec(),
                    "the device hashed the challenge twice (SHA-256 of SHA-256(client-data))",
                ),
            ],
            ClientData::Hash(h) => vec![(
                Sha256::digest(h).to_vec(),
                "the device hashed client-data-hash once more: it is the challenge, not its hash; give it as client-data",
            )],
        }
    }
}

/// Parses an `app-attest` body.
pub fn attestation(body: serde_json::Value) -> Result<(AttestationDocument, ClientData), DocError> {
    let mut doc: AttestationDocument = parse_typed(body, "")?;
    let client = ClientData::from_fields(doc.client_data.take(), doc.client_data_hash.take())?;
    Ok((doc, client))
}

/// Parses an `app-attest-assertion` body.
pub fn assertion(body: serde_json::Value) -> Result<(AssertionDocument, ClientData), DocError> {
    let mut doc: AssertionDocument = parse_typed(body, "")?;
    let client = ClientData::from_fields(doc.client_data.take(), doc.client_data_hash.take())?;
    Ok((doc, client))
}

/// Decodes an artefact given as base64 (either alphabet, white space ignored).
pub fn artefact(text: &str, limit: usize) -> Result<Vec<u8>, String> {
    // base64 grows by 4/3; refuse before decoding anything absurdly large.
    if text.len() / 4 * 3 > limit + 3 {
        return Err(format!("{} characters of base64 is over the limit of {limit} bytes", text.len()));
    }
    decode_base64(text)
}
