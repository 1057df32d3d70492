//! Sign in with Apple on the server and DeviceCheck on the network: the real LunaONE
//! server-to-server notification at its own time and tampered copies of it, notifications of
//! every event type signed with a throwaway test key, revoke and user-migration requests, the
//! DeviceCheck server request, the network and name explainers, and never-panics properties.
//!
//! Nothing here is "Apple-signed" except the LunaONE vector: every other token is signed in the
//! test with `tests/keys/throwaway-rsa-2048.pem` (RS256) or a P-256 key made from a fixed seed.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::data::{encode_base64, encode_base64url};
use keyplay::report::Printed;
use keyplay::validator::{Expectation, Verdict};
use keyplay::{devicecheck, siwa_server, Instant};
use p256::ecdsa::signature::Signer;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}

/// 2026-11-28T12:00:00Z.
const NOW: i64 = 1_795_867_200;
const NOW_TEXT: &str = "2026-11-28T12:00:00Z";
const TEAM_A: &str = "SKMME9E2Y8";
const TEAM_B: &str = "K2Q7ZT4X9B";
const KEY_ID: &str = "ABC123DEFG";
const DC_KEY_ID: &str = "DC4KEY0001";
const CLIENT: &str = "com.example.app";
const TEST_KID: &str = "KPTEST0001";
const RSA_TEST_KEY: &str = include_str!("keys/throwaway-rsa-2048.pem");
const LUNAONE: &str = include_str!("vectors/siwa-notification-lunaone-2025-07-15.json");

// ---------------------------------------------------------------- signing helpers

fn ec_key(seed: u8) -> p256::SecretKey {
    p256::SecretKey::from_slice(&[seed; 32]).unwrap()
}

fn p8(key: &p256::SecretKey) -> String {
    key.to_pkcs8_pem(der::pem::LineEnding::LF).unwrap().to_string()
}

fn rsa_key() -> rsa::RsaPrivateKey {
    rsa::RsaPrivateKey::from_pkcs8_pem(RSA_TEST_KEY.trim()).unwrap()
}

fn rsa_jwks() -> Value {
    let key = rsa_key();
    json!({"keys": [{"kty": "RSA", "kid": TEST_KID, "use": "sig", "alg": "RS256",
                     "n": encode_base64url(&key.n().to_bytes_be()), "e": encode_base64url(&key.e().to_bytes_be())}]})
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", encode_base64url(header.to_string().as_bytes()), encode_base64url(claims.to_string().as_bytes()))
}

fn es256(key: &p256::SecretKey, header: Value, claims: Value) -> String {
    let input = signing_input(&header, &claims);
    let sig: p256::ecdsa::Signature = p256::ecdsa::SigningKey::from(key).sign(input.as_bytes());
    format!("{input}.{}", encode_base64url(&sig.to_bytes()))
}

fn rs256(header: Value, claims: Value) -> String {
    let input = signing_input(&header, &claims);
    let digest = Sha256::digest(input.as_bytes());
    let sig = rsa_key().sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    format!("{input}.{}", encode_base64url(&sig))
}

/// A client secret for `client`, signed by `team` with `ec_key(1)`.
fn secret(team: &str, client: &str) -> String {
    es256(
        &ec_key(1),
        json!({"alg": "ES256", "kid": KEY_ID}),
        json!({"iss": team, "iat": NOW - 600, "exp": NOW + 86_400, "aud": "https://appleid.apple.com", "sub": client}),
    )
}

/// The JWT a server signs for the DeviceCheck API, with `ec_key(2)`.
fn devicecheck_jwt(team: &str) -> String {
    es256(&ec_key(2), json!({"alg": "ES256", "kid": DC_KEY_ID}), json!({"iss": team, "iat": NOW - 60}))
}

