//! The reference interpreter, asked the questions the explanation checks need: verdicts
//! of whole models (relaxed, hybrid, per reading), whether one hop of a path is enabled
//! in a scenario, where a datum is collected, and every simple path a datum can take.
//! Rule instances are matched here by evaluating the rule's endpoints directly, and
//! every formula (guards, `flows` atoms) by the reference's own evaluation.

use std::collections::HashSet;

use flowproof::ground::{Grounded, StepRule};
use flowproof::model::{
    AgencyId, Covers, DataId, Endpoint, Formula, FormulaKind, Mode, Model, RuleInfo, Term, VarId,
};
use flowproof::reference::{Cx, Interpreter, World};
use flowproof::verdict::{ClaimOutcome, EngineError, Path, Verdict};

/// The reference decides models of up to this many ground params.
pub const MAX_PARAMS: usize = 14;

/// Every selected claim decided by the reference; `None` when no scenario is admissible.
pub fn decide_all(model: &Model, claims: &[usize]) -> Option<Vec<ClaimOutcome>> {
    match flowproof::reference::verify(&Grounded::new(model.clone()), claims, MAX_PARAMS) {
        Ok(o) => Some(o),
        Err(EngineError::Contradictory { .. }) => None,
        Err(e) => panic!("the reference cannot decide: {e}"),
    }
}

/// One claim decided by the reference; `None` when no scenario is admissible.
pub fn decide(model: &Model, claim: usize) -> Option<ClaimOutcome> {
    decide_all(model, &[claim]).and_then(|mut o| o.pop())
}

/// One claim's verdict; `None` when no scenario is admissible.
pub fn verdict(model: &Model, claim: usize) -> Option<Verdict> {
    decide(model, claim).map(|o| o.verdict)
}

/// The word `diff` judges a flip by, as the reference decides it (`not verifiable`
/// when no scenario is admissible, as `diff`'s edit search says).
pub fn word(model: &Model, claim: usize) -> String {
    match decide(model, claim) {
        Some(o) => flowproof::diff::edits::word(&o),
        None => "not verifiable".to_owned(),
    }
}

/// Whether a scenario answers a claim as the witness of `mode` must: an `always` claim
/// fails in it, a `possible` claim holds.
pub fn expected(mode: Mode) -> bool {
    mode == Mode::Possible
}

/// Evaluates terms and endpoints of rules for one origin, and formulas in one world.
pub struct Eval<'a> {
    pub model: &'a Model,
    pub interp: &'a Interpreter<'a>,
    pub world: &'a World,
    pub origin: AgencyId,
}

