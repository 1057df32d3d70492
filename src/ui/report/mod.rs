//! The report panel: the engine's typed [`Report`](crate::Report), rendered as it is.

mod bytes;
mod chain;
mod identity;
mod jwt;
mod parts;
mod stepper;
mod timeline;
mod view;

pub use parts::{tone, ExpectBadge, PitfallItem, Pitfalls};
pub use view::{ReportPanel, ReportPanelProps};