fn event(kind: &str) -> Value {
    let mut e =
        json!({"type": kind, "sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "event_time": NOW * 1000 - 5000});
    if kind.starts_with("email-") {
        e["email"] = json!("x7q2k9m3ab@privaterelay.appleid.com");
        e["is_private_email"] = json!("true");
    }
    e
}

/// A notification signed with the throwaway RSA key; `events` is put in the claims as given.
fn notification(events: Value) -> String {
    rs256(
        json!({"kid": TEST_KID, "alg": "RS256"}),
        json!({"iss": "https://appleid.apple.com", "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 86_340,
               "jti": "kp-test-notification", "events": events}),
    )
}

fn notification_doc(token: &str, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "jwt", "profile": "apple-server-notification", "now": NOW_TEXT, "token": token,
           "keys": rsa_jwks(), "expected": {"audience": CLIENT},
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

// ---------------------------------------------------------------- running documents

fn run(doc: &Value) -> Value {
    let out = run_text(&doc.to_string(), Instant(NOW));
    assert_eq!(out.exit, 0, "{}", serde_json::to_string_pretty(&out.report).unwrap());
    out.report
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id} in {report}"))
}

/// Runs a document of one of the new kinds through its typed functions (envelope handled here)
/// and asserts its `expect`; returns the verdict.
fn typed(doc: &Value) -> Verdict {
    let mut body = doc.as_object().unwrap().clone();
    let kind = body.remove("kind").unwrap();
    let now = body.remove("now").map(|n| Instant::parse_rfc3339(n.as_str().unwrap()).unwrap()).unwrap_or(Instant(NOW));
    let expect: Option<Expectation> = body.remove("expect").map(|e| serde_json::from_value(e).unwrap());
    for key in ["keyplay", "title", "notes"] {
        body.remove(key);
    }
    let body = Value::Object(body);
    let verdict = match kind.as_str().unwrap() {
        "apple-token-request" => {
            siwa_server::verify_token_request(&siwa_server::parse_token_request(body).unwrap(), now).unwrap()
        }
        "siwa-explain" => siwa_server::verify_explain(&siwa_server::parse_explain(body).unwrap()),
        "devicecheck-request" => devicecheck::verify_request(&devicecheck::parse_request(body).unwrap(), now).unwrap(),
        "devicecheck-network" => devicecheck::verify_network(&devicecheck::parse_network(body).unwrap()),
        other => panic!("not a kind of this suite: {other}"),
    };
    // Every check the verdict carries has an id from its kind's table (what `expect.failed` may name).
    let table = keyplay::run::check_ids(keyplay::document::Kind::from_name(kind.as_str().unwrap()).unwrap());
    for c in &verdict.checks {
        assert!(table.contains(&c.id), "{} ({kind}) is not in the table {table:?}", c.id);
    }
    if let Some(e) = expect {
        assert!(e.met_by(&verdict), "expect {e:?} unmet by {:#?}", verdict);
    }
    verdict
}

// ---------------------------------------------------------------- the real notification

fn lunaone() -> Value {
    serde_json::from_str(LUNAONE).unwrap()
}

fn lunaone_doc(token: &str, now: &str, audience: &str, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "jwt", "profile": "apple-server-notification", "now": now, "token": token,
           "expected": {"audience": audience}, "expect": {"valid": failed.is_empty(), "failed": failed}})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_notification_verifies_at_its_own_time() {
    let v = lunaone();
    let token = v["inputs"]["token"].as_str().unwrap();
    let at = v["verification_time"]["use"].as_str().unwrap();
    let aud = v["inputs"]["expected_audience"].as_str().unwrap();
    // Built-in JWKS snapshot.
    let report = run(&lunaone_doc(token, at, aud, &[]));
    for id in ["format", "alg", "kid", "signature", "iss", "aud", "exp", "iat", "events", "event-type"] {
        assert_eq!(check(&report, id)["ok"], json!(true), "{id}: {report}");
    }
    assert_eq!(report["event"]["type"], "consent-revoked");
    assert_eq!(report["event"]["sub"]["value"], v["expected_result"]["library_asserts"]["userIdentifier"]);
    assert_eq!(report["event"]["event_time"]["unit"], "milliseconds");
    assert_eq!(report["event"]["event_time"]["utc"], "2025-07-15T09:36:30Z");
    assert_eq!(report["explain"][0]["type"], "consent-revoked");
    assert!(report["explain"][0]["server_should"].to_string().contains("sign-out"));
    assert!(report["delivery"]["how"].as_str().unwrap().contains("payload"));
    // The vector's own JWKS.
    let mut doc = lunaone_doc(token, at, aud, &[]);
    doc["keys"] = v["inputs"]["jwks"].clone();
    let report = run(&doc);
    assert!(check(&report, "signature")["message"].as_str().unwrap().contains("E6q83RB15n"));
}

fn flip_signature_byte(token: &str) -> String {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let mut bytes = keyplay::data::decode_base64url_strict(sig).unwrap();
    bytes[10] ^= 0x01;
    format!("{input}.{}", encode_base64url(&bytes))
}

/// Re-encodes the payload with `edit` applied, keeping the real signature (so it must fail).
fn edit_payload(token: &str, edit: impl Fn(&mut Value)) -> String {
    let mut parts = token.split('.');
    let (h, p, s) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let mut claims: Value = serde_json::from_slice(&keyplay::data::decode_base64url_strict(p).unwrap()).unwrap();
    edit(&mut claims);
    format!("{h}.{}.{s}", encode_base64url(claims.to_string().as_bytes()))
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn real_notification_tampered_copies_fail() {
    let v = lunaone();
    let token = v["inputs"]["token"].as_str().unwrap();
    let at = v["verification_time"]["use"].as_str().unwrap();
    let aud = v["inputs"]["expected_audience"].as_str().unwrap();
    // A flipped signature byte.
    let report = run(&lunaone_doc(&flip_signature_byte(token), at, aud, &["signature"]));
    assert_eq!(report["event"]["type"], "consent-revoked", "events still parsed for the report");
    // Another client id expected.
    let report = run(&lunaone_doc(token, at, "com.example.other", &["aud"]));
    assert!(check(&report, "aud")["cause"].as_str().unwrap().contains("route each event on aud"));
    // The vector's own negative: aud edited, signature kept.
    let edited = v["negative_cases"][2]["token"].as_str().unwrap();
    run(&lunaone_doc(edited, at, "com.example.other", &["signature"]));
    // Read today: expired.
    run(&lunaone_doc(token, NOW_TEXT, aud, &["exp"]));
    // events as an object instead of a string (signature broken too: the payload changed).
    let object = edit_payload(token, |c| {
        let parsed: Value = serde_json::from_str(c["events"].as_str().unwrap()).unwrap();
        c["events"] = parsed;
    });
    let report = run(&lunaone_doc(&object, at, aud, &["signature", "events"]));
    assert!(check(&report, "events")["message"].as_str().unwrap().contains("an object, not a string"));
    // An unknown type.
    let unknown = edit_payload(token, |c| {
        let text = c["events"].as_str().unwrap().replace("consent-revoked", "consent-revokd");
        c["events"] = json!(text);
    });
    let report = run(&lunaone_doc(&unknown, at, aud, &["signature", "event-type"]));
    assert!(check(&report, "event-type")["message"].as_str().unwrap().contains("did you mean consent-revoked?"));
    assert!(report.get("explain").is_none(), "no explainer for an unknown type");
}

// ---------------------------------------------------------------- notifications signed here

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_event_type_verifies_and_is_explained() {
    for kind in keyplay::jwt::notification::EVENT_TYPES {
        let token = notification(json!(event(kind).to_string()));
        let report = run(&notification_doc(&token, &[]));
        assert_eq!(report["event"]["type"], kind);
        assert_eq!(report["explain"][0]["type"], kind);
        assert!(!report["explain"][0]["server_should"].as_array().unwrap().is_empty());
        if kind.starts_with("email-") {
            assert_eq!(report["event"]["is_private_email"]["value"], json!(true));
            assert_eq!(report["event"]["is_private_email"]["written-as"], "string");
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn malformed_events_fail_the_events_check() {
    // events as an object, validly signed.
    let report = run(&notification_doc(&notification(event("account-delete")), &["events"]));
    assert!(check(&report, "events")["cause"].as_str().unwrap().contains("parsed a second time"));
    // Not JSON, an array, and missing fields.
    run(&notification_doc(&notification(json!("{\"type\":")), &["events"]));
    run(&notification_doc(&notification(json!("[1,2]")), &["events"]));
    run(&notification_doc(&notification(json!(json!({"type": "account-delete"}).to_string())), &["events"]));
    let no_events = rs256(
        json!({"kid": TEST_KID, "alg": "RS256"}),
        json!({"iss": "https://appleid.apple.com", "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 600}),
    );
    let report = run(&notification_doc(&no_events, &["events"]));
    assert!(check(&report, "events")["cause"].as_str().unwrap().contains("identity token"));
    // An unknown type, validly signed: only event-type fails.
    let mut e = event("account-delete");
    e["type"] = json!("account-deleted");
    let report = run(&notification_doc(&notification(json!(e.to_string())), &["event-type"]));
    assert!(check(&report, "event-type")["message"].as_str().unwrap().contains("did you mean account-delete?"));
    // A kid that the given JWKS does not have: the JWKS is stale; with Apple's built-in JWKS, a
    // newer key than the snapshot.
    let stranger = rs256(
        json!({"kid": "NOTAKEY123", "alg": "RS256"}),
        json!({"iss": "https://appleid.apple.com", "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 600,
               "events": event("account-delete").to_string()}),
    );
    let mut doc = notification_doc(&stranger, &["kid"]);
    let report = run(&doc);
    assert!(check(&report, "kid")["cause"].as_str().unwrap().contains("the JWKS is stale"), "{report}");
    doc.as_object_mut().unwrap().remove("keys");
    doc["expect"] = json!({"valid": false});
    let report = run(&doc);
    assert!(check(&report, "kid")["cause"].as_str().unwrap().contains("Apple rotates its keys"), "{report}");
    // An empty sub is as bad as none.
    let mut e = event("account-delete");
    e["sub"] = json!("");
    let report = run(&notification_doc(&notification(json!(e.to_string())), &["events"]));
    assert!(check(&report, "events")["message"].as_str().unwrap().contains("sub is empty"), "{report}");
    // is_private_email as a boolean, as a string "true" / "false", and as anything else.
    for (written, value, how) in [
        (json!(true), json!(true), "boolean"),
        (json!("true"), json!(true), "string"),
        (json!("false"), json!(false), "string"),
        (json!("yes"), json!("yes"), "unexpected"),
    ] {
        let mut e = event("email-enabled");
        e["is_private_email"] = written.clone();
        let report = run(&notification_doc(&notification(json!(e.to_string())), &[]));
        let shown = &report["event"]["is_private_email"];
        assert_eq!((&shown["value"], shown["written-as"].as_str()), (&value, Some(how)), "{written}: {shown}");
    }
    // An event_time of exactly 10^11 is still read as seconds; one more is milliseconds.
    for (time, unit) in [(100_000_000_000_i64, "seconds"), (100_000_000_001, "milliseconds")] {
        let mut e = event("consent-revoked");
        e["event_time"] = json!(time);
        let report = run(&notification_doc(&notification(json!(e.to_string())), &[]));
        assert!(
            report["event"]["event_time"]["unit"].as_str().unwrap().starts_with(unit),
            "{time}: {}",
            report["event"]
        );
    }
    // event_time in seconds is reported as such, not failed.
    let mut e = event("consent-revoked");
    e["event_time"] = json!(NOW - 5);
    let report = run(&notification_doc(&notification(json!(e.to_string())), &[]));
    assert!(report["event"]["event_time"]["unit"].as_str().unwrap().starts_with("seconds"));
    // RS256 is required; a wrong issuer fails iss.
    let es = es256(
        &ec_key(3),
        json!({"alg": "ES256", "kid": TEST_KID}),
        json!({"iss": "https://appleid.apple.com",
        "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 600, "events": event("email-enabled").to_string()}),
    );
    run(&notification_doc(&es, &["alg", "signature"]));
    let wrong_iss = rs256(
        json!({"kid": TEST_KID, "alg": "RS256"}),
        json!({"iss": "https://appleid.apple.com/", "aud": CLIENT, "iat": NOW - 60, "exp": NOW + 600,
               "events": event("email-enabled").to_string()}),
    );
    run(&notification_doc(&wrong_iss, &["iss"]));
}

// ---------------------------------------------------------------- revoke and migration

fn revoke_doc(form: Value, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "apple-token-request", "now": NOW_TEXT,
           "url": "https://appleid.apple.com/auth/revoke", "content-type": "application/x-www-form-urlencoded",
           "form": form, "keys": {"p8": p8(&ec_key(1))},
           "expected": {"team-id": TEAM_B, "key-id": KEY_ID, "client-id": CLIENT},
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

fn revoke_form(team: &str) -> Value {
    json!({"client_id": CLIENT, "client_secret": secret(team, CLIENT),
           "token": "r8f2c4a1e0b9d7c6a5b4c3d2e1f0a9b8c.0.rsxz.Ab12Cd34Ef56Gh78Ij90Kl", "token_type_hint": "refresh_token"})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn revoke_request_checks() {
    let ok = typed(&revoke_doc(revoke_form(TEAM_B), &[]));
    for id in [
        "url",
        "content-type",
        "fields",
        "client_id",
        "client-secret.signature",
        "client-secret.sub",
        "team",
        "token",
        "token_type_hint",
    ] {
        assert!(ok.checks.iter().any(|c| c.id == id && c.ok), "{id}: {ok:#?}");
    }
    // The secret of the team that transferred the app away.
    let mut doc = revoke_doc(revoke_form(TEAM_A), &["team"]);
    doc["response"] = json!({"status": 400, "error": "invalid_client"});
    let v = typed(&doc);
    let team = v.checks.iter().find(|c| c.id == "team").unwrap();
    assert!(team.cause.as_deref().unwrap().contains("owns the client id now"));
    let causes = &v.details["diagnosis"]["causes"];
    assert_eq!(causes[0]["seen_in"], json!(["team"]));
    assert_eq!(causes[0]["evidence"], "documented");
    assert_eq!(v.details["diagnosis"]["note"], Value::Null, "a known error has causes, not a note");
    // An error no cause on this endpoint explains says so, and names the ones TN3107 lists.
    let mut doc = revoke_doc(revoke_form(TEAM_B), &[]);
    doc["response"] = json!({"status": 500, "error": "server_error"});
    let diagnosis = &typed(&doc).details["diagnosis"];
    assert_eq!(diagnosis["causes"], json!([]));
    let note = diagnosis["note"].as_str().unwrap_or_default();
    assert!(note.starts_with("Keyplay has no causes for server_error on this endpoint"), "{diagnosis}");
    assert!(note.contains("invalid_grant"), "{note}");
    // The identity token sent as token; a JSON body; a bad hint; a misnamed field; the Services ID secret.
    let mut form = revoke_form(TEAM_B);
    form["token"] = json!(secret(TEAM_B, CLIENT));
    typed(&revoke_doc(form, &["token"]));
    let mut doc = revoke_doc(revoke_form(TEAM_B), &["content-type"]);
    doc["content-type"] = json!("application/json");
    typed(&doc);
    let mut form = revoke_form(TEAM_B);
    form["token_type_hint"] = json!("refresh");
    typed(&revoke_doc(form, &["token_type_hint"]));
    let mut form = revoke_form(TEAM_B);
    form["refresh_token"] = form["token"].take();
    form.as_object_mut().unwrap().remove("token");
    let v = typed(&revoke_doc(form, &["fields"]));
    assert!(v.checks[2].message.contains("send token (with token_type_hint=refresh_token)"), "{:?}", v.checks[2]);
    let mut form = revoke_form(TEAM_B);
    form["client_secret"] = json!(secret(TEAM_B, "com.example.web"));
    typed(&revoke_doc(form, &["client-secret.sub"]));
    // An empty field, and one with white space around it, are named by the fields check.
    for (value, says, failed) in [
        ("", "token_type_hint is empty", &["fields", "token_type_hint"][..]),
        (" refresh_token ", "token_type_hint has white space around it", &["fields"][..]),
    ] {
        let mut form = revoke_form(TEAM_B);
        form["token_type_hint"] = json!(value);
        let v = typed(&revoke_doc(form, failed));
        let fields = v.checks.iter().find(|c| c.id == "fields").unwrap();
        assert!(fields.message.contains(says), "{value:?}: {fields:?}");
    }
    // A 200 says nothing about the token.
    let mut doc = revoke_doc(revoke_form(TEAM_B), &[]);
    doc["response"] = json!({"status": 200});
    assert!(typed(&doc).details["diagnosis"]["note"].as_str().unwrap().contains("proves nothing"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn revoke_token_shapes() {
    // Three dot-separated parts without a JWT header is still an opaque token.
    let mut form = revoke_form(TEAM_B);
    form["token"] = json!("r0a1b2.c3d4e5.f6a7b8");
    let v = typed(&revoke_doc(form, &[]));
    assert!(v.checks.iter().any(|c| c.id == "token" && c.ok), "{:?}", v.checks);
    // A token starting with c looks like an authorization code: exchange it first.
    let mut form = revoke_form(TEAM_B);
    form["token"] = json!("c1f2e3d4a5b6c7d8e9f0a1b2c3d4e5f6a.0.rsxz.Ab12Cd34");
    form.as_object_mut().unwrap().remove("token_type_hint");
    let w = warnings(&typed(&revoke_doc(form, &[])));
    assert!(w.iter().any(|(about, m)| about == "token" && m.contains("authorization code")), "{w:?}");
}

fn transfer() -> Value {
    json!({"transferring-team": TEAM_A, "recipient-team": TEAM_B, "client-id": CLIENT})
}

fn migration_doc(form: Value, authorization: &str, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "apple-token-request", "now": NOW_TEXT,
           "url": "https://appleid.apple.com/auth/usermigrationinfo", "content-type": "application/x-www-form-urlencoded",
           "authorization": authorization, "form": form, "keys": {"p8": p8(&ec_key(1))}, "transfer": transfer(),
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

const BEARER: &str = "Bearer a56a8828048af48c0871e73b55d8910aa.0.rzvs.96uUcy1KBqo34Kj8qrPb4w";

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn migration_request_checks() {
    let generate = json!({"sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "target": TEAM_B,
                          "client_id": CLIENT, "client_secret": secret(TEAM_A, CLIENT)});
    let v = typed(&migration_doc(generate.clone(), BEARER, &[]));
    assert_eq!(v.details["step"], "generate-transfer-sub");
    assert_eq!(v.details["explain"][0]["id"], "siwa-app-transfer");
    // target = the sender's own team; the recipient's key; no bearer; the client secret as bearer.
    let mut form = generate.clone();
    form["target"] = json!(TEAM_A);
    typed(&migration_doc(form, BEARER, &["target"]));
    let mut form = generate.clone();
    form["client_secret"] = json!(secret(TEAM_B, CLIENT));
    let v = typed(&migration_doc(form, BEARER, &["team"]));
    assert!(v.checks.iter().any(|c| c.id == "team" && c.cause.as_deref().unwrap().contains("transferring team")));
    let mut doc = migration_doc(generate.clone(), BEARER, &["authorization"]);
    doc.as_object_mut().unwrap().remove("authorization");
    typed(&doc);
    typed(&migration_doc(generate, &format!("Bearer {}", secret(TEAM_A, CLIENT)), &["authorization"]));
    // The recipient's exchange, then with the sender's key.
    let exchange = json!({"transfer_sub": "000987.aa11bb22cc33dd44ee55ff6677889900.0101", "client_id": CLIENT,
                          "client_secret": secret(TEAM_B, CLIENT)});
    let v = typed(&migration_doc(exchange.clone(), BEARER, &[]));
    assert_eq!(v.details["step"], "exchange-transfer-sub");
    let mut form = exchange;
    form["client_secret"] = json!(secret(TEAM_A, CLIENT));
    typed(&migration_doc(form, BEARER, &["team"]));
}

/// The seed thread: client_id and the secret's sub are the primary App ID, the user goes in a
/// `user_token` field, target is missing, and the transferred App ID is still grouped.
fn seed_access_denied_doc() -> Value {
    json!({"keyplay": 1, "kind": "apple-token-request", "now": NOW_TEXT,
           "url": "https://appleid.apple.com/auth/usermigrationinfo", "content-type": "application/x-www-form-urlencoded",
           "authorization": BEARER,
           "form": {"client_id": "com.example.primary", "client_secret": secret(TEAM_A, "com.example.primary"),
                    "user_token": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234"},
           "keys": {"p8": p8(&ec_key(1))},
           "transfer": {"transferring-team": TEAM_A, "recipient-team": TEAM_B, "client-id": CLIENT,
                        "primary-app-id": "com.example.primary", "grouped": true},
           "response": {"status": 400, "error": "access_denied"},
           "expect": {"valid": false, "failed": ["fields", "client_id", "target", "group"]}})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn seed_access_denied_is_explained() {
    let v = typed(&seed_access_denied_doc());
    let fields = v.checks.iter().find(|c| c.id == "fields").unwrap();
    assert!(fields.message.contains("user_token is not read"), "{fields:?}");
    assert!(fields.message.contains("sub is missing"));
    let client = v.checks.iter().find(|c| c.id == "client_id").unwrap();
    assert!(client.cause.as_deref().unwrap().contains("primary App ID of the group"));
    let causes = v.details["diagnosis"]["causes"].as_array().unwrap();
    assert!(causes.len() >= 3);
    assert_eq!(causes[0]["seen_in"], json!(["client_id"]));
    assert!(causes.iter().all(|c| c["evidence"] != "documented"), "access_denied is not documented: {causes:?}");
    assert_eq!(causes.last().unwrap()["evidence"], "reported, not documented");
    let explain: Vec<&str> =
        v.details["explain"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(explain, ["siwa-app-transfer", "siwa-display-name"]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn migration_access_token_and_malformed_requests() {
    let form = json!({"grant_type": "client_credentials", "scope": "user.migration", "client_id": CLIENT,
                      "client_secret": secret(TEAM_A, CLIENT)});
    let doc = |form: Value, failed: &[&str]| {
        json!({"keyplay": 1, "kind": "apple-token-request", "url": "https://appleid.apple.com/auth/token",
               "content-type": "application/x-www-form-urlencoded", "form": form, "transfer": transfer(),
               "expect": {"valid": failed.is_empty(), "failed": failed}})
    };
    let v = typed(&doc(form.clone(), &[]));
    assert_eq!(v.details["step"], "migration-access-token");
    let mut wrong = form.clone();
    wrong["scope"] = json!("name email");
    wrong["grant_type"] = json!("client_credentials");
    let mut d = doc(wrong, &["scope"]);
    d["response"] = json!({"error": "invalid_scope"});
    let v = typed(&d);
    assert_eq!(v.details["diagnosis"]["causes"][0]["seen_in"], json!(["scope"]));
    // Not an object; a wrong host and a query string; a team-prefixed client_id.
    typed(&doc(json!("client_id=x"), &["fields"]));
    let mut d = doc(form.clone(), &["url"]);
    d["url"] = json!("https://appleid.apple.com.example.net/auth/token?client_id=x");
    typed(&d);
    let mut f = form;
    f["client_id"] = json!(format!("{TEAM_A}.{CLIENT}"));
    typed(&doc(f, &["client_id", "client-secret.sub"]));
}

// ---------------------------------------------------------------- DeviceCheck server requests

fn device_token() -> String {
    encode_base64(&[7u8; 96])
}

fn dc_doc(url: &str, body: Value, failed: &[&str]) -> Value {
    json!({"keyplay": 1, "kind": "devicecheck-request", "now": NOW_TEXT, "url": url,
           "authorization": format!("Bearer {}", devicecheck_jwt(TEAM_A)), "body": body,
           "keys": {"p8": p8(&ec_key(2))}, "expected": {"team-id": TEAM_A, "key-id": DC_KEY_ID},
           "expect": {"valid": failed.is_empty(), "failed": failed}})
}

const QUERY_DEV: &str = "https://api.development.devicecheck.apple.com/v1/query_two_bits";

fn query_body() -> Value {
    json!({"device_token": device_token(), "transaction_id": "5b1e7a8e-3f0c-4d7a-9b1e-2c3d4e5f6a7b", "timestamp": NOW * 1000})
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn devicecheck_request_checks() {
    let v = typed(&dc_doc(QUERY_DEV, query_body(), &[]));
    let ids: Vec<&str> = v.checks.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "url",
            "authorization",
            "format",
            "alg",
            "kid",
            "signature",
            "iss",
            "iat",
            "body",
            "device_token",
            "transaction_id",
            "timestamp"
        ]
    );
    assert_eq!(v.details["environment"], "development");
    // Wrong iss: the JWT made with the Key ID as issuer.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &["iss"]);
    doc["authorization"] = json!(format!("Bearer {}", devicecheck_jwt(DC_KEY_ID)));
    let v = typed(&doc);
    assert!(v.checks.iter().any(|c| c.id == "iss" && c.cause.as_deref().unwrap().contains("Key ID")));
    // Another key signed it; a kid that is not the DeviceCheck key.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &["signature"]);
    doc["keys"] = json!({"p8": p8(&ec_key(9))});
    typed(&doc);
    let mut doc = dc_doc(QUERY_DEV, query_body(), &["kid"]);
    doc["authorization"] = json!(format!(
        "Bearer {}",
        es256(&ec_key(2), json!({"alg": "ES256", "kid": KEY_ID}), json!({"iss": TEAM_A, "iat": NOW - 60}))
    ));
    typed(&doc);
    // Body mistakes, one at a time.
    let mut b = query_body();
    b["timestamp"] = json!(NOW);
    typed(&dc_doc(QUERY_DEV, b, &["timestamp"]));
    let mut b = query_body();
    b["device_token"] = json!(encode_base64url(&[0xfb; 96]));
    let v = typed(&dc_doc(QUERY_DEV, b, &["device_token"]));
    assert!(v.checks.iter().any(|c| c.id == "device_token" && c.cause.as_deref().unwrap().contains("base64url")));
    let mut b = query_body();
    b["deviceToken"] = b["device_token"].take();
    b.as_object_mut().unwrap().remove("device_token");
    typed(&dc_doc(QUERY_DEV, b, &["body", "device_token"]));
    typed(&dc_doc(QUERY_DEV, json!("device_token=abc"), &["body"]));
    // update_two_bits: booleans required, at least one.
    let update = "https://api.devicecheck.apple.com/v1/update_two_bits";
    let mut b = query_body();
    b["bit0"] = json!(true);
    typed(&dc_doc(update, b.clone(), &[]));
    b["bit1"] = json!(1);
    typed(&dc_doc(update, b, &["bits"]));
    typed(&dc_doc(update, query_body(), &["bits"]));
    // bits on a query; a wrong host; an operation typo; no Bearer.
    let mut b = query_body();
    b["bit0"] = json!(true);
    typed(&dc_doc(QUERY_DEV, b, &["body"]));
    typed(&dc_doc("https://data.appattest.apple.com/v1/query_two_bits", query_body(), &["url"]));
    let v = typed(&dc_doc("https://api.devicecheck.apple.com/v1/query_two_bit", query_body(), &["url"]));
    assert!(v.checks[0].message.contains("did you mean query_two_bits?"));
    let mut doc = dc_doc(QUERY_DEV, query_body(), &["authorization"]);
    doc["authorization"] = json!(devicecheck_jwt(TEAM_A));
    typed(&doc);
    // A development token sent to production.
    let mut doc = dc_doc("https://api.devicecheck.apple.com/v1/validate_device_token", query_body(), &["url"]);
    doc["expected"]["environment"] = json!("development");
    typed(&doc);
    // Apple's answer.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &[]);
    doc["response"] = json!({"status": 200, "body": "Bit State Not Found"});
    assert!(typed(&doc).details["response"]["meaning"].as_str().unwrap().contains("never set"));
}

/// The warnings a verdict carries, as (about, message).
fn warnings(v: &keyplay::validator::Verdict) -> Vec<(String, String)> {
    v.details
        .get("warnings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|w| (w["about"].as_str().unwrap_or("").to_owned(), w["message"].as_str().unwrap_or("").to_owned()))
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn devicecheck_request_edges() {
    // validate_device_token is an operation of its own, on the production host.
    let v = typed(&dc_doc("https://api.devicecheck.apple.com/v1/validate_device_token", query_body(), &[]));
    assert_eq!(v.details["environment"], "production");
    // The two development host names people guess get the right one named.
    for host in ["api.devicecheck.development.apple.com", "development.devicecheck.apple.com"] {
        let v = typed(&dc_doc(&format!("https://{host}/v1/query_two_bits"), query_body(), &["url"]));
        assert!(
            v.checks[0].message.contains("the development host is api.development.devicecheck.apple.com"),
            "{host}"
        );
    }
    // A body timestamp within five minutes of now passes quietly, five minutes to the millisecond
    // included, either way; a millisecond more, or ten minutes off, is a warning.
    let slack =
        [(-120_000, false), (-600_000, true), (-300_000, false), (300_000, false), (-300_001, true), (300_001, true)];
    for (ms, warned) in slack {
        let mut b = query_body();
        b["timestamp"] = json!(NOW * 1000 + ms);
        let w = warnings(&typed(&dc_doc(QUERY_DEV, b, &[])));
        assert_eq!(w.iter().any(|(about, _)| about == "timestamp"), warned, "{ms} ms: {w:?}");
    }
    // 10^11 ms (March 1973) is the first value read as milliseconds; one less is taken for seconds.
    let mut b = query_body();
    b["timestamp"] = json!(100_000_000_000_i64);
    let v = typed(&dc_doc(QUERY_DEV, b.clone(), &[]));
    let ts = v.checks.iter().find(|c| c.id == "timestamp").expect("a timestamp check");
    assert!(ts.ok && ts.message.contains("1973-03-03"), "{ts:?}");
    b["timestamp"] = json!(99_999_999_999_i64);
    let v = typed(&dc_doc(QUERY_DEV, b, &["timestamp"]));
    let ts = v.checks.iter().find(|c| c.id == "timestamp").expect("a timestamp check");
    assert!(ts.message.contains("in seconds"), "{ts:?}");
    // A token made two hours ago: refresh it at least hourly.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &[]);
    let old = es256(&ec_key(2), json!({"alg": "ES256", "kid": DC_KEY_ID}), json!({"iss": TEAM_A, "iat": NOW - 7200}));
    doc["authorization"] = json!(format!("Bearer {old}"));
    let w = warnings(&typed(&doc));
    assert!(w.iter().any(|(about, m)| about == "iat" && m.contains("at least hourly")), "{w:?}");
    // An hour old exactly is still within the hour; a second more is not.
    for (age, warned) in [(3600, false), (3601, true)] {
        let mut doc = dc_doc(QUERY_DEV, query_body(), &[]);
        let token =
            es256(&ec_key(2), json!({"alg": "ES256", "kid": DC_KEY_ID}), json!({"iss": TEAM_A, "iat": NOW - age}));
        doc["authorization"] = json!(format!("Bearer {token}"));
        let w = warnings(&typed(&doc));
        assert_eq!(
            w.iter().any(|(about, m)| about == "iat" && m.contains("at least hourly")),
            warned,
            "{age} s: {w:?}"
        );
    }
    // No team to compare with: an iss that is no Team ID at all still fails.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &["iss"]);
    doc["expected"].as_object_mut().unwrap().remove("team-id");
    doc["authorization"] = json!(format!(
        "Bearer {}",
        es256(&ec_key(2), json!({"alg": "ES256", "kid": DC_KEY_ID}), json!({"iss": "my-server", "iat": NOW - 60}))
    ));
    typed(&doc);
    // No team to compare with, and an iss that looks like a Team ID: it passes, and says why.
    let mut doc = dc_doc(QUERY_DEV, query_body(), &[]);
    doc["expected"].as_object_mut().unwrap().remove("team-id");
    let v = typed(&doc);
    let iss = v.checks.iter().find(|c| c.id == "iss").expect("an iss check");
    assert!(iss.ok && iss.message.contains("looks like a Team ID"), "{iss:?}");
    // A field under a name other tools use is named with the right one.
    let mut b = query_body();
    b["transactionId"] = b["transaction_id"].take();
    b.as_object_mut().unwrap().remove("transaction_id");
    let v = typed(&dc_doc(QUERY_DEV, b, &["body", "transaction_id"]));
    let body = v.checks.iter().find(|c| c.id == "body").expect("a body check");
    assert!(body.message.contains("transactionId should be transaction_id"), "{body:?}");
    // A device token that is base64 but far too short for one.
    let mut b = query_body();
    b["device_token"] = json!("AAAAAA==");
    let v = typed(&dc_doc(QUERY_DEV, b, &["device_token"]));
    let token = v.checks.iter().find(|c| c.id == "device_token").expect("a device_token check");
    assert!(token.message.contains("decodes to only 4 bytes"), "{token:?}");
    // A long malformed token is shown cut at 40 characters.
    let mut b = query_body();
    b["device_token"] = json!("-".repeat(60));
    let v = typed(&dc_doc(QUERY_DEV, b, &["device_token"]));
    let found = v.checks.iter().find(|c| c.id == "device_token").and_then(|c| c.found.clone()).unwrap();
    assert_eq!(found, format!("{}…", "-".repeat(40)));
    // A blank transaction id is empty.
    let mut b = query_body();
    b["transaction_id"] = json!("  ");
    let v = typed(&dc_doc(QUERY_DEV, b, &["transaction_id"]));
    let id = v.checks.iter().find(|c| c.id == "transaction_id").expect("a transaction_id check");
    assert_eq!(id.message, "transaction_id is empty");
    // One of 40 characters is shown whole.
    let mut b = query_body();
    b["device_token"] = json!("-".repeat(40));
    let v = typed(&dc_doc(QUERY_DEV, b, &["device_token"]));
    let found = v.checks.iter().find(|c| c.id == "device_token").and_then(|c| c.found.clone());
    assert_eq!(found, Some("-".repeat(40)));
    // Two bits given: both counted.
    let mut b = query_body();
    b["bit0"] = json!(true);
    b["bit1"] = json!(false);
    let v = typed(&dc_doc("https://api.devicecheck.apple.com/v1/update_two_bits", b, &[]));
    assert!(v.checks.iter().any(|c| c.id == "bits" && c.message.starts_with("2 bit(s)")), "{:?}", v.checks);
    // Apple's answers: what each status means.
    let meaning = |url: &str, status: u16, body: &str| {
        let mut doc = dc_doc(url, query_body(), &[]);
        if url.ends_with("update_two_bits") {
            doc["body"]["bit0"] = json!(true);
        }
        doc["response"] = json!({"status": status, "body": body});
        typed(&doc).details["response"]["meaning"].as_str().unwrap().to_owned()
    };
    let update = "https://api.development.devicecheck.apple.com/v1/update_two_bits";
    assert!(meaning(QUERY_DEV, 200, r#"{"bit0": true}"#).contains("bit0, bit1 and last_update_time"));
    assert!(meaning(update, 200, "").contains("validate and update answer with an empty body"));
    assert!(meaning(QUERY_DEV, 400, "Missing or incorrectly formatted device token payload")
        .contains("could not read the request"));
    assert!(meaning(QUERY_DEV, 429, "").contains("too many requests"));
    assert!(meaning(QUERY_DEV, 401, "Unable to verify authorization token").contains("could not verify the JWT"));
    for status in [403, 405] {
        assert!(meaning(QUERY_DEV, status, "").contains("POST to /v1/<operation>"), "{status}");
    }
    for status in [500, 503, 599] {
        assert!(meaning(QUERY_DEV, status, "").contains("Apple's server failed"), "{status}");
    }
    // Past the server errors, and below them, Keyplay says it has no reading.
    for status in [302, 418, 600] {
        assert!(meaning(QUERY_DEV, status, "").contains("no reading"), "{status}");
    }
}

// ---------------------------------------------------------------- explainers

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn network_lookups() {
    let doc = |body: Value, failed: &[&str]| {
        let mut d = body;
        d["keyplay"] = json!(1);
        d["kind"] = json!("devicecheck-network");
        d["expect"] = json!({"valid": failed.is_empty(), "failed": failed});
        d
    };
    // The "App Attest server unreachable" thread.
    let v = typed(&doc(json!({"host": "https://attest.apple.com", "operation": "verify-attestation"}), &["host"]));
    assert!(v.details["diagnosis"].to_string().contains("offline"));
    assert_eq!(v.details["operation"]["contacts-apple"], json!(false));
    // The "generateToken error 0" thread.
    let v = typed(&doc(
        json!({"operation": "DCDevice.generateToken", "error": "com.apple.devicecheck.error 0", "network": "Wi-Fi"}),
        &[],
    ));
    assert_eq!(v.details["dcerror"]["code"]["swift"], "unknownSystemFailure");
    let cells = v.details["dcerror"]["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 1);
    assert_eq!(cells[0]["method"], "DCDevice.generateToken");
    assert!(v.details["diagnosis"].to_string().contains("SSL inspection"));
    // attestKey behind a proxy is serverUnavailable; lookups by host and environment.
    let v = typed(&doc(json!({"operation": "attestKey", "error": "DCError 4"}), &[]));
    assert_eq!(v.details["dcerror"]["code"]["raw"], 4);
    typed(&doc(json!({"host": "data-development.appattest.apple.com", "environment": "development"}), &[]));
    typed(&doc(json!({"host": "data-development.appattest.apple.com", "environment": "production"}), &["host"]));
    let v = typed(&doc(json!({"host": "api.devicecheck.apple.co"}), &["host"]));
    assert!(v.checks[0].message.contains("did you mean api.devicecheck.apple.com?"));
    typed(&doc(json!({"operation": "attestKeys"}), &["operation"]));
    typed(&doc(json!({"error": "timeout"}), &["error"]));
    typed(&doc(json!({}), &["lookup"]));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn siwa_explain_topics() {
    let doc = |topic: &str, renamed: Value, failed: &[&str]| {
        json!({"keyplay": 1, "kind": "siwa-explain", "topic": topic, "renamed": renamed,
               "expect": {"valid": failed.is_empty(), "failed": failed}})
    };
    let v =
        typed(&doc("display-name", json!(["app-id-description", "services-id-description", "notification-url"]), &[]));
    assert_eq!(v.details["explain"][0]["id"], "siwa-display-name");
    assert!(v.details["explain"][0]["summary"].as_str().unwrap().contains("primary App ID"));
    assert_eq!(v.details["renamed"].as_array().unwrap().len(), 3);
    assert!(v.details["renamed"][2]["changes-when"].as_str().unwrap().contains("stale configuration"));
    let v = typed(&doc("server-notifications", json!([]), &[]));
    assert_eq!(v.details["events"].as_array().unwrap().len(), 4);
    typed(&doc("app-transfer", json!([]), &[]));
    typed(&doc("first-authorization", json!([]), &[]));
    let v = typed(&doc("display-nam", json!(["app-name"]), &["topic", "renamed"]));
    assert!(v.checks[0].message.contains("did you mean display-name?"));
    // Document errors name the field.
    let err = siwa_server::parse_explain(json!({"topic": "display-name", "renames": []})).unwrap_err();
    assert_eq!(err.path, "/renames");
}

// ---------------------------------------------------------------- the new kinds' gallery examples

/// The shipped examples of the new kinds, through the typed functions (`keyplay run` runs them
/// too, in tests/cli.rs and tests/golden.rs).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn new_kind_examples_meet_their_expectations() {
    let mut seen = 0;
    for dir in ["siwa", "devicecheck"] {
        for (name, text) in keyplay::gallery::of_kind(dir) {
            let doc: Value = serde_json::from_str(text).unwrap();
            assert!(doc.get("expect").is_some(), "{name} has no expect");
            typed(&doc);
            let out = run_text(text, Instant(NOW));
            assert_eq!(out.exit, 0, "{dir}/{name}: {}", out.report);
            seen += 1;
        }
    }
    assert_eq!(seen, 7);
}

// ---------------------------------------------------------------- the gallery's signed examples

/// Where the generated examples of the new kinds live.
#[cfg(not(target_arch = "wasm32"))]
const PENDING_ROOT: &str = "examples";

#[cfg(not(target_arch = "wasm32"))]
fn public_pem(key: &p256::SecretKey) -> String {
    use p256::pkcs8::EncodePublicKey;
    key.public_key().to_public_key_pem(der::pem::LineEnding::LF).unwrap()
}

#[cfg(not(target_arch = "wasm32"))]
fn titled(mut doc: Value, title: &str, notes: &str) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("keyplay".into(), json!(1));
    out.insert("kind".into(), doc["kind"].take());
    out.insert("title".into(), json!(title));
    out.insert("notes".into(), json!(notes));
    for (k, v) in doc.as_object().unwrap() {
        if !["keyplay", "kind"].contains(&k.as_str()) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(not(target_arch = "wasm32"))]
const SIGNED_HERE: &str = "Signed in the test suite with Keyplay's throwaway key (tests/keys/throwaway-rsa-2048.pem), \
    checked against its JWKS: the shape of an Apple notification, not an Apple signature.";

/// Every generated example: (path under the repository, document).
#[cfg(not(target_arch = "wasm32"))]
fn gallery() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let v = lunaone();
    let at = v["verification_time"]["use"].as_str().unwrap();
    let real = lunaone_doc(
        v["inputs"]["token"].as_str().unwrap(),
        at,
        v["inputs"]["expected_audience"].as_str().unwrap(),
        &[],
    );
    out.push((
        "examples/jwt/notification-lunaone-consent-revoked.json".to_string(),
        titled(
            real,
            "A real Sign in with Apple server-to-server notification (consent-revoked)",
            "Real notification from LunaONE/sign_in_with_apple_server (BSD-3-Clause), verified at its own time with \
         Keyplay's built-in snapshot of Apple's keys (2025-07-13). The events claim is a JSON string.",
        ),
    ));
    for kind in keyplay::jwt::notification::EVENT_TYPES {
        let doc = notification_doc(&notification(json!(event(kind).to_string())), &[]);
        out.push((
            format!("examples/jwt/notification-{kind}.json"),
            titled(doc, &format!("A {kind} notification and what the server should do"), SIGNED_HERE),
        ));
    }
    let doc = notification_doc(&notification(event("account-delete")), &["events"]);
    out.push((
        "examples/jwt/notification-events-not-a-string.json".to_string(),
        titled(doc, "A notification whose events claim is an object, not a string", SIGNED_HERE),
    ));

    let secret_key = json!({"pem": public_pem(&ec_key(1))});
    let mut revoke = revoke_doc(revoke_form(TEAM_A), &["team"]);
    revoke["keys"] = secret_key.clone();
    revoke["response"] = json!({"status": 400, "error": "invalid_client"});
    out.push((
        format!("{PENDING_ROOT}/siwa/revoke-wrong-team.json"),
        titled(
            revoke,
            "Revoking a token with the client secret of the wrong team",
            "The app moved from team SKMME9E2Y8 to K2Q7ZT4X9B; the server still signs its client secret with the old \
         team's key. Client secret signed with a throwaway P-256 key (seed 1), checked against its public key.",
        ),
    ));
    let mut seed = seed_access_denied_doc();
    seed["keys"] = secret_key.clone();
    out.push((format!("{PENDING_ROOT}/siwa/migration-access-denied.json"), titled(seed,
        "access_denied from /auth/usermigrationinfo (the seed thread)",
        "As in the forum thread: client_id and the secret's sub are the group's primary App ID, the user goes in a \
         user_token field, target is missing, and the transferred App ID is still grouped. access_denied is not \
         documented for this endpoint; the diagnosis ranks the inferred causes by the failing checks.")));
    let generate = json!({"sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "target": TEAM_B,
                          "client_id": CLIENT, "client_secret": secret(TEAM_A, CLIENT)});
    let mut ok = migration_doc(generate, BEARER, &[]);
    ok["keys"] = secret_key;
    out.push((format!("{PENDING_ROOT}/siwa/migration-generate-transfer-sub.json"), titled(ok,
        "A correct transfer-identifier request (TN3159, transferring team)",
        "sub of the user under the transferring team, target = the recipient team, client_id = the transferred app, \
         client secret signed by the transferring team.")));
    let explain = json!({"keyplay": 1, "kind": "siwa-explain", "topic": "display-name",
                         "renamed": ["app-id-description", "services-id-description", "notification-url"],
                         "expect": {"valid": true, "failed": []}});
    out.push((format!("{PENDING_ROOT}/siwa/display-name-not-updating.json"), titled(explain,
        "Renamed identifiers still show the old name in Settings (the seed thread)",
        "Where the name in the Sign in with Apple sheet and in Settings comes from, when it changes, and why a stale \
         name says nothing about the server notification URL.")));

    let mut dc = dc_doc(QUERY_DEV, query_body(), &["iss"]);
    dc["authorization"] = json!(format!("Bearer {}", devicecheck_jwt(DC_KEY_ID)));
    dc["keys"] = json!({"pem": public_pem(&ec_key(2))});
    out.push((format!("{PENDING_ROOT}/devicecheck/query-wrong-iss.json"), titled(dc,
        "A DeviceCheck query whose JWT has the Key ID as iss",
        "JWT signed with a throwaway P-256 key (seed 2), checked against its public key; the device token is filler \
         bytes, not a real DCDevice token.")));
    let unreachable = json!({"keyplay": 1, "kind": "devicecheck-network", "host": "https://attest.apple.com",
                             "operation": "verify-attestation", "network": "corporate network and mobile hotspot",
                             "expect": {"valid": false, "failed": ["host"]}});
    out.push((
        format!("{PENDING_ROOT}/devicecheck/app-attest-server-unreachable.json"),
        titled(
            unreachable,
            "\"App Attest server unreachable\": there is no server to reach",
            "The seed thread tries to send attestations to attest.apple.com. The server verifies attestations itself, \
         offline; only the optional receipt refresh calls data.appattest.apple.com.",
        ),
    ));
    let token0 = json!({"keyplay": 1, "kind": "devicecheck-network", "operation": "DCDevice.generateToken",
                        "error": "com.apple.devicecheck.error 0", "network": "Wi-Fi",
                        "expect": {"valid": true, "failed": []}});
    out.push((
        format!("{PENDING_ROOT}/devicecheck/generate-token-error-0.json"),
        titled(
            token0,
            "DeviceCheck.generateToken fails with com.apple.devicecheck.error 0, mostly on Wi-Fi",
            "Code 0 is unknownSystemFailure; which networks cause it is reported, not documented.",
        ),
    ));
    out
}

/// Rewrites the generated examples; run by hand after changing them.
#[cfg(not(target_arch = "wasm32"))]
#[test]
#[ignore]
fn regenerate_examples() {
    for (path, doc) in gallery() {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
}

/// The generated examples on disk are what the generator makes (deterministic signatures).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn examples_on_disk_match_the_generator() {
    for (path, doc) in gallery() {
        let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
        let text = std::fs::read_to_string(&full).unwrap_or_else(|_| panic!("{path} missing: run regenerate_examples"));
        let on_disk: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(on_disk, doc, "{path} differs from the generator");
    }
}

// ---------------------------------------------------------------- never panics

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            ".{0,40}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("client_id".to_string()),
                        Just("token".to_string()),
                        Just("device_token".to_string()),
                        Just("timestamp".to_string()),
                        Just("bit0".to_string()),
                        ".{0,8}".prop_map(String::from)
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn random_notifications(token in ".{0,300}", events in ".{0,80}") {
            let doc = json!({"keyplay": 1, "kind": "jwt", "profile": "apple-server-notification", "now": NOW_TEXT,
                             "token": token, "expected": {"audience": CLIENT}});
            let out = run_text(&doc.to_string(), Instant(NOW));
            prop_assert!(out.exit == 0 || out.exit == 2);
            let signed = notification(json!(events));
            let out = run_text(&notification_doc(&signed, &[]).to_string(), Instant(NOW));
            prop_assert!(out.exit <= 1);
        }

        #[test]
        fn random_token_requests(form in any_json(), url in ".{0,60}", secret_text in ".{0,120}") {
            let mut f = form;
            if let Some(map) = f.as_object_mut() {
                map.insert("client_secret".into(), json!(secret_text));
            }
            for u in [url.as_str(), "https://appleid.apple.com/auth/revoke", "https://appleid.apple.com/auth/usermigrationinfo"] {
                let body = json!({"url": u, "form": f.clone(), "transfer": transfer(),
                                  "response": {"error": "access_denied"}, "authorization": "Bearer x"});
                if let Ok(doc) = siwa_server::parse_token_request(body) {
                    let v = siwa_server::verify_token_request(&doc, Instant(NOW)).unwrap();
                    prop_assert!(!v.checks.is_empty());
                }
            }
        }

        #[test]
        fn random_devicecheck_requests(body in any_json(), url in ".{0,60}", auth in ".{0,80}") {
            for u in [url.as_str(), QUERY_DEV, "https://api.devicecheck.apple.com/v1/update_two_bits"] {
                let doc = json!({"url": u, "body": body.clone(), "authorization": auth.clone()});
                if let Ok(doc) = devicecheck::parse_request(doc) {
                    let v = devicecheck::verify_request(&doc, Instant(NOW)).unwrap();
                    prop_assert!(!v.checks.is_empty());
                }
            }
        }

        #[test]
        fn random_lookups(host in ".{0,40}", op in ".{0,30}", error in ".{0,40}") {
            let doc = devicecheck::parse_network(json!({"host": host, "operation": op, "error": error})).unwrap();
            prop_assert_eq!(devicecheck::verify_network(&doc).checks.len(), 3);
        }
    }
}

// ---------------------------------------------------------------- check-id tables

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn expect_failed_names_only_ids_of_the_kind() {
    let cases = [
        (
            "apple-token-request",
            json!({"url": "https://appleid.apple.com/auth/revoke"}),
            "client-secret.sbu",
            "client-secret.sub",
        ),
        ("siwa-explain", json!({"topic": "private-relay"}), "topik", "topic"),
        ("devicecheck-request", json!({"url": QUERY_DEV}), "device-token", "device_token"),
        ("devicecheck-network", json!({"host": "api.devicecheck.apple.com"}), "hots", "host"),
    ];
    for (kind, body, wrong, right) in cases {
        let mut doc = body.as_object().unwrap().clone();
        doc.insert("keyplay".into(), json!(1));
        doc.insert("kind".into(), json!(kind));
        doc.insert("expect".into(), json!({"valid": false, "failed": [right, wrong]}));
        let out = run_text(&Value::Object(doc).to_string(), Instant(NOW));
        let text = out.report.to_string();
        assert_ne!(out.exit, 0, "{kind}: {text}");
        assert!(text.contains("/expect/failed/1"), "{kind}: {text}");
        assert!(text.contains(&format!("did you mean {right}")), "{kind}: {text}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn client_secret_ids_are_the_jwt_ids_prefixed() {
    use keyplay::jwt::JwtCheck;
    use siwa_server::TokenRequestCheck;
    let mut mapped = 0;
    for jwt in JwtCheck::ALL {
        if let Some(prefixed) = TokenRequestCheck::client_secret(*jwt) {
            assert_eq!(prefixed.id(), format!("client-secret.{}", jwt.id()));
            mapped += 1;
        }
    }
    assert_eq!(mapped, 10, "format, alg, kid, signature, iss, aud, sub, iat, exp, lifetime");
}

/// The causes the team and target checks give, and which step a request to another address is.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transfer_causes_targets_and_steps_elsewhere() {
    let cause =
        |v: &Verdict, id: &str| v.checks.iter().find(|c| c.id == id).and_then(|c| c.cause.clone()).unwrap_or_default();
    // The recipient's exchange signed with the transferring team's key.
    let exchange = json!({"transfer_sub": "000987.aa11bb22cc33dd44ee55ff6677889900.0101", "client_id": CLIENT,
                          "client_secret": secret(TEAM_A, CLIENT)});
    let v = typed(&migration_doc(exchange, BEARER, &["team"]));
    assert!(cause(&v, "team").contains("the transferring team's key signed the secret"), "{}", cause(&v, "team"));
    // Without a transfer block, target may be any team but the one signing the request.
    let generate = |target: &str| {
        json!({"sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "target": target,
               "client_id": CLIENT, "client_secret": secret(TEAM_A, CLIENT)})
    };
    let mut own = migration_doc(generate(TEAM_A), BEARER, &["target"]);
    own.as_object_mut().map(|d| d.remove("transfer"));
    let v = typed(&own);
    assert!(cause(&v, "target").contains("not the sender's own Team ID"), "{}", cause(&v, "target"));
    let mut other = migration_doc(generate(TEAM_B), BEARER, &[]);
    other.as_object_mut().map(|d| d.remove("transfer"));
    let v = typed(&other);
    assert!(v.checks.iter().any(|c| c.id == "target" && c.ok), "{:?}", v.checks);
    // A request to an address that is no Apple endpoint is a revocation only when its form
    // carries a token.
    let mut elsewhere = migration_doc(generate(TEAM_B), BEARER, &[]);
    elsewhere["url"] = json!("https://idp.example.com/oauth");
    elsewhere.as_object_mut().map(|d| d.remove("expect"));
    let step = typed(&elsewhere).details["step"].clone();
    assert!(step.is_string() && step != "revoke", "{step}");
}

/// The team check names the side of a transfer that signed, and the cause of a third team's
/// key at each step; the key id and the token's look are compared with what the document says.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn transfer_sides_third_teams_key_ids_and_token_looks() {
    const TEAM_C: &str = "Z9Y8X7W6V5";
    let team = |v: &Verdict| v.checks.iter().find(|c| c.id == "team").cloned().expect("a team check");
    // The migration access token: either team of the transfer signs it, and is named.
    let access = |team: &str, failed: &[&str]| {
        json!({"keyplay": 1, "kind": "apple-token-request", "url": "https://appleid.apple.com/auth/token",
               "content-type": "application/x-www-form-urlencoded", "transfer": transfer(),
               "form": {"grant_type": "client_credentials", "scope": "user.migration", "client_id": CLIENT,
                        "client_secret": secret(team, CLIENT)},
               "expect": {"valid": failed.is_empty(), "failed": failed}})
    };
    for (signer, side) in [(TEAM_A, "transferring"), (TEAM_B, "recipient")] {
        let check = team(&typed(&access(signer, &[])));
        assert!(check.message.contains(&format!("the {side} team {signer}")), "{check:?}");
    }
    let check = team(&typed(&access(TEAM_C, &["team"])));
    assert!(check.message.contains("neither team of the transfer"), "{check:?}");
    // A third team's key generating or exchanging a transfer identifier is only another team.
    let generate = json!({"sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "target": TEAM_B,
                          "client_id": CLIENT, "client_secret": secret(TEAM_C, CLIENT)});
    let exchange = json!({"transfer_sub": "000987.aa11bb22cc33dd44ee55ff6677889900.0101", "client_id": CLIENT,
                          "client_secret": secret(TEAM_C, CLIENT)});
    for form in [generate, exchange] {
        let check = team(&typed(&migration_doc(form, BEARER, &["team"])));
        assert_eq!(check.cause.as_deref(), Some("the secret was signed by another team"), "{check:?}");
    }
    // A target that is not the recipient: the sender's own team, or a third one.
    for (target, says) in [(TEAM_A, "the transferring team's own Team ID"), (TEAM_C, "made for another team")] {
        let form = json!({"sub": "001234.5f3c1c0e9d2b4a7c8e6f0a1b2c3d4e5f.1234", "target": target,
                          "client_id": CLIENT, "client_secret": secret(TEAM_A, CLIENT)});
        let v = typed(&migration_doc(form, BEARER, &["target"]));
        let check = v.checks.iter().find(|c| c.id == "target").expect("a target check");
        assert!(check.cause.as_deref().unwrap_or_default().contains(says), "{target}: {check:?}");
    }
    // The expected key id is the one the client secret must name.
    let mut doc = revoke_doc(revoke_form(TEAM_B), &["client-secret.kid"]);
    doc["expected"]["key-id"] = json!("ZZZ999YYYY");
    typed(&doc);
    // A token that looks like a refresh token sent with the access token hint, and the other way.
    for (token, hint, looks) in [
        ("r8f2c4a1e0b9d7c6a5b4c3d2e1f0a9b8c.0.rsxz.Ab12Cd34", "access_token", "refresh_token"),
        ("a56a8828048af48c0871e73b55d8910aa.0.rzvs.96uUcy1K", "refresh_token", "access_token"),
    ] {
        let mut form = revoke_form(TEAM_B);
        form["token"] = json!(token);
        form["token_type_hint"] = json!(hint);
        let w = warnings(&typed(&revoke_doc(form, &[])));
        let said = format!("looks like an {looks}");
        assert!(w.iter().any(|(about, m)| about == "token_type_hint" && m.contains(&said)), "{w:?}");
    }
}
