//! The Security framework constants a SecItem dictionary may use: each key's constant
//! name, its raw string value (what the daemon sees), what kind of value it takes, and a
//! one-line meaning; and the named constants that are values.

/// What a dictionary key expects as its value (used for parsing constant names and for
/// the UI's value editors; the engine checks CF types itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Data,
    Number,
    Bool,
    Date,
    /// A named constant from this family (a string that names one is resolved).
    Constant(Family),
    AccessControl,
    Ref,
    PersistentRef,
    Array,
    /// Anything (an opaque object such as an LAContext or a policy).
    Opaque,
}

/// Families of value constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Class,
    Accessible,
    MatchLimit,
    Synchronizable,
    Protocol,
    AuthenticationType,
    KeyType,
    KeyClass,
    AuthenticationUi,
    TokenId,
}

/// One dictionary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDef {
    pub name: &'static str,
    pub raw: &'static str,
    pub value: ValueKind,
    pub meaning: &'static str,
}

macro_rules! keys {
    ($($name:literal $raw:literal $kind:expr, $meaning:literal;)*) => {
        /// Every key a document may use, in the order the UI offers them.
        pub const KEYS: &[KeyDef] = &[$(KeyDef { name: $name, raw: $raw, value: $kind, meaning: $meaning },)*];
    };
}

use Family as F;
use ValueKind as V;

