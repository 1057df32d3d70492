//! The SecItem semantics engine: a keychain state and the four calls on it.

mod add;
pub mod copy;
mod explain_miss;
mod filters;
mod matching;
mod modify;
pub mod query;
mod refs;
mod result;
mod shim;

pub use result::attributes;

pub use copy::fingerprint as fingerprint_of;
pub use explain_miss::ItemMiss;
pub use query::{Fail, Limit, Query, Returns};

use crate::instant::Instant;
use crate::keychain::document::{App, Biometry, DevicePatch, Platform};
use crate::keychain::pitfalls::{found, Id, Pitfall};
use crate::keychain::protection::{Availability, Protection};
use crate::keychain::schema::Class;
use crate::keychain::store::{Item, Store};
use crate::keychain::value::{
    Value, FLAG_BIOMETRY_ANY, FLAG_BIOMETRY_CURRENT_SET, FLAG_DEVICE_PASSCODE, FLAG_OR, FLAG_USER_PRESENCE,
};
use crate::status::Status;

/// Device state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    pub locked: bool,
    pub unlocked_since_boot: bool,
    pub biometry: Biometry,
    pub passcode: bool,
    /// How many times the biometric enrolment changed during the run.
    pub enrolment_changes: u32,
}

impl Device {
    /// The device a document describes (defaults: unlocked, biometry enrolled, passcode set).
    pub fn from_patch(patch: &DevicePatch) -> Device {
        let mut device = Device {
            locked: false,
            unlocked_since_boot: true,
            biometry: Biometry::Enrolled,
            passcode: true,
            enrolment_changes: 0,
        };
        device.apply(patch);
        device
    }

    /// Applies a partial state. Unlocking implies the first unlock since boot happened.
    pub fn apply(&mut self, patch: &DevicePatch) {
        if let Some(locked) = patch.locked {
            self.locked = locked;
            if !locked {
                self.unlocked_since_boot = true;
            }
        }
        if let Some(since) = patch.unlocked_since_boot {
            self.unlocked_since_boot = since;
        }
        if let Some(b) = patch.biometry {
            self.biometry = b;
        }
        if let Some(p) = patch.passcode {
            self.passcode = p;
        }
    }

    /// Whether the class key for a protection class is in memory.
    pub fn class_key_available(&self, protection: Protection) -> bool {
        match protection.availability() {
            Availability::Always => true,
            Availability::AfterFirstUnlock => self.unlocked_since_boot,
            Availability::WhileUnlockedWithPasscode => !self.locked && self.unlocked_since_boot && self.passcode,
            Availability::WhileUnlocked => !self.locked && self.unlocked_since_boot,
        }
    }

    /// A phrase for the lock state.
    pub fn lock_phrase(&self) -> &'static str {
        match (self.locked, self.unlocked_since_boot) {
            (_, false) => "locked, not unlocked since boot",
            (true, true) => "locked (after first unlock)",
            (false, true) => "unlocked",
        }
    }
}

/// What one call produced.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    pub status: Status,
    pub result: serde_json::Value,
    pub count: usize,
    pub explanation: Vec<String>,
    pub pitfalls: Vec<Pitfall>,
}

/// Memory of earlier calls, for pitfalls that span steps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// rowids a copy could not read because the device was locked.
    pub unreadable_while_locked: Vec<u64>,
    /// Primary-key fingerprints of copies that failed with errSecInteractionNotAllowed.
    pub locked_read_queries: Vec<(Class, Vec<(String, String)>)>,
    /// Primary-key fingerprints of copies that found nothing (check-then-add).
    pub not_found_queries: Vec<(Class, Vec<(String, String)>)>,
    /// Primary-key fingerprints of successful deletes (delete-then-add).
    pub deleted_queries: Vec<(Class, Vec<(String, String)>)>,
}

/// The simulated keychain, the app calling it, and the device.
#[derive(Debug, Clone)]
pub struct Keychain {
    pub platform: Platform,
    pub app: App,
    pub device: Device,
    pub store: Store,
    pub now: Instant,
    pub history: History,
}

/// A trace of reasoning and the pitfalls found, collected while a call runs.
#[derive(Debug, Default)]
pub struct Trace {
    pub lines: Vec<String>,
    pub pitfalls: Vec<Pitfall>,
    /// The caller wants a copy's count and not its result (a run whose result budget is
    /// spent): the result is a stand-in (see [`Keychain::count_matching`]).
    pub counting: bool,
}

