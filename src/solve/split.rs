//! Deciding a claim part by part: the fast path of [`super::verify`].
//!
//! An `always` claim is the conjunction of its top-level parts (one per instance of its
//! outer `forall`, one per conjunct), and holds iff every part holds in every
//! admissible scenario; a `possible` claim is the disjunction of its parts, and holds
//! iff some part holds in some admissible scenario. Each part is one small solver
//! question that carries only what can affect it, its *cone*:
//!
//! - the slices of the origins it reads, and the params of their conditions;
//! - the assumption conjuncts that share a param (or an origin) with those, closed
//!   under the same rule.
//!
//! The assumptions outside the cone share no variable with it, and are satisfiable on
//! their own (the whole set is checked once), so leaving them out changes no answer; a
//! scenario found for the part is completed with a scenario of all the assumptions, and
//! replayed on the ground graph like every witness.
//!
//! Parts whose questions are the same up to renaming of agencies and params (the
//! counties of a state, or of every state alike) are asked once: each question is
//! written out in a canonical form — the goal, every slice it reads and every
//! assumption conjunct of its cone, with agencies and params numbered by first
//! occurrence — and a form already found unsatisfiable is not asked again.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt::Write;

use z3::{SatResult, Solver};

use super::Options;
use super::encode::Encoder;
use super::session::{describe_unknown, limited_solver};
use crate::ground::{GroundClaim, Grounded, Prop};
use crate::model::{AgencyId, Mode};
use crate::verdict::{ClaimOutcome, EngineError, Vacuity, Verdict};

/// The top-level parts of a claim: conjuncts for `always`, disjuncts for `possible`.
/// A disjunction with one conjunction among its members is a conjunction too, and is
/// split as one (`x || (b1 && b2)` is `(x || b1) && (x || b2)`: an implication whose
/// conclusion is a `forall`), and dually for `possible`; only one member is distributed
/// over, so the parts grow no more than the claim times the number of parts.
pub(super) fn parts(prop: &Prop, conjunctive: bool) -> Vec<Prop> {
    let mut out = Vec::new();
    collect_parts(prop, conjunctive, &mut out);
    out
}

fn collect_parts(prop: &Prop, conjunctive: bool, out: &mut Vec<Prop>) {
    let splits = |p: &Prop| {
        matches!(
            (p, conjunctive),
            (Prop::And(_), true) | (Prop::Or(_), false)
        )
    };
    match (prop, conjunctive) {
        (Prop::And(ps), true) | (Prop::Or(ps), false) => {
            for q in ps {
                collect_parts(q, conjunctive, out);
            }
        }
        (Prop::Or(ps), true) | (Prop::And(ps), false)
            if ps.iter().filter(|q| splits(q)).count() == 1 =>
        {
            let at = ps.iter().position(splits).unwrap_or_default();
            let (Prop::And(inner) | Prop::Or(inner)) = &ps[at] else {
                out.push(prop.clone());
                return;
            };
            for b in inner {
                let members = ps
                    .iter()
                    .enumerate()
                    .map(|(i, q)| if i == at { b.clone() } else { q.clone() });
                let part = if conjunctive {
                    Prop::or(members)
                } else {
                    Prop::and(members)
                };
                collect_parts(&part, conjunctive, out);
            }
        }
        _ => out.push(prop.clone()),
    }
}

/// Leaves of nested conjunctions.
fn conjuncts(p: &Prop, out: &mut Vec<Prop>) {
    match p {
        Prop::And(ps) => ps.iter().for_each(|q| conjuncts(q, out)),
        Prop::True => {}
        p => out.push(p.clone()),
    }
}

/// An agency or a param a slice's shape refers to.
#[derive(Clone, Copy)]
enum Ext {
    Agency(AgencyId),
    Param(usize),
}

/// What one part's question found.
pub(super) enum Answer {
    Unsat,
    /// The value of every ground param in a scenario where the goal holds.
    Sat(Vec<bool>),
    Unknown(String),
}

