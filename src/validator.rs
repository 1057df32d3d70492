//! What every validator (JWT, App Attest, WebAuthn) hands back: a list of named checks,
//! each saying what was expected, what was found and the likely cause when it fails.
//!
//! Check ids come from tables the compiler checks: each validator declares its ids once with
//! [`check_ids!`](crate::check_ids), which makes an enum (what [`Check::pass`] and
//! [`Check::fail`] take) and the table of id strings that documents, docs and the dispatcher
//! use ([`unknown_ids`] turns an id a document expects but no check has into a document error).

use crate::document::{suggestion, DocError};
use serde::{Deserialize, Serialize};

/// A check id from a validator's table (an enum made by [`check_ids!`](crate::check_ids)).
pub trait CheckId: Copy {
    /// The stable string id documents use.
    fn id(self) -> &'static str;
}

/// Declares a validator's check ids: an enum whose variants carry their string ids, with
/// `ALL` (every variant), `IDS` (every string id, in the same order), `id()` and `from_id()`.
/// Per-kind tables are made from variants with [`check_table!`](crate::check_table), so a typo
/// in either is a compile error.
#[macro_export]
macro_rules! check_ids {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $id:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every id, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// Every string id, in declaration order.
            pub const IDS: &'static [&'static str] = &[$($id,)+];

            /// The stable string id.
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            /// The variant with string id `id`.
            pub fn from_id(id: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.id() == id)
            }
        }

        impl $crate::validator::CheckId for $name {
            fn id(self) -> &'static str {
                $name::id(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }
    };
}

