//! Changes to dictionary variables: Swift subscripts and `updateValue` / `removeValue`,
//! Objective-C `setObject:forKey:` / `removeObjectForKey:` / `addEntriesFromDictionary:`, and
//! `CFDictionaryAddValue` / `CFDictionarySetValue` / `CFDictionaryRemoveValue`.

use super::expr::{DictVal, Entry, Val, Var};
use super::statements::Scanner;
use crate::keychain::constants::KeyDef;

impl Scanner<'_, '_, '_> {
    /// `query[kSecAttrAccount as String] = value` (or `= nil`).
    pub(super) fn subscript(&mut self, name: &str, i: usize) -> usize {
        let mut p = self.parser(i + 2);
        let from = p.pos;
        let key = p.expr();
        let key_pos = p.span(from);
        if !p.at("]") || !p.at_ahead(1, "=") {
            return i + 1;
        }
        p.pos += 2;
        let from = p.pos;
        let val = p.expr();
        let val_pos = p.span(from);
        let def = p.key(&key, &key_pos);
        let end = p.pos;
        if let Some(def) = def {
            self.mutate(name, i, Some(Entry { key: def, val, pos: val_pos }), def);
        }
        end
    }

    /// `query.removeValue(forKey: k)`, `query.updateValue(v, forKey: k)`.
    pub(super) fn method_mutation(&mut self, name: &str, i: usize) -> usize {
        let Some(method) = self.ident_at(i + 2) else { return i + 1 };
        if !matches!(method, "removeValue" | "updateValue") || !self.env.contains_key(name) {
            return i + 1;
        }
        let mut p = self.parser(i + 3);
        let args = p.args();
        let end = p.pos;
        let key_arg = args.iter().find(|a| a.label.as_deref() == Some("forKey"));
        let (Some(key_arg), mut p) = (key_arg, self.parser(end)) else { return end };
        let Some(def) = p.key(&key_arg.val, &key_arg.pos) else { return end };
        let entry = match (method, args.first()) {
            ("updateValue", Some(v)) if v.label.is_none() => {
                Some(Entry { key: def, val: v.val.clone(), pos: v.pos.clone() })
            }
            _ => None,
        };
        self.mutate(name, i, entry, def);
        end
    }

    /// `[query setObject:v forKey:k]`, `[query removeObjectForKey:k]`, `[query addEntriesFromDictionary:d]`.
    pub(super) fn objc_mutation(&mut self, i: usize) -> usize {
        let (Some(name), Some(sel)) = (self.ident_at(i + 1), self.ident_at(i + 2)) else { return i + 1 };
        let known = matches!(sel, "setObject" | "setValue" | "removeObjectForKey" | "addEntriesFromDictionary");
        if !self.is(i + 3, ":") || !known || self.has_call(i, i + 4) {
            return i + 1;
        }
        let mut p = self.parser(i + 4);
        let from = p.pos;
        let first = p.expr();
        let first_pos = p.span(from);
        match sel {
            "setObject" | "setValue" if p.cur().is_some_and(|t| t.is_ident("forKey")) && p.at_ahead(1, ":") => {
                p.pos += 2;
                let from = p.pos;
                let key = p.expr();
                let key_pos = p.span(from);
                let def = p.key(&key, &key_pos);
                let end = p.pos;
                if let Some(def) = def {
                    let entry = match first {
                        Val::Nil => None,
                        val => Some(Entry { key: def, val, pos: first_pos }),
                    };
                    self.mutate(name, i + 1, entry, def);
                }
                end
            }
            "removeObjectForKey" => {
                let def = p.key(&first, &first_pos);
                let end = p.pos;
                if let Some(def) = def {
                    self.mutate(name, i + 1, None, def);
                }
                end
            }
            "addEntriesFromDictionary" => {
                let end = p.pos;
                if let Val::Dict(d) = first {
                    for e in d.entries {
                        let def = e.key;
                        self.mutate(name, i + 1, Some(e), def);
                    }
                }
                end
            }
            _ => i + 1,
        }
    }

    /// `CFDictionaryAddValue(query, kSecClass, kSecClassGenericPassword)`.
    pub(super) fn cf_mutation(&mut self, func: &str, i: usize) -> usize {
        let mut p = self.parser(i + 1);
        let args = p.args();
        let end = p.pos;
        let name = (i + 2..end.min(i + 10)).filter_map(|k| self.ident_at(k)).find(|n| self.env.contains_key(*n));
        let (Some(name), Some(key)) = (name, args.get(1)) else { return end };
        let mut p = self.parser(end);
        let Some(def) = p.key(&key.val, &key.pos) else { return end };
        let entry = match args.get(2) {
            Some(v) if func != "CFDictionaryRemoveValue" => {
                Some(Entry { key: def, val: v.val.clone(), pos: v.pos.clone() })
            }
            _ => None,
        };
        self.mutate(name, i, entry, def);
        end
    }

    /// Sets (or with `None` removes) a key of the dictionary variable `name`.
    fn mutate(&mut self, name: &str, at: usize, entry: Option<Entry>, key: &'static KeyDef) {
        let pos = self.span(at, at + 1);
        let mut entry = entry;
        if let Some(Entry { val: Val::Unknown(u), .. }) = &mut entry {
            if !u.param && self.conds.iter().any(|(n, close)| *n == u.name && *close >= at) {
                u.optional = true;
            }
        }
        let var = self.env.entry(name.to_string()).or_insert_with(|| Var::new(Val::unknown(name), pos));
        if !matches!(var.val, Val::Dict(_)) {
            let pos = var.pos.clone();
            let on_param = match &var.val {
                Val::Unknown(u) if u.param => Some(u.name.clone()),
                _ => None,
            };
            let message = match &on_param {
                Some(param) => format!(
                    "`{name}` starts from `{param}`, a dictionary made by code that is not pasted: only the keys set on it here are known"
                ),
                None => match var.val.unknown_name().filter(|n| *n != name) {
                    Some(source) => format!(
                        "`{name}` starts from `{source}`, which the importer cannot see (a property, or code not pasted): taken as empty, only the keys set on it later are known"
                    ),
                    None => format!(
                        "`{name}` is not a dictionary the importer can see: only the keys set on it later are known"
                    ),
                },
            };
            var.val = Val::Dict(DictVal { entries: Vec::new(), origin: Some((name.to_string(), pos.start)), on_param });
            self.problems.add(&pos, message);
        }
        if let Some(Var { val: Val::Dict(d), .. }) = self.env.get_mut(name) {
            match entry {
                Some(e) => d.set(e),
                None => d.remove(key),
            }
        }
    }
}
