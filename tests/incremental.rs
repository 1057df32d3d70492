//! Incremental runs give the answers of whole runs: random keychain documents, random edits
//! (a step replaced, inserted, removed or appended, the device or the initial items changed),
//! each run again from what the previous run kept, compared with a whole run of the edited
//! document; and the steps before the first change are reused, not re-run.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

use keyplay::keychain::incremental::{self, EVERY};
use keyplay::keychain::{document, run};
use keyplay::report::Met;
use keyplay::Instant;
use proptest::prelude::*;
use serde_json::{json, Value};

const NOW: Instant = Instant(1_800_000_000);

/// One step from a small vocabulary, so that steps collide (duplicates, misses, locked reads).
fn step() -> impl Strategy<Value = Value> {
    let service = prop_oneof![Just("a"), Just("b")];
    let account = prop_oneof![Just("x"), Just("y"), Just("z")];
    let class = Just("kSecClassGenericPassword");
    prop_oneof![
        (
            service.clone(),
            account.clone(),
            prop_oneof![Just("kSecAttrAccessibleWhenUnlocked"), Just("kSecAttrAccessibleAfterFirstUnlock")]
        )
            .prop_map(
                move |(s, a, p)| json!({"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": s,
                "kSecAttrAccount": a, "kSecAttrAccessible": p, "kSecValueData": {"utf8": format!("{s}{a}")}}})
            ),
        (service.clone(), any::<bool>()).prop_map(move |(s, all)| {
            let mut q = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": s, "kSecReturnData": true});
            if all {
                q["kSecMatchLimit"] = json!("kSecMatchLimitAll");
                q["kSecReturnAttributes"] = json!(true);
            }
            json!({"SecItemCopyMatching": q})
        }),
        (service.clone(), account.clone(), account.clone()).prop_map(move |(s, a, b)| json!({"SecItemUpdate": {
            "query": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": s, "kSecAttrAccount": a},
            "attributes": {"kSecAttrAccount": b}}})),
        (class, account).prop_map(|(c, a)| json!({"SecItemDelete": {"kSecClass": c, "kSecAttrAccount": a}})),
        any::<bool>().prop_map(|locked| json!({"device": {"locked": locked}})),
        Just(json!({"reboot": {}})),
        Just(json!({"biometry": "changed"})),
    ]
    .prop_flat_map(|s| (Just(s), proptest::option::of(prop_oneof![Just("errSecSuccess"), Just("errSecItemNotFound")])))
    .prop_map(|(mut s, expect)| {
        if let Some(status) = expect {
            s["expect"] = json!({"status": status});
        }
        s
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, Value),
    Insert(usize, Value),
    Remove(usize),
    Append(Value),
    Lock(bool),
    Seed,
    Nothing,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), step()).prop_map(|(i, s)| Edit::Replace(i, s)),
        2 => (any::<usize>(), step()).prop_map(|(i, s)| Edit::Insert(i, s)),
        2 => any::<usize>().prop_map(Edit::Remove),
        2 => step().prop_map(Edit::Append),
        1 => any::<bool>().prop_map(Edit::Lock),
        1 => Just(Edit::Seed),
        1 => Just(Edit::Nothing),
    ]
}

