//! Item classes and their attributes: the columns of the data protection keychain's
//! tables, how each stores its value, and which form the uniqueness constraint.

use super::constants::Family;

/// An item class (`kSecClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    GenericPassword,
    InternetPassword,
    Certificate,
    Key,
    Identity,
}

impl Class {
    pub const ALL: [Class; 5] =
        [Class::GenericPassword, Class::InternetPassword, Class::Certificate, Class::Key, Class::Identity];

    /// The raw value (`genp`, …).
    pub fn raw(self) -> &'static str {
        match self {
            Class::GenericPassword => "genp",
            Class::InternetPassword => "inet",
            Class::Certificate => "cert",
            Class::Key => "keys",
            Class::Identity => "idnt",
        }
    }

    /// The constant name.
    pub fn name(self) -> &'static str {
        match self {
            Class::GenericPassword => "kSecClassGenericPassword",
            Class::InternetPassword => "kSecClassInternetPassword",
            Class::Certificate => "kSecClassCertificate",
            Class::Key => "kSecClassKey",
            Class::Identity => "kSecClassIdentity",
        }
    }

    pub fn from_raw(raw: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.raw() == raw)
    }

    /// Password classes (their refs are not SecKey/SecCertificate objects).
    pub fn is_password(self) -> bool {
        matches!(self, Class::GenericPassword | Class::InternetPassword)
    }

    /// The columns of this class's table (identity: none of its own).
    pub fn columns(self) -> &'static [Column] {
        match self {
            Class::GenericPassword => GENP,
            Class::InternetPassword => INET,
            Class::Certificate => CERT,
            Class::Key => KEYS,
            Class::Identity => &[],
        }
    }

    /// The column with this raw name, in this class or the common set.
    pub fn column(self, raw: &str) -> Option<&'static Column> {
        if self == Class::Identity {
            // An identity query accepts certificate attributes first, then key attributes.
            return Class::Certificate.column(raw).or_else(|| Class::Key.column(raw));
        }
        COMMON.iter().chain(self.columns()).find(|c| c.raw == raw)
    }

    /// Every column, common first.
    pub fn all_columns(self) -> impl Iterator<Item = &'static Column> {
        COMMON.iter().chain(self.columns())
    }

    /// The uniqueness constraint on the data protection keychain.
    pub fn primary_key(self) -> Vec<&'static Column> {
        self.all_columns().filter(|c| c.pk).collect()
    }

    /// The uniqueness constraint on the macOS file-based keychain (no access group or
    /// synchronizable component).
    pub fn file_primary_key(self) -> Vec<&'static Column> {
        self.all_columns().filter(|c| c.pk && !matches!(c.raw, "agrp" | "sync" | "tkid")).collect()
    }

    /// The user-visible part of the primary key (without access group, sync, token).
    pub fn user_primary_key(self) -> Vec<&'static Column> {
        self.file_primary_key()
    }
}

/// How a column stores what it is given (SQLite column kind in the real schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Keeps the CF type given (string, data or number), compared by its bytes.
    Blob,
    /// Strings become UTF-8 data.
    Data,
    /// Data becomes a UTF-8 string.
    Text,
    /// Booleans become 0/1 and decimal strings numbers; other strings stay strings.
    Number,
    /// Needs a CFDate.
    Date,
}

/// One attribute column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub raw: &'static str,
    /// Constant name used in reports.
    pub name: &'static str,
    pub stored: Stored,
    /// Part of the uniqueness constraint.
    pub pk: bool,
    /// Set by the system; shown in results.
    pub system: bool,
    /// Constant family for reports (e.g. `pdmn` shows kSecAttrAccessible names).
    pub family: Option<Family>,
}

const fn col(raw: &'static str, name: &'static str, stored: Stored, pk: bool) -> Column {
    Column { raw, name, stored, pk, system: false, family: None }
}

const fn fam(raw: &'static str, name: &'static str, stored: Stored, pk: bool, family: Family) -> Column {
    Column { raw, name, stored, pk, system: false, family: Some(family) }
}