impl Trace {
    pub fn say(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    pub fn pitfall(&mut self, pitfall: Pitfall) {
        if !self.pitfalls.iter().any(|p| p.id == pitfall.id) {
            self.pitfalls.push(pitfall);
        }
    }
}

impl Keychain {
    pub fn new(platform: Platform, app: App, device: Device, now: Instant) -> Keychain {
        Keychain { platform, app, device, store: Store::default(), now, history: History::default() }
    }

    /// The caller's access groups on the data protection keychain.
    pub fn access_groups(&self) -> Vec<String> {
        if self.platform.is_macos() {
            self.app.access_groups_macos()
        } else {
            self.app.access_groups()
        }
    }

    /// Whether reading an item needs user authentication, and what happens if it does.
    /// Returns Ok(true) when the item is readable, Ok(false) when it is skipped
    /// (kSecUseAuthenticationUISkip), Err with the status otherwise.
    pub fn authenticate(&self, item: &Item, query: &Query, trace: &mut Trace) -> Result<bool, Fail> {
        let Some(ac) = item.access_control.as_ref().filter(|ac| ac.has_constraints()) else {
            return Ok(true);
        };
        match query.auth_ui.as_deref() {
            Some("u_AuthUIS") => {
                trace.say("the item needs authentication and kSecUseAuthenticationUISkip is set: it is skipped");
                return Ok(false);
            }
            Some("u_AuthUIF") => {
                trace.say("the item needs authentication but kSecUseAuthenticationUIFail forbids the prompt");
                return Err(Fail::new(
                    Status::InteractionNotAllowed,
                    "authentication would need UI, which the call disallows",
                ));
            }
            _ => {}
        }
        let bits = ac.bits();
        if item.invalidated {
            // SecAccessControl.m, SecAccessControlCreateWithFlags: several constraints become one
            // k-of-n constraint, k = 1 with kSecAccessControlOr, else all of them. The changed
            // biometric set fails its constraint for good; another alternative may still open the item.
            let passcode_alternative =
                bits & FLAG_OR != 0 && bits & (FLAG_DEVICE_PASSCODE | FLAG_USER_PRESENCE) != 0 && self.device.passcode;
            if passcode_alternative {
                trace.say("the biometric set this item was bound to has changed, so its biometry alternative can never succeed; it was created with kSecAccessControlOr and the device passcode, so the passcode prompt opens it");
                trace.say(crate::keychain::choices::BIOMETRY_OR_PASSCODE.note);
                trace.pitfall(found(
                    Id::AccessControlPrompts,
                    "Face ID or Touch ID can no longer open this item; the system asks for the device passcode instead.",
                ));
                return Ok(true);
            }
            let (status, choice) = crate::keychain::choices::BIOMETRY_INVALIDATED;
            trace.say(format!("the item is bound to a biometric set that has changed since it was added, and no other alternative of its access control can open it: every read needs the secret decrypted (even attributes only), so every read fails ({})", choice.note));
            trace.pitfall(found(Id::BiometryCurrentSetInvalidated, "This item was protected with kSecAccessControlBiometryCurrentSet (without an .or alternative) and the enrolled fingers or face changed: it can never be read again."));
            return Err(Fail::new(status, "the item's biometric binding was invalidated"));
        }
        let biometry_only = bits & (FLAG_BIOMETRY_ANY | FLAG_BIOMETRY_CURRENT_SET) != 0
            && !(bits & FLAG_OR != 0 && bits & (FLAG_DEVICE_PASSCODE | FLAG_USER_PRESENCE) != 0);
        if biometry_only && self.device.biometry == Biometry::None {
            trace.say("the item requires biometry, and none is enrolled: authentication fails");
            return Err(Fail::new(Status::AuthFailed, "biometry is required but not enrolled"));
        }
        trace.say(format!("the item's access control ({}) requires authentication: the system shows a prompt, and Keyplay assumes the user passes it", ac.flags.join(" | ")));
        trace.pitfall(found(
            Id::AccessControlPrompts,
            "Reading this item (even only its attributes, or just checking it exists) triggers the authentication prompt.",
        ));
        Ok(true)
    }
}

/// Turns a call's answer and trace into its outcome.
pub(crate) fn finish(answer: Result<(serde_json::Value, usize), Fail>, mut trace: Trace) -> CallOutcome {
    match answer {
        Ok((result, count)) => {
            CallOutcome { status: Status::Success, result, count, explanation: trace.lines, pitfalls: trace.pitfalls }
        }
        Err(fail) => {
            trace.say(fail.why);
            CallOutcome {
                status: fail.status,
                result: serde_json::Value::Null,
                count: 0,
                explanation: trace.lines,
                pitfalls: trace.pitfalls,
            }
        }
    }
}

impl Keychain {
    /// The pitfall of a read (or an update's read) that the lock state refuses for `item`.
    pub(crate) fn locked_read(&self, item: &Item) -> Pitfall {
        found(
            Id::LockedRead,
            format!(
                "The device is {}; the item's protection class is {}.",
                self.device.lock_phrase(),
                item.protection()
            ),
        )
    }

