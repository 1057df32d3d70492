//! The substrate against real vectors (App Attest from iOS 14.4, WebAuthn `apple` from Safari),
//! truncated and tampered copies that must give the right typed error at the right offset, the
//! limits, and never-panic properties.
// Tests stop at the first surprise (clippy does not see `cfg(all(test, …))` as test code).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use super::apple_nonce::{self, NonceError};
use super::auth_data::{self, Attested, AuthDataError, Field, Flag, Flags, Rules, Trailing};
use super::cbor::{self, CborError};
use super::chain::{self, Anchoring, Problem, Signer, Subject};
use super::roots::{self, AppleRoot};
use super::x509::{self, Cert, X509Error};
use super::{key, sha256};
use crate::data::{decode_base64, Bytes};
use crate::instant::Instant;
use ciborium::Value;

const ATTESTATION: &str = include_str!("../../tests/vectors/appattest-att-veehaitch-ios14.4-dev.json");
const ASSERTION: &str = include_str!("../../tests/vectors/appattest-asr-veehaitch-ios14.4-dev.json");
const WEBAUTHN_APPLE: &str = include_str!("../../tests/vectors/webauthn-reg-apple-pyw-2021.json");
const ROOTS: [(AppleRoot, &str); 3] = [
    (AppleRoot::AppAttestation, include_str!("../../tests/vectors/root-apple-app-attestation-root-ca.json")),
    (AppleRoot::RootCaG3, include_str!("../../tests/vectors/root-apple-root-ca-g3.json")),
    (AppleRoot::WebAuthn, include_str!("../../tests/vectors/root-apple-webauthn-root-ca.json")),
];
/// Inside the iOS 14.4 attestation's validity (the library's own clock).
const NOW: Instant = Instant(1_611_404_013);

fn inputs(vector: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(vector).expect("vector JSON");
    v["inputs"].clone()
}

fn b64(value: &serde_json::Value) -> Vec<u8> {
    decode_base64(value.as_str().expect("a base64 string")).expect("base64")
}

/// The attestation object's authData and x5c.
fn attestation_parts() -> (Vec<u8>, Vec<Vec<u8>>) {
    let object = cbor::decode_whole(&b64(&inputs(ATTESTATION)["attestation_b64"])).expect("CBOR");
    let map = cbor::as_map(&object).expect("map");
    let auth_data = cbor::get(map, "authData").and_then(Value::as_bytes).expect("authData").clone();
    let statement = cbor::as_map(cbor::get(map, "attStmt").expect("attStmt")).expect("map");
    let x5c = x509::x5c_bytes(cbor::get(statement, "x5c").expect("x5c")).expect("x5c");
    (auth_data, x5c)
}

fn assertion_auth_data() -> Vec<u8> {
    let object = cbor::decode_whole(&b64(&inputs(ASSERTION)["assertion_b64"])).expect("CBOR");
    cbor::get(cbor::as_map(&object).expect("map"), "authenticatorData")
        .and_then(Value::as_bytes)
        .expect("bytes")
        .clone()
}

fn certs(x5c: &[Vec<u8>]) -> Vec<Cert> {
    x5c.iter().map(|d| Cert::parse(d).expect("certificate")).collect()
}

fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).expect("encode");
    out
}

// ---------------------------------------------------------------- CBOR

#[test]
fn cbor_reads_a_real_object_and_locates_its_errors() {
    let bytes = b64(&inputs(ATTESTATION)["attestation_b64"]);
    let (_, used) = cbor::decode_prefix(&bytes).expect("decodes");
    assert_eq!(used, bytes.len());
    let cut = bytes.len() - 1;
    assert_eq!(cbor::decode_whole(&bytes[..cut]), Err(CborError::Truncated { offset: cut }));
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(cbor::decode_whole(&longer), Err(CborError::Trailing { offset: bytes.len(), count: 1 }));
    // Additional information 28 is reserved: a syntax error at the first byte.
    assert!(matches!(cbor::decode_whole(&[0x1c]), Err(CborError::Syntax { offset: 0 })));
}

