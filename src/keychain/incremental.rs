//! Incremental runs: an edited document re-runs from the first step that changed, from a kept
//! copy of the keychain before it, and keeps the reports of the steps before it. The answers
//! are those of a whole run (`tests/incremental.rs` checks it on random documents and edits).
//!
//! A run keeps a copy of the keychain every [`EVERY`] steps; the next run resumes from the last
//! copy at or before its first changed step (or runs whole when there is none), or reuses
//! everything when no step changed. Steps are compared by the hashes of their JSON (`document::Fingerprint`), so
//! that the document itself need not be kept. The copies share unchanged items, with each other
//! and with the keychain the run ends with (which the report's table keeps), and together add
//! at most about [`KEPT_BYTES`] to it: past it, every other copy goes and copies are kept half as often
//! (a large keychain that changes a lot resumes further back, and memory stays bounded).
//! Anything else that changed (platform, app, device, initial items, the time) means a whole
//! run.

use super::document::{App, DevicePatch, Fingerprint, KeychainDoc, Platform};
use super::engine::Keychain;
use super::run::{initial_keychain, run_from, Cursor, KeychainReport, StepReport};
use super::store::Store;
use super::table::Table;
use crate::document::DocError;
use crate::instant::Instant;
use crate::report::Met;
use std::rc::Rc;

/// Steps between kept keychains: fewer copies cost less on a whole run, more resume closer.
pub const EVERY: usize = 32;

/// About how many bytes the kept keychains may add to the keychain a run ends with
/// (`Store::unshared_bytes`).
pub const KEPT_BYTES: usize = 2 * 1024 * 1024;

/// The keychain before step `before`, and the run's cursor there.
#[derive(Debug, Clone)]
struct Kept {
    before: usize,
    keychain: Keychain,
    cursor: Cursor,
}

/// What a run keeps for the next one: what it started from, and the fingerprints of its
/// initial items and steps (not the document, which would be as large as its text again).
#[derive(Debug, Clone)]
pub struct Memo {
    platform: Platform,
    app: App,
    device: DevicePatch,
    /// `None` when the document had no fingerprints (it was not parsed from JSON).
    fingerprint: Option<Fingerprint>,
    now: Instant,
    kept: Vec<Rc<Kept>>,
    /// Steps between kept keychains: [`EVERY`], doubled each time the budget was reached.
    every: usize,
}

impl Memo {
    /// Whether a run of `doc` at `now` starts where this memo's run started: the same time,
    /// platform, app, device and initial items, and fingerprints on both sides.
    fn same_start(&self, doc: &KeychainDoc, now: Instant) -> bool {
        let (Some(old), true) = (&self.fingerprint, doc.fingerprint.covers(doc)) else { return false };
        self.now == now
            && self.platform == doc.platform
            && self.app == doc.app
            && self.device == doc.device
            && old.keychain == doc.fingerprint.keychain
    }

    /// The kept keychain the next run of `doc` at `now` starts from (the last one before its
    /// first changed step); `None` when nothing can be reused.
    fn resume(&self, doc: &KeychainDoc, now: Instant) -> Option<&Rc<Kept>> {
        let old = self.fingerprint.as_ref().filter(|_| self.same_start(doc, now))?;
        let first = first_change(&old.steps, &doc.fingerprint.steps);
        self.kept.iter().rev().find(|k| k.before <= first)
    }

    /// What a run of `doc` at `now` keeps, with these kept keychains.
    fn of(doc: KeychainDoc, now: Instant, kept: Vec<Rc<Kept>>, every: usize) -> Memo {
        let covered = doc.fingerprint.covers(&doc);
        let fingerprint = Some(doc.fingerprint).filter(|_| covered);
        Memo { platform: doc.platform, app: doc.app, device: doc.device, fingerprint, now, kept, every }
    }

    /// Whether the steps of `doc` are the steps this memo was made from.
    fn same_steps(&self, doc: &KeychainDoc) -> bool {
        self.fingerprint.as_ref().is_some_and(|f| f.steps == doc.fingerprint.steps)
    }
}

