//! The sign-in error explainer (kind `error-explainer`): look an error up by number, by
//! name, or by pasting a log; each entry gives Apple's meaning, the causes with their
//! evidence, and what to do.

pub mod catalog;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::document::{parse_typed, DocError};
use crate::instant::Instant;
use crate::stepper::{Evidence, Source};

pub use catalog::CATALOG;

/// One cause of an error and how well it is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub text: &'static str,
    pub evidence: Evidence,
}

/// One error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable id, e.g. `ASAuthorizationError.notHandled`.
    pub id: &'static str,
    pub domain: &'static str,
    pub code: i64,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// Apple's one-line description.
    pub meaning: &'static str,
    pub since: &'static str,
    pub causes: &'static [Cause],
    #[serde(rename = "what-to-do")]
    pub what_to_do: &'static [&'static str],
    pub sources: &'static [Source],
}

/// Short domain names a query may use to narrow a number.
const DOMAIN_HINTS: &[(&str, &str)] = &[
    ("webauthenticationsession", catalog::WEB_DOMAIN),
    ("aswebauthentication", catalog::WEB_DOMAIN),
    ("authorizationerror", catalog::AS_DOMAIN),
    ("asauthorization", catalog::AS_DOMAIN),
    ("asextension", catalog::EXT_DOMAIN),
    ("osstatus", catalog::OSSTATUS_DOMAIN),
    ("launchservices", catalog::OSSTATUS_DOMAIN),
];

/// Looks `query` up: a number (`1003`, `-54`, `Code=1003`), optionally with a domain word
/// (`AuthorizationError 1003`, `WebAuthenticationSession 1`), or a name (`notHandled`,
/// `ASAuthorizationErrorNotHandled`, `permErr`), or a phrase from a log line. Results keep
/// the catalog's order; an empty or unmatched query gives none.
pub fn lookup(query: &str) -> Vec<&'static Entry> {
    let q = query.trim().to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let domain = DOMAIN_HINTS.iter().find(|(hint, _)| q.contains(hint)).map(|(_, d)| *d);
    let numbers = numbers_in(&q);
    if !numbers.is_empty() {
        let hits: Vec<&Entry> =
            CATALOG.iter().filter(|e| numbers.contains(&e.code) && domain.is_none_or(|d| e.domain == d)).collect();
        if !hits.is_empty() {
            return hits;
        }
    }
    let exact: Vec<&Entry> = CATALOG
        .iter()
        .filter(|e| domain.is_none_or(|d| e.domain == d))
        .filter(|e| {
            e.name.eq_ignore_ascii_case(&q)
                || e.id.eq_ignore_ascii_case(&q)
                || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(&q))
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let words: Vec<&str> = q.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 4).collect();
    CATALOG
        .iter()
        .filter(|e| domain.is_none_or(|d| e.domain == d))
        .filter(|e| {
            let name = e.name.to_ascii_lowercase();
            let id = e.id.to_ascii_lowercase();
            words.iter().any(|w| name == *w || id.ends_with(&format!(".{w}")))
                || e.aliases.iter().any(|a| a.len() >= 6 && q.contains(&a.to_ascii_lowercase()))
        })
        .collect()
}

/// Signed integers in `text` (`-54`, `1003`, `Code=1003`); digits inside words are skipped.
fn numbers_in(text: &str) -> Vec<i64> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts_number {
            i += 1;
            continue;
        }
        let negative = i > 0 && bytes[i - 1] == b'-' && (i < 2 || !bytes[i - 2].is_ascii_alphanumeric());
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            continue;
        }
        if let Ok(n) = text[start..i].parse::<i64>() {
            out.push(if negative { -n } else { n });
        }
    }
    out
}

/// An error found in a pasted log: `Domain=<domain> Code=<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogHit {
    pub domain: String,
    pub code: i64,
    /// The catalog entry, when Keyplay knows the code.
    pub entry: Option<&'static str>,
}

/// Every `Domain=… Code=…` pair in `log`, in order, duplicates removed.
pub fn scan_log(log: &str) -> Vec<LogHit> {
    let mut hits: Vec<LogHit> = Vec::new();
    let mut rest = log;
    while let Some(at) = rest.find("Domain=") {
        rest = &rest[at + "Domain=".len()..];
        let domain: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        let after = &rest[domain.len()..];
        let Some(code_at) = after.trim_start().strip_prefix("Code=") else { continue };
        let digits: String = code_at
            .chars()
            .enumerate()
            .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '-'))
            .map(|(_, c)| c)
            .collect();
        let Ok(code) = digits.parse::<i64>() else { continue };
        let entry = CATALOG.iter().find(|e| e.domain == domain && e.code == code).map(|e| e.id);
        let hit = LogHit { domain, code, entry };
        if !hits.contains(&hit) {
            hits.push(hit);
        }
    }
    hits
}

/// `"expect": {"matches": [ids]}` — the exact set of entries the query must find.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainerExpect {
    pub matches: Option<Vec<String>>,
}

/// An `error-explainer` document: a query, or a pasted log.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainerDocument {
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub log: Option<String>,
    #[serde(default)]
    pub expect: Option<ExplainerExpect>,
}