keys! {
    "kSecClass" "class" V::Constant(F::Class), "The item class: generic or internet password, certificate, key or identity.";
    "kSecAttrService" "svce" V::String, "Generic password: the service (part of the uniqueness constraint).";
    "kSecAttrAccount" "acct" V::String, "Password items: the account name (part of the uniqueness constraint).";
    "kSecAttrAccessGroup" "agrp" V::String, "The keychain access group; must be one the app is entitled to.";
    "kSecAttrSynchronizable" "sync" V::Constant(F::Synchronizable), "Whether the item syncs through iCloud Keychain; kSecAttrSynchronizableAny in queries.";
    "kSecAttrAccessible" "pdmn" V::Constant(F::Accessible), "Data protection class: when the item's key material is available.";
    "kSecAttrAccessControl" "accc" V::AccessControl, "Access control: protection class plus user-presence or biometry constraints.";
    "kSecAttrLabel" "labl" V::String, "A user-visible label (not part of the uniqueness constraint).";
    "kSecAttrDescription" "desc" V::String, "A user-visible description of the kind of item.";
    "kSecAttrComment" "icmt" V::String, "A user-editable comment.";
    "kSecAttrGeneric" "gena" V::Data, "Generic password: app-defined data (not part of the uniqueness constraint).";
    "kSecAttrCreator" "crtr" V::Number, "Password items: the creator four-character code as a number.";
    "kSecAttrType" "type" V::Number, "Password items: the item type four-character code as a number.";
    "kSecAttrIsInvisible" "invi" V::Bool, "Password items: whether the item is hidden in Keychain Access.";
    "kSecAttrIsNegative" "nega" V::Bool, "Password items: a placeholder with no valid password.";
    "kSecAttrCreationDate" "cdat" V::Date, "When the item was created (set by the system).";
    "kSecAttrModificationDate" "mdat" V::Date, "When the item was last changed (set by the system).";
    "kSecAttrServer" "srvr" V::String, "Internet password: the server's domain name or IP address.";
    "kSecAttrSecurityDomain" "sdmn" V::String, "Internet password: the security domain (realm).";
    "kSecAttrProtocol" "ptcl" V::Constant(F::Protocol), "Internet password: the protocol (a kSecAttrProtocol constant).";
    "kSecAttrAuthenticationType" "atyp" V::Constant(F::AuthenticationType), "Internet password: the authentication scheme.";
    "kSecAttrPort" "port" V::Number, "Internet password: the port number.";
    "kSecAttrPath" "path" V::String, "Internet password: the path on the server.";
    "kSecAttrCertificateType" "ctyp" V::Number, "Certificate: the certificate type (derived from the DER).";
    "kSecAttrCertificateEncoding" "cenc" V::Number, "Certificate: the encoding (3 = DER, derived).";
    "kSecAttrSubject" "subj" V::Data, "Certificate: the normalized subject name (derived).";
    "kSecAttrIssuer" "issr" V::Data, "Certificate: the normalized issuer name (derived; part of the uniqueness constraint).";
    "kSecAttrSerialNumber" "slnr" V::Data, "Certificate: the serial number (derived; part of the uniqueness constraint).";
    "kSecAttrSubjectKeyID" "skid" V::Data, "Certificate: the subject key identifier extension (derived).";
    "kSecAttrPublicKeyHash" "pkhh" V::Data, "Certificate: SHA-1 of the public key bits; pairs it with a private key into an identity.";
    "kSecAttrKeyClass" "kcls" V::Constant(F::KeyClass), "Key: public, private or symmetric.";
    "kSecAttrApplicationLabel" "klbl" V::Data, "Key: SHA-1 of the public key (derived); matches kSecAttrPublicKeyHash to form identities.";
    "kSecAttrApplicationTag" "atag" V::Data, "Key: an app-defined tag (part of the uniqueness constraint); use this to find your key.";
    "kSecAttrKeyType" "type" V::Constant(F::KeyType), "Key: the algorithm (RSA, elliptic curve).";
    "kSecAttrKeySizeInBits" "bsiz" V::Number, "Key: size in bits.";
    "kSecAttrEffectiveKeySize" "esiz" V::Number, "Key: effective size in bits.";
    "kSecAttrIsPermanent" "perm" V::Bool, "Key: whether the key is stored in the keychain on creation.";
    "kSecAttrIsSensitive" "sens" V::Bool, "Key: whether the key can only be exported wrapped.";
    "kSecAttrIsExtractable" "extr" V::Bool, "Key: whether the key can be exported.";
    "kSecAttrCanEncrypt" "encr" V::Bool, "Key usage: encrypt.";
    "kSecAttrCanDecrypt" "decr" V::Bool, "Key usage: decrypt.";
    "kSecAttrCanDerive" "drve" V::Bool, "Key usage: derive other keys.";
    "kSecAttrCanSign" "sign" V::Bool, "Key usage: sign.";
    "kSecAttrCanVerify" "vrfy" V::Bool, "Key usage: verify.";
    "kSecAttrCanWrap" "wrap" V::Bool, "Key usage: wrap.";
    "kSecAttrCanUnwrap" "unwp" V::Bool, "Key usage: unwrap.";
    "kSecAttrTokenID" "tkid" V::Constant(F::TokenId), "The token holding the key (kSecAttrTokenIDSecureEnclave); fixed at creation.";
    "kSecAttrPRF" "prf" V::String, "macOS file-based keychain only: key derivation pseudo-random function.";
    "kSecAttrSalt" "salt" V::Data, "macOS file-based keychain only: key derivation salt.";
    "kSecAttrRounds" "rounds" V::Number, "macOS file-based keychain only: key derivation rounds.";
    "kSecValueData" "v_Data" V::Data, "The item's secret payload (the password bytes, or a key's or certificate's data).";
    "kSecValueRef" "v_Ref" V::Ref, "The item as an object: a SecCertificate, SecKey or SecIdentity.";
    "kSecValuePersistentRef" "v_PersistentRef" V::PersistentRef, "A persistent reference naming exactly one item.";
    "kSecReturnData" "r_Data" V::Bool, "Return the item's data.";
    "kSecReturnAttributes" "r_Attributes" V::Bool, "Return the item's attributes as a dictionary.";
    "kSecReturnRef" "r_Ref" V::Bool, "Return the item as an object (keys, certificates, identities).";
    "kSecReturnPersistentRef" "r_PersistentRef" V::Bool, "Return a persistent reference to the item.";
    "kSecMatchLimit" "m_Limit" V::Constant(F::MatchLimit), "How many items to return: kSecMatchLimitOne, kSecMatchLimitAll or a number.";
    "kSecMatchCaseInsensitive" "m_CaseInsensitive" V::Bool, "Case-insensitive string matching (honoured by the file-based keychain only).";
    "kSecMatchSubjectContains" "m_SubjectContains" V::String, "Certificates whose subject contains this string (file-based keychain only).";
    "kSecMatchSubjectStartsWith" "m_SubjectStartsWith" V::String, "macOS: subject starts with (forces the file-based keychain).";
    "kSecMatchSubjectEndsWith" "m_SubjectEndsWith" V::String, "macOS: subject ends with (forces the file-based keychain).";
    "kSecMatchSubjectWholeString" "m_SubjectWholeString" V::String, "macOS: subject equals (forces the file-based keychain).";
    "kSecMatchDiacriticInsensitive" "m_DiacriticInsensitive" V::Bool, "macOS: diacritic-insensitive matching (forces the file-based keychain).";
    "kSecMatchWidthInsensitive" "m_WidthInsensitive" V::Bool, "macOS: width-insensitive matching (forces the file-based keychain).";
    "kSecMatchItemList" "m_ItemList" V::Array, "Restrict results to these items (macOS file-based keychain).";
    "kSecMatchSearchList" "m_SearchList" V::Array, "macOS: which keychain files to search.";
    "kSecMatchPolicy" "m_Policy" V::Opaque, "Certificates and identities trusted under a SecPolicy.";
    "kSecMatchIssuers" "m_Issuers" V::Array, "Certificates and identities issued by one of these names.";
    "kSecMatchEmailAddressIfPresent" "m_EmailAddressIfPresent" V::String, "Certificates with this e-mail address.";
    "kSecMatchTrustedOnly" "m_TrustedOnly" V::Bool, "Only trusted certificates.";
    "kSecMatchValidOnDate" "m_ValidOnDate" V::Date, "Certificates valid on this date.";
    "kSecMatchHostOrSubdomainOfHost" "m_HostOrSubdomainOfHost" V::String, "Internet passwords for this host or its subdomains (iOS 18, macOS 15).";
    "kSecUseDataProtectionKeychain" "nleg" V::Bool, "macOS: use the data protection keychain instead of the file-based one.";
    "kSecUseAuthenticationContext" "u_AuthCtx" V::Opaque, "An LAContext to authenticate with.";
    "kSecUseAuthenticationUI" "u_AuthUI" V::Constant(F::AuthenticationUi), "Whether the call may show authentication UI: Allow, Fail or Skip.";
    "kSecUseOperationPrompt" "u_OpPrompt" V::String, "The prompt shown in the authentication dialog (deprecated).";
    "kSecUseNoAuthenticationUI" "u_NoAuthUI" V::Bool, "Deprecated: fail instead of showing authentication UI.";
    "kSecUseItemList" "u_ItemList" V::Array, "macOS file-based keychain: the items to add or search.";
    "kSecUseKeychain" "u_Keychain" V::Opaque, "macOS file-based keychain: the keychain file to use.";
}

