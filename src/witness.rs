//! Witnesses, replayed: a scenario from either engine → the [`Witness`] shown to people.
//! The scenario is evaluated on the ground graph (never trusted from the solver): the
//! assumptions must hold and the claim must come out as the verdict says. Then it is
//! made complete and plain: its true params shrunk to a set that is needed (every other
//! param false, the scenario still admissible and still giving the verdict), and that
//! scenario replayed in turn. The reachability facts the verdict turns on are each
//! explained by a path (and, on request, by several distinct routes), and the instance
//! of the claim's leading quantifier it fails (or holds) for is named.

use std::collections::HashSet;

use crate::ground::{GroundClaim, Grounded, Prop, Slice, StepRule};
use crate::model::{AgencyId, DataId};
use crate::verdict::{EngineError, Path, Step, Witness};

/// Up to this many needed params, every smaller set of them is tried: the set shown is
/// subset-minimal. Beyond it, each was checked alone.
pub const EXHAUSTIVE_NEEDED: usize = 12;

/// Replays a scenario on the ground graph: the assumptions must hold and the claim
/// must evaluate to `expected`. Returns the witness, on the scenario shrunk to the
/// true params it needs, with its paths.
pub fn replay(
    grounded: &mut Grounded,
    claim: &GroundClaim,
    params: Vec<bool>,
    expected: bool,
    route_limit: usize,
) -> Result<Witness, EngineError> {
    let assumptions = std::mem::take(&mut grounded.assumptions);
    let witness = replay_with(grounded, &assumptions, claim, params, expected, route_limit);
    grounded.assumptions = assumptions;
    witness
}

/// How a scenario fares on replay.
#[derive(PartialEq, Eq)]
enum Replayed {
    Gives,
    BreaksAssumption(usize),
    OtherVerdict,
}

/// Replays scenario after scenario of one claim: the reachability of each origin the
/// assumptions and the claim read is kept, and recomputed only for the origins whose
/// slices read a param that changed since the last scenario; likewise the value of
/// each assumption and of each top-level part of the claim is kept, and evaluated
/// again only when a param it reads, or the reachability of an origin it reads,
/// changed.
struct Replayer<'a> {
    assumptions: &'a [Prop],
    expected: bool,
    params: Vec<bool>,
    reach: Reach,
    /// Per param: the origins whose slices read it.
    readers: std::collections::HashMap<usize, Vec<AgencyId>>,
    /// The claim's top-level parts, and whether the claim is their conjunction (else
    /// their disjunction).
    parts: Vec<&'a Prop>,
    conjunctive: bool,
    /// The value of each assumption and of each part in the last scenario.
    assumption_values: Vec<bool>,
    part_values: Vec<bool>,
    /// Per param, and per origin: the assumptions and parts that read it.
    by_param: std::collections::HashMap<usize, (Vec<usize>, Vec<usize>)>,
    by_origin: std::collections::HashMap<AgencyId, (Vec<usize>, Vec<usize>)>,
}

impl<'a> Replayer<'a> {
    fn new(
        grounded: &mut Grounded,
        assumptions: &'a [Prop],
        claim: &'a GroundClaim,
        params: Vec<bool>,
        expected: bool,
    ) -> Self {
        let reach = Reach::compute(grounded, &params, assumptions.iter().chain([&claim.prop]));
        let mut readers: std::collections::HashMap<usize, Vec<AgencyId>> =
            std::collections::HashMap::new();
        for o in reach.by_origin.keys() {
            let slice = grounded.slice(*o);
            let mut read = Vec::new();
            for p in slice.base.iter().chain(slice.edges.iter().map(|e| &e.cond)) {
                p.for_each_param(&mut |i| read.push(i));
            }
            read.sort_unstable();
            read.dedup();
            for i in read {
                readers.entry(i).or_default().push(*o);
            }
        }
        let (parts, conjunctive) = match &claim.prop {
            Prop::And(ps) => (ps.iter().collect(), true),
            Prop::Or(ps) => (ps.iter().collect(), false),
            p => (vec![p], true),
        };
        let mut by_param: std::collections::HashMap<usize, (Vec<usize>, Vec<usize>)> =
            std::collections::HashMap::new();
        let mut by_origin: std::collections::HashMap<AgencyId, (Vec<usize>, Vec<usize>)> =
            std::collections::HashMap::new();
        let mut index = |p: &Prop, k: usize, assumption: bool| {
            let pick = |e: &mut (Vec<usize>, Vec<usize>)| {
                let list = if assumption { &mut e.0 } else { &mut e.1 };
                if list.last() != Some(&k) {
                    list.push(k);
                }
            };
            p.for_each_param(&mut |i| pick(by_param.entry(i).or_default()));
            p.for_each_reach(&mut |_, o, _| pick(by_origin.entry(o).or_default()));
        };
        for (k, a) in assumptions.iter().enumerate() {
            index(a, k, true);
        }
        for (k, p) in parts.iter().enumerate() {
            index(p, k, false);
        }
        let oracle = |d: DataId, o: AgencyId, n: AgencyId| reach.holds(grounded, d, o, n);
        let assumption_values = assumptions
            .iter()
            .map(|a| a.eval(&params, &oracle))
            .collect();
        let part_values = parts.iter().map(|p| p.eval(&params, &oracle)).collect();
        Replayer {
            assumptions,
            expected,
            params,
            reach,
            readers,
            parts,
            conjunctive,
            assumption_values,
            part_values,
            by_param,
            by_origin,
        }
    }

