//! Event steps (`device`, `reboot`, `app`, `biometry`) as comments saying what to do by hand,
//! followed by a `// keyplay-step: {…}` marker that the importer turns back into the step.

use super::swift::comment;
use serde_json::{json, Value as Json};

pub fn event_lines(event: &str, value: &Json, out: &mut Vec<String>) {
    let what = match event {
        "device" => device(value),
        "reboot" => "Restart the device and do not unlock it yet (before first unlock).".to_string(),
        "app" => format!(
            "Install an app update whose entitlements change to {} (fields not named stay as they were).",
            serde_json::to_string(value).unwrap_or_default()
        ),
        "biometry" => match value.as_str() {
            Some("changed") => "In Settings, change the biometric enrollment (add a fingerprint or reset Face ID): \
                items bound to .biometryCurrentSet become unusable."
                .to_string(),
            Some("none") => "In Settings, remove every Face ID / Touch ID enrollment.".to_string(),
            Some("enrolled") => "In Settings, enroll Face ID or Touch ID.".to_string(),
            _ => format!("Change biometry: {value}"),
        },
        other => format!("Keyplay step {other} has no Swift equivalent."),
    };
    comment(&format!("By hand: {what}"), out);
    let marker = serde_json::to_string(&json!({ event: value })).unwrap_or_default();
    out.push(format!("// keyplay-step: {marker}"));
}

fn device(value: &Json) -> String {
    let mut parts = Vec::new();
    match value.get("locked").and_then(Json::as_bool) {
        Some(true) => parts.push("lock the device (press the side button) and wait for it to lock"),
        Some(false) => parts.push("unlock the device"),
        None => {}
    }
    match value.get("unlocked-since-boot").and_then(Json::as_bool) {
        Some(false) => parts.push("restart it and leave it locked (not unlocked since boot)"),
        Some(true) => parts.push("make sure it has been unlocked once since boot"),
        None => {}
    }
    match value.get("biometry").and_then(Json::as_str) {
        Some("none") => parts.push("remove every Face ID / Touch ID enrollment"),
        Some("enrolled") => parts.push("enroll Face ID or Touch ID"),
        _ => {}
    }
    match value.get("passcode").and_then(Json::as_bool) {
        Some(false) => parts.push("turn the passcode off (Settings > Face ID & Passcode)"),
        Some(true) => parts.push("set a device passcode"),
        None => {}
    }
    if parts.is_empty() {
        format!("change the device state to {value}.")
    } else {
        let mut text = parts.join(", then ");
        text.push_str(", then run the next call (from a background task if the device is locked).");
        let mut chars = text.chars();
        chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
    }
}
