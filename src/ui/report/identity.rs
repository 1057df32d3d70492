//! The identity picture: for every certificate in the keychain, the certificate and the
//! private key side by side, joined when the certificate's public key hash (`pkhh`) equals
//! the key's application label (`klbl`), which is what makes them an identity; when no key
//! matches, the labels there are, to compare. Drawn in SVG from the engine's
//! [`crate::keychain::pairing`].

use yew::{component, html, use_memo, Html, Properties};

use crate::keychain::pairing::{pairings, private_keys, Pairing, PrivateKey};
use crate::keychain::row::Row;
use crate::keychain::schema::Class;
use crate::ui::state::Run;
use std::rc::Rc;

#[derive(Debug, Properties, PartialEq)]
pub struct IdentityPictureProps {
    pub run: Rc<Run>,
}

/// A long hash shortened for a box: its first characters.
fn short(value: &str) -> String {
    let inner = value.trim_start_matches("{\"base64\":\"").trim_end_matches("\"}");
    let head: String = inner.chars().take(14).collect();
    if inner.chars().count() > 14 {
        format!("{head}…")
    } else {
        head
    }
}

/// The keychain's certificates and keys (the only rows an identity is made of), with the
/// position of each in the keychain table.
#[derive(Debug, PartialEq)]
struct Parts {
    rows: Vec<Row>,
    positions: Vec<usize>,
}

impl Parts {
    fn of(run: &Run) -> Parts {
        let parts =
            super::view::keychain_table(run).map(|t| t.rows_of(&[Class::Certificate, Class::Key])).unwrap_or_default();
        let (positions, rows) = parts.into_iter().unzip();
        Parts { rows, positions }
    }

    /// The label of part `index`, or its row number in the keychain table.
    fn label(&self, index: usize) -> String {
        self.rows
            .get(index)
            .and_then(|r| r.0.get("kSecAttrLabel"))
            .map(crate::keychain::row::shown)
            .unwrap_or_else(|| format!("row {}", self.positions.get(index).map_or(index, |p| *p) + 1))
    }
}

const W: i32 = 560;
const BOX: i32 = 210;
const H: i32 = 74;

fn one(parts: &Parts, pairing: &Pairing, keys: &[PrivateKey], n: usize) -> Html {
    let y = n as i32 * (H + 16);
    let cert = parts.label(pairing.certificate);
    let hash = pairing.hash.as_deref().map(short).unwrap_or_else(|| "(none)".into());
    let (formed, key_text, key_label, why) = match pairing.key {
        Some(k) => (true, parts.label(k), hash.clone(), "pkhh = klbl: an identity forms".to_string()),
        None => {
            let labels: Vec<String> = keys.iter().filter_map(|k| k.label.as_deref().map(short)).collect();
            let why = match (&pairing.hash, labels.is_empty()) {
                (None, _) => "the certificate has no public key hash: no identity".to_string(),
                (Some(_), true) => "no private key in the keychain: no identity".to_string(),
                (Some(_), false) => "no private key's klbl equals this pkhh: no identity".to_string(),
            };
            let shown = if labels.is_empty() { "(no private key)".to_string() } else { labels.join(", ") };
            (false, "no matching private key".to_string(), shown, why)
        }
    };
    let tone = if formed { "formed" } else { "not-formed" };
    html! {
        <g class={format!("identity {tone}")} transform={format!("translate(0 {y})")}>
            <rect class="cert-box" x="1" y="1" width={BOX.to_string()} height={H.to_string()} rx="8" />
            <text x="12" y="22" class="box-title">{ "Certificate" }</text>
            <text x="12" y="42">{ cert }</text>
            <text x="12" y="62" class="mono">{ format!("pkhh {hash}") }</text>
            <rect class="key-box" x={(W - BOX - 1).to_string()} y="1" width={BOX.to_string()} height={H.to_string()} rx="8" />
            <text x={(W - BOX + 11).to_string()} y="22" class="box-title">{ "Private key" }</text>
            <text x={(W - BOX + 11).to_string()} y="42">{ key_text }</text>
            <text x={(W - BOX + 11).to_string()} y="62" class="mono">{ format!("klbl {key_label}") }</text>
            <line class="link" x1={(BOX + 1).to_string()} y1={(H / 2).to_string()}
                  x2={(W - BOX - 1).to_string()} y2={(H / 2).to_string()} />
            <text class="link-text" x={(W / 2).to_string()} y={(H / 2 - 8).to_string()} text-anchor="middle">
                { if formed { "identity" } else { "no identity" } }
            </text>
            <title>{ why.clone() }</title>
        </g>
    }
}

/// Nothing when the keychain holds no certificate.
#[component]
pub fn IdentityPicture(props: &IdentityPictureProps) -> Html {
    let parts = use_memo(props.run.clone(), |run| Parts::of(run));
    let pairs = pairings(&parts.rows);
    if pairs.is_empty() {
        return html! {};
    }
    let keys = private_keys(&parts.rows);
    let height = pairs.len() as i32 * (H + 16);
    html! {
        <figure class="identity-picture">
            <figcaption>{ "Identities: a certificate and a private key form one when pkhh = klbl" }</figcaption>
            <svg viewBox={format!("0 0 {W} {height}")} width="100%" role="img"
                 aria-label="Which certificate forms an identity with which private key">
                { for pairs.iter().enumerate().map(|(n, p)| one(&parts, p, &keys, n)) }
            </svg>
            <ul class="identity-why">
                { for pairs.iter().map(|p| {
                    let cert = parts.label(p.certificate);
                    let line = match p.key {
                        Some(k) => format!("{cert}: forms an identity with {} (pkhh = klbl)", parts.label(k)),
                        None if p.hash.is_none() => format!("{cert}: no public key hash, no identity"),
                        None => format!("{cert}: no private key has klbl = its pkhh, so no identity forms"),
                    };
                    html! { <li>{ line }</li> }
                }) }
            </ul>
        </figure>
    }
}
