//! The workspace's own view state: which step is selected, the keychain table's filters,
//! and whether the comparison is open. None of it is part of the document.

use std::rc::Rc;

use yew::Reducible;

/// What the workspace shows besides the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bench {
    /// The step whose keychain is shown.
    pub selected: Option<usize>,
    /// Only items of this class (constant name).
    pub class: Option<String>,
    /// Only items in this access group.
    pub group: Option<String>,
    /// The three-platform comparison is open.
    pub compare: bool,
}

/// What the user did in the workspace's view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BenchAction {
    /// Show the keychain as this step left it (again: hide it).
    Select(usize),
    Unselect,
    FilterClass(Option<String>),
    FilterGroup(Option<String>),
    ToggleCompare,
}

impl Reducible for Bench {
    type Action = BenchAction;

    fn reduce(self: Rc<Self>, action: BenchAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BenchAction::Select(step) if self.selected == Some(step) => next.selected = None,
            BenchAction::Select(step) => next.selected = Some(step),
            BenchAction::Unselect => next.selected = None,
            BenchAction::FilterClass(class) => next.class = class,
            BenchAction::FilterGroup(group) => next.group = group,
            BenchAction::ToggleCompare => next.compare = !next.compare,
        }
        Rc::new(next)
    }
}
