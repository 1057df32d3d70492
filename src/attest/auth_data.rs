//! Authenticator data, the layout WebAuthn defines (`#sctn-authenticator-data`) and App Attest
//! reuses:
//!
//! | offset | length | field |
//! |---|---|---|
//! | 0 | 32 | rpIdHash |
//! | 32 | 1 | flags ([`Flag`]) |
//! | 33 | 4 | signature counter, big-endian |
//! | 37 | 16 | aaguid (attested credential data) |
//! | 53 | 2 | credential id length L, big-endian (at most [`MAX_CREDENTIAL_ID`]) |
//! | 55 | L | credential id |
//! | 55+L | … | credential public key (a COSE_Key, one CBOR item) |
//! | … | … | extensions (a CBOR map) |
//!
//! What follows the 37-byte header depends on [`Rules`]: WebAuthn goes by the AT and ED flags and
//! refuses leftover bytes, as the spec requires; App Attest goes by what the object is (an
//! attestation always carries attested credential data, an assertion never does, whatever AT
//! says) and keeps any bytes after them as extensions, since newer OS versions append an
//! extensions map without setting ED. Every error says which field, at which byte offset, and
//! what was expected there.

use super::cbor::{self, CborError};
use crate::figure::{Bit, ByteField, ByteMap};
use ciborium::Value;

/// The spec's upper bound on a credential id, in bytes.
pub const MAX_CREDENTIAL_ID: usize = 1023;

/// The length of the fixed header: rpIdHash, flags and counter.
pub const HEADER_LEN: usize = 37;

/// Where the big-endian signature counter starts (after rpIdHash and flags).
const COUNTER_OFFSET: usize = 33;

/// One bit of the flags byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// UP (bit 0): the user was present.
    UserPresent,
    /// RFU1 (bit 1): reserved, 0.
    Reserved1,
    /// UV (bit 2): the user was verified.
    UserVerified,
    /// BE (bit 3): backup eligible (a multi-device credential).
    BackupEligible,
    /// BS (bit 4): currently backed up.
    BackupState,
    /// RFU2 (bit 5): reserved, 0.
    Reserved2,
    /// AT (bit 6): attested credential data included.
    AttestedData,
    /// ED (bit 7): extension data included.
    ExtensionData,
}

impl Flag {
    /// Every flag, from bit 0 to bit 7.
    pub const ALL: [Flag; 8] = [
        Flag::UserPresent,
        Flag::Reserved1,
        Flag::UserVerified,
        Flag::BackupEligible,
        Flag::BackupState,
        Flag::Reserved2,
        Flag::AttestedData,
        Flag::ExtensionData,
    ];

    /// The bit's mask in the flags byte.
    pub const fn mask(self) -> u8 {
        match self {
            Flag::UserPresent => 0x01,
            Flag::Reserved1 => 0x02,
            Flag::UserVerified => 0x04,
            Flag::BackupEligible => 0x08,
            Flag::BackupState => 0x10,
            Flag::Reserved2 => 0x20,
            Flag::AttestedData => 0x40,
            Flag::ExtensionData => 0x80,
        }
    }

    /// The spec's short name (UP, UV, BE, BS, AT, ED, RFU1, RFU2).
    pub const fn short(self) -> &'static str {
        match self {
            Flag::UserPresent => "UP",
            Flag::Reserved1 => "RFU1",
            Flag::UserVerified => "UV",
            Flag::BackupEligible => "BE",
            Flag::BackupState => "BS",
            Flag::Reserved2 => "RFU2",
            Flag::AttestedData => "AT",
            Flag::ExtensionData => "ED",
        }
    }
}

/// The flags byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags(pub u8);

impl Flags {
    /// Whether `flag` is set.
    pub const fn has(self, flag: Flag) -> bool {
        self.0 & flag.mask() != 0
    }

    /// The raw byte.
    pub const fn byte(self) -> u8 {
        self.0
    }

    /// `0x45`.
    pub fn hex(self) -> String {
        format!("0x{:02x}", self.0)
    }

    /// The report view: the byte and the six defined bits by their short names.
    pub fn to_json(self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        out.insert("byte".into(), self.hex().into());
        for flag in Flag::ALL.into_iter().filter(|f| !matches!(f, Flag::Reserved1 | Flag::Reserved2)) {
            out.insert(flag.short().into(), self.has(flag).into());
        }
        serde_json::Value::Object(out)
    }
}