const fn sys(raw: &'static str, name: &'static str) -> Column {
    Column { raw, name, stored: Stored::Date, pk: false, system: true, family: None }
}

use Stored::{Blob, Data, Number, Text};

/// Columns every class has.
pub const COMMON: &[Column] = &[
    col("agrp", "kSecAttrAccessGroup", Text, true),
    col("sync", "kSecAttrSynchronizable", Number, true),
    fam("pdmn", "kSecAttrAccessible", Text, false, Family::Accessible),
    sys("cdat", "kSecAttrCreationDate"),
    sys("mdat", "kSecAttrModificationDate"),
    col("labl", "kSecAttrLabel", Blob, false),
    fam("tkid", "kSecAttrTokenID", Text, true, Family::TokenId),
];

const GENP: &[Column] = &[
    col("acct", "kSecAttrAccount", Blob, true),
    col("svce", "kSecAttrService", Blob, true),
    col("gena", "kSecAttrGeneric", Blob, false),
    col("desc", "kSecAttrDescription", Blob, false),
    col("icmt", "kSecAttrComment", Blob, false),
    col("crtr", "kSecAttrCreator", Number, false),
    col("type", "kSecAttrType", Number, false),
    col("invi", "kSecAttrIsInvisible", Number, false),
    col("nega", "kSecAttrIsNegative", Number, false),
];

const INET: &[Column] = &[
    col("acct", "kSecAttrAccount", Blob, true),
    col("sdmn", "kSecAttrSecurityDomain", Blob, true),
    col("srvr", "kSecAttrServer", Blob, true),
    fam("ptcl", "kSecAttrProtocol", Number, true, Family::Protocol),
    fam("atyp", "kSecAttrAuthenticationType", Blob, true, Family::AuthenticationType),
    col("port", "kSecAttrPort", Number, true),
    col("path", "kSecAttrPath", Blob, true),
    col("desc", "kSecAttrDescription", Blob, false),
    col("icmt", "kSecAttrComment", Blob, false),
    col("crtr", "kSecAttrCreator", Number, false),
    col("type", "kSecAttrType", Number, false),
    col("invi", "kSecAttrIsInvisible", Number, false),
    col("nega", "kSecAttrIsNegative", Number, false),
];

const CERT: &[Column] = &[
    col("ctyp", "kSecAttrCertificateType", Number, true),
    col("cenc", "kSecAttrCertificateEncoding", Number, false),
    col("subj", "kSecAttrSubject", Data, false),
    col("issr", "kSecAttrIssuer", Data, true),
    col("slnr", "kSecAttrSerialNumber", Data, true),
    col("skid", "kSecAttrSubjectKeyID", Data, false),
    col("pkhh", "kSecAttrPublicKeyHash", Data, false),
];

const KEYS: &[Column] = &[
    col("kcls", "kSecAttrKeyClass", Number, true),
    col("klbl", "kSecAttrApplicationLabel", Data, true),
    col("atag", "kSecAttrApplicationTag", Blob, true),
    col("crtr", "kSecAttrKeyCreator", Number, true),
    col("type", "kSecAttrKeyType", Number, true),
    col("bsiz", "kSecAttrKeySizeInBits", Number, true),
    col("esiz", "kSecAttrEffectiveKeySize", Number, true),
    col("perm", "kSecAttrIsPermanent", Number, false),
    col("sens", "kSecAttrIsSensitive", Number, false),
    col("extr", "kSecAttrIsExtractable", Number, false),
    col("encr", "kSecAttrCanEncrypt", Number, false),
    col("decr", "kSecAttrCanDecrypt", Number, false),
    col("drve", "kSecAttrCanDerive", Number, false),
    col("sign", "kSecAttrCanSign", Number, false),
    col("vrfy", "kSecAttrCanVerify", Number, false),
    col("wrap", "kSecAttrCanWrap", Number, false),
    col("unwp", "kSecAttrCanUnwrap", Number, false),
];

/// Attribute columns that exist only on the macOS file-based keychain (keys).
pub const FILE_ONLY: &[&str] = &["prf", "salt", "rounds"];
