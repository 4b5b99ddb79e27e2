//! Opt-out clauses that can never block anything: no origin the opt-out covers can
//! bring the clause's data to the clause's source by a flow the clause names (section
//! 5.7). Reachability here is static: every flow, collect and derive taken as enabled,
//! so a clause warned about blocks nothing in any scenario.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::check::error::Lint;
use crate::diagnostic::Diagnostic;
use crate::model::eval::{self, Env};
use crate::model::{AgencyId, Block, Covers, DataId, Model, Optout, VarId};

/// A (data, agency) node of the static flow graph.
type Node = (DataId, AgencyId);

/// Per node, the nodes one hop away.
type Hops = HashMap<Node, Vec<Node>>;

/// For one origin: the nodes its data can reach, and the hops of rules that mention
/// `origin`, for that origin.
type Reached = (HashSet<Node>, Hops);

/// Above this many endpoint evaluations the static graph is not built (no warning).
const BUDGET: usize = 2_000_000;

pub(super) fn run(model: &Model, origins: &[Vec<AgencyId>], diagnostics: &mut Vec<Diagnostic>) {
    if model.optouts.is_empty() {
        return;
    }
    let Some(mut graph) = Static::new(model) else {
        return;
    };
    for optout in &model.optouts {
        for block in &optout.blocks {
            match graph.can_block(optout, block, &origins[block.data.index()]) {
                Some(true) | None => {}
                Some(false) => diagnostics.push(Diagnostic::new(
                    block.span.file,
                    Lint::ClauseNeverBlocks {
                        data: model.data_name(block.data).to_owned(),
                        help: help(model, optout),
                        span: block.span,
                    },
                )),
            }
        }
    }
}

fn help(model: &Model, optout: &Optout) -> String {
    let kind = &model.kinds[optout.info.var(optout.var).kind.index()].name;
    match optout.covers {
        Covers::Inside => format!(
            "`covers inside` (the default) protects only data that originates inside the {kind} that opts out; to refuse to pass on data from elsewhere too, write `covers all`; otherwise check the clause's endpoints"
        ),
        Covers::All => {
            "no flow the clause names can carry that data from anywhere: check the clause's endpoints and data".to_owned()
        }
    }
}

/// The static flow graph: for each origin, the nodes its data can reach and the hops
/// between them, every rule taken as enabled.
struct Static<'m> {
    model: &'m Model,
    /// Hops of rules that do not depend on the origin.
    common: Hops,
    /// Per data: where it is collected.
    collected: Vec<Vec<AgencyId>>,
    reached: HashMap<AgencyId, Reached>,
    budget: usize,
}

impl<'m> Static<'m> {
    fn new(model: &'m Model) -> Option<Self> {
        let mut graph = Static {
            model,
            common: HashMap::new(),
            collected: vec![Vec::new(); model.data.len()],
            reached: HashMap::new(),
            budget: BUDGET,
        };
        for c in &model.collects {
            let kinds: Vec<_> = c.info.vars.iter().map(|v| v.kind).collect();
            let binders = eval::binder_vars(&[&c.at]);
            let mut found = Vec::new();
            graph.each(&binders, &kinds, None, &mut |env| {
                if let Some(a) = eval::eval_endpoint(model, &c.at, env) {
                    found.push(a);
                }
            })?;
            graph.collected[c.data.index()].extend(found);
        }
        let mut common = HashMap::new();
        graph.hops(None, &mut common)?;
        graph.common = common;
        Some(graph)
    }

