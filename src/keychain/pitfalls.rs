//! The pitfalls Keyplay recognises in SecItem calls: each has a stable id, a severity,
//! an explanation in our own words naming the constants involved, and the fix.

use serde::Serialize;

pub use crate::severity::Severity;

/// One catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PitfallDef {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
}

/// A pitfall found in a call: the catalog entry plus what this call did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pitfall {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub explanation: &'static str,
    pub fix: &'static str,
}

/// Builds a found pitfall from the catalog entry of `id`. The id is a variant of [`Id`],
/// so naming a pitfall that is not in the catalog does not compile.
pub fn found(id: Id, message: impl Into<String>) -> Pitfall {
    let def = id.def();
    Pitfall { id: def.id, severity: def.severity, message: message.into(), explanation: def.explanation, fix: def.fix }
}

use Severity::{Error, Info, Warning};

macro_rules! catalog {
    ($($variant:ident $id:literal $sev:ident $title:literal, $explanation:literal, $fix:literal;)*) => {
        /// A pitfall of the catalog, by name: the compiler checks every id the engine raises.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Id { $($variant,)* }

        /// Every pitfall, in the order the gallery shows them.
        pub const CATALOG: &[PitfallDef] = &[$(PitfallDef { id: $id, severity: $sev, title: $title, explanation: $explanation, fix: $fix },)*];

        impl Id {
            /// Every id, in catalog order.
            pub const ALL: &'static [Id] = &[$(Id::$variant,)*];

            /// The stable id string used in reports and documents.
            pub const fn as_str(self) -> &'static str { match self { $(Id::$variant => $id,)* } }

            /// The catalog entry.
            pub const fn def(self) -> PitfallDef {
                match self { $(Id::$variant => PitfallDef { id: $id, severity: $sev, title: $title, explanation: $explanation, fix: $fix },)* }
            }

            /// Looks an id up by its string (a document's `expect.pitfalls`).
            pub fn from_id(id: &str) -> Option<Id> {
                Id::ALL.iter().copied().find(|p| p.as_str() == id)
            }
        }
    };
}

