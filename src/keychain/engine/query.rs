//! Turning a SecItem dictionary into a parsed query, the way the daemon classifies
//! keys: `class`, attributes (checked against the class's columns), match keys, return
//! keys, value keys and use keys. The first problem found is the status the call returns.

use crate::keychain::document::Dict;
use crate::keychain::objects::issuer_query_content;
use crate::keychain::protection::Protection;
use crate::keychain::schema::{Class, Column};
use crate::keychain::store::{coerce, coerce_file, Backend};
use crate::keychain::value::{AccessControl, Value};
use crate::status::Status;

/// A call that fails: the status and why, in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub status: Status,
    pub why: String,
}

impl Fail {
    pub fn new(status: Status, why: impl Into<String>) -> Fail {
        Fail { status, why: why.into() }
    }
}

/// `kSecMatchLimit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    One,
    All,
    Count(u64),
}

impl Limit {
    /// The number of items the limit allows.
    pub fn max(self) -> usize {
        match self {
            Limit::One => 1,
            Limit::All => usize::MAX,
            Limit::Count(n) => usize::try_from(n).unwrap_or(usize::MAX),
        }
    }

    /// Whether the result is a single value (limit one, or the number 1) rather than an array.
    pub fn single(self) -> bool {
        matches!(self, Limit::One | Limit::Count(1))
    }
}

/// `kSecAttrSynchronizable` in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFilter {
    Local,
    Synchronized,
    Any,
}

/// The return keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Returns {
    pub data: bool,
    pub attributes: bool,
    pub reference: bool,
    pub persistent_ref: bool,
}

impl Returns {
    pub fn any(self) -> bool {
        self.data || self.attributes || self.reference || self.persistent_ref
    }

    pub fn count(self) -> usize {
        [self.data, self.attributes, self.reference, self.persistent_ref].iter().filter(|b| **b).count()
    }
}

/// One attribute filter or value, coerced for its column.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrValue {
    pub column: &'static Column,
    pub value: Value,
    /// The value as written (before coercion), for pitfalls about types.
    pub written: Value,
}

/// A parsed dictionary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub class: Option<Class>,
    pub attrs: Vec<AttrValue>,
    pub limit: Option<Limit>,
    /// Match keys other than kSecMatchLimit (constant names).
    pub match_keys: Vec<&'static str>,
    /// Their values, in the same order.
    pub match_values: Vec<Value>,
    pub case_insensitive: bool,
    pub returns: Returns,
    /// Return keys present at all (even false), by name.
    pub return_keys: Vec<&'static str>,
    pub value_data: Option<Value>,
    pub value_ref: Option<Value>,
    pub persistent_ref: Option<String>,
    pub sync: Option<SyncFilter>,
    pub sync_add: Option<bool>,
    pub access_group: Option<String>,
    pub accessible: Option<Protection>,
    pub access_control: Option<AccessControl>,
    pub auth_ui: Option<String>,
    pub use_data_protection: Option<bool>,
    pub use_item_list: bool,
    /// The items of kSecUseItemList.
    pub use_items: Vec<Value>,
    /// Attributes the file-based keychain silently dropped (not in the class).
    pub ignored: Vec<&'static str>,
    /// Every attribute key present, whatever the class (persistent-reference checks).
    pub attribute_keys: Vec<&'static str>,
    /// Keys that were present but have no effect here (for pitfalls).
    pub other_use_keys: Vec<&'static str>,
}

impl Query {
    /// The attribute filter on this raw column, if any.
    pub fn attr(&self, raw: &str) -> Option<&Value> {
        self.attrs.iter().find(|a| a.column.raw == raw).map(|a| &a.value)
    }

    /// The value of a match key, by constant name.
    pub fn match_value(&self, name: &str) -> Option<&Value> {
        self.match_keys.iter().position(|k| *k == name).and_then(|i| self.match_values.get(i))
    }

    pub fn has_attributes(&self) -> bool {
        !self.attribute_keys.is_empty()
    }
}