fn apply(doc: &mut Value, edit: &Edit) {
    let steps = doc["steps"].as_array_mut().unwrap();
    let n = steps.len();
    match edit.clone() {
        Edit::Replace(i, s) if n > 0 => steps[i % n] = s,
        Edit::Insert(i, s) => steps.insert(i % (n + 1), s),
        Edit::Remove(i) if n > 0 => {
            steps.remove(i % n);
        }
        Edit::Append(s) => steps.push(s),
        Edit::Lock(locked) => doc["device"] = json!({"locked": locked}),
        Edit::Seed => {
            doc["keychain"] =
                json!([{"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "a", "kSecAttrAccount": "x"}])
        }
        _ => {}
    }
}

/// The step the next run may resume from: the last kept copy at or before the first change,
/// or every step when none changed.
fn expected_reuse(old: &Value, new: &Value) -> usize {
    let same_start = ["device", "keychain"].iter().all(|k| old.get(k) == new.get(k));
    if !same_start {
        return 0;
    }
    let (a, b) = (old["steps"].as_array().unwrap(), new["steps"].as_array().unwrap());
    if a == b {
        return a.len();
    }
    let first = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    (0..a.len()).step_by(EVERY).filter(|&k| k <= first).max().unwrap_or(0)
}

/// Whether an edit's run reused as many steps as it may: [`expected_reuse`], or, when the
/// edit only added steps after a document whose length is a multiple of [`EVERY`], that whole
/// length (a copy kept before that step by an earlier, longer version of the document still
/// stands: it is the keychain after every step the two versions share).
fn reuse_is_right(old: &Value, new: &Value, reused: usize) -> bool {
    let expected = expected_reuse(old, new);
    let a = old["steps"].as_array().map_or(0, Vec::len);
    let b = new["steps"].as_array().map_or(0, Vec::len);
    let appended = b > a && old["steps"].as_array().zip(new["steps"].as_array()).is_some_and(|(x, y)| y.starts_with(x));
    reused == expected || (appended && a > 0 && a.is_multiple_of(EVERY) && reused == a)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn an_incremental_run_equals_a_whole_run(
        steps in proptest::collection::vec(step(), 0..3 * EVERY),
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut doc = json!({"platform": "ios", "steps": steps});
        let parsed = document::parse(doc.clone()).unwrap();
        let mut outcome = incremental::run(parsed.clone(), NOW, None).unwrap();
        prop_assert_eq!(&*outcome.report, &run(&parsed, NOW).unwrap());
        prop_assert_eq!(outcome.reused, 0);
        for e in &edits {
            let before = doc.clone();
            apply(&mut doc, e);
            let parsed = document::parse(doc.clone()).unwrap();
            let next = incremental::run(parsed.clone(), NOW, Some((&outcome.memo, &outcome.report))).unwrap();
            prop_assert_eq!(&*next.report, &run(&parsed, NOW).unwrap(), "after {:?}", e);
            prop_assert!(
                reuse_is_right(&before, &doc, next.reused),
                "after {:?}: reused {}, expected {}",
                e,
                next.reused,
                expected_reuse(&before, &doc)
            );
            outcome = next;
        }
    }
}

#[test]
fn another_time_or_platform_is_a_whole_run() {
    let doc = document::parse(json!({"platform": "ios", "steps": vec![json!({"reboot": {}}); 2 * EVERY]})).unwrap();
    let first = incremental::run(doc.clone(), NOW, None).unwrap();
    let same = incremental::run(doc.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert_eq!(same.reused, 2 * EVERY, "an unchanged document reuses every step");
    assert_eq!(same.report, first.report);
    let later = incremental::run(doc.clone(), Instant(NOW.0 + 1), Some((&first.memo, &first.report))).unwrap();
    assert_eq!(later.reused, 0);
    let mut mac = doc.clone();
    mac.platform = keyplay::keychain::Platform::Macos;
    let other = incremental::run(mac.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert_eq!((other.reused, &*other.report), (0, &run(&mac, NOW).unwrap()));
}

#[test]
fn steps_are_compared_by_their_json_and_a_document_without_fingerprints_runs_whole() {
    let copy = |order: bool| {
        let text = if order {
            r#"{"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "a"}}"#
        } else {
            r#"{"SecItemCopyMatching": {"kSecAttrService": "a", "kSecClass": "kSecClassGenericPassword"}}"#
        };
        serde_json::from_str::<Value>(text).unwrap()
    };
    let steps: Vec<Value> = (0..2 * EVERY + 3).map(|_| copy(true)).collect();
    let mut doc = json!({"platform": "ios", "steps": steps});
    let parsed = document::parse(doc.clone()).unwrap();
    assert_eq!(parsed.fingerprint.steps.len(), parsed.steps.len());
    let first = incremental::run(parsed.clone(), NOW, None).unwrap();
    // The same dictionary with its keys in another order is another step (its keys keep their order).
    doc["steps"][EVERY + 1] = copy(false);
    let reordered = document::parse(doc.clone()).unwrap();
    let next = incremental::run(reordered.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert_eq!(next.reused, EVERY, "resumed from the copy kept before the reordered step");
    assert_eq!(*next.report, run(&reordered, NOW).unwrap());
    assert!(
        (0..EVERY).all(|i| std::rc::Rc::ptr_eq(&first.report.steps[i], &next.report.steps[i])),
        "the reused steps' reports are shared with the report before, not copied"
    );
    // A document that was not parsed from JSON has no fingerprints: nothing is reused.
    let bare = keyplay::keychain::KeychainDoc { fingerprint: Default::default(), ..parsed.clone() };
    let again = incremental::run(bare.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert_eq!(again.reused, 0);
    let after_bare = incremental::run(parsed.clone(), NOW, Some((&again.memo, &again.report))).unwrap();
    assert_eq!(after_bare.reused, 0, "nor from a memo of such a document");
    assert_eq!(*after_bare.report, run(&parsed, NOW).unwrap());
}

#[test]
fn a_resumed_run_keeps_the_budget_of_returned_items() {
    // Enough copy-everything steps to pass the result budget before the kept keychain at EVERY.
    let items: Vec<Value> = (0..keyplay::limits::KEYCHAIN_ITEMS)
        .map(|i| json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": format!("a{i}")}))
        .collect();
    let per_step = items.len();
    let copies = keyplay::limits::RESULT_ITEMS / per_step + EVERY + 4;
    let copy = json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true}});
    let mut doc = json!({"keychain": items, "steps": vec![copy; copies]});
    let parsed = document::parse(doc.clone()).unwrap();
    let first = incremental::run(parsed.clone(), NOW, None).unwrap();
    doc["steps"][copies - 1] = json!({"reboot": {}});
    let parsed = document::parse(doc).unwrap();
    let next = incremental::run(parsed.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert!(next.reused > keyplay::limits::RESULT_ITEMS / per_step, "resumed after the budget ran out");
    let whole = run(&parsed, NOW).unwrap();
    assert!(whole.steps[next.reused].result.is_none(), "the whole run leaves this result out");
    assert_eq!(*next.report, whole);
}

#[test]
fn the_byte_budget_leaves_out_results_and_survives_a_resume() {
    // 100 items of a 250th of the byte budget each: every copy-everything-with-data returns
    // about 0.4 of the budget, so the third passes it long before the item budget (300 items
    // of 2 000).
    let size = keyplay::limits::RESULT_BYTES / 250;
    let items: Vec<Value> = (0..100)
        .map(|i| {
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": format!("a{i}"),
            "kSecValueData": {"utf8": "d".repeat(size)}})
        })
        .collect();
    let copies = EVERY + 6;
    let copy = json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll",
        "kSecReturnAttributes": true, "kSecReturnData": true}});
    let mut doc = json!({"keychain": items, "steps": vec![copy; copies]});
    let parsed = document::parse(doc.clone()).unwrap();
    let whole = run(&parsed, NOW).unwrap();
    let kept: Vec<bool> = whole.steps.iter().map(|s| s.result.is_some()).collect();
    assert_eq!(&kept[..4], [true, true, false, false], "two results fit in the budget, the third does not");
    assert!(kept[2..].iter().all(|k| !k), "once spent, the budget stays spent");
    let third = &whole.steps[2];
    assert_eq!(third.count, Some(100), "a step whose result is left out still says how many items it found");
    assert!(
        third
            .explanation
            .iter()
            .any(|l| l.starts_with("the result is left out of this report: limit result-bytes exceeded")),
        "{:?}",
        third.explanation
    );
    // The copies after it are counted without building their results: the report says the same.
    let fourth = &whole.steps[3];
    assert_eq!(fourth.count, Some(100), "{fourth:?}");
    assert_eq!(fourth.explanation.last().map(|l| l.starts_with("the result is left out")), Some(true), "{fourth:?}");
    // Resumed from a keychain kept after the budget was spent, the run says the same.
    let first = incremental::run(parsed, NOW, None).unwrap();
    doc["steps"][copies - 1] = json!({"reboot": {}});
    let parsed = document::parse(doc).unwrap();
    let next = incremental::run(parsed.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert!(next.reused >= EVERY, "resumed from the kept keychain");
    assert_eq!(*next.report, run(&parsed, NOW).unwrap());
}

#[test]
fn a_result_expected_past_the_budget_is_still_built_and_compared() {
    let items: Vec<Value> = (0..100)
        .map(|i| {
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": format!("a{i}"),
            "kSecValueData": {"utf8": if i == 7 { "seven".to_owned() } else { "d".repeat(8 * 1024) }}})
        })
        .collect();
    let copy_all = json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecMatchLimit": "kSecMatchLimitAll",
        "kSecReturnAttributes": true, "kSecReturnData": true}});
    let one = |want: &str| {
        json!({"SecItemCopyMatching": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s",
            "kSecAttrAccount": "a7", "kSecReturnData": true}, "expect": {"result": {"utf8": want}}})
    };
    let doc =
        json!({"keychain": items, "steps": [copy_all.clone(), copy_all.clone(), copy_all, one("seven"), one("eight")]});
    let report = run(&document::parse(doc).unwrap(), NOW).unwrap();
    assert!(report.steps[2].result.is_none(), "the budget is spent by the third copy");
    assert_eq!(report.steps[3].expect, Some(Met::Met), "{:?}", report.steps[3]);
    assert_eq!(report.steps[4].expect, Some(Met::Unmet), "{:?}", report.steps[4]);
    assert!(report.steps[4].unmet.iter().any(|u| u.contains("\"seven\"")), "{:?}", report.steps[4].unmet);
}

