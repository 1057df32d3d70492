//! The page's state and the actions that change it: event → action → reducer → engine →
//! view. The reducer parses the document once per change (with the engine's own parser),
//! runs it with the `now` the action carries, and keeps both for the views.

use std::rc::Rc;

use serde_json::Value;
use yew::Reducible;

use super::examples::{Example, Fetched};
use super::validators::FormEdit;
use crate::document::{DocError, Kind, Outline};
use crate::keychain::edit::DocEdit;
use crate::report::Report;
use crate::Instant;

/// Everything the page shows: the document being edited and what running it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Playground {
    /// The document's text, as in the editor.
    pub text: Rc<str>,
    /// The example the text is, while it is unedited.
    pub example: Option<usize>,
    /// The result of running `text`.
    pub run: Rc<Run>,
    /// Earlier and undone versions of the document, for undo and redo.
    pub history: Rc<History>,
    /// The examples' texts beyond those the build carries.
    pub examples: ExampleTexts,
}

/// The examples' texts that the build does not carry (the release page carries only the
/// default one): fetched once, when an example without its text is first opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExampleTexts {
    /// The fetched data file, once it came.
    pub fetched: Option<Rc<Fetched>>,
    /// The example to open when the texts come.
    pub waiting: Option<usize>,
    /// Why the last fetch failed.
    pub error: Option<String>,
}

impl ExampleTexts {
    /// Whether the texts are to be fetched now.
    pub fn to_fetch(&self) -> bool {
        self.waiting.is_some() && self.fetched.is_none()
    }

    /// What the page says about them: an example on its way, or why it could not come.
    pub fn status(&self) -> Option<String> {
        match (&self.waiting, &self.error) {
            (Some(index), _) => {
                Some(format!("Loading the example {}…", Example::get(*index).map_or("", |e| e.title())))
            }
            (None, Some(why)) => Some(format!("The example could not be loaded: {why}")),
            (None, None) => None,
        }
    }
}

/// A version of the document: its text and the example it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub text: Rc<str>,
    pub example: Option<usize>,
}

/// How to go from one version of the text to another: the `inserted` bytes at `at` of the
/// one it applies to become `removed`. An edit keeps only what it changed, so undo costs the
/// bytes an edit touched, not a copy of the document per version.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    at: usize,
    inserted: usize,
    removed: Box<str>,
    /// The example the version it leads to was.
    pub example: Option<usize>,
}

impl Change {
    /// The change that turns `from` back into `to`: the text between their common start and
    /// common end (cut at character boundaries).
    pub fn between(from: &str, to: Snapshot) -> Change {
        let (a, b) = (from.as_bytes(), to.text.as_bytes());
        let mut start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        while !(from.is_char_boundary(start) && to.text.is_char_boundary(start)) {
            start -= 1;
        }
        let room = a.len().min(b.len()) - start;
        let mut end = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
        while !(from.is_char_boundary(a.len() - end) && to.text.is_char_boundary(b.len() - end)) {
            end -= 1;
        }
        Change {
            at: start,
            inserted: a.len() - end - start,
            removed: to.text[start..b.len() - end].into(),
            example: to.example,
        }
    }

    /// The version this change leads to from `text`, or `None` when `text` is not one it
    /// applies to.
    pub fn apply(&self, text: &str) -> Option<Snapshot> {
        self.step(text, None).map(|(to, _)| to)
    }

    /// [`Change::apply`], with the change that leads back to `text` (shown as `example`) from
    /// the version it gives: the same place, the two texts swapped.
    fn step(&self, text: &str, example: Option<usize>) -> Option<(Snapshot, Change)> {
        let end = self.at.checked_add(self.inserted)?;
        let (head, middle, tail) = (text.get(..self.at)?, text.get(self.at..end)?, text.get(end..)?);
        let to = Snapshot { text: [head, &self.removed, tail].concat().into(), example: self.example };
        let back = Change { at: self.at, inserted: self.removed.len(), removed: middle.into(), example };
        Some((to, back))
    }

    /// The bytes of text the change keeps.
    pub fn bytes(&self) -> usize {
        self.removed.len()
    }
}

/// Undo and redo: how to go back from the current version, step by step (newest last), and
/// forward again to the versions undone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub past: Vec<Change>,
    pub future: Vec<Change>,
}

/// How many versions undo keeps.
pub const UNDO_DEPTH: usize = 100;

