//! Grounding helpers: evaluating agency terms and enumerating endpoint instances over
//! the finite set of agencies.

use crate::model::{AgencyId, Endpoint, Model, Term, VarId};

/// Values of a rule's variables (`None` for one not bound yet) and of `origin`.
#[derive(Clone, Debug)]
pub struct Env<'a> {
    pub vars: &'a [Option<AgencyId>],
    pub origin: Option<AgencyId>,
}

/// The agency a term denotes, or `None` when it is undefined (`parent` of an agency
/// without one, or an unbound variable).
pub fn eval_term(model: &Model, term: &Term, env: &Env<'_>) -> Option<AgencyId> {
    match term {
        Term::Agency(a) => Some(*a),
        Term::Var(v) => env.vars.get(v.index()).copied().flatten(),
        Term::Origin => env.origin,
        Term::Parent(inner) => model.agency(eval_term(model, inner, env)?).parent,
    }
}

pub fn eval_endpoint(model: &Model, endpoint: &Endpoint, env: &Env<'_>) -> Option<AgencyId> {
    match endpoint {
        Endpoint::Bind(v) => env.vars.get(v.index()).copied().flatten(),
        Endpoint::Term(t) => eval_term(model, t, env),
    }
}

pub fn mentions_origin(term: &Term) -> bool {
    match term {
        Term::Origin => true,
        Term::Parent(t) => mentions_origin(t),
        Term::Agency(_) | Term::Var(_) => false,
    }
}

pub fn endpoint_mentions_origin(endpoint: &Endpoint) -> bool {
    match endpoint {
        Endpoint::Bind(_) => false,
        Endpoint::Term(t) => mentions_origin(t),
    }
}

/// Calls `f` with every assignment of `binders` (each ranging over the agencies of its
/// variable's kind) written into `vars`. Stops early when `f` returns false.
pub fn for_each_assignment(
    model: &Model,
    binders: &[VarId],
    kinds: &[crate::model::KindId],
    vars: &mut Vec<Option<AgencyId>>,
    f: &mut dyn FnMut(&[Option<AgencyId>]) -> bool,
) -> bool {
    let Some((first, rest)) = binders.split_first() else {
        return f(vars);
    };
    let kind = kinds[first.index()];
    for a in model.agencies_of(kind) {
        vars[first.index()] = Some(a);
        if !for_each_assignment(model, rest, kinds, vars, f) {
            return false;
        }
    }
    vars[first.index()] = None;
    true
}

