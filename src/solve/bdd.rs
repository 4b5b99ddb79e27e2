//! Deciding a small question with binary decision diagrams instead of the solver.
//!
//! A question of the split engine is a goal and the assumption conjuncts of its cone,
//! over params and reachability facts of a few origins. Reachability in a slice is the
//! least fixpoint of "collected here, or arrived by an edge whose condition holds":
//! computed on BDDs by iterating from nothing until no node's set of scenarios grows,
//! it is exact, cycles included (each round can only add scenarios, and there are
//! finitely many). The question is satisfiable iff the BDD of the goal and the cone is
//! not empty, and any satisfying valuation is a scenario for it.
//!
//! This is a fast path: a question whose diagrams grow past a budget goes to Z3, and
//! Z3 stays the engine of record (the differential tests decide every random model
//! with the path on and off, and against the reference).

use biodivine_lib_bdd::{Bdd, BddVariable, BddVariableSet};
use rustc_hash::FxHashMap as HashMap;

use crate::ground::{Grounded, Prop};
use crate::model::{AgencyId, DataId};

/// Past this many nodes in one diagram the question is left to the solver.
const NODE_BUDGET: usize = 20_000;
/// Past this many params in one question the question is left to the solver.
const PARAM_BUDGET: usize = 4_000;

/// What the diagrams found, or `None` when the question went past the budget.
pub enum Found {
    Unsat,
    /// The values of the question's params in a scenario where it holds.
    Sat(Vec<(usize, bool)>),
}

/// The question's params as diagram variables.
struct Vars {
    set: BddVariableSet,
    list: Vec<BddVariable>,
    /// Ground param -> its variable's position in `list`.
    local: HashMap<usize, usize>,
}

/// Keeps a diagram that is within the budget.
fn small(b: Bdd) -> Option<Bdd> {
    (b.size() <= NODE_BUDGET).then_some(b)
}

impl Vars {
    /// A formula over params alone (a slice's condition); `None` past the budget or
    /// for a reachability fact.
    fn plain(&self, p: &Prop) -> Option<Bdd> {
        let b = match p {
            Prop::True => self.set.mk_true(),
            Prop::False => self.set.mk_false(),
            Prop::Param(i) => self.set.mk_var(self.list[*self.local.get(i)?]),
            Prop::Reach(..) | Prop::Flows { .. } => return None,
            Prop::Not(q) => self.plain(q)?.not(),
            Prop::And(ps) => {
                let mut acc = self.set.mk_true();
                for q in ps {
                    acc = small(acc.and(&self.plain(q)?))?;
                }
                acc
            }
            Prop::Or(ps) => {
                let mut acc = self.set.mk_false();
                for q in ps {
                    acc = small(acc.or(&self.plain(q)?))?;
                }
                acc
            }
            Prop::Iff(a, b) => self.plain(a)?.iff(&self.plain(b)?),
        };
        small(b)
    }
}

struct Builder<'g> {
    grounded: &'g mut Grounded,
    vars: Vars,
    /// Per origin: per slice node, the scenarios in which the datum gets there (for
    /// the nodes the question needs; empty for the others).
    reach: HashMap<AgencyId, Vec<Bdd>>,
    needed: Needed,
}

/// Per origin a question reads: the slice nodes whose reachability it needs, the
/// nodes it asks about and every node with a path to one of them (reachability of a
/// node depends on nothing else).
type Needed = HashMap<AgencyId, Vec<bool>>;

/// Every param a question reads (in its goal, its cone's conjuncts, and the parts of
/// the slices they need), and those parts.
fn params_of(grounded: &mut Grounded, props: &[&Prop]) -> (Vec<usize>, Needed) {
    let mut params = Vec::new();
    let mut asked: Vec<(DataId, AgencyId, AgencyId)> = Vec::new();
    for p in props {
        p.for_each_param(&mut |i| params.push(i));
        p.for_each_reach(&mut |d, o, at| asked.push((d, o, at)));
    }
    let mut needed: Needed = HashMap::default();
    for (d, o, at) in asked {
        let slice = grounded.slice(o);
        let Some(&node) = slice.index.get(&(d, at)) else {
            continue;
        };
        let mask = needed
            .entry(o)
            .or_insert_with(|| vec![false; slice.nodes.len()]);
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if mask[n] {
                continue;
            }
            mask[n] = true;
            params.extend(param_list(&slice.base[n]));
            for &k in &slice.incoming[n] {
                let e = &slice.edges[k];
                params.extend(param_list(&e.cond));
                stack.push(e.from);
            }
        }
    }
    params.sort_unstable();
    params.dedup();
    (params, needed)
}

fn param_list(p: &Prop) -> Vec<usize> {
    let mut out = Vec::new();
    p.for_each_param(&mut |i| out.push(i));
    out
}

