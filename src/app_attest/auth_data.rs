//! Authenticator data (the WebAuthn layout App Attest reuses):
//!
//! | offset | length | field |
//! |---|---|---|
//! | 0 | 32 | rpIdHash = SHA-256(App ID) |
//! | 32 | 1 | flags (0x40 = AT, attested credential data; 0x80 = ED, extensions) |
//! | 33 | 4 | counter, big-endian |
//! | 37 | 16 | aaguid (attestations only) |
//! | 53 | 2 | credential id length L, big-endian |
//! | 55 | L | credential id |
//! | 55+L | … | COSE_Key (a CBOR map) |
//! | … | … | extensions (a CBOR map), appended by newer OS versions even with ED = 0 |
//!
//! Real assertions set AT although no attested data follows their 37 bytes; the parser goes by
//! length, never by the AT flag.

use super::cbor;
use ciborium::Value;

/// Flag bit: user present.
pub const FLAG_UP: u8 = 0x01;
/// Flag bit: attested credential data included.
pub const FLAG_AT: u8 = 0x40;
/// Flag bit: extension data included.
pub const FLAG_ED: u8 = 0x80;

/// Why authenticator data could not be read, with the byte offset concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthDataError {
    #[error("authenticator data is {found} bytes; at least {needed} are needed for {what}")]
    TooShort { needed: usize, found: usize, what: &'static str },
    #[error("the COSE public key at byte {offset} is not readable CBOR: {reason}")]
    CoseKey { offset: usize, reason: String },
}

/// The attested credential data of an attestation's authenticator data.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    /// The COSE_Key map as decoded.
    pub cose_key: Value,
    /// Where the COSE key starts and how many bytes it takes.
    pub cose_key_offset: usize,
    pub cose_key_len: usize,
}

/// Authenticator data, split into its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub counter: u32,
    pub attested: Option<AttestedCredential>,
    /// Bytes after the fixed part (assertions) or after the COSE key (attestations).
    pub trailing: Vec<u8>,
    /// The trailing bytes decoded as one CBOR item, when they are exactly that.
    pub extensions: Option<Value>,
}

fn array<const N: usize>(bytes: &[u8], start: usize) -> Option<[u8; N]> {
    bytes.get(start..start.checked_add(N)?)?.try_into().ok()
}

/// Reads the 37-byte header shared by attestations and assertions.
fn header(bytes: &[u8]) -> Result<([u8; 32], u8, u32), AuthDataError> {
    let too_short = || AuthDataError::TooShort { needed: 37, found: bytes.len(), what: "rpIdHash, flags and counter" };
    let rp_id_hash = array::<32>(bytes, 0).ok_or_else(too_short)?;
    let flags = *bytes.get(32).ok_or_else(too_short)?;
    let counter = u32::from_be_bytes(array::<4>(bytes, 33).ok_or_else(too_short)?);
    Ok((rp_id_hash, flags, counter))
}

fn split_trailing(trailing: &[u8]) -> Option<Value> {
    if trailing.is_empty() {
        return None;
    }
    cbor::decode_whole(trailing).ok()
}

