//! The one dispatcher: parse a document's envelope once, run its kind's engine once, apply
//! its `expect` once, and hand back a typed [`Report`]. This is the only module that knows
//! every kind; the page, the command line and the tests all come through here.

use serde_json::Value;

#[cfg(feature = "validators")]
use crate::document::parse_typed;
use crate::document::{self, DocError, Kind, Split};
use crate::instant::Instant;
use crate::privacy::{att, tcc};
#[cfg(feature = "validators")]
use crate::report::{Met, VerdictReport};
use crate::report::{Report, StepperRun};
use crate::signin::{errors, psso};
#[cfg(feature = "validators")]
use crate::validator::{Expectation, Verdict};
use crate::{app_attest, devicecheck, jwt, keychain, siwa_server, webauthn};

/// Parses JSON text and runs it. `clock` is the current time, used when the document has
/// no `now` of its own.
/// Input over a limit (`crate::limits`) is refused before it is parsed.
pub fn run_text(text: &str, clock: Instant) -> Report {
    checked_json(text).map_or_else(Report::NotUnderstood, |value| run(value, clock))
}

/// [`run_text`] for text the caller gives away: the text is freed once parsed, so that a
/// large document's text is not held beside its run and its report.
pub fn run_string(text: String, clock: Instant) -> Report {
    let parsed = checked_json(&text);
    drop(text);
    parsed.map_or_else(Report::NotUnderstood, |value| run(value, clock))
}

/// The document's JSON, once the text has passed the limits' scan: how every caller that
/// holds a document's text (the page, `keyplay run`, fixtures, compare) parses it.
pub fn checked_json(text: &str) -> Result<Value, DocError> {
    crate::limits::check_document_text(text)?;
    document::parse_json(text)
}

/// Runs a parsed document.
pub fn run(value: Value, clock: Instant) -> Report {
    match document::split(value, clock).and_then(run_split) {
        Ok(report) => report,
        Err(error) => Report::NotUnderstood(error),
    }
}

/// What a keychain run keeps for the next one: the memo and the report it gave.
pub type Previous<'a> = Option<(&'a keychain::incremental::Memo, &'a std::rc::Rc<keychain::KeychainReport>)>;

/// [`run`] for an edited document: a keychain document resumes from what `previous` (the run
/// of the document before the edit) kept, and gives what this run keeps; other kinds run
/// whole and keep nothing.
pub fn run_after(value: Value, clock: Instant, previous: Previous) -> (Report, Option<keychain::incremental::Memo>) {
    let split = match document::split(value, clock) {
        Ok(split) => split,
        Err(error) => return (Report::NotUnderstood(error), None),
    };
    if split.envelope.kind != Kind::Keychain || split.expect.is_some() {
        return (run_split(split).unwrap_or_else(Report::NotUnderstood), None);
    }
    let now = split.envelope.now;
    match keychain::document::parse(split.body).and_then(|doc| keychain::incremental::run(doc, now, previous)) {
        Ok(outcome) => (Report::Keychain(outcome.report), Some(outcome.memo)),
        Err(error) => (Report::NotUnderstood(error), None),
    }
}

/// The outline of a document's text ([`document::Outline`]), once the text has passed the
/// limits' scan and is JSON: how the page holds what it runs.
pub fn outline(text: std::rc::Rc<str>) -> Result<document::Outline, DocError> {
    crate::limits::check_document_text(&text)?;
    let outline = document::Outline::of(text);
    if !outline.is_object() {
        // Not an object (or not JSON at all): the parser says which, and where.
        document::parse_json(outline.text())?;
    }
    Ok(outline)
}