#[test]
fn cbor_limits_are_enforced() {
    let huge = vec![0u8; cbor::MAX_CBOR_BYTES + 1];
    assert_eq!(cbor::decode_prefix(&huge), Err(CborError::TooLarge { len: huge.len(), max: cbor::MAX_CBOR_BYTES }));
    let mut deep = vec![0x81u8; 100];
    deep.push(0);
    assert_eq!(cbor::decode_whole(&deep), Err(CborError::TooDeep { max: cbor::MAX_CBOR_DEPTH }));
    let mut shallow = vec![0x81u8; cbor::MAX_CBOR_DEPTH - 1];
    shallow.push(0);
    assert!(cbor::decode_whole(&shallow).is_ok());
    // A byte string claiming 2^63 bytes is truncated input, not an allocation.
    assert!(matches!(
        cbor::decode_whole(&[0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Err(CborError::Truncated { .. })
    ));
}

#[test]
fn cbor_reports_bytes_in_the_document_byte_form() {
    let value = Value::Map(vec![
        (Value::Text("sig".into()), Value::Bytes(vec![0xff, 0x00, 0x10])),
        (Value::Integer((-2).into()), Value::Bytes(b"text".to_vec())),
        (Value::Integer(1.into()), Value::Integer(u64::MAX.into())),
        (Value::Bytes(vec![1]), Value::Array(vec![Value::Bytes(vec![0xfe])])),
    ]);
    let json = cbor::to_json(&value);
    assert_eq!(json["sig"], serde_json::json!({"base64": "/wAQ"}));
    assert_eq!(json["-2"], serde_json::json!({"utf8": "text"}));
    assert_eq!(json["1"], serde_json::json!(u64::MAX.to_string()));
    // Every byte value of a report reads back as the same bytes through the document's parser.
    let back: Bytes = serde_json::from_value(json["byte string"][0].clone()).expect("document byte form");
    assert_eq!(back.0, vec![0xfe]);
    assert!(!json.to_string().contains("base64url"));
}

// ---------------------------------------------------------------- authenticator data

#[test]
fn auth_data_of_a_real_attestation() {
    let (bytes, _) = attestation_parts();
    let ad = auth_data::parse(&bytes, Rules::APP_ATTEST_ATTESTATION).expect("parses");
    let app_id = inputs(ATTESTATION)["app_id"].as_str().expect("app id").to_string();
    assert_eq!(ad.rp_id_hash, sha256(app_id.as_bytes()));
    assert!(ad.flags.has(Flag::AttestedData) && !ad.flags.has(Flag::ExtensionData));
    assert_eq!(ad.counter, 0);
    let att = ad.attested.as_ref().expect("attested credential data");
    assert_eq!(&att.aaguid, b"appattestdevelop");
    assert_eq!(att.credential_id, b64(&inputs(ATTESTATION)["key_id_b64"]));
    assert_eq!((att.public_key_offset, att.public_key_cbor.len()), (87, 77));
    assert_eq!(att.uncompressed_p256_point().map(|p| p.len()), Some(65));
    assert_eq!(ad.extensions, None);
    // The same bytes are valid WebAuthn authenticator data (AT set, nothing after the key).
    assert_eq!(auth_data::parse(&bytes, Rules::WEBAUTHN), Ok(ad));
}

#[test]
fn app_attest_assertions_set_at_without_attested_data() {
    let bytes = assertion_auth_data();
    assert_eq!(bytes.len(), auth_data::HEADER_LEN);
    let ad = auth_data::parse(&bytes, Rules::APP_ATTEST_ASSERTION).expect("parses by length");
    assert!(ad.flags.has(Flag::AttestedData) && ad.attested.is_none());
    assert_eq!(ad.counter, 1);
    // WebAuthn goes by the flag, so the missing aaguid is named at its offset.
    assert_eq!(
        auth_data::parse(&bytes, Rules::WEBAUTHN),
        Err(AuthDataError::Truncated { field: Field::Aaguid, offset: 37, needed: 16, available: 0 })
    );
}

#[test]
fn truncated_auth_data_names_the_field_and_offset() {
    let (bytes, _) = attestation_parts();
    let truncated = |n: usize| auth_data::parse(&bytes[..n], Rules::APP_ATTEST_ATTESTATION).expect_err("too short");
    let cases = [
        (20, Field::RpIdHash, 0, 32, 20),
        (32, Field::Flags, 32, 1, 0),
        (35, Field::Counter, 33, 4, 2),
        (40, Field::Aaguid, 37, 16, 3),
        (54, Field::CredentialIdLength, 53, 2, 1),
        (60, Field::CredentialId, 55, 32, 5),
        (87, Field::CredentialPublicKey, 87, 1, 0),
    ];
    for (n, field, offset, needed, available) in cases {
        assert_eq!(truncated(n), AuthDataError::Truncated { field, offset, needed, available }, "cut at {n}");
        assert_eq!((truncated(n).field(), truncated(n).offset()), (Some(field), offset));
    }
    // Cut inside the COSE key: a CBOR error located in the authenticator data.
    match truncated(100) {
        AuthDataError::Cbor { field: Field::CredentialPublicKey, offset: 100, source: CborError::Truncated { .. } } => {
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(truncated(100).to_string().contains("byte 100"), "{}", truncated(100));
}

#[test]
fn tampered_auth_data_gives_typed_errors() {
    let (bytes, _) = attestation_parts();
    let mut long_id = bytes.clone();
    long_id[53..55].copy_from_slice(&1024u16.to_be_bytes());
    assert_eq!(
        auth_data::parse(&long_id, Rules::WEBAUTHN),
        Err(AuthDataError::CredentialIdTooLong { offset: 53, length: 1024, max: auth_data::MAX_CREDENTIAL_ID })
    );
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        auth_data::parse(&trailing, Rules::WEBAUTHN),
        Err(AuthDataError::Trailing { offset: bytes.len(), count: 1, ed_clear: true })
    );
    let mut not_map = bytes.clone();
    not_map[32] |= Flag::ExtensionData.mask();
    not_map.push(0x01);
    assert_eq!(
        auth_data::parse(&not_map, Rules::WEBAUTHN),
        Err(AuthDataError::ExtensionsNotMap { offset: bytes.len(), found: "integer" })
    );
    // ED set and nothing follows: the extensions are missing.
    let mut ed_only = bytes.clone();
    ed_only[32] |= Flag::ExtensionData.mask();
    assert!(matches!(
        auth_data::parse(&ed_only, Rules::WEBAUTHN),
        Err(AuthDataError::Cbor { field: Field::Extensions, .. })
    ));
}

#[test]
fn extensions_follow_the_rules() {
    let (bytes, _) = attestation_parts();
    let map = encode(&Value::Map(vec![(Value::Text("apple_bundle_version_01".into()), Value::Text("1.0".into()))]));
    // App Attest: appended without ED (iOS 27), kept and decoded.
    let mut appended = bytes.clone();
    appended.extend_from_slice(&map);
    let ad = auth_data::parse(&appended, Rules::APP_ATTEST_ATTESTATION).expect("tolerated");
    let ext = ad.extensions.expect("extensions");
    assert_eq!((ext.offset, ext.raw.as_slice()), (bytes.len(), map.as_slice()));
    assert!(ext.value.is_some());
    // Garbage is kept as bytes, undecoded.
    let mut garbage = bytes.clone();
    garbage.extend_from_slice(&[0xff, 0xff]);
    let ad = auth_data::parse(&garbage, Rules::APP_ATTEST_ATTESTATION).expect("tolerated");
    assert_eq!(ad.extensions.map(|e| (e.raw, e.value)), Some((vec![0xff, 0xff], None)));
    // WebAuthn: only with ED set.
    let mut flagged = appended.clone();
    flagged[32] |= Flag::ExtensionData.mask();
    let ad = auth_data::parse(&flagged, Rules::WEBAUTHN).expect("ED set");
    assert_eq!(ad.extensions.map(|e| e.raw), Some(map));
    assert!(auth_data::parse(&appended, Rules::WEBAUTHN).is_err());
}

#[test]
fn every_flag_bit_is_named_once() {
    let all = Flag::ALL.iter().fold(0u8, |acc, f| {
        assert_eq!(acc & f.mask(), 0, "{f:?} overlaps");
        acc | f.mask()
    });
    assert_eq!(all, 0xff);
    let json = Flags(0x45).to_json();
    assert_eq!(
        json,
        serde_json::json!({"byte": "0x45", "UP": true, "UV": true, "BE": false, "BS": false, "AT": true, "ED": false})
    );
    let mut shorts: Vec<&str> = Flag::ALL.iter().map(|f| f.short()).collect();
    shorts.dedup();
    assert_eq!(shorts.len(), 8);
}

// ---------------------------------------------------------------- certificates, chains, roots

#[test]
fn pinned_roots_match_the_published_fingerprints() {
    for (root, vector) in ROOTS {
        let published: serde_json::Value = serde_json::from_str(vector).expect("root JSON");
        assert_eq!(root.sha256(), published["sha256_fingerprint_der"].as_str().expect("fingerprint"), "{root:?}");
        let cert = root.load().expect("pin holds");
        assert!(cert.subject().contains(root.name()), "{}", cert.subject());
        assert_eq!(cert.fingerprint(), root.sha256());
    }
    assert!(roots::pinned(AppleRoot::WebAuthn.pem(), AppleRoot::AppAttestation.sha256()).is_err());
    assert!(matches!(
        Cert::from_pem("-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----"),
        Err(X509Error::PemLabel(_))
    ));
}

#[test]
fn a_real_chain_walks_to_its_root_at_its_time_only() {
    let (_, x5c) = attestation_parts();
    let chain = certs(&x5c);
    let root = AppleRoot::AppAttestation.load().expect("root");
    let walk = chain::walk(&chain, std::slice::from_ref(&root), NOW);
    assert_eq!((walk.problems.as_slice(), &walk.anchoring), (&[][..], &Anchoring::Anchored(0)));
    assert!(walk.top_issuer.contains("Apple App Attestation Root CA"));
    // Years later the 3-day leaf is expired, and that is all.
    let later = chain::walk(&chain, std::slice::from_ref(&root), Instant(NOW.0 + 400 * 86_400));
    assert!(matches!(later.first_validity_problem(), Some((Subject::Chain(0), _, _))));
    assert_eq!(later.first_signature_problem(), None);
    // Another root does not anchor it; no roots leaves it unanchored.
    let webauthn = AppleRoot::WebAuthn.load().expect("root");
    assert!(matches!(chain::walk(&chain, &[webauthn], NOW).anchoring, Anchoring::NotAnchored { .. }));
    assert_eq!(chain::walk(&chain, &[], NOW).anchoring, Anchoring::NoAnchors);
    // The intermediate alone, with the root given: anchored by the root's signature.
    assert_eq!(chain::walk(&chain[1..], std::slice::from_ref(&root), NOW).anchoring, Anchoring::Anchored(0));
}

#[test]
fn a_tampered_signature_breaks_its_link() {
    let (_, mut x5c) = attestation_parts();
    // The leaf's signature is the DER's last bytes; change one.
    let last = x5c[0].len() - 2;
    x5c[0][last] ^= 0x01;
    let chain = certs(&x5c);
    let root = AppleRoot::AppAttestation.load().expect("root");
    let walk = chain::walk(&chain, &[root], NOW);
    assert!(matches!(walk.problems.as_slice(), [Problem::Signature { index: 0, signer: Signer::Next(1), .. }]));
}

#[test]
fn certificates_are_bounded_and_read_their_extensions() {
    assert!(matches!(Cert::parse(&vec![0x30; x509::MAX_CERT_BYTES + 1]), Err(X509Error::TooLarge { .. })));
    assert!(matches!(Cert::parse(&[0x30, 0x00]), Err(X509Error::NotDer(_))));
    let (_, x5c) = attestation_parts();
    let leaf = Cert::parse(&x5c[0]).expect("leaf");
    assert!(leaf.valid_at(NOW));
    assert_eq!(leaf.public_key_bytes().len(), 65);
    assert_eq!(sha256(leaf.public_key_bytes()).to_vec(), b64(&inputs(ATTESTATION)["key_id_b64"]));
    assert!(matches!(leaf.public_key(), Ok(key::PublicKey::P256(_))));
    let summary = leaf.summary(NOW);
    assert_eq!(summary["key"], "EC P-256");
    assert_eq!(summary["sha256"], leaf.fingerprint());
    let many = Value::Array(vec![Value::Bytes(vec![0x30]); x509::MAX_CHAIN + 1]);
    assert_eq!(x509::x5c_bytes(&many), Err(x509::X5cError::TooMany(x509::MAX_CHAIN + 1)));
    assert_eq!(x509::x5c_bytes(&Value::Array(vec![])), Err(x509::X5cError::Empty));
    assert_eq!(
        x509::x5c_bytes(&Value::Array(vec![Value::Text("x".into())])),
        Err(x509::X5cError::NotBytes { index: 0, found: "text string" })
    );
}

// ---------------------------------------------------------------- Apple's nonce extension

#[test]
fn the_nonce_of_real_certificates_is_the_computed_one() {
    // App Attest: nonce = SHA-256(authData ‖ SHA-256(client data)).
    let (auth_data, x5c) = attestation_parts();
    let mut composite = auth_data;
    composite.extend_from_slice(&b64(&inputs(ATTESTATION)["client_data_hash_b64"]));
    let leaf = Cert::parse(&x5c[0]).expect("leaf");
    assert_eq!(apple_nonce::from_certificate(&leaf), Ok(sha256(&composite).to_vec()));
    // WebAuthn `apple`: the same extension on Safari's credential certificate.
    let credential: serde_json::Value = inputs(WEBAUTHN_APPLE)["credential"].clone();
    let object = crate::data::decode_base64(credential["response"]["attestationObject"].as_str().expect("b64url"))
        .expect("decodes");
    let object = cbor::decode_whole(&object).expect("CBOR");
    let statement = cbor::as_map(cbor::get(cbor::as_map(&object).expect("map"), "attStmt").expect("attStmt"));
    let x5c = x509::x5c_bytes(cbor::get(statement.expect("map"), "x5c").expect("x5c")).expect("x5c");
    let nonce = apple_nonce::from_certificate(&Cert::parse(&x5c[0]).expect("leaf")).expect("nonce");
    assert_eq!(nonce.len(), 32);
    // The intermediate has no such extension.
    assert_eq!(apple_nonce::from_certificate(&Cert::parse(&x5c[1]).expect("intermediate")), Err(NonceError::Missing));
}

#[test]
fn the_nonce_decoder_is_strict() {
    let nonce = [7u8; 32];
    let mut good = vec![0x30, 0x24, 0xa1, 0x22, 0x04, 0x20];
    good.extend_from_slice(&nonce);
    assert_eq!(apple_nonce::decode(&good), Ok(nonce.to_vec()));
    // [0] instead of [1] (a lenient decoder that takes the first element would accept it).
    let mut tag_zero = good.clone();
    tag_zero[2] = 0xa0;
    assert!(matches!(apple_nonce::decode(&tag_zero), Err(NonceError::NotTagOne(_))));
    // A primitive [1].
    let mut primitive = vec![0x30, 0x22, 0x81, 0x20];
    primitive.extend_from_slice(&nonce);
    assert!(matches!(apple_nonce::decode(&primitive), Err(NonceError::NotTagOne(_))));
    // A second element after the tagged one.
    let mut two = good.clone();
    two[1] += 2;
    two.extend_from_slice(&[0x05, 0x00]);
    assert!(matches!(apple_nonce::decode(&two), Err(NonceError::NotOneElement(_))));
    // Not an OCTET STRING inside [1].
    let mut integer = good.clone();
    integer[4] = 0x02;
    integer[6] = 0x01; // a positive INTEGER
    assert!(matches!(apple_nonce::decode(&integer), Err(NonceError::NotOctetString(_))));
    // Bytes after the SEQUENCE, and a SET instead of a SEQUENCE.
    let mut after = good.clone();
    after.push(0);
    assert!(matches!(apple_nonce::decode(&after), Err(NonceError::NotDer(_))));
    let mut set = good.clone();
    set[0] = 0x31;
    assert!(matches!(apple_nonce::decode(&set), Err(NonceError::NotSequence(_))));
}

// ---------------------------------------------------------------- never panics

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn rules() -> impl Strategy<Value = Rules> {
        (
            prop_oneof![Just(Attested::ByFlag), Just(Attested::Always), Just(Attested::Never)],
            prop_oneof![Just(Trailing::ByFlag), Just(Trailing::Tolerated)],
        )
            .prop_map(|(attested, trailing)| Rules { attested, trailing })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn decoders_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600), rules in rules()) {
            if let Ok((_, used)) = cbor::decode_prefix(&bytes) {
                prop_assert!(used <= bytes.len());
            }
            if let Err(e) = auth_data::parse(&bytes, rules) {
                prop_assert!(e.offset() <= bytes.len(), "{e}");
            }
            let _ = apple_nonce::decode(&bytes);
            let _ = Cert::parse(&bytes);
            let _ = key::from_spki_der(&bytes);
        }

        #[test]
        fn mutated_real_auth_data(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>(), rules in rules()) {
            let (mut bytes, _) = attestation_parts();
            for (index, value) in &edits {
                let at = index.index(bytes.len());
                bytes[at] = *value;
            }
            let n = cut.index(bytes.len() + 1);
            match auth_data::parse(&bytes[..n], rules) {
                Ok(ad) => prop_assert!(ad.attested.as_ref().is_none_or(|a| a.credential_id.len() <= auth_data::MAX_CREDENTIAL_ID)),
                Err(e) => prop_assert!(e.offset() <= n, "{e}"),
            }
        }

        #[test]
        fn mutated_real_certificates(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
            let (_, x5c) = attestation_parts();
            let mut leaf = x5c[0].clone();
            for (index, value) in &edits {
                let at = index.index(leaf.len());
                leaf[at] = *value;
            }
            if let Ok(cert) = Cert::parse(&leaf) {
                let _ = apple_nonce::from_certificate(&cert);
                let _ = cert.summary(NOW);
                let intermediate = Cert::parse(&x5c[1]).expect("intermediate");
                let _ = chain::walk(&[cert, intermediate], &[], NOW);
            }
        }
    }
}

