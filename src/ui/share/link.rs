//! The two fragment formats a link may carry, and the links and snippets the share and
//! embed panels offer. Pure functions over strings (the page's address comes in).

use crate::share::{self, ShareError};

/// The fragment prefix of a raw (uncompressed, URI-encoded) document: what `embed.js`
/// writes, since it cannot compress the way [`share::permalink`] does.
pub const RAW_PREFIX: &str = "raw=";

/// The document a fragment (with or without `#`) carries: a `v1.` permalink or a
/// `raw=` document. `Ok(None)` for an empty fragment.
pub fn fragment_text(fragment: &str) -> Result<Option<String>, String> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.is_empty() {
        return Ok(None);
    }
    if let Some(raw) = fragment.strip_prefix(RAW_PREFIX) {
        let decoded = js_sys::decode_uri_component(raw)
            .map_err(|_| "the link is damaged: its raw document is not URI-encoded text".to_string())?;
        let text = String::from(decoded);
        if text.len() > share::MAX_DOCUMENT_BYTES {
            return Err(ShareError::TooLarge.to_string());
        }
        return Ok(Some(text));
    }
    share::open_permalink(fragment).map(Some).map_err(|e| e.to_string())
}

/// A raw fragment (without `#`) for `text`, as `embed.js` makes it.
pub fn raw_fragment(text: &str) -> String {
    format!("{RAW_PREFIX}{}", String::from(js_sys::encode_uri_component(text)))
}

/// The embed build's page, beside the app's.
pub const EMBED_PAGE: &str = "embed.html";

/// What the share panel offers for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The permalink (the app's address with the compressed document in the fragment).
    pub permalink: String,
    /// The same document on the embed page ([`EMBED_PAGE`]).
    pub embed: String,
    /// The JSON pointers of the secrets left out (empty when secrets are included).
    pub redacted: Vec<String>,
}

impl Links {
    /// The links for `text` on the app at `base` (its address without query or fragment).
    pub fn make(base: &str, text: &str, include_secrets: bool) -> Result<Links, String> {
        let fragment = share::permalink(text, include_secrets).map_err(|e| e.to_string())?;
        let redacted = if include_secrets {
            Vec::new()
        } else {
            serde_json::from_str::<serde_json::Value>(text).map(|doc| share::redact(doc).1).unwrap_or_default()
        };
        // The embed page is the embed build's, beside the app (`embed.html`); the app's own
        // `?embed` mode stays for the links made before it.
        let folder = base.rfind('/').map_or(base, |i| &base[..=i]);
        Ok(Links {
            permalink: format!("{base}#{fragment}"),
            embed: format!("{folder}{EMBED_PAGE}#{fragment}"),
            redacted,
        })
    }
}

/// The two ways to embed a document in a documentation page: an `<iframe>` (`.0`) and a
/// script block for `embed.js` (`.1`). `folder` is the app's folder URL (ends in `/`).
pub fn embed_snippets(links: &Links, folder: &str, text: &str, include_secrets: bool, title: &str) -> (String, String) {
    let iframe = format!(
        "<iframe src=\"{}\" title=\"Keyplay: {}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
        attr_escape(&links.embed),
        attr_escape(title)
    );
    let document = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(doc) if !include_secrets => serde_json::to_string_pretty(&share::redact(doc).0).unwrap_or_default(),
        _ => text.trim().to_string(),
    };
    // `<\/` keeps the JSON intact and the script element open until its real end tag.
    let block = format!(
        "<script type=\"application/keyplay+json\">\n{}\n</script>\n<script src=\"{}embed.js\" defer></script>",
        document.replace("</", "<\\/"),
        attr_escape(folder)
    );
    (iframe, block)
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}
