//! The functions of the pasted code: Swift `func`s, computed properties (`static var klass:
//! String { kSecClass as String }`) and Objective-C methods, found by a first pass so that a
//! call may come before the definition. A function called somewhere in the pasted code is read
//! at each call, with its parameters bound to the call's arguments; one never called is read on
//! its own (an entry point), its parameters becoming placeholders. Also found here: SecItem
//! functions held in variables (`var retrieve = SecItemCopyMatching`).

use super::expr::{Arg, Var};
use super::lexer::Token;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// How deep calls of pasted functions are followed.
pub const MAX_CALL_DEPTH: usize = 8;

pub const CALLS: [&str; 4] = ["SecItemAdd", "SecItemCopyMatching", "SecItemUpdate", "SecItemDelete"];
pub const UNSIMULATED: [&str; 6] = [
    "SecKeyCreateRandomKey",
    "SecKeyGeneratePair",
    "SecPKCS12Import",
    "SecItemImport",
    "SecItemExport",
    "SecIdentityCreateWithCertificate",
];

/// A parameter: its argument label (`None` for `_` and for Objective-C's first part), its name
/// inside the body, and the token where its default value starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub label: Option<String>,
    pub name: String,
    pub default: Option<usize>,
}

/// A function, computed property or method of the pasted code.
#[derive(Debug, Clone, PartialEq)]
pub struct FuncDef {
    pub name: String,
    pub params: Vec<Param>,
    /// A computed property: read without parentheses.
    pub computed: bool,
    /// An Objective-C method.
    pub objc: bool,
    /// Declared `static` or `class`: read only through a qualifier (`Constants.klass`).
    pub is_static: bool,
    /// The token of the name, and the braces around the body.
    pub name_at: usize,
    pub open: usize,
    pub close: usize,
}

/// What every scope of one import shares.
#[derive(Debug, Default)]
pub struct Shared {
    /// `calls[k]`: how many SecItem calls (or calls of pasted functions that make one) start
    /// before token k.
    pub calls: Vec<usize>,
    pub defs: Vec<FuncDef>,
    /// Called somewhere else in the pasted code.
    pub called: Vec<bool>,
    /// Makes a SecItem call (itself or through another pasted function).
    pub effectful: Vec<bool>,
    /// Variables holding a SecItem function: name → the function.
    pub aliases: HashMap<String, &'static str>,
    /// Declarations outside any function body (constant aliases, settings).
    pub globals: RefCell<HashMap<String, Var>>,
    /// Tokens that following calls may still read (keeps adversarial input linear).
    pub budget: Cell<usize>,
}

pub fn is_call(name: &str) -> bool {
    CALLS.contains(&name) || UNSIMULATED.contains(&name) || name.starts_with("SecKeychain")
}