impl Eval<'_> {
    fn term(&self, t: &Term, env: &[Option<AgencyId>]) -> Option<AgencyId> {
        match t {
            Term::Agency(a) => Some(*a),
            Term::Var(v) => env.get(v.index()).copied().flatten(),
            Term::Origin => Some(self.origin),
            Term::Parent(inner) => self.model.agency(self.term(inner, env)?).parent,
        }
    }

    fn endpoint(&self, e: &Endpoint, env: &[Option<AgencyId>]) -> Option<AgencyId> {
        match e {
            Endpoint::Bind(v) => env.get(v.index()).copied().flatten(),
            Endpoint::Term(t) => self.term(t, env),
        }
    }

    fn guard(&self, g: Option<&Formula>, info: &RuleInfo, env: &[Option<AgencyId>]) -> bool {
        let cx = Cx {
            vars: &info.vars,
            origin: Some(self.origin),
        };
        g.is_none_or(|g| self.interp.eval(g, &cx, &mut env.to_vec(), self.world))
    }

    /// Whether some assignment of the binders among `ends` puts each endpoint at the
    /// agency asked for, with the guard true.
    fn instance(
        &self,
        info: &RuleInfo,
        ends: &[(&Endpoint, AgencyId)],
        guard: Option<&Formula>,
    ) -> bool {
        self.instance_with(info, &[], ends, guard)
    }

    /// [`Self::instance`] with some variables bound beforehand.
    fn instance_with(
        &self,
        info: &RuleInfo,
        fixed: &[(VarId, AgencyId)],
        ends: &[(&Endpoint, AgencyId)],
        guard: Option<&Formula>,
    ) -> bool {
        let mut env = vec![None; info.vars.len()];
        for (v, a) in fixed {
            env[v.index()] = Some(*a);
        }
        // a binder can only take the agency its endpoint must be at
        for (e, at) in ends {
            if let Endpoint::Bind(v) = e {
                if self.model.agency(*at).kind != info.vars[v.index()].kind {
                    return false;
                }
                if env[v.index()].is_some_and(|a| a != *at) {
                    return false;
                }
                env[v.index()] = Some(*at);
            }
        }
        ends.iter()
            .all(|(e, at)| self.endpoint(e, &env) == Some(*at))
            && self.guard(guard, info, &env)
    }

    /// Whether opt-out `k`, taken by agency `a`, blocks the flow instance `d: x -> y`
    /// for this origin in this world (section 5.7): `a` is of its kind and covers the
    /// origin, its param for `a` is true, its condition holds, and a clause for `d` has
    /// this instance with its own condition true (all with `v = a`).
    pub fn optout_blocks(
        &self,
        k: usize,
        a: AgencyId,
        d: DataId,
        x: AgencyId,
        y: AgencyId,
    ) -> bool {
        let opt = &self.model.optouts[k];
        let info = &opt.info;
        if self.model.agency(a).kind != info.vars[opt.var.index()].kind {
            return false;
        }
        let covered = match opt.covers {
            Covers::All => true,
            Covers::Inside => {
                let mut at = Some(self.origin);
                let mut found = false;
                for _ in 0..=self.model.agencies.len() {
                    match at {
                        Some(b) if b == a => found = true,
                        Some(b) => at = self.model.agency(b).parent,
                        None => {}
                    }
                }
                found
            }
        };
        let taken = self
            .interp
            .params
            .get(opt.param, &[a])
            .is_some_and(|i| self.world.params[i]);
        let fixed = [(opt.var, a)];
        let mut env = vec![None; info.vars.len()];
        env[opt.var.index()] = Some(a);
        covered
            && taken
            && self.guard(opt.guard.as_ref(), info, &env)
            && opt.blocks.iter().any(|b| {
                b.data == d
                    && x != y
                    && self.instance_with(
                        info,
                        &fixed,
                        &[(&b.from, x), (&b.to, y)],
                        b.guard.as_ref(),
                    )
            })
    }

    /// Whether `d` is collected at the origin in this world.
    pub fn collected(&self, d: DataId) -> bool {
        self.model.collects.iter().any(|c| {
            c.data == d && self.instance(&c.info, &[(&c.at, self.origin)], c.guard.as_ref())
        })
    }

    /// Whether flow rule `rule` has an instance `d: x -> y` enabled in this world.
    pub fn flow_rule(&self, rule: usize, d: DataId, x: AgencyId, y: AgencyId) -> bool {
        let f = &self.model.flows[rule];
        x != y
            && f.data == d
            && self.instance(&f.info, &[(&f.from, x), (&f.to, y)], f.guard.as_ref())
    }

    /// `flows(d of origin, x -> y)` in the reference: reached at `x`, some instance
    /// enabled, not blocked.
    pub fn flows(&self, d: DataId, x: AgencyId, y: AgencyId) -> bool {
        let f = Formula {
            kind: FormulaKind::Flows {
                data: d,
                origin: Term::Agency(self.origin),
                from: Term::Agency(x),
                to: Term::Agency(y),
            },
            span: Default::default(),
        };
        self.atom(&f)
    }

    /// `reaches(d of origin, n)` in the reference.
    pub fn reaches(&self, d: DataId, n: AgencyId) -> bool {
        let f = Formula {
            kind: FormulaKind::Reaches {
                data: d,
                origin: Term::Agency(self.origin),
                at: Term::Agency(n),
            },
            span: Default::default(),
        };
        self.atom(&f)
    }

    fn atom(&self, f: &Formula) -> bool {
        let cx = Cx {
            vars: &[],
            origin: None,
        };
        self.interp.eval(f, &cx, &mut Vec::new(), self.world)
    }

    /// Whether derive rule `rule` turns `from` into `to` at `x` in this world.
    pub fn derive_rule(&self, rule: usize, from: DataId, to: DataId, x: AgencyId) -> bool {
        let r = &self.model.derives[rule];
        r.from == from
            && r.data == to
            && from != to
            && self.instance(&r.info, &[(&r.at, x)], r.guard.as_ref())
    }

    /// Every (data, agency) one enabled hop from `(d, x)`: along a flow (enabled, not
    /// blocked), or by a derive at `x`.
    pub fn hops(&self, (d, x): (DataId, AgencyId)) -> Vec<(DataId, AgencyId)> {
        let mut out = Vec::new();
        for y in 0..self.model.agencies.len() {
            let y = AgencyId::from_index(y);
            if y != x && self.flows(d, x, y) {
                out.push((d, y));
            }
        }
        for (i, r) in self.model.derives.iter().enumerate() {
            if r.from == d && self.derive_rule(i, d, r.data, x) && !out.contains(&(r.data, x)) {
                out.push((r.data, x));
            }
        }
        out
    }

    /// Why `path` is not a valid route in this world, if it is not: every hop enabled
    /// by the rule it names, one after the other, from where its datum is collected,
    /// no (data, agency) twice (but for a last flow hop, which a `flows` fact may take
    /// back to where the datum has been), ending at its fact.
    pub fn invalid(&self, path: &Path) -> Option<String> {
        if path.origin != self.origin {
            return Some("the path is for another origin".to_owned());
        }
        let start = match path.steps.first() {
            None => (path.data, path.origin),
            Some(s) => (s.derived_from.unwrap_or(s.data), s.from),
        };
        if start.1 != self.origin {
            return Some(format!("it starts at {:?}, not at the origin", start.1));
        }
        if !self.collected(start.0) {
            return Some(format!("{:?} is not collected at the origin", start.0));
        }
        let mut at = start;
        let mut seen: HashSet<(DataId, AgencyId)> = HashSet::from([start]);
        for (k, s) in path.steps.iter().enumerate() {
            if s.origin != self.origin {
                return Some(format!("hop {k} is for another origin"));
            }
            let before = (s.derived_from.unwrap_or(s.data), s.from);
            if before != at {
                return Some(format!("hop {k} does not start where the last ended"));
            }
            let ok = match s.rule {
                StepRule::Flow(i) => {
                    s.derived_from.is_none()
                        && self.flow_rule(i, s.data, s.from, s.to)
                        && self.flows(s.data, s.from, s.to)
                }
                StepRule::Derive(i) => {
                    s.from == s.to
                        && s.derived_from.is_some_and(|d0| {
                            self.derive_rule(i, d0, s.data, s.from) && self.reaches(d0, s.from)
                        })
                }
            };
            if !ok {
                return Some(format!("hop {k} ({:?}) is not enabled", s.rule));
            }
            at = (s.data, s.to);
            // the last hop of a `flows` fact may go back: the datum reached its sender by
            // a simple path, then moves on along the flow
            let last_flow = k + 1 == path.steps.len() && matches!(s.rule, StepRule::Flow(_));
            if !seen.insert(at) && !last_flow {
                return Some(format!("hop {k} comes back to a node"));
            }
        }
        if at != (path.data, path.at) {
            return Some("it does not end at its fact".to_owned());
        }
        None
    }

    /// Every simple path (as its nodes) from where a datum is collected at the origin
    /// to `target`, passing through no other node where a datum is collected (a route
    /// ends, going back, at the first such node); `None` past `cap` paths.
    pub fn simple_paths(
        &self,
        target: (DataId, AgencyId),
        cap: usize,
    ) -> Option<Vec<Vec<(DataId, AgencyId)>>> {
        let base: Vec<(DataId, AgencyId)> = (0..self.model.data.len())
            .map(DataId::from_index)
            .filter(|d| self.collected(*d))
            .map(|d| (d, self.origin))
            .collect();
        let mut search = Search {
            target,
            base: &base,
            memo: std::collections::HashMap::new(),
            out: Vec::new(),
            budget: cap * 20,
            cap,
        };
        for start in &base {
            let mut stack = vec![*start];
            if !search.extend(self, &mut stack) {
                return None;
            }
        }
        Some(search.out)
    }
}

