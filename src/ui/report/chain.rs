//! A certificate chain as a picture: leaf first, the trust anchor last, each certificate with a
//! validity bar on one time axis and a line at the verification time, each link marked signed
//! or broken, and the first failure named in words. Drawn from the engine's
//! [`crate::figure::ChainFigure`].

use yew::{component, html, Html, Properties};

use crate::figure::{ChainCert, ChainFigure, Link};
use crate::instant::Instant;

#[derive(Debug, Properties, PartialEq)]
pub struct ChainPictureProps {
    pub figure: ChainFigure,
}

const W: i64 = 680;
const BOX: i64 = 300;
const BAR_X: i64 = 330;
const BAR_W: i64 = W - BAR_X - 10;
const ROW: i64 = 54;
const GAP: i64 = 30;
const TOP: i64 = 28;

/// The CN of an RFC 4514 name, else the whole name.
fn common_name(subject: &str) -> &str {
    subject.split(',').find_map(|part| part.trim().strip_prefix("CN=")).unwrap_or(subject)
}

fn day(t: Instant) -> String {
    t.to_rfc3339().chars().take(10).collect()
}

/// The x of `t` on the bar axis spanning `span`.
fn x_of(t: Instant, (start, end): (Instant, Instant)) -> i64 {
    let width = (end.0 - start.0).max(1);
    BAR_X + (t.0.saturating_sub(start.0)).clamp(0, width) * BAR_W / width
}

/// One sentence per certificate: its role, name, dates against now, and its link.
fn words(cert: &ChainCert, now: Instant) -> String {
    let when = if cert.valid_at(now) {
        "valid at the verification time".to_string()
    } else if now < cert.not_before {
        "NOT valid yet at the verification time".to_string()
    } else {
        format!("EXPIRED {}", cert.not_after.relative_to(now))
    };
    let link = match &cert.link {
        Link::Signed => "signed by the certificate above it".to_string(),
        Link::Broken(why) => format!("NOT signed by the certificate above it: {why}"),
        Link::End => "the end of the chain".to_string(),
    };
    format!(
        "{} {}: {} → {}, {when}; {link}",
        cert.role.word(),
        common_name(&cert.subject),
        day(cert.not_before),
        day(cert.not_after)
    )
}

fn row(figure: &ChainFigure, index: usize, cert: &ChainCert) -> Html {
    let span = figure.span();
    let y = TOP + index as i64 * (ROW + GAP);
    let valid = cert.valid_at(figure.now);
    let broken = matches!(cert.link, Link::Broken(_));
    let class = format!("chain-cert{}{}", if valid { "" } else { " invalid" }, if broken { " broken" } else { "" });
    let (x1, x2) = (x_of(cert.not_before, span), x_of(cert.not_after, span));
    let link_y = y + ROW;
    html! {
        <g class={class} data-role={cert.role.word()}>
            <rect class="cert-box" x="1" y={y.to_string()} width={BOX.to_string()} height={ROW.to_string()} rx="8" />
            <text class="box-title" x="12" y={(y + 20).to_string()}>{ cert.role.word() }</text>
            <text x="12" y={(y + 40).to_string()}>{ common_name(&cert.subject).chars().take(38).collect::<String>() }</text>
            <rect class="bar" x={x1.to_string()} y={(y + 14).to_string()} width={(x2 - x1).max(3).to_string()} height="14" rx="3" />
            <text class="bar-dates" x={BAR_X.to_string()} y={(y + 46).to_string()}>
                { format!("{} → {}{}", day(cert.not_before), day(cert.not_after), if valid { "" } else { "  ✗ not valid at now" }) }
            </text>
            if index + 1 < figure.certs.len() {
                <line class="chain-link" x1="40" y1={link_y.to_string()} x2="40" y2={(link_y + GAP).to_string()} />
                <text class="link-text" x="52" y={(link_y + 19).to_string()}>
                    { if broken { "✗ its signature by the certificate below fails" } else { "↓ signed by the certificate below" } }
                </text>
            }
            <title>{ words(cert, figure.now) }</title>
        </g>
    }
}

/// A chain figure; the failing certificate or link, if any, drawn dashed and named.
#[component]
pub fn ChainPicture(props: &ChainPictureProps) -> Html {
    let figure = &props.figure;
    let span = figure.span();
    let height = TOP + figure.certs.len() as i64 * (ROW + GAP) - GAP + 8;
    let now_x = x_of(figure.now, span);
    let verdict = match figure.first_failure().and_then(|i| figure.certs.get(i)) {
        Some(cert) => format!("Fails at the {}: {}", cert.role.word(), words(cert, figure.now)),
        None => "Every link is signed and every certificate is valid at the verification time.".to_string(),
    };
    html! {
        <figure class="chain-picture">
            <figcaption>{ figure.title.clone() }</figcaption>
            <svg viewBox={format!("0 0 {W} {height}")} width="100%" role="img"
                 aria-label={format!("{}: {}", figure.title, verdict)}>
                <text class="axis" x={BAR_X.to_string()} y="12">{ day(span.0) }</text>
                <text class="axis" x={(BAR_X + BAR_W).to_string()} y="12" text-anchor="end">{ day(span.1) }</text>
                { for figure.certs.iter().enumerate().map(|(i, c)| row(figure, i, c)) }
                <line class="now" x1={now_x.to_string()} y1="16" x2={now_x.to_string()} y2={height.to_string()} />
                <text class="now-text" x={now_x.to_string()} y="24" text-anchor="middle">{ "now" }</text>
            </svg>
            <p class="chain-verdict">{ verdict }</p>
            <ol class="chain-words">
                for cert in figure.certs.iter() {
                    <li>{ words(cert, figure.now) }</li>
                }
            </ol>
        </figure>
    }
}