/// [`run_after`] for a document held as its [`outline`]: a keychain document is read from its
/// text a step at a time, so that its parsed JSON is never whole beside its run (any other
/// document is small, and is parsed whole). The same report as [`run_after`] of the same text.
pub fn run_outline(
    outline: &document::Outline,
    clock: Instant,
    previous: Previous,
) -> (Report, Option<keychain::incremental::Memo>) {
    let whole = || match document::parse_json(outline.text()) {
        Ok(value) => run_after(value, clock, previous),
        Err(error) => (Report::NotUnderstood(error), None),
    };
    let keychain = outline.is_object() && outline.string("kind").as_deref() == Some(Kind::Keychain.name());
    if !keychain || outline.has("expect") {
        return whole();
    }
    let outcome = match keychain::document::read_outline(outline, clock) {
        Ok(Some((doc, now))) => keychain::incremental::run(doc, now, previous),
        Ok(None) => return whole(),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(outcome) => (Report::Keychain(outcome.report), Some(outcome.memo)),
        Err(error) => (Report::NotUnderstood(error), None),
    }
}

fn run_split(split: Split) -> Result<Report, DocError> {
    let Split { envelope, expect, body } = split;
    let (kind, now) = (envelope.kind, envelope.now);
    match kind {
        Kind::Keychain => {
            if expect.is_some() {
                return Err(DocError::new(
                    "/expect",
                    "a keychain document carries expect on each step, not at the top",
                ));
            }
            let doc = keychain::document::parse(body)?;
            Ok(Report::Keychain(std::rc::Rc::new(keychain::run(&doc, now)?)))
        }
        Kind::Jwt
        | Kind::AppleClientSecretRequest
        | Kind::AppAttest
        | Kind::AppAttestAssertion
        | Kind::WebauthnOptions
        | Kind::WebauthnRegistration
        | Kind::WebauthnAuthentication
        | Kind::AppleTokenRequest
        | Kind::SiwaExplain
        | Kind::DevicecheckRequest
        | Kind::DevicecheckNetwork => validate(kind, expect, body, now),
        Kind::Att | Kind::TccScreenCapture | Kind::PlatformSso => {
            if expect.is_some() {
                return Err(DocError::new("/expect", "this kind carries expect on each step, not at the top"));
            }
            let report = match kind {
                Kind::Att => att::run(&att::parse(body)?, now),
                Kind::TccScreenCapture => tcc::run(&tcc::parse(body)?, now),
                _ => psso::run(&psso::parse(body)?, now),
            };
            Ok(Report::Stepper(StepperRun { kind, report }))
        }
        Kind::ErrorExplainer => {
            // The explainer's expect ({"matches": [...]}) belongs to its document.
            let mut body = body;
            if let (Value::Object(fields), Some(expect)) = (&mut body, expect) {
                fields.insert("expect".into(), expect);
            }
            Ok(Report::Explainer(errors::run(&errors::parse(body)?, now)))
        }
    }
}

/// Runs a validator kind's document. The release page is built without the `validators`
/// feature: it hands these documents to its worker (`crate::wire`), which runs them here.
#[cfg(feature = "validators")]
fn validate(kind: Kind, expect: Option<Value>, body: Value, now: Instant) -> Result<Report, DocError> {
    match kind {
        Kind::Jwt => verdict(kind, expect, || {
            let doc: jwt::document::JwtDocument = parse_typed(body, "")?;
            let keys = jwt::load_keys(&doc)?;
            Ok(jwt::verify(&doc, keys.as_ref(), now))
        }),
        Kind::AppleClientSecretRequest => verdict(kind, expect, || Ok(jwt::sign::run(&parse_typed(body, "")?, now))),
        Kind::AppAttest => verdict(kind, expect, || {
            let (doc, client) = app_attest::input::attestation(body)?;
            Ok(app_attest::attestation::verify(&doc, &client, now))
        }),
        Kind::AppAttestAssertion => verdict(kind, expect, || {
            let (doc, client) = app_attest::input::assertion(body)?;
            Ok(app_attest::assertion::verify(&doc, &client))
        }),
        Kind::WebauthnOptions => verdict(kind, expect, || Ok(webauthn::options::lint(&parse_typed(body, "")?))),
        Kind::WebauthnRegistration => {
            verdict(kind, expect, || Ok(webauthn::registration::verify(&parse_typed(body, "")?, now)))
        }
        Kind::WebauthnAuthentication => {
            verdict(kind, expect, || Ok(webauthn::authentication::verify(&parse_typed(body, "")?)))
        }
        Kind::AppleTokenRequest => {
            verdict(kind, expect, || siwa_server::verify_token_request(&siwa_server::parse_token_request(body)?, now))
        }
        Kind::SiwaExplain => {
            verdict(kind, expect, || Ok(siwa_server::verify_explain(&siwa_server::parse_explain(body)?)))
        }
        Kind::DevicecheckRequest => {
            verdict(kind, expect, || devicecheck::verify_request(&devicecheck::parse_request(body)?, now))
        }
        Kind::DevicecheckNetwork => {
            verdict(kind, expect, || Ok(devicecheck::verify_network(&devicecheck::parse_network(body)?)))
        }
        Kind::Keychain | Kind::Att | Kind::TccScreenCapture | Kind::PlatformSso | Kind::ErrorExplainer => {
            Err(DocError::new("/kind", format!("{} documents have no validator", kind.name())))
        }
    }
}

