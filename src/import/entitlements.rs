//! Signed entitlements → the keychain document's `app` block.
//!
//! Reads what `codesign -d --entitlements - /path/to/your.app` prints (the XML plist of older
//! codesign or `--xml`, and the `[Dict]` / `[Key] … [Value]` text form of current codesign, with
//! or without its `Executable=…` line), an `.entitlements` file, or a binary plist. Three
//! entitlements decide keychain access (`keychain-access-groups`, `application-identifier` —
//! `com.apple.application-identifier` on macOS — and `com.apple.security.application-groups`);
//! the team id comes from `com.apple.developer.team-identifier` or the App ID prefix. Every other
//! entitlement is listed as ignored, with the reason.

use super::plist_value::{parse_plist, PValue};
use super::{check_size, text_plist, ImportError};
use crate::keychain::document::{App, Platform};
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

/// Which form the entitlements came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    #[serde(rename = "xml-plist")]
    XmlPlist,
    #[serde(rename = "codesign-text")]
    CodesignText,
    #[serde(rename = "binary-plist")]
    BinaryPlist,
    /// Entitlements inside a provisioning profile.
    #[serde(rename = "profile")]
    Profile,
}

/// An entitlement that does not go into the `app` block, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    pub entitlement: String,
    pub why: String,
}

/// Imported entitlements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entitlements {
    pub format: Format,
    /// The `app` block (serialize it with [`app_json`]).
    #[serde(skip)]
    pub app: App,
    /// The team id: `com.apple.developer.team-identifier`, else the App ID prefix.
    #[serde(rename = "team-id")]
    pub team_id: Option<String>,
    /// The App ID prefix (the part of the application identifier before the first dot).
    #[serde(rename = "app-id-prefix")]
    pub app_id_prefix: Option<String>,
    /// The platform the entitlements point to (`com.apple.application-identifier` is macOS).
    #[serde(skip)]
    pub platform: Option<Platform>,
    pub ignored: Vec<Ignored>,
    /// Things worth knowing: unexpanded build settings, groups without a team prefix, …
    pub notes: Vec<String>,
    /// Every entitlement as written, as JSON.
    #[serde(skip)]
    pub all: Map<String, Json>,
}

impl Entitlements {
    /// The document fragment: `{"platform"?, "app": {…}, "x-evidence": {…}}`. Keys starting
    /// with `x-` are ignored by the document parser, so the fragment pastes into a document.
    pub fn fragment(&self) -> Json {
        let mut map = Map::new();
        if let Some(p) = self.platform {
            map.insert("platform".into(), json!(p.name()));
        }
        map.insert("app".into(), app_json(&self.app));
        let mut evidence = serde_json::to_value(self).unwrap_or(Json::Null);
        if let Some(obj) = evidence.as_object_mut() {
            obj.insert("from".into(), json!("entitlements"));
            obj.remove("platform");
        }
        map.insert("x-evidence".into(), evidence);
        Json::Object(map)
    }
}

/// The `app` block as the document writes it.
pub fn app_json(app: &App) -> Json {
    let mut map = Map::new();
    if let Some(id) = &app.application_identifier {
        map.insert("application-identifier".into(), json!(id));
    }
    if let Some(groups) = &app.keychain_access_groups {
        map.insert("keychain-access-groups".into(), json!(groups));
    }
    if let Some(groups) = &app.application_groups {
        map.insert("application-groups".into(), json!(groups));
    }
    Json::Object(map)
}

/// Reads pasted entitlements (XML plist, codesign's text form, `.entitlements` file).
pub fn entitlements(text: &str) -> Result<Entitlements, ImportError> {
    entitlements_bytes(text.as_bytes())
}

/// Reads entitlements from a file's bytes (also a binary plist).
pub fn entitlements_bytes(bytes: &[u8]) -> Result<Entitlements, ImportError> {
    check_size(bytes.len(), "entitlements text")?;
    if bytes.starts_with(b"bplist") {
        let root = parse_plist(bytes)?;
        return from_root(&root, Format::BinaryPlist, Vec::new());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::new("the entitlements are neither text (UTF-8) nor a binary plist"))?;
    let text = text.trim_start_matches('\u{feff}');
    if let Some(start) = find_any(text, &["<?xml", "<!DOCTYPE plist", "<plist"]) {
        // Older codesign put a binary blob header before the XML; what precedes `<?xml` is
        // skipped, and so is anything after `</plist>` (a shell prompt pasted along).
        let body = &text[start..];
        let end = body.find("</plist>").map(|e| e + "</plist>".len()).unwrap_or(body.len());
        let root = parse_plist(body[..end].as_bytes())?;
        return from_root(&root, Format::XmlPlist, Vec::new());
    }
    // The text form: skip codesign's `Executable=…` (and similar `Name=value`) lines.
    let mut offset = 0;
    let mut first_line = 1;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            break;
        }
        if !t.is_empty() && !looks_like_header(t) {
            return Err(ImportError::at(
                first_line,
                "not entitlements: expected an XML plist (<?xml … <plist>), codesign's text form ([Dict] / [Key] … [Value]) or a binary plist",
            ));
        }
        offset += line.len();
        first_line += 1;
    }
    if offset >= text.len() {
        return Err(ImportError::new(
            "no entitlements found: expected an XML plist (<?xml … <plist>) or codesign's text form starting with [Dict]; an app without entitlements prints nothing but its Executable= line",
        ));
    }
    let parsed = text_plist::parse(&text[offset..], first_line)?;
    let mut notes = Vec::new();
    if parsed.flat {
        notes.push("the text form lost its indentation (pasted from a web page?): arrays are read up to the next [Key]; nested dictionaries cannot be told apart".to_string());
    }
    from_root(&parsed.root, Format::CodesignText, notes)
}

