//! The privacy and sign-in explainers: ATT, macOS screen capture consent, Platform SSO and
//! the error explainer. The gallery documents must meet their expectations and their
//! reports must say what the forum posters saw; tampered documents must fail; random event
//! sequences must never panic and must keep the models' invariants.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use keyplay::privacy::{att, tcc};
use keyplay::signin::{errors, psso};
use keyplay::stepper::StepperReport;
use keyplay::Instant;
use proptest::prelude::*;
use serde_json::{json, Value};

const NOW: Instant = Instant(1_795_867_200);

/// Where this suite's gallery documents live (the `privacy` and `signin` subdirectories).
fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn example(rel: &str) -> Value {
    let path = examples_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn all_examples() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in ["privacy", "signin"] {
        let mut names: Vec<_> = std::fs::read_dir(examples_dir().join(dir))
            .expect("examples directory")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{dir}/{name}");
            let value = example(&rel);
            out.push((rel, value));
        }
    }
    out
}

/// Runs a document of one of the four kinds; the report as JSON and whether it was ok.
fn run_doc(doc: &Value) -> Result<(Value, bool), keyplay::document::DocError> {
    let kind = doc["kind"].as_str().unwrap_or("");
    let now = doc["now"].as_str().map_or(NOW, |t| Instant::parse_rfc3339(t).expect("now"));
    let stepper = |r: StepperReport| (serde_json::to_value(&r).expect("serializes"), r.ok);
    Ok(match kind {
        "att" => stepper(att::run(&att::parse(doc.clone())?, now)),
        "tcc-screen-capture" => stepper(tcc::run(&tcc::parse(doc.clone())?, now)),
        "platform-sso" => stepper(psso::run(&psso::parse(doc.clone())?, now)),
        "error-explainer" => {
            let r = errors::run(&errors::parse(doc.clone())?, now);
            (serde_json::to_value(&r).expect("serializes"), r.ok)
        }
        other => panic!("unexpected kind {other}"),
    })
}

fn step(report: &Value, i: usize) -> &Value {
    &report["steps"][i]
}

