//! One entry point for every kind of evidence, shared by the CLI (`keyplay import KIND FILE`)
//! and the page's evidence panel: bytes in, a document fragment out ([`import`]), and the
//! fragment folded into a document ([`merge`]).

use serde_json::{json, Map, Value as Json};

use super::{dump, entitlements_bytes, profile, ImportError};
use crate::instant::Instant;

/// What the developer has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// `codesign -d --entitlements - APP` output or an `.entitlements` file.
    Entitlements,
    /// An `embedded.mobileprovision` / `.provisionprofile`.
    Profile,
    /// A keychain dump (`dumpGenericPasswords()` printout or `security dump-keychain`).
    Dump,
    /// Swift or Objective-C SecItem code.
    Swift,
}

impl Source {
    /// Every source, in the order the page offers them.
    pub const ALL: [Source; 4] = [Source::Swift, Source::Entitlements, Source::Profile, Source::Dump];

    /// The CLI's word for it (`keyplay import WORD FILE`).
    pub fn name(self) -> &'static str {
        match self {
            Source::Entitlements => "entitlements",
            Source::Profile => "profile",
            Source::Dump => "dump",
            Source::Swift => "swift",
        }
    }

    /// What the page calls it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Entitlements => "Signed entitlements (codesign -d --entitlements -)",
            Source::Profile => "Provisioning profile (.mobileprovision / .provisionprofile)",
            Source::Dump => "Keychain dump (dumpGenericPasswords() or security dump-keychain)",
            Source::Swift => "Swift / Objective-C SecItem code",
        }
    }

    /// The source a CLI word names.
    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }
}

// A source is its CLI word (how the page's worker names it, `crate::wire`).
crate::serde_by_name!(Source, name, from_name, "no evidence source is called");

/// What one piece of evidence gave: the document fragment, and what to tell the user about
/// it (a line per fact: what was found; notes: what was left out or is worth knowing). The
/// release page's worker sends it (`crate::wire`), hence serde.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    pub fragment: Json,
    pub found: Vec<String>,
    pub notes: Vec<String>,
    /// The Swift importer's problems, with their places (Swift and Objective-C only).
    pub problems: Vec<crate::codegen::Problem>,
    /// Values the code does not give (properties, parameters), still unfilled: each stands in
    /// the steps as `"<name>"` (Swift and Objective-C only).
    pub placeholders: Vec<crate::codegen::Placeholder>,
    /// Patterns of the post's pitfalls found in the code (Swift and Objective-C only).
    pub flags: Vec<crate::codegen::Flag>,
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn app_lines(app: &crate::keychain::document::App) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(id) = &app.application_identifier {
        found.push(format!("application identifier {id}"));
    }
    if let Some(groups) = &app.keychain_access_groups {
        found.push(format!(
            "keychain access groups: {}",
            if groups.is_empty() { "none".into() } else { groups.join(", ") }
        ));
    }
    if let Some(groups) = &app.application_groups {
        found.push(format!("app groups: {}", if groups.is_empty() { "none".into() } else { groups.join(", ") }));
    }
    found
}

fn of_entitlements(e: &super::Entitlements) -> (Vec<String>, Vec<String>) {
    let mut found = app_lines(&e.app);
    if let Some(team) = &e.team_id {
        found.push(format!("team id {team}"));
    }
    let mut notes: Vec<String> = e.ignored.iter().map(|i| format!("ignored {}: {}", i.entitlement, i.why)).collect();
    notes.extend(e.notes.iter().cloned());
    (found, notes)
}

