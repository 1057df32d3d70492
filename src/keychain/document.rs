//! The `keychain` document kind: platform, app, device, initial items and steps.

use super::constants::{self, KeyDef};
use super::value::Value;
use crate::document::{parse_typed, suggestion, DocError};
use crate::instant::Instant;
use crate::status::Status;
use serde::Deserialize;
use serde_json::{Map, Value as Json};

/// Which keychain the simulated app talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
pub enum Platform {
    /// iOS and its siblings: the data protection keychain.
    #[default]
    #[serde(rename = "ios")]
    Ios,
    /// macOS using the data protection keychain (`kSecUseDataProtectionKeychain`).
    #[serde(rename = "macos")]
    Macos,
    /// macOS through the shim to the file-based keychain.
    #[serde(rename = "macos-file")]
    MacosFile,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Ios, Platform::Macos, Platform::MacosFile];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Ios => "ios",
            Platform::Macos => "macos",
            Platform::MacosFile => "macos-file",
        }
    }

    pub fn is_macos(self) -> bool {
        self != Platform::Ios
    }
}

/// The calling app's signed entitlements.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct App {
    #[serde(rename = "application-identifier")]
    pub application_identifier: Option<String>,
    #[serde(rename = "keychain-access-groups")]
    pub keychain_access_groups: Option<Vec<String>>,
    #[serde(rename = "application-groups")]
    pub application_groups: Option<Vec<String>>,
    /// macOS: whether a provisioning profile validates the entitlements (default true).
    /// Without one only keychain-access-groups counts (SecTaskCopyAccessGroups).
    #[serde(rename = "provisioning-profile")]
    pub provisioning_profile: Option<bool>,
}

impl App {
    /// The app assumed when a document has no `app`.
    pub fn default_app() -> App {
        App { application_identifier: Some("TEAMID1234.com.example.app".into()), ..App::default() }
    }

    /// The access groups, in the order the system builds them: keychain-access-groups,
    /// the application identifier, then app groups.
    pub fn access_groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        let lists = [
            self.keychain_access_groups.clone().unwrap_or_default(),
            self.application_identifier.clone().into_iter().collect(),
            self.application_groups.clone().unwrap_or_default(),
        ];
        for g in lists.into_iter().flatten() {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        groups
    }

    /// The access groups on macOS (OSX/sec/ipc/server_entitlement_helpers.c,
    /// SecTaskCopyAccessGroups): when no provisioning profile validates the entitlements,
    /// only keychain-access-groups counts; the application identifier and app groups are ignored.
    pub fn access_groups_macos(&self) -> Vec<String> {
        if self.provisioning_profile == Some(false) {
            let mut groups: Vec<String> = Vec::new();
            for g in self.keychain_access_groups.clone().unwrap_or_default() {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
            groups
        } else {
            self.access_groups()
        }
    }

    /// Applies an `app` step: the fields given replace those of the same name.
    pub fn update(&mut self, patch: &App) {
        if patch.application_identifier.is_some() {
            self.application_identifier.clone_from(&patch.application_identifier);
        }
        if patch.keychain_access_groups.is_some() {
            self.keychain_access_groups.clone_from(&patch.keychain_access_groups);
        }
        if patch.application_groups.is_some() {
            self.application_groups.clone_from(&patch.application_groups);
        }
        if patch.provisioning_profile.is_some() {
            self.provisioning_profile = patch.provisioning_profile;
        }
    }
}

/// Biometric enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum Biometry {
    #[serde(rename = "none")]
    None,
    #[default]
    #[serde(rename = "enrolled")]
    Enrolled,
}

/// Partial device state (`device` in the document and in `device` steps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DevicePatch {
    pub locked: Option<bool>,
    #[serde(rename = "unlocked-since-boot")]
    pub unlocked_since_boot: Option<bool>,
    pub biometry: Option<Biometry>,
    /// Extension: whether a device passcode is set (default true).
    pub passcode: Option<bool>,
}

