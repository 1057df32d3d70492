//! The document kinds.

/// What a document is about; decides which engine runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Keychain,
    Jwt,
    AppleClientSecretRequest,
    AppAttest,
    AppAttestAssertion,
    WebauthnOptions,
    WebauthnRegistration,
    WebauthnAuthentication,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Keychain,
        Kind::Jwt,
        Kind::AppleClientSecretRequest,
        Kind::AppAttest,
        Kind::AppAttestAssertion,
        Kind::WebauthnOptions,
        Kind::WebauthnRegistration,
        Kind::WebauthnAuthentication,
    ];

    pub const NAMES: &'static [&'static str] = &[
        "keychain",
        "jwt",
        "apple-client-secret-request",
        "app-attest",
        "app-attest-assertion",
        "webauthn-options",
        "webauthn-registration",
        "webauthn-authentication",
    ];

    /// The `kind` string.
    pub fn name(self) -> &'static str {
        let index = Kind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Kind::NAMES[index]
    }

    /// Parses a `kind` string.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::NAMES.iter().position(|n| *n == name).map(|i| Kind::ALL[i])
    }
}
