//! The statement level of the importer: walks the tokens in source order, tracks variables
//! (`let`/`var`, Objective-C declarations, subscript and `setObject:forKey:` mutations) and turns
//! each SecItem call into a step. Code that touches no SecItem dictionary is passed over.

use super::expr::{Arg, Env, Parser, Pos, Val, Var};
use super::functions::{bind, CALLS, MAX_CALL_DEPTH, UNSIMULATED};
use super::import::Problems;
use super::lexer::{Tok, Token};
use super::resolve::dict_json;
use crate::status::Status;
use serde_json::{json, Map, Value as Json};

const ASSERTS: [&str; 7] =
    ["assert", "precondition", "XCTAssertEqual", "XCTAssert", "XCTAssertTrue", "expect", "assertEqual"];
const KEYWORDS: [&str; 14] =
    ["let", "var", "if", "guard", "return", "else", "case", "in", "for", "while", "func", "self", "try", "await"];

/// Where a step came from: the entry function it was made in (calls of pasted functions keep
/// their caller's), the call's position, and the dictionary variable passed to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub scope: usize,
    pub line: usize,
    pub col: usize,
    pub snippet: String,
    pub origin: Option<(String, usize)>,
}

/// Walks tokens and collects steps.
pub struct Scanner<'t, 'p, 's> {
    pub(super) toks: &'t [Token],
    pub(super) env: Env,
    pub(super) problems: &'p mut Problems<'s>,
    pub steps: Vec<Json>,
    pub metas: Vec<Meta>,
    /// An assertion wrapping a call: (status name, index of the token after the assertion).
    pending_expect: Option<(String, usize)>,
    /// Enclosing functions and methods: name and the index of the brace closing the body.
    funcs: Vec<(String, usize)>,
    /// Reading the body of a called function: `return` gives its value.
    callee: bool,
    pub returned: Option<Val>,
    /// The entry function being read (a counter).
    scope: usize,
    /// Names tested for presence (`if (self.label)`, `if label != nil`) and where the body ends.
    pub(super) conds: Vec<(String, usize)>,
    /// `else` tokens whose `if` body is known to run (the `else` body is not read).
    skip_else: Vec<usize>,
    /// The last statement jumped over code on purpose (a called function's body, an `if` body
    /// that does not run): the walk does not go back into it for the calls it holds.
    jumped: bool,
    /// A called function returned on a path known to run: the rest of its body is not read.
    done: bool,
    /// A called function returns different values on different paths: its result is unknown.
    ambiguous: bool,
}

