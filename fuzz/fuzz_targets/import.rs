#![no_main]
//! Arbitrary bytes into the evidence importers: entitlements (XML, binary and codesign text
//! plists), provisioning profiles (BER CMS around a plist), keychain dumps (Swift, NSDictionary,
//! `security dump-keychain`), the miss explainer over what a dump yields, and the XCTest export
//! of the input as a document. None may panic; every fragment an importer returns must serialize.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let now = keyplay::Instant(1_767_225_600);
    let text = String::from_utf8_lossy(data);
    if let Ok(e) = keyplay::import::entitlements_bytes(data) {
        let _ = e.fragment().to_string();
    }
    let _ = keyplay::import::entitlements(&text);
    if let Ok(p) = keyplay::import::profile(data, now) {
        let signed = keyplay::import::entitlements(&text).ok();
        let differences = signed.map(|s| keyplay::import::profile::compare(&p, &s)).unwrap_or_default();
        let _ = p.fragment(&differences).to_string();
    }
    if let Ok(d) = keyplay::import::dump(&text) {
        let fragment = d.fragment();
        // Each imported item used as the query: it must be explained, never panic.
        for n in 0..d.items.len().min(4) {
            let query = fragment["keychain"][n].clone();
            let _ = keyplay::import::dump::explain_miss(&fragment, &query, now);
        }
    }
    let _ = keyplay::codegen::xctest::document_to_xctest(&text, now);
});
