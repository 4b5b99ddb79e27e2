//! The Z3 engine against the reference interpreter on thousands of random models,
//! version 1 included.
//!
//! For every model the generator draws and checking accepts:
//! - the reference decides the model (without readings), or each reading's view of it
//!   (`Model::in_reading`), and Z3 decides it directly in every configuration but the
//!   one the pipeline uses below (a reading's view, in one other configuration; a model
//!   without readings whose assumptions admit no scenario, in every one):
//!   verdicts, vacuity and contradictions must agree, every Z3 witness must replay in
//!   the reference (admissible in that view, refuting or satisfying its claim, turning
//!   only on the params it names), and a conflicting set Z3 names must really conflict
//!   and be minimal;
//! - the whole pipeline (`verify_checked`) with `Engine::Z3` and `Engine::Reference`
//!   must give the same errors (contradictory assumptions, or the first contradictory
//!   reading, named), the reference's verdict and vacuity in every reading, the overall
//!   verdict and vacuity of section 5.6 (`contested` included), and a witness in every
//!   reading that replays in that reading (the first reading's overall when the
//!   readings agree);
//! - the same seed drawn without decorations (labels, notes, titles, speakers, dates
//!   written in full) must check exactly when the decorated one does, to the same model
//!   once the decorations are taken out of it, and get the same answers.
//!
//! A model the generator draws must parse: a rejection is a checking error (a param
//! applied out of its kind), never the syntax.
//!
//! `FLOWPROOF_DIFF_MODELS` sets how many valid models are tested (default 2,000);
//! `FLOWPROOF_DIFF_SEED` the first seed (default 1).

use crate::support;
use crate::support::random_model::Features;

use std::collections::BTreeSet;
use std::path::Path;

use flowproof::check::{Checked, check_text};
use flowproof::ground::{FlowGraph, Grounded};
use flowproof::model::{
    Covers, Date, Endpoint, Formula, FormulaKind, Mode, Model, ParamId, Term, Var, VarId,
};
use flowproof::reference::Interpreter;
use flowproof::solve::{self, Options};
use flowproof::verdict::{ClaimOutcome, EngineError, Verdict, Witness};
use flowproof::verify::{Engine, Verified, verify_checked};

const MAX_PARAMS: usize = 8;

const REFERENCE: Engine = Engine::Reference {
    max_params: MAX_PARAMS,
};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How often each construct appeared among the accepted models, and each answer among
/// their claims; every count but `models` and `claims` must be above zero in a run of
/// a few hundred models.
macro_rules! coverage {
    ($($field:ident: $what:literal),* $(,)?) => {
        #[derive(Default, Debug, Clone, Copy)]
        struct Coverage {
            models: usize,
            claims: usize,
            $($field: usize,)*
        }

        impl Coverage {
            fn add(&mut self, o: &Coverage) {
                self.models += o.models;
                self.claims += o.claims;
                $(self.$field += o.$field;)*
            }

            /// Every construct counted, with what it is.
            fn constructs(&self) -> Vec<(&'static str, usize)> {
                vec![$(($what, self.$field)),*]
            }
        }
    };
}

coverage! {
    cyclic: "cyclic flow graphs",
    derives: "derives",
    optouts: "opt-outs",
    guarded_optouts: "guarded opt-outs",
    origin_endpoints: "origin endpoints",
    assumes_with_reach: "assumptions over reachability",
    empty_kinds: "empty kinds",
    undefined_parent: "undefined parents",
    nested: "nested agencies",
    quantifiers: "quantifiers",
    proved: "proved claims",
    refuted: "refuted claims",
    vacuous: "vacuous claims",
    contradictory: "contradictory assumptions",
    v0_style: "models in the version 0 language",
    with_readings: "models with readings",
    readings: "readings",
    empty_readings: "empty readings",
    readings_over_reach: "readings with assumptions over reachability",
    reading_only_params: "params only readings read",
    reading_proved: "claims proved in a reading",
    reading_refuted: "claims refuted in a reading",
    reading_vacuous: "claims vacuous in a reading",
    agreeing: "claims with readings that agree",
    contested: "contested claims",
    vacuous_overall: "claims vacuous in every reading",
    contradictory_readings: "contradictory readings",
    contradictory_under_readings: "contradictory assumptions in files with readings",
    blocking_real_flows: "opt-outs blocking flow rules as written",
    covers_all: "opt-outs covering all",
    covers_inside: "opt-outs written `covers inside`",
    covers_all_decided: "models with `covers all` decided",
    clause_guards: "blocks clauses with conditions",
    clause_guards_on_var: "clause conditions on the opting agency",
    clause_guards_on_origin: "clause conditions on origin",
    clause_guards_quantified: "clause conditions with quantifiers",
    clause_guards_decided: "models with clause conditions decided",
    labels: "labels",
    placeholders: "labels with placeholders",
    notes: "notes",
    speakers: "claims with a speaker or a date",
    partial_dates: "partial dates",
    cites: "citations",
    decorated: "decorated models compared with their plain twins",
}

