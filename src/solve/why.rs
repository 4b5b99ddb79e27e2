//! Why a claim holds, part by part: the questions of [`super::core`]'s `settled_core`
//! and `fewest_off`, asked of each part of the claim on its own cone (see [`split`]).
//!
//! The model's candidate rules are each switched on by a tracker (a zero-argument param,
//! see [`crate::explain::tracked`]). A claim that is settled (a proved `always`, a
//! refuted `possible`) is settled iff each of its parts is: the opposite answer is the
//! disjunction of the parts' opposite answers. A part's answer depends only on the
//! trackers of its cone, its *relevant* trackers; a tracker outside every cone cannot
//! change the verdict. So:
//!
//! - a set `S` of trackers on (the others free) settles the claim iff for every part,
//!   `S`'s relevant trackers settle that part; removing one tracker from `S` can only
//!   unsettle the parts it is relevant to, and only those are asked again;
//! - a set `T` of fewest trackers off (the others on) that unsettles the claim lies
//!   within one part's relevant trackers (its members outside them could be left on,
//!   making it smaller), so the least number over the parts is the least for the claim;
//! - with one tracker off (or a few, all relevant to one part), a scenario where the
//!   claim's answer is the opposite is one of a part they are relevant to, completed
//!   outside its cone by a scenario of the model as written (the rules there stand, so
//!   it satisfies the assumptions there).
//!
//! Questions the same up to renaming are answered once, as in verification.
//!
//! [`split`]: super::split

use super::Options;
use super::split::{Answer, Splitter, parts};
use crate::ground::{Grounded, Prop};
use crate::model::{Mode, ParamId};
use crate::verdict::EngineError;

/// A settled claim's parts, with their relevant trackers, ready for questions.
pub struct Explainer<'s> {
    splitter: Splitter<'s>,
    /// Per part: its opposite answer (the negated part of an `always` claim, the part
    /// of a `possible` one).
    goals: Vec<Prop>,
    /// Per part: its relevant trackers, as indices into `trackers`, in order.
    relevant: Vec<Vec<usize>>,
    /// The ground param of each tracker.
    trackers: Vec<usize>,
}

fn gave_up(why: String) -> EngineError {
    EngineError::Internal(format!("the solver gave up while explaining: {why}"))
}

impl<'s> Explainer<'s> {
    /// The parts of claim `claim` of a model whose candidate rules are switched on by
    /// `trackers`. `Ok(None)` when the assumptions cannot be decided on their own.
    pub fn new(
        grounded: &'s mut Grounded,
        claim: usize,
        trackers: &[ParamId],
        options: &Options,
    ) -> Result<Option<Self>, EngineError> {
        let mut ground = Vec::new();
        for t in trackers {
            let Some(i) = grounded.params().get(*t, &[]) else {
                return Err(EngineError::Internal(
                    "a tracking param has no ground instance".to_owned(),
                ));
            };
            ground.push(i);
        }
        // a scenario of the model as written (every tracker on): a part's scenario is
        // completed with it outside the part's cone, where every rule stays as written
        let written = grounded.assumptions.len();
        grounded
            .assumptions
            .extend(ground.iter().map(|i| Prop::Param(*i)));
        let base = super::base_scenario(grounded, options);
        grounded.assumptions.truncate(written);
        let Some(base) = base? else {
            return Ok(None);
        };
        let claim = grounded.claim(claim);
        let conjunctive = claim.mode == Mode::Always;
        let goals: Vec<Prop> = parts(&claim.prop, conjunctive)
            .into_iter()
            .map(|p| if conjunctive { Prop::negate(p) } else { p })
            .collect();
        let mut splitter = Splitter::new(grounded, base, options);
        let mut relevant = Vec::new();
        for goal in &goals {
            let cone = splitter.cone_params(goal);
            relevant.push(
                (0..ground.len())
                    .filter(|k| cone.contains(&ground[*k]))
                    .collect(),
            );
        }
        Ok(Some(Explainer {
            splitter,
            goals,
            relevant,
            trackers: ground,
        }))
    }

    /// Part `p`'s opposite answer with each of these trackers on or off.
    fn goal_with(&self, p: usize, values: &[(usize, bool)]) -> Prop {
        let mut conj = vec![self.goals[p].clone()];
        for (k, on) in values {
            let t = Prop::Param(self.trackers[*k]);
            conj.push(if *on { t } else { Prop::negate(t) });
        }
        Prop::and(conj)
    }

    /// Is part `p` settled with the trackers `on` says that are relevant to it on, and
    /// the others free?
    fn part_settled(&mut self, p: usize, on: &[bool]) -> Result<bool, EngineError> {
        let values: Vec<(usize, bool)> = self.relevant[p]
            .iter()
            .filter(|k| on[**k])
            .map(|k| (*k, true))
            .collect();
        let goal = self.goal_with(p, &values);
        Ok(!self.splitter.satisfiable(&goal).map_err(gave_up)?)
    }

