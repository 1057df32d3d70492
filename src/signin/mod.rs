//! Sign-in troubleshooting: the AuthenticationServices / LaunchServices error explainer
//! (`error-explainer`) and the Platform SSO registration and login stepper (`platform-sso`).

pub mod errors;
pub mod psso;
