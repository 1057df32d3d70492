//! Keyplay: a simulated Apple keychain (SecItem semantics) and offline validators for
//! Sign in with Apple JWTs, App Attest and WebAuthn, all driven by one JSON document format.
//!
//! The engine modules are pure: time and randomness come in as parameters, and nothing
//! here touches the browser or the operating system. The `ui` module (wasm32 only) and the
//! `cli` module (native only) are thin shells over [`run::run_text`], which hands back a
//! typed [`Report`].
#![forbid(unsafe_code)]

pub mod codegen;
pub mod data;
pub mod document;
pub mod endpoint;
pub mod figure;
pub mod fixtures;
pub mod gallery;
pub mod import;
pub mod instant;
pub mod limits;
pub mod report;
pub mod run;
pub mod severity;
pub mod share;
pub mod status;
pub mod stepper;
pub mod validator;
pub mod wire;

pub mod app_attest;
pub mod attest;
pub mod devicecheck;
pub mod jwt;
pub mod keychain;
pub mod privacy;
pub mod signin;
pub mod siwa_server;
pub mod webauthn;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;

pub use instant::Instant;
pub use report::{Exit, Report};
pub use run::run_text;
