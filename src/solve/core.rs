//! Unsat cores shrunk to minimal sets: statements that cannot all be true together
//! (MARCO), and the rules that settle a claim (for `--why`).

use std::collections::HashSet;

use z3::ast::Bool;
use z3::{SatResult, Solver};

use super::Options;
use super::decide::check_consistency;
use super::session::Session;
use crate::ground::{Grounded, Prop};
use crate::model::{Mode, ParamId};
use crate::verdict::EngineError;

/// Every minimal set of the given claims that no admissible scenario satisfies when
/// their formulas are asserted together (each as a fact about one scenario), with one
/// question over the whole model per set (see [`marco`]). `Err` when the solver gives
/// up (the reason) or the assumptions themselves conflict.
///
/// Question per subset `S`: is `assumptions ∧ ⋀_{c∈S} F_c` satisfiable? unsat ⇔ `S`
/// conflicts.
pub(super) fn contradictions_whole(
    grounded: &mut Grounded,
    claims: &[usize],
    options: &Options,
) -> Result<Vec<Vec<usize>>, EngineError> {
    let mut session = Session::new(options, grounded);
    check_consistency(&mut session, grounded)?;
    // one literal per claim: asserting it asserts the claim's formula
    let mut literals = Vec::new();
    for &c in claims {
        let prop = grounded.claim(c).prop;
        session
            .encoder
            .define_reach_for(&session.solver, grounded, &prop);
        let term = session.encoder.prop(grounded, &prop);
        let lit = Bool::new_const(format!("claim{c}"));
        session.solver.assert(lit.implies(&term));
        literals.push(lit);
    }
    let found = marco(claims.len(), |set| {
        let mut on: Vec<Bool> = session.tracks.clone();
        on.extend(set.iter().map(|i| literals[*i].clone()));
        match session.solver.check_assumptions(&on) {
            SatResult::Sat => Ok(true),
            SatResult::Unsat => Ok(false),
            SatResult::Unknown => Err(EngineError::Internal(format!(
                "the solver gave up: {}",
                session.reason_unknown()
            ))),
        }
    })?;
    let mut found: Vec<Vec<usize>> = found
        .into_iter()
        .map(|set| set.into_iter().map(|i| claims[i]).collect())
        .collect();
    found.sort();
    Ok(found)
}

/// Every minimal unsatisfiable subset of `0..n`, found with the MARCO algorithm, given
/// whether a subset is satisfiable (every subset of a satisfiable set must be, every
/// superset of an unsatisfiable one not). A map of the subsets not yet explored picks a
/// seed; a satisfiable seed is grown to a maximal satisfiable set and its subsets
/// leave the map, an unsatisfiable one is shrunk to a minimal one and its supersets
/// leave the map.
pub(super) fn marco(
    n: usize,
    mut satisfiable: impl FnMut(&[usize]) -> Result<bool, EngineError>,
) -> Result<Vec<Vec<usize>>, EngineError> {
    // the map: which subsets are still unexplored
    let map = Solver::new();
    let chosen: Vec<Bool> = (0..n)
        .map(|i| Bool::new_const(format!("pick{i}")))
        .collect();
    let mut found = Vec::new();
    loop {
        if map.check() != SatResult::Sat {
            break;
        }
        let Some(m) = map.get_model() else { break };
        let mut seed: Vec<usize> = (0..n)
            .filter(|i| {
                m.eval(&chosen[*i], true)
                    .and_then(|b| b.as_bool())
                    .unwrap_or(false)
            })
            .collect();
        if satisfiable(&seed)? {
            // grow to a maximal satisfiable set; every subset of it is satisfiable
            for i in 0..n {
                if !seed.contains(&i) {
                    seed.push(i);
                    if !satisfiable(&seed)? {
                        seed.pop();
                    }
                }
            }
            let outside: Vec<&Bool> = (0..n)
                .filter(|i| !seed.contains(i))
                .map(|i| &chosen[i])
                .collect();
            if outside.is_empty() {
                break; // every claim holds together
            }
            map.assert(Bool::or(&outside));
        } else {
            // shrink to a minimal conflicting set; every superset conflicts
            seed = crate::minimize::shrink(seed, |rest| Ok(!satisfiable(rest)?))?;
            let inside: Vec<Bool> = seed.iter().map(|i| chosen[*i].not()).collect();
            let inside: Vec<&Bool> = inside.iter().collect();
            map.assert(Bool::or(&inside));
            found.push(seed);
        }
    }
    Ok(found)
}

/// The unsat-core side of "why it holds", for a model whose candidate rules are each
/// switched on by a zero-argument tracking param (see [`crate::explain`]).
pub struct SettledCore {
    /// Indices into the trackers: a minimal set that keeps the claim settled, whatever
    /// the other trackers are.
    pub core: Vec<usize>,
    /// For each member of `core`, in order: the value of every tracker in a scenario
    /// where the claim is not settled with that member off and the rest of `core` on.
    pub without: Vec<Vec<bool>>,
}

/// A session asking for an admissible scenario where `claim`'s answer is the opposite
/// of settled (an `always` claim false, a `possible` one true), with a literal per
/// tracker that switches its rule on.
fn opposite_answer(
    grounded: &mut Grounded,
    claim: usize,
    trackers: &[ParamId],
    options: &Options,
) -> Result<(Session, Vec<Bool>), EngineError> {
    let mut session = Session::new(options, grounded);
    let claim = grounded.claim(claim);
    let goal = match claim.mode {
        Mode::Always => Prop::negate(claim.prop.clone()),
        Mode::Possible => claim.prop.clone(),
    };
    session
        .encoder
        .define_reach_for(&session.solver, grounded, &goal);
    let term = session.encoder.prop(grounded, &goal);
    session.solver.assert(&term);
    let mut literals = Vec::new();
    for t in trackers {
        let Some(i) = grounded.params().get(*t, &[]) else {
            return Err(EngineError::Internal(
                "a tracking param has no ground instance".to_owned(),
            ));
        };
        literals.push(session.encoder.param(i));
    }
    Ok((session, literals))
}

