//! The Z3 engine against the reference interpreter on thousands of random models:
//! verdicts, vacuity and contradictions must agree, and every Z3 witness must replay
//! in the reference (admissible, and refuting or satisfying its claim).
//!
//! `FLOWPROOF_DIFF_MODELS` sets how many valid models are tested (default 2,000);
//! `FLOWPROOF_DIFF_SEED` the first seed (default 1).

use crate::support;

use std::path::Path;

use flowproof::check::check_text;
use flowproof::ground::{FlowGraph, Grounded};
use flowproof::model::Mode;
use flowproof::model::Model;
use flowproof::reference::Interpreter;
use flowproof::solve::{self, Options};
use flowproof::verdict::{EngineError, Verdict};

const MAX_PARAMS: usize = 8;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How often each construct appeared among the accepted models.
#[derive(Default, Debug, Clone, Copy)]
struct Coverage {
    models: usize,
    claims: usize,
    cyclic: usize,
    derives: usize,
    guarded_optouts: usize,
    optouts: usize,
    origin_endpoints: usize,
    assumes_with_reach: usize,
    empty_kinds: usize,
    undefined_parent: usize,
    nested: usize,
    quantifiers: usize,
    proved: usize,
    refuted: usize,
    vacuous: usize,
    contradictory: usize,
}

impl Coverage {
    fn add(&mut self, o: &Coverage) {
        macro_rules! sum { ($($f:ident),*) => { $(self.$f += o.$f;)* } }
        sum!(
            models,
            claims,
            cyclic,
            derives,
            guarded_optouts,
            optouts,
            origin_endpoints,
            assumes_with_reach,
            empty_kinds,
            undefined_parent,
            nested,
            quantifiers,
            proved,
            refuted,
            vacuous,
            contradictory
        );
    }
}

fn note_constructs(model: &Model, text: &str, cov: &mut Coverage) {
    cov.models += 1;
    cov.claims += model.claims.len();
    let graph = FlowGraph::new(model);
    cov.cyclic += usize::from(petgraph::algo::is_cyclic_directed(&graph.graph));
    cov.derives += usize::from(!model.derives.is_empty());
    cov.optouts += usize::from(!model.optouts.is_empty());
    cov.guarded_optouts += usize::from(model.optouts.iter().any(|o| o.guard.is_some()));
    cov.origin_endpoints +=
        usize::from(text.contains("-> origin") || text.contains("-> parent(origin)"));
    cov.assumes_with_reach += usize::from(
        model
            .assumes
            .iter()
            .any(|a| a.formula.mentions_reachability()),
    );
    cov.empty_kinds += usize::from(text.contains("kind kE;"));
    cov.undefined_parent +=
        usize::from(model.agencies.iter().any(|a| a.parent.is_none()) && text.contains("parent("));
    cov.nested += usize::from(
        model
            .agencies
            .iter()
            .any(|a| a.parent.is_some_and(|p| model.agency(p).parent.is_some())),
    );
    cov.quantifiers += usize::from(text.contains("forall") || text.contains("exists"));
}

/// The configurations of the Z3 engine every model is checked with.
#[derive(Clone, Copy)]
enum Config {
    /// Claims decided part by part on their cones, answers reused, symmetry.
    Fast,
    /// The same, with every single-slice question on a solver of its own.
    FastOwnSolvers,
    /// One question per claim.
    Plain,
}

