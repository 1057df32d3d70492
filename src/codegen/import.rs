//! Import pasted Swift or Objective-C SecItem code as keychain document steps.
//!
//! `import(source)` reads the subset developers write (dictionary literals, `NSMutableDictionary`
//! mutations, `SecItemAdd` / `SecItemCopyMatching` / `SecItemUpdate` / `SecItemDelete` calls,
//! `SecAccessControlCreateWithFlags`, `Data(…)`) and returns the steps in source order, with a
//! [`Problem`] for everything it had to assume or leave out. It never panics; input over
//! [`super::MAX_SOURCE_BYTES`] is refused with one problem.

use super::expr::Pos;
use super::lexer::tokenize;
use super::statements::Scanner;
use serde::Serialize;
use serde_json::Value as Json;

/// Something the importer did not understand, or a value it had to assume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line and column of the code in question.
    pub line: usize,
    pub column: usize,
    /// The code in question (shortened when long).
    pub snippet: String,
    pub message: String,
}

/// The result of an import: document steps (each `{"SecItemAdd": {…}}`, …, optionally with an
/// `expect` from an `assert(status == …)`) and the problems found on the way.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Import {
    pub steps: Vec<Json>,
    pub problems: Vec<Problem>,
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
        };
    }
    let masked = mask_import_off(source);
    let source = masked.as_str();
    let tokens = tokenize(source);
    let mut problems = Problems::new(source);
    let helpers = Scanner::new(&tokens, &mut Problems::new(source)).helpers();
    let steps = Scanner::new(&tokens, &mut problems).with_helpers(helpers).run();
    let mut list = problems.list;
    let capped = if list.len() > super::MAX_PROBLEMS { list.pop() } else { None };
    list.sort_by_key(|p| (p.line, p.column));
    list.extend(capped);
    Import { steps, problems: list }
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

/// Collects problems, without duplicates (a dictionary used twice reports its values once).
#[derive(Debug)]
pub(crate) struct Problems<'a> {
    src: &'a str,
    pub list: Vec<Problem>,
}

impl<'a> Problems<'a> {
    pub fn new(src: &'a str) -> Self {
        Problems { src, list: Vec::new() }
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
