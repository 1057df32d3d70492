//! The shipped example documents: their catalog (path, title, gallery group, expected
//! pitfalls), always built in, and, with the `examples` feature, their texts, embedded at build
//! time from `examples/` (see build.rs).

/// One shipped example, as the catalog lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Its path under `examples/`, e.g. `keychain/lost-items-after-entitlement-change.json`.
    pub path: &'static str,
    /// The document's `title`, or its path when it has none.
    pub title: &'static str,
    /// Its `x-gallery` group (empty when it has none).
    pub group: &'static str,
    /// The pitfalls its steps expect, sorted, each once.
    pub pitfalls: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

#[cfg(feature = "examples")]
include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// The examples of one kind directory (`keychain`, `jwt`, …), as (file name, text).
#[cfg(feature = "examples")]
pub fn of_kind(dir: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EXAMPLES.iter().filter_map(move |(path, text)| {
        path.strip_prefix(dir).and_then(|p| p.strip_prefix('/')).map(|name| (name, *text))
    })
}

/// The embedded text of the example at `index` in [`CATALOG`] (`None` in a build without the
/// `examples` feature).
pub fn embedded_text(index: usize) -> Option<&'static str> {
    #[cfg(feature = "examples")]
    return EXAMPLES.get(index).map(|(_, text)| *text);
    #[cfg(not(feature = "examples"))]
    return {
        let _ = index;
        None
    };
}

/// One gallery entry: its index in [`CATALOG`], title and expected pitfalls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GalleryEntry {
    pub index: usize,
    pub title: String,
    pub pitfalls: Vec<String>,
}

/// The keychain examples grouped by `x-gallery` (ungrouped ones last, as `other`), in the
/// order the groups first appear.
pub fn keychain_groups() -> Vec<(String, Vec<GalleryEntry>)> {
    let mut groups: Vec<(String, Vec<GalleryEntry>)> = Vec::new();
    for (index, entry) in CATALOG.iter().enumerate() {
        if !entry.path.starts_with("keychain/") {
            continue;
        }
        let group = if entry.group.is_empty() { "other" } else { entry.group };
        let pitfalls = entry.pitfalls.iter().map(|p| (*p).to_owned()).collect();
        let entry = GalleryEntry { index, title: entry.title.to_owned(), pitfalls };
        match groups.iter_mut().find(|(g, _)| g == group) {
            Some((_, entries)) => entries.push(entry),
            None => groups.push((group.to_owned(), vec![entry])),
        }
    }
    if let Some(at) = groups.iter().position(|(g, _)| g == "other") {
        let other = groups.remove(at);
        groups.push(other);
    }
    groups
}

#[cfg(all(test, feature = "examples"))]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_lists_the_embedded_examples_in_order_with_their_titles() {
        assert_eq!(CATALOG.len(), EXAMPLES.len());
        for (entry, (path, text)) in CATALOG.iter().zip(EXAMPLES) {
            assert_eq!(entry.path, *path);
            let doc: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(entry.title, doc["title"].as_str().unwrap_or(path), "{path}");
            assert_eq!(entry.group, doc["x-gallery"].as_str().unwrap_or(""), "{path}");
        }
        let index = CATALOG.iter().position(|e| e.path == "keychain/non-key-attribute-in-lookup.json");
        let entry = index.map(|i| CATALOG[i]);
        assert!(entry.is_some_and(|e| !e.pitfalls.is_empty()), "{entry:?}");
        assert_eq!(index.and_then(embedded_text), index.map(|i| EXAMPLES[i].1));
    }
}
