//! Peak memory for the largest keychain documents the limits accept (`docs/limits.md`).
//!
//! Each variant runs in a child process of its own (this binary re-run with `--variant NAME`),
//! so the process's peak resident set (`VmHWM` in /proc/self/status) belongs to that
//! document alone. A variant builds a document just under `limits::DOCUMENT_BYTES` (every
//! step and initial item the limits allow, their data padded to fill the rest), runs it
//! as `keyplay run` does (parse, run, render the report as pretty JSON) and prints the
//! document's size, the peak RSS, the peak over the baseline measured before the document
//! was built, and both ratios. Each is run three times: as `keyplay run` does; (`--page`) held
//! as the page holds a document: its text and where its parts are (not its parsed JSON, which
//! the run consumes), the typed report and what the incremental run keeps for the next edit,
//! all at once; and (`--edit`) as the page edits it:
//! held so, then its last keychain call changed and run again from the first run's memo while
//! the first is still held. `--emit DIR` writes the documents
//! for scripts/bench-memory, which measures the page itself in Chromium and Firefox. Prints figures;
//! asserts nothing.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use keyplay::limits::{DOCUMENT_BYTES, KEYCHAIN_ITEMS, STEPS, VALUE_BYTES};
use serde_json::{json, Value};
use std::process::Command;

const VARIANTS: [&str; 4] = ["adds", "seeded-copies", "updates", "mixed"];

fn kib_field(name: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
        .unwrap_or(0)
}

fn item(i: usize, pad: usize) -> Value {
    json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": format!("service-{}", i % 50),
        "kSecAttrAccount": format!("account-{i}"), "kSecAttrLabel": format!("label {}", i % 7),
        "kSecValueData": {"utf8": format!("password {i} {}", "p".repeat(pad))}})
}

fn step(variant: &str, i: usize, pad: usize) -> Value {
    let copy_all = json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword",
        "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true, "kSecReturnData": true}});
    match variant {
        "adds" => json!({"SecItemAdd": item(KEYCHAIN_ITEMS + i, pad), "expect": {"status": "errSecSuccess"}}),
        "seeded-copies" => copy_all,
        "updates" => json!({"SecItemUpdate": {"query": {"kSecClass": "kSecClassGenericPassword",
            "kSecAttrService": format!("service-{}", i % 50)}, "attributes": {"kSecValueData": {"utf8": format!("new {i}")}}}}),
        _ => match i % 4 {
            0 => json!({"SecItemAdd": item(KEYCHAIN_ITEMS + i, pad)}),
            1 => copy_all,
            2 => {
                json!({"SecItemDelete": {"kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": format!("account-{i}")}})
            }
            _ => json!({"device": {"locked": i % 8 == 3}}),
        },
    }
}

/// A variant's document with every item and step the limits allow, each item's data padded
/// by `pad` bytes.
fn build(variant: &str, pad: usize) -> (String, usize) {
    let seeded = variant != "adds";
    let items: Vec<Value> = if seeded { (0..KEYCHAIN_ITEMS).map(|i| item(i, pad)).collect() } else { Vec::new() };
    let steps: Vec<Value> = (0..STEPS).map(|i| step(variant, i, pad)).collect();
    let padded = items.len() + steps.iter().filter(|s| s.get("SecItemAdd").is_some()).count();
    let doc =
        json!({"keyplay": 1, "kind": "keychain", "now": "2026-01-01T00:00:00Z", "keychain": items, "steps": steps});
    (doc.to_string(), padded)
}

/// The largest document of this variant under the limits: every item and step allowed, the
/// data padded so that the text comes just under `limits::DOCUMENT_BYTES`.
fn document(variant: &str) -> String {
    let (bare, padded) = build(variant, 0);
    let room = DOCUMENT_BYTES.saturating_sub(bare.len() + 1024);
    let pad = (room / padded.max(1)).min(VALUE_BYTES - 64);
    build(variant, pad).0
}