/// Which part of authenticator data an error concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    RpIdHash,
    Flags,
    Counter,
    Aaguid,
    CredentialIdLength,
    CredentialId,
    CredentialPublicKey,
    Extensions,
}

impl Field {
    /// The field's name in the spec.
    pub const fn name(self) -> &'static str {
        match self {
            Field::RpIdHash => "rpIdHash",
            Field::Flags => "flags",
            Field::Counter => "signCount",
            Field::Aaguid => "aaguid",
            Field::CredentialIdLength => "credentialIdLength",
            Field::CredentialId => "credentialId",
            Field::CredentialPublicKey => "credentialPublicKey",
            Field::Extensions => "extensions",
        }
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why authenticator data could not be read: where, which field, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthDataError {
    #[error("authenticator data, byte {offset}: expected {needed} bytes of {field}, only {available} left")]
    Truncated { field: Field, offset: usize, needed: usize, available: usize },
    #[error("authenticator data, byte {offset}: credential id length {length} exceeds the spec's {max}")]
    CredentialIdTooLong { offset: usize, length: usize, max: usize },
    #[error("authenticator data, byte {offset}: {field} is not readable CBOR: {source}")]
    Cbor { field: Field, offset: usize, source: CborError },
    #[error("authenticator data, byte {offset}: extensions must be a CBOR map, found a {found}")]
    ExtensionsNotMap { offset: usize, found: &'static str },
    #[error("authenticator data, byte {offset}: {count} unexpected trailing bytes{}", if *.ed_clear { " (the ED flag is clear, so no extensions may follow)" } else { "" })]
    Trailing { offset: usize, count: usize, ed_clear: bool },
}

impl AuthDataError {
    /// The byte offset in the authenticator data that the error concerns.
    pub fn offset(&self) -> usize {
        match self {
            AuthDataError::Truncated { offset, .. }
            | AuthDataError::CredentialIdTooLong { offset, .. }
            | AuthDataError::Cbor { offset, .. }
            | AuthDataError::ExtensionsNotMap { offset, .. }
            | AuthDataError::Trailing { offset, .. } => *offset,
        }
    }

    /// The field concerned (`None` for leftover bytes after every field).
    pub fn field(&self) -> Option<Field> {
        match self {
            AuthDataError::Truncated { field, .. } | AuthDataError::Cbor { field, .. } => Some(*field),
            AuthDataError::CredentialIdTooLong { .. } => Some(Field::CredentialIdLength),
            AuthDataError::ExtensionsNotMap { .. } => Some(Field::Extensions),
            AuthDataError::Trailing { .. } => None,
        }
    }
}

/// Whether attested credential data follows the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attested {
    /// When the AT flag is set (WebAuthn).
    ByFlag,
    /// Always (an App Attest attestation).
    Always,
    /// Never, whatever AT says (an App Attest assertion: real ones set AT with nothing after).
    Never,
}

/// What may follow the attested credential data (or the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trailing {
    /// An extensions map when ED is set, and nothing else (WebAuthn).
    ByFlag,
    /// Anything; kept as extension bytes and decoded when they are one CBOR item (App Attest).
    Tolerated,
}

/// How to read what follows the 37-byte header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub attested: Attested,
    pub trailing: Trailing,
}

impl Rules {
    /// WebAuthn: the flags decide, leftover bytes are an error.
    pub const WEBAUTHN: Rules = Rules { attested: Attested::ByFlag, trailing: Trailing::ByFlag };
    /// An App Attest attestation: attested data always, extensions tolerated without ED.
    pub const APP_ATTEST_ATTESTATION: Rules = Rules { attested: Attested::Always, trailing: Trailing::Tolerated };
    /// An App Attest assertion: the header only, extensions tolerated without ED.
    pub const APP_ATTEST_ASSERTION: Rules = Rules { attested: Attested::Never, trailing: Trailing::Tolerated };
}

/// Attested credential data.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub credential_id: Vec<u8>,
    /// The credential public key as decoded.
    pub public_key: Value,
    /// The credential public key exactly as encoded.
    pub public_key_cbor: Vec<u8>,
    /// Where the public key starts in the authenticator data.
    pub public_key_offset: usize,
}

/// Extension bytes after the other fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Extensions {
    /// Where they start in the authenticator data.
    pub offset: usize,
    /// The bytes as found.
    pub raw: Vec<u8>,
    /// The bytes decoded as one CBOR item; `None` when they are not exactly one (tolerated only
    /// under [`Trailing::Tolerated`]).
    pub value: Option<Value>,
}