impl Shared {
    /// The first pass over the tokens.
    pub fn collect(toks: &[Token]) -> Shared {
        let mut defs = Vec::new();
        let mut aliases = HashMap::new();
        for i in 0..toks.len() {
            let Some(word) = toks[i].ident() else {
                if (toks[i].is("-") || toks[i].is("+")) && toks[i].nl_before {
                    defs.extend(objc_method(toks, i));
                }
                continue;
            };
            match word {
                "func" => defs.extend(swift_func(toks, i)),
                "var" | "let" => {
                    defs.extend(computed(toks, i));
                    if let Some((name, f)) = alias(toks, i) {
                        aliases.insert(name, f);
                    }
                }
                _ => {}
            }
        }
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (k, d) in defs.iter().enumerate() {
            by_name.entry(d.name.as_str()).or_default().push(k);
        }
        // Work done by the passes below: past the cap (adversarial input: thousands of functions
        // of one name, nested bodies), the rest is not marked, which only loses precision.
        let cap = toks.len().saturating_mul(64).saturating_add(100_000);
        let mut work = 0usize;
        let mut called = vec![false; defs.len()];
        for (k, t) in toks.iter().enumerate() {
            let Some(name) = t.ident() else { continue };
            let Some(list) = by_name.get(name) else { continue };
            work = work.saturating_add(list.len());
            if work > cap {
                break;
            }
            let prev = k.checked_sub(1).and_then(|p| toks.get(p));
            let next = toks.get(k + 1);
            let declared = prev.is_some_and(|p| p.is_ident("func") || p.is_ident("var") || p.is_ident("let"));
            let paren = next.is_some_and(|n| n.is("(") && !n.nl_before);
            let dotted = prev.is_some_and(|p| p.is("."));
            // `[self query]`, `[self queryForKey:k]`: a receiver then the selector.
            let message = prev.is_some_and(|p| p.ident().is_some())
                && next.is_some_and(|n| n.is("]") || n.is(":"))
                && k >= 2
                && toks.get(k - 2).is_some_and(|b| b.is("[") || b.is(")"));
            for &d in list {
                let def = &defs[d];
                // A call inside the function's own body (an overload calling another) does not count.
                if def.name_at == k || declared || (def.open < k && k < def.close) {
                    continue;
                }
                let hit = if def.objc {
                    message
                } else if def.computed {
                    dotted || (!paren && next.is_none_or(|n| !n.is("=")))
                } else {
                    paren && fits(def, toks, k)
                };
                called[d] |= hit;
            }
        }
        // Overloads that delegate to one another (keychain-swift's set(_: String) and set(_: Bool)
        // call set(_: Data)), called from nowhere else: the delegating ones are entry points.
        for list in by_name.values().filter(|l| l.len() > 1) {
            let inside = |k: usize| list.iter().any(|&o| defs[o].open < k && k < defs[o].close);
            let name = defs[list[0]].name.as_str();
            let mut outside = false;
            let mut delegates = vec![false; list.len()];
            for (k, t) in toks.iter().enumerate() {
                work = work.saturating_add(1);
                if work > cap {
                    break;
                }
                if !t.is_ident(name)
                    || !toks.get(k + 1).is_some_and(|n| n.is("("))
                    || list.iter().any(|&o| defs[o].name_at == k)
                {
                    continue;
                }
                match list.iter().position(|&o| defs[o].open < k && k < defs[o].close) {
                    Some(j) => delegates[j] = true,
                    None => outside |= !inside(k),
                }
            }
            if !outside {
                for (j, &o) in list.iter().enumerate() {
                    if delegates[j] {
                        called[o] = false;
                    }
                }
            }
        }
        let mut effectful = vec![false; defs.len()];
        for _ in 0..=MAX_CALL_DEPTH {
            let mut changed = false;
            for (d, def) in defs.iter().enumerate() {
                if effectful[d] {
                    continue;
                }
                if work > cap {
                    break;
                }
                let hit = (def.open + 1..def.close).any(|k| {
                    work = work.saturating_add(1);
                    if work > cap {
                        return false;
                    }
                    let Some(name) = toks.get(k).and_then(Token::ident) else { return false };
                    let paren = toks.get(k + 1).is_some_and(|n| n.is("("));
                    (paren && (CALLS.contains(&name) || aliases.contains_key(name)))
                        || by_name
                            .get(name)
                            .is_some_and(|l| l.iter().any(|&o| o != d && effectful[o] && fits(&defs[o], toks, k)))
                });
                if hit {
                    effectful[d] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut calls = Vec::with_capacity(toks.len() + 1);
        let mut n = 0;
        calls.push(0);
        for (k, t) in toks.iter().enumerate() {
            let hit = t.ident().is_some_and(|name| {
                is_call(name)
                    || (toks.get(k + 1).is_some_and(|n| n.is("(")) && aliases.contains_key(name))
                    || by_name.get(name).is_some_and(|l| {
                        work = work.saturating_add(l.len());
                        work <= cap && l.iter().any(|&o| effectful[o] && fits(&defs[o], toks, k))
                    })
            });
            n += usize::from(hit);
            calls.push(n);
        }
        let budget = toks.len().saturating_mul(16).saturating_add(20_000);
        Shared { calls, defs, called, effectful, aliases, globals: RefCell::default(), budget: Cell::new(budget) }
    }

    /// The definition a call resolves to: the name, Objective-C or not, and argument labels
    /// matching the parameters in order (parameters left out need a default), among those `ok`
    /// accepts (the caller leaves out the functions being read: a call inside `set(_: String)`
    /// of `set(_: Data)` is not a recursion). `bare`: written without a receiver, so not a
    /// `static` computed property.
    pub fn resolve(
        &self,
        name: &str,
        args: &[Arg],
        parens: bool,
        objc: bool,
        bare: bool,
        ok: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        self.defs.iter().enumerate().find_map(|(d, def)| {
            let fits = def.name == name
                && def.objc == objc
                && !(bare && def.is_static && def.computed)
                && self.called[d]
                && (objc || def.computed != parens)
                && ok(d)
                && bind(def, args).is_some();
            fits.then_some(d)
        })
    }

    /// The definition whose name is the token at `name_at`.
    pub fn at(&self, name_at: usize) -> Option<usize> {
        self.defs.iter().position(|d| d.name_at == name_at)
    }
}

/// Whether the use of a name at token `k` may call `def`: a method message for Objective-C, a
/// computed property without parentheses, else a call whose argument labels fit.
fn fits(def: &FuncDef, toks: &[Token], k: usize) -> bool {
    if def.name_at == k {
        return false;
    }
    let next = toks.get(k + 1);
    if def.objc {
        return next.is_some_and(|n| n.is("]") || n.is(":"));
    }
    let Some(open) = next.filter(|n| n.is("(") && !n.nl_before) else { return def.computed };
    if def.computed {
        return false;
    }
    let mut labels = Vec::new();
    let mut j = k + 2;
    while j < open.close {
        let label = match (toks.get(j).and_then(Token::ident), toks.get(j + 1)) {
            (Some(l), Some(c)) if c.is(":") => Some(l.to_string()),
            _ => None,
        };
        labels.push(Arg { label, val: super::expr::Val::Nil, pos: Default::default() });
        while let Some(t) = toks.get(j).filter(|_| j < open.close) {
            if t.is(",") {
                break;
            }
            j = if t.is("(") || t.is("[") || t.is("{") { t.close.saturating_add(1) } else { j + 1 };
        }
        j += 1;
    }
    bind(def, &labels).is_some()
}

/// Which argument each parameter takes (`None`: its default, or unknown).
pub fn bind(def: &FuncDef, args: &[Arg]) -> Option<Vec<Option<usize>>> {
    if def.objc {
        return (args.len() == def.params.len()).then(|| (0..args.len()).map(Some).collect());
    }
    let mut out = Vec::with_capacity(def.params.len());
    let mut k = 0;
    for p in &def.params {
        match args.get(k) {
            Some(a) if a.label == p.label => {
                out.push(Some(k));
                k += 1;
            }
            _ if p.default.is_some() => out.push(None),
            _ => return None,
        }
    }
    (k == args.len()).then_some(out)
}

/// The first `{` from `from` on (skipping bracket groups), within `limit` tokens, unless a `;`,
/// `}` or `=` comes first.
fn body_open(toks: &[Token], from: usize, limit: usize) -> Option<usize> {
    let mut k = from;
    while let Some(t) = toks.get(k).filter(|_| k < from + limit) {
        if t.is("{") {
            return Some(k);
        }
        if t.is(";") || t.is("}") || t.is("=") || t.is_ident("func") {
            return None;
        }
        k = if t.is("(") || t.is("[") { t.close.saturating_add(1) } else { k + 1 };
    }
    None
}

/// `static` or `class` among the modifiers before the keyword at `i`.
fn is_static(toks: &[Token], i: usize) -> bool {
    (i.saturating_sub(4)..i).any(|k| toks.get(k).is_some_and(|t| t.is_ident("static") || t.is_ident("class")))
}

fn swift_func(toks: &[Token], i: usize) -> Option<FuncDef> {
    let name = toks.get(i + 1)?.ident()?.to_string();
    let mut j = i + 2;
    if toks.get(j).is_some_and(|t| t.is("<")) {
        while toks.get(j).is_some_and(|t| !t.is("(")) && j < i + 40 {
            j += 1;
        }
    }
    let open_paren = toks.get(j).filter(|t| t.is("("))?;
    let params = swift_params(toks, j + 1, open_paren.close);
    let open = body_open(toks, open_paren.close.saturating_add(1), 200)?;
    let is_static = is_static(toks, i);
    Some(FuncDef {
        name,
        params,
        computed: false,
        objc: false,
        is_static,
        name_at: i + 1,
        open,
        close: toks.get(open)?.close,
    })
}

fn swift_params(toks: &[Token], from: usize, to: usize) -> Vec<Param> {
    let mut params = Vec::new();
    let mut k = from;
    while k < to {
        let mut names = Vec::new();
        let mut default = None;
        let mut colon = false;
        while let Some(t) = toks.get(k).filter(|_| k < to) {
            if t.is(",") {
                break;
            }
            if t.is(":") {
                colon = true;
            } else if t.is("=") && default.is_none() {
                default = Some(k + 1);
            } else if let (false, Some(n)) = (colon, t.ident()) {
                names.push(n.to_string());
            }
            k = if t.is("(") || t.is("[") || t.is("{") { t.close.saturating_add(1) } else { k + 1 };
        }
        k += 1;
        let (label, name) = match names.as_slice() {
            [one] => (Some(one.clone()), one.clone()),
            [.., label, name] => ((label != "_").then(|| label.clone()), name.clone()),
            [] => continue,
        };
        params.push(Param { label, name, default });
    }
    params
}

/// `var name: Type { … }` (also `static`, `let` is never computed): a property read like a call.
fn computed(toks: &[Token], i: usize) -> Option<FuncDef> {
    if !toks[i].is_ident("var") {
        return None;
    }
    let name = toks.get(i + 1)?.ident()?.to_string();
    if !toks.get(i + 2)?.is(":") {
        return None;
    }
    let mut k = i + 3;
    while let Some(t) = toks.get(k) {
        if t.is("{") {
            break;
        }
        if t.nl_before && k > i + 3 {
            return None;
        }
        if t.is("=") || t.is(";") || t.is("}") || t.is(")") {
            return None;
        }
        k = if t.is("(") || t.is("[") { t.close.saturating_add(1) } else { k + 1 };
    }
    let open = toks.get(k).filter(|t| t.is("{"))?;
    if toks.get(k + 1).and_then(Token::ident).is_some_and(|w| matches!(w, "get" | "set" | "didSet" | "willSet")) {
        return None;
    }
    let is_static = is_static(toks, i);
    Some(FuncDef {
        name,
        params: Vec::new(),
        computed: true,
        objc: false,
        is_static,
        name_at: i + 1,
        open: k,
        close: open.close,
    })
}

/// `- (NSMutableDictionary *)queryForService:(NSString *)service account:(NSString *)account {`.
fn objc_method(toks: &[Token], i: usize) -> Option<FuncDef> {
    let ret = toks.get(i + 1).filter(|t| t.is("("))?;
    let name_at = ret.close + 1;
    let name = toks.get(name_at)?.ident()?.to_string();
    let mut params = Vec::new();
    let mut k = name_at + 1;
    let mut label: Option<String> = None;
    while toks.get(k).is_some_and(|t| t.is(":")) {
        let ty = toks.get(k + 1).filter(|t| t.is("("))?;
        let pname = toks.get(ty.close + 1)?.ident()?.to_string();
        params.push(Param { label: label.take(), name: pname, default: None });
        k = ty.close + 2;
        match toks.get(k).and_then(Token::ident) {
            Some(l) if toks.get(k + 1).is_some_and(|t| t.is(":")) => {
                label = Some(l.to_string());
                k += 1;
            }
            _ => break,
        }
    }
    let open = toks.get(k).filter(|t| t.is("{"))?;
    Some(FuncDef { name, params, computed: false, objc: true, is_static: false, name_at, open: k, close: open.close })
}

/// `var retrieve = SecItemCopyMatching`, `var remove: RemoveFunction = SecItemDelete`.
fn alias(toks: &[Token], i: usize) -> Option<(String, &'static str)> {
    let name = toks.get(i + 1)?.ident()?.to_string();
    let mut k = i + 2;
    while toks.get(k).is_some_and(|t| !t.is("=") && !t.nl_before) && k < i + 12 {
        k += 1;
    }
    toks.get(k).filter(|t| t.is("="))?;
    let f = toks.get(k + 1)?.ident()?;
    let target = CALLS.iter().find(|c| **c == f)?;
    let after = toks.get(k + 2);
    if after.is_some_and(|t| t.is("(") && !t.nl_before) {
        return None;
    }
    Some((name, target))
}
