//! The error explainer's form: look an error up by number or name, or paste a log whose
//! `Domain=… Code=…` pairs are looked up in order. The answer is the report beside it.

use yew::{component, html, Html};

use super::edit::shown;
use super::fields::{Area, Field};
use super::{FormEdit, FormProps};

#[component]
pub fn LookupForm(props: &FormProps) -> Html {
    let onquery = props.onedit.reform(|value| FormEdit::SetInstead { path: &["query"], instead_of: &["log"], value });
    let onlog = props.onedit.reform(|value| FormEdit::SetInstead { path: &["log"], instead_of: &["query"], value });
    html! {
        <div class="validator-form" data-form="error-explainer">
            <Field id="explain-query" label="Error number or name" value={shown(&props.doc, &["query"])}
                   placeholder="1003, -54, notHandled, ASWebAuthenticationSessionError 1"
                   help="Searches AuthenticationServices, ASWebAuthenticationSession, extension and LaunchServices errors."
                   onedit={onquery} />
            <Area id="explain-log" label="Or paste a log (every Domain=… Code=… pair is looked up)"
                  value={shown(&props.doc, &["log"])} onedit={onlog} />
        </div>
    }
}