/// Authenticator data, split into its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthData {
    pub rp_id_hash: [u8; 32],
    pub flags: Flags,
    pub counter: u32,
    pub attested: Option<AttestedCredential>,
    pub extensions: Option<Extensions>,
}

fn take(bytes: &[u8], at: usize, len: usize, field: Field) -> Result<&[u8], AuthDataError> {
    at.checked_add(len).and_then(|end| bytes.get(at..end)).ok_or(AuthDataError::Truncated {
        field,
        offset: at,
        needed: len,
        available: bytes.len().saturating_sub(at),
    })
}

fn array<const N: usize>(bytes: &[u8], at: usize, field: Field) -> Result<[u8; N], AuthDataError> {
    let slice = take(bytes, at, N, field)?;
    let mut out = [0u8; N];
    out.copy_from_slice(slice);
    Ok(out)
}

/// Parses authenticator data under `rules`.
pub fn parse(bytes: &[u8], rules: Rules) -> Result<AuthData, AuthDataError> {
    let rp_id_hash = array::<32>(bytes, 0, Field::RpIdHash)?;
    let flags = Flags(array::<1>(bytes, 32, Field::Flags)?[0]);
    let counter = u32::from_be_bytes(array::<4>(bytes, COUNTER_OFFSET, Field::Counter)?);
    let mut at = HEADER_LEN;
    let with_attested = match rules.attested {
        Attested::ByFlag => flags.has(Flag::AttestedData),
        Attested::Always => true,
        Attested::Never => false,
    };
    let attested = if with_attested {
        let (credential, end) = attested_credential(bytes, at)?;
        at = end;
        Some(credential)
    } else {
        None
    };
    let rest = bytes.get(at..).unwrap_or_default();
    let extensions = match rules.trailing {
        Trailing::ByFlag if flags.has(Flag::ExtensionData) => {
            let (value, used) =
                cbor::decode_prefix(rest).map_err(|source| cbor_error(Field::Extensions, at, source))?;
            if cbor::as_map(&value).is_none() {
                return Err(AuthDataError::ExtensionsNotMap { offset: at, found: cbor::type_name(&value) });
            }
            let raw = rest.get(..used).unwrap_or_default().to_vec();
            let start = at;
            at += used;
            Some(Extensions { offset: start, raw, value: Some(value) })
        }
        Trailing::ByFlag => None,
        Trailing::Tolerated if rest.is_empty() => None,
        Trailing::Tolerated => {
            let start = at;
            at = bytes.len();
            Some(Extensions { offset: start, raw: rest.to_vec(), value: cbor::decode_whole(rest).ok() })
        }
    };
    if at < bytes.len() {
        return Err(AuthDataError::Trailing {
            offset: at,
            count: bytes.len() - at,
            ed_clear: !flags.has(Flag::ExtensionData),
        });
    }
    Ok(AuthData { rp_id_hash, flags, counter, attested, extensions })
}

/// The same authenticator data with its signature counter set to `counter`, after checking that
/// `bytes` parse under `rules` (every other byte is kept).
pub fn with_counter(bytes: &[u8], rules: Rules, counter: u32) -> Result<Vec<u8>, AuthDataError> {
    parse(bytes, rules)?;
    let mut out = bytes.to_vec();
    if let Some(slot) = out.get_mut(COUNTER_OFFSET..COUNTER_OFFSET + 4) {
        slot.copy_from_slice(&counter.to_be_bytes());
    }
    Ok(out)
}

/// The same authenticator data with its rpIdHash set to `rp_id_hash`, after checking that `bytes`
/// parse under `rules` (every other byte is kept).
pub fn with_rp_id_hash(bytes: &[u8], rules: Rules, rp_id_hash: &[u8; 32]) -> Result<Vec<u8>, AuthDataError> {
    parse(bytes, rules)?;
    let mut out = bytes.to_vec();
    if let Some(slot) = out.get_mut(..rp_id_hash.len()) {
        slot.copy_from_slice(rp_id_hash);
    }
    Ok(out)
}

/// Shifts a CBOR error's offset from the slice to the whole authenticator data.
fn cbor_error(field: Field, base: usize, source: CborError) -> AuthDataError {
    let offset = base + source.offset().unwrap_or(0);
    AuthDataError::Cbor { field, offset, source }
}

