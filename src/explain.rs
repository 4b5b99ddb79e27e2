//! Why a claim holds. The rules are the things that restrict (flow, collect and derive
//! conditions, opt-outs, assumptions); *dropping* one means relaxing it at the level of
//! the model (a condition becomes `true`, an opt-out blocks nothing, an assumption is
//! gone). Two answers, for a proved `always` claim or a refuted `possible` one:
//!
//! - **the core**: rules that alone settle the verdict, whatever becomes of the others.
//!   Each rule is switched on by a tracking param ([`tracked`]); deletion shrinks a set
//!   of them until no member can be left out. For each member a counterfactual: the
//!   claim without it (and, when other rules also guarantee it, without those too), with
//!   the path by which it then fails.
//! - **what undoes it**: the fewest rules whose removal together changes the verdict (a
//!   minimum: no smaller set does), with the counterexample once they are gone.
//!
//! In the fast configuration every question is asked part by part, on each part's cone
//! ([`solve::Explainer`]); in the plain one, over the whole model, starting from Z3's
//! unsat core. Either way every counterexample is replayed on the relaxed model before it
//! is shown, like every witness.

use crate::ground::Grounded;
use crate::model::{Formula, FormulaKind, Model, Param, ParamId, RuleInfo};
use crate::solve::{self, Options};
use crate::verdict::{ClaimOutcome, EngineError, Verdict};

/// At most this many sets of fewest rules that undo a verdict are named.
pub const UNDOINGS_SHOWN: usize = 4;

/// A rule that can be relaxed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Assume(usize),
    FlowCondition(usize),
    CollectCondition(usize),
    DeriveCondition(usize),
    Optout(usize),
}

impl Rule {
    /// The rule in `model` as it stands in reading `reading`: an assumption numbered at
    /// or past the model's own is that reading's (see [`Model::in_reading`]).
    pub fn info_in(self, model: &Model, reading: Option<usize>) -> &RuleInfo {
        match (self, reading) {
            (Rule::Assume(i), Some(r)) if i >= model.assumes.len() => {
                &model.readings[r].assumes[i - model.assumes.len()].info
            }
            _ => self.info(model),
        }
    }

    pub fn info(self, model: &Model) -> &RuleInfo {
        match self {
            Rule::Assume(i) => &model.assumes[i].info,
            Rule::FlowCondition(i) => &model.flows[i].info,
            Rule::CollectCondition(i) => &model.collects[i].info,
            Rule::DeriveCondition(i) => &model.derives[i].info,
            Rule::Optout(i) => &model.optouts[i].info,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Rule::Assume(_) => "assumption",
            Rule::FlowCondition(_) => "condition of a flow",
            Rule::CollectCondition(_) => "condition of a collect",
            Rule::DeriveCondition(_) => "condition of a derive",
            Rule::Optout(_) => "opt-out",
        }
    }
}

/// The explanation of one claim's verdict.
#[derive(Clone, Debug)]
pub struct Because {
    /// The reading it was found in (its rules are those of the model in that reading).
    pub reading: Option<usize>,
    /// Rules that on their own settle the verdict, whatever becomes of every other rule;
    /// none can be left out (empty: the flows alone settle it).
    pub core: Vec<Rule>,
    /// For each rule of `core`, in order: the claim once it is dropped.
    pub counterfactuals: Vec<Counterfactual>,
    /// The fewest rules whose removal together changes the verdict (no smaller set
    /// does): the places the verdict can be undone. Empty when the flows alone settle it.
    pub rules: Vec<Rule>,
    /// Other sets of as many rules whose removal also undoes it (at most
    /// [`UNDOINGS_SHOWN`] sets in all, with `rules`): when several rules each undo it,
    /// naming one would hide the others.
    pub also: Vec<Vec<Rule>>,
    /// The claim's outcome once every rule of `rules` is relaxed (with its scenario).
    pub without: Option<ClaimOutcome>,
}

/// "Without rule R, the claim fails via this path."
#[derive(Clone, Debug)]
pub struct Counterfactual {
    pub rule: Rule,
    /// What else is dropped along with `rule`.
    pub context: Context,
    /// The claim decided in that model: the opposite verdict, with its scenario and path.
    pub outcome: ClaimOutcome,
}

/// The model a counterfactual is decided in, besides dropping its rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Context {
    /// Every other rule as written.
    AsWritten,
    /// Only the other rules of the core kept; everything else dropped too.
    CoreOnly,
    /// These rules dropped too (and every other rule as written).
    AlsoDropped(Vec<Rule>),
}

