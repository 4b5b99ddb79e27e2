//! Grounding formulas: rule guards (with a rule's variables and `origin`), statements
//! (assumptions and claims, whose reachability atoms need the flow graph), and when a
//! flow instance is blocked by an opt-out.

use crate::ground::{FlowGraph, FlowInstance, Prop};
use crate::model::eval::{Env, eval_endpoint, eval_term};
use crate::model::{
    AgencyId, Covers, DataId, Endpoint, Formula, FormulaKind, KindId, Model, Term, VarId,
};

/// Grounds formulas: guards (with a rule's variables and `origin`) and statements
/// (assumptions and claims, whose reachability atoms need the flow graph).
pub struct Grounder<'m> {
    pub model: &'m Model,
    pub graph: &'m FlowGraph,
}

impl<'m> Grounder<'m> {
    pub fn new(model: &'m Model, graph: &'m FlowGraph) -> Self {
        Grounder { model, graph }
    }

    /// The formula of a rule (whose variables have `kinds`) under `vars` (indexed by the
    /// rule's variable ids) and `origin`.
    pub fn formula(
        &self,
        f: &Formula,
        kinds: &[KindId],
        vars: &mut Vec<Option<AgencyId>>,
        origin: Option<AgencyId>,
    ) -> Prop {
        if vars.len() < kinds.len() {
            vars.resize(kinds.len(), None);
        }
        let model = self.model;
        let eval = |t: &Term, vars: &[Option<AgencyId>]| eval_term(model, t, &Env { vars, origin });
        match &f.kind {
            FormulaKind::True => Prop::True,
            FormulaKind::False => Prop::False,
            FormulaKind::Not(a) => Prop::negate(self.formula(a, kinds, vars, origin)),
            // a side that settles the connective spares grounding the other
            FormulaKind::And(a, b) => match self.formula(a, kinds, vars, origin) {
                Prop::False => Prop::False,
                x => Prop::and([x, self.formula(b, kinds, vars, origin)]),
            },
            FormulaKind::Or(a, b) => match self.formula(a, kinds, vars, origin) {
                Prop::True => Prop::True,
                x => Prop::or([x, self.formula(b, kinds, vars, origin)]),
            },
            FormulaKind::Implies(a, b) => match self.formula(a, kinds, vars, origin) {
                Prop::False => Prop::True,
                x => Prop::implies(x, self.formula(b, kinds, vars, origin)),
            },
            FormulaKind::Iff(a, b) => Prop::iff(
                self.formula(a, kinds, vars, origin),
                self.formula(b, kinds, vars, origin),
            ),
            FormulaKind::Eq(a, b) | FormulaKind::Ne(a, b) => {
                // an atom mentioning an undefined term is false, `!=` included
                match (eval(a, vars), eval(b, vars)) {
                    (Some(x), Some(y)) => {
                        let equal = x == y;
                        let want = matches!(f.kind, FormulaKind::Eq(..));
                        if equal == want {
                            Prop::True
                        } else {
                            Prop::False
                        }
                    }
                    _ => Prop::False,
                }
            }
            FormulaKind::Param(p, args) => {
                let values: Option<Vec<AgencyId>> = args.iter().map(|t| eval(t, vars)).collect();
                match values.and_then(|v| self.graph.params.get(*p, &v)) {
                    Some(i) => Prop::Param(i),
                    None => Prop::False,
                }
            }
            FormulaKind::Reaches {
                data,
                origin: o,
                at,
            } => match (eval(o, vars), eval(at, vars)) {
                (Some(o), Some(n)) => Prop::Reach(*data, o, n),
                _ => Prop::False,
            },
            FormulaKind::Flows {
                data,
                origin: o,
                from,
                to,
            } => match (eval(o, vars), eval(from, vars), eval(to, vars)) {
                (Some(o), Some(x), Some(y)) => {
                    let cond = self.edge_condition(*data, o, x, y);
                    if cond == Prop::False {
                        Prop::False
                    } else {
                        Prop::Flows {
                            data: *data,
                            origin: o,
                            from: x,
                            to: y,
                            cond: Box::new(cond),
                        }
                    }
                }
                _ => Prop::False,
            },
            FormulaKind::Forall(vs, body) | FormulaKind::Exists(vs, body) => {
                let forall = matches!(f.kind, FormulaKind::Forall(..));
                let mut parts = Vec::new();
                self.expand(vs, kinds, vars, origin, body, &mut parts);
                if forall {
                    Prop::and(parts)
                } else {
                    Prop::or(parts)
                }
            }
        }
    }

    /// `forall vs. body` (or `exists`) of a rule whose variables have `kinds`.
    pub fn quantified(&self, forall: bool, vs: &[VarId], kinds: &[KindId], body: &Formula) -> Prop {
        let mut vars = vec![None; kinds.len()];
        let mut parts = Vec::new();
        self.expand(vs, kinds, &mut vars, None, body, &mut parts);
        if forall {
            Prop::and(parts)
        } else {
            Prop::or(parts)
        }
    }

    fn expand(
        &self,
        vs: &[VarId],
        kinds: &[KindId],
        vars: &mut Vec<Option<AgencyId>>,
        origin: Option<AgencyId>,
        body: &Formula,
        out: &mut Vec<Prop>,
    ) {
        let Some((first, rest)) = vs.split_first() else {
            out.push(self.formula(body, kinds, vars, origin));
            return;
        };
        let saved = vars[first.index()];
        for a in self.graph.by_kind[kinds[first.index()].index()]
            .iter()
            .copied()
        {
            vars[first.index()] = Some(a);
            self.expand(rest, kinds, vars, origin, body, out);
        }
        vars[first.index()] = saved;
    }

