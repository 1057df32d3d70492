//! CF values as the simulated Security framework sees them, and their JSON forms.

use super::constants::{self, Family, ValueKind};
use super::objects::{CertificateObject, KeyObject};
use crate::data::Bytes;
use crate::document::DocError;
use crate::instant::Instant;
use serde_json::{json, Value as Json};

/// A `SecAccessControlRef` as created by `SecAccessControlCreateWithFlags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessControl {
    /// The raw protection class (`ak`, `cku`, …) or whatever string the code passed.
    pub protection: String,
    /// Flag constant names as given.
    pub flags: Vec<String>,
}

impl AccessControl {
    /// The combined flag bits.
    pub fn bits(&self) -> u32 {
        self.flags
            .iter()
            .filter_map(|f| constants::ACCESS_CONTROL_FLAGS.iter().find(|(n, _)| n == f))
            .fold(0, |acc, (_, bit)| acc | bit)
    }

    /// Whether reading needs user authentication (any constraint other than the
    /// protection class itself).
    pub fn has_constraints(&self) -> bool {
        self.bits() & !(FLAG_OR | FLAG_AND | FLAG_PRIVATE_KEY_USAGE | FLAG_APPLICATION_PASSWORD) != 0
    }

    /// The protection class inside, when the code passed a valid one.
    pub fn protection_class(&self) -> Option<super::protection::Protection> {
        super::protection::Protection::from_raw(&self.protection)
    }

    pub fn has(&self, bit: u32) -> bool {
        self.bits() & bit != 0
    }
}

pub const FLAG_USER_PRESENCE: u32 = 1 << 0;
pub const FLAG_BIOMETRY_ANY: u32 = 1 << 1;
pub const FLAG_BIOMETRY_CURRENT_SET: u32 = 1 << 3;
pub const FLAG_DEVICE_PASSCODE: u32 = 1 << 4;
pub const FLAG_OR: u32 = 1 << 14;
pub const FLAG_AND: u32 = 1 << 15;
pub const FLAG_PRIVATE_KEY_USAGE: u32 = 1 << 30;
pub const FLAG_APPLICATION_PASSWORD: u32 = 1 << 31;

/// A CF value in a dictionary or a result.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// CFString (constants are resolved to their raw string).
    Str(String),
    Data(Vec<u8>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(Instant),
    AccessControl(AccessControl),
    Certificate(Box<CertificateObject>),
    Key(Box<KeyObject>),
    Identity(Box<CertificateObject>, Box<KeyObject>),
    /// A persistent reference returned by an earlier step.
    PersistentRef(String),
    /// A macOS `SecKeychainItemRef` to a password item (named by its persistent reference).
    ItemRef(String),
    Array(Vec<Value>),
    /// An object the engine does not model (LAContext, SecPolicy, …).
    Opaque(String),
}

