//! Which hosts the device and your server contact for App Attest and DeviceCheck, in which
//! environment, what a blocked host or an intercepting proxy looks like from the app (which
//! DCError), and which steps need no network at all. Kind `devicecheck-network` looks a host,
//! an operation or an error up in these tables.
//!
//! Each entry carries its evidence: `documented` (Apple's documentation, DTS answers) or
//! `reported, not documented` (forum posts and libraries only).

use super::document::{Environment, NetworkDocument};
use super::NetworkCheck;
use crate::app_attest::dcerror;
use crate::document::suggestion;
use crate::endpoint;
use crate::validator::{Check, Verdict};
use serde::Serialize;
use serde_json::{json, Value};

/// Who opens the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Caller {
    /// The app's device (through the system's DeviceCheck service, not the app's own URLSession).
    Device,
    /// The developer's server.
    Server,
    /// Nobody: the name is not an Apple endpoint for this purpose.
    Nobody,
}

/// One host name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Host {
    pub host: &'static str,
    pub caller: Caller,
    /// `production`, `development`, or `both`.
    pub environment: &'static str,
    pub purpose: &'static str,
    pub evidence: &'static str,
    pub sources: &'static [&'static str],
}

const PER_DEVICE_DATA: &str =
    "https://developer.apple.com/documentation/devicecheck/accessing-and-modifying-per-device-data";
const FRAUD_RISK: &str = "https://developer.apple.com/documentation/devicecheck/assessing-fraud-risk";
const FORUM_818677: &str = "Apple Developer Forums thread 818677 (Apple engineer's answer)";
const ENTERPRISE: &str = "https://support.apple.com/HT210060 (Use Apple products on enterprise networks)";

/// The host table.
pub const HOSTS: [Host; 7] = [
    Host {
        host: "api.devicecheck.apple.com",
        caller: Caller::Server,
        environment: "production",
        purpose: "the DeviceCheck server API: POST /v1/query_two_bits, /v1/update_two_bits, /v1/validate_device_token with a DCDevice token, authenticated by an ES256 JWT",
        evidence: "documented",
        sources: &[PER_DEVICE_DATA],
    },
    Host {
        host: "api.development.devicecheck.apple.com",
        caller: Caller::Server,
        environment: "development",
        purpose: "the same API for tokens of development builds; its bits are separate from production's",
        evidence: "documented",
        sources: &[PER_DEVICE_DATA],
    },
    Host {
        host: "data.appattest.apple.com",
        caller: Caller::Server,
        environment: "production",
        purpose: "App Attest receipt refresh: POST /v1/attestationData with the receipt from an attestation returns a new receipt carrying the risk metric",
        evidence: "documented",
        sources: &[FRAUD_RISK, FORUM_818677],
    },
    Host {
        host: "data-development.appattest.apple.com",
        caller: Caller::Server,
        environment: "development",
        purpose: "the same receipt refresh for the development App Attest environment",
        evidence: "documented",
        sources: &[FRAUD_RISK, FORUM_818677],
    },
    Host {
        host: "attest.apple.com",
        caller: Caller::Nobody,
        environment: "both",
        purpose: "not an App Attest endpoint: Apple offers no server endpoint that verifies an attestation object; your server verifies it itself, offline",
        evidence: "documented (no verification endpoint); the name itself comes from a forum post",
        sources: &[FORUM_818677, "https://developer.apple.com/documentation/devicecheck/validating-apps-that-connect-to-your-server"],
    },
    Host {
        host: "attest.development.apple.com",
        caller: Caller::Nobody,
        environment: "development",
        purpose: "not an App Attest endpoint either (see attest.apple.com)",
        evidence: "documented (no verification endpoint); the name itself comes from a forum post",
        sources: &[FORUM_818677],
    },
    Host {
        host: "(the device's attestation service)",
        caller: Caller::Device,
        environment: "both",
        purpose: "attestKey and DCDevice.generateToken are carried out by the system, which contacts Apple's servers itself; Apple does not publish these host names, only that Apple services fail through HTTPS interception (SSL inspection) and that devices must reach Apple's hosts (*.apple.com) directly",
        evidence: "documented (HTTPS interception breaks Apple services); host names not documented",
        sources: &[ENTERPRISE, "https://developer.apple.com/documentation/devicecheck/dcerror-swift.struct/serverunavailable"],
    },
];

/// One step of the App Attest / DeviceCheck flows and whether it touches the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Operation {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub caller: Caller,
    pub contacts_apple: bool,
    pub hosts: &'static [&'static str],
    /// What a blocked host or an intercepting proxy looks like.
    pub when_blocked: &'static str,
    pub evidence: &'static str,
}