/// About how many bytes of text the changes undo and redo keep may take together (two of the
/// largest documents, replaced whole): past it the oldest go first, but the newest change
/// always stays, so the last change can always be undone.
pub const UNDO_BYTES: usize = 2 * crate::limits::DOCUMENT_BYTES;

impl History {
    /// Records that `before` became `now`, forgetting what was undone, then the oldest changes
    /// past [`UNDO_DEPTH`] or [`UNDO_BYTES`].
    pub fn record(&mut self, before: Snapshot, now: &str) {
        self.past.push(Change::between(now, before));
        self.future.clear();
        let mut bytes: usize = self.past.iter().map(Change::bytes).sum();
        let mut drop = 0;
        while self.past.len() - drop > 1 && (self.past.len() - drop > UNDO_DEPTH || bytes > UNDO_BYTES) {
            bytes -= self.past[drop].bytes();
            drop += 1;
        }
        self.past.drain(..drop);
    }
}

/// One run of a document through the engine, ready to render. A run equals only itself
/// (components compare the `Rc<Run>` they are given by identity, never report by report:
/// a new run is a new `Rc`).
///
/// The run keeps the document's text and where its parts are ([`Outline`]), not its parsed
/// JSON: the engine consumes that, and a view that needs a part parses that part again.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where the document's parts are in its text, or why it is not JSON.
    pub doc: Result<Outline, DocError>,
    /// The engine's typed report.
    pub report: Report,
    /// The document's `title` and `notes`, shown beside it.
    pub about: About,
    /// The time the document ran at when it has no `now` of its own.
    pub now: Instant,
    /// What a keychain run keeps for the run after an edit ([`crate::keychain::incremental`]).
    pub kept: Option<Rc<crate::keychain::incremental::Memo>>,
    /// The job whose answer `report` waits for, while the page's worker checks a validator
    /// document ([`super::worker`]); `report` is then the verdict of the document before the
    /// edit, when it was of the same kind, or an empty one.
    pub pending: Option<u64>,
}

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The kind a document's outline names, if it names a known one.
fn kind_of(doc: &Result<Outline, DocError>) -> Option<Kind> {
    doc.as_ref().ok().and_then(|d| d.string("kind")).and_then(|k| Kind::from_name(&k))
}

/// What a document says about itself, when it is JSON with string `title` and `notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    pub title: Option<String>,
    pub notes: Option<String>,
}

impl About {
    fn of(doc: &Outline) -> About {
        About { title: doc.string("title"), notes: doc.string("notes") }
    }
}

impl Run {
    /// Parses `text` and runs it at `now`.
    pub fn of(text: Rc<str>, now: Instant) -> Run {
        Run::after(text, now, None)
    }

    /// Runs a document: a keychain document resumes from what `previous` kept, at `previous`'s
    /// time when it gives no `now` of its own (so an edit does not move every date the report
    /// shows, and the steps before the edit need not run again). The engine reads a keychain
    /// document from the outline a step at a time ([`crate::run::run_outline`]).
    fn after(text: Rc<str>, now: Instant, previous: Option<&Run>) -> Run {
        let doc = crate::run::outline(text);
        if let Some(kind) = kind_of(&doc).filter(|k| super::worker::IN_WORKER && k.is_validator()) {
            return Run::deferred(doc, kind, now, previous);
        }
        let previous = previous.filter(|p| matches!(p.report, Report::Keychain(_)));
        let own_time = doc.as_ref().is_ok_and(|d| d.has("now"));
        let now = match previous {
            Some(p) if !own_time => p.now,
            _ => now,
        };
        let memo = previous.and_then(|p| match (&p.kept, &p.report) {
            (Some(memo), Report::Keychain(report)) => Some((memo.as_ref(), report)),
            _ => None,
        });
        let (report, kept) = match &doc {
            Ok(outline) => crate::run::run_outline(outline, now, memo),
            Err(error) => (Report::NotUnderstood(error.clone()), None),
        };
        let about = doc.as_ref().map(About::of).unwrap_or_default();
        Run { doc, report, about, now, kept: kept.map(Rc::new), pending: None }
    }

    /// A validator document's run in a build that checks it in the worker: waiting for the
    /// answer to a new job, showing the verdict before the edit meanwhile when it was of the
    /// same kind.
    fn deferred(doc: Result<Outline, DocError>, kind: Kind, now: Instant, previous: Option<&Run>) -> Run {
        let report = previous
            .map(|p| &p.report)
            .filter(|r| matches!(r, Report::Verdict(v) if v.kind == kind))
            .cloned()
            .unwrap_or_else(|| {
                Report::Verdict(crate::report::VerdictReport { kind, verdict: Default::default(), expect: None })
            });
        let about = doc.as_ref().map(About::of).unwrap_or_default();
        Run { doc, report, about, now, kept: None, pending: Some(super::worker::next_job()) }
    }

