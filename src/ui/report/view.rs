//! The report panel and its parts. Components here only lay out what the engine's typed
//! report says; nothing is parsed.

use std::rc::Rc;

use yew::{classes, component, html, use_state, Callback, Html, MouseEvent, Properties};

use super::parts::{tone, ExpectBadge, Pitfalls};
use crate::document::DocError;
use crate::figure::Figure;
use crate::keychain::table::Table;
use crate::keychain::timeline;
use crate::keychain::{KeychainReport, StepReport};
use crate::report::{Report, VerdictReport};
use crate::ui::state::Run;
use crate::ui::window::{use_window, More};
use crate::validator::Check;

#[derive(Debug, Properties, PartialEq)]
pub struct ReportPanelProps {
    pub run: Rc<Run>,
}

/// The report's kind for the page's `data-kind` attribute (`error` when not understood).
fn kind_name(report: &Report) -> &'static str {
    report.kind().map_or("error", |k| k.name())
}

/// The report of the latest run: a summary, the kind's own view, and the raw JSON.
#[component]
pub fn ReportPanel(props: &ReportPanelProps) -> Html {
    let run = &props.run;
    // While the page's worker checks a validator document, the panel keeps its shape (so the
    // answer changes only what it changes): the verdict before the edit stays, dimmed, the
    // summary says the check runs, and the new title shows with the answer.
    let pending = run.pending.is_some();
    let stale = matches!(&run.report, Report::Verdict(v) if !v.verdict.checks.is_empty());
    let body = match &run.report {
        Report::Verdict(_) if pending && !stale => html! {},
        Report::NotUnderstood(problem) => html! { <ProblemView problem={problem.clone()} /> },
        Report::Keychain(_) => html! { <KeychainView run={run.clone()} /> },
        Report::Verdict(_) => html! {
            <>
                <VerdictView run={run.clone()} />
            </>
        },
        Report::Stepper(_) => html! { <super::stepper::StepperView run={run.clone()} /> },
        Report::Explainer(_) => html! { <super::stepper::ExplainerView run={run.clone()} /> },
    };
    let exit = run.report.exit().code();
    let checking = pending.then(|| run.report.kind().map_or("validator", |k| k.name()));
    html! {
        <section id="report" class={classes!("report", pending.then_some("pending"))} tabindex="-1"
                 aria-labelledby="report-heading" aria-busy={pending.then_some("true")}
                 data-pending={pending.then_some("true")} data-exit={(!pending).then(|| exit.to_string())}
                 data-kind={kind_name(&run.report)}>
            <h2 id="report-heading">
                { "Report" }
                if let (Some(title), false) = (&run.about.title, pending) {
                    <span class="report-title">{ format!(": {title}") }</span>
                }
            </h2>
            <Summary {exit} {checking} />
            { body }
            <RawJson run={run.clone()} />
        </section>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct RunProps {
    run: Rc<Run>,
}

/// The report as `keyplay run` prints it, serialised only while it is open.
#[component]
fn RawJson(props: &RunProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(!*open);
        })
    };
    html! {
        <details class="raw" open={*open}>
            <summary onclick={ontoggle}>{ "Report JSON (what " }<code>{ "keyplay run" }</code>{ " prints)" }</summary>
            if *open {
                <pre tabindex="0"><code>{ props.run.report.to_cli_json() }</code></pre>
            }
        </details>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct SummaryProps {
    exit: u8,
    /// The kind of the document the page's worker is checking, while it does.
    checking: Option<&'static str>,
}

/// One line saying how the run went, announced to screen readers when it changes.
#[component]
fn Summary(props: &SummaryProps) -> Html {
    if let Some(kind) = props.checking {
        let text = format!("Checking this {kind} document (the validators run beside the page, in a worker)…");
        return html! { <p class="summary pending" role="status">{ text }</p> };
    }
    let (class, text) = match props.exit {
        0 => ("success", "Ran: every expectation met."),
        1 => ("failure", "Ran: an expectation was not met."),
        _ => ("not-understood", "The document could not be understood."),
    };
    html! { <p class={classes!("summary", class)} role="status">{ text }</p> }
}

#[derive(Debug, Properties, PartialEq)]
struct ProblemProps {
    problem: DocError,
}

/// Where the document went wrong, path first.
#[component]
fn ProblemView(props: &ProblemProps) -> Html {
    let problem = &props.problem;
    let path = if problem.path.is_empty() { "/".to_owned() } else { problem.path.clone() };
    html! {
        <div class="problem">
            <p class="problem-path">{ "At " }<code>{ path }</code></p>
            <p class="problem-message">{ problem.message.clone() }</p>
        </div>
    }
}

/// A keychain run: one card per step, then the keychain as the last step left it.
#[component]
fn KeychainView(props: &RunProps) -> Html {
    let Report::Keychain(report) = &props.run.report else { return html! {} };
    let report: &KeychainReport = report;
    let shown = use_window();
    html! {
        <>
            <p class="muted">{ "Platform: " }<code>{ report.platform }</code></p>
            if let Some(lanes) = timeline::lanes(report) {
                <super::timeline::DeviceTimeline {lanes} calls={report.steps.iter().map(|s| s.call).collect::<Vec<_>>()} />
            }
            <ol class="steps" aria-label="Steps">
                for (index, step) in report.steps.iter().enumerate().take(*shown) {
                    <StepCard key={index} run={props.run.clone()} {index} step={step.clone()} />
                }
            </ol>
            <More {shown} total={report.steps.len()} what="steps" />
            <KeychainTable run={props.run.clone()} />
            <super::identity::IdentityPicture run={props.run.clone()} />
        </>
    }
}

#[derive(Debug, Properties)]
struct StepProps {
    run: Rc<Run>,
    index: usize,
    step: Rc<StepReport>,
}

impl PartialEq for StepProps {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.step == other.step
    }
}

