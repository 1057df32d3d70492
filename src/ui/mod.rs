//! The web app: a thin yew shell over [`crate::run_text`].
//!
//! State flows one way: a DOM event becomes an [`Action`], the [`Playground`] reducer runs
//! the document through the engine, and the components render the typed report. Nothing
//! here parses a document or judges a result; the one thing the shell adds is the clock.
//! Everything runs in the page: the app makes no network requests.

mod app;
mod clock;
pub mod code;
mod editor;
mod examples;
pub mod keys;
mod panic;
pub mod report;
pub mod share;
mod state;
pub mod validators;
pub mod window;
mod worker;
pub mod workspace;

pub use app::{App, AppProps};
pub use editor::{LONG_DOCUMENT_BYTES, PAUSE_MS};
pub use examples::{Example, DEFAULT_EXAMPLE_PATH, PROBLEMS};
pub use panic::{install_panic_hook, show_panic};
pub use state::{About, Action, Change, History, Playground, Run, Snapshot, UNDO_BYTES, UNDO_DEPTH};

use wasm_bindgen::JsCast;

/// How long after the page starts its service worker is registered.
const SERVICE_WORKER_DELAY_MS: u32 = 1_000;

/// The id of the element `index.html` gives the app to render into.
pub const ROOT_ID: &str = "keyplay";

/// Starts the web app: installs the panic hook and renders into `#keyplay` (or the body
/// when the page has no such element).
pub fn start() {
    start_with(|root| drop(mount_with(root, share::Startup::read())));
}

/// Starts the embed build's page (`embed.html`): the same, with only [`share::EmbedApp`].
pub fn start_embed() {
    start_with(|root| drop(mount_embed(root, share::Startup::read_embed())));
}

fn start_with(mount: impl FnOnce(web_sys::Element)) {
    install_panic_hook();
    let document = web_sys::window().and_then(|w| w.document());
    let root =
        document.as_ref().and_then(|d| d.get_element_by_id(ROOT_ID).or_else(|| d.body().map(|b| b.unchecked_into())));
    match root {
        Some(root) => {
            mount(root);
            // The service worker's install fetches every file the page names (the validator
            // worker's 1.5 MB module too): a second later, so that it does not compete with
            // the first report for the machine.
            gloo_timers::callback::Timeout::new(SERVICE_WORKER_DELAY_MS, share::browser::register_service_worker)
                .forget();
        }
        None => show_panic("the page has no element to render into"),
    }
}

/// Renders the app into `root`, replacing its children. Tests mount it into their own element.
pub fn mount(root: web_sys::Element) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

/// Renders the app into `root` as the page opens it: `startup` says which document (from
/// the link or the autosave), whether it is embedded, and what to tell the user.
pub fn mount_with(root: web_sys::Element, startup: share::Startup) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(root, app::AppProps { startup: std::rc::Rc::new(startup) }).render()
}

/// Renders the embed build's app into `root` (tests mount it into their own element).
pub fn mount_embed(root: web_sys::Element, startup: share::Startup) -> yew::AppHandle<share::EmbedApp> {
    yew::Renderer::<share::EmbedApp>::with_root_and_props(
        root,
        share::EmbedAppProps { startup: std::rc::Rc::new(startup) },
    )
    .render()
}
