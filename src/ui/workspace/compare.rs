//! The comparison: the document run as `ios`, `macos` and `macos-file`, step by step, with
//! the steps whose answers differ marked.

use std::rc::Rc;

use yew::{classes, component, html, use_memo, Html, Properties};

use crate::keychain::compare::{Answer, Comparison};
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct CompareProps {
    pub run: Rc<Run>,
}

#[derive(Debug, PartialEq)]
struct Compared(Result<Comparison, String>);

fn answer_text(answer: &Answer) -> String {
    match (answer.status, answer.count) {
        (Some(status), Some(count)) => format!("{status} · {count}"),
        (Some(status), None) => status.to_owned(),
        _ => "—".to_owned(),
    }
}

/// Every step's answer on each platform.
#[component]
pub fn CompareView(props: &CompareProps) -> Html {
    let compared = use_memo(props.run.clone(), |run| {
        Compared(match &run.doc {
            Ok(doc) => crate::run::compare(doc.parse(), run.now).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        })
    });
    let comparison = match &compared.0 {
        Err(message) => return html! { <div class="ws-compare"><p class="ws-invalid">{ message.clone() }</p></div> },
        Ok(comparison) => comparison,
    };
    let platforms: Vec<&str> =
        comparison.steps.first().map(|s| s.answers.iter().map(|a| a.platform).collect()).unwrap_or_default();
    html! {
        <div class="ws-compare">
            <p class="muted" role="status">
                { match comparison.differing.len() {
                    0 => "Every step answers the same on all three platforms.".to_owned(),
                    n => format!("{n} step{} answer{} differently (status or count).",
                                 if n == 1 { "" } else { "s" }, if n == 1 { "s" } else { "" }),
                } }
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                <table class="ws-compare-table">
                    <caption>{ "Status · number of results, per platform" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Step" }</th>
                            for platform in platforms.iter() {
                                <th scope="col">{ *platform }</th>
                            }
                            <th scope="col">{ "Differs" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for step in comparison.steps.iter() {
                            <tr class={classes!(step.differs.then_some("differs"))} data-step={step.index.to_string()}>
                                <td class="nowrap"><code>{ format!("#{} {}", step.index, step.call) }</code></td>
                                for answer in step.answers.iter() {
                                    <td class="nowrap"><code>{ answer_text(answer) }</code></td>
                                }
                                <td>
                                    if step.differs {
                                        <strong class="ws-differs">{ "differs" }</strong>
                                    } else if step.results_differ {
                                        <span class="muted">{ "results' attributes differ" }</span>
                                    }
                                </td>
                            </tr>
                        }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