impl Value {
    /// The CF type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "CFString",
            Value::Data(_) => "CFData",
            Value::Int(_) | Value::Float(_) => "CFNumber",
            Value::Bool(_) => "CFBoolean",
            Value::Date(_) => "CFDate",
            Value::AccessControl(_) => "SecAccessControl",
            Value::Certificate(_) => "SecCertificate",
            Value::Key(_) => "SecKey",
            Value::Identity(..) => "SecIdentity",
            Value::PersistentRef(_) => "persistent reference (CFData)",
            Value::ItemRef(_) => "SecKeychainItem",
            Value::Array(_) => "CFArray",
            Value::Opaque(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Parses a document value for the dictionary key `key` (a constant name), at `path`.
    pub fn from_json(json: &Json, kind: ValueKind, path: &str) -> Result<Value, DocError> {
        match json {
            Json::Null => Err(DocError::new(path, "null maps to no CF value; leave the key out instead")),
            Json::Bool(b) => Ok(Value::Bool(*b)),
            Json::Number(n) => Ok(match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            Json::String(s) => string_value(s, kind, path),
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| Value::from_json(item, element_kind(kind), &format!("{path}/{i}")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Json::Object(map) => object_value(map, path),
        }
    }

    /// The report form of a value. `family` names constants where the value is one.
    pub fn to_json(&self, family: Option<Family>) -> Json {
        match self {
            Value::Str(s) => match family.and_then(|f| constants::value_name(f, s)) {
                Some(name) => json!(name),
                None => json!(s),
            },
            Value::Data(d) => Bytes(d.clone()).to_json(),
            Value::Int(i) => json!(i),
            Value::Float(f) => json!(f),
            Value::Bool(b) => json!(b),
            Value::Date(t) => json!({ "date": t.to_rfc3339() }),
            Value::AccessControl(ac) => json!({ "accessControl": {
                "accessible": constants::value_name(Family::Accessible, &ac.protection).unwrap_or(&ac.protection),
                "flags": ac.flags } }),
            Value::Certificate(c) => json!({ "certificate": Bytes(c.der.clone()).to_json_base64() }),
            Value::Key(k) => k.to_json(),
            Value::Identity(c, k) => json!({ "identity": {
                "certificate": { "certificate": Bytes(c.der.clone()).to_json_base64() },
                "key": k.to_json() } }),
            Value::PersistentRef(p) => json!({ "persistentRef": p }),
            Value::ItemRef(p) => json!({ "keychainItem": { "persistentRef": p } }),
            Value::Array(items) => Json::Array(items.iter().map(|v| v.to_json(family)).collect()),
            Value::Opaque(what) => json!({ "object": what }),
        }
    }
}

impl Bytes {
    /// Always `{"base64": …}` (DER is never shown as text).
    pub fn to_json_base64(&self) -> Json {
        json!({ "base64": crate::data::encode_base64(&self.0) })
    }
}

fn element_kind(kind: ValueKind) -> ValueKind {
    match kind {
        ValueKind::Constant(f) => ValueKind::Constant(f),
        _ => ValueKind::Opaque,
    }
}

fn string_value(s: &str, kind: ValueKind, path: &str) -> Result<Value, DocError> {
    let ValueKind::Constant(family) = kind else {
        return Ok(Value::Str(s.to_string()));
    };
    if let Some(raw) = constants::value_raw(s) {
        return Ok(Value::Str(raw.to_string()));
    }
    if s.starts_with("kSec") {
        let names = constants::family_names(family);
        let hint = crate::document::suggestion(s, &names);
        return Err(DocError::new(path, format!("unknown constant {s}{hint}")));
    }
    // Any other string is what the code passed (a raw match limit, key class or type among
    // them): the engine judges it.
    Ok(Value::Str(s.to_string()))
}

fn object_value(map: &serde_json::Map<String, Json>, path: &str) -> Result<Value, DocError> {
    let Some((tag, inner)) = map.iter().next().filter(|_| map.len() == 1) else {
        return Err(DocError::new(path, "an object value must have exactly one key naming its CF type (utf8, hex, base64, date, accessControl, certificate, key, identity, persistentRef, keychainItem)"));
    };
    let inner_path = format!("{path}/{tag}");
    match tag.as_str() {
        "utf8" | "hex" | "base64" => Bytes::from_json(&Json::Object(map.clone()))
            .map(|b| Value::Data(b.0))
            .map_err(|m| DocError::new(inner_path, m)),
        "date" => {
            let text = inner.as_str().ok_or_else(|| DocError::new(&inner_path, "a date is an RFC 3339 string"))?;
            Instant::parse_rfc3339(text).map(Value::Date).map_err(|m| DocError::new(inner_path, m))
        }
        "accessControl" => access_control(inner, &inner_path).map(Value::AccessControl),
        "certificate" => CertificateObject::from_json(inner, &inner_path).map(|c| Value::Certificate(Box::new(c))),
        "key" => KeyObject::from_json(inner, &inner_path).map(|k| Value::Key(Box::new(k))),
        "identity" => {
            let obj =
                inner.as_object().ok_or_else(|| DocError::new(&inner_path, "an identity is {certificate, key}"))?;
            for field in obj.keys() {
                if field != "certificate" && field != "key" {
                    return Err(DocError::new(
                        format!("{inner_path}/{field}"),
                        format!("unknown field {field}; an identity has certificate and key"),
                    ));
                }
            }
            let cert_json = obj.get("certificate").ok_or_else(|| DocError::new(&inner_path, "missing certificate"))?;
            let key_json = obj.get("key").ok_or_else(|| DocError::new(&inner_path, "missing key"))?;
            // The certificate may be written bare ({"base64"}) or wrapped ({"certificate": {…}}).
            let cert_inner = cert_json.get("certificate").unwrap_or(cert_json);
            let key_inner = key_json.get("key").unwrap_or(key_json);
            let cert = CertificateObject::from_json(cert_inner, &format!("{inner_path}/certificate"))?;
            let key = KeyObject::from_json(key_inner, &format!("{inner_path}/key"))?;
            Ok(Value::Identity(Box::new(cert), Box::new(key)))
        }
        "keychainItem" => {
            inner.get("persistentRef").and_then(Json::as_str).map(|p| Value::ItemRef(p.to_string())).ok_or_else(|| {
                DocError::new(inner_path, "a keychain item is {\"persistentRef\": …}, as a report returned it")
            })
        }
        "persistentRef" => inner
            .as_str()
            .map(|p| Value::PersistentRef(p.to_string()))
            .ok_or_else(|| DocError::new(inner_path, "a persistent reference is the string a report returned")),
        other => {
            let tags = [
                "utf8",
                "hex",
                "base64",
                "date",
                "accessControl",
                "certificate",
                "key",
                "identity",
                "persistentRef",
                "keychainItem",
            ];
            let hint = crate::document::suggestion(other, &tags);
            Err(DocError::new(inner_path, format!("{other} maps to no CF type{hint}")))
        }
    }
}

fn access_control(json: &Json, path: &str) -> Result<AccessControl, DocError> {
    let obj = json.as_object().ok_or_else(|| DocError::new(path, "accessControl is {accessible, flags}"))?;
    for field in obj.keys() {
        if field != "accessible" && field != "flags" {
            let hint = crate::document::suggestion(field, &["accessible", "flags"]);
            return Err(DocError::new(format!("{path}/{field}"), format!("unknown field {field}{hint}")));
        }
    }
    let protection = match obj.get("accessible") {
        Some(Json::String(s)) => {
            match string_value(s, ValueKind::Constant(Family::Accessible), &format!("{path}/accessible"))? {
                Value::Str(raw) => raw,
                _ => s.clone(),
            }
        }
        Some(_) => {
            return Err(DocError::new(format!("{path}/accessible"), "accessible is a kSecAttrAccessible constant name"))
        }
        None => {
            return Err(DocError::new(
                path,
                "missing accessible (SecAccessControlCreateWithFlags needs a protection class)",
            ))
        }
    };
    let mut flags = Vec::new();
    if let Some(list) = obj.get("flags") {
        let items = list
            .as_array()
            .ok_or_else(|| DocError::new(format!("{path}/flags"), "flags is an array of kSecAccessControl… names"))?;
        for (i, item) in items.iter().enumerate() {
            let name = item.as_str().unwrap_or_default();
            if !constants::ACCESS_CONTROL_FLAGS.iter().any(|(n, _)| *n == name) {
                let names: Vec<&str> = constants::ACCESS_CONTROL_FLAGS.iter().map(|(n, _)| *n).collect();
                let hint = crate::document::suggestion(name, &names);
                return Err(DocError::new(
                    format!("{path}/flags/{i}"),
                    format!("unknown access control flag {item}{hint}"),
                ));
            }
            flags.push(name.to_string());
        }
    }
    Ok(AccessControl { protection, flags })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_access_control_flag_name_gives_its_bit() {
        let bit = |name: &str| AccessControl { protection: "ak".into(), flags: vec![name.into()] }.bits();
        assert_eq!(bit("kSecAccessControlUserPresence"), FLAG_USER_PRESENCE);
        assert_eq!(bit("kSecAccessControlBiometryAny"), FLAG_BIOMETRY_ANY);
        assert_eq!(bit("kSecAccessControlBiometryCurrentSet"), FLAG_BIOMETRY_CURRENT_SET);
        assert_eq!(bit("kSecAccessControlDevicePasscode"), FLAG_DEVICE_PASSCODE);
        assert_eq!(bit("kSecAccessControlOr"), FLAG_OR);
        assert_eq!(bit("kSecAccessControlAnd"), FLAG_AND);
        assert_eq!(bit("kSecAccessControlPrivateKeyUsage"), FLAG_PRIVATE_KEY_USAGE);
        assert_eq!(bit("kSecAccessControlApplicationPassword"), FLAG_APPLICATION_PASSWORD);
        // The deprecated Touch ID names are the biometry bits; the watch and companion names
        // share bit 5 (SecAccessControl.h).
        assert_eq!(bit("kSecAccessControlTouchIDAny"), FLAG_BIOMETRY_ANY);
        assert_eq!(bit("kSecAccessControlTouchIDCurrentSet"), FLAG_BIOMETRY_CURRENT_SET);
        assert_eq!(bit("kSecAccessControlWatch"), 1 << 5);
        assert_eq!(bit("kSecAccessControlCompanion"), 1 << 5);
        let both = AccessControl {
            protection: "ak".into(),
            flags: vec!["kSecAccessControlApplicationPassword".into(), "kSecAccessControlPrivateKeyUsage".into()],
        };
        assert!(!both.has_constraints(), "an application password and key usage ask for no user authentication");
        assert!(both.has(FLAG_APPLICATION_PASSWORD) && !both.has(FLAG_USER_PRESENCE));
        // kSecAccessControlOr and kSecAccessControlAnd combine constraints; alone they are none.
        for combinator in ["kSecAccessControlOr", "kSecAccessControlAnd"] {
            let alone = AccessControl { protection: "ak".into(), flags: vec![combinator.into()] };
            assert!(!alone.has_constraints(), "{combinator}");
        }
        let passcode = AccessControl {
            protection: "ak".into(),
            flags: vec!["kSecAccessControlOr".into(), "kSecAccessControlDevicePasscode".into()],
        };
        assert!(passcode.has_constraints());
    }
}