    /// Calls `f` with every assignment of `binders` (and `origin`); `None` once the
    /// budget is spent.
    fn each(
        &mut self,
        binders: &[VarId],
        kinds: &[crate::model::KindId],
        origin: Option<AgencyId>,
        f: &mut dyn FnMut(&Env<'_>),
    ) -> Option<()> {
        let model = self.model;
        let mut vars = vec![None; kinds.len()];
        let mut spent = 0usize;
        let budget = self.budget;
        eval::for_each_assignment(model, binders, kinds, &mut vars, &mut |vars| {
            spent += 1;
            if spent > budget {
                return false;
            }
            f(&Env { vars, origin });
            true
        });
        self.budget = self.budget.checked_sub(spent)?;
        Some(())
    }

    /// The hops of flows and derives: with `origin` None, those of rules that do not
    /// mention `origin`; with an origin, those that do, for data of that origin.
    fn hops(&mut self, origin: Option<AgencyId>, out: &mut Hops) -> Option<()> {
        let model = self.model;
        for flow in &model.flows {
            let mentions = eval::endpoint_mentions_origin(&flow.from)
                || eval::endpoint_mentions_origin(&flow.to);
            if mentions != origin.is_some() {
                continue;
            }
            let kinds: Vec<_> = flow.info.vars.iter().map(|v| v.kind).collect();
            let binders = eval::binder_vars(&[&flow.from, &flow.to]);
            let d = flow.data;
            self.each(&binders, &kinds, origin, &mut |env| {
                if let (Some(x), Some(y)) = (
                    eval::eval_endpoint(model, &flow.from, env),
                    eval::eval_endpoint(model, &flow.to, env),
                ) && x != y
                {
                    out.entry((d, x)).or_default().push((d, y));
                }
            })?;
        }
        for derive in &model.derives {
            if eval::endpoint_mentions_origin(&derive.at) != origin.is_some() {
                continue;
            }
            let kinds: Vec<_> = derive.info.vars.iter().map(|v| v.kind).collect();
            let binders = eval::binder_vars(&[&derive.at]);
            self.each(&binders, &kinds, origin, &mut |env| {
                if let Some(a) = eval::eval_endpoint(model, &derive.at, env) {
                    out.entry((derive.from, a))
                        .or_default()
                        .push((derive.data, a));
                }
            })?;
        }
        Some(())
    }

    /// The nodes data of `origin` can reach, and the origin's own hops.
    fn reach(&mut self, origin: AgencyId) -> Option<&Reached> {
        if !self.reached.contains_key(&origin) {
            let mut own = HashMap::new();
            self.hops(Some(origin), &mut own)?;
            let mut seen: HashSet<Node> = HashSet::new();
            let mut queue: VecDeque<Node> = VecDeque::new();
            for (d, at) in self.collected.iter().enumerate() {
                if at.contains(&origin) {
                    let node = (DataId::from_index(d), origin);
                    if seen.insert(node) {
                        queue.push_back(node);
                    }
                }
            }
            while let Some(node) = queue.pop_front() {
                let next = self.common.get(&node).into_iter().chain(own.get(&node));
                for to in next.flatten() {
                    if seen.insert(*to) {
                        queue.push_back(*to);
                    }
                }
            }
            self.reached.insert(origin, (seen, own));
        }
        self.reached.get(&origin)
    }

    /// Whether some holder and origin it covers can have `block`'s data at the clause's
    /// source with a flow to its target; `None` when the budget ran out.
    fn can_block(&mut self, optout: &Optout, block: &Block, origins: &[AgencyId]) -> Option<bool> {
        let model = self.model;
        let kinds: Vec<_> = optout.info.vars.iter().map(|v| v.kind).collect();
        let holders: Vec<AgencyId> = model.agencies_of(kinds[optout.var.index()]).collect();
        let binders: Vec<VarId> = eval::binder_vars(&[&block.from, &block.to]);
        let d = block.data;
        for h in holders {
            for &o in origins {
                if optout.covers == Covers::Inside && !inside(model, o, h) {
                    continue;
                }
                let mut pairs = Vec::new();
                let mut vars = vec![None; kinds.len()];
                vars[optout.var.index()] = Some(h);
                let mut spent = 0usize;
                eval::for_each_assignment(model, &binders, &kinds, &mut vars, &mut |vars| {
                    spent += 1;
                    let env = Env {
                        vars,
                        origin: Some(o),
                    };
                    if let (Some(x), Some(y)) = (
                        eval::eval_endpoint(model, &block.from, &env),
                        eval::eval_endpoint(model, &block.to, &env),
                    ) {
                        pairs.push((x, y));
                    }
                    spent < BUDGET
                });
                self.budget = self.budget.checked_sub(spent)?;
                self.reach(o)?;
                let (seen, own) = &self.reached[&o];
                let hop = |x: AgencyId, y: AgencyId| {
                    [&self.common, own]
                        .iter()
                        .any(|hops| hops.get(&(d, x)).is_some_and(|to| to.contains(&(d, y))))
                };
                if pairs
                    .iter()
                    .any(|(x, y)| seen.contains(&(d, *x)) && hop(*x, *y))
                {
                    return Some(true);
                }
            }
        }
        Some(false)
    }
}

/// Whether `origin` is `holder` or declared inside it.
fn inside(model: &Model, origin: AgencyId, holder: AgencyId) -> bool {
    let mut at = Some(origin);
    let mut steps = 0;
    while let Some(a) = at {
        if a == holder {
            return true;
        }
        at = model.agency(a).parent;
        steps += 1;
        if steps > model.agencies.len() {
            return false;
        }
    }
    false
}