/// For each data, the agencies where it can originate: every instance of a `collect`
/// endpoint, and (through `derive`) the origins of the data it is derived from.
pub fn origin_agencies(model: &Model) -> Vec<Vec<AgencyId>> {
    let mut sets = vec![vec![false; model.agencies.len()]; model.data.len()];
    for c in &model.collects {
        let kinds: Vec<_> = c.info.vars.iter().map(|v| v.kind).collect();
        let binders: Vec<VarId> = match &c.at {
            Endpoint::Bind(v) => vec![*v],
            Endpoint::Term(_) => Vec::new(),
        };
        let mut vars = vec![None; kinds.len()];
        let set = &mut sets[c.data.index()];
        for_each_assignment(model, &binders, &kinds, &mut vars, &mut |vars| {
            let env = Env { vars, origin: None };
            if let Some(a) = eval_endpoint(model, &c.at, &env) {
                set[a.index()] = true;
            }
            true
        });
    }
    loop {
        let mut changed = false;
        for d in &model.derives {
            let from = sets[d.from.index()].clone();
            for (to, on) in sets[d.data.index()].iter_mut().zip(from) {
                if on && !*to {
                    *to = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    sets.into_iter()
        .map(|set| {
            set.into_iter()
                .enumerate()
                .filter(|(_, on)| *on)
                .map(|(i, _)| AgencyId::from_index(i))
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Ground params, ground formulas, the flow graph and per-origin slices.

use rustc_hash::FxHashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{DataId, Formula, FormulaKind, KindId, ParamId};

/// Every ground param of a model: each `param` and opt-out applied to every tuple of
/// agencies of its argument kinds, in declaration order.
#[derive(Clone, Debug, Default)]
pub struct GroundParams {
    pub list: Vec<(ParamId, Vec<AgencyId>)>,
    /// Params of at most one argument, found without building a key (most are).
    short: FxHashMap<(ParamId, Option<AgencyId>), usize>,
    index: FxHashMap<(ParamId, Vec<AgencyId>), usize>,
}

impl GroundParams {
    pub fn new(model: &Model) -> Self {
        let mut out = GroundParams::default();
        for (p, param) in model.params.iter().enumerate() {
            let p = ParamId::from_index(p);
            let mut tuple = Vec::new();
            out.extend(model, p, &param.args, &mut tuple);
        }
        out
    }

    fn extend(&mut self, model: &Model, p: ParamId, kinds: &[KindId], tuple: &mut Vec<AgencyId>) {
        let Some((first, rest)) = kinds.split_first() else {
            match tuple.as_slice() {
                [] => {
                    self.short.insert((p, None), self.list.len());
                }
                [a] => {
                    self.short.insert((p, Some(*a)), self.list.len());
                }
                _ => {
                    self.index.insert((p, tuple.clone()), self.list.len());
                }
            }
            self.list.push((p, tuple.clone()));
            return;
        };
        for a in model.agencies_of(*first) {
            tuple.push(a);
            self.extend(model, p, rest, tuple);
            tuple.pop();
        }
    }

    pub fn get(&self, p: ParamId, args: &[AgencyId]) -> Option<usize> {
        match args {
            [] => self.short.get(&(p, None)).copied(),
            [a] => self.short.get(&(p, Some(*a))).copied(),
            _ => self.index.get(&(p, args.to_vec())).copied(),
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn name(&self, model: &Model, i: usize) -> String {
        let (p, args) = &self.list[i];
        model.ground_param_name(*p, args)
    }
}

/// A ground formula: propositional over ground params and reachability facts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Prop {
    True,
    False,
    /// A ground param, by index in [`GroundParams`].
    Param(usize),
    /// `(data, origin, at)` is in Reach.
    Reach(DataId, AgencyId, AgencyId),
    /// `flows(data of origin, from -> to)`: the datum is at `from` and some instance of
    /// a flow rule `from -> to` is enabled and not blocked (`cond`).
    Flows {
        data: DataId,
        origin: AgencyId,
        from: AgencyId,
        to: AgencyId,
        cond: Box<Prop>,
    },
    Not(Box<Prop>),
    And(Vec<Prop>),
    Or(Vec<Prop>),
    Iff(Box<Prop>, Box<Prop>),
}

impl Prop {
    pub fn negate(p: Prop) -> Prop {
        match p {
            Prop::True => Prop::False,
            Prop::False => Prop::True,
            Prop::Not(inner) => *inner,
            p => Prop::Not(Box::new(p)),
        }
    }

    pub fn and(parts: impl IntoIterator<Item = Prop>) -> Prop {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Prop::True => {}
                Prop::False => return Prop::False,
                // reuse a nested conjunction's vector: a left-nested chain stays linear
                Prop::And(inner) if out.is_empty() => out = inner,
                Prop::And(inner) => out.extend(inner),
                p => out.push(p),
            }
        }
        match out.len() {
            0 => Prop::True,
            1 => out.pop().unwrap_or(Prop::True),
            _ => Prop::And(out),
        }
    }

    pub fn or(parts: impl IntoIterator<Item = Prop>) -> Prop {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Prop::False => {}
                Prop::True => return Prop::True,
                Prop::Or(inner) if out.is_empty() => out = inner,
                Prop::Or(inner) => out.extend(inner),
                p => out.push(p),
            }
        }
        match out.len() {
            0 => Prop::False,
            1 => out.pop().unwrap_or(Prop::False),
            _ => Prop::Or(out),
        }
    }

    pub fn implies(a: Prop, b: Prop) -> Prop {
        Prop::or([Prop::negate(a), b])
    }

    pub fn iff(a: Prop, b: Prop) -> Prop {
        match (a, b) {
            (Prop::True, b) => b,
            (a, Prop::True) => a,
            (Prop::False, b) => Prop::negate(b),
            (a, Prop::False) => Prop::negate(a),
            (a, b) => Prop::Iff(Box::new(a), Box::new(b)),
        }
    }

    /// Calls `f` on every reachability fact the formula mentions (including the one
    /// inside each `flows`).
    pub fn for_each_reach(&self, f: &mut dyn FnMut(DataId, AgencyId, AgencyId)) {
        match self {
            Prop::Reach(d, o, n) => f(*d, *o, *n),
            Prop::Flows {
                data, origin, from, ..
            } => f(*data, *origin, *from),
            Prop::Not(p) => p.for_each_reach(f),
            Prop::And(ps) | Prop::Or(ps) => ps.iter().for_each(|p| p.for_each_reach(f)),
            Prop::Iff(a, b) => {
                a.for_each_reach(f);
                b.for_each_reach(f);
            }
            Prop::True | Prop::False | Prop::Param(_) => {}
        }
    }

    /// Calls `f` on every ground param the formula mentions.
    pub fn for_each_param(&self, f: &mut dyn FnMut(usize)) {
        match self {
            Prop::Param(i) => f(*i),
            Prop::Flows { cond, .. } => cond.for_each_param(f),
            Prop::Not(p) => p.for_each_param(f),
            Prop::And(ps) | Prop::Or(ps) => ps.iter().for_each(|p| p.for_each_param(f)),
            Prop::Iff(a, b) => {
                a.for_each_param(f);
                b.for_each_param(f);
            }
            Prop::True | Prop::False | Prop::Reach(..) => {}
        }
    }

    /// The truth value under a scenario (`params`) and a reachability oracle.
    pub fn eval(
        &self,
        params: &[bool],
        reach: &dyn Fn(DataId, AgencyId, AgencyId) -> bool,
    ) -> bool {
        match self {
            Prop::True => true,
            Prop::False => false,
            Prop::Param(i) => params.get(*i).copied().unwrap_or(false),
            Prop::Reach(d, o, n) => reach(*d, *o, *n),
            Prop::Flows {
                data,
                origin,
                from,
                cond,
                ..
            } => reach(*data, *origin, *from) && cond.eval(params, reach),
            Prop::Not(p) => !p.eval(params, reach),
            Prop::And(ps) => ps.iter().all(|p| p.eval(params, reach)),
            Prop::Or(ps) => ps.iter().any(|p| p.eval(params, reach)),
            Prop::Iff(a, b) => a.eval(params, reach) == b.eval(params, reach),
        }
    }
}

/// One ground instance of a flow rule: an edge of the flow graph.
#[derive(Clone, Debug)]
pub struct FlowInstance {
    pub data: DataId,
    /// Index of the rule in `model.flows`.
    pub rule: usize,
    /// The values of the rule's binders.
    pub vars: Vec<Option<AgencyId>>,
    /// `Some(o)` when the endpoints mention `origin`: the instance exists for data of
    /// origin `o` only.
    pub origin: Option<AgencyId>,
}

/// One ground instance of a `collect` or `derive` rule, at an agency.
#[derive(Clone, Debug)]
pub struct AtInstance {
    pub rule: usize,
    pub at: AgencyId,
    pub vars: Vec<Option<AgencyId>>,
    pub origin: Option<AgencyId>,
}

/// The ground flow graph: agencies as nodes, flow instances as edges, plus the
/// collect and derive instances and every ground param.
pub struct FlowGraph {
    pub graph: DiGraph<AgencyId, FlowInstance>,
    pub nodes: Vec<NodeIndex>,
    pub collects: Vec<AtInstance>,
    pub derives: Vec<AtInstance>,
    /// For each data, the agencies where it can originate.
    pub origins: Vec<Vec<AgencyId>>,
    pub params: GroundParams,
    /// Per agency: its outgoing flow instances that hold for every origin.
    pub open_out: Vec<Vec<petgraph::graph::EdgeIndex>>,
    /// Per (agency, origin): its outgoing flow instances limited to that origin.
    pub limited_out: FxHashMap<(AgencyId, AgencyId), Vec<petgraph::graph::EdgeIndex>>,
    /// Per agency: the collect and derive instances at it (indices into `collects`
    /// and `derives`).
    pub collects_at: Vec<Vec<usize>>,
    pub derives_at: Vec<Vec<usize>>,
}

fn binder_vars(endpoints: &[&Endpoint]) -> Vec<VarId> {
    endpoints
        .iter()
        .filter_map(|e| match e {
            Endpoint::Bind(v) => Some(*v),
            Endpoint::Term(_) => None,
        })
        .collect()
}

impl FlowGraph {
    /// Grounds every rule of the model over its agencies. Instances whose endpoints are
    /// undefined, and flow instances from an agency to itself, are dropped.
    pub fn new(model: &Model) -> Self {
        let origins = origin_agencies(model);
        let mut graph = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..model.agencies.len())
            .map(|i| graph.add_node(AgencyId::from_index(i)))
            .collect();
        for (rule, flow) in model.flows.iter().enumerate() {
            let kinds: Vec<KindId> = flow.info.vars.iter().map(|v| v.kind).collect();
            let binders = binder_vars(&[&flow.from, &flow.to]);
            let by_origin =
                endpoint_mentions_origin(&flow.from) || endpoint_mentions_origin(&flow.to);
            let choices: Vec<Option<AgencyId>> = if by_origin {
                origins[flow.data.index()]
                    .iter()
                    .copied()
                    .map(Some)
                    .collect()
            } else {
                vec![None]
            };
            for origin in choices {
                let mut vars = vec![None; kinds.len()];
                for_each_assignment(model, &binders, &kinds, &mut vars, &mut |vars| {
                    let env = Env { vars, origin };
                    if let (Some(x), Some(y)) = (
                        eval_endpoint(model, &flow.from, &env),
                        eval_endpoint(model, &flow.to, &env),
                    ) && x != y
                    {
                        graph.add_edge(
                            nodes[x.index()],
                            nodes[y.index()],
                            FlowInstance {
                                data: flow.data,
                                rule,
                                vars: vars.to_vec(),
                                origin,
                            },
                        );
                    }
                    true
                });
            }
        }
        let mut collects = Vec::new();
        for (rule, c) in model.collects.iter().enumerate() {
            at_instances(model, rule, &c.at, &c.info.vars, None, &mut collects);
        }
        let mut derives = Vec::new();
        for (rule, d) in model.derives.iter().enumerate() {
            if endpoint_mentions_origin(&d.at) {
                for o in &origins[d.from.index()] {
                    at_instances(model, rule, &d.at, &d.info.vars, Some(*o), &mut derives);
                }
            } else {
                at_instances(model, rule, &d.at, &d.info.vars, None, &mut derives);
            }
        }
        let mut open_out = vec![Vec::new(); model.agencies.len()];
        let mut limited_out: FxHashMap<(AgencyId, AgencyId), Vec<petgraph::graph::EdgeIndex>> =
            FxHashMap::default();
        for e in graph.edge_indices() {
            let (Some((a, _)), Some(inst)) = (graph.edge_endpoints(e), graph.edge_weight(e)) else {
                continue;
            };
            let from = graph[a];
            match inst.origin {
                None => open_out[from.index()].push(e),
                Some(o) => limited_out.entry((from, o)).or_default().push(e),
            }
        }
        let mut collects_at = vec![Vec::new(); model.agencies.len()];
        for (i, c) in collects.iter().enumerate() {
            collects_at[c.at.index()].push(i);
        }
        let mut derives_at = vec![Vec::new(); model.agencies.len()];
        for (i, d) in derives.iter().enumerate() {
            derives_at[d.at.index()].push(i);
        }
        FlowGraph {
            graph,
            nodes,
            collects,
            derives,
            origins,
            params: GroundParams::new(model),
            open_out,
            limited_out,
            collects_at,
            derives_at,
        }
    }
}

fn at_instances(
    model: &Model,
    rule: usize,
    at: &Endpoint,
    vars: &[crate::model::Var],
    origin: Option<AgencyId>,
    out: &mut Vec<AtInstance>,
) {
    let kinds: Vec<KindId> = vars.iter().map(|v| v.kind).collect();
    let binders = binder_vars(&[at]);
    let mut values = vec![None; kinds.len()];
    for_each_assignment(model, &binders, &kinds, &mut values, &mut |values| {
        let env = Env {
            vars: values,
            origin,
        };
        if let Some(a) = eval_endpoint(model, at, &env) {
            out.push(AtInstance {
                rule,
                at: a,
                vars: values.to_vec(),
                origin,
            });
        }
        true
    });
}

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
        for a in self.model.agencies_of(kinds[first.index()]) {
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
    /// opt-out of an agency that is `origin` or contains it is taken, its condition
    /// holds, and one of its `blocks` has this instance.
    pub fn blocked(&self, data: DataId, origin: AgencyId, from: AgencyId, to: AgencyId) -> Prop {
        let model = self.model;
        let mut parts = Vec::new();
        for optout in &model.optouts {
            let kind = optout.info.vars[optout.var.index()].kind;
            let mut holder = Some(origin);
            let mut steps = 0;
            while let Some(a) = holder {
                if model.agency(a).kind == kind
                    && self.block_matches(optout, a, data, origin, from, to)
                {
                    let Some(taken) = self.graph.params.get(optout.param, &[a]) else {
                        break;
                    };
                    let mut vars = vec![None; optout.info.vars.len()];
                    vars[optout.var.index()] = Some(a);
                    let guard = self.guard(optout.guard.as_ref(), &optout.info, &vars, origin);
                    parts.push(Prop::and([Prop::Param(taken), guard]));
                }
                holder = model.agency(a).parent;
                steps += 1;
                if steps > model.agencies.len() {
                    break;
                }
            }
        }
        Prop::or(parts)
    }

    fn block_matches(
        &self,
        optout: &crate::model::Optout,
        a: AgencyId,
        data: DataId,
        origin: AgencyId,
        from: AgencyId,
        to: AgencyId,
    ) -> bool {
        let model = self.model;
        let kinds: Vec<KindId> = optout.info.vars.iter().map(|v| v.kind).collect();
        optout.blocks.iter().filter(|b| b.data == data).any(|b| {
            let binders = binder_vars(&[&b.from, &b.to]);
            let mut vars = vec![None; kinds.len()];
            vars[optout.var.index()] = Some(a);
            let mut found = false;
            for_each_assignment(model, &binders, &kinds, &mut vars, &mut |vars| {
                let env = Env {
                    vars,
                    origin: Some(origin),
                };
                if eval_endpoint(model, &b.from, &env) == Some(from)
                    && eval_endpoint(model, &b.to, &env) == Some(to)
                {
                    found = true;
                }
                !found
            });
            found
        })
    }
}
