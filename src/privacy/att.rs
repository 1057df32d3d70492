//! App Tracking Transparency: `ATTrackingManager.AuthorizationStatus` across the events that
//! decide it (kind `att`).
//!
//! Rules and where they come from (each is repeated beside the code that applies it):
//! - One prompt per install; the choice is remembered until the app is deleted and
//!   reinstalled; the prompt shows only while the app is `UIApplicationStateActive` and no
//!   other permission request is pending: [`REQUEST`] (documented), [`DTS_INACTIVE`].
//! - Before the prompt the status is `notDetermined`, or `restricted` when managed; after it
//!   `authorized` or `denied`: [`STATUS`], [`RESTRICTED`] (documented).
//! - The system-wide "Allow Apps to Request to Track" switch and the per-app switches under
//!   Settings > Privacy & Security > Tracking, which list only apps that have asked:
//!   [`SUPPORT`] (Apple Support, documented); what the status reads while the switch is off
//!   and after it is turned back on: [`GLOBAL_OFF`] (reported, not documented).
//! - The advertising identifier is all zeros unless the status is `authorized`: [`IDFA`].
//! - What counts as tracking (and so what ATT covers for a website opened from the app):
//!   [`POLICY`], [`WWDC22`] (documented).
//! - TestFlight and App Store builds: Apple documents no difference; the seed thread
//!   [`SEED_TESTFLIGHT`] is explained by delete + reinstall and an early request.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::stepper::{self, Effect, Evidence, Machine, Source, State, Step, StepperReport};

pub const REQUEST: Source = Source {
    title: "requestTrackingAuthorization(completionHandler:)",
    url: "https://developer.apple.com/documentation/apptrackingtransparency/attrackingmanager/requesttrackingauthorization(completionhandler:)",
    evidence: Evidence::Documented,
};
pub const STATUS: Source = Source {
    title: "ATTrackingManager.trackingAuthorizationStatus",
    url: "https://developer.apple.com/documentation/apptrackingtransparency/attrackingmanager/trackingauthorizationstatus",
    evidence: Evidence::Documented,
};
pub const RESTRICTED: Source = Source {
    title: "ATTrackingManager.AuthorizationStatus.restricted",
    url: "https://developer.apple.com/documentation/apptrackingtransparency/attrackingmanager/authorizationstatus/restricted",
    evidence: Evidence::Documented,
};
pub const USAGE: Source = Source {
    title: "NSUserTrackingUsageDescription",
    url: "https://developer.apple.com/documentation/bundleresources/information-property-list/nsusertrackingusagedescription",
    evidence: Evidence::Documented,
};
pub const SUPPORT: Source = Source {
    title: "Apple Support: If an app asks to track your activity",
    url: "https://support.apple.com/en-us/102420",
    evidence: Evidence::Documented,
};
pub const DTS_INACTIVE: Source = Source {
    title: "Forums 751682: the prompt appears only while the app is active (iOS 15+); privacy prompts make the app inactive",
    url: "https://developer.apple.com/forums/thread/751682",
    evidence: Evidence::AppleAnswer,
};
pub const GLOBAL_OFF: Source = Source {
    title: "Forums 702582 and developer write-ups: the status while \"Allow Apps to Request to Track\" is off",
    url: "https://developer.apple.com/forums/thread/702582",
    evidence: Evidence::Reported,
};
pub const IDFA: Source = Source {
    title: "ASIdentifierManager.advertisingIdentifier",
    url: "https://developer.apple.com/documentation/adsupport/asidentifiermanager/advertisingidentifier",
    evidence: Evidence::Documented,
};
pub const POLICY: Source = Source {
    title: "App Store: User privacy and data use (what tracking is)",
    url: "https://developer.apple.com/app-store/user-privacy-and-data-use/",
    evidence: Evidence::Documented,
};
pub const WWDC22: Source = Source {
    title: "WWDC22 10166: Explore App Tracking Transparency",
    url: "https://developer.apple.com/videos/play/wwdc2022/10166/",
    evidence: Evidence::Documented,
};
pub const SEED_TESTFLIGHT: Source = Source {
    title: "Forums: requestTrackingAuthorization stuck in .notDetermined (TestFlight build after deleting the development build)",
    url: "https://developer.apple.com/forums/topics/privacy-and-security",
    evidence: Evidence::Reported,
};