catalog! {
    QueryNonUniqueAttribute "query-non-unique-attribute" Warning "Lookup filters on attributes outside the uniqueness constraint",
        "A query matches on every attribute it contains, but uniqueness (errSecDuplicateItem) only looks at the class's primary key (for a generic password: kSecAttrService, kSecAttrAccount, access group, synchronizable). Adding kSecAttrGeneric, kSecAttrLabel, kSecAttrDescription or kSecAttrAccessible to a lookup makes it miss an item that exists, and the SecItemAdd that follows fails with errSecDuplicateItem.",
        "Look items up by their primary-key attributes only; put the other attributes in the add dictionary or an update's attributes.";
    AccessibleAsFilter "accessible-as-filter" Warning "kSecAttrAccessible used as a query filter",
        "kSecAttrAccessible in a query is an exact-match filter on the item's protection class. An item stored with another class (for example the default kSecAttrAccessibleWhenUnlocked) is not found, not deleted and not updated, yet blocks a new add with errSecDuplicateItem.",
        "Keep kSecAttrAccessible out of lookup, update and delete queries; to change an item's protection, update it or delete and re-add it.";
    MissingPrimaryKeyAttribute "missing-primary-key-attribute" Warning "Primary-key attribute left out of an add",
        "A primary-key attribute missing from SecItemAdd takes its default (an empty string for kSecAttrAccount and kSecAttrService, zero for numbers). Two items that each leave it out collide with errSecDuplicateItem even though they look different to you.",
        "Set every attribute of the class's uniqueness constraint explicitly in every add and every lookup.";
    ErroneousAttribute "erroneous-attribute" Error "Attribute the class does not have",
        "Each class has a fixed set of attributes: kSecAttrService belongs to generic passwords, kSecAttrServer to internet passwords, kSecAttrApplicationTag to keys. The data protection keychain answers errSecNoSuchAttr for any other; the macOS file-based keychain silently drops it, so the query matches more (or other) items than you meant.",
        "Use only the attributes documented for the item class; on macOS, test against the data protection keychain (kSecUseDataProtectionKeychain) to catch these.";
    MatchLimitInUpdateOrDelete "match-limit-in-update-or-delete" Error "kSecMatchLimit in SecItemUpdate or SecItemDelete",
        "SecItemUpdate and SecItemDelete act on every matching item on the data protection keychain, and iOS rejects any kSecMatch… key in their query with errSecParam. macOS strips the key for the data protection keychain, and the file-based keychain honours it, so the same code behaves three ways.",
        "Build update and delete queries without match or return keys; narrow them with primary-key attributes instead.";
    FileKeychainTouchesOne "file-keychain-touches-one" Warning "The file-based keychain updates or deletes only the first match",
        "On the macOS file-based keychain SecItemUpdate and SecItemDelete default to kSecMatchLimitOne: with several matching items only the first is changed or removed, while iOS and the data protection keychain act on all of them.",
        "Pass kSecMatchLimitAll explicitly on the file-based keychain, or better, narrow the query so it names exactly one item.";
    ReturnKeysInUpdateQuery "return-keys-in-update-query" Error "Return keys in SecItemUpdate's query",
        "A dictionary built for SecItemCopyMatching carries kSecReturn… keys. Reused as SecItemUpdate's query, iOS answers errSecParam (macOS quietly strips them).",
        "Never reuse a copy query for an update: build a query with only the class and primary-key attributes.";
    NonAttributeInUpdateAttributes "non-attribute-in-update-attributes" Error "A non-attribute key in SecItemUpdate's attributes",
        "The attributes dictionary of SecItemUpdate may hold only attributes of the class and kSecValueData. kSecClass, return keys, match keys or a persistent reference there are looked up as attributes and fail with errSecNoSuchAttr.",
        "Pass the new values only; the class and the item's identity belong in the query.";
    MatchKeysInAdd "match-keys-in-add" Warning "Match keys in SecItemAdd",
        "An add dictionary built from a query still holds kSecMatchLimit or other kSecMatch… keys. macOS strips them; on iOS the daemon's add path rejects them through a function typed bool, which by its code reads as success without inserting anything.",
        "Build add dictionaries from scratch: class, primary key, value data, protection.";
    ReturnKeysInAdd "return-keys-in-add" Info "Return keys in SecItemAdd",
        "SecItemAdd may return the new item: with return keys the data protection keychain hands back a single value (never an array). Without them it returns nothing there, but the macOS file-based keychain returns the item's reference by default, and an array when the item was added by reference.",
        "Ask only for what you use (usually kSecReturnPersistentRef) and do not rely on the shape being the same on both macOS keychains.";
    InteractionNotAllowedIsNotMissing "interaction-not-allowed-is-not-missing" Error "errSecInteractionNotAllowed treated as a missing item",
        "errSecInteractionNotAllowed means the item exists but its key material is not available now (the device is locked, or has not been unlocked since boot). Deleting the item and adding a fresh one works while locked (SecItemDelete needs no decryption), so the credential is lost for good.",
        "Never delete or overwrite on errSecInteractionNotAllowed: retry after the device unlocks, and give items read in the background kSecAttrAccessibleAfterFirstUnlock.";
    LockedRead "locked-read" Info "Item unreadable while the device is locked",
        "The item's protection class makes its key material available only in some device states: kSecAttrAccessibleWhenUnlocked… while unlocked, kSecAttrAccessibleAfterFirstUnlock… after the first unlock since boot. Adds, copies (even of attributes only) and updates of such items fail with errSecInteractionNotAllowed; deletes succeed.",
        "Choose the protection class by when the app needs the item: background work needs kSecAttrAccessibleAfterFirstUnlock.";
    ProtectionUpdate "protection-update" Info "Changing the protection class with SecItemUpdate",
        "kSecAttrAccessible and kSecAttrAccessControl are often treated as add-only (the post advises setting them on add and never updating them). The data protection keychain re-encrypts an item stored in its database and accepts the update; an access-controlled item needs authentication to be re-encrypted, and a key protected by the Secure Enclave keeps its access control whatever the update says.",
        "Set the protection on add. To change it later, update and then read the item back to confirm; for Secure Enclave keys create a new key.";
    TokenIdUpdate "token-id-update" Error "kSecAttrTokenID cannot change",
        "kSecAttrTokenID says which token (such as the Secure Enclave) protects a key. The key itself is stored in the keychain database like any other item, wrapped so that only that token can use it; the binding is fixed when the key is created and SecItemUpdate cannot change it.",
        "Create a new key in the token you want.";
    AccessControlUpdateIgnored "access-control-update-ignored" Error "A token key keeps its access control",
        "A key protected by the Secure Enclave (or another token) carries its access control inside the token object. SecItemUpdate with a new kSecAttrAccessControl answers errSecSuccess, but the client replaces the new access control with the object's own, so nothing changes.",
        "Set the access control when you create the key; to change it, create a new key with the access control you want.";
    ItemListIgnored "item-list-ignored" Warning "Item list ignored by the data protection keychain",
        "The data protection keychain records kSecMatchItemList, and kSecUseItemList in a delete, but never reads them, so the call is not restricted to the listed items: a delete acts on everything the rest of the query matches. Only the macOS file-based keychain honours them (and the shim sends a query holding one there alone, unless kSecUseDataProtectionKeychain is true).",
        "Query by kSecValuePersistentRef (one item per query) instead of an item list.";
    AppGroupNeedsProfile "app-group-needs-profile" Error "App group used as an access group without a provisioning profile",
        "On iOS an app group name is always one of the app's keychain access groups. On macOS it is one only when the app's entitlements are validated by a provisioning profile: without one, only keychain-access-groups counts, and the application identifier and app groups are ignored.",
        "Give the Mac app a provisioning profile that authorises its app groups, or list the group in keychain-access-groups.";
    LostItemsGroup "lost-items-group" Warning "The item is in an access group the app can no longer see",
        "Queries search only the access groups the app is entitled to. After a change of keychain-access-groups, of the App ID prefix (an app transfer to another team) or of the application identifier, items stored in the old group still exist but are invisible: lookups answer errSecItemNotFound and new adds create second copies.",
        "Keep the old access group in keychain-access-groups until the items are migrated; plan a migration before an app transfer.";
    AccessGroupNotEntitled "access-group-not-entitled" Error "Access group the app is not entitled to",
        "An explicit kSecAttrAccessGroup must be one of the app's access groups (keychain-access-groups, the application identifier, app groups), written exactly, team prefix included. Any other fails with errSecMissingEntitlement.",
        "Use the full string from the entitlements, including the Team ID prefix (for example SKMME9E2Y8.com.example.shared), or an app group's group.… name.";
    NoEntitlements "no-entitlements" Error "No keychain entitlements at all",
        "The data protection keychain needs an access group. A process without application-identifier, keychain-access-groups or app groups (a unit test without a host app, an unsigned macOS tool) gets errSecMissingEntitlement for every call (on macOS, lookups answer errSecItemNotFound).",
        "Give the test target a host app, or sign the tool with a keychain-access-groups entitlement.";
    BroadDelete "broad-delete" Warning "A delete that removes many items",
        "SecItemDelete removes every matching item in every access group the app can see. A query reduced to the class (or one whose attributes were lost) wipes all of them, including items shared with other apps in a group.",
        "Delete by primary key or by persistent reference, and check the query has the attributes you think it has.";
    BroadUpdate "broad-update" Warning "An update that changes many items",
        "SecItemUpdate changes every matching item. A query reduced to the class sets the new value on all of them.",
        "Update by primary key or by persistent reference.";
    SynchronizableInvisible "synchronizable-invisible" Info "Synchronizable items are invisible by default",
        "A query without kSecAttrSynchronizable matches only local items. An iCloud Keychain item with the same primary key is not found, and an add then creates a second, local item beside it.",
        "Pass kSecAttrSynchronizable = kSecAttrSynchronizableAny in queries that should see both.";
    AccessibleWithAccessControl "accessible-with-access-control" Error "kSecAttrAccessible together with kSecAttrAccessControl",
        "An access control object already carries a protection class. Passing kSecAttrAccessible as well makes two protection settings that the daemon refuses with errSecParam, even when they agree.",
        "Put the protection class inside SecAccessControlCreateWithFlags and leave kSecAttrAccessible out.";
    AccessControlWithSynchronizable "access-control-with-synchronizable" Error "Access control on a synchronizable item",
        "Items that sync through iCloud Keychain cannot carry an access control: any kSecAttrAccessControl with kSecAttrSynchronizable = true is errSecParam.",
        "Keep access-controlled items local (…ThisDeviceOnly), or sync the item without an access control.";
    InvalidAccessControl "invalid-access-control" Error "SecAccessControlCreateWithFlags would fail",
        "Some flag combinations are invalid: kSecAccessControlOr with kSecAccessControlAnd, BiometryAny with BiometryCurrentSet, UserPresence with another constraint, or an unknown protection class. The function returns NULL, and the call that receives it fails with errSecParam.",
        "Check the CFError from SecAccessControlCreateWithFlags and pick a valid combination.";
    ReturnRefOnPassword "return-ref-on-password" Info "kSecReturnRef on a password item",
        "Password items have no SecKey or SecCertificate object. On iOS kSecReturnRef gives no result for them (nil, or an empty array with kSecMatchLimitAll); macOS returns a SecKeychainItemRef.",
        "Ask for kSecReturnAttributes, kSecReturnData or kSecReturnPersistentRef instead.";
    SingleResultOfMany "single-result-of-many" Info "Only the first of several matches returned",
        "SecItemCopyMatching defaults to kSecMatchLimitOne: with several matching items it returns the first one only, as a single value, never an array.",
        "Pass kSecMatchLimitAll to get an array, and narrow the query if you meant one item.";
    ReturnDataLimitAllFile "return-data-limit-all-file" Error "kSecReturnData with kSecMatchLimitAll on the file-based keychain",
        "The macOS file-based keychain refuses to return the data of several password items at once (errSecParam). The data protection keychain returns an array of data.",
        "Ask for attributes or persistent references with kSecMatchLimitAll, then read each item's data with its own query.";
    AuthUiSkipOutsideCopy "auth-ui-skip-outside-copy" Error "kSecUseAuthenticationUISkip outside SecItemCopyMatching",
        "kSecUseAuthenticationUISkip is only meaningful when reading: SecItemAdd, SecItemUpdate and SecItemDelete reject it with errSecParam.",
        "Use kSecUseAuthenticationUIFail (or an LAContext with interactionNotAllowed) outside copy.";
    PersistentRefWithAttributes "persistent-ref-with-attributes" Error "Persistent reference mixed with attributes",
        "kSecValuePersistentRef already names exactly one item; adding attributes to the same query is errSecParam on the data protection keychain (its own kSecClass is allowed).",
        "Query with the persistent reference alone (plus return keys, and at most its own kSecClass).";
    CertificateAddedByData "certificate-added-by-data" Warning "Certificate added as kSecValueData",
        "A certificate added as raw DER in kSecValueData gets none of the attributes the system derives from a SecCertificate: issuer, serial number and certificate type stay empty, so the next certificate added the same way collides with errSecDuplicateItem, and no identity forms.",
        "Create a SecCertificate with SecCertificateCreateWithData and add it as kSecValueRef.";
    IdentityLabelConfusion "identity-label-confusion" Info "Identity labels are the certificate's",
        "Adding an identity by reference stores a certificate and a private key, and extra attributes such as kSecAttrLabel go to both. An identity query's kSecAttrLabel matches the certificate's label, so relabelling only the key breaks lookups.",
        "Change labels on both halves, or look identities up by persistent reference.";
    IdentityClassDelete "identity-class-delete" Warning "Deleting by kSecClassIdentity removes certificates and keys broadly",
        "SecItemDelete with kSecClass = kSecClassIdentity and no reference deletes every certificate that matches and then every key that matches the same dictionary, including keys that form no identity.",
        "Delete an identity by kSecValueRef or persistent reference.";
    ApplicationLabelOverride "application-label-override" Warning "kSecAttrApplicationLabel overridden on a key",
        "An identity forms when a certificate's kSecAttrPublicKeyHash equals a private key's kSecAttrApplicationLabel, which the system sets to the SHA-1 of the public key. Overriding the label breaks that pairing and the identity disappears.",
        "Use kSecAttrApplicationTag for your own identifier and leave kSecAttrApplicationLabel alone.";
    AccessControlPrompts "access-control-prompts" Info "Access-controlled items prompt even for existence checks",
        "Any read of an item whose access control has a user-presence or biometry constraint needs authentication, including reading only attributes or calling SecItemCopyMatching with no return keys. A check for existence shows Face ID or Touch ID.",
        "Keep a separate, unprotected marker item for existence checks, or pass kSecUseAuthenticationUISkip when probing.";
    BiometryCurrentSetInvalidated "biometry-current-set-invalidated" Error "Item bound to a changed biometric set",
        "kSecAccessControlBiometryCurrentSet ties an item to the fingers or face enrolled when it was added. When the enrolment changes the item's key material is destroyed: it can still be deleted, but never read again.",
        "Detect the failure, delete the item and re-enrol the secret, or use kSecAccessControlBiometryAny when re-enrolment should not lose it.";
    FileKeychainIgnoresAttributes "file-keychain-ignores-attributes" Warning "The file-based keychain ignores data-protection attributes",
        "On macOS without kSecUseDataProtectionKeychain, calls go to the file-based keychain, which strips kSecAttrAccessible, kSecAttrAccessGroup and kSecAttrSynchronizable = false: code ported from iOS loses its sharing and background rules without an error.",
        "Pass kSecUseDataProtectionKeychain = true on macOS (with a keychain-access-groups entitlement).";
    CheckThenAdd "check-then-add" Info "Check-then-add race",
        "Looking an item up and adding it when it is missing races with other threads and processes: between the two calls another add can win, and yours fails with errSecDuplicateItem.",
        "Add first and fall back to SecItemUpdate on errSecDuplicateItem (or update first and add on errSecItemNotFound).";
    StringVsData "string-vs-data" Info "The same attribute given as text and as data",
        "Attributes such as kSecAttrAccount are compared by their bytes, so the string \"bob\" and the data \"bob\" are the same account: they match and they collide. Results come back with the type first stored.",
        "Pick one type per attribute (CFString for account and service) and use it everywhere.";
    ValueDataInQuery "value-data-in-query" Info "kSecValueData in a query is ignored",
        "Searching on an item's secret is not supported: kSecValueData in SecItemCopyMatching, SecItemUpdate's query or SecItemDelete is ignored, so the query matches items whatever their data.",
        "Remove kSecValueData from queries; compare the data after reading it if you must.";
    ModificationDateInQuery "modification-date-in-query" Warning "A returned attribute dictionary reused as a query",
        "A dictionary from kSecReturnAttributes holds kSecAttrModificationDate and kSecAttrCreationDate. Reused as a query after the item changes, the old modification date no longer matches and the lookup fails (the macOS shim strips the date for this reason).",
        "Query by primary key or persistent reference, not by a returned dictionary.";
    WrongValueType "wrong-value-type" Error "A value of the wrong CF type",
        "Each key takes one CF type: kSecValueData takes CFData, kSecAttrAccessControl a SecAccessControl, return keys CFBoolean. A string where data belongs, or a number for a return key, fails with errSecParam.",
        "Convert the value (for example Data(string.utf8)) and pass booleans as true/false.";
    DeleteThenAdd "delete-then-add" Info "Delete and re-add instead of update",
        "Deleting an item and adding it again gives it a new identity: its persistent reference changes, and between the two calls the item does not exist at all. SecItemUpdate changes the item in place and keeps its persistent reference.",
        "Call SecItemUpdate with the item's primary key as the query; add only when it answers errSecItemNotFound.";
    PasscodeRequired "passcode-required" Error "WhenPasscodeSetThisDeviceOnly without a passcode",
        "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly items exist only while a device passcode is set: adding one without a passcode fails, and removing the passcode deletes them.",
        "Fall back to another protection class when no passcode is set, and expect these items to vanish.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_catalog_agree() {
        assert_eq!(Id::ALL.len(), CATALOG.len());
        for (id, def) in Id::ALL.iter().zip(CATALOG) {
            assert_eq!(id.def(), *def);
            assert_eq!(Id::from_id(def.id), Some(*id));
        }
        assert_eq!(Id::from_id("check-then-ad"), None);
        assert_eq!(found(Id::CheckThenAdd, "m").id, "check-then-add");
    }

    #[test]
    fn catalog_ids_are_unique_and_explained() {
        for (i, def) in CATALOG.iter().enumerate() {
            assert!(CATALOG[i + 1..].iter().all(|d| d.id != def.id), "duplicate {}", def.id);
            assert!(def.explanation.len() > 80 && def.fix.len() > 20, "{} needs text", def.id);
        }
    }
}
