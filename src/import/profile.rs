//! Provisioning profiles (`embedded.mobileprovision`, `.provisionprofile`): a CMS SignedData
//! whose content is an XML plist. The CMS is read with the project's one BER reader
//! (`app_attest::cms`, the same that reads App Store receipts); the plist with the `plist`
//! crate. The signature is not verified: Keyplay pins no provisioning root, and what matters
//! here is what the profile allows.

use super::entitlements::{self, Entitlements, Format};
use super::plist_value::{parse_plist, PValue};
use super::{check_size, ImportError};
use crate::instant::Instant;
use serde::Serialize;
use serde_json::{json, Map, Value as Json};

/// CMS content type `id-data`.
const ID_DATA: &str = "1.2.840.113549.1.7.1";

/// A decoded profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub name: Option<String>,
    pub uuid: Option<String>,
    #[serde(rename = "app-id-name")]
    pub app_id_name: Option<String>,
    #[serde(rename = "team-ids")]
    pub team_ids: Vec<String>,
    #[serde(rename = "team-name")]
    pub team_name: Option<String>,
    #[serde(rename = "app-id-prefixes")]
    pub app_id_prefixes: Vec<String>,
    pub platforms: Vec<String>,
    pub created: Option<Instant>,
    pub expires: Option<Instant>,
    /// Whether `expires` is before the `now` given.
    pub expired: Option<bool>,
    /// `ProvisionedDevices` count (development and ad hoc profiles).
    pub devices: Option<usize>,
    /// `ProvisionsAllDevices` (enterprise profiles).
    #[serde(rename = "all-devices")]
    pub all_devices: bool,
    /// Subjects of the `DeveloperCertificates` the profile names.
    #[serde(rename = "developer-certificates")]
    pub developer_certificates: Vec<String>,
    /// Whether the input was the CMS (`false`: an already decoded plist).
    pub signed: bool,
    /// Certificates carried in the CMS.
    #[serde(rename = "cms-certificates")]
    pub cms_certificates: usize,
    /// The profile's entitlements (may hold wildcards such as `TEAMID.*`).
    pub entitlements: Entitlements,
}

impl Profile {
    /// The document fragment: the entitlements' `app` block (wildcards are allowances, not
    /// groups, and are left out) and the profile summary under `x-evidence`.
    pub fn fragment(&self, differences: &[Difference]) -> Json {
        let mut app = self.entitlements.app.clone();
        if let Some(groups) = app.keychain_access_groups.as_mut() {
            groups.retain(|g| !g.contains('*'));
        }
        if app.application_identifier.as_deref().is_some_and(|id| id.contains('*')) {
            app.application_identifier = None;
        }
        let mut evidence = serde_json::to_value(self).unwrap_or(Json::Null);
        if let Some(obj) = evidence.as_object_mut() {
            obj.insert("from".into(), json!("profile"));
            obj.insert("entitlements".into(), Json::Object(self.entitlements.all.clone()));
            obj.insert("entitlement-notes".into(), json!(self.entitlements.notes));
            obj.insert("differences".into(), serde_json::to_value(differences).unwrap_or(Json::Null));
        }
        let mut map = Map::new();
        map.insert("app".into(), entitlements::app_json(&app));
        map.insert("x-evidence".into(), evidence);
        Json::Object(map)
    }
}