/// Named constants that are values: (family, name, raw value, meaning).
pub const VALUES: &[(Family, &str, &str, &str)] = &[
    (F::Class, "kSecClassGenericPassword", "genp", "Generic password."),
    (F::Class, "kSecClassInternetPassword", "inet", "Internet password."),
    (F::Class, "kSecClassCertificate", "cert", "Certificate."),
    (F::Class, "kSecClassKey", "keys", "Cryptographic key."),
    (F::Class, "kSecClassIdentity", "idnt", "Identity: a certificate and its private key."),
    (F::Accessible, "kSecAttrAccessibleWhenUnlocked", "ak", "Only while the device is unlocked (the default)."),
    (
        F::Accessible,
        "kSecAttrAccessibleAfterFirstUnlock",
        "ck",
        "After the first unlock since boot; use for background work.",
    ),
    (F::Accessible, "kSecAttrAccessibleAlways", "dk", "Always (deprecated)."),
    (
        F::Accessible,
        "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
        "akpu",
        "While unlocked, only if a passcode is set; never migrates.",
    ),
    (
        F::Accessible,
        "kSecAttrAccessibleWhenUnlockedThisDeviceOnly",
        "aku",
        "While unlocked; never migrates to another device.",
    ),
    (F::Accessible, "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly", "cku", "After first unlock; never migrates."),
    (F::Accessible, "kSecAttrAccessibleAlwaysThisDeviceOnly", "dku", "Always, never migrates (deprecated)."),
    (F::MatchLimit, "kSecMatchLimitOne", "m_LimitOne", "At most one item; the result is a single value."),
    (F::MatchLimit, "kSecMatchLimitAll", "m_LimitAll", "Every matching item; the result is an array."),
    (F::Synchronizable, "kSecAttrSynchronizableAny", "syna", "Query both synchronizable and local items."),
    (F::AuthenticationUi, "kSecUseAuthenticationUIAllow", "u_AuthUIA", "Show authentication UI when needed (default)."),
    (
        F::AuthenticationUi,
        "kSecUseAuthenticationUIFail",
        "u_AuthUIF",
        "Fail with errSecInteractionNotAllowed instead of showing UI.",
    ),
    (
        F::AuthenticationUi,
        "kSecUseAuthenticationUISkip",
        "u_AuthUIS",
        "Silently skip items that need authentication (copy only).",
    ),
    (F::TokenId, "kSecAttrTokenIDSecureEnclave", "com.apple.setoken", "The Secure Enclave."),
    (F::KeyClass, "kSecAttrKeyClassPublic", "0", "Public key."),
    (F::KeyClass, "kSecAttrKeyClassPrivate", "1", "Private key."),
    (F::KeyClass, "kSecAttrKeyClassSymmetric", "2", "Symmetric key."),
    (F::KeyType, "kSecAttrKeyTypeECSECPrimeRandom", "73", "Elliptic curve (NIST P-256, P-384, P-521)."),
    (F::KeyType, "kSecAttrKeyTypeEC", "73", "Elliptic curve (older name)."),
    (F::KeyType, "kSecAttrKeyTypeRSA", "42", "RSA."),
    (F::KeyType, "kSecAttrKeyTypeDSA", "43", "DSA (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeAES", "2147483649", "AES (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeDES", "14", "DES (macOS)."),
    (F::KeyType, "kSecAttrKeyType3DES", "17", "Triple DES (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeRC2", "23", "RC2 (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeRC4", "25", "RC4 (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeCAST", "56", "CAST (macOS)."),
    (F::KeyType, "kSecAttrKeyTypeECDSA", "73", "ECDSA (macOS, older name)."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeNTLM", "ntlm", "NTLM."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeMSN", "msna", "MSN."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeDPA", "dpaa", "DPA."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeRPA", "rpaa", "RPA."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeHTTPBasic", "http", "HTTP Basic."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeHTTPDigest", "httd", "HTTP Digest."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeHTMLForm", "form", "HTML form."),
    (F::AuthenticationType, "kSecAttrAuthenticationTypeDefault", "dflt", "Default."),
    (F::Protocol, "kSecAttrProtocolFTP", "ftp ", "FTP."),
    (F::Protocol, "kSecAttrProtocolFTPAccount", "ftpa", "FTP account."),
    (F::Protocol, "kSecAttrProtocolHTTP", "http", "HTTP."),
    (F::Protocol, "kSecAttrProtocolIRC", "irc ", "IRC."),
    (F::Protocol, "kSecAttrProtocolNNTP", "nntp", "NNTP."),
    (F::Protocol, "kSecAttrProtocolPOP3", "pop3", "POP3."),
    (F::Protocol, "kSecAttrProtocolSMTP", "smtp", "SMTP."),
    (F::Protocol, "kSecAttrProtocolSOCKS", "sox ", "SOCKS."),
    (F::Protocol, "kSecAttrProtocolIMAP", "imap", "IMAP."),
    (F::Protocol, "kSecAttrProtocolLDAP", "ldap", "LDAP."),
    (F::Protocol, "kSecAttrProtocolAppleTalk", "atlk", "AppleTalk."),
    (F::Protocol, "kSecAttrProtocolAFP", "afp ", "AFP."),
    (F::Protocol, "kSecAttrProtocolTelnet", "teln", "Telnet."),
    (F::Protocol, "kSecAttrProtocolSSH", "ssh ", "SSH."),
    (F::Protocol, "kSecAttrProtocolFTPS", "ftps", "FTPS."),
    (F::Protocol, "kSecAttrProtocolHTTPS", "htps", "HTTPS."),
    (F::Protocol, "kSecAttrProtocolHTTPProxy", "htpx", "HTTP proxy."),
    (F::Protocol, "kSecAttrProtocolHTTPSProxy", "htsx", "HTTPS proxy."),
    (F::Protocol, "kSecAttrProtocolFTPProxy", "ftpx", "FTP proxy."),
    (F::Protocol, "kSecAttrProtocolSMB", "smb ", "SMB."),
    (F::Protocol, "kSecAttrProtocolRTSP", "rtsp", "RTSP."),
    (F::Protocol, "kSecAttrProtocolRTSPProxy", "rtsx", "RTSP proxy."),
    (F::Protocol, "kSecAttrProtocolDAAP", "daap", "DAAP."),
    (F::Protocol, "kSecAttrProtocolEPPC", "eppc", "EPPC."),
    (F::Protocol, "kSecAttrProtocolIPP", "ipp ", "IPP."),
    (F::Protocol, "kSecAttrProtocolNNTPS", "ntps", "NNTPS."),
    (F::Protocol, "kSecAttrProtocolLDAPS", "ldps", "LDAPS."),
    (F::Protocol, "kSecAttrProtocolTelnetS", "tels", "Telnet over TLS."),
    (F::Protocol, "kSecAttrProtocolIMAPS", "imps", "IMAPS."),
    (F::Protocol, "kSecAttrProtocolIRCS", "ircs", "IRCS."),
    (F::Protocol, "kSecAttrProtocolPOP3S", "pops", "POP3S."),
];

/// Access control flags (`SecAccessControlCreateFlags`): name and bit.
pub const ACCESS_CONTROL_FLAGS: &[(&str, u32)] = &[
    ("kSecAccessControlUserPresence", 1 << 0),
    ("kSecAccessControlBiometryAny", 1 << 1),
    ("kSecAccessControlTouchIDAny", 1 << 1),
    ("kSecAccessControlBiometryCurrentSet", 1 << 3),
    ("kSecAccessControlTouchIDCurrentSet", 1 << 3),
    ("kSecAccessControlDevicePasscode", 1 << 4),
    ("kSecAccessControlWatch", 1 << 5),
    ("kSecAccessControlCompanion", 1 << 5),
    ("kSecAccessControlOr", 1 << 14),
    ("kSecAccessControlAnd", 1 << 15),
    ("kSecAccessControlPrivateKeyUsage", 1 << 30),
    ("kSecAccessControlApplicationPassword", 1 << 31),
];

/// The key with this constant name.
pub fn key_by_name(name: &str) -> Option<&'static KeyDef> {
    KEYS.iter().find(|k| k.name == name)
}

/// The raw value of a value constant, by name (any family).
pub fn value_raw(name: &str) -> Option<&'static str> {
    VALUES.iter().find(|(_, n, _, _)| *n == name).map(|(_, _, raw, _)| *raw)
}

/// The names of a family's constants.
pub fn family_names(family: Family) -> Vec<&'static str> {
    VALUES.iter().filter(|(f, ..)| *f == family).map(|(_, n, ..)| *n).collect()
}

/// The preferred constant name for a raw value in a family (for reports).
pub fn value_name(family: Family, raw: &str) -> Option<&'static str> {
    VALUES.iter().find(|(f, _, r, _)| *f == family && *r == raw).map(|(_, n, ..)| *n)
}

/// Every key's constant name.
pub fn key_names() -> Vec<&'static str> {
    KEYS.iter().map(|k| k.name).collect()
}