/// Without the validators (the release page's own module), a validator document is not run
/// here: the page hands it to its worker, which is built with them.
#[cfg(not(feature = "validators"))]
fn validate(kind: Kind, _expect: Option<Value>, _body: Value, _now: Instant) -> Result<Report, DocError> {
    Err(DocError::new(
        "/kind",
        format!("this build does not carry the validators: {} documents are checked by the page's worker", kind.name()),
    ))
}

/// A validator's report: the document's `expect` is read first (so its errors come first),
/// then the validator runs, then the expectation is applied.
#[cfg(feature = "validators")]
fn verdict(
    kind: Kind,
    expect: Option<Value>,
    validate: impl FnOnce() -> Result<Verdict, DocError>,
) -> Result<Report, DocError> {
    let expectation: Option<Expectation> = expect.map(|e| parse_typed(e, "/expect")).transpose()?;
    if let Some(failed) = expectation.as_ref().and_then(|e| e.failed.as_deref()) {
        if let Some(error) = crate::validator::unknown_ids(failed, check_ids(kind)) {
            return Err(error);
        }
    }
    let verdict = validate()?;
    let expect = expectation.map(|e| Met::from_bool(e.met_by(&verdict)));
    Ok(Report::Verdict(VerdictReport { kind, verdict, expect }))
}

/// The check ids a validator kind can report (what `expect.failed` may name).
pub fn check_ids(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Keychain | Kind::Att | Kind::TccScreenCapture | Kind::PlatformSso | Kind::ErrorExplainer => &[],
        Kind::Jwt | Kind::AppleClientSecretRequest => jwt::CHECK_IDS,
        Kind::AppAttest => app_attest::ATTESTATION_CHECK_IDS,
        Kind::AppAttestAssertion => app_attest::ASSERTION_CHECK_IDS,
        Kind::WebauthnOptions => webauthn::OPTIONS_CHECK_IDS,
        Kind::WebauthnRegistration => webauthn::REGISTRATION_CHECK_IDS,
        Kind::WebauthnAuthentication => webauthn::AUTHENTICATION_CHECK_IDS,
        Kind::AppleTokenRequest => siwa_server::TOKEN_REQUEST_CHECK_IDS,
        Kind::SiwaExplain => siwa_server::EXPLAIN_CHECK_IDS,
        Kind::DevicecheckRequest => devicecheck::REQUEST_CHECK_IDS,
        Kind::DevicecheckNetwork => devicecheck::NETWORK_CHECK_IDS,
    }
}

/// Runs a keychain document on every platform and compares the answers (the page's compare
/// view).
pub fn compare(value: Value, clock: Instant) -> Result<keychain::compare::Comparison, DocError> {
    let Split { envelope, body, .. } = document::split(value, clock)?;
    if envelope.kind != Kind::Keychain {
        return Err(DocError::new("/kind", "only keychain documents can be compared across platforms"));
    }
    let mut body = body;
    if let Value::Object(fields) = &mut body {
        fields.remove("platform");
    }
    let doc = keychain::document::parse(body)?;
    keychain::compare::compare(&doc, envelope.now)
}

