//! DCError explainer: what each DeviceCheck / App Attest error code means for each method,
//! whether to retry, how to back off, and whether to throw the key away. Static data from
//! the project's research notes (auth-rules.md §5), each cell marked `documented` (Apple's
//! docs, headers, DTS or WWDC) or `community` (library practice and forum reports).

use serde::Serialize;

/// The NSError domain of every DCError.
pub const DOMAIN: &str = "com.apple.devicecheck.error";

/// One DCError code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Code {
    pub raw: i64,
    pub swift: &'static str,
    pub objc: &'static str,
    pub meaning: &'static str,
}

/// The five codes (`NS_ERROR_ENUM` values 0–4).
pub const CODES: [Code; 5] = [
    Code {
        raw: 0,
        swift: "unknownSystemFailure",
        objc: "DCErrorUnknownSystemFailure",
        meaning: "an unclassified failure, for example a token that could not be generated",
    },
    Code {
        raw: 1,
        swift: "featureUnsupported",
        objc: "DCErrorFeatureUnsupported",
        meaning: "DeviceCheck or App Attest is not available on this device",
    },
    Code {
        raw: 2,
        swift: "invalidInput",
        objc: "DCErrorInvalidInput",
        meaning: "the app passed data in the wrong format",
    },
    Code {
        raw: 3,
        swift: "invalidKey",
        objc: "DCErrorInvalidKey",
        meaning: "the App Attest key cannot be used: already attested, never attested, or rejected by Apple's service",
    },
    Code {
        raw: 4,
        swift: "serverUnavailable",
        objc: "DCErrorServerUnavailable",
        meaning: "the App Attest service could not be reached while attesting",
    },
];

/// How well a cell is backed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Apple says so (documentation, SDK header, DTS engineer, WWDC session).
    Documented,
    /// Apple documents the meaning; the handling is community practice.
    DocumentedMeaningCommunityHandling,
    /// Only community experience (issues, forums, library behaviour).
    Community,
    /// The method cannot produce this error (no input, key or network involved).
    NotExpected,
}

/// Whether to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Retry {
    No,
    Once,
    YesWithBackoff,
    NotApplicable,
}

/// Whether to discard the key and start over with generateKey + attestKey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiscardKey {
    No,
    Yes,
    IfItPersists,
    NotApplicable,
}

/// One method × error cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Cell {
    pub method: &'static str,
    pub error: &'static str,
    pub cause: &'static str,
    pub retry: Retry,
    pub backoff: &'static str,
    pub discard_key: DiscardKey,
    pub remedy: &'static str,
    pub evidence: Evidence,
}

#[allow(clippy::too_many_arguments)] // one argument per column of the matrix
const fn cell(
    method: &'static str,
    error: &'static str,
    cause: &'static str,
    retry: Retry,
    backoff: &'static str,
    discard_key: DiscardKey,
    remedy: &'static str,
    evidence: Evidence,
) -> Cell {
    Cell { method, error, cause, retry, backoff, discard_key, remedy, evidence }
}

use DiscardKey as K;
use Evidence as E;
use Retry as R;

const NONE: &str = "none";
const EXPONENTIAL: &str = "exponential, in the background; no tight loops";