fn explanation(report: &Value, i: usize) -> String {
    step(report, i)["explanation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_example_meets_its_expectations() {
    let examples = all_examples();
    assert!(examples.len() >= 11, "{}", examples.len());
    for (rel, doc) in examples {
        let (report, ok) = run_doc(&doc).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(ok, "{rel}: {report:#}");
        // Every stepper step with an expect reports "met"; nothing is left unmet.
        for s in report["steps"].as_array().into_iter().flatten() {
            assert!(s.get("unmet").is_none(), "{rel}: {s}");
        }
    }
}

#[test]
fn testflight_thread_report_explains_the_missing_prompt_and_switch() {
    let (report, _) = run_doc(&example("privacy/att-testflight-stuck-not-determined.json")).expect("runs");
    // The early request: no prompt because the app was not active, status stays notDetermined.
    let why = explanation(&report, 5);
    assert!(why.contains("not active"), "{why}");
    assert!(why.contains("notDetermined"), "{why}");
    // The missing switch: it appears only after the app asked on this install.
    assert!(explanation(&report, 6).contains("appears only after the app has asked"));
    // Deleting reset the earlier answer.
    assert!(explanation(&report, 3).contains("forgets this app's answer"));
    let summary = report["summary"].to_string();
    assert!(summary.contains("not active"), "{summary}");
    // The rules carry their sources; the inactive rule is documented.
    let sources = step(&report, 5)["sources"].to_string();
    assert!(sources.contains("requesttrackingauthorization"), "{sources}");
    assert!(sources.contains("\"documented\""), "{sources}");
}

#[test]
fn website_thread_report_separates_first_party_from_tracking() {
    let (report, _) = run_doc(&example("privacy/att-external-website.json")).expect("runs");
    assert_eq!(step(&report, 1)["state"]["website-flow"], json!("not tracking"));
    assert!(explanation(&report, 1).contains("not needed"));
    assert!(explanation(&report, 3).contains("even if you do not use it"));
    assert_eq!(step(&report, 7)["state"]["website-flow"], json!("tracking: permitted"));
}

#[test]
fn screen_capture_thread_marks_the_reboot_rule_as_reported() {
    let (report, _) = run_doc(&example("privacy/screen-capture-permission-disappears.json")).expect("runs");
    let s = step(&report, 10);
    assert_eq!(s["state"]["request-returned"], json!(false));
    assert_eq!(s["state"]["prompt"], json!("none"));
    assert!(explanation(&report, 10).contains("until the Mac restarts"));
    let evidence: Vec<&str> =
        s["sources"].as_array().into_iter().flatten().filter_map(|x| x["evidence"].as_str()).collect();
    assert_eq!(evidence, ["reported, not documented"]);
    assert!(report["summary"].to_string().contains("only a restart"));
}

#[test]
fn ad_hoc_rebuild_report_names_the_designated_requirement() {
    let (report, _) = run_doc(&example("privacy/screen-capture-ad-hoc-rebuild.json")).expect("runs");
    let before = step(&report, 0)["state"]["designated-requirement"].as_str().unwrap_or("").to_string();
    let after = step(&report, 5)["state"]["designated-requirement"].as_str().unwrap_or("").to_string();
    assert!(before.starts_with("cdhash H\""), "{before}");
    assert_ne!(before, after);
    assert!(explanation(&report, 7).contains("cdhash"));
    let signed = step(&report, 14)["state"]["designated-requirement"].as_str().unwrap_or("");
    assert!(signed.contains("certificate leaf[subject.OU] = SKMME9E2Y8"), "{signed}");
}

#[test]
fn msal_log_is_explained_in_order() {
    let (report, _) = run_doc(&example("signin/msal-offline-54-then-1003.json")).expect("runs");
    let found = report["found-in-log"].as_array().expect("found-in-log");
    assert_eq!(found.len(), 2, "{report}");
    assert_eq!(found[0]["code"], json!(-54));
    assert_eq!(found[1]["domain"], json!("com.apple.AuthenticationServices.AuthorizationError"));
    let matches = report["matches"].to_string();
    assert!(matches.contains("fall back"), "{matches}");
    assert!(matches.contains("reported, not documented"));
}

#[test]
fn error_lookup_by_number_and_name() {
    let ids = |q: &str| errors::lookup(q).iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids("1000"), ["ASAuthorizationError.unknown"]);
    assert_eq!(
        ids("Error Domain=com.apple.AuthenticationServices.AuthorizationError Code=1003"),
        ["ASAuthorizationError.notHandled"]
    );
    assert_eq!(ids("ASAuthorizationErrorNotInteractive"), ["ASAuthorizationError.notInteractive"]);
    assert_eq!(
        ids("presentationContextNotProvided"),
        ["ASWebAuthenticationSessionError.presentationContextNotProvided"]
    );
    assert_eq!(ids("-10814"), ["OSStatus.kLSApplicationNotFoundErr"]);
    assert!(ids("54").is_empty(), "-54 is negative; 54 is no code");
    assert!(ids("999").is_empty());
    // 1 is a code in two domains; the domain word picks one.
    assert_eq!(ids("1"), ["ASWebAuthenticationSessionError.canceledLogin", "ASExtensionError.userCanceled"]);
    let entry = errors::lookup("1006")[0];
    assert_eq!(entry.name, "matchedExcludedCredential");
    assert_eq!(entry.code, 1006);
}

