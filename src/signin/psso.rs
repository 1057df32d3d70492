//! Platform SSO on macOS: how an SSO extension registers the device and its users, which
//! keys exist and where they live, and the states a login moves through (kind
//! `platform-sso`), for the "Developing Platform SSO extension" thread.
//!
//! The system (AppSSOAgent), not the extension, sends the nonce, login and refresh requests
//! to the identity provider, from the login configuration the extension saved during device
//! registration ([`AUTH_PROCESS`], [`NONCE`], [`LOGIN_REQUEST`]). The extension takes part
//! in registration ([`REGISTERING`], [`RESULT`], [`OPTIONS`]) and in app SSO requests.

use serde::Deserialize;
use serde_json::Value;

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::stepper::{self, Effect, Evidence, Machine, Source, State, Step, StepperReport};

pub const OVERVIEW: Source = Source {
    title: "Platform Single Sign-on (SSO): authentication methods",
    url: "https://developer.apple.com/documentation/authenticationservices/platform-single-sign-on-sso",
    evidence: Evidence::Documented,
};
pub const REGISTERING: Source = Source {
    title: "Registering devices and users",
    url: "https://developer.apple.com/documentation/authenticationservices/registering-devices-and-users",
    evidence: Evidence::Documented,
};
pub const RESULT: Source = Source {
    title: "ASAuthorizationProviderExtensionRegistrationResult",
    url: "https://developer.apple.com/documentation/authenticationservices/asauthorizationproviderextensionregistrationresult",
    evidence: Evidence::Documented,
};
pub const OPTIONS: Source = Source {
    title: "ASAuthorizationProviderExtensionRequestOptions (userInteractionEnabled, registrationRepair)",
    url: "https://developer.apple.com/documentation/authenticationservices/asauthorizationproviderextensionrequestoptions",
    evidence: Evidence::Documented,
};
pub const LOGIN_MANAGER: Source = Source {
    title: "ASAuthorizationProviderExtensionLoginManager (copyKey, saveLoginConfiguration, ssoTokens)",
    url:
        "https://developer.apple.com/documentation/authenticationservices/asauthorizationproviderextensionloginmanager",
    evidence: Evidence::Documented,
};
pub const AUTH_PROCESS: Source = Source {
    title: "Authentication process (nonce, JOSE login request, JWE response)",
    url: "https://developer.apple.com/documentation/authenticationservices/authentication-process",
    evidence: Evidence::Documented,
};
pub const NONCE: Source = Source {
    title: "Obtaining a server nonce (grant_type=srv_challenge, client-request-id: a unique UUID per request)",
    url: "https://developer.apple.com/documentation/authenticationservices/obtaining-a-server-nonce",
    evidence: Evidence::Documented,
};
pub const LOGIN_REQUEST: Source = Source {
    title: "Creating and validating a login request (signed with the device signing key, ES256)",
    url: "https://developer.apple.com/documentation/authenticationservices/creating-and-validating-a-login-request",
    evidence: Evidence::Documented,
};
pub const GRANT_TYPES: Source = Source {
    title: "Creating extensions that support Platform SSO (supported grant types, WS-Trust for SAML)",
    url:
        "https://developer.apple.com/documentation/authenticationservices/creating-extensions-that-support-platform-sso",
    evidence: Evidence::Documented,
};
pub const REPEATED_NOTIFICATIONS: Source = Source {
    title: "Forums 827496: repeated registration notifications after a cancelled user registration",
    url: "https://developer.apple.com/forums/thread/827496",
    evidence: Evidence::Reported,
};
pub const READING: Source = Source {
    title: "Keyplay's reading of the Platform SSO API (Apple documents neither way)",
    url: "https://developer.apple.com/forums/thread/806508",
    evidence: Evidence::Inferred,
};

/// How users authenticate to the identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Password,
    #[default]
    SecureEnclaveKey,
    SmartCard,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::SecureEnclaveKey => "secure-enclave-key",
            Method::SmartCard => "smart-card",
        }
    }
}

/// `ASAuthorizationProviderExtensionRegistrationResult`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationResult {
    #[default]
    Success,
    Failed,
    FailedNoRetry,
    UserInterfaceRequired,
}

/// How the identity provider answers a request the system sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Idp {
    #[default]
    Ok,
    /// The IdP rejects the nonce (replayed, expired, or bound to another client-request-id).
    RejectsNonce,
    /// The IdP does not know the device signing key (device registration never reached it).
    UnknownDeviceKey,
    Unreachable,
}

