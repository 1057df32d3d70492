//! "Export as XCTest": the keychain document as one Swift test file that performs the steps
//! on a real device and asserts what Keyplay predicts ([`crate::codegen::xctest`]); shown,
//! copied or downloaded, generated only while shown.

use std::rc::Rc;

use yew::{component, html, use_memo, use_state, Callback, Html, MouseEvent, Properties};

use crate::codegen::xctest::document_to_xctest;
use crate::document::Kind;
use crate::ui::share::browser;
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct XcTestExportProps {
    pub text: Rc<str>,
    pub run: Rc<Run>,
}

/// The file name a download gets.
const FILE_NAME: &str = "KeyplayScenarioTests.swift";

#[component]
pub fn XcTestExport(props: &XcTestExportProps) -> Html {
    let shown = use_state(|| false);
    let copied = use_state(|| false);
    let keychain = props.run.kind() == Some(Kind::Keychain);
    let wanted = *shown && keychain;
    let swift = use_memo((props.text.clone(), props.run.now, wanted), |(text, now, wanted)| {
        wanted.then(|| document_to_xctest(text, *now))
    });
    let ontoggle = {
        let (shown, copied) = (shown.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            copied.set(false);
            shown.set(!*shown);
        })
    };
    let code = match &*swift {
        Some(Ok(code)) => Some(code.clone()),
        _ => None,
    };
    let oncopy = {
        let (code, copied) = (code.clone().unwrap_or_default(), copied.clone());
        Callback::from(move |_: MouseEvent| copied.set(browser::copy(&code, "xctest-code")))
    };
    let ondownload = {
        let code = code.clone().unwrap_or_default();
        Callback::from(move |_: MouseEvent| browser::download_as(FILE_NAME, &code, "text/x-swift"))
    };
    html! {
        <div class="code-export">
            <button type="button" id="xctest-show" aria-expanded={shown.to_string()} disabled={!keychain}
                    onclick={ontoggle}>{ if *shown { "Hide XCTest" } else { "Export as XCTest" } }</button>
            { match &*swift {
                Some(Ok(code)) => html! {
                    <div class="swift-block">
                        <p class="muted">
                            { "Add it to a test target of your app: it runs the steps on the device's real keychain \
                               and asserts what Keyplay predicts; steps a test cannot perform are skipped with the reason." }
                        </p>
                        <button type="button" id="xctest-copy" onclick={oncopy}>{ if *copied { "Copied" } else { "Copy" } }</button>
                        <button type="button" id="xctest-download" onclick={ondownload}>{ format!("Download {FILE_NAME}") }</button>
                        <pre id="xctest-code" tabindex="0" aria-label="The document as an XCTest file"><code>{ code.clone() }</code></pre>
                    </div>
                },
                Some(Err(e)) => html! { <p class="import-error" role="alert">{ e.clone() }</p> },
                None => html! {},
            } }
        </div>
    }
}