/// Every term a formula mentions, at any depth (`parent(t)` and `t` both).
fn terms(f: &Formula, out: &mut Vec<Term>) {
    fn term(t: &Term, out: &mut Vec<Term>) {
        out.push(t.clone());
        if let Term::Parent(inner) = t {
            term(inner, out);
        }
    }
    f.walk(&mut |g| match &g.kind {
        FormulaKind::Eq(a, b) | FormulaKind::Ne(a, b) => {
            term(a, out);
            term(b, out);
        }
        FormulaKind::Param(_, args) => args.iter().for_each(|a| term(a, out)),
        FormulaKind::Reaches { origin, at, .. } => {
            term(origin, out);
            term(at, out);
        }
        FormulaKind::Flows {
            origin, from, to, ..
        } => {
            term(origin, out);
            term(from, out);
            term(to, out);
        }
        _ => {}
    });
}

fn mentions_var(f: &Formula, v: VarId) -> bool {
    let mut all = Vec::new();
    terms(f, &mut all);
    all.contains(&Term::Var(v))
}

fn params_in(f: &Formula, out: &mut BTreeSet<ParamId>) {
    f.walk(&mut |g| {
        if let FormulaKind::Param(p, _) = &g.kind {
            out.insert(*p);
        }
    });
}

/// The params read outside the readings: by every rule's conditions, the file's
/// assumptions and the claims.
fn params_read_outside_readings(model: &Model) -> BTreeSet<ParamId> {
    let mut read = BTreeSet::new();
    let guards = model
        .collects
        .iter()
        .filter_map(|c| c.guard.as_ref())
        .chain(model.flows.iter().filter_map(|f| f.guard.as_ref()))
        .chain(model.derives.iter().filter_map(|d| d.guard.as_ref()))
        .chain(model.optouts.iter().filter_map(|o| o.guard.as_ref()))
        .chain(
            model
                .optouts
                .iter()
                .flat_map(|o| o.blocks.iter().filter_map(|b| b.guard.as_ref())),
        )
        .chain(model.assumes.iter().map(|a| &a.formula))
        .chain(model.claims.iter().map(|c| &c.formula));
    for f in guards {
        params_in(f, &mut read);
    }
    // an opt-out's own param is read by the opt-out
    read.extend(model.optouts.iter().map(|o| o.param));
    read
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
    cov.empty_kinds += usize::from(text.contains("kind kE"));
    cov.undefined_parent +=
        usize::from(model.agencies.iter().any(|a| a.parent.is_none()) && text.contains("parent("));
    cov.nested += usize::from(
        model
            .agencies
            .iter()
            .any(|a| a.parent.is_some_and(|p| model.agency(p).parent.is_some())),
    );
    cov.quantifiers += usize::from(text.contains("forall") || text.contains("exists"));

    // version 1
    let has_readings = !model.readings.is_empty();
    cov.with_readings += usize::from(has_readings);
    cov.readings += model.readings.len();
    cov.empty_readings += model
        .readings
        .iter()
        .filter(|r| r.assumes.is_empty())
        .count();
    cov.readings_over_reach += usize::from(
        model
            .readings
            .iter()
            .any(|r| r.assumes.iter().any(|a| a.formula.mentions_reachability())),
    );
    let outside = params_read_outside_readings(model);
    let mut in_readings = BTreeSet::new();
    for a in model.readings.iter().flat_map(|r| &r.assumes) {
        params_in(&a.formula, &mut in_readings);
    }
    cov.reading_only_params += usize::from(in_readings.iter().any(|p| !outside.contains(p)));
    // (binders alike when of one kind; terms with variables never)
    let alike = |a: &Endpoint, a_vars: &[Var], b: &Endpoint, b_vars: &[Var]| match (a, b) {
        (Endpoint::Bind(x), Endpoint::Bind(y)) => a_vars[x.index()].kind == b_vars[y.index()].kind,
        (Endpoint::Term(s), Endpoint::Term(t)) => s == t && !format!("{s:?}").contains("Var"),
        _ => false,
    };
    cov.blocking_real_flows += usize::from(model.optouts.iter().any(|o| {
        o.blocks.iter().any(|b| {
            model.flows.iter().any(|f| {
                f.data == b.data
                    && alike(&f.from, &f.info.vars, &b.from, &o.info.vars)
                    && alike(&f.to, &f.info.vars, &b.to, &o.info.vars)
            })
        })
    }));
    cov.covers_all += usize::from(model.optouts.iter().any(|o| o.covers == Covers::All));
    cov.covers_inside += usize::from(text.contains(" covers inside"));
    let clause_guards: Vec<(VarId, &Formula)> = model
        .optouts
        .iter()
        .flat_map(|o| {
            o.blocks
                .iter()
                .filter_map(move |b| b.guard.as_ref().map(|g| (o.var, g)))
        })
        .collect();
    cov.clause_guards += usize::from(!clause_guards.is_empty());
    cov.clause_guards_on_var += usize::from(clause_guards.iter().any(|(v, g)| mentions_var(g, *v)));
    cov.clause_guards_on_origin += usize::from(clause_guards.iter().any(|(_, g)| {
        let mut all = Vec::new();
        terms(g, &mut all);
        all.contains(&Term::Origin)
    }));
    cov.clause_guards_quantified += usize::from(clause_guards.iter().any(|(_, g)| {
        let mut found = false;
        g.walk(&mut |h| {
            found |= matches!(h.kind, FormulaKind::Forall(..) | FormulaKind::Exists(..));
        });
        found
    }));
    let labelled = model.kinds.iter().any(|k| k.label.is_some())
        || model.agencies.iter().any(|a| a.label.is_some())
        || model.data.iter().any(|d| d.label.is_some())
        || model.params.iter().any(|p| p.label.is_some())
        || model.readings.iter().any(|r| r.label.is_some());
    cov.labels += usize::from(labelled);
    cov.placeholders += usize::from(
        model
            .params
            .iter()
            .any(|p| p.label.as_ref().is_some_and(|l| l.contains('{'))),
    );
    let infos = model
        .collects
        .iter()
        .map(|c| &c.info)
        .chain(model.flows.iter().map(|f| &f.info))
        .chain(model.derives.iter().map(|d| &d.info))
        .chain(model.optouts.iter().map(|o| &o.info))
        .chain(model.assumes.iter().map(|a| &a.info))
        .chain(model.claims.iter().map(|c| &c.info))
        .chain(
            model
                .readings
                .iter()
                .flat_map(|r| r.assumes.iter().map(|a| &a.info)),
        )
        .chain(model.readings.iter().map(|r| &r.info));
    let (mut noted, mut cited) = (false, false);
    for info in infos {
        noted |= info.note.is_some();
        cited |= !info.cites.is_empty();
    }
    noted |= model.readings.iter().any(|r| r.note.is_some());
    cov.notes += usize::from(noted);
    cov.cites += usize::from(cited);
    cov.speakers += usize::from(
        model
            .claims
            .iter()
            .any(|c| c.by.is_some() || c.said.is_some()),
    );
    let dates = model
        .policy
        .iter()
        .filter_map(|p| p.date)
        .chain(model.sources.iter().filter_map(|s| s.date))
        .chain(model.claims.iter().filter_map(|c| c.said));
    let partial = dates.clone().any(|d| d.day.is_none());
    cov.partial_dates += usize::from(partial);
    let decorated = labelled
        || noted
        || partial
        || model.claims.iter().any(|c| c.title.is_some())
        || model
            .claims
            .iter()
            .any(|c| c.by.is_some() || c.said.is_some());
    let v1 = has_readings
        || !model.sources.is_empty()
        || text.contains(" covers ")
        || !clause_guards.is_empty();
    cov.v0_style += usize::from(!v1 && !decorated);
}