/// Checks one model with one configuration of the Z3 engine; `Err` carries a
/// description of the disagreement.
fn compare(model: &Model, config: Config, cov: &mut Coverage) -> Result<(), String> {
    let options = Options {
        timeout_ms: None,
        rlimit: None,
        claims: Vec::new(),
        routes: 1,
        split: !matches!(config, Config::Plain),
        own_solver_nodes: match config {
            Config::FastOwnSolvers => 0,
            _ => Options::default().own_solver_nodes,
        },
        ..Options::default()
    };
    let all: Vec<usize> = (0..model.claims.len()).collect();
    let z3 = solve::verify(&mut Grounded::new(model.clone()), &options);
    let reference = flowproof::reference::verify(&Grounded::new(model.clone()), &all, MAX_PARAMS);
    let interp = Interpreter::new(model);
    match (z3, reference) {
        (Err(EngineError::Contradictory { assumes }), Err(EngineError::Contradictory { .. })) => {
            cov.contradictory += 1;
            // the set Z3 names must really conflict, and be minimal
            let worlds = interp.worlds();
            let conflict = |set: &[usize]| {
                worlds.iter().all(|(w, _)| {
                    !set.iter().all(|i| {
                        interp.holds(&model.assumes[*i].formula, &model.assumes[*i].info, w)
                    })
                })
            };
            if !conflict(&assumes) {
                return Err(format!("Z3's conflicting set {assumes:?} is satisfiable"));
            }
            for i in 0..assumes.len() {
                let smaller: Vec<usize> = assumes
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, a)| *a)
                    .collect();
                if conflict(&smaller) {
                    return Err(format!("Z3's conflicting set {assumes:?} is not minimal"));
                }
            }
            Ok(())
        }
        (Ok(zs), Ok(rs)) => {
            for (z, r) in zs.iter().zip(&rs) {
                let name = &model.claims[z.claim].name;
                if z.verdict != r.verdict {
                    return Err(format!(
                        "claim {name}: Z3 says {:?}, reference says {:?}",
                        z.verdict, r.verdict
                    ));
                }
                if z.vacuous.is_some() != r.vacuous.is_some() {
                    return Err(format!(
                        "claim {name}: vacuity differs (Z3 {:?}, reference {:?})",
                        z.vacuous, r.vacuous
                    ));
                }
                match z.verdict {
                    Verdict::Proved => cov.proved += 1,
                    Verdict::Refuted => cov.refuted += 1,
                    Verdict::Unknown(_) => {
                        return Err(format!("claim {name}: unknown without a time limit"));
                    }
                    Verdict::Contested => {
                        return Err(format!(
                            "claim {name}: contested in a file without readings"
                        ));
                    }
                }
                cov.vacuous += usize::from(z.vacuous.is_some());
                let claim = &model.claims[z.claim];
                let needs_witness = (claim.mode == Mode::Always) == (z.verdict == Verdict::Refuted);
                match (&z.witness, needs_witness) {
                    (Some(w), true) => {
                        let world = interp.world(&w.params);
                        if !interp.admissible(&world) {
                            return Err(format!(
                                "claim {name}: Z3's witness violates the assumptions"
                            ));
                        }
                        let holds = interp.holds(&claim.formula, &claim.info, &world);
                        if holds != (claim.mode == Mode::Possible) {
                            return Err(format!(
                                "claim {name}: Z3's witness does not replay in the reference"
                            ));
                        }
                        // the scenario is its needed params, the rest false, and no
                        // smaller set of true params gives the verdict in an admissible
                        // scenario (checked by trying every one)
                        let on: Vec<usize> = (0..w.params.len()).filter(|i| w.params[*i]).collect();
                        if on != w.needed {
                            return Err(format!(
                                "claim {name}: needed {:?} are not the true params {on:?}",
                                w.needed
                            ));
                        }
                        let gives = |set: &[usize]| {
                            let mut params = vec![false; w.params.len()];
                            for i in set {
                                params[*i] = true;
                            }
                            let world = interp.world(&params);
                            (
                                interp.admissible(&world),
                                interp.admissible(&world)
                                    && interp.holds(&claim.formula, &claim.info, &world) == holds,
                            )
                        };
                        let n = w.needed.len();
                        if w.minimal && n <= 16 {
                            for mask in 0..(1u32 << n) - 1 {
                                let subset: Vec<usize> = (0..n)
                                    .filter(|k| mask & (1 << k) != 0)
                                    .map(|k| w.needed[k])
                                    .collect();
                                if gives(&subset).1 {
                                    return Err(format!(
                                        "claim {name}: {subset:?} gives it, fewer than the needed {:?}",
                                        w.needed
                                    ));
                                }
                            }
                        }
                        for p in &w.needed {
                            let rest: Vec<usize> =
                                w.needed.iter().copied().filter(|q| q != p).collect();
                            let (admissible, still) = gives(&rest);
                            if still {
                                return Err(format!("claim {name}: {p} is not needed"));
                            }
                            if w.required.contains(p) == admissible {
                                return Err(format!(
                                    "claim {name}: {p} is said to be required by the assumptions: {}, but without it they hold: {admissible}",
                                    w.required.contains(p)
                                ));
                            }
                        }
                    }
                    (None, false) => {}
                    (w, _) => return Err(format!("claim {name}: witness presence wrong: {w:?}")),
                }
            }
            Ok(())
        }
        (z, r) => Err(format!(
            "engines disagree on the model: Z3 {z:?}, reference {r:?}"
        )),
    }
}