    /// The job the worker is to run for this run, when it waits for one.
    pub fn job(&self) -> Option<crate::wire::Job> {
        let (id, doc) = (self.pending?, self.doc.as_ref().ok()?);
        Some(crate::wire::Job { id, task: crate::wire::Task::Run { text: doc.text().to_string(), now: self.now } })
    }

    /// This run with the worker's answer to its job; `None` when the answer is to another job.
    pub(crate) fn answered(&self, answer: crate::wire::Answer) -> Option<Run> {
        (self.pending? == answer.id).then(|| Run {
            report: answer.outcome.into_report(),
            pending: None,
            ..self.clone()
        })
    }

    /// The kind the document names (even when it is not understood), if it names a known one.
    pub fn kind(&self) -> Option<Kind> {
        kind_of(&self.doc)
    }

    /// The document parsed again, when its text is JSON. Each call parses the whole text: for
    /// what the user asked for (an edit, a form, an export), not for every render of a view.
    pub fn json(&self) -> Option<Value> {
        self.doc.as_ref().ok().map(Outline::parse)
    }

    /// [`Run::json`], or JSON `null` when the text is not JSON.
    pub fn json_or_null(&self) -> Rc<Value> {
        Rc::new(self.json().unwrap_or(Value::Null))
    }

    /// A detail of a validator's verdict (a signed token, a public key, …).
    pub fn detail(&self, key: &str) -> Option<&Value> {
        match &self.report {
            Report::Verdict(verdict) => verdict.detail(key),
            _ => None,
        }
    }
}

/// What the user did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Replace the document with edited text.
    Edit { text: String, now: Instant },
    /// Load one of the shipped examples, by its index in the gallery.
    Pick { example: usize, now: Instant },
    /// The examples' data file came (or could not be had).
    Fetched { texts: Result<Rc<Fetched>, String>, now: Instant },
    /// Fold imported evidence (a document fragment) into the document.
    Evidence { fragment: Value, now: Instant },
    /// A validator form changed the document.
    Form { edit: FormEdit, now: Instant },
    /// A structured edit from the keychain workspace.
    Workspace { edit: DocEdit, now: Instant },
    /// Back to the version before the last change.
    Undo { now: Instant },
    /// Forward again to the version the last undo left.
    Redo { now: Instant },
    /// The page's worker answered a job ([`Run::job`]).
    Checked { answer: crate::wire::Answer },
}

impl Playground {
    /// The page as it opens: the default example, run at `now`.
    pub fn open(now: Instant) -> Playground {
        let index = Example::default_index();
        match Example::get(index).and_then(|e| e.text()) {
            Some(text) => Playground::with_text(text.into(), Some(index), now),
            None => Playground::with_text("{}".into(), None, now),
        }
    }

    fn with_text(text: Rc<str>, example: Option<usize>, now: Instant) -> Playground {
        let run = Rc::new(Run::of(text.clone(), now));
        Playground { text, example, run, history: Rc::default(), examples: ExampleTexts::default() }
    }

    /// The text of the example at `index`: built in, or from the fetched data file.
    fn example_text(&self, index: usize) -> Option<&str> {
        let example = Example::get(index)?;
        example.text().or_else(|| self.examples.fetched.as_ref().and_then(|f| f.text(example.path)))
    }

    /// The page showing the example at `index`, if its text is at hand.
    fn load(&self, index: usize, now: Instant) -> Option<Playground> {
        let text = self.example_text(index)?.into();
        let mut page = Playground::with_text(text, Some(index), now);
        page.examples = ExampleTexts { fetched: self.examples.fetched.clone(), waiting: None, error: None };
        Some(page)
    }

    /// This page, with `examples` as what it knows of the examples' texts.
    fn with_examples(&self, examples: ExampleTexts) -> Rc<Playground> {
        Rc::new(Playground { examples, ..self.clone() })
    }

    /// The page after the text was edited to `text`: run from what this run kept.
    fn edited(&self, text: Rc<str>, example: Option<usize>, now: Instant) -> Playground {
        let run = Rc::new(Run::after(text.clone(), now, Some(&self.run)));
        Playground { text, example, run, history: Rc::default(), examples: self.examples.clone() }
    }

