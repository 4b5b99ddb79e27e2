//! Terms over the finite set of agencies: evaluating agency terms and endpoints,
//! enumerating the assignments of a rule's binders, and where each data can originate.
//! Read by the checker's lints and by grounding.

use crate::model::{AgencyId, Endpoint, KindId, Model, Term, VarId};

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
    kinds: &[KindId],
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

/// The variables bound by these endpoints (`(v: kind)`), in order.
pub fn binder_vars(endpoints: &[&Endpoint]) -> Vec<VarId> {
    endpoints
        .iter()
        .filter_map(|e| match e {
            Endpoint::Bind(v) => Some(*v),
            Endpoint::Term(_) => None,
        })
        .collect()
}
