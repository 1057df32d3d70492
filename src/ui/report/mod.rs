//! The report panel: the engine's typed [`Report`](crate::Report), rendered as it is.

mod identity;
mod jwt;
mod parts;
mod stepper;
mod view;

pub use parts::{tone, ExpectBadge, PitfallItem, Pitfalls};
pub use view::{ReportPanel, ReportPanelProps};
