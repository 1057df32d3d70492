//! codesign's text form of a property list (macOS 12 and later print entitlements this way
//! unless given `--xml`):
//!
//! ```text
//! [Dict]
//! 	[Key] keychain-access-groups
//! 	[Value]
//! 		[Array]
//! 			[String] SKMME9E2Y8.com.example.shared
//! ```
//!
//! Nesting is given by indentation. Text pasted from a web page often loses it; then an array
//! ends at the next `[Key]` (nested dictionaries cannot be told apart, and the caller is told).

use super::plist_value::PValue;
use super::ImportError;

/// Deepest nesting read (entitlements nest two or three levels).
const MAX_DEPTH: usize = 32;

#[derive(Debug)]
struct Line<'a> {
    no: usize,
    indent: usize,
    tag: &'a str,
    rest: &'a str,
}

/// The result: the root dictionary, and whether indentation was missing.
pub struct TextPlist {
    pub root: PValue,
    pub flat: bool,
}

/// Parses lines `first_line..` of `text` (1-based numbering kept for messages).
pub fn parse(text: &str, first_line: usize) -> Result<TextPlist, ImportError> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let no = first_line + i;
        let trimmed = raw.trim_start();
        if trimmed.trim().is_empty() {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let Some(after) = trimmed.strip_prefix('[') else {
            return Err(ImportError::at(
                no,
                format!("expected a [Tag] line of codesign's text form, found \"{}\"", short(trimmed)),
            ));
        };
        let Some(close) = after.find(']') else {
            return Err(ImportError::at(no, "a [Tag] is not closed with ]"));
        };
        let tag = &after[..close];
        let rest = after[close + 1..].strip_prefix(' ').unwrap_or(&after[close + 1..]).trim_end();
        lines.push(Line { no, indent, tag, rest });
    }
    let flat = lines.iter().all(|l| l.indent == 0) && lines.len() > 1;
    let mut reader = Reader { lines, at: 0, flat };
    let Some(first) = reader.lines.first() else {
        return Err(ImportError::new("no [Dict] found"));
    };
    if first.tag != "Dict" {
        return Err(ImportError::at(first.no, format!("the entitlements start with [Dict], not [{}]", first.tag)));
    }
    let root = reader.value(0)?;
    if let Some(extra) = reader.lines.get(reader.at) {
        return Err(ImportError::at(extra.no, format!("[{}] after the end of the dictionary", extra.tag)));
    }
    Ok(TextPlist { root, flat })
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    flat: bool,
}

impl Reader<'_> {
    /// Reads the value starting at the current line.
    fn value(&mut self, depth: usize) -> Result<PValue, ImportError> {
        let Some(line) = self.lines.get(self.at) else {
            return Err(ImportError::new("the text ends where a value was expected"));
        };
        let (no, indent, tag, rest) = (line.no, line.indent, line.tag, line.rest);
        if depth > MAX_DEPTH {
            return Err(ImportError::at(no, format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.at += 1;
        Ok(match tag {
            "String" => PValue::Str(rest.to_string()),
            "Bool" => match rest {
                "true" | "YES" | "1" => PValue::Bool(true),
                "false" | "NO" | "0" => PValue::Bool(false),
                other => return Err(ImportError::at(no, format!("[Bool] is true or false, not \"{}\"", short(other)))),
            },
            "Number" | "Integer" | "Real" => match rest.parse::<i64>() {
                Ok(n) => PValue::Int(n),
                Err(_) => PValue::Real(
                    rest.parse::<f64>()
                        .map_err(|_| ImportError::at(no, format!("[{tag}] \"{}\" is not a number", short(rest))))?,
                ),
            },
            "Data" => {
                let digits: String = rest.chars().filter(|c| c.is_ascii_hexdigit()).collect();
                match crate::data::decode_hex(&digits) {
                    Ok(bytes) if !digits.is_empty() || rest.trim_matches(['<', '>', ' ']).is_empty() => {
                        PValue::Data(bytes)
                    }
                    _ => PValue::Str(rest.to_string()),
                }
            }
            "Date" => PValue::Str(rest.to_string()),
            "Array" => {
                let mut items = Vec::new();
                while let Some(next) = self.lines.get(self.at) {
                    let inside = if self.flat { next.tag != "Key" } else { next.indent > indent };
                    if !inside {
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                }
                PValue::Array(items)
            }
            "Dict" => {
                let mut entries = Vec::new();
                while let Some(next) = self.lines.get(self.at) {
                    if !self.flat && next.indent <= indent {
                        break;
                    }
                    if next.tag != "Key" {
                        return Err(ImportError::at(
                            next.no,
                            format!("expected [Key] in a dictionary, found [{}]", next.tag),
                        ));
                    }
                    let (key_no, key) = (next.no, next.rest.to_string());
                    self.at += 1;
                    match self.lines.get(self.at) {
                        Some(v) if v.tag == "Value" => self.at += 1,
                        _ => {
                            return Err(ImportError::at(
                                key_no,
                                format!("[Key] {} is not followed by [Value]", short(&key)),
                            ))
                        }
                    }
                    if self.lines.get(self.at).is_none() {
                        return Err(ImportError::at(key_no, format!("[Key] {} has no value", short(&key))));
                    }
                    let value = self.value(depth + 1)?;
                    entries.push((key, value));
                }
                PValue::Dict(entries)
            }
            other => {
                return Err(ImportError::at(
                    no,
                    format!(
                    "[{}] is not a tag of codesign's text form (Dict, Key, Value, Array, String, Bool, Number, Data)",
                    short(other)
                ),
                ))
            }
        })
    }
}

fn short(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(57).collect::<String>())
    } else {
        text.to_string()
    }
}