/// Parses an `error-explainer` document (envelope fields are skipped).
pub fn parse(value: Value) -> Result<ExplainerDocument, DocError> {
    let Value::Object(mut body) = value else {
        return Err(DocError::new("", "a document is a JSON object"));
    };
    for key in crate::stepper::ENVELOPE {
        body.remove(*key);
    }
    let doc: ExplainerDocument = parse_typed(Value::Object(body), "")?;
    match (&doc.query, &doc.log) {
        (Some(_), Some(_)) => Err(DocError::new("/log", "give either query or log, not both")),
        (None, None) => Err(DocError::new(
            "/query",
            "missing query (a code such as 1003 or -54, or a name such as notHandled) or log (pasted log lines)",
        )),
        _ => Ok(doc),
    }
}

/// The explainer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainerReport {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// For a pasted log: every `Domain= Code=` pair found, in order.
    #[serde(rename = "found-in-log", skip_serializing_if = "Option::is_none")]
    pub found_in_log: Option<Vec<LogHit>>,
    pub matches: Vec<&'static Entry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<String>,
}

/// Runs an `error-explainer` document (no clock involved).
pub fn run(doc: &ExplainerDocument, _now: Instant) -> ExplainerReport {
    let (matches, found_in_log) = match (&doc.query, &doc.log) {
        (Some(q), _) => (lookup(q), None),
        (None, Some(log)) => {
            let hits = scan_log(log);
            let mut matches: Vec<&'static Entry> = Vec::new();
            for hit in &hits {
                if let Some(entry) = CATALOG.iter().find(|e| Some(e.id) == hit.entry) {
                    if !matches.contains(&entry) {
                        matches.push(entry);
                    }
                }
            }
            (matches, Some(hits))
        }
        (None, None) => (Vec::new(), None),
    };
    let mut unmet = Vec::new();
    if let Some(want) = doc.expect.as_ref().and_then(|e| e.matches.as_ref()) {
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        let mut got: Vec<&str> = matches.iter().map(|e| e.id).collect();
        want.sort_unstable();
        want.dedup();
        got.sort_unstable();
        if want != got {
            unmet.push(format!("matches: expected [{}], found [{}]", want.join(", "), got.join(", ")));
        }
    }
    let expect = doc.expect.as_ref().map(|_| if unmet.is_empty() { "met" } else { "unmet" });
    ExplainerReport { ok: unmet.is_empty(), query: doc.query.clone(), found_in_log, matches, expect, unmet }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(query: &str) -> Vec<&'static str> {
        lookup(query).iter().map(|e| e.id).collect()
    }

    #[test]
    fn numbers_names_and_domains_find_entries() {
        assert_eq!(ids("1003"), ["ASAuthorizationError.notHandled"]);
        assert_eq!(ids("Code=1000"), ["ASAuthorizationError.unknown"]);
        assert_eq!(ids("-54"), ["OSStatus.permErr"]);
        assert_eq!(ids("notHandled"), ["ASAuthorizationError.notHandled"]);
        assert_eq!(ids("ASAuthorizationErrorCanceled"), ["ASAuthorizationError.canceled"]);
        assert_eq!(ids("WebAuthenticationSession 1"), ["ASWebAuthenticationSessionError.canceledLogin"]);
        assert_eq!(ids("ASExtensionError 1"), ["ASExtensionError.userCanceled"]);
        // "failed" exists in two domains.
        assert_eq!(ids("failed"), ["ASAuthorizationError.failed", "ASExtensionError.failed"]);
        assert_eq!(ids("process may not map database"), ["OSStatus.permErr"]);
    }

    #[test]
    fn unknown_and_empty_queries_find_nothing() {
        assert!(ids("").is_empty());
        assert!(ids("   ").is_empty());
        assert!(ids("424242").is_empty());
        assert!(ids("banana").is_empty());
        // A number inside a word is not a code.
        assert!(ids("sha1003x").is_empty());
    }

    #[test]
    fn every_entry_is_found_by_its_id_and_codes_are_unique_per_domain() {
        for entry in CATALOG {
            assert!(lookup(entry.id).iter().any(|e| e.id == entry.id), "{}", entry.id);
            let same = CATALOG.iter().filter(|e| e.domain == entry.domain && e.code == entry.code).count();
            assert_eq!(same, 1, "{}", entry.id);
            assert!(
                !entry.causes.is_empty() && !entry.what_to_do.is_empty() && !entry.sources.is_empty(),
                "{}",
                entry.id
            );
        }
    }

    #[test]
    fn a_pasted_log_yields_its_errors_in_order() {
        let log = "Error Domain=NSOSStatusErrorDomain Code=-54 \"process may not map database\" … Error Domain=NSOSStatusErrorDomain Code=-54 \"(null)\" ASAuthorizationController credential request failed with error: Error Domain=com.apple.AuthenticationServices.AuthorizationError Code=1003 \"(null)\"";
        let hits = scan_log(log);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].entry, Some("OSStatus.permErr"));
        assert_eq!(hits[1].entry, Some("ASAuthorizationError.notHandled"));
        assert!(scan_log("Domain=x Code=").is_empty());
        assert!(scan_log("Domain=").is_empty());
    }
}
