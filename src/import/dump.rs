//! Keychain dumps → the document's starting `keychain` array.
//!
//! Three printouts are read:
//! - Swift's description of `[[String: Any]]` (the post's `dumpGenericPasswords()`):
//!   `[["acct": mrgumby, "svce": AYS, "pdmn": ak, "sync": 0, …]]`, values quoted or not;
//! - NSDictionary's / NSArray's description (`print(itemDicts as NSArray)`, `NSLog(@"%@", …)`):
//!   `({ acct = mrgumby; svce = AYS; pdmn = ak; })`;
//! - macOS `security dump-keychain` (optionally `-d`): `class: "genp"`, `attributes:`,
//!   `"acct"<blob>="mrgumby"`, `data:`.
//!
//! Values the printout does not carry are reported per item and never invented: secrets
//! (`kSecReturnAttributes` dumps hold no `v_Data`), data shortened with `...`, dates without a
//! UTC offset, access-control constraints, and attributes the system maintains.

use super::{check_size, ImportError};
use crate::instant::Instant;
use crate::keychain::constants::{self, Family, KeyDef, ValueKind};
use crate::keychain::document::{Dict, Platform};
use crate::keychain::schema::Class;
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

/// The most items one dump yields.
pub const MAX_ITEMS: usize = 1000;

/// Deepest bracket nesting read inside a value.
const MAX_NESTING: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    #[serde(rename = "swift-description")]
    Swift,
    #[serde(rename = "nsdictionary-description")]
    NsDictionary,
    #[serde(rename = "security-dump-keychain")]
    SecurityDumpKeychain,
}

/// A value the printout holds but Keyplay could not carry over, or a key left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unrecovered {
    pub key: String,
    pub why: String,
}

/// One item of the dump.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DumpItem {
    /// 1-based line where the item starts.
    pub line: usize,
    /// The item as a document `keychain` entry (constant names).
    pub item: Map<String, Json>,
    /// What could not be recovered (and is therefore absent from `item`).
    pub unrecovered: Vec<Unrecovered>,
}

/// An imported dump.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dump {
    pub format: Format,
    /// `macos-file` for `security dump-keychain`; otherwise unknown.
    #[serde(skip)]
    pub platform: Option<Platform>,
    pub items: Vec<DumpItem>,
    pub notes: Vec<String>,
}

impl Dump {
    /// The document fragment: `{"platform"?, "keychain": [...], "x-evidence": {...}}`.
    pub fn fragment(&self) -> Json {
        let mut map = Map::new();
        if let Some(p) = self.platform {
            map.insert("platform".into(), json!(p.name()));
        }
        map.insert("keychain".into(), Json::Array(self.items.iter().map(|i| Json::Object(i.item.clone())).collect()));
        let per_item: Vec<Json> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| json!({"index": i, "line": item.line, "unrecovered": item.unrecovered}))
            .collect();
        map.insert(
            "x-evidence".into(),
            json!({"from": "dump", "format": self.format, "items": per_item, "notes": self.notes}),
        );
        Json::Object(map)
    }
}

/// A value as printed, before it is given a type.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    /// Unquoted text.
    Bare(String),
    Quoted(String),
    /// `<…>`: old NSData hex, or an object description such as `<SecAccessControlRef: ak>`.
    Angle(String),
    /// `{length = N, bytes = 0x…}` (new NSData) or another braced group.
    Braced(String),
    /// A nested collection, kept as text.
    Nested(String),
    /// `security dump-keychain`: `0x…` hex (with its quoted rendition, when printable).
    Hex(Vec<u8>),
    Null,
}

#[derive(Debug)]
struct RawItem {
    line: usize,
    class: Option<Class>,
    entries: Vec<(String, Raw)>,
    secret: Option<Raw>,
    notes: Vec<Unrecovered>,
}