// ---------------------------------------------------------------- re-encoding (fixtures)

#[test]
fn a_real_object_re_encodes_byte_for_byte_and_replace_changes_one_entry() {
    let bytes = b64(&inputs(ATTESTATION)["attestation_b64"]);
    let object = cbor::decode_whole(&bytes).expect("CBOR");
    assert_eq!(cbor::encode(&object).expect("encoded"), bytes);
    let Value::Map(mut entries) = object else { panic!("a map") };
    assert!(cbor::replace(&mut entries, "fmt", Value::Text("other".into())));
    assert!(!cbor::replace(&mut entries, "nope", Value::Null));
    let again = cbor::decode_whole(&cbor::encode(&Value::Map(entries.clone())).expect("encoded")).expect("CBOR");
    let map = cbor::as_map(&again).expect("map");
    assert_eq!(cbor::get(map, "fmt"), Some(&Value::Text("other".into())));
    assert_eq!(cbor::get(map, "authData"), cbor::get(&entries, "authData"));
}

#[test]
fn with_counter_rewrites_only_the_counter() {
    let (auth_data, _) = attestation_parts();
    let rewritten = auth_data::with_counter(&auth_data, Rules::APP_ATTEST_ATTESTATION, 0x0102_0304).expect("parsed");
    assert_eq!(rewritten.len(), auth_data.len());
    let parsed = auth_data::parse(&rewritten, Rules::APP_ATTEST_ATTESTATION).expect("parsed");
    assert_eq!(parsed.counter, 0x0102_0304);
    let differing: Vec<usize> = (0..auth_data.len()).filter(|&i| auth_data[i] != rewritten[i]).collect();
    assert!(differing.iter().all(|i| (33..37).contains(i)), "{differing:?}");
    let assertion = assertion_auth_data();
    let parsed = auth_data::parse(
        &auth_data::with_counter(&assertion, Rules::APP_ATTEST_ASSERTION, 7).expect("parsed"),
        Rules::APP_ATTEST_ASSERTION,
    )
    .expect("parsed");
    assert_eq!(parsed.counter, 7);
    assert!(auth_data::with_counter(&assertion[..20], Rules::APP_ATTEST_ASSERTION, 1).is_err());
    let hash = sha256(b"another app");
    let rewritten = auth_data::with_rp_id_hash(&assertion, Rules::APP_ATTEST_ASSERTION, &hash).expect("parsed");
    assert_eq!(rewritten[..32], hash);
    assert_eq!(rewritten[32..], assertion[32..]);
}

