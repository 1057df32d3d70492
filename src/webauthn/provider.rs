//! Explainer: when the system calls which `ASCredentialProviderViewController` method of an
//! AutoFill credential provider extension (passwords since iOS 12, passkeys since iOS 17).
//!
//! A small state model: [`next`] is a pure function from a state and an event to the next
//! state; [`METHODS`] and [`FAQ`] are static data for the page.
//!
//! Evidence: the project's research file (auth-rules.md) does not cover credential provider
//! extensions. Everything here comes from Apple's AuthenticationServices API reference as
//! known to the author and is marked `confidence: "api-reference, unverified"`; facts
//! that are less settled are marked `"uncertain"`.

use serde::Serialize;

/// A request kind the system hands to the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credential {
    Password,
    Passkey,
}

/// Why a request was cancelled (`ASExtensionError.Code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ExtensionError {
    Failed,
    UserCanceled,
    UserInteractionRequired,
    CredentialIdentityNotFound,
}

/// Where the extension is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum State {
    /// Not running.
    Idle,
    /// `provideCredentialWithoutUserInteraction` was called: no UI is shown.
    ProvidingWithoutUi { credential: Credential },
    /// `prepareInterfaceToProvideCredential` was called: the extension's UI is on screen.
    ProvidingWithUi { credential: Credential },
    /// `prepareCredentialList` was called: the extension shows its own list.
    Listing { credential: Credential },
    /// `prepareInterfaceForPasskeyRegistration` was called (iOS 17+).
    RegisteringPasskey,
    /// `prepareInterfaceForExtensionConfiguration` was called (after enabling in Settings).
    Configuring,
    /// The extension completed the request.
    Completed,
    /// The request ended with an error.
    Cancelled { error: ExtensionError },
}

/// What happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// The user picks one of the extension's identities offered by the system (QuickType bar
    /// or passkey sheet); the identity must have been saved in `ASCredentialIdentityStore`.
    UserPicksSuggestedIdentity { credential: Credential },
    /// The user opens the extension's own list (e.g. "Passwords…" / the provider row).
    UserOpensProviderList { credential: Credential },
    /// A site or app asks to create a passkey and the user picks this provider.
    PasskeyRegistrationRequested,
    /// The user enables the extension in Settings (with `ShowsConfigurationUI` = YES).
    ExtensionEnabledInSettings,
    /// The extension calls `completeRequest(withSelectedCredential:)`,
    /// `completeAssertionRequest(using:)` or `completeRegistrationRequest(using:)`.
    ExtensionCompletes,
    /// The extension calls `cancelRequest(withError:)`.
    ExtensionCancels { error: ExtensionError },
}

/// The transition function. Events that cannot happen in a state leave it unchanged.
pub fn next(state: State, event: Event) -> State {
    use Event as E;
    use State as S;
    match (state, event) {
        (S::Idle | S::Completed | S::Cancelled { .. }, E::UserPicksSuggestedIdentity { credential }) => {
            S::ProvidingWithoutUi { credential }
        }
        (S::Idle | S::Completed | S::Cancelled { .. }, E::UserOpensProviderList { credential }) => {
            S::Listing { credential }
        }
        (S::Idle | S::Completed | S::Cancelled { .. }, E::PasskeyRegistrationRequested) => S::RegisteringPasskey,
        (S::Idle | S::Completed | S::Cancelled { .. }, E::ExtensionEnabledInSettings) => S::Configuring,
        // The only way to prepareInterfaceToProvideCredential: cancel the silent attempt
        // with userInteractionRequired; the system then shows the extension's UI.
        (
            S::ProvidingWithoutUi { credential },
            E::ExtensionCancels {
                error: ExtensionError::UserInteractionRequired,
            },
        ) => S::ProvidingWithUi { credential },
        (
            S::ProvidingWithoutUi { .. }
            | S::ProvidingWithUi { .. }
            | S::Listing { .. }
            | S::RegisteringPasskey
            | S::Configuring,
            E::ExtensionCompletes,
        ) => S::Completed,
        (
            S::ProvidingWithoutUi { .. }
            | S::ProvidingWithUi { .. }
            | S::Listing { .. }
            | S::RegisteringPasskey
            | S::Configuring,
            E::ExtensionCancels { error },
        ) => S::Cancelled { error },
        (s, _) => s,
    }
}