/// Reads a dump.
pub fn dump(text: &str) -> Result<Dump, ImportError> {
    check_size(text.len(), "dump")?;
    let trimmed = text.trim_start_matches('\u{feff}');
    let first = trimmed.trim_start().chars().next();
    let (format, raw_items, platform) = if trimmed
        .lines()
        .any(|l| l.starts_with("keychain: ") || l.starts_with("class: "))
    {
        (Format::SecurityDumpKeychain, security_dump(trimmed)?, Some(Platform::MacosFile))
    } else if first == Some('[') {
        (Format::Swift, Cursor::new(trimmed).swift_top()?, None)
    } else if matches!(first, Some('(') | Some('{')) {
        (Format::NsDictionary, Cursor::new(trimmed).ns_top()?, None)
    } else {
        return Err(ImportError::new(
            "not a keychain dump: expected Swift's print of [[String: Any]] ([[\"acct\": …]]), an NSArray/NSDictionary description (({ acct = …; })) or security dump-keychain output (keychain: / class: lines)",
        ));
    };
    if raw_items.len() > MAX_ITEMS {
        return Err(ImportError::new(format!("{} items; Keyplay reads at most {MAX_ITEMS}", raw_items.len())));
    }
    let mut notes = Vec::new();
    let mut items = Vec::new();
    for raw in raw_items {
        if let Some(item) = convert(raw, format, &mut notes) {
            items.push(item);
        }
    }
    if items.iter().any(|i| i.unrecovered.iter().any(|u| u.key == "v_Data")) {
        notes.push("the printout holds no secrets: items have no kSecValueData (a step that reads data gets none, or add kSecValueData by hand)".into());
    }
    Ok(Dump { format, platform, items, notes })
}

// ---------------------------------------------------------------------------------------------
// Swift and NSDictionary descriptions

