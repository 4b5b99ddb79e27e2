//! Per-origin slices: for one origin `o`, the part of the (data, agency) graph that
//! data of origin `o` can statically reach, with each edge's condition as a ground
//! formula over params. Strongly connected components (petgraph's Tarjan) say where
//! the solver needs ranks to keep reachability a least fixpoint.

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::ground::{FlowGraph, Grounder, Prop};
use crate::model::{AgencyId, DataId};

/// How an edge of a slice moves a datum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepRule {
    /// Along an instance of `model.flows[rule]`.
    Flow(usize),
    /// By `model.derives[rule]`, at the same agency, from another data.
    Derive(usize),
}

#[derive(Clone, Debug)]
pub struct SliceEdge {
    pub from: usize,
    pub to: usize,
    /// When the edge is taken: its rule's guard, and (for flows) not blocked.
    pub cond: Prop,
    pub rule: StepRule,
}

/// The statically reachable part of the graph for data of one origin.
#[derive(Clone, Debug)]
pub struct Slice {
    pub origin: AgencyId,
    /// `(data, agency)` per node.
    pub nodes: Vec<(DataId, AgencyId)>,
    pub index: HashMap<(DataId, AgencyId), usize>,
    /// Per node: when the datum is collected there (only at the origin).
    pub base: Vec<Prop>,
    pub edges: Vec<SliceEdge>,
    pub incoming: Vec<Vec<usize>>,
    /// Per node: its strongly connected component.
    pub component: Vec<usize>,
    /// Per node: whether its component has a cycle (more than one node).
    pub cyclic: Vec<bool>,
}

impl Slice {
    pub fn new(grounder: &Grounder<'_>, origin: AgencyId) -> Slice {
        let model = grounder.model;
        let graph: &FlowGraph = grounder.graph;
        let mut slice = Slice {
            origin,
            nodes: Vec::new(),
            index: HashMap::default(),
            base: Vec::new(),
            edges: Vec::new(),
            incoming: Vec::new(),
            component: Vec::new(),
            cyclic: Vec::new(),
        };
        let mut queue = VecDeque::new();
        // collected at the origin
        let mut base: HashMap<DataId, Vec<Prop>> = HashMap::default();
        for inst in graph.collects_at[origin.index()]
            .iter()
            .map(|i| &graph.collects[*i])
        {
            let rule = &model.collects[inst.rule];
            let cond = grounder.guard(rule.guard.as_ref(), &rule.info, &inst.vars, origin);
            base.entry(rule.data).or_default().push(cond);
        }
        let mut base: Vec<(DataId, Prop)> =
            base.into_iter().map(|(d, c)| (d, Prop::or(c))).collect();
        base.sort_by_key(|(d, _)| *d);
        for (d, cond) in base {
            if cond != Prop::False {
                let n = slice.node(d, origin, &mut queue);
                slice.base[n] = cond;
            }
        }
        let mut blocked_cache: HashMap<(DataId, AgencyId, AgencyId), Prop> = HashMap::default();
        while let Some(n) = queue.pop_front() {
            let (d, x) = slice.nodes[n];
            let limited = graph.limited_out.get(&(x, origin));
            let out = graph.open_out[x.index()]
                .iter()
                .chain(limited.into_iter().flatten());
            for e in out {
                let (Some(inst), Some((_, to))) =
                    (graph.graph.edge_weight(*e), graph.graph.edge_endpoints(*e))
                else {
                    continue;
                };
                if inst.data != d || inst.origin.is_some_and(|o| o != origin) {
                    continue;
                }
                let y = graph.graph[to];
                let guard = grounder.flow_guard(inst, origin);
                if guard == Prop::False {
                    continue;
                }
                let blocked = blocked_cache
                    .entry((d, x, y))
                    .or_insert_with(|| grounder.blocked(d, origin, x, y))
                    .clone();
                let cond = Prop::and([guard, Prop::negate(blocked)]);
                if cond == Prop::False {
                    continue;
                }
                let m = slice.node(d, y, &mut queue);
                slice.edge(n, m, cond, StepRule::Flow(inst.rule));
            }
            for inst in graph.derives_at[x.index()]
                .iter()
                .map(|i| &graph.derives[*i])
            {
                let rule = &model.derives[inst.rule];
                if rule.from != d || rule.data == d || inst.origin.is_some_and(|o| o != origin) {
                    continue;
                }
                let cond = grounder.guard(rule.guard.as_ref(), &rule.info, &inst.vars, origin);
                if cond == Prop::False {
                    continue;
                }
                let m = slice.node(rule.data, x, &mut queue);
                slice.edge(n, m, cond, StepRule::Derive(inst.rule));
            }
        }
        slice.components();
        slice
    }

