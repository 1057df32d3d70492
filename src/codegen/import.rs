//! Import pasted Swift or Objective-C SecItem code as keychain document steps.
//!
//! `import(source)` reads the subset developers write (dictionary literals, `NSMutableDictionary`
//! mutations, `SecItemAdd` / `SecItemCopyMatching` / `SecItemUpdate` / `SecItemDelete` calls,
//! `SecAccessControlCreateWithFlags`, `Data(…)`) and returns the steps in source order, with a
//! [`Problem`] for everything it had to assume or leave out. It never panics; input over
//! [`super::MAX_SOURCE_BYTES`] is refused with one problem.

use super::expr::{Env, Pos};
use super::functions::Shared;
use super::lexer::tokenize;
use super::statements::Scanner;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::rc::Rc;

pub use super::flags::Flag;

/// A value the code takes from outside the pasted code (a property such as `self.service`, a
/// parameter such as `key`): every step that uses it holds the same stand-in `value`
/// (`"<service>"`, `{"utf8": "<key>"}`), to be replaced once with the app's real value
/// ([`fill`] does it). `optional`: the code sets it only on some paths (`if let`, `!= nil`);
/// `left_out`: an optional access group, which is not put in the steps (see `docs/import.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placeholder {
    pub name: String,
    pub value: Json,
    /// The keys it stands for, in order of first use.
    pub keys: Vec<String>,
    /// The lines of the code that read it.
    pub lines: Vec<usize>,
    pub optional: bool,
    pub left_out: bool,
}

/// Something the importer did not understand, or a value it had to assume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line and column of the code in question.
    pub line: usize,
    pub column: usize,
    /// The code in question (shortened when long).
    pub snippet: String,
    pub message: String,
}

/// The result of an import: document steps (each `{"SecItemAdd": {…}}`, …, optionally with an
/// `expect` from an `assert(status == …)`), the problems found on the way, the placeholders the
/// steps hold, and the pitfalls the code shows ([`Flag`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Import {
    pub steps: Vec<Json>,
    pub problems: Vec<Problem>,
    pub placeholders: Vec<Placeholder>,
    pub flags: Vec<Flag>,
}

/// Replaces placeholders in imported steps: every string `"<name>"` (also inside `{"utf8": …}`)
/// whose name is in `values` becomes the value given. Returns how many values were replaced.
pub fn fill(steps: &mut [Json], values: &[(String, String)]) -> usize {
    fn walk(v: &mut Json, values: &[(String, String)], n: &mut usize) {
        match v {
            Json::String(s) => {
                if let Some((_, val)) = values.iter().find(|(k, _)| s.len() == k.len() + 2 && *s == format!("<{k}>")) {
                    *s = val.clone();
                    *n += 1;
                }
            }
            Json::Array(items) => items.iter_mut().for_each(|i| walk(i, values, n)),
            Json::Object(map) => map.values_mut().for_each(|i| walk(i, values, n)),
            _ => {}
        }
    }
    let mut n = 0;
    for s in steps.iter_mut() {
        walk(s, values, &mut n);
    }
    n
}

