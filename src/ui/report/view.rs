//! The report panel and its parts. Components here only lay out what the model says.

use std::rc::Rc;

use yew::{classes, component, html, Html, Properties};

use super::model::{
    pretty, shown, CheckRow, DocProblem, Expectation, KeychainReport, KeychainRow, Pitfall, ReportView, StepReport,
    VerdictReport,
};
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct ReportPanelProps {
    pub run: Rc<Run>,
}

/// The report of the latest run: a summary, the kind's own view, and the raw JSON.
#[component]
pub fn ReportPanel(props: &ReportPanelProps) -> Html {
    let run = &props.run;
    let body = match &run.view {
        ReportView::NotUnderstood(problem) => html! { <ProblemView problem={problem.clone()} /> },
        ReportView::Keychain(report) => html! { <KeychainView report={Rc::new(report.clone())} /> },
        ReportView::Verdict(verdict) => html! { <VerdictView verdict={Rc::new(verdict.clone())} /> },
        ReportView::Other { .. } => html! {
            <p class="muted">{ "This report has no dedicated view yet; its JSON is below." }</p>
        },
    };
    let raw_open = matches!(run.view, ReportView::Other { .. });
    html! {
        <section id="report" class="report" tabindex="-1" aria-labelledby="report-heading"
                 data-exit={run.exit.to_string()} data-kind={run.view.kind().to_owned()}>
            <h2 id="report-heading">
                { "Report" }
                if let Some(title) = &run.about.title {
                    <span class="report-title">{ format!(": {title}") }</span>
                }
            </h2>
            <Summary exit={run.exit} />
            { body }
            <details class="raw" open={raw_open}>
                <summary>{ "Report JSON (what " }<code>{ "keyplay run" }</code>{ " prints)" }</summary>
                <pre><code>{ run.json.clone() }</code></pre>
            </details>
        </section>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct SummaryProps {
    exit: u8,
}

/// One line saying how the run went, announced to screen readers when it changes.
#[component]
fn Summary(props: &SummaryProps) -> Html {
    let (class, text) = match props.exit {
        0 => ("success", "Ran: every expectation met."),
        1 => ("failure", "Ran: an expectation was not met."),
        _ => ("not-understood", "The document could not be understood."),
    };
    html! { <p class={classes!("summary", class)} role="status">{ text }</p> }
}

#[derive(Debug, Properties, PartialEq)]
struct ProblemProps {
    problem: DocProblem,
}

/// Where the document went wrong, path first.
#[component]
fn ProblemView(props: &ProblemProps) -> Html {
    let problem = &props.problem;
    html! {
        <div class="problem">
            <p class="problem-path">{ "At " }<code>{ problem.shown_path().to_owned() }</code></p>
            <p class="problem-message">{ problem.message.clone() }</p>
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct KeychainProps {
    report: Rc<KeychainReport>,
}

/// A keychain run: one card per step, then the keychain as the last step left it.
#[component]
fn KeychainView(props: &KeychainProps) -> Html {
    let report = &props.report;
    html! {
        <>
            if let Some(platform) = &report.platform {
                <p class="muted">{ "Platform: " }<code>{ platform.clone() }</code></p>
            }
            <ol class="steps" aria-label="Steps">
                for step in report.steps.iter() {
                    <StepCard step={Rc::new(step.clone())} />
                }
            </ol>
            <KeychainTable rows={Rc::new(report.keychain.clone())} />
        </>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct StepProps {
    step: Rc<StepReport>,
}

/// One step: the call, its status, result, pitfalls, explanation and expectation.
#[component]
fn StepCard(props: &StepProps) -> Html {
    let step = &props.step;
    let tone = step.tone().class();
    let result = match &step.result {
        Some(serde_json::Value::Null) => html! {
            <p class="result-none"><span class="label">{ "Result" }</span>{ " " }<code>{ "null" }</code>{ " (nothing handed back)" }</p>
        },
        Some(result) => html! {
            <div class="result">
                <h4>
                    { "Result" }
                    if let Some(count) = step.count {
                        <span class="count">{ format!(" ({count} {})", if count == 1 { "item" } else { "items" }) }</span>
                    }
                </h4>
                <pre><code>{ pretty(result) }</code></pre>
            </div>
        },
        None => html! {},
    };
    html! {
        <li class={classes!("step", tone, step.expect.map(Expectation::class))} data-status={step.status.clone()}>
            <div class="step-head">
                <code class="pointer">{ step.pointer() }</code>
                <h3 class="call">{ step.call.clone() }</h3>
                if let Some(status) = &step.status {
                    <span class={classes!("status", tone)}>
                        { status.clone() }
                        if let Some(code) = step.code {
                            <span class="code">{ format!(" ({code})") }</span>
                        }
                    </span>
                }
                if let Some(expect) = step.expect {
                    <ExpectBadge {expect} />
                }
            </div>
            if let Some(meaning) = &step.meaning {
                <p class="meaning">{ meaning.clone() }</p>
            }
            { result }
            if !step.pitfalls.is_empty() {
                <div class="pitfalls">
                    <h4>{ "Pitfalls" }</h4>
                    <ul>
                        for pitfall in step.pitfalls.iter() {
                            <PitfallItem pitfall={pitfall.clone()} />
                        }
                    </ul>
                </div>
            }
            if !step.explanation.is_empty() {
                <div class="explanation">
                    <h4>{ "Why" }</h4>
                    <ol>
                        for line in step.explanation.iter() {
                            <li>{ line.clone() }</li>
                        }
                    </ol>
                </div>
            }
        </li>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct ExpectProps {
    expect: Expectation,
}

/// Whether the step's `expect` held, in words as well as colour.
#[component]
fn ExpectBadge(props: &ExpectProps) -> Html {
    match props.expect {
        Expectation::Met => html! { <span class="expect met">{ "✓ expect met" }</span> },
        Expectation::Unmet => html! { <span class="expect unmet">{ "✗ expect unmet" }</span> },
    }
}

#[derive(Debug, Properties, PartialEq)]
struct PitfallProps {
    pitfall: Pitfall,
}

#[component]
fn PitfallItem(props: &PitfallProps) -> Html {
    let pitfall = &props.pitfall;
    html! {
        <li class={classes!("pitfall", pitfall.severity_class())}>
            <span class="severity">{ pitfall.severity.clone() }</span>
            { " " }<code class="pitfall-id">{ pitfall.id.clone() }</code>
            <p>{ pitfall.message.clone() }</p>
            if let Some(explanation) = &pitfall.explanation {
                <p class="pitfall-explanation">{ explanation.clone() }</p>
            }
            if let Some(fix) = &pitfall.fix {
                <p class="fix"><strong>{ "Fix: " }</strong>{ fix.clone() }</p>
            }
        </li>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct KeychainTableProps {
    rows: Rc<Vec<KeychainRow>>,
}

/// The keychain after the last step.
#[component]
fn KeychainTable(props: &KeychainTableProps) -> Html {
    let rows = &props.rows;
    if rows.is_empty() {
        return html! {
            <div class="keychain">
                <h3>{ "Keychain after the last step" }</h3>
                <p class="muted">{ "The keychain is empty." }</p>
            </div>
        };
    }
    html! {
        <div class="keychain">
            <h3 id="keychain-heading">{ "Keychain after the last step" }</h3>
            <div class="table-scroll">
                <table aria-labelledby="keychain-heading">
                    <thead>
                        <tr>
                            <th scope="col">{ "Class" }</th>
                            <th scope="col">{ "Access group" }</th>
                            <th scope="col" class="names">{ "Service / account / server / label" }</th>
                            <th scope="col">{ "Other attributes" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for row in rows.iter() {
                            <tr>
                                <td class="nowrap"><code title={row.class()}>{ row.short_class().to_owned() }</code></td>
                                <td class="nowrap"><code>{ row.access_group() }</code></td>
                                <td><Pairs pairs={row.names().into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Vec<_>>()} /></td>
                                <td><Pairs pairs={row.others().into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Vec<_>>()} /></td>
                            </tr>
                        }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct PairsProps {
    pairs: Vec<(String, String)>,
}

/// Name–value pairs as a compact description list.
#[component]
fn Pairs(props: &PairsProps) -> Html {
    html! {
        <dl class="pairs">
            for (name, value) in props.pairs.iter() {
                <div>
                    <dt>{ name.clone() }</dt>
                    <dd><code>{ value.clone() }</code></dd>
                </div>
            }
        </dl>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct VerdictProps {
    verdict: Rc<VerdictReport>,
}

/// A validator's verdict: valid or not, the checks, then every other field as JSON.
#[component]
fn VerdictView(props: &VerdictProps) -> Html {
    let verdict = &props.verdict;
    let (class, text) = if verdict.valid { ("success", "Valid") } else { ("failure", "Not valid") };
    let details = (!verdict.details.is_empty()).then(|| pretty(&serde_json::Value::Object(verdict.details.clone())));
    html! {
        <>
            <p class={classes!("verdict", class)}>
                { text }
                if let Some(expect) = verdict.expect {
                    { " " }<ExpectBadge {expect} />
                }
            </p>
            <div class="table-scroll">
                <table class="checks">
                    <caption>{ "Checks, in the order they ran" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "" }<span class="visually-hidden">{ "Passed" }</span></th>
                            <th scope="col">{ "Check" }</th>
                            <th scope="col">{ "Result" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for check in verdict.checks.iter() {
                            <CheckLine check={check.clone()} />
                        }
                    </tbody>
                </table>
            </div>
            if let Some(token) = &verdict.token {
                <h3>{ "Token" }</h3>
                <pre class="token"><code>{ token.clone() }</code></pre>
            }
            if let Some(details) = details {
                <h3>{ "Details" }</h3>
                <pre><code>{ details }</code></pre>
            }
        </>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct CheckProps {
    check: CheckRow,
}

#[component]
fn CheckLine(props: &CheckProps) -> Html {
    let check = &props.check;
    let pairs: Vec<(String, String)> =
        [("expected", &check.expected), ("found", &check.found), ("likely cause", &check.cause)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_owned(), shown(v))))
            .collect();
    html! {
        <tr class={if check.ok { "success" } else { "failure" }}>
            <td>{ if check.ok { "✓" } else { "✗" } }<span class="visually-hidden">{ if check.ok { " passed" } else { " failed" } }</span></td>
            <td class="nowrap"><code>{ check.id.clone() }</code></td>
            <td>
                { check.message.clone() }
                if !pairs.is_empty() {
                    <Pairs {pairs} />
                }
            </td>
        </tr>
    }
}
