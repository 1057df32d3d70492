//! "Start from your evidence": paste or open Swift / Objective-C code, signed entitlements, a
//! provisioning profile or a keychain dump, see what the engine reads in it
//! ([`crate::import::evidence::import`]), and fold it into the document
//! ([`crate::import::merge`], in the page's reducer). The release page reads it in its
//! validator worker (`super::super::worker`): the reducer makes the job, an effect sends it, and
//! the answer comes back as an action.

use std::rc::Rc;

use serde_json::Value as Json;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{
    component, html, use_effect_with, use_reducer, Callback, Event, Html, InputEvent, MouseEvent, Properties,
    Reducible, TargetCast,
};

use crate::import::evidence::{import, Evidence, Source};
use crate::import::ImportError;
use crate::instant::Instant;
use crate::ui::share::browser;
use crate::ui::worker::{self, IN_WORKER};
use crate::wire::{Answer, Job, Task};

#[derive(Debug, Properties, PartialEq)]
pub struct ImportPanelProps {
    /// Whether the document is a keychain document (else the evidence starts a new one).
    pub keychain: bool,
    /// The time a profile's expiry is judged at.
    pub now: Instant,
    /// Fold this fragment into the document.
    pub onmerge: Callback<Json>,
}

/// The panel's own state: what was pasted or opened, and what the engine made of it.
#[derive(Debug, Clone, PartialEq)]
struct Panel {
    source: Source,
    text: String,
    /// An opened file: its name and bytes (used instead of the text).
    file: Option<(String, Rc<[u8]>)>,
    /// A profile's signed entitlements, to compare with.
    signed: String,
    /// Values the user gave the code's placeholders (name, value).
    fills: Vec<(String, String)>,
    read_error: Option<String>,
    result: Option<Result<Rc<Evidence>, ImportError>>,
    /// The worker's job for what the panel holds now, until it answers (the release page).
    request: Option<Rc<Job>>,
}

impl Default for Panel {
    fn default() -> Panel {
        Panel {
            source: Source::Swift,
            text: String::new(),
            file: None,
            signed: String::new(),
            fills: Vec::new(),
            read_error: None,
            result: None,
            request: None,
        }
    }
}

enum PanelAction {
    Source(Source, Instant),
    Text(String, Instant),
    File(Result<(String, Vec<u8>), String>, Instant),
    Signed(String, Instant),
    /// A placeholder's value (empty: unfilled again).
    Fill(String, String, Instant),
    /// The worker read the evidence of a job.
    Answered(Answer),
    Clear,
}

impl Panel {
    fn evaluate(&mut self, now: Instant) {
        let bytes: &[u8] = match &self.file {
            Some((_, bytes)) => bytes,
            None => self.text.as_bytes(),
        };
        self.request = None;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            self.result = None;
            return;
        }
        let signed = Some(self.signed.as_bytes())
            .filter(|s| self.source == Source::Profile && !s.iter().all(u8::is_ascii_whitespace));
        if IN_WORKER {
            // What was read before stays until the worker answers.
            let task = Task::Import {
                source: self.source,
                bytes: bytes.to_vec(),
                signed: signed.map(<[u8]>::to_vec),
                fills: self.fills.clone(),
                now,
            };
            self.request = Some(Rc::new(Job { id: worker::next_job(), task }));
            return;
        }
        self.result = Some(import(self.source, bytes, signed, &self.fills, now).map(Rc::new));
    }
}

impl Reducible for Panel {
    type Action = PanelAction;