fn find_any(text: &str, needles: &[&str]) -> Option<usize> {
    needles.iter().filter_map(|n| text.find(n)).min()
}

/// `Executable=/path`, `Identifier=…`: codesign's information lines.
fn looks_like_header(line: &str) -> bool {
    line.split_once('=').is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Builds the import from a root dictionary (also used for a profile's `Entitlements`).
pub(crate) fn from_root(root: &PValue, format: Format, mut notes: Vec<String>) -> Result<Entitlements, ImportError> {
    let PValue::Dict(entries) = root else {
        return Err(ImportError::new(format!("entitlements are a dictionary, not {}", root.type_name())));
    };
    let mut app = App::default();
    let mut ignored = Vec::new();
    let mut platform = None;
    let mut team_id = None;
    let mut ios_id = None;
    let mut mac_id = None;
    let mut all = Map::new();
    for (key, value) in entries {
        all.insert(key.clone(), value.to_json());
        let wrong_type = |expected: &str| Ignored {
            entitlement: key.clone(),
            why: format!(
                "it is {}, where {expected} was expected: the system would not grant it either",
                value.type_name()
            ),
        };
        match key.as_str() {
            "application-identifier" | "com.apple.application-identifier" => match value.as_str() {
                Some(id) if key == "application-identifier" => ios_id = Some(id.to_string()),
                Some(id) => mac_id = Some(id.to_string()),
                None => ignored.push(wrong_type("a string")),
            },
            "keychain-access-groups" => match value.as_strings() {
                Some(groups) => app.keychain_access_groups = Some(groups),
                None => ignored.push(wrong_type("an array of strings")),
            },
            "com.apple.security.application-groups" => match value.as_strings() {
                Some(groups) => app.application_groups = Some(groups),
                None => ignored.push(wrong_type("an array of strings")),
            },
            "com.apple.developer.team-identifier" => match value.as_str() {
                Some(t) => team_id = Some(t.to_string()),
                None => ignored.push(wrong_type("a string")),
            },
            _ => ignored.push(Ignored { entitlement: key.clone(), why: why_ignored(key).to_string() }),
        }
    }
    match (&ios_id, &mac_id) {
        (Some(i), Some(m)) if i != m => notes.push(format!(
            "application-identifier ({i}) and com.apple.application-identifier ({m}) differ: Keyplay uses {i}"
        )),
        (None, Some(_)) => platform = Some(Platform::Macos),
        (Some(_), None) => platform = Some(Platform::Ios),
        _ => {}
    }
    if platform.is_none()
        && all.keys().any(|k| k.starts_with("com.apple.security.") && k != "com.apple.security.application-groups")
    {
        platform = Some(Platform::Macos);
    }
    app.application_identifier = ios_id.or(mac_id);
    let app_id_prefix =
        app.application_identifier.as_deref().and_then(|id| id.split_once('.')).map(|(p, _)| p.to_string());
    if team_id.is_none() {
        team_id = app_id_prefix.clone().filter(|p| looks_like_team_id(p));
    } else if let (Some(t), Some(p)) = (&team_id, &app_id_prefix) {
        if t != p && !p.contains('$') {
            notes.push(format!("the App ID prefix {p} is not the team id {t}: a legacy (unique) App ID prefix; the keychain uses the prefix in the application identifier. Moving to the team id is an App ID prefix change, which hides every item in the old groups"));
        }
    }
    expand_build_settings(&mut app, app_id_prefix.as_deref(), team_id.as_deref(), &mut notes);
    check_groups(&app, platform, format, &mut notes);
    if app.application_identifier.is_none() {
        notes.push("no application-identifier: without it (and without keychain-access-groups) the app has no keychain access group, and SecItemAdd fails with errSecMissingEntitlement".into());
    }
    Ok(Entitlements { format, app, team_id, app_id_prefix, platform, ignored, notes, all })
}

/// Ten upper-case letters or digits.
pub(crate) fn looks_like_team_id(s: &str) -> bool {
    s.len() == 10 && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// `$(AppIdentifierPrefix)` and `$(TeamIdentifierPrefix)` appear in `.entitlements` sources.
fn expand_build_settings(app: &mut App, prefix: Option<&str>, team: Option<&str>, notes: &mut Vec<String>) {
    let mut unexpanded = false;
    let mut expand = |s: &mut String| {
        if !s.contains("$(") {
            return;
        }
        if let Some(p) = prefix.filter(|p| !p.contains('$')) {
            *s = s.replace("$(AppIdentifierPrefix)", &format!("{p}."));
        }
        if let Some(t) = team {
            *s = s.replace("$(TeamIdentifierPrefix)", &format!("{t}."));
        }
        unexpanded |= s.contains("$(");
    };
    let mut touched = false;
    for list in [&mut app.keychain_access_groups, &mut app.application_groups].into_iter().flatten() {
        for g in list.iter_mut() {
            touched |= g.contains("$(");
            expand(g);
        }
    }
    if let Some(id) = app.application_identifier.as_mut() {
        touched |= id.contains("$(");
        expand(id);
    }
    if touched {
        notes.push("these are build-time entitlements (an .entitlements file with $(…) build settings), not what the app was signed with: check them with codesign -d --entitlements - /path/to/your.app".into());
    }
    if unexpanded {
        notes.push("some $(…) build settings could not be expanded (no App ID prefix or team id known): those groups are kept as written and will match nothing".into());
    }
}

fn check_groups(app: &App, platform: Option<Platform>, format: Format, notes: &mut Vec<String>) {
    for g in app.keychain_access_groups.iter().flatten() {
        let prefix = g.split_once('.').map(|(p, _)| p).unwrap_or("");
        if g.contains('*') && format != Format::Profile {
            notes.push(format!("keychain access group {g} has a wildcard: only a provisioning profile may, the signed entitlements name each group"));
        } else if !looks_like_team_id(prefix) && g != "com.apple.token" && !g.contains("$(") {
            notes.push(format!("keychain access group {g} has no team id prefix: the system refuses to grant it (see the access-group-missing-team-prefix example)"));
        }
    }
    if platform != Some(Platform::Ios) && app.application_groups.as_ref().is_some_and(|g| !g.is_empty()) {
        notes.push(
            "on macOS an app group works as a keychain access group only when a provisioning profile authorises it"
                .into(),
        );
    }
    if platform == Some(Platform::Macos) {
        notes.push("platform macos is the data protection keychain (kSecUseDataProtectionKeychain); code that does not opt in talks to the file-based keychain: use platform macos-file".into());
    }
}

/// Why an entitlement does not decide keychain access.
fn why_ignored(key: &str) -> &'static str {
    match key {
        "com.apple.security.app-sandbox" => "the App Sandbox does not change which keychain access groups an app has",
        "get-task-allow" | "com.apple.security.get-task-allow" => "lets a debugger attach (development signing); no effect on the keychain",
        "aps-environment" | "com.apple.developer.aps-environment" => "push notifications; no effect on the keychain",
        "com.apple.developer.associated-domains" => "associated domains (universal links, web credentials); they are not keychain access groups",
        "com.apple.developer.applesignin" => "the Sign in with Apple capability: check its tokens with a jwt document",
        "com.apple.developer.devicecheck.appattest-environment" => "App Attest's environment: use it as an app-attest document's environment",
        "com.apple.developer.default-data-protection" => "the default data protection of files; keychain items take kSecAttrAccessible (default kSecAttrAccessibleWhenUnlocked)",
        "com.apple.developer.authentication-services.autofill-credential-provider" => "a credential provider extension; the extension's own keychain access is not modelled",
        "com.apple.smartcard" | "com.apple.security.smartcard" => "smart-card tokens are not modelled",
        "beta-reports-active" => "TestFlight; no effect on the keychain",
        "com.apple.developer.ubiquity-kvstore-identifier" | "com.apple.developer.icloud-container-identifiers" | "com.apple.developer.icloud-services" | "com.apple.developer.ubiquity-container-identifiers" | "com.apple.developer.icloud-container-environment" => "iCloud storage; iCloud Keychain needs no entitlement (kSecAttrSynchronizable)",
        _ if key.starts_with("com.apple.security.") => "a sandbox or hardened-runtime permission; no effect on keychain access groups",
        _ => "not one of the entitlements that decide keychain access (keychain-access-groups, application-identifier, com.apple.security.application-groups)",
    }
}
