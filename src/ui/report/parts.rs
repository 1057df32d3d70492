//! Pieces of a step's report that the report panel and the workspace's cards both show.

use yew::{classes, component, html, Html, Properties};

use crate::keychain::pitfalls::{Pitfall, Severity};
use crate::keychain::StepReport;
use crate::report::Met;
use crate::status::Status;

/// The CSS class of a step's tone: `success`, `failure`, or `event` for a step that is no call.
pub fn tone(step: &StepReport) -> &'static str {
    match step.status {
        None => "event",
        Some(Status::Success) => "success",
        Some(_) => "failure",
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct ExpectProps {
    pub expect: Met,
}

/// Whether an `expect` held, in words as well as colour.
#[component]
pub fn ExpectBadge(props: &ExpectProps) -> Html {
    match props.expect {
        Met::Met => html! { <span class="expect met">{ "✓ expect met" }</span> },
        Met::Unmet => html! { <span class="expect unmet">{ "✗ expect unmet" }</span> },
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct PitfallProps {
    pub pitfall: Pitfall,
}

fn severity(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("severity-error", "error"),
        Severity::Warning => ("severity-warning", "warning"),
        Severity::Info => ("severity-note", "info"),
    }
}

/// One pitfall: severity (in words), id, what this call did, why, and the fix.
#[component]
pub fn PitfallItem(props: &PitfallProps) -> Html {
    let pitfall = &props.pitfall;
    let (class, word) = severity(pitfall.severity);
    html! {
        <li class={classes!("pitfall", class)}>
            <span class="severity">{ word }</span>
            { " " }<code class="pitfall-id">{ pitfall.id.to_string() }</code>
            <p>{ pitfall.message.clone() }</p>
            if !pitfall.explanation.is_empty() {
                <p class="pitfall-explanation">{ pitfall.explanation }</p>
            }
            if !pitfall.fix.is_empty() {
                <p class="fix"><strong>{ "Fix: " }</strong>{ pitfall.fix }</p>
            }
        </li>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct PitfallsProps {
    pub pitfalls: Vec<Pitfall>,
    #[prop_or("pitfalls")]
    pub class: &'static str,
}

/// A step's pitfalls as a list (nothing when there are none).
#[component]
pub fn Pitfalls(props: &PitfallsProps) -> Html {
    if props.pitfalls.is_empty() {
        return html! {};
    }
    html! {
        <ul class={props.class}>
            for pitfall in props.pitfalls.iter() {
                <PitfallItem pitfall={pitfall.clone()} />
            }
        </ul>
    }
}
