//! The keychain workspace's pure helpers (`src/ui/workspace/doc.rs`), compiled here too so
//! their unit tests run natively as well as in the browser: the file names the crate's
//! items through `crate::…`, which this root provides.
#![allow(dead_code)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use keyplay::{gallery, keychain, run_text, Instant};

#[path = "../src/ui/workspace/doc.rs"]
mod doc;
