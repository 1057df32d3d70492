//! macOS screen capture consent (TCC service `ScreenCapture`, "Screen & System Audio
//! Recording" in System Settings), kind `tcc-screen-capture`.
//!
//! Rules and where they come from:
//! - A grant is remembered for the code's designated requirement (DR): ad-hoc code's DR is
//!   its cdhash, so every rebuild is new code; a certificate-signed app's DR names its bundle
//!   id and signing certificate, so it survives rebuilds and moves but not re-signing with
//!   another identity: [`TN3127`], [`REQUIREMENTS`] (documented).
//! - `tccutil reset ScreenCapture [bundle-id]` deletes the decisions: [`TCCUTIL`].
//! - `CGPreflightScreenCaptureAccess` reports whether the current code holds the grant, and
//!   `CGRequestScreenCaptureAccess` asks: the functions are documented only by name
//!   ([`PREFLIGHT`], [`REQUEST`]); that the alert shows at most once, that a grant takes
//!   effect after the app is relaunched and that a removed entry needs a reboot before the
//!   request works again are reported, not documented ([`SEED_THREAD`], [`RELAUNCH`]).
//! - macOS 15 and later ask again periodically whether the app may continue to capture:
//!   [`SEQUOIA`] (release notes, documented: apps using deprecated capture APIs get alerts)
//!   and [`MONTHLY`] (the roughly monthly interval, reported).

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::stepper::{self, Effect, Evidence, Machine, Source, State, Step, StepperReport};

pub const TN3127: Source = Source {
    title: "TN3127: Inside Code Signing: Requirements (privacy choices not remembered during development)",
    url: "https://developer.apple.com/documentation/technotes/tn3127-inside-code-signing-requirements",
    evidence: Evidence::Documented,
};
pub const REQUIREMENTS: Source = Source {
    title: "Applying Code Requirements (the designated requirement identifies the same code later)",
    url: "https://developer.apple.com/documentation/security/applying-code-requirements",
    evidence: Evidence::Documented,
};
pub const TCCUTIL: Source = Source {
    title: "tccutil(1): tccutil reset SERVICE [BUNDLE_ID]",
    url: "x-man-page://1/tccutil",
    evidence: Evidence::Documented,
};
pub const PREFLIGHT: Source = Source {
    title: "CGPreflightScreenCaptureAccess()",
    url: "https://developer.apple.com/documentation/coregraphics/cgpreflightscreencaptureaccess()",
    evidence: Evidence::Documented,
};
pub const REQUEST: Source = Source {
    title: "CGRequestScreenCaptureAccess()",
    url: "https://developer.apple.com/documentation/coregraphics/cgrequestscreencaptureaccess()",
    evidence: Evidence::Documented,
};
pub const SEQUOIA: Source = Source {
    title: "macOS 15 release notes: deprecated capture APIs trigger alerts; use ScreenCaptureKit and SCContentSharingPicker",
    url: "https://developer.apple.com/documentation/macos-release-notes/macos-15-release-notes",
    evidence: Evidence::Documented,
};
pub const MONTHLY: Source = Source {
    title: "Press reports (9to5Mac, via pxlnv.com): macOS 15 re-asks about screen recording monthly, no longer at every reboot",
    url: "https://pxlnv.com/blog/macos-should-permit-risks",
    evidence: Evidence::Reported,
};
pub const SEED_THREAD: Source = Source {
    title: "Forums: ScreenCapture permissions disappear and don't return (request shows nothing until a reboot)",
    url: "https://developer.apple.com/forums/topics/privacy-and-security",
    evidence: Evidence::Reported,
};
pub const RELAUNCH: Source = Source {
    title: "Developer reports: a screen recording grant takes effect after \"Quit & Reopen\"; the first request adds the app switched off",
    url: "https://www.screenify.studio/blog/2026-04-23-macos-screen-recording-permissions",
    evidence: Evidence::Reported,
};
pub const STALE_ENTRY: Source = Source {
    title: "Developer reports: a stale entry for an earlier signature hides the prompt until it is removed or reset",
    url: "https://docs.clawd.bot/platforms/mac/permissions",
    evidence: Evidence::Reported,
};