    fn reduce(self: Rc<Self>, action: PanelAction) -> Rc<Self> {
        let mut next = (*self).clone();
        let now = match action {
            PanelAction::Clear => return Rc::new(Panel { source: self.source, ..Panel::default() }),
            PanelAction::Answered(answer) => {
                if self.request.as_ref().map(|job| job.id) != Some(answer.id) {
                    return self;
                }
                next.request = None;
                next.result = Some(answer.outcome.into_evidence().map(Rc::new));
                return Rc::new(next);
            }
            PanelAction::Source(source, now) => {
                next.source = source;
                now
            }
            PanelAction::Text(text, now) => {
                next.text = text;
                next.file = None;
                now
            }
            PanelAction::File(Ok((name, bytes)), now) => {
                next.file = Some((name, bytes.into()));
                next.text.clear();
                next.read_error = None;
                now
            }
            PanelAction::File(Err(e), now) => {
                next.read_error = Some(e);
                now
            }
            PanelAction::Signed(signed, now) => {
                next.signed = signed;
                now
            }
            PanelAction::Fill(name, value, now) => {
                next.fills.retain(|(n, _)| *n != name);
                if !value.is_empty() {
                    next.fills.push((name, value));
                }
                now
            }
        };
        next.evaluate(now);
        Rc::new(next)
    }
}

fn button_label(source: Source, keychain: bool) -> &'static str {
    match (keychain, source) {
        (false, _) => "Start a keychain document from it",
        (true, Source::Swift) => "Add these steps",
        (true, Source::Entitlements | Source::Profile) => "Use as the app's entitlements",
        (true, Source::Dump) => "Use as the starting keychain",
    }
}

