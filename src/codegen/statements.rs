//! The statement level of the importer: walks the tokens in source order, tracks variables
//! (`let`/`var`, Objective-C declarations, subscript and `setObject:forKey:` mutations) and turns
//! each SecItem call into a step. Code that touches no SecItem dictionary is passed over.

use super::expr::{Env, Parser, Pos, Val, Var};
use super::import::Problems;
use super::lexer::{Tok, Token};
use super::resolve::dict_json;
use crate::status::Status;
use serde_json::{json, Map, Value as Json};

const CALLS: [&str; 4] = ["SecItemAdd", "SecItemCopyMatching", "SecItemUpdate", "SecItemDelete"];
const ASSERTS: [&str; 7] =
    ["assert", "precondition", "XCTAssertEqual", "XCTAssert", "XCTAssertTrue", "expect", "assertEqual"];
const UNSIMULATED: [&str; 6] = [
    "SecKeyCreateRandomKey",
    "SecKeyGeneratePair",
    "SecPKCS12Import",
    "SecItemImport",
    "SecItemExport",
    "SecIdentityCreateWithCertificate",
];
const KEYWORDS: [&str; 14] =
    ["let", "var", "if", "guard", "return", "else", "case", "in", "for", "while", "func", "self", "try", "await"];

/// Walks tokens and collects steps.
pub struct Scanner<'t, 'p, 's> {
    pub(super) toks: &'t [Token],
    pub(super) env: Env,
    pub(super) problems: &'p mut Problems<'s>,
    steps: Vec<Json>,
    /// An assertion wrapping a call: (status name, index of the token after the assertion).
    pending_expect: Option<(String, usize)>,
    /// `calls[k]`: how many SecItem (or unsimulated Security) calls start before token k.
    calls: Vec<usize>,
    /// Enclosing functions and methods: name and the index of the brace closing the body.
    funcs: Vec<(String, usize)>,
    /// Functions seen returning a dictionary.
    helpers: Vec<String>,
}

fn is_call(name: &str) -> bool {
    CALLS.contains(&name) || UNSIMULATED.contains(&name) || name.starts_with("SecKeychain")
}

impl<'t, 'p, 's> Scanner<'t, 'p, 's> {
    pub fn new(toks: &'t [Token], problems: &'p mut Problems<'s>) -> Self {
        let mut calls = Vec::with_capacity(toks.len() + 1);
        let mut n = 0;
        calls.push(0);
        for t in toks {
            n += usize::from(t.ident().is_some_and(is_call));
            calls.push(n);
        }
        Scanner {
            toks,
            env: Env::new(),
            problems,
            steps: Vec::new(),
            pending_expect: None,
            calls,
            funcs: Vec::new(),
            helpers: Vec::new(),
        }
    }

    /// Whether a call starts in tokens `from..to`.
    pub(super) fn has_call(&self, from: usize, to: usize) -> bool {
        let at = |k: usize| self.calls.get(k.min(self.toks.len())).copied().unwrap_or(0);
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

    /// Helpers that return dictionaries, found by a first pass so that a call may come before
    /// the helper's definition.
    pub fn helpers(mut self) -> Vec<(String, Var)> {
        self.walk();
        let names = std::mem::take(&mut self.helpers);
        names.into_iter().filter_map(|n| self.env.remove(&n).map(|v| (n, v))).collect()
    }

    /// Starts with the helpers a first pass found.
    pub fn with_helpers(mut self, helpers: Vec<(String, Var)>) -> Self {
        self.env.extend(helpers);
        self
    }

    pub fn run(mut self) -> Vec<Json> {
        self.walk();
        self.report_unused();
        self.steps
    }

    fn walk(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
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
            let next = self.resume(i, next);
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
            self.helpers.push(name.to_string());
            self.env.insert(name.to_string(), Var { val, pos, used });
        }
    }

    /// `- (NSMutableDictionary *)queryForAccount:(NSString *)account {`: an Objective-C method.
    fn objc_method(&mut self, i: usize) -> usize {
        if !self.is(i + 1, "(") {
            return i + 1;
        }
        let after = self.tok(i + 1).map_or(i + 2, |t| t.close.saturating_add(1));
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
            self.helpers.push(name.clone());
            self.env.insert(name, Var { val, pos, used });
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
        let mut p = self.parser(rhs);
        let val = p.expr();
        let end = p.pos;
        if self.has_call(rhs, end) || end == rhs {
            return rhs;
        }
        let pos = self.span(name_at, end);
        self.env.insert(name.to_string(), Var { val, pos, used: false });
        end
    }

    /// A `SecItem…(…)` call: one step.
    fn secitem(&mut self, name: &str, i: usize) -> usize {
        let mut p = self.parser(i + 1);
        let args = p.args();
        let end = p.pos;
        let call_pos = self.span(i, end);
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
        let mut step = Map::new();
        step.insert(name.to_string(), body);
        if let Some((status, until)) = &self.pending_expect {
            if i < *until {
                step.insert("expect".into(), json!({ "status": status }));
                self.pending_expect = None;
            }
        }
        self.steps.push(Json::Object(step));
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
            Ok(step) => self.steps.push(step),
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
