//! "Export test fixtures": a valid validator document plus every single change that must make
//! it fail, each with the checks it must fail ([`crate::fixtures::derive`]), listed and
//! downloadable as one JSON file a server test suite can consume. Derived only while shown: in
//! the release page by its validator worker (`super::super::worker`), in other builds here.

use std::rc::Rc;

use yew::{component, html, use_effect_with, use_state, Callback, Html, MouseEvent, Properties};

use crate::document::DocError;
use crate::fixtures::{derive, Listing, KINDS};
use crate::ui::share::browser;
use crate::ui::state::Run;
use crate::ui::worker::{self, IN_WORKER};
use crate::wire::{Job, Task};

#[derive(Debug, Properties, PartialEq)]
pub struct FixturesExportProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
}

const FILE_NAME: &str = "keyplay-fixtures.json";

fn list(set: &Listing) -> Html {
    html! {
        <>
            <p class="fixtures-count">
                { format!("{} negative{} for this {} document", set.negatives.len(),
                          if set.negatives.len() == 1 { "" } else { "s" }, set.kind) }
            </p>
            <table class="fixtures">
                <thead><tr><th scope="col">{ "Change" }</th><th scope="col">{ "Must fail" }</th></tr></thead>
                <tbody>
                    for n in set.negatives.iter() {
                        <tr data-id={n.id.clone()}>
                            <td><code>{ n.id.clone() }</code>{ " " }{ n.change.clone() }</td>
                            <td>{ n.fails.join(", ") }</td>
                        </tr>
                    }
                </tbody>
            </table>
            if !set.not_derived.is_empty() {
                <ul class="fixtures-not-derived">
                    for (id, reason) in set.not_derived.iter() {
                        <li><code>{ id.clone() }</code>{ format!(": not derived, {reason}") }</li>
                    }
                </ul>
            }
        </>
    }
}

#[component]
pub fn FixturesExport(props: &FixturesExportProps) -> Html {
    let shown = use_state(|| false);
    let kind = props.run.kind();
    let applies = kind.is_some_and(|k| KINDS.contains(&k));
    let wanted = *shown && applies;
    // The set of the text it was derived from, once it is here.
    let derived = use_state(|| None::<(Rc<str>, Result<Listing, DocError>)>);
    {
        let derived = derived.clone();
        use_effect_with((props.text.clone(), wanted), move |(text, wanted)| {
            if !*wanted || derived.as_ref().is_some_and(|(of, _)| Rc::ptr_eq(of, text) || *of == *text) {
                return;
            }
            if !IN_WORKER {
                derived.set(Some((text.clone(), derive(text).map(|set| set.listing()))));
                return;
            }
            let (of, job) =
                (text.clone(), Job { id: worker::next_job(), task: Task::Fixtures { text: text.to_string() } });
            worker::send(
                job,
                Callback::from(move |answer: crate::wire::Answer| {
                    derived.set(Some((of.clone(), answer.outcome.into_fixtures())));
                }),
            );
        });
    }
    let set = derived.as_ref().filter(|(of, _)| wanted && *of == props.text).map(|(_, set)| set);
    let deriving = wanted && set.is_none();
    if !applies {
        return html! {};
    }
    let ontoggle = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(!*shown))
    };
    let json = match set {
        Some(Ok(set)) => set.text.clone(),
        _ => String::new(),
    };
    let ondownload = Callback::from(move |_: MouseEvent| browser::download(FILE_NAME, &json));
    html! {
        <div class="code-export">
            <button type="button" id="fixtures-show" aria-expanded={shown.to_string()} onclick={ontoggle}>
                { if *shown { "Hide test fixtures" } else { "Export test fixtures" } }
            </button>
            if deriving {
                <p class="muted" role="status">{ "Deriving the fixtures…" }</p>
            }
            { match set {
                Some(Ok(set)) => html! {
                    <div class="fixtures-block">
                        <p class="muted">
                            { "Every single change that must make this document fail, each re-encoded so that it \
                               fails on meaning, not syntax: feed them to your server's tests." }
                        </p>
                        <button type="button" id="fixtures-download" onclick={ondownload}>{ format!("Download {FILE_NAME}") }</button>
                        { list(set) }
                    </div>
                },
                Some(Err(e)) => html! { <p class="import-error" role="alert">{ format!("{} {}", e.path, e.message) }</p> },
                None => html! {},
            } }
        </div>
    }
}