/// How a variant is run: as `keyplay run` does, as the page holds it, or as the page edits it.
#[derive(Clone, Copy, PartialEq)]
enum Path {
    Cli,
    Page,
    Edit,
    SecondEdit,
}

/// The page's hold on a document: its text's outline (the text and where its parts are; not
/// the parsed JSON, which the run consumes), the report and the incremental memo.
type Held = (
    Result<keyplay::document::Outline, keyplay::document::DocError>,
    keyplay::report::Report,
    Option<keyplay::keychain::incremental::Memo>,
);

/// Runs `text` as the page does (`ui::state::Run::after`), from `previous`'s memo if any.
fn page_run(text: String, now: keyplay::Instant, previous: Option<&Held>) -> Held {
    let outline = keyplay::run::outline(text.into());
    let memo = previous.and_then(|(_, report, memo)| match (report, memo) {
        (keyplay::report::Report::Keychain(report), Some(memo)) => Some((memo, report)),
        _ => None,
    });
    let (report, memo) = match &outline {
        Ok(o) => keyplay::run::run_outline(o, now, memo),
        Err(e) => (keyplay::report::Report::NotUnderstood(e.clone()), None),
    };
    (outline, report, memo)
}

fn run_variant(variant: &str, path: Path) {
    let baseline = kib_field("VmHWM:");
    let text = document(variant);
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let (items, steps) =
        (parsed["keychain"].as_array().map_or(0, Vec::len), parsed["steps"].as_array().map_or(0, Vec::len));
    drop(parsed);
    let started = std::time::Instant::now();
    let size = text.len();
    let now = keyplay::Instant(1_767_225_600);
    let mut rendered = keyplay::limits::Counted(0);
    if path == Path::Cli {
        // As `keyplay run` does: the text freed once parsed, the typed report written as
        // pretty JSON while it is serialised (here to a writer that only counts the bytes).
        let report = keyplay::run::run_string(text, now);
        report.write_cli_json(&mut rendered).expect("the report serialises");
        drop(report);
    } else if path == Path::Page {
        // As the page holds a document (`ui::state::Run`), all at once: the editor's text and its
        // outline, the typed report and what the incremental run keeps for the next edit.
        // (The rendered page is not here: scripts/bench-memory measures it in Chromium.)
        let held = page_run(text, now, None);
        held.1.write_cli_json(&mut rendered).expect("the report serialises");
        drop(held);
    } else {
        // As the page edits it: the document held as above, then its last keychain call given
        // another class (a new text, the same length), run again from the first run's memo
        // while the first is still held, as the reducer does before the old state is dropped.
        let (from, to) = (r#""kSecClassGenericPassword""#, r#""kSecClassInternetPassword""#);
        // `text` with the last `a` in it replaced by `b`.
        let swapped = |text: &str, a: &str, b: &str| match text.rfind(a) {
            Some(at) => format!("{}{b}{}", &text[..at], &text[at + a.len()..]),
            None => text.to_owned(),
        };
        let edited = swapped(&text, from, to);
        let first = page_run(text, now, None);
        let mut second = page_run(edited, now, Some(&first));
        if path == Path::SecondEdit {
            // A second edit (`--second-edit`): the first run dropped, as the page drops it once
            // the edit is shown, then the class put back (a new text, made from the edit's) and
            // run from the edit's memo while the edit is held.
            drop(first);
            let held = second.0.as_ref().map(|o| o.text().to_string()).unwrap_or_default();
            let original = swapped(&held, to, from);
            drop(held);
            let third = page_run(original, now, Some(&second));
            let first = std::mem::replace(&mut second, third);
            drop(first);
            second.1.write_cli_json(&mut rendered).expect("the report serialises");
            let secs = started.elapsed().as_secs_f64();
            print_peak(variant, path, size, items, steps, rendered.0, baseline, secs);
            return;
        }
        second.1.write_cli_json(&mut rendered).expect("the report serialises");
        // How many steps' reports the second run took from the first (the step it resumed at).
        if let (keyplay::report::Report::Keychain(a), keyplay::report::Report::Keychain(b)) = (&first.1, &second.1) {
            let reused = a.steps.iter().zip(&b.steps).take_while(|(x, y)| std::rc::Rc::ptr_eq(x, y)).count();
            print!("resumed at step {reused} of {} | ", b.steps.len());
        }
        drop((first, second));
    }
    let secs = started.elapsed().as_secs_f64();
    print_peak(variant, path, size, items, steps, rendered.0, baseline, secs);
}

/// Prints the process's peak resident set, whole and over `baseline`, against the document's size.
#[allow(clippy::too_many_arguments)]
fn print_peak(
    variant: &str,
    path: Path,
    size: usize,
    items: usize,
    steps: usize,
    rendered: usize,
    baseline: usize,
    secs: f64,
) {
    let peak = kib_field("VmHWM:");
    let size_kib = size as f64 / 1024.0;
    println!(
        "{:>20} | {:>9} B | {items:>6} items | {steps:>6} steps | report {:>10} B | peak {:>8} KiB ({:>5.1}x) | over baseline {:>8} KiB ({:>5.1}x) | {secs:.2} s",
        match path {
            Path::Cli => variant.to_owned(),
            Path::Page => format!("{variant} (page)"),
            Path::Edit => format!("{variant} (edit)"),
            Path::SecondEdit => format!("{variant} (2nd edit)"),
        },
        size,
        rendered,
        peak,
        peak as f64 / size_kib,
        peak.saturating_sub(baseline),
        peak.saturating_sub(baseline) as f64 / size_kib,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--emit DIR`: write each variant's document to DIR/VARIANT.json and stop (the browser
    // memory bench, scripts/bench-memory, loads them into the page).
    if let Some(dir) = args.iter().position(|a| a == "--emit").and_then(|p| args.get(p + 1)) {
        for v in VARIANTS {
            let path = std::path::Path::new(dir).join(format!("{v}.json"));
            match std::fs::write(&path, document(v)) {
                Ok(()) => println!("{}", path.display()),
                Err(e) => println!("{v}: could not write {}: {e}", path.display()),
            }
        }
        return;
    }
    if let Some(pos) = args.iter().position(|a| a == "--variant") {
        if let Some(v) = args.get(pos + 1) {
            let path = if args.iter().any(|a| a == "--page") {
                Path::Page
            } else if args.iter().any(|a| a == "--edit") {
                Path::Edit
            } else if args.iter().any(|a| a == "--second-edit") {
                Path::SecondEdit
            } else {
                Path::Cli
            };
            run_variant(v, path);
        }
        return;
    }
    println!("peak memory of the largest accepted keychain documents (native; limit {DOCUMENT_BYTES} bytes)");
    let Ok(me) = std::env::current_exe() else { return };
    for mode in ["", "--page", "--edit", "--second-edit"] {
        match mode {
            "--second-edit" => println!(
                "as the page edits them twice (the first run dropped, the class put back, run again from the edit):"
            ),
            "--page" => println!("as the page holds them (text and its outline, typed report, incremental memo):"),
            "--edit" => println!("as the page edits them (held as above, then the last step replaced and run again):"),
            _ => {}
        }
        for v in VARIANTS {
            let mut command = Command::new(&me);
            command.args(["--variant", v]);
            if !mode.is_empty() {
                command.arg(mode);
            }
            match command.output() {
                Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
                Err(e) => println!("{v}: could not run: {e}"),
            }
        }
    }
    // Over the limit: refused before parsing, so the peak stays near the text's own size.
    let over = format!(r#"{{"keyplay": 1, "kind": "keychain", "notes": "{}"}}"#, "x".repeat(DOCUMENT_BYTES));
    let out = keyplay::run_text(&over, keyplay::Instant(0));
    println!("a document of {} bytes: exit {} ({})", over.len(), out.exit().code(), out.to_json()["error"]["message"]);
}