// ---------------------------------------------------------------- figures

#[test]
fn the_chain_figure_shows_each_link_and_the_anchor() {
    use crate::figure::{Link, Role};
    let (_, mut x5c) = attestation_parts();
    let root = AppleRoot::AppAttestation.load().expect("root");
    let chain = certs(&x5c);
    let walk = chain::walk(&chain, std::slice::from_ref(&root), NOW);
    let figure = chain::figure("t", &chain, std::slice::from_ref(&root), &walk, NOW);
    let roles: Vec<Role> = figure.certs.iter().map(|c| c.role).collect();
    assert_eq!(roles, [Role::Leaf, Role::Intermediate, Role::Anchor]);
    let links: Vec<&Link> = figure.certs.iter().map(|c| &c.link).collect();
    assert_eq!(links, [&Link::Signed, &Link::Signed, &Link::End]);
    assert!(figure.certs[2].subject.contains("Apple App Attestation Root CA"));
    assert_eq!(figure.first_failure(), None);
    assert_eq!(figure.certs[0].not_after, chain[0].validity().1);
    // A year on, only the leaf's bar ends before now.
    let later = Instant(NOW.0 + 365 * 86_400);
    let walk = chain::walk(&chain, std::slice::from_ref(&root), later);
    assert_eq!(chain::figure("t", &chain, std::slice::from_ref(&root), &walk, later).first_failure(), Some(0));
    // A changed byte in the leaf's signature breaks the leaf's link, not the others.
    let last = x5c[0].len() - 2;
    x5c[0][last] ^= 0x01;
    let chain = certs(&x5c);
    let walk = chain::walk(&chain, std::slice::from_ref(&root), NOW);
    let figure = chain::figure("t", &chain, std::slice::from_ref(&root), &walk, NOW);
    assert!(matches!(figure.certs[0].link, Link::Broken(_)));
    assert_eq!(figure.certs[1].link, Link::Signed);
    assert_eq!(figure.first_failure(), Some(0));
    // Under another root the top's link breaks, and the root it was checked against is drawn.
    let webauthn = AppleRoot::WebAuthn.load().expect("root");
    let chain = certs(&attestation_parts().1);
    let walk = chain::walk(&chain, std::slice::from_ref(&webauthn), NOW);
    let figure = chain::figure("t", &chain, std::slice::from_ref(&webauthn), &walk, NOW);
    assert!(matches!(figure.certs[1].link, Link::Broken(_)));
    assert!(figure.certs[2].subject.contains("WebAuthn"));
    // Without anchors the top is drawn as the top, with nothing above.
    let walk = chain::walk(&chain, &[], NOW);
    let figure = chain::figure("t", &chain, &[], &walk, NOW);
    assert_eq!(figure.certs.len(), 2);
    assert_eq!((figure.certs[1].role, &figure.certs[1].link), (Role::Top, &Link::End));
}

