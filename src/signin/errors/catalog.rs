//! The error catalog: AuthenticationServices (`ASAuthorizationError`,
//! `ASWebAuthenticationSessionError`, `ASExtensionError`) and the LaunchServices / OSStatus
//! codes that show up beside them in sign-in logs. Each cause carries its evidence.
//!
//! Codes and names: Apple's enum pages ([`AS_CODES`], [`WEB_CODES`], [`EXT_CODES`]), with the
//! raw values as the SDK defines them (cross-checked against the .NET bindings of the SDK
//! headers). OSStatus values: `MacErrors.h` and `LSInfo.h` ([`MAC_ERRORS`], [`LS_INFO`]).

use super::{Cause, Entry};
use crate::stepper::{Evidence, Source};

pub const AS_DOMAIN: &str = "com.apple.AuthenticationServices.AuthorizationError";
pub const WEB_DOMAIN: &str = "com.apple.AuthenticationServices.WebAuthenticationSession";
pub const EXT_DOMAIN: &str = "ASExtensionErrorDomain";
pub const OSSTATUS_DOMAIN: &str = "NSOSStatusErrorDomain";

pub const AS_CODES: Source = Source {
    title: "ASAuthorizationError.Code",
    url: "https://developer.apple.com/documentation/authenticationservices/asauthorizationerror-swift.struct/code",
    evidence: Evidence::Documented,
};
pub const SDK_VALUES: Source = Source {
    title: "ASAuthorizationError raw values 1000–1010 (SDK headers, as bound by .NET for iOS)",
    url: "https://learn.microsoft.com/en-us/dotnet/api/authenticationservices.asauthorizationerror",
    evidence: Evidence::Documented,
};
pub const PASSKEY_ERRORS: Source = Source {
    title: "Forums 756425: for passkey requests expect only canceled, failed and matchedExcludedCredential; failed = invalid request or Associated Domains",
    url: "https://developer.apple.com/forums/thread/756425",
    evidence: Evidence::AppleAnswer,
};
pub const CORBADO: Source = Source {
    title: "Corbado: Apple passkey error codes (observed on iOS/macOS 26.2)",
    url: "https://www.corbado.com/blog/apple-passkey-error-codes",
    evidence: Evidence::Reported,
};
pub const SIWA_CAPABILITY: Source = Source {
    title: "Myrick Chow, Sign In With Apple in 7 Steps (ITNEXT): error 1000 when the capability is missing",
    url: "https://signin-link.com/goto-link/2691163",
    evidence: Evidence::Reported,
};
pub const TN2415: Source = Source {
    title: "TN2415 Entitlements Troubleshooting (check the built app's entitlements with codesign)",
    url: "https://developer.apple.com/library/archive/technotes/tn2415/_index.html",
    evidence: Evidence::Documented,
};
pub const MSAL_THREAD: Source = Source {
    title: "Forums: Authentication using MSAL library in offline mode (-54 then AuthorizationError 1003)",
    url: "https://developer.apple.com/forums/topics/privacy-and-security",
    evidence: Evidence::Reported,
};
pub const SSO_PROVIDER: Source = Source {
    title: "ASAuthorizationSingleSignOnProvider (requests handled by an MDM-configured SSO extension)",
    url: "https://developer.apple.com/documentation/authenticationservices/asauthorizationsinglesignonprovider",
    evidence: Evidence::Documented,
};
pub const WEB_CODES: Source = Source {
    title: "ASWebAuthenticationSessionError.Code",
    url: "https://developer.apple.com/documentation/authenticationservices/aswebauthenticationsessionerror/code",
    evidence: Evidence::Documented,
};
pub const WEB_CONTEXT: Source = Source {
    title: "ASWebAuthenticationSession.presentationContextProvider (required before start on iOS 13+ and macOS)",
    url: "https://developer.apple.com/documentation/authenticationservices/aswebauthenticationsession/presentationcontextprovider",
    evidence: Evidence::Documented,
};
pub const EXT_CODES: Source = Source {
    title: "ASExtensionError.Code",
    url: "https://developer.apple.com/documentation/authenticationservices/asextensionerror/code",
    evidence: Evidence::Documented,
};
pub const MAC_ERRORS: Source = Source {
    title: "MacErrors.h (CarbonCore): permErr = -54, permissions error on file open",
    url: "sdk:CoreServices.framework/Frameworks/CarbonCore.framework/Headers/MacErrors.h",
    evidence: Evidence::Documented,
};
pub const LS_INFO: Source = Source {
    title: "LSInfo.h: kLSApplicationNotFoundErr = -10814",
    url: "sdk:CoreServices.framework/Frameworks/LaunchServices.framework/Headers/LSInfo.h",
    evidence: Evidence::Documented,
};
pub const LOG_NOISE: Source = Source {
    title: "DTS (Quinn): \"On Log Noise\" — system log lines that look alarming but are not the cause",
    url: "https://developer.apple.com/forums/search?q=%22On%20Log%20Noise%22",
    evidence: Evidence::AppleAnswer,
};
pub const INFERRED: Source = Source {
    title: "Keyplay's reading of the log sequence (not documented)",
    url: "https://developer.apple.com/forums/topics/privacy-and-security",
    evidence: Evidence::Inferred,
};

