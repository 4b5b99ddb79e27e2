//! The reference interpreter: the contract's semantics (section 3) executed literally,
//! by enumerating every scenario, computing Reach as a naive fixpoint over the rules,
//! and evaluating formulas recursively. Slow and obviously correct; it is the oracle
//! the Z3 engine is tested against, and `verify --engine reference` for small models.
//!
//! It shares no code with the Z3 engine beyond the checked model and the list of
//! ground params (whose order the witness uses).

use std::collections::{HashMap, HashSet};

use crate::ground::{GroundParams, Grounded};
use crate::model::*;
use crate::verdict::{ClaimOutcome, EngineError, Vacuity, Verdict, Witness};

/// The default limit on ground params (2^20 scenarios).
pub const DEFAULT_MAX_PARAMS: usize = 20;

type Triple = (DataId, AgencyId, AgencyId);

pub struct Interpreter<'m> {
    model: &'m Model,
    pub params: GroundParams,
    lookup: HashMap<(ParamId, Vec<AgencyId>), usize>,
}

/// One scenario's facts: param values and the resulting Reach.
pub struct World {
    pub params: Vec<bool>,
    reach: HashSet<Triple>,
}

impl<'m> Interpreter<'m> {
    pub fn new(model: &'m Model) -> Self {
        let params = GroundParams::new(model);
        let lookup = params
            .list
            .iter()
            .enumerate()
            .map(|(i, (p, args))| ((*p, args.clone()), i))
            .collect();
        Interpreter {
            model,
            params,
            lookup,
        }
    }

    fn term(
        &self,
        t: &Term,
        env: &[Option<AgencyId>],
        origin: Option<AgencyId>,
    ) -> Option<AgencyId> {
        match t {
            Term::Agency(a) => Some(*a),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
            Term::Origin => origin,
            Term::Parent(inner) => {
                self.model.agencies[self.term(inner, env, origin)?.index()].parent
            }
        }
    }

    fn endpoint(
        &self,
        e: &Endpoint,
        env: &[Option<AgencyId>],
        origin: Option<AgencyId>,
    ) -> Option<AgencyId> {
        match e {
            Endpoint::Bind(v) => env.get(v.index()).copied().flatten(),
            Endpoint::Term(t) => self.term(t, env, origin),
        }
    }

    /// Every assignment of the binders among `endpoints`, over a rule's variables.
    fn assignments(
        &self,
        vars: &[Var],
        endpoints: &[&Endpoint],
        fixed: &[(VarId, AgencyId)],
    ) -> Vec<Vec<Option<AgencyId>>> {
        let mut out = vec![vec![None; vars.len()]];
        for (v, a) in fixed {
            out[0][v.index()] = Some(*a);
        }
        for e in endpoints {
            if let Endpoint::Bind(v) = e {
                let mut next = Vec::new();
                for env in &out {
                    for (i, agency) in self.model.agencies.iter().enumerate() {
                        if agency.kind == vars[v.index()].kind {
                            let mut env = env.clone();
                            env[v.index()] = Some(AgencyId::from_index(i));
                            next.push(env);
                        }
                    }
                }
                out = next;
            }
        }
        out
    }

    fn guard(
        &self,
        g: Option<&Formula>,
        vars: &[Var],
        env: &[Option<AgencyId>],
        origin: AgencyId,
        world: &World,
    ) -> bool {
        let cx = Cx {
            vars,
            origin: Some(origin),
        };
        g.is_none_or(|g| self.eval(g, &cx, &mut env.to_vec(), world))
    }

    fn within(&self, inner: AgencyId, outer: AgencyId) -> bool {
        let mut at = Some(inner);
        for _ in 0..=self.model.agencies.len() {
            match at {
                Some(a) if a == outer => return true,
                Some(a) => at = self.model.agencies[a.index()].parent,
                None => return false,
            }
        }
        false
    }

