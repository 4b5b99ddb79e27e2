//! What stops verification, as diagnostics (codes `flowproof::verify::*`).

use miette::Diagnostic as MietteDiagnostic;
use thiserror::Error;

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::span::{FileId, Span};
use crate::verdict::EngineError;

#[derive(Debug, Error, MietteDiagnostic)]
pub enum VerifyDiagnostic {
    #[error("the assumptions are contradictory: no scenario satisfies {which}")]
    #[diagnostic(code(flowproof::verify::contradictory_assumptions))]
    Contradictory {
        which: String,
        #[label(collection, "in conflict")]
        spans: Vec<miette::LabeledSpan>,
        #[help]
        help: Option<String>,
    },

    #[error("reading `{reading}` is contradictory: no scenario satisfies {which}")]
    #[diagnostic(code(flowproof::verify::contradictory_reading))]
    ContradictoryReading {
        reading: String,
        which: String,
        #[label(collection, "in conflict")]
        spans: Vec<miette::LabeledSpan>,
        #[help]
        help: Option<String>,
    },

    #[error(
        "the reference engine would enumerate 2^{count} scenarios ({count} ground params; the limit is {limit})"
    )]
    #[diagnostic(
        code(flowproof::verify::too_many_params),
        help("use the Z3 engine (the default), or raise the limit with `--max-params`")
    )]
    TooManyParams { count: usize, limit: usize },

    #[error("internal error: {message}")]
    #[diagnostic(
        code(flowproof::verify::internal),
        help(
            "this is a bug in flowproof, not in your policy: no verdict of this file is trusted; please report it with the policy file"
        )
    )]
    Internal { message: String },
}

/// Assumption `i` of `view` (a model, or a model in a reading).
fn assumption_spans(view: &Model, assumes: &[usize]) -> Vec<Span> {
    assumes.iter().map(|i| view.assumes[*i].info.span).collect()
}

/// The spans of one file labelled "in conflict" (the file of the first, else `root`),
/// the file, and how many are elsewhere.
fn in_conflict(spans: &[Span], root: Option<FileId>) -> (FileId, Vec<miette::LabeledSpan>, usize) {
    let file = spans.first().map(|s| s.file).or(root).unwrap_or_default();
    let elsewhere = spans.iter().filter(|s| s.file != file).count();
    let labeled = spans
        .iter()
        .filter(|s| s.file == file)
        .map(|s| miette::LabeledSpan::new_with_span(Some("in conflict".to_owned()), *s))
        .collect();
    (file, labeled, elsewhere)
}

/// "this assumption", "these two assumptions together", ...
fn which(n: usize) -> String {
    match n {
        1 => "this assumption".to_owned(),
        2 => "these two assumptions together".to_owned(),
        n => format!("these {n} assumptions together"),
    }
}

/// The diagnostic for reading `reading` of a model whose own assumptions are
/// consistent, when `assumes` (indices into `view`, the model in that reading: the
/// model's assumptions first, then the reading's) admit no scenario.
pub fn contradictory_reading(
    view: &Model,
    reading: &str,
    own: usize,
    root: Option<FileId>,
    assumes: &[usize],
) -> Diagnostic {
    let spans = assumption_spans(view, assumes);
    let (file, labeled, elsewhere) = in_conflict(&spans, root);
    let of_reading = assumes.iter().filter(|i| **i >= own).count();
    let whose = match of_reading {
        1 => "one of them is the reading's own".to_owned(),
        n => format!("{n} of them are the reading's own"),
    };
    let mut help = format!(
        "the file's own assumptions admit scenarios, but none is left once the reading's are added ({whose}); drop or weaken one of them: a claim decided in no scenario at all would be proved by default"
    );
    if elsewhere > 0 {
        help.push_str(&format!(" ({elsewhere} of them in an imported file)"));
    }
    Diagnostic::new(
        file,
        VerifyDiagnostic::ContradictoryReading {
            reading: reading.to_owned(),
            which: which(assumes.len()),
            spans: labeled,
            help: Some(help),
        },
    )
}

/// The diagnostic for a verification error on `model`, pointing into `root`.
pub fn diagnostic(model: &Model, root: Option<FileId>, err: &EngineError) -> Diagnostic {
    match err {
        EngineError::Contradictory { assumes } => {
            let spans = assumption_spans(model, assumes);
            let (file, labeled, elsewhere) = in_conflict(&spans, root);
            let which = which(assumes.len());
            let mut help = "drop or weaken one of them: a claim checked against no scenario at all would be proved by default".to_owned();
            if elsewhere > 0 {
                help.push_str(&format!(" ({elsewhere} of them in an imported file)"));
            }
            Diagnostic::new(
                file,
                VerifyDiagnostic::Contradictory {
                    which,
                    spans: labeled,
                    help: Some(help),
                },
            )
        }
        EngineError::TooManyParams { count, limit } => Diagnostic::new(
            root.unwrap_or_default(),
            VerifyDiagnostic::TooManyParams {
                count: *count,
                limit: *limit,
            },
        ),
        EngineError::Internal(message) => Diagnostic::new(
            root.unwrap_or_default(),
            VerifyDiagnostic::Internal {
                message: message.clone(),
            },
        ),
    }
}

/// A claim named on the command line that no file declares.
#[derive(Debug, Error, MietteDiagnostic)]
#[error("no claim is named `{name}`")]
#[diagnostic(code(flowproof::usage::unknown_claim))]
pub struct UnknownClaim {
    name: String,
    #[help]
    help: Option<String>,
}

/// The usage error for `name`, which none of `known` is: with the closest of them as a
/// suggestion; else the claims whose names contain it; else the claims there are (the
/// first few), then `fallback`.
pub fn unknown_claim(name: &str, known: &[&str], fallback: Option<&str>) -> Diagnostic {
    let mut names: Vec<&str> = known.to_vec();
    names.sort_unstable();
    names.dedup();
    let listed = |names: &[&str]| {
        let shown: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
        match names.len().saturating_sub(SHOWN) {
            0 => shown.join(", "),
            more => format!("{} and {more} more", shown.join(", ")),
        }
    };
    let lower = name.to_lowercase();
    let containing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !lower.is_empty() && n.to_lowercase().contains(&lower))
        .collect();
    let help = if let Some(near) = crate::suggest::suggest(name, names.iter().copied()) {
        Some(crate::suggest::did_you_mean(&near))
    } else if !containing.is_empty() {
        Some(format!(
            "claims whose names contain `{name}`: {}",
            listed(&containing)
        ))
    } else if names.is_empty() {
        Some("these files declare no claims".to_owned())
    } else {
        let those = format!("the claims are {}", listed(&names));
        Some(match fallback {
            Some(more) => format!("{those}; {more}"),
            None => those,
        })
    };
    Diagnostic::without_file(UnknownClaim {
        name: name.to_owned(),
        help,
    })
}

/// How many claim names an unknown claim's help lists.
const SHOWN: usize = 8;