/// One question's cone, written out canonically as it is discovered.
#[derive(Default)]
struct Canon {
    text: String,
    agencies: HashMap<AgencyId, usize>,
    params: HashMap<usize, usize>,
    /// Params in order of discovery, not yet followed to their conjuncts.
    param_queue: Vec<usize>,
    /// Origins in order of discovery, not yet written out.
    origin_queue: Vec<AgencyId>,
    origins: HashSet<AgencyId>,
    conjuncts: Vec<usize>,
    taken: HashSet<usize>,
}

impl Canon {
    fn agency(&mut self, a: AgencyId) -> usize {
        let next = self.agencies.len();
        *self.agencies.entry(a).or_insert(next)
    }

    fn origin(&mut self, o: AgencyId) -> usize {
        if self.origins.insert(o) {
            self.origin_queue.push(o);
        }
        self.agency(o)
    }

    fn param(&mut self, p: usize) -> usize {
        let next = self.params.len();
        *self.params.entry(p).or_insert_with(|| {
            self.param_queue.push(p);
            next
        })
    }

    fn prop(&mut self, p: &Prop) {
        match p {
            Prop::True => self.text.push('T'),
            Prop::False => self.text.push('F'),
            Prop::Param(i) => {
                let i = self.param(*i);
                let _ = write!(self.text, "p{i}");
            }
            Prop::Reach(d, o, n) => {
                let o = self.origin(*o);
                let n = self.agency(*n);
                let _ = write!(self.text, "r{}.{o}.{n}", d.0);
            }
            Prop::Flows {
                data,
                origin,
                from,
                to,
                cond,
            } => {
                let o = self.origin(*origin);
                let f = self.agency(*from);
                let t = self.agency(*to);
                let _ = write!(self.text, "f{}.{o}.{f}.{t}(", data.0);
                self.prop(cond);
                self.text.push(')');
            }
            Prop::Not(q) => {
                self.text.push('!');
                self.prop(q);
            }
            Prop::And(ps) | Prop::Or(ps) => {
                self.text
                    .push(if matches!(p, Prop::And(_)) { '&' } else { '|' });
                self.text.push('(');
                for q in ps {
                    self.prop(q);
                    self.text.push(',');
                }
                self.text.push(')');
            }
            Prop::Iff(a, b) => {
                self.text.push_str("=(");
                self.prop(a);
                self.text.push(',');
                self.prop(b);
                self.text.push(')');
            }
        }
    }
}

/// The fast path's state for one model.
pub(super) struct Splitter<'s> {
    grounded: &'s mut Grounded,
    /// The assumptions' conjuncts.
    conjuncts: Vec<Prop>,
    by_param: HashMap<usize, Vec<usize>>,
    by_origin: HashMap<AgencyId, Vec<usize>>,
    /// Params that an assumption conjunct fixes on its own (`p`, `!p`).
    fixed: HashMap<usize, bool>,
    /// A scenario that satisfies every assumption.
    base: Vec<bool>,
    solver: Solver,
    limits: (Option<u32>, Option<u32>),
    /// Canonical questions already found unsatisfiable, and satisfiable.
    unsat: HashSet<String>,
    sat: HashSet<String>,
    /// Per canonical question: the fewest of its trackers off that make it satisfiable
    /// (see [`Splitter::fewest_off`]), in the question's numbering.
    fewest: HashMap<String, Option<Vec<Vec<usize>>>>,
    /// Per origin with a large slice: a solver with the slice defined, and its encoder.
    dedicated: HashMap<AgencyId, (Solver, Encoder)>,
    own_solver_nodes: usize,
    /// Per origin: its slice's shape (see [`Splitter::shape`]).
    shapes: HashMap<AgencyId, (usize, std::rc::Rc<Vec<Ext>>)>,
    shape_ids: HashMap<String, usize>,
    reuse: bool,
    propagate: bool,
    bdd: bool,
    /// Questions decided by diagrams instead of the solver.
    pub by_bdd: usize,
    /// How many questions were asked, and how many were answered from `unsat`.
    pub asked: usize,
    pub reused: usize,
    /// Questions the assumptions' fixed params settled without the solver.
    pub settled: usize,
}