    /// Sections 3 and 5.7: a flow instance `d: x -> y` is blocked for origin `o`.
    fn blocked(&self, d: DataId, x: AgencyId, y: AgencyId, o: AgencyId, world: &World) -> bool {
        self.model.optouts.iter().any(|opt| {
            let kind = opt.info.vars[opt.var.index()].kind;
            self.model.agencies.iter().enumerate().any(|(i, agency)| {
                let a = AgencyId::from_index(i);
                let covered = match opt.covers {
                    Covers::Inside => self.within(o, a),
                    Covers::All => true,
                };
                if agency.kind != kind || !covered {
                    return false;
                }
                let taken = self
                    .lookup
                    .get(&(opt.param, vec![a]))
                    .is_some_and(|p| world.params[*p]);
                if !taken {
                    return false;
                }
                let mut env = vec![None; opt.info.vars.len()];
                env[opt.var.index()] = Some(a);
                if !self.guard(opt.guard.as_ref(), &opt.info.vars, &env, o, world) {
                    return false;
                }
                opt.blocks.iter().filter(|b| b.data == d).any(|b| {
                    self.assignments(&opt.info.vars, &[&b.from, &b.to], &[(opt.var, a)])
                        .iter()
                        .any(|env| {
                            self.endpoint(&b.from, env, Some(o)) == Some(x)
                                && self.endpoint(&b.to, env, Some(o)) == Some(y)
                                && self.guard(b.guard.as_ref(), &opt.info.vars, env, o, world)
                        })
                })
            })
        })
    }

    /// Whether some instance of a flow rule `d: x -> y` is enabled for origin `o`.
    fn flow_enabled(
        &self,
        d: DataId,
        o: AgencyId,
        x: AgencyId,
        y: AgencyId,
        world: &World,
    ) -> bool {
        x != y
            && self.model.flows.iter().filter(|f| f.data == d).any(|f| {
                self.assignments(&f.info.vars, &[&f.from, &f.to], &[])
                    .iter()
                    .any(|env| {
                        self.endpoint(&f.from, env, Some(o)) == Some(x)
                            && self.endpoint(&f.to, env, Some(o)) == Some(y)
                            && self.guard(f.guard.as_ref(), &f.info.vars, env, o, world)
                    })
            })
    }

    /// The least set closed under the three rules of section 3.
    pub fn world(&self, params: &[bool]) -> World {
        let mut world = World {
            params: params.to_vec(),
            reach: HashSet::new(),
        };
        loop {
            let mut new: Vec<Triple> = Vec::new();
            for c in &self.model.collects {
                for env in self.assignments(&c.info.vars, &[&c.at], &[]) {
                    if let Some(o) = self.endpoint(&c.at, &env, None)
                        && self.guard(c.guard.as_ref(), &c.info.vars, &env, o, &world)
                    {
                        new.push((c.data, o, o));
                    }
                }
            }
            for &(d, o, x) in &world.reach {
                for f in self.model.flows.iter().filter(|f| f.data == d) {
                    for env in self.assignments(&f.info.vars, &[&f.from, &f.to], &[]) {
                        if self.endpoint(&f.from, &env, Some(o)) != Some(x) {
                            continue;
                        }
                        let Some(y) = self.endpoint(&f.to, &env, Some(o)) else {
                            continue;
                        };
                        if x != y
                            && self.guard(f.guard.as_ref(), &f.info.vars, &env, o, &world)
                            && !self.blocked(d, x, y, o, &world)
                        {
                            new.push((d, o, y));
                        }
                    }
                }
                for r in self.model.derives.iter().filter(|r| r.from == d) {
                    for env in self.assignments(&r.info.vars, &[&r.at], &[]) {
                        if self.endpoint(&r.at, &env, Some(o)) == Some(x)
                            && self.guard(r.guard.as_ref(), &r.info.vars, &env, o, &world)
                        {
                            new.push((r.data, o, x));
                        }
                    }
                }
            }
            let before = world.reach.len();
            world.reach.extend(new);
            if world.reach.len() == before {
                return world;
            }
        }
    }

