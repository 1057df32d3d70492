//! The keychain workspace: a keychain document as step cards, with device and app panels,
//! a platform switch, the keychain as any step left it, a compare view and the gallery.
//!
//! The document stays the single source of truth: every structured edit is a
//! [`DocEdit`](crate::keychain::edit::DocEdit) the page's reducer applies to the parsed
//! document with the engine's edit model, then runs as any edit.
//! What only this view needs (which step is selected, the filters, whether the comparison
//! is open) lives in the view's own small reducer, [`Bench`].

mod bench;
mod cards;
mod compare;
mod gallery;
mod keychain;
mod panels;
mod value;

use std::rc::Rc;

use serde_json::Value;
use yew::{component, html, use_callback, use_reducer, Callback, Html, Properties};

pub use bench::{Bench, BenchAction};

use super::state::Run;
use crate::document::Kind;
use crate::keychain::edit::{DocEdit, Target};
use cards::StepCards;
use compare::CompareView;
use gallery::Gallery;
use keychain::KeychainAt;
use panels::{AppPanel, DevicePanel, PlatformSwitch};

#[derive(Debug, Properties, PartialEq)]
pub struct WorkspaceProps {
    /// The document's text.
    pub text: Rc<str>,
    /// What running it gave.
    pub run: Rc<Run>,
    /// The example the document is, while unedited.
    pub example: Option<usize>,
    pub onedit: Callback<DocEdit>,
    pub onpick: Callback<usize>,
}

/// The workspace, for keychain documents (and for text that is not JSON, to say so);
/// nothing for other kinds, which keep the raw editor alone.
#[component]
pub fn Workspace(props: &WorkspaceProps) -> Html {
    let bench = use_reducer(Bench::default);
    let onbench = use_callback(bench.dispatcher(), |action: BenchAction, dispatcher| dispatcher.dispatch(action));
    let gallery = html! { <Gallery selected={props.example} onpick={props.onpick.clone()} /> };
    let doc = match &props.run.doc {
        Err(error) => {
            return html! {
                <section class="workspace" aria-label="Keychain workspace">
                    <p class="ws-invalid" role="alert">
                        { "The step cards need valid JSON; edit the raw document below. " }{ error.message.clone() }
                    </p>
                    { gallery }
                </section>
            }
        }
        Ok(_) if props.run.kind() != Some(Kind::Keychain) => return html! {},
        Ok(doc) => doc,
    };
    let platform = doc.string("platform").unwrap_or_else(|| "ios".to_owned());
    let device = doc.field("device").unwrap_or(Value::Null);
    let app = doc.field("app").unwrap_or(Value::Null);
    html! {
        <section class="workspace" aria-label="Keychain workspace">
            <div class="ws-top">
                <PlatformSwitch {platform} onedit={props.onedit.clone()} />
                <button type="button" class="ws-compare-toggle" aria-pressed={bench.compare.to_string()}
                        onclick={onbench.reform(|_| BenchAction::ToggleCompare)}>
                    { if bench.compare { "Hide the comparison" } else { "Compare ios / macos / macos-file" } }
                </button>
            </div>
            if bench.compare {
                <CompareView run={props.run.clone()} />
            }
            <div class="ws-panels">
                <DevicePanel target={Target::Document} value={device} onedit={props.onedit.clone()} />
                <AppPanel target={Target::Document} value={app} onedit={props.onedit.clone()} />
            </div>
            <div class="ws-body">
                <StepCards run={props.run.clone()} selected={bench.selected} onedit={props.onedit.clone()}
                           onbench={onbench.clone()} />
                if let Some(step) = bench.selected {
                    <KeychainAt run={props.run.clone()} {step} class={bench.class.clone()}
                                group={bench.group.clone()} {onbench} />
                }
            </div>
            { gallery }
        </section>
    }
}
