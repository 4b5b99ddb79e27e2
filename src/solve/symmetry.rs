//! Interchangeable agencies, and claims decided on one agency of each class.
//!
//! Two agencies are interchangeable when they have the same kind and the same parent,
//! contain no agency, and no rule, assumption, block or claim names either of them.
//! Then swapping them (and their ground params) maps the ground model onto itself:
//! every rule reaches them only through a variable of their kind, `parent` gives the
//! same agency for both, and equality between variables is kept by a swap. So for a
//! claim `always forall x: K. B(x)`, `B(a)` holds in every admissible scenario exactly
//! when `B(b)` does, and likewise for `possible exists x: K. B(x)`: one agency of each
//! class decides for the whole class. The witness found for it is a real witness.

use crate::ground::{Grounder, Prop};
use crate::model::Mode;
use crate::model::{AgencyId, Endpoint, Formula, FormulaKind, Model, Term};

fn name_term(t: &Term, named: &mut [bool]) {
    match t {
        Term::Agency(a) => {
            if let Some(n) = named.get_mut(a.index()) {
                *n = true;
            }
        }
        Term::Parent(inner) => name_term(inner, named),
        Term::Var(_) | Term::Origin => {}
    }
}

fn name_endpoint(e: &Endpoint, named: &mut [bool]) {
    if let Endpoint::Term(t) = e {
        name_term(t, named);
    }
}

fn name_formula(f: &Formula, named: &mut [bool]) {
    f.walk(&mut |g| match &g.kind {
        FormulaKind::Eq(a, b) | FormulaKind::Ne(a, b) => {
            name_term(a, named);
            name_term(b, named);
        }
        FormulaKind::Param(_, args) => args.iter().for_each(|t| name_term(t, named)),
        FormulaKind::Reaches { origin, at, .. } => {
            name_term(origin, named);
            name_term(at, named);
        }
        FormulaKind::Flows {
            origin, from, to, ..
        } => {
            name_term(origin, named);
            name_term(from, named);
            name_term(to, named);
        }
        _ => {}
    });
}

/// For every agency: the first agency of its class when it is interchangeable with
/// that one (and is not it); `None` for the first of each class and for agencies that
/// are interchangeable with none.
pub fn stand_ins(model: &Model) -> Vec<Option<AgencyId>> {
    let n = model.agencies.len();
    let mut named = vec![false; n];
    let mut has_children = vec![false; n];
    for a in &model.agencies {
        if let Some(p) = a.parent {
            has_children[p.index()] = true;
        }
    }
    let guard = |g: &Option<Formula>, named: &mut [bool]| {
        if let Some(g) = g {
            name_formula(g, named);
        }
    };
    for f in &model.flows {
        name_endpoint(&f.from, &mut named);
        name_endpoint(&f.to, &mut named);
        guard(&f.guard, &mut named);
    }
    for c in &model.collects {
        name_endpoint(&c.at, &mut named);
        guard(&c.guard, &mut named);
    }
    for d in &model.derives {
        name_endpoint(&d.at, &mut named);
        guard(&d.guard, &mut named);
    }
    for o in &model.optouts {
        guard(&o.guard, &mut named);
        for b in &o.blocks {
            name_endpoint(&b.from, &mut named);
            name_endpoint(&b.to, &mut named);
        }
    }
    for a in &model.assumes {
        name_formula(&a.formula, &mut named);
    }
    for c in &model.claims {
        name_formula(&c.formula, &mut named);
    }
    let mut first: std::collections::HashMap<(usize, Option<AgencyId>), AgencyId> =
        std::collections::HashMap::new();
    (0..n)
        .map(|i| {
            if named[i] || has_children[i] {
                return None;
            }
            let a = &model.agencies[i];
            let id = AgencyId::from_index(i);
            let rep = *first.entry((a.kind.index(), a.parent)).or_insert(id);
            (rep != id).then_some(rep)
        })
        .collect()
}

/// The parts of a claim of the shape `always forall x: K. B` or `possible exists x: K.
/// B` (one variable), one per agency of `K` that stands in for no other, or `None` for
/// any other shape.
pub fn parts(
    grounder: &Grounder<'_>,
    claim: usize,
    stand_ins: &[Option<AgencyId>],
) -> Option<Vec<Prop>> {
    let model = grounder.model;
    let c = &model.claims[claim];
    let (vs, body) = match (&c.formula.kind, c.mode) {
        (FormulaKind::Forall(vs, body), Mode::Always)
        | (FormulaKind::Exists(vs, body), Mode::Possible) => (vs, body),
        _ => return None,
    };
    let [v] = vs.as_slice() else {
        return None;
    };
    let kinds = c.info.var_kinds();
    let kind = *kinds.get(v.index())?;
    let mut out = Vec::new();
    for a in model.agencies_of(kind) {
        if stand_ins.get(a.index()).copied().flatten().is_some() {
            continue;
        }
        let mut vars = vec![None; kinds.len()];
        vars[v.index()] = Some(a);
        out.push(grounder.formula(body, &kinds, &mut vars, None));
    }
    Some(out)
}