/// For a claim that is settled (proved `always`, refuted `possible`) with every tracker
/// on: the trackers an unsat core names, shrunk one at a time to a minimal set, and for
/// each member a scenario showing it is needed. `Ok(None)` when the claim is not settled
/// with every tracker on.
///
/// Question per set `S` of trackers: is there an admissible scenario, with the trackers
/// of `S` on and every other tracker free, where the claim's answer is the opposite?
/// unsat ⇔ `S` alone settles it. Adding trackers only removes scenarios, so the
/// deletion-based shrink yields a set from which no member can be dropped.
pub fn settled_core(
    grounded: &mut Grounded,
    claim: usize,
    trackers: &[ParamId],
    options: &Options,
) -> Result<Option<SettledCore>, EngineError> {
    let (session, literals) = opposite_answer(grounded, claim, trackers, options)?;
    let unknown = |s: &Session| {
        EngineError::Internal(format!(
            "the solver gave up while explaining: {}",
            s.reason_unknown()
        ))
    };
    let settled = |session: &Session, set: &[usize]| -> Result<bool, EngineError> {
        let mut on: Vec<Bool> = session.tracks.clone();
        on.extend(set.iter().map(|i| literals[*i].clone()));
        match session.solver.check_assumptions(&on) {
            SatResult::Sat => Ok(false),
            SatResult::Unsat => Ok(true),
            SatResult::Unknown => Err(unknown(session)),
        }
    };
    let all: Vec<usize> = (0..literals.len()).collect();
    if !settled(&session, &all)? {
        return Ok(None);
    }
    let named: HashSet<String> = session
        .solver
        .get_unsat_core()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut start: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| named.contains(&literals[*i].to_string()))
        .collect();
    if !settled(&session, &start)? {
        start = all; // a core that does not replay: shrink from everything instead
    }
    let core = crate::minimize::shrink(start, |rest| settled(&session, rest))?;
    let mut without = Vec::new();
    for k in 0..core.len() {
        let rest: Vec<usize> = core
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, x)| *x)
            .collect();
        if settled(&session, &rest)? {
            return Err(EngineError::Internal(
                "a member of a shrunk core turned out not to be needed".to_owned(),
            ));
        }
        let values = match session.solver.get_model() {
            Some(m) => literals
                .iter()
                .map(|l| m.eval(l, true).and_then(|b| b.as_bool()).unwrap_or(false))
                .collect(),
            None => return Err(unknown(&session)),
        };
        without.push(values);
    }
    Ok(Some(SettledCore { core, without }))
}

/// For a claim that is settled with every tracker on: the sets of fewest trackers that,
/// switched off together, leave a scenario where the claim's answer is the opposite (the
/// rules whose removal together undoes it), at most `limit` of them, all of one size;
/// empty when none does (the flows alone settle it). The least number is searched for
/// from one upward, so no smaller set exists: each is a minimum, not only minimal.
///
/// Question per `k`: is there an admissible scenario with at most `k` trackers off
/// where the claim's answer is the opposite? unsat ⇔ no `k` rules undo it. Once one
/// set of `k` is found, it is excluded (one of its trackers stays on) and the question
/// asked again, for the other sets of that size.
pub fn fewest_off(
    grounded: &mut Grounded,
    claim: usize,
    trackers: &[ParamId],
    limit: usize,
    options: &Options,
) -> Result<Vec<Vec<usize>>, EngineError> {
    let (session, literals) = opposite_answer(grounded, claim, trackers, options)?;
    let off: Vec<Bool> = literals.iter().map(Bool::not).collect();
    for k in 0..=literals.len() {
        session.solver.push();
        let bound = u32::try_from(k).unwrap_or(u32::MAX);
        session.solver.assert(z3::ast::atmost(off.iter(), bound));
        let mut sets: Vec<Vec<usize>> = Vec::new();
        while sets.len() < limit {
            match session.solver.check_assumptions(&session.tracks) {
                SatResult::Unsat => break,
                SatResult::Unknown => {
                    return Err(EngineError::Internal(format!(
                        "the solver gave up while explaining: {}",
                        session.reason_unknown()
                    )));
                }
                SatResult::Sat => {
                    let Some(m) = session.solver.get_model() else {
                        return Err(EngineError::Internal(
                            "the solver answered without a scenario".to_owned(),
                        ));
                    };
                    let set: Vec<usize> = literals
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| {
                            !m.eval(*l, true).and_then(|b| b.as_bool()).unwrap_or(true)
                        })
                        .map(|(i, _)| i)
                        .collect();
                    if set.is_empty() {
                        // nothing off and the answer is the opposite: not settled at all
                        session.solver.pop(1);
                        return Ok(Vec::new());
                    }
                    // another set of this size: one of these stays on
                    let kept: Vec<&Bool> = set.iter().map(|i| &literals[*i]).collect();
                    session.solver.assert(Bool::or(&kept));
                    sets.push(set);
                }
            }
        }
        session.solver.pop(1);
        if !sets.is_empty() {
            return Ok(sets);
        }
    }
    Ok(Vec::new())
}
