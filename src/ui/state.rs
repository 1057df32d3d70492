//! The page's state and the actions that change it.

use std::rc::Rc;

use yew::Reducible;

use super::examples::Example;
use super::report::ReportView;
use super::validators::FormEdit;
use crate::{run_text, Instant, Outcome};

/// Everything the page shows: the document being edited and what running it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Playground {
    /// The document's text, as in the editor.
    pub text: Rc<str>,
    /// The example the text is, while it is unedited.
    pub example: Option<usize>,
    /// The result of running `text`.
    pub run: Rc<Run>,
}

/// One run of a document through the engine, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The command line's exit status: 0 every expectation met, 1 one unmet, 2 not understood.
    pub exit: u8,
    /// The report, typed for the view.
    pub view: ReportView,
    /// The report as pretty JSON (what `keyplay run` prints).
    pub json: String,
    /// The document's `title` and `notes`, shown beside it.
    pub about: About,
}

/// What a document says about itself, when it is JSON with string `title` and `notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    pub title: Option<String>,
    pub notes: Option<String>,
}

impl About {
    fn of(text: &str) -> About {
        let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(text) else { return About::default() };
        let field = |name: &str| doc.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        About { title: field("title"), notes: field("notes") }
    }
}

impl Run {
    /// Runs `text` through the engine at `now`.
    pub fn of(text: &str, now: Instant) -> Run {
        let Outcome { report, exit } = run_text(text, now);
        let json = serde_json::to_string_pretty(&report).unwrap_or_else(|e| e.to_string());
        Run { exit, view: ReportView::from_report(&report), json, about: About::of(text) }
    }
}

/// What the user did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the document with edited text.
    Edit { text: String, now: Instant },
    /// Load one of the shipped examples, by its index in the gallery.
    Pick { example: usize, now: Instant },
    /// Append steps (imported from code) to the keychain document.
    AddSteps { steps: Vec<serde_json::Value>, now: Instant },
    /// A validator form changed the document (the form's edit rewrites the text).
    Form { edit: FormEdit, now: Instant },
    /// A structured edit from the keychain workspace, applied to the text.
    Workspace { edit: super::workspace::DocEdit, now: Instant },
}

impl Playground {
    /// The page as it opens: the default example, run at `now`.
    pub fn open(now: Instant) -> Playground {
        Playground::load(Example::default_index(), now).unwrap_or_else(|| Playground::with_text("{}".into(), None, now))
    }

    fn load(example: usize, now: Instant) -> Option<Playground> {
        Example::get(example).map(|e| Playground::with_text(e.text.into(), Some(example), now))
    }

    fn with_text(text: Rc<str>, example: Option<usize>, now: Instant) -> Playground {
        let run = Rc::new(Run::of(&text, now));
        Playground { text, example, run }
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit { text, .. } if *text == *self.text => self,
            Action::Edit { text, now } => {
                let example = self.example.filter(|&i| Example::get(i).is_some_and(|e| e.text == text));
                Rc::new(Playground::with_text(text.into(), example, now))
            }
            Action::Pick { example, .. } if Some(example) == self.example => self,
            Action::Pick { example, now } => Playground::load(example, now).map_or(self, Rc::new),
            Action::AddSteps { steps, now } => match super::code::append_steps(&self.text, &steps) {
                Ok(text) => Rc::new(Playground::with_text(text.into(), None, now)),
                Err(_) => self,
            },
            Action::Form { edit, now } => match edit.apply(&self.text, &self.run.json) {
                Some(text) => self.reduce(Action::Edit { text, now }),
                None => self,
            },
            Action::Workspace { edit, now } => match super::workspace::apply(&self.text, &edit) {
                Some(text) => self.reduce(Action::Edit { text, now }),
                None => self,
            },
        }
    }
}
