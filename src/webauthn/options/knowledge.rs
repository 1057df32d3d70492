//! What the spec says for each options lint and what common authenticators do.
//!
//! Sources: auth-rules.md section 6.1 (`[SPEC]` = W3C WebAuthn editor's draft; `[LIB]` =
//! py_webauthn / SimpleWebAuthn). Entries marked `observed: true` describe behaviour seen
//! in practice that deviates from the spec; entries whose `confidence` is `"uncertain"` are
//! community reports Keyplay has not verified on a device.

use crate::webauthn::WebauthnCheck as Id;
use serde::Serialize;

pub use crate::severity::Severity;

/// One lint's static description.
#[derive(Debug, Clone, Serialize)]
pub struct Lint {
    pub id: Id,
    pub severity: Severity,
    /// The rule, in the spec's terms.
    pub spec: &'static str,
    /// Apple platform authenticator (iCloud Keychain / Apple Passwords passkeys).
    pub icloud_keychain: &'static str,
    /// A roaming security key (e.g. a YubiKey 5).
    pub security_key: &'static str,
    /// Platform authenticators of other systems (Windows Hello, Google Password Manager on Android).
    pub other_platforms: &'static str,
    /// True when the behaviour columns record a known deviation from the spec.
    pub observed: bool,
    /// "spec", "library", "observed" or "uncertain".
    pub confidence: &'static str,
}

#[allow(clippy::too_many_arguments)] // a table row constructor: one argument per column
const fn lint(
    id: Id,
    severity: Severity,
    spec: &'static str,
    icloud_keychain: &'static str,
    security_key: &'static str,
    other_platforms: &'static str,
    observed: bool,
    confidence: &'static str,
) -> Lint {
    Lint { id, severity, spec, icloud_keychain, security_key, other_platforms, observed, confidence }
}

use Severity::*;