/// A `biometry` step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum BiometryEvent {
    #[serde(rename = "changed")]
    Changed,
    #[serde(rename = "none")]
    None,
    #[serde(rename = "enrolled")]
    Enrolled,
}

/// One dictionary entry: the key's definition and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: &'static KeyDef,
    pub value: Value,
}

/// A SecItem dictionary, in the order it was written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict(pub Vec<Entry>);

impl Dict {
    /// The value of the key with this constant name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|e| e.key.name == name).map(|e| &e.value)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Parses a JSON object whose keys are constant names.
    pub fn from_json(json: &Json, path: &str) -> Result<Dict, DocError> {
        let map = json
            .as_object()
            .ok_or_else(|| DocError::new(path, "a SecItem dictionary is a JSON object of constant names"))?;
        let mut entries = Vec::with_capacity(map.len());
        for (name, value) in map {
            let key_path = format!("{path}/{name}");
            let key = constants::key_by_name(name).ok_or_else(|| {
                DocError::new(&key_path, format!("unknown key {name}{}", suggestion(name, &constants::key_names())))
            })?;
            entries.push(Entry { key, value: Value::from_json(value, key.value, &key_path)? });
        }
        Ok(Dict(entries))
    }
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Add(Dict),
    CopyMatching(Dict),
    Update { query: Dict, attributes: Dict },
    Delete(Dict),
    Device(DevicePatch),
    Reboot,
    App(App),
    Biometry(BiometryEvent),
}

impl Action {
    /// The name shown in reports (`SecItemAdd`, `device`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Add(_) => "SecItemAdd",
            Action::CopyMatching(_) => "SecItemCopyMatching",
            Action::Update { .. } => "SecItemUpdate",
            Action::Delete(_) => "SecItemDelete",
            Action::Device(_) => "device",
            Action::Reboot => "reboot",
            Action::App(_) => "app",
            Action::Biometry(_) => "biometry",
        }
    }
}

const ACTIONS: [&str; 8] =
    ["SecItemAdd", "SecItemCopyMatching", "SecItemUpdate", "SecItemDelete", "device", "reboot", "app", "biometry"];

/// What a step expects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepExpect {
    pub status: Option<Status>,
    pub count: Option<usize>,
    pub result: Option<Json>,
    /// Extension: the exact set of pitfall ids the step must raise.
    pub pitfalls: Option<Vec<String>>,
}

/// One step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub action: Action,
    pub expect: Option<StepExpect>,
    pub note: Option<String>,
}

/// A whole keychain document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeychainDoc {
    pub platform: Platform,
    pub app: App,
    pub device: DevicePatch,
    pub keychain: Vec<Dict>,
    pub steps: Vec<Step>,
    /// Hashes of the JSON the initial items and the steps were parsed from ([`parse`] sets
    /// them; a document built otherwise has none, and an incremental run of it is a whole run).
    pub fingerprint: Fingerprint,
}

/// Hashes of a keychain document's JSON: one for the initial items, one per step. An
/// incremental run keeps these instead of the document, to find the first step that changed.
/// The hash follows the JSON exactly, key order included (a step's dictionary keeps its order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprint {
    pub keychain: u64,
    pub steps: Vec<u64>,
}

impl Fingerprint {
    /// Whether these are the fingerprints of `doc` as parsed (one per step).
    pub fn covers(&self, doc: &KeychainDoc) -> bool {
        self.steps.len() == doc.steps.len()
    }
}

/// Feeds `json` to a hash exactly: object keys in their order, numbers as written.
fn feed(json: &Json, h: &mut std::hash::DefaultHasher) {
    use std::hash::{Hash, Hasher};
    match json {
        Json::Object(map) => {
            h.write_u8(b'{');
            h.write_usize(map.len());
            for (key, value) in map {
                key.hash(h);
                feed(value, h);
            }
        }
        Json::Array(items) => {
            h.write_u8(b'[');
            h.write_usize(items.len());
            items.iter().for_each(|item| feed(item, h));
        }
        scalar => scalar.hash(h),
    }
}