/// How the app is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signing {
    /// `codesign -s -` / Xcode "Sign to Run Locally".
    #[default]
    AdHoc,
    AppleDevelopment,
    DeveloperId,
}

impl Signing {
    fn name(self) -> &'static str {
        match self {
            Signing::AdHoc => "ad-hoc",
            Signing::AppleDevelopment => "apple-development",
            Signing::DeveloperId => "developer-id",
        }
    }
}

/// The events of a `tcc-screen-capture` document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", rename_all_fields = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// Put a build of the app on disk (replaces the previous build).
    Install {
        #[serde(default = "default_bundle_id")]
        bundle_id: String,
        #[serde(default = "default_path")]
        path: String,
        #[serde(default)]
        signing: Signing,
        /// The certificate's common name (Apple Development) or the team id (Developer ID).
        #[serde(default)]
        identity: Option<String>,
    },
    /// Build again with the same signing settings.
    Rebuild {},
    /// Sign the same app with another signing kind or identity.
    ReSign {
        signing: Signing,
        #[serde(default)]
        identity: Option<String>,
    },
    /// Move the app bundle.
    Move {
        path: String,
    },
    Launch {},
    Quit {},
    /// `CGPreflightScreenCaptureAccess()`.
    Preflight {},
    /// `CGRequestScreenCaptureAccess()`.
    Request {},
    /// Capture the screen (ScreenCaptureKit, CGWindowListCreateImage, …).
    Capture {},
    /// The app's switch in Privacy & Security > Screen & System Audio Recording.
    SettingsSwitch {
        on: bool,
    },
    /// The "−" button: remove the app from the list.
    SettingsRemove {},
    /// The "+" button: add the app (switched on).
    SettingsAdd {},
    /// `tccutil reset ScreenCapture [bundle-id]`.
    TccutilReset {
        #[serde(default)]
        bundle_id: Option<String>,
    },
    Reboot {},
    /// Time passes.
    Wait {
        days: u32,
    },
    /// The user answers the periodic "continue to allow?" alert.
    Reconfirm {
        allow: bool,
    },
}

fn default_bundle_id() -> String {
    "com.example.recorder".into()
}

fn default_path() -> String {
    "/Applications/Recorder.app".into()
}

pub const EVENT_NAMES: &[&str] = &[
    "install",
    "rebuild",
    "re-sign",
    "move",
    "launch",
    "quit",
    "preflight",
    "request",
    "capture",
    "settings-switch",
    "settings-remove",
    "settings-add",
    "tccutil-reset",
    "reboot",
    "wait",
    "reconfirm",
];

/// The days after which macOS 15+ asks again (reported: monthly).
pub const RECONFIRM_DAYS: i64 = 30;

/// A `tcc-screen-capture` document: the macOS major version and the events.
#[derive(Debug, Clone, PartialEq)]
pub struct TccDocument {
    pub macos: u32,
    pub steps: Vec<Step<Event>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    #[serde(default = "default_macos")]
    macos: u32,
}

fn default_macos() -> u32 {
    26
}

/// Parses a `tcc-screen-capture` document.
pub fn parse(value: Value) -> Result<TccDocument, DocError> {
    let (rest, steps) = stepper::split_document(value)?;
    let setup: Setup = parse_typed(Value::Object(rest), "")?;
    if !(11..=99).contains(&setup.macos) {
        return Err(DocError::new(
            "/macos",
            format!("macos is a major version such as 14, 15 or 26, not {}", setup.macos),
        ));
    }
    let steps = stepper::parse_steps(steps, "/steps", Tcc::STATE_KEYS, EVENT_NAMES)?;
    Ok(TccDocument { macos: setup.macos, steps })
}

/// Runs a `tcc-screen-capture` document from `now`.
pub fn run(doc: &TccDocument, now: Instant) -> StepperReport {
    stepper::run(Tcc::new(doc.macos, now), &doc.steps)
}

