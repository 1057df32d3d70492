//! The page's worker messages (`keyplay::wire`): every validator example's report crosses and
//! reads back equal, figures included; a message that is not one is an error, never a panic.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use keyplay::document::Kind;
use keyplay::gallery::EXAMPLES;
use keyplay::import::evidence::{import, Source};
use keyplay::report::Report;
use keyplay::wire::{decode, encode, Answer, Job, Outcome, Task};
use keyplay::Instant;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CLOCK: Instant = Instant(1_764_400_000);

fn kind_of(text: &str) -> Option<Kind> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Kind::from_name(value.get("kind")?.as_str()?)
}

/// What the worker sends for `task`, as the page reads it.
fn answer_to(id: u64, task: Task) -> Answer {
    let job: Job = decode(&encode(&Job { id, task }).unwrap()).unwrap();
    decode(&encode(&job.answer()).unwrap()).unwrap()
}

/// What the worker sends for a run of `text`, as the page reads it.
fn across(id: u64, text: &str) -> Answer {
    answer_to(id, Task::Run { text: text.to_owned(), now: CLOCK })
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_validator_example_reads_back_as_the_report_it_gave() {
    let mut crossed = 0;
    let mut figures = 0;
    for (path, text) in EXAMPLES {
        let Some(kind) = kind_of(text).filter(|k| k.is_validator()) else { continue };
        let answer = across(7, text);
        assert_eq!(answer.id, 7, "{path}");
        let here = keyplay::run_text(text, CLOCK);
        assert_eq!(answer.outcome.clone().into_report(), here, "{path}: the report read back differs");
        let Outcome::Verdict(verdict) = answer.outcome else { panic!("{path}: not a verdict") };
        assert_eq!(verdict.kind, kind, "{path}");
        figures += verdict.verdict.figures.len();
        crossed += 1;
    }
    assert!(crossed >= 40, "only {crossed} validator examples");
    assert!(figures >= 10, "the examples' verdicts carry only {figures} figures");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_document_the_worker_cannot_read_is_a_document_error() {
    let Outcome::NotUnderstood(error) = across(1, "{\"keyplay\": 1, \"kind\": \"jwt\"").outcome else {
        panic!("not JSON is not understood")
    };
    assert!(!error.message.is_empty());
    // The worker checks validator documents only: a keychain document is refused by name.
    let keychain = "{\"keyplay\": 1, \"kind\": \"keychain\", \"steps\": []}";
    let Outcome::NotUnderstood(error) = across(2, keychain).outcome else { panic!("a keychain document") };
    assert_eq!(error.path, "/kind");
    assert!(error.message.contains("keychain"), "{}", error.message);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fixture_sets_cross_as_the_page_lists_them() {
    let mut crossed = 0;
    for (path, text) in EXAMPLES {
        let Some(kind) = kind_of(text).filter(|k| keyplay::fixtures::KINDS.contains(k)) else { continue };
        let answer = answer_to(9, Task::Fixtures { text: (*text).to_owned() });
        assert_eq!(answer.id, 9);
        match keyplay::fixtures::derive(text) {
            Ok(set) => {
                let listing = answer.outcome.into_fixtures().unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert_eq!(listing, set.listing(), "{path}");
                assert_eq!(listing.kind, kind.name(), "{path}");
                assert_eq!(listing.text, set.to_json_text(), "{path}: the download differs");
                assert_eq!(listing.negatives.len(), set.negatives.len(), "{path}");
                crossed += 1;
            }
            Err(error) => assert_eq!(answer.outcome.into_fixtures(), Err(error), "{path}"),
        }
    }
    assert!(crossed >= 10, "only {crossed} fixture sets");
    // A fixture set is not a report, nor a report a fixture set.
    let keychain = "{\"keyplay\": 1, \"kind\": \"keychain\", \"steps\": []}";
    let refused = answer_to(4, Task::Fixtures { text: keychain.to_owned() }).outcome.into_fixtures();
    assert!(refused.is_err_and(|e| e.path == "/kind"));
    let (_, jwt) = EXAMPLES.iter().find(|(_, t)| kind_of(t) == Some(Kind::Jwt)).expect("a JWT example");
    let listing = answer_to(5, Task::Fixtures { text: (*jwt).to_owned() }).outcome;
    assert!(
        matches!(listing.into_report(), Report::NotUnderstood(e) if e.message.contains("fixture set where a report"))
    );
    let verdict = across(6, jwt).outcome.into_fixtures();
    assert!(verdict.is_err_and(|e| e.message.contains("a report where a fixture set")));
}

/// Evidence the importers are tested on: each source's files (Swift and Objective-C wrappers,
/// entitlements, profiles in DER and BER, dumps), a file read as the wrong source, and one cut
/// short.
const EVIDENCE: &[(Source, &[u8])] = &[
    (Source::Swift, include_bytes!("import/wrappers/keychain-swift.swift")),
    (Source::Swift, include_bytes!("import/wrappers/valet.swift")),
    (Source::Swift, include_bytes!("import/wrappers/sam-keychain.m")),
    (Source::Swift, include_bytes!("codegen/face-id.swift")),
    (Source::Entitlements, include_bytes!("import/codesign-text-ios.txt")),
    (Source::Entitlements, include_bytes!("import/codesign-xml-macos.txt")),
    (Source::Entitlements, include_bytes!("import/waffle.entitlements")),
    (Source::Profile, include_bytes!("import/waffle-der.mobileprovision")),
    (Source::Profile, include_bytes!("import/waffle-ber.mobileprovision")),
    (Source::Dump, include_bytes!("import/dump-keychain.txt")),
    (Source::Dump, include_bytes!("import/dump-swift.txt")),
    (Source::Profile, include_bytes!("import/dump-keychain.txt")),
    (Source::Profile, include_bytes!("import/waffle-der.mobileprovision").split_at(700).0),
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn evidence_crosses_as_the_importer_read_it() {
    let (mut read, mut refused, mut flagged) = (0, 0, 0);
    for (n, (source, bytes)) in EVIDENCE.iter().enumerate() {
        // A profile compared with the app's signed entitlements, and a placeholder filled.
        let signed: Option<&[u8]> =
            (*source == Source::Profile).then_some(include_bytes!("import/codesign-text-ios.txt"));
        let fills = vec![("service".to_owned(), "AYS".to_owned())];
        let here = import(*source, bytes, signed, &fills, CLOCK);
        let task = Task::Import {
            source: *source,
            bytes: bytes.to_vec(),
            signed: signed.map(<[u8]>::to_vec),
            fills,
            now: CLOCK,
        };
        let there = answer_to(n as u64 + 20, task);
        assert_eq!(there.id, n as u64 + 20);
        assert_eq!(there.outcome.into_evidence(), here, "evidence {n} ({})", source.name());
        match here {
            Ok(evidence) => {
                read += 1;
                flagged += evidence.flags.len();
            }
            Err(_) => refused += 1,
        }
    }
    assert!(read >= 10 && refused >= 2 && flagged >= 1, "{read} read, {refused} refused, {flagged} flags");
    // Evidence is not a report, nor a report evidence; a message naming no source is an error.
    let (_, jwt) = EXAMPLES.iter().find(|(_, t)| kind_of(t) == Some(Kind::Jwt)).expect("a JWT example");
    assert!(across(3, jwt).outcome.into_evidence().is_err_and(|e| e.message.contains("a report where evidence")));
    let swift =
        Task::Import { source: Source::Swift, bytes: b"let x = 1".to_vec(), signed: None, fills: vec![], now: CLOCK };
    let message = encode(&Job { id: 1, task: swift }).unwrap().replace("\"swift\"", "\"kotlin\"");
    let error = decode::<Job>(&message).expect_err("no such source");
    assert!(error.to_string().contains("no evidence source is called kotlin"), "{error}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_message_that_is_not_an_answer_is_an_error() {
    let (path, text) =
        EXAMPLES.iter().find(|(_, text)| kind_of(text) == Some(Kind::AppAttest)).expect("an App Attest example");
    let good = encode(&across(3, text)).unwrap();
    assert!(good.contains("\"figures\""), "{path}");
    // Cut short, from another version (an id no table has, a kind no table has), or not JSON.
    let id = good.find("\"id\":\"").expect("a check id") + 6;
    let renamed = format!("{}zz-{}", &good[..id], &good[id..]);
    let kind = good.replacen("\"app-attest\"", "\"app-attest-v9\"", 1);
    for (bad, what) in [
        (&good[..good.len() / 2], "EOF"),
        (renamed.as_str(), "no validator has a check with the id zz-"),
        (kind.as_str(), "no document kind is called app-attest-v9"),
        ("[]", "expected struct Answer"),
    ] {
        let error = decode::<Answer>(bad).expect_err(what);
        assert!(error.to_string().contains(what), "{what}: {error}");
        assert!(error.to_string().starts_with("the validator worker's message could not be read"), "{error}");
    }
    // A time is read back as written, also one outside RFC 3339's years.
    for instant in [Instant(0), Instant(-1), Instant(253_402_300_800), Instant(i64::MAX)] {
        assert_eq!(decode::<Instant>(&encode(&instant).unwrap()).unwrap(), instant);
    }
    assert!(decode::<Instant>("\"yesterday\"").is_err());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn only_validator_kinds_go_to_the_worker() {
    for kind in Kind::ALL {
        assert_eq!(kind.is_validator(), !keyplay::run::check_ids(*kind).is_empty(), "{}", kind.name());
    }
    let report = keyplay::run_text("{\"keyplay\": 1, \"kind\": \"att\", \"steps\": []}", CLOCK);
    assert!(!matches!(report, Report::Verdict(_)));
}
