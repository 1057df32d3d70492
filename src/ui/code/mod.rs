//! Evidence in, code out: paste or open what the developer has (Swift or Objective-C
//! SecItem code, entitlements, a provisioning profile, a keychain dump) to fold it into the
//! document ([`crate::import::evidence`]), and copy a keychain document as Swift
//! ([`crate::codegen::swift`]) or as an XCTest file ([`crate::codegen::xctest`]), and a
//! validator document as server test fixtures ([`crate::fixtures`]).

mod export;
mod fixtures;
mod import;
mod xctest;

pub use export::{SwiftExport, SwiftExportProps};
pub use fixtures::{FixturesExport, FixturesExportProps};
pub use import::{ImportPanel, ImportPanelProps};
pub use xctest::{XcTestExport, XcTestExportProps};
