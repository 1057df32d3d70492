//! Sharing and keeping the workspace: permalinks in the URL fragment, the embed mode for
//! documentation pages (and the embed build's page), the autosave in `localStorage`, and downloading / opening files.
//! Everything stays in the page: links carry the document in the fragment, which the
//! browser never sends to a server.

pub(crate) mod bar;
pub(crate) mod browser;
mod dialog;
mod embed;
mod embed_page;
mod link;
mod startup;

pub use bar::{ShareBar, ShareBarProps};
pub use browser::copy as copy_text;
pub use embed::{EmbedView, EmbedViewProps};
pub use embed_page::{Checked, EmbedApp, EmbedAppProps, EmbedPage, FROM_EMBED};
pub use link::{embed_snippets, fragment_text, raw_fragment, Links};
pub use startup::{Notice, Startup, AUTOSAVE_DELAY_MS, AUTOSAVE_KEY, CORRUPT_KEY};