impl<'s> Splitter<'s> {
    pub(super) fn new(grounded: &'s mut Grounded, base: Vec<bool>, options: &Options) -> Self {
        let mut list = Vec::new();
        for a in &grounded.assumptions {
            conjuncts(a, &mut list);
        }
        let mut by_param: HashMap<usize, Vec<usize>> = HashMap::default();
        let mut by_origin: HashMap<AgencyId, Vec<usize>> = HashMap::default();
        for (k, c) in list.iter().enumerate() {
            let mut ps = Vec::new();
            c.for_each_param(&mut |p| ps.push(p));
            let mut os = Vec::new();
            c.for_each_reach(&mut |_, o, _| os.push(o));
            os.sort_unstable();
            os.dedup();
            for o in &os {
                by_origin.entry(*o).or_default().push(k);
                // a conjunct about reachability constrains the params of its slice too:
                // a question that reads one of them must carry it
                let slice = grounded.slice(*o);
                for p in slice.base.iter().chain(slice.edges.iter().map(|e| &e.cond)) {
                    p.for_each_param(&mut |i| ps.push(i));
                }
            }
            ps.sort_unstable();
            ps.dedup();
            for p in ps {
                by_param.entry(p).or_default().push(k);
            }
        }
        let mut fixed = HashMap::default();
        for c in &list {
            match c {
                Prop::Param(i) => {
                    fixed.insert(*i, true);
                }
                Prop::Not(inner) => {
                    if let Prop::Param(i) = **inner {
                        fixed.insert(i, false);
                    }
                }
                _ => {}
            }
        }
        let solver = limited_solver((options.timeout_ms, options.rlimit));
        Splitter {
            grounded,
            conjuncts: list,
            by_param,
            by_origin,
            fixed,
            base,
            solver,
            limits: (options.timeout_ms, options.rlimit),
            unsat: HashSet::default(),
            sat: HashSet::default(),
            fewest: HashMap::default(),
            dedicated: HashMap::default(),
            own_solver_nodes: options.own_solver_nodes,
            shapes: HashMap::default(),
            shape_ids: HashMap::default(),
            reuse: options.reuse,
            propagate: options.propagate,
            bdd: options.bdd,
            by_bdd: 0,
            asked: 0,
            reused: 0,
            settled: 0,
        }
    }

    /// The canonical text of the question "is `goal` satisfiable with the assumptions",
    /// the assumption conjuncts of its cone, and every param of the cone with its
    /// number in the text.
    fn canon(&mut self, goal: &Prop) -> (String, Vec<usize>, HashMap<usize, usize>) {
        let mut c = Canon::default();
        c.prop(goal);
        loop {
            if let Some(o) = c.origin_queue.first().copied() {
                c.origin_queue.remove(0);
                let at = c.agency(o);
                let (shape, ext) = self.shape(o);
                let _ = write!(c.text, "\nS{at}={shape}[");
                for x in ext.iter() {
                    match x {
                        Ext::Agency(a) => {
                            let a = c.agency(*a);
                            let _ = write!(c.text, "a{a},");
                        }
                        Ext::Param(p) => {
                            let p = c.param(*p);
                            let _ = write!(c.text, "p{p},");
                        }
                    }
                }
                c.text.push(']');
                for k in self.by_origin.get(&o).cloned().unwrap_or_default() {
                    self.take(&mut c, k);
                }
                continue;
            }
            if !c.param_queue.is_empty() {
                let p = c.param_queue.remove(0);
                for k in self.by_param.get(&p).cloned().unwrap_or_default() {
                    self.take(&mut c, k);
                }
                continue;
            }
            break;
        }
        (c.text, c.conjuncts, c.params)
    }

