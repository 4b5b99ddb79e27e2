//! The plain configuration: every claim as one question over everything it reads, and
//! the consistency of the assumptions, named by a minimal conflicting set.

use std::collections::HashSet;

use z3::SatResult;
use z3::ast::Bool;

use super::session::{Session, memory_cap_hit};
use super::{Options, selected_claims};
use crate::ground::{GroundClaim, Grounded, Prop};
use crate::model::Mode;
use crate::verdict::{ClaimOutcome, EngineError, Vacuity, Verdict};

/// Every claim as one question over everything it reads: no splitting into parts, no
/// reuse of answers.
pub(super) fn verify_whole(
    grounded: &mut Grounded,
    options: &Options,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    let mut session = Session::new(options, grounded);
    check_consistency(&mut session, grounded)?;

    let mut outcomes = Vec::new();
    let model = grounded.model.clone();
    let selected = selected_claims(&model, options);
    for (done, index) in selected.iter().copied().enumerate() {
        if memory_cap_hit().is_some() {
            // every claim is reported unknown (see `verify`); stop spending memory
            break;
        }
        let claim = grounded.claim(index);
        let Some(outcome) =
            super::decided_under_cap(decide(&mut session, grounded, &claim, options.routes)?)
        else {
            break;
        };
        if matches!(outcome.verdict, Verdict::Unknown(_)) {
            // a solver that gave up can hold on to memory: start afresh
            session = Session::new(options, grounded);
        }
        outcomes.push(outcome);
        if let Some(p) = &options.progress {
            (p.0)(&model.claims[index].name, done + 1, selected.len());
        }
    }
    Ok(outcomes)
}

/// Fails when no scenario satisfies the assumptions, naming a minimal conflicting set.
pub(super) fn check_consistency(
    session: &mut Session,
    grounded: &mut Grounded,
) -> Result<(), EngineError> {
    let count = grounded.assumptions.len();
    if count == 0 {
        return Ok(());
    }
    match session.check(grounded, &Prop::True) {
        SatResult::Sat => {
            session.solver.pop(1);
            return Ok(());
        }
        // undecided: every claim question includes the assumptions anyway
        SatResult::Unknown => return Ok(()),
        SatResult::Unsat => {}
    }
    // shrink the core to a minimal conflicting set, one assumption at a time
    let core: HashSet<String> = session
        .solver
        .get_unsat_core()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut keep: Vec<usize> = (0..count)
        .filter(|i| core.contains(&session.tracks[*i].to_string()))
        .collect();
    if keep.is_empty() {
        keep = (0..count).collect();
    }
    let assumes = crate::minimize::shrink(keep, |rest| {
        let on: Vec<Bool> = rest.iter().map(|a| session.tracks[*a].clone()).collect();
        Ok::<_, std::convert::Infallible>(session.solver.check_assumptions(&on) == SatResult::Unsat)
    })
    .unwrap_or_else(|never| match never {});
    Err(EngineError::Contradictory { assumes })
}

fn decide(
    session: &mut Session,
    grounded: &mut Grounded,
    claim: &GroundClaim,
    routes: usize,
) -> Result<ClaimOutcome, EngineError> {
    let goal = match claim.mode {
        Mode::Always => Prop::negate(claim.prop.clone()),
        Mode::Possible => claim.prop.clone(),
    };
    let count = grounded.params().len();
    let mut outcome = ClaimOutcome {
        claim: claim.index,
        verdict: Verdict::Proved,
        vacuous: None,
        witness: None,
        readings: Vec::new(),
    };
    match session.check(grounded, &goal) {
        SatResult::Unknown => {
            outcome.verdict = Verdict::Unknown(session.reason_unknown());
            return Ok(outcome);
        }
        SatResult::Sat => {
            let params = session.scenario(count);
            let expected = claim.mode == Mode::Possible;
            let witness = crate::witness::replay(grounded, claim, params, expected, routes)?;
            outcome.verdict = if expected {
                Verdict::Proved
            } else {
                Verdict::Refuted
            };
            outcome.witness = Some(witness);
            return Ok(outcome);
        }
        SatResult::Unsat => {
            outcome.verdict = match claim.mode {
                Mode::Always => Verdict::Proved,
                Mode::Possible => Verdict::Refuted,
            };
        }
    }
    if let (Verdict::Proved, Some((antecedent, span))) = (&outcome.verdict, &claim.antecedent) {
        match session.check(grounded, antecedent) {
            SatResult::Unsat => outcome.vacuous = Some(Vacuity { antecedent: *span }),
            SatResult::Sat => {
                session.solver.pop(1);
            }
            SatResult::Unknown => {
                outcome.verdict = Verdict::Unknown(format!(
                    "the claim holds, but whether it holds only vacuously could not be decided ({})",
                    session.reason_unknown()
                ));
            }
        }
    }
    Ok(outcome)
}
