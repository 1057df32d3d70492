//! Document values as Swift expressions. Objects a dictionary literal cannot hold inline
//! (access control, certificates, keys) are declared before it ([`Hoisted`]).

use crate::data::{decode_base64, decode_hex, encode_base64};
use crate::instant::Instant;
use crate::keychain::constants::{value_raw, ValueKind};
use serde_json::Value as Json;

/// Declarations that go before the dictionary, and the names already taken.
#[derive(Debug, Default)]
pub struct Hoisted {
    pub lines: Vec<String>,
    names: Vec<String>,
}

impl Hoisted {
    /// A fresh name: `accessControl`, then `accessControl2`, …
    fn name(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 1;
        while self.names.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.names.push(name.clone());
        name
    }
}

/// Writes values, hoisting declarations into `hoisted`.
pub struct ValueWriter<'a> {
    pub hoisted: &'a mut Hoisted,
}

impl ValueWriter<'_> {
    /// The Swift expression for `value` stored under a key of `kind`.
    pub fn value(&mut self, value: &Json, kind: ValueKind) -> String {
        match value {
            Json::Null => "nil".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => i.to_string(),
                (_, Some(u), _) => u.to_string(),
                (_, _, Some(f)) => format!("{f:?}"),
                _ => n.to_string(),
            },
            Json::String(s) => {
                let constant = matches!(kind, ValueKind::Constant(_) | ValueKind::AccessControl);
                if constant && value_raw(s).is_some() {
                    s.clone()
                } else {
                    swift_string(s)
                }
            }
            Json::Array(items) => {
                let element = match kind {
                    ValueKind::Constant(f) => ValueKind::Constant(f),
                    _ => ValueKind::Opaque,
                };
                let parts: Vec<String> = items.iter().map(|v| self.value(v, element)).collect();
                format!("[{}]", parts.join(", "))
            }
            Json::Object(map) => match map.iter().next().filter(|_| map.len() == 1) {
                Some((tag, inner)) => self.tagged(tag, inner),
                None => format!("nil /* Keyplay: {} is not a CF value */", one_line(value)),
            },
        }
    }

    fn tagged(&mut self, tag: &str, inner: &Json) -> String {
        match tag {
            "utf8" | "hex" | "base64" => data(tag, inner),
            "date" => match inner.as_str().map(Instant::parse_rfc3339) {
                Some(Ok(t)) => format!("Date(timeIntervalSince1970: {})", t.unix()),
                _ => format!("nil /* Keyplay: bad date {} */", one_line(inner)),
            },
            "accessControl" => self.access_control(inner),
            "certificate" => {
                let name = self.hoisted.name("certificate");
                let der = data_of(inner);
                self.hoisted
                    .lines
                    .push("// SecCertificateCreateWithData returns nil unless the data is DER".to_string());
                self.hoisted.lines.push(format!("let {name} = SecCertificateCreateWithData(nil, {der} as CFData)!"));
                name
            }
            "key" => self.key(inner),
            "identity" => {
                let cert = inner.get("certificate").map(|c| c.get("certificate").unwrap_or(c));
                let key = inner.get("key").map(|k| k.get("key").unwrap_or(k));
                if let Some(c) = cert {
                    self.tagged("certificate", c);
                }
                if let Some(k) = key {
                    self.key(k);
                }
                let name = self.hoisted.name("identity");
                self.hoisted.lines.push(format!(
                    "// {name}: a SecIdentity for the certificate and private key above. Swift cannot build one"
                ));
                self.hoisted.lines.push(
                    "// directly: take it from SecPKCS12Import or a kSecClassIdentity query (Keyplay does not export it)."
                        .into(),
                );
                name
            }
            "persistentRef" => {
                let name = self.hoisted.name("persistentRef");
                self.hoisted.lines.push(format!(
                    "// {name}: the Data an earlier call returned for kSecReturnPersistentRef (Keyplay's {})",
                    one_line(inner)
                ));
                name
            }
            other => format!("nil /* Keyplay: {other} values are not exported */"),
        }
    }

    fn access_control(&mut self, inner: &Json) -> String {
        let accessible = match inner.get("accessible").and_then(Json::as_str) {
            Some(name) if value_raw(name).is_some() => name.to_string(),
            Some(raw) => format!("{} as CFString", swift_string(raw)),
            None => "kSecAttrAccessibleWhenUnlocked".into(),
        };
        let flags: Vec<String> = inner
            .get("flags")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_str).map(swift_flag).collect())
            .unwrap_or_default();
        let flags = match flags.as_slice() {
            [one] => one.clone(),
            _ => format!("[{}]", flags.join(", ")),
        };
        let name = self.hoisted.name("accessControl");
        self.hoisted
            .lines
            .push(format!("let {name} = SecAccessControlCreateWithFlags(nil, {accessible}, {flags}, nil)!"));
        name
    }

    fn key(&mut self, inner: &Json) -> String {
        let text =
            |f: &str| inner.get(f).and_then(Json::as_str).unwrap_or("kSecAttrKeyTypeECSECPrimeRandom").to_string();
        let key_type = text("kSecAttrKeyType");
        let key_class = inner.get("kSecAttrKeyClass").and_then(Json::as_str).unwrap_or("kSecAttrKeyClassPrivate");
        let bytes = inner.get("kSecValueData").map_or_else(|| "Data()".to_string(), data_of);
        let name = self.hoisted.name("key");
        self.hoisted.lines.push(
            "// SecKeyCreateWithData takes the external representation (EC: 04 || X || Y [|| D]; RSA: PKCS#1 DER)"
                .to_string(),
        );
        self.hoisted.lines.push(format!(
            "let {name} = SecKeyCreateWithData({bytes} as CFData, [kSecAttrKeyType as String: {key_type}, kSecAttrKeyClass as String: {key_class}] as CFDictionary, nil)!"
        ));
        name
    }
}

/// `kSecAccessControlBiometryAny` → `.biometryAny`.
fn swift_flag(name: &str) -> String {
    let bare = name.strip_prefix("kSecAccessControl").unwrap_or(name);
    let mut chars = bare.chars();
    match chars.next() {
        Some(first) => format!(".{}{}", first.to_ascii_lowercase(), chars.as_str()),
        None => ".init()".into(),
    }
}

/// `{"utf8": …}` / `{"hex": …}` / `{"base64": …}` as a Swift `Data` expression.
fn data(tag: &str, inner: &Json) -> String {
    let text = inner.as_str().unwrap_or_default();
    let bytes = match tag {
        "utf8" => return format!("Data({}.utf8)", swift_string(text)),
        "hex" => decode_hex(text),
        _ => decode_base64(text),
    };
    match bytes {
        Ok(b) if b.len() <= 16 => {
            let list: Vec<String> = b.iter().map(|x| format!("0x{x:02x}")).collect();
            format!("Data([{}])", list.join(", "))
        }
        Ok(b) => format!("Data(base64Encoded: \"{}\")!", encode_base64(&b)),
        Err(_) => format!("Data() /* Keyplay: not valid {tag}: {} */", one_line(inner)),
    }
}

fn data_of(value: &Json) -> String {
    match value.as_object().and_then(|m| m.iter().next()) {
        Some((tag, inner)) => data(tag, inner),
        None => "Data()".into(),
    }
}

fn one_line(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default().replace("*/", "* /")
}

/// A Swift string literal.
pub fn swift_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
