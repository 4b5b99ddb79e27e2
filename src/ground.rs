//! Grounding: the checked [`Model`] → [`Grounded`], every rule instantiated over the
//! finite set of agencies. Built once per model and handed to both engines, the
//! explanations and `diff`.
//!
//! - [`params`]: every ground param, numbered;
//! - [`prop`]: ground formulas over params and reachability facts;
//! - [`graph`]: the ground flow graph (flow, collect and derive instances);
//! - [`formula`]: guards, statements and opt-out blocks, ground;
//! - [`slice`]: per origin, the statically reachable part of the (data, agency) graph
//!   with each edge's condition, built on first use.

mod formula;
mod graph;
mod params;
mod prop;
mod slice;

use std::sync::Arc;

pub use formula::Grounder;
pub use graph::{AtInstance, FlowGraph, FlowInstance};
pub use params::GroundParams;
pub use prop::Prop;
pub use slice::{Slice, SliceEdge, StepRule};

use crate::model::{AgencyId, FormulaKind, Mode, Model, VarId};
use crate::span::Span;
use slice::Slices;

/// A model ground once: its flow graph and params, its assumptions as ground formulas,
/// and the per-origin slices (built as questions need them).
pub struct Grounded {
    pub model: Arc<Model>,
    pub graph: FlowGraph,
    /// Every `assume` of the model, ground, in order.
    pub assumptions: Vec<Prop>,
    slices: Slices,
}

/// The ground form of a claim, as both engines' witnesses are explained by.
#[derive(Clone, Debug)]
pub struct GroundClaim {
    /// Index into `model.claims`.
    pub index: usize,
    pub mode: Mode,
    pub prop: Prop,
    /// For an `always forall xs. A => B`: `exists xs. A`, and the span of `A`.
    pub antecedent: Option<(Prop, Span)>,
}

impl Grounded {
    pub fn new(model: impl Into<Arc<Model>>) -> Self {
        let model = model.into();
        let graph = FlowGraph::new(&model);
        let assumptions = {
            let grounder = Grounder::new(&model, &graph);
            model
                .assumes
                .iter()
                .map(|a| grounder.formula(&a.formula, &a.info.var_kinds(), &mut Vec::new(), None))
                .collect()
        };
        Grounded {
            model,
            graph,
            assumptions,
            slices: Slices::default(),
        }
    }

    pub fn params(&self) -> &GroundParams {
        &self.graph.params
    }

    pub fn grounder(&self) -> Grounder<'_> {
        Grounder::new(&self.model, &self.graph)
    }

    /// The slice of `origin`, built on first use.
    pub fn slice(&mut self, origin: AgencyId) -> &Slice {
        let grounder = Grounder::new(&self.model, &self.graph);
        self.slices.get(&grounder, origin)
    }

    /// The slice of `origin` if it was built already.
    pub fn peek_slice(&self, origin: AgencyId) -> Option<&Slice> {
        self.slices.peek(origin)
    }

    /// Builds the slices of these origins that are not built yet, on every core.
    pub fn prebuild(&mut self, origins: &[AgencyId]) {
        let grounder = Grounder::new(&self.model, &self.graph);
        self.slices.prebuild(&grounder, origins);
    }

    /// A claim, ground, with its antecedent when it has the vacuity shape.
    pub fn claim(&self, index: usize) -> GroundClaim {
        let claim = &self.model.claims[index];
        let prop = self.grounder().formula(
            &claim.formula,
            &claim.info.var_kinds(),
            &mut Vec::new(),
            None,
        );
        self.claim_with(index, prop)
    }

    /// The instances of a claim's leading quantifier, the one a verdict names an instance
    /// of: for an `always` claim its leading `forall` variables (a counterexample fails
    /// for one assignment), for a `possible` claim its leading `exists` ones (a witness
    /// holds for one). Calls `f` with each assignment, in the order of agencies, and the
    /// body ground under it, until `f` returns false. Returns the variables (none when
    /// the claim starts with no such quantifier; `f` is not called then).
    pub fn claim_instances(
        &self,
        index: usize,
        f: &mut dyn FnMut(&[AgencyId], Prop) -> bool,
    ) -> Vec<VarId> {
        let claim = &self.model.claims[index];
        let kinds = claim.info.var_kinds();
        let mut vars: Vec<VarId> = Vec::new();
        let mut body = &claim.formula;
        while let (FormulaKind::Forall(vs, inner), Mode::Always)
        | (FormulaKind::Exists(vs, inner), Mode::Possible) = (&body.kind, claim.mode)
        {
            vars.extend(vs.iter().copied());
            body = inner;
        }
        if !vars.is_empty() {
            let grounder = self.grounder();
            let mut env = vec![None; kinds.len()];
            crate::model::eval::for_each_assignment(
                &self.model,
                &vars,
                &kinds,
                &mut env,
                &mut |env| {
                    let mut bound = env.to_vec();
                    let prop = grounder.formula(body, &kinds, &mut bound, None);
                    let agencies: Vec<AgencyId> =
                        vars.iter().filter_map(|v| env[v.index()]).collect();
                    f(&agencies, prop)
                },
            );
        }
        vars
    }

    /// A claim whose formula is already ground as `prop`, with its antecedent.
    pub fn claim_with(&self, index: usize, prop: Prop) -> GroundClaim {
        let claim = &self.model.claims[index];
        let kinds = claim.info.var_kinds();
        let antecedent = match claim.mode {
            Mode::Possible => None,
            Mode::Always => {
                let mut vars = Vec::new();
                let mut body = &claim.formula;
                while let FormulaKind::Forall(vs, inner) = &body.kind {
                    vars.extend(vs.iter().copied());
                    body = inner;
                }
                match &body.kind {
                    FormulaKind::Implies(a, _) => {
                        Some((self.grounder().quantified(false, &vars, &kinds, a), a.span))
                    }
                    _ => None,
                }
            }
        };
        GroundClaim {
            index,
            mode: claim.mode,
            prop,
            antecedent,
        }
    }
}
