//! The ground flow graph (a petgraph `DiGraph`): agencies as nodes, flow instances as
//! edges, plus the collect and derive instances and every ground param.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;

use crate::ground::GroundParams;
use crate::model::eval::{
    Env, binder_vars, endpoint_mentions_origin, eval_endpoint, for_each_assignment, origin_agencies,
};
use crate::model::{AgencyId, DataId, Endpoint, KindId, Model};

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
    /// Per kind: its agencies, in declaration order.
    pub by_kind: Vec<Vec<AgencyId>>,
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
        let mut limited_out: FxHashMap<(AgencyId, AgencyId), Vec<EdgeIndex>> = FxHashMap::default();
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
            by_kind: {
                let mut by_kind = vec![Vec::new(); model.kinds.len()];
                for (i, a) in model.agencies.iter().enumerate() {
                    by_kind[a.kind.index()].push(AgencyId::from_index(i));
                }
                by_kind
            },
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