type Node = (DataId, AgencyId);

/// A depth-first enumeration of simple paths, bounded.
struct Search<'b> {
    target: Node,
    base: &'b [Node],
    memo: std::collections::HashMap<Node, Vec<Node>>,
    out: Vec<Vec<Node>>,
    /// Nodes the search may still visit.
    budget: usize,
    cap: usize,
}

impl Search<'_> {
    /// Extends the path on `stack` every way; false once past the bounds.
    fn extend(&mut self, eval: &Eval<'_>, stack: &mut Vec<Node>) -> bool {
        let Some(&node) = stack.last() else {
            return true;
        };
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        if node == self.target {
            self.out.push(stack.clone());
            return self.out.len() <= self.cap;
        }
        if stack.len() > 1 && self.base.contains(&node) {
            return true;
        }
        let next = self
            .memo
            .entry(node)
            .or_insert_with(|| eval.hops(node))
            .clone();
        for n in next {
            if stack.contains(&n) {
                continue;
            }
            stack.push(n);
            let ok = self.extend(eval, stack);
            stack.pop();
            if !ok {
                return false;
            }
        }
        true
    }
}

/// The nodes a path passes through, from where its datum is collected.
pub fn nodes(path: &Path) -> Vec<(DataId, AgencyId)> {
    let mut out = vec![match path.steps.first() {
        None => (path.data, path.origin),
        Some(s) => (s.derived_from.unwrap_or(s.data), s.from),
    }];
    out.extend(path.steps.iter().map(|s| (s.data, s.to)));
    out
}

/// The claim's leading quantified variables (`forall` of an `always` claim, `exists`
/// of a `possible` one) and the body under them.
pub fn leading(model: &Model, claim: usize) -> (Vec<VarId>, &Formula) {
    let c = &model.claims[claim];
    let mut vars = Vec::new();
    let mut body = &c.formula;
    loop {
        match (&body.kind, c.mode) {
            (FormulaKind::Forall(vs, inner), Mode::Always)
            | (FormulaKind::Exists(vs, inner), Mode::Possible) => {
                vars.extend(vs.iter().copied());
                body = inner;
            }
            _ => return (vars, body),
        }
    }
}

/// Every assignment of `vars` (each over the agencies of its kind), the first variable
/// varying slowest: the order of agencies.
pub fn assignments(model: &Model, info: &RuleInfo, vars: &[VarId]) -> Vec<Vec<AgencyId>> {
    let mut out: Vec<Vec<AgencyId>> = vec![Vec::new()];
    for v in vars {
        let kind = info.vars[v.index()].kind;
        let mut next = Vec::new();
        for prefix in &out {
            for a in model.agencies_of(kind) {
                let mut longer = prefix.clone();
                longer.push(a);
                next.push(longer);
            }
        }
        out = next;
    }
    out
}