impl Builder<'_> {
    fn prop(&mut self, p: &Prop) -> Option<Bdd> {
        let b = match p {
            Prop::True | Prop::False | Prop::Param(_) => self.vars.plain(p)?,
            Prop::Reach(d, o, at) => self.reached(*d, *o, *at)?,
            Prop::Flows {
                data,
                origin,
                from,
                cond,
                ..
            } => {
                let at = self.reached(*data, *origin, *from)?;
                let cond = self.prop(cond)?;
                at.and(&cond)
            }
            Prop::Not(q) => self.prop(q)?.not(),
            Prop::And(ps) | Prop::Or(ps) => {
                // stop once the conjunction is false, the disjunction true
                let and = matches!(p, Prop::And(_));
                let mut acc = if and {
                    self.vars.set.mk_true()
                } else {
                    self.vars.set.mk_false()
                };
                for q in ps {
                    let b = self.prop(q)?;
                    acc = small(if and { acc.and(&b) } else { acc.or(&b) })?;
                    if (and && acc.is_false()) || (!and && acc.is_true()) {
                        break;
                    }
                }
                acc
            }
            Prop::Iff(a, b) => self.prop(a)?.iff(&self.prop(b)?),
        };
        small(b)
    }

    /// The scenarios in which data `d` of `origin` gets to `at`.
    fn reached(&mut self, d: DataId, origin: AgencyId, at: AgencyId) -> Option<Bdd> {
        // a node outside the slice is never reached
        let Some(n) = self.grounded.slice(origin).index.get(&(d, at)).copied() else {
            return Some(self.vars.set.mk_false());
        };
        if !self.reach.contains_key(&origin) {
            let sets = self.fixpoint(origin)?;
            self.reach.insert(origin, sets);
        }
        Some(self.reach[&origin][n].clone())
    }

    /// Reachability in the slice of `origin`, node by node: the least fixpoint.
    fn fixpoint(&mut self, origin: AgencyId) -> Option<Vec<Bdd>> {
        let slice = self.grounded.peek_slice(origin)?;
        let mask = self.needed.get(&origin)?;
        let vars = &self.vars;
        let mut sets = Vec::with_capacity(slice.nodes.len());
        for (n, base) in slice.base.iter().enumerate() {
            sets.push(if mask[n] {
                vars.plain(base)?
            } else {
                vars.set.mk_false()
            });
        }
        let mut conds = Vec::with_capacity(slice.edges.len());
        let mut outgoing = vec![Vec::new(); slice.nodes.len()];
        for (k, e) in slice.edges.iter().enumerate() {
            // an edge into a needed node comes from a needed node
            if mask[e.to] {
                conds.push(vars.plain(&e.cond)?);
                outgoing[e.from].push(k);
            } else {
                conds.push(vars.set.mk_false());
            }
        }
        // a worklist of nodes whose set grew, until none does
        let mut queue: Vec<usize> = (0..slice.nodes.len()).filter(|n| mask[*n]).collect();
        let mut queued = mask.clone();
        while let Some(n) = queue.pop() {
            queued[n] = false;
            for &k in &outgoing[n] {
                let e = &slice.edges[k];
                let arrives = sets[n].and(&conds[k]);
                let grown = sets[e.to].or(&arrives);
                if grown != sets[e.to] {
                    sets[e.to] = small(grown)?;
                    if !queued[e.to] {
                        queued[e.to] = true;
                        queue.push(e.to);
                    }
                }
            }
        }
        Some(sets)
    }
}

/// Decides `goal` together with `cone` (conjuncts that must hold too), or `None` when
/// the question is past the budget.
pub fn decide(grounded: &mut Grounded, goal: &Prop, cone: &[&Prop]) -> Option<Found> {
    let mut all: Vec<&Prop> = vec![goal];
    all.extend(cone.iter().copied());
    let (params, needed) = params_of(grounded, &all);
    if params.len() > PARAM_BUDGET {
        return None;
    }
    let set = BddVariableSet::new_anonymous(u16::try_from(params.len()).ok()?);
    let list = set.variables();
    let local = params.iter().enumerate().map(|(k, p)| (*p, k)).collect();
    let mut b = Builder {
        grounded,
        vars: Vars { set, list, local },
        reach: HashMap::default(),
        needed,
    };
    let mut question = b.prop(goal)?;
    for c in cone {
        if question.is_false() {
            break;
        }
        question = small(question.and(&b.prop(c)?))?;
    }
    if question.is_false() {
        return Some(Found::Unsat);
    }
    let values = fewest_true(&question, params.len());
    Some(Found::Sat(params.into_iter().zip(values).collect()))
}

/// A satisfying valuation of a diagram (not the constant false) with as few variables
/// true as any: the cheapest path to the true terminal, taking a high edge costing one,
/// every variable off the path false. A scenario shown to people starts from it.
fn fewest_true(bdd: &Bdd, count: usize) -> Vec<bool> {
    use biodivine_lib_bdd::BddPointer;
    // the cost of each node, children first (a node's links point to earlier nodes)
    let root = bdd.root_pointer();
    let mut cost: Vec<usize> = vec![usize::MAX; root.to_index() + 1];
    for i in 0..=root.to_index() {
        let node = BddPointer::from_index(i);
        cost[i] = if node.is_one() {
            0
        } else if node.is_zero() {
            usize::MAX
        } else {
            let (low, high) = (bdd.low_link_of(node), bdd.high_link_of(node));
            cost[low.to_index()].min(cost[high.to_index()].saturating_add(1))
        };
    }
    let mut values = vec![false; count];
    let mut node = root;
    while !node.is_terminal() {
        let (low, high) = (bdd.low_link_of(node), bdd.high_link_of(node));
        if cost[low.to_index()] <= cost[high.to_index()].saturating_add(1) {
            node = low;
        } else {
            values[bdd.var_of(node).to_index()] = true;
            node = high;
        }
    }
    values
}