    /// The page after a structured edit produced `doc`: its pretty text, run as an edit of it.
    fn with_doc(&self, doc: Value, now: Instant) -> Rc<Playground> {
        let Ok(text) = serde_json::to_string_pretty(&doc) else { return Rc::new(self.clone()) };
        drop(doc);
        if *text == *self.text {
            return Rc::new(self.clone());
        }
        let text: Rc<str> = text.into();
        let run = Rc::new(Run::after(text.clone(), now, Some(&self.run)));
        Rc::new(Playground { text, example: None, run, history: self.history.clone(), examples: self.examples.clone() })
    }
}

impl Playground {
    fn snapshot(&self) -> Snapshot {
        Snapshot { text: self.text.clone(), example: self.example }
    }

    /// The page showing `to`, with `history` as its history.
    fn restore(&self, to: Snapshot, history: History, now: Instant) -> Rc<Playground> {
        let mut page = Playground::with_text(to.text, to.example, now);
        page.history = Rc::new(history);
        page.examples = self.examples.clone();
        Rc::new(page)
    }
}

impl Reducible for Playground {
    type Action = Action;

    /// Applies the action; a change of the document's text is recorded for undo (and clears
    /// what was undone).
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Undo { now } => {
                let mut history = History::clone(&self.history);
                let Some((to, back)) = history.past.pop().and_then(|c| c.step(&self.text, self.example)) else {
                    return self;
                };
                history.future.push(back);
                self.restore(to, history, now)
            }
            Action::Redo { now } => {
                let mut history = History::clone(&self.history);
                let Some((to, back)) = history.future.pop().and_then(|c| c.step(&self.text, self.example)) else {
                    return self;
                };
                history.past.push(back);
                self.restore(to, history, now)
            }
            action => {
                let next = Rc::clone(&self).change(action);
                if Rc::ptr_eq(&next, &self) {
                    return next;
                }
                if next.text == self.text {
                    let mut next = Playground::clone(&next);
                    next.history = self.history.clone();
                    return Rc::new(next);
                }
                let mut history = History::clone(&self.history);
                history.record(self.snapshot(), &next.text);
                let mut next = Playground::clone(&next);
                next.history = Rc::new(history);
                Rc::new(next)
            }
        }
    }
}

impl Playground {
    fn change(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Undo { .. } | Action::Redo { .. } => self,
            Action::Edit { text, .. } if *text == *self.text => self,
            Action::Edit { text, now } => {
                let example = self.example.filter(|&i| self.example_text(i).is_some_and(|t| t == text));
                Rc::new(self.edited(text.into(), example, now))
            }
            Action::Pick { example, .. } if Some(example) == self.example => self,
            Action::Pick { example, now } => match self.load(example, now) {
                Some(page) => Rc::new(page),
                // Its text is not here yet: it opens when the examples' file comes.
                None if Example::get(example).is_some() => {
                    self.with_examples(ExampleTexts { waiting: Some(example), error: None, ..self.examples.clone() })
                }
                None => self,
            },
            Action::Fetched { texts: Ok(fetched), now } => {
                let examples = ExampleTexts { fetched: Some(fetched), ..self.examples.clone() };
                let page = self.with_examples(examples);
                match page.examples.waiting {
                    Some(index) => page.load(index, now).map_or_else(
                        || {
                            let why = "the examples file does not hold this example".to_owned();
                            page.with_examples(ExampleTexts {
                                waiting: None,
                                error: Some(why),
                                ..page.examples.clone()
                            })
                        },
                        Rc::new,
                    ),
                    None => page,
                }
            }
            Action::Fetched { texts: Err(why), .. } => {
                self.with_examples(ExampleTexts { waiting: None, error: Some(why), ..self.examples.clone() })
            }
            Action::Evidence { fragment, now } => {
                match crate::import::merge(self.run.json().as_ref(), &fragment).ok() {
                    Some(doc) => self.with_doc(doc, now),
                    None => self,
                }
            }
            Action::Form { edit, now } => match edit.apply(self.run.json().as_ref(), &self.run.report) {
                Some(doc) => self.with_doc(doc, now),
                None => self,
            },
            Action::Checked { answer } => match self.run.answered(answer) {
                Some(run) => Rc::new(Playground { run: Rc::new(run), ..Playground::clone(&self) }),
                None => self,
            },
            Action::Workspace { edit, now } => {
                let Some(mut doc) = self.run.json() else { return self };
                match crate::keychain::edit::apply(&mut doc, &edit) {
                    Some(()) => self.with_doc(doc, now),
                    None => self,
                }
            }
        }
    }
}