#[test]
fn the_auth_data_byte_map_covers_every_byte_once() {
    let (raw, _) = attestation_parts();
    let parsed = auth_data::parse(&raw, Rules::APP_ATTEST_ATTESTATION).expect("parses");
    let map = parsed.byte_map("t", &raw);
    let names: Vec<&str> = map.fields.iter().map(|f| &*f.name).collect();
    assert_eq!(
        names,
        ["rpIdHash", "flags", "signCount", "aaguid", "credentialIdLength", "credentialId", "credentialPublicKey"]
    );
    // Contiguous from 0 to the end: every byte belongs to exactly one field.
    let mut at = 0;
    for field in &map.fields {
        assert_eq!(field.start, at, "{} starts where the previous field ends", field.name);
        at += field.len;
    }
    assert_eq!(at, raw.len());
    assert_eq!(map.fields[3].value, "\"appattestdevelop\"");
    assert_eq!(map.fields[5].len, 32);
    let flags = &map.fields[1];
    assert_eq!(flags.bits.len(), 8);
    let set: Vec<&str> = flags.bits.iter().filter(|b| b.set).map(|b| &*b.name).collect();
    assert_eq!(set, ["AT"], "App Attest attestations set only AT ({})", flags.value);
    // An assertion: the header only.
    let raw = assertion_auth_data();
    let parsed = auth_data::parse(&raw, Rules::APP_ATTEST_ASSERTION).expect("parses");
    let map = parsed.byte_map("t", &raw);
    assert_eq!(map.fields.iter().map(|f| f.len).sum::<usize>(), raw.len());
    assert_eq!(map.fields.len(), 3);
}

