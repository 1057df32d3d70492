//! The undocumented Apple extensions of the credential certificate, shown for information:
//! 1.2.840.113635.100.8.5 and 1.2.840.113635.100.8.7, each a SEQUENCE of context-specific tags
//! with high tag numbers (which the `der` crate cannot read, so `bcder` does), each wrapping an
//! INTEGER or an OCTET STRING. Never used to decide a check.

use crate::attest::x509::Cert;
use bcder::decode::{Constructed, Content, DecodeError, Source};
use bcder::{Mode, Tag};
use serde_json::{json, Map, Value};
use x509_cert::der::asn1::ObjectIdentifier;

const APP_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.5");
const OS_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.7");

/// At most this many tagged entries are read per extension.
const MAX_ENTRIES: usize = 64;

/// Names for the tags whose meaning is known: [1204] and [1400] from the research notes; the
/// others inferred from the values seen in Apple's 2026 sample.
fn tag_name(number: u32) -> String {
    match number {
        1204 => "app-id".into(),
        1400 => "os-version".into(),
        1403 => "os-build (inferred)".into(),
        1026 => "platform (inferred)".into(),
        n => format!("[{n}]"),
    }
}

fn inner_value<S: Source>(content: &mut Content<S>) -> Result<Value, DecodeError<S::Error>> {
    let Content::Constructed(cons) = content else {
        return Ok(Value::Null);
    };
    let value = cons.take_value(|tag, inner| match inner {
        Content::Primitive(p) if tag == Tag::INTEGER => {
            let bytes = p.slice_all()?.to_vec();
            p.skip_all()?;
            let n = bytes.iter().take(8).fold(0i64, |acc, b| acc.wrapping_shl(8) | i64::from(*b));
            Ok(json!(n))
        }
        Content::Primitive(p) => {
            let bytes = p.slice_all()?.to_vec();
            p.skip_all()?;
            Ok(match std::str::from_utf8(&bytes) {
                Ok(t) if t.chars().all(|c| !c.is_control()) => json!(t),
                _ => json!({ "hex": hex::encode(&bytes) }),
            })
        }
        Content::Constructed(c) => {
            c.skip_all()?;
            Ok(Value::Null)
        }
    })?;
    cons.skip_all()?;
    Ok(value)
}

/// Decodes one extension value into `{name: value}`.
pub fn decode(value: &[u8]) -> Option<Value> {
    Constructed::decode(value, Mode::Der, |cons| {
        cons.take_sequence(|cons| {
            let mut out = Map::new();
            while let Some((number, v)) =
                cons.take_opt_value(|tag, content| Ok((tag.number(), inner_value(content)?)))?
            {
                if out.len() < MAX_ENTRIES {
                    out.insert(tag_name(number), v);
                }
            }
            Ok(Value::Object(out))
        })
    })
    .ok()
}

/// The leaf's Apple extensions for the report, when present and readable.
pub fn describe(leaf: &Cert) -> Value {
    let mut out = Map::new();
    for (name, oid) in [("app-info (1.2.840.113635.100.8.5)", APP_INFO), ("os-info (1.2.840.113635.100.8.7)", OS_INFO)]
    {
        if let Ok(Some(value)) = leaf.extension(&oid) {
            out.insert(name.to_string(), decode(value).unwrap_or_else(|| json!({ "hex": hex::encode(value) })));
        }
    }
    Value::Object(out)
}
