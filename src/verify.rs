//! The whole pipeline for the files of one run: check → ground → decide every selected
//! claim with the chosen engine (witnesses replayed) → with `--why`, explain what
//! settles each proof. The result, [`Verified`] per file, is the one value every
//! consumer renders (the command line, the report, the language server, `// expect`
//! checking), without copying it into another shape.

pub mod error;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::{Checked, check_file_with, expand_paths};
use crate::diagnostic::Diagnostic;
use crate::explain::Because;
use crate::ground::{GroundParams, Grounded};
use crate::model::{Mode, Model};
use crate::solve::{self, Options};
use crate::verdict::{ClaimOutcome, EngineError, ReadingOutcome, Verdict};

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
    /// With `why`: for claims (by index, and reading for a file with readings) that
    /// hold without a witness, why.
    pub because: BTreeMap<(usize, Option<usize>), Because>,
    /// With `why`: claims (and readings) whose explanation could not be found, and what
    /// stopped it.
    pub unexplained: Vec<((usize, Option<usize>), EngineError)>,
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

    /// What people read for ground param `i`: its label, filled in, or its name.
    pub fn param_shown(&self, i: usize) -> String {
        match (self.model(), self.params()) {
            (Some(m), Some(p)) => {
                let (param, args) = &p.list[i];
                m.ground_param_shown(*param, args)
            }
            _ => format!("#{i}"),
        }
    }

    /// Fills in [`Verified::because`] for every outcome that holds without a witness;
    /// with readings, in every reading, on the model as it stands in that reading.
    pub fn explain(&mut self, options: &Options) {
        let Some(model) = self.checked.model.clone() else {
            return;
        };
        for o in &self.outcomes {
            let mut asked: Vec<((usize, Option<usize>), Model, ClaimOutcome)> = Vec::new();
            if o.readings.is_empty() {
                asked.push(((o.claim, None), Model::clone(&model), o.clone()));
            }
            for r in &o.readings {
                let outcome = ClaimOutcome {
                    claim: o.claim,
                    verdict: r.verdict.clone(),
                    vacuous: r.vacuous.clone(),
                    witness: r.witness.clone(),
                    readings: Vec::new(),
                };
                asked.push((
                    (o.claim, Some(r.reading)),
                    model.in_reading(r.reading),
                    outcome,
                ));
            }
            for (key, view, outcome) in asked {
                match crate::explain::because(&view, &outcome, options) {
                    Ok(Some(mut b)) => {
                        b.reading = key.1;
                        self.because.insert(key, b);
                    }
                    Ok(None) => {}
                    Err(e) => self.unexplained.push((key, e)),
                }
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
    crate::check::dedupe_warnings(files.iter_mut().map(|v| &mut v.checked));
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
    let checked = check_file_with(path, &options.limits, &options.evidence);
    verify_checked(checked, options, engine)
}

pub fn verify_checked(checked: Checked, options: &Options, engine: Engine) -> Verified {
    let mut verified = Verified::unverified(checked);
    let Some(model) = verified.checked.model.clone() else {
        return verified;
    };
    let root = verified.checked.root;
    let mut grounded = Grounded::new(model.clone());
    let result = if model.readings.is_empty() {
        decide(&mut grounded, options, engine).map_err(|err| error::diagnostic(&model, root, &err))
    } else {
        decide_readings(&mut grounded, options, engine, root)
    };
    match result {
        Ok(outcomes) => verified.outcomes = outcomes,
        Err(diag) => verified.errors.push(diag),
    }
    verified.grounded = Some(grounded);
    verified
}

/// The selected claims of a ground model, decided by `engine`, witnesses replayed.
fn decide(
    grounded: &mut Grounded,
    options: &Options,
    engine: Engine,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    match engine {
        Engine::Z3 => solve::verify(grounded, options),
        Engine::Reference { max_params } => {
            let claims = solve::selected_claims(&grounded.model, options);
            crate::reference::verify(grounded, &claims, max_params)
                .and_then(|outcomes| replay_all(grounded, outcomes, options.routes))
        }
    }
}

/// A model with readings (section 5.6): the file's own assumptions must admit a
/// scenario (else the error of section 3), then every claim is decided in every
/// reading, on the model with that reading's assumptions added (a reading that admits
/// no scenario is an error of its own), and the verdicts are combined.
fn decide_readings(
    grounded: &mut Grounded,
    options: &Options,
    engine: Engine,
    root: Option<crate::span::FileId>,
) -> Result<Vec<ClaimOutcome>, Diagnostic> {
    let model = grounded.model.clone();
    let own = match engine {
        Engine::Z3 => solve::consistent(grounded, options),
        Engine::Reference { max_params } => {
            crate::reference::verify(grounded, &[], max_params).map(|_| ())
        }
    };
    own.map_err(|err| error::diagnostic(&model, root, &err))?;
    let mut per_reading: Vec<Vec<ClaimOutcome>> = Vec::new();
    for (r, reading) in model.readings.iter().enumerate() {
        let view = model.in_reading(r);
        let mut in_reading = Grounded::new(view.clone());
        match decide(&mut in_reading, options, engine) {
            Ok(outcomes) => per_reading.push(outcomes),
            Err(EngineError::Contradictory { assumes }) => {
                return Err(error::contradictory_reading(
                    &view,
                    &reading.name,
                    model.assumes.len(),
                    root,
                    &assumes,
                ));
            }
            Err(err) => return Err(error::diagnostic(&view, root, &err)),
        }
    }
    let claims = solve::selected_claims(&model, options);
    Ok(claims
        .iter()
        .enumerate()
        .map(|(k, claim)| {
            let readings = per_reading
                .iter_mut()
                .enumerate()
                .filter_map(|(r, outcomes)| {
                    let o = outcomes.get_mut(k)?;
                    Some(ReadingOutcome {
                        reading: r,
                        verdict: o.verdict.clone(),
                        vacuous: o.vacuous.take(),
                        witness: o.witness.take(),
                    })
                })
                .collect();
            ClaimOutcome::combine(*claim, readings)
        })
        .collect())
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
    /// Claims by overall verdict.
    pub proved: usize,
    pub refuted: usize,
    pub unknown: usize,
    pub contested: usize,
    pub files_with_errors: usize,
    /// Whether some claim is refuted (unknown) overall or in some reading.
    pub refuted_somewhere: bool,
    pub unknown_somewhere: bool,
    /// Quotations and pinpoints checked against their documents, across the files.
    pub quotations: crate::check::evidence::Summary,
}

impl Tally {
    pub fn of(files: &[Verified]) -> Tally {
        let mut t = Tally::default();
        for v in files {
            t.quotations = t.quotations + v.checked.evidence;
            if v.has_errors() {
                t.files_with_errors += 1;
                continue;
            }
            for o in &v.outcomes {
                match o.verdict {
                    Verdict::Proved => t.proved += 1,
                    Verdict::Refuted => t.refuted += 1,
                    Verdict::Unknown(_) => t.unknown += 1,
                    Verdict::Contested => t.contested += 1,
                }
                let verdicts =
                    std::iter::once(&o.verdict).chain(o.readings.iter().map(|r| &r.verdict));
                for verdict in verdicts {
                    t.refuted_somewhere |= *verdict == Verdict::Refuted;
                    t.unknown_somewhere |= matches!(verdict, Verdict::Unknown(_));
                }
            }
        }
        t
    }

    /// The exit status of the output contract: 2 for any input error, else 1 if some
    /// claim is refuted (in some reading), else 3 if some is unknown (in some reading),
    /// else 0.
    pub fn exit_code(&self) -> u8 {
        if self.files_with_errors > 0 {
            2
        } else if self.refuted_somewhere {
            1
        } else if self.unknown_somewhere {
            3
        } else {
            0
        }
    }
}
