//! The device's state across a run, lane by lane (lock, biometry, passcode), in words the page
//! draws as a timeline: which steps ran locked, before the first unlock, after the biometric
//! enrolment changed.

use super::document::Biometry;
use super::engine::Device;
use super::run::KeychainReport;

/// One lane: a name and one state per step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub name: &'static str,
    pub states: Vec<State>,
}

/// A lane's state at one step: its words and whether it is the state that keeps items closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub word: &'static str,
    /// Locked, not unlocked since boot, no biometry, no passcode, enrolment changed here.
    pub closed: bool,
}

const fn state(word: &'static str, closed: bool) -> State {
    State { word, closed }
}

fn lock(d: &Device) -> State {
    match (d.locked, d.unlocked_since_boot) {
        (_, false) => state("before first unlock", true),
        (true, true) => state("locked", true),
        (false, true) => state("unlocked", false),
    }
}

/// The lanes for `report`, or `None` when the device never changed and no step concerned it
/// (then a timeline would say nothing).
pub fn lanes(report: &KeychainReport) -> Option<Vec<Lane>> {
    let first = report.device.first()?;
    let device_steps = report.steps.iter().any(|s| matches!(s.call, "device" | "reboot" | "biometry"));
    if !device_steps && report.device.iter().all(|d| d == first) {
        return None;
    }
    let mut changes = 0;
    let biometry = report
        .device
        .iter()
        .map(|d| {
            let changed_here = d.enrolment_changes > changes;
            changes = d.enrolment_changes;
            match d.biometry {
                Biometry::Enrolled if changed_here => state("enrolment changed", true),
                Biometry::Enrolled => state("enrolled", false),
                Biometry::None => state("none", true),
            }
        })
        .collect();
    Some(vec![
        Lane { name: "Lock", states: report.device.iter().map(lock).collect() },
        Lane { name: "Biometry", states: biometry },
        Lane {
            name: "Passcode",
            states: report
                .device
                .iter()
                .map(|d| if d.passcode { state("set", false) } else { state("none", true) })
                .collect(),
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instant::Instant;
    use crate::keychain::document::parse;

    fn report(steps: &str) -> KeychainReport {
        let doc = serde_json::from_str(&format!(r#"{{"platform": "ios", "steps": {steps}}}"#)).unwrap();
        crate::keychain::run(&parse(doc).unwrap(), Instant(1_800_000_000)).unwrap()
    }

    #[test]
    fn a_run_without_device_steps_has_no_timeline() {
        let r = report(r#"[{"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword"}}]"#);
        assert_eq!(lanes(&r), None);
    }

    #[test]
    fn lock_reboot_and_enrolment_change_show_at_their_steps() {
        let r = report(
            r#"[{"device": {"locked": true}},
                {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword"}},
                {"reboot": {}},
                {"device": {"locked": false}},
                {"biometry": "changed"},
                {"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword"}}]"#,
        );
        let lanes = lanes(&r).unwrap();
        let words = |lane: &Lane| lane.states.iter().map(|s| s.word).collect::<Vec<_>>();
        assert_eq!(words(&lanes[0]), ["locked", "locked", "before first unlock", "unlocked", "unlocked", "unlocked"]);
        assert_eq!(words(&lanes[1]), ["enrolled", "enrolled", "enrolled", "enrolled", "enrolment changed", "enrolled"]);
        assert!(lanes[1].states[4].closed);
        assert_eq!(words(&lanes[2]), ["set"; 6]);
    }
}