#[test]
fn kept_keychains_past_their_budget_are_thinned_and_resume_the_same() {
    // 40 items of 12 KB, every one changed by each step: each kept copy shares nothing with
    // the one before, about 0.5 MB apiece. At the fifth copy (step 128) the copies pass
    // KEPT_BYTES and are thinned to one every 2 × EVERY steps: 64 and 128 (there is none before
    // step 0: an edit before step 64 runs whole).
    let items: Vec<Value> = (0..40)
        .map(|i| {
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s", "kSecAttrAccount": format!("a{i}"),
            "kSecValueData": {"utf8": "d".repeat(12 * 1024)}})
        })
        .collect();
    let update = |n: usize| {
        json!({"SecItemUpdate": {"query": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s"},
        "attributes": {"kSecAttrLabel": format!("label {n}")}}})
    };
    let mut doc = json!({"keychain": items, "steps": (0..6 * EVERY).map(update).collect::<Vec<_>>()});
    let parsed = document::parse(doc.clone()).unwrap();
    let first = incremental::run(parsed.clone(), NOW, None).unwrap();
    assert_eq!(*first.report, run(&parsed, NOW).unwrap());
    for (changed, resumes_at) in [(150, 4 * EVERY), (100, 2 * EVERY), (20, 0)] {
        doc["steps"][changed] = json!({"reboot": {}});
        let parsed = document::parse(doc.clone()).unwrap();
        let next = incremental::run(parsed.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
        assert_eq!(next.reused, resumes_at, "an edit of step {changed} resumes from the last copy kept before it");
        assert_eq!(*next.report, run(&parsed, NOW).unwrap(), "after an edit of step {changed}");
        doc["steps"][changed] = update(changed);
    }
}

#[test]
fn items_the_last_keychain_still_holds_cost_the_kept_copies_nothing() {
    // 240 adds of 10 KB: 2.4 MB of items, more than KEPT_BYTES, but every item a copy holds
    // is still in the keychain the run ends with (which the report's table keeps), so only
    // the copies' indexes count and all seven copies stay: an edit of the last step resumes
    // from the copy before step 224, not from the start.
    let add = |i: usize| {
        json!({"SecItemAdd": {"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "s",
        "kSecAttrAccount": format!("a{i}"), "kSecValueData": {"utf8": "d".repeat(10 * 1024)}}})
    };
    let steps: Vec<Value> = (0..240).map(add).collect();
    let mut doc = json!({"steps": steps});
    let parsed = document::parse(doc.clone()).unwrap();
    let first = incremental::run(parsed, NOW, None).unwrap();
    doc["steps"][239] = json!({"reboot": {}});
    let parsed = document::parse(doc).unwrap();
    let next = incremental::run(parsed.clone(), NOW, Some((&first.memo, &first.report))).unwrap();
    assert_eq!(next.reused, 7 * EVERY, "resumes from the last copy");
    assert_eq!(*next.report, run(&parsed, NOW).unwrap());
}