/// The events of a `platform-sso` document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", rename_all_fields = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// MDM installs the Extensible SSO payload with Platform SSO settings.
    ProfileInstalled {
        #[serde(default)]
        method: Method,
        /// The payload carries a RegistrationToken (silent device registration).
        #[serde(default = "yes")]
        registration_token: bool,
    },
    /// The system calls `beginDeviceRegistration`; the extension completes with `result`.
    DeviceRegistration {
        #[serde(default)]
        result: RegistrationResult,
        /// The extension calls `presentRegistrationViewController` to show its own UI.
        #[serde(default)]
        presents_ui: bool,
        /// The extension saves the login configuration (endpoints, client id, audience).
        #[serde(default = "yes")]
        saves_login_configuration: bool,
    },
    /// The user clicks the "Registration Required" notification.
    UserClicksNotification {},
    /// The system calls `beginUserRegistration` for the logged-in user.
    UserRegistration {
        #[serde(default)]
        result: RegistrationResult,
        #[serde(default)]
        presents_ui: bool,
        /// The extension reuses an IdP session kept from device registration.
        #[serde(default)]
        reuses_device_registration_session: bool,
    },
    /// The user logs in or unlocks; the system runs the nonce + login requests.
    Login {
        #[serde(default)]
        idp: Idp,
    },
    /// The system refreshes the tokens (nonce + refresh request).
    Refresh {
        #[serde(default)]
        idp: Idp,
    },
    /// An app or website in the extension's URLs asks for SSO (`beginAuthorization`).
    AppRequestsSso {
        /// The app speaks SAML rather than OIDC.
        #[serde(default)]
        saml: bool,
    },
    /// The system repairs the registration (`registrationRepair` option).
    Repair {},
}

fn yes() -> bool {
    true
}

pub const EVENT_NAMES: &[&str] = &[
    "profile-installed",
    "device-registration",
    "user-clicks-notification",
    "user-registration",
    "login",
    "refresh",
    "app-requests-sso",
    "repair",
];

/// A `platform-sso` document.
#[derive(Debug, Clone, PartialEq)]
pub struct PssoDocument {
    pub steps: Vec<Step<Event>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {}

/// Parses a `platform-sso` document.
pub fn parse(value: Value) -> Result<PssoDocument, DocError> {
    let (rest, steps) = stepper::split_document(value)?;
    let _: Setup = parse_typed(Value::Object(rest), "")?;
    let steps = stepper::parse_steps(steps, "/steps", Psso::STATE_KEYS, EVENT_NAMES)?;
    Ok(PssoDocument { steps })
}

/// Runs a `platform-sso` document (no clock involved).
pub fn run(doc: &PssoDocument, _now: Instant) -> StepperReport {
    stepper::run(Psso::default(), &doc.steps)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reg {
    None,
    Required,
    WaitingForUser,
    Registered,
    FailedRetry,
    FailedNoRetry,
}

impl Reg {
    fn name(self) -> &'static str {
        match self {
            Reg::None => "not configured",
            Reg::Required => "required",
            Reg::WaitingForUser => "waiting for the user",
            Reg::Registered => "registered",
            Reg::FailedRetry => "failed (the system retries later)",
            Reg::FailedNoRetry => "failed (no retry until the profile or extension changes)",
        }
    }
}

/// The Platform SSO state of one Mac and its logged-in user.
#[derive(Debug, Clone)]
pub struct Psso {
    method: Method,
    registration_token: bool,
    device: Reg,
    user: Reg,
    login_configuration: bool,
    device_keys: bool,
    user_key: bool,
    /// The user authenticated to the IdP in the extension's UI during this flow.
    idp_session: bool,
    interaction_enabled: bool,
    tokens: &'static str,
    login: &'static str,
    // Per step.
    called: Option<&'static str>,
    ui: &'static str,
}

impl Default for Psso {
    fn default() -> Psso {
        Psso {
            method: Method::SecureEnclaveKey,
            registration_token: true,
            device: Reg::None,
            user: Reg::None,
            login_configuration: false,
            device_keys: false,
            user_key: false,
            idp_session: false,
            interaction_enabled: false,
            tokens: "none",
            login: "local account only",
            called: None,
            ui: "none",
        }
    }
}

impl Psso {
    fn registration(&mut self, which: &str, result: RegistrationResult, presents_ui: bool, fx: &mut Effect) -> Reg {
        if presents_ui {
            if self.interaction_enabled {
                fx.because(
                    "The extension calls presentRegistrationViewController: the system shows the extension's own view controller. Platform SSO draws no IdP UI itself, so the extension brings its web view (e.g. WKWebView on its IdP's sign-in page).",
                    REGISTERING,
                );
                self.ui = "extension UI";
                self.idp_session = true;
            } else {
                fx.because(
                    "This call has no userInteractionEnabled option (the silent attempt): presentRegistrationViewController cannot show UI now, so the extension has to complete with userInterfaceRequired and present its UI when the system calls again with user interaction enabled.",
                    OPTIONS,
                );
                let _ = result;
                return self.result_to_reg(which, RegistrationResult::UserInterfaceRequired, fx);
            }
        }
        self.result_to_reg(which, result, fx)
    }