/// Parses an attestation's authenticator data: header, attested credential data and any
/// extension bytes after the COSE key.
pub fn parse_attestation(bytes: &[u8]) -> Result<AuthData, AuthDataError> {
    let (rp_id_hash, flags, counter) = header(bytes)?;
    let aaguid = array::<16>(bytes, 37).ok_or(AuthDataError::TooShort {
        needed: 55,
        found: bytes.len(),
        what: "the aaguid and credential id length",
    })?;
    let id_len = array::<2>(bytes, 53).map(u16::from_be_bytes).ok_or(AuthDataError::TooShort {
        needed: 55,
        found: bytes.len(),
        what: "the credential id length",
    })?;
    let id_end = 55 + usize::from(id_len);
    let credential_id = bytes
        .get(55..id_end)
        .ok_or(AuthDataError::TooShort { needed: id_end, found: bytes.len(), what: "the credential id" })?
        .to_vec();
    let key_bytes = bytes.get(id_end..).unwrap_or_default();
    if key_bytes.is_empty() {
        return Err(AuthDataError::TooShort { needed: id_end + 1, found: bytes.len(), what: "the COSE public key" });
    }
    let (cose_key, used) =
        cbor::decode_prefix(key_bytes).map_err(|reason| AuthDataError::CoseKey { offset: id_end, reason })?;
    let trailing = key_bytes.get(used..).unwrap_or_default().to_vec();
    let extensions = split_trailing(&trailing);
    Ok(AuthData {
        rp_id_hash,
        flags,
        counter,
        attested: Some(AttestedCredential {
            aaguid,
            credential_id,
            cose_key,
            cose_key_offset: id_end,
            cose_key_len: used,
        }),
        trailing,
        extensions,
    })
}

/// Parses an assertion's authenticator data: the 37-byte header and any extension bytes.
pub fn parse_assertion(bytes: &[u8]) -> Result<AuthData, AuthDataError> {
    let (rp_id_hash, flags, counter) = header(bytes)?;
    let trailing = bytes.get(37..).unwrap_or_default().to_vec();
    let extensions = split_trailing(&trailing);
    Ok(AuthData { rp_id_hash, flags, counter, attested: None, trailing, extensions })
}

impl AttestedCredential {
    /// The uncompressed P-256 point 04‖x‖y of an EC2 COSE key, when the key is one.
    pub fn uncompressed_point(&self) -> Option<Vec<u8>> {
        let entries = cbor::as_map(&self.cose_key)?;
        let x = match cbor::get_int(entries, -2)? {
            Value::Bytes(b) if b.len() == 32 => b,
            _ => return None,
        };
        let y = match cbor::get_int(entries, -3)? {
            Value::Bytes(b) if b.len() == 32 => b,
            _ => return None,
        };
        let mut point = Vec::with_capacity(65);
        point.push(4);
        point.extend_from_slice(x);
        point.extend_from_slice(y);
        Some(point)
    }
}

/// The aaguid as text when it is printable, else hex.
pub fn aaguid_text(aaguid: &[u8]) -> String {
    let trimmed: Vec<u8> =
        aaguid.iter().copied().rev().skip_while(|b| *b == 0).collect::<Vec<_>>().into_iter().rev().collect();
    let zeros = aaguid.len() - trimmed.len();
    match std::str::from_utf8(&trimmed) {
        Ok(text) if text.chars().all(|c| c.is_ascii_graphic()) => {
            format!("{text}{}", "\\0".repeat(zeros))
        }
        _ => hex::encode(aaguid),
    }
}

/// A report view of the flags byte.
pub fn flags_json(flags: u8) -> serde_json::Value {
    serde_json::json!({
        "byte": format!("0x{flags:02x}"),
        "user-present": flags & FLAG_UP != 0,
        "attested-data": flags & FLAG_AT != 0,
        "extension-data": flags & FLAG_ED != 0,
    })
}

/// A report view of authenticator data.
pub fn to_json(ad: &AuthData) -> serde_json::Value {
    let mut out = serde_json::json!({
        "rp-id-hash": hex::encode(ad.rp_id_hash),
        "flags": flags_json(ad.flags),
        "counter": ad.counter,
    });
    if let Some(att) = &ad.attested {
        out["aaguid"] = serde_json::json!(aaguid_text(&att.aaguid));
        out["credential-id"] = serde_json::json!({ "base64": crate::data::encode_base64(&att.credential_id) });
        out["cose-key"] = cbor::to_json(&att.cose_key);
    }
    if !ad.trailing.is_empty() {
        out["extensions"] = match &ad.extensions {
            Some(v) => super::extensions::describe(v),
            None => serde_json::json!({ "unparsed": { "base64": crate::data::encode_base64(&ad.trailing) } }),
        };
    }
    out
}
