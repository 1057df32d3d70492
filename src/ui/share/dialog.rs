//! The share panel: the permalink, or the embed snippets, for the current document, with
//! the choice to include private keys and tokens (off by default).

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::{component, html, use_state, AttrValue, Callback, Event, Html, Properties, TargetCast};

use super::browser;
use super::link::{embed_snippets, Links};

/// Which panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Share,
    Embed,
}

#[derive(Debug, Properties, PartialEq)]
pub struct SharePanelProps {
    pub panel: Panel,
    pub text: Rc<str>,
    pub title: Option<String>,
    pub onclose: Callback<()>,
}

#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let include = use_state(|| false);
    let copied = use_state(|| None::<&'static str>);
    let links = Links::make(&browser::base(), &props.text, *include);
    let oninclude = {
        let (include, copied) = (include.clone(), copied.clone());
        Callback::from(move |e: Event| {
            copied.set(None);
            include.set(e.target_unchecked_into::<HtmlInputElement>().checked());
        })
    };
    let copy = |id: &'static str, value: String| {
        let copied = copied.clone();
        Callback::from(move |_: yew::MouseEvent| {
            let done = browser::copy(&value, id);
            copied.set(Some(if done { "Copied." } else { "Selected: press Ctrl+C (⌘C) to copy." }));
        })
    };
    let onclose = props.onclose.reform(|_: yew::MouseEvent| ());
    let heading = if props.panel == Panel::Share { "Share a link" } else { "Embed in documentation" };
    let body = match &links {
        Err(why) => html! { <p class="share-error" role="alert">{ format!("No link: {why}") }</p> },
        Ok(links) if props.panel == Panel::Share => html! {
            <>
                <label for="share-link">{ "Link (the document is in the part after #, which is never sent to a server)" }</label>
                <div class="copy-row">
                    <input type="text" id="share-link" readonly=true value={AttrValue::from(links.permalink.clone())} />
                    <button type="button" id="share-copy" onclick={copy("share-link", links.permalink.clone())}>{ "Copy" }</button>
                </div>
            </>
        },
        Ok(links) => {
            let title = props.title.clone().unwrap_or_else(|| "a keychain scenario".into());
            let (iframe, block) = embed_snippets(links, &browser::folder(), &props.text, *include, &title);
            html! {
                <>
                    <label for="embed-iframe">{ "An iframe" }</label>
                    <div class="copy-row">
                        <textarea id="embed-iframe" readonly=true rows="3" value={iframe.clone()} />
                        <button type="button" onclick={copy("embed-iframe", iframe)}>{ "Copy" }</button>
                    </div>
                    <label for="embed-script">{ "Or a script block, turned into an iframe by embed.js" }</label>
                    <div class="copy-row">
                        <textarea id="embed-script" readonly=true rows="6" value={block.clone()} />
                        <button type="button" onclick={copy("embed-script", block)}>{ "Copy" }</button>
                    </div>
                </>
            }
        }
    };
    let redacted = links.as_ref().map(|l| l.redacted.clone()).unwrap_or_default();
    html! {
        <section id="share-panel" class="share-panel" aria-label={heading}>
            <div class="share-head">
                <h2>{ heading }</h2>
                <button type="button" class="dismiss" onclick={onclose}>{ "Close" }</button>
            </div>
            <label class="inline">
                <input type="checkbox" id="share-secrets" checked={*include} onchange={oninclude} />
                { " Include private keys and tokens" }
            </label>
            if *include {
                <p class="share-warning">{ "The link holds every secret in the document: share it only with people who may see them." }</p>
            } else if redacted.is_empty() {
                <p class="muted">{ "No private keys or tokens found in the document." }</p>
            } else {
                <div class="share-redacted">
                    <p>{ "Left out (replaced by \"<redacted>\"):" }</p>
                    <ul>
                        for path in redacted {
                            <li><code>{ path }</code></li>
                        }
                    </ul>
                </div>
            }
            { body }
            if let Some(message) = *copied {
                <p class="muted" role="status">{ message }</p>
            }
        </section>
    }
}
