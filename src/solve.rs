//! The Z3 engine: one solver question per claim, exact least-fixpoint reachability,
//! contradictory assumptions found by unsat cores, vacuity, and witnesses that are
//! replayed on the ground graph before they are returned.
//!
//! Every question is posed so that **unsat ⇔ the claim's answer is settled**:
//! - `always F`: is there an admissible scenario where `!F`? unsat ⇔ proved;
//! - `possible F`: is there an admissible scenario where `F`? unsat ⇔ refuted;
//! - vacuity of a proved `always forall xs. A => B`: is `exists xs. A` satisfiable in an
//!   admissible scenario? unsat ⇔ vacuous.

//!
//! Read top-down:
//! - [`options`]: how to verify;
//! - [`session`]: a solver under the run's limits (time, resource, memory), with the
//!   assumptions behind tracking literals, and why it gave up;
//! - [`encode`]: ground formulas and slices → Z3 terms (exact least fixpoint);
//! - [`decide`]: the plain configuration, one question per claim, and the assumptions'
//!   consistency;
//! - [`split`] and [`symmetry`]: the fast configuration, part by part, each question
//!   asked once up to renaming, interchangeable agencies decided once;
//! - [`core`]: unsat cores shrunk to minimal sets (`contradictions`, and `--why` in the
//!   plain configuration);
//! - [`why`] and [`together`]: `--why` and `contradictions` in the fast configuration,
//!   part by part and component by component.
//!
//! Witnesses are replayed by [`crate::witness`], below both engines.

mod bdd;
pub mod core;
mod decide;
pub mod encode;
pub mod options;
mod session;
mod split;
pub mod symmetry;
mod together;
pub mod why;

use z3::SatResult;

pub use core::{SettledCore, fewest_off, settled_core};
pub use options::{Options, Progress, ProgressFn, selected_claims};
pub use why::Explainer;

use crate::ground::{GroundClaim, Grounded, Prop};
use crate::model::Mode;
use crate::verdict::{ClaimOutcome, EngineError, Verdict};
use decide::{check_consistency, verify_whole};
use session::{Session, memory_cap_hit, with_memory_cap};

/// Verifies the selected claims of a checked model with Z3.
pub fn verify(
    grounded: &mut Grounded,
    options: &Options,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    let (result, hit) = with_memory_cap(options.memory_mb, || verify_uncapped(grounded, options));
    let Some(mb) = hit else {
        return result;
    };
    // an interrupted solver can leave anything half done (a model read after the
    // interrupt is not a model): a claim decided while the cap was passed is not
    // trusted, and both configurations stop at the first (see `decided_under_cap`); the
    // claims decided before it keep their verdicts, the others are unknown
    let decided = result.unwrap_or_default();
    Ok(selected_claims(&grounded.model, options)
        .into_iter()
        .map(|claim| {
            decided
                .iter()
                .find(|o| o.claim == claim)
                .cloned()
                .unwrap_or_else(|| ClaimOutcome {
                    claim,
                    verdict: Verdict::Unknown(format!(
                        "the memory limit of {mb} MB (--max-memory) was reached"
                    )),
                    vacuous: None,
                    witness: None,
                    readings: Vec::new(),
                })
        })
        .collect())
}

/// `outcome`, unless the memory cap was passed while it was decided (then `None`, and
/// no claim after it is decided either).
fn decided_under_cap(outcome: ClaimOutcome) -> Option<ClaimOutcome> {
    memory_cap_hit().is_none().then_some(outcome)
}

/// Every minimal set of the given claims that no admissible scenario satisfies when
/// their formulas are asserted together (each as a fact about one scenario). `Err` when
/// the solver gives up (the reason) or the assumptions themselves conflict.
///
/// Question per subset `S`: is `assumptions ∧ ⋀_{c∈S} F_c` satisfiable? unsat ⇔ `S`
/// conflicts.
pub fn contradictions(
    grounded: &mut Grounded,
    claims: &[usize],
    options: &Options,
) -> Result<Vec<Vec<usize>>, EngineError> {
    if options.split
        && let Some(found) = together::contradictions(grounded, claims, options)?
    {
        return Ok(found);
    }
    core::contradictions_whole(grounded, claims, options)
}

/// Whether the assumptions admit a scenario: `Err(Contradictory)` naming a minimal
/// conflicting set when they do not. A solver that gives up counts as consistent: every
/// claim's question includes the assumptions anyway.
///
/// Question: is the conjunction of the assumptions satisfiable? unsat ⇔ contradictory.
pub fn consistent(grounded: &mut Grounded, options: &Options) -> Result<(), EngineError> {
    let (result, _) = with_memory_cap(options.memory_mb, || {
        let mut session = Session::new(options, grounded);
        check_consistency(&mut session, grounded)
    });
    result
}