    fn node(&mut self, d: DataId, a: AgencyId, queue: &mut VecDeque<usize>) -> usize {
        if let Some(n) = self.index.get(&(d, a)) {
            return *n;
        }
        let n = self.nodes.len();
        self.nodes.push((d, a));
        self.index.insert((d, a), n);
        self.base.push(Prop::False);
        self.incoming.push(Vec::new());
        queue.push_back(n);
        n
    }

    fn edge(&mut self, from: usize, to: usize, cond: Prop, rule: StepRule) {
        let id = self.edges.len();
        self.edges.push(SliceEdge {
            from,
            to,
            cond,
            rule,
        });
        self.incoming[to].push(id);
    }

    fn components(&mut self) {
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(self.nodes.len(), self.edges.len());
        let ids: Vec<_> = (0..self.nodes.len()).map(|_| g.add_node(())).collect();
        for e in &self.edges {
            g.add_edge(ids[e.from], ids[e.to], ());
        }
        self.component = vec![0; self.nodes.len()];
        self.cyclic = vec![false; self.nodes.len()];
        for (c, members) in tarjan_scc(&g).into_iter().enumerate() {
            let cyclic = members.len() > 1;
            for m in members {
                self.component[m.index()] = c;
                self.cyclic[m.index()] = cyclic;
            }
        }
    }

    /// Whether an edge stays inside one cyclic component (the solver ranks those).
    pub fn within_cycle(&self, e: &SliceEdge) -> bool {
        self.cyclic[e.to] && self.component[e.from] == self.component[e.to]
    }

    /// Concrete reachability under a scenario: for every node, the edge it was first
    /// reached by (`Some(None)` for where it is collected, `None` if unreached).
    pub fn reach(&self, params: &[bool]) -> Vec<Option<Option<usize>>> {
        let no_reach = |_: DataId, _: AgencyId, _: AgencyId| false;
        let mut how: Vec<Option<Option<usize>>> = vec![None; self.nodes.len()];
        let mut queue = VecDeque::new();
        for (n, b) in self.base.iter().enumerate() {
            if b.eval(params, &no_reach) {
                how[n] = Some(None);
                queue.push_back(n);
            }
        }
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for (i, e) in self.edges.iter().enumerate() {
            outgoing[e.from].push(i);
        }
        while let Some(n) = queue.pop_front() {
            for &i in &outgoing[n] {
                let e = &self.edges[i];
                if how[e.to].is_none() && e.cond.eval(params, &no_reach) {
                    how[e.to] = Some(Some(i));
                    queue.push_back(e.to);
                }
            }
        }
        how
    }