/// The operation table.
pub const OPERATIONS: [Operation; 9] = [
    Operation {
        name: "generateKey",
        aliases: &["DCAppAttestService.generateKey"],
        caller: Caller::Device,
        contacts_apple: false,
        hosts: &[],
        when_blocked: "nothing changes: the key is made in the Secure Enclave on the device",
        evidence: "documented",
    },
    Operation {
        name: "attestKey",
        aliases: &["DCAppAttestService.attestKey", "attestation"],
        caller: Caller::Device,
        contacts_apple: true,
        hosts: &["(the device's attestation service)"],
        when_blocked: "DCError.serverUnavailable (com.apple.devicecheck.error 4): retry later with the same key id and the same clientDataHash",
        evidence: "documented",
    },
    Operation {
        name: "generateAssertion",
        aliases: &["DCAppAttestService.generateAssertion", "assertion"],
        caller: Caller::Device,
        contacts_apple: false,
        hosts: &[],
        when_blocked: "nothing should change: assertions are signed on the device (serverUnavailable from it is reported in forums, not documented)",
        evidence: "documented",
    },
    Operation {
        name: "generateToken",
        aliases: &["DCDevice.generateToken", "DCDevice.current.generateToken", "devicecheck token"],
        caller: Caller::Device,
        contacts_apple: true,
        hosts: &["(the device's attestation service)"],
        when_blocked: "com.apple.devicecheck.error 0 (unknownSystemFailure): Apple documents code 0 as a failure to generate the token; that filtering Wi-Fi, DNS blocking or an intercepting proxy is what produces it is reported, not documented",
        evidence: "reported, not documented",
    },
    Operation {
        name: "verify-attestation",
        aliases: &["verify attestation", "validate attestation", "attestation verification"],
        caller: Caller::Server,
        contacts_apple: false,
        hosts: &[],
        when_blocked: "nothing: the server verifies the attestation offline (certificate chain to the pinned App Attest root, nonce, key id, App ID hash, counter, AAGUID); Keyplay does exactly this with kind app-attest",
        evidence: "documented",
    },
    Operation {
        name: "verify-assertion",
        aliases: &["verify assertion", "validate assertion"],
        caller: Caller::Server,
        contacts_apple: false,
        hosts: &[],
        when_blocked: "nothing: checked with the stored public key and counter (kind app-attest-assertion)",
        evidence: "documented",
    },
    Operation {
        name: "receipt-refresh",
        aliases: &["attestationData", "risk metric", "fraud risk"],
        caller: Caller::Server,
        contacts_apple: true,
        hosts: &["data.appattest.apple.com", "data-development.appattest.apple.com"],
        when_blocked: "your server's HTTP client fails (DNS, connect or TLS error); no DCError is involved. The attestation stays valid; only the risk metric is missing",
        evidence: "documented",
    },
    Operation {
        name: "two-bits",
        aliases: &["query_two_bits", "update_two_bits", "validate_device_token"],
        caller: Caller::Server,
        contacts_apple: true,
        hosts: &["api.devicecheck.apple.com", "api.development.devicecheck.apple.com"],
        when_blocked: "your server's HTTP client fails; the app sees only what your server answers",
        evidence: "documented",
    },
    Operation {
        name: "isSupported",
        aliases: &["DCAppAttestService.isSupported", "DCDevice.isSupported"],
        caller: Caller::Device,
        contacts_apple: false,
        hosts: &[],
        when_blocked: "nothing: a local property of the device and the app",
        evidence: "documented",
    },
];

/// The `network` detail of a DeviceCheck request: the server side of the story.
pub fn server_side_note() -> Value {
    json!({
        "contacts-apple": true,
        "hosts": ["api.devicecheck.apple.com", "api.development.devicecheck.apple.com"],
        "note": "the two-bit API is a call from your server to Apple; attestation verification, by contrast, needs no call to Apple",
        "evidence": "documented",
        "sources": [PER_DEVICE_DATA, FORUM_818677],
    })
}

/// Finds a host by name or URL (case-insensitive).
pub fn find_host(text: &str) -> Option<&'static Host> {
    let name = endpoint::split(text).map(|u| u.host).unwrap_or(text.trim()).trim_end_matches('.');
    HOSTS.iter().find(|h| h.host.eq_ignore_ascii_case(name))
}

/// Finds an operation by name or alias.
pub fn find_operation(text: &str) -> Option<&'static Operation> {
    let t = text.trim();
    OPERATIONS.iter().find(|op| {
        op.name.eq_ignore_ascii_case(t)
            || op.aliases.iter().any(|a| {
                a.eq_ignore_ascii_case(t) || a.rsplit('.').next().is_some_and(|last| last.eq_ignore_ascii_case(t))
            })
    })
}