const fn doc(text: &'static str) -> Cause {
    Cause { text, evidence: Evidence::Documented }
}

const fn reported(text: &'static str) -> Cause {
    Cause { text, evidence: Evidence::Reported }
}

const fn apple(text: &'static str) -> Cause {
    Cause { text, evidence: Evidence::AppleAnswer }
}

const fn inferred(text: &'static str) -> Cause {
    Cause { text, evidence: Evidence::Inferred }
}

pub const CATALOG: &[Entry] = &[
    Entry {
        id: "ASAuthorizationError.unknown",
        domain: AS_DOMAIN,
        code: 1000,
        name: "unknown",
        aliases: &["ASAuthorizationErrorUnknown"],
        meaning: "The authorization attempt failed for an unknown reason.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            reported("Sign in with Apple: the app is not signed with the com.apple.developer.applesignin entitlement (capability not added, or a provisioning profile without it)."),
            reported("Sign in with Apple on a simulator or device with no Apple Account signed in, or with two-factor authentication off."),
            reported("Password request (ASAuthorizationPasswordProvider) combined with other requests when the system cannot offer any credential."),
        ],
        what_to_do: &[
            "Dump the built app's entitlements (codesign -d --entitlements - YourApp.app) and look for com.apple.developer.applesignin = [Default].",
            "Test on a device signed in to an Apple Account with two-factor authentication.",
            "Log the error's userInfo (NSUnderlyingError): the underlying AKAuthenticationError usually names the cause.",
        ],
        sources: &[AS_CODES, SIWA_CAPABILITY, TN2415],
    },
    Entry {
        id: "ASAuthorizationError.canceled",
        domain: AS_DOMAIN,
        code: 1001,
        name: "canceled",
        aliases: &["ASAuthorizationErrorCanceled", "cancelled"],
        meaning: "The user canceled the authorization attempt.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            doc("The user dismissed the sheet."),
            apple("For passkey requests: also when the request cannot continue (no matching credential and the user closes the sheet); with canceled, failed and matchedExcludedCredential the only codes to expect."),
        ],
        what_to_do: &["Treat as a quiet cancel: no error alert; leave the user where they were."],
        sources: &[AS_CODES, PASSKEY_ERRORS],
    },
    Entry {
        id: "ASAuthorizationError.invalidResponse",
        domain: AS_DOMAIN,
        code: 1002,
        name: "invalidResponse",
        aliases: &["ASAuthorizationErrorInvalidResponse"],
        meaning: "The authorization request received an invalid response.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            doc("The provider (Apple ID servers, or an SSO extension) answered with something the framework could not use."),
            apple("Not a passkey error: passkey requests do not return it."),
        ],
        what_to_do: &["Retry later; for an SSO extension you own, check what it passes to complete(httpResponse:data:) or complete(authorizationCredential:)."],
        sources: &[AS_CODES, PASSKEY_ERRORS],
    },
    Entry {
        id: "ASAuthorizationError.notHandled",
        domain: AS_DOMAIN,
        code: 1003,
        name: "notHandled",
        aliases: &["ASAuthorizationErrorNotHandled", "not handled"],
        meaning: "The authorization request wasn't handled.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            doc("No provider took the request. For ASAuthorizationSingleSignOnProvider requests (MSAL with Microsoft Enterprise SSO, other IdP brokers) that means no SSO extension handled it: none is configured by MDM for that URL, it could not be launched, or it declined."),
            reported("In the MSAL thread it follows \"Failed to get application extension record: -54\" on managed devices, mostly on network changes or in the background: the system could not reach the SSO extension (Microsoft Authenticator / Company Portal) at that moment."),
            inferred("The extension itself may also complete with an error meaning \"not for me\" (e.g. offline), which surfaces as notHandled; MSAL then falls back to its own flow."),
        ],
        what_to_do: &[
            "Treat 1003 from an SSO provider as \"no SSO this time\": fall back to the non-brokered flow or to cached tokens (MSAL acquireTokenSilent), not as a fatal error.",
            "Do not start interactive SSO while the app is in the background or offline; retry when the app is active and the network is back.",
            "Check the device's Extensible SSO profile (com.apple.extensiblesso) lists the IdP URLs and the extension's bundle id, and that the broker app is installed.",
        ],
        sources: &[AS_CODES, SSO_PROVIDER, MSAL_THREAD, INFERRED],
    },
    Entry {
        id: "ASAuthorizationError.failed",
        domain: AS_DOMAIN,
        code: 1004,
        name: "failed",
        aliases: &["ASAuthorizationErrorFailed"],
        meaning: "The authorization attempt failed.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            apple("Part of the request was invalid (bad parameters) or Associated Domains is wrong (webcredentials: entry, apple-app-site-association not reachable); the localized description names the reason."),
            reported("Several specific system failures are folded into 1004; the detail is in localizedDescription / NSLocalizedFailureReasonErrorKey."),
        ],
        what_to_do: &[
            "Log localizedDescription and the failure reason, not just the code.",
            "Check the webcredentials:<domain> entitlement and the site's apple-app-site-association file (served over HTTPS without redirects).",
        ],
        sources: &[AS_CODES, PASSKEY_ERRORS, CORBADO],
    },
    Entry {
        id: "ASAuthorizationError.notInteractive",
        domain: AS_DOMAIN,
        code: 1005,
        name: "notInteractive",
        aliases: &["ASAuthorizationErrorNotInteractive"],
        meaning: "The authorization request isn't interactive.",
        since: "iOS 15, macOS 12",
        causes: &[
            reported("A request that must not show UI (performRequests(options: .preferImmediatelyAvailableCredentials)) found nothing it could complete without UI, typically no credential on this device."),
        ],
        what_to_do: &["Fall back to a normal interactive request, or show your own sign-in screen."],
        sources: &[AS_CODES, CORBADO],
    },
    Entry {
        id: "ASAuthorizationError.matchedExcludedCredential",
        domain: AS_DOMAIN,
        code: 1006,
        name: "matchedExcludedCredential",
        aliases: &["ASAuthorizationErrorMatchedExcludedCredential"],
        meaning: "A passkey registration matched one of the request's excludedCredentials.",
        since: "iOS 18, macOS 15",
        causes: &[doc("Only when excludedCredentials is set on a passkey registration: the user already has one of those passkeys.")],
        what_to_do: &["Tell the user they already have a passkey for this account; do not retry the registration."],
        sources: &[AS_CODES, PASSKEY_ERRORS],
    },
    Entry {
        id: "ASAuthorizationError.credentialImport",
        domain: AS_DOMAIN,
        code: 1007,
        name: "credentialImport",
        aliases: &["ASAuthorizationErrorCredentialImport"],
        meaning: "The credential import request failed.",
        since: "iOS 26, macOS 26",
        causes: &[doc("A credential exchange import failed.")],
        what_to_do: &["Log the underlying error; let the user retry the import."],
        sources: &[AS_CODES, SDK_VALUES],
    },
    Entry {
        id: "ASAuthorizationError.credentialExport",
        domain: AS_DOMAIN,
        code: 1008,
        name: "credentialExport",
        aliases: &["ASAuthorizationErrorCredentialExport"],
        meaning: "The credential export request failed.",
        since: "iOS 26, macOS 26",
        causes: &[doc("A credential exchange export failed.")],
        what_to_do: &["Log the underlying error; let the user retry the export."],
        sources: &[AS_CODES, SDK_VALUES],
    },
    Entry {
        id: "ASAuthorizationError.preferSignInWithApple",
        domain: AS_DOMAIN,
        code: 1009,
        name: "preferSignInWithApple",
        aliases: &["ASAuthorizationErrorPreferSignInWithApple"],
        meaning: "In the SDK enum; Apple's page gives no description.",
        since: "iOS 26 SDK",
        causes: &[inferred("By its name: the user chose Sign in with Apple instead of the requested credential; no verified cause.")],
        what_to_do: &["Offer Sign in with Apple for this account."],
        sources: &[SDK_VALUES],
    },
    Entry {
        id: "ASAuthorizationError.deviceNotConfiguredForPasskeyCreation",
        domain: AS_DOMAIN,
        code: 1010,
        name: "deviceNotConfiguredForPasskeyCreation",
        aliases: &["ASAuthorizationErrorDeviceNotConfiguredForPasskeyCreation"],
        meaning: "The device cannot create a passkey as configured.",
        since: "iOS 26 SDK",
        causes: &[reported("No passcode, or iCloud Keychain (Passwords) is off, so there is nowhere to store a passkey.")],
        what_to_do: &["Ask the user to set a passcode and turn on Passwords in iCloud, or offer another sign-in method."],
        sources: &[SDK_VALUES, CORBADO],
    },
    Entry {
        id: "ASWebAuthenticationSessionError.canceledLogin",
        domain: WEB_DOMAIN,
        code: 1,
        name: "canceledLogin",
        aliases: &["ASWebAuthenticationSessionErrorCodeCanceledLogin", "WebAuthenticationSession error 1"],
        meaning: "The login has been canceled.",
        since: "iOS 12, macOS 10.15",
        causes: &[
            doc("The user tapped Cancel, either on the \"wants to use … to Sign In\" alert or in the browser sheet."),
            reported("The session object was released before it finished, or a second session started; also seen when an SSO extension starts a session it cannot present."),
        ],
        what_to_do: &["Keep a strong reference to the session until its completion handler runs; treat as a quiet cancel."],
        sources: &[WEB_CODES],
    },
    Entry {
        id: "ASWebAuthenticationSessionError.presentationContextNotProvided",
        domain: WEB_DOMAIN,
        code: 2,
        name: "presentationContextNotProvided",
        aliases: &["ASWebAuthenticationSessionErrorCodePresentationContextNotProvided"],
        meaning: "A context wasn't provided.",
        since: "iOS 13, macOS 10.15",
        causes: &[doc("start() was called before presentationContextProvider was set.")],
        what_to_do: &["Set presentationContextProvider (returning your window) before calling start()."],
        sources: &[WEB_CODES, WEB_CONTEXT],
    },
    Entry {
        id: "ASWebAuthenticationSessionError.presentationContextInvalid",
        domain: WEB_DOMAIN,
        code: 3,
        name: "presentationContextInvalid",
        aliases: &["ASWebAuthenticationSessionErrorCodePresentationContextInvalid"],
        meaning: "The context was invalid.",
        since: "iOS 13, macOS 10.15",
        causes: &[
            doc("The presentation anchor the provider returned cannot present the session."),
            reported("The window is not visible yet, belongs to another scene, or the app is in the background."),
        ],
        what_to_do: &["Return the key window of the scene that starts the session, once it is on screen."],
        sources: &[WEB_CODES, WEB_CONTEXT],
    },
    Entry {
        id: "ASExtensionError.failed",
        domain: EXT_DOMAIN,
        code: 0,
        name: "failed",
        aliases: &["ASExtensionErrorCodeFailed"],
        meaning: "The operation failed.",
        since: "iOS 12, macOS 11",
        causes: &[doc("A credential provider extension cancelled the request with a generic failure.")],
        what_to_do: &["In your extension, cancel with a specific code when one applies."],
        sources: &[EXT_CODES],
    },
    Entry {
        id: "ASExtensionError.userCanceled",
        domain: EXT_DOMAIN,
        code: 1,
        name: "userCanceled",
        aliases: &["ASExtensionErrorCodeUserCanceled"],
        meaning: "The user canceled the operation.",
        since: "iOS 12, macOS 11",
        causes: &[doc("The user left the extension's UI.")],
        what_to_do: &["Nothing to fix."],
        sources: &[EXT_CODES],
    },
    Entry {
        id: "ASExtensionError.userInteractionRequired",
        domain: EXT_DOMAIN,
        code: 100,
        name: "userInteractionRequired",
        aliases: &["ASExtensionErrorCodeUserInteractionRequired"],
        meaning: "User interaction is required.",
        since: "iOS 12, macOS 11",
        causes: &[doc("provideCredentialWithoutUserInteraction could not finish silently; the system then calls prepareInterfaceToProvideCredential with the same request.")],
        what_to_do: &["Expected: implement prepareInterfaceToProvideCredential (see the credential provider stepper)."],
        sources: &[EXT_CODES],
    },
    Entry {
        id: "ASExtensionError.credentialIdentityNotFound",
        domain: EXT_DOMAIN,
        code: 101,
        name: "credentialIdentityNotFound",
        aliases: &["ASExtensionErrorCodeCredentialIdentityNotFound"],
        meaning: "The credential identity was not found.",
        since: "iOS 12, macOS 11",
        causes: &[doc("The identity the system offered is no longer in the extension's store.")],
        what_to_do: &["Remove stale identities from ASCredentialIdentityStore when credentials are deleted."],
        sources: &[EXT_CODES],
    },
    Entry {
        id: "OSStatus.permErr",
        domain: OSSTATUS_DOMAIN,
        code: -54,
        name: "permErr",
        aliases: &["process may not map database", "-54"],
        meaning: "Permissions error (on file open).",
        since: "all",
        causes: &[
            doc("The generic permission OSStatus; LaunchServices uses it when a process may not read its database."),
            reported("\"LaunchServices: store (null) or url (null) was nil … Code=-54 process may not map database\" and \"Attempt to map database failed: permission was denied\" appear in the logs of sandboxed apps and extensions that are not allowed to map the LaunchServices database directly; they go through the server instead."),
            apple("Log lines like these are usually noise: look for the error your call actually returned."),
            inferred("In the MSAL thread, \"Failed to get application extension record: -54\" right before AuthorizationError 1003 suggests the lookup of the SSO extension failed at that moment; the 1003 is what the app must handle."),
        ],
        what_to_do: &[
            "Do not chase the -54 lines themselves; handle the AuthenticationServices error that follows (here 1003 notHandled).",
            "If it recurs on managed devices, capture a sysdiagnose while reproducing and file it with Feedback Assistant.",
        ],
        sources: &[MAC_ERRORS, LOG_NOISE, MSAL_THREAD, INFERRED],
    },
    Entry {
        id: "OSStatus.kLSApplicationNotFoundErr",
        domain: OSSTATUS_DOMAIN,
        code: -10814,
        name: "kLSApplicationNotFoundErr",
        aliases: &["-10814"],
        meaning: "No application in the LaunchServices database matches the request.",
        since: "all",
        causes: &[
            doc("LaunchServices found no app for the URL scheme, bundle id or file type."),
            reported("Seen when a sign-in library probes for a broker app (an authenticator) that is not installed."),
        ],
        what_to_do: &["Check the scheme is in LSApplicationQueriesSchemes and the broker app is installed; fall back to the web flow."],
        sources: &[LS_INFO],
    },
];
