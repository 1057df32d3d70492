//! The page: header, the document with its example picker, and the report.

use yew::{component, html, use_callback, use_reducer, Html};

use super::clock;
use super::editor::{AboutDocument, Editor, ExamplePicker};
use super::report::ReportPanel;
use super::state::{Action, Playground};
use super::workspace::{DocEdit, Workspace};

/// The whole app. Owns the one [`Playground`] state; children get data and callbacks.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| Playground::open(clock::now()));
    let onedit = use_callback(state.dispatcher(), |text: String, dispatcher| {
        dispatcher.dispatch(Action::Edit { text, now: clock::now() });
    });
    let onpick = use_callback(state.dispatcher(), |example: usize, dispatcher| {
        dispatcher.dispatch(Action::Pick { example, now: clock::now() });
    });
    let onworkspace = use_callback(state.dispatcher(), |edit: DocEdit, dispatcher| {
        dispatcher.dispatch(Action::Workspace { edit, now: clock::now() });
    });
    html! {
        <>
            <a class="skip-link" href="#report">{ "Skip to the report" }</a>
            <header class="masthead">
                <h1>{ "Keyplay" }</h1>
                <p class="tagline">
                    { "A playground for the Apple keychain (SecItem) and Apple sign-in artefacts. \
                       It runs entirely in this page: no network requests, nothing stored." }
                </p>
            </header>
            <main class="playground">
                <Workspace text={state.text.clone()} run={state.run.clone()} example={state.example}
                           onedit={onworkspace} onpick={onpick.clone()} />
                <section class="document-pane" aria-label="Document">
                    <ExamplePicker selected={state.example} {onpick} />
                    <AboutDocument about={state.run.about.clone()} />
                    <Editor text={state.text.clone()} {onedit} />
                </section>
                <ReportPanel run={state.run.clone()} />
            </main>
        </>
    }
}
