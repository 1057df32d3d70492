//! The document kinds: one table gives each kind its `kind` string and, for the validator
//! kinds, the label of the page's button that starts a new document of that kind.

macro_rules! kinds {
    ($($variant:ident => $name:literal, $start:expr;)+) => {
        /// What a document is about; decides which engine runs it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)+
        }

        impl Kind {
            /// Every kind, in the table's order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)+];

            /// Every `kind` string, in the table's order.
            pub const NAMES: &'static [&'static str] = &[$($name,)+];

            /// The `kind` string.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)+
                }
            }

            /// The label of the button that starts a new document of this kind, for the
            /// kinds a form can start from scratch.
            pub fn start_label(self) -> Option<&'static str> {
                match self {
                    $(Kind::$variant => $start,)+
                }
            }
        }
    };
}

kinds! {
    Keychain => "keychain", None;
    Jwt => "jwt", Some("Verify a JWT");
    AppleClientSecretRequest => "apple-client-secret-request", Some("Sign a client secret");
    AppAttest => "app-attest", Some("App Attest attestation");
    AppAttestAssertion => "app-attest-assertion", Some("App Attest assertion");
    WebauthnOptions => "webauthn-options", Some("WebAuthn options");
    WebauthnRegistration => "webauthn-registration", Some("WebAuthn registration");
    WebauthnAuthentication => "webauthn-authentication", Some("WebAuthn authentication");
    AppleTokenRequest => "apple-token-request", None;
    SiwaExplain => "siwa-explain", None;
    DevicecheckRequest => "devicecheck-request", None;
    DevicecheckNetwork => "devicecheck-network", None;
    Att => "att", None;
    TccScreenCapture => "tcc-screen-capture", None;
    PlatformSso => "platform-sso", None;
    ErrorExplainer => "error-explainer", Some("Look up an error");
}

impl Kind {
    /// Parses a `kind` string.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// Whether a validator checks documents of this kind (its report is a verdict): the kinds
    /// the release page hands to its worker (`crate::wire`), where the validators and their
    /// crypto live.
    pub fn is_validator(self) -> bool {
        !matches!(self, Kind::Keychain | Kind::Att | Kind::TccScreenCapture | Kind::PlatformSso | Kind::ErrorExplainer)
    }

    /// The kinds a form can start, in the table's order.
    pub fn starts() -> impl Iterator<Item = (Kind, &'static str)> {
        Kind::ALL.iter().filter_map(|k| k.start_label().map(|label| (*k, label)))
    }
}

// A kind is its `kind` string (how the page's worker names it, `crate::wire`).
crate::serde_by_name!(Kind, name, from_name, "no document kind is called");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_only_validators_have_starts() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(Kind::NAMES.len(), Kind::ALL.len());
        assert_eq!(Kind::from_name("keychian"), None);
        assert_eq!(Kind::Keychain.start_label(), None);
        // The keychain has its workspace; the server-side explainers and requests have no form yet.
        let formless = [
            Kind::Keychain,
            Kind::AppleTokenRequest,
            Kind::SiwaExplain,
            Kind::DevicecheckRequest,
            Kind::DevicecheckNetwork,
            Kind::Att,
            Kind::TccScreenCapture,
            Kind::PlatformSso,
        ];
        assert!(formless.iter().all(|k| k.start_label().is_none()));
        assert_eq!(Kind::starts().count(), Kind::ALL.len() - formless.len());
        assert_eq!(Kind::starts().count(), 8, "the seven validator kinds and the error explainer have forms");
    }
}