fn attested_credential(bytes: &[u8], start: usize) -> Result<(AttestedCredential, usize), AuthDataError> {
    let aaguid = array::<16>(bytes, start, Field::Aaguid)?;
    let length_at = start + 16;
    let length = usize::from(u16::from_be_bytes(array::<2>(bytes, length_at, Field::CredentialIdLength)?));
    if length > MAX_CREDENTIAL_ID {
        return Err(AuthDataError::CredentialIdTooLong { offset: length_at, length, max: MAX_CREDENTIAL_ID });
    }
    let id_at = length_at + 2;
    let credential_id = take(bytes, id_at, length, Field::CredentialId)?.to_vec();
    let key_at = id_at + length;
    let rest = bytes.get(key_at..).unwrap_or_default();
    if rest.is_empty() {
        return Err(AuthDataError::Truncated {
            field: Field::CredentialPublicKey,
            offset: key_at,
            needed: 1,
            available: 0,
        });
    }
    let (public_key, used) =
        cbor::decode_prefix(rest).map_err(|source| cbor_error(Field::CredentialPublicKey, key_at, source))?;
    let public_key_cbor = rest.get(..used).unwrap_or_default().to_vec();
    let credential =
        AttestedCredential { aaguid, credential_id, public_key, public_key_cbor, public_key_offset: key_at };
    Ok((credential, key_at + used))
}

impl AttestedCredential {
    /// The uncompressed point 04‖x‖y of an EC2 COSE key with 32-byte coordinates, when the key is one.
    pub fn uncompressed_p256_point(&self) -> Option<Vec<u8>> {
        let entries = cbor::as_map(&self.public_key)?;
        let coordinate = |label| match cbor::get_int(entries, label) {
            Some(Value::Bytes(b)) if b.len() == 32 => Some(b.as_slice()),
            _ => None,
        };
        let (x, y) = (coordinate(-2)?, coordinate(-3)?);
        let mut point = Vec::with_capacity(65);
        point.push(4);
        point.extend_from_slice(x);
        point.extend_from_slice(y);
        Some(point)
    }
}

impl AuthData {
    /// The byte map of `raw`, the bytes this was parsed from: every field with its range and
    /// value, the flags bit by bit.
    pub fn byte_map(&self, title: impl Into<String>, raw: &[u8]) -> ByteMap {
        let flags = ByteField {
            bits: Flag::ALL
                .iter()
                .zip(0u8..)
                .map(|(flag, bit)| Bit { bit, name: flag.short().into(), set: self.flags.has(*flag) })
                .collect(),
            ..ByteField::new(Field::Flags.name(), 32, 1, self.flags.hex())
        };
        let mut fields = vec![
            ByteField::new(Field::RpIdHash.name(), 0, 32, hex::encode(self.rp_id_hash)),
            flags,
            ByteField::new(Field::Counter.name(), COUNTER_OFFSET, 4, self.counter.to_string()),
        ];
        if let Some(att) = &self.attested {
            let id_len = att.credential_id.len();
            fields.extend([
                ByteField::new(Field::Aaguid.name(), HEADER_LEN, 16, aaguid_words(&att.aaguid)),
                ByteField::new(Field::CredentialIdLength.name(), HEADER_LEN + 16, 2, id_len.to_string()),
                ByteField::new(Field::CredentialId.name(), HEADER_LEN + 18, id_len, hex::encode(&att.credential_id)),
                ByteField::new(
                    Field::CredentialPublicKey.name(),
                    att.public_key_offset,
                    att.public_key_cbor.len(),
                    format!("COSE_Key, a CBOR {}", cbor::type_name(&att.public_key)),
                ),
            ]);
        }
        if let Some(ext) = &self.extensions {
            let what = ext.value.as_ref().map_or("bytes that are not one CBOR item", cbor::type_name);
            fields.push(ByteField::new(Field::Extensions.name(), ext.offset, ext.raw.len(), format!("CBOR {what}")));
        }
        ByteMap { title: title.into(), bytes: raw.to_vec(), fields, note: None }
    }
}

/// An aaguid as text when it is printable ASCII followed by zero bytes, else hex.
fn aaguid_words(aaguid: &[u8; 16]) -> String {
    let end = aaguid.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    match aaguid.get(..end).map(std::str::from_utf8) {
        Some(Ok(text)) if !text.is_empty() && text.chars().all(|c| c.is_ascii_graphic()) => {
            format!("\"{text}\"{}", if end < 16 { format!(" and {} zero bytes", 16 - end) } else { String::new() })
        }
        _ => hex::encode(aaguid),
    }
}