/// Changing one expected value makes the step (and the document) unmet.
#[test]
fn tampered_expectations_are_unmet() {
    let cases = [
        ("privacy/att-testflight-stuck-not-determined.json", 5, "status", json!("denied")),
        ("privacy/att-external-website.json", 1, "website-flow", json!("tracking: permitted")),
        ("privacy/screen-capture-permission-disappears.json", 10, "prompt", json!("first-request alert")),
        ("signin/platform-sso-registration.json", 5, "tokens", json!("none")),
    ];
    for (rel, index, key, value) in cases {
        let mut doc = example(rel);
        doc["steps"][index]["expect"][key] = value.clone();
        let (report, ok) = run_doc(&doc).expect("runs");
        assert!(!ok, "{rel}");
        assert_eq!(step(&report, index)["expect"], json!("unmet"), "{rel}");
        let unmet = step(&report, index)["unmet"].to_string();
        assert!(unmet.contains(key), "{rel}: {unmet}");
    }
    let mut doc = example("signin/asauthorization-error-1003.json");
    doc["expect"]["matches"] = json!(["ASAuthorizationError.unknown"]);
    let (report, ok) = run_doc(&doc).expect("runs");
    assert!(!ok);
    assert_eq!(report["expect"], json!("unmet"));
}

#[test]
fn malformed_documents_get_pointers() {
    let cases = [
        (
            json!({"kind": "att", "steps": [{"request-tracking-authorisation": {}}]}),
            "/steps/0/request-tracking-authorisation",
            "did you mean request-tracking-authorization?",
        ),
        (
            json!({"kind": "att", "steps": [{"request-tracking-authorization": {"app-state": "asleep"}}]}),
            "/steps/0/request-tracking-authorization/app-state",
            "unknown value asleep",
        ),
        (
            json!({"kind": "att", "steps": [{"delete": {}, "expect": {"stauts": "denied"}}]}),
            "/steps/0/expect/stauts",
            "did you mean status?",
        ),
        (json!({"kind": "att", "steps": [{"user-responds": {}}]}), "/steps/0/user-responds", "choice"),
        (json!({"kind": "tcc-screen-capture", "steps": [{"wait": {"days": -1}}]}), "/steps/0/wait/days", ""),
        (json!({"kind": "tcc-screen-capture", "macos": "15", "steps": []}), "/macos", ""),
        (
            json!({"kind": "platform-sso", "steps": [{"login": {"idp": "down"}}]}),
            "/steps/0/login/idp",
            "unknown value down",
        ),
        (json!({"kind": "platform-sso", "steps": [], "expect": {}}), "/expect", "on each step"),
        (json!({"kind": "platform-sso"}), "/steps", "missing steps"),
    ];
    for (doc, path, message) in cases {
        let err = run_doc(&doc).expect_err("refused");
        assert_eq!(err.path, path, "{doc}: {err}");
        assert!(err.message.contains(message), "{doc}: {err}");
    }
    let both = json!({"kind": "error-explainer", "query": "1", "log": "x"});
    assert_eq!(run_doc(&both).expect_err("both").path, "/log");
    let none = json!({"kind": "error-explainer"});
    assert_eq!(run_doc(&none).expect_err("none").path, "/query");
    let typo = json!({"kind": "error-explainer", "qurey": "1"});
    assert!(run_doc(&typo).expect_err("typo").message.contains("did you mean query?"));
}

#[test]
fn stepper_state_keeps_the_model_order() {
    let (report, _) = run_doc(&example("privacy/att-settings-and-restrictions.json")).expect("runs");
    let text = serde_json::to_string(&step(&report, 0)["state"]).expect("serializes");
    let installed = text.find("\"installed\"").expect("installed");
    let status = text.find("\"status\"").expect("status");
    let identifier = text.find("\"advertising-identifier\"").expect("idfa");
    assert!(installed < status && status < identifier, "{text}");
}

fn att_event() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["development", "testflight", "app-store"]).prop_map(|b| json!({"install": {"build": b}})),
        Just(json!("delete")),
        (prop::sample::select(vec!["active", "inactive", "background"]), any::<bool>(), any::<bool>()).prop_map(|(s, p, e)| json!({"request-tracking-authorization": {"app-state": s, "other-prompt-pending": p, "from-extension": e}})),
        prop::sample::select(vec!["allow", "ask-app-not-to-track"]).prop_map(|c| json!({"user-responds": {"choice": c}})),
        Just(json!("read-status")),
        (any::<bool>(), prop::sample::select(vec!["let-allowed-continue", "ask-all-to-stop"])).prop_map(|(on, w)| json!({"allow-apps-to-request": {"on": on, "when-turned-off": w}})),
        any::<bool>().prop_map(|on| json!({"app-switch": {"on": on}})),
        prop::sample::select(vec![Value::Null, json!("mdm-profile"), json!("child-account")]).prop_map(|r| json!({"restriction": {"reason": r}})),
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(o, d, t)| json!({"open-website": {"owner": if o {"same-company"} else {"other-company"}, "data-broker": d, "third-party-sdk": t}})),
    ]
}