/// A hash of `json` that follows it exactly: object keys in their order, numbers as written.
fn hash_json(json: &Json) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    feed(json, &mut h);
    h.finish()
}

/// An array part of a keychain document (`keychain` or `steps`), its elements handed over one
/// at a time, so that a document read from its text is never whole as JSON.
pub enum Elements<'a> {
    /// The part is an array: its elements, extension keys removed.
    Array(Box<dyn ExactSizeIterator<Item = Json> + 'a>),
    /// The part is there but is not an array.
    NotArray,
}

impl Elements<'_> {
    /// The elements of a parsed part.
    pub fn of(json: Json) -> Elements<'static> {
        match json {
            Json::Array(items) => Elements::Array(Box::new(items.into_iter())),
            _ => Elements::NotArray,
        }
    }

    /// The elements of a part's JSON text, each parsed when it is reached. An element the JSON
    /// parser refuses (a number out of range passes the first scan) sets `failed` and reads as
    /// `null`: the caller then reads the document whole, to say where it breaks.
    pub fn of_text<'a>(text: &'a str, failed: &'a std::cell::Cell<bool>) -> Elements<'a> {
        match serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
            Ok(raws) => Elements::of_texts(raws.into_iter().map(serde_json::value::RawValue::get), failed),
            Err(_) => Elements::NotArray,
        }
    }

    /// The elements of an array part already split into each element's JSON text (as
    /// [`Elements::of_text`] does).
    pub fn of_texts<'a>(
        texts: impl ExactSizeIterator<Item = &'a str> + 'a,
        failed: &'a std::cell::Cell<bool>,
    ) -> Elements<'a> {
        Elements::Array(Box::new(texts.map(move |text| {
            let mut json = serde_json::from_str(text).unwrap_or_else(|_| {
                failed.set(true);
                Json::Null
            });
            crate::document::strip_extensions(&mut json);
            json
        })))
    }
}

/// Parses the body of a `keychain` document (the envelope already removed).
pub fn parse(body: Json) -> Result<KeychainDoc, DocError> {
    let Json::Object(map) = body else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    parse_parts(map, |_, value| value.map(Elements::of))
}

/// Reads a `keychain` document from its text's outline, a step at a time: the top-level
/// fields other than `keychain` and `steps` are checked as [`crate::document::split`] checks
/// them, then each initial item and step is parsed, read and dropped in turn. Gives the
/// document and the time it runs at: what [`parse`] gives for the same text. `Ok(None)` when a
/// part is not JSON the parser takes (the whole text, parsed, says where).
pub fn read_outline(
    outline: &crate::document::Outline,
    clock: Instant,
) -> Result<Option<(KeychainDoc, Instant)>, DocError> {
    // `keychain` and `steps` keep their places (as nulls): the envelope's removals reorder the
    // fields around them as they do in the whole document, so the same unknown field is named.
    let mut top = Map::new();
    for (name, text) in outline.fields() {
        let value = match name {
            "keychain" | "steps" => Json::Null,
            _ => match serde_json::from_str(text) {
                Ok(value) => value,
                Err(_) => return Ok(None),
            },
        };
        top.insert(name.to_owned(), value);
    }
    let failed = std::cell::Cell::new(false);
    let read = crate::document::split(Json::Object(top), clock).and_then(|split| {
        let Json::Object(body) = split.body else {
            return Err(DocError::new("", "a document is a JSON object"));
        };
        // The outline has split the steps already; the initial items are split here.
        let doc = parse_parts(body, |name, placeholder| {
            placeholder?;
            match name {
                "steps" => Some(outline.step_texts().map_or(Elements::NotArray, |t| Elements::of_texts(t, &failed))),
                _ => outline.field_text(name).map(|text| Elements::of_text(text, &failed)),
            }
        })?;
        Ok((doc, split.envelope.now))
    });
    if failed.get() {
        return Ok(None);
    }
    read.map(Some)
}