struct Cursor<'a> {
    src: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(src: &'a str) -> Self {
        Cursor { src, at: 0 }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn line(&self) -> usize {
        self.src.get(..self.at).unwrap_or("").matches('\n').count() + 1
    }

    fn err(&self, message: impl Into<String>) -> ImportError {
        ImportError::at(self.line(), message)
    }

    fn expect(&mut self, c: char) -> Result<(), ImportError> {
        self.ws();
        match self.bump() {
            Some(found) if found == c => Ok(()),
            Some(found) => Err(self.err(format!("expected '{c}', found '{found}'"))),
            None => Err(self.err(format!("the text ends where '{c}' was expected"))),
        }
    }

    /// A quoted string with Swift (`\u{…}`) or Objective-C (`\U0041`) escapes.
    fn quoted(&mut self) -> Result<String, ImportError> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.err("a quoted string is not closed")),
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('0') => out.push('\0'),
                    Some('u') if self.peek() == Some('{') => {
                        self.bump();
                        let mut hex = String::new();
                        while let Some(c) = self.bump() {
                            if c == '}' {
                                break;
                            }
                            hex.push(c);
                        }
                        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some('U') | Some('u') => {
                        let hex: String = (0..4).filter_map(|_| self.bump()).collect();
                        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                    }
                    Some(c) => out.push(c),
                    None => return Err(self.err("a quoted string ends in a backslash")),
                },
                Some(c) => out.push(c),
            }
        }
    }

    /// Text up to the bracket that closes `open` (already consumed), nesting counted.
    fn group(&mut self, open: char, close: char) -> Result<String, ImportError> {
        let start = self.at;
        let mut depth = 1usize;
        let mut in_string = false;
        while let Some(c) = self.bump() {
            match c {
                '\\' if in_string => {
                    self.bump();
                }
                '"' => in_string = !in_string,
                _ if in_string => {}
                _ if c == open => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(self.err(format!("nested deeper than {MAX_NESTING} levels")));
                    }
                }
                _ if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.at - c.len_utf8();
                        return Ok(self.src.get(start..end).unwrap_or("").to_string());
                    }
                }
                _ => {}
            }
        }
        Err(self.err(format!("'{open}' is not closed with '{close}'")))
    }

    fn swift_top(&mut self) -> Result<Vec<RawItem>, ImportError> {
        self.ws();
        self.expect('[')?;
        self.ws();
        let mut items = Vec::new();
        match self.peek() {
            Some('[') => loop {
                self.ws();
                let line = self.line();
                self.expect('[')?;
                items.push(self.swift_dict(line)?);
                self.ws();
                match self.bump() {
                    Some(',') => continue,
                    Some(']') => break,
                    _ => return Err(self.err("expected ',' or ']' after an item")),
                }
            },
            Some(']') => {
                self.bump();
            }
            _ => {
                let line = self.line();
                items.push(self.swift_dict(line)?);
            }
        }
        Ok(items)
    }

    /// The entries of `["k": v, …]` after the opening bracket.
    fn swift_dict(&mut self, line: usize) -> Result<RawItem, ImportError> {
        let mut item = RawItem { line, class: None, entries: Vec::new(), secret: None, notes: Vec::new() };
        self.ws();
        if self.rest().starts_with(":]") {
            self.at += 2;
            return Ok(item);
        }
        loop {
            self.ws();
            if self.peek() == Some(']') {
                self.bump();
                return Ok(item);
            }
            let key = self.quoted()?;
            self.expect(':')?;
            self.ws();
            let value = self.swift_value()?;
            item.entries.push((key, value));
            self.ws();
            match self.bump() {
                Some(',') => {}
                Some(']') => return Ok(item),
                _ => return Err(self.err("expected ',' or ']' in a dictionary")),
            }
            if item.entries.len() > 500 {
                return Err(self.err("more than 500 keys in one item"));
            }
        }
    }

    fn swift_value(&mut self) -> Result<Raw, ImportError> {
        match self.peek() {
            Some('"') => self.quoted().map(Raw::Quoted),
            Some('<') => {
                self.bump();
                self.group('<', '>').map(Raw::Angle)
            }
            Some('{') => {
                self.bump();
                self.group('{', '}').map(Raw::Braced)
            }
            Some('[') => {
                self.bump();
                self.group('[', ']').map(Raw::Nested)
            }
            _ => {
                // Unquoted: up to `, "key":` or the `]` that closes the dictionary.
                let rest = self.rest();
                let mut end = rest.len();
                for (i, c) in rest.char_indices() {
                    let after = &rest[i + c.len_utf8()..];
                    if c == ',' && next_is_swift_key(after) {
                        end = i;
                        break;
                    }
                    if c == ']' {
                        let t = after.trim_start();
                        if t.is_empty() || t.starts_with(']') || t.starts_with(',') {
                            end = i;
                            break;
                        }
                    }
                }
                let text = rest[..end].trim().to_string();
                self.at += end;
                Ok(if text == "nil" { Raw::Null } else { Raw::Bare(text) })
            }
        }
    }

    fn ns_top(&mut self) -> Result<Vec<RawItem>, ImportError> {
        self.ws();
        let mut items = Vec::new();
        if self.peek() == Some('(') {
            self.bump();
            loop {
                self.ws();
                match self.peek() {
                    Some(')') => {
                        self.bump();
                        break;
                    }
                    Some('{') => {
                        let line = self.line();
                        self.bump();
                        items.push(self.ns_dict(line)?);
                        self.ws();
                        if self.peek() == Some(',') {
                            self.bump();
                        }
                    }
                    _ => return Err(self.err("expected '{' or ')' in an array description")),
                }
            }
        } else {
            let line = self.line();
            self.expect('{')?;
            items.push(self.ns_dict(line)?);
        }
        Ok(items)
    }

    /// `key = value;` entries after `{`.
    fn ns_dict(&mut self, line: usize) -> Result<RawItem, ImportError> {
        let mut item = RawItem { line, class: None, entries: Vec::new(), secret: None, notes: Vec::new() };
        loop {
            self.ws();
            let key = match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(item);
                }
                Some('"') => self.quoted()?,
                Some(_) => {
                    let rest = self.rest();
                    let end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
                    self.at += end;
                    rest[..end].to_string()
                }
                None => return Err(self.err("a dictionary description is not closed with '}'")),
            };
            self.expect('=')?;
            self.ws();
            let value = match self.peek() {
                Some('"') => Raw::Quoted(self.quoted()?),
                Some('{') => {
                    self.bump();
                    Raw::Braced(self.group('{', '}')?)
                }
                Some('<') => {
                    self.bump();
                    Raw::Angle(self.group('<', '>')?)
                }
                Some('(') => {
                    self.bump();
                    Raw::Nested(self.group('(', ')')?)
                }
                _ => {
                    let rest = self.rest();
                    let end =
                        rest.find(';').ok_or_else(|| self.err(format!("the value of {key} does not end with ';'")))?;
                    self.at += end;
                    Raw::Bare(rest[..end].trim().to_string())
                }
            };
            self.expect(';')?;
            item.entries.push((key, value));
            if item.entries.len() > 500 {
                return Err(self.err("more than 500 keys in one item"));
            }
        }
    }
}