    /// How `params` fares: its reachability brought up to date, then the assumptions and
    /// the claim evaluated (those parts of them that could have changed).
    fn replay(&mut self, grounded: &mut Grounded, params: &[bool]) -> Replayed {
        let mut stale: Vec<AgencyId> = Vec::new();
        let mut changed: Vec<usize> = Vec::new();
        for (i, (old, new)) in self.params.iter().zip(params).enumerate() {
            if old != new {
                changed.push(i);
                if let Some(origins) = self.readers.get(&i) {
                    stale.extend(origins.iter().copied());
                }
            }
        }
        stale.sort_unstable();
        stale.dedup();
        self.params.copy_from_slice(params);
        for o in &stale {
            let how = grounded.slice(*o).reach(params);
            self.reach.by_origin.insert(*o, how);
        }
        let reach = &self.reach;
        let oracle = |d: DataId, o: AgencyId, n: AgencyId| reach.holds(grounded, d, o, n);
        let deps = changed
            .iter()
            .filter_map(|i| self.by_param.get(i))
            .chain(stale.iter().filter_map(|o| self.by_origin.get(o)));
        for (assumptions, parts) in deps {
            for &k in assumptions {
                self.assumption_values[k] = self.assumptions[k].eval(params, &oracle);
            }
            for &k in parts {
                self.part_values[k] = self.parts[k].eval(params, &oracle);
            }
        }
        let broken = self.assumption_values.iter().position(|v| !*v);
        let holds = if self.conjunctive {
            self.part_values.iter().all(|v| *v)
        } else {
            self.part_values.iter().any(|v| *v)
        };
        match broken {
            Some(i) => Replayed::BreaksAssumption(i),
            None if holds == self.expected => Replayed::Gives,
            None => Replayed::OtherVerdict,
        }
    }
}

