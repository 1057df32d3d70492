//! Authenticator data (WebAuthn `#sctn-authenticator-data`): rpIdHash, flags, sign count,
//! optional attested credential data and optional extensions.
//!
//! Limits: credential ids longer than [`MAX_CREDENTIAL_ID`] bytes are rejected (the spec's
//! own bound); CBOR inside is bounded by [`super::cbor`].

use super::cbor;
use serde_json::json;

/// The spec's upper bound on a credential id.
pub const MAX_CREDENTIAL_ID: usize = 1023;

/// Flag bits (WebAuthn `#sctn-authenticator-data`).
pub mod flag {
    pub const UP: u8 = 0x01;
    pub const RFU1: u8 = 0x02;
    pub const UV: u8 = 0x04;
    pub const BE: u8 = 0x08;
    pub const BS: u8 = 0x10;
    pub const RFU2: u8 = 0x20;
    pub const AT: u8 = 0x40;
    pub const ED: u8 = 0x80;
}

/// Attested credential data (present when AT is set).
#[derive(Debug, Clone, PartialEq)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    /// The COSE_Key exactly as encoded in authData.
    pub public_key_cbor: Vec<u8>,
}

/// Parsed authenticator data.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    pub attested: Option<AttestedCredential>,
    pub extensions: Option<ciborium::Value>,
}

impl AuthData {
    pub fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    /// The flags as a JSON object for reports.
    pub fn flags_json(&self) -> serde_json::Value {
        json!({
            "byte": format!("0x{:02x}", self.flags),
            "UP": self.has(flag::UP), "UV": self.has(flag::UV), "BE": self.has(flag::BE),
            "BS": self.has(flag::BS), "AT": self.has(flag::AT), "ED": self.has(flag::ED),
        })
    }
}

/// Why authenticator data could not be parsed: the byte offset and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("authenticator data, byte {offset}: {message}")]
pub struct AuthDataError {
    pub offset: usize,
    pub message: String,
}

fn err(offset: usize, message: impl Into<String>) -> AuthDataError {
    AuthDataError {
        offset,
        message: message.into(),
    }
}

fn take<'a>(bytes: &'a [u8], at: usize, len: usize, what: &str) -> Result<&'a [u8], AuthDataError> {
    at.checked_add(len).and_then(|end| bytes.get(at..end)).ok_or_else(|| {
        err(
            at,
            format!(
                "expected {len} bytes of {what}, only {} left",
                bytes.len().saturating_sub(at)
            ),
        )
    })
}

/// Parses authenticator data. The AT and ED flags decide what follows the 37-byte header;
/// bytes left over after that are an error, as the spec requires.
pub fn parse(bytes: &[u8]) -> Result<AuthData, AuthDataError> {
    let mut rp_id_hash = [0u8; 32];
    rp_id_hash.copy_from_slice(take(bytes, 0, 32, "rpIdHash")?);
    let flags = take(bytes, 32, 1, "flags")?.first().copied().unwrap_or(0);
    let mut count = [0u8; 4];
    count.copy_from_slice(take(bytes, 33, 4, "signCount")?);
    let mut at = 37;
    let mut attested = None;
    if flags & flag::AT != 0 {
        let mut aaguid = [0u8; 16];
        aaguid.copy_from_slice(take(bytes, at, 16, "AAGUID")?);
        let len_bytes = take(bytes, at + 16, 2, "credentialIdLength")?;
        let mut len = [0u8; 2];
        len.copy_from_slice(len_bytes);
        let id_len = usize::from(u16::from_be_bytes(len));
        if id_len > MAX_CREDENTIAL_ID {
            return Err(err(
                at + 16,
                format!("credential id length {id_len} exceeds the spec's {MAX_CREDENTIAL_ID}"),
            ));
        }
        let credential_id = take(bytes, at + 18, id_len, "credentialId")?.to_vec();
        at += 18 + id_len;
        let rest = bytes.get(at..).unwrap_or_default();
        let (_, used) = cbor::decode_prefix(rest).map_err(|m| err(at, format!("credentialPublicKey: {m}")))?;
        let public_key_cbor = rest.get(..used).unwrap_or_default().to_vec();
        at += used;
        attested = Some(AttestedCredential {
            aaguid,
            credential_id,
            public_key_cbor,
        });
    }
    let mut extensions = None;
    if flags & flag::ED != 0 {
        let rest = bytes.get(at..).unwrap_or_default();
        let (value, used) = cbor::decode_prefix(rest).map_err(|m| err(at, format!("extensions: {m}")))?;
        if value.as_map().is_none() {
            return Err(err(at, "extensions must be a CBOR map"));
        }
        extensions = Some(value);
        at += used;
    }
    if at < bytes.len() {
        let hint = if flags & flag::ED == 0 {
            " (the ED flag is clear, so no extensions may follow)"
        } else {
            ""
        };
        return Err(err(at, format!("{} unexpected trailing bytes{hint}", bytes.len() - at)));
    }
    Ok(AuthData {
        rp_id_hash,
        flags,
        sign_count: u32::from_be_bytes(count),
        attested,
        extensions,
    })
}

/// An AAGUID as the usual 8-4-4-4-12 hex string.
pub fn aaguid_string(aaguid: &[u8; 16]) -> String {
    // Groups of 4, 2, 2, 2 and 6 bytes.
    let (a, rest) = aaguid.split_at(4);
    let (b, rest) = rest.split_at(2);
    let (c, rest) = rest.split_at(2);
    let (d, e) = rest.split_at(2);
    format!(
        "{}-{}-{}-{}-{}",
        hex::encode(a),
        hex::encode(b),
        hex::encode(c),
        hex::encode(d),
        hex::encode(e)
    )
}

/// What a few well-known AAGUIDs mean (display only; an AAGUID under `none` attestation is
/// not attested).
pub fn aaguid_name(aaguid: &[u8; 16]) -> Option<&'static str> {
    match aaguid_string(aaguid).as_str() {
        "00000000-0000-0000-0000-000000000000" => Some("all zero (no AAGUID: U2F key, or a platform that zeroes it)"),
        "fbfc3007-154e-4ecc-8c0b-6e020557d7bd" => Some("iCloud Keychain / Apple Passwords"),
        "dd4ec289-e01d-41c9-bb89-70fa845d4bf2" => Some("iCloud Keychain (managed Apple Account)"),
        "08987058-cadc-4b81-b6e1-30de50dcbe96" => Some("Windows Hello (TPM)"),
        _ => None,
    }
}