/// Reads `bytes` as `source` and returns what it gives. For a profile, `signed` is the app's
/// signed entitlements (optional): the result then lists every keychain-relevant difference
/// between the two. For code, `fills` gives values to placeholders (`("service", "AYS")` puts
/// `AYS` wherever `"<service>"` stands). `now` decides whether a profile expired.
pub fn import(
    source: Source,
    bytes: &[u8],
    signed: Option<&[u8]>,
    fills: &[(String, String)],
    now: Instant,
) -> Result<Evidence, ImportError> {
    let evidence = |fragment, found, notes| Evidence {
        fragment,
        found,
        notes,
        problems: Vec::new(),
        placeholders: Vec::new(),
        flags: Vec::new(),
    };
    match source {
        Source::Entitlements => {
            let e = entitlements_bytes(bytes)?;
            let (found, notes) = of_entitlements(&e);
            Ok(evidence(e.fragment(), found, notes))
        }
        Source::Dump => {
            let d = dump(&String::from_utf8_lossy(bytes))?;
            let mut found = vec![plural(d.items.len(), "item")];
            found.extend(d.items.iter().map(|i| {
                let class = i.item.get("kSecClass").and_then(Json::as_str).unwrap_or("an item of unknown class");
                format!("line {}: {class}", i.line)
            }));
            let mut notes = d.notes.clone();
            for (n, item) in d.items.iter().enumerate() {
                notes.extend(
                    item.unrecovered.iter().map(|u| format!("item {}: {} not recovered: {}", n + 1, u.key, u.why)),
                );
            }
            Ok(evidence(d.fragment(), found, notes))
        }
        Source::Profile => {
            let p = profile(bytes, now)?;
            let differences = match signed {
                None => Vec::new(),
                Some(signed) => {
                    let signed = entitlements_bytes(signed)
                        .map_err(|e| ImportError::new(format!("the signed entitlements: {e}")))?;
                    profile::compare(&p, &signed)
                }
            };
            let mut found = Vec::new();
            found.extend(p.name.as_ref().map(|n| format!("profile \"{n}\"")));
            if !p.team_ids.is_empty() {
                found.push(format!("team {}", p.team_ids.join(", ")));
            }
            if let Some(expires) = p.expires {
                let when = if p.expired == Some(true) { "expired" } else { "expires" };
                found.push(format!("{when} {}", expires.to_rfc3339()));
            }
            match (p.all_devices, p.devices) {
                (true, _) => found.push("all devices (enterprise)".into()),
                (false, Some(n)) => found.push(plural(n, "device")),
                (false, None) => found.push("no device list (a distribution profile)".into()),
            }
            let (entitled, mut notes) = of_entitlements(&p.entitlements);
            found.extend(entitled);
            notes.extend(differences.iter().map(|d| format!("difference ({}): {}", d.id, d.message)));
            Ok(evidence(p.fragment(&differences), found, notes))
        }
        Source::Swift => {
            let imported = crate::codegen::import(&String::from_utf8_lossy(bytes));
            if imported.steps.is_empty() {
                let mut message =
                    "no SecItem call found (SecItemAdd, SecItemCopyMatching, SecItemUpdate, SecItemDelete)".to_string();
                for p in &imported.problems {
                    message.push_str(&format!("\nline {}: {}", p.line, p.message));
                }
                return Err(ImportError::new(message));
            }
            let mut steps = imported.steps;
            crate::codegen::fill(&mut steps, fills);
            let placeholders: Vec<_> =
                imported.placeholders.into_iter().filter(|p| !fills.iter().any(|(n, _)| *n == p.name)).collect();
            let mut found = vec![plural(steps.len(), "step")];
            if !placeholders.is_empty() {
                let names: Vec<String> = placeholders.iter().map(|p| format!("<{}>", p.name)).collect();
                found.push(format!("values to fill in: {}", names.join(", ")));
            }
            let notes =
                imported.flags.iter().map(|f| format!("step {}: {} ({})", f.step + 1, f.message, f.id)).collect();
            Ok(Evidence {
                fragment: json!({
                    "steps": steps,
                    "x-evidence": {
                        "from": "swift",
                        "problems": imported.problems,
                        "placeholders": placeholders,
                        "flags": imported.flags,
                    },
                }),
                found,
                notes,
                problems: imported.problems,
                placeholders,
                flags: imported.flags,
            })
        }
    }
}

/// A new keychain document for evidence that arrives while another kind is open.
fn empty_keychain_document() -> Json {
    json!({
        "kind": "keychain",
        "title": "From your evidence",
        "platform": "ios",
        "steps": [],
    })
}

/// `doc` with `fragment` folded in: `steps` are appended, `app` members replace the
/// document's members of the same name, `keychain` (a dump) replaces the starting keychain,
/// and every other member (`platform`, `x-evidence`) replaces the document's. A document of
/// another kind (or none) is replaced by a new keychain document first; nothing else in a
/// keychain document is touched.
pub fn merge(doc: Option<&Json>, fragment: &Json) -> Result<Json, ImportError> {
    let Json::Object(parts) = fragment else { return Err(ImportError::new("the fragment is not a JSON object")) };
    let mut doc = match doc {
        Some(d) if d.get("kind").and_then(Json::as_str) == Some("keychain") => d.clone(),
        _ => empty_keychain_document(),
    };
    let Json::Object(map) = &mut doc else { return Err(ImportError::new("the document is not a JSON object")) };
    for (key, value) in parts {
        match key.as_str() {
            "steps" => {
                let Json::Array(new) = value else {
                    return Err(ImportError::new("the fragment's steps are not a list"));
                };
                match map.entry("steps").or_insert_with(|| Json::Array(Vec::new())) {
                    Json::Array(list) => list.extend(new.iter().cloned()),
                    _ => return Err(ImportError::new("the document's steps are not a list")),
                }
            }
            "app" => {
                let Json::Object(new) = value else {
                    return Err(ImportError::new("the fragment's app is not an object"));
                };
                let app = map.entry("app").or_insert_with(|| Json::Object(Map::new()));
                let Json::Object(app) = app else {
                    return Err(ImportError::new("the document's app is not an object"));
                };
                app.extend(new.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => {
                map.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(doc)
}
