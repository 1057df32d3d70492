//! Checks on the authenticator-data header shared by both ceremonies: rpIdHash and the
//! UP / UV / BE / BS flags.

use crate::attest::auth_data::{AuthData, Flag};
use crate::validator::Check;
use crate::webauthn::WebauthnCheck as Id;
use sha2::{Digest, Sha256};

/// How much user verification the RP asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserVerification {
    Required,
    Preferred,
    Discouraged,
}

/// rpIdHash must be SHA-256 of the RP ID.
pub fn rp_id(auth: &AuthData, rp_id: &str) -> Check {
    let want = Sha256::digest(rp_id.as_bytes());
    if want[..] == auth.rp_id_hash[..] {
        Check::pass(Id::RpId, format!("rpIdHash is SHA-256(\"{rp_id}\")"))
    } else {
        Check::fail(Id::RpId, "rpIdHash is not SHA-256 of the expected RP ID")
            .expected_found(format!("SHA-256(\"{rp_id}\") = {}", hex::encode(want)), hex::encode(auth.rp_id_hash))
            .cause("the credential was created for another RP ID (e.g. a parent domain, or the origin host instead of rp.id), or the U2F appid extension was used")
    }
}

/// UP must be set.
pub fn user_present(auth: &AuthData) -> Check {
    if auth.flags.has(Flag::UserPresent) {
        Check::pass(Id::UserPresent, "UP flag set")
    } else {
        Check::fail(Id::UserPresent, "the user-present (UP) flag is clear")
            .expected_found("UP = 1", format!("flags {:#04x}", auth.flags.byte()))
            .cause("no user gesture was collected (only allowed for conditional-mediation registration)")
    }
}

/// UV must be set when the RP required it; otherwise it is reported only.
pub fn user_verified(auth: &AuthData, wanted: Option<UserVerification>) -> Check {
    let uv = auth.flags.has(Flag::UserVerified);
    match (wanted, uv) {
        (Some(UserVerification::Required), false) => Check::fail(Id::UserVerified, "user verification was required but the UV flag is clear")
            .expected_found("UV = 1", format!("flags {:#04x}", auth.flags.byte()))
            .cause("the authenticator has no PIN/biometric configured, or the options did not ask for userVerification: \"required\" although the server requires it"),
        (_, true) => Check::pass(Id::UserVerified, "UV flag set: the user was verified"),
        (_, false) => Check::pass(Id::UserVerified, "UV flag clear; user verification was not required"),
    }
}

/// BS (backed up) without BE (backup eligible) is invalid.
pub fn backup_state(auth: &AuthData) -> Check {
    let (be, bs) = (auth.flags.has(Flag::BackupEligible), auth.flags.has(Flag::BackupState));
    if bs && !be {
        return Check::fail(Id::BackupState, "BS is set but BE is clear")
            .expected_found("BS = 0 when BE = 0", format!("BE = 0, BS = 1 (flags {:#04x})", auth.flags.byte()))
            .cause(
                "a malformed or forged authenticator data: a credential that cannot be backed up cannot be backed up",
            );
    }
    let what = match (be, bs) {
        (true, true) => "multi-device credential, currently backed up (a synced passkey, e.g. iCloud Keychain)",
        (true, false) => "multi-device credential, not backed up yet",
        _ => "single-device credential (e.g. a security key)",
    };
    Check::pass(Id::BackupState, what)
}