fn replay_with(
    grounded: &mut Grounded,
    assumptions: &[Prop],
    claim: &GroundClaim,
    params: Vec<bool>,
    expected: bool,
    route_limit: usize,
) -> Result<Witness, EngineError> {
    let mut replayer = Replayer::new(grounded, assumptions, claim, params.clone(), expected);
    match replayer.replay(grounded, &params) {
        Replayed::Gives => {}
        Replayed::BreaksAssumption(i) => {
            return Err(EngineError::Internal(format!(
                "the witness scenario violates assumption {} on replay",
                i + 1
            )));
        }
        Replayed::OtherVerdict => {
            return Err(EngineError::Internal(
                "the witness scenario does not give the claimed verdict on replay".to_owned(),
            ));
        }
    }
    // the true params it needs: the rest false, still admissible, still the verdict
    let count = params.len();
    let on: Vec<usize> = (0..count).filter(|i| params[*i]).collect();
    let only = |set: &[usize]| {
        let mut scenario = vec![false; count];
        for i in set {
            scenario[*i] = true;
        }
        scenario
    };
    // a param an assumption states outright is true in every admissible scenario: it
    // is needed, and the search for a smaller set runs over the others
    let mut stated = Vec::new();
    for a in assumptions {
        stated_params(a, &mut stated);
    }
    let stated: HashSet<usize> = stated.into_iter().collect();
    let (fixed, free): (Vec<usize>, Vec<usize>) = on.into_iter().partition(|i| stated.contains(i));
    let with_fixed = |set: &[usize]| {
        let mut all = fixed.clone();
        all.extend_from_slice(set);
        only(&all)
    };
    let (rest, minimal) =
        crate::minimize::shrink_to_subset_minimal(free, EXHAUSTIVE_NEEDED, |set| {
            Ok::<_, std::convert::Infallible>(
                replayer.replay(grounded, &with_fixed(set)) == Replayed::Gives,
            )
        })
        .unwrap_or_else(|never| match never {});
    let mut needed = fixed.clone();
    needed.extend(rest);
    needed.sort_unstable();
    let params = only(&needed);
    if replayer.replay(grounded, &params) != Replayed::Gives {
        return Err(EngineError::Internal(
            "the scenario of the needed params does not replay".to_owned(),
        ));
    }
    // of those, the ones an assumption needs: made false alone, one breaks (an
    // assumption that states a param outright breaks without it)
    let required: Vec<usize> = needed
        .iter()
        .copied()
        .filter(|p| {
            if stated.contains(p) {
                return true;
            }
            let rest: Vec<usize> = needed.iter().copied().filter(|q| q != p).collect();
            matches!(
                replayer.replay(grounded, &only(&rest)),
                Replayed::BreaksAssumption(_)
            )
        })
        .collect();
    // the reachability of the scenario shown, brought up to date once more
    if replayer.replay(grounded, &params) != Replayed::Gives {
        return Err(EngineError::Internal(
            "the scenario of the needed params does not replay".to_owned(),
        ));
    }
    let mut reach = replayer.reach;
    let instance = instance(grounded, &mut reach, claim.index, &params, expected);
    let oracle = |d: DataId, o: AgencyId, n: AgencyId| reach.holds(grounded, d, o, n);
    let mut why = Reasons::default();
    reasons(&claim.prop, &params, &oracle, &mut why);
    let facts = why.facts;
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    let mut routes = Vec::new();
    for fact in facts {
        if !seen.insert(fact.clone()) {
            continue;
        }
        if let Some(path) = reach.path(grounded, &params, &fact) {
            routes.push(if route_limit > 1 {
                distinct_routes(
                    &path,
                    reach.routes(grounded, &params, &fact, route_limit),
                    route_limit,
                )
            } else {
                Vec::new()
            });
            paths.push(path);
        }
    }
    Ok(Witness {
        params,
        needed,
        minimal,
        required,
        instance,
        paths,
        routes,
    })
}

/// The params `p` states outright: the ones a conjunction at its top makes true.
fn stated_params(p: &Prop, out: &mut Vec<usize>) {
    match p {
        Prop::Param(i) => out.push(*i),
        Prop::And(parts) => parts.iter().for_each(|q| stated_params(q, out)),
        _ => {}
    }
}

/// The assignment of the claim's leading quantifier that the scenario shows: the first
/// instance that is false (a counterexample to an `always` claim) or true (a witness of
/// a `possible` one). Empty when the claim starts with no such quantifier.
fn instance(
    grounded: &mut Grounded,
    reach: &mut Reach,
    claim: usize,
    params: &[bool],
    expected: bool,
) -> Vec<(crate::model::VarId, AgencyId)> {
    // the claim's origins are those of its instances, so their reachability is known:
    // each instance is ground and judged in turn, up to the first that shows it
    let mut found: Option<Vec<AgencyId>> = None;
    let mut missing: Vec<AgencyId> = Vec::new();
    let vars = {
        let g: &Grounded = grounded;
        let known: &Reach = reach;
        g.claim_instances(claim, &mut |agencies, prop| {
            prop.for_each_reach(&mut |_, o, _| {
                if !known.by_origin.contains_key(&o) {
                    missing.push(o);
                }
            });
            if !missing.is_empty() {
                return false;
            }
            let oracle = |d: DataId, o: AgencyId, n: AgencyId| known.holds(g, d, o, n);
            if prop.eval(params, &oracle) == expected {
                found = Some(agencies.to_vec());
                return false;
            }
            true
        })
    };
    if !missing.is_empty() {
        // not expected: fill in what is missing and judge again
        for o in missing {
            let how = grounded.slice(o).reach(params);
            reach.by_origin.insert(o, how);
        }
        return instance(grounded, reach, claim, params, expected);
    }
    match found {
        Some(agencies) => vars.into_iter().zip(agencies).collect(),
        None => Vec::new(),
    }
}

