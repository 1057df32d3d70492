//! The search keys that filter after the attribute match: certificate validity, subject,
//! e-mail and issuer filters, and the host filter for internet passwords.

use super::matching::Row;
use super::query::Query;
use super::Keychain;
use crate::keychain::objects::CertificateObject;
use crate::keychain::schema::Class;
use crate::keychain::store::{Backend, ItemObject};
use crate::keychain::value::Value;

/// How a subject filter compares the subject with the query's string.
type SubjectTest = fn(&str, &str) -> bool;

impl Keychain {
    /// The certificate of a certificate or identity row (parsed from its data when it was
    /// added as data rather than by reference).
    fn certificate_of(&self, row: Row) -> Option<CertificateObject> {
        let item = self.store.get(row.primary())?;
        match &item.object {
            Some(ItemObject::Certificate(c)) => Some((**c).clone()),
            _ if item.class == Class::Certificate => CertificateObject::from_der(item.data.as_deref()?).ok(),
            _ => None,
        }
    }

    /// Whether a row passes the query's post-filters.
    pub(super) fn passes_search_keys(&self, row: Row, q: &Query, backend: Backend) -> bool {
        if q.match_keys.is_empty() {
            return true;
        }
        let class = self.store.get(row.primary()).map(|i| i.class);
        if class == Some(Class::InternetPassword) {
            if let Some(Value::Str(host)) = q.match_value("kSecMatchHostOrSubdomainOfHost") {
                let server = self.store.get(row.primary()).and_then(|i| i.attrs.get("srvr")).and_then(Value::as_str);
                let ok = server.is_some_and(|s| s == host || s.ends_with(&format!(".{host}")));
                if !ok {
                    return false;
                }
            }
            return true;
        }
        if class != Some(Class::Certificate) {
            return true;
        }
        let Some(cert) = self.certificate_of(row) else { return true };
        let fold =
            |s: &str| if q.case_insensitive && backend == Backend::File { s.to_lowercase() } else { s.to_string() };
        if let Some(Value::Date(t)) = q.match_value("kSecMatchValidOnDate") {
            if *t < cert.not_before || *t > cert.not_after {
                return false;
            }
        }
        if let Some(Value::Str(mail)) = q.match_value("kSecMatchEmailAddressIfPresent") {
            if !cert.emails.iter().any(|e| e.eq_ignore_ascii_case(mail)) {
                return false;
            }
        }
        if let Some(Value::Array(names)) = q.match_value("kSecMatchIssuers") {
            let issued = names.iter().any(|n| match n {
                Value::Data(d) => *d == cert.issuer_der || *d == cert.issuer_content,
                _ => false,
            });
            if !issued {
                return false;
            }
        }
        // The subject string filters exist only on the file-based keychain; the data
        // protection keychain accepts kSecMatchSubjectContains and ignores it.
        if backend == Backend::File {
            let subject = fold(&cert.subject_text);
            let checks: [(&str, SubjectTest); 4] = [
                ("kSecMatchSubjectContains", |s, v| s.contains(v)),
                ("kSecMatchSubjectStartsWith", |s, v| s.starts_with(v)),
                ("kSecMatchSubjectEndsWith", |s, v| s.ends_with(v)),
                ("kSecMatchSubjectWholeString", |s, v| s == v),
            ];
            for (key, test) in checks {
                if let Some(Value::Str(v)) = q.match_value(key) {
                    if !test(&subject, &fold(v)) {
                        return false;
                    }
                }
            }
        }
        true
    }
}
