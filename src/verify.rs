//! The whole pipeline for the files of one run: check → ground → decide every selected
//! claim with the chosen engine (witnesses replayed) → with `--why`, explain what
//! settles each proof. The result, [`Verified`] per file, is the one value every
//! consumer renders (the command line, the report, the language server, `// expect`
//! checking), without copying it into another shape.

pub mod error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::{Checked, check_file_limited, expand_paths};
use crate::diagnostic::Diagnostic;
use crate::explain::Because;
use crate::ground::{GroundParams, Grounded};
use crate::model::{Mode, Model};
use crate::solve::{self, Options};
use crate::verdict::{ClaimOutcome, EngineError, Verdict};

/// Which engine decides the claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Z3, exact and fast.
    Z3,
    /// Enumerate every scenario; refuses models with more than `max_params` ground params.
    Reference { max_params: usize },
}

/// One file, checked, ground and verified.
pub struct Verified {
    pub checked: Checked,
    /// The model ground, when it checked.
    pub grounded: Option<Grounded>,
    /// Diagnostics from verification (contradictory assumptions, limits, internal errors).
    pub errors: Vec<Diagnostic>,
    pub outcomes: Vec<ClaimOutcome>,
    /// With `why`: for claims (by index) that hold without a witness, why.
    pub because: BTreeMap<usize, Because>,
    /// With `why`: claims whose explanation could not be found, and what stopped it.
    pub unexplained: Vec<(usize, EngineError)>,
}

impl Verified {
    /// A file checked, with nothing decided.
    pub fn unverified(checked: Checked) -> Verified {
        Verified {
            checked,
            grounded: None,
            errors: Vec::new(),
            outcomes: Vec::new(),
            because: BTreeMap::new(),
            unexplained: Vec::new(),
        }
    }

    /// Checking's diagnostics, then verification's.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked.diagnostics.iter().chain(&self.errors)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics().any(Diagnostic::is_error)
    }

    pub fn model(&self) -> Option<&Model> {
        self.checked.model.as_deref()
    }

    /// The ground params, for naming a witness's scenario.
    pub fn params(&self) -> Option<&GroundParams> {
        self.grounded.as_ref().map(Grounded::params)
    }

    /// The name of ground param `i` (`#i` when the file did not ground).
    pub fn param_name(&self, i: usize) -> String {
        match (self.model(), self.params()) {
            (Some(m), Some(p)) => p.name(m, i),
            _ => format!("#{i}"),
        }
    }

    /// Fills in [`Verified::because`] for every outcome that holds without a witness.
    pub fn explain(&mut self, options: &Options) {
        let Some(model) = self.checked.model.clone() else {
            return;
        };
        for o in &self.outcomes {
            match crate::explain::because(&model, o, options) {
                Ok(Some(b)) => {
                    self.because.insert(o.claim, b);
                }
                Ok(None) => {}
                Err(e) => self.unexplained.push((o.claim, e)),
            }
        }
    }
}

/// Every file of a run, verified, and the problems with the run itself (paths that are
/// not policy files, claim names no file declares).
pub struct Run {
    pub files: Vec<Verified>,
    pub usage: Vec<Diagnostic>,
}

impl Run {
    /// The exit status of the output contract (2 also for a usage error).
    pub fn exit_code(&self) -> u8 {
        if self.usage.is_empty() {
            Tally::of(&self.files).exit_code()
        } else {
            2
        }
    }
}

/// Verifies every `.flow` file the paths name (a directory: the files below it,
/// sorted), each claim `options` selects; with `why`, explains each proof.
pub fn verify_paths(paths: &[PathBuf], options: &Options, engine: Engine, why: bool) -> Run {
    let (files, mut usage) = expand_paths(paths);
    let mut files: Vec<Verified> = files
        .iter()
        .map(|f| verify_file(f, options, engine))
        .collect();
    if why {
        for v in &mut files {
            v.explain(options);
        }
    }
    usage.extend(unknown_claims(&files, &options.claims));
    Run { files, usage }
}

/// A usage error for each name that no file's claim has, with a suggestion.
pub fn unknown_claims(files: &[Verified], names: &[String]) -> Vec<Diagnostic> {
    let all: Vec<&str> = files
        .iter()
        .filter_map(Verified::model)
        .flat_map(|m| m.claims.iter().map(|c| c.name.as_str()))
        .collect();
    names
        .iter()
        .filter(|name| !all.contains(&name.as_str()))
        .map(|name| {
            error::unknown_claim(
                name,
                &all,
                Some("`flowproof verify` without `--claim` checks every claim"),
            )
        })
        .collect()
}

pub fn verify_file(path: &Path, options: &Options, engine: Engine) -> Verified {
    let checked = check_file_limited(path, &options.limits);
    verify_checked(checked, options, engine)
}

pub fn verify_checked(checked: Checked, options: &Options, engine: Engine) -> Verified {
    let mut verified = Verified::unverified(checked);
    let Some(model) = verified.checked.model.clone() else {
        return verified;
    };
    let mut grounded = Grounded::new(model);
    let result = match engine {
        Engine::Z3 => solve::verify(&mut grounded, options),
        Engine::Reference { max_params } => {
            let claims = solve::selected_claims(&grounded.model, options);
            crate::reference::verify(&grounded, &claims, max_params)
                .and_then(|outcomes| replay_all(&mut grounded, outcomes, options.routes))
        }
    };
    match result {
        Ok(outcomes) => verified.outcomes = outcomes,
        Err(err) => verified.errors.push(error::diagnostic(
            &grounded.model,
            verified.checked.root,
            &err,
        )),
    }
    verified.grounded = Some(grounded);
    verified
}

/// Fills in the paths of witnesses found by the reference engine, replaying each.
fn replay_all(
    grounded: &mut Grounded,
    mut outcomes: Vec<ClaimOutcome>,
    routes: usize,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    for o in &mut outcomes {
        if let Some(w) = o.witness.take() {
            let claim = grounded.claim(o.claim);
            let expected = claim.mode == Mode::Possible;
            o.witness = Some(crate::witness::replay(
                grounded, &claim, w.params, expected, routes,
            )?);
        }
    }
    Ok(outcomes)
}

/// Counts of verdicts across files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    pub proved: usize,
    pub refuted: usize,
    pub unknown: usize,
    pub files_with_errors: usize,
}

impl Tally {
    pub fn of(files: &[Verified]) -> Tally {
        let mut t = Tally::default();
        for v in files {
            if v.has_errors() {
                t.files_with_errors += 1;
                continue;
            }
            for o in &v.outcomes {
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