/// After a comma: ` "key": ` (a Swift dictionary key follows).
fn next_is_swift_key(after: &str) -> bool {
    let t = after.trim_start();
    let Some(inner) = t.strip_prefix('"') else { return false };
    match inner.find('"') {
        Some(close) => {
            let key = &inner[..close];
            !key.is_empty()
                && key.len() <= 40
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && inner[close + 1..].starts_with(':')
        }
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// security dump-keychain

fn security_dump(text: &str) -> Result<Vec<RawItem>, ImportError> {
    let mut items: Vec<RawItem> = Vec::new();
    let mut section = "";
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let no = i + 1;
        if let Some(class) = line.strip_prefix("class: ") {
            let class = class.trim().trim_matches('"');
            let mut item = RawItem { line: no, class: None, entries: Vec::new(), secret: None, notes: Vec::new() };
            match class {
                "genp" => item.class = Some(Class::GenericPassword),
                "inet" => item.class = Some(Class::InternetPassword),
                other => item.notes.push(Unrecovered {
                    key: "class".into(),
                    why: format!("record type {other} (a certificate or key): security dump-keychain prints their attributes by number and without their data, so Keyplay does not import it; export it with security find-certificate -p or add it by hand"),
                }),
            }
            items.push(item);
            section = "";
            continue;
        }
        if line.starts_with("keychain: ") || line.starts_with("version: ") {
            continue;
        }
        let trimmed = line.trim();
        if trimmed == "attributes:" {
            section = "attributes";
            continue;
        }
        if trimmed == "data:" || trimmed == "raw data:" {
            let Some(item) = items.last_mut() else { continue };
            if let Some((_, next)) = lines.next() {
                let value = parse_dump_value(next.trim());
                item.secret = Some(value);
            }
            section = "";
            continue;
        }
        if section != "attributes" || trimmed.is_empty() {
            continue;
        }
        let Some(item) = items.last_mut() else {
            return Err(ImportError::at(no, "an attribute line before any class: line"));
        };
        // `"acct"<blob>="mrgumby"`, `0x00000007 <blob>="AYS"`.
        let (name, rest) = if let Some(q) = trimmed.strip_prefix('"') {
            let close = q.find('"').ok_or_else(|| ImportError::at(no, "an attribute name is not closed with \""))?;
            (q[..close].to_string(), &q[close + 1..])
        } else {
            let end = trimmed.find(|c: char| c.is_whitespace() || c == '<').unwrap_or(trimmed.len());
            let name = match &trimmed[..end] {
                "0x00000007" => "labl".to_string(),
                other => other.to_string(),
            };
            (name, trimmed[end..].trim_start())
        };
        let Some(eq) = rest.find('=') else {
            return Err(ImportError::at(no, format!("attribute {name} has no '='")));
        };
        let kind = rest[..eq].trim().trim_matches(['<', '>']).to_string();
        let mut value = parse_dump_value(rest[eq + 1..].trim());
        if kind == "timedate" {
            // `0x…  "20240129101112Z\000"`: the quoted rendition is the UTC time.
            value = match value {
                Raw::Hex(bytes) => Raw::Bare(timedate(&bytes).unwrap_or_default()),
                other => other,
            };
        } else if kind == "uint32" || kind == "sint32" {
            value = match value {
                Raw::Hex(bytes) if bytes.len() <= 8 => {
                    Raw::Bare(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)).to_string())
                }
                other => other,
            };
        }
        item.entries.push((name, value));
    }
    Ok(items)
}

/// `="text"`, `=0x6869  "hi"`, `=<NULL>`.
fn parse_dump_value(text: &str) -> Raw {
    if text == "<NULL>" {
        return Raw::Null;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        let digits: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
        if let Ok(bytes) = crate::data::decode_hex(&digits) {
            return Raw::Hex(bytes);
        }
    }
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Raw::Quoted(unescape_octal(inner));
    }
    Raw::Bare(text.to_string())
}

