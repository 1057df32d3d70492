//! Embeds every shipped example document (`examples/**/*.json`) so the web app's
//! gallery and the test suite (natively and in the browser) share one list, and the
//! corpus translated from Apple's regression tests (`tests/apple/**/*.json`) for
//! `tests/apple.rs`, which includes it from `OUT_DIR` (the library does not).

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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    embed(&root.join("examples"), "gallery.rs", "EXAMPLES", "Every shipped example document");
    embed(
        &root.join("tests").join("apple"),
        "apple_corpus.rs",
        "APPLE_CORPUS",
        "Every document translated from Apple's regression tests",
    );
}