/// A table of string ids from variants of a [`check_ids!`](crate::check_ids) enum:
/// `check_table!(pub const ATTESTATION_CHECK_IDS = AppAttestCheck[Format, Nonce]);`.
#[macro_export]
macro_rules! check_table {
    ($(#[$meta:meta])* $vis:vis const $table:ident = $name:ident[$($variant:ident),+ $(,)?];) => {
        $(#[$meta])*
        $vis const $table: &[&str] = &[$($name::$variant.id(),)+];
    };
}

/// The first id of `failed` (a document's `expect.failed`) that is not in `table`, as a
/// document error at `/expect/failed/N` with the closest id suggested.
pub fn unknown_ids(failed: &[String], table: &[&str]) -> Option<DocError> {
    failed.iter().enumerate().find(|(_, id)| !table.contains(&id.as_str())).map(|(index, id)| {
        DocError::new(
            format!("/expect/failed/{index}"),
            format!("no check of this kind has the id {id}{}; the ids are {}", suggestion(id, table), table.join(", ")),
        )
    })
}

/// One verification step's outcome. `id` is stable (fixed by the document spec or the
/// project's docs) so that documents can `expect` it.
///
/// It reads back (for the page's worker, `crate::wire`) only with an id of a validator's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    #[serde(deserialize_with = "known_id")]
    pub id: StaticId,
    pub ok: bool,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// A check id from a table. (An alias, so that serde's derive does not take `&'static str`
/// for text borrowed from the message: it is read back as the table's own string.)
pub type StaticId = &'static str;

/// Every check id of every validator's table.
fn all_check_ids() -> impl Iterator<Item = &'static str> {
    [
        crate::jwt::JwtCheck::IDS,
        crate::app_attest::AppAttestCheck::IDS,
        crate::webauthn::WebauthnCheck::IDS,
        crate::siwa_server::TokenRequestCheck::IDS,
        crate::siwa_server::ExplainCheck::IDS,
        crate::devicecheck::RequestCheck::IDS,
        crate::devicecheck::NetworkCheck::IDS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Reads a check id as the table's own string: an id no table has is an error.
fn known_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    crate::wire::one_of(deserializer, all_check_ids(), "no validator has a check with the id")
}

impl Check {
    /// A passing check.
    pub fn pass(id: impl CheckId, message: impl Into<String>) -> Check {
        Check { id: id.id(), ok: true, message: message.into(), expected: None, found: None, cause: None }
    }

    /// A failing check.
    pub fn fail(id: impl CheckId, message: impl Into<String>) -> Check {
        Check { id: id.id(), ok: false, message: message.into(), expected: None, found: None, cause: None }
    }

    /// Adds what was expected and what was found.
    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Check {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Adds the most likely cause of a failure.
    pub fn cause(mut self, cause: impl Into<String>) -> Check {
        self.cause = Some(cause.into());
        self
    }
}

/// A validator's answer: the checks in the order they ran, and kind-specific details
/// (decoded header and claims, the public key, certificates, a signed token, …) that the
/// report shows beside them.
///
/// Its serde form is what the page's worker sends (`crate::wire`); the report JSON is
/// [`crate::report::Report`]'s own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub checks: Vec<Check>,
    pub details: serde_json::Map<String, serde_json::Value>,
    /// Pictures of what was checked (chains, byte maps), for the page; not in the report JSON.
    pub figures: Vec<crate::figure::Figure>,
}

impl Verdict {
    /// True when no check failed. A verdict without checks is valid: only a failing check
    /// makes a verdict invalid.
    pub fn valid(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The ids of the failing checks, in order.
    pub fn failed_ids(&self) -> Vec<&str> {
        self.checks.iter().filter(|c| !c.ok).map(|c| c.id).collect()
    }

    /// Records a detail for the report.
    /// Adds a figure.
    pub fn figure(&mut self, figure: crate::figure::Figure) {
        self.figures.push(figure);
    }

    pub fn detail(&mut self, key: &str, value: serde_json::Value) {
        self.details.insert(key.to_string(), value);
    }
}

/// `"expect": {"valid": false, "failed": ["aud"]}` on a validator document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub valid: Option<bool>,
    pub failed: Option<Vec<String>>,
}

impl Expectation {
    /// Whether `verdict` meets this expectation: the verdict matches `valid`, and the set of
    /// failing check ids equals `failed` when given.
    pub fn met_by(&self, verdict: &Verdict) -> bool {
        let valid_ok = self.valid.is_none_or(|v| v == verdict.valid());
        let failed_ok = self.failed.as_ref().is_none_or(|want| {
            let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
            let mut got = verdict.failed_ids();
            want.sort_unstable();
            want.dedup();
            got.sort_unstable();
            got.dedup();
            want == got
        });
        valid_ok && failed_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::check_ids! {
        /// Ids of a test validator.
        enum TestCheck {
            Format = "format",
            Aud = "aud",
            Exp = "exp",
        }
    }

    crate::check_table!(const SOME = TestCheck[Format, Exp];);

    #[test]
    fn check_ids_tables_match_their_enum() {
        assert_eq!(TestCheck::IDS, &["format", "aud", "exp"]);
        assert_eq!(TestCheck::ALL.iter().map(|c| c.id()).collect::<Vec<_>>(), TestCheck::IDS);
        assert_eq!(TestCheck::from_id("aud"), Some(TestCheck::Aud));
        assert_eq!(TestCheck::from_id("nbf"), None);
        assert_eq!(SOME, &["format", "exp"]);
    }

    #[test]
    fn unknown_ids_name_the_entry_and_suggest_the_closest() {
        assert_eq!(unknown_ids(&["aud".into(), "exp".into()], TestCheck::IDS), None);
        assert_eq!(unknown_ids(&[], TestCheck::IDS), None);
        let err = unknown_ids(&["aud".into(), "exq".into()], TestCheck::IDS).expect("exq is unknown");
        assert_eq!(err.path, "/expect/failed/1");
        assert!(err.message.contains("exq") && err.message.contains("did you mean exp?"), "{}", err.message);
        let far = unknown_ids(&["certificate".into()], SOME).expect("unknown");
        assert!(!far.message.contains("did you mean"), "{}", far.message);
        assert!(far.message.contains("format, exp"), "{}", far.message);
    }

    #[test]
    fn a_verdict_is_valid_unless_a_check_failed() {
        assert!(Verdict::default().valid());
        let passing = Verdict {
            checks: vec![Check::pass(TestCheck::Format, "ok")],
            details: Default::default(),
            figures: Vec::new(),
        };
        assert!(passing.valid());
    }

    #[test]
    fn expectation_compares_verdict_and_failing_ids() {
        let verdict = Verdict {
            checks: vec![
                Check::pass(TestCheck::Format, "ok"),
                Check::fail(TestCheck::Aud, "wrong"),
                Check::fail(TestCheck::Exp, "old"),
            ],
            details: Default::default(),
            figures: Vec::new(),
        };
        assert!(!verdict.valid());
        let exact = Expectation { valid: Some(false), failed: Some(vec!["exp".into(), "aud".into()]) };
        assert!(exact.met_by(&verdict));
        let partial = Expectation { valid: Some(false), failed: Some(vec!["aud".into()]) };
        assert!(!partial.met_by(&verdict));
        let wrong_verdict = Expectation { valid: Some(true), failed: None };
        assert!(!wrong_verdict.met_by(&verdict));
    }
}
