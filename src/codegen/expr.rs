//! Expressions: literals, dictionary and array literals (Swift `[k: v]`, Objective-C `@{k: v}`),
//! casts, member chains, calls and Objective-C message sends, evaluated to what the importer
//! knows about them ([`Val`]). What cannot be evaluated becomes [`Val::Unknown`], resolved to a
//! placeholder later, when the key it is stored under is known.

use super::builtins;
use super::functions::Shared;
use super::import::Problems;
use super::lexer::{Tok, Token};
use super::literals::{interpolation_name, negate, number};
use crate::keychain::constants::{self, KeyDef};
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::rc::Rc;

/// A span of source: where it starts (1-based line and column) and its byte range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub start: usize,
    pub end: usize,
}

/// A value the importer could not evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub pos: Pos,
    /// The name a placeholder is made from (`account` gives `"<account>"`).
    pub name: String,
    /// The code turns it into data (`token.data(using: .utf8)`).
    pub data: bool,
    /// Set only on some paths (`if let x = self.x`, `if (self.x)`, `x != nil`): a placeholder
    /// for it is marked optional.
    pub optional: bool,
    /// Read through a function parameter (bound at a call site, or an entry function's own).
    pub param: bool,
}

/// A dictionary entry: the key and its value, with the value's span.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: &'static KeyDef,
    pub val: Val,
    pub pos: Pos,
}

/// A dictionary as written, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DictVal {
    pub entries: Vec<Entry>,
    /// The variable the dictionary was first stored in (name, byte offset of the declaration):
    /// the same dictionary passed to two calls is told apart from a fresh one.
    pub origin: Option<(String, usize)>,
    /// Built on a parameter whose dictionary is not known (`var q = query; q[k] = v` in a
    /// function never called): the parameter's name.
    pub on_param: Option<String>,
}

impl DictVal {
    /// Sets a key (in place when present, as a dictionary subscript does).
    pub fn set(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.key.name == entry.key.name) {
            Some(old) => *old = entry,
            None => self.entries.push(entry),
        }
    }

    pub fn remove(&mut self, key: &KeyDef) {
        self.entries.retain(|e| e.key.name != key.name);
    }
}

/// What an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A document value: a string or constant name, number, boolean or tagged object.
    Json(Json),
    Dict(DictVal),
    Array(Vec<Val>),
    Nil,
    /// `SecAccessControlCreateFlags` constant names.
    Flags(Vec<&'static str>),
    Unknown(Unknown),
}

impl Val {
    pub fn unknown(name: impl Into<String>) -> Val {
        Val::Unknown(Unknown { pos: Pos::default(), name: name.into(), data: false, optional: false, param: false })
    }

    pub fn unknown_data(name: impl Into<String>) -> Val {
        Val::Unknown(Unknown { pos: Pos::default(), name: name.into(), data: true, optional: false, param: false })
    }

    pub fn str(&self) -> Option<&str> {
        match self {
            Val::Json(Json::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The same value, an unknown one placed at `pos`.
    pub fn at(self, pos: Pos) -> Val {
        match self {
            Val::Unknown(mut u) => {
                u.pos = pos;
                Val::Unknown(u)
            }
            other => other,
        }
    }

    /// The name of an unknown value (a variable, a class name used as a receiver).
    pub fn unknown_name(&self) -> Option<&str> {
        match self {
            Val::Unknown(u) => Some(&u.name),
            _ => None,
        }
    }
}

/// A variable the importer tracks.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub val: Val,
    pub pos: Pos,
    /// Read by some expression after its declaration.
    pub used: bool,
    /// A function parameter: an unknown value read through it keeps the caller's name.
    pub param: bool,
}

impl Var {
    pub fn new(val: Val, pos: Pos) -> Var {
        Var { val, pos, used: false, param: false }
    }
}

/// The variables in scope, and what every scope shares: the functions of the pasted code.
#[derive(Debug, Clone)]
pub struct Env {
    vars: HashMap<String, Var>,
    pub shared: Rc<Shared>,
    /// How many calls of pasted functions are being followed.
    pub depth: usize,
    /// The functions being read (the entry function, then each call followed).
    pub stack: Vec<usize>,
}

impl Env {
    pub fn new(shared: Rc<Shared>) -> Env {
        Env { vars: HashMap::new(), shared, depth: 0, stack: Vec::new() }
    }
}

impl std::ops::Deref for Env {
    type Target = HashMap<String, Var>;
    fn deref(&self) -> &Self::Target {
        &self.vars
    }
}

impl std::ops::DerefMut for Env {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.vars
    }
}

/// A call argument with its label (`forKey:`), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub label: Option<String>,
    pub val: Val,
    pub pos: Pos,
}