#[derive(Debug, Clone)]
struct App {
    bundle_id: String,
    path: String,
    signing: Signing,
    identity: Option<String>,
    build: u32,
}

impl App {
    /// The designated requirement `codesign` derives when none is given explicitly.
    fn designated_requirement(&self) -> String {
        match self.signing {
            Signing::AdHoc => {
                let digest = Sha256::digest(format!("{}#{}", self.bundle_id, self.build).as_bytes());
                format!("cdhash H\"{}\"", hex::encode(&digest[..20]))
            }
            Signing::AppleDevelopment => format!(
                "identifier \"{}\" and anchor apple generic and certificate leaf[subject.CN] = \"{}\" and certificate 1[field.1.2.840.113635.100.6.2.1] /* exists */",
                self.bundle_id,
                self.identity.as_deref().unwrap_or("Apple Development: Jane Appleseed (ABCDE12345)")
            ),
            Signing::DeveloperId => format!(
                "identifier \"{}\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = {}",
                self.bundle_id,
                self.identity.as_deref().unwrap_or("SKMME9E2Y8")
            ),
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    bundle_id: String,
    /// The requirement recorded when the entry was made.
    requirement: String,
    allowed: bool,
    /// When the switch was last turned on or the grant re-confirmed.
    confirmed_at: i64,
}

#[derive(Debug, Clone)]
struct Process {
    requirement: String,
    started_at: i64,
}

/// The TCC database's view of one app, the running process and the clock.
#[derive(Debug, Clone)]
pub struct Tcc {
    macos: u32,
    now: i64,
    app: Option<App>,
    running: Option<Process>,
    entry: Option<Entry>,
    reboot_needed: bool,
    reconfirm_pending: bool,
    silent_request: Option<&'static str>,
    // Per-step results.
    request_returned: Option<bool>,
    prompt: &'static str,
    capture: Option<&'static str>,
}

impl Tcc {
    pub fn new(macos: u32, now: Instant) -> Tcc {
        Tcc {
            macos,
            now: now.unix(),
            app: None,
            running: None,
            entry: None,
            reboot_needed: false,
            reconfirm_pending: false,
            silent_request: None,
            request_returned: None,
            prompt: "none",
            capture: None,
        }
    }

    /// The requirement of the code that asks: the running process, else the app on disk.
    fn code_requirement(&self) -> Option<String> {
        self.running
            .as_ref()
            .map(|p| p.requirement.clone())
            .or_else(|| self.app.as_ref().map(App::designated_requirement))
    }

    fn entry_matches(&self) -> bool {
        match (&self.entry, self.code_requirement()) {
            (Some(entry), Some(req)) => entry.requirement == req,
            _ => false,
        }
    }

    /// What `CGPreflightScreenCaptureAccess()` returns.
    pub fn preflight(&self) -> bool {
        self.entry.as_ref().is_some_and(|e| e.allowed) && self.entry_matches()
    }

    fn days_since_confirmed(&self) -> Option<i64> {
        self.entry.as_ref().filter(|e| e.allowed).map(|e| (self.now - e.confirmed_at).max(0) / 86_400)
    }

    fn reconfirmation_due(&self) -> bool {
        self.macos >= 15 && self.days_since_confirmed().is_some_and(|d| d >= RECONFIRM_DAYS)
    }

    fn explain_mismatch(&self, fx: &mut Effect) {
        if let (Some(entry), Some(app)) = (&self.entry, &self.app) {
            let why = match app.signing {
                Signing::AdHoc => {
                    "the app is ad-hoc signed, so its designated requirement is its cdhash and every build is new code"
                }
                _ => "the app was signed with a different identity than when the entry was made",
            };
            fx.because(
                format!("The entry for {} was recorded for a different designated requirement: {why}. The switch may look on in System Settings, but it does not apply to this code.", entry.bundle_id),
                TN3127,
            );
        }
    }

    fn request(&mut self, fx: &mut Effect) {
        if self.app.is_none() {
            fx.say("No app is installed: add an install step first.");
            return;
        }
        if self.preflight() {
            fx.because("The current code already holds the grant: CGRequestScreenCaptureAccess returns true and shows nothing.", REQUEST);
            self.request_returned = Some(true);
            return;
        }
        self.request_returned = Some(false);
        if self.reboot_needed {
            fx.because(
                "The app's entry was removed with the \"−\" button: the request returns false and shows no alert, and keeps doing so until the Mac restarts. CGPreflightScreenCaptureAccess still answers correctly (false).",
                SEED_THREAD,
            );
            self.silent_request =
                Some("the entry had been removed in System Settings; only a restart brings the alert back");
            return;
        }
        match &self.entry {
            Some(_) if !self.entry_matches() => {
                self.explain_mismatch(fx);
                fx.because(
                    "The stale entry keeps the alert from showing: the request returns false silently. Remove the entry (\"−\") or run tccutil reset ScreenCapture <bundle-id>, and sign with a stable identity.",
                    STALE_ENTRY,
                );
                self.silent_request = Some("the entry belonged to an earlier signature of the app");
            }
            Some(entry) if !entry.allowed => {
                fx.because(
                    "The app is already in the list, switched off: the alert is shown only once, so the request returns false without UI. The user has to turn the switch on in System Settings.",
                    RELAUNCH,
                );
                self.silent_request = Some("the alert had already been shown once and the switch is off");
            }
            _ => {
                let Some(req) = self.code_requirement() else { return };
                let Some(app) = &self.app else { return };
                fx.because(
                    "No decision for this code yet: the system shows the screen recording alert (with \"Open System Settings\") and adds the app to the list, switched off. The call does not wait for the user: it returns false.",
                    RELAUNCH,
                );
                fx.because("The entry is recorded for the code's designated requirement.", REQUIREMENTS);
                self.entry = Some(Entry {
                    bundle_id: app.bundle_id.clone(),
                    requirement: req,
                    allowed: false,
                    confirmed_at: self.now,
                });
                self.prompt = "first-request alert";
            }
        }
    }

    fn capture(&mut self, fx: &mut Effect) {
        let Some(process) = &self.running else {
            fx.say("The app is not running: launch it first.");
            return;
        };
        if !self.preflight() {
            if self.entry.is_some() && !self.entry_matches() {
                self.explain_mismatch(fx);
            }
            fx.because("No grant for this code: capture gets only the desktop and the app's own windows (ScreenCaptureKit fails).", PREFLIGHT);
            self.capture = Some("denied");
            return;
        }
        let granted_after_launch = self.entry.as_ref().is_some_and(|e| e.confirmed_at > process.started_at);
        if granted_after_launch && !self.reconfirm_pending {
            fx.because("The grant was given while the app was running: it takes effect after the app quits and reopens (System Settings offers \"Quit & Reopen\").", RELAUNCH);
            self.capture = Some("needs relaunch");
            return;
        }
        if self.reconfirm_pending || self.reconfirmation_due() {
            fx.because(
                format!(
                    "macOS {} asks again whether the app may continue to record the screen ({} days since it was last allowed): capture waits for the answer.",
                    self.macos,
                    self.days_since_confirmed().unwrap_or(0)
                ),
                MONTHLY,
            );
            fx.because("Apps using deprecated capture APIs (CGDisplayStream, CGWindowListCreateImage) trigger these alerts; ScreenCaptureKit with SCContentSharingPicker is the recommended path.", SEQUOIA);
            self.reconfirm_pending = true;
            self.prompt = "continue-to-allow alert";
            self.capture = Some("awaiting re-confirmation");
            return;
        }
        fx.because("The current code holds the grant: capture works.", PREFLIGHT);
        self.capture = Some("allowed");
    }
}

impl Machine for Tcc {
    type Event = Event;
    const STATE_KEYS: &'static [&'static str] = &[
        "signing",
        "designated-requirement",
        "running",
        "entry",
        "entry-matches-code",
        "preflight",
        "request-returned",
        "prompt",
        "capture",
        "reboot-needed",
        "days-since-allowed",
    ];

    fn event_name(event: &Event) -> &'static str {
        match event {
            Event::Install { .. } => "install",
            Event::Rebuild {} => "rebuild",
            Event::ReSign { .. } => "re-sign",
            Event::Move { .. } => "move",
            Event::Launch {} => "launch",
            Event::Quit {} => "quit",
            Event::Preflight {} => "preflight",
            Event::Request {} => "request",
            Event::Capture {} => "capture",
            Event::SettingsSwitch { .. } => "settings-switch",
            Event::SettingsRemove {} => "settings-remove",
            Event::SettingsAdd {} => "settings-add",
            Event::TccutilReset { .. } => "tccutil-reset",
            Event::Reboot {} => "reboot",
            Event::Wait { .. } => "wait",
            Event::Reconfirm { .. } => "reconfirm",
        }
    }