    /// A formula's truth value in a world.
    pub fn eval(
        &self,
        f: &Formula,
        cx: &Cx<'_>,
        env: &mut Vec<Option<AgencyId>>,
        world: &World,
    ) -> bool {
        let origin = cx.origin;
        let term = |t: &Term, env: &[Option<AgencyId>]| self.term(t, env, origin);
        match &f.kind {
            FormulaKind::True => true,
            FormulaKind::False => false,
            FormulaKind::Not(a) => !self.eval(a, cx, env, world),
            FormulaKind::And(a, b) => self.eval(a, cx, env, world) && self.eval(b, cx, env, world),
            FormulaKind::Or(a, b) => self.eval(a, cx, env, world) || self.eval(b, cx, env, world),
            FormulaKind::Implies(a, b) => {
                !self.eval(a, cx, env, world) || self.eval(b, cx, env, world)
            }
            FormulaKind::Iff(a, b) => self.eval(a, cx, env, world) == self.eval(b, cx, env, world),
            FormulaKind::Eq(a, b) => {
                matches!((term(a, env), term(b, env)), (Some(x), Some(y)) if x == y)
            }
            FormulaKind::Ne(a, b) => {
                matches!((term(a, env), term(b, env)), (Some(x), Some(y)) if x != y)
            }
            FormulaKind::Param(p, args) => {
                let values: Option<Vec<AgencyId>> = args.iter().map(|t| term(t, env)).collect();
                values
                    .and_then(|v| self.lookup.get(&(*p, v)))
                    .is_some_and(|i| world.params[*i])
            }
            FormulaKind::Reaches {
                data,
                origin: o,
                at,
            } => match (term(o, env), term(at, env)) {
                (Some(o), Some(n)) => world.reach.contains(&(*data, o, n)),
                _ => false,
            },
            FormulaKind::Flows {
                data,
                origin: o,
                from,
                to,
            } => match (term(o, env), term(from, env), term(to, env)) {
                (Some(o), Some(x), Some(y)) => {
                    world.reach.contains(&(*data, o, x))
                        && self.flow_enabled(*data, o, x, y, world)
                        && !self.blocked(*data, x, y, o, world)
                }
                _ => false,
            },
            FormulaKind::Forall(vs, body) => self.over(
                vs,
                cx,
                env,
                &mut |env| self.eval(body, cx, env, world),
                true,
            ),
            FormulaKind::Exists(vs, body) => self.over(
                vs,
                cx,
                env,
                &mut |env| self.eval(body, cx, env, world),
                false,
            ),
        }
    }

    /// `all` (or any) of `f` over every assignment of `vs`.
    fn over(
        &self,
        vs: &[VarId],
        cx: &Cx<'_>,
        env: &mut Vec<Option<AgencyId>>,
        f: &mut dyn FnMut(&mut Vec<Option<AgencyId>>) -> bool,
        all: bool,
    ) -> bool {
        let Some((v, rest)) = vs.split_first() else {
            return f(env);
        };
        if env.len() < cx.vars.len() {
            env.resize(cx.vars.len(), None);
        }
        let kind = cx.vars[v.index()].kind;
        let saved = env[v.index()];
        let mut result = all;
        for (i, agency) in self.model.agencies.iter().enumerate() {
            if agency.kind != kind {
                continue;
            }
            env[v.index()] = Some(AgencyId::from_index(i));
            if self.over(rest, cx, env, f, all) != all {
                result = !all;
                break;
            }
        }
        env[v.index()] = saved;
        result
    }

    /// Whether a statement (assumption or claim formula) holds in a world.
    pub fn holds(&self, f: &Formula, info: &RuleInfo, world: &World) -> bool {
        let cx = Cx {
            vars: &info.vars,
            origin: None,
        };
        self.eval(f, &cx, &mut vec![None; info.vars.len()], world)
    }

    /// Whether every assumption holds in a world.
    pub fn admissible(&self, world: &World) -> bool {
        self.model
            .assumes
            .iter()
            .all(|a| self.holds(&a.formula, &a.info, world))
    }

    /// Every scenario's world, in enumeration order (scenario `i` sets param `j` to bit
    /// `j` of `i`), each with whether it is admissible.
    pub fn worlds(&self) -> Vec<(World, bool)> {
        let n = self.params.len();
        (0..1u64 << n)
            .map(|bits| {
                let params: Vec<bool> = (0..n).map(|i| bits >> i & 1 == 1).collect();
                let world = self.world(&params);
                let admissible = self.admissible(&world);
                (world, admissible)
            })
            .collect()
    }

