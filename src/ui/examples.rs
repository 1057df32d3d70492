//! The example documents shipped in `examples/`, as the picker offers them. The list
//! itself is [`crate::gallery::EXAMPLES`], embedded at build time.

use crate::gallery;

/// A shipped example document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its path under `examples/`, e.g. `keychain/lost-items-after-entitlement-change.json`.
    pub path: &'static str,
    /// The document's text.
    pub text: &'static str,
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

/// The document the app opens with.
pub const DEFAULT_EXAMPLE_PATH: &str = "keychain/lost-items-after-entitlement-change.json";

impl Example {
    /// The example at `index` in the gallery.
    pub fn get(index: usize) -> Option<Example> {
        gallery::EXAMPLES.get(index).map(|&(path, text)| Example { path, text })
    }

    /// Every example with its index, in the gallery's order (by path).
    pub fn all() -> impl Iterator<Item = (usize, Example)> {
        (0..gallery::EXAMPLES.len()).filter_map(|i| Example::get(i).map(|e| (i, e)))
    }

    /// The gallery index of the example at `path`.
    pub fn index_of(path: &str) -> Option<usize> {
        gallery::EXAMPLES.iter().position(|(p, _)| *p == path)
    }

    /// The example `step` places after (or, negative, before) `from`, wrapping around; from
    /// an edited document, the first (or last) example.
    pub fn neighbour(from: Option<usize>, step: isize) -> usize {
        let n = gallery::EXAMPLES.len().max(1) as isize;
        let next = match from {
            Some(i) => i as isize + step,
            None if step < 0 => n - 1,
            None => 0,
        };
        next.rem_euclid(n) as usize
    }

    /// The index of the document the app opens with (the first example if that one is gone).
    pub fn default_index() -> usize {
        gallery::EXAMPLES.iter().position(|(path, _)| *path == DEFAULT_EXAMPLE_PATH).unwrap_or(0)
    }

    /// The folder it sits in, which names its kind (`keychain`, `webauthn`, …).
    pub fn group(&self) -> &'static str {
        self.path.split_once('/').map_or("", |(group, _)| group)
    }

    /// The document's `title`, or its path when it has none.
    pub fn title(&self) -> String {
        serde_json::from_str::<serde_json::Value>(self.text)
            .ok()
            .and_then(|doc| doc.get("title").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_else(|| self.path.to_owned())
    }
}
