//! Embed mode (`?embed`): the document's report, compact and read-only, for a
//! documentation page's iframe. It tells the parent page its height; "Edit" opens the
//! full playground in place. The full app shows it for `?embed`; the embed build
//! (`embed.html`, [`super::EmbedApp`]) shows nothing else.

use std::rc::Rc;

use yew::{component, html, use_effect, use_effect_with, Callback, Html, Properties};

use super::browser::{post_height, HeightWatch};
use super::link::Links;
use crate::ui::report::ReportPanel;
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct EmbedViewProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
    /// The full app's address, which "Open in Keyplay" opens with the document.
    pub app: String,
    /// Why the link's document could not be opened, when it could not.
    #[prop_or_default]
    pub notice: Option<String>,
    /// The reader asked to edit.
    pub onedit: Callback<()>,
}

#[component]
pub fn EmbedView(props: &EmbedViewProps) -> Html {
    use_effect(post_height);
    use_effect_with((), |()| {
        let watch = HeightWatch::start();
        move || drop(watch)
    });
    let full = Links::make(&props.app, &props.text, true).map(|l| l.permalink).ok();
    let onedit = props.onedit.reform(|_: yew::MouseEvent| ());
    html! {
        <div class="embed" data-mode="embed">
            <div class="embed-bar">
                <span class="embed-brand">{ "Keyplay" }</span>
                <button type="button" id="embed-edit" onclick={onedit}>{ "Edit" }</button>
                if let Some(href) = full {
                    <a href={href} target="_blank" rel="noopener noreferrer">{ "Open in Keyplay" }</a>
                }
            </div>
            if let Some(notice) = &props.notice {
                <p class="embed-notice" role="alert">{ notice.clone() }</p>
            }
            <details class="embed-document">
                <summary>{ "Document" }</summary>
                <pre><code>{ props.text.to_string() }</code></pre>
            </details>
            <ReportPanel run={props.run.clone()} />
        </div>
    }
}
