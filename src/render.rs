//! Renderings of verification results: a report shape shared by every format, the
//! human text in the style of `cargo test`, and the JSON of the output contract.

pub mod json;
pub mod text;

use crate::check::Checked;
use crate::diagnostic::Diagnostic;
use crate::graph::StepRule;
use crate::ground::GroundParams;
use crate::model::Model;
use crate::solve::verdict::{ClaimOutcome, Path, Verdict};
use crate::source::SourceMap;

/// Everything about one verified file that a rendering needs.
pub struct FileReport<'a> {
    pub checked: &'a Checked,
    /// Errors and warnings (from checking and from verification).
    pub diagnostics: Vec<&'a Diagnostic>,
    pub outcomes: Vec<ClaimOutcome>,
    /// The ground params, for naming a witness's scenario.
    pub params: Option<GroundParams>,
    /// With `--why`: for claims (by index) that hold without a witness, why.
    pub because: std::collections::HashMap<usize, crate::explain::Because>,
}

/// One hop of a path as shown: names, the rule's place and its citations.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ShownStep {
    pub data: String,
    pub origin: String,
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: usize,
    pub cites: Vec<String>,
    pub derived_from: Option<String>,
}

pub fn show_path(model: &Model, sources: &SourceMap, path: &Path) -> Vec<ShownStep> {
    path.steps
        .iter()
        .map(|s| {
            let info = match s.rule {
                StepRule::Flow(i) => &model.flows[i].info,
                StepRule::Derive(i) => &model.derives[i].info,
            };
            ShownStep {
                data: model.data_name(s.data).to_owned(),
                origin: model.agency(s.origin).name.clone(),
                from: model.agency(s.from).name.clone(),
                to: model.agency(s.to).name.clone(),
                file: sources.path(info.span.file).display().to_string(),
                line: sources.line(info.span),
                cites: info.cite_names(model),
                derived_from: s.derived_from.map(|d| model.data_name(d).to_owned()),
            }
        })
        .collect()
}

/// A path as plain English, one sentence per hop, each ending with where the rule is
/// written and what it cites: "SanFrancisco sends the fingerprints it collected to CA
/// (base.flow:41, citing seed_002)."
pub fn story(model: &Model, sources: &SourceMap, path: &Path) -> Vec<String> {
    let origin = &model.agency(path.origin).name;
    let steps = show_path(model, sources, path);
    if steps.is_empty() {
        let data = model.data_name(path.data);
        return vec![format!(
            "{origin} collects the {data} itself, so it has them from the start."
        )];
    }
    steps
        .iter()
        .map(|s| {
            let place = if s.cites.is_empty() {
                format!("{}:{}", s.file, s.line)
            } else {
                format!("{}:{}, citing {}", s.file, s.line, join_words(&s.cites))
            };
            match &s.derived_from {
                Some(from) => {
                    let whose = if s.origin == s.to {
                        "its own".to_owned()
                    } else {
                        format!("{}'s", s.origin)
                    };
                    format!(
                        "At {}, the {} is derived from {whose} {from} ({place}).",
                        s.to, s.data
                    )
                }
                None if s.origin == s.from => {
                    format!("{} sends its own {} to {} ({place}).", s.from, s.data, s.to)
                }
                None => format!(
                    "{} passes {}'s {} on to {} ({place}).",
                    s.from, s.origin, s.data, s.to
                ),
            }
        })
        .collect()
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Counts of verdicts across reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub proved: usize,
    pub refuted: usize,
    pub unknown: usize,
    pub files_with_errors: usize,
}

impl Tally {
    pub fn of(reports: &[FileReport<'_>]) -> Tally {
        let mut t = Tally::default();
        for r in reports {
            if r.diagnostics.iter().any(|d| d.is_error()) {
                t.files_with_errors += 1;
                continue;
            }
            for o in &r.outcomes {
                match o.verdict {
                    Verdict::Proved => t.proved += 1,
                    Verdict::Refuted => t.refuted += 1,
                    Verdict::Unknown(_) => t.unknown += 1,
                }
            }
        }
        t
    }

    /// The exit status of the output contract: 2 for any input error, else 1 if some
    /// claim is refuted, else 3 if some is unknown, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.files_with_errors > 0 {
            2
        } else if self.refuted > 0 {
            1
        } else if self.unknown > 0 {
            3
        } else {
            0
        }
    }
}