/// Reads Swift or Objective-C source and returns the SecItem calls it makes as document steps.
pub fn import(source: &str) -> Import {
    if source.len() > super::MAX_SOURCE_BYTES {
        return Import {
            steps: Vec::new(),
            problems: vec![Problem {
                line: 1,
                column: 1,
                snippet: String::new(),
                message: format!(
                    "the source is {} bytes; the importer reads at most {} bytes: paste the keychain code only",
                    source.len(),
                    super::MAX_SOURCE_BYTES
                ),
            }],
            ..Import::default()
        };
    }
    let masked = mask_import_off(source);
    let (masked, skipped) = mask_else_branches(&masked);
    let source = masked.as_str();
    let tokens = tokenize(source);
    let shared = Rc::new(Shared::collect(&tokens));
    let globals = Scanner::new(&tokens, Env::new(shared.clone()), &mut Problems::new(source)).globals();
    shared.globals.replace(globals);
    let mut env = Env::new(shared.clone());
    env.extend(shared.globals.borrow().iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut problems = Problems::new(source);
    for (line, start, end) in skipped {
        let pos = Pos { line, col: 1, start, end };
        problems.add(&pos, "only the first branch of an `#if` is read: this branch is not");
    }
    let (steps, metas) = Scanner::new(&tokens, env, &mut problems).run();
    let flags = super::flags::detect(&steps, &metas);
    let mut list = problems.list;
    let capped = if list.len() > super::MAX_PROBLEMS { list.pop() } else { None };
    list.sort_by_key(|p| (p.line, p.column));
    list.extend(capped);
    let mut placeholders = problems.placeholders;
    for p in &mut placeholders {
        p.lines.sort_unstable();
        p.lines.dedup();
    }
    placeholders.sort_by_key(|p| p.lines.first().copied().unwrap_or(0));
    Import { steps, problems: list, placeholders, flags }
}

/// Blanks the code between a `// keyplay-import: off` line and the next `// keyplay-import: on`
/// (what the XCTest export puts around its set-up and clean-up code), keeping every line and
/// column in place.
fn mask_import_off(source: &str) -> String {
    if !source.contains("keyplay-import: off") {
        return source.to_string();
    }
    let mut out = String::with_capacity(source.len());
    let mut off = false;
    for line in source.split_inclusive('\n') {
        let t = line.trim();
        if t == "// keyplay-import: off" {
            off = true;
        } else if t == "// keyplay-import: on" {
            off = false;
        }
        if off {
            out.extend(line.chars().map(|c| if c == '\n' || c == '\r' { c } else { ' ' }));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Blanks the `#else` / `#elseif` branches of `#if` blocks (keeping lines and columns): the
/// importer follows the first branch, as one build of the app does. Returns the source and the
/// `#else` lines (line, byte range) where a branch was left out.
fn mask_else_branches(source: &str) -> (String, Vec<(usize, usize, usize)>) {
    if !source.contains("#else") && !source.contains("#elseif") && !source.contains("#elif") {
        return (source.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(source.len());
    let mut skipped = Vec::new();
    // One entry per open `#if`: whether its current branch is left out.
    let mut stack: Vec<bool> = Vec::new();
    let mut offset = 0;
    for (n, line) in source.split_inclusive('\n').enumerate() {
        let t = line.trim_start();
        let word: String = t.chars().take_while(|c| *c == '#' || c.is_ascii_alphabetic()).collect();
        let outer_skipping = stack.iter().rev().skip(1).any(|s| *s);
        match word.as_str() {
            "#if" | "#ifdef" | "#ifndef" => stack.push(false),
            "#else" | "#elseif" | "#elif" => {
                if let Some(top) = stack.last_mut() {
                    *top = true;
                    if !outer_skipping && skipped.len() < 50 {
                        skipped.push((n + 1, offset, offset + line.trim_end().len()));
                    }
                }
            }
            "#endif" => {
                stack.pop();
            }
            _ => {}
        }
        let blank = stack.iter().any(|s| *s) && !word.starts_with('#');
        if blank {
            out.extend(line.chars().map(|c| if c == '\n' || c == '\r' { c } else { ' ' }));
        } else {
            out.push_str(line);
        }
        offset += line.len();
    }
    (out, skipped)
}

/// Collects problems, without duplicates (a dictionary used twice reports its values once).
#[derive(Debug)]
pub(crate) struct Problems<'a> {
    src: &'a str,
    pub list: Vec<Problem>,
    pub placeholders: Vec<Placeholder>,
}

impl<'a> Problems<'a> {
    pub fn new(src: &'a str) -> Self {
        Problems { src, list: Vec::new(), placeholders: Vec::new() }
    }

    /// Notes that placeholder `name` stands for `key` on `line`.
    pub fn placeholder(&mut self, name: &str, key: &str, line: usize, value: &Json, optional: bool, left_out: bool) {
        if self.placeholders.len() >= super::MAX_PROBLEMS {
            return;
        }
        let p = match self.placeholders.iter_mut().find(|p| p.name == name) {
            Some(p) => p,
            None => {
                self.placeholders.push(Placeholder {
                    name: name.to_string(),
                    value: value.clone(),
                    keys: Vec::new(),
                    lines: Vec::new(),
                    optional,
                    left_out,
                });
                let Some(p) = self.placeholders.last_mut() else { return };
                p
            }
        };
        if !p.keys.iter().any(|k| k == key) {
            p.keys.push(key.to_string());
        }
        if p.lines.len() < 100 {
            p.lines.push(line);
        }
        p.optional &= optional;
        p.left_out &= left_out;
        if p.value.is_null() {
            p.value = value.clone();
        }
    }

    /// The source text of a span, on one line and at most 80 characters.
    pub fn snippet(&self, pos: &Pos) -> String {
        let text = self.src.get(pos.start..pos.end.max(pos.start)).unwrap_or_default();
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > 80 {
            let cut: String = flat.chars().take(77).collect();
            format!("{cut}...")
        } else {
            flat
        }
    }

    pub fn add(&mut self, pos: &Pos, message: impl Into<String>) {
        if self.list.len() > super::MAX_PROBLEMS {
            return;
        }
        if self.list.len() == super::MAX_PROBLEMS {
            let last = Problem {
                line: pos.line,
                column: pos.col,
                snippet: self.snippet(pos),
                message: format!("more than {} problems: the rest are not listed", super::MAX_PROBLEMS),
            };
            self.list.push(last);
            return;
        }
        let problem = Problem { line: pos.line, column: pos.col, snippet: self.snippet(pos), message: message.into() };
        if !self.list.contains(&problem) {
            self.list.push(problem);
        }
    }
}
