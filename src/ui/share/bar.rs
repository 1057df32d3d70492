//! The share bar above the editor: share a link, embed, download, open a file, keep
//! secrets in the autosave, and the notice about how the page opened.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::{component, html, use_effect_with, use_mut_ref, use_state, Callback, Event, Html, Properties, TargetCast};

use super::browser;
use super::dialog::{Panel, SharePanel};
use super::startup::{Debounced, Notice};

#[derive(Debug, Properties, PartialEq)]
pub struct ShareBarProps {
    /// The document being edited.
    pub text: Rc<str>,
    /// The document's title (for file names and embed titles).
    #[prop_or_default]
    pub title: Option<String>,
    /// How the page opened, if the user should know.
    #[prop_or_default]
    pub notice: Option<Notice>,
    /// Save edits to `localStorage`.
    #[prop_or_default]
    pub autosave: bool,
    /// The saved "keep secrets in this browser" choice.
    #[prop_or_default]
    pub keep_secrets: bool,
    /// A document opened from a file.
    pub onopen: Callback<String>,
}

/// The share / embed / download / open controls.
#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let panel = use_state(|| Panel::Closed);
    let keep = use_state(|| props.keep_secrets);
    let notice = use_state(|| props.notice.clone());
    let file_error = use_state(|| None::<String>);
    let first = use_mut_ref(|| (props.text.clone(), props.keep_secrets, false));
    {
        let enabled = props.autosave;
        let save = use_mut_ref(Debounced::default);
        let on_leave = save.clone();
        use_effect_with((), move |()| {
            // The page may close before the delay passes: write the waiting save when it hides,
            // and when the app goes away.
            let flush = on_leave.clone();
            let hidden = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "pagehide", move |_| flush.borrow_mut().flush())
            });
            move || {
                drop(hidden);
                on_leave.borrow_mut().flush();
            }
        });
        use_effect_with((props.text.clone(), *keep), move |(text, keep)| {
            let mut first = first.borrow_mut();
            let changed = *text != first.0 || *keep != first.1;
            first.2 |= changed;
            if enabled && first.2 {
                save.borrow_mut().schedule(text.clone(), *keep);
                browser::drop_fragment();
            }
        });
    }
    let toggle = |which: Panel| {
        let panel = panel.clone();
        Callback::from(move |_: yew::MouseEvent| panel.set(if *panel == which { Panel::Closed } else { which }))
    };
    let onkeep = {
        let keep = keep.clone();
        Callback::from(move |e: Event| keep.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let ondownload = {
        let (text, name) = (props.text.clone(), file_name(props.title.as_deref()));
        Callback::from(move |_: yew::MouseEvent| browser::download(&name, &text))
    };
    let onfile = {
        let (onopen, file_error) = (props.onopen.clone(), file_error.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let (onopen, file_error) = (onopen.clone(), file_error.clone());
            browser::read_file(&input, move |read| match read {
                Ok(text) => {
                    file_error.set(None);
                    onopen.emit(text);
                }
                Err(why) => file_error.set(Some(why)),
            });
            input.set_value("");
        })
    };
    let ondismiss = {
        let notice = notice.clone();
        Callback::from(move |_: yew::MouseEvent| notice.set(None))
    };
    let onclose = {
        let panel = panel.clone();
        Callback::from(move |()| panel.set(Panel::Closed))
    };
    html! {
        <div class="share-bar">
            if let Some(n) = &*notice {
                <div class="share-notice" role="alert">
                    <p>{ n.message() }</p>
                    <button type="button" class="dismiss" onclick={ondismiss}>{ "Dismiss" }</button>
                </div>
            }
            <div class="share-tools" role="toolbar" aria-label="Share and keep">
                <button type="button" id="share-open" aria-expanded={(*panel == Panel::Share).to_string()}
                        aria-controls="share-panel" onclick={toggle(Panel::Share)}>{ "Share" }</button>
                <button type="button" id="embed-open" aria-expanded={(*panel == Panel::Embed).to_string()}
                        aria-controls="share-panel" onclick={toggle(Panel::Embed)}>{ "Embed" }</button>
                <button type="button" id="download" onclick={ondownload}>{ "Download" }</button>
                <label class="file-open">
                    <span>{ "Open file…" }</span>
                    <input type="file" id="open-file" accept=".json,application/json" onchange={onfile} />
                </label>
                if props.autosave {
                    <label class="keep-secrets">
                        <input type="checkbox" id="keep-secrets" checked={*keep} onchange={onkeep} />
                        { " Keep secrets in this browser" }
                    </label>
                }
            </div>
            if let Some(why) = &*file_error {
                <p class="share-error" role="alert">{ format!("The file could not be opened: {why}") }</p>
            }
            if *panel != Panel::Closed {
                <SharePanel panel={*panel} text={props.text.clone()} title={props.title.clone()} {onclose} />
            }
        </div>
    }
}

/// A file name from the document's title: `keyplay-<words>.json`.
pub(crate) fn file_name(title: Option<&str>) -> String {
    let slug: String = title
        .unwrap_or("document")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let slug: Vec<&str> = slug.split('-').filter(|s| !s.is_empty()).collect();
    format!("keyplay-{}.json", slug.join("-"))
}
