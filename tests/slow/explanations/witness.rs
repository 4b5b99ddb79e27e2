//! One witness checked against the reference, in the model it is claimed for:
//! - it replays: admissible, and the claim evaluates as the verdict says;
//! - `needed` is exactly its true params; when `minimal`, no proper subset of them (the
//!   rest false) is admissible and gives the verdict; each made false alone loses it;
//!   `required` is exactly those whose removal alone breaks an assumption;
//! - `instance` makes the claim's body fail (hold) and no earlier assignment does;
//! - every path is a valid route in the scenario; with a route limit, each fact's
//!   routes include its path, are distinct, valid, shortest first (the first a
//!   shortest one), as many as the limit allows when there are that many simple paths,
//!   and none is left out that is shorter than one shown (compared with every simple
//!   path there is, read as a `reaches` fact or as a `flows` fact over the last hop).

use flowproof::model::{AgencyId, DataId, Model};
use flowproof::reference::{Cx, Interpreter};
use flowproof::verdict::{Path, Witness};

use super::Counts;
use super::oracle::{self, Eval};

/// Past this many simple paths to one fact, routes are not compared with all of them.
const PATH_CAP: usize = 2_000;

/// Checks `w`, a witness for claim `claim` of `model`, found with route limit `routes`.
pub fn check(
    model: &Model,
    claim: usize,
    w: &Witness,
    routes: usize,
    n: &mut Counts,
) -> Result<(), String> {
    let interp = Interpreter::new(model);
    let c = &model.claims[claim];
    let expected = oracle::expected(c.mode);
    if w.params.len() != interp.params.len() {
        return Err(format!(
            "the witness has {} params, the model {}",
            w.params.len(),
            interp.params.len()
        ));
    }
    let gives = |set: &[usize]| {
        let mut params = vec![false; w.params.len()];
        for i in set {
            params[*i] = true;
        }
        let world = interp.world(&params);
        let admissible = interp.admissible(&world);
        let holds = interp.holds(&c.formula, &c.info, &world);
        (admissible, admissible && holds == expected)
    };
    let world = interp.world(&w.params);
    if !interp.admissible(&world) {
        return Err("the witness is not admissible in the reference".to_owned());
    }
    if interp.holds(&c.formula, &c.info, &world) != expected {
        return Err("the claim does not evaluate as the verdict says in the witness".to_owned());
    }
    n.add("witnesses replayed");
    // the params it needs
    let on: Vec<usize> = (0..w.params.len()).filter(|i| w.params[*i]).collect();
    if on != w.needed {
        return Err(format!(
            "needed {:?} are not the true params {on:?}",
            w.needed
        ));
    }
    let k = w.needed.len();
    if !w.minimal && k <= flowproof::witness::EXHAUSTIVE_NEEDED {
        return Err(format!("only {k} needed params, not checked to be minimal"));
    }
    if w.minimal {
        for mask in 0..(1u32 << k) - 1 {
            let subset: Vec<usize> = (0..k)
                .filter(|b| mask & (1 << b) != 0)
                .map(|b| w.needed[b])
                .collect();
            if gives(&subset).1 {
                return Err(format!(
                    "{subset:?} gives the verdict, fewer than the needed {:?}",
                    w.needed
                ));
            }
            n.add("smaller sets of params tried");
        }
    }
    let mut required = Vec::new();
    for p in &w.needed {
        let rest: Vec<usize> = w.needed.iter().copied().filter(|q| q != p).collect();
        let (admissible, still) = gives(&rest);
        if still {
            return Err(format!(
                "param {p} is not needed: without it the verdict stands"
            ));
        }
        if !admissible {
            required.push(*p);
        }
    }
    if required != w.required {
        return Err(format!(
            "required {:?}, but removing alone breaks an assumption for {required:?}",
            w.required
        ));
    }
    if k >= 2 {
        n.add("witnesses with several needed params");
    }
    if !required.is_empty() {
        n.add("witnesses with required params");
    }
    if !required.is_empty() && required.len() < k {
        n.add("witnesses with required and other params");
    }
    instance(model, &interp, claim, w, n)?;
    paths(model, &interp, w, routes, n)
}

/// The instance of the claim's leading quantifier the witness names.
fn instance(
    model: &Model,
    interp: &Interpreter<'_>,
    claim: usize,
    w: &Witness,
    n: &mut Counts,
) -> Result<(), String> {
    let c = &model.claims[claim];
    let (vars, body) = oracle::leading(model, claim);
    if vars.is_empty() {
        return if w.instance.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "an instance {:?} for a claim without a leading quantifier",
                w.instance
            ))
        };
    }
    let shown: Vec<_> = w.instance.iter().map(|(v, _)| *v).collect();
    if shown != vars {
        return Err(format!(
            "the instance names {shown:?}, the claim's leading variables are {vars:?}"
        ));
    }
    let world = interp.world(&w.params);
    let expected = oracle::expected(c.mode);
    let cx = Cx {
        vars: &c.info.vars,
        origin: None,
    };
    let value = |agencies: &[AgencyId]| {
        let mut env = vec![None; c.info.vars.len()];
        for (v, a) in vars.iter().zip(agencies) {
            env[v.index()] = Some(*a);
        }
        interp.eval(body, &cx, &mut env, &world)
    };
    let named: Vec<AgencyId> = w.instance.iter().map(|(_, a)| *a).collect();
    if value(&named) != expected {
        return Err(format!(
            "the body under {:?} does not {} in the witness",
            w.instance,
            if expected { "hold" } else { "fail" }
        ));
    }
    for earlier in oracle::assignments(model, &c.info, &vars) {
        if earlier == named {
            break;
        }
        if value(&earlier) == expected {
            return Err(format!(
                "{earlier:?} comes before the instance {named:?} and shows the verdict too"
            ));
        }
    }
    n.add("instances checked");
    if vars.len() > 1 {
        n.add("instances of several variables");
    }
    if named
        != oracle::assignments(model, &c.info, &vars)
            .first()
            .cloned()
            .unwrap_or_default()
    {
        n.add("instances past the first assignment");
    }
    Ok(())
}