/// The method × error matrix: 4 methods × 5 errors.
pub const MATRIX: [Cell; 20] = [
    cell("generateKey", "unknownSystemFailure", "a passing system failure", R::YesWithBackoff, EXPONENTIAL, K::NotApplicable, "try again later; never loop", E::Community),
    cell("generateKey", "featureUnsupported", "unsupported device, the simulator, a Mac before macOS 27, most app extensions", R::No, NONE, K::NotApplicable, "check DCAppAttestService.isSupported first and let the server decide on degraded access", E::DocumentedMeaningCommunityHandling),
    cell("generateKey", "invalidInput", "generateKey takes no input", R::NotApplicable, NONE, K::NotApplicable, "not expected", E::NotExpected),
    cell("generateKey", "invalidKey", "the key could not be generated", R::Once, "one immediate retry", K::NotApplicable, "retry once, then treat the device as unsupported", E::Documented),
    cell("generateKey", "serverUnavailable", "generateKey does not contact Apple", R::NotApplicable, NONE, K::NotApplicable, "not expected", E::NotExpected),
    cell("attestKey", "unknownSystemFailure", "a passing system failure", R::YesWithBackoff, EXPONENTIAL, K::No, "retry later with the same key id and clientDataHash; do not reset the key during attestation", E::Community),
    cell("attestKey", "featureUnsupported", "as for generateKey", R::No, NONE, K::No, "as for generateKey", E::Community),
    cell("attestKey", "invalidInput", "a key id that is not the exact string generateKey returned, or an empty or malformed clientDataHash", R::No, NONE, K::IfItPersists, "pass the key id verbatim and a 32-byte SHA-256; if the inputs are right, handle it like invalidKey", E::DocumentedMeaningCommunityHandling),
    cell("attestKey", "invalidKey", "the key was already attested, Apple rejected it, or it comes from before a reinstall, device migration or backup restore (keys survive none of these)", R::No, NONE, K::Yes, "discard the key id, generate a new key, fetch a new challenge, attest once; allow at most one automatic reset since every new key raises the fraud metric", E::DocumentedMeaningCommunityHandling),
    cell("attestKey", "serverUnavailable", "Apple's attestation service could not be reached or could not finish", R::YesWithBackoff, EXPONENTIAL, K::No, "retry later with the same key id and the same clientDataHash, which keeps the device's risk metric honest", E::Documented),
    cell("generateAssertion", "unknownSystemFailure", "a cached key that no longer works; some users stay stuck until they reinstall", R::Once, "one retry", K::IfItPersists, "if it persists with a cached key, reset the key and attest again (assertion phase only)", E::Community),
    cell("generateAssertion", "featureUnsupported", "as for generateKey", R::No, NONE, K::No, "as for generateKey", E::Community),
    cell("generateAssertion", "invalidInput", "reported for a steady few percent of users although the key id (44 characters) and the 32-byte hash look valid", R::No, NONE, K::IfItPersists, "validate the inputs; then reset the key and attest again, as Firebase and Google's App Check do", E::Community),
    cell("generateAssertion", "invalidKey", "the key was never attested (attestation failed or was never sent), was invalidated, or was restored from a backup or migration; an Apple bug since iOS 17.0 makes some long-lived devices fail constantly", R::No, NONE, K::Yes, "generate a new key and attest it; the server must accept a new key for an existing user", E::DocumentedMeaningCommunityHandling),
    cell("generateAssertion", "serverUnavailable", "unexpected: assertions are made on the device without Apple's service, yet forum users report it", R::YesWithBackoff, EXPONENTIAL, K::No, "retry; if it persists handle it like unknownSystemFailure", E::Community),
    cell("DCDevice.generateToken", "unknownSystemFailure", "the token could not be generated (system daemon, network or clock trouble)", R::YesWithBackoff, EXPONENTIAL, K::NotApplicable, "retry later; tokens are single-use, make a fresh one per server operation", E::Documented),
    cell("DCDevice.generateToken", "featureUnsupported", "DCDevice.current.isSupported is false (the simulator, an unsupported device)", R::No, NONE, K::NotApplicable, "gate on isSupported", E::DocumentedMeaningCommunityHandling),
    cell("DCDevice.generateToken", "invalidInput", "an App Attest-only code", R::NotApplicable, NONE, K::NotApplicable, "not expected", E::NotExpected),
    cell("DCDevice.generateToken", "invalidKey", "an App Attest-only code", R::NotApplicable, NONE, K::NotApplicable, "not expected", E::NotExpected),
    cell("DCDevice.generateToken", "serverUnavailable", "an App Attest-only code", R::NotApplicable, NONE, K::NotApplicable, "not expected", E::NotExpected),
];

/// A note on availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Note {
    pub topic: &'static str,
    pub text: &'static str,
    pub evidence: Evidence,
}

/// The simulator and `isSupported` story, and what error 0 is.
pub const NOTES: [Note; 6] = [
    Note { topic: "isSupported", text: "DCAppAttestService.isSupported is false on devices without the Secure Enclave support App Attest needs and, before macOS 27, on every Mac (Catalyst and iOS apps on Apple silicon included). In app extensions it may say true while generateKey fails; from iOS/macOS 27 Action and SSO extensions are supported.", evidence: Evidence::Documented },
    Note { topic: "simulator", text: "The simulator reports isSupported = false for App Attest, and its calls fail: there is no Secure Enclave and no attestation service behind it. DCDevice.current.isSupported is false as well and generateToken fails with code 1 (featureUnsupported).", evidence: Evidence::Community },
    Note { topic: "com.apple.devicecheck.error 0", text: "Code 0 in the DeviceCheck domain is DCErrorUnknownSystemFailure: a failure Apple does not classify. With DCDevice.generateToken it usually means the daemon, the network or the clock was unhappy; with generateAssertion it has been seen for cached keys that stopped working.", evidence: Evidence::DocumentedMeaningCommunityHandling },
    Note { topic: "fraud signal", text: "A burst of 'unsupported' from a user on hardware that supports App Attest is itself a risk signal.", evidence: Evidence::Documented },
    Note { topic: "pacing", text: "Attest once per installation (or per user on the device), keep attestKey traffic app-wide in the double digits per second, onboard existing users gradually, and degrade rather than lock users out when App Attest fails.", evidence: Evidence::Documented },
    Note { topic: "wrapped errors", text: "Firebase App Check wraps these errors (com.firebase.appCheck error 0 with an NSUnderlyingError); read the underlying domain and code.", evidence: Evidence::Community },
];

/// The whole explainer, for the report or the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Explainer {
    pub domain: &'static str,
    pub codes: &'static [Code],
    pub matrix: &'static [Cell],
    pub notes: &'static [Note],
}

/// The explainer's data.
pub fn explainer() -> Explainer {
    Explainer { domain: DOMAIN, codes: &CODES, matrix: &MATRIX, notes: &NOTES }
}

/// The code a pasted error names: `Error Domain=com.apple.devicecheck.error Code=3 "(null)"`,
/// `com.apple.devicecheck.error 0`, a Swift name (`invalidKey`) or an ObjC name.
pub fn lookup(text: &str) -> Option<&'static Code> {
    if let Some(code) = CODES.iter().find(|c| text.contains(c.objc) || text.contains(c.swift)) {
        return Some(code);
    }
    let after_domain = text.split(DOMAIN).nth(1)?;
    let digits: String = after_domain
        .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '-')
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let raw: i64 = digits.parse().ok()?;
    CODES.iter().find(|c| c.raw == raw)
}

/// The matrix cells for one error code.
pub fn cells_for(code: &Code) -> impl Iterator<Item = &'static Cell> + '_ {
    MATRIX.iter().filter(move |cell| cell.error == code.swift)
}
