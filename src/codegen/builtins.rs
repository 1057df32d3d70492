//! The Foundation and Security calls the importer evaluates: `Data(…)`, `.data(using:)`,
//! `Date(timeIntervalSince1970:)`, `SecAccessControlCreateWithFlags`, `SecCertificateCreateWithData`,
//! `SecKeyCreateWithData`, and the Objective-C messages that build dictionaries and data.

use super::expr::{Arg, DictVal, Parser, Val};
use crate::instant::Instant;
use crate::keychain::constants::{self, Family};
use serde_json::{json, Value as Json};

/// Seconds from 1970 to 2001-01-01, the reference date of `timeIntervalSinceReferenceDate`.
const REFERENCE_DATE: i64 = 978_307_200;

/// The constant name for a Swift `SecAccessControlCreateFlags` member (`.biometryAny`).
pub fn swift_flag(member: &str) -> Option<&'static str> {
    let mut chars = member.chars();
    let first = chars.next()?;
    let name = format!("kSecAccessControl{}{}", first.to_ascii_uppercase(), chars.as_str());
    constants::ACCESS_CONTROL_FLAGS.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// Evaluates a call to a known function `name` (at its argument list), or `None` to treat it
/// as an ordinary unknown call.
pub fn call(p: &mut Parser, name: &str) -> Option<Val> {
    let known = [
        "Data",
        "NSData",
        "Date",
        "NSDate",
        "NSNumber",
        "NSDictionary",
        "NSMutableDictionary",
        "Dictionary",
        "String",
        "NSString",
        "Array",
        "SecAccessControlCreateWithFlags",
        "SecCertificateCreateWithData",
        "SecKeyCreateWithData",
        "CFDictionaryCreateMutable",
        "CFSTR",
    ];
    if !known.contains(&name) {
        return None;
    }
    let args = p.args();
    let first = args.first().map(|a| &a.val);
    let unlabeled = |args: &[Arg]| args.len() == 1 && args[0].label.is_none();
    Some(match name {
        "Data" | "NSData" | "Array" => data(&args),
        "Date" | "NSDate" => date(&args),
        "NSNumber" | "String" | "NSString" | "CFSTR" if args.len() == 1 => {
            let a = &args[0];
            match (a.label.as_deref(), &a.val) {
                (None | Some("value") | Some("describing") | Some("string"), v) => v.clone(),
                _ => Val::unknown(name),
            }
        }
        "NSDictionary" | "NSMutableDictionary" | "Dictionary" => match first {
            None => Val::Dict(DictVal::default()),
            Some(v @ Val::Dict(_)) => v.clone(),
            Some(_) if !unlabeled(&args) && args.iter().all(|a| a.label.as_deref() == Some("minimumCapacity")) => {
                Val::Dict(DictVal::default())
            }
            Some(v) => Val::unknown(v.unknown_name().unwrap_or("dictionary").to_string()),
        },
        "CFDictionaryCreateMutable" => Val::Dict(DictVal::default()),
        "SecAccessControlCreateWithFlags" => access_control(&args),
        "SecCertificateCreateWithData" => certificate(&args),
        "SecKeyCreateWithData" => key(&args),
        _ => Val::unknown(name),
    })
}

fn data(args: &[Arg]) -> Val {
    let Some(a) = args.first() else { return Val::Json(json!({ "utf8": "" })) };
    match (a.label.as_deref(), &a.val) {
        (None, v @ Val::Json(Json::Object(_))) => v.clone(),
        (None, Val::Array(bytes)) => {
            let hex: Option<String> = bytes
                .iter()
                .map(|b| match b {
                    Val::Json(Json::Number(n)) => n.as_u64().filter(|n| *n < 256).map(|n| format!("{n:02x}")),
                    _ => None,
                })
                .collect();
            hex.map_or_else(|| Val::unknown_data("bytes"), |h| Val::Json(json!({ "hex": h })))
        }
        (Some("base64Encoded") | Some("base64EncodedString"), Val::Json(Json::String(s))) => {
            match crate::data::decode_base64(s) {
                Ok(_) => Val::Json(json!({ "base64": s })),
                Err(_) => Val::unknown_data("base64"),
            }
        }
        (_, Val::Unknown(u)) => Val::unknown_data(u.name.clone()),
        _ => Val::unknown_data("data"),
    }
}