fn verify_uncapped(
    grounded: &mut Grounded,
    options: &Options,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    if !options.split {
        return verify_whole(grounded, options);
    }
    let stats = std::env::var_os("FLOWPROOF_STATS").is_some();
    let clock = std::time::Instant::now();
    let model = grounded.model.clone();
    let Some(base) = base_scenario(grounded, options)? else {
        // undecided on their own: every claim question includes them anyway
        return verify_whole(grounded, options);
    };
    if stats {
        eprintln!("base scenario: {:?}", clock.elapsed());
    }
    let selected = selected_claims(&model, options);
    let stand_ins = if options.symmetry {
        symmetry::stand_ins(&model)
    } else {
        Vec::new()
    };
    // each claim with its parts: one per agency that stands for its class when the
    // claim is over interchangeable agencies, else its top-level conjuncts (disjuncts)
    let claims: Vec<(GroundClaim, Vec<Prop>)> = selected
        .iter()
        .map(|i| {
            let reduced = options
                .symmetry
                .then(|| symmetry::parts(&grounded.grounder(), *i, &stand_ins))
                .flatten();
            match reduced {
                Some(parts) => {
                    let conjunctive = model.claims[*i].mode == Mode::Always;
                    let parts: Vec<Prop> = parts
                        .iter()
                        .flat_map(|p| split::parts(p, conjunctive))
                        .collect();
                    let prop = if conjunctive {
                        Prop::and(parts.iter().cloned())
                    } else {
                        Prop::or(parts.iter().cloned())
                    };
                    (grounded.claim_with(*i, prop), parts)
                }
                None => {
                    let claim = grounded.claim(*i);
                    let parts = split::parts(&claim.prop, claim.mode == Mode::Always);
                    (claim, parts)
                }
            }
        })
        .collect();
    if stats {
        eprintln!("parts: {:?}", clock.elapsed());
    }
    let mut splitter = split::Splitter::new(grounded, base, options);
    // every slice the parts still read once the params the assumptions fix are
    // substituted, built on every core at once (the parts themselves stay as they are:
    // a witness is explained by the claim as written)
    let mut origins = Vec::new();
    for (_, parts) in &claims {
        for p in parts {
            splitter
                .simplify(p)
                .for_each_reach(&mut |_, o, _| origins.push(o));
        }
    }
    splitter.prebuild(&origins);
    if stats {
        eprintln!("slices: {:?}", clock.elapsed());
    }
    let mut outcomes = Vec::new();
    for (done, (index, (claim, parts))) in selected.iter().copied().zip(&claims).enumerate() {
        if memory_cap_hit().is_some() {
            // every claim is reported unknown (see `verify`); stop spending memory
            break;
        }
        let Some(outcome) = decided_under_cap(splitter.decide(claim, parts, options.routes)?)
        else {
            break;
        };
        outcomes.push(outcome);
        if let Some(p) = &options.progress {
            (p.0)(&model.claims[index].name, done + 1, selected.len());
        }
        if stats {
            eprintln!(
                "claim {index}: {:?} (asked {})",
                clock.elapsed(),
                splitter.asked
            );
        }
    }
    if std::env::var_os("FLOWPROOF_STATS").is_some() {
        eprintln!(
            "questions asked: {} ({} decided by diagrams), answered by an earlier one: {}, settled by fixed params: {}",
            splitter.asked, splitter.by_bdd, splitter.reused, splitter.settled
        );
    }
    Ok(outcomes)
}

/// The assumptions once as a whole: consistent (`Err(Contradictory)` when not), and one
/// scenario of them all, read off directly when every assumption is a conjunction of
/// literals that never contradict each other. `Ok(None)`: the solver could not decide
/// them on their own.
fn base_scenario(
    grounded: &mut Grounded,
    options: &Options,
) -> Result<Option<Vec<bool>>, EngineError> {
    let count = grounded.params().len();
    if let Some(base) = literal_scenario(&grounded.assumptions, count) {
        return Ok(Some(base));
    }
    let mut session = Session::new(options, grounded);
    check_consistency(&mut session, grounded)?;
    match session.check(grounded, &Prop::True) {
        SatResult::Sat => Ok(Some(session.scenario(count))),
        SatResult::Unknown => Ok(None),
        SatResult::Unsat => Err(EngineError::Internal(
            "the assumptions were consistent and then were not".to_owned(),
        )),
    }
}

/// A scenario of the assumptions when they are all conjunctions of literals (`p`, `!p`)
/// that do not contradict each other, or implications from a param to such a
/// conjunction (the param and the conjunction both made true): those values, every
/// other param false.
fn literal_scenario(assumptions: &[Prop], count: usize) -> Option<Vec<bool>> {
    fn literals(p: &Prop, out: &mut Vec<(usize, bool)>) -> bool {
        match p {
            Prop::True => true,
            Prop::Param(i) => {
                out.push((*i, true));
                true
            }
            Prop::Not(inner) => match **inner {
                Prop::Param(i) => {
                    out.push((i, false));
                    true
                }
                _ => false,
            },
            Prop::And(ps) => ps.iter().all(|q| literals(q, out)),
            // `p => c`: both true
            Prop::Or(ps) => match ps.as_slice() {
                [Prop::Not(inner), rest @ ..] if matches!(**inner, Prop::Param(_)) => {
                    let Prop::Param(i) = **inner else {
                        return false;
                    };
                    out.push((i, true));
                    match rest {
                        [c] => literals(c, out),
                        _ => false,
                    }
                }
                _ => false,
            },
            _ => false,
        }
    }
    let mut values: Vec<Option<bool>> = vec![None; count];
    let mut found = Vec::new();
    for a in assumptions {
        if !literals(a, &mut found) {
            return None;
        }
    }
    for (i, v) in found {
        let slot = values.get_mut(i)?;
        match slot {
            Some(w) if *w != v => return None,
            _ => *slot = Some(v),
        }
    }
    Some(values.into_iter().map(|v| v.unwrap_or(false)).collect())
}
