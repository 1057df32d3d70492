//! OSStatus values the simulated keychain returns: one table, name ↔ number ↔ meaning.

use serde::{Serialize, Serializer};

macro_rules! statuses {
    ($($variant:ident = $code:literal, $name:literal, $meaning:literal;)*) => {
        /// An OSStatus the engine can answer with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Status { $($variant,)* }

        impl Status {
            /// Every status, in table order.
            pub const ALL: &'static [Status] = &[$(Status::$variant,)*];

            /// The constant's name as it appears in `SecBase.h`, e.g. `errSecParam`.
            pub const fn name(self) -> &'static str { match self { $(Status::$variant => $name,)* } }

            /// The numeric OSStatus.
            pub const fn code(self) -> i32 { match self { $(Status::$variant => $code,)* } }

            /// One line saying what the status means.
            pub const fn meaning(self) -> &'static str { match self { $(Status::$variant => $meaning,)* } }
        }
    };
}

statuses! {
    Success = 0, "errSecSuccess", "No error.";
    Unimplemented = -4, "errSecUnimplemented", "Function or operation not implemented (for this class or keychain).";
    Param = -50, "errSecParam", "One or more parameters passed to the function were not valid.";
    UserCanceled = -128, "errSecUserCanceled", "The user cancelled the authentication prompt.";
    NotAvailable = -25291, "errSecNotAvailable", "No keychain is available (or the item's protection cannot be met on this device).";
    AuthFailed = -25293, "errSecAuthFailed", "Authentication failed, or the item's data can no longer be decrypted.";
    DuplicateItem = -25299, "errSecDuplicateItem", "An item with the same primary key (uniqueness attributes) already exists.";
    ItemNotFound = -25300, "errSecItemNotFound", "No item matched the query (among the access groups the app can see).";
    NoSuchAttr = -25303, "errSecNoSuchAttr", "An attribute in the dictionary does not exist for this item class.";
    InvalidItemRef = -25304, "errSecInvalidItemRef", "The item reference is invalid (for an identity: its certificate or key cannot be extracted).";
    NoSuchClass = -25306, "errSecNoSuchClass", "The kSecClass value is not a known item class.";
    InteractionNotAllowed = -25308, "errSecInteractionNotAllowed", "User interaction is not allowed: the item's key material is unavailable (device locked) or authentication would need UI.";
    Decode = -26275, "errSecDecode", "Unable to decode the provided data.";
    Internal = -26276, "errSecInternal", "An internal error occurred in the Security framework.";
    MissingEntitlement = -34018, "errSecMissingEntitlement", "The app lacks the entitlement for this access group (or has no keychain entitlements at all).";
    RestrictedApi = -34020, "errSecRestrictedAPI", "The API is restricted for this kind of app (App Clips).";
}

impl Status {
    /// Looks a status up by its constant name.
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// Looks a status up by its number.
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.code() == code)
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_are_unique_and_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_name(s.name()), Some(*s));
            assert_eq!(Status::from_code(s.code()), Some(*s));
        }
        assert_eq!(Status::from_name("errSecItemNotFound").map(Status::code), Some(-25300));
        assert_eq!(Status::from_code(-34018).map(Status::name), Some("errSecMissingEntitlement"));
    }
}
