//! AAGUIDs for reports: the usual UUID text, and the names of a few well-known ones.

/// An AAGUID as the usual 8-4-4-4-12 hex string.
pub fn aaguid_string(aaguid: &[u8; 16]) -> String {
    // Groups of 4, 2, 2, 2 and 6 bytes.
    let (a, rest) = aaguid.split_at(4);
    let (b, rest) = rest.split_at(2);
    let (c, rest) = rest.split_at(2);
    let (d, e) = rest.split_at(2);
    format!("{}-{}-{}-{}-{}", hex::encode(a), hex::encode(b), hex::encode(c), hex::encode(d), hex::encode(e))
}

/// What a few well-known AAGUIDs mean (display only; an AAGUID under `none` attestation is
/// not attested).
pub fn aaguid_name(aaguid: &[u8; 16]) -> Option<&'static str> {
    match aaguid_string(aaguid).as_str() {
        "00000000-0000-0000-0000-000000000000" => Some("all zero (no AAGUID: U2F key, or a platform that zeroes it)"),
        "fbfc3007-154e-4ecc-8c0b-6e020557d7bd" => Some("iCloud Keychain / Apple Passwords"),
        "dd4ec289-e01d-41c9-bb89-70fa845d4bf2" => Some("iCloud Keychain (managed Apple Account)"),
        "08987058-cadc-4b81-b6e1-30de50dcbe96" => Some("Windows Hello (TPM)"),
        _ => None,
    }
}