    /// Up to `limit` distinct routes (edge lists from the origin) by which `(data, at)` is
    /// reached under a scenario, shortest first: simple paths over the edges whose
    /// conditions hold, from where the datum is collected. Routes are distinct as paths
    /// (sequences of nodes): of several rules that move a datum between the same two
    /// nodes, only the first enabled one is taken. The search is breadth-first from
    /// the target backwards, so routes come out in order of length; it is bounded.
    pub fn routes(
        &self,
        params: &[bool],
        data: DataId,
        at: AgencyId,
        limit: usize,
    ) -> Vec<Vec<usize>> {
        const BUDGET: usize = 100_000;
        let Some(&target) = self.index.get(&(data, at)) else {
            return Vec::new();
        };
        let no_reach = |_: DataId, _: AgencyId, _: AgencyId| false;
        let enabled: Vec<bool> = self
            .edges
            .iter()
            .map(|e| e.cond.eval(params, &no_reach))
            .collect();
        let base: Vec<bool> = self
            .base
            .iter()
            .map(|b| b.eval(params, &no_reach))
            .collect();
        let mut found: Vec<Vec<usize>> = Vec::new();
        if base[target] {
            found.push(Vec::new());
        }
        // partial routes, as edges from the target backwards, in order of length
        let mut queue: VecDeque<Vec<usize>> = VecDeque::new();
        queue.push_back(Vec::new());
        let mut budget = BUDGET;
        while let Some(partial) = queue.pop_front() {
            if found.len() >= limit {
                break;
            }
            let node = partial.last().map_or(target, |e| self.edges[*e].from);
            if base[node] && !partial.is_empty() {
                continue; // a route ends where its datum is collected
            }
            let on_route =
                |n: usize| n == target || partial.iter().any(|e| self.edges[*e].from == n);
            let mut taken: Vec<usize> = Vec::new();
            for &e in &self.incoming[node] {
                let from = self.edges[e].from;
                if !enabled[e] || on_route(from) || taken.contains(&from) {
                    continue;
                }
                taken.push(from);
                let mut longer = partial.clone();
                longer.push(e);
                if base[from] {
                    let mut route = longer.clone();
                    route.reverse();
                    found.push(route);
                    if found.len() >= limit {
                        break;
                    }
                }
                if budget == 0 {
                    continue;
                }
                budget -= 1;
                queue.push_back(longer);
            }
        }
        found.truncate(limit);
        found
    }

    /// The edges, in order from the origin, by which `(data, at)` was first reached.
    pub fn path(
        &self,
        how: &[Option<Option<usize>>],
        data: DataId,
        at: AgencyId,
    ) -> Option<Vec<usize>> {
        let mut n = *self.index.get(&(data, at))?;
        let mut edges = Vec::new();
        loop {
            match how[n]? {
                None => break,
                Some(e) => {
                    edges.push(e);
                    n = self.edges[e].from;
                }
            }
            if edges.len() > self.nodes.len() {
                return None;
            }
        }
        edges.reverse();
        Some(edges)
    }
}

/// The slices of one model, built on first use.
#[derive(Default)]
pub(super) struct Slices {
    map: HashMap<AgencyId, Slice>,
}

impl Slices {
    /// The slice of `origin` if it was built already.
    pub(super) fn peek(&self, origin: AgencyId) -> Option<&Slice> {
        self.map.get(&origin)
    }

    /// Builds the slices of these origins that are not built yet, on every core.
    pub(super) fn prebuild(&mut self, grounder: &Grounder<'_>, origins: &[AgencyId]) {
        let mut missing: Vec<AgencyId> = origins
            .iter()
            .copied()
            .filter(|o| !self.map.contains_key(o))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .min(8);
        if workers < 2 || missing.len() < 64 {
            for o in missing {
                self.get(grounder, o);
            }
            return;
        }
        let chunk = missing.len().div_ceil(workers);
        let built: Vec<Vec<Slice>> = std::thread::scope(|scope| {
            let handles: Vec<_> = missing
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|o| Slice::new(grounder, *o))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        for slice in built.into_iter().flatten() {
            self.map.insert(slice.origin, slice);
        }
    }

    pub(super) fn get(&mut self, grounder: &Grounder<'_>, origin: AgencyId) -> &Slice {
        self.map
            .entry(origin)
            .or_insert_with(|| Slice::new(grounder, origin))
    }
}