    fn apply(&mut self, event: &Event) -> Effect {
        let mut fx = Effect::default();
        self.request_returned = None;
        self.prompt = "none";
        self.capture = None;
        // Each step takes a second, so grants and launches are ordered.
        self.now = self.now.saturating_add(1);
        match event {
            Event::Install { bundle_id, path, signing, identity } => {
                let build = self.app.as_ref().map_or(1, |a| a.build.saturating_add(1));
                self.app = Some(App {
                    bundle_id: bundle_id.clone(),
                    path: path.clone(),
                    signing: *signing,
                    identity: identity.clone(),
                    build,
                });
                fx.because(
                    format!(
                        "{} at {} is signed {}; its designated requirement is what TCC will remember.",
                        bundle_id,
                        path,
                        signing.name()
                    ),
                    REQUIREMENTS,
                );
                if *signing == Signing::AdHoc {
                    fx.because("Ad-hoc signing has no certificate: the designated requirement is the cdhash, so grants do not survive a rebuild.", TN3127);
                }
            }
            Event::Rebuild {} => {
                match &mut self.app {
                    Some(app) => {
                        app.build = app.build.saturating_add(1);
                        if app.signing == Signing::AdHoc {
                            fx.because("Rebuilt ad-hoc: new cdhash, new designated requirement — to TCC this is a different app.", TN3127);
                        } else {
                            fx.because("Rebuilt with the same certificate: the designated requirement (bundle id + certificate) is unchanged, so the grant still applies.", TN3127);
                        }
                    }
                    None => fx.say("No app is installed: nothing to rebuild."),
                }
            }
            Event::ReSign { signing, identity } => match &mut self.app {
                Some(app) => {
                    let before = app.designated_requirement();
                    app.signing = *signing;
                    app.identity = identity.clone();
                    app.build = app.build.saturating_add(1);
                    if app.designated_requirement() == before {
                        fx.because(
                            "Re-signed with the same identity: the designated requirement is unchanged.",
                            TN3127,
                        );
                    } else {
                        fx.because(format!("Re-signed ({}): the designated requirement changed, so an existing grant no longer applies.", signing.name()), TN3127);
                    }
                }
                None => fx.say("No app is installed: nothing to sign."),
            },
            Event::Move { path } => match &mut self.app {
                Some(app) => {
                    // The cdhash and the certificate do not depend on the location.
                    app.path = path.clone();
                    fx.because(
                        "Moved: the code and its designated requirement are unchanged, so TCC still recognises it (run it from one place; several copies with different signatures confuse the list).",
                        TN3127,
                    );
                }
                None => fx.say("No app is installed: nothing to move."),
            },
            Event::Launch {} => match self.code_requirement_on_disk() {
                Some(requirement) => {
                    if self.running.is_some() {
                        fx.say("Already running.");
                    } else {
                        self.running = Some(Process { requirement, started_at: self.now });
                        fx.say("The app launched.");
                    }
                }
                None => fx.say("No app is installed: nothing to launch."),
            },
            Event::Quit {} => {
                self.running = None;
                fx.say("The app quit.");
            }
            Event::Preflight {} => {
                let value = self.preflight();
                if self.entry.is_some() && !self.entry_matches() {
                    self.explain_mismatch(&mut fx);
                }
                fx.because(format!("CGPreflightScreenCaptureAccess returns {value}: it only reports whether the current code holds the grant and never prompts."), PREFLIGHT);
            }
            Event::Request {} => self.request(&mut fx),
            Event::Capture {} => self.capture(&mut fx),
            Event::SettingsSwitch { on } => match &mut self.entry {
                Some(entry) => {
                    entry.allowed = *on;
                    if *on {
                        entry.confirmed_at = self.now;
                        fx.because(
                            "The user switched the app on. The entry keeps the requirement it was made with.",
                            RELAUNCH,
                        );
                    } else {
                        fx.say("The user switched the app off.");
                    }
                    if !self.entry_matches() && *on {
                        self.explain_mismatch(&mut fx);
                    }
                }
                None => fx.say("The app is not in the list, so there is no switch; use \"+\" to add it."),
            },
            Event::SettingsRemove {} => {
                if self.entry.take().is_some() {
                    self.reboot_needed = true;
                    self.reconfirm_pending = false;
                    fx.because("The user removed the app from the list with \"−\": its decision is gone.", RELAUNCH);
                    fx.because("Reported: after a removal, CGRequestScreenCaptureAccess shows no alert again until the Mac restarts.", SEED_THREAD);
                } else {
                    fx.say("The app is not in the list.");
                }
            }
            Event::SettingsAdd {} => match (self.app.as_ref(), self.code_requirement_on_disk()) {
                (Some(app), Some(requirement)) => {
                    self.entry = Some(Entry {
                        bundle_id: app.bundle_id.clone(),
                        requirement,
                        allowed: true,
                        confirmed_at: self.now,
                    });
                    self.reconfirm_pending = false;
                    fx.because("The user added the app with \"+\": the entry is recorded for the app's current designated requirement, switched on.", REQUIREMENTS);
                }
                _ => fx.say("No app is installed: nothing to add."),
            },
            Event::TccutilReset { bundle_id } => {
                let hit = match (bundle_id, &self.entry) {
                    (Some(id), Some(entry)) => entry.bundle_id == *id,
                    (None, Some(_)) => true,
                    _ => false,
                };
                if hit {
                    self.entry = None;
                    self.reconfirm_pending = false;
                }
                let scope = bundle_id.as_deref().unwrap_or("every app");
                fx.because(
                    format!(
                        "tccutil reset ScreenCapture {scope}: decisions deleted{}.",
                        if hit { "" } else { " (this app had none)" }
                    ),
                    TCCUTIL,
                );
                if self.reboot_needed {
                    fx.because("Reported: the seed thread needed a restart, not a reset, before the request showed its alert again.", SEED_THREAD);
                }
            }
            Event::Reboot {} => {
                self.running = None;
                self.reboot_needed = false;
                fx.say("The Mac restarted; the app is not running.");
                if self.macos >= 15 {
                    fx.because(
                        "Since macOS 15 beta 6 a restart no longer triggers the re-confirmation alert by itself.",
                        MONTHLY,
                    );
                }
            }
            Event::Wait { days } => {
                self.now = self.now.saturating_add(i64::from(*days).saturating_mul(86_400));
                fx.say(format!("{days} days pass."));
            }
            Event::Reconfirm { allow } => {
                if !self.reconfirm_pending {
                    fx.say("No re-confirmation alert is on screen.");
                } else {
                    self.reconfirm_pending = false;
                    if let Some(entry) = &mut self.entry {
                        if *allow {
                            entry.confirmed_at = self.now;
                            if let Some(p) = &mut self.running {
                                // The process keeps capturing: the answer applies at once.
                                p.started_at = self.now;
                            }
                            self.capture = Some("allowed");
                            fx.because(
                                "The user chose to continue allowing: capture resumes and the interval starts over.",
                                MONTHLY,
                            );
                        } else {
                            entry.allowed = false;
                            self.capture = Some("denied");
                            fx.because("The user declined: the switch is now off.", MONTHLY);
                        }
                    }
                }
            }
        }
        fx
    }

