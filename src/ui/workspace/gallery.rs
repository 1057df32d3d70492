//! The gallery: the keychain examples by `x-gallery` group, each with the pitfalls it
//! expects; one click loads it.

use yew::{classes, component, html, Callback, Html, Properties};

use crate::gallery::keychain_groups;

#[derive(Debug, Properties, PartialEq)]
pub struct GalleryProps {
    pub selected: Option<usize>,
    pub onpick: Callback<usize>,
}

/// Every keychain example, grouped.
#[component]
pub fn Gallery(props: &GalleryProps) -> Html {
    // The examples are parsed once, on the first render.
    let groups = yew::use_memo((), |()| keychain_groups());
    html! {
        <details class="ws-gallery">
            <summary>{ "Gallery of keychain examples" }</summary>
            for (group, entries) in groups.iter() {
                <section class="ws-gallery-group" aria-label={group.clone()} data-group={group.clone()}>
                    <h3>{ group.clone() }</h3>
                    <ul>
                        for entry in entries {
                            <li class={classes!((props.selected == Some(entry.index)).then_some("current"))}>
                                <button type="button" class="ws-load" data-example={entry.index.to_string()}
                                        onclick={props.onpick.reform({ let index = entry.index; move |_| index })}>
                                    { entry.title.clone() }
                                </button>
                                if !entry.pitfalls.is_empty() {
                                    <span class="ws-gallery-pitfalls">
                                        for id in entry.pitfalls.iter() {
                                            <code>{ id.clone() }</code>{ " " }
                                        }
                                    </span>
                                }
                            </li>
                        }
                    </ul>
                </section>
            }
        </details>
    }
}