    /// Whether some flow instance `data: from -> to` is enabled for data of `origin`
    /// and not blocked: the disjunction of the rules' guards, and not blocked.
    pub fn edge_condition(
        &self,
        data: DataId,
        origin: AgencyId,
        from: AgencyId,
        to: AgencyId,
    ) -> Prop {
        let g = &self.graph.graph;
        let enabled: Vec<Prop> = g
            .edges_connecting(self.graph.nodes[from.index()], self.graph.nodes[to.index()])
            .map(|e| e.weight())
            .filter(|inst| inst.data == data && inst.origin.is_none_or(|o| o == origin))
            .map(|inst| self.flow_guard(inst, origin))
            .collect();
        let enabled = Prop::or(enabled);
        if enabled == Prop::False {
            return Prop::False;
        }
        Prop::and([enabled, Prop::negate(self.blocked(data, origin, from, to))])
    }

    /// The guard of a flow instance for data of `origin`.
    pub fn flow_guard(&self, inst: &FlowInstance, origin: AgencyId) -> Prop {
        let rule = &self.model.flows[inst.rule];
        self.guard(rule.guard.as_ref(), &rule.info, &inst.vars, origin)
    }

    /// A rule's `when` guard (true when it has none) under the values of its
    /// variables, for data of `origin`.
    pub fn guard(
        &self,
        guard: Option<&Formula>,
        info: &crate::model::RuleInfo,
        vars: &[Option<AgencyId>],
        origin: AgencyId,
    ) -> Prop {
        match guard {
            None => Prop::True,
            Some(g) => self.formula(g, &info.var_kinds(), &mut vars.to_vec(), Some(origin)),
        }
    }

    /// When the flow instance `data: from -> to` is blocked for data of `origin`: some
    /// opt-out is taken by an agency it covers (`origin` or one containing it; with
    /// `covers all`, any agency of its kind), its condition holds, and one of its
    /// `blocks` clauses has this instance with the clause's own condition holding.
    pub fn blocked(&self, data: DataId, origin: AgencyId, from: AgencyId, to: AgencyId) -> Prop {
        let model = self.model;
        let mut parts = Vec::new();
        for optout in &model.optouts {
            if !optout.blocks.iter().any(|b| b.data == data) {
                continue;
            }
            let kind = optout.info.vars[optout.var.index()].kind;
            let inside;
            let holders: &[AgencyId] = match optout.covers {
                Covers::Inside => {
                    inside = self.holders_inside(origin, kind);
                    &inside
                }
                Covers::All => &self.graph.by_kind[kind.index()],
            };
            for &a in holders {
                let clause = self.clause_condition(optout, a, data, origin, from, to);
                if clause == Prop::False {
                    continue;
                }
                let Some(taken) = self.graph.params.get(optout.param, &[a]) else {
                    continue;
                };
                let mut vars = vec![None; optout.info.vars.len()];
                vars[optout.var.index()] = Some(a);
                let guard = self.guard(optout.guard.as_ref(), &optout.info, &vars, origin);
                parts.push(Prop::and([Prop::Param(taken), guard, clause]));
            }
        }
        Prop::or(parts)
    }

    /// `origin` and the agencies it is declared inside, innermost first, that are of
    /// `kind`: the agencies whose `covers inside` opt-outs cover data of `origin`.
    fn holders_inside(&self, origin: AgencyId, kind: KindId) -> Vec<AgencyId> {
        let model = self.model;
        let mut out = Vec::new();
        let mut holder = Some(origin);
        let mut steps = 0;
        while let Some(a) = holder {
            if model.agency(a).kind == kind {
                out.push(a);
            }
            holder = model.agency(a).parent;
            steps += 1;
            if steps > model.agencies.len() {
                break;
            }
        }
        out
    }

    /// When some `blocks` clause of `optout`, taken by `a`, has the instance
    /// `data: from -> to` for data of `origin`: the disjunction, over the clauses and
    /// the values of their binders that give that instance, of each clause's own
    /// condition (`true` without one); `false` when no clause has the instance.
    fn clause_condition(
        &self,
        optout: &crate::model::Optout,
        a: AgencyId,
        data: DataId,
        origin: AgencyId,
        from: AgencyId,
        to: AgencyId,
    ) -> Prop {
        let model = self.model;
        let kinds: Vec<KindId> = optout.info.vars.iter().map(|v| v.kind).collect();
        let mut parts = Vec::new();
        for b in optout.blocks.iter().filter(|b| b.data == data) {
            // a binder written as an endpoint (`(c: county) -> ...`) is settled by the
            // instance itself: it is the agency at that end, when that one is of its kind
            let mut vars = vec![None; kinds.len()];
            vars[optout.var.index()] = Some(a);
            let binds = |e: &Endpoint, at: AgencyId, vars: &mut Vec<Option<AgencyId>>| match e {
                Endpoint::Bind(v) => {
                    let fits = model.agency(at).kind == kinds[v.index()];
                    vars[v.index()] = Some(at);
                    fits
                }
                Endpoint::Term(_) => true,
            };
            if !binds(&b.from, from, &mut vars) || !binds(&b.to, to, &mut vars) {
                continue;
            }
            let env = Env {
                vars: &vars,
                origin: Some(origin),
            };
            if eval_endpoint(model, &b.from, &env) != Some(from)
                || eval_endpoint(model, &b.to, &env) != Some(to)
            {
                continue;
            }
            let condition = match &b.guard {
                None => Prop::True,
                Some(h) => self.formula(h, &kinds, &mut vars, Some(origin)),
            };
            if condition == Prop::True {
                return Prop::True;
            }
            parts.push(condition);
        }
        Prop::or(parts)
    }
}