/// security's `\000`-style octal escapes.
fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(|b| (b'0'..=b'7').contains(b)) {
            let v = bytes[i + 1..i + 4].iter().fold(0u32, |acc, b| acc * 8 + u32::from(b - b'0'));
            out.push(u8::try_from(v).unwrap_or(b'?'));
            i += 4;
        } else if bytes[i] == b'\\' && i + 1 < bytes.len() {
            out.push(bytes[i + 1]);
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `20240129101112Z\0` → `2024-01-29 10:11:12 +0000`.
fn timedate(bytes: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(bytes).ok()?.trim_end_matches('\0');
    let d = s.strip_suffix('Z')?;
    if d.len() != 14 || !d.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{} {}:{}:{} +0000", &d[0..4], &d[4..6], &d[6..8], &d[8..10], &d[10..12], &d[12..14]))
}

// ---------------------------------------------------------------------------------------------
// Raw values → document values

/// Attributes the system maintains: never part of a document item.
const SYSTEM: &[(&str, &str)] = &[
    ("sha1", "a digest the system computes"),
    ("persistref", "a persistent reference: the system assigns a new one to every stored item"),
    ("v_PersistentRef", "a persistent reference: the system assigns a new one to every stored item"),
    ("tomb", "the tombstone flag of deleted synced items"),
    ("musr", "the multi-user (per-user) marker, set by the system"),
    ("UUID", "set by the system"),
    ("TamperCheck", "set by the system"),
    ("clip", "set by the system"),
    ("ggrp", "set by the system"),
    ("vwht", "the sync view hint, not modelled"),
    ("0x00000008", "the file-based keychain's alias attribute, not modelled"),
    ("prot", "file-based keychain attribute not modelled"),
    ("scrp", "file-based keychain attribute not modelled"),
    ("cusi", "file-based keychain attribute not modelled"),
];

fn key_for(raw: &str, class: Class) -> Option<&'static KeyDef> {
    if raw == "type" {
        let name = if class == Class::Key { "kSecAttrKeyType" } else { "kSecAttrType" };
        return constants::key_by_name(name);
    }
    constants::KEYS.iter().find(|k| k.raw == raw)
}

fn convert(mut raw: RawItem, format: Format, notes: &mut Vec<String>) -> Option<DumpItem> {
    let mut unrecovered = std::mem::take(&mut raw.notes);
    if format == Format::SecurityDumpKeychain && raw.class.is_none() {
        notes.push(format!(
            "the item at line {} is not imported: {}",
            raw.line,
            unrecovered.first().map(|u| u.why.as_str()).unwrap_or("")
        ));
        return None;
    }
    let class = match raw.class {
        Some(c) => c,
        None => match raw.entries.iter().find(|(k, _)| k == "class") {
            Some((_, Raw::Bare(c) | Raw::Quoted(c))) => match Class::from_raw(c) {
                Some(c) => c,
                None => {
                    unrecovered.push(Unrecovered {
                        key: "class".into(),
                        why: format!("{c} names no item class: generic password assumed"),
                    });
                    Class::GenericPassword
                }
            },
            _ => Class::GenericPassword,
        },
    };
    let mut item = Map::new();
    item.insert("kSecClass".into(), json!(class.name()));
    let has_pdmn = raw.entries.iter().any(|(k, _)| k == "pdmn");
    for (key, value) in &raw.entries {
        if key == "class" {
            continue;
        }
        if let Some((_, why)) = SYSTEM.iter().find(|(k, _)| k == key) {
            if !matches!(value, Raw::Null) && !matches!(key.as_str(), "sha1" | "persistref" | "tomb" | "musr" | "UUID")
            {
                unrecovered.push(Unrecovered { key: key.clone(), why: (*why).into() });
            }
            continue;
        }
        if matches!(value, Raw::Null) {
            continue;
        }
        if key == "v_Data" {
            match data_of(value) {
                Ok(bytes) => {
                    item.insert("kSecValueData".into(), bytes_json(&bytes));
                }
                Err(why) => unrecovered.push(Unrecovered { key: key.clone(), why }),
            }
            continue;
        }
        let Some(def) = key_for(key, class) else {
            unrecovered.push(Unrecovered { key: key.clone(), why: "not an attribute Keyplay models: left out".into() });
            continue;
        };
        if class.column(def.raw).is_none() {
            unrecovered.push(Unrecovered {
                key: key.clone(),
                why: format!("{} is not an attribute of {}: left out", def.name, class.name()),
            });
            continue;
        }
        if def.raw == "accc" {
            let text = raw_text(value);
            if text.contains(';') || text.contains("od(") {
                unrecovered.push(Unrecovered {
                    key: key.clone(),
                    why: format!(
                        "access control constraints ({}) are not carried over: add kSecAttrAccessControl by hand",
                        text.trim()
                    ),
                });
            } else if !has_pdmn {
                unrecovered.push(Unrecovered {
                    key: key.clone(),
                    why: "access control without its protection class printed: left out".into(),
                });
            }
            continue;
        }
        match typed(def, value) {
            Ok(json) => {
                let mut single = Map::new();
                single.insert(def.name.to_string(), json.clone());
                match Dict::from_json(&Json::Object(single), "") {
                    Ok(_) => {
                        item.insert(def.name.to_string(), json);
                    }
                    Err(e) => unrecovered.push(Unrecovered { key: key.clone(), why: e.message }),
                }
            }
            Err(why) => unrecovered.push(Unrecovered { key: key.clone(), why }),
        }
    }
    match &raw.secret {
        Some(secret) => match data_of(secret) {
            Ok(bytes) => {
                item.insert("kSecValueData".into(), bytes_json(&bytes));
            }
            Err(why) => unrecovered.push(Unrecovered { key: "v_Data".into(), why }),
        },
        None if !raw.entries.iter().any(|(k, _)| k == "v_Data") && class.is_password() => unrecovered.push(Unrecovered {
            key: "v_Data".into(),
            why: "the secret is not in the printout (kSecReturnAttributes returns none; security dump-keychain needs -d): the item has no kSecValueData".into(),
        }),
        None => {}
    }
    Some(DumpItem { line: raw.line, item, unrecovered })
}

