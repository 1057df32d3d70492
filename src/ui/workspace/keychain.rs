//! The keychain as a chosen step left it: the document cut after that step, run, and its
//! items shown in a table filterable by class and access group, each marked with what the
//! step did to it (added, changed and which attributes, removed) against the keychain before.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::{classes, component, html, use_memo, Callback, Event, Html, Properties, TargetCast};

use super::bench::BenchAction;
use crate::keychain::diff::{diff, Change, RowChange};
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

/// The items after step `step` with what the step did to each, or why the cut document did
/// not run.
#[derive(Debug, PartialEq)]
struct Snapshot(Result<Vec<RowChange>, String>);

fn chosen(e: &Event) -> Option<String> {
    let value = e.target_unchecked_into::<HtmlSelectElement>().value();
    (!value.is_empty()).then_some(value)
}

/// The keychain after one step.
#[component]
pub fn KeychainAt(props: &KeychainAtProps) -> Html {
    let snapshot = use_memo((props.run.clone(), props.step), |(run, step)| {
        Snapshot(match &run.doc {
            Ok(doc) => crate::keychain::keychain_around(&doc.parse(), *step, run.now)
                .map(|(before, after)| diff(&before, &after))
                .map_err(|e| e.message),
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
    let mut classes: Vec<String> = rows.iter().map(|r| r.row.class()).collect();
    classes.sort();
    classes.dedup();
    let mut groups: Vec<String> = rows.iter().map(|r| r.row.access_group()).collect();
    groups.sort();
    groups.dedup();
    let shown: Vec<&RowChange> = rows
        .iter()
        .filter(|r| props.class.as_ref().is_none_or(|c| r.row.class() == *c))
        .filter(|r| props.group.as_ref().is_none_or(|g| r.row.access_group() == *g))
        .collect();
    let present = rows.iter().filter(|r| r.change != Change::Removed).count();
    let tally = [Change::Added, Change::Changed, Change::Removed]
        .iter()
        .map(|c| (c.word(), rows.iter().filter(|r| r.change == *c).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(word, n)| format!("{n} {word}"))
        .collect::<Vec<_>>();
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
                { format!("{} of {} {} shown", shown.len(), rows.len(), if rows.len() == 1 { "row" } else { "rows" }) }
                { format!("; {present} in the keychain after this step") }
                if !tally.is_empty() {
                    { format!(" ({} by it)", tally.join(", ")) }
                }
            </p>
            if !shown.is_empty() {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)">
                    <table class="ws-items">
                        <thead>
                            <tr>
                                <th scope="col">{ "This step" }</th>
                                <th scope="col">{ "Class" }</th>
                                <th scope="col">{ "Access group" }</th>
                                <th scope="col">{ "Protection" }</th>
                                <th scope="col">{ "Attributes" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            for item in shown {
                                { item_row(item) }
                            }
                        </tbody>
                    </table>
                </div>
            }
        </aside>
    }
}

/// One item: what the step did to it (in words), its class, group, protection class and
/// attributes, the changed ones marked.
fn item_row(item: &RowChange) -> Html {
    let row: &KeychainRow = &item.row;
    let protection = row.0.get("kSecAttrAccessible").map(crate::keychain::row::shown).unwrap_or_default();
    let changed = |name: &str| item.keys.iter().any(|k| k == name);
    let names = row.names().into_iter().map(|(label, value)| (label, value, false));
    let pairs: Vec<(&str, String, bool)> =
        names.chain(row.others().into_iter().map(|(key, value)| (key, value, changed(key)))).collect();
    html! {
        <tr class={classes!("ws-item", item.change.word())}>
            <td class="nowrap change">
                <span class="change-word">{ item.change.word() }</span>
                if item.change == Change::Changed {
                    <span class="changed-keys">{ format!(": {}", item.keys.join(", ")) }</span>
                }
            </td>
            <td class="nowrap"><code title={row.class()}>{ row.short_class() }</code></td>
            <td class="nowrap"><code>{ row.access_group() }</code></td>
            <td class="nowrap"><code>{ protection.strip_prefix("kSecAttrAccessible").unwrap_or(&protection).to_owned() }</code></td>
            <td>
                <dl class="pairs">
                    for (name, value, marked) in pairs {
                        <div class={classes!(marked.then_some("changed"))}>
                            <dt>{ name.to_owned() }</dt><dd><code>{ value }</code></dd>
                        </div>
                    }
                </dl>
            </td>
        </tr>
    }
}
