//! What the app opens with: the document a link carries, else the autosave, else the
//! default example; plus what went wrong on the way, shown as a dismissible notice.

use super::browser;
use super::link::fragment_text;
use crate::share;

/// The `localStorage` key of the autosave.
pub const AUTOSAVE_KEY: &str = "keyplay.autosave";
/// Where a save that cannot be read is moved, so that nothing is lost.
pub const CORRUPT_KEY: &str = "keyplay.autosave.corrupt";

/// Something the user should know about how the page opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The link's fragment could not be read; the default example is shown instead.
    DamagedLink(String),
    /// The autosave could not be read; it was moved to [`CORRUPT_KEY`].
    SetAside(String),
}

impl Notice {
    pub fn message(&self) -> String {
        match self {
            Notice::DamagedLink(why) => {
                format!("This link could not be opened ({why}). The default example is shown instead.")
            }
            Notice::SetAside(why) => format!(
                "Your saved workspace could not be restored: {why}. It was kept in this browser's storage \
                 under \"{CORRUPT_KEY}\"."
            ),
        }
    }
}

/// How the app starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Startup {
    /// The document to open instead of the default example.
    pub text: Option<String>,
    pub notice: Option<Notice>,
    /// The page is embedded in documentation (`?embed`): compact and read-only.
    pub embed: bool,
    /// Whether edits are saved to `localStorage` (not in embed mode, not in tests).
    pub autosave: bool,
    /// The user asked for secrets to be kept in the autosave.
    pub keep_secrets: bool,
}

impl Startup {
    /// Reads the page's address and the autosave. `?embed` is embed mode; `?from-embed` (an
    /// embed's "Edit", [`super::FROM_EMBED`]) is the playground without the autosave: the
    /// document is the embedding page's, and the reader's saved workspace stays as it was.
    pub fn read() -> Startup {
        Startup::read_as(browser::search_has("embed"), browser::search_has(super::FROM_EMBED))
    }

    /// How the embed build's page (`embed.html`) starts: embed mode, whatever its address says.
    pub fn read_embed() -> Startup {
        Startup::read_as(true, false)
    }

    fn read_as(embed: bool, from_embed: bool) -> Startup {
        let mut startup = Startup { embed, autosave: !embed && !from_embed, ..Startup::default() };
        match fragment_text(&browser::hash()) {
            Ok(Some(text)) => startup.text = Some(text),
            Ok(None) if startup.autosave => startup.restore(),
            Ok(None) => {}
            Err(why) => startup.notice = Some(Notice::DamagedLink(why)),
        }
        startup
    }

    fn restore(&mut self) {
        let Some(stored) = browser::storage_get(AUTOSAVE_KEY) else { return };
        match share::load(&stored) {
            Ok(saved) => {
                self.keep_secrets = saved.view.get("keep-secrets").and_then(|v| v.as_bool()).unwrap_or(false);
                self.text = Some(saved.document).filter(|d| !d.is_empty());
            }
            Err(e) => {
                browser::storage_set(CORRUPT_KEY, &stored);
                browser::storage_remove(AUTOSAVE_KEY);
                self.notice = Some(Notice::SetAside(e.to_string()));
            }
        }
    }
}

/// Saves the workspace (secrets redacted unless `keep_secrets`).
pub fn autosave(text: &str, keep_secrets: bool) {
    let view = serde_json::json!({ "keep-secrets": keep_secrets });
    browser::storage_set(AUTOSAVE_KEY, &share::save(text, &view, keep_secrets));
}

/// How long the autosave waits after an edit, so that typing writes once per pause rather than
/// once per key (each write compresses and redacts the whole document).
pub const AUTOSAVE_DELAY_MS: u32 = 400;

/// The autosave of the latest edit, waiting for typing to pause. Each edit replaces it (dropping
/// the timer cancels the earlier write); [`Debounced::flush`] writes it at once (when the page
/// is hidden or the app goes away), so no edit is lost to the delay.
#[derive(Default)]
pub struct Debounced {
    next: std::rc::Rc<Waiting>,
    timer: Option<gloo_timers::callback::Timeout>,
}

impl Debounced {
    /// Saves `text` once [`AUTOSAVE_DELAY_MS`] pass without another call.
    pub fn schedule(&mut self, text: std::rc::Rc<str>, keep_secrets: bool) {
        *self.next.borrow_mut() = Some((text, keep_secrets));
        let next = self.next.clone();
        self.timer = Some(gloo_timers::callback::Timeout::new(AUTOSAVE_DELAY_MS, move || write(&next)));
    }

    /// Writes the waiting save now, if there is one.
    pub fn flush(&mut self) {
        self.timer = None;
        write(&self.next);
    }
}

/// The text and keep-secrets choice of the save to write.
type Waiting = std::cell::RefCell<Option<(std::rc::Rc<str>, bool)>>;

fn write(next: &Waiting) {
    let taken = next.borrow_mut().take();
    if let Some((text, keep)) = taken {
        autosave(&text, keep);
    }
}

impl Startup {
    /// The page's first state: the default example, replaced by the startup document if any.
    pub fn playground(&self, now: crate::Instant) -> crate::ui::Playground {
        use yew::Reducible;
        let open = std::rc::Rc::new(crate::ui::Playground::open(now));
        match &self.text {
            Some(text) => {
                std::rc::Rc::unwrap_or_clone(open.reduce(crate::ui::Action::Edit { text: text.clone(), now }))
            }
            None => std::rc::Rc::unwrap_or_clone(open),
        }
    }
}
