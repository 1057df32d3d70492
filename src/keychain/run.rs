//! Running a keychain document: seed the keychain, run each step, compare with `expect`,
//! and build the report.

use super::document::{Action, KeychainDoc, Step};
use super::engine::{CallOutcome, Device, Keychain};
use super::pitfalls::{found, Id, Pitfall};
use super::row::Row;
use super::table::Table;
use crate::document::DocError;
use crate::instant::Instant;
use crate::limits::{RESULT_BYTES, RESULT_ITEMS};
use crate::report::Met;
use crate::status::Status;
use serde::Serialize;
use serde_json::Value as Json;
use std::rc::Rc;

/// The report of a keychain document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeychainReport {
    pub ok: bool,
    pub platform: &'static str,
    /// Shared with the report of the run before, for the steps an incremental run reused.
    pub steps: Vec<Rc<StepReport>>,
    /// The keychain after the last step, its rows built when asked for.
    pub keychain: Table,
    /// The device's state at each step (after it, for the steps that change it); not in the
    /// report JSON, which tells device steps in their explanations.
    #[serde(skip)]
    pub device: Vec<Device>,
}

/// One step's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub index: usize,
    pub call: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pitfalls: Option<Vec<Pitfall>>,
    pub explanation: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Met>,
    /// What differed from `expect`, when it was unmet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<String>,
}

/// Builds the keychain a document starts with. Fails when an initial item cannot be stored.
pub fn initial_keychain(doc: &KeychainDoc, now: Instant) -> Result<Keychain, DocError> {
    let mut keychain = Keychain::new(doc.platform, doc.app.clone(), Device::from_patch(&doc.device), now);
    for (i, dict) in doc.keychain.iter().enumerate() {
        keychain.seed(dict).map_err(|fail| {
            DocError::new(
                format!("/keychain/{i}"),
                format!("this item cannot be stored: {} ({})", fail.why, fail.status.name()),
            )
        })?;
    }
    Ok(keychain)
}

/// Runs the steps on `keychain`, returning one report per step.
/// The simulated clock moves one second per step, so modification dates differ.
///
/// The results the steps return together are bounded by [`RESULT_ITEMS`] and
/// [`RESULT_BYTES`]: once the items or the bytes returned so far pass either, later steps
/// still run (status, count, pitfalls, expectations), but their `result` is left out of the
/// report and a line says so. This keeps a report's size, and the memory it takes,
/// proportional to the document.
pub fn run_steps(keychain: &mut Keychain, steps: &[Step]) -> Vec<StepReport> {
    run_steps_watched(keychain, steps, |_| {})
}

/// [`run_steps`], handing the keychain to `watch` after each step.
fn run_steps_watched(keychain: &mut Keychain, steps: &[Step], mut watch: impl FnMut(&Keychain)) -> Vec<StepReport> {
    let mut cursor = Cursor::at(keychain.now);
    run_from(keychain, steps, 0, &mut cursor, |_, k, _| watch(k))
}

/// Where a run of the steps stands: the time step 0 ran at, and the items and bytes returned
/// so far (the [`RESULT_ITEMS`] and [`RESULT_BYTES`] budgets), so that a run can resume from
/// a kept keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub start: Instant,
    pub returned: usize,
    pub returned_bytes: usize,
}

impl Cursor {
    pub fn at(start: Instant) -> Cursor {
        Cursor { start, returned: 0, returned_bytes: 0 }
    }

    /// Whether a budget is spent: every later result is left out, whatever it holds.
    fn spent(&self) -> bool {
        self.returned > RESULT_ITEMS || self.returned_bytes > RESULT_BYTES
    }

    /// Counts a step's result against the budgets; `Some(why)` when the budget is spent and
    /// the result is to be left out.
    fn spend(&mut self, count: usize, result: &Json) -> Option<String> {
        if result.is_null() {
            return None;
        }
        self.returned = self.returned.saturating_add(count);
        if self.returned > RESULT_ITEMS {
            return Some(crate::limits::over("result-items", self.returned));
        }
        // Measured only while within budget: once spent, it stays spent.
        if self.returned_bytes <= RESULT_BYTES {
            self.returned_bytes = self.returned_bytes.saturating_add(crate::limits::json_len(result));
        }
        (self.returned_bytes > RESULT_BYTES).then(|| crate::limits::over("result-bytes", self.returned_bytes))
    }
}