/// Reads the body of pasted function `d` with its parameters bound to `args`: the value it
/// returns (unknown when it returns none the importer can see) and the steps it makes.
pub(super) fn call_body(
    toks: &[Token],
    env: &mut Env,
    problems: &mut Problems,
    d: usize,
    args: &[Arg],
    at: &Pos,
) -> (Val, Vec<Json>, Vec<Meta>) {
    let shared = env.shared.clone();
    let Some(def) = shared.defs.get(d) else { return (Val::unknown("value"), Vec::new(), Vec::new()) };
    let len = def.close.saturating_sub(def.open).max(1);
    let left = shared.budget.get();
    if env.depth >= MAX_CALL_DEPTH || left < len {
        problems.add(
            at,
            format!("calls of `{}` nest too deep (or are too many) to follow: its result is not known", def.name),
        );
        return (Val::unknown(def.name.clone()), Vec::new(), Vec::new());
    }
    shared.budget.set(left - len);
    let mut callee = Env::new(shared.clone());
    callee.depth = env.depth + 1;
    callee.stack = env.stack.iter().copied().chain([d]).collect();
    callee.extend(shared.globals.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
    let binding = bind(def, args).unwrap_or_default();
    for (p, b) in def.params.iter().zip(binding.into_iter().chain(std::iter::repeat(None))) {
        let val = match b.and_then(|k| args.get(k)) {
            Some(a) => a.val.clone(),
            None => match p.default {
                Some(k) => Parser::new(toks, k, &mut callee, problems).expr(),
                None => Val::unknown(p.name.clone()).at(at.clone()),
            },
        };
        callee.insert(p.name.clone(), Var { val, pos: at.clone(), used: true, param: true });
    }
    let mut sc = Scanner::new(toks, callee, problems);
    sc.callee = true;
    sc.walk_range(def.open + 1, def.close);
    let returned = match sc.returned.take() {
        Some(v) => v,
        None => {
            let mut p = sc.parser(def.open + 1);
            let v = p.expr();
            if p.pos == def.close {
                v
            } else {
                Val::unknown(def.name.clone())
            }
        }
    };
    (returned, sc.steps, sc.metas)
}

impl<'t, 'p, 's> Scanner<'t, 'p, 's> {
    pub fn new(toks: &'t [Token], env: Env, problems: &'p mut Problems<'s>) -> Self {
        Scanner {
            toks,
            env,
            problems,
            steps: Vec::new(),
            metas: Vec::new(),
            pending_expect: None,
            funcs: Vec::new(),
            callee: false,
            returned: None,
            scope: 0,
            conds: Vec::new(),
            skip_else: Vec::new(),
            jumped: false,
            done: false,
            ambiguous: false,
        }
    }

    /// Whether a call starts in tokens `from..to`.
    pub(super) fn has_call(&self, from: usize, to: usize) -> bool {
        let calls = &self.env.shared.calls;
        let at = |k: usize| calls.get(k.min(self.toks.len())).copied().unwrap_or(0);
        to > from && at(to) > at(from)
    }

    /// Where to go on after reading `from..end`: past it, unless a call hides inside.
    fn resume(&self, from: usize, end: usize) -> usize {
        if self.has_call(from + 1, end) {
            from + 1
        } else {
            end
        }
    }

    pub(super) fn tok(&self, i: usize) -> Option<&'t Token> {
        self.toks.get(i)
    }

    pub(super) fn ident_at(&self, i: usize) -> Option<&'t str> {
        self.toks.get(i).and_then(Token::ident)
    }

    pub(super) fn is(&self, i: usize, p: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is(p))
    }

    pub(super) fn parser(&mut self, at: usize) -> Parser<'t, '_, '_, 's> {
        Parser::new(self.toks, at, &mut self.env, self.problems)
    }

    pub(super) fn span(&self, from: usize, to: usize) -> Pos {
        let first = self.tok(from);
        let last = self.tok(to.saturating_sub(1).max(from));
        Pos {
            line: first.map_or(1, |t| t.line),
            col: first.map_or(1, |t| t.col),
            start: first.map_or(0, |t| t.start),
            end: last.map_or(0, |t| t.end),
        }
    }

    /// The declarations outside every function body (constant aliases such as
    /// `private let Class = String(kSecClass)`), read before the walk so that code above them
    /// sees them too.
    pub fn globals(mut self) -> std::collections::HashMap<String, Var> {
        let shared = self.env.shared.clone();
        let mut skip: Vec<(usize, usize)> = shared.defs.iter().map(|d| (d.open, d.close)).collect();
        skip.sort_unstable();
        let mut i = 0;
        let mut s = 0;
        while i < self.toks.len() {
            while skip.get(s).is_some_and(|(_, close)| *close < i) {
                s += 1;
            }
            if let Some((open, close)) = skip.get(s).copied().filter(|(open, _)| *open <= i) {
                i = close.max(open) + 1;
                continue;
            }
            let is_decl = self.ident_at(i).is_some_and(|w| w == "let" || w == "var");
            let next = if is_decl && self.ident_at(i + 1).is_some() { self.declaration(i + 1) } else { i + 1 };
            i = next.max(i + 1);
        }
        let mut env = std::mem::replace(&mut self.env, Env::new(shared));
        env.drain().collect()
    }

    pub fn run(mut self) -> (Vec<Json>, Vec<Meta>) {
        self.walk_range(0, self.toks.len());
        self.report_unused();
        (self.steps, self.metas)
    }

    /// Steps made by a call of a pasted function at `at`: they are placed at the call.
    fn push_steps(&mut self, steps: Vec<Json>, metas: Vec<Meta>, at: &Pos) {
        self.steps.extend(steps);
        let scope = self.scope;
        self.metas.extend(metas.into_iter().map(|m| Meta { scope, line: at.line, col: at.col, ..m }));
    }

    pub(super) fn walk_range(&mut self, from: usize, to: usize) {
        let mut i = from;
        let to = to.min(self.toks.len());
        while i < to && !self.done {
            self.conds.retain(|(_, close)| *close >= i);
            while self.funcs.last().is_some_and(|(_, close)| *close < i) {
                self.funcs.pop();
            }
            let next = match &self.toks[i].tok {
                Tok::Marker(text) => self.marker(text, i),
                Tok::Punct("-") | Tok::Punct("+") if self.toks[i].nl_before => self.objc_method(i),
                Tok::Ident(name) => self.ident(name, i),
                Tok::Punct("[") => self.objc_mutation(i),
                _ => i + 1,
            };
            let next = if std::mem::take(&mut self.jumped) { next } else { self.resume(i, next) };
            if matches!(&self.pending_expect, Some((_, end)) if next >= *end) {
                self.pending_expect = None;
            }
            i = next.max(i + 1);
        }
    }

    fn ident(&mut self, name: &str, i: usize) -> usize {
        let call = self.is(i + 1, "(");
        if call && CALLS.contains(&name) {
            return self.secitem(name, i);
        }
        if let (true, Some(target)) = (call, self.env.shared.aliases.get(name).copied()) {
            return self.secitem(target, i);
        }
        if call {
            if let Some(end) = self.effectful_call(name, i) {
                return end;
            }
        }
        if name == "if" {
            return self.presence_test(i);
        }
        if name == "else" && self.skip_else.contains(&i) && self.is(i + 1, "{") {
            self.jumped = true;
            return self.tok(i + 1).map_or(i + 1, |t| t.close.saturating_add(1));
        }
        if name == "return" && self.callee && self.funcs.is_empty() {
            return self.callee_return(i);
        }
        if call && (UNSIMULATED.contains(&name) || name.starts_with("SecKeychain")) {
            let pos = self.span(i, i + 1);
            self.problems.add(&pos, format!("{name} is not simulated by Keyplay: no step"));
            return i + 1;
        }
        if call && ASSERTS.contains(&name) {
            return self.assertion(i);
        }
        if call && matches!(name, "CFDictionaryAddValue" | "CFDictionarySetValue" | "CFDictionaryRemoveValue") {
            return self.cf_mutation(name, i);
        }
        if name == "func" {
            if let Some(end) = self.definition(i + 1) {
                return end;
            }
            if let Some(f) = self.ident_at(i + 1) {
                self.enter_function(f, i + 2);
            }
            return i + 1;
        }
        if name == "return" && !self.funcs.is_empty() {
            return self.function_return(i);
        }
        if (name == "let" || name == "var") && self.ident_at(i + 1).is_some() {
            return self.declaration(i + 1);
        }
        // `var (attributes, error) = options.attributes(key: key, value: value)`: the first name
        // takes the tuple's first element.
        if (name == "let" || name == "var") && self.is(i + 1, "(") && self.ident_at(i + 2).is_some() {
            let close = self.tok(i + 1).map_or(i + 1, |t| t.close);
            if self.is(close + 1, "=") {
                return self.assign(i + 2, close + 2);
            }
        }
        if KEYWORDS.contains(&name) {
            return i + 1;
        }
        // Objective-C declarations: `NSDictionary *query = …`, `CFDictionaryRef query = …`.
        let typeish = name.starts_with(char::is_uppercase) || name == "id";
        if typeish && self.is(i + 1, "*") && self.ident_at(i + 2).is_some() && self.is(i + 3, "=") {
            return self.assign(i + 2, i + 4);
        }
        if typeish && self.ident_at(i + 1).is_some() && self.is(i + 2, "=") {
            return self.assign(i + 1, i + 3);
        }
        if self.is(i + 1, "=") {
            return self.assign(i, i + 2);
        }
        if self.is(i + 1, "[") && self.tok(i + 1).is_some_and(|t| !t.space_before) {
            return self.subscript(name, i);
        }
        if self.is(i + 1, ".") && self.is(i + 3, "(") {
            return self.method_mutation(name, i);
        }
        i + 1
    }

    /// Notes a function body starting at the first `{` after `from` (a helper that builds a query).
    fn enter_function(&mut self, name: &str, from: usize) {
        let mut k = from;
        while let Some(t) = self.tok(k).filter(|_| k < from + 200) {
            if t.is("{") {
                self.funcs.push((name.to_string(), t.close));
                self.implicit_return(name, k);
                return;
            }
            if t.is(";") || t.is("}") {
                return;
            }
            k = if t.is("(") || t.is("[") { t.close.saturating_add(1) } else { k + 1 };
        }
    }

    /// A Swift body that is a single dictionary expression (`var base: [String: Any] { [kSecClass: …] }`).
    fn implicit_return(&mut self, name: &str, brace: usize) {
        let Some(close) = self.tok(brace).map(|t| t.close) else { return };
        let mut p = self.parser(brace + 1);
        let val = p.expr();
        if p.pos == close && matches!(val, Val::Dict(_)) {
            let pos = self.span(brace + 1, close);
            let used = self.env.get(name).is_some_and(|v| v.used);
            self.env.insert(name.to_string(), Var { val, pos, used, param: false });
        }
    }

    /// `- (NSMutableDictionary *)queryForAccount:(NSString *)account {`: an Objective-C method.
    fn objc_method(&mut self, i: usize) -> usize {
        if !self.is(i + 1, "(") {
            return i + 1;
        }
        let after = self.tok(i + 1).map_or(i + 2, |t| t.close.saturating_add(1));
        if let Some(end) = self.definition(after) {
            return end;
        }
        if let Some(name) = self.ident_at(after) {
            self.enter_function(name, after + 1);
        }
        i + 1
    }

    /// `return [kSecClass: …]` or `return query;` inside a helper: calling it gives that dictionary.
    fn function_return(&mut self, i: usize) -> usize {
        let Some((name, _)) = self.funcs.last().cloned() else { return i + 1 };
        if self.ident_at(i + 1).is_some_and(|n| CALLS.contains(&n)) {
            return i + 1;
        }
        let mut p = self.parser(i + 1);
        let val = p.expr();
        let end = p.pos;
        if let Val::Dict(_) = val {
            let pos = self.span(i, end);
            let used = self.env.get(&name).is_some_and(|v| v.used);
            self.env.insert(name, Var { val, pos, used, param: false });
        }
        end.max(i + 1)
    }

    /// `let name(: Type)? = expr`.
    fn declaration(&mut self, name_at: usize) -> usize {
        let mut j = name_at + 1;
        if self.is(j, ":") {
            let mut p = self.parser(j + 1);
            p.skip_type();
            j = p.pos;
        }
        if self.is(j, "=") {
            self.assign(name_at, j + 1)
        } else {
            // A computed property is a helper like a function.
            if let Some(end) = self.is(j, "{").then(|| self.definition(name_at)).flatten() {
                return end;
            }
            if let (true, Some(name)) = (self.is(j, "{"), self.ident_at(name_at)) {
                self.enter_function(name, j);
            }
            name_at + 1
        }
    }

    /// Evaluates the right-hand side at `rhs` and binds it to the identifier at `name_at`.
    fn assign(&mut self, name_at: usize, rhs: usize) -> usize {
        let Some(name) = self.ident_at(name_at) else { return rhs };
        if self.ident_at(rhs).is_some_and(|n| CALLS.contains(&n)) {
            return rhs;
        }
        if let Some((val, end)) = self.effectful_value(rhs) {
            let pos = self.span(name_at, end);
            self.env.insert(name.to_string(), Var::new(val, pos));
            return end;
        }
        // `lastQueryParameters = query`: a copy kept for inspection is not a dictionary of its own.
        let copy = self.ident_at(rhs).is_some_and(|n| matches!(self.env.get(n).map(|v| &v.val), Some(Val::Dict(_))));
        let mut p = self.parser(rhs);
        let mut val = p.expr();
        let end = p.pos;
        let copy = copy && (end == rhs + 1 || self.is_ident_at(rhs + 1, "as"));
        if self.has_call(rhs, end) || end == rhs {
            return rhs;
        }
        let pos = self.span(name_at, end);
        let before = name_at.checked_sub(2).and_then(|k| self.tok(k));
        let declared = name_at.checked_sub(1).and_then(|k| self.ident_at(k)).is_some_and(|w| w == "let" || w == "var");
        let condition = declared && before.is_some_and(|t| t.is_ident("if") || t.is_ident("guard") || t.is(","));
        if condition {
            let guard = before.is_some_and(|t| t.is_ident("guard"));
            match &mut val {
                // `if let key = key` with `key` nil (a default argument): the body does not run.
                Val::Nil if !guard => {
                    self.jumped = true;
                    return self.skip_if_body(end);
                }
                // `guard let group = accessGroup else { return items }` with `accessGroup` nil.
                Val::Nil if self.callee => {
                    let after = self.skip_if_body(end);
                    let brace =
                        (end..after).find(|&k| self.is(k, "{") && self.tok(k).is_some_and(|t| t.close + 1 == after));
                    if let Some(b) = brace.filter(|b| self.is_ident_at(b + 1, "return") && !self.has_call(b + 1, after))
                    {
                        let mut p = self.parser(b + 2);
                        let val = p.expr();
                        self.returned = Some(val);
                        self.done = true;
                        return after;
                    }
                }
                Val::Unknown(u) if !u.param => u.optional = true,
                _ if !guard => {
                    let after = self.skip_if_body(end);
                    if self.is_ident_at(after, "else") {
                        self.skip_else.push(after);
                    }
                }
                _ => {}
            }
        }
        if let Val::Dict(d) = &mut val {
            let kept = self.env.get(name).and_then(|v| match &v.val {
                Val::Dict(old) if !declared => old.origin.clone(),
                _ => None,
            });
            d.origin = kept.or_else(|| Some((name.to_string(), pos.start)));
        }
        self.env.insert(name.to_string(), Var { used: copy, ..Var::new(val, pos) });
        end
    }

    /// Past the body of the `if` whose condition ends at `from` (and an `else if` chain's first body).
    fn skip_if_body(&self, from: usize) -> usize {
        let mut k = from;
        while let Some(t) = self.tok(k).filter(|_| k < from + 400) {
            if t.is("{") {
                return t.close.saturating_add(1);
            }
            if t.is(";") || t.is("}") {
                return from;
            }
            k = if t.is("(") || t.is("[") { t.close.saturating_add(1) } else { k + 1 };
        }
        from
    }

    /// The definition whose name is at `name_at`: a called one is skipped here (it is read at
    /// each call); an entry point's parameters become placeholders.
    fn definition(&mut self, name_at: usize) -> Option<usize> {
        let shared = self.env.shared.clone();
        let d = shared.at(name_at)?;
        let def = shared.defs.get(d)?;
        if shared.called[d] || self.callee {
            self.jumped = true;
            return Some(def.close.saturating_add(1));
        }
        if self.funcs.is_empty() {
            self.scope += 1;
            self.env.stack = vec![d];
        }
        for p in &def.params {
            let pos = self.span(name_at, name_at + 1);
            let val = Val::unknown(p.name.clone()).at(pos.clone());
            self.env.insert(p.name.clone(), Var { val, pos, used: true, param: true });
        }
        None
    }

    /// `[try] [self.]name(args)` of a pasted function that makes SecItem calls, as the whole
    /// right-hand side: its steps, and the value it returns.
    fn effectful_value(&mut self, rhs: usize) -> Option<(Val, usize)> {
        let mut k = rhs;
        if self.is_ident_at(k, "try") {
            k += 1;
            if self.is(k, "?") || self.is(k, "!") {
                k += 1;
            }
        }
        if (self.is_ident_at(k, "self") || self.ident_at(k).is_some_and(|n| n.starts_with(char::is_uppercase)))
            && self.is(k + 1, ".")
        {
            k += 2;
        }
        let name = self.ident_at(k)?;
        if !self.is(k + 1, "(") {
            return None;
        }
        let shared = self.env.shared.clone();
        let mut p = self.parser(k + 1);
        let args = p.args();
        let end = p.pos;
        let stack = self.env.stack.clone();
        let d = shared.resolve(name, &args, true, false, false, |d| shared.effectful[d] && !stack.contains(&d))?;
        let stop = self.tok(end).is_none_or(|t| t.nl_before || t.is(";") || t.is("}"));
        if self.has_call(k + 2, end) || !stop {
            return None;
        }
        let pos = self.span(k, end);
        let (val, steps, metas) = call_body(self.toks, &mut self.env, self.problems, d, &args, &pos);
        self.push_steps(steps, metas, &pos);
        self.jumped = true;
        Some((val, end))
    }

    /// A call of a pasted function that makes SecItem calls: its steps, in place.
    fn effectful_call(&mut self, name: &str, i: usize) -> Option<usize> {
        if i.checked_sub(1).is_some_and(|k| self.is_ident_at(k, "func")) {
            return None;
        }
        let shared = self.env.shared.clone();
        if !shared.defs.iter().zip(&shared.effectful).any(|(d, e)| *e && d.name == name && !d.objc) {
            return None;
        }
        let mut p = self.parser(i + 1);
        let args = p.args();
        let end = p.pos;
        if self.has_call(i + 2, end) {
            return None;
        }
        let stack = self.env.stack.clone();
        let d = shared.resolve(name, &args, true, false, false, |d| shared.effectful[d] && !stack.contains(&d))?;
        let pos = self.span(i, end);
        let (_, steps, metas) = call_body(self.toks, &mut self.env, self.problems, d, &args, &pos);
        self.push_steps(steps, metas, &pos);
        Some(end)
    }

    /// `return value` in a called function's body.
    fn callee_return(&mut self, i: usize) -> usize {
        let shared = self.env.shared.clone();
        if self.ident_at(i + 1).is_some_and(|n| CALLS.contains(&n) || shared.aliases.contains_key(n)) {
            return i + 1;
        }
        let mut p = self.parser(i + 1);
        let val = p.expr();
        let end = p.pos;
        if end > i + 1 {
            // Returns of different plain values (`switch self { case .a: return x … }`) do not
            // say which one: the result is unknown. Dictionaries: the last one (the fullest path).
            let differs = match (&self.returned, &val) {
                (Some(Val::Json(a)), Val::Json(b)) => a != b,
                (Some(Val::Json(_)), _) | (Some(_), Val::Json(_)) => true,
                _ => false,
            };
            self.ambiguous |= differs;
            self.returned = Some(if self.ambiguous { Val::unknown(self.callee_name()) } else { val });
        }
        end.max(i + 1)
    }

    fn callee_name(&self) -> String {
        let shared = &self.env.shared;
        self.env.stack.last().and_then(|d| shared.defs.get(*d)).map_or_else(|| "value".to_string(), |d| d.name.clone())
    }

    /// `if (self.label)`, `if label != nil`, `if self.accessGroup != nil {`: what the body sets
    /// from that name is optional; a name known to be nil skips the body.
    fn presence_test(&mut self, i: usize) -> usize {
        let mut from = i + 1;
        let mut to = self.toks.len();
        if self.is(from, "(") {
            to = self.tok(from).map_or(to, |t| t.close);
            from += 1;
        }
        let negated = self.is(from, "!");
        if negated {
            from += 1;
        }
        if self.is_ident_at(from, "self") && self.is(from + 1, ".") {
            from += 2;
        }
        let Some(name) = self.ident_at(from) else { return i + 1 };
        let end_of_test =
            if self.is(from + 1, "!=") && self.ident_at(from + 2).is_some_and(|n| n == "nil" || n == "NULL") {
                from + 3
            } else {
                from + 1
            };
        let closes = to == self.toks.len() || end_of_test == to;
        let body = if to == self.toks.len() { end_of_test } else { to + 1 };
        if !closes || !self.is(body, "{") || name == "let" || name == "var" || name == "case" {
            return i + 1;
        }
        let close = self.tok(body).map_or(body, |t| t.close);
        let nil_test = end_of_test == from + 3;
        if negated {
            // `if !synchronizable { return items }`: only a known value decides.
            let runs = match self.env.get(name).map(|v| &v.val) {
                Some(Val::Json(Json::Bool(b))) if !nil_test => !b,
                Some(Val::Nil) if !nil_test => true,
                _ => return i + 1,
            };
            if !runs {
                self.jumped = true;
                return close.saturating_add(1);
            }
            return self.certain_body(i, body, close);
        }
        let runs = match self.env.get(name).map(|v| &v.val) {
            Some(Val::Nil) | Some(Val::Json(Json::Bool(false))) => {
                self.jumped = true;
                return close.saturating_add(1);
            }
            Some(Val::Unknown(u)) if u.param => true,
            Some(Val::Unknown(_)) | None => {
                let used = (body + 1..close).any(|k| self.is_ident_at(k, name));
                if !used && !nil_test && !self.has_call(body, close) {
                    // `if isSynchronizable { query[kSecAttrSynchronizable] = true }`: an unknown flag.
                    let pos = self.span(from, from + 1);
                    self.problems.add(
                        &pos,
                        format!("`{name}` cannot be evaluated here: the code under `if {name}` is left out (taken as false)"),
                    );
                    self.jumped = true;
                    return close.saturating_add(1);
                }
                self.conds.push((name.to_string(), close));
                false
            }
            Some(_) => true,
        };
        if runs {
            return self.certain_body(i, body, close);
        }
        i + 1
    }

    /// An `if` body known to run: its `else` is not read, and in a called function a body that
    /// returns ends the function there.
    fn certain_body(&mut self, i: usize, body: usize, close: usize) -> usize {
        if self.is_ident_at(close + 1, "else") {
            self.skip_else.push(close + 1);
        }
        if self.callee && self.is_ident_at(body + 1, "return") && !self.has_call(body + 1, close) {
            let mut p = self.parser(body + 2);
            let val = p.expr();
            self.returned = Some(val);
            self.done = true;
            return close.saturating_add(1);
        }
        i + 1
    }

    pub(super) fn is_ident_at(&self, i: usize, name: &str) -> bool {
        self.ident_at(i) == Some(name)
    }

    /// A `SecItem…(…)` call: one step.
    fn secitem(&mut self, name: &str, i: usize) -> usize {
        let mut p = self.parser(i + 1);
        let args = p.args();
        let end = p.pos;
        let call_pos = self.span(i, end);
        // A wrapper never called in the pasted code passes its own parameter: nothing to show.
        let dicts = if name == "SecItemUpdate" { 2 } else { 1 };
        let passed = args.iter().take(dicts).find_map(|a| match &a.val {
            Val::Unknown(u) if u.param => Some(u.name.clone()),
            Val::Dict(d) => d.on_param.clone(),
            _ => None,
        });
        if let Some(param) = passed {
            let message = match self.funcs.last().filter(|_| !self.callee) {
                Some((f, _)) => format!(
                    "{name} gets `{param}`, a parameter of `{f}`, which the pasted code never calls: no step (paste a call of `{f}` too)"
                ),
                None => format!(
                    "{name} gets a dictionary built on `{param}`, which comes from code that is not pasted: no step (paste the code that builds it)"
                ),
            };
            self.problems.add(&call_pos, message);
            return end;
        }
        let dict = |k: usize, what: &str, this: &mut Self| -> Json {
            match args.get(k).map(|a| (&a.val, &a.pos)) {
                Some((Val::Dict(d), _)) => dict_json(d, this.problems),
                Some((v, pos)) => {
                    let name = v.unknown_name().unwrap_or("this value");
                    this.problems.add(
                        pos,
                        format!(
                            "`{name}` is not a dictionary the importer can see: {call} gets an empty {what} dictionary",
                            call = name_of(i, this)
                        ),
                    );
                    json!({})
                }
                None => {
                    this.problems.add(
                        &call_pos,
                        format!("{} without a {what} dictionary: an empty one is assumed", name_of(i, this)),
                    );
                    json!({})
                }
            }
        };
        let body = if name == "SecItemUpdate" {
            let query = dict(0, "query", self);
            let attributes = dict(1, "attributes", self);
            json!({ "query": query, "attributes": attributes })
        } else {
            dict(0, "query", self)
        };
        let origin = args.first().and_then(|a| match &a.val {
            Val::Dict(d) => d.origin.clone(),
            _ => None,
        });
        let mut step = Map::new();
        step.insert(name.to_string(), body);
        if let Some((status, until)) = &self.pending_expect {
            if i < *until {
                step.insert("expect".into(), json!({ "status": status }));
                self.pending_expect = None;
            }
        }
        self.steps.push(Json::Object(step));
        let snippet = self.problems.snippet(&self.span(i, i + 1));
        self.metas.push(Meta { scope: self.scope, line: call_pos.line, col: call_pos.col, snippet, origin });
        end
    }

    /// `assert(status == errSecSuccess)`, `XCTAssertEqual(SecItemAdd(…), errSecSuccess)`: the step's expected status.
    fn assertion(&mut self, i: usize) -> usize {
        let mut p = self.parser(i + 1);
        p.skip_group();
        let end = p.pos;
        let closed = self.tok(i + 1).is_some_and(|t| t.close < self.toks.len());
        if !closed || end - i > 4000 {
            return i + 1;
        }
        let names: Vec<&str> = (i + 2..end).filter_map(|k| self.ident_at(k)).collect();
        let status = names.iter().find_map(|n| match *n {
            "noErr" => Some("errSecSuccess".to_string()),
            n => Status::from_name(n).map(|s| s.name().to_string()),
        });
        let Some(status) = status else { return i + 1 };
        if names.iter().any(|n| CALLS.contains(n)) {
            self.pending_expect = Some((status, end));
            return i + 1;
        }
        if let Some(Json::Object(last)) = self.steps.last_mut() {
            if !last.contains_key("expect") {
                last.insert("expect".into(), json!({ "status": status }));
            }
        }
        end
    }

    /// `// keyplay-step: {"device": {"locked": true}}`: an event step exported by Keyplay.
    fn marker(&mut self, text: &str, i: usize) -> usize {
        let pos = self.span(i, i + 1);
        let parsed: Result<Json, String> = serde_json::from_str(text).map_err(|e| e.to_string());
        let checked = parsed.and_then(|step| {
            let action = step.as_object().and_then(|o| o.keys().find(|k| *k != "note" && *k != "expect").cloned());
            if !matches!(action.as_deref(), Some("device" | "reboot" | "app" | "biometry")) {
                return Err("a keyplay-step marker holds a device, reboot, app or biometry step".into());
            }
            crate::keychain::document::parse(json!({ "steps": [step.clone()] })).map(|_| step).map_err(|e| e.message)
        });
        match checked {
            Ok(step) => {
                self.steps.push(step);
                self.metas.push(Meta {
                    scope: self.scope,
                    line: pos.line,
                    col: pos.col,
                    snippet: String::new(),
                    origin: None,
                });
            }
            Err(message) => self.problems.add(&pos, format!("keyplay-step marker not understood: {message}")),
        }
        i + 1
    }

    /// Dictionaries built but never passed to a call (or used at all) are pointed at.
    fn report_unused(&mut self) {
        let mut unused: Vec<(String, Pos)> = self
            .env
            .iter()
            .filter(|(_, v)| !v.used && matches!(&v.val, Val::Dict(d) if !d.entries.is_empty()))
            .map(|(name, v)| (name.clone(), v.pos.clone()))
            .collect();
        unused.sort_by_key(|(_, pos)| (pos.line, pos.col));
        for (name, pos) in unused {
            self.problems.add(&pos, format!("`{name}` is never passed to a SecItem call: no step for it"));
        }
    }
}

fn name_of(i: usize, s: &Scanner) -> String {
    s.ident_at(i).unwrap_or("the call").to_string()
}