/// The path first, then the other routes that differ from it and from each other as
/// paths (the agencies and data passed through, whatever the rule), shortest first; at
/// most `limit` in all.
fn distinct_routes(path: &Path, found: Vec<Path>, limit: usize) -> Vec<Path> {
    let mut out = vec![path.clone()];
    for route in found {
        if out.len() >= limit {
            break;
        }
        if !out.iter().any(|r| r.same_way(&route)) {
            out.push(route);
        }
    }
    out.sort_by_key(|r| r.steps.len());
    out
}

/// What decides a claim's value in a scenario.
#[derive(Default)]
struct Reasons {
    /// True reachability facts, each to be explained by a path.
    facts: Vec<Fact>,
    /// Params in the deciding parts.
    params: Vec<usize>,
    /// Origins whose reachability the deciding parts read (true or false).
    origins: Vec<AgencyId>,
}

/// A reachability fact (or a `flows` fact: reached `at`, then moved to `then`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Fact {
    data: DataId,
    origin: AgencyId,
    at: AgencyId,
    then: Option<AgencyId>,
}

/// The parts of `p` that make it evaluate as it does: every conjunct of a conjunction
/// that holds, one false conjunct of one that fails, and dually for disjunctions.
fn reasons(
    p: &Prop,
    params: &[bool],
    oracle: &dyn Fn(DataId, AgencyId, AgencyId) -> bool,
    out: &mut Reasons,
) {
    let value = p.eval(params, oracle);
    match p {
        Prop::Param(i) => out.params.push(*i),
        Prop::Reach(d, o, n) => {
            out.origins.push(*o);
            if value {
                out.facts.push(Fact {
                    data: *d,
                    origin: *o,
                    at: *n,
                    then: None,
                });
            }
        }
        Prop::Flows {
            data,
            origin,
            from,
            to,
            cond,
        } => {
            out.origins.push(*origin);
            cond.for_each_param(&mut |i| out.params.push(i));
            if value {
                out.facts.push(Fact {
                    data: *data,
                    origin: *origin,
                    at: *from,
                    then: Some(*to),
                });
            }
        }
        Prop::Not(q) => reasons(q, params, oracle, out),
        Prop::And(ps) | Prop::Or(ps) => {
            let all = matches!(p, Prop::And(_)) == value;
            if all {
                ps.iter().for_each(|q| reasons(q, params, oracle, out));
            } else if let Some(q) = ps.iter().find(|q| q.eval(params, oracle) == value) {
                reasons(q, params, oracle, out);
            }
        }
        Prop::Iff(a, b) => {
            reasons(a, params, oracle, out);
            reasons(b, params, oracle, out);
        }
        Prop::True | Prop::False => {}
    }
}

/// Concrete reachability for the origins a set of formulas mentions.
/// The reachability of every origin some formulas read, in one scenario.
pub(crate) struct Reach {
    by_origin: std::collections::HashMap<AgencyId, Vec<Option<Option<usize>>>>,
}

impl Reach {
    pub(crate) fn compute<'p>(
        grounded: &mut Grounded,
        params: &[bool],
        props: impl Iterator<Item = &'p Prop>,
    ) -> Reach {
        let mut origins = Vec::new();
        for p in props {
            p.for_each_reach(&mut |_, o, _| origins.push(o));
        }
        let mut by_origin = std::collections::HashMap::new();
        for o in origins {
            by_origin
                .entry(o)
                .or_insert_with(|| grounded.slice(o).reach(params));
        }
        Reach { by_origin }
    }

    /// Whether data `d` of origin `o` gets to `n` (false for an origin not computed).
    pub(crate) fn holds(&self, grounded: &Grounded, d: DataId, o: AgencyId, n: AgencyId) -> bool {
        let (Some(how), Some(slice)) = (self.by_origin.get(&o), grounded.peek_slice(o)) else {
            return false;
        };
        slice
            .index
            .get(&(d, n))
            .is_some_and(|node| how[*node].is_some())
    }

    fn path(&self, grounded: &mut Grounded, params: &[bool], fact: &Fact) -> Option<Path> {
        let how = self.by_origin.get(&fact.origin)?;
        let edges = grounded.slice(fact.origin).path(how, fact.data, fact.at)?;
        build_path(grounded, params, fact, &edges)
    }

    /// Up to `limit` distinct routes for a fact, shortest first.
    fn routes(
        &self,
        grounded: &mut Grounded,
        params: &[bool],
        fact: &Fact,
        limit: usize,
    ) -> Vec<Path> {
        let found = grounded
            .slice(fact.origin)
            .routes(params, fact.data, fact.at, limit);
        found
            .iter()
            .filter_map(|edges| build_path(grounded, params, fact, edges))
            .collect()
    }
}