/// `ATTrackingManager.AuthorizationStatus` (raw values 0–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    NotDetermined,
    Restricted,
    Denied,
    Authorized,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::NotDetermined => "notDetermined",
            Status::Restricted => "restricted",
            Status::Denied => "denied",
            Status::Authorized => "authorized",
        }
    }
}

/// How the build was distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Build {
    #[default]
    Development,
    Testflight,
    AppStore,
}

impl Build {
    fn name(self) -> &'static str {
        match self {
            Build::Development => "development",
            Build::Testflight => "testflight",
            Build::AppStore => "app-store",
        }
    }
}

/// Where the app is when it calls `requestTrackingAuthorization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppState {
    #[default]
    Active,
    /// Launching (`didFinishLaunching`, `scene(_:willConnectTo:)`, a SwiftUI `onAppear` at
    /// launch) or covered by another system alert.
    Inactive,
    Background,
}

/// The user's answer to the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    Allow,
    AskAppNotToTrack,
}

/// Why tracking is restricted on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Restriction {
    /// A configuration profile (MDM) that limits tracking.
    MdmProfile,
    /// A Managed Apple Account (education, business).
    ManagedAppleId,
    /// A child account or an account under 18.
    ChildAccount,
    /// An Apple Account created less than three days ago.
    NewAppleId,
}

impl Restriction {
    fn name(self) -> &'static str {
        match self {
            Restriction::MdmProfile => "a configuration profile limits tracking",
            Restriction::ManagedAppleId => "a Managed Apple Account",
            Restriction::ChildAccount => "a child account (or under 18)",
            Restriction::NewAppleId => "an Apple Account created less than three days ago",
        }
    }
}

/// What happens to apps already allowed when the user turns the system-wide switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WhenTurnedOff {
    /// "Allow Apps to Continue Tracking".
    #[default]
    LetAllowedContinue,
    /// "Ask Apps to Stop Tracking".
    AskAllToStop,
}

/// Who runs the website the app opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    #[default]
    SameCompany,
    OtherCompany,
}

/// What the data passed to (or collected by) the website is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Signing the user in, serving their account.
    #[default]
    Account,
    TargetedAdvertising,
    AdvertisingMeasurement,
    FraudPrevention,
}

/// The events of an `att` document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", rename_all_fields = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// Install the app, or install a build over the installed one (an update).
    Install {
        #[serde(default)]
        build: Build,
        #[serde(default = "yes")]
        usage_description: bool,
    },
    /// Delete the app from the device.
    Delete {},
    /// `ATTrackingManager.requestTrackingAuthorization`.
    RequestTrackingAuthorization {
        #[serde(default)]
        app_state: AppState,
        #[serde(default)]
        other_prompt_pending: bool,
        #[serde(default)]
        from_extension: bool,
    },
    /// The user answers the prompt on screen.
    UserResponds { choice: Choice },
    /// Read `ATTrackingManager.trackingAuthorizationStatus`.
    ReadStatus {},
    /// Settings > Privacy & Security > Tracking > "Allow Apps to Request to Track".
    AllowAppsToRequest {
        on: bool,
        #[serde(default)]
        when_turned_off: WhenTurnedOff,
    },
    /// The app's own switch in Settings > Privacy & Security > Tracking.
    AppSwitch { on: bool },
    /// A restriction applies (or, with `null`, no longer applies).
    Restriction { reason: Option<Restriction> },
    /// The app opens a website (Safari, SFSafariViewController, a web view) with the user's
    /// identity in the URL or the session.
    OpenWebsite {
        #[serde(default)]
        owner: Owner,
        #[serde(default)]
        purpose: Purpose,
        /// The site or the app hands the user's data to a data broker.
        #[serde(default)]
        data_broker: bool,
        /// Third-party code on the site combines the user's data with other companies' data
        /// for advertising (counts even if you do not use it for that).
        #[serde(default)]
        third_party_sdk: bool,
    },
}

fn yes() -> bool {
    true
}