    /// The first scenario (in enumeration order) satisfying the assumptions (or only
    /// those listed in `only`) where `pred` holds.
    fn find(
        &self,
        worlds: &[(World, bool)],
        only: Option<&[usize]>,
        pred: &dyn Fn(&World) -> bool,
    ) -> Option<Vec<bool>> {
        worlds
            .iter()
            .find(|(world, admissible)| {
                let admissible = match only {
                    None => *admissible,
                    Some(set) => set.iter().all(|i| {
                        let a = &self.model.assumes[*i];
                        self.holds(&a.formula, &a.info, world)
                    }),
                };
                admissible && pred(world)
            })
            .map(|(world, _)| world.params.clone())
    }

    /// Decides one claim by enumeration. The witness's paths are left empty: explaining
    /// is the caller's business.
    pub fn decide(&self, worlds: &[(World, bool)], index: usize) -> ClaimOutcome {
        let claim = &self.model.claims[index];
        let holds = |w: &World| self.holds(&claim.formula, &claim.info, w);
        let mut outcome = ClaimOutcome {
            claim: index,
            verdict: Verdict::Proved,
            vacuous: None,
            witness: None,
            readings: Vec::new(),
        };
        let found = match claim.mode {
            Mode::Always => self.find(worlds, None, &|w| !holds(w)),
            Mode::Possible => self.find(worlds, None, &holds),
        };
        outcome.verdict = match (claim.mode, &found) {
            (Mode::Always, Some(_)) => Verdict::Refuted,
            (Mode::Always, None) => Verdict::Proved,
            (Mode::Possible, Some(_)) => Verdict::Proved,
            (Mode::Possible, None) => Verdict::Refuted,
        };
        outcome.witness = found.map(|params| Witness {
            params,
            needed: Vec::new(),
            minimal: false,
            required: Vec::new(),
            instance: Vec::new(),
            paths: Vec::new(),
            routes: Vec::new(),
        });
        if claim.mode == Mode::Always && outcome.verdict == Verdict::Proved {
            let mut vars = Vec::new();
            let mut body = &claim.formula;
            while let FormulaKind::Forall(vs, inner) = &body.kind {
                vars.extend(vs.iter().copied());
                body = inner;
            }
            if let FormulaKind::Implies(a, _) = &body.kind {
                let cx = Cx {
                    vars: &claim.info.vars,
                    origin: None,
                };
                let possible = self.find(worlds, None, &|w| {
                    let mut env = vec![None; claim.info.vars.len()];
                    self.over(
                        &vars,
                        &cx,
                        &mut env,
                        &mut |env| self.eval(a, &cx, env, w),
                        false,
                    )
                });
                if possible.is_none() {
                    outcome.vacuous = Some(Vacuity { antecedent: a.span });
                }
            }
        }
        outcome
    }

    /// Fails with a minimal conflicting set when no scenario is admissible.
    pub fn consistent(&self, worlds: &[(World, bool)]) -> Result<(), EngineError> {
        if self.find(worlds, None, &|_| true).is_some() {
            return Ok(());
        }
        let all: Vec<usize> = (0..self.model.assumes.len()).collect();
        let keep = crate::minimize::shrink(all, |rest| {
            Ok::<_, EngineError>(self.find(worlds, Some(rest), &|_| true).is_none())
        })?;
        Err(EngineError::Contradictory { assumes: keep })
    }
}

/// What a formula is evaluated against: its rule's variables, and `origin` in a guard.
pub struct Cx<'a> {
    pub vars: &'a [Var],
    pub origin: Option<AgencyId>,
}

/// Verifies the selected claims by enumerating every scenario. Of the ground model it
/// reads only the checked model and the numbering of the ground params.
pub fn verify(
    grounded: &Grounded,
    claims: &[usize],
    max_params: usize,
) -> Result<Vec<ClaimOutcome>, EngineError> {
    let interp = Interpreter::new(&grounded.model);
    if interp.params.len() > max_params {
        return Err(EngineError::TooManyParams {
            count: interp.params.len(),
            limit: max_params,
        });
    }
    let worlds = interp.worlds();
    interp.consistent(&worlds)?;
    Ok(claims.iter().map(|i| interp.decide(&worlds, *i)).collect())
}
