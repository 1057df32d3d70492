//! A JWT as its three coloured parts (header, payload, signature) with their sizes, and its
//! time claims as dates with the lifetime, from the engine's [`crate::jwt::anatomy`].

use std::rc::Rc;

use yew::{component, html, Html, Properties};

use crate::jwt::anatomy::{duration_words, of_document};
use crate::ui::state::Run;

#[derive(Debug, Properties, PartialEq)]
pub struct JwtPictureProps {
    pub run: Rc<Run>,
}

const PARTS: [(&str, &str); 3] = [("header", "jwt-header"), ("payload", "jwt-payload"), ("signature", "jwt-signature")];

/// Nothing unless the document's `token` is a compact JWS.
#[component]
pub fn JwtPicture(props: &JwtPictureProps) -> Html {
    // Only a document with a token is parsed again (a large keychain document never is).
    let doc = props.run.doc.as_ref().ok().filter(|d| d.has("token")).map(crate::document::Outline::parse);
    let found = doc.and_then(|d| of_document(&d, props.run.now));
    let Some((a, now)) = found else { return html! {} };
    html! {
        <figure class="jwt-picture">
            <figcaption>{ "The token, part by part" }</figcaption>
            <p class="jwt-parts" tabindex="0" aria-label="The token's three parts">
                { for a.parts.iter().zip(PARTS).enumerate().map(|(i, (text, (_, class)))| html! {
                    <>
                        if i > 0 { <span class="jwt-dot">{ "." }</span> }
                        <span class={class}>{ text.clone() }</span>
                    </>
                }) }
            </p>
            <ul class="jwt-legend">
                { for PARTS.iter().zip(a.sizes).map(|((name, class), size)| html! {
                    <li><span class={format!("swatch {class}")} aria-hidden="true"></span>
                        { format!("{name}: {size} bytes decoded") }</li>
                }) }
            </ul>
            if !a.times.is_empty() {
                <table class="jwt-times">
                    <caption>{ format!("Times, judged at {}", now.to_rfc3339()) }</caption>
                    <tbody>
                        for t in a.times.iter() {
                            <tr>
                                <th scope="row">{ format!("{} ({})", t.meaning, t.claim) }</th>
                                <td><code>{ t.utc.clone() }</code></td>
                                <td>{ t.relative.clone() }</td>
                            </tr>
                        }
                        if let Some(lifetime) = a.lifetime {
                            <tr class="jwt-lifetime">
                                <th scope="row">{ "lifetime (exp − iat)" }</th>
                                <td colspan="2">{ format!("{} ({lifetime} s)", duration_words(lifetime)) }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            }
        </figure>
    }
}