fn tcc_event() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["ad-hoc", "apple-development", "developer-id"])
            .prop_map(|s| json!({"install": {"signing": s}})),
        Just(json!("rebuild")),
        prop::sample::select(vec!["ad-hoc", "developer-id"]).prop_map(|s| json!({"re-sign": {"signing": s}})),
        Just(json!({"move": {"path": "/tmp/R.app"}})),
        Just(json!("launch")),
        Just(json!("quit")),
        Just(json!("preflight")),
        Just(json!("request")),
        Just(json!("capture")),
        any::<bool>().prop_map(|on| json!({"settings-switch": {"on": on}})),
        Just(json!("settings-remove")),
        Just(json!("settings-add")),
        Just(json!({"tccutil-reset": {}})),
        Just(json!("reboot")),
        (0u32..400).prop_map(|d| json!({"wait": {"days": d}})),
        any::<bool>().prop_map(|a| json!({"reconfirm": {"allow": a}})),
    ]
}

fn psso_event() -> impl Strategy<Value = Value> {
    let result = prop::sample::select(vec!["success", "failed", "failed-no-retry", "user-interface-required"]);
    let idp = prop::sample::select(vec!["ok", "rejects-nonce", "unknown-device-key", "unreachable"]);
    prop_oneof![
        (prop::sample::select(vec!["password", "secure-enclave-key", "smart-card"]), any::<bool>()).prop_map(|(m, t)| json!({"profile-installed": {"method": m, "registration-token": t}})),
        (result.clone(), any::<bool>(), any::<bool>()).prop_map(|(r, ui, save)| json!({"device-registration": {"result": r, "presents-ui": ui, "saves-login-configuration": save}})),
        Just(json!("user-clicks-notification")),
        (result, any::<bool>(), any::<bool>()).prop_map(|(r, ui, reuse)| json!({"user-registration": {"result": r, "presents-ui": ui, "reuses-device-registration-session": reuse}})),
        idp.clone().prop_map(|i| json!({"login": {"idp": i}})),
        idp.prop_map(|i| json!({"refresh": {"idp": i}})),
        any::<bool>().prop_map(|s| json!({"app-requests-sso": {"saml": s}})),
        Just(json!("repair")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// ATT: the advertising identifier is available exactly when authorized; an app that is
    /// not installed has no switch; a prompt shows only from notDetermined.
    #[test]
    fn att_random_sequences_keep_invariants(events in prop::collection::vec(att_event(), 0..24)) {
        let doc = att::parse(json!({"steps": events})).expect("generated documents parse");
        let report = att::run(&doc, NOW);
        let mut before = json!("notDetermined");
        for s in &report.steps {
            let status = s.state.get("status").cloned().unwrap_or(Value::Null);
            let idfa = s.state.get("advertising-identifier").cloned().unwrap_or(Value::Null);
            prop_assert_eq!(status == json!("authorized"), idfa == json!("available"));
            if s.state.get("installed") == Some(&json!(false)) {
                prop_assert_eq!(s.state.get("app-switch"), Some(&json!("absent")));
            }
            if s.state.get("prompt-shown") == Some(&json!(true)) {
                prop_assert_eq!(&before, &json!("notDetermined"));
            }
            before = status;
            prop_assert!(!s.explanation.is_empty());
        }
    }

    /// TCC: preflight is true only with an entry that is on and matches the code.
    #[test]
    fn tcc_random_sequences_keep_invariants(events in prop::collection::vec(tcc_event(), 0..28), macos in 13u32..27) {
        let doc = tcc::parse(json!({"macos": macos, "steps": events})).expect("generated documents parse");
        let report = tcc::run(&doc, NOW);
        for s in &report.steps {
            if s.state.get("preflight") == Some(&json!(true)) {
                prop_assert_eq!(s.state.get("entry"), Some(&json!("on")));
                prop_assert_eq!(s.state.get("entry-matches-code"), Some(&json!(true)));
            }
            if s.state.get("request-returned") == Some(&json!(true)) {
                prop_assert_eq!(s.state.get("prompt"), Some(&json!("none")));
            }
        }
    }

    /// Platform SSO: a signed-in login has tokens; a login never signs in an unregistered user.
    #[test]
    fn psso_random_sequences_keep_invariants(events in prop::collection::vec(psso_event(), 0..24)) {
        let doc = psso::parse(json!({"steps": events})).expect("generated documents parse");
        let report = psso::run(&doc, NOW);
        for s in &report.steps {
            if s.event == "login" && s.state.get("login").and_then(Value::as_str).is_some_and(|l| l.starts_with("signed in")) {
                prop_assert_eq!(s.state.get("device-registration"), Some(&json!("registered")));
                prop_assert_eq!(s.state.get("user-registration"), Some(&json!("registered")));
                prop_assert_eq!(s.state.get("tokens"), Some(&json!("id_token + refresh_token")));
            }
        }
    }

    /// Arbitrary text never panics the lookup, the log scanner or the parsers.
    #[test]
    fn arbitrary_input_never_panics(text in ".{0,120}", key in "[a-z-]{1,12}", n in any::<i64>()) {
        let _ = errors::lookup(&text);
        let _ = errors::scan_log(&text);
        let _ = errors::scan_log(&format!("Domain={text} Code={n}"));
        for doc in [
            json!({"steps": [{key.clone(): {}}]}),
            json!({"steps": [{key.clone(): text.clone()}]}),
            json!({"steps": [text.clone()]}),
            json!({"steps": [{"wait": {"days": n}}]}),
            json!({"query": text.clone()}),
        ] {
            if let Ok(d) = att::parse(doc.clone()) { let _ = att::run(&d, NOW); }
            if let Ok(d) = tcc::parse(doc.clone()) { let _ = tcc::run(&d, NOW); }
            if let Ok(d) = psso::parse(doc.clone()) { let _ = psso::run(&d, NOW); }
            if let Ok(d) = errors::parse(doc.clone()) { let _ = errors::run(&d, NOW); }
        }
    }
}

/// Through the dispatcher, as `keyplay run` runs them: the kind, exit 0, and the report shape.
#[test]
fn the_dispatcher_runs_the_new_kinds() {
    for (rel, doc) in all_examples() {
        let report = keyplay::run::run(doc.clone(), NOW);
        let printed = report.printed();
        assert_eq!(printed.exit, 0, "{rel}: {}", printed.report);
        assert_eq!(printed.report["kind"], doc["kind"], "{rel}");
        assert_eq!(printed.report["ok"], json!(true), "{rel}");
    }
    // A top-level expect on a stepper kind, and an unmet explainer expectation.
    let bad = json!({"keyplay": 1, "kind": "att", "steps": [], "expect": {"status": "denied"}});
    assert_eq!(keyplay::run::run(bad, NOW).printed().exit, 2);
    let unmet = json!({"keyplay": 1, "kind": "error-explainer", "query": "1003", "expect": {"matches": []}});
    let printed = keyplay::run::run(unmet, NOW).printed();
    assert_eq!(printed.exit, 1, "{}", printed.report);
    assert_eq!(printed.report["expect"], json!("unmet"));
    let typo = json!({"keyplay": 1, "kind": "platfrom-sso", "steps": []});
    let printed = keyplay::run::run(typo, NOW).printed();
    assert!(
        printed.report["error"]["message"].as_str().unwrap_or("").contains("did you mean platform-sso?"),
        "{}",
        printed.report
    );
}
