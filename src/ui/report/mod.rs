//! The report panel: the engine's report read into [`ReportView`], and the components
//! that render it.

mod model;
mod view;

pub use model::{
    CheckRow, DocProblem, Expectation, KeychainReport, KeychainRow, Pitfall, ReportView, StepReport, Tone,
    VerdictReport,
};
pub use view::{ReportPanel, ReportPanelProps};
