//! Literals and brackets: Swift `[…]` arrays and dictionaries, Objective-C `@{…}`, `@[…]`, `@42`,
//! casts such as `(__bridge id)`, parenthesised expressions, numbers and dictionary keys.

use super::builtins;
use super::expr::{DictVal, Entry, Parser, Pos, Val};
use super::lexer::{Tok, Token};
use crate::keychain::constants::{self, KeyDef};
use serde_json::{json, Value as Json};

impl Parser<'_, '_, '_, '_> {
    /// `(…)`: an Objective-C cast such as `(__bridge id)` (skipped) or a parenthesised expression.
    pub(super) fn paren(&mut self) -> Val {
        let mut j = self.pos + 1;
        let mut names = Vec::new();
        let mut star = false;
        while let Some(t) = self.toks.get(j) {
            match (t.ident(), t.is("*")) {
                (Some(n), _) => names.push(n),
                (None, true) => star = true,
                _ => break,
            }
            j += 1;
        }
        let closes = self.toks.get(j).is_some_and(|t| t.is(")"));
        let castish = names.first().is_some_and(|first| {
            star || names.iter().any(|n| n.starts_with("__bridge"))
                || *first == "id"
                || first.ends_with("Ref")
                || (names.len() == 1 && (first.starts_with("NS") || first.starts_with("CF")))
        });
        let followed = self.toks.get(j + 1).is_some_and(|t| {
            matches!(t.tok, Tok::Ident(_) | Tok::Str { .. } | Tok::Num(_)) || t.is("@") || t.is("(") || t.is("[")
        });
        if closes && castish && followed {
            self.pos = j + 1;
            return self.unary();
        }
        self.pos += 1;
        let v = self.expr();
        if self.at(")") {
            self.pos += 1;
            v
        } else if self.at(",") && matches!(v, Val::Dict(_)) {
            // `return (attributes, nil)`: a tuple whose first element is the dictionary.
            self.skip_to(&[]);
            if self.at(")") {
                self.pos += 1;
            }
            v
        } else {
            self.skip_to(&[]);
            if self.at(")") {
                self.pos += 1;
            }
            Val::unknown(v.unknown_name().unwrap_or("value").to_string())
        }
    }

    /// `[`: a Swift array or dictionary literal, or an Objective-C message send.
    pub(super) fn bracket(&mut self) -> Val {
        // `[String: Any]()`: an empty dictionary made by its type.
        let close = self.cur().map_or(0, |t| t.close);
        let typed =
            self.toks.get(self.pos + 1).and_then(Token::ident).is_some_and(|n| n.starts_with(char::is_uppercase))
                && self.at_ahead(2, ":")
                && self.toks.get(close + 1).is_some_and(|t| t.is("(") && !t.space_before)
                && self.toks.get(close + 2).is_some_and(|t| t.is(")"));
        if typed {
            self.pos = close + 3;
            return Val::Dict(DictVal::default());
        }
        self.pos += 1;
        if self.at("]") {
            self.pos += 1;
            return Val::Array(Vec::new());
        }
        if self.at(":") && self.at_ahead(1, "]") {
            self.pos += 2;
            return Val::Dict(DictVal::default());
        }
        let from = self.pos;
        let first = self.expr();
        if self.at(":") {
            let key_pos = self.span(from);
            return Val::Dict(self.dict_rest(Some((first, key_pos)), "]"));
        }
        if self.at(",") || self.at("]") {
            return Val::Array(self.array_rest(Some(first), "]"));
        }
        if self.cur().and_then(Token::ident).is_some() {
            return builtins::message(self, first);
        }
        self.skip_to(&[]);
        if self.at("]") {
            self.pos += 1;
        }
        Val::unknown("value")
    }

    pub(super) fn objc_literal(&mut self) -> Val {
        self.pos += 1;
        let Some(t) = self.cur() else { return Val::unknown("value") };
        if t.is("{") {
            self.pos += 1;
            if self.at("}") {
                self.pos += 1;
                return Val::Dict(DictVal::default());
            }
            return Val::Dict(self.dict_rest(None, "}"));
        }
        if t.is("[") {
            self.pos += 1;
            return Val::Array(self.array_rest(None, "]"));
        }
        // @"…", @YES, @42, @(expr), @-1: the boxed value.
        self.unary()
    }