    fn result_to_reg(&mut self, which: &str, result: RegistrationResult, fx: &mut Effect) -> Reg {
        match result {
            RegistrationResult::Success => {
                fx.because(format!("The extension completes {which} registration with success."), RESULT);
                Reg::Registered
            }
            RegistrationResult::Failed => {
                fx.because(format!("{which} registration failed: the system retries later."), RESULT);
                Reg::FailedRetry
            }
            RegistrationResult::FailedNoRetry => {
                fx.because(format!("{which} registration failed with failedNoRetry: the system tries again only when the MDM profile or the extension changes."), RESULT);
                Reg::FailedNoRetry
            }
            RegistrationResult::UserInterfaceRequired => {
                fx.because(
                    format!("The extension needs UI for {which} registration: the system posts the \"Registration Required\" notification and calls again, with user interaction enabled, when the user acts on it."),
                    REGISTERING,
                );
                self.ui = "notification";
                Reg::WaitingForUser
            }
        }
    }

    fn login(&mut self, idp: Idp, refresh: bool, fx: &mut Effect) {
        if self.device != Reg::Registered || !self.login_configuration {
            fx.because(
                "The device is not registered with a saved login configuration: the system has no endpoints or keys to use, so the login stays local.",
                REGISTERING,
            );
            self.login = "local account only";
            return;
        }
        if self.user != Reg::Registered {
            fx.because(
                "The user is not registered yet: Platform SSO does not authenticate them to the IdP.",
                REGISTERING,
            );
            self.login = "local account only";
            return;
        }
        fx.because(
            "1. The system POSTs grant_type=srv_challenge to the nonce endpoint with a fresh client-request-id (a unique UUID per request, not shared between the nonce request and the login request that uses it).",
            NONCE,
        );
        if idp == Idp::Unreachable {
            fx.because(
                "The IdP is unreachable: the login completes with the local password only; tokens are not refreshed.",
                AUTH_PROCESS,
            );
            self.login = "offline (local password)";
            return;
        }
        if idp == Idp::RejectsNonce {
            fx.because("The IdP rejects the nonce. Bind the nonce to its value inside the signed request (request_nonce), not to client-request-id, which changes with every request.", NONCE);
            self.login = "failed: nonce rejected";
            return;
        }
        let what = if refresh { "refresh request" } else { "login request" };
        fx.because(
            format!(
                "2. The system sends the {what}: a JWT signed ES256 with the device signing key, carrying the nonce."
            ),
            LOGIN_REQUEST,
        );
        match self.method {
            Method::SecureEnclaveKey | Method::SmartCard => fx.because(
                format!(
                    "   It embeds an assertion signed with the user's {} key: no password travels.",
                    if self.method == Method::SmartCard { "smart card" } else { "Secure Enclave" }
                ),
                AUTH_PROCESS,
            ),
            Method::Password => fx.because("   It carries the user's password (grant type password).", GRANT_TYPES),
        }
        if idp == Idp::UnknownDeviceKey {
            fx.because("The IdP does not know the device signing key: device registration never sent it the public keys. Repair the registration.", REGISTERING);
            self.login = "failed: unknown device key";
            return;
        }
        fx.because(
            "3. The IdP answers with a JWE encrypted to the device encryption key; the system decrypts it and validates the id_token, then keeps the id_token and refresh_token for the user (the extension reads them as loginManager.ssoTokens).",
            AUTH_PROCESS,
        );
        self.tokens = "id_token + refresh_token";
        self.login = if refresh { "signed in (tokens refreshed)" } else { "signed in" };
    }
}

impl Machine for Psso {
    type Event = Event;
    const STATE_KEYS: &'static [&'static str] = &[
        "method",
        "device-registration",
        "user-registration",
        "system-called",
        "ui",
        "login-configuration",
        "device-signing-key",
        "device-encryption-key",
        "user-key",
        "tokens",
        "login",
    ];