/// Looks up what the document names: checks `host`, `operation` and `error` (each only when
/// given) pass when the entry is known and usable, and the details carry the explanation.
pub fn verify(doc: &NetworkDocument) -> Verdict {
    let mut verdict = Verdict::default();
    if let Some(text) = doc.host.as_deref() {
        verdict.checks.push(host_check(text, doc.environment));
        if let Some(host) = find_host(text) {
            verdict.detail("host", json!(host));
        }
    }
    let operation = doc.operation.as_deref().map(|t| (t, find_operation(t)));
    if let Some((text, found)) = operation {
        verdict.checks.push(match found {
            Some(op) => Check::pass(
                NetworkCheck::Operation,
                format!("{} {}", op.name, if op.contacts_apple { "contacts Apple" } else { "needs no network" }),
            ),
            None => {
                let names: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
                Check::fail(
                    NetworkCheck::Operation,
                    format!("Keyplay knows no operation {text}{}", suggestion(text, &names)),
                )
                .expected_found(names.join(", "), text)
            }
        });
        if let Some(op) = found {
            verdict.detail("operation", json!(op));
        }
    }
    if let Some(text) = doc.error.as_deref() {
        let code = dcerror::lookup(text).or_else(|| digits_after_dcerror(text));
        verdict.checks.push(match code {
            Some(c) => Check::pass(NetworkCheck::Error, format!("{} is {} ({})", text.trim(), c.swift, c.meaning)),
            None => Check::fail(NetworkCheck::Error, format!("{text} names no DCError"))
                .expected_found("com.apple.devicecheck.error N, DCError N, or a case name such as serverUnavailable", text)
                .cause("paste the NSError as logged (domain and code), or the underlying error of a wrapper such as Firebase App Check"),
        });
        if let Some(c) = code {
            let method = operation.and_then(|(_, op)| op).map(|op| match op.name {
                "generateToken" => "DCDevice.generateToken",
                other => other,
            });
            let cells: Vec<_> = dcerror::cells_for(c).filter(|cell| method.is_none_or(|m| cell.method == m)).collect();
            verdict.detail("dcerror", json!({ "code": c, "cells": cells }));
        }
    }
    if doc.host.is_none() && doc.operation.is_none() && doc.error.is_none() {
        verdict.checks.push(
            Check::fail(NetworkCheck::Lookup, "nothing to look up")
                .expected_found("host, operation or error", "none of them"),
        );
    }
    verdict.detail("diagnosis", diagnosis(doc));
    verdict.detail("hosts", json!(HOSTS));
    verdict
}

/// `DCError 4`, `DCError.Code(rawValue: 4)`: the number after "DCError".
fn digits_after_dcerror(text: &str) -> Option<&'static dcerror::Code> {
    let after = text.split("DCError").nth(1)?;
    let digits: String =
        after.trim_start_matches(|c: char| !c.is_ascii_digit()).chars().take_while(char::is_ascii_digit).collect();
    let raw: i64 = digits.parse().ok()?;
    dcerror::CODES.iter().find(|c| c.raw == raw)
}

fn host_check(text: &str, environment: Option<Environment>) -> Check {
    let Some(host) = find_host(text) else {
        let names: Vec<&str> = HOSTS.iter().map(|h| h.host).filter(|h| !h.starts_with('(')).collect();
        let typed = endpoint::split(text).map(|u| u.host).unwrap_or(text.trim());
        return Check::fail(NetworkCheck::Host, format!("{typed} is not a host App Attest or DeviceCheck uses{}", suggestion(typed, &names)))
            .expected_found(names.join(", "), typed)
            .cause("the device's own connections go to hosts Apple does not publish; your server talks only to the hosts listed");
    };
    if host.caller == Caller::Nobody {
        return Check::fail(NetworkCheck::Host, format!("{} is not an Apple endpoint for App Attest", host.host))
            .expected_found("no call to Apple to verify an attestation", host.host)
            .cause(host.purpose);
    }
    if let Some(env) = environment {
        if host.environment != "both" && host.environment != env.name() {
            return Check::fail(
                NetworkCheck::Host,
                format!("{} serves {}, not {}", host.host, host.environment, env.name()),
            )
            .expected_found(format!("the {} host", env.name()), host.host)
            .cause("development and production are separate environments with separate data");
        }
    }
    Check::pass(NetworkCheck::Host, format!("{}: {} ({})", host.host, host.purpose, host.environment))
}

/// Plain-language answer to "what is going on", from what the document gave.
fn diagnosis(doc: &NetworkDocument) -> Value {
    let mut lines: Vec<Value> = Vec::new();
    let op = doc.operation.as_deref().and_then(find_operation);
    if let Some(host) = doc.host.as_deref().and_then(find_host) {
        if host.caller == Caller::Nobody {
            lines.push(json!({ "text": "Your server does not send the attestation to Apple: it verifies the attestation object itself, offline (certificate chain, nonce, key id, App ID hash, counter, AAGUID). Only the optional receipt refresh for the risk metric calls Apple, at data(-development).appattest.apple.com.", "evidence": "documented", "sources": [FORUM_818677] }));
        }
    }
    if let Some(op) = op {
        lines.push(json!({ "text": format!("{}: {}", op.name, op.when_blocked), "evidence": op.evidence }));
    }
    let network = doc.network.as_deref().unwrap_or_default().to_ascii_lowercase();
    if network.contains("wi")
        || network.contains("proxy")
        || network.contains("corporate")
        || network.contains("firewall")
    {
        lines.push(json!({ "text": "Networks that filter DNS, block Apple's hosts or intercept HTTPS (SSL inspection) break the device's connections to Apple; Apple's enterprise network guidance is to let devices reach Apple's hosts directly, without HTTPS interception. Compare failure rates on cellular and on such networks, and retry later with backoff.", "evidence": "documented (HTTPS interception); the Wi-Fi correlation is reported, not documented", "sources": [ENTERPRISE] }));
    }
    Value::Array(lines)
}