/// The extension method the system calls on entering `state`, if any.
pub fn method_called(state: State) -> Option<&'static str> {
    Some(match state {
        State::ProvidingWithoutUi { credential: Credential::Passkey } => "provideCredentialWithoutUserInteraction(for: ASCredentialRequest)",
        State::ProvidingWithoutUi { credential: Credential::Password } => "provideCredentialWithoutUserInteraction(for: ASCredentialRequest) (iOS 17+; before: for: ASPasswordCredentialIdentity)",
        State::ProvidingWithUi { .. } => "prepareInterfaceToProvideCredential(for: ASCredentialRequest) (iOS 17+; before: for: ASPasswordCredentialIdentity)",
        State::Listing { credential: Credential::Passkey } => "prepareCredentialList(for:requestParameters:)",
        State::Listing { credential: Credential::Password } => "prepareCredentialList(for:)",
        State::RegisteringPasskey => "prepareInterfaceForPasskeyRegistration(_:)",
        State::Configuring => "prepareInterfaceForExtensionConfiguration()",
        State::Idle | State::Completed | State::Cancelled { .. } => return None,
    })
}

/// One `ASCredentialProviderViewController` entry point.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub name: &'static str,
    pub since: &'static str,
    pub called_when: &'static str,
    pub shows_ui: bool,
    pub confidence: &'static str,
}

const API: &str = "api-reference, unverified";

/// The entry points and when the system calls them.
pub const METHODS: &[Method] = &[
    Method { name: "prepareCredentialList(for:)", since: "iOS 12", called_when: "the user opens the provider's own password list instead of a suggested identity", shows_ui: true, confidence: API },
    Method { name: "prepareCredentialList(for:requestParameters:)", since: "iOS 17", called_when: "the same for a passkey request; requestParameters carries the RP ID, clientDataHash, allowed credentials and userVerification preference", shows_ui: true, confidence: API },
    Method { name: "provideCredentialWithoutUserInteraction(for:)", since: "iOS 12 (identity), iOS 17 (ASCredentialRequest, incl. passkeys)", called_when: "the user picks an identity the system suggested from ASCredentialIdentityStore; the extension must answer without showing UI", shows_ui: false, confidence: API },
    Method { name: "prepareInterfaceToProvideCredential(for:)", since: "iOS 12 (identity), iOS 17 (ASCredentialRequest)", called_when: "only after provideCredentialWithoutUserInteraction cancelled with ASExtensionError.userInteractionRequired; the same request comes back with the extension's UI on screen", shows_ui: true, confidence: API },
    Method { name: "prepareInterfaceForPasskeyRegistration(_:)", since: "iOS 17", called_when: "a site or app creates a passkey and the user chooses this provider; Info.plist needs ASCredentialProviderExtensionCapabilities / ProvidesPasskeys = YES", shows_ui: true, confidence: API },
    Method { name: "prepareInterfaceForExtensionConfiguration()", since: "iOS 12", called_when: "the user enables the extension in Settings, if Info.plist sets ShowsConfigurationUI = YES", shows_ui: true, confidence: API },
];

/// A question from the forums and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Faq {
    pub question: &'static str,
    pub answer: &'static str,
    pub confidence: &'static str,
}

/// Answers for the seed posts.
pub const FAQ: &[Faq] = &[
    Faq {
        question: "Why is prepareInterfaceToProvideCredential never called?",
        answer: "Because provideCredentialWithoutUserInteraction already completed the request. The system calls prepareInterfaceToProvideCredential only when the silent attempt gives up with cancelRequest(withError: ASExtensionError(.userInteractionRequired)); it then calls it with the same request and shows your UI. To let the user choose between a password and a passkey, either cancel the silent attempt that way, or let the user open your list (prepareCredentialList).",
        confidence: API,
    },
    Faq {
        question: "Why are my passkeys not suggested?",
        answer: "The system suggests only identities saved in ASCredentialIdentityStore (ASPasskeyCredentialIdentity for passkeys, iOS 17+), and only when the extension declares passkey support in Info.plist and is enabled in Settings. Save identities after registration and on launch.",
        confidence: API,
    },
    Faq {
        question: "Has the system already verified the user when provideCredentialWithoutUserInteraction is called for a passkey?",
        answer: "Not settled here. The request carries the RP's userVerification preference; if your extension needs its own unlock, cancel with userInteractionRequired and do it in prepareInterfaceToProvideCredential, and set the UV flag in authenticator data only when you verified the user.",
        confidence: "uncertain",
    },
];

/// The static explainer data as JSON, for the page.
pub fn explainer() -> serde_json::Value {
    serde_json::json!({ "methods": METHODS, "faq": FAQ })
}