    fn event_name(event: &Event) -> &'static str {
        match event {
            Event::ProfileInstalled { .. } => "profile-installed",
            Event::DeviceRegistration { .. } => "device-registration",
            Event::UserClicksNotification {} => "user-clicks-notification",
            Event::UserRegistration { .. } => "user-registration",
            Event::Login { .. } => "login",
            Event::Refresh { .. } => "refresh",
            Event::AppRequestsSso { .. } => "app-requests-sso",
            Event::Repair {} => "repair",
        }
    }

    fn apply(&mut self, event: &Event) -> Effect {
        let mut fx = Effect::default();
        self.called = None;
        self.ui = "none";
        match *event {
            Event::ProfileInstalled { method, registration_token } => {
                self.method = method;
                self.registration_token = registration_token;
                self.device = Reg::Required;
                self.user = Reg::Required;
                self.interaction_enabled = false;
                fx.because(format!("The Platform SSO payload selects the {} method.", method.name()), OVERVIEW);
                if registration_token {
                    fx.because("The payload has a registration token: the system first tries a silent device registration, without UI.", REGISTERING);
                } else {
                    fx.because("No registration token: the system needs the user, so it posts the \"Registration Required\" notification.", REGISTERING);
                    self.ui = "notification";
                    self.device = Reg::WaitingForUser;
                }
            }
            Event::DeviceRegistration { result, presents_ui, saves_login_configuration } => {
                if self.device == Reg::None {
                    fx.say("No Platform SSO profile is installed: the system does not call the extension.");
                    return fx;
                }
                self.called = Some("beginDeviceRegistration(loginManager:options:completion:)");
                if self.device == Reg::FailedNoRetry {
                    fx.because("The last device registration returned failedNoRetry: the system does not call again until the profile or the extension changes.", RESULT);
                    self.called = None;
                    return fx;
                }
                fx.because(
                    "The system creates the device signing key and the device encryption key; the extension reads them with loginManager.copyKey(forKeyType: .currentDeviceSigning / .currentDeviceEncryption) and sends the public keys to the IdP.",
                    REGISTERING,
                );
                fx.because("Both private keys are hardware-bound on this Mac (Secure Enclave) and never leave it; only public keys go to the IdP.", READING);
                self.device_keys = true;
                if saves_login_configuration {
                    fx.because("The extension saves the login configuration (client id, issuer, nonce and token endpoints, audience) with loginManager.saveLoginConfiguration: the system uses it for every later request.", LOGIN_MANAGER);
                } else {
                    fx.because("The extension did not save a login configuration: the system has no endpoints, so registration cannot lead to a login.", REGISTERING);
                }
                let reg = self.registration("device", result, presents_ui, &mut fx);
                self.device = if reg == Reg::Registered && !saves_login_configuration { Reg::FailedRetry } else { reg };
                self.login_configuration |= saves_login_configuration && self.device == Reg::Registered;
                if self.device == Reg::Registered {
                    fx.because(
                        "Next the system registers the user (beginUserRegistration), once per user of this Mac.",
                        REGISTERING,
                    );
                }
            }
            Event::UserClicksNotification {} => {
                self.interaction_enabled = true;
                fx.because("The user acts on the notification: the next registration call carries the userInteractionEnabled option.", OPTIONS);
                if self.user == Reg::WaitingForUser && self.device == Reg::Registered {
                    fx.because("If the user had cancelled the registration UI, reports show the notification coming back (sometimes twice) until user registration succeeds.", REPEATED_NOTIFICATIONS);
                }
            }
            Event::UserRegistration { result, presents_ui, reuses_device_registration_session } => {
                if self.device != Reg::Registered {
                    fx.because(
                        "The device is not registered: the system registers users only on a registered device.",
                        REGISTERING,
                    );
                    return fx;
                }
                self.called = Some("beginUserRegistration(loginManager:userName:method:options:completion:)");
                if reuses_device_registration_session && self.idp_session {
                    fx.because(
                        "The extension reuses the IdP session from device registration instead of asking the user again. That works only in the same flow for the first user: user registration also runs later, for other users and for repairs, so keep the state in the extension's keychain with a short lifetime and fall back to asking.",
                        READING,
                    );
                } else if reuses_device_registration_session {
                    fx.because("There is no IdP session from device registration to reuse (it was silent, or another user): the extension must authenticate the user now.", READING);
                }
                if self.method == Method::SecureEnclaveKey {
                    fx.because("For the Secure Enclave key method the system creates the user's Secure Enclave key; the extension sends its public key to the IdP, which uses it to verify later logins.", OVERVIEW);
                    self.user_key = true;
                }
                let reg = self.registration(
                    "user",
                    result,
                    presents_ui && !(reuses_device_registration_session && self.idp_session),
                    &mut fx,
                );
                self.user = reg;
                if reg != Reg::Registered && self.method == Method::SecureEnclaveKey {
                    self.user_key = false;
                }
            }
            Event::Login { idp } => self.login(idp, false, &mut fx),
            Event::Refresh { idp } => {
                if self.tokens == "none" {
                    fx.say("No tokens yet: nothing to refresh.");
                } else {
                    self.login(idp, true, &mut fx);
                }
            }
            Event::AppRequestsSso { saml } => {
                if self.tokens == "none" {
                    fx.because("No Platform SSO tokens yet: the extension's beginAuthorization must authenticate interactively (or cancel).", READING);
                } else {
                    self.called = Some("beginAuthorization(with:)");
                    fx.because("The app's request reaches the extension (beginAuthorization); the extension can read the user's Platform SSO tokens (loginManager.ssoTokens).", LOGIN_MANAGER);
                    if saml {
                        fx.because("For a SAML app, Platform SSO offers WS-Trust only for password logins to federated IdPs; otherwise the extension completes the SAML flow itself (a web view seeded with the IdP session).", GRANT_TYPES);
                    } else {
                        fx.because("To give the app its own token, exchange the Platform SSO refresh or id token at your IdP (e.g. an OAuth 2.0 token exchange); Platform SSO defines no exchange of its own.", READING);
                    }
                }
            }
            Event::Repair {} => {
                if self.device == Reg::None {
                    fx.say("No Platform SSO profile is installed.");
                } else {
                    fx.because("The system asks for a repair: it calls registration again with the registrationRepair option; the extension should re-send keys and configuration instead of starting from nothing.", OPTIONS);
                    self.device = Reg::Required;
                    self.user = Reg::Required;
                    self.tokens = "none";
                    self.login = "local account only";
                }
            }
        }
        fx
    }

    fn snapshot(&self) -> State {
        let mut s = State::default();
        s.put("method", self.method.name());
        s.put("device-registration", self.device.name());
        s.put("user-registration", self.user.name());
        if let Some(called) = self.called {
            s.put("system-called", called);
        }
        s.put("ui", self.ui);
        s.put("login-configuration", if self.login_configuration { "saved" } else { "none" });
        let device_key = if self.device_keys { "Secure Enclave (this Mac); public key at the IdP" } else { "none" };
        s.put("device-signing-key", device_key);
        s.put("device-encryption-key", device_key);
        s.put(
            "user-key",
            match (self.method, self.user_key) {
                (Method::SecureEnclaveKey, true) => "Secure Enclave (this user); public key at the IdP",
                (Method::SecureEnclaveKey, false) => "none",
                (Method::Password, _) => "none (password method)",
                (Method::SmartCard, _) => "on the smart card",
            },
        );
        s.put("tokens", self.tokens);
        s.put("login", self.login);
        s
    }

    fn summary(&self) -> Vec<String> {
        vec![
            "client-request-id: the system generates a new UUID for every request it sends (nonce, login, refresh, key requests); correlate a login with its nonce through the nonce value inside the signed JWT.".to_string(),
            "presentRegistrationViewController shows the extension's own view controller: bring your web view; Platform SSO does not render your IdP.".to_string(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_json(steps: Value) -> StepperReport {
        run(&parse(json!({ "steps": steps })).expect("parses"), Instant(0))
    }

    #[test]
    fn full_registration_then_login_yields_tokens() {
        let r = run_json(json!([
            {"profile-installed": {}},
            {"device-registration": {"result": "user-interface-required"}},
            "user-clicks-notification",
            {"device-registration": {"presents-ui": true}},
            {"user-registration": {"reuses-device-registration-session": true}},
            "login"
        ]));
        assert_eq!(r.steps[1].state.get("device-registration"), Some(&json!("waiting for the user")));
        assert_eq!(r.steps[3].state.get("ui"), Some(&json!("extension UI")));
        assert_eq!(r.steps[4].state.get("user-registration"), Some(&json!("registered")));
        assert_eq!(r.steps[5].state.get("tokens"), Some(&json!("id_token + refresh_token")));
    }

    #[test]
    fn ui_in_the_silent_attempt_is_refused_and_login_without_registration_is_local() {
        let r = run_json(json!([
            {"profile-installed": {}},
            {"device-registration": {"presents-ui": true}},
            "login"
        ]));
        assert_ne!(r.steps[1].state.get("device-registration"), Some(&json!("registered")));
        assert_eq!(r.steps[2].state.get("login"), Some(&json!("local account only")));
    }

    #[test]
    fn failed_no_retry_stops_further_calls() {
        let r = run_json(json!([
            "profile-installed",
            {"device-registration": {"result": "failed-no-retry"}},
            "device-registration"
        ]));
        assert_eq!(r.steps[2].state.get("system-called"), None);
    }
}