impl Context {
    /// Every rule dropped in this context, `rule` included.
    pub fn dropped(&self, rule: Rule, core: &[Rule], all: &[Rule]) -> Vec<Rule> {
        match self {
            Context::AsWritten => vec![rule],
            Context::CoreOnly => all
                .iter()
                .copied()
                .filter(|r| *r == rule || !core.contains(r))
                .collect(),
            Context::AlsoDropped(more) => {
                let mut out = more.clone();
                out.push(rule);
                out
            }
        }
    }
}

/// The models a counterfactual of `rule` is tried in, plainest first: every other rule as
/// written; only the rest of the core kept; and the rules off in `values` (each rule's
/// tracker in a scenario that shows `rule` is needed) dropped too.
fn contexts(rule: Rule, values: &[bool], all: &[Rule]) -> [Context; 3] {
    let also_dropped: Vec<Rule> = all
        .iter()
        .zip(values)
        .filter(|(r, on)| !**on && **r != rule)
        .map(|(r, _)| *r)
        .collect();
    [
        Context::AsWritten,
        Context::CoreOnly,
        Context::AlsoDropped(also_dropped),
    ]
}

/// Sets of trackers (indices into `all`) as sets of rules, each in the order of the rules
/// and all of them in that order, not the solver's, so every libz3 shows the same first.
fn in_rule_order(sets: Vec<Vec<usize>>, all: &[Rule]) -> Vec<Vec<Rule>> {
    let mut sets: Vec<Vec<Rule>> = sets
        .into_iter()
        .map(|set| {
            let mut set: Vec<Rule> = set.into_iter().map(|k| all[k]).collect();
            set.sort();
            set
        })
        .collect();
    sets.sort();
    sets
}

/// Every rule that restricts something.
pub fn candidates(model: &Model) -> Vec<Rule> {
    let mut out: Vec<Rule> = (0..model.assumes.len()).map(Rule::Assume).collect();
    out.extend(
        (0..model.flows.len())
            .filter(|i| model.flows[*i].guard.is_some())
            .map(Rule::FlowCondition),
    );
    out.extend(
        (0..model.collects.len())
            .filter(|i| model.collects[*i].guard.is_some())
            .map(Rule::CollectCondition),
    );
    out.extend(
        (0..model.derives.len())
            .filter(|i| model.derives[*i].guard.is_some())
            .map(Rule::DeriveCondition),
    );
    out.extend(
        (0..model.optouts.len())
            .filter(|i| !model.optouts[*i].blocks.is_empty())
            .map(Rule::Optout),
    );
    out
}

/// The model with these rules relaxed.
pub fn relax(model: &Model, rules: &[Rule]) -> Model {
    let mut m = model.clone();
    let mut dropped = Vec::new();
    for r in rules {
        match *r {
            Rule::Assume(i) => dropped.push(i),
            Rule::FlowCondition(i) => m.flows[i].guard = None,
            Rule::CollectCondition(i) => m.collects[i].guard = None,
            Rule::DeriveCondition(i) => m.derives[i].guard = None,
            Rule::Optout(i) => m.optouts[i].blocks.clear(),
        }
    }
    dropped.sort_unstable();
    for i in dropped.into_iter().rev() {
        m.assumes.remove(i);
    }
    m
}

/// The claim decided again on `model` (a relaxation of the one it was stated in).
fn decide(model: Model, claim: usize, options: &Options) -> Result<ClaimOutcome, EngineError> {
    let options = Options {
        claims: vec![model.claims[claim].name.clone()],
        ..options.clone()
    };
    let mut outcomes = solve::verify(&mut Grounded::new(model), &options)?;
    outcomes
        .pop()
        .ok_or_else(|| EngineError::Internal("the claim was not decided".to_owned()))
}

