//! Evidence in: entitlements, provisioning profiles and keychain dumps imported from samples
//! written in the shapes the real tools print (`tests/import/README.md`). Runs natively and in
//! headless browsers.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::import::{self, profile::compare};
use keyplay::report::Printed;
use keyplay::Instant;

/// The report of a document as `keyplay run` prints it (JSON and exit code).
fn run_text(text: &str, clock: Instant) -> Printed {
    keyplay::run_text(text, clock).printed()
}
use serde_json::{json, Value};

const NOW: Instant = Instant(1_767_225_600); // 2026-01-01T00:00:00Z

const TEXT_IOS: &str = include_str!("import/codesign-text-ios.txt");
const TEXT_FLAT: &str = include_str!("import/codesign-text-flat.txt");
const XML_MACOS: &str = include_str!("import/codesign-xml-macos.txt");
const ENTITLEMENTS_FILE: &str = include_str!("import/waffle.entitlements");
const PROFILE_DER: &[u8] = include_bytes!("import/waffle-der.mobileprovision");
const PROFILE_BER: &[u8] = include_bytes!("import/waffle-ber.mobileprovision");
const PROFILE_PLIST: &[u8] = include_bytes!("import/waffle-profile.plist");
const DUMP_SWIFT: &str = include_str!("import/dump-swift.txt");
const DUMP_NS: &str = include_str!("import/dump-nsdictionary.txt");
const DUMP_SECURITY: &str = include_str!("import/dump-keychain.txt");