/// Reads a profile: the CMS file, or the plist `security cms -D -i FILE` printed.
pub fn profile(bytes: &[u8], now: Instant) -> Result<Profile, ImportError> {
    check_size(bytes.len(), "profile")?;
    // The CMS carries the XML near its start, so only a leading `<` means a decoded plist.
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
    let plain = bytes
        .get(start..)
        .is_some_and(|b| b.starts_with(b"<?xml") || b.starts_with(b"<plist") || b.starts_with(b"\xef\xbb\xbf<"));
    let (plist_bytes, signed, cms_certificates) = if plain {
        (bytes.to_vec(), false, 0)
    } else {
        let cms = crate::app_attest::cms::parse_unbounded(bytes).map_err(|e| {
            ImportError::new(format!(
                "not a provisioning profile: a profile is a CMS SignedData (DER), and this is {e}"
            ))
        })?;
        if cms.content_type != ID_DATA {
            return Err(ImportError::new(format!(
                "the CMS holds content of type {}, not data: not a provisioning profile",
                cms.content_type
            )));
        }
        if cms.content.is_empty() {
            return Err(ImportError::new(
                "the CMS SignedData carries no content (a detached signature): not a provisioning profile",
            ));
        }
        let count = cms.certificates.len();
        (cms.content, true, count)
    };
    let root = parse_plist(&plist_bytes)?;
    if !matches!(root, PValue::Dict(_)) {
        return Err(ImportError::new(format!("a profile's plist is a dictionary, not {}", root.type_name())));
    }
    let ents = root
        .get("Entitlements")
        .ok_or_else(|| ImportError::new("the plist has no Entitlements dictionary: not a provisioning profile"))?;
    let entitlements = entitlements::from_root(ents, Format::Profile, Vec::new())?;
    let string = |k: &str| root.get(k).and_then(PValue::as_str).map(str::to_string);
    let strings = |k: &str| root.get(k).and_then(PValue::as_strings).unwrap_or_default();
    let date = |k: &str| match root.get(k) {
        Some(PValue::Date(t)) => Some(*t),
        _ => None,
    };
    let expires = date("ExpirationDate");
    let devices = match root.get("ProvisionedDevices") {
        Some(PValue::Array(items)) => Some(items.len()),
        _ => None,
    };
    let developer_certificates = match root.get("DeveloperCertificates") {
        Some(PValue::Array(items)) => items
            .iter()
            .map(|c| match c {
                PValue::Data(der) => certificate_subject(der),
                other => format!("(not a certificate: {})", other.type_name()),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Profile {
        name: string("Name"),
        uuid: string("UUID"),
        app_id_name: string("AppIDName"),
        team_ids: strings("TeamIdentifier"),
        team_name: string("TeamName"),
        app_id_prefixes: strings("ApplicationIdentifierPrefix"),
        platforms: strings("Platform"),
        created: date("CreationDate"),
        expires,
        expired: expires.map(|e| e < now),
        devices,
        all_devices: matches!(root.get("ProvisionsAllDevices"), Some(PValue::Bool(true))),
        developer_certificates,
        signed,
        cms_certificates,
        entitlements,
    })
}

fn certificate_subject(der: &[u8]) -> String {
    use x509_cert::der::Decode;
    match x509_cert::Certificate::from_der(der) {
        Ok(cert) => cert.tbs_certificate.subject.to_string(),
        Err(e) => format!("(a certificate that does not decode: {e})"),
    }
}

/// A keychain-relevant difference between a profile and the signed entitlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Stable id: `team-id-change`, `app-id-prefix-change`, `application-identifier-not-allowed`,
    /// `access-group-not-allowed`, `app-group-not-allowed`, `profile-expired`.
    pub id: &'static str,
    pub message: String,
}

/// `pattern` as a profile writes it: exact, or a prefix ending in `*`.
fn allows(pattern: &str, value: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => value.starts_with(prefix),
        None => pattern == value,
    }
}

/// Every keychain-relevant difference between what the profile allows and what the app was
/// signed with.
pub fn compare(profile: &Profile, signed: &Entitlements) -> Vec<Difference> {
    let mut out = Vec::new();
    let allowed = &profile.entitlements.app;
    if let (Some(team), Some(profile_team)) = (&signed.team_id, profile.team_ids.first()) {
        if !profile.team_ids.contains(team) {
            out.push(Difference {
                id: "team-id-change",
                message: format!("the app is signed for team {team}, the profile belongs to team {profile_team}: items stored in the old team's access groups are invisible to the new build (the App ID prefix change case; see the app-id-prefix-change example)"),
            });
        }
    }
    if let Some(prefix) = &signed.app_id_prefix {
        if !profile.app_id_prefixes.is_empty() && !profile.app_id_prefixes.contains(prefix) {
            out.push(Difference {
                id: "app-id-prefix-change",
                message: format!("the signed App ID prefix {prefix} is not among the profile's ({}): the application-identifier access group changes, and items added without kSecAttrAccessGroup under the old prefix are no longer found", profile.app_id_prefixes.join(", ")),
            });
        }
    }
    if let (Some(id), Some(pattern)) = (&signed.app.application_identifier, &allowed.application_identifier) {
        if !allows(pattern, id) {
            out.push(Difference {
                id: "application-identifier-not-allowed",
                message: format!("the signed application-identifier {id} is not allowed by the profile's {pattern}"),
            });
        }
    }
    let patterns = allowed.keychain_access_groups.clone().unwrap_or_default();
    for group in signed.app.keychain_access_groups.iter().flatten() {
        if !patterns.iter().any(|p| allows(p, group)) {
            let why = if patterns.is_empty() {
                "the profile allows no keychain access groups".to_string()
            } else {
                format!("the profile allows {}", patterns.join(", "))
            };
            out.push(Difference {
                id: "access-group-not-allowed",
                message: format!("keychain access group {group} is not allowed by the profile ({why}): the system does not grant it, and SecItem calls naming it fail with errSecMissingEntitlement"),
            });
        }
    }
    let app_groups = allowed.application_groups.clone().unwrap_or_default();
    for group in signed.app.application_groups.iter().flatten() {
        if !app_groups.iter().any(|p| allows(p, group)) {
            out.push(Difference {
                id: "app-group-not-allowed",
                message: format!("app group {group} is not in the profile's com.apple.security.application-groups: it cannot serve as a keychain access group"),
            });
        }
    }
    if profile.expired == Some(true) {
        let when = profile.expires.map(|e| e.to_rfc3339()).unwrap_or_default();
        out.push(Difference {
            id: "profile-expired",
            message: format!("the profile expired at {when}: an app signed with it no longer launches, so nothing reaches the keychain"),
        });
    }
    out
}