/// Ground params with their values in a scenario.
type Values = Vec<(usize, bool)>;

/// What a hop's condition reads, each param with its value in the scenario: the params
/// of its rule's `when`, and those of the opt-outs that could block it (their params and
/// conditions). A param read by both is shown with the opt-outs.
fn condition(
    grounded: &Grounded,
    cond: &Prop,
    step: (DataId, AgencyId, AgencyId, AgencyId),
    rule: StepRule,
    params: &[bool],
) -> (Values, Values) {
    let mut read = Vec::new();
    cond.for_each_param(&mut |i| read.push(i));
    read.sort_unstable();
    read.dedup();
    let mut blocking = Vec::new();
    if let StepRule::Flow(_) = rule {
        let (data, origin, from, to) = step;
        grounded
            .grounder()
            .blocked(data, origin, from, to)
            .for_each_param(&mut |i| blocking.push(i));
    }
    blocking.sort_unstable();
    blocking.dedup();
    let with_value = |i: usize| (i, params.get(i).copied().unwrap_or(false));
    // the `when`'s params: those of the condition outside the blocking part
    let guard: Values = read
        .iter()
        .copied()
        .filter(|i| blocking.binary_search(i).is_err())
        .map(with_value)
        .collect();
    let blocking = blocking
        .into_iter()
        .filter(|i| read.binary_search(i).is_ok())
        .map(with_value)
        .collect();
    (guard, blocking)
}

/// A fact's path along the given slice edges (and, for a `flows` fact, its last hop).
fn build_path(grounded: &Grounded, params: &[bool], fact: &Fact, edges: &[usize]) -> Option<Path> {
    let slice: &Slice = grounded.peek_slice(fact.origin)?;
    {
        let mut steps: Vec<Step> = edges
            .iter()
            .map(|e| {
                let edge = &slice.edges[*e];
                let (d0, x) = slice.nodes[edge.from];
                let (d1, y) = slice.nodes[edge.to];
                let (condition, blocking) = condition(
                    grounded,
                    &edge.cond,
                    (d1, fact.origin, x, y),
                    edge.rule,
                    params,
                );
                Step {
                    data: d1,
                    origin: fact.origin,
                    from: x,
                    to: y,
                    rule: edge.rule,
                    derived_from: (d0 != d1).then_some(d0),
                    condition,
                    blocking,
                }
            })
            .collect();
        let mut at = fact.at;
        if let Some(then) = fact.then {
            // the enabled, unblocked flow instance of the `flows` fact
            let from = slice.index.get(&(fact.data, fact.at))?;
            let no_reach = |_: DataId, _: AgencyId, _: AgencyId| false;
            let edge = slice.edges.iter().find(|e| {
                e.from == *from
                    && slice.nodes[e.to] == (fact.data, then)
                    && matches!(e.rule, StepRule::Flow(_))
                    && e.cond.eval(params, &no_reach)
            });
            if let Some(edge) = edge {
                let (condition, blocking) = condition(
                    grounded,
                    &edge.cond,
                    (fact.data, fact.origin, fact.at, then),
                    edge.rule,
                    params,
                );
                steps.push(Step {
                    data: fact.data,
                    origin: fact.origin,
                    from: fact.at,
                    to: then,
                    rule: edge.rule,
                    derived_from: None,
                    condition,
                    blocking,
                });
                at = then;
            }
        }
        Some(Path {
            data: fact.data,
            origin: fact.origin,
            at,
            steps,
        })
    }
}
