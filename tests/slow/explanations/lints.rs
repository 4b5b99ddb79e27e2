//! The lints that say a statement or a clause is idle, checked against the reference
//! wherever they fire:
//! - `flowproof::lint::never_originates` on a `reaches`/`flows` atom: for every value
//!   its origin term can take and in every scenario (admissible or not), the datum is
//!   nowhere for that origin;
//! - `flowproof::lint::clause_never_blocks` on a `blocks` clause: with the clause
//!   dropped, every scenario has the same reachability and the same `flows` facts for
//!   its data, and every claim the same verdict and vacuity in every reading.

use flowproof::check::Checked;
use flowproof::model::{AgencyId, DataId, FormulaKind, Model, RuleInfo, Term, VarId};
use flowproof::reference::{Interpreter, World};

use super::oracle::{self, Eval};
use super::{Counts, views};

/// The byte ranges the lint `code` labels.
fn flagged(checked: &Checked, code: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for d in checked.diagnostics.iter().filter(|d| d.code() == code) {
        if let Some(labels) = d.inner.labels() {
            for l in labels {
                out.push((l.offset(), l.offset() + l.len()));
            }
        }
    }
    out
}

pub fn check(model: &Model, checked: &Checked, n: &mut Counts) -> Result<(), String> {
    let never = flagged(checked, "flowproof::lint::never_originates");
    let clauses = flagged(checked, "flowproof::lint::clause_never_blocks");
    if never.is_empty() && clauses.is_empty() {
        return Ok(());
    }
    let interp = Interpreter::new(model);
    let count = interp.params.len();
    let worlds: Vec<World> = (0..1u64 << count)
        .map(|bits| interp.world(&(0..count).map(|i| bits >> i & 1 == 1).collect::<Vec<_>>()))
        .collect();
    for range in never {
        never_originates(model, &interp, &worlds, range)
            .map_err(|why| format!("never_originates at {range:?}: {why}"))?;
        n.add("lint firings: never originates");
    }
    for range in clauses {
        clause_never_blocks(model, &interp, &worlds, range)
            .map_err(|why| format!("clause_never_blocks at {range:?}: {why}"))?;
        n.add("lint firings: clause never blocks");
    }
    Ok(())
}

fn term_vars(t: &Term, out: &mut Vec<VarId>) {
    match t {
        Term::Var(v) => out.push(*v),
        Term::Parent(inner) => term_vars(inner, out),
        Term::Agency(_) | Term::Origin => {}
    }
}

fn value(model: &Model, t: &Term, vars: &[VarId], env: &[AgencyId]) -> Option<AgencyId> {
    match t {
        Term::Agency(a) => Some(*a),
        Term::Var(v) => vars.iter().position(|w| w == v).map(|i| env[i]),
        Term::Origin => None,
        Term::Parent(inner) => model.agency(value(model, inner, vars, env)?).parent,
    }
}

fn never_originates(
    model: &Model,
    interp: &Interpreter<'_>,
    worlds: &[World],
    (start, end): (usize, usize),
) -> Result<(), String> {
    let mut atom: Option<(DataId, Term, &RuleInfo)> = None;
    for (f, info) in model.statements() {
        f.walk(&mut |g| {
            if g.span.range() == (start..end) {
                match &g.kind {
                    FormulaKind::Reaches { data, origin, .. }
                    | FormulaKind::Flows { data, origin, .. } => {
                        atom = Some((*data, origin.clone(), info));
                    }
                    _ => {}
                }
            }
        });
    }
    let (data, origin, info) = atom.ok_or("the lint labels no `reaches` or `flows` atom")?;
    let mut vars = Vec::new();
    term_vars(&origin, &mut vars);
    vars.sort_unstable();
    vars.dedup();
    for env in oracle::assignments(model, info, &vars) {
        let Some(o) = value(model, &origin, &vars, &env) else {
            continue;
        };
        for world in worlds {
            let eval = Eval {
                model,
                interp,
                world,
                origin: o,
            };
            for at in 0..model.agencies.len() {
                if eval.reaches(data, AgencyId::from_index(at)) {
                    return Err(format!(
                        "{} of {} reaches {} in scenario {:?}",
                        model.data_name(data),
                        model.agency(o).name,
                        model.agencies[at].name,
                        world.params
                    ));
                }
            }
        }
    }
    Ok(())
}

fn clause_never_blocks(
    model: &Model,
    interp: &Interpreter<'_>,
    worlds: &[World],
    (start, end): (usize, usize),
) -> Result<(), String> {
    let (k, j) = model
        .optouts
        .iter()
        .enumerate()
        .find_map(|(k, o)| {
            o.blocks
                .iter()
                .position(|b| b.span.range() == (start..end))
                .map(|j| (k, j))
        })
        .ok_or("the lint labels no clause")?;
    let mut dropped = model.clone();
    let data = dropped.optouts[k].blocks.remove(j).data;
    let other = Interpreter::new(&dropped);
    let places = model.agencies.len();
    for world in worlds {
        let theirs = other.world(&world.params);
        for o in 0..places {
            let o = AgencyId::from_index(o);
            let (a, b) = (
                Eval {
                    model,
                    interp,
                    world,
                    origin: o,
                },
                Eval {
                    model: &dropped,
                    interp: &other,
                    world: &theirs,
                    origin: o,
                },
            );
            for d in 0..model.data.len() {
                let d = DataId::from_index(d);
                for x in 0..places {
                    let x = AgencyId::from_index(x);
                    if a.reaches(d, x) != b.reaches(d, x) {
                        return Err(format!(
                            "dropping it changes whether {} of {o:?} reaches {x:?} in {:?}",
                            model.data_name(d),
                            world.params
                        ));
                    }
                }
            }
            for x in 0..places {
                for y in 0..places {
                    let (x, y) = (AgencyId::from_index(x), AgencyId::from_index(y));
                    if x != y && a.flows(data, x, y) != b.flows(data, x, y) {
                        return Err(format!(
                            "dropping it changes whether {} of {o:?} flows {x:?} -> {y:?} in {:?}",
                            model.data_name(data),
                            world.params
                        ));
                    }
                }
            }
        }
    }
    // and so no verdict, in any reading
    let (mine, theirs) = (views(model), views(&dropped));
    for ((r, a), (_, b)) in mine.iter().zip(&theirs) {
        let all: Vec<usize> = (0..a.claims.len()).collect();
        let words = |m: &Model| {
            oracle::decide_all(m, &all).map(|os| {
                os.iter()
                    .map(flowproof::diff::edits::word)
                    .collect::<Vec<_>>()
            })
        };
        if words(a) != words(b) {
            return Err(format!("dropping it changes a verdict in reading {r:?}"));
        }
    }
    Ok(())
}