/// [`compare`] over JSON text.
pub fn compare_text(text: &str, clock: Instant) -> Result<keychain::compare::Comparison, DocError> {
    compare(checked_json(text)?, clock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Exit;
    use serde_json::json;

    fn run_str(text: &str) -> Report {
        run_text(text, Instant(0))
    }

    #[test]
    fn malformed_documents_get_an_error_report_and_exit_2() {
        for (text, path) in [
            ("{", ""),
            ("[]", ""),
            (r#"{"kind":"keychain"}"#, "/keyplay"),
            (r#"{"keyplay":2,"kind":"keychain"}"#, "/keyplay"),
            (r#"{"keyplay":1,"kind":"keychian"}"#, "/kind"),
            (r#"{"keyplay":1,"kind":"keychain","now":"soon"}"#, "/now"),
            (r#"{"keyplay":1,"kind":"keychain","expect":{}}"#, "/expect"),
            (r#"{"keyplay":1,"kind":"jwt","expect":{"vald":true}}"#, "/expect/vald"),
        ] {
            let report = run_str(text);
            assert_eq!(report.exit(), Exit::NotUnderstood, "{text}");
            let Report::NotUnderstood(error) = &report else { panic!("{text}: {report:?}") };
            assert_eq!(error.path, path, "{text}: {error}");
            assert_eq!(report.to_json()["error"]["path"], json!(path));
        }
        let Report::NotUnderstood(error) = run_str(r#"{"keyplay":1,"kind":"keychian"}"#) else { panic!("typo") };
        assert!(error.message.contains("did you mean keychain?"), "{error}");
    }

    #[test]
    fn an_unknown_failed_id_is_a_document_error_with_a_suggestion() {
        let text =
            r#"{"keyplay":1,"kind":"app-attest-assertion","expect":{"valid":false,"failed":["counter","signatur"]}}"#;
        let Report::NotUnderstood(error) = run_str(text) else { panic!("an unknown id") };
        assert_eq!(error.path, "/expect/failed/1");
        assert!(error.message.contains("did you mean signature?"), "{error}");
        // An id of another kind is unknown here too.
        let text = r#"{"keyplay":1,"kind":"webauthn-authentication","expect":{"failed":["attestation-chain"]}}"#;
        let Report::NotUnderstood(error) = run_str(text) else { panic!("a registration id") };
        assert_eq!(error.path, "/expect/failed/0");
    }

    #[test]
    fn extension_keys_are_ignored_anywhere() {
        let report = run_str(r#"{"keyplay":1,"kind":"keychain","x-editor":{"cursor":3},"steps":[]}"#);
        assert_eq!(report.exit(), Exit::Met, "{report:?}");
        assert_eq!(report.kind(), Some(Kind::Keychain));
    }

    #[test]
    fn an_unmet_validator_expectation_exits_1_and_says_so() {
        let text = r#"{"keyplay":1,"kind":"jwt","profile":"generic","token":"x","expect":{"valid":true}}"#;
        let report = run_str(text);
        assert_eq!(report.exit(), Exit::Unmet);
        let json = report.to_json();
        assert_eq!(
            (json["ok"].clone(), json["valid"].clone(), json["expect"].clone()),
            (json!(false), json!(false), json!("unmet"))
        );
        let keys: Vec<&str> = json.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        assert_eq!(keys[..5], ["keyplay", "kind", "ok", "valid", "checks"]);
        assert_eq!(keys.last(), Some(&"expect"));
    }

    #[test]
    fn compare_runs_only_keychain_documents() {
        let err = compare_text(r#"{"keyplay":1,"kind":"jwt"}"#, Instant(0)).err();
        assert_eq!(err.map(|e| e.path), Some("/kind".to_string()));
        let steps = r#"{"keyplay":1,"kind":"keychain","platform":"ios","steps":[{"SecItemDelete":{"kSecClass":"kSecClassGenericPassword"}}]}"#;
        assert_eq!(compare_text(steps, Instant(0)).map(|c| c.steps.len()), Ok(1));
    }
}