    fn snapshot(&self) -> State {
        let mut s = State::default();
        if let Some(app) = &self.app {
            s.put("signing", app.signing.name());
            s.put("designated-requirement", app.designated_requirement());
        }
        s.put("running", self.running.is_some());
        s.put(
            "entry",
            match &self.entry {
                None => "absent",
                Some(e) if e.allowed => "on",
                Some(_) => "off",
            },
        );
        if self.entry.is_some() {
            s.put("entry-matches-code", self.entry_matches());
        }
        s.put("preflight", self.preflight());
        if let Some(returned) = self.request_returned {
            s.put("request-returned", returned);
        }
        s.put("prompt", self.prompt);
        if let Some(capture) = self.capture {
            s.put("capture", capture);
        }
        s.put("reboot-needed", self.reboot_needed);
        if let Some(days) = self.days_since_confirmed() {
            s.put("days-since-allowed", days);
        }
        s
    }

    fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(reason) = self.silent_request {
            out.push(format!(
                "CGRequestScreenCaptureAccess returned false without showing anything because {reason}. It never waits for the user and shows its alert at most once per decision; after that, send the user to System Settings > Privacy & Security > Screen & System Audio Recording."
            ));
        }
        if self.entry.is_some() && !self.entry_matches() {
            out.push("The grant belongs to an earlier signature: sign every build with the same Apple Development or Developer ID certificate so the designated requirement stays the same.".to_string());
        }
        out
    }
}

