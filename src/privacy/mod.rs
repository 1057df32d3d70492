//! Privacy permissions as state models: App Tracking Transparency (`att`) and macOS screen
//! capture consent (`tcc-screen-capture`). Both report through [`crate::stepper`].

pub mod att;
pub mod tcc;