fn raw_text(value: &Raw) -> String {
    match value {
        Raw::Bare(s) | Raw::Quoted(s) | Raw::Angle(s) | Raw::Braced(s) | Raw::Nested(s) => s.clone(),
        Raw::Hex(b) => hex::encode(b),
        Raw::Null => String::new(),
    }
}

fn bytes_json(bytes: &[u8]) -> Json {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(char::is_control) => json!({ "utf8": s }),
        _ => json!({ "hex": hex::encode(bytes) }),
    }
}

/// NSData as printed: `<6f70656e 646f6f72>`, `{length = 8, bytes = 0x6f70656e646f6f72}`.
fn data_of(value: &Raw) -> Result<Vec<u8>, String> {
    match value {
        Raw::Angle(inner) => {
            let digits: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.chars().all(|c| c.is_ascii_hexdigit()) {
                crate::data::decode_hex(&digits)
            } else {
                Err(format!("<{inner}> is an object description, not data"))
            }
        }
        Raw::Braced(inner) => {
            let length = inner
                .split("length = ")
                .nth(1)
                .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse::<usize>().ok());
            let bytes_text = inner.split("bytes = ").nth(1).unwrap_or("").trim();
            let Some(length) = length else {
                return Err(format!("{{{inner}}} is not an NSData description"));
            };
            if bytes_text.contains("...") {
                return Err(format!("the printout shortened these {length} bytes (\"...\"): they cannot be recovered"));
            }
            let digits: String = bytes_text.trim_start_matches("0x").chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = crate::data::decode_hex(&digits)?;
            if bytes.len() != length {
                return Err(format!("{length} bytes announced, {} printed: they cannot be recovered", bytes.len()));
            }
            Ok(bytes)
        }
        Raw::Hex(bytes) => Ok(bytes.clone()),
        Raw::Quoted(s) => Ok(s.as_bytes().to_vec()),
        Raw::Bare(s) if s.is_empty() => Ok(Vec::new()),
        other => Err(format!("{} is not printed data", raw_text(other))),
    }
}