/// Runs `steps[first..]` on `keychain`, which is as the steps before `first` left it, handing
/// `watch` each step's index, the keychain after it and the cursor.
pub fn run_from(
    keychain: &mut Keychain,
    steps: &[Step],
    first: usize,
    cursor: &mut Cursor,
    mut watch: impl FnMut(usize, &Keychain, &Cursor),
) -> Vec<StepReport> {
    steps
        .iter()
        .enumerate()
        .skip(first)
        .map(|(index, step)| {
            keychain.now = Instant(cursor.start.unix().saturating_add(i64::try_from(index).unwrap_or(i64::MAX)));
            // Past the budget a copy's result would be left out: it is counted, not built (unless
            // the step expects a result, which must then be compared).
            let counting = cursor.spent() && step.expect.as_ref().is_none_or(|e| e.result.is_none());
            let mut report = run_step(keychain, index, step, counting);
            if let (Some(count), Some(result)) = (report.count, &report.result) {
                if let Some(why) = cursor.spend(count, result) {
                    report.result = None;
                    report.explanation.push(format!("the result is left out of this report: {why}"));
                }
            }
            watch(index, keychain, cursor);
            report
        })
        .collect()
}

fn run_step(keychain: &mut Keychain, index: usize, step: &Step, counting: bool) -> StepReport {
    let call = step.action.name();
    let event = |lines: Vec<String>| StepReport {
        index,
        call,
        status: None,
        code: None,
        meaning: None,
        result: None,
        count: None,
        pitfalls: None,
        explanation: lines,
        note: step.note.clone(),
        expect: None,
        unmet: Vec::new(),
    };
    let outcome: CallOutcome = match &step.action {
        Action::Device(patch) => return event(keychain.device_event(patch)),
        Action::Reboot => {
            keychain.device.locked = true;
            keychain.device.unlocked_since_boot = false;
            return event(vec!["the device restarted: locked, and not unlocked since boot".into()]);
        }
        Action::App(patch) => {
            keychain.app.update(patch);
            return event(vec![format!(
                "the app was updated; its access groups are now: {}",
                keychain.access_groups().join(", ")
            )]);
        }
        Action::Biometry(e) => return event(keychain.biometry_event(*e)),
        Action::Add(dict) => {
            let fp = fingerprint(dict);
            let check_then_add = fp.as_ref().is_some_and(|fp| keychain.history.not_found_queries.contains(fp));
            let re_add = fp.as_ref().is_some_and(|fp| keychain.history.deleted_queries.contains(fp));
            let after_locked_read = fp.as_ref().is_some_and(|fp| keychain.history.locked_read_queries.contains(fp));
            let mut outcome = keychain.add(dict);
            if check_then_add && matches!(outcome.status, Status::Success | Status::DuplicateItem) {
                outcome.pitfalls.push(found(
                    Id::CheckThenAdd,
                    "An earlier lookup for this item found nothing, and now it is added.",
                ));
            }
            if after_locked_read && matches!(outcome.status, Status::Success | Status::DuplicateItem) {
                outcome.pitfalls.push(found(
                    Id::InteractionNotAllowedIsNotMissing,
                    "An earlier read of this item failed with errSecInteractionNotAllowed, and now the app adds it afresh: the old credential is lost or the add collides with it.",
                ));
            }
            if re_add && outcome.status == Status::Success {
                outcome.pitfalls.push(found(
                    Id::DeleteThenAdd,
                    "This item was deleted earlier and is now added again: it has a new persistent reference.",
                ));
            }
            outcome
        }
        Action::CopyMatching(dict) if counting => keychain.count_matching(dict),
        Action::CopyMatching(dict) => keychain.copy_matching(dict),
        Action::Update { query, attributes } => keychain.update(query, attributes),
        Action::Delete(dict) => {
            let outcome = keychain.delete(dict);
            if let (Status::Success, Some(fp)) = (outcome.status, fingerprint(dict)) {
                keychain.history.deleted_queries.push(fp);
            }
            outcome
        }
    };
    let mut unmet = Vec::new();
    if let Some(expect) = &step.expect {
        if let Some(want) = expect.status {
            if want != outcome.status {
                unmet.push(format!("status: expected {}, got {}", want.name(), outcome.status.name()));
            }
        }
        if let Some(want) = expect.count {
            if want != outcome.count {
                unmet.push(format!("count: expected {want}, got {}", outcome.count));
            }
        }
        if let Some(want) = &expect.pitfalls {
            let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
            let mut got: Vec<&str> = outcome.pitfalls.iter().map(|p| p.id).collect();
            want.sort_unstable();
            got.sort_unstable();
            if want != got {
                unmet.push(format!("pitfalls: expected [{}], got [{}]", want.join(", "), got.join(", ")));
            }
        }
        if let Some(want) = &expect.result {
            if want != &outcome.result {
                unmet.push(format!("result: expected {want}, got {}", outcome.result));
            }
        }
    }
    StepReport {
        index,
        call,
        status: Some(outcome.status),
        code: Some(outcome.status.code()),
        meaning: Some(outcome.status.meaning()),
        result: Some(outcome.result),
        count: Some(outcome.count),
        pitfalls: Some(outcome.pitfalls),
        explanation: outcome.explanation,
        note: step.note.clone(),
        expect: step.expect.as_ref().map(|_| Met::from_bool(unmet.is_empty())),
        unmet,
    }
}