fn date(args: &[Arg]) -> Val {
    let Some(a) = args.first() else { return Val::unknown("now") };
    let seconds = match &a.val {
        Val::Json(Json::Number(n)) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    };
    let offset = match a.label.as_deref() {
        Some("timeIntervalSince1970") => Some(0),
        Some("timeIntervalSinceReferenceDate") => Some(REFERENCE_DATE),
        _ => None,
    };
    match (seconds, offset) {
        (Some(s), Some(o)) => {
            let text = Instant(s.saturating_add(o)).to_rfc3339();
            if text.starts_with('@') {
                Val::unknown("date")
            } else {
                Val::Json(json!({ "date": text }))
            }
        }
        _ => Val::unknown("date"),
    }
}

/// The flag names of a flags argument: `[.a, .b]`, `.a`, `kSecAccessControlA | …`, `0`, `[]`.
fn flags(v: &Val) -> Option<Vec<&'static str>> {
    match v {
        Val::Flags(f) => Some(f.clone()),
        Val::Array(items) => items.iter().map(flags).collect::<Option<Vec<_>>>().map(|v| v.concat()),
        Val::Json(Json::Number(n)) if n.as_u64() == Some(0) => Some(Vec::new()),
        _ => None,
    }
}

fn access_control(args: &[Arg]) -> Val {
    let protection = args.get(1).and_then(|a| a.val.str());
    let flags = args.get(2).and_then(|a| flags(&a.val));
    match (protection, flags) {
        (Some(p), Some(f)) if constants::value_raw(p).is_some() || !p.starts_with("kSec") => {
            Val::Json(json!({ "accessControl": { "accessible": p, "flags": f } }))
        }
        _ => Val::unknown("accessControl"),
    }
}

fn certificate(args: &[Arg]) -> Val {
    match args.get(1).map(|a| &a.val) {
        Some(Val::Json(d @ Json::Object(_))) if d.get("utf8").is_none() => Val::Json(json!({ "certificate": d })),
        _ => Val::unknown("certificate"),
    }
}

fn key(args: &[Arg]) -> Val {
    let data = args.first().map(|a| &a.val);
    let attrs = args.get(1).map(|a| &a.val);
    if let (Some(Val::Json(d @ Json::Object(_))), Some(Val::Dict(attrs))) = (data, attrs) {
        let get = |name: &str| {
            attrs.entries.iter().find(|e| e.key.name == name).and_then(|e| e.val.str().map(str::to_string))
        };
        if let (Some(t), Some(c)) = (get("kSecAttrKeyType"), get("kSecAttrKeyClass")) {
            return Val::Json(json!({ "key": { "kSecAttrKeyType": t, "kSecAttrKeyClass": c, "kSecValueData": d } }));
        }
    }
    Val::unknown("key")
}

/// `value.member(args)`.
pub fn method(v: Val, member: &str, args: &[Arg]) -> Val {
    match member {
        "data" if args.first().is_some_and(|a| a.label.as_deref() == Some("using")) => match v {
            Val::Json(Json::String(s)) => Val::Json(json!({ "utf8": s })),
            Val::Unknown(u) => Val::Unknown(super::expr::Unknown { data: true, ..u }),
            _ => Val::unknown_data("data"),
        },
        "mutableCopy" | "copy" => v,
        _ => match v {
            Val::Unknown(u) if u.name == "self" => Val::unknown(member),
            Val::Unknown(u) => Val::Unknown(u),
            _ => Val::unknown(member),
        },
    }
}

/// `value.member`.
pub fn property(v: Val, member: &str) -> Val {
    match (member, v) {
        ("utf8", Val::Json(Json::String(s))) => Val::Json(json!({ "utf8": s })),
        ("utf8", Val::Unknown(u)) => Val::Unknown(super::expr::Unknown { data: true, ..u }),
        ("rawValue", v) => v,
        (_, Val::Unknown(u)) if u.name == "SecAccessControlCreateFlags" => match swift_flag(member) {
            Some(f) => Val::Flags(vec![f]),
            None => Val::unknown(member),
        },
        (_, Val::Unknown(u)) if u.data => Val::unknown_data(member),
        _ => Val::unknown(member),
    }
}

