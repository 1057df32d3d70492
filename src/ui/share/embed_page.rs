//! The embed build (`embed.html`, `src/bin/keyplay-embed.rs`): what a documentation page's
//! iframe loads. It shows a document's report and nothing else ([`EmbedView`]); the editor,
//! the workspace, the forms, sharing and the code panels are not in its module. "Edit" opens
//! the full playground in the same frame, with the document, and without the autosave
//! (`?from-embed`, as the full app's own embed mode edits in place without saving).

use std::rc::Rc;

use yew::{component, html, use_effect_with, use_reducer, Callback, Html, Properties, Reducible};

use super::browser;
use super::link::Links;
use super::startup::{Notice, Startup};
use super::EmbedView;
use crate::ui::state::Run;
use crate::ui::{clock, Example};
use crate::wire::Answer;
use crate::Instant;

/// The search parameter the full page is opened with from an embed's "Edit": it edits the
/// document without writing the autosave (the reader's own workspace stays as it was).
pub const FROM_EMBED: &str = "from-embed";

/// The embed page's state: the document the link carries (else the default example) and its run.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedPage {
    pub text: Rc<str>,
    pub run: Rc<Run>,
    /// Why the link's document could not be opened, when it could not.
    pub notice: Option<Notice>,
}

impl EmbedPage {
    /// The page as `startup` opens it, run at `now`.
    pub fn open(startup: &Startup, now: Instant) -> EmbedPage {
        let default = || Example::get(Example::default_index()).and_then(|e| e.text()).unwrap_or("{}");
        let text: Rc<str> = startup.text.as_deref().unwrap_or_else(default).into();
        EmbedPage { run: Rc::new(Run::of(text.clone(), now)), text, notice: startup.notice.clone() }
    }

    /// Where "Edit" goes: the full page beside this one, carrying the document (secrets too:
    /// they are the embedding page's own) in its fragment. A document too large for a link
    /// opens the full page without it.
    pub fn edit_href(&self) -> String {
        let page = format!("{}?{FROM_EMBED}", browser::folder());
        Links::make(&page, &self.text, true).map(|l| l.permalink).unwrap_or(page)
    }
}

/// The one thing that changes an embed: the validator worker's answer to its run's job.
#[derive(Debug)]
pub struct Checked(pub Answer);

impl Reducible for EmbedPage {
    type Action = Checked;

    fn reduce(self: Rc<Self>, Checked(answer): Checked) -> Rc<Self> {
        match self.run.answered(answer) {
            Some(run) => Rc::new(EmbedPage { run: Rc::new(run), ..EmbedPage::clone(&self) }),
            None => self,
        }
    }
}

#[derive(Debug, PartialEq, Properties)]
pub struct EmbedAppProps {
    pub startup: Rc<Startup>,
}

/// The embed build's whole app.
#[component]
pub fn EmbedApp(props: &EmbedAppProps) -> Html {
    let startup = props.startup.clone();
    let state = use_reducer(move || EmbedPage::open(&startup, clock::now()));
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.run.clone(), move |run| {
            if let Some(job) = run.job() {
                crate::ui::worker::send(job, Callback::from(move |answer| dispatcher.dispatch(Checked(answer))));
            }
        });
    }
    let onedit = {
        let href = state.edit_href();
        Callback::from(move |()| browser::open(&href))
    };
    html! {
        <EmbedView text={state.text.clone()} run={state.run.clone()} app={browser::folder()}
                   notice={state.notice.as_ref().map(Notice::message)} {onedit} />
    }
}