/// Reads expressions from a token slice.
pub struct Parser<'t, 'e, 'p, 's> {
    pub toks: &'t [Token],
    pub pos: usize,
    pub env: &'e mut Env,
    pub problems: &'p mut Problems<'s>,
    depth: usize,
}

const STOPS: [&str; 8] = [",", "]", ")", "}", ";", ":", "=", "{"];
const BINARY: [&str; 23] = [
    "==", "!=", "===", "!==", "??", "&&", "||", "+", "-", "*", "/", "<", ">", "<=", ">=", "&", "...", "..<", "<<",
    ">>", "+=", "-=", "|=",
];

impl<'t, 'e, 'p, 's> Parser<'t, 'e, 'p, 's> {
    pub fn new(toks: &'t [Token], pos: usize, env: &'e mut Env, problems: &'p mut Problems<'s>) -> Self {
        Parser { toks, pos, env, problems, depth: 0 }
    }

    pub fn cur(&self) -> Option<&'t Token> {
        self.toks.get(self.pos)
    }

    pub fn at(&self, p: &str) -> bool {
        self.cur().is_some_and(|t| t.is(p))
    }

    pub fn at_ahead(&self, k: usize, p: &str) -> bool {
        self.toks.get(self.pos + k).is_some_and(|t| t.is(p))
    }

    /// The span from token `from` up to (not including) the current token.
    pub fn span(&self, from: usize) -> Pos {
        let Some(first) = self.toks.get(from).or_else(|| self.toks.last()) else {
            return Pos { line: 1, col: 1, start: 0, end: 0 };
        };
        let last = self.pos.checked_sub(1).and_then(|i| self.toks.get(i)).filter(|_| self.pos > from);
        Pos { line: first.line, col: first.col, start: first.start, end: last.map_or(first.end, |t| t.end) }
    }

    fn at_stop(&self) -> bool {
        self.cur().is_none_or(|t| STOPS.iter().any(|s| t.is(s)))
    }

    /// Skips one bracketed group starting at the current opening token (in constant time: the
    /// lexer paired the brackets).
    pub fn skip_group(&mut self) {
        match self.cur() {
            Some(t) if t.is("(") || t.is("[") || t.is("{") => {
                self.pos = t.close.saturating_add(1).clamp(self.pos + 1, self.toks.len())
            }
            Some(_) => self.pos += 1,
            None => {}
        }
    }

    /// Skips to the next of `stops` at this nesting level (or a closing bracket).
    pub fn skip_to(&mut self, stops: &[&str]) {
        while let Some(t) = self.cur() {
            if stops.iter().any(|s| t.is(s)) || t.is(")") || t.is("]") || t.is("}") {
                return;
            }
            if t.is("(") || t.is("[") || t.is("{") {
                self.skip_group();
            } else {
                self.pos += 1;
            }
        }
    }

    /// A whole expression, binary operators included.
    pub fn expr(&mut self) -> Val {
        let start = self.pos;
        let mut v = self.unary();
        while let Some(t) = self.cur() {
            if t.is("|") {
                self.pos += 1;
                let r = self.unary();
                v = match (v, r) {
                    (Val::Flags(mut a), Val::Flags(b)) => {
                        a.extend(b);
                        Val::Flags(a)
                    }
                    (a, _) => self.opaque(a, start),
                };
            } else if t.is("?") && t.space_before {
                self.pos += 1;
                let yes = self.expr();
                let no = if self.at(":") {
                    self.pos += 1;
                    Some(self.expr())
                } else {
                    None
                };
                // `synchronizable ? kCFBooleanTrue : kCFBooleanFalse` with a known condition.
                v = match (&v, no) {
                    (Val::Json(Json::Bool(true)), Some(_)) => yes,
                    (Val::Json(Json::Bool(false)), Some(no)) => no,
                    _ => self.opaque(v, start),
                };
            } else if BINARY.iter().any(|b| t.is(b)) && !(t.nl_before && (t.is("-") || t.is("*") || t.is("&"))) {
                self.pos += 1;
                self.unary();
                v = self.opaque(v, start);
            } else {
                break;
            }
        }
        v
    }

    /// An expression the importer cannot evaluate, named after its first part.
    fn opaque(&self, v: Val, start: usize) -> Val {
        let name = match &v {
            Val::Unknown(u) => u.name.clone(),
            Val::Json(Json::String(s)) => s.clone(),
            _ => "value".to_string(),
        };
        let data = matches!(&v, Val::Unknown(u) if u.data);
        Val::Unknown(Unknown { pos: self.span(start), name, data, optional: false, param: false })
    }

    /// A prefix expression with its postfix chain.
    pub fn unary(&mut self) -> Val {
        let start = self.pos;
        if self.depth >= super::MAX_DEPTH {
            let pos = self.span(start);
            self.problems.add(&pos, format!("nested deeper than {} levels: not read", super::MAX_DEPTH));
            self.skip_to(&[",", ";"]);
            while !self.at_stop() {
                self.pos += 1;
            }
            return Val::unknown("value").at(self.span(start));
        }
        self.depth += 1;
        let v = self.primary();
        let v = self.postfix(v, start);
        self.depth -= 1;
        match v {
            Val::Unknown(mut u) => {
                if self.pos > start {
                    u.pos = self.span(start);
                }
                Val::Unknown(u)
            }
            other => other,
        }
    }

    fn primary(&mut self) -> Val {
        let Some(t) = self.cur() else { return Val::unknown("value") };
        if self.at_stop() {
            return Val::unknown("value");
        }
        match &t.tok {
            Tok::Str { text, interpolated } => {
                self.pos += 1;
                if *interpolated {
                    Val::unknown(interpolation_name(text))
                } else {
                    Val::Json(json!(text))
                }
            }
            Tok::Num(n) => {
                self.pos += 1;
                number(n)
            }
            Tok::Ident(name) => self.ident(name),
            Tok::Punct("-") => {
                self.pos += 1;
                match self.unary() {
                    Val::Json(Json::Number(n)) => negate(&n),
                    other => other,
                }
            }
            Tok::Punct("!") => {
                self.pos += 1;
                match self.unary() {
                    Val::Json(Json::Bool(b)) => Val::Json(json!(!b)),
                    other => other,
                }
            }
            Tok::Punct("&") | Tok::Punct("*") => {
                self.pos += 1;
                self.unary();
                Val::unknown("pointer")
            }
            Tok::Punct(".") => match self.toks.get(self.pos + 1).and_then(Token::ident) {
                Some(member) => {
                    self.pos += 2;
                    match builtins::swift_flag(member) {
                        Some(flag) => Val::Flags(vec![flag]),
                        None => Val::unknown(member),
                    }
                }
                None => {
                    self.pos += 1;
                    Val::unknown("value")
                }
            },
            Tok::Punct("@") => self.objc_literal(),
            Tok::Punct("(") => self.paren(),
            Tok::Punct("[") => self.bracket(),
            _ => {
                self.pos += 1;
                Val::unknown("value")
            }
        }
    }

    fn ident(&mut self, name: &str) -> Val {
        self.pos += 1;
        let call = self.at("(") && !self.cur().is_some_and(|t| t.nl_before);
        if call {
            if let Some(v) = builtins::call(self, name) {
                return v;
            }
            if let Some(v) = self.call_pasted(name, true) {
                return v;
            }
        }
        match name {
            "true" | "YES" | "TRUE" | "kCFBooleanTrue" => return Val::Json(json!(true)),
            "false" | "NO" | "FALSE" | "kCFBooleanFalse" => return Val::Json(json!(false)),
            "nil" | "NULL" | "Nil" | "kCFNull" => return Val::Nil,
            "try" | "await" => {
                if self.at("!") || self.at("?") {
                    self.pos += 1;
                }
                return self.unary();
            }
            _ => {}
        }
        if name.starts_with("kSec") {
            if let Some(flag) = constants::ACCESS_CONTROL_FLAGS.iter().find(|(n, _)| *n == name) {
                return Val::Flags(vec![flag.0]);
            }
            if constants::value_raw(name).is_some() || constants::key_by_name(name).is_some() {
                return Val::Json(json!(name));
            }
        }
        if let Some(var) = self.env.get_mut(name) {
            var.used = true;
            let param = var.param;
            let mut v = var.val.clone();
            if let Val::Unknown(u) = &mut v {
                if !param {
                    u.name = name.to_string();
                }
                u.param |= param;
            }
            return v;
        }
        if let Some(v) = self.call_pasted_in(name, false, true) {
            return v;
        }
        Val::unknown(name)
    }

    fn postfix(&mut self, mut v: Val, start: usize) -> Val {
        while let Some(t) = self.cur() {
            if t.is(".") && self.toks.get(self.pos + 1).and_then(Token::ident).is_some() {
                let member = self.toks.get(self.pos + 1).and_then(Token::ident).unwrap_or_default();
                self.pos += 2;
                let parens = self.at("(") && !self.cur().is_some_and(|t| t.nl_before);
                let pasted = if matches!(v, Val::Unknown(_)) { self.call_pasted(member, parens) } else { None };
                // `Keys.service` of `enum Keys { static let service = kSecAttrService as String }`.
                let type_name = v.unknown_name().is_some_and(|n| n.starts_with(char::is_uppercase));
                let pasted = pasted.or_else(|| {
                    let known = self.env.get(member).map(|var| var.val.clone());
                    known.filter(|val| type_name && !parens && !matches!(val, Val::Unknown(_)))
                });
                if let Some(r) = pasted {
                    v = r;
                } else if parens {
                    let args = self.args();
                    v = builtins::method(v, member, &args);
                } else {
                    v = builtins::property(v, member);
                }
            } else if (t.is("!") || t.is("?")) && !t.space_before {
                self.pos += 1;
            } else if t.is("(") && !t.nl_before {
                self.args();
                if !matches!(v, Val::Dict(_)) {
                    // A call of a helper whose returned dictionary is known keeps it.
                    let name = v.unknown_name().unwrap_or("value").to_string();
                    v = Val::unknown(name);
                }
            } else if t.is("[") && !t.space_before {
                self.skip_group();
                v = self.opaque(v, start);
            } else if t.is_ident("as") {
                self.pos += 1;
                if (self.at("!") || self.at("?")) && !self.cur().is_some_and(|t| t.space_before) {
                    self.pos += 1;
                }
                self.skip_type();
            } else if t.is_ident("is") {
                self.pos += 1;
                self.skip_type();
                v = self.opaque(v, start);
            } else {
                break;
            }
        }
        v
    }

    /// Skips a type after `as`: `String`, `CFDictionary`, `[String: Any]`, `Foo.Bar<T>?`.
    pub fn skip_type(&mut self) {
        if self.at("[") || self.at("(") {
            self.skip_group();
        } else if self.cur().and_then(Token::ident).is_some() {
            self.pos += 1;
            while self.at(".") && self.toks.get(self.pos + 1).and_then(Token::ident).is_some() {
                self.pos += 2;
            }
            if self.at("<") {
                let mut depth = 0usize;
                while let Some(t) = self.cur() {
                    if t.is("<") {
                        depth += 1;
                    } else if t.is(">") {
                        depth -= 1;
                    } else if t.is(">>") {
                        depth = depth.saturating_sub(2);
                    } else if STOPS.iter().any(|s| t.is(s)) && !t.is(",") && !t.is(":") {
                        return;
                    }
                    self.pos += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
        }
        while (self.at("?") || self.at("!")) && !self.cur().is_some_and(|t| t.space_before) {
            self.pos += 1;
        }
    }

    /// A call of a function or computed property of the pasted code that makes no SecItem call
    /// (those are followed by the statement walker): its returned value, with the parameters
    /// bound to the arguments. `None` (nothing read) when no definition matches.
    pub fn call_pasted(&mut self, name: &str, parens: bool) -> Option<Val> {
        self.call_pasted_in(name, parens, false)
    }

    /// As [`Parser::call_pasted`]; `bare`: the name has no receiver.
    pub fn call_pasted_in(&mut self, name: &str, parens: bool, bare: bool) -> Option<Val> {
        let shared = self.env.shared.clone();
        if !shared.defs.iter().any(|d| d.name == name && !d.objc) {
            return None;
        }
        // A computed property of that name in several types (`rawValue` of many enums): which
        // one is meant is not known here.
        if !parens && shared.defs.iter().filter(|d| d.name == name && d.computed).count() > 1 {
            return None;
        }
        let save = self.pos;
        let args = if parens { self.args() } else { Vec::new() };
        let stack = self.env.stack.clone();
        let found = shared.resolve(name, &args, parens, false, bare, |d| !shared.effectful[d] && !stack.contains(&d));
        let Some(d) = found else {
            self.pos = save;
            return None;
        };
        let at = self.span(save.saturating_sub(1));
        let (val, _, _) = super::statements::call_body(self.toks, self.env, self.problems, d, &args, &at);
        Some(val)
    }

    /// `[self queryForService:s account:a]` of a method in the pasted code.
    pub fn call_objc(&mut self, selector: &str, args: Vec<Val>) -> Option<Val> {
        let shared = self.env.shared.clone();
        let args: Vec<Arg> = args.into_iter().map(|val| Arg { label: None, val, pos: Pos::default() }).collect();
        let stack = self.env.stack.clone();
        let d = shared.resolve(selector, &args, true, true, false, |d| !shared.effectful[d] && !stack.contains(&d))?;
        let at = self.span(self.pos.saturating_sub(1));
        let (val, _, _) = super::statements::call_body(self.toks, self.env, self.problems, d, &args, &at);
        Some(val)
    }

    /// A parenthesised argument list, at the opening parenthesis.
    pub fn args(&mut self) -> Vec<Arg> {
        let mut args = Vec::new();
        if !self.at("(") {
            return args;
        }
        self.pos += 1;
        while let Some(t) = self.cur() {
            if t.is(")") {
                self.pos += 1;
                break;
            }
            let label = match (t.ident(), self.toks.get(self.pos + 1)) {
                (Some(l), Some(colon)) if colon.is(":") => {
                    self.pos += 2;
                    Some(l.to_string())
                }
                _ => None,
            };
            let from = self.pos;
            let val = self.expr();
            args.push(Arg { label, val, pos: self.span(from) });
            if self.at(",") {
                self.pos += 1;
            } else if !self.at(")") {
                let before = self.pos;
                self.skip_to(&[","]);
                if self.at(",") {
                    self.pos += 1;
                } else if self.pos == before && !self.at(")") {
                    break;
                }
            }
        }
        args
    }
}