/// One step: the call, its status, result, pitfalls, explanation and expectation.
#[component]
fn StepCard(props: &StepProps) -> Html {
    let step = &props.step;
    let tone = tone(step);
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
                <pre tabindex="0"><code>{ crate::report::shown_result(result) }</code></pre>
            </div>
        },
        None => html! {},
    };
    let pitfalls = step.pitfalls.clone().unwrap_or_default();
    html! {
        <li class={classes!("step", tone, step.expect.map(expect_class))} data-status={step.status.map(|s| s.name())}>
            <div class="step-head">
                <code class="pointer">{ format!("/steps/{}", step.index) }</code>
                <h3 class="call">{ step.call }</h3>
                if let Some(status) = step.status {
                    <span class={classes!("status", tone)}>
                        { status.name() }
                        <span class="code">{ format!(" ({})", status.code()) }</span>
                    </span>
                }
                if let Some(expect) = step.expect {
                    <ExpectBadge {expect} />
                }
            </div>
            if let Some(meaning) = step.meaning {
                <p class="meaning">{ meaning }</p>
            }
            { result }
            if !pitfalls.is_empty() {
                <div class="pitfalls">
                    <h4>{ "Pitfalls" }</h4>
                    <Pitfalls {pitfalls} class="" />
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

/// The CSS class a step gets for its expectation.
fn expect_class(expect: crate::report::Met) -> &'static str {
    match expect {
        crate::report::Met::Met => "expect-met",
        crate::report::Met::Unmet => "expect-unmet",
    }
}

/// The keychain a keychain run's last step left (none for other reports).
pub fn keychain_table(run: &Run) -> Option<&Table> {
    match &run.report {
        Report::Keychain(report) => Some(&report.keychain),
        _ => None,
    }
}

/// The keychain after the last step.
#[component]
fn KeychainTable(props: &RunProps) -> Html {
    let table = keychain_table(&props.run).filter(|t| !t.is_empty());
    let shown = use_window();
    let Some(table) = table else {
        return html! {
            <div class="keychain">
                <h3>{ "Keychain after the last step" }</h3>
                <p class="muted">{ "The keychain is empty." }</p>
            </div>
        };
    };
    html! {
        <div class="keychain">
            <h3 id="keychain-heading">{ "Keychain after the last step" }</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
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
                        for row in table.rows().take(*shown) {
                            <tr>
                                <td class="nowrap"><code title={row.class()}>{ row.short_class() }</code></td>
                                <td class="nowrap"><code>{ row.access_group() }</code></td>
                                <td><Pairs pairs={row.names().into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Vec<_>>()} /></td>
                                <td><Pairs pairs={row.others().into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Vec<_>>()} /></td>
                            </tr>
                        }
                    </tbody>
                </table>
            </div>
            <More {shown} total={table.len()} what="items" />
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct PairsProps {
    pub pairs: Vec<(String, String)>,
}

/// Name–value pairs as a compact description list.
#[component]
pub fn Pairs(props: &PairsProps) -> Html {
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

/// The verdict's figures (chains, byte maps), in the order the checks made them.
#[component]
fn Figures(props: &RunProps) -> Html {
    let Report::Verdict(verdict) = &props.run.report else { return html! {} };
    html! {
        for figure in verdict.verdict.figures.iter() {
            { match figure {
                Figure::Chain(figure) => html! { <super::chain::ChainPicture figure={figure.clone()} /> },
                Figure::Bytes(map) => html! { <super::bytes::ByteMapPicture map={map.clone()} /> },
            } }
        }
    }
}

/// A validator's verdict: valid or not, the checks, a signed token, the pictures, then the details.
#[component]
fn VerdictView(props: &RunProps) -> Html {
    let Report::Verdict(verdict) = &props.run.report else { return html! {} };
    let verdict: &VerdictReport = verdict;
    let (class, text) = if verdict.verdict.valid() { ("success", "Valid") } else { ("failure", "Not valid") };
    let token = verdict.detail("token").and_then(serde_json::Value::as_str);
    let details: serde_json::Map<String, serde_json::Value> = verdict
        .verdict
        .details
        .iter()
        .filter(|(k, v)| !(k.as_str() == "token" && v.is_string()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    html! {
        <>
            <p class={classes!("verdict", class)}>
                { text }
                if let Some(expect) = verdict.expect {
                    { " " }<ExpectBadge {expect} />
                }
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
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
                        for check in verdict.verdict.checks.iter() {
                            <CheckLine check={check.clone()} />
                        }
                    </tbody>
                </table>
            </div>
            if let Some(token) = token {
                <h3>{ "Token" }</h3>
                <pre class="token" tabindex="0"><code>{ token.to_owned() }</code></pre>
            }
            <Figures run={props.run.clone()} />
            <super::jwt::JwtPicture run={props.run.clone()} />
            if !details.is_empty() {
                <h3>{ "Details" }</h3>
                <Details {details} />
            }
        </>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct DetailsProps {
    details: serde_json::Map<String, serde_json::Value>,
}

/// A verdict's details, one titled block each (decoded header and claims, keys, certificates, …).
#[component]
fn Details(props: &DetailsProps) -> Html {
    html! {
        <dl class="details">
            for (name, value) in props.details.iter() {
                <div>
                    <dt>{ name.clone() }</dt>
                    <dd><pre tabindex="0"><code>{ match value {
                        serde_json::Value::String(s) => s.clone(),
                        other => serde_json::to_string_pretty(other).unwrap_or_default(),
                    } }</code></pre></dd>
                </div>
            }
        </dl>
    }
}

#[derive(Debug, Properties, PartialEq)]
struct CheckProps {
    check: Check,
}

#[component]
fn CheckLine(props: &CheckProps) -> Html {
    let check = &props.check;
    let pairs: Vec<(String, String)> =
        [("expected", &check.expected), ("found", &check.found), ("likely cause", &check.cause)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_owned(), v.clone())))
            .collect();
    html! {
        <tr class={if check.ok { "success" } else { "failure" }}>
            <td>{ if check.ok { "✓" } else { "✗" } }<span class="visually-hidden">{ if check.ok { " passed" } else { " failed" } }</span></td>
            <td class="nowrap"><code>{ check.id.to_string() }</code></td>
            <td>
                { check.message.clone() }
                if !pairs.is_empty() {
                    <Pairs {pairs} />
                }
            </td>
        </tr>
    }
}