/// Parses `dict` for `backend`. `class_hint` is the class implied by a value ref or
/// persistent ref when `kSecClass` is absent.
pub fn parse(dict: &Dict, backend: Backend, class_hint: Option<Class>) -> Result<Query, Fail> {
    // The class comes first: attributes are looked up in its columns.
    let class = match dict.get("kSecClass") {
        None => class_hint,
        Some(Value::Str(raw)) => Some(Class::from_raw(raw).ok_or_else(|| {
            Fail::new(Status::NoSuchClass, format!("kSecClass is \"{raw}\", which names no item class"))
        })?),
        Some(other) => {
            return Err(Fail::new(
                Status::Param,
                format!("kSecClass must be a class constant, not a {}", other.type_name()),
            ))
        }
    };
    let mut q = Query { class, ..Query::default() };
    for entry in &dict.0 {
        let key = entry.key;
        let value = &entry.value;
        let raw = key.raw;
        match raw {
            "class" => {}
            _ if raw.starts_with("m_") => parse_match(&mut q, key.name, raw, value)?,
            _ if raw.starts_with("r_") => {
                let Value::Bool(on) = value else {
                    return Err(Fail::new(
                        Status::Param,
                        format!("{} must be a CFBoolean (true/false), not a {}", key.name, value.type_name()),
                    ));
                };
                q.return_keys.push(key.name);
                match raw {
                    "r_Data" => q.returns.data = *on,
                    "r_Attributes" => q.returns.attributes = *on,
                    "r_Ref" => q.returns.reference = *on,
                    _ => q.returns.persistent_ref = *on,
                }
            }
            "v_Data" => q.value_data = Some(value.clone()),
            "v_Ref" => q.value_ref = Some(value.clone()),
            "v_PersistentRef" => match value {
                Value::PersistentRef(p) => q.persistent_ref = Some(p.clone()),
                other => {
                    return Err(Fail::new(
                        Status::Param,
                        format!("kSecValuePersistentRef must be a persistent reference, not a {}", other.type_name()),
                    ))
                }
            },
            "u_AuthUI" => match value {
                Value::Str(s) if ["u_AuthUIA", "u_AuthUIF", "u_AuthUIS"].contains(&s.as_str()) => {
                    q.auth_ui = Some(s.clone())
                }
                _ => {
                    return Err(Fail::new(
                        Status::Param,
                        "kSecUseAuthenticationUI must be kSecUseAuthenticationUIAllow, Fail or Skip",
                    ))
                }
            },
            "u_NoAuthUI" => {
                if value == &Value::Bool(true) {
                    q.auth_ui = Some("u_AuthUIF".into());
                }
            }
            "u_ItemList" => {
                q.use_item_list = true;
                if let Value::Array(items) = value {
                    q.use_items.clone_from(items);
                }
            }
            _ if raw.starts_with("u_") => q.other_use_keys.push(key.name),
            "nleg" => match value {
                Value::Bool(b) => q.use_data_protection = Some(*b),
                Value::Int(i) => q.use_data_protection = Some(*i != 0),
                _ => return Err(Fail::new(Status::Param, "kSecUseDataProtectionKeychain must be a CFBoolean")),
            },
            _ => {
                q.attribute_keys.push(key.name);
                parse_attribute(&mut q, backend, key.name, raw, value)?
            }
        }
    }
    Ok(q)
}

