//! Writes the catalog of the shipped example documents (`examples/**/*.json`: path, title,
//! gallery group, expected pitfalls), which the web app's gallery lists, and their texts,
//! which the library embeds with its `examples` feature (on by default: the CLI and every
//! test; the release page leaves them out and fetches `examples-….json`, written beside it by
//! `scripts/examples-bundle`). Also embeds the corpus translated from Apple's regression tests
//! (`tests/apple/**/*.json`) for `tests/apple.rs`, which includes it from `OUT_DIR` (the
//! library does not).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Writes `OUT_DIR/{file}`: `pub const {name}: &[(&str, &str)]`, every JSON file under
/// `dir` as (path relative to `dir`, text), sorted by path.
fn embed(dir: &Path, file: &str, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut code =
        format!("/// {doc}: (path under its directory, JSON text).\npub const {name}: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(dir).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let _ = writeln!(code, "    ({rel:?}, include_str!({:?})),", file.display().to_string());
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(file);
    if let Err(e) = std::fs::write(&out, code) {
        // A build script reports a failure on standard error and by its exit status.
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}

/// Writes `OUT_DIR/catalog.rs`: `pub const CATALOG: &[Entry]`, one entry per JSON file under
/// `dir` (sorted by path, as `embed` sorts them).
fn catalog(dir: &Path) {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every shipped example document, by path (the order of `EXAMPLES`).\npub const CATALOG: &[Entry] = &[\n",
    );
    for file in &files {
        let rel = file.strip_prefix(dir).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let doc: serde_json::Value =
            std::fs::read_to_string(file).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        let text = |key: &str| doc.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
        let title = text("title").unwrap_or_else(|| rel.clone());
        let group = text("x-gallery").unwrap_or_default();
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
        let _ = writeln!(
            code,
            "    Entry {{ path: {rel:?}, title: {title:?}, group: {group:?}, pitfalls: &{pitfalls:?} }},"
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("catalog.rs");
    if let Err(e) = std::fs::write(&out, code) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    catalog(&root.join("examples"));
    embed(&root.join("examples"), "gallery.rs", "EXAMPLES", "Every shipped example document");
    embed(
        &root.join("tests").join("apple"),
        "apple_corpus.rs",
        "APPLE_CORPUS",
        "Every document translated from Apple's regression tests",
    );
}