    /// A minimal set of trackers that, on with every other tracker free, keeps the claim
    /// settled (indices into the trackers, in order); `Ok(None)` when it is not settled
    /// with every tracker on. Deletion in the order of the trackers, each removal asked
    /// only of the parts the tracker is relevant to.
    pub fn core(&mut self) -> Result<Option<Vec<usize>>, EngineError> {
        // the parts each tracker is relevant to
        let mut parts_of: Vec<Vec<usize>> = vec![Vec::new(); self.trackers.len()];
        for (p, ks) in self.relevant.iter().enumerate() {
            for k in ks {
                parts_of[*k].push(p);
            }
        }
        let mut on: Vec<bool> = parts_of.iter().map(|ps| !ps.is_empty()).collect();
        for p in 0..self.goals.len() {
            if !self.part_settled(p, &on)? {
                return Ok(None);
            }
        }
        for k in 0..self.trackers.len() {
            if !on[k] {
                continue;
            }
            on[k] = false;
            for p in &parts_of[k] {
                if !self.part_settled(*p, &on)? {
                    on[k] = true; // needed
                    break;
                }
            }
        }
        Ok(Some((0..on.len()).filter(|k| on[*k]).collect()))
    }

    /// For member `k` of `core`: the value of every tracker in a scenario where the claim
    /// is not settled with the rest of `core` on (and so `k` off), every tracker outside
    /// the part that shows it on; and that scenario.
    pub fn without(
        &mut self,
        core: &[usize],
        k: usize,
    ) -> Result<(Vec<bool>, Vec<bool>), EngineError> {
        for p in 0..self.goals.len() {
            if !self.relevant[p].contains(&k) {
                continue;
            }
            let values: Vec<(usize, bool)> = self.relevant[p]
                .iter()
                .filter(|j| **j != k && core.contains(j))
                .map(|j| (*j, true))
                .collect();
            let goal = self.goal_with(p, &values);
            match self.splitter.ask(&goal) {
                Answer::Unsat => {}
                Answer::Unknown(why) => return Err(gave_up(why)),
                Answer::Sat(scenario) => {
                    let mut on = vec![true; self.trackers.len()];
                    for j in &self.relevant[p] {
                        on[*j] = scenario[self.trackers[*j]];
                    }
                    return Ok((on, scenario));
                }
            }
        }
        Err(EngineError::Internal(
            "a member of a shrunk core turned out not to be needed".to_owned(),
        ))
    }

    /// With every tracker on or off as `on` says: a scenario where the claim's answer is
    /// the opposite, asked part by part, in order, of the parts whose relevant trackers
    /// include every tracker off (outside its cone the scenario is one of the model as
    /// written, so every rule there must stand); `None` when none of them has one. With
    /// one tracker off those are all the parts it can change: `None` then means the
    /// claim stays settled.
    pub fn unsettled(&mut self, on: &[bool]) -> Result<Option<Vec<bool>>, EngineError> {
        let off: Vec<usize> = (0..on.len()).filter(|k| !on[*k]).collect();
        for p in 0..self.goals.len() {
            if off.is_empty() || !off.iter().all(|k| self.relevant[p].contains(k)) {
                continue;
            }
            let values: Vec<(usize, bool)> =
                self.relevant[p].iter().map(|k| (*k, on[*k])).collect();
            let goal = self.goal_with(p, &values);
            match self.splitter.ask(&goal) {
                Answer::Unsat => {}
                Answer::Unknown(why) => return Err(gave_up(why)),
                Answer::Sat(scenario) => return Ok(Some(scenario)),
            }
        }
        Ok(None)
    }

    /// The sets of fewest trackers that, off together with every other on, unsettle the
    /// claim: the least number over the parts, and the sets of that size of every part
    /// that reaches it (each part names at most `limit`), sorted, at most `limit`. Empty
    /// when no set does.
    pub fn fewest_off(&mut self, limit: usize) -> Result<Vec<Vec<usize>>, EngineError> {
        let mut best: Vec<Vec<usize>> = Vec::new();
        for p in 0..self.goals.len() {
            let ground: Vec<usize> = self.relevant[p].iter().map(|k| self.trackers[*k]).collect();
            let goal = self.goals[p].clone();
            let Some(sets) = self
                .splitter
                .fewest_off(&goal, &ground, limit)
                .map_err(gave_up)?
            else {
                continue;
            };
            for set in sets {
                let mut set: Vec<usize> = set
                    .iter()
                    .filter_map(|g| self.trackers.iter().position(|t| t == g))
                    .collect();
                set.sort_unstable();
                match best.first().map(Vec::len) {
                    Some(n) if n < set.len() => continue,
                    Some(n) if n > set.len() => best.clear(),
                    _ => {}
                }
                if !best.contains(&set) {
                    best.push(set);
                }
            }
        }
        best.sort();
        best.truncate(limit);
        Ok(best)
    }
}
