//! Ground formulas and slices → Z3 terms.
//!
//! Reachability is encoded exactly as the least fixpoint: for every node `v` of a slice,
//! `R_v` holds iff `v` is collected or some edge `u → v` is taken from a reached `u`
//! (closure, both directions); inside a cyclic component every supporting edge must
//! also go down an integer rank, so a cycle cannot support itself. Outside cycles plain
//! completion is already exact, and no rank is made.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use z3::Solver;
use z3::ast::{Bool, Int};

use crate::ground::{Grounded, Prop};
use crate::model::AgencyId;

#[derive(Default)]
pub struct Encoder {
    params: HashMap<usize, Bool>,
    reach: HashMap<(AgencyId, usize), Bool>,
    encoded: HashSet<AgencyId>,
}

impl Encoder {
    pub fn param(&mut self, i: usize) -> Bool {
        self.params
            .entry(i)
            .or_insert_with(|| Bool::new_const(format!("p{i}")))
            .clone()
    }

    /// After a satisfiable check of `solver`: writes into `scenario` the value the
    /// solver's model gives every param this encoder made a term for and `keep` accepts
    /// (the others stay as they are). The one place a sat answer becomes a scenario.
    pub fn read_scenario(
        &self,
        solver: &Solver,
        scenario: &mut [bool],
        keep: impl Fn(usize) -> bool,
    ) {
        let Some(m) = solver.get_model() else {
            return;
        };
        for (i, term) in self.params.iter().filter(|(i, _)| keep(**i)) {
            if let (Some(value), Some(b)) = (
                scenario.get_mut(*i),
                m.eval(term, true).and_then(|b| b.as_bool()),
            ) {
                *value = b;
            }
        }
    }

    fn reach_var(&mut self, origin: AgencyId, node: usize) -> Bool {
        self.reach
            .entry((origin, node))
            .or_insert_with(|| Bool::new_const(format!("r{}_{node}", origin.0)))
            .clone()
    }

    /// Asserts the reachability definitions of every slice `p` needs (once per slice).
    pub fn define_reach_for(&mut self, solver: &Solver, grounded: &mut Grounded, p: &Prop) {
        let mut origins = Vec::new();
        p.for_each_reach(&mut |_, o, _| origins.push(o));
        for o in origins {
            self.define_slice(solver, grounded, o);
        }
    }

    /// Takes the reachability definitions of `origin`'s slice as already asserted (by
    /// another encoder, on the same solver, outside the current scope).
    pub fn mark_encoded(&mut self, origin: AgencyId) {
        self.encoded.insert(origin);
    }

    /// Asserts the reachability definitions of `origin`'s slice (once).
    pub fn define_origin(&mut self, solver: &Solver, grounded: &mut Grounded, origin: AgencyId) {
        self.define_slice(solver, grounded, origin);
    }

    fn define_slice(&mut self, solver: &Solver, grounded: &mut Grounded, origin: AgencyId) {
        if !self.encoded.insert(origin) {
            return;
        }
        let slice = grounded.slice(origin);
        let ranks: HashMap<usize, Int> = (0..slice.nodes.len())
            .filter(|n| slice.cyclic[*n])
            .map(|n| (n, Int::new_const(format!("k{}_{n}", origin.0))))
            .collect();
        for v in 0..slice.nodes.len() {
            let rv = self.reach_var(origin, v);
            let base = self.prop_params_only(&slice.base[v]);
            let mut support = vec![base.clone()];
            solver.assert(base.implies(&rv));
            for &e in &slice.incoming[v] {
                let edge = &slice.edges[e];
                let ru = self.reach_var(origin, edge.from);
                let cond = self.prop_params_only(&edge.cond);
                let taken = Bool::and(&[&ru, &cond]);
                solver.assert(taken.implies(&rv));
                if slice.within_cycle(edge) {
                    let (Some(ku), Some(kv)) = (ranks.get(&edge.from), ranks.get(&v)) else {
                        continue;
                    };
                    support.push(Bool::and(&[&taken, &ku.lt(kv)]));
                } else {
                    support.push(taken);
                }
            }
            let support: Vec<&Bool> = support.iter().collect();
            solver.assert(rv.implies(Bool::or(&support)));
        }
    }

    /// A formula over params only (edge conditions and collect conditions).
    fn prop_params_only(&mut self, p: &Prop) -> Bool {
        self.term(p, None)
    }

    /// A ground formula; its reachability atoms need their slices defined first
    /// ([`Encoder::define_reach_for`]).
    pub fn prop(&mut self, grounded: &mut Grounded, p: &Prop) -> Bool {
        self.term(p, Some(grounded))
    }

    fn term(&mut self, p: &Prop, mut grounded: Option<&mut Grounded>) -> Bool {
        match p {
            Prop::True => Bool::from_bool(true),
            Prop::False => Bool::from_bool(false),
            Prop::Param(i) => self.param(*i),
            Prop::Reach(d, o, n) => self.reach_atom(grounded, *d, *o, *n),
            Prop::Flows {
                data,
                origin,
                from,
                cond,
                ..
            } => {
                let at = self.reach_atom(grounded.as_deref_mut(), *data, *origin, *from);
                let cond = self.term(cond, grounded);
                Bool::and(&[&at, &cond])
            }
            Prop::Not(q) => self.term(q, grounded).not(),
            Prop::And(ps) | Prop::Or(ps) => {
                let parts: Vec<Bool> = ps
                    .iter()
                    .map(|q| self.term(q, grounded.as_deref_mut()))
                    .collect();
                let refs: Vec<&Bool> = parts.iter().collect();
                if matches!(p, Prop::And(_)) {
                    Bool::and(&refs)
                } else {
                    Bool::or(&refs)
                }
            }
            Prop::Iff(a, b) => {
                let a = self.term(a, grounded.as_deref_mut());
                let b = self.term(b, grounded);
                a.iff(&b)
            }
        }
    }

    fn reach_atom(
        &mut self,
        grounded: Option<&mut Grounded>,
        d: crate::model::DataId,
        o: AgencyId,
        n: AgencyId,
    ) -> Bool {
        let Some(grounded) = grounded else {
            return Bool::from_bool(false);
        };
        match grounded.slice(o).index.get(&(d, n)).copied() {
            Some(node) => self.reach_var(o, node),
            None => Bool::from_bool(false),
        }
    }
}