#[test]
fn the_nonce_byte_map_frames_the_nonce_and_says_whether_it_matches() {
    let (auth_data, x5c) = attestation_parts();
    let mut composite = auth_data;
    composite.extend_from_slice(&b64(&inputs(ATTESTATION)["client_data_hash_b64"]));
    let expected = sha256(&composite);
    let leaf = Cert::parse(&x5c[0]).expect("leaf");
    let value = leaf.extension(&apple_nonce::OID).expect("readable").expect("present");
    let map = apple_nonce::byte_map(value, &expected).expect("decodes");
    let spans: Vec<(usize, usize)> = map.fields.iter().map(|f| (f.start, f.len)).collect();
    assert_eq!(spans, [(0, 2), (2, 2), (4, 2), (6, 32)]);
    assert_eq!(map.bytes.get(..6), Some(&[0x30, 0x24, 0xa1, 0x22, 0x04, 0x20][..]));
    assert_eq!(map.fields[3].value, hex::encode(expected));
    assert!(map.note.as_deref().is_some_and(|n| n.starts_with("equals")));
    let other = apple_nonce::byte_map(value, &[0u8; 32]).expect("decodes");
    assert!(other.note.as_deref().is_some_and(|n| n.starts_with("differs")));
    // A long-form length: the headers are measured, not assumed.
    let mut long = vec![0x30, 0x81, 0x86, 0xa1, 0x81, 0x83, 0x04, 0x81, 0x80];
    long.extend([7u8; 128]);
    let map = apple_nonce::byte_map(&long, &[]).expect("decodes");
    let spans: Vec<(usize, usize)> = map.fields.iter().map(|f| (f.start, f.len)).collect();
    assert_eq!(spans, [(0, 3), (3, 3), (6, 3), (9, 128)]);
    assert_eq!(
        apple_nonce::byte_map(&[0x04, 0x00], &[]),
        Err(NonceError::NotSequence(x509_cert::der::Tag::OctetString))
    );
}