/// The configurations of the Z3 engine every model is checked with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Config {
    /// Claims decided part by part on their cones, answers reused, symmetry, small
    /// questions decided by diagrams.
    Fast,
    /// The same, every question asked of the solver.
    FastSolverOnly,
    /// The same, every question asked of the solver, each single-slice question on a
    /// solver of its own.
    FastOwnSolvers,
    /// One question per claim.
    Plain,
}

const CONFIGS: [Config; 4] = [
    Config::Fast,
    Config::FastSolverOnly,
    Config::FastOwnSolvers,
    Config::Plain,
];

fn options(config: Config) -> Options {
    Options {
        timeout_ms: None,
        rlimit: None,
        claims: Vec::new(),
        routes: 1,
        split: !matches!(config, Config::Plain),
        bdd: matches!(config, Config::Fast),
        own_solver_nodes: match config {
            Config::FastOwnSolvers => 0,
            _ => Options::default().own_solver_nodes,
        },
        ..Options::default()
    }
}

/// Whether a claim's verdict comes with a witness: a refuted `always`, a proved
/// `possible`.
fn needs_witness(mode: Mode, verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Proved => mode == Mode::Possible,
        Verdict::Refuted => mode == Mode::Always,
        Verdict::Unknown(_) | Verdict::Contested => false,
    }
}