/// Tests `count` accepted models, drawing seeds `first_seed, first_seed + step, ...`.
fn run(first_seed: u64, step: u64, count: u64) -> (Coverage, Vec<String>, u64) {
    let mut cov = Coverage::default();
    let mut failures = Vec::new();
    let mut rejected = 0;
    let mut seed = first_seed;
    while (cov.models as u64) < count && rejected < 10 * count + 100 {
        seed += step;
        let Some(text) = support::random_model::model(seed, MAX_PARAMS) else {
            rejected += 1;
            continue;
        };
        let checked = check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            rejected += 1;
            continue;
        };
        note_constructs(model, &text, &mut cov);
        if let Err(why) = compare(model, Config::Fast, &mut cov).and_then(|()| {
            // the other configurations are checked too, without counting coverage twice
            compare(model, Config::FastOwnSolvers, &mut Coverage::default())?;
            compare(model, Config::Plain, &mut Coverage::default())
        }) {
            failures.push(format!("seed {seed}: {why}\n{text}"));
        }
    }
    (cov, failures, rejected)
}

#[test]
fn z3_engine_agrees_with_the_reference_on_random_models() {
    let count = env_u64("FLOWPROOF_DIFF_MODELS", 2_000);
    let first = env_u64("FLOWPROOF_DIFF_SEED", 1);
    let threads = 2u64;
    let results: Vec<(Coverage, Vec<String>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let share = count / threads + u64::from(t < count % threads);
                s.spawn(move || run(first + t, threads, share))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker panicked"))
            .collect()
    });
    let mut cov = Coverage::default();
    let mut failures = Vec::new();
    let mut rejected = 0;
    for (c, f, r) in results {
        cov.add(&c);
        failures.extend(f);
        rejected += r;
    }
    eprintln!("differential: {cov:?}, {rejected} draws rejected");
    assert!(
        failures.is_empty(),
        "{} disagreements; first:\n{}",
        failures.len(),
        failures[0]
    );
    // the generator must really produce what it claims to cover
    assert_eq!(
        cov.models as u64, count,
        "the generator could not produce enough valid models ({rejected} rejected)"
    );
    assert!(
        rejected < count,
        "the generator wastes most draws: {rejected} rejected for {count} models"
    );
    for (what, n) in [
        ("cyclic flow graphs", cov.cyclic),
        ("derives", cov.derives),
        ("opt-outs", cov.optouts),
        ("guarded opt-outs", cov.guarded_optouts),
        ("origin endpoints", cov.origin_endpoints),
        ("assumptions over reachability", cov.assumes_with_reach),
        ("empty kinds", cov.empty_kinds),
        ("undefined parents", cov.undefined_parent),
        ("nested agencies", cov.nested),
        ("quantifiers", cov.quantifiers),
        ("proved claims", cov.proved),
        ("refuted claims", cov.refuted),
        ("vacuous claims", cov.vacuous),
        ("contradictory assumptions", cov.contradictory),
    ] {
        assert!(n > 0 || count < 200, "no model had {what}: {cov:?}");
    }
}