pub const EVENT_NAMES: &[&str] = &[
    "install",
    "delete",
    "request-tracking-authorization",
    "user-responds",
    "read-status",
    "allow-apps-to-request",
    "app-switch",
    "restriction",
    "open-website",
];

/// An `att` document.
#[derive(Debug, Clone, PartialEq)]
pub struct AttDocument {
    pub steps: Vec<Step<Event>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {}

/// Parses an `att` document (the whole document or the body the dispatcher leaves).
pub fn parse(value: Value) -> Result<AttDocument, DocError> {
    let (rest, steps) = stepper::split_document(value)?;
    let _: Setup = parse_typed(Value::Object(rest), "")?;
    let steps = stepper::parse_steps(steps, "/steps", Att::STATE_KEYS, EVENT_NAMES)?;
    Ok(AttDocument { steps })
}

/// Runs an `att` document. ATT has no clock: `now` is accepted for the common signature.
pub fn run(doc: &AttDocument, _now: Instant) -> StepperReport {
    stepper::run(Att::default(), &doc.steps)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Allowed,
    Denied,
}

/// The device and the app as ATT sees them.
#[derive(Debug, Clone)]
pub struct Att {
    installed: bool,
    build: Build,
    usage_description: bool,
    /// The answer stored for this install.
    decision: Option<Decision>,
    /// The app has asked on this install (the per-app switch exists).
    asked: bool,
    global_on: bool,
    restriction: Option<Restriction>,
    prompt_on_screen: bool,
    /// Requests on this install that showed no prompt, with the reason.
    silent_requests: Vec<&'static str>,
    deleted_after_asking: bool,
    // Per-step results.
    prompt_shown: bool,
    returned: Option<Status>,
    website: Option<&'static str>,
}

impl Default for Att {
    fn default() -> Att {
        Att {
            installed: false,
            build: Build::Development,
            usage_description: true,
            decision: None,
            asked: false,
            global_on: true,
            restriction: None,
            prompt_on_screen: false,
            silent_requests: Vec::new(),
            deleted_after_asking: false,
            prompt_shown: false,
            returned: None,
            website: None,
        }
    }
}

impl Att {
    /// What `trackingAuthorizationStatus` reads now.
    pub fn status(&self) -> Status {
        if self.restriction.is_some() {
            return Status::Restricted;
        }
        match self.decision {
            Some(Decision::Allowed) => Status::Authorized,
            Some(Decision::Denied) => Status::Denied,
            None if !self.global_on => Status::Denied,
            None => Status::NotDetermined,
        }
    }

    fn global_name(&self) -> &'static str {
        if self.restriction.is_some() {
            "greyed out"
        } else if self.global_on {
            "on"
        } else {
            "off"
        }
    }