/// `2024-01-29 10:11:12 +0000` (NSDate's description) → the instant.
fn parse_date(text: &str) -> Result<Instant, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    if let [date, time, offset] = parts.as_slice() {
        if offset.len() == 5
            && (offset.starts_with('+') || offset.starts_with('-'))
            && offset[1..].chars().all(|c| c.is_ascii_digit())
        {
            let rfc = format!("{date}T{time}{}:{}", &offset[..3], &offset[3..]);
            if let Ok(t) = Instant::parse_rfc3339(&rfc) {
                return Ok(t);
            }
        }
    }
    Err(format!("\"{text}\" has no UTC offset (a local-time rendering): the date cannot be recovered, the item gets the time it is stored at"))
}

fn typed(def: &KeyDef, value: &Raw) -> Result<Json, String> {
    let text = raw_text(value);
    let is_data = matches!(value, Raw::Angle(_) | Raw::Braced(_)) && data_of(value).is_ok();
    match def.value {
        ValueKind::String => {
            if is_data {
                // An attribute stored as data, not a string: keep its type (queries with a
                // string will not match it).
                data_of(value).map(|b| bytes_json(&b))
            } else if let Raw::Hex(bytes) = value {
                Ok(json!(String::from_utf8_lossy(bytes).trim_end_matches('\0')))
            } else {
                Ok(json!(text))
            }
        }
        ValueKind::Data => match value {
            Raw::Bare(s) | Raw::Quoted(s) if !is_data => Ok(json!(s)),
            _ => data_of(value).map(|b| bytes_json(&b)),
        },
        ValueKind::Number => text
            .trim()
            .parse::<i64>()
            .map(|n| json!(n))
            .or_else(|_| fourcc(&text).map(|n| json!(n)))
            .map_err(|_| format!("{text} is not a number")),
        ValueKind::Bool => match text.trim() {
            "1" | "true" | "YES" => Ok(json!(true)),
            "0" | "false" | "NO" => Ok(json!(false)),
            other => Err(format!("{other} is not a Boolean")),
        },
        ValueKind::Date => parse_date(text.trim()).map(|t| json!({ "date": t.to_rfc3339() })),
        ValueKind::Constant(Family::Synchronizable) => match text.trim() {
            "1" | "true" | "YES" => Ok(json!(true)),
            "0" | "false" | "NO" => Ok(json!(false)),
            other => Err(format!("{other} is not a sync flag")),
        },
        ValueKind::Constant(family) => {
            let raw = text.trim();
            Ok(json!(constants::value_name(family, raw).unwrap_or(raw)))
        }
        _ => Err(format!("{} values are not read from a printout", def.name)),
    }
}

/// A four-character code such as `aapl` as its number.
fn fourcc(text: &str) -> Result<i64, ()> {
    let t = text.trim().trim_matches('"');
    if t.len() == 4 && t.is_ascii() {
        Ok(t.bytes().fold(0i64, |acc, b| (acc << 8) | i64::from(b)))
    } else {
        Err(())
    }
}

/// For a query that finds nothing in a document's starting keychain: item by item, which
/// attribute did not match. `doc` is a keychain document or fragment (its `platform`, `app`,
/// `device` and `keychain` are used; a dump's [`Dump::fragment`] will do), `query` a
/// SecItemCopyMatching dictionary in document form.
pub fn explain_miss(
    doc: &Json,
    query: &Json,
    now: Instant,
) -> Result<Vec<crate::keychain::engine::ItemMiss>, ImportError> {
    let mut body = Map::new();
    for field in ["platform", "app", "device", "keychain"] {
        if let Some(v) = doc.get(field) {
            body.insert(field.into(), v.clone());
        }
    }
    let parsed = crate::keychain::document::parse(Json::Object(body))
        .map_err(|e| ImportError::new(format!("the document does not parse at {}: {}", e.path, e.message)))?;
    let keychain = crate::keychain::run::initial_keychain(&parsed, now)
        .map_err(|e| ImportError::new(format!("the starting keychain cannot be built at {}: {}", e.path, e.message)))?;
    let dict = Dict::from_json(query, "")
        .map_err(|e| ImportError::new(format!("the query does not parse at {}: {}", e.path, e.message)))?;
    keychain.explain_miss(&dict).map_err(|f| {
        ImportError::new(format!("the query fails before any item is compared: {} ({})", f.why, f.status.name()))
    })
}
