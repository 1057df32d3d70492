//! Code generation between keychain documents and the code developers write: import pasted
//! Swift or Objective-C SecItem code into document steps ([`import::import`]), and export
//! steps and documents as Swift ready to paste into Xcode ([`swift`]). See `docs/codegen.md`.
//!
//! Pure engine code: no I/O, no clock.

mod builtins;
mod events;
mod expr;
mod flags;
mod functions;
pub mod import;
mod lexer;
mod literals;
mod mutations;
mod resolve;
mod statements;
pub mod swift;
mod values;
pub mod xctest;

pub use import::{fill, import, Flag, Import, Placeholder, Problem};

/// The largest source the importer reads (bytes); longer input yields a single problem.
pub const MAX_SOURCE_BYTES: usize = 200 * 1024;

/// The deepest nesting of brackets, parentheses and calls the expression reader follows.
pub const MAX_DEPTH: usize = 32;

/// The most problems one import lists (then one more says that the rest are not listed).
pub const MAX_PROBLEMS: usize = 200;
