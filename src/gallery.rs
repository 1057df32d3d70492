//! The shipped example documents, embedded at build time from `examples/`.

include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// The examples of one kind directory (`keychain`, `jwt`, …), as (file name, text).
pub fn of_kind(dir: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EXAMPLES.iter().filter_map(move |(path, text)| {
        path.strip_prefix(dir).and_then(|p| p.strip_prefix('/')).map(|name| (name, *text))
    })
}

/// One gallery entry: its index in [`EXAMPLES`], title and expected pitfalls.
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
    for (index, (path, text)) in EXAMPLES.iter().enumerate() {
        if !path.starts_with("keychain/") {
            continue;
        }
        let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else { continue };
        let group = doc.get("x-gallery").and_then(serde_json::Value::as_str).unwrap_or("other").to_owned();
        let title = doc.get("title").and_then(serde_json::Value::as_str).unwrap_or(path).to_owned();
        let mut pitfalls: Vec<String> = doc
            .get("steps")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.pointer("/expect/pitfalls").and_then(serde_json::Value::as_array))
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        pitfalls.sort();
        pitfalls.dedup();
        let entry = GalleryEntry { index, title, pitfalls };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, entries)) => entries.push(entry),
            None => groups.push((group, vec![entry])),
        }
    }
    if let Some(at) = groups.iter().position(|(g, _)| g == "other") {
        let other = groups.remove(at);
        groups.push(other);
    }
    groups
}
