//! The shipped example documents, embedded at build time from `examples/`.

include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// The examples of one kind directory (`keychain`, `jwt`, …), as (file name, text).
pub fn of_kind(dir: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    EXAMPLES.iter().filter_map(move |(path, text)| {
        path.strip_prefix(dir).and_then(|p| p.strip_prefix('/')).map(|name| (name, *text))
    })
}