/// The model with every rule of `rules` switched on by its own zero-argument param:
/// a guard `g` becomes `t => g`, an opt-out's condition `g` becomes `t && g` (off: it
/// blocks nothing), an assumption `a` becomes `t => a`. With a tracker false the rule
/// is exactly as [`relax`] leaves it; with it true, exactly as written.
pub fn tracked(model: &Model, rules: &[Rule]) -> (Model, Vec<ParamId>) {
    let mut m = model.clone();
    let mut trackers = Vec::new();
    for (k, rule) in rules.iter().enumerate() {
        let span = rule.info(model).span;
        let id = ParamId::from_index(m.params.len());
        m.params.push(Param {
            name: format!("rule {k} in force"),
            args: Vec::new(),
            optout: None,
            label: None,
            vars: Vec::new(),
            span,
        });
        trackers.push(id);
        let t = Formula {
            kind: FormulaKind::Param(id, Vec::new()),
            span,
        };
        let implies = |g: Option<Formula>| match g {
            None => None,
            Some(g) => Some(Formula {
                span: g.span,
                kind: FormulaKind::Implies(Box::new(t.clone()), Box::new(g)),
            }),
        };
        match *rule {
            Rule::Assume(i) => {
                let a = m.assumes[i].formula.clone();
                m.assumes[i].formula = implies(Some(a)).unwrap_or_else(|| t.clone());
            }
            Rule::FlowCondition(i) => m.flows[i].guard = implies(m.flows[i].guard.take()),
            Rule::CollectCondition(i) => {
                m.collects[i].guard = implies(m.collects[i].guard.take());
            }
            Rule::DeriveCondition(i) => m.derives[i].guard = implies(m.derives[i].guard.take()),
            Rule::Optout(i) => {
                m.optouts[i].guard = Some(match m.optouts[i].guard.take() {
                    None => t.clone(),
                    Some(g) => Formula {
                        span: g.span,
                        kind: FormulaKind::And(Box::new(t.clone()), Box::new(g)),
                    },
                });
            }
        }
    }
    (m, trackers)
}

