//! A small tokenizer for the subset of Swift and Objective-C the importer reads: identifiers,
//! string literals (Swift, raw, multi-line, Objective-C), numbers and punctuation. Comments are
//! dropped except `// keyplay-step: {…}` markers, and preprocessor lines (`#import …`) are skipped.

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// A string literal's value; `interpolated` when it holds `\(…)`.
    Str {
        text: String,
        interpolated: bool,
    },
    /// A number literal as written, without `_` separators.
    Num(String),
    Punct(&'static str),
    /// The JSON after `keyplay-step:` in a line comment.
    Marker(String),
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub col: usize,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
    /// A line break separates it from the previous token.
    pub nl_before: bool,
    /// White space separates it from the previous token.
    pub space_before: bool,
    /// For an opening bracket: the index of the token that closes it (any closing bracket, as a
    /// depth count would pair them), or the token count when it is never closed.
    pub close: usize,
}

impl Token {
    pub fn is(&self, p: &str) -> bool {
        matches!(&self.tok, Tok::Punct(q) if *q == p)
    }

    pub fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_ident(&self, name: &str) -> bool {
        self.ident() == Some(name)
    }
}

const PUNCTS: [&str; 40] = [
    "...", "..<", "===", "!==", "==", "!=", "->", "??", "&&", "||", "<=", ">=", "+=", "-=", "|=", "<<", ">>", "[", "]",
    "(", ")", "{", "}", ",", ":", ";", ".", "!", "?", "&", "=", "*", "@", "<", ">", "|", "+", "-", "/", "#",
];
const OTHER_PUNCT: &str = "%^~\\'`$";

struct Lexer<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    i: usize,
    line: usize,
    col: usize,
    tokens: Vec<Token>,
    nl: bool,
    space: bool,
}