/// An input per placeholder the code left: filled once, the value goes into every step.
fn fill_fields(evidence: &Evidence, onfill: &Callback<(String, String)>) -> Html {
    if evidence.placeholders.is_empty() {
        return html! {};
    }
    html! {
        <fieldset class="import-fills">
            <legend>{ "Values the code does not give" }</legend>
            for p in evidence.placeholders.iter() {
                <div class="field">
                    <label for={format!("fill-{}", p.name)}>
                        { format!("<{}>", p.name) }
                        <span class="muted">{ format!(" {} (line {})", p.keys.join(", "),
                            p.lines.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")) }</span>
                    </label>
                    <input type="text" id={format!("fill-{}", p.name)} spellcheck="false" autocomplete="off"
                           oninput={{
                               let (onfill, name) = (onfill.clone(), p.name.clone());
                               Callback::from(move |e: InputEvent| {
                                   onfill.emit((name.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
                               })
                           }} />
                </div>
            }
        </fieldset>
    }
}

fn preview(evidence: &Evidence) -> Html {
    let steps = evidence.fragment.get("steps").and_then(Json::as_array);
    html! {
        <div class="import-preview" aria-live="polite">
            <h3>{ evidence.found.first().cloned().unwrap_or_default() }</h3>
            if evidence.found.len() > 1 {
                <ul class="import-found">{ for evidence.found[1..].iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
            }
            if let Some(steps) = steps {
                <ol class="import-steps">{ for steps.iter().map(|s| html! { <li><code>{ s.to_string() }</code></li> }) }</ol>
            } else {
                <pre class="import-fragment" tabindex="0" aria-label="What goes into the document">
                    <code>{ serde_json::to_string_pretty(&evidence.fragment).unwrap_or_default() }</code>
                </pre>
            }
            if !evidence.notes.is_empty() {
                <h3>{ "Left out or worth knowing" }</h3>
                <ul class="import-notes">{ for evidence.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            }
            if !evidence.problems.is_empty() {
                <h3>{ format!("{} problem{}", evidence.problems.len(), if evidence.problems.len() == 1 { "" } else { "s" }) }</h3>
                <ul class="import-problems">
                    for p in evidence.problems.iter() {
                        <li>
                            <span class="where">{ format!("{}:{}", p.line, p.column) }</span>{ " " }
                            <code>{ p.snippet.clone() }</code>{ " " }
                            <span>{ p.message.clone() }</span>
                        </li>
                    }
                </ul>
            }
        </div>
    }
}

#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let panel = use_reducer(Panel::default);
    let now = props.now;
    let dispatcher = panel.dispatcher();
    let dispatch = dispatcher.to_callback();
    {
        let answered = dispatch.reform(PanelAction::Answered);
        use_effect_with(panel.request.clone(), move |request| {
            if let Some(job) = request {
                worker::send(Job::clone(job), answered);
            }
        });
    }
    let onsource = dispatch.reform(move |e: Event| {
        let name = e.target_unchecked_into::<HtmlSelectElement>().value();
        PanelAction::Source(Source::from_name(&name).unwrap_or(Source::Swift), now)
    });
    let oninput = dispatch
        .reform(move |e: InputEvent| PanelAction::Text(e.target_unchecked_into::<HtmlTextAreaElement>().value(), now));
    let onsigned = dispatch.reform(move |e: InputEvent| {
        PanelAction::Signed(e.target_unchecked_into::<HtmlTextAreaElement>().value(), now)
    });
    let onfile = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |e: Event| {
            let dispatcher = dispatcher.clone();
            let input = e.target_unchecked_into::<HtmlInputElement>();
            browser::read_file_bytes(&input, move |read| dispatcher.dispatch(PanelAction::File(read, now)));
        })
    };
    let fragment = match &panel.result {
        Some(Ok(evidence)) => Some(evidence.fragment.clone()),
        _ => None,
    };
    let onadd = {
        let (onmerge, dispatcher) = (props.onmerge.clone(), dispatcher.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(fragment) = &fragment {
                onmerge.emit(fragment.clone());
                dispatcher.dispatch(PanelAction::Clear);
            }
        })
    };
    let onclear = dispatch.reform(|_: MouseEvent| PanelAction::Clear);
    let onfill = dispatch.reform(move |(name, value): (String, String)| PanelAction::Fill(name, value, now));
    let can_add = matches!(panel.result, Some(Ok(_)));
    html! {
        <details class="code-import">
            <summary>{ "Start from your evidence" }</summary>
            <label for="import-kind">{ "What you have" }</label>
            <select id="import-kind" onchange={onsource}>
                for source in Source::ALL {
                    <option value={source.name()} selected={panel.source == source}>{ source.label() }</option>
                }
            </select>
            <label for="import-source">{ "Paste it here" }</label>
            <textarea id="import-source" class="import-source" rows="8" spellcheck="false" wrap="off"
                      aria-describedby="import-help" value={panel.text.clone()} {oninput} />
            <label for="import-file">{ "or open a file" }</label>
            <input type="file" id="import-file" onchange={onfile} />
            if let Some((name, bytes)) = &panel.file {
                <p class="import-file">{ format!("{name}: {} bytes, read in this page", bytes.len()) }</p>
            }
            if panel.source == Source::Profile {
                <label for="import-signed">{ "The app's signed entitlements, to compare (optional)" }</label>
                <textarea id="import-signed" rows="4" spellcheck="false" wrap="off"
                          value={panel.signed.clone()} oninput={onsigned} />
            }
            <p id="import-help" class="muted">
                { "Read here, never run or sent anywhere. SecItem calls become steps, entitlements and profiles \
                   the app's entitlements, a dump the starting keychain." }
            </p>
            if panel.request.is_some() {
                <p class="muted" role="status">{ "Reading it…" }</p>
            }
            if let Some(e) = &panel.read_error {
                <p class="import-error" role="alert">{ e.clone() }</p>
            }
            { match &panel.result {
                Some(Ok(evidence)) => html! { <>{ fill_fields(evidence, &onfill) }{ preview(evidence) }</> },
                Some(Err(e)) => html! { <p class="import-error" role="alert">{ e.to_string() }</p> },
                None => html! {},
            } }
            <button type="button" id="import-add" disabled={!can_add} onclick={onadd}>
                { button_label(panel.source, props.keychain) }
            </button>
            <button type="button" id="import-clear" onclick={onclear}>{ "Clear" }</button>
        </details>
    }
}