/// A witness of claim `claim` (decided `verdict`) replays in the reference on `view`
/// (the model, or the model in one reading): admissible there, the claim's value the
/// one the verdict needs; with `check_needed`, its true params exactly its needed
/// ones, each of them needed, the set subset-minimal when it says so (every smaller
/// set tried), and those the assumptions require named as such.
fn replays(
    view: &Model,
    claim: usize,
    witness: &Witness,
    check_needed: bool,
) -> Result<(), String> {
    let interp = Interpreter::new(view);
    let claim = &view.claims[claim];
    let name = &claim.name;
    if witness.params.len() != interp.params.len() {
        return Err(format!(
            "claim {name}: the witness has {} params, the model {}",
            witness.params.len(),
            interp.params.len()
        ));
    }
    let world = interp.world(&witness.params);
    if !interp.admissible(&world) {
        return Err(format!(
            "claim {name}: the witness violates the assumptions"
        ));
    }
    let holds = interp.holds(&claim.formula, &claim.info, &world);
    if holds != (claim.mode == Mode::Possible) {
        return Err(format!(
            "claim {name}: the witness does not replay in the reference"
        ));
    }
    if check_needed {
        // the scenario is its needed params, the rest false, and no smaller set of
        // true params gives the verdict in an admissible scenario (checked by trying
        // every one); each needed param is needed, and said to be required by the
        // assumptions exactly when dropping it breaks them
        let on: Vec<usize> = (0..witness.params.len())
            .filter(|i| witness.params[*i])
            .collect();
        if on != witness.needed {
            return Err(format!(
                "claim {name}: needed {:?} are not the true params {on:?}",
                witness.needed
            ));
        }
        let gives = |set: &[usize]| {
            let mut params = vec![false; witness.params.len()];
            for i in set {
                params[*i] = true;
            }
            let world = interp.world(&params);
            let admissible = interp.admissible(&world);
            (
                admissible,
                admissible && interp.holds(&claim.formula, &claim.info, &world) == holds,
            )
        };
        let n = witness.needed.len();
        if witness.minimal && n <= 16 {
            for mask in 0..(1u32 << n) - 1 {
                let subset: Vec<usize> = (0..n)
                    .filter(|k| mask & (1 << k) != 0)
                    .map(|k| witness.needed[k])
                    .collect();
                if gives(&subset).1 {
                    return Err(format!(
                        "claim {name}: {subset:?} gives it, fewer than the needed {:?}",
                        witness.needed
                    ));
                }
            }
        }
        for p in &witness.needed {
            let rest: Vec<usize> = witness.needed.iter().copied().filter(|q| q != p).collect();
            let (admissible, still) = gives(&rest);
            if still {
                return Err(format!("claim {name}: {p} is not needed"));
            }
            if witness.required.contains(p) == admissible {
                return Err(format!(
                    "claim {name}: {p} is said to be required by the assumptions: {}, but without it they hold: {admissible}",
                    witness.required.contains(p)
                ));
            }
        }
    }
    Ok(())
}

/// The reference's answer for a model (or one reading's view of it).
type Answer = Result<Vec<ClaimOutcome>, EngineError>;

