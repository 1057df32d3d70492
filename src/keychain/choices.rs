//! Where the sources disagree (the open questions of the research notes), the engine
//! follows Apple's own code and tests. Every such choice lives here, with the sentence
//! the user sees, so that it can change in one place.

use crate::keychain::protection::Protection;
use crate::status::Status;

/// A behaviour chosen among disagreeing sources.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub id: &'static str,
    /// What the user is told when the choice decides a call's answer.
    pub note: &'static str,
}

/// Match keys (`kSecMatchLimit`, …) in an iOS `SecItemAdd`: the daemon's add routine
/// returns a status from a function typed `bool`, which reads as success without an
/// insert. No device report confirms it.
pub const MATCH_KEYS_IN_IOS_ADD: Choice = Choice {
    id: "match-keys-in-ios-add",
    note: "Apple's code (s3dl_query_add) rejects match keys by returning a status from a bool function, which reads as success without inserting anything; Keyplay follows that code. No device report confirms it, and macOS strips match keys instead.",
};

/// The status for reading an item bound to a biometric set that has since changed.
pub const BIOMETRY_INVALIDATED: (Status, Choice) = (
    Status::AuthFailed,
    Choice {
        id: "biometry-invalidated-status",
        note: "Apple's LocalAuthentication-to-OSStatus mapping gives errSecAuthFailed; some developers report errSecItemNotFound instead.",
    },
);

/// A BiometryCurrentSet item combined with `.or` `.devicePasscode` after the enrolment changes.
pub const BIOMETRY_OR_PASSCODE: Choice = Choice {
    id: "biometry-or-passcode",
    note: "Apple's documentation says a BiometryCurrentSet item is invalidated when the enrolment changes; Apple's code (SecAccessControlCreateWithFlags in SecAccessControl.m) turns the flags into a 1-of-n constraint when kSecAccessControlOr is set, so only the biometry alternative is lost and the device passcode still opens the item. Keyplay follows the code.",
};

/// The status for adding a WhenPasscodeSetThisDeviceOnly item on a device without a passcode.
pub const PASSCODE_NOT_SET: (Status, Choice) = (
    Status::AuthFailed,
    Choice {
        id: "passcode-not-set-status",
        note: "Apple's code maps the failed key-class lookup to errSecAuthFailed; an Apple regression test (compiled out) expected errSecNotAvailable.",
    },
);

/// A non-attribute key (kSecClass, return or match keys) in SecItemUpdate's attributes.
pub const NON_ATTRIBUTE_IN_UPDATE: (Status, Choice) = (
    Status::NoSuchAttr,
    Choice {
        id: "non-attribute-in-update",
        note: "The daemon looks every key of the attributes dictionary up as an attribute of the class, so a non-attribute key fails with errSecNoSuchAttr (folklore says errSecParam).",
    },
);

/// kSecReturnData with kSecMatchLimitAll on password classes in the data protection keychain.
pub const RETURN_DATA_LIMIT_ALL_DP: Choice = Choice {
    id: "return-data-limit-all",
    note: "Apple's documentation warns against kSecReturnData with kSecMatchLimitAll, but the data protection keychain's code and Apple's test si-78 return an array of data; only the file-based keychain refuses (errSecParam).",
};

/// Changing kSecAttrAccessible or kSecAttrAccessControl with SecItemUpdate.
pub const PROTECTION_UPDATABLE: Choice = Choice {
    id: "protection-updatable",
    note: "Current data protection keychain code re-encrypts the item, so the update succeeds; much guidance treats these attributes as add-only (delete and re-add).",
};

