//! "Export test fixtures": a valid validator document plus every single change that must make
//! it fail, each with the checks it must fail ([`crate::fixtures::derive`]), listed and
//! downloadable as one JSON file a server test suite can consume. Derived only while shown.

use std::rc::Rc;

use yew::{component, html, use_memo, use_state, Callback, Html, MouseEvent, Properties};

use crate::fixtures::{derive, FixtureSet, KINDS};
use crate::ui::share::browser;
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct FixturesExportProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
}

const FILE_NAME: &str = "keyplay-fixtures.json";

fn list(set: &FixtureSet) -> Html {
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
                        <tr data-id={n.id}>
                            <td><code>{ n.id }</code>{ " " }{ n.change.clone() }</td>
                            <td>{ n.fails.join(", ") }</td>
                        </tr>
                    }
                </tbody>
            </table>
            if !set.not_derived.is_empty() {
                <ul class="fixtures-not-derived">
                    for n in set.not_derived.iter() {
                        <li><code>{ n.id }</code>{ format!(": not derived, {}", n.reason) }</li>
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
    let set = use_memo((props.text.clone(), wanted), |(text, wanted)| wanted.then(|| derive(text)));
    if !applies {
        return html! {};
    }
    let ontoggle = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(!*shown))
    };
    let json = match &*set {
        Some(Ok(set)) => set.to_json_text(),
        _ => String::new(),
    };
    let ondownload = Callback::from(move |_: MouseEvent| browser::download(FILE_NAME, &json));
    html! {
        <div class="code-export">
            <button type="button" id="fixtures-show" aria-expanded={shown.to_string()} onclick={ontoggle}>
                { if *shown { "Hide test fixtures" } else { "Export test fixtures" } }
            </button>
            { match &*set {
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