/// A remembered signature check answers only for the same key, digest, message and signature:
/// a change of any of them is checked again, and a failed check never makes a good one fail.
#[test]
fn signature_checks_are_remembered_only_for_what_they_checked() {
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    let signer = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("key");
    let other = p256::ecdsa::SigningKey::from_slice(&[8; 32]).expect("key");
    let sign = |message: &[u8]| -> Vec<u8> {
        let signature: p256::ecdsa::Signature = signer.sign_prehash(&sha256(message)).expect("signs");
        signature.to_der().as_bytes().to_vec()
    };
    let public = key::PublicKey::P256(*signer.verifying_key());
    let (message, signature) = (b"attested".to_vec(), sign(b"attested"));
    let check = |key: &key::PublicKey, digest, message: &[u8], signature: &[u8]| {
        key::verify_digest(key, digest, message, signature).is_ok()
    };
    key::forget_verified();
    for round in 0..2 {
        assert!(check(&public, key::Digest::Sha256, &message, &signature), "round {round}");
        let mut flipped = message.clone();
        flipped[0] ^= 1;
        assert!(!check(&public, key::Digest::Sha256, &flipped, &signature), "another message, round {round}");
        let mut tampered = signature.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(!check(&public, key::Digest::Sha256, &message, &tampered), "another signature, round {round}");
        assert!(!check(&public, key::Digest::Sha384, &message, &signature), "another digest, round {round}");
        let wrong = key::PublicKey::P256(*other.verifying_key());
        assert!(!check(&wrong, key::Digest::Sha256, &message, &signature), "another key, round {round}");
    }
    // Past what it keeps, the oldest is forgotten and checked again, with the same answer.
    for n in 0..key::VERIFIED_KEPT + 1 {
        let message = format!("message {n}");
        assert!(check(&public, key::Digest::Sha256, message.as_bytes(), &sign(message.as_bytes())));
    }
    assert!(check(&public, key::Digest::Sha256, &message, &signature));
}
