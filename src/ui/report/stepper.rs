//! The state-model explainers' reports (ATT, screen capture consent, Platform SSO) as one
//! card per event, and the error explainer's entries. Layout only: the engine's typed
//! reports say everything.

use std::rc::Rc;

use yew::{classes, component, html, Html, Properties};

use super::parts::ExpectBadge;
use crate::report::{Met, Report};
use crate::stepper::{Source, State, StepReport};
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct StepperRunProps {
    pub run: Rc<Run>,
}

fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The state after a step; the values this step changed (from `before`, the state after the
/// previous step) are marked, in words as well as in colour.
fn state_list(state: &State, before: Option<&State>) -> Html {
    html! {
        <dl class="stepper-state">
            { for state.0.iter().map(|(key, value)| {
                let changed = before.is_some_and(|b| b.get(key) != Some(value));
                html! {
                    <>
                        <dt>{ *key }</dt>
                        <dd class={classes!(changed.then_some("changed"))}>
                            <code>{ value_text(value) }</code>
                            if changed {
                                { " " }<span class="change-mark">{ "changed" }</span>
                            }
                        </dd>
                    </>
                }
            }) }
        </dl>
    }
}

fn sources(list: &[Source]) -> Html {
    if list.is_empty() {
        return html! {};
    }
    html! {
        <ul class="stepper-sources">
            { for list.iter().map(|s| html! {
                <li>
                    <a href={s.url} rel="noreferrer">{ s.title }</a>
                    { " — " }<span class="evidence">{ serde_json::to_value(s.evidence).ok().map(|v| value_text(&v)).unwrap_or_default() }</span>
                </li>
            }) }
        </ul>
    }
}

fn step_card(step: &StepReport, before: Option<&State>) -> Html {
    let expect = step.expect.map(|e| if e == "met" { Met::Met } else { Met::Unmet });
    let tone = match expect {
        Some(Met::Unmet) => "failure",
        Some(Met::Met) => "success",
        None => "event",
    };
    html! {
        <li class={classes!("step-card", "stepper-step", tone)}>
            <header>
                <span class="step-index">{ format!("{}.", step.index + 1) }</span>
                { " " }<code class="step-event">{ step.event }</code>
                if let Some(expect) = expect {
                    { " " }<ExpectBadge {expect} />
                }
            </header>
            if let Some(note) = &step.note {
                <p class="note">{ note.clone() }</p>
            }
            { state_list(&step.state, before) }
            <ul class="explanation">
                { for step.explanation.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
            </ul>
            if !step.unmet.is_empty() {
                <ul class="unmet">{ for step.unmet.iter().map(|u| html! { <li>{ u.clone() }</li> }) }</ul>
            }
            { sources(&step.sources) }
        </li>
    }
}

/// A stepper run: the answer, then one card per event with the state after it and why.
#[component]
pub fn StepperView(props: &StepperRunProps) -> Html {
    let Report::Stepper(run) = &props.run.report else { return html! {} };
    let report = &run.report;
    html! {
        <div class="stepper-report">
            if !report.summary.is_empty() {
                <div class="stepper-summary">
                    { for report.summary.iter().map(|line| html! { <p>{ line.clone() }</p> }) }
                </div>
            }
            <ol class="steps">
                { for report.steps.iter().enumerate().map(|(i, step)| {
                    step_card(step, i.checked_sub(1).and_then(|p| report.steps.get(p)).map(|p| &p.state))
                }) }
            </ol>
        </div>
    }
}

/// The error explainer: each matching entry with its causes, their evidence, and what to do.
#[component]
pub fn ExplainerView(props: &StepperRunProps) -> Html {
    let Report::Explainer(report) = &props.run.report else { return html! {} };
    html! {
        <div class="explainer-report">
            if let Some(expect) = report.expect {
                <ExpectBadge expect={if expect == "met" { Met::Met } else { Met::Unmet }} />
            }
            if report.matches.is_empty() {
                <p class="muted">{ "No known error matches. Try the number (1003, -54) or the name (notHandled)." }</p>
            }
            <ul class="error-entries">
                { for report.matches.iter().map(|e| html! {
                    <li class="error-entry">
                        <h3><code>{ e.id }</code>{ format!(" — {} {}", e.domain, e.code) }</h3>
                        <p>{ e.meaning }</p>
                        <ul class="causes">
                            { for e.causes.iter().map(|c| html! {
                                <li>{ c.text }{ " " }<span class="evidence">{ format!("({})", serde_json::to_value(c.evidence).ok().map(|v| value_text(&v)).unwrap_or_default()) }</span></li>
                            }) }
                        </ul>
                        <p><strong>{ "What to do: " }</strong></p>
                        <ul class="what-to-do">{ for e.what_to_do.iter().map(|w| html! { <li>{ *w }</li> }) }</ul>
                        { sources(e.sources) }
                    </li>
                }) }
            </ul>
        </div>
    }
}