    /// Array elements up to `close` (the first one already read, if given).
    fn array_rest(&mut self, first: Option<Val>, close: &str) -> Vec<Val> {
        let mut items: Vec<Val> = first.into_iter().collect();
        if !items.is_empty() && self.at(",") {
            self.pos += 1;
        }
        while let Some(t) = self.cur() {
            if t.is(close) {
                self.pos += 1;
                break;
            }
            let before = self.pos;
            items.push(self.expr());
            if self.at(",") {
                self.pos += 1;
            } else if !self.at(close) {
                self.skip_to(&[","]);
                if self.at(",") {
                    self.pos += 1;
                } else if !self.at(close) || self.pos == before {
                    break;
                }
            }
        }
        items
    }

    /// Dictionary entries up to `close` (the first key already read, if given).
    fn dict_rest(&mut self, first: Option<(Val, Pos)>, close: &str) -> DictVal {
        let mut dict = DictVal::default();
        let mut pending = first;
        loop {
            let (key, key_pos) = match pending.take() {
                Some(k) => k,
                None => {
                    if self.at(close) {
                        self.pos += 1;
                        return dict;
                    }
                    if self.cur().is_none() {
                        return dict;
                    }
                    let from = self.pos;
                    let k = self.expr();
                    (k, self.span(from))
                }
            };
            let entry_start = self.pos;
            if self.at(":") {
                self.pos += 1;
                let from = self.pos;
                let val = self.expr();
                let pos = self.span(from);
                if let Some(def) = self.key(&key, &key_pos) {
                    dict.set(Entry { key: def, val, pos });
                }
            } else {
                let pos = self.span(entry_start);
                self.problems.add(&pos, "expected `key: value` in a dictionary literal: skipped");
            }
            if self.at(",") {
                self.pos += 1;
                continue;
            }
            if self.at(close) {
                self.pos += 1;
                return dict;
            }
            let before = self.pos;
            self.skip_to(&[","]);
            if self.at(",") {
                self.pos += 1;
            } else if self.pos == before {
                if self.at(close) {
                    self.pos += 1;
                }
                return dict;
            }
        }
    }

    /// The key definition a dictionary key names, or a problem.
    pub fn key(&mut self, key: &Val, pos: &Pos) -> Option<&'static KeyDef> {
        if let Some(name) = key.str() {
            if let Some(def) = constants::key_by_name(name).or_else(|| constants::KEYS.iter().find(|k| k.raw == name)) {
                return Some(def);
            }
        }
        let name = key.str().or(key.unknown_name()).unwrap_or("");
        let message = if name.starts_with("kSec") {
            format!("{name} is not a key Keyplay simulates: entry left out")
        } else {
            "this key is not a Security framework constant the importer knows: entry left out".to_string()
        };
        self.problems.add(pos, message);
        None
    }
}

/// The name inside the first `\(…)` of an interpolated string (`"\(user).token"` gives `user`).
pub(super) fn interpolation_name(text: &str) -> String {
    let inner = text.split("\\(").nth(1).unwrap_or("");
    let name: String = inner.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    let name = name.rsplit('.').next().unwrap_or("").to_string();
    if name.is_empty() {
        "value".into()
    } else {
        name
    }
}

pub(super) fn number(text: &str) -> Val {
    let lower = text.to_ascii_lowercase();
    let parsed = if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok().map(|n| json!(n))
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok().map(|n| json!(n))
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok().map(|n| json!(n))
    } else if lower.contains(['.', 'e']) {
        lower.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Json::Number)
    } else {
        let digits = lower.trim_end_matches(['u', 'l']);
        digits.parse::<i64>().ok().map(|n| json!(n)).or_else(|| digits.parse::<u64>().ok().map(|n| json!(n)))
    };
    parsed.map_or_else(|| Val::unknown("number"), Val::Json)
}

pub(super) fn negate(n: &serde_json::Number) -> Val {
    if let Some(i) = n.as_i64().and_then(i64::checked_neg) {
        return Val::Json(json!(i));
    }
    if n.as_u64() == Some(i64::MIN.unsigned_abs()) {
        return Val::Json(json!(i64::MIN));
    }
    match n.as_f64().map(|f| -f).and_then(serde_json::Number::from_f64) {
        Some(f) if n.is_f64() => Val::Json(Json::Number(f)),
        _ => Val::unknown("number"),
    }
}