fn ignored(e: &import::Entitlements) -> Vec<&str> {
    e.ignored.iter().map(|i| i.entitlement.as_str()).collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn codesign_text_form_fills_the_app_block() {
    let e = import::entitlements(TEXT_IOS).expect("reads");
    assert_eq!(
        e.fragment()["app"],
        json!({
            "application-identifier": "SKMME9E2Y8.com.example.waffle-varnisher",
            "keychain-access-groups": ["SKMME9E2Y8.groupA", "SKMME9E2Y8.groupB"],
            "application-groups": ["group.com.example.waffle"],
        })
    );
    assert_eq!(e.team_id.as_deref(), Some("SKMME9E2Y8"));
    assert_eq!(e.fragment()["platform"], json!("ios"));
    assert_eq!(ignored(&e), ["get-task-allow", "aps-environment"]);
    assert!(e.ignored[0].why.contains("debugger"), "{:?}", e.ignored);
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn text_form_without_indentation_reads_the_same_app_and_says_so() {
    let indented = import::entitlements(TEXT_IOS).expect("reads");
    let flat = import::entitlements(TEXT_FLAT).expect("reads");
    assert_eq!(flat.app, indented.app);
    assert!(flat.notes.iter().any(|n| n.contains("indentation")), "{:?}", flat.notes);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn xml_form_of_a_mac_app() {
    let e = import::entitlements(XML_MACOS).expect("reads");
    assert_eq!(e.format, import::entitlements::Format::XmlPlist);
    assert_eq!(e.app.application_identifier.as_deref(), Some("SKMME9E2Y8.com.example.varnish"));
    assert_eq!(e.fragment()["platform"], json!("macos"));
    assert_eq!(ignored(&e), ["com.apple.security.app-sandbox", "com.apple.security.network.client"]);
    assert!(e.notes.iter().any(|n| n.contains("provisioning profile authorises")), "{:?}", e.notes);
    assert!(e.notes.iter().any(|n| n.contains("macos-file")), "{:?}", e.notes);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn entitlements_file_with_build_settings_is_flagged_not_trusted() {
    let e = import::entitlements(ENTITLEMENTS_FILE).expect("reads");
    // No application-identifier and no team: the prefix cannot be expanded.
    assert_eq!(
        e.app.keychain_access_groups,
        Some(vec!["$(AppIdentifierPrefix)com.example.waffle-varnisher".into(), "$(AppIdentifierPrefix)groupA".into()])
    );
    assert!(e.notes.iter().any(|n| n.contains("codesign -d --entitlements -")), "{:?}", e.notes);
    assert!(e.notes.iter().any(|n| n.contains("could not be expanded")), "{:?}", e.notes);
    assert!(e.notes.iter().any(|n| n.contains("no application-identifier")), "{:?}", e.notes);
    assert_eq!(ignored(&e), ["com.apple.developer.associated-domains"]);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn build_settings_expand_when_the_prefix_is_known() {
    let text = ENTITLEMENTS_FILE.replace(
        "<dict>\n",
        "<dict>\n\t<key>application-identifier</key>\n\t<string>SKMME9E2Y8.com.example.waffle-varnisher</string>\n",
    );
    let e = import::entitlements(&text).expect("reads");
    assert_eq!(
        e.app.keychain_access_groups,
        Some(vec!["SKMME9E2Y8.com.example.waffle-varnisher".into(), "SKMME9E2Y8.groupA".into()])
    );
    assert!(!e.notes.iter().any(|n| n.contains("could not be expanded")), "{:?}", e.notes);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn imported_app_block_runs_in_a_document() {
    let e = import::entitlements(TEXT_IOS).expect("reads");
    let mut doc = e.fragment();
    doc["keyplay"] = json!(1);
    doc["kind"] = json!("keychain");
    doc["steps"] = json!([
        { "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S", "kSecAttrAccount": "a" },
          "expect": { "status": "errSecSuccess" } },
        { "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrAccessGroup": "SKMME9E2Y8.groupA",
                                   "kSecReturnAttributes": true },
          "expect": { "status": "errSecSuccess" } },
    ]);
    let out = run_text(&doc.to_string(), NOW);
    assert_eq!(out.exit, 0, "{}", out.report);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unreadable_entitlements_are_errors_with_a_line() {
    let err = import::entitlements("hello world").expect_err("not entitlements");
    assert!(err.message.contains("not entitlements"), "{err}");
    let err = import::entitlements("Executable=/x\n").expect_err("nothing");
    assert!(err.message.contains("no entitlements found"), "{err}");
    let err = import::entitlements("[Dict]\n\t[Key] a\n\t[Value]\n\t\t[Widget] x\n").expect_err("bad tag");
    assert_eq!(err.line, Some(4), "{err}");
    let err = import::entitlements("<plist><dict><key>a</key></plist>").expect_err("broken XML");
    assert!(err.message.contains("property list"), "{err}");
    let err = import::entitlements("[Array]\n").expect_err("not a dict");
    assert!(err.message.contains("[Dict]"), "{err}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn wrong_types_are_ignored_with_the_reason() {
    let text = "[Dict]\n\t[Key] keychain-access-groups\n\t[Value]\n\t\t[String] SKMME9E2Y8.one\n\t[Key] application-identifier\n\t[Value]\n\t\t[String] SKMME9E2Y8.com.example.app\n";
    let e = import::entitlements(text).expect("reads");
    assert_eq!(e.app.keychain_access_groups, None);
    assert_eq!(ignored(&e), ["keychain-access-groups"]);
    assert!(e.ignored[0].why.contains("a string"), "{:?}", e.ignored);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn profile_in_der_and_ber_and_as_plain_plist() {
    for (name, bytes, signed) in
        [("der", PROFILE_DER, true), ("ber", PROFILE_BER, true), ("plist", PROFILE_PLIST, false)]
    {
        let p = import::profile(bytes, NOW).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.signed, signed, "{name}");
        assert_eq!(p.team_ids, ["SKMME9E2Y8"], "{name}");
        assert_eq!(p.team_name.as_deref(), Some("Example Waffles Ltd"), "{name}");
        assert_eq!(p.devices, Some(3), "{name}");
        assert_eq!(p.expires.map(|t| t.to_rfc3339()).as_deref(), Some("2027-01-05T10:00:00Z"), "{name}");
        assert_eq!(p.expired, Some(false), "{name}");
        assert_eq!(
            p.entitlements.app.keychain_access_groups,
            Some(vec!["SKMME9E2Y8.*".into(), "com.apple.token".into()])
        );
        assert_eq!(p.developer_certificates.len(), 1);
        assert!(
            p.developer_certificates[0].contains("Apple Development: Test Developer"),
            "{:?}",
            p.developer_certificates
        );
        if signed {
            assert_eq!(p.cms_certificates, 1, "{name}");
        }
        // Wildcards are allowances: the fragment's app block leaves them out.
        assert_eq!(p.fragment(&[])["app"]["keychain-access-groups"], json!(["com.apple.token"]));
    }
    let later = Instant(1_830_000_000); // 2027-12
    assert_eq!(import::profile(PROFILE_DER, later).expect("reads").expired, Some(true));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn profile_matching_the_signed_entitlements_shows_no_difference() {
    let p = import::profile(PROFILE_BER, NOW).expect("reads");
    let signed = import::entitlements(TEXT_IOS).expect("reads");
    assert_eq!(compare(&p, &signed), []);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn profile_flags_a_team_change_and_groups_it_does_not_allow() {
    let p = import::profile(PROFILE_DER, Instant(1_830_000_000)).expect("reads");
    let moved =
        TEXT_IOS.replace("SKMME9E2Y8", "Q8V2RZL3KN").replace("group.com.example.waffle", "group.com.example.other");
    let signed = import::entitlements(&moved).expect("reads");
    let ids: Vec<&str> = compare(&p, &signed).iter().map(|d| d.id).collect();
    assert_eq!(
        ids,
        [
            "team-id-change",
            "app-id-prefix-change",
            "application-identifier-not-allowed",
            "access-group-not-allowed",
            "access-group-not-allowed",
            "app-group-not-allowed",
            "profile-expired"
        ]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unreadable_profiles_are_errors() {
    assert!(import::profile(b"", NOW).expect_err("empty").message.contains("CMS SignedData"));
    assert!(import::profile(&PROFILE_DER[..200], NOW).is_err());
    let mut flipped = PROFILE_DER.to_vec();
    flipped[0] = 0x31;
    assert!(import::profile(&flipped, NOW).is_err());
    let no_entitlements =
        b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Name</key><string>x</string></dict></plist>";
    assert!(import::profile(no_entitlements, NOW).expect_err("no entitlements").message.contains("Entitlements"));
}

fn items(dump: &import::Dump) -> Vec<Value> {
    dump.items.iter().map(|i| Value::Object(i.item.clone())).collect()
}

fn unrecovered(dump: &import::Dump, n: usize) -> Vec<&str> {
    dump.items[n].unrecovered.iter().map(|u| u.key.as_str()).collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn swift_description_dump() {
    let d = import::dump(DUMP_SWIFT).expect("reads");
    assert_eq!(d.format, import::dump::Format::Swift);
    let items = items(&d);
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        json!({
            "kSecClass": "kSecClassGenericPassword",
            "kSecAttrSynchronizable": false,
            "kSecAttrService": "AYS",
            "kSecAttrModificationDate": {"date": "2026-03-02T09:15:27Z"},
            "kSecAttrAccessGroup": "SKMME9E2Y8.groupA",
            "kSecAttrAccount": "mrgumby",
            "kSecAttrAccessible": "kSecAttrAccessibleWhenUnlocked",
            "kSecAttrCreationDate": {"date": "2026-03-02T09:15:27Z"},
            "kSecAttrGeneric": {"utf8": "SecItemHints"},
        })
    );
    assert_eq!(unrecovered(&d, 0), ["v_Data"]);
    // A local-time date is not invented; an offset date is converted; a comma stays in a value.
    assert_eq!(items[1]["kSecAttrCreationDate"], Value::Null);
    assert_eq!(items[1]["kSecAttrModificationDate"], json!({"date": "2026-03-02T10:20:00Z"}));
    assert_eq!(items[1]["kSecAttrLabel"], json!("Waffle, iOS"));
    assert_eq!(items[1]["kSecAttrSynchronizable"], json!(true));
    assert_eq!(unrecovered(&d, 1), ["cdat", "v_Data"]);
    // Account stored as data keeps its type; shortened secret and access control are reported.
    assert_eq!(items[2]["kSecAttrAccount"], json!({"utf8": "alice"}));
    assert_eq!(items[2]["kSecAttrService"], json!("token"));
    assert_eq!(unrecovered(&d, 2), ["v_Data", "accc"]);
    assert!(d.items[2].unrecovered[0].why.contains("shortened"), "{:?}", d.items[2].unrecovered);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn nsdictionary_description_dump() {
    let d = import::dump(DUMP_NS).expect("reads");
    assert_eq!(d.format, import::dump::Format::NsDictionary);
    let items = items(&d);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kSecAttrLabel"], json!("Waffle \"Varnisher\""));
    assert_eq!(items[0]["kSecValueData"], json!({"utf8": "opendoor"}));
    assert_eq!(items[0]["kSecAttrGeneric"], json!({"utf8": "SecItemHints"}));
    assert_eq!(unrecovered(&d, 0), Vec::<&str>::new());
    assert_eq!(
        items[1],
        json!({
            "kSecClass": "kSecClassInternetPassword",
            "kSecAttrAccount": "bob@example.com",
            "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly",
            "kSecAttrPort": 443,
            "kSecAttrProtocol": "kSecAttrProtocolHTTPS",
            "kSecAttrServer": "example.com",
            "kSecAttrAuthenticationType": "kSecAttrAuthenticationTypeDefault",
            "kSecAttrSynchronizable": true,
        })
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn security_dump_keychain_output() {
    let d = import::dump(DUMP_SECURITY).expect("reads");
    assert_eq!(d.platform, Some(keyplay::keychain::Platform::MacosFile));
    let items = items(&d);
    assert_eq!(items.len(), 2, "the certificate record is not imported");
    assert_eq!(
        items[0],
        json!({
            "kSecClass": "kSecClassGenericPassword",
            "kSecAttrLabel": "AYS",
            "kSecAttrAccount": "mrgumby",
            "kSecAttrCreationDate": {"date": "2026-03-02T09:15:27Z"},
            "kSecAttrCreator": 1_633_775_724,
            "kSecAttrModificationDate": {"date": "2026-03-02T09:15:27Z"},
            "kSecAttrService": "AYS",
            "kSecValueData": {"utf8": "opendoor"},
        })
    );
    assert_eq!(items[1]["kSecAttrPort"], json!(443));
    assert_eq!(items[1]["kSecAttrProtocol"], json!("kSecAttrProtocolHTTPS"));
    assert_eq!(unrecovered(&d, 1), ["v_Data"]);
    assert!(d.notes.iter().any(|n| n.contains("not imported")), "{:?}", d.notes);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_dump_becomes_a_starting_keychain_that_runs() {
    for (name, text) in [("swift", DUMP_SWIFT), ("ns", DUMP_NS), ("security", DUMP_SECURITY)] {
        let d = import::dump(text).expect("reads");
        let mut doc = d.fragment();
        doc["keyplay"] = json!(1);
        doc["kind"] = json!("keychain");
        doc["app"] = json!({"application-identifier": "SKMME9E2Y8.com.example.waffle-varnisher"});
        let out = run_text(&doc.to_string(), NOW);
        assert_eq!(out.exit, 0, "{name}: {}", out.report);
        assert_eq!(out.report["keychain"].as_array().map(Vec::len), Some(d.items.len()), "{name}");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn explain_miss_names_the_attribute_that_did_not_match() {
    let d = import::dump(DUMP_SWIFT).expect("reads");
    let mut doc = d.fragment();
    doc["app"] = json!({"application-identifier": "SKMME9E2Y8.com.example.waffle-varnisher"});
    let query = json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "AYS", "kSecAttrAccount": "mrgumby",
                       "kSecReturnData": true});
    let misses = import::dump::explain_miss(&doc, &query, NOW).expect("explains");
    assert_eq!(misses.len(), 3);
    // Item 1: in groupA, which the app no longer has.
    assert_eq!(misses[0].mismatches.len(), 1, "{:?}", misses[0]);
    assert!(misses[0].mismatches[0].starts_with("access group: the item is in SKMME9E2Y8.groupA"), "{:?}", misses[0]);
    // Item 2: visible group, but it syncs.
    assert_eq!(misses[1].mismatches.len(), 1, "{:?}", misses[1]);
    assert!(misses[1].mismatches[0].starts_with("kSecAttrSynchronizable"), "{:?}", misses[1]);
    // Item 3: another service, and an account stored as data "alice".
    assert!(misses[2].mismatches.iter().any(|m| m.starts_with("kSecAttrService")), "{:?}", misses[2]);
    assert!(
        misses[2].mismatches.iter().any(|m| m.contains("kSecAttrAccount") && m.contains("CFData \"alice\"")),
        "{:?}",
        misses[2]
    );
    // The copy really finds nothing.
    let mut run = doc.clone();
    run["keyplay"] = json!(1);
    run["kind"] = json!("keychain");
    run["steps"] = json!([{ "SecItemCopyMatching": query, "expect": {"status": "errSecItemNotFound"} }]);
    assert_eq!(run_text(&run.to_string(), NOW).exit, 0);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn explain_miss_names_class_and_type_differences() {
    let doc = json!({"keychain": [
        {"kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "example.com", "kSecAttrPort": 443},
    ]});
    let query = json!({"kSecClass": "kSecClassGenericPassword"});
    let misses = import::dump::explain_miss(&doc, &query, NOW).expect("explains");
    assert!(
        misses[0].mismatches[0].starts_with("kSecClass: the query asks for kSecClassGenericPassword"),
        "{misses:?}"
    );
    let query = json!({"kSecClass": "kSecClassInternetPassword", "kSecAttrPort": "https"});
    let misses = import::dump::explain_miss(&doc, &query, NOW).expect("explains");
    assert!(misses[0].mismatches.iter().any(|m| m.contains("another type")), "{misses:?}");
    // A query for synced items does not see one that stays on the device.
    let query = json!({"kSecClass": "kSecClassInternetPassword", "kSecAttrSynchronizable": true});
    let misses = import::dump::explain_miss(&doc, &query, NOW).expect("explains");
    assert_eq!(
        misses[0].mismatches,
        ["kSecAttrSynchronizable: the query asks for synced items; this one does not sync"],
        "{misses:?}"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn unreadable_dumps_are_errors() {
    assert!(import::dump("hello").expect_err("not a dump").message.contains("not a keychain dump"));
    assert!(import::dump("[[\"acct\": x").is_err());
    assert!(import::dump("({ acct = x })").is_err());
    assert_eq!(import::dump("[]").expect("empty array").items.len(), 0);
    assert!(import::dump(&"[".repeat(100_000)).is_err());
}

/// A shipped example, by file name.
fn example(name: &str) -> Value {
    let text = keyplay::gallery::of_kind("keychain").find(|(n, _)| *n == name).map_or("{}", |(_, text)| text);
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn gallery_evidence_examples_start_from_what_the_importers_make() {
    let e = import::entitlements(TEXT_IOS).expect("reads");
    assert_eq!(example("from-entitlements-codesign.json")["app"], e.fragment()["app"]);

    let d = import::dump(DUMP_SWIFT).expect("reads");
    let without_dates = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.retain(|k, _| !k.ends_with("Date"));
        }
        v
    };
    let imported: Vec<Value> = items(&d).iter().take(2).map(without_dates).collect();
    let shipped = example("from-dump-why-not-found.json");
    assert_eq!(shipped["keychain"].as_array().cloned().unwrap_or_default(), imported);
    let mut fragment = d.fragment();
    fragment["keychain"] = shipped["keychain"].clone();
    fragment["app"] = shipped["app"].clone();
    let misses =
        import::dump::explain_miss(&fragment, &shipped["steps"][0]["SecItemCopyMatching"], NOW).expect("explains");
    let counts: Vec<usize> = misses.iter().map(|m| m.mismatches.len()).collect();
    assert_eq!(counts, [1, 1]);

    let p = import::profile(PROFILE_DER, NOW).expect("reads");
    let new_team = "[Dict]\n\t[Key] application-identifier\n\t[Value]\n\t\t[String] Q8V2RZL3KN.com.example.waffle-varnisher\n\t[Key] keychain-access-groups\n\t[Value]\n\t\t[Array]\n\t\t\t[String] Q8V2RZL3KN.groupA\n";
    let signed = import::entitlements(new_team).expect("reads");
    assert_eq!(example("from-profile-team-change.json")["app"], signed.fragment()["app"]);
    let ids: Vec<&str> = compare(&p, &signed).iter().map(|d| d.id).collect();
    assert_eq!(
        ids,
        ["team-id-change", "app-id-prefix-change", "application-identifier-not-allowed", "access-group-not-allowed"]
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn odd_dates_and_escapes_do_not_panic() {
    let d = import::dump("[[\"cdat\": 2026-03-02 09:15:27 +0é0, \"mdat\": \"\\u{1F600}\", \"acct\": \"a\\\\\"]]")
        .expect("reads");
    assert!(d.items[0].unrecovered.iter().any(|u| u.key == "cdat"), "{:?}", d.items[0]);
}

// The one path the CLI and the page share: evidence by source, folded into a document.

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn evidence_by_source_gives_the_fragment_and_what_was_found() {
    use import::evidence::{import as evidence, Source};
    for source in Source::ALL {
        assert_eq!(Source::from_name(source.name()), Some(source));
    }
    let e = evidence(Source::Entitlements, XML_MACOS.as_bytes(), None, &[], NOW).expect("reads");
    assert_eq!(e.fragment, import::entitlements(XML_MACOS).expect("reads").fragment());
    assert!(e.found.iter().any(|f| f == "team id SKMME9E2Y8"), "{:?}", e.found);
    assert!(e.notes.iter().any(|n| n.starts_with("ignored com.apple.security.app-sandbox")), "{:?}", e.notes);

    let d = evidence(Source::Dump, DUMP_SWIFT.as_bytes(), None, &[], NOW).expect("reads");
    assert_eq!(d.found[0], "3 items");
    assert!(d.notes.iter().any(|n| n.contains("cdat not recovered")), "{:?}", d.notes);

    let p = evidence(Source::Profile, PROFILE_DER, Some(TEXT_IOS.as_bytes()), &[], NOW).expect("reads");
    assert!(p.found.iter().any(|f| f == "3 devices"), "{:?}", p.found);
    let alone = evidence(Source::Profile, PROFILE_DER, None, &[], NOW).expect("reads");
    assert!(alone.notes.iter().all(|n| !n.starts_with("difference")), "no entitlements, no differences");
    let bad_signed = evidence(Source::Profile, PROFILE_DER, Some(b"not a plist"), &[], NOW).expect_err("refused");
    assert!(bad_signed.message.starts_with("the signed entitlements: "), "{bad_signed}");

    let s = evidence(
        Source::Swift,
        b"SecItemDelete([kSecClass: kSecClassGenericPassword] as CFDictionary)",
        None,
        &[],
        NOW,
    )
    .expect("reads");
    assert_eq!(s.found, ["1 step"]);
    let none = evidence(Source::Swift, b"let x = 1", None, &[], NOW).expect_err("no call");
    assert!(none.message.starts_with("no SecItem call found"), "{none}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn merging_evidence_appends_steps_replaces_the_keychain_and_merges_the_app() {
    let doc = json!({"keyplay": 1, "kind": "keychain", "title": "Mine", "platform": "ios",
                     "app": {"application-identifier": "OLD.app", "application-groups": ["group.kept"]},
                     "keychain": [{"kSecClass": "kSecClassGenericPassword", "kSecAttrService": "old"}],
                     "steps": [{"SecItemDelete": {"kSecClass": "kSecClassGenericPassword"}}]});
    let fragment = json!({"platform": "macos", "app": {"application-identifier": "NEW.app"},
                          "keychain": [{"kSecClass": "kSecClassInternetPassword", "kSecAttrServer": "new"}],
                          "steps": [{"SecItemAdd": {"kSecClass": "kSecClassGenericPassword"}}],
                          "x-evidence": {"from": "test"}});
    let merged = import::merge(Some(&doc), &fragment).expect("merges");
    assert_eq!(merged["title"], "Mine");
    assert_eq!(merged["platform"], "macos");
    assert_eq!(merged["app"], json!({"application-identifier": "NEW.app", "application-groups": ["group.kept"]}));
    assert_eq!(merged["keychain"], fragment["keychain"]);
    assert_eq!(merged["steps"].as_array().map(Vec::len), Some(2));
    assert_eq!(merged["steps"][1], fragment["steps"][0]);
    assert_eq!(merged["x-evidence"]["from"], "test");

    // Another kind, or no document: a new keychain document carries the evidence.
    let jwt = json!({"keyplay": 1, "kind": "jwt", "token": "x"});
    for start in [Some(&jwt), None] {
        let fresh = import::merge(start, &fragment).expect("merges");
        assert_eq!(fresh["kind"], "keychain");
        assert!(fresh.get("token").is_none());
        assert_eq!(fresh["steps"].as_array().map(Vec::len), Some(1));
    }
    // What cannot merge is an error, not a silently changed document.
    assert!(import::merge(Some(&doc), &json!([1])).is_err());
    assert!(import::merge(Some(&doc), &json!({"steps": {"not": "a list"}})).is_err());
    assert!(import::merge(Some(&json!({"kind": "keychain", "steps": 3})), &json!({"steps": []})).is_err());
    // Every merged gallery-shaped document still runs.
    let e = import::evidence::import(import::Source::Dump, DUMP_SWIFT.as_bytes(), None, &[], NOW).expect("reads");
    let merged = import::merge(Some(&doc), &e.fragment).expect("merges");
    assert_ne!(run_text(&merged.to_string(), NOW).exit, 2, "{merged}");
}

// ---------------------------------------------------------------------------------------------
// Swift and Objective-C keychain wrappers (`tests/import/wrappers/`, written here in the shapes
// of six wrapper libraries, never copied): the steps, placeholders and pitfall flags each gives.

mod wrappers {
    use super::{run_text, NOW};
    use keyplay::codegen::{fill, import, Import};
    use serde_json::{json, Value};

    const KEYCHAIN_SWIFT: &str = include_str!("import/wrappers/keychain-swift.swift");
    const KEYCHAIN_ACCESS: &str = include_str!("import/wrappers/keychain-access.swift");
    const SIMPLE_KEYCHAIN: &str = include_str!("import/wrappers/simple-keychain.swift");
    const VALET: &str = include_str!("import/wrappers/valet.swift");
    const SWIFT_KEYCHAIN_WRAPPER: &str = include_str!("import/wrappers/swift-keychain-wrapper.swift");
    const SAM_KEYCHAIN: &str = include_str!("import/wrappers/sam-keychain.m");

    /// (id, step, line, column) of each flag.
    fn flags(got: &Import) -> Vec<(&str, usize, usize, usize)> {
        got.flags.iter().map(|f| (f.id, f.step, f.line, f.column)).collect()
    }

    /// (name, stand-in, keys, lines, optional, left out) of a placeholder.
    type Shown<'a> = (&'a str, Value, Vec<&'a str>, Vec<usize>, bool, bool);

    fn placeholders(got: &Import) -> Vec<Shown<'_>> {
        got.placeholders
            .iter()
            .map(|p| {
                let keys = p.keys.iter().map(String::as_str).collect();
                (p.name.as_str(), p.value.clone(), keys, p.lines.clone(), p.optional, p.left_out)
            })
            .collect()
    }

    fn messages(got: &Import) -> Vec<(usize, &str)> {
        got.problems.iter().map(|p| (p.line, p.message.as_str())).collect()
    }

    /// The imported steps run as an iOS document (exit 0 or 1, never 2), and no dictionary was
    /// invisible to the importer.
    fn runs(got: &Import) -> u8 {
        for p in &got.problems {
            assert!(!p.message.contains("not a dictionary the importer can see"), "{p:?}");
        }
        let doc = json!({ "keyplay": 1, "kind": "keychain", "steps": got.steps });
        let out = run_text(&doc.to_string(), NOW);
        assert_ne!(out.exit, 2, "{}", out.report);
        out.exit
    }

    const LEFT_OUT: &str = "kSecAttrAccessGroup: `accessGroup` is set only when it is not nil and cannot be evaluated here: left out (a made-up group would fail with errSecMissingEntitlement); add the group your app sets, and give the app that entitlement";

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keychain_swift_constant_table_helpers_and_delete_then_add() {
        let got = import(KEYCHAIN_SWIFT);
        let item = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "<prefixedKey>" });
        assert_eq!(
            got.steps,
            vec![
                json!({ "SecItemDelete": item }),
                json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrAccount": "<prefixedKey>",
                    "kSecValueData": { "utf8": "<value>" }, "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlock" } }),
                json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword",
                    "kSecAttrAccount": "<prefixedKey>", "kSecMatchLimit": "kSecMatchLimitOne", "kSecReturnData": true } }),
            ]
        );
        // The delete is made by `deleteNoLock(key)` at line 27, the add at line 37: flagged.
        assert_eq!(
            flags(&got),
            vec![
                ("missing-primary-key-attribute", 0, 27, 5),
                ("missing-primary-key-attribute", 1, 37, 22),
                ("delete-then-add", 1, 37, 22),
                ("missing-primary-key-attribute", 2, 53, 7),
            ]
        );
        assert_eq!(
            got.flags[2].message,
            "SecItemAdd after SecItemDelete of the same item (line 27): SecItemUpdate keeps the item (its persistent reference, its creation date) and is not left with no item when the add fails"
        );
        assert_eq!(
            placeholders(&got),
            vec![
                ("prefixedKey", json!("<prefixedKey>"), vec!["kSecAttrAccount"], vec![32, 45, 63], false, false),
                ("value", json!({ "utf8": "<value>" }), vec!["kSecValueData"], vec![33], false, false),
                ("accessGroup", Value::Null, vec!["kSecAttrAccessGroup"], vec![77], true, true),
            ]
        );
        assert_eq!(messages(&got).last(), Some(&(77, LEFT_OUT)));
        assert_eq!(got.problems.len(), 5);
        assert_eq!(runs(&got), 0);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn gallery_example_starts_from_the_keychain_swift_sample() {
        let mut steps = import(KEYCHAIN_SWIFT).steps;
        fill(&mut steps, &[("prefixedKey".into(), "mrgumby".into()), ("value".into(), "opendoor".into())]);
        let shipped = super::example("from-swift-wrapper-delete-by-account.json");
        let mut shipped_steps = shipped["steps"].as_array().cloned().unwrap_or_default();
        for s in &mut shipped_steps {
            if let Some(m) = s.as_object_mut() {
                m.remove("expect");
            }
        }
        assert_eq!(shipped_steps[..3], steps[..]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keychain_swift_overloads_and_a_copy_kept_for_tests() {
        // keychain-swift's set(_: String) calls set(_: Data) with the same labels, and keeps
        // each query in lastQueryParameters: the String overload is the entry point, the Data
        // one is read at its call, and the kept copy is not reported as unused.
        let src = r#"
            open class Store {
              var lastQueryParameters: [String: Any]?
              open var synchronizable: Bool = false
              open func set(_ value: String, forKey key: String) -> Bool {
                if let value = value.data(using: String.Encoding.utf8) {
                  return set(value, forKey: key)
                }
                return false
              }
              open func set(_ value: Bool, forKey key: String) -> Bool {
                let data = Data(value ? [1] : [0])
                return set(data, forKey: key)
              }
              open func set(_ value: Data, forKey key: String) -> Bool {
                var query: [String: Any] = [kSecClass as String: kSecClassGenericPassword,
                  kSecAttrService as String: "S", kSecAttrAccount as String: key, kSecValueData as String: value]
                query = addSynchronizableIfRequired(query, addingItems: true)
                lastQueryParameters = query
                return SecItemAdd(query as CFDictionary, nil) == noErr
              }
              func addSynchronizableIfRequired(_ items: [String: Any], addingItems: Bool) -> [String: Any] {
                if !synchronizable { return items }
                var result: [String: Any] = items
                result[kSecAttrSynchronizable as String] = addingItems == true ? true : kSecAttrSynchronizableAny
                return result
              }
            }
        "#;
        let got = import(src);
        // set(_: String) and set(_: Bool) each read set(_: Data); `synchronizable` is false, so
        // addSynchronizableIfRequired returns its argument at `if !synchronizable { return items }`.
        let add = |data: &str| {
            json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "S",
                "kSecAttrAccount": "<key>", "kSecValueData": { "utf8": data } } })
        };
        assert_eq!(got.steps, vec![add("<value>"), add("<data>")]);
        let messages: Vec<&str> = got.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(messages.iter().all(|m| !m.contains("never passed")), "{messages:?}");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keychain_swift_shape_without_the_pitfalls_is_not_flagged() {
        // The same shape with a service and an update where the delete was: no flag.
        let src = KEYCHAIN_SWIFT.replace("    deleteNoLock(key) // drop any old value first\n", "").replace(
            "VaultConstants.klass       : kSecClassGenericPassword,",
            "VaultConstants.klass       : kSecClassGenericPassword, kSecAttrService as String: \"vault\",",
        );
        let got = import(&src);
        // deleteNoLock is no longer called: read on its own, after the add and the lookup.
        let actions: Vec<&str> =
            got.steps.iter().filter_map(|s| s.as_object()?.keys().next().map(String::as_str)).collect();
        assert_eq!(actions, vec!["SecItemAdd", "SecItemCopyMatching", "SecItemDelete"]);
        assert_eq!(got.steps[0]["SecItemAdd"]["kSecAttrService"], json!("vault"));
        assert_eq!(flags(&got), vec![]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn keychain_access_options_query_and_constants_declared_after_use() {
        let got = import(KEYCHAIN_ACCESS);
        let query = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.notes",
                            "kSecAttrSynchronizable": "kSecAttrSynchronizableAny", "kSecAttrAccount": "<key>" });
        assert_eq!(
            got.steps,
            vec![
                json!({ "SecItemCopyMatching": query }),
                json!({ "SecItemUpdate": { "query": query, "attributes": { "kSecValueData": { "utf8": "<value>" },
                    "kSecAttrLabel": "<label>", "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlock" } } }),
                // `synchronizable ? kCFBooleanTrue : kCFBooleanFalse` with the declared `false`.
                json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.notes",
                    "kSecAttrSynchronizable": false, "kSecAttrAccount": "<key>", "kSecValueData": { "utf8": "<value>" },
                    "kSecAttrLabel": "<label>", "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlock" } }),
                json!({ "SecItemDelete": query }),
            ]
        );
        // A lookup, then an update or an add of a new dictionary: nothing to flag.
        assert_eq!(flags(&got), vec![]);
        assert_eq!(
            placeholders(&got),
            vec![
                ("accessGroup", Value::Null, vec!["kSecAttrAccessGroup"], vec![18], true, true),
                ("key", json!("<key>"), vec!["kSecAttrAccount"], vec![32, 50, 55, 68], false, false),
                ("value", json!({ "utf8": "<value>" }), vec!["kSecValueData"], vec![36], false, false),
                ("label", json!("<label>"), vec!["kSecAttrLabel"], vec![38], true, false),
            ]
        );
        assert!(messages(&got).contains(&(
            38,
            "kSecAttrLabel: `label` cannot be evaluated here: assumed the string \"<label>\" (the code sets it only when `label` is not nil)"
        )));
        assert_eq!(runs(&got), 0);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn simple_keychain_functions_in_variables_and_base_query_arguments() {
        let got = import(SIMPLE_KEYCHAIN);
        let item = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>", "kSecAttrAccount": "<key>" });
        assert_eq!(
            got.steps,
            vec![
                // `retrieve(query as CFDictionary, &result)`, `retrieve` holding SecItemCopyMatching.
                json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>",
                    "kSecAttrAccount": "<key>", "kSecReturnData": true, "kSecMatchLimit": "kSecMatchLimitOne" } }),
                // setQuery(forKey: key, data: data): baseQuery's `if let data = data` is taken.
                json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>",
                    "kSecAttrAccount": "<key>", "kSecValueData": { "utf8": "<data>" },
                    "kSecAttrAccessible": "kSecAttrAccessibleWhenUnlocked" } }),
                // baseQuery(withKey: key): `data` keeps its nil default, so no kSecValueData.
                json!({ "SecItemUpdate": { "query": item, "attributes": { "kSecValueData": { "utf8": "<data>" } } } }),
                json!({ "SecItemDelete": item }),
            ]
        );
        assert_eq!(flags(&got), vec![]);
        assert_eq!(
            placeholders(&got),
            vec![
                ("data", json!({ "utf8": "<data>" }), vec!["kSecValueData"], vec![36, 57], false, false),
                ("service", json!("<service>"), vec!["kSecAttrService"], vec![52], false, false),
                ("key", json!("<key>"), vec!["kSecAttrAccount"], vec![54], false, false),
                ("accessGroup", Value::Null, vec!["kSecAttrAccessGroup"], vec![60], true, true),
            ]
        );
        assert_eq!(runs(&got), 0);
        // Filled in once, every step holds the app's values.
        let mut steps = got.steps.clone();
        let n = fill(&mut steps, &[("service".into(), "com.example.session".into()), ("key".into(), "token".into())]);
        assert_eq!(n, 8);
        assert_eq!(
            steps[3],
            json!({ "SecItemDelete": { "kSecClass": "kSecClassGenericPassword",
                "kSecAttrService": "com.example.session", "kSecAttrAccount": "token" } })
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn simple_keychain_shape_without_the_function_variable_makes_no_lookup() {
        let src = SIMPLE_KEYCHAIN.replace("    var retrieve: RetrieveFunction = SecItemCopyMatching\n", "");
        let got = import(&src);
        let actions: Vec<&str> =
            got.steps.iter().filter_map(|s| s.as_object()?.keys().next().map(String::as_str)).collect();
        assert_eq!(actions, vec!["SecItemAdd", "SecItemUpdate", "SecItemDelete"]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn valet_static_wrappers_and_delete_then_add_on_macos() {
        let got = import(VALET);
        let base = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<identifier>",
            "kSecAttrAccessible": "kSecAttrAccessibleWhenUnlocked", "kSecUseDataProtectionKeychain": true,
            "kSecAttrAccount": "<key>" });
        let mut add = base.clone();
        add["kSecValueData"] = json!({ "utf8": "<object>" });
        let mut read = base.clone();
        read["kSecMatchLimit"] = json!("kSecMatchLimitOne");
        read["kSecReturnData"] = json!(true);
        assert_eq!(
            got.steps,
            vec![
                json!({ "SecItemDelete": base }),
                json!({ "SecItemAdd": add }),
                json!({ "SecItemCopyMatching": read }),
                json!({ "SecItemCopyMatching": base }),
            ]
        );
        assert_eq!(flags(&got), vec![("delete-then-add", 1, 46, 25)]);
        assert_eq!(
            messages(&got)[0],
            (18, "SecItemUpdate gets `query`, a parameter of `update`, which the pasted code never calls: no step (paste a call of `update` too)")
        );
        assert!(messages(&got).contains(&(47, "only the first branch of an `#if` is read: this branch is not")));
        assert_eq!(
            placeholders(&got),
            vec![
                ("identifier", json!("<identifier>"), vec!["kSecAttrService"], vec![34], false, false),
                ("key", json!("<key>"), vec!["kSecAttrAccount"], vec![42, 59, 67], false, false),
                ("object", json!({ "utf8": "<object>" }), vec!["kSecValueData"], vec![45], false, false),
            ]
        );
        // Valet keeps kSecAttrAccessible in its lookups: the engine's accessible-as-filter pitfall.
        assert_eq!(runs(&got), 0);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn valet_shape_on_ios_updates_and_is_not_flagged() {
        // Only the `#else` branch (look up, then update or add): no delete, no flag.
        let start = VALET.find("        #if os(macOS)").unwrap();
        let end = VALET.find("        #else\n").unwrap() + "        #else\n".len();
        let src = format!("{}{}", &VALET[..start], &VALET[end..]).replace("        #endif\n", "");
        let got = import(&src);
        let actions: Vec<&str> =
            got.steps.iter().filter_map(|s| s.as_object()?.keys().next().map(String::as_str)).collect();
        assert_eq!(
            actions,
            vec!["SecItemCopyMatching", "SecItemUpdate", "SecItemAdd", "SecItemCopyMatching"],
            "{:?}",
            got.steps
        );
        assert_eq!(got.steps[1]["SecItemUpdate"]["attributes"], json!({ "kSecValueData": { "utf8": "<object>" } }));
        assert_eq!(flags(&got), vec![]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn swift_keychain_wrapper_add_then_update_helper() {
        let got = import(SWIFT_KEYCHAIN_WRAPPER);
        let id = json!({ "utf8": "<encodedIdentifier>" });
        let base = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "com.example.credentials",
                           "kSecAttrGeneric": id, "kSecAttrAccount": id });
        let mut copy = base.clone();
        copy["kSecMatchLimit"] = json!("kSecMatchLimitOne");
        copy["kSecReturnData"] = json!(true);
        let mut add = base.clone();
        add["kSecValueData"] = json!({ "utf8": "<value>" });
        add["kSecAttrAccessible"] = json!("kSecAttrAccessibleWhenUnlocked");
        assert_eq!(
            got.steps,
            vec![
                json!({ "SecItemCopyMatching": copy }),
                json!({ "SecItemAdd": add }),
                json!({ "SecItemUpdate": { "query": base, "attributes": { "kSecValueData": { "utf8": "<value>" } } } }),
                json!({ "SecItemDelete": base }),
            ]
        );
        assert_eq!(flags(&got), vec![]);
        assert_eq!(
            placeholders(&got),
            vec![
                ("value", json!({ "utf8": "<value>" }), vec!["kSecValueData"], vec![32, 51], false, false),
                ("accessGroup", Value::Null, vec!["kSecAttrAccessGroup"], vec![60], true, true),
                ("encodedIdentifier", id, vec!["kSecAttrGeneric", "kSecAttrAccount"], vec![63, 64], false, false),
            ]
        );
        assert_eq!(messages(&got)[2], (60, LEFT_OUT));
        assert_eq!(runs(&got), 0);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn sam_keychain_query_method_with_presence_tests() {
        let got = import(SAM_KEYCHAIN);
        let item = json!({ "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>", "kSecAttrAccount": "<account>" });
        assert_eq!(
            got.steps,
            vec![
                json!({ "SecItemCopyMatching": item }),
                json!({ "SecItemUpdate": { "query": item, "attributes": { "kSecValueData": { "utf8": "<passwordData>" } } } }),
                json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>",
                    "kSecAttrAccount": "<account>", "kSecAttrLabel": "<label>", "kSecValueData": { "utf8": "<passwordData>" },
                    "kSecAttrAccessible": "kSecAttrAccessibleAfterFirstUnlock" } }),
                json!({ "SecItemCopyMatching": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "<service>",
                    "kSecAttrAccount": "<account>", "kSecReturnData": true, "kSecMatchLimit": "kSecMatchLimitOne" } }),
                json!({ "SecItemDelete": item }),
            ]
        );
        assert_eq!(flags(&got), vec![]);
        assert_eq!(
            placeholders(&got),
            vec![
                (
                    "passwordData",
                    json!({ "utf8": "<passwordData>" }),
                    vec!["kSecValueData"],
                    vec![14, 21],
                    false,
                    false
                ),
                ("label", json!("<label>"), vec!["kSecAttrLabel"], vec![19], true, false),
                ("service", json!("<service>"), vec!["kSecAttrService"], vec![47], true, false),
                ("account", json!("<account>"), vec!["kSecAttrAccount"], vec![50], true, false),
                ("accessGroup", Value::Null, vec!["kSecAttrAccessGroup"], vec![53], true, true),
            ]
        );
        assert_eq!(runs(&got), 0);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn sam_keychain_shape_without_a_service_is_flagged() {
        let src = SAM_KEYCHAIN.replace(
            "    if (self.service) {\n        [dictionary setObject:self.service forKey:(__bridge id)kSecAttrService];\n    }\n",
            "",
        );
        let got = import(&src);
        assert_eq!(got.steps.len(), 5);
        let ids: Vec<(&str, usize)> = got.flags.iter().map(|f| (f.id, f.step)).collect();
        assert_eq!(ids, (0..5).map(|s| ("missing-primary-key-attribute", s)).collect::<Vec<_>>());
        assert_eq!(
            got.flags[2].message,
            "SecItemAdd of a generic password without kSecAttrService: the item gets an empty service, and two such adds with one account collide (errSecDuplicateItem) whatever they mean"
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_lookup_dictionary_reused_for_the_add_is_flagged() {
        // The shape the post warns about: one mutable dictionary for the lookup and the add.
        let reused = r#"
            func save() {
                var copyResult: CFTypeRef? = nil
                let dict = [
                    kSecClass: kSecClassGenericPassword,
                    kSecAttrService: "Notes",
                    kSecAttrAccount: "ada",
                    kSecReturnData: true,
                ] as NSMutableDictionary
                var err = SecItemCopyMatching(dict, &copyResult)
                if err == errSecItemNotFound {
                    dict[kSecValueData] = Data("secret".utf8)
                    err = SecItemAdd(dict, nil)
                }
            }
        "#;
        let got = import(reused);
        assert_eq!(got.steps.len(), 2);
        assert_eq!(flags(&got), vec![("query-reused-for-add", 1, 13, 27), ("return-keys-in-add", 1, 13, 27)]);
        assert_eq!(
            got.flags[0].message,
            "`dict` was passed to SecItemCopyMatching (line 10) and is reused for SecItemAdd: build a new dictionary for each call, so that keys of one call do not leak into the next"
        );
        // The fix: a helper makes a new dictionary for each call.
        let fresh = r#"
            func makeDict() -> NSMutableDictionary {
                [kSecClass: kSecClassGenericPassword, kSecAttrService: "Notes", kSecAttrAccount: "ada"] as NSMutableDictionary
            }
            func save() {
                var copyResult: CFTypeRef? = nil
                let query = makeDict()
                query[kSecReturnData] = true
                var err = SecItemCopyMatching(query, &copyResult)
                if err == errSecItemNotFound {
                    let add = makeDict()
                    add[kSecValueData] = Data("secret".utf8)
                    err = SecItemAdd(add, nil)
                }
            }
        "#;
        let got = import(fresh);
        assert_eq!(
            got.steps[1],
            json!({ "SecItemAdd": { "kSecClass": "kSecClassGenericPassword", "kSecAttrService": "Notes",
                "kSecAttrAccount": "ada", "kSecValueData": { "utf8": "secret" } } })
        );
        assert_eq!(flags(&got), vec![]);
        assert_eq!(got.problems, vec![]);
    }
}
