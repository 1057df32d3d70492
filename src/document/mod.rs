//! The parts of a Keyplay document every kind shares (see `docs/document.md`): the
//! envelope, the kinds, and document errors with JSON pointers. A leaf: it knows no
//! domain; [`crate::run`] is the one module that knows every kind.

mod envelope;
mod error;
mod kind;
mod outline;

pub use envelope::{kind_of, parse_json, split, strip_extensions, Envelope, Split};
pub use error::{closest, parse_typed, suggestion, DocError};
pub use kind::Kind;
pub use outline::Outline;