/// The index of the first step that differs (the shorter length when one list extends the other).
fn first_change(old: &[u64], new: &[u64]) -> usize {
    old.iter().zip(new).position(|(a, b)| a != b).unwrap_or(old.len().min(new.len()))
}

/// How a run went: the report, and how many steps' reports came from the previous run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: Rc<KeychainReport>,
    pub memo: Memo,
    pub reused: usize,
}

/// Runs `doc` at `now`, reusing `previous` (the memo and report of the run before) where the
/// document did not change.
pub fn run(
    doc: KeychainDoc,
    now: Instant,
    previous: Option<(&Memo, &Rc<KeychainReport>)>,
) -> Result<Outcome, DocError> {
    // Nothing changed at all: every report stands, and so does every kept keychain.
    if let Some((memo, report)) = previous.filter(|(memo, report)| {
        memo.same_start(&doc, now) && memo.same_steps(&doc) && report.steps.len() == doc.steps.len()
    }) {
        let reused = doc.steps.len();
        let memo = Memo::of(doc, now, memo.kept.clone(), memo.every);
        return Ok(Outcome { report: Rc::clone(report), memo, reused });
    }
    let resume = previous.and_then(|(memo, report)| memo.resume(&doc, now).map(|kept| (memo, kept, report)));
    let (mut keychain, mut cursor, first, mut kept, mut every, mut steps, mut device) = match resume {
        Some((memo, start, report)) => {
            let first = start.before;
            let kept: Vec<Rc<Kept>> = memo.kept.iter().filter(|k| k.before <= first).cloned().collect();
            // The reused steps' reports are shared with the report before, not copied.
            let steps: Vec<Rc<StepReport>> = report.steps.iter().take(first).cloned().collect();
            let device = report.device.iter().take(first).copied().collect();
            (start.keychain.clone(), start.cursor, first, kept, memo.every, steps, device)
        }
        None => {
            let keychain = initial_keychain(&doc, now)?;
            let cursor = Cursor::at(keychain.now);
            // No copy before step 0: resuming there is a whole run, which builds the initial
            // keychain from the document again.
            (keychain, cursor, 0, Vec::new(), EVERY, Vec::new(), Vec::new())
        }
    };
    let reused = first;
    let ran = run_from(&mut keychain, &doc.steps, first, &mut cursor, |index, k, c| {
        device.push(k.device);
        let before = index + 1;
        if before % every == 0 && before < doc.steps.len() {
            kept.push(Rc::new(Kept { before, keychain: k.clone(), cursor: *c }));
            within_budget(&mut kept, &mut every, &k.store);
        }
    });
    // Items the steps after the last copy deleted are no longer shared with the keychain the
    // report keeps: the copies are measured again against the keychain the run ends with.
    within_budget(&mut kept, &mut every, &keychain.store);
    steps.extend(ran.into_iter().map(Rc::new));
    let ok = steps.iter().all(|s| s.expect != Some(Met::Unmet));
    let report =
        KeychainReport { ok, platform: doc.platform.name(), steps, keychain: Table::of(&keychain.store), device };
    Ok(Outcome { report: Rc::new(report), memo: Memo::of(doc, now, kept, every), reused })
}

/// About how many bytes the kept keychains add to `live` (the keychain the run has now, whose
/// items the report's table keeps): each copy's indexes and the items it shares neither with
/// the copy before it nor with `live`.
fn kept_bytes(kept: &[Rc<Kept>], live: &Store) -> usize {
    let mut previous: Option<&Store> = None;
    let mut total = 0;
    for k in kept {
        let others: Vec<&Store> = previous.into_iter().chain([live]).collect();
        total += k.keychain.store.unshared_bytes(&others);
        previous = Some(&k.keychain.store);
    }
    total
}

/// Thins the kept keychains until they fit [`KEPT_BYTES`]: each round keeps copies half as
/// often (a run left with none is run whole after the next edit).
fn within_budget(kept: &mut Vec<Rc<Kept>>, every: &mut usize, live: &Store) {
    while !kept.is_empty() && kept_bytes(kept, live) > KEPT_BYTES {
        *every = every.saturating_mul(2);
        let step = *every;
        kept.retain(|k| k.before % step == 0);
    }
}
