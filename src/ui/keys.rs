//! Keyboard shortcuts: one table says which key does what; the help overlay (`?`) lists it
//! and [`shortcut_for`] reads it, so the two never disagree. Single keys act only when focus
//! is not in a text field (where typing and the field's own undo win).

use yew::{component, html, Callback, Html, MouseEvent, Properties};

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Help,
    Close,
    NextExample,
    PreviousExample,
    CopyLink,
    Save,
    FocusEditor,
    FocusReport,
    Platform(&'static str),
    Undo,
    Redo,
}

/// One row of the table: the key as `KeyboardEvent.key` names it, whether Ctrl (or ⌘) and
/// Shift are held, and what the help overlay says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub key: &'static str,
    pub ctrl: bool,
    pub shift: bool,
    /// Acts even while typing in a field.
    pub in_fields: bool,
    pub shown: &'static str,
    pub what: &'static str,
    pub shortcut: Shortcut,
}

const fn key(key: &'static str, shown: &'static str, what: &'static str, shortcut: Shortcut) -> Key {
    Key { key, ctrl: false, shift: false, in_fields: false, shown, what, shortcut }
}

/// Every shortcut.
pub const SHORTCUTS: &[Key] = &[
    key("?", "?", "show or hide these shortcuts", Shortcut::Help),
    Key { in_fields: true, ..key("Escape", "Esc", "close this overlay", Shortcut::Close) },
    key("n", "n", "next example", Shortcut::NextExample),
    key("p", "p", "previous example", Shortcut::PreviousExample),
    key("l", "l", "copy a link to this document (secrets left out)", Shortcut::CopyLink),
    key("s", "s", "save the document as a file", Shortcut::Save),
    key("e", "e", "focus the document editor", Shortcut::FocusEditor),
    key("r", "r", "focus the report", Shortcut::FocusReport),
    key("1", "1", "keychain platform: ios", Shortcut::Platform("ios")),
    key("2", "2", "keychain platform: macos (data protection)", Shortcut::Platform("macos")),
    key("3", "3", "keychain platform: macos-file (file-based)", Shortcut::Platform("macos-file")),
    Key { ctrl: true, ..key("z", "Ctrl/⌘ Z", "undo the last change of the document", Shortcut::Undo) },
    Key { ctrl: true, shift: true, ..key("z", "Ctrl/⌘ Shift Z", "redo", Shortcut::Redo) },
    Key { ctrl: true, ..key("y", "Ctrl/⌘ Y", "redo", Shortcut::Redo) },
];

/// The shortcut a key press means, if any. `typing` says focus is in a text field.
pub fn shortcut_for(key: &str, ctrl: bool, shift: bool, alt: bool, typing: bool) -> Option<Shortcut> {
    if alt {
        return None;
    }
    // `?` is Shift+/ on most layouts: for printable keys the key itself already says Shift.
    let printable = key.chars().count() == 1;
    SHORTCUTS
        .iter()
        .find(|k| {
            k.key.eq_ignore_ascii_case(key)
                && k.ctrl == ctrl
                && ((printable && !ctrl) || k.shift == shift)
                && (k.in_fields || !typing)
        })
        .map(|k| k.shortcut)
}

#[derive(Debug, Properties, PartialEq)]
pub struct HelpProps {
    pub onclose: Callback<()>,
}

/// The `?` overlay: every shortcut, from the table.
#[component]
pub fn ShortcutHelp(props: &HelpProps) -> Html {
    let onclose = props.onclose.reform(|_: MouseEvent| ());
    html! {
        <div class="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="help-box">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="shortcuts">
                    <tbody>
                        for k in SHORTCUTS.iter() {
                            <tr><th scope="row"><kbd>{ k.shown }</kbd></th><td>{ k.what }</td></tr>
                        }
                    </tbody>
                </table>
                <p class="muted">{ "Single keys work when the focus is not in a text field." }</p>
                <button type="button" id="help-close" onclick={onclose}>{ "Close" }</button>
            </div>
        </div>
    }
}

/// What a key press on the page does: the shortcut's action, and the browser's own handling
/// of that key prevented. Keys that are no shortcut pass through untouched.
pub fn handle(
    event: &web_sys::Event,
    state: &yew::UseReducerHandle<super::Playground>,
    help: &yew::UseStateHandle<bool>,
) {
    use super::share::{bar::file_name, browser, Links};
    use super::state::Action;
    use crate::document::Kind;
    use crate::keychain::edit::DocEdit;
    use wasm_bindgen::JsCast;

    let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    let ctrl = e.ctrl_key() || e.meta_key();
    let Some(shortcut) = shortcut_for(&e.key(), ctrl, e.shift_key(), e.alt_key(), browser::typing(event)) else {
        return;
    };
    let now = super::clock::now();
    match shortcut {
        Shortcut::Help => help.set(!**help),
        Shortcut::Close if **help => help.set(false),
        Shortcut::Close => return,
        Shortcut::NextExample | Shortcut::PreviousExample => {
            let step = if shortcut == Shortcut::NextExample { 1 } else { -1 };
            let example = super::Example::neighbour(state.example, step);
            state.dispatch(Action::Pick { example, now });
            browser::push_example(example);
        }
        Shortcut::CopyLink => {
            if let Ok(links) = Links::make(&browser::base(), &state.text, false) {
                browser::copy(&links.permalink, "share-link");
            }
        }
        Shortcut::Save => browser::download(&file_name(state.run.about.title.as_deref()), &state.text),
        Shortcut::FocusEditor => browser::focus("document"),
        Shortcut::FocusReport => browser::focus("report"),
        Shortcut::Platform(_) if state.run.kind() != Some(Kind::Keychain) => return,
        Shortcut::Platform(platform) => {
            state.dispatch(Action::Workspace { edit: DocEdit::SetPlatform(platform.into()), now });
        }
        Shortcut::Undo => state.dispatch(Action::Undo { now }),
        Shortcut::Redo => state.dispatch(Action::Redo { now }),
    }
    e.prevent_default();
}