    /// The shape of an origin's slice: its canonical text with agencies and params
    /// numbered by first occurrence within the slice (interned as a number), and those
    /// agencies and params in that order.
    fn shape(&mut self, o: AgencyId) -> (usize, std::rc::Rc<Vec<Ext>>) {
        if let Some((id, ext)) = self.shapes.get(&o) {
            return (*id, ext.clone());
        }
        let mut c = Canon::default();
        let slice = self.grounded.slice(o);
        let mut components: HashMap<usize, usize> = HashMap::default();
        for (v, (d, a)) in slice.nodes.iter().enumerate() {
            let a = c.agency(*a);
            let next = components.len();
            let comp = *components.entry(slice.component[v]).or_insert(next);
            let _ = write!(
                c.text,
                "n{}.{a}.{comp}{}(",
                d.0,
                if slice.cyclic[v] { "c" } else { "" }
            );
            c.prop(&slice.base[v]);
            c.text.push(')');
        }
        for e in &slice.edges {
            let _ = write!(c.text, "e{}>{}(", e.from, e.to);
            c.prop(&e.cond);
            c.text.push(')');
        }
        // the slice's own numbering, in order, as the question will rename it
        let mut ext: Vec<(usize, Ext)> = c
            .agencies
            .iter()
            .map(|(a, i)| (*i, Ext::Agency(*a)))
            .collect();
        let agencies = ext.len();
        ext.extend(
            c.params
                .iter()
                .map(|(p, i)| (agencies + *i, Ext::Param(*p))),
        );
        ext.sort_by_key(|(i, _)| *i);
        let ext = std::rc::Rc::new(ext.into_iter().map(|(_, x)| x).collect::<Vec<_>>());
        let next = self.shape_ids.len();
        let id = *self.shape_ids.entry(c.text).or_insert(next);
        self.shapes.insert(o, (id, ext.clone()));
        (id, ext)
    }

    fn take(&self, c: &mut Canon, k: usize) {
        if c.taken.insert(k) {
            c.conjuncts.push(k);
            c.text.push_str("\nA");
            c.prop(&self.conjuncts[k]);
        }
    }

    /// Builds the slices of these origins that are not built yet, on every core.
    pub(super) fn prebuild(&mut self, origins: &[AgencyId]) {
        self.grounded.prebuild(origins);
    }

    /// `p` with the params the assumptions fix replaced by their values (unchanged when
    /// that optimisation is off).
    pub(super) fn simplify(&self, p: &Prop) -> Prop {
        if self.propagate {
            self.substitute(p)
        } else {
            p.clone()
        }
    }

    fn substitute(&self, p: &Prop) -> Prop {
        match p {
            Prop::Param(i) => match self.fixed.get(i) {
                Some(true) => Prop::True,
                Some(false) => Prop::False,
                None => p.clone(),
            },
            Prop::True | Prop::False | Prop::Reach(..) => p.clone(),
            Prop::Flows {
                data,
                origin,
                from,
                to,
                cond,
            } => match self.substitute(cond) {
                Prop::False => Prop::False,
                cond => Prop::Flows {
                    data: *data,
                    origin: *origin,
                    from: *from,
                    to: *to,
                    cond: Box::new(cond),
                },
            },
            Prop::Not(q) => Prop::negate(self.substitute(q)),
            Prop::And(ps) => Prop::and(ps.iter().map(|q| self.substitute(q))),
            Prop::Or(ps) => Prop::or(ps.iter().map(|q| self.substitute(q))),
            Prop::Iff(a, b) => match (self.substitute(a), self.substitute(b)) {
                (Prop::True, x) | (x, Prop::True) => x,
                (Prop::False, x) | (x, Prop::False) => Prop::negate(x),
                (a, b) => Prop::Iff(Box::new(a), Box::new(b)),
            },
        }
    }

    /// Whether an assumption conjunct fixes param `p` on its own (`p`, `!p`).
    pub(super) fn fixes(&self, p: usize) -> bool {
        self.fixed.contains_key(&p)
    }

    /// The model, ground.
    pub(super) fn grounded(&self) -> &Grounded {
        self.grounded
    }

    /// Is `goal` satisfiable together with the assumptions?
    pub(super) fn ask(&mut self, goal: &Prop) -> Answer {
        // a param an assumption fixes has that value in every admissible scenario
        let goal = &self.simplify(goal);
        match goal {
            Prop::False => {
                self.settled += 1;
                return Answer::Unsat;
            }
            Prop::True => {
                self.settled += 1;
                return Answer::Sat(self.base.clone());
            }
            _ => {}
        }
        let (key, cone, cone_params) = self.canon(goal);
        self.answer(goal, key, &cone, &cone_params)
    }