/// An Objective-C message send `[receiver selector:arg …]`, after the receiver.
pub fn message(p: &mut Parser, receiver: Val) -> Val {
    let mut parts: Vec<(String, Vec<Val>)> = Vec::new();
    while let Some(sel) = p.cur().and_then(|t| t.ident()) {
        p.pos += 1;
        let mut vals = Vec::new();
        if p.at(":") {
            p.pos += 1;
            vals.push(p.expr());
            while p.at(",") {
                p.pos += 1;
                vals.push(p.expr());
            }
        }
        let done = vals.is_empty();
        parts.push((sel.to_string(), vals));
        if done {
            break;
        }
    }
    p.skip_to(&[]);
    if p.at("]") {
        p.pos += 1;
    }
    // `[self query]`: a method whose returned dictionary the importer saw.
    let own = receiver.unknown_name().is_some_and(|r| r == "self" || r.starts_with(char::is_uppercase));
    if let (true, Some((sel, _))) = (own, parts.first()) {
        let args: Vec<Val> = parts.iter().flat_map(|(_, v)| v.iter().take(1).cloned()).collect();
        if let Some(v) = p.call_objc(sel, args) {
            return v;
        }
        if let Some(var) = p.env.get_mut(sel.as_str()).filter(|v| matches!(v.val, Val::Dict(_))) {
            var.used = true;
            return var.val.clone();
        }
    }
    send(receiver, &parts)
}

fn send(receiver: Val, parts: &[(String, Vec<Val>)]) -> Val {
    let Some((sel, args)) = parts.first() else { return Val::unknown("value") };
    let arg = args.first().cloned();
    let class = receiver.unknown_name().unwrap_or("").to_string();
    let dict_class = matches!(class.as_str(), "NSMutableDictionary" | "NSDictionary");
    match (sel.as_str(), arg) {
        ("alloc" | "new", _) if dict_class && sel == "new" => Val::Dict(DictVal::default()),
        ("alloc", _) => Val::unknown(format!("{class}.alloc")),
        ("dictionary" | "dictionaryWithCapacity" | "init" | "initWithCapacity", _)
            if dict_class || class.starts_with("NSMutableDictionary.") || class.starts_with("NSDictionary.") =>
        {
            Val::Dict(DictVal::default())
        }
        ("dictionaryWithDictionary" | "initWithDictionary", Some(d @ Val::Dict(_))) => d,
        ("dictionaryWithObjectsAndKeys", _) => objects_and_keys(args),
        ("dataUsingEncoding", _) => match receiver {
            Val::Json(Json::String(s)) => Val::Json(json!({ "utf8": s })),
            Val::Unknown(u) => Val::Unknown(super::expr::Unknown { data: true, ..u }),
            _ => Val::unknown_data("data"),
        },
        ("initWithBase64EncodedString", Some(Val::Json(Json::String(s)))) => {
            data(&[Arg { label: Some("base64Encoded".into()), val: Val::Json(json!(s)), pos: Default::default() }])
        }
        ("mutableCopy" | "copy", _) => receiver,
        (
            "numberWithBool"
            | "numberWithInt"
            | "numberWithInteger"
            | "numberWithUnsignedInt"
            | "numberWithLong"
            | "numberWithUnsignedInteger"
            | "stringWithString",
            Some(v),
        ) => v,
        ("dateWithTimeIntervalSince1970", Some(v)) => {
            date(&[Arg { label: Some("timeIntervalSince1970".into()), val: v, pos: Default::default() }])
        }
        _ => match receiver {
            Val::Unknown(u) if u.name != "self" && !u.name.is_empty() && u.name.starts_with(char::is_lowercase) => {
                Val::unknown(u.name)
            }
            _ => Val::unknown(sel.clone()),
        },
    }
}

/// `[NSDictionary dictionaryWithObjectsAndKeys: v1, k1, v2, k2, nil]`.
fn objects_and_keys(args: &[Val]) -> Val {
    let mut dict = DictVal::default();
    for pair in args.chunks(2) {
        if let [v, k] = pair {
            if let Some(def) = k.str().and_then(constants::key_by_name) {
                dict.set(super::expr::Entry { key: def, val: v.clone(), pos: Default::default() });
            }
        }
    }
    Val::Dict(dict)
}

/// The default a placeholder takes for a constant family.
pub fn family_default(f: Family) -> Json {
    let name = match f {
        Family::Class => "kSecClassGenericPassword",
        Family::Accessible => "kSecAttrAccessibleWhenUnlocked",
        Family::MatchLimit => "kSecMatchLimitOne",
        Family::Synchronizable => return json!(true),
        Family::Protocol => "kSecAttrProtocolHTTPS",
        Family::AuthenticationType => "kSecAttrAuthenticationTypeDefault",
        Family::KeyType => "kSecAttrKeyTypeECSECPrimeRandom",
        Family::KeyClass => "kSecAttrKeyClassPrivate",
        Family::AuthenticationUi => "kSecUseAuthenticationUIAllow",
        Family::TokenId => "kSecAttrTokenIDSecureEnclave",
    };
    json!(name)
}