/// Parses a body whose `keychain` and `steps` come as [`Elements`]: `elements` makes them from
/// the part's name and what the body holds under it.
fn parse_parts<'a>(
    mut map: Map<String, Json>,
    elements: impl Fn(&str, Option<Json>) -> Option<Elements<'a>>,
) -> Result<KeychainDoc, DocError> {
    const FIELDS: [&str; 5] = ["platform", "app", "device", "keychain", "steps"];
    if let Some(unknown) = map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(DocError::new(
            format!("/{unknown}"),
            format!("unknown field {unknown}{}", suggestion(unknown, &FIELDS)),
        ));
    }
    let platform = match map.remove("platform") {
        Some(p) => parse_typed(p, "/platform")?,
        None => Platform::default(),
    };
    let app = match map.remove("app") {
        Some(a) => parse_typed(a, "/app")?,
        None => App::default_app(),
    };
    let device = match map.remove("device") {
        Some(d) => parse_typed(d, "/device")?,
        None => DevicePatch::default(),
    };
    let mut fingerprint = Fingerprint::default();
    let keychain = match elements("keychain", map.remove("keychain")) {
        None => Vec::new(),
        Some(Elements::Array(items)) => {
            // The hash of the whole array, as `hash_json` would give it, fed an item at a time.
            use std::hash::Hasher;
            let mut h = std::hash::DefaultHasher::new();
            h.write_u8(b'[');
            h.write_usize(items.len());
            let dicts = items
                .enumerate()
                .map(|(i, item)| {
                    feed(&item, &mut h);
                    Dict::from_json(&item, &format!("/keychain/{i}"))
                })
                .collect::<Result<_, _>>()?;
            fingerprint.keychain = h.finish();
            dicts
        }
        Some(Elements::NotArray) => {
            return Err(DocError::new("/keychain", "keychain is an array of SecItemAdd dictionaries"))
        }
    };
    let steps = match elements("steps", map.remove("steps")) {
        None => Vec::new(),
        Some(Elements::Array(steps)) => steps
            .enumerate()
            .map(|(i, step)| {
                fingerprint.steps.push(hash_json(&step));
                parse_step(step, &format!("/steps/{i}"))
            })
            .collect::<Result<_, _>>()?,
        Some(Elements::NotArray) => return Err(DocError::new("/steps", "steps is an array")),
    };
    Ok(KeychainDoc { platform, app, device, keychain, steps, fingerprint })
}

fn parse_step(step: Json, path: &str) -> Result<Step, DocError> {
    let Json::Object(mut map) = step else {
        return Err(DocError::new(path, "a step is an object with one action key (SecItemAdd, SecItemCopyMatching, SecItemUpdate, SecItemDelete, device, reboot, app, biometry)"));
    };
    let expect = map.remove("expect").map(|e| parse_expect(e, &format!("{path}/expect"))).transpose()?;
    let note = match map.remove("note") {
        None => None,
        Some(Json::String(s)) => Some(s),
        Some(_) => return Err(DocError::new(format!("{path}/note"), "note is a string")),
    };
    let mut actions = map.into_iter();
    let Some((name, value)) = actions.next() else {
        return Err(DocError::new(path, format!("missing action: one of {}", ACTIONS.join(", "))));
    };
    if let Some((extra, _)) = actions.next() {
        return Err(DocError::new(
            format!("{path}/{extra}"),
            format!("a step has exactly one action; {name} is already given"),
        ));
    }
    let at = format!("{path}/{name}");
    let action = match name.as_str() {
        "SecItemAdd" => Action::Add(Dict::from_json(&value, &at)?),
        "SecItemCopyMatching" => Action::CopyMatching(Dict::from_json(&value, &at)?),
        "SecItemDelete" => Action::Delete(Dict::from_json(&value, &at)?),
        "SecItemUpdate" => parse_update(value, &at)?,
        "device" => Action::Device(parse_typed(value, &at)?),
        "reboot" => Action::Reboot,
        "app" => Action::App(parse_typed(value, &at)?),
        "biometry" => Action::Biometry(parse_typed(value, &at)?),
        other => {
            let mut candidates = ACTIONS.to_vec();
            candidates.extend(["expect", "note"]);
            return Err(DocError::new(at, format!("unknown action {other}{}", suggestion(other, &candidates))));
        }
    };
    Ok(Step { action, expect, note })
}