    /// Puts a document's initial item in place without the entitlement checks (it may
    /// sit in a group the app cannot see: that is the point of some examples).
    pub fn seed(&mut self, dict: &crate::keychain::document::Dict) -> Result<(), Fail> {
        let mut trace = Trace::default();
        let saved = (self.app.clone(), self.device);
        let group = match dict.get("kSecAttrAccessGroup") {
            Some(Value::Str(g)) => Some(g.clone()),
            _ => None,
        };
        // Grant the item's own group and unlock the device for the duration of the seeding.
        if let Some(g) = &group {
            let mut groups = self.app.keychain_access_groups.clone().unwrap_or_default();
            groups.insert(0, g.clone());
            self.app.keychain_access_groups = Some(groups);
        } else if self.app.access_groups().is_empty() {
            self.app.application_identifier = Some("TEAMID1234.com.example.app".into());
        }
        self.device = Device { locked: false, unlocked_since_boot: true, passcode: true, ..self.device };
        let outcome = self.add(dict);
        let _ = &mut trace;
        (self.app, self.device) = saved;
        if outcome.status == Status::Success {
            Ok(())
        } else {
            let why = outcome.explanation.last().cloned().unwrap_or_default();
            Err(Fail::new(outcome.status, why))
        }
    }

    /// Applies a biometry event.
    pub fn biometry_event(&mut self, event: crate::keychain::document::BiometryEvent) -> Vec<String> {
        use crate::keychain::document::BiometryEvent;
        match event {
            BiometryEvent::Changed => {
                let ids: Vec<u64> = self
                    .store
                    .iter()
                    .filter(|i| i.access_control.as_ref().is_some_and(|ac| ac.has(FLAG_BIOMETRY_CURRENT_SET)))
                    .map(|i| i.rowid)
                    .collect();
                for id in &ids {
                    if let Some(item) = self.store.get_mut_for_flag(*id) {
                        item.invalidated = true;
                    }
                }
                self.device.biometry = Biometry::Enrolled;
                self.device.enrolment_changes = self.device.enrolment_changes.saturating_add(1);
                vec![format!(
                    "biometric enrolment changed: {} item(s) bound to the current set are invalidated",
                    ids.len()
                )]
            }
            BiometryEvent::None => {
                self.device.biometry = Biometry::None;
                vec!["no biometry enrolled".into()]
            }
            BiometryEvent::Enrolled => {
                self.device.biometry = Biometry::Enrolled;
                vec!["biometry enrolled".into()]
            }
        }
    }

    /// Applies a device change; removing the passcode deletes WhenPasscodeSet items.
    pub fn device_event(&mut self, patch: &DevicePatch) -> Vec<String> {
        let had_passcode = self.device.passcode;
        self.device.apply(patch);
        let mut lines = vec![format!("device is {}", self.device.lock_phrase())];
        if had_passcode && !self.device.passcode {
            let doomed: Vec<u64> = self
                .store
                .iter()
                .filter(|i| i.protection() == Protection::WhenPasscodeSetThisDeviceOnly)
                .map(|i| i.rowid)
                .collect();
            for id in &doomed {
                self.store.remove(*id);
            }
            lines.push(format!("passcode removed: {} WhenPasscodeSetThisDeviceOnly item(s) deleted", doomed.len()));
        }
        lines
    }
}