    fn request(&mut self, app_state: AppState, other_pending: bool, from_extension: bool, fx: &mut Effect) {
        if !self.installed {
            fx.say("The app is not installed: nothing runs. Add an install step first.");
            return;
        }
        if let Some(reason) = self.restriction {
            // RESTRICTED: no prompt on restricted devices; the completion gets .restricted.
            fx.because(
                format!(
                    "Tracking is restricted ({}): no prompt; the completion handler gets restricted at once.",
                    reason.name()
                ),
                RESTRICTED,
            );
            self.returned = Some(Status::Restricted);
            return;
        }
        if let Some(decision) = self.decision {
            // REQUEST: a one-time request; the system remembers the choice.
            fx.because(
                format!(
                    "This install already has an answer ({}): the request shows no prompt and returns it. Only deleting and reinstalling the app asks again.",
                    if decision == Decision::Allowed { "Allow" } else { "Ask App Not to Track" }
                ),
                REQUEST,
            );
            self.returned = Some(self.status());
            return;
        }
        if !self.global_on {
            // SUPPORT: with the switch off, apps that ask are told the user asked not to be tracked.
            fx.because(
                "\"Allow Apps to Request to Track\" is off: no prompt; the app is told the user asked not to be tracked (denied).",
                SUPPORT,
            );
            fx.because(
                "The request is remembered as a denial: turning the switch back on later leaves this app denied (a new install starts over).",
                GLOBAL_OFF,
            );
            self.decision = Some(Decision::Denied);
            self.asked = true;
            self.returned = Some(Status::Denied);
            return;
        }
        let silent = if !self.usage_description {
            Some((
                "Info.plist has no NSUserTrackingUsageDescription: the system will not show the prompt (add the purpose string; some reports describe a crash instead).",
                USAGE,
                "the Info.plist had no NSUserTrackingUsageDescription",
            ))
        } else if from_extension {
            Some((
                "Called from an app extension: the prompt does not show there; ask from the containing app.",
                Source { evidence: Evidence::Reported, ..REQUEST },
                "it was called from an app extension",
            ))
        } else if app_state != AppState::Active {
            Some((
                "The app is not active (still launching, in the background, or covered by another alert): the prompt does not show, the status stays notDetermined, and the completion handler gets notDetermined. Ask again once the app is active, e.g. from applicationDidBecomeActive / scenePhase == .active.",
                REQUEST,
                "the app was not active yet (called during launch or behind another alert)",
            ))
        } else if other_pending {
            Some((
                "Another permission request is still on screen: the prompt does not show and the status stays notDetermined. Ask after that alert is answered.",
                REQUEST,
                "another permission alert was pending",
            ))
        } else {
            None
        };
        if let Some((line, source, reason)) = silent {
            fx.because(line, source);
            if app_state != AppState::Active {
                fx.because("Privacy prompts run out of process and make the app inactive while they are up, so a second request fired during launch lands while the app is inactive.", DTS_INACTIVE);
            }
            self.silent_requests.push(reason);
            self.returned = Some(Status::NotDetermined);
            return;
        }
        // REQUEST: prompts only when active; the first request on an install shows the alert.
        fx.because(
            "First request on this install while the app is active: the system shows the tracking prompt with the NSUserTrackingUsageDescription text. The completion handler runs when the user answers.",
            REQUEST,
        );
        fx.because(
            "From now on the app appears in Settings > Privacy & Security > Tracking with its own switch.",
            SUPPORT,
        );
        self.prompt_on_screen = true;
        self.prompt_shown = true;
        self.asked = true;
    }

    fn open_website(
        &mut self,
        owner: Owner,
        purpose: Purpose,
        data_broker: bool,
        third_party_sdk: bool,
        fx: &mut Effect,
    ) {
        let ads = matches!(purpose, Purpose::TargetedAdvertising | Purpose::AdvertisingMeasurement);
        // POLICY: tracking = linking data from your app with other companies' apps, websites
        // or offline properties for targeted ads or ad measurement, or sharing with a data
        // broker; fraud prevention and on-device-only linking are not tracking.
        let tracking = (data_broker && purpose != Purpose::FraudPrevention)
            || third_party_sdk
            || (owner == Owner::OtherCompany && ads);
        if !tracking {
            fx.because(
                "Not tracking as Apple defines it: the data stays with the same company and is not linked with other companies' data for advertising or shared with a data broker. ATT permission is not needed for this flow, whatever the status is.",
                POLICY,
            );
            if owner == Owner::SameCompany {
                fx.because(
                    "Linking the user's account between your own app and your own website is first-party; what ATT governs is linking with other companies' data (and the advertising identifier).",
                    WWDC22,
                );
            }
            if data_broker {
                fx.because(
                    "Sharing with a data broker solely for fraud detection, prevention or security is not tracking.",
                    POLICY,
                );
            }
            fx.say("ATT does not reach into the browser: the website cannot read the app's ATT status or the advertising identifier, and the site's own cookies and consent rules still apply.");
            self.website = Some("not tracking");
            return;
        }
        let why = if third_party_sdk {
            "third-party code combines the user's data with other companies' data for advertising (this counts even if you do not use it for that)"
        } else if data_broker {
            "the user's data goes to a data broker"
        } else {
            "the user's identity is linked with another company's website data for advertising"
        };
        fx.because(format!("This is tracking: {why}."), POLICY);
        if self.status() == Status::Authorized {
            fx.because("The user allowed tracking on this install: the flow is permitted (and must stop if they turn the switch off).", POLICY);
            self.website = Some("tracking: permitted");
        } else {
            fx.because(
                format!(
                    "The status is {}: the app must not pass identifiers for this flow until the user allows tracking.",
                    self.status().name()
                ),
                POLICY,
            );
            self.website = Some("tracking: not permitted");
        }
    }
}

