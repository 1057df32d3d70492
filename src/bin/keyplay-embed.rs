//! The embed build's page (`embed.html`): a document's report for a documentation page's
//! iframe, and nothing of the playground around it. Built by `scripts/embed-bundle` (a step
//! of the page's post-build hook) without the library's default features, like the page;
//! validator documents are checked by the page's validator worker.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    keyplay::ui::start_embed();
}

/// Natively there is no page: the command line (`keyplay run FILE`) runs a document.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!("keyplay-embed is the web page's embed build (built by Trunk); run `keyplay run FILE` instead");
    std::process::ExitCode::from(2)
}