/// Paths and routes.
fn paths(
    model: &Model,
    interp: &Interpreter<'_>,
    w: &Witness,
    limit: usize,
    n: &mut Counts,
) -> Result<(), String> {
    let world = interp.world(&w.params);
    let eval = |origin: AgencyId| Eval {
        model,
        interp,
        world: &world,
        origin,
    };
    for (k, p) in w.paths.iter().enumerate() {
        if let Some(why) = eval(p.origin).invalid(p) {
            let rules: Vec<_> = p.steps.iter().map(|s| s.rule).collect();
            return Err(format!(
                "path {k} is not a route in the witness: {why} (nodes {:?}, rules {rules:?})",
                oracle::nodes(p)
            ));
        }
        n.add("paths checked");
    }
    if w.routes.len() != w.paths.len() {
        return Err(format!(
            "{} sets of routes for {} paths",
            w.routes.len(),
            w.paths.len()
        ));
    }
    for (k, (path, routes)) in w.paths.iter().zip(&w.routes).enumerate() {
        if limit <= 1 {
            if !routes.is_empty() {
                return Err("routes without a route limit".to_owned());
            }
            continue;
        }
        routes_of(&eval(path.origin), path, routes, limit, n)
            .map_err(|why| format!("routes of path {k}: {why}"))?;
    }
    Ok(())
}

fn routes_of(
    eval: &Eval<'_>,
    path: &Path,
    routes: &[Path],
    limit: usize,
    n: &mut Counts,
) -> Result<(), String> {
    if !routes.contains(path) {
        return Err("the path is not among the routes".to_owned());
    }
    if routes.len() > limit {
        return Err(format!("{} routes, more than {limit}", routes.len()));
    }
    for (i, r) in routes.iter().enumerate() {
        if (r.data, r.origin, r.at) != (path.data, path.origin, path.at) {
            return Err(format!("route {i} is for another fact"));
        }
        if let Some(why) = eval.invalid(r) {
            let rules: Vec<_> = r.steps.iter().map(|s| s.rule).collect();
            return Err(format!(
                "route {i} is not valid: {why} (nodes {:?}, rules {rules:?})",
                oracle::nodes(r)
            ));
        }
        for (j, s) in routes.iter().enumerate().take(i) {
            if s.same_way(r) {
                return Err(format!("routes {j} and {i} go the same way"));
            }
        }
        if i > 0 && routes[i - 1].steps.len() > r.steps.len() {
            return Err(format!("route {i} is shorter than the one before"));
        }
    }
    n.add("route sets checked");
    if routes.len() > 1 {
        n.add("route sets with several routes");
    }
    // every simple path there is, for the fact read as a `reaches` fact and, when every
    // route ends with the same hop, as a `flows` fact over that hop: one reading must
    // agree with the routes
    let shown: Vec<Vec<(DataId, AgencyId)>> = routes.iter().map(oracle::nodes).collect();
    let mut readings = vec![eval.simple_paths((path.data, path.at), PATH_CAP)];
    let last = |r: &Path| {
        r.steps
            .last()
            .map(|s| (s.data, s.from, s.to, s.derived_from))
    };
    if let Some(Some(hop)) = routes.first().map(last)
        && hop.3.is_none()
        && routes.iter().all(|r| last(r) == Some(hop))
    {
        readings.push(eval.simple_paths((hop.0, hop.1), PATH_CAP).map(|all| {
            all.into_iter()
                .map(|mut p| {
                    p.push((hop.0, hop.2));
                    p
                })
                .collect()
        }));
    }
    let mut why = String::new();
    for all in readings {
        let Some(all) = all else {
            n.add("route sets with too many paths to compare");
            return Ok(());
        };
        match complete(&shown, &all, limit) {
            Ok(()) => {
                n.add("route sets compared with every simple path");
                return Ok(());
            }
            Err(e) => why = e,
        }
    }
    Err(why)
}

/// Whether the routes shown are the shortest of all simple paths: among them, as many
/// as the limit allows, the first as short as any, none left out shorter than one shown.
fn complete(
    shown: &[Vec<(DataId, AgencyId)>],
    all: &[Vec<(DataId, AgencyId)>],
    limit: usize,
) -> Result<(), String> {
    for (i, r) in shown.iter().enumerate() {
        if !all.contains(r) {
            return Err(format!("route {i} is not among the simple paths"));
        }
    }
    if shown.len() < limit && shown.len() != all.len() {
        return Err(format!(
            "{} routes shown of the limit {limit}, but there are {} simple paths: {:?}",
            shown.len(),
            all.len(),
            all.iter()
                .filter(|p| !shown.contains(p))
                .take(2)
                .collect::<Vec<_>>()
        ));
    }
    let shortest = all.iter().map(Vec::len).min().unwrap_or(0);
    if shown.first().map(Vec::len) != Some(shortest) {
        return Err(format!(
            "the first route has {} nodes, the shortest path {shortest}",
            shown.first().map_or(0, Vec::len)
        ));
    }
    let longest = shown.iter().map(Vec::len).max().unwrap_or(0);
    if let Some(p) = all.iter().find(|p| !shown.contains(p) && p.len() < longest) {
        return Err(format!(
            "a path of {} nodes is left out, shorter than a route shown ({longest}): {p:?}",
            p.len()
        ));
    }
    Ok(())
}
