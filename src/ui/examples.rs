//! The example documents shipped in `examples/`, embedded in the app.
//!
//! Every `examples/**/*.json` file must be listed here (a native test in `tests/cli.rs`
//! checks that none is missing).

/// A shipped example document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its path under `examples/`, e.g. `keychain/first-slice.json`.
    pub path: &'static str,
    /// The document's text.
    pub text: &'static str,
}

impl Example {
    /// The folder it sits in, which names its kind (`keychain`, `jwt`, …).
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

macro_rules! examples {
    ($($path:literal),* $(,)?) => {
        /// Every shipped example, grouped by folder.
        pub const EXAMPLES: &[Example] = &[
            $(Example { path: $path, text: include_str!(concat!("../../examples/", $path)) },)*
        ];
    };
}

examples! {
    "keychain/first-slice.json",
}

/// The index in [`EXAMPLES`] of the document the app opens with.
pub const DEFAULT_EXAMPLE: usize = 0;
