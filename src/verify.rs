//! The whole pipeline for one file: check, ground, decide every selected claim with
//! the chosen engine, and explain each witness.

use std::path::Path;

use crate::check::{Checked, check_file_limited};
use crate::diagnostic::Diagnostic;
use crate::graph::Slices;
use crate::ground::GroundParams;
use crate::solve::verdict::{ClaimOutcome, VerifyError};
use crate::solve::{self, Ground, Options};
use crate::{reference, solve::error};

/// Which engine decides the claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Z3, exact and fast.
    Z3,
    /// Enumerate every scenario; refuses models with more than `max_params` ground params.
    Reference { max_params: usize },
}

/// One file, checked and verified.
pub struct Verified {
    pub checked: Checked,
    /// Diagnostics from verification (contradictory assumptions, limits, internal errors).
    pub errors: Vec<Diagnostic>,
    pub outcomes: Vec<ClaimOutcome>,
    pub params: Option<GroundParams>,
}

impl Verified {
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked.diagnostics.iter().chain(&self.errors)
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics().any(Diagnostic::is_error)
    }
}

pub fn verify_file(path: &Path, options: &Options, engine: Engine) -> Verified {
    let checked = check_file_limited(path, &options.limits);
    verify_checked(checked, options, engine)
}

pub fn verify_checked(checked: Checked, options: &Options, engine: Engine) -> Verified {
    let Some(model) = checked.model.as_ref() else {
        return Verified {
            checked,
            errors: Vec::new(),
            outcomes: Vec::new(),
            params: None,
        };
    };
    let result = match engine {
        Engine::Z3 => solve::verify(model, options),
        Engine::Reference { max_params } => {
            let claims = solve::selected_claims(model, options);
            reference::verify(model, &claims, max_params)
                .and_then(|outcomes| explain(model, outcomes, options.routes))
        }
    };
    let params = Some(GroundParams::new(model));
    match result {
        Ok(outcomes) => Verified {
            checked,
            errors: Vec::new(),
            outcomes,
            params,
        },
        Err(err) => {
            let diag = error::diagnostic(model, checked.root, &err);
            Verified {
                checked,
                errors: vec![diag],
                outcomes: Vec::new(),
                params,
            }
        }
    }
}

/// Fills in the paths of witnesses found by the reference engine, replaying each.
fn explain(
    model: &crate::model::Model,
    mut outcomes: Vec<ClaimOutcome>,
    routes: usize,
) -> Result<Vec<ClaimOutcome>, VerifyError> {
    let ground = Ground::new(model);
    let grounder = ground.grounder();
    let mut slices = Slices::new(&grounder);
    let assumptions = solve::ground_assumptions(&grounder);
    for o in &mut outcomes {
        if let Some(w) = o.witness.take() {
            let claim = solve::ground_claim(&grounder, o.claim);
            let expected = claim.mode == crate::syntax::ast::Mode::Possible;
            o.witness = Some(solve::replay(
                &mut slices,
                &assumptions,
                &claim,
                w.params,
                expected,
                routes,
            )?);
        }
    }
    Ok(outcomes)
}
