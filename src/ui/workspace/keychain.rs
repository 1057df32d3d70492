//! The keychain as a chosen step left it: the document cut after that step, run, and its
//! items shown in a table filterable by class and access group.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::{component, html, use_memo, Callback, Event, Html, Properties, TargetCast};

use super::bench::BenchAction;
use crate::keychain::row::Row as KeychainRow;
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct KeychainAtProps {
    pub run: Rc<Run>,
    pub step: usize,
    pub class: Option<String>,
    pub group: Option<String>,
    pub onbench: Callback<BenchAction>,
}

/// The items after step `step`, or why the cut document did not run.
#[derive(Debug, PartialEq)]
struct Snapshot(Result<Vec<KeychainRow>, String>);

fn chosen(e: &Event) -> Option<String> {
    let value = e.target_unchecked_into::<HtmlSelectElement>().value();
    (!value.is_empty()).then_some(value)
}

/// The keychain after one step.
#[component]
pub fn KeychainAt(props: &KeychainAtProps) -> Html {
    let snapshot = use_memo((props.run.clone(), props.step), |(run, step)| {
        Snapshot(match &run.doc {
            Ok(doc) => crate::keychain::keychain_after(doc, *step, run.now).map_err(|e| e.message),
            Err(e) => Err(e.message.clone()),
        })
    });
    let step = props.step;
    let heading = format!("Keychain after step #{step}");
    let rows = match &snapshot.0 {
        Err(message) => {
            return html! {
                <aside class="ws-keychain" aria-label={heading.clone()}>
                    <h2 class="ws-heading">{ heading }</h2>
                    <p class="ws-invalid">{ message.clone() }</p>
                </aside>
            }
        }
        Ok(rows) => rows,
    };
    let mut classes: Vec<String> = rows.iter().map(KeychainRow::class).collect();
    classes.sort();
    classes.dedup();
    let mut groups: Vec<String> = rows.iter().map(KeychainRow::access_group).collect();
    groups.sort();
    groups.dedup();
    let shown: Vec<&KeychainRow> = rows
        .iter()
        .filter(|r| props.class.as_ref().is_none_or(|c| r.class() == *c))
        .filter(|r| props.group.as_ref().is_none_or(|g| r.access_group() == *g))
        .collect();
    html! {
        <aside class="ws-keychain" aria-label={heading.clone()} data-step={step.to_string()}>
            <div class="ws-keychain-head">
                <h2 class="ws-heading">{ heading }</h2>
                <button type="button" onclick={props.onbench.reform(|_| BenchAction::Unselect)}>{ "Close" }</button>
            </div>
            <div class="ws-filters">
                <div class="ws-field">
                    <label for="ws-filter-class">{ "Class" }</label>
                    <select id="ws-filter-class" onchange={props.onbench.reform(|e: Event| BenchAction::FilterClass(chosen(&e)))}>
                        <option value="" selected={props.class.is_none()}>{ "(all)" }</option>
                        for class in classes {
                            <option value={class.clone()} selected={props.class.as_ref() == Some(&class)}>{ class.clone() }</option>
                        }
                    </select>
                </div>
                <div class="ws-field">
                    <label for="ws-filter-group">{ "Access group" }</label>
                    <select id="ws-filter-group" onchange={props.onbench.reform(|e: Event| BenchAction::FilterGroup(chosen(&e)))}>
                        <option value="" selected={props.group.is_none()}>{ "(all)" }</option>
                        for group in groups {
                            <option value={group.clone()} selected={props.group.as_ref() == Some(&group)}>{ group.clone() }</option>
                        }
                    </select>
                </div>
            </div>
            <p class="muted ws-count" role="status">
                { format!("{} of {} {}", shown.len(), rows.len(), if rows.len() == 1 { "item" } else { "items" }) }
            </p>
            if !shown.is_empty() {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                    <table class="ws-items">
                        <thead>
                            <tr>
                                <th scope="col">{ "Class" }</th>
                                <th scope="col">{ "Access group" }</th>
                                <th scope="col">{ "Attributes" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            for row in shown {
                                <tr>
                                    <td class="nowrap"><code title={row.class()}>{ row.short_class() }</code></td>
                                    <td class="nowrap"><code>{ row.access_group() }</code></td>
                                    <td>
                                        <dl class="pairs">
                                            for (name, value) in row.names().into_iter().chain(row.others()) {
                                                <div><dt>{ name.to_owned() }</dt><dd><code>{ value }</code></dd></div>
                                            }
                                        </dl>
                                    </td>
                                </tr>
                            }
                        </tbody>
                    </table>
                </div>
            }
        </aside>
    }
}