/// Checks one model (or one reading's view of it) with one configuration of the Z3
/// engine against the reference's answer for it; `Err` carries a description of the
/// disagreement.
fn compare(model: &Model, config: Config, reference: &Answer) -> Result<(), String> {
    let z3 = solve::verify(&mut Grounded::new(model.clone()), &options(config));
    match (z3, reference) {
        (Err(EngineError::Contradictory { assumes }), Err(EngineError::Contradictory { .. })) => {
            // the set Z3 names must really conflict, and be minimal
            let interp = Interpreter::new(model);
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
            if zs.len() != model.claims.len() || rs.len() != model.claims.len() {
                return Err(format!(
                    "{} claims, Z3 decided {} and the reference {}",
                    model.claims.len(),
                    zs.len(),
                    rs.len()
                ));
            }
            for (z, r) in zs.iter().zip(rs) {
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
                if matches!(z.verdict, Verdict::Unknown(_) | Verdict::Contested) {
                    return Err(format!(
                        "claim {name}: {:?} from an engine without a time limit",
                        z.verdict
                    ));
                }
                let claim = &model.claims[z.claim];
                match (&z.witness, needs_witness(claim.mode, &z.verdict)) {
                    (Some(w), true) => replays(model, z.claim, w, true)
                        .map_err(|why| format!("Z3's witness: {why}"))?,
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

/// What the pipeline must answer for a model, from the reference's answers for its
/// views.
enum Expected<'a> {
    /// `flowproof::verify::contradictory_assumptions`.
    Contradictory,
    /// `flowproof::verify::contradictory_reading`, naming the first such reading.
    ContradictoryReading(&'a str),
    /// Without readings, the model's outcomes; with readings, each reading's (the
    /// reference's, witnesses aside).
    Outcomes(Vec<Vec<ClaimOutcome>>),
}

/// The overall verdict of section 5.6 from the readings' (none unknown here).
fn combined(verdicts: &[&Verdict]) -> Verdict {
    match verdicts.split_first() {
        None => Verdict::Proved,
        Some((first, rest)) if rest.iter().all(|v| v == first) => (*first).clone(),
        Some(_) => Verdict::Contested,
    }
}

/// One run of the pipeline against what it must answer.
fn check_pipeline(
    model: &Model,
    verified: &Verified,
    expected: &Expected<'_>,
    cov: &mut Coverage,
) -> Result<(), String> {
    let errors: Vec<(String, String)> = verified
        .errors
        .iter()
        .map(|d| (d.code(), d.message()))
        .collect();
    let wanted = match expected {
        Expected::Contradictory => Some(("flowproof::verify::contradictory_assumptions", None)),
        Expected::ContradictoryReading(r) => {
            Some(("flowproof::verify::contradictory_reading", Some(*r)))
        }
        Expected::Outcomes(_) => None,
    };
    match (wanted, errors.as_slice()) {
        (None, []) => {}
        (Some((code, reading)), [(got, message)]) if got == code => {
            if let Some(r) = reading {
                let named = format!("reading `{r}` is contradictory");
                if !message.starts_with(&named) {
                    return Err(format!("expected {named}, got: {message}"));
                }
            }
            if !verified.outcomes.is_empty() {
                return Err("verdicts given beside a contradiction".to_owned());
            }
            return Ok(());
        }
        (wanted, got) => {
            return Err(format!("expected the error {wanted:?}, got {got:?}"));
        }
    }
    let Expected::Outcomes(per_view) = expected else {
        return Err("no outcomes expected".to_owned());
    };
    if verified.outcomes.len() != model.claims.len() {
        return Err(format!(
            "{} outcomes for {} claims",
            verified.outcomes.len(),
            model.claims.len()
        ));
    }
    for (k, outcome) in verified.outcomes.iter().enumerate() {
        let claim = &model.claims[k];
        let name = &claim.name;
        if outcome.claim != k {
            return Err(format!("outcome {k} is of claim {}", outcome.claim));
        }
        if model.readings.is_empty() {
            let direct = &per_view[0][k];
            if !outcome.readings.is_empty() {
                return Err(format!("claim {name}: readings in a file without any"));
            }
            if outcome.verdict != direct.verdict
                || outcome.vacuous.is_some() != direct.vacuous.is_some()
            {
                return Err(format!(
                    "claim {name}: the pipeline says {:?} (vacuous {}), the reference on the model {:?} (vacuous {})",
                    outcome.verdict,
                    outcome.vacuous.is_some(),
                    direct.verdict,
                    direct.vacuous.is_some()
                ));
            }
            match (
                &outcome.witness,
                needs_witness(claim.mode, &outcome.verdict),
            ) {
                (Some(w), true) => replays(model, k, w, true)?,
                (None, false) => {}
                (w, _) => return Err(format!("claim {name}: witness presence wrong: {w:?}")),
            }
            continue;
        }
        if outcome.readings.len() != model.readings.len() {
            return Err(format!(
                "claim {name}: decided in {} of {} readings",
                outcome.readings.len(),
                model.readings.len()
            ));
        }
        for (r, reading) in outcome.readings.iter().enumerate() {
            let rname = &model.readings[r].name;
            let direct = &per_view[r][k];
            if reading.reading != r {
                return Err(format!("claim {name}: reading {r} is {}", reading.reading));
            }
            if reading.verdict != direct.verdict
                || reading.vacuous.is_some() != direct.vacuous.is_some()
            {
                return Err(format!(
                    "claim {name} in reading {rname}: the pipeline says {:?} (vacuous {}), the reference on the reading {:?} (vacuous {})",
                    reading.verdict,
                    reading.vacuous.is_some(),
                    direct.verdict,
                    direct.vacuous.is_some()
                ));
            }
            match reading.verdict {
                Verdict::Proved => cov.reading_proved += 1,
                Verdict::Refuted => cov.reading_refuted += 1,
                _ => {}
            }
            cov.reading_vacuous += usize::from(reading.vacuous.is_some());
            match (
                &reading.witness,
                needs_witness(claim.mode, &reading.verdict),
            ) {
                (Some(w), true) => replays(&model.in_reading(r), k, w, true)
                    .map_err(|why| format!("in reading {rname}: {why}"))?,
                (None, false) => {}
                (w, _) => {
                    return Err(format!(
                        "claim {name} in reading {rname}: witness presence wrong: {w:?}"
                    ));
                }
            }
        }
        let verdicts: Vec<&Verdict> = outcome.readings.iter().map(|r| &r.verdict).collect();
        let overall = combined(&verdicts);
        if outcome.verdict != overall {
            return Err(format!(
                "claim {name}: overall {:?}, from the readings' {verdicts:?}",
                outcome.verdict
            ));
        }
        let vacuous =
            overall == Verdict::Proved && outcome.readings.iter().all(|r| r.vacuous.is_some());
        if outcome.vacuous.is_some() != vacuous {
            return Err(format!(
                "claim {name}: overall vacuity {}, in the readings {:?}",
                outcome.vacuous.is_some(),
                outcome
                    .readings
                    .iter()
                    .map(|r| r.vacuous.is_some())
                    .collect::<Vec<_>>()
            ));
        }
        match overall {
            Verdict::Contested => cov.contested += 1,
            _ => cov.agreeing += 1,
        }
        cov.vacuous_overall += usize::from(vacuous);
        // the witness shown overall is the first reading's when the verdict is common
        let first = if overall == Verdict::Contested {
            None
        } else {
            outcome.readings[0].witness.as_ref()
        };
        if outcome.witness.as_ref() != first {
            return Err(format!(
                "claim {name}: the overall witness is not the first reading's ({overall:?})"
            ));
        }
    }
    Ok(())
}

/// The same answers from the same engine for a model and its undecorated twin:
/// errors, verdicts and vacuity overall and in every reading, witnesses where they
/// are due (and with the reference, which enumerates in a fixed order, the same
/// witness scenarios).
fn same_answers(
    decorated: &Verified,
    plain: &Verified,
    same_witnesses: bool,
) -> Result<(), String> {
    let errors = |v: &Verified| -> Vec<(String, String)> {
        v.errors.iter().map(|d| (d.code(), d.message())).collect()
    };
    if errors(decorated) != errors(plain) {
        return Err(format!(
            "decorated {:?}, plain {:?}",
            errors(decorated),
            errors(plain)
        ));
    }
    type Answer = (String, bool, Option<Vec<bool>>);
    let answers = |v: &Verified| -> Vec<(Answer, Vec<Answer>)> {
        v.outcomes
            .iter()
            .map(|o| {
                let witness = |w: &Option<Witness>| {
                    w.as_ref().map(|w| {
                        if same_witnesses {
                            w.params.clone()
                        } else {
                            Vec::new()
                        }
                    })
                };
                (
                    (
                        o.verdict.word().to_owned(),
                        o.vacuous.is_some(),
                        witness(&o.witness),
                    ),
                    o.readings
                        .iter()
                        .map(|r| {
                            (
                                r.verdict.word().to_owned(),
                                r.vacuous.is_some(),
                                witness(&r.witness),
                            )
                        })
                        .collect(),
                )
            })
            .collect()
    };
    let (a, b) = (answers(decorated), answers(plain));
    if a != b {
        return Err(format!("decorated {a:?}\nplain {b:?}"));
    }
    Ok(())
}

/// The model with what must not change a verdict taken out: labels, notes, claims'
/// titles, speakers and dates, and every date in full (a partial one as its first day).
fn undecorated(model: &Model) -> Model {
    let mut m = model.clone();
    let full = |d: Date| {
        let (y, mo, day) = d.first_day();
        Date::ymd(y, mo, day)
    };
    if let Some(p) = m.policy.as_mut() {
        p.date = p.date.map(full);
    }
    for s in &mut m.sources {
        s.date = s.date.map(full);
    }
    m.kinds.iter_mut().for_each(|k| k.label = None);
    m.agencies.iter_mut().for_each(|a| a.label = None);
    m.data.iter_mut().for_each(|d| d.label = None);
    m.params.iter_mut().for_each(|p| p.label = None);
    for c in &mut m.claims {
        c.title = None;
        c.by = None;
        c.said = None;
    }
    for r in &mut m.readings {
        r.label = None;
        r.note = None;
    }
    let infos = m
        .collects
        .iter_mut()
        .map(|c| &mut c.info)
        .chain(m.flows.iter_mut().map(|f| &mut f.info))
        .chain(m.derives.iter_mut().map(|d| &mut d.info))
        .chain(m.optouts.iter_mut().map(|o| &mut o.info))
        .chain(m.assumes.iter_mut().map(|a| &mut a.info))
        .chain(m.claims.iter_mut().map(|c| &mut c.info))
        .chain(
            m.readings
                .iter_mut()
                .flat_map(|r| r.assumes.iter_mut().map(|a| &mut a.info)),
        );
    infos.for_each(|i| i.note = None);
    for r in &mut m.readings {
        r.info.note = None;
    }
    m
}

fn checked(text: &str) -> Checked {
    check_text(Path::new("random.flow"), text)
}

/// Every check of one accepted model.
fn check_model(seed: u64, model: &Model, text: &str, cov: &mut Coverage) -> Result<(), String> {
    // the pipeline below runs Z3 in one configuration, chosen by the seed
    let config = CONFIGS[(seed % 3) as usize];
    // the model without readings, or each reading's view of it: decided by the
    // reference, and directly by Z3 in the other configurations (for the views of
    // readings, in the next one only, to keep the time a run takes; a model without
    // readings in every one when no scenario is admissible: the pipeline does not say
    // which assumptions conflict)
    let direct: Vec<Config> = if model.readings.is_empty() {
        CONFIGS.into_iter().filter(|c| *c != config).collect()
    } else {
        vec![CONFIGS[((seed + 1) % 3) as usize]]
    };
    let views: Vec<Model> = if model.readings.is_empty() {
        vec![model.clone()]
    } else {
        (0..model.readings.len())
            .map(|r| model.in_reading(r))
            .collect()
    };
    let mut answers: Vec<Answer> = Vec::new();
    for (r, view) in views.iter().enumerate() {
        let all: Vec<usize> = (0..view.claims.len()).collect();
        let reference =
            flowproof::reference::verify(&Grounded::new(view.clone()), &all, MAX_PARAMS);
        if let Err(e) = &reference
            && !matches!(e, EngineError::Contradictory { .. })
        {
            return Err(format!("the reference could not decide: {e}"));
        }
        for c in CONFIGS {
            let contradictory = reference.is_err() && model.readings.is_empty();
            if direct.contains(&c) || contradictory {
                compare(view, c, &reference).map_err(|why| match model.readings.get(r) {
                    None => why,
                    Some(reading) => format!("in reading {}: {why}", reading.name),
                })?;
            }
        }
        answers.push(reference);
    }
    if model.readings.is_empty() {
        match &answers[0] {
            Ok(outcomes) => {
                for o in outcomes {
                    match o.verdict {
                        Verdict::Proved => cov.proved += 1,
                        _ => cov.refuted += 1,
                    }
                    cov.vacuous += usize::from(o.vacuous.is_some());
                }
            }
            Err(_) => cov.contradictory += 1,
        }
    }
    let expected = match answers.iter().position(Result::is_err) {
        None => Expected::Outcomes(answers.into_iter().map(Result::unwrap_or_default).collect()),
        Some(_) if model.readings.is_empty() => Expected::Contradictory,
        Some(r) => {
            // contradictory assumptions of the file come first; else the first
            // contradictory reading is named
            let own = if answers.iter().any(Result::is_ok) {
                Ok(Vec::new())
            } else {
                flowproof::reference::verify(&Grounded::new(model.clone()), &[], MAX_PARAMS)
            };
            match own {
                Ok(_) => {
                    cov.contradictory_readings += 1;
                    Expected::ContradictoryReading(&model.readings[r].name)
                }
                Err(EngineError::Contradictory { .. }) => {
                    cov.contradictory_under_readings += 1;
                    cov.contradictory += 1;
                    Expected::Contradictory
                }
                Err(e) => return Err(format!("the reference on the file's own assumptions: {e}")),
            }
        }
    };
    if matches!(expected, Expected::Outcomes(_)) {
        cov.covers_all_decided +=
            usize::from(model.optouts.iter().any(|o| o.covers == Covers::All));
        cov.clause_guards_decided += usize::from(
            model
                .optouts
                .iter()
                .any(|o| o.blocks.iter().any(|b| b.guard.is_some())),
        );
    }

    // the whole pipeline, with each engine
    let z3 = verify_checked(checked(text), &options(config), Engine::Z3);
    check_pipeline(model, &z3, &expected, cov)
        .map_err(|why| format!("the pipeline with Z3: {why}"))?;
    let reference = verify_checked(checked(text), &options(config), REFERENCE);
    check_pipeline(model, &reference, &expected, &mut Coverage::default())
        .map_err(|why| format!("the pipeline with the reference: {why}"))?;

    // the same seed without decorations: with the reference, and every eighth time Z3
    let Some(plain) = support::random_model::model_with(seed, MAX_PARAMS, Features::V1_PLAIN)
    else {
        return Err("drawn with decorations, not without".to_owned());
    };
    if plain != text {
        cov.decorated += 1;
        let plain_checked = checked(&plain);
        let Some(plain_model) = plain_checked.model.as_deref() else {
            return Err(format!(
                "accepted with decorations, not without: {:?}\n{plain}",
                codes(&plain_checked)
            ));
        };
        // the same model, decorations aside
        if undecorated(model) != *plain_model {
            return Err(format!("the decorations change the checked model\n{plain}"));
        }
        let (engine, decorated) = if seed.is_multiple_of(8) {
            (Engine::Z3, &z3)
        } else {
            (REFERENCE, &reference)
        };
        let undecorated = verify_checked(plain_checked, &options(config), engine);
        same_answers(decorated, &undecorated, engine != Engine::Z3)
            .map_err(|why| format!("decorations change the answers: {why}\n{plain}"))?;
    }
    Ok(())
}

fn codes(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code(), d.message()))
        .collect()
}

/// What is wrong with a draw that checking rejected, if anything: a draw must parse,
/// and its decorations must not be what rejects it.
fn rejection_problem(seed: u64, checked: &Checked) -> Option<String> {
    let errors = codes(checked);
    if errors
        .iter()
        .any(|c| c.starts_with("flowproof::lex") || c.starts_with("flowproof::parse"))
    {
        return Some(format!(
            "the generator wrote a file that does not parse: {errors:?}"
        ));
    }
    let plain = support::random_model::model_with(seed, MAX_PARAMS, Features::V1_PLAIN)?;
    let plain = check_text(Path::new("random.flow"), &plain);
    plain
        .model
        .is_some()
        .then(|| format!("rejected with decorations, accepted without: {errors:?}"))
}

/// Tests `count` accepted models, drawing seeds `first_seed, first_seed + step, ...`.
fn run(first_seed: u64, step: u64, count: u64) -> (Coverage, Vec<String>, u64) {
    let mut cov = Coverage::default();
    let mut failures = Vec::new();
    let mut rejected = 0;
    let mut seed = first_seed;
    while (cov.models as u64) < count && rejected < 10 * count + 100 {
        seed += step;
        let Some(text) = support::random_model::model_with(seed, MAX_PARAMS, Features::V1) else {
            rejected += 1;
            continue;
        };
        let checked = checked(&text);
        let Some(model) = checked.model.as_ref() else {
            if let Some(why) = rejection_problem(seed, &checked) {
                failures.push(format!("seed {seed}: {why}\n{text}"));
            }
            rejected += 1;
            continue;
        };
        note_constructs(model, &text, &mut cov);
        if let Err(why) = check_model(seed, model, &text, &mut cov) {
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
    let clock = std::time::Instant::now();
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
    eprintln!(
        "differential: {} models, {} claims, {rejected} draws rejected, {:.1?}",
        cov.models,
        cov.claims,
        clock.elapsed()
    );
    for (what, n) in cov.constructs() {
        eprintln!("  {n:>8}  {what}");
    }
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
    for (what, n) in cov.constructs() {
        assert!(n > 0 || count < 200, "no model had {what}: {cov:?}");
    }
}