    /// [`Splitter::ask`] once `goal` is simplified and written out canonically (`key`),
    /// with its cone's assumption conjuncts and params.
    fn answer(
        &mut self,
        goal: &Prop,
        key: String,
        cone: &[usize],
        cone_params: &HashMap<usize, usize>,
    ) -> Answer {
        if self.reuse && self.unsat.contains(&key) {
            self.reused += 1;
            return Answer::Unsat;
        }
        self.asked += 1;
        if let Some(mb) = super::session::memory_cap_hit() {
            return Answer::Unknown(format!(
                "the memory limit of {mb} MB (--max-memory) was reached"
            ));
        }
        if self.bdd {
            let cone_props: Vec<&Prop> = cone.iter().map(|k| &self.conjuncts[*k]).collect();
            match super::bdd::decide(self.grounded, goal, &cone_props) {
                Some(super::bdd::Found::Unsat) => {
                    self.by_bdd += 1;
                    if self.reuse {
                        self.unsat.insert(key);
                    }
                    return Answer::Unsat;
                }
                // the scenario takes the question's values on the cone's params, as the
                // solver's does; a value outside the cone is left to the solver
                Some(super::bdd::Found::Sat(values))
                    if values.iter().all(|(p, _)| cone_params.contains_key(p)) =>
                {
                    self.by_bdd += 1;
                    if self.reuse {
                        self.sat.insert(key);
                    }
                    let mut scenario = self.base.clone();
                    for (p, v) in values {
                        scenario[p] = v;
                    }
                    return Answer::Sat(scenario);
                }
                _ => {}
            }
        }
        let base = self.base.clone();
        let limits = self.limits;
        let answer = self.with_question(
            goal,
            cone,
            |solver, encoder| match solver.check() {
                SatResult::Unsat => Answer::Unsat,
                SatResult::Sat => {
                    // only the cone's params take the question's values: a solver of its
                    // own also knows params of earlier questions, which this one leaves free
                    let mut scenario = base;
                    encoder.read_scenario(solver, &mut scenario, |i| cone_params.contains_key(&i));
                    Answer::Sat(scenario)
                }
                SatResult::Unknown => Answer::Unknown(describe_unknown(
                    solver.get_reason_unknown().unwrap_or_default(),
                    limits,
                )),
            },
            |a| matches!(a, Answer::Unknown(_)),
        );
        if self.reuse {
            match answer {
                Answer::Unsat => {
                    self.unsat.insert(key);
                }
                Answer::Sat(_) => {
                    self.sat.insert(key);
                }
                Answer::Unknown(_) => {}
            }
        }
        answer
    }

    /// Is `goal` satisfiable together with the assumptions? Like [`Splitter::ask`] when
    /// no scenario is wanted: an answer found before for the same question up to
    /// renaming is reused, satisfiable or not. `Err`: why the solver gave up.
    pub(super) fn satisfiable(&mut self, goal: &Prop) -> Result<bool, String> {
        let simple = self.simplify(goal);
        let answer = match simple {
            Prop::True | Prop::False => self.ask(&simple),
            _ => {
                let (key, cone, cone_params) = self.canon(&simple);
                if self.reuse && self.sat.contains(&key) {
                    self.reused += 1;
                    return Ok(true);
                }
                self.answer(&simple, key, &cone, &cone_params)
            }
        };
        match answer {
            Answer::Unsat => Ok(false),
            Answer::Sat(_) => Ok(true),
            Answer::Unknown(why) => Err(why),
        }
    }

    /// The ground params of `goal`'s cone (its question's variables).
    pub(super) fn cone_params(&mut self, goal: &Prop) -> HashSet<usize> {
        let simple = self.simplify(goal);
        self.canon(&simple).2.into_keys().collect()
    }