impl Machine for Att {
    type Event = Event;
    const STATE_KEYS: &'static [&'static str] = &[
        "installed",
        "build",
        "status",
        "prompt-shown",
        "returned",
        "app-switch",
        "allow-apps-to-request",
        "advertising-identifier",
        "website-flow",
    ];

    fn event_name(event: &Event) -> &'static str {
        match event {
            Event::Install { .. } => "install",
            Event::Delete {} => "delete",
            Event::RequestTrackingAuthorization { .. } => "request-tracking-authorization",
            Event::UserResponds { .. } => "user-responds",
            Event::ReadStatus {} => "read-status",
            Event::AllowAppsToRequest { .. } => "allow-apps-to-request",
            Event::AppSwitch { .. } => "app-switch",
            Event::Restriction { .. } => "restriction",
            Event::OpenWebsite { .. } => "open-website",
        }
    }

    fn apply(&mut self, event: &Event) -> Effect {
        let mut fx = Effect::default();
        self.prompt_shown = false;
        self.returned = None;
        self.website = None;
        match *event {
            Event::Install { build, usage_description } => {
                if self.installed {
                    // REQUEST: only uninstalling and reinstalling resets the choice.
                    fx.because(
                        format!(
                            "Installed over the existing app ({} → {}): an update keeps this install's answer and switch.",
                            self.build.name(),
                            build.name()
                        ),
                        REQUEST,
                    );
                } else {
                    fx.because(
                        format!("Fresh install ({}): no answer yet, so the status starts at notDetermined (or restricted when managed) and the app has no switch in Settings.", build.name()),
                        STATUS,
                    );
                    if build != Build::Development {
                        fx.because(
                            "TestFlight and App Store builds of the same bundle id behave the same: Apple documents no difference for ATT; what counts is whether this install has asked.",
                            SEED_TESTFLIGHT,
                        );
                    }
                    self.decision = None;
                    self.asked = false;
                    self.silent_requests.clear();
                }
                self.installed = true;
                self.build = build;
                self.usage_description = usage_description;
            }
            Event::Delete {} => {
                if self.installed {
                    fx.because(
                        "Deleted: the system forgets this app's answer and removes its switch from Settings; the next install can prompt once more.",
                        REQUEST,
                    );
                    self.deleted_after_asking |= self.asked;
                } else {
                    fx.say("The app is not installed: nothing to delete.");
                }
                self.installed = false;
                self.decision = None;
                self.asked = false;
                self.prompt_on_screen = false;
                self.silent_requests.clear();
            }
            Event::RequestTrackingAuthorization { app_state, other_prompt_pending, from_extension } => {
                if self.prompt_on_screen {
                    fx.because("The prompt from the previous request is still on screen: concurrent requests are not supported; this call shows nothing new.", REQUEST);
                    self.returned = Some(Status::NotDetermined);
                } else {
                    self.request(app_state, other_prompt_pending, from_extension, &mut fx);
                }
            }
            Event::UserResponds { choice } => {
                if self.prompt_on_screen {
                    self.prompt_on_screen = false;
                    self.decision = Some(if choice == Choice::Allow { Decision::Allowed } else { Decision::Denied });
                    fx.because(
                        format!("The user chose {}: the completion handler gets {}, and the system remembers it for this install.", if choice == Choice::Allow { "Allow" } else { "Ask App Not to Track" }, self.status().name()),
                        STATUS,
                    );
                    self.returned = Some(self.status());
                } else {
                    fx.say(
                        "No tracking prompt is on screen, so there is nothing to answer: the user never saw a prompt.",
                    );
                }
            }
            Event::ReadStatus {} => {
                fx.because(format!("trackingAuthorizationStatus reads {}.", self.status().name()), STATUS);
                if !self.global_on && self.decision.is_none() && self.restriction.is_none() {
                    fx.because(
                        "With \"Allow Apps to Request to Track\" off, an app that never asked reads denied.",
                        GLOBAL_OFF,
                    );
                }
                self.returned = Some(self.status());
            }
            Event::AllowAppsToRequest { on, when_turned_off } => {
                if let Some(reason) = self.restriction {
                    fx.because(
                        format!(
                            "The switch is greyed out and cannot be changed: tracking is restricted ({}).",
                            reason.name()
                        ),
                        RESTRICTED,
                    );
                } else if on {
                    self.global_on = true;
                    fx.because(
                        "\"Allow Apps to Request to Track\" is on: apps that have not asked can prompt again.",
                        SUPPORT,
                    );
                    if self.decision.is_none() {
                        fx.because(
                            "This app never asked while the switch was off, so it is back to notDetermined.",
                            GLOBAL_OFF,
                        );
                    }
                } else {
                    self.global_on = false;
                    fx.because("\"Allow Apps to Request to Track\" is off: no app can show the prompt; requests are answered as if the user asked not to be tracked.", SUPPORT);
                    if self.decision == Some(Decision::Allowed) {
                        if when_turned_off == WhenTurnedOff::AskAllToStop {
                            self.decision = Some(Decision::Denied);
                            fx.because("The user picked \"Ask Apps to Stop Tracking\": this app, allowed before, is now denied.", GLOBAL_OFF);
                        } else {
                            fx.because(
                                "The user let apps already allowed continue: this app stays authorized.",
                                GLOBAL_OFF,
                            );
                        }
                    }
                }
            }
            Event::AppSwitch { on } => {
                if !self.installed || !self.asked {
                    fx.because(
                        "There is no switch for this app in Settings > Privacy & Security > Tracking: it appears only after the app has asked on this install (a deleted and reinstalled app starts without one). Nothing changes.",
                        SUPPORT,
                    );
                } else if self.restriction.is_some() || !self.global_on {
                    fx.because("The per-app switches are unavailable while \"Allow Apps to Request to Track\" is off or restricted.", SUPPORT);
                } else {
                    self.decision = Some(if on { Decision::Allowed } else { Decision::Denied });
                    fx.because(
                        format!(
                            "The user turned the app's switch {}: the status is now {}.",
                            if on { "on" } else { "off" },
                            self.status().name()
                        ),
                        SUPPORT,
                    );
                }
            }
            Event::Restriction { reason } => {
                self.restriction = reason;
                match reason {
                    Some(r @ (Restriction::MdmProfile | Restriction::ManagedAppleId)) => fx.because(
                        format!("Restricted ({}): the status is restricted, the prompt never shows, and \"Allow Apps to Request to Track\" is greyed out.", r.name()),
                        RESTRICTED,
                    ),
                    Some(r) => {
                        fx.because(format!("Restricted ({}): \"Allow Apps to Request to Track\" is greyed out.", r.name()), SUPPORT);
                        fx.because("That such accounts read restricted (rather than denied) is reported, not documented.", GLOBAL_OFF);
                    }
                    None => fx.because("No restriction any more: the status is back to this install's answer (or notDetermined).", STATUS),
                }
            }
            Event::OpenWebsite { owner, purpose, data_broker, third_party_sdk } => {
                if self.installed {
                    self.open_website(owner, purpose, data_broker, third_party_sdk, &mut fx);
                } else {
                    fx.say("The app is not installed: nothing opens.");
                }
            }
        }
        // IDFA: all zeros unless authorized.
        if self.status() != Status::Authorized && matches!(event, Event::ReadStatus {} | Event::UserResponds { .. }) {
            fx.because("advertisingIdentifier is all zeros until the status is authorized.", IDFA);
        }
        fx
    }

    fn snapshot(&self) -> State {
        let mut s = State::default();
        s.put("installed", self.installed);
        s.put("build", self.build.name());
        s.put("status", self.status().name());
        s.put("prompt-shown", self.prompt_shown);
        if let Some(returned) = self.returned {
            s.put("returned", returned.name());
        }
        s.put(
            "app-switch",
            match (self.installed && self.asked, self.decision) {
                (false, _) => "absent",
                (true, Some(Decision::Allowed)) => "on",
                (true, _) => "off",
            },
        );
        s.put("allow-apps-to-request", self.global_name());
        s.put(
            "advertising-identifier",
            if self.status() == Status::Authorized { "available" } else { "00000000-0000-0000-0000-000000000000" },
        );
        if let Some(flow) = self.website {
            s.put("website-flow", flow);
        }
        s
    }

    fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.installed && !self.silent_requests.is_empty() {
            let mut reasons = self.silent_requests.clone();
            reasons.dedup();
            if self.status() == Status::NotDetermined {
                out.push(format!(
                    "Stuck in notDetermined: every request on this install returned without a prompt because {}. notDetermined means the prompt has not been answered; the global switch or a restriction would read denied or restricted instead.",
                    reasons.join("; ")
                ));
                out.push("The per-app switch will not appear in Settings until one request shows the prompt, so the user cannot fix it there; fix the request (ask once the app is active) — no new bundle id is needed.".to_string());
            } else {
                out.push(format!(
                    "Earlier requests on this install returned notDetermined without a prompt because {}; the prompt appeared once the request was made under the right conditions.",
                    reasons.join("; ")
                ));
            }
        }
        if self.deleted_after_asking && self.installed && !self.asked {
            out.push(
                "The earlier answer went away with the deleted app: this install starts over and must ask again."
                    .to_string(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_json(steps: Value) -> StepperReport {
        let doc = parse(json!({ "steps": steps })).expect("parses");
        run(&doc, Instant(0))
    }

    #[test]
    fn first_active_request_prompts_and_the_answer_sticks() {
        let r = run_json(json!([
            {"install": {}},
            {"request-tracking-authorization": {}},
            {"user-responds": {"choice": "ask-app-not-to-track"}},
            {"request-tracking-authorization": {}}
        ]));
        assert_eq!(r.steps[1].state.get("prompt-shown"), Some(&json!(true)));
        assert_eq!(r.steps[2].state.get("returned"), Some(&json!("denied")));
        assert_eq!(r.steps[3].state.get("prompt-shown"), Some(&json!(false)));
        assert_eq!(r.steps[3].state.get("returned"), Some(&json!("denied")));
    }

    #[test]
    fn inactive_requests_leave_not_determined_and_no_switch() {
        let r = run_json(json!([
            {"install": {"build": "testflight"}},
            {"request-tracking-authorization": {"app-state": "inactive"}},
            {"app-switch": {"on": true}}
        ]));
        assert_eq!(r.steps[1].state.get("returned"), Some(&json!("notDetermined")));
        assert_eq!(r.steps[2].state.get("status"), Some(&json!("notDetermined")));
        assert_eq!(r.steps[2].state.get("app-switch"), Some(&json!("absent")));
        assert!(r.summary.iter().any(|l| l.contains("Stuck in notDetermined")));
    }

    #[test]
    fn global_switch_off_denies_without_prompt() {
        let r = run_json(json!([
            {"install": {}},
            {"allow-apps-to-request": {"on": false}},
            {"read-status": {}},
            {"request-tracking-authorization": {}},
            {"allow-apps-to-request": {"on": true}}
        ]));
        assert_eq!(r.steps[2].state.get("returned"), Some(&json!("denied")));
        assert_eq!(r.steps[3].state.get("prompt-shown"), Some(&json!(false)));
        assert_eq!(r.steps[4].state.get("status"), Some(&json!("denied")));
    }

    #[test]
    fn own_website_is_not_tracking_but_a_third_party_sdk_is() {
        let r = run_json(json!([
            {"install": {}},
            {"open-website": {}},
            {"open-website": {"third-party-sdk": true}}
        ]));
        assert_eq!(r.steps[1].state.get("website-flow"), Some(&json!("not tracking")));
        assert_eq!(r.steps[2].state.get("website-flow"), Some(&json!("tracking: not permitted")));
    }

    #[test]
    fn unknown_fields_are_document_errors() {
        let err = parse(json!({"steps": [{"install": {"bulid": "testflight"}}]})).expect_err("typo");
        assert_eq!(err.path, "/steps/0/install/bulid");
        let err = parse(json!({"steps": [], "platform": "ios"})).expect_err("unknown top-level");
        assert_eq!(err.path, "/platform");
    }
}
