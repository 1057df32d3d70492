//! The steps as cards: each card edits one step (its call, its dictionary's rows, its
//! expected status) and shows what running it gave.

use std::rc::Rc;

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{classes, component, html, Callback, Event, Html, Properties, TargetCast};

use super::bench::BenchAction;
use super::panels::{AppPanel, BiometryPicker, DevicePanel};
use super::value::ValueEditor;
use crate::document::Outline;
use crate::keychain::catalog::{self, CALLS};
use crate::keychain::constants;
use crate::keychain::edit::{self, DocEdit, Part, Target};
use crate::keychain::StepReport;
use crate::report::Report;
use crate::status::Status;
use crate::ui::report::{tone, ExpectBadge, Pitfalls};
use crate::ui::state::Run;
use crate::ui::window::{use_window, More};

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[derive(Debug, Properties, PartialEq)]
pub struct StepCardsProps {
    /// The run whose document's steps and report's steps the cards show.
    pub run: Rc<Run>,
    pub selected: Option<usize>,
    pub onedit: Callback<DocEdit>,
    pub onbench: Callback<BenchAction>,
}

/// Every step as a card, and a button to add one.
#[component]
pub fn StepCards(props: &StepCardsProps) -> Html {
    // Only the steps shown are parsed again, each from its own part of the text.
    let doc = props.run.doc.as_ref().ok();
    let count = doc.map_or(0, Outline::step_count);
    let shown = use_window();
    let steps = (0..count.min(*shown)).map(|index| doc.and_then(|d| d.step(index)).unwrap_or(Value::Null));
    let reports = match &props.run.report {
        Report::Keychain(report) => report.steps.as_slice(),
        _ => &[],
    };
    html! {
        <div class="ws-steps">
            <h2 class="ws-heading">{ "Steps" }</h2>
            <ol class="ws-cards" aria-label="Step cards">
                for (index, step) in steps.enumerate() {
                    <StepEditor key={index} {index} {count} step={Rc::new(step)}
                                report={reports.get(index).cloned()}
                                selected={props.selected == Some(index)}
                                onedit={props.onedit.clone()} onbench={props.onbench.clone()} />
                }
            </ol>
            <More {shown} total={count} what="step cards" />
            <button type="button" class="ws-add-step" onclick={props.onedit.reform(|_| DocEdit::AddStep)}>
                { "+ Add a step" }
            </button>
        </div>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct StepEditorProps {
    pub index: usize,
    pub count: usize,
    pub step: Rc<Value>,
    pub report: Option<Rc<StepReport>>,
    pub selected: bool,
    pub onedit: Callback<DocEdit>,
    pub onbench: Callback<BenchAction>,
}

/// One step: its call, its dictionary (or event), its expectation, and its outcome.
#[component]
pub fn StepEditor(props: &StepEditorProps) -> Html {
    let step = props.index;
    let (call, action) =
        edit::action_of(&props.step).map_or((String::new(), Value::Null), |(c, v)| (c.to_owned(), v.clone()));
    let expected = props.step.pointer("/expect/status").and_then(Value::as_str).map(str::to_owned);
    let tone = props.report.as_deref().map(tone);
    let body = match call.as_str() {
        "SecItemUpdate" => html! {
            <>
                <DictEditor {step} part={Part::Query} call={call.clone()} dict={action.get("query").cloned().unwrap_or(Value::Null)}
                            onedit={props.onedit.clone()} />
                <DictEditor {step} part={Part::Attributes} call={call.clone()} dict={action.get("attributes").cloned().unwrap_or(Value::Null)}
                            onedit={props.onedit.clone()} />
            </>
        },
        "SecItemAdd" | "SecItemCopyMatching" | "SecItemDelete" => html! {
            <DictEditor {step} part={Part::Main} call={call.clone()} dict={action.clone()} onedit={props.onedit.clone()} />
        },
        "device" => {
            html! { <DevicePanel target={Target::Step(step)} value={action.clone()} onedit={props.onedit.clone()} /> }
        }
        "app" => {
            html! { <AppPanel target={Target::Step(step)} value={action.clone()} onedit={props.onedit.clone()} /> }
        }
        "biometry" => {
            html! { <BiometryPicker {step} value={action.as_str().unwrap_or_default().to_owned()} onedit={props.onedit.clone()} /> }
        }
        "reboot" => html! { <p class="muted">{ "The device restarts: locked, not unlocked since boot." }</p> },
        _ => html! { <p class="muted">{ "This step has no action yet: pick a call." }</p> },
    };
    let is_call = call.starts_with("SecItem");
    let onexpect = props.onedit.reform(move |e: Event| {
        let status = select_value(&e);
        DocEdit::SetExpectStatus { step, status: (!status.is_empty()).then_some(status) }
    });
    let oncall = props.onedit.reform(move |e: Event| DocEdit::SetCall { step, call: select_value(&e) });
    let call_id = format!("ws-call-{step}");
    let expect_id = format!("ws-expect-{step}");
    html! {
        <li class={classes!("ws-card", tone, props.selected.then_some("selected"))} data-step={step.to_string()}
            data-status={props.report.as_ref().and_then(|r| r.status).map(|s| s.name())}>
            <div class="ws-card-head">
                <span class="ws-index">{ format!("#{step}") }</span>
                <label class="visually-hidden" for={call_id.clone()}>{ format!("Call of step {step}") }</label>
                <select id={call_id} class="ws-call" onchange={oncall}>
                    for name in CALLS {
                        <option value={name} selected={call == name}>{ name }</option>
                    }
                </select>
                <span class="ws-card-tools">
                    <button type="button" class="ws-show-keychain" aria-pressed={props.selected.to_string()}
                            onclick={props.onbench.reform(move |_| BenchAction::Select(step))}>
                        { "Keychain here" }
                    </button>
                    <button type="button" aria-label={format!("Move step {step} up")} disabled={step == 0}
                            onclick={props.onedit.reform(move |_| DocEdit::MoveStep { step, up: true })}>{ "↑" }</button>
                    <button type="button" aria-label={format!("Move step {step} down")} disabled={step + 1 >= props.count}
                            onclick={props.onedit.reform(move |_| DocEdit::MoveStep { step, up: false })}>{ "↓" }</button>
                    <button type="button" class="ws-remove-step" aria-label={format!("Remove step {step}")}
                            onclick={props.onedit.reform(move |_| DocEdit::RemoveStep(step))}>{ "✕" }</button>
                </span>
            </div>
            { body }
            if is_call {
                <div class="ws-expect">
                    <label for={expect_id.clone()}>{ "Expected status" }</label>
                    <select id={expect_id} onchange={onexpect}>
                        <option value="" selected={expected.is_none()}>{ "(none)" }</option>
                        for status in Status::ALL.iter() {
                            <option value={status.name()} selected={expected.as_deref() == Some(status.name())}>
                                { format!("{} ({})", status.name(), status.code()) }
                            </option>
                        }
                    </select>
                </div>
            }
            if let Some(report) = &props.report {
                <Outcome report={report.clone()} />
            }
        </li>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct DictEditorProps {
    pub step: usize,
    pub part: Part,
    pub call: String,
    pub dict: Value,
    pub onedit: Callback<DocEdit>,
}

/// A SecItem dictionary as rows: key (with suggestions that fit the call and class), its
/// meaning, a value editor that fits the key, and a remove button; then a row to add a key.
#[component]
pub fn DictEditor(props: &DictEditorProps) -> Html {
    let (step, part) = (props.step, props.part);
    let choices = catalog::key_choices(&props.call, part, catalog::class_of(&props.dict));
    let list_id = format!("ws-keys-{step}-{}", part.name());
    let rows: Vec<(String, Value)> =
        props.dict.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
    let onadd = props.onedit.reform(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let key = input.value().trim().to_owned();
        input.set_value("");
        DocEdit::AddRow { step, part, key }
    });
    let add_id = format!("ws-add-{step}-{}", part.name());
    html! {
        <fieldset class="ws-dict">
            <legend>{ if part == Part::Main { "Dictionary".to_owned() } else { part.name().to_owned() } }</legend>
            <datalist id={list_id.clone()}>
                for key in choices.iter() {
                    <option value={key.name}>{ key.meaning }</option>
                }
            </datalist>
            <ul class="ws-rows">
                for (key, value) in rows {
                    <Row key={key.clone()} {step} {part} name={key.clone()} {value} list={list_id.clone()} onedit={props.onedit.clone()} />
                }
            </ul>
            <div class="ws-add-row">
                <label for={add_id.clone()}>{ "Add a key" }</label>
                <input id={add_id} list={list_id} placeholder="kSecAttr…" autocomplete="off" spellcheck="false"
                       onchange={onadd} />
            </div>
        </fieldset>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct RowProps {
    pub step: usize,
    pub part: Part,
    /// The key's constant name.
    pub name: String,
    pub value: Value,
    pub list: String,
    pub onedit: Callback<DocEdit>,
}

/// One dictionary row.
#[component]
pub fn Row(props: &RowProps) -> Html {
    let (step, part, key) = (props.step, props.part, props.name.clone());
    let def = constants::key_by_name(&props.name);
    let from = key.clone();
    let onrename = props.onedit.reform(move |e: Event| DocEdit::RenameKey {
        step,
        part,
        from: from.clone(),
        to: input_value(&e).trim().to_owned(),
    });
    let removed = key.clone();
    let onremove = props.onedit.reform(move |_| DocEdit::RemoveRow { step, part, key: removed.clone() });
    let key_id = format!("ws-key-{step}-{}-{}", part.name(), props.name);
    html! {
        <li class="ws-row" data-key={props.name.clone()}>
            <label class="visually-hidden" for={key_id.clone()}>{ format!("Key of {}", props.name) }</label>
            <input id={key_id} class="ws-key" list={props.list.clone()} value={props.name.clone()}
                   autocomplete="off" spellcheck="false" onchange={onrename} />
            <ValueEditor {step} {part} name={props.name.clone()} kind={def.map(|d| d.value)} value={props.value.clone()}
                         onedit={props.onedit.clone()} />
            <button type="button" class="ws-remove-row" aria-label={format!("Remove {}", props.name)} onclick={onremove}>
                { "✕" }
            </button>
            <span class="ws-meaning">
                { def.map_or("Not a key Keyplay knows: the run will say so.", |d| d.meaning) }
            </span>
        </li>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct OutcomeProps {
    pub report: Rc<StepReport>,
}

/// What the step gave: status (name, number, meaning), result, pitfalls.
#[component]
pub fn Outcome(props: &OutcomeProps) -> Html {
    let report = &props.report;
    let tone = tone(report);
    let count = report.count.unwrap_or(0);
    html! {
        <div class="ws-outcome" aria-live="polite">
            if let Some(status) = report.status {
                <p class="ws-status-line">
                    <span class={classes!("status", tone)}>
                        { status.name() }
                        <span class="code">{ format!(" ({})", status.code()) }</span>
                    </span>
                    if let Some(expect) = report.expect {
                        <ExpectBadge {expect} />
                    }
                </p>
            }
            if let Some(meaning) = report.meaning {
                <p class="meaning">{ meaning }</p>
            }
            if let Some(result) = report.result.as_ref().filter(|r| !r.is_null()) {
                <details class="ws-result">
                    <summary>{ format!("Result ({count} {})", if count == 1 { "item" } else { "items" }) }</summary>
                    <pre><code>{ crate::report::shown_result(result) }</code></pre>
                </details>
            }
            <Pitfalls pitfalls={report.pitfalls.clone().unwrap_or_default()} class="ws-pitfalls" />
        </div>
    }
}
