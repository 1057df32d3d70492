//! The page: header, the document with its example picker, and the report.

use std::rc::Rc;

use yew::{
    classes, component, html, use_callback, use_effect_with, use_mut_ref, use_reducer, use_state, Callback, Html,
    Properties,
};

use gloo_events::EventListener;

use super::clock;
use super::code::{FixturesExport, ImportPanel, SwiftExport, XcTestExport};
use super::editor::{AboutDocument, Editor, ExamplePicker, ProblemPicker};
use super::keys::{self, ShortcutHelp};
use super::report::ReportPanel;
use super::share::browser;
use super::share::{EmbedView, ShareBar, Startup};
use super::state::Action;
use super::validators::{FormEdit, ValidatorForms};
use super::workspace::Workspace;
use crate::document::Kind;
use crate::keychain::edit::DocEdit;

/// How the app starts (see [`Startup`]); the default opens the default example.
#[derive(Debug, Default, PartialEq, Properties)]
pub struct AppProps {
    #[prop_or_default]
    pub startup: Rc<Startup>,
}

/// The whole app. Owns the one [`Playground`](super::Playground) state; children get data and callbacks.
#[component]
pub fn App(props: &AppProps) -> Html {
    let startup = props.startup.clone();
    let state = use_reducer(|| startup.playground(clock::now()));
    let embedded = use_state(|| startup.embed);
    let onedit = use_callback(state.dispatcher(), |text: String, dispatcher| {
        dispatcher.dispatch(Action::Edit { text, now: clock::now() });
    });
    // A pick by the user is a step in the browser's history: Back returns to the one before.
    let onpick = use_callback(state.dispatcher(), |example: usize, dispatcher| {
        dispatcher.dispatch(Action::Pick { example, now: clock::now() });
        browser::push_example(example);
    });
    let onhistory = use_callback(state.dispatcher(), |undo: bool, dispatcher| {
        let now = clock::now();
        dispatcher.dispatch(if undo { Action::Undo { now } } else { Action::Redo { now } });
    });
    let help = use_state(|| false);
    {
        // One listener for the app's life, reading the handles of the latest render (attaching
        // a new one on every state change would be work on every edit).
        let latest = use_mut_ref(|| (state.clone(), help.clone()));
        *latest.borrow_mut() = (state.clone(), help.clone());
        use_effect_with(*embedded, move |embedded| {
            let embedded = *embedded;
            let listener = web_sys::window().filter(|_| !embedded).map(|window| {
                EventListener::new(&window, "keydown", move |event| {
                    let (state, help) = latest.borrow().clone();
                    keys::handle(event, &state, &help);
                })
            });
            move || drop(listener)
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "popstate", move |event| {
                    if let Some(example) = browser::example_of(event) {
                        dispatcher.dispatch(Action::Pick { example, now: clock::now() });
                    }
                })
            });
            move || drop(listener)
        });
    }
    {
        // An example whose text the build does not carry: the examples' file is fetched once.
        let dispatcher = state.dispatcher();
        use_effect_with(state.examples.to_fetch(), move |to_fetch| {
            if *to_fetch {
                yew::platform::spawn_local(async move {
                    let texts = super::examples::fetch().await.map(Rc::new);
                    dispatcher.dispatch(Action::Fetched { texts, now: clock::now() });
                });
            }
        });
    }
    {
        // A validator document in a build that checks it in the page's worker: its job goes
        // there once per run, and the answer comes back as an action.
        let dispatcher = state.dispatcher();
        use_effect_with(state.run.clone(), move |run| {
            if let Some(job) = run.job() {
                let done = Callback::from(move |answer| dispatcher.dispatch(Action::Checked { answer }));
                super::worker::send(job, done);
            }
        });
    }
    let onhelp = {
        let help = help.clone();
        Callback::from(move |()| help.set(!*help))
    };
    let onmerge = use_callback(state.dispatcher(), |fragment: serde_json::Value, dispatcher| {
        dispatcher.dispatch(Action::Evidence { fragment, now: clock::now() });
    });
    let onform = use_callback(state.dispatcher(), |edit: FormEdit, dispatcher| {
        dispatcher.dispatch(Action::Form { edit, now: clock::now() });
    });
    let onworkspace = use_callback(state.dispatcher(), |edit: DocEdit, dispatcher| {
        dispatcher.dispatch(Action::Workspace { edit, now: clock::now() });
    });
    // Below 900 px the input and the answer are tabs; `true` shows the answer.
    let answer_tab = use_state(|| false);
    let ontab = {
        let answer_tab = answer_tab.clone();
        Callback::from(move |answer: bool| answer_tab.set(answer))
    };
    let examples_status = state.examples.status().unwrap_or_default();
    // Every hook above runs on every render; only then may embed mode return early.
    if *embedded {
        let onedit = Callback::from(move |()| embedded.set(false));
        let notice = startup.notice.as_ref().map(super::share::Notice::message);
        return html! {
            <EmbedView text={state.text.clone()} run={state.run.clone()} app={browser::base()} {notice} {onedit} />
        };
    }
    html! {
        <>
            <a class="skip-link" href="#report">{ "Skip to the report" }</a>
            <header class="masthead">
                <h1>{ "Keyplay" }</h1>
                <p class="tagline">
                    { "See what the Apple keychain and Apple sign-in will answer, and why:                        entirely in this page, nothing sent anywhere." }
                </p>
                <div class="masthead-tools">
                    <button type="button" id="undo" disabled={state.history.past.is_empty()}
                            onclick={onhistory.reform(|_| true)} aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                    <button type="button" id="redo" disabled={state.history.future.is_empty()}
                            onclick={onhistory.reform(|_| false)} aria-keyshortcuts="Control+Shift+Z">{ "Redo" }</button>
                    <button type="button" id="help-open" aria-keyshortcuts="?" onclick={onhelp.reform(|_| ())}>
                        { "Shortcuts (?)" }
                    </button>
                </div>
                <ProblemPicker selected={state.example} onpick={onpick.clone()} />
                <p class="examples-status" role="status">{ examples_status }</p>
            </header>
            if *help {
                <ShortcutHelp onclose={onhelp.clone()} />
            }
            <PaneTabs answer={*answer_tab} onselect={ontab} />
            <main class={classes!("playground", if *answer_tab { "show-answer" } else { "show-input" })}>
                <div class="input-pane" id="input-pane">
                    <Workspace text={state.text.clone()} run={state.run.clone()} example={state.example}
                               onedit={onworkspace} onpick={onpick.clone()} />
                    <section class="document-pane" aria-label="Document">
                        <ExamplePicker selected={state.example} {onpick} />
                        <AboutDocument about={state.run.about.clone()} />
                        <ShareBar text={state.text.clone()} title={state.run.about.title.clone()}
                                  notice={startup.notice.clone()} autosave={startup.autosave}
                                  keep_secrets={startup.keep_secrets} onopen={onedit.clone()} />
                        <ValidatorForms text={state.text.clone()} run={state.run.clone()} onedit={onform} />
                        <Editor text={state.text.clone()} {onedit} />
                        <ImportPanel keychain={state.run.kind() == Some(Kind::Keychain)} now={state.run.now} {onmerge} />
                        <SwiftExport run={state.run.clone()} />
                        <XcTestExport text={state.text.clone()} run={state.run.clone()} />
                        <FixturesExport text={state.text.clone()} run={state.run.clone()} />
                    </section>
                </div>
                <div class="answer-pane" id="answer-pane">
                    <ReportPanel run={state.run.clone()} />
                </div>
            </main>
        </>
    }
}

#[derive(Debug, PartialEq, Properties)]
struct PaneTabsProps {
    /// Whether the answer is the tab shown.
    answer: bool,
    onselect: Callback<bool>,
}

/// The two tabs that replace the side-by-side panes on narrow screens (CSS shows them below
/// 900 px only).
#[component]
fn PaneTabs(props: &PaneTabsProps) -> Html {
    html! {
        <div class="pane-tabs" role="tablist" aria-label="Show">
            <button type="button" role="tab" id="tab-input" aria-controls="input-pane"
                    aria-selected={(!props.answer).to_string()} onclick={props.onselect.reform(|_| false)}>
                { "Input" }
            </button>
            <button type="button" role="tab" id="tab-answer" aria-controls="answer-pane"
                    aria-selected={props.answer.to_string()} onclick={props.onselect.reform(|_| true)}>
                { "Answer" }
            </button>
        </div>
    }
}