impl Tcc {
    fn code_requirement_on_disk(&self) -> Option<String> {
        self.app.as_ref().map(App::designated_requirement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_json(doc: Value) -> StepperReport {
        run(&parse(doc).expect("parses"), Instant(1_780_000_000))
    }

    #[test]
    fn ad_hoc_rebuild_loses_the_grant_but_a_certificate_keeps_it() {
        for (signing, after_rebuild) in [("ad-hoc", false), ("developer-id", true)] {
            let r = run_json(json!({"steps": [
                {"install": {"signing": signing}},
                "settings-add",
                "rebuild",
                "preflight"
            ]}));
            assert_eq!(r.steps[1].state.get("preflight"), Some(&json!(true)), "{signing}");
            assert_eq!(r.steps[3].state.get("preflight"), Some(&json!(after_rebuild)), "{signing}");
        }
    }

    #[test]
    fn first_request_prompts_once_and_returns_false() {
        let r = run_json(json!({"steps": ["install", "launch", "request", "request"]}));
        assert_eq!(r.steps[2].state.get("prompt"), Some(&json!("first-request alert")));
        assert_eq!(r.steps[2].state.get("request-returned"), Some(&json!(false)));
        assert_eq!(r.steps[3].state.get("prompt"), Some(&json!("none")));
        assert_eq!(r.steps[3].state.get("entry"), Some(&json!("off")));
    }

    #[test]
    fn removal_needs_a_reboot_before_the_alert_returns() {
        let r = run_json(
            json!({"steps": ["install", "launch", "request", "settings-remove", "request", "reboot", "launch", "request"]}),
        );
        assert_eq!(r.steps[4].state.get("prompt"), Some(&json!("none")));
        assert_eq!(r.steps[4].state.get("reboot-needed"), Some(&json!(true)));
        assert_eq!(r.steps[7].state.get("prompt"), Some(&json!("first-request alert")));
    }

    #[test]
    fn monthly_reconfirmation_on_macos_15_only() {
        for (macos, want) in [(15, "awaiting re-confirmation"), (14, "allowed")] {
            let r = run_json(json!({"macos": macos, "steps": [
                {"install": {"signing": "developer-id"}}, "settings-add", "launch", {"wait": {"days": 31}}, "capture"
            ]}));
            assert_eq!(r.steps[4].state.get("capture"), Some(&json!(want)), "macOS {macos}");
        }
    }

    #[test]
    fn bad_macos_is_a_document_error() {
        assert_eq!(parse(json!({"macos": 3, "steps": []})).expect_err("range").path, "/macos");
    }
}