/// The hops of `path` (a counterfactual's, found with `rule` dropped) that `rule` stops
/// when it stands: a flow or derive whose condition it is, or a flow instance one of the
/// opt-out's clauses names for that path's origin. (An assumption stops no hop: it rules
/// the scenario out.) Indices into `path.steps`.
pub fn stopped_hops(grounded: &Grounded, rule: Rule, path: &crate::verdict::Path) -> Vec<usize> {
    use crate::ground::StepRule;
    let model = &grounded.model;
    path.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| match (rule, s.rule) {
            (Rule::FlowCondition(i), StepRule::Flow(j))
            | (Rule::DeriveCondition(i), StepRule::Derive(j)) => i == j,
            (Rule::Optout(k), StepRule::Flow(_)) => {
                let mut names = false;
                grounded
                    .grounder()
                    .blocked(s.data, s.origin, s.from, s.to)
                    .for_each_param(&mut |i| {
                        names |= grounded
                            .params()
                            .list
                            .get(i)
                            .is_some_and(|(p, _)| *p == model.optouts[k].param);
                    });
                names
            }
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Explains a proved `always` claim or a refuted `possible` claim (its outcome as
/// verified, `original`); `Ok(None)` for the other verdicts (their witness is the
/// explanation).
pub fn because(
    model: &Model,
    original: &ClaimOutcome,
    options: &Options,
) -> Result<Option<Because>, EngineError> {
    let claim = original.claim;
    let settled_verdict = original.verdict.clone();
    let is_witnessless =
        original.witness.is_none() && matches!(settled_verdict, Verdict::Proved | Verdict::Refuted);
    if !is_witnessless {
        return Ok(None);
    }
    let all = candidates(model);
    let (with_trackers, trackers) = tracked(model, &all);
    if options.split {
        let mut grounded = Grounded::new(with_trackers.clone());
        if let Some(explainer) = solve::Explainer::new(&mut grounded, claim, &trackers, options)? {
            return by_parts(model, claim, &settled_verdict, &all, explainer, options).map(Some);
        }
    }
    let settled = |m: Model| -> Result<(bool, ClaimOutcome), EngineError> {
        let o = match decide(m, claim, options) {
            Ok(o) => o,
            // relaxing a rule can leave no scenario at all (an assumption about where
            // data goes, once a condition is gone): nothing can break the claim there
            Err(EngineError::Contradictory { .. }) => {
                return Ok((
                    true,
                    ClaimOutcome {
                        claim,
                        verdict: settled_verdict.clone(),
                        vacuous: None,
                        witness: None,
                        readings: Vec::new(),
                    },
                ));
            }
            Err(e) => return Err(e),
        };
        if let Verdict::Unknown(why) = &o.verdict {
            return Err(EngineError::Internal(format!(
                "the solver gave up while explaining: {why}"
            )));
        }
        Ok((o.verdict == settled_verdict, o))
    };

    // the core: tracked rules, an unsat core, shrunk. Every rule outside it is free to be
    // as written or relaxed, in any combination; an empty core means the flows alone
    // settle the verdict. (Relaxing every rule at once is not enough to show that: a
    // claim that needs data to stay put is helped by an assumption but hurt by relaxing
    // an opt-out, so the all-relaxed model can keep the verdict for another reason.)
    let Some(found) = solve::settled_core(
        &mut Grounded::new(with_trackers.clone()),
        claim,
        &trackers,
        options,
    )?
    else {
        return Err(EngineError::Internal(
            "the claim is not settled once its rules are tracked".to_owned(),
        ));
    };
    if found.core.is_empty() {
        return Ok(Some(Because {
            reading: None,
            core: Vec::new(),
            counterfactuals: Vec::new(),
            rules: Vec::new(),
            also: Vec::new(),
            without: None,
        }));
    }
    let core: Vec<Rule> = found.core.iter().map(|k| all[*k]).collect();
    let mut counterfactuals = Vec::new();
    for (rule, values) in core.iter().zip(&found.without) {
        let mut chosen = None;
        for context in contexts(*rule, values, &all) {
            let dropped = context.dropped(*rule, &core, &all);
            let (same, outcome) = settled(relax(model, &dropped))?;
            if !same {
                chosen = Some((context, outcome));
                break;
            }
        }
        let Some((context, outcome)) = chosen else {
            return Err(EngineError::Internal(
                "the scenario that shows a rule is needed does not replay".to_owned(),
            ));
        };
        counterfactuals.push(Counterfactual {
            rule: *rule,
            context,
            outcome,
        });
    }

    // the fewest rules whose removal together undoes it: the least number of trackers
    // off that leaves a scenario where the claim's answer is the opposite (a minimum,
    // found by counting up), and the other sets of that size; each decided again once
    // its rules are removed
    let fewest = solve::fewest_off(
        &mut Grounded::new(with_trackers),
        claim,
        &trackers,
        UNDOINGS_SHOWN,
        options,
    )?;
    let mut sets = in_rule_order(fewest, &all).into_iter();
    let relaxed = sets.next().unwrap_or_default();
    let (same, without_set) = settled(relax(model, &relaxed))?;
    if same {
        return Err(EngineError::Internal(
            "removing the fewest rules found did not change the verdict when decided again"
                .to_owned(),
        ));
    }
    let mut also = Vec::new();
    for set in sets {
        if settled(relax(model, &set))?.0 {
            return Err(EngineError::Internal(
                "removing another set of the fewest rules did not change the verdict when decided again"
                    .to_owned(),
            ));
        }
        also.push(set);
    }
    Ok(Some(Because {
        reading: None,
        core,
        counterfactuals,
        rules: relaxed,
        also,
        without: Some(without_set),
    }))
}

/// [`because`] in the fast configuration: the same core, counterfactuals and fewest
/// rules, asked part by part (see [`solve::Explainer`]); each counterexample is replayed
/// on the model with its rules relaxed.
fn by_parts(
    model: &Model,
    claim: usize,
    settled: &Verdict,
    all: &[Rule],
    mut explainer: solve::Explainer<'_>,
    options: &Options,
) -> Result<Because, EngineError> {
    let Some(found) = explainer.core()? else {
        return Err(EngineError::Internal(
            "the claim is not settled once its rules are tracked".to_owned(),
        ));
    };
    let core: Vec<Rule> = found.iter().map(|k| all[*k]).collect();
    let mut because = Because {
        reading: None,
        core: core.clone(),
        counterfactuals: Vec::new(),
        rules: Vec::new(),
        also: Vec::new(),
        without: None,
    };
    if core.is_empty() {
        return Ok(because);
    }
    let switched =
        |dropped: &[Rule]| -> Vec<bool> { all.iter().map(|r| !dropped.contains(r)).collect() };
    // the scenarios first, one question after another; then their replays, which need no
    // solver, on every core at once
    let mut replays: Vec<Replay> = Vec::new();
    let mut chosen: Vec<(Rule, Context, Option<ClaimOutcome>)> = Vec::new();
    for (rule, k) in core.iter().zip(&found) {
        let (values, shown) = explainer.without(&found, *k)?;
        let mut pick = None;
        for context in contexts(*rule, &values, all) {
            let dropped = context.dropped(*rule, &core, all);
            match context {
                Context::AsWritten => {
                    if let Some(scenario) = explainer.unsettled(&switched(&dropped))? {
                        replays.push((dropped, scenario));
                        pick = Some((context, None));
                    }
                }
                // rules outside every part are dropped too: decided on the whole
                // relaxed model (dropping them can leave no scenario at all)
                Context::CoreOnly => {
                    let relaxed = relax(model, &dropped);
                    match decide(relaxed, claim, options) {
                        Ok(ClaimOutcome {
                            verdict: Verdict::Unknown(why),
                            ..
                        }) => {
                            return Err(EngineError::Internal(format!(
                                "the solver gave up while explaining: {why}"
                            )));
                        }
                        Ok(o) if o.verdict != *settled => pick = Some((context, Some(o))),
                        Ok(_) | Err(EngineError::Contradictory { .. }) => {}
                        Err(e) => return Err(e),
                    }
                }
                Context::AlsoDropped(_) => {
                    replays.push((dropped, shown.clone()));
                    pick = Some((context, None));
                }
            }
            if pick.is_some() {
                break;
            }
        }
        let Some((context, outcome)) = pick else {
            return Err(EngineError::Internal(
                "the scenario that shows a rule is needed does not replay".to_owned(),
            ));
        };
        chosen.push((*rule, context, outcome));
    }
    // the fewest rules whose removal together undoes it, each set shown undoing it
    let sets = in_rule_order(explainer.fewest_off(UNDOINGS_SHOWN)?, all);
    for set in &sets {
        let Some(scenario) = explainer.unsettled(&switched(set))? else {
            return Err(EngineError::Internal(
                "removing a set of the fewest rules found did not change the verdict when asked again"
                    .to_owned(),
            ));
        };
        replays.push((set.clone(), scenario));
    }
    let mut replayed = replay_all(model, claim, replays, options.routes).into_iter();
    for (rule, context, outcome) in chosen {
        let outcome = match outcome {
            Some(o) => o,
            None => replayed.next().ok_or_else(|| {
                EngineError::Internal("a counterfactual was not replayed".to_owned())
            })??,
        };
        because.counterfactuals.push(Counterfactual {
            rule,
            context,
            outcome,
        });
    }
    // the rest are the sets', in order
    for (n, (set, outcome)) in sets.into_iter().zip(replayed).enumerate() {
        let outcome = outcome?;
        if n == 0 {
            because.rules = set;
            because.without = Some(outcome);
        } else {
            because.also.push(set);
        }
    }
    Ok(because)
}

/// The rules a counterexample drops, and its scenario.
type Replay = (Vec<Rule>, Vec<bool>);

/// [`replayed`] for each of `jobs` (the rules dropped, the scenario), in order, on every
/// core at once: each replay grounds its own relaxed model and needs no solver.
fn replay_all(
    model: &Model,
    claim: usize,
    jobs: Vec<Replay>,
    routes: usize,
) -> Vec<Result<ClaimOutcome, EngineError>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, jobs.len().max(1));
    let mut slots: Vec<Vec<(usize, Replay)>> = vec![Vec::new(); workers];
    for (i, (dropped, scenario)) in jobs.into_iter().enumerate() {
        slots[i % workers].push((i, (dropped, scenario)));
    }
    let count = slots.iter().map(Vec::len).sum();
    let mut done: Vec<Option<Result<ClaimOutcome, EngineError>>> = Vec::new();
    done.resize_with(count, || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = slots
            .into_iter()
            .map(|slot| {
                scope.spawn(move || {
                    slot.into_iter()
                        .map(|(i, (dropped, scenario))| {
                            (i, replayed(model, &dropped, claim, scenario, routes))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            // a worker that did not finish leaves its replays missing: errors below
            for (i, r) in handle.join().unwrap_or_default() {
                done[i] = Some(r);
            }
        }
    });
    done.into_iter()
        .map(|r| {
            r.unwrap_or_else(|| Err(EngineError::Internal("a replay did not finish".to_owned())))
        })
        .collect()
}

/// The claim's opposite answer in `model` with `dropped` relaxed, shown by `scenario`
/// (found on the tracked model: its params beyond the model's are the trackers),
/// replayed on the relaxed model like every witness.
fn replayed(
    model: &Model,
    dropped: &[Rule],
    claim: usize,
    mut scenario: Vec<bool>,
    routes: usize,
) -> Result<ClaimOutcome, EngineError> {
    let mut grounded = Grounded::new(relax(model, dropped));
    scenario.truncate(grounded.params().len());
    let ground = grounded.claim(claim);
    let holds = ground.mode == crate::model::Mode::Possible;
    let witness = crate::witness::replay(&mut grounded, &ground, scenario, holds, routes)?;
    Ok(ClaimOutcome {
        claim,
        verdict: if holds {
            Verdict::Proved
        } else {
            Verdict::Refuted
        },
        vacuous: None,
        witness: Some(witness),
        readings: Vec::new(),
    })
}