/// Every lint, in the order they run.
pub const LINTS: &[Lint] = &[
    lint(Id::Origin, Error,
        "The caller must be a secure context: https, or http on localhost. The origin's host must be a valid domain; IP addresses give SecurityError, opaque origins NotAllowedError. [SPEC]",
        "Safari refuses the call before any authenticator is involved.", "Not reached: the browser refuses first.", "Not reached: the browser refuses first.", false, "spec"),
    lint(Id::RpId, Error,
        "rp.id / rpId must equal the origin's effective domain or be a registrable domain suffix of it (never a public suffix such as com or co.uk), otherwise SecurityError, unless Related Origin Requests allow it via https://<rpId>/.well-known/webauthn. Absent, it defaults to the origin's host. [SPEC]",
        "Safari enforces the same rule; native apps additionally need the webcredentials associated domain for the RP ID.", "Not reached: the browser refuses first.", "Chrome and Edge enforce the rule and support Related Origin Requests; Android apps need Digital Asset Links for the RP ID.", false, "spec"),
    lint(Id::RequiredMembers, Error,
        "rp (with name), user (with id, name and displayName), challenge and pubKeyCredParams are required in creation options; challenge in request options. parseCreationOptionsFromJSON / create() throw TypeError when one is missing. [SPEC IDL]",
        "Safari throws TypeError.", "Not reached.", "Chrome / Edge / Firefox throw TypeError.", false, "spec"),
    lint(Id::UnknownMember, Warning,
        "Unknown dictionary members are ignored by browsers, so a misspelt member silently falls back to its default. [SPEC IDL semantics]",
        "Ignored.", "Ignored.", "Ignored.", false, "spec"),
    lint(Id::Encoding, Error,
        "In the JSON form, challenge, user.id and credential ids are base64url strings; parseCreationOptionsFromJSON / parseRequestOptionsFromJSON throw EncodingError on anything else. Browsers differ on padded input. [SPEC; padding: uncertain]",
        "Safari rejects non-base64url text.", "Not reached.", "Chrome / Firefox reject non-base64url text.", false, "uncertain"),
    lint(Id::ChallengeLength, Warning,
        "Challenges should hold at least 16 random bytes, be single-use and live about as long as the ceremony timeout; libraries use 32 to 64 bytes. [SPEC challenge note; LIB]",
        "Any length is signed.", "Any length is signed.", "Any length is signed.", false, "spec"),
    lint(Id::UserIdLength, Error,
        "user.id must be 1 to 64 bytes, otherwise create() throws TypeError. [SPEC create step]",
        "Safari throws TypeError.", "Not reached.", "Chrome throws TypeError.", false, "spec"),
    lint(Id::UserIdPii, Warning,
        "user.id (the user handle) should be random and opaque, not an e-mail or user name: it is stored on the authenticator and returned without user verification. [SPEC user handle; LIB py_webauthn defaults to 64 random bytes]",
        "Stored in the synced passkey; visible to anyone holding the device's keychain export.", "Stored on the key when the credential is discoverable.", "Stored in the passkey.", false, "spec"),
    lint(Id::AlgorithmsEmpty, Info,
        "An empty pubKeyCredParams means the client uses ES256 (-7) and RS256 (-257). [SPEC]",
        "Creates ES256.", "Creates ES256 (nearly all keys).", "Windows Hello may create RS256 or ES256; Android creates ES256.", false, "spec"),
    lint(Id::AlgorithmsType, Error,
        "Entries whose type is not \"public-key\" (or that lack an integer alg) are skipped; when none remain, create() throws NotSupportedError. [SPEC create step]",
        "NotSupportedError when nothing remains.", "Not reached.", "NotSupportedError when nothing remains.", false, "spec"),
    lint(Id::AlgorithmsUnknown, Warning,
        "Algorithm identifiers outside the COSE registry are ignored by authenticators; if no listed algorithm is supported the authenticator returns NotSupportedError. [SPEC authenticatorMakeCredential step 2]",
        "Ignores them.", "Ignores them.", "Ignore them.", false, "spec"),
    lint(Id::AlgorithmsEs256, Warning,
        "When the list holds no algorithm the authenticator supports, the spec requires NotSupportedError. ES256 (-7) is the one algorithm every passkey provider and nearly every security key supports. [SPEC]",
        "Supports ES256 only. Observed: Safari with iCloud Keychain / Passwords still creates an ES256 credential when pubKeyCredParams holds no ES256, where the spec requires NotSupportedError; servers then receive an algorithm they did not ask for.",
        "Fails with NotSupportedError unless it supports a listed algorithm (many also support EdDSA).",
        "Google Password Manager is reported to support ES256 only (uncertain); Windows Hello supports RS256 and ES256.", true, "observed"),
    lint(Id::AlgorithmsRecommended, Info,
        "The spec recommends listing at least EdDSA (-8), ES256 (-7) and RS256 (-257); the fully-specified -9, -19, -51, -52 are NOT RECOMMENDED in pubKeyCredParams (use -7, -8, -35, -36 instead or in addition). [SPEC pubKeyCredParams]",
        "Uses ES256 whatever else is listed.", "Picks the first listed algorithm it supports (ES256 or EdDSA).", "Windows Hello on older TPMs needs RS256.", false, "spec"),
    lint(Id::ResidentKey, Warning,
        "authenticatorSelection.residentKey is discouraged, preferred or required (unknown values are ignored); when absent the effective value is required if requireResidentKey is true, else discouraged. Set requireResidentKey to true if, and only if, residentKey is required (for Level 1 clients). residentKey required with no capable authenticator gives ConstraintError. [SPEC; LIB]",
        "Always creates a discoverable, synced credential, whatever is asked.", "Creates a discoverable credential only when asked, and has limited slots for them (a full key refuses).", "Google Password Manager and Windows Hello create discoverable credentials; older Android versions could create non-discoverable ones for preferred (uncertain).", false, "spec"),
    lint(Id::UserVerification, Warning,
        "userVerification is required, preferred (the default) or discouraged; unknown values are ignored (the default applies). With required, the RP must check the UV flag; a client with no UV-capable authenticator gives ConstraintError. [SPEC]",
        "Observed: performs Face ID / Touch ID / passcode even with discouraged, so UV is normally set.", "Asks for the PIN only when required (or preferred with a PIN set); UV stays clear otherwise.", "Windows Hello and Android always verify the user.", true, "uncertain"),
    lint(Id::AuthenticatorAttachment, Warning,
        "authenticatorAttachment is platform or cross-platform; unknown values are ignored. [SPEC]",
        "platform selects iCloud Keychain; cross-platform offers security keys and phones (hybrid).", "Offered for cross-platform.", "platform selects Windows Hello / the Android provider.", false, "spec"),
    lint(Id::Attestation, Warning,
        "attestation is none (default), indirect, direct or enterprise; unknown values are treated as none. With none the client replaces any non-self attestation by fmt none. enterprise needs an RP allow-listed by the platform or browser policy. [SPEC]",
        "Passkeys return fmt none (all-zero or iCloud AAGUID) whatever is asked; the apple format is seen in captures from Safari's platform authenticator before passkeys synced (iOS 14/15).", "Returns packed (or fido-u2f) with its batch certificate for direct.", "Windows Hello returns tpm; Android passkeys return none; android-key appears in some device-bound captures (uncertain).", true, "observed"),
    lint(Id::Timeout, Info,
        "timeout is a hint in milliseconds; the recommended range is 300000 to 600000 with a default of 300000. Clients clamp it. [SPEC timeout recommendation]",
        "Clamped by Safari.", "Subject to the browser's clamp.", "Clamped by the browser.", false, "spec"),
    lint(Id::ExcludeCredentials, Warning,
        "excludeCredentials entries are {type: \"public-key\", id: base64url, transports?}; ids are 1 to 1023 bytes; transports are usb, nfc, ble, smart-card, hybrid or internal (unknown ones are ignored). A match after user consent gives InvalidStateError. [SPEC]",
        "Matches synced passkeys across the user's Apple devices.", "Only credentials on the inserted key match.", "Matches credentials in the platform's provider.", false, "spec"),
    lint(Id::AllowCredentials, Warning,
        "allowCredentials entries are {type: \"public-key\", id: base64url, transports?}; ids are 1 to 1023 bytes; transports as above. An empty list asks for a discoverable credential. [SPEC]",
        "Offers matching passkeys; transports internal/hybrid steer the UI.", "Tries each listed id on the key.", "Offers matching passkeys.", false, "spec"),
];

/// The description of lint `id`.
pub fn find(id: Id) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.id == id)
}