/// SecItemUpdate with a new kSecAttrAccessControl.
pub const ACCESS_CONTROL_UPDATE: Choice = Choice {
    id: "access-control-update",
    note: "The post says \"Calling SecItemUpdate with a new kSecAttrAccessControl won't work.\" Apple's code splits that in two: an item stored in the keychain database is re-encrypted under the new access control (SecItemDb.c, s3dl_query_update calls SecDbItemSetAccessControl), so Keyplay accepts it; a key protected by the Secure Enclave or another token keeps the access control of its token object, because the client replaces the new one with the object's own (SecItem.m, SecTokenCopyUpdatedObjectID) and the call still answers errSecSuccess. Keyplay follows the code for the first case and the post for the second.",
};

/// Default protection for certificates (SecDbQuery.c, `query_infer_keyclass`: "third party
/// certs are always dk"), where the post says the default is WhenUnlocked.
pub const CERTIFICATE_DEFAULT_PROTECTION: (Protection, Choice) = (
    Protection::Always,
    Choice {
        id: "certificate-default-protection",
        note: "No protection class was given, so this certificate gets kSecAttrAccessibleAlways (Apple's daemon, query_infer_keyclass in SecDbQuery.c, gives third-party certificates AlwaysPrivate). This departs from the post's sentence \"The default data protection level is kSecAttrAccessibleWhenUnlocked\", which holds for every other class: a certificate stays readable while the device is locked.",
    },
);

/// The file-based keychain's kSecAttrIssuer form.
pub const FILE_ISSUER_FORM: Choice = Choice {
    id: "file-issuer-encoding",
    note: "The data protection keychain stores the normalized issuer content without its outer SEQUENCE; the file-based keychain keeps the whole DER Name (from DTS guidance and CSSM semantics, not a test).",
};

/// Identity formation: Apple joins on the key's kSecAttrIsPrivate; Keyplay uses the key class.
pub const IDENTITY_JOIN: Choice = Choice {
    id: "identity-join",
    note: "An identity forms when a certificate's kSecAttrPublicKeyHash equals a private key's kSecAttrApplicationLabel (Apple's SQL also requires kSecAttrIsPrivate, which keys added from a SecKey carry).",
};

/// Reading data from, adding to or changing the locked file-based keychain. Searching works
/// while it is locked (the post: "it's possible to query for the presence of items in the
/// file-based keychain even when it's locked"); anything that needs the keychain's secrets
/// makes securityd unlock it, which asks the user for the keychain password
/// (securityd/src/kcdatabase.cpp, `makeUnlocked` → `establishOldSecrets`). Without a prompt
/// the status depends on why there is none; Keyplay follows Apple's own regression test.
pub const FILE_KEYCHAIN_LOCKED: (Status, Choice) = (
    Status::AuthFailed,
    Choice {
        id: "file-keychain-locked",
        note: "The file-based keychain can be searched while it is locked, but reading an item's data, adding an item or changing one needs the keychain's secrets, and securityd asks the user for the keychain password. Keyplay models a caller that may not prompt, as Apple's regression tests do (SecKeychainSetUserInteractionAllowed(false)): the unlock is cancelled and the call fails with errSecAuthFailed (kc-05-find-existing-items-locked.c: \"AuthFailed is what securityd throws if UI access is not allowed\"). A process without a GUI session (ssh, a daemon) gets errSecInteractionNotAllowed instead (securityd agentquery.cpp, CSSM_ERRCODE_NO_USER_INTERACTION), and in a GUI session the user is asked to unlock the keychain.",
    },
);

/// Every choice, for documentation.
pub const ALL: &[Choice] = &[
    MATCH_KEYS_IN_IOS_ADD,
    BIOMETRY_INVALIDATED.1,
    BIOMETRY_OR_PASSCODE,
    PASSCODE_NOT_SET.1,
    NON_ATTRIBUTE_IN_UPDATE.1,
    RETURN_DATA_LIMIT_ALL_DP,
    PROTECTION_UPDATABLE,
    ACCESS_CONTROL_UPDATE,
    CERTIFICATE_DEFAULT_PROTECTION.1,
    FILE_ISSUER_FORM,
    IDENTITY_JOIN,
    FILE_KEYCHAIN_LOCKED.1,
];