fn parse_update(value: Json, path: &str) -> Result<Action, DocError> {
    let Json::Object(mut map) = value else {
        return Err(DocError::new(path, r#"SecItemUpdate takes {"query": {…}, "attributes": {…}}"#));
    };
    let query = map.remove("query").ok_or_else(|| DocError::new(path, "SecItemUpdate needs a query dictionary"))?;
    let attributes =
        map.remove("attributes").ok_or_else(|| DocError::new(path, "SecItemUpdate needs an attributes dictionary"))?;
    if let Some(extra) = map.keys().next() {
        return Err(DocError::new(
            format!("{path}/{extra}"),
            format!("unknown field {extra}{}", suggestion(extra, &["query", "attributes"])),
        ));
    }
    Ok(Action::Update {
        query: Dict::from_json(&query, &format!("{path}/query"))?,
        attributes: Dict::from_json(&attributes, &format!("{path}/attributes"))?,
    })
}

fn parse_expect(value: Json, path: &str) -> Result<StepExpect, DocError> {
    let Json::Object(map) = value else {
        return Err(DocError::new(path, "expect is an object with status, count and/or result"));
    };
    let mut expect = StepExpect::default();
    for (field, v) in map {
        let at = format!("{path}/{field}");
        match field.as_str() {
            "status" => {
                let name =
                    v.as_str().ok_or_else(|| DocError::new(&at, "status is a status name such as errSecSuccess"))?;
                let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
                expect.status =
                    Some(Status::from_name(name).ok_or_else(|| {
                        DocError::new(&at, format!("unknown status {name}{}", suggestion(name, &names)))
                    })?);
            }
            "count" => {
                expect.count = Some(
                    v.as_u64()
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| DocError::new(&at, "count is a whole number"))?,
                );
            }
            "result" => expect.result = Some(v),
            "pitfalls" => {
                let ids = v
                    .as_array()
                    .map(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
                    .and_then(|x| x)
                    .ok_or_else(|| DocError::new(&at, "pitfalls is an array of pitfall ids"))?;
                let known: Vec<&str> = super::pitfalls::CATALOG.iter().map(|d| d.id).collect();
                for (i, id) in ids.iter().enumerate() {
                    if !known.contains(&id.as_str()) {
                        return Err(DocError::new(
                            format!("{at}/{i}"),
                            format!("unknown pitfall {id}{}", suggestion(id, &known)),
                        ));
                    }
                }
                expect.pitfalls = Some(ids);
            }
            other => {
                return Err(DocError::new(
                    at,
                    format!("unknown field {other}{}", suggestion(other, &["status", "count", "result", "pitfalls"])),
                ));
            }
        }
    }
    Ok(expect)
}

/// Serializes an entry list back into a JSON object (used by tests and the UI).
pub fn dict_to_json(dict: &Dict) -> Json {
    let mut map = Map::new();
    for e in &dict.0 {
        let family = match e.key.value {
            constants::ValueKind::Constant(f) => Some(f),
            _ => None,
        };
        map.insert(e.key.name.to_string(), e.value.to_json(family));
    }
    Json::Object(map)
}
