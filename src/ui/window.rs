//! Long lists render a window: the first [`PAGE`] entries, with a line that says how many are
//! shown of how many and buttons for more or all. A 1 000-step document then renders (and the
//! browser lays out) fifty cards per list instead of a thousand, which is most of an edit's cost.

use yew::{component, hook, html, use_state, Callback, Html, MouseEvent, Properties, UseStateHandle};

/// Entries rendered at first, and added by "show more".
pub const PAGE: usize = 50;

/// How many entries of a list are shown; starts at [`PAGE`].
#[hook]
pub fn use_window() -> UseStateHandle<usize> {
    use_state(|| PAGE)
}

#[derive(Debug, Properties, PartialEq)]
pub struct MoreProps {
    pub shown: UseStateHandle<usize>,
    pub total: usize,
    /// What the entries are, plural ("steps", "items").
    pub what: &'static str,
}

/// Nothing when every entry is shown; else the count and the two buttons.
#[component]
pub fn More(props: &MoreProps) -> Html {
    let shown = *props.shown;
    if shown >= props.total {
        return html! {};
    }
    let more = {
        let handle = props.shown.clone();
        Callback::from(move |_: MouseEvent| handle.set(shown.saturating_add(PAGE)))
    };
    let all = {
        let (handle, total) = (props.shown.clone(), props.total);
        Callback::from(move |_: MouseEvent| handle.set(total))
    };
    html! {
        <p class="show-more" role="status">
            { format!("{shown} of {} {} shown. ", props.total, props.what) }
            <button type="button" class="more" onclick={more}>{ format!("Show {} more", PAGE.min(props.total - shown)) }</button>
            <button type="button" class="all" onclick={all}>{ format!("Show all {}", props.total) }</button>
        </p>
    }
}