fn fingerprint(dict: &super::document::Dict) -> Option<(super::schema::Class, Vec<(String, String)>)> {
    let q = super::engine::query::parse(dict, super::store::Backend::DataProtection, None).ok()?;
    // Only a call that names primary-key attributes identifies an item.
    let attrs = super::engine::fingerprint_of(&q);
    (!attrs.is_empty()).then_some((q.class?, attrs))
}

/// Runs a whole document.
pub fn run(doc: &KeychainDoc, now: Instant) -> Result<KeychainReport, DocError> {
    let mut keychain = initial_keychain(doc, now)?;
    let mut device = Vec::with_capacity(doc.steps.len());
    let steps = run_steps_watched(&mut keychain, &doc.steps, |k| device.push(k.device));
    let ok = steps.iter().all(|s| s.expect != Some(Met::Unmet));
    let steps = steps.into_iter().map(Rc::new).collect();
    Ok(KeychainReport { ok, platform: doc.platform.name(), steps, keychain: Table::of(&keychain.store), device })
}

/// The keychain's items before and after step `n`, from one run of the steps up to it (the
/// same items as `keychain_after(n - 1)` and `keychain_after(n)`; both are the whole run's
/// end when `n` is past the last step).
pub fn keychain_around(doc: &KeychainDoc, n: usize, now: Instant) -> Result<(Vec<Row>, Vec<Row>), DocError> {
    let mut keychain = initial_keychain(doc, now)?;
    let start = keychain.now;
    run_steps(&mut keychain, &doc.steps[..n.min(doc.steps.len())]);
    let before = keychain_table(&keychain);
    if let Some(step) = doc.steps.get(n) {
        // The time `run_steps` gives step `n` in a whole run.
        keychain.now = Instant(start.unix().saturating_add(i64::try_from(n).unwrap_or(i64::MAX)));
        run_step(&mut keychain, n, step, true);
    }
    Ok((before, keychain_table(&keychain)))
}

/// The keychain as step `n` left it (every step when `n` is past the last one).
pub fn keychain_after(doc: &KeychainDoc, n: usize, now: Instant) -> Result<Vec<Row>, DocError> {
    let mut keychain = initial_keychain(doc, now)?;
    let end = n.saturating_add(1).min(doc.steps.len());
    run_steps(&mut keychain, &doc.steps[..end]);
    Ok(keychain_table(&keychain))
}

/// The keychain's items as report rows (class first, then attributes, data).
pub fn keychain_table(keychain: &Keychain) -> Vec<Row> {
    Table::of(&keychain.store).to_rows()
}
