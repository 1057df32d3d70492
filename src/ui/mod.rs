//! The yew web app (placeholder until the UI lands).
pub fn start() {}