fn parse_match(q: &mut Query, name: &'static str, raw: &str, value: &Value) -> Result<(), Fail> {
    if raw == "m_Limit" {
        q.limit = Some(match value {
            Value::Str(s) if s == "m_LimitOne" => Limit::One,
            Value::Str(s) if s == "m_LimitAll" => Limit::All,
            Value::Int(n) if *n >= 0 => Limit::Count(n.unsigned_abs()),
            other => {
                return Err(Fail::new(Status::Param, format!("kSecMatchLimit must be kSecMatchLimitOne, kSecMatchLimitAll or a non-negative number, not {other:?}")))
            }
        });
        return Ok(());
    }
    if raw == "m_CaseInsensitive" {
        q.case_insensitive = value == &Value::Bool(true);
    }
    let well_typed = match raw {
        "m_EmailAddressIfPresent"
        | "m_HostOrSubdomainOfHost"
        | "m_SubjectContains"
        | "m_SubjectStartsWith"
        | "m_SubjectEndsWith"
        | "m_SubjectWholeString" => matches!(value, Value::Str(_)),
        "m_TrustedOnly" | "m_CaseInsensitive" | "m_DiacriticInsensitive" | "m_WidthInsensitive" => {
            matches!(value, Value::Bool(_))
        }
        "m_ValidOnDate" => matches!(value, Value::Date(_)),
        "m_Issuers" | "m_ItemList" | "m_SearchList" => matches!(value, Value::Array(_)),
        _ => true,
    };
    if !well_typed {
        return Err(Fail::new(Status::Param, format!("{name} does not take a {}", value.type_name())));
    }
    q.match_keys.push(name);
    q.match_values.push(value.clone());
    Ok(())
}

fn parse_attribute(
    q: &mut Query,
    backend: Backend,
    name: &'static str,
    raw: &'static str,
    value: &Value,
) -> Result<(), Fail> {
    let Some(class) = q.class else {
        // Without a class the attribute cannot be looked up; the caller reports the missing class.
        return Ok(());
    };
    let file = backend == Backend::File;
    match raw {
        "agrp" => {
            if file {
                q.ignored.push(name);
                return Ok(());
            }
            match value {
                Value::Str(s) => q.access_group = Some(s.clone()),
                other => {
                    return Err(Fail::new(
                        Status::Param,
                        format!("kSecAttrAccessGroup must be a CFString, not a {}", other.type_name()),
                    ))
                }
            }
            return Ok(());
        }
        "sync" => {
            let filter = match value {
                Value::Str(s) if s == "syna" => SyncFilter::Any,
                Value::Bool(true) | Value::Int(1) => SyncFilter::Synchronized,
                Value::Bool(false) | Value::Int(0) => SyncFilter::Local,
                other => {
                    return Err(Fail::new(
                        Status::Param,
                        format!(
                            "kSecAttrSynchronizable must be a CFBoolean or kSecAttrSynchronizableAny, not {other:?}"
                        ),
                    ))
                }
            };
            q.sync = Some(filter);
            q.sync_add = Some(filter == SyncFilter::Synchronized);
            return Ok(());
        }
        "pdmn" => {
            if file {
                q.ignored.push(name);
                return Ok(());
            }
            match value.as_str().and_then(Protection::from_raw) {
                Some(p) => q.accessible = Some(p),
                None => {
                    return Err(Fail::new(
                        Status::Param,
                        format!("kSecAttrAccessible {value:?} is not a protection class"),
                    ))
                }
            }
            return Ok(());
        }
        "accc" => {
            match value {
                Value::AccessControl(ac) => q.access_control = Some(ac.clone()),
                other => {
                    return Err(Fail::new(
                        Status::Param,
                        format!("kSecAttrAccessControl must be a SecAccessControl, not a {}", other.type_name()),
                    ))
                }
            }
            return Ok(());
        }
        _ => {}
    }
    let Some(column) = class.column(raw) else {
        if file {
            q.ignored.push(name);
            return Ok(());
        }
        return Err(Fail::new(Status::NoSuchAttr, format!("{name} is not an attribute of {}", class.name())));
    };
    let canonical = match value {
        Value::Data(d) if raw == "issr" && !file => issuer_query_content(d).map(Value::Data),
        _ => None,
    };
    let given = canonical.as_ref().unwrap_or(value);
    let coerced = if file { coerce_file(column, given) } else { coerce(column, given) };
    let coerced = coerced.map_err(|why| Fail::new(Status::Param, why))?;
    q.attrs.push(AttrValue { column, value: coerced, written: value.clone() });
    Ok(())
}
