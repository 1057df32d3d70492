//! The example documents shipped in `examples/`, as the picker offers them. The list is
//! [`crate::gallery::CATALOG`], built in; the texts are built in too with the `examples`
//! feature, and otherwise (the release page) fetched once from the data file beside the page
//! that `scripts/examples-bundle` writes, when an example other than the default is opened.

use std::collections::BTreeMap;

use crate::gallery::{self, CATALOG};

/// A shipped example document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its index in the catalog.
    pub index: usize,
    /// Its path under `examples/`, e.g. `keychain/lost-items-after-entitlement-change.json`.
    pub path: &'static str,
    title: &'static str,
}

/// The first screen's gallery by problem: what a developer would say, and the example that
/// answers it. Every path is a shipped example (tests/web_keys.rs holds this).
pub const PROBLEMS: &[(&str, &str)] = &[
    ("My keychain item disappeared", "keychain/lost-items-after-entitlement-change.json"),
    ("The add says duplicate, the lookup finds nothing", "keychain/non-key-attribute-in-lookup.json"),
    ("Reads fail while the device is locked", "keychain/locked-read-then-add.json"),
    ("Sign in with Apple says invalid_client", "jwt/client-secret-invalid-client.json"),
    ("App Attest attestation fails", "app-attest/development-key-on-production-server.json"),
    ("The tracking prompt never shows", "privacy/att-testflight-stuck-not-determined.json"),
    ("Screen recording permission keeps disappearing", "privacy/screen-capture-permission-disappears.json"),
    ("ASAuthorizationError 1000 / 1001 / 1003", "signin/asauthorization-error-1003.json"),
];

/// The document the app opens with, built in whatever the features, so that the first report
/// needs no request (`the_default_example_is_built_in_as_the_catalog_has_it`).
pub const DEFAULT_EXAMPLE_PATH: &str = "keychain/lost-items-after-entitlement-change.json";
const DEFAULT_EXAMPLE_TEXT: &str = include_str!("../../examples/keychain/lost-items-after-entitlement-change.json");

impl Example {
    /// The example at `index` in the gallery.
    pub fn get(index: usize) -> Option<Example> {
        CATALOG.get(index).map(|e| Example { index, path: e.path, title: e.title })
    }

    /// Every example with its index, in the gallery's order (by path).
    pub fn all() -> impl Iterator<Item = (usize, Example)> {
        (0..CATALOG.len()).filter_map(|i| Example::get(i).map(|e| (i, e)))
    }

    /// The gallery index of the example at `path`.
    pub fn index_of(path: &str) -> Option<usize> {
        CATALOG.iter().position(|e| e.path == path)
    }

    /// The example `step` places after (or, negative, before) `from`, wrapping around; from
    /// an edited document, the first (or last) example.
    pub fn neighbour(from: Option<usize>, step: isize) -> usize {
        let n = CATALOG.len().max(1) as isize;
        let next = match from {
            Some(i) => i as isize + step,
            None if step < 0 => n - 1,
            None => 0,
        };
        next.rem_euclid(n) as usize
    }

    /// The index of the document the app opens with (the first example if that one is gone).
    pub fn default_index() -> usize {
        Example::index_of(DEFAULT_EXAMPLE_PATH).unwrap_or(0)
    }

    /// The folder it sits in, which names its kind (`keychain`, `webauthn`, …).
    pub fn group(&self) -> &'static str {
        self.path.split_once('/').map_or("", |(group, _)| group)
    }

    /// The document's `title`, or its path when it has none.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// Its text when the build carries it: every example with the `examples` feature, and the
    /// default example always.
    pub fn text(&self) -> Option<&'static str> {
        gallery::embedded_text(self.index).or((self.path == DEFAULT_EXAMPLE_PATH).then_some(DEFAULT_EXAMPLE_TEXT))
    }
}

/// Example texts fetched from the data file beside the page: its JSON object, path → text.
#[derive(Debug, Default, PartialEq)]
pub struct Fetched(BTreeMap<String, String>);

impl Fetched {
    /// The data file's text, read; an error says what is wrong with it.
    pub fn parse(json: &str) -> Result<Fetched, String> {
        serde_json::from_str(json).map(Fetched).map_err(|e| format!("the examples file is not an object of texts: {e}"))
    }

    /// The text of the example at `path`, if the file holds it.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }
}

/// Fetches the examples' data file that the page names (`<link rel="x-keyplay-examples">`,
/// same origin: Trunk's build and scripts/examples-bundle put it beside the page).
pub async fn fetch() -> Result<Fetched, String> {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("link[rel=x-keyplay-examples]").ok().flatten())
        .and_then(|link| link.get_attribute("href"))
        .ok_or("this page names no examples file")?;
    let response = gloo_net::http::Request::get(&href).send().await.map_err(|e| format!("{href}: {e}"))?;
    if !response.ok() {
        return Err(format!("{href}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = response.text().await.map_err(|e| format!("{href}: {e}"))?;
    Fetched::parse(&text)
}