    /// For `goal` and some params of its cone that each switch a rule on (trackers): the
    /// sets of fewest of them that, off with the others on, make `goal` satisfiable with
    /// the assumptions, at most `limit` of them, all of one size (the least: every
    /// smaller number is tried first). `Ok(None)`: no number does. Trackers outside the
    /// cone are ignored. Reused for a question the same up to renaming.
    ///
    /// Question per `k`: is `goal` satisfiable with at most `k` trackers off? Once a set
    /// is found it is excluded (one of its trackers stays on) and the question asked
    /// again, for the other sets of that size.
    pub(super) fn fewest_off(
        &mut self,
        goal: &Prop,
        trackers: &[usize],
        limit: usize,
    ) -> Result<Option<Vec<Vec<usize>>>, String> {
        let goal = &self.simplify(goal);
        let (key, cone, numbers) = self.canon(goal);
        let mut mine: Vec<(usize, usize)> = trackers
            .iter()
            .filter_map(|t| numbers.get(t).map(|n| (*n, *t)))
            .collect();
        mine.sort_unstable();
        let key = format!(
            "{key}\nfewest {limit}:{mine:?}",
            mine = mine.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        let ground: HashMap<usize, usize> = mine.iter().copied().collect();
        if let Some(found) = self.fewest.get(&key) {
            self.reused += 1;
            return Ok(found.as_ref().map(|sets| {
                sets.iter()
                    .map(|set| set.iter().map(|n| ground[n]).collect())
                    .collect()
            }));
        }
        if let Some(mb) = super::session::memory_cap_hit() {
            return Err(format!(
                "the memory limit of {mb} MB (--max-memory) was reached"
            ));
        }
        self.asked += 1;
        let limits = self.limits;
        let found = self.with_question(
            goal,
            &cone,
            |solver, encoder| {
                let literals: Vec<(usize, z3::ast::Bool)> =
                    mine.iter().map(|(n, t)| (*n, encoder.param(*t))).collect();
                let gave_up = |solver: &Solver| {
                    describe_unknown(solver.get_reason_unknown().unwrap_or_default(), limits)
                };
                // with the trackers free: if even then no scenario, no number of them does
                match solver.check() {
                    SatResult::Unsat => return Ok(None),
                    SatResult::Unknown => return Err(gave_up(solver)),
                    SatResult::Sat => {}
                }
                let off: Vec<z3::ast::Bool> = literals.iter().map(|(_, l)| l.not()).collect();
                for k in 1..=literals.len() {
                    solver.push();
                    solver.assert(z3::ast::atmost(
                        off.iter(),
                        u32::try_from(k).unwrap_or(u32::MAX),
                    ));
                    let mut sets: Vec<Vec<usize>> = Vec::new();
                    while sets.len() < limit {
                        match solver.check() {
                            SatResult::Unsat => break,
                            SatResult::Unknown => {
                                solver.pop(1);
                                return Err(gave_up(solver));
                            }
                            SatResult::Sat => {
                                let Some(m) = solver.get_model() else {
                                    solver.pop(1);
                                    return Err(gave_up(solver));
                                };
                                let set: Vec<usize> = literals
                                    .iter()
                                    .filter(|(_, l)| {
                                        !m.eval(l, true).and_then(|b| b.as_bool()).unwrap_or(true)
                                    })
                                    .map(|(n, _)| *n)
                                    .collect();
                                // another set of this size: one of these stays on
                                let kept: Vec<&z3::ast::Bool> = literals
                                    .iter()
                                    .filter(|(n, _)| set.contains(n))
                                    .map(|(_, l)| l)
                                    .collect();
                                solver.assert(z3::ast::Bool::or(&kept));
                                sets.push(set);
                            }
                        }
                    }
                    solver.pop(1);
                    if !sets.is_empty() {
                        return Ok(Some(sets));
                    }
                }
                Ok(None)
            },
            Result::is_err,
        )?;
        let ground_sets = found.as_ref().map(|sets: &Vec<Vec<usize>>| {
            sets.iter()
                .map(|set| set.iter().map(|n| ground[n]).collect())
                .collect()
        });
        self.fewest.insert(key, found);
        Ok(ground_sets)
    }

    /// Encodes `goal` with the assumption conjuncts `cone` in a solver scope and runs
    /// `f` on it: a question about one large slice in a solver of its own that keeps the
    /// slice defined, any other in the shared solver.
    fn with_question<T>(
        &mut self,
        goal: &Prop,
        cone: &[usize],
        f: impl FnOnce(&Solver, &mut Encoder) -> T,
        gave_up: impl Fn(&T) -> bool,
    ) -> T {
        let mut origins = Vec::new();
        goal.for_each_reach(&mut |_, o, _| origins.push(o));
        for k in cone {
            self.conjuncts[*k].for_each_reach(&mut |_, o, _| origins.push(o));
        }
        origins.sort_unstable();
        origins.dedup();
        // a question about one large slice goes to a solver of its own that defined the
        // slice once: re-encoding it for every question would cost more than it saves,
        // and keeping it in the shared solver would slow every other question down
        let own = match origins.as_slice() {
            [o] if self.grounded.slice(*o).nodes.len() >= self.own_solver_nodes => Some(*o),
            _ => None,
        };
        let (mut dedicated, mut scoped) = (None, None);
        let (solver, encoder) = match own {
            Some(o) => {
                let (solver, encoder) = match self.dedicated.remove(&o) {
                    Some(entry) => entry,
                    None => {
                        let solver = self.new_solver();
                        let mut encoder = Encoder::default();
                        encoder.define_origin(&solver, self.grounded, o);
                        (solver, encoder)
                    }
                };
                let entry = dedicated.insert((o, solver, encoder));
                (&entry.1, &mut entry.2)
            }
            None => {
                let entry = scoped.insert(Encoder::default());
                (&self.solver, entry)
            }
        };
        solver.push();
        for k in cone {
            let a = &self.conjuncts[*k];
            encoder.define_reach_for(solver, self.grounded, a);
            let term = encoder.prop(self.grounded, a);
            solver.assert(&term);
        }
        encoder.define_reach_for(solver, self.grounded, goal);
        let term = encoder.prop(self.grounded, goal);
        solver.assert(&term);
        let out = f(solver, encoder);
        solver.pop(1);
        if let Some((o, solver, encoder)) = dedicated {
            // a solver that gave up can hold on to memory: it is not kept
            if !gave_up(&out) {
                self.dedicated.insert(o, (solver, encoder));
            }
        }
        out
    }

    fn new_solver(&self) -> Solver {
        limited_solver(self.limits)
    }

    /// Decides one claim part by part.
    pub(super) fn decide(
        &mut self,
        claim: &GroundClaim,
        parts: &[Prop],
        routes: usize,
    ) -> Result<ClaimOutcome, EngineError> {
        let conjunctive = claim.mode == Mode::Always;
        let mut outcome = ClaimOutcome {
            claim: claim.index,
            verdict: if conjunctive {
                Verdict::Proved
            } else {
                Verdict::Refuted
            },
            vacuous: None,
            witness: None,
            readings: Vec::new(),
        };
        for part in parts {
            let goal = if conjunctive {
                Prop::negate(part.clone())
            } else {
                part.clone()
            };
            match self.ask(&goal) {
                Answer::Unsat => {}
                Answer::Unknown(why) => {
                    outcome.verdict = Verdict::Unknown(why);
                    return Ok(outcome);
                }
                Answer::Sat(scenario) => {
                    // the part decides the claim: false in a conjunction, true in a
                    // disjunction; the scenario is replayed (and made plain) on the
                    // whole claim, since a smaller one may decide it by another part
                    let witness = crate::witness::replay(
                        self.grounded,
                        claim,
                        scenario,
                        !conjunctive,
                        routes,
                    )?;
                    outcome.verdict = if conjunctive {
                        Verdict::Refuted
                    } else {
                        Verdict::Proved
                    };
                    outcome.witness = Some(witness);
                    return Ok(outcome);
                }
            }
        }
        if let (Verdict::Proved, Some((antecedent, span))) = (&outcome.verdict, &claim.antecedent) {
            let mut satisfiable = false;
            for part in &self::parts(antecedent, false) {
                match self.ask(part) {
                    Answer::Unsat => {}
                    Answer::Sat(_) => {
                        satisfiable = true;
                        break;
                    }
                    Answer::Unknown(why) => {
                        outcome.verdict = Verdict::Unknown(format!(
                            "the claim holds, but whether it holds only vacuously could not be decided ({why})"
                        ));
                        return Ok(outcome);
                    }
                }
            }
            if !satisfiable {
                outcome.vacuous = Some(Vacuity { antecedent: *span });
            }
        }
        Ok(outcome)
    }
}