/// Splits `src` into tokens. Never fails: anything unexpected becomes a punctuation token.
pub fn tokenize(src: &str) -> Vec<Token> {
    let mut lx = Lexer {
        src,
        chars: src.char_indices().collect(),
        i: 0,
        line: 1,
        col: 1,
        tokens: Vec::new(),
        nl: true,
        space: true,
    };
    lx.run();
    let mut tokens = lx.tokens;
    let n = tokens.len();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..n {
        let t = &tokens[i];
        if t.is("(") || t.is("[") || t.is("{") {
            open.push(i);
            tokens[i].close = n;
        } else if t.is(")") || t.is("]") || t.is("}") {
            if let Some(o) = open.pop() {
                tokens[o].close = i;
            }
        }
    }
    tokens
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).map(|(_, c)| *c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.i).map_or(self.src.len(), |(o, _)| *o)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn push(&mut self, tok: Tok, line: usize, col: usize, start: usize) {
        let end = self.offset();
        self.tokens.push(Token { tok, line, col, start, end, nl_before: self.nl, space_before: self.space, close: 0 });
        self.nl = false;
        self.space = false;
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let (line, col, start) = (self.line, self.col, self.offset());
            if c == '\n' {
                self.nl = true;
                self.space = true;
                self.bump();
            } else if c.is_whitespace() {
                self.space = true;
                self.bump();
            } else if c == '/' && self.peek(1) == Some('/') {
                self.line_comment(line, col, start);
            } else if c == '/' && self.peek(1) == Some('*') {
                self.block_comment();
            } else if c == '#' && self.nl && self.peek(1).is_some_and(|d| d.is_ascii_alphabetic()) {
                self.skip_line();
            } else if c == '#' && matches!(self.peek(1), Some('"' | '#')) {
                self.raw_string(line, col, start);
            } else if c == '"' || c == '\'' {
                self.string(c, line, col, start);
            } else if c.is_ascii_digit() {
                self.number(line, col, start);
            } else if c.is_alphabetic() || c == '_' || c == '$' {
                let mut name = String::new();
                while let Some(d) = self.peek(0).filter(|d| d.is_alphanumeric() || *d == '_' || *d == '$') {
                    name.push(d);
                    self.bump();
                }
                self.push(Tok::Ident(name), line, col, start);
            } else {
                self.punct(line, col, start);
            }
        }
    }

    fn punct(&mut self, line: usize, col: usize, start: usize) {
        let rest = &self.src[start..];
        let p = PUNCTS.iter().find(|p| rest.starts_with(**p)).copied();
        let p = p.unwrap_or_else(|| {
            let c = self.peek(0).unwrap_or(' ');
            if OTHER_PUNCT.contains(c) {
                "?other"
            } else {
                "?unknown"
            }
        });
        let n = if p == "?other" || p == "?unknown" { 1 } else { p.chars().count() };
        for _ in 0..n {
            self.bump();
        }
        self.push(Tok::Punct(p), line, col, start);
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek(0) {
            if c == '\n' {
                break;
            }
            self.bump();
        }
    }

    fn line_comment(&mut self, line: usize, col: usize, start: usize) {
        let begin = self.offset();
        self.skip_line();
        let text = &self.src[begin..self.offset()];
        if let Some(pos) = text.find("keyplay-step:") {
            let json = text[pos + "keyplay-step:".len()..].trim().to_string();
            self.push(Tok::Marker(json), line, col, start);
        } else {
            self.space = true;
        }
    }

    fn block_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            if c == '/' && self.peek(1) == Some('*') {
                depth += 1;
                self.bump();
            } else if c == '*' && self.peek(1) == Some('/') {
                depth = depth.saturating_sub(1);
                self.bump();
                if depth == 0 {
                    self.bump();
                    break;
                }
            } else if c == '\n' {
                self.nl = true;
            }
            self.bump();
        }
        self.space = true;
    }

    fn number(&mut self, line: usize, col: usize, start: usize) {
        let mut text = String::new();
        let hex = self.peek(0) == Some('0') && matches!(self.peek(1), Some('x' | 'X' | 'b' | 'B' | 'o' | 'O'));
        if hex {
            for _ in 0..2 {
                if let Some(c) = self.bump() {
                    text.push(c);
                }
            }
        }
        while let Some(c) = self.peek(0) {
            let exp_sign = matches!(c, '+' | '-') && !hex && text.ends_with(['e', 'E']);
            let dot = c == '.' && !hex && self.peek(1).is_some_and(|d| d.is_ascii_digit()) && !text.contains('.');
            if c.is_ascii_alphanumeric() || c == '_' || dot || exp_sign {
                if c != '_' {
                    text.push(c);
                }
                self.bump();
            } else {
                break;
            }
        }
        self.push(Tok::Num(text), line, col, start);
    }

    /// A `"…"`, `"""…"""` or `'…'` literal with Swift and C escapes.
    fn string(&mut self, quote: char, line: usize, col: usize, start: usize) {
        let multi = quote == '"' && self.peek(1) == Some('"') && self.peek(2) == Some('"');
        let n = if multi { 3 } else { 1 };
        for _ in 0..n {
            self.bump();
        }
        let (text, interpolated) = self.body(quote, multi, 0);
        let text = if multi { dedent(&text) } else { text };
        self.push(Tok::Str { text, interpolated }, line, col, start);
    }

    fn raw_string(&mut self, line: usize, col: usize, start: usize) {
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            hashes += 1;
            self.bump();
        }
        if self.peek(0) != Some('"') {
            self.push(Tok::Punct("#"), line, col, start);
            return;
        }
        let multi = self.peek(1) == Some('"') && self.peek(2) == Some('"');
        for _ in 0..(if multi { 3 } else { 1 }) {
            self.bump();
        }
        let (text, interpolated) = self.body('"', multi, hashes);
        let text = if multi { dedent(&text) } else { text };
        self.push(Tok::Str { text, interpolated }, line, col, start);
    }

    /// Reads up to the closing delimiter (quote(s) then `hashes` #), decoding escapes.
    fn body(&mut self, quote: char, multi: bool, hashes: usize) -> (String, bool) {
        let mut text = String::new();
        let mut interpolated = false;
        let closes = |lx: &Self| -> bool {
            let q = if multi { 3 } else { 1 };
            (0..q).all(|k| lx.peek(k) == Some(quote)) && (0..hashes).all(|k| lx.peek(q + k) == Some('#'))
        };
        while let Some(c) = self.peek(0) {
            if closes(self) {
                for _ in 0..(if multi { 3 } else { 1 }) + hashes {
                    self.bump();
                }
                return (text, interpolated);
            }
            if c == '\n' && !multi {
                break;
            }
            let escape = c == '\\' && (0..hashes).all(|k| self.peek(1 + k) == Some('#'));
            self.bump();
            if !escape {
                text.push(c);
                continue;
            }
            for _ in 0..hashes {
                self.bump();
            }
            match self.bump() {
                Some('n') => text.push('\n'),
                Some('r') => text.push('\r'),
                Some('t') => text.push('\t'),
                Some('0') => text.push('\0'),
                Some('u') => text.push(self.unicode_escape()),
                Some('x') => text.push(self.hex_escape(2)),
                Some('(') => {
                    interpolated = true;
                    text.push_str("\\(");
                    self.interpolation(&mut text);
                }
                Some('\n') => {}
                Some(other) => text.push(other),
                None => break,
            }
        }
        (text, interpolated)
    }

    fn interpolation(&mut self, text: &mut String) {
        let mut depth = 1usize;
        while let Some(c) = self.peek(0) {
            if c == '\n' {
                break;
            }
            self.bump();
            text.push(c);
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn unicode_escape(&mut self) -> char {
        if self.peek(0) == Some('{') {
            self.bump();
            let mut digits = String::new();
            while let Some(c) = self.peek(0).filter(|c| c.is_ascii_hexdigit()) {
                digits.push(c);
                self.bump();
            }
            if self.peek(0) == Some('}') {
                self.bump();
            }
            return u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
        }
        self.hex_escape(4)
    }

    fn hex_escape(&mut self, max: usize) -> char {
        let mut digits = String::new();
        while digits.len() < max {
            match self.peek(0).filter(|c| c.is_ascii_hexdigit()) {
                Some(c) => {
                    digits.push(c);
                    self.bump();
                }
                None => break,
            }
        }
        u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}')
    }
}

/// Swift multi-line strings: drop the first line break and the closing line's indentation.
fn dedent(text: &str) -> String {
    let body = text.strip_prefix('\n').unwrap_or(text);
    let indent: String = match body.rfind('\n') {
        Some(pos) if body[pos + 1..].chars().all(|c| c == ' ' || c == '\t') => body[pos + 1..].to_string(),
        _ => String::new(),
    };
    let body = match body.rfind('\n') {
        Some(pos) if body[pos + 1..].chars().all(|c| c == ' ' || c == '\t') => &body[..pos],
        _ => body,
    };
    body.split('\n').map(|l| l.strip_prefix(indent.as_str()).unwrap_or(l)).collect::<Vec<_>>().join("\n")
}
