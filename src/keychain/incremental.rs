//! Incremental runs: an edited document re-runs from the first step that changed, from a kept
//! copy of the keychain before it, and keeps the reports of the steps before it. The answers
//! are those of a whole run (`tests/incremental.rs` checks it on random documents and edits).
//!
//! A run keeps a copy of the keychain every [`EVERY`] steps (and before step 0); the next run
//! resumes from the last copy at or before its first changed step, or reuses everything when no
//! step changed. Anything else that changed (platform, app, device, initial items, the time)
//! means a whole run.

use super::document::{KeychainDoc, Step};
use super::engine::Keychain;
use super::run::{initial_keychain, keychain_table, run_from, Cursor, KeychainReport, StepReport};
use crate::document::DocError;
use crate::instant::Instant;
use crate::report::Met;
use std::rc::Rc;

/// Steps between kept keychains: fewer copies cost less on a whole run, more resume closer.
pub const EVERY: usize = 32;

/// The keychain before step `before`, and the run's cursor there.
#[derive(Debug, Clone)]
struct Kept {
    before: usize,
    keychain: Keychain,
    cursor: Cursor,
}

/// What a run keeps for the next one.
#[derive(Debug, Clone)]
pub struct Memo {
    doc: KeychainDoc,
    now: Instant,
    kept: Vec<Rc<Kept>>,
}

impl Memo {
    /// The step the next run of `doc` at `now` would start from, and the kept keychain to start
    /// with; `None` when nothing can be reused.
    fn resume(&self, doc: &KeychainDoc, now: Instant) -> Option<&Rc<Kept>> {
        let same_start = self.now == now
            && self.doc.platform == doc.platform
            && self.doc.app == doc.app
            && self.doc.device == doc.device
            && self.doc.keychain == doc.keychain;
        if !same_start {
            return None;
        }
        let first = first_change(&self.doc.steps, &doc.steps);
        self.kept.iter().rev().find(|k| k.before <= first)
    }
}

/// The index of the first step that differs (the shorter length when one list extends the other).
fn first_change(old: &[Step], new: &[Step]) -> usize {
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
    let resume = previous.and_then(|(memo, report)| memo.resume(&doc, now).map(|kept| (memo, kept, report)));
    // Nothing changed at all: every report stands, and so does every kept keychain.
    if let Some((memo, _, report)) =
        resume.filter(|(memo, _, report)| memo.doc.steps == doc.steps && report.steps.len() == doc.steps.len())
    {
        let reused = doc.steps.len();
        let memo = Memo { doc, now, kept: memo.kept.clone() };
        return Ok(Outcome { report: Rc::clone(report), memo, reused });
    }
    let (mut keychain, mut cursor, first, mut kept, mut steps, mut device) = match resume {
        Some((memo, start, report)) => {
            let first = start.before;
            let kept: Vec<Rc<Kept>> = memo.kept.iter().filter(|k| k.before <= first).cloned().collect();
            let steps: Vec<StepReport> = report.steps.iter().take(first).cloned().collect();
            let device = report.device.iter().take(first).copied().collect();
            (start.keychain.clone(), start.cursor, first, kept, steps, device)
        }
        None => {
            let keychain = initial_keychain(&doc, now)?;
            let cursor = Cursor::at(keychain.now);
            let kept = vec![Rc::new(Kept { before: 0, keychain: keychain.clone(), cursor })];
            (keychain, cursor, 0, kept, Vec::new(), Vec::new())
        }
    };
    let reused = first;
    let ran = run_from(&mut keychain, &doc.steps, first, &mut cursor, |index, k, c| {
        device.push(k.device);
        let before = index + 1;
        if before % EVERY == 0 && before < doc.steps.len() {
            kept.push(Rc::new(Kept { before, keychain: k.clone(), cursor: *c }));
        }
    });
    steps.extend(ran);
    let ok = steps.iter().all(|s| s.expect != Some(Met::Unmet));
    let report =
        KeychainReport { ok, platform: doc.platform.name(), steps, keychain: keychain_table(&keychain), device };
    Ok(Outcome { report: Rc::new(report), memo: Memo { doc, now, kept }, reused })
}
