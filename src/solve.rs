//! The Z3 engine: one solver question per claim, exact least-fixpoint reachability,
//! contradictory assumptions found by unsat cores, vacuity, and witnesses that are
//! replayed on the ground graph before they are returned.
//!
//! Every question is posed so that **unsat ⇔ the claim's answer is settled**:
//! - `always F`: is there an admissible scenario where `!F`? unsat ⇔ proved;
//! - `possible F`: is there an admissible scenario where `F`? unsat ⇔ refuted;
//! - vacuity of a proved `always forall xs. A => B`: is `exists xs. A` satisfiable in an
//!   admissible scenario? unsat ⇔ vacuous.

pub mod encode;
pub mod error;
mod split;
pub mod symmetry;
pub mod verdict;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use z3::ast::Bool;
use z3::{Params, SatResult, Solver};

use crate::graph::{Slices, StepRule};
use crate::ground::{FlowGraph, Grounder, Prop};
use crate::model::{AgencyId, DataId, FormulaKind, Model};
use crate::syntax::ast::Mode;
use encode::Encoder;
use verdict::{ClaimOutcome, Path, Step, Vacuity, Verdict, VerifyError, Witness};

/// What a [`Progress`] calls: the claim's name, how many are done, and of how many.
pub type ProgressFn = dyn Fn(&str, usize, usize) + Send + Sync;

/// Told after each claim is decided.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<ProgressFn>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// How to verify.
#[derive(Clone, Debug)]
pub struct Options {
    /// Per solver question, in milliseconds; `None` for no limit.
    pub timeout_ms: Option<u32>,
    /// Per solver question, Z3's deterministic resource limit; `None` for no limit.
    pub rlimit: Option<u32>,
    /// Only these claims (by name); all when empty.
    pub claims: Vec<String>,
    /// How many distinct routes to list for each fact a witness turns on (1: the path only).
    pub routes: usize,
    /// Decide each claim part by part, on the cone of each part, asking questions that
    /// are the same up to renaming once (see `split`). Off: one question per claim over
    /// everything it reads — slower, and kept as the plain configuration the fast one
    /// is checked against.
    pub split: bool,
    /// With `split`: ask questions that are the same up to renaming once.
    pub reuse: bool,
    /// With `split`: substitute the params unit assumptions fix before asking.
    pub propagate: bool,
    /// With `split`: decide a claim over interchangeable agencies on one of each class
    /// (see `symmetry`).
    pub symmetry: bool,
    /// With `split`: a question about one slice of at least this many nodes goes to a
    /// solver of its own that keeps the slice defined.
    pub own_solver_nodes: usize,
    /// Told after each claim.
    pub progress: Option<Progress>,
    /// The limits on the input (file size, depth, ground size) when the pipeline reads
    /// the file itself.
    pub limits: crate::limits::Limits,
    /// Memory the whole process may use while the solver runs, in megabytes; past it
    /// the remaining questions end unknown. `None` (or 0): no cap.
    pub memory_mb: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout_ms: Some(120_000),
            rlimit: None,
            claims: Vec::new(),
            routes: 1,
            split: true,
            reuse: true,
            propagate: true,
            symmetry: true,
            own_solver_nodes: 512,
            progress: None,
            limits: crate::limits::Limits::default(),
            memory_mb: None,
        }
    }
}

/// The ground form of a claim, as both engines' witnesses are explained by.
pub struct GroundClaim {
    pub index: usize,
    pub mode: Mode,
    pub prop: Prop,
    /// For an `always forall xs. A => B`: `exists xs. A`, and the span of `A`.
    pub antecedent: Option<(Prop, crate::span::Span)>,
}

/// A model ground once, for verifying any of its claims.
pub struct Ground<'m> {
    pub model: &'m Model,
    pub graph: FlowGraph,
}

impl<'m> Ground<'m> {
    pub fn new(model: &'m Model) -> Self {
        Ground {
            model,
            graph: FlowGraph::new(model),
        }
    }

    pub fn grounder(&self) -> Grounder<'_> {
        Grounder::new(self.model, &self.graph)
    }
}

/// The assumptions, ground.
pub fn ground_assumptions(grounder: &Grounder<'_>) -> Vec<Prop> {
    grounder
        .model
        .assumes
        .iter()
        .map(|a| grounder.formula(&a.formula, &a.info.var_kinds(), &mut Vec::new(), None))
        .collect()
}

/// A claim, ground, with its antecedent when it has the vacuity shape.
pub fn ground_claim(grounder: &Grounder<'_>, index: usize) -> GroundClaim {
    let claim = &grounder.model.claims[index];
    let kinds = claim.info.var_kinds();
    let prop = grounder.formula(&claim.formula, &kinds, &mut Vec::new(), None);
    ground_claim_with(grounder, index, prop)
}

/// A claim whose formula is already ground as `prop`, with its antecedent.
fn ground_claim_with(grounder: &Grounder<'_>, index: usize, prop: Prop) -> GroundClaim {
    let claim = &grounder.model.claims[index];
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
                    Some((grounder.quantified(false, &vars, &kinds, a), a.span))
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

/// The claims selected by `options`, in file order.
pub fn selected_claims(model: &Model, options: &Options) -> Vec<usize> {
    (0..model.claims.len())
        .filter(|i| options.claims.is_empty() || options.claims.contains(&model.claims[*i].name))
        .collect()
}

/// One solver with the assumptions asserted behind tracking literals.
struct Session {
    solver: Solver,
    /// Which limits were set, to say which one was hit.
    limits: (Option<u32>, Option<u32>),
    encoder: Encoder,
    /// One literal per assumption: asserting it turns the assumption on.
    tracks: Vec<Bool>,
}

/// While `f` runs, watches the memory of the whole process and, once it passes
/// `cap_mb` megabytes, interrupts the solver on this thread (again at every poll while
/// it stays above): every question then ends unknown, and the reason names the cap.
///
/// Z3's own `memory_max_size` is not used: past it, libz3 hands back null objects that
/// the bindings cannot survive. Resident memory is read from `/proc/self/status`; where
/// that file does not exist, nothing is watched.
fn with_memory_cap<T>(cap_mb: Option<u32>, f: impl FnOnce() -> T) -> (T, Option<u32>) {
    let Some(cap_mb) = cap_mb.filter(|mb| *mb > 0) else {
        return (f(), None);
    };
    if resident_mb().is_none() {
        return (f(), None);
    }
    let ctx = z3::Context::thread_local();
    let handle = ctx.handle();
    let hit = std::sync::Arc::new(AtomicBool::new(false));
    let done = AtomicBool::new(false);
    MEMORY_CAP.with(|c| *c.borrow_mut() = Some((cap_mb, hit.clone())));
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if resident_mb().is_some_and(|mb| mb > u64::from(cap_mb)) {
                    hit.store(true, Ordering::Relaxed);
                    handle.interrupt();
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        });
        let out = f();
        done.store(true, Ordering::Relaxed);
        out
    });
    MEMORY_CAP.with(|c| *c.borrow_mut() = None);
    (out, hit.load(Ordering::Relaxed).then_some(cap_mb))
}

thread_local! {
    /// The memory cap of the run on this thread, and whether it was passed.
    static MEMORY_CAP: std::cell::RefCell<Option<(u32, std::sync::Arc<AtomicBool>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The cap, when this thread's run has passed it.
fn memory_cap_hit() -> Option<u32> {
    MEMORY_CAP.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(_, hit)| hit.load(Ordering::Relaxed))
            .map(|(mb, _)| *mb)
    })
}

/// The resident memory of this process in megabytes (Linux).
fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// A solver with the time and resource limits of `limits` (`(timeout_ms, rlimit)`).
fn limited_solver(limits: (Option<u32>, Option<u32>)) -> Solver {
    let solver = Solver::new();
    let mut params = Params::new();
    if let Some(ms) = limits.0 {
        params.set_u32("timeout", ms);
    }
    if let Some(limit) = limits.1 {
        params.set_u32("rlimit", limit);
    }
    solver.set_params(&params);
    solver
}

impl Session {
    fn new(options: &Options, slices: &mut Slices<'_>, assumptions: &[Prop]) -> Session {
        let solver = limited_solver((options.timeout_ms, options.rlimit));
        let mut encoder = Encoder::default();
        let mut tracks = Vec::new();
        for (i, a) in assumptions.iter().enumerate() {
            encoder.define_reach_for(&solver, slices, a);
            let term = encoder.prop(slices, a);
            let track = Bool::new_const(format!("assume{i}"));
            solver.assert(track.implies(&term));
            tracks.push(track);
        }
        Session {
            solver,
            limits: (options.timeout_ms, options.rlimit),
            encoder,
            tracks,
        }
    }

    /// Is `goal` satisfiable together with every assumption?
    fn check(&mut self, slices: &mut Slices<'_>, goal: &Prop) -> SatResult {
        self.encoder.define_reach_for(&self.solver, slices, goal);
        let term = self.encoder.prop(slices, goal);
        self.solver.push();
        self.solver.assert(&term);
        let result = self.solver.check_assumptions(&self.tracks);
        if result != SatResult::Sat {
            self.solver.pop(1);
        }
        result
    }

    /// After a `Sat` from [`Session::check`]: the scenario, then the scope is popped.
    fn scenario(&mut self, count: usize) -> Vec<bool> {
        // a param the questions never mentioned is unconstrained: false, as the
        // solver's model completion would make it
        let mut values = vec![false; count];
        if let Some(m) = self.solver.get_model() {
            for (i, term) in self.encoder.params() {
                if let (Some(v), Some(b)) = (
                    values.get_mut(i),
                    m.eval(term, true).and_then(|b| b.as_bool()),
                ) {
                    *v = b;
                }
            }
        }
        self.solver.pop(1);
        values
    }

    fn reason_unknown(&self) -> String {
        describe_unknown(
            self.solver.get_reason_unknown().unwrap_or_default(),
            self.limits,
        )
    }
}

/// Why the solver gave up, in words, naming the limit that was hit.
fn describe_unknown(reason: String, limits: (Option<u32>, Option<u32>)) -> String {
    if let Some(mb) = memory_cap_hit() {
        return format!("the memory limit of {mb} MB (--max-memory) was reached");
    }
    if reason.contains("memory") {
        return format!("the solver ran out of memory ({reason})");
    }
    let limit_hit = reason.contains("canceled")
        || reason.contains("timeout")
        || reason.contains("resource limit");
    match limits {
        (_, Some(units)) if limit_hit && !reason.contains("timeout") => {
            format!("the resource limit of {units} units (--rlimit) was reached")
        }
        (Some(ms), _) if limit_hit => {
            format!(
                "the time limit of {} s (--timeout) was reached",
                f64::from(ms) / 1000.0
            )
        }
        // libz3 4.8.12 sometimes gives no reason when a limit stops it
        (timeout, rlimit) if reason.is_empty() || reason == "unknown" => match (timeout, rlimit) {
            (_, Some(units)) => format!(
                "the solver gave up without a reason; the resource limit of {units} units (--rlimit) may have been reached"
            ),
            (Some(ms), None) => format!(
                "the solver gave up without a reason; the time limit of {} s (--timeout) may have been reached",
                f64::from(ms) / 1000.0
            ),
            (None, None) => "the solver gave up".to_owned(),
        },
        _ => format!("the solver gave up ({reason})"),
    }
}

/// Verifies the selected claims of a checked model with Z3.
pub fn verify(model: &Model, options: &Options) -> Result<Vec<ClaimOutcome>, VerifyError> {
    let (result, hit) = with_memory_cap(options.memory_mb, || verify_uncapped(model, options));
    match hit {
        // an interrupted solver can leave anything half done (a model read after the
        // interrupt is not a model): nothing of this run is trusted
        Some(mb) => Ok(selected_claims(model, options)
            .into_iter()
            .map(|claim| ClaimOutcome {
                claim,
                verdict: Verdict::Unknown(format!(
                    "the memory limit of {mb} MB (--max-memory) was reached"
                )),
                vacuous: None,
                witness: None,
            })
            .collect()),
        None => result,
    }
}

fn verify_uncapped(model: &Model, options: &Options) -> Result<Vec<ClaimOutcome>, VerifyError> {
    if !options.split {
        return verify_whole(model, options);
    }
    let stats = std::env::var_os("FLOWPROOF_STATS").is_some();
    let clock = std::time::Instant::now();
    let ground = Ground::new(model);
    let grounder = ground.grounder();
    let mut slices = Slices::new(&grounder);
    let assumptions = ground_assumptions(&grounder);
    if stats {
        eprintln!("ground: {:?}", clock.elapsed());
    }
    // the assumptions once as a whole: consistent, and one scenario of them all (read
    // off directly when every assumption is a conjunction of params and negated params
    // that never contradict each other)
    let base = if let Some(base) = literal_scenario(&assumptions, ground.graph.params.len()) {
        base
    } else {
        let mut session = Session::new(options, &mut slices, &assumptions);
        check_consistency(&mut session, &mut slices, assumptions.len())?;
        match session.check(&mut slices, &Prop::True) {
            SatResult::Sat => session.scenario(ground.graph.params.len()),
            // undecided on their own: every claim question includes them anyway
            SatResult::Unknown => return verify_whole(model, options),
            SatResult::Unsat => {
                return Err(VerifyError::Internal(
                    "the assumptions were consistent and then were not".to_owned(),
                ));
            }
        }
    };
    if stats {
        eprintln!("base scenario: {:?}", clock.elapsed());
    }
    let selected = selected_claims(model, options);
    let stand_ins = if options.symmetry {
        symmetry::stand_ins(model)
    } else {
        Vec::new()
    };
    // each claim with its parts: one per agency that stands for its class when the
    // claim is over interchangeable agencies, else its top-level conjuncts (disjuncts)
    let claims: Vec<(GroundClaim, Vec<Prop>)> = selected
        .iter()
        .map(|i| {
            let reduced = options
                .symmetry
                .then(|| symmetry::parts(&grounder, *i, &stand_ins))
                .flatten();
            match reduced {
                Some(parts) => {
                    let conjunctive = model.claims[*i].mode == Mode::Always;
                    let parts: Vec<Prop> = parts
                        .iter()
                        .flat_map(|p| split::parts(p, conjunctive).into_iter().cloned())
                        .collect();
                    let prop = if conjunctive {
                        Prop::and(parts.iter().cloned())
                    } else {
                        Prop::or(parts.iter().cloned())
                    };
                    (ground_claim_with(&grounder, *i, prop), parts)
                }
                None => {
                    let claim = ground_claim(&grounder, *i);
                    let parts = split::parts(&claim.prop, claim.mode == Mode::Always)
                        .into_iter()
                        .cloned()
                        .collect();
                    (claim, parts)
                }
            }
        })
        .collect();
    if stats {
        eprintln!("parts: {:?}", clock.elapsed());
    }
    let mut splitter = split::Splitter::new(&mut slices, &assumptions, base, options);
    // every slice the parts still read once the params the assumptions fix are
    // substituted, built on every core at once (the parts themselves stay as they are:
    // a witness is explained by the claim as written)
    let mut origins = Vec::new();
    for (_, parts) in &claims {
        for p in parts {
            splitter
                .simplify(p)
                .for_each_reach(&mut |_, o, _| origins.push(o));
        }
    }
    splitter.prebuild(&origins);
    if stats {
        eprintln!("slices: {:?}", clock.elapsed());
    }
    let mut outcomes = Vec::new();
    for (done, (index, (claim, parts))) in selected.iter().copied().zip(&claims).enumerate() {
        if memory_cap_hit().is_some() {
            // every claim is reported unknown (see `verify`); stop spending memory
            break;
        }
        outcomes.push(splitter.decide(&assumptions, claim, parts, options.routes)?);
        if let Some(p) = &options.progress {
            (p.0)(&model.claims[index].name, done + 1, selected.len());
        }
        if stats {
            eprintln!(
                "claim {index}: {:?} (asked {})",
                clock.elapsed(),
                splitter.asked
            );
        }
    }
    if std::env::var_os("FLOWPROOF_STATS").is_some() {
        eprintln!(
            "questions asked: {}, answered by an earlier one: {}, settled by fixed params: {}",
            splitter.asked, splitter.reused, splitter.settled
        );
    }
    Ok(outcomes)
}

/// A scenario of the assumptions when they are all conjunctions of literals (`p`, `!p`)
/// that do not contradict each other: those values, every other param false.
fn literal_scenario(assumptions: &[Prop], count: usize) -> Option<Vec<bool>> {
    fn literals(p: &Prop, out: &mut Vec<(usize, bool)>) -> bool {
        match p {
            Prop::True => true,
            Prop::Param(i) => {
                out.push((*i, true));
                true
            }
            Prop::Not(inner) => match **inner {
                Prop::Param(i) => {
                    out.push((i, false));
                    true
                }
                _ => false,
            },
            Prop::And(ps) => ps.iter().all(|q| literals(q, out)),
            _ => false,
        }
    }
    let mut values: Vec<Option<bool>> = vec![None; count];
    let mut found = Vec::new();
    for a in assumptions {
        if !literals(a, &mut found) {
            return None;
        }
    }
    for (i, v) in found {
        let slot = values.get_mut(i)?;
        match slot {
            Some(w) if *w != v => return None,
            _ => *slot = Some(v),
        }
    }
    Some(values.into_iter().map(|v| v.unwrap_or(false)).collect())
}

/// Every claim as one question over everything it reads: no splitting into parts, no
/// reuse of answers.
fn verify_whole(model: &Model, options: &Options) -> Result<Vec<ClaimOutcome>, VerifyError> {
    let ground = Ground::new(model);
    let grounder = ground.grounder();
    let mut slices = Slices::new(&grounder);
    let assumptions = ground_assumptions(&grounder);
    let mut session = Session::new(options, &mut slices, &assumptions);
    check_consistency(&mut session, &mut slices, assumptions.len())?;

    let mut outcomes = Vec::new();
    let selected = selected_claims(model, options);
    for (done, index) in selected.iter().copied().enumerate() {
        if memory_cap_hit().is_some() {
            // every claim is reported unknown (see `verify`); stop spending memory
            break;
        }
        let claim = ground_claim(&grounder, index);
        let outcome = decide(
            &mut session,
            &mut slices,
            &ground,
            &assumptions,
            &claim,
            options.routes,
        )?;
        if matches!(outcome.verdict, Verdict::Unknown(_)) {
            // a solver that gave up can hold on to memory: start afresh
            session = Session::new(options, &mut slices, &assumptions);
        }
        outcomes.push(outcome);
        if let Some(p) = &options.progress {
            (p.0)(&model.claims[index].name, done + 1, selected.len());
        }
    }
    Ok(outcomes)
}

/// Fails when no scenario satisfies the assumptions, naming a minimal conflicting set.
fn check_consistency(
    session: &mut Session,
    slices: &mut Slices<'_>,
    count: usize,
) -> Result<(), VerifyError> {
    if count == 0 {
        return Ok(());
    }
    match session.check(slices, &Prop::True) {
        SatResult::Sat => {
            session.solver.pop(1);
            return Ok(());
        }
        // undecided: every claim question includes the assumptions anyway
        SatResult::Unknown => return Ok(()),
        SatResult::Unsat => {}
    }
    // shrink the core to a minimal conflicting set, one assumption at a time
    let core: HashSet<String> = session
        .solver
        .get_unsat_core()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut keep: Vec<usize> = (0..count)
        .filter(|i| core.contains(&session.tracks[*i].to_string()))
        .collect();
    if keep.is_empty() {
        keep = (0..count).collect();
    }
    let assumes = crate::minimize::shrink(keep, |rest| {
        let on: Vec<Bool> = rest.iter().map(|a| session.tracks[*a].clone()).collect();
        Ok::<_, std::convert::Infallible>(session.solver.check_assumptions(&on) == SatResult::Unsat)
    })
    .unwrap_or_else(|never| match never {});
    Err(VerifyError::Contradictory { assumes })
}

fn decide(
    session: &mut Session,
    slices: &mut Slices<'_>,
    ground: &Ground<'_>,
    assumptions: &[Prop],
    claim: &GroundClaim,
    routes: usize,
) -> Result<ClaimOutcome, VerifyError> {
    let goal = match claim.mode {
        Mode::Always => Prop::negate(claim.prop.clone()),
        Mode::Possible => claim.prop.clone(),
    };
    let count = ground.graph.params.len();
    let mut outcome = ClaimOutcome {
        claim: claim.index,
        verdict: Verdict::Proved,
        vacuous: None,
        witness: None,
    };
    match session.check(slices, &goal) {
        SatResult::Unknown => {
            outcome.verdict = Verdict::Unknown(session.reason_unknown());
            return Ok(outcome);
        }
        SatResult::Sat => {
            let params = session.scenario(count);
            let expected = claim.mode == Mode::Possible;
            let witness = replay(slices, assumptions, claim, params, expected, routes)?;
            outcome.verdict = if expected {
                Verdict::Proved
            } else {
                Verdict::Refuted
            };
            outcome.witness = Some(witness);
            return Ok(outcome);
        }
        SatResult::Unsat => {
            outcome.verdict = match claim.mode {
                Mode::Always => Verdict::Proved,
                Mode::Possible => Verdict::Refuted,
            };
        }
    }
    if let (Verdict::Proved, Some((antecedent, span))) = (&outcome.verdict, &claim.antecedent) {
        match session.check(slices, antecedent) {
            SatResult::Unsat => outcome.vacuous = Some(Vacuity { antecedent: *span }),
            SatResult::Sat => {
                session.solver.pop(1);
            }
            SatResult::Unknown => {
                outcome.verdict = Verdict::Unknown(format!(
                    "the claim holds, but whether it holds only vacuously could not be decided ({})",
                    session.reason_unknown()
                ));
            }
        }
    }
    Ok(outcome)
}

/// Replays a scenario on the ground graph: the assumptions must hold and the claim
/// must evaluate to `expected`. Returns the witness with its paths.
pub fn replay(
    slices: &mut Slices<'_>,
    assumptions: &[Prop],
    claim: &GroundClaim,
    params: Vec<bool>,
    expected: bool,
    route_limit: usize,
) -> Result<Witness, VerifyError> {
    let reach = Reach::compute(slices, &params, assumptions.iter().chain([&claim.prop]));
    let oracle = |d: DataId, o: AgencyId, n: AgencyId| reach.holds(slices, d, o, n);
    if let Some(i) = assumptions.iter().position(|a| !a.eval(&params, &oracle)) {
        return Err(VerifyError::Internal(format!(
            "the witness scenario violates assumption {} on replay",
            i + 1
        )));
    }
    if claim.prop.eval(&params, &oracle) != expected {
        return Err(VerifyError::Internal(
            "the witness scenario does not give the claimed verdict on replay".to_owned(),
        ));
    }
    let mut why = Reasons::default();
    reasons(&claim.prop, &params, &oracle, &mut why);
    let facts = why.facts;
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    let mut routes = Vec::new();
    for fact in facts {
        if !seen.insert(fact.clone()) {
            continue;
        }
        if let Some(path) = reach.path(slices, &params, &fact) {
            paths.push(path);
            routes.push(if route_limit > 1 {
                reach.routes(slices, &params, &fact, route_limit)
            } else {
                Vec::new()
            });
        }
    }
    let relevant = relevant_params(slices, why.params, why.origins);
    Ok(Witness {
        params,
        relevant,
        paths,
        routes,
    })
}

/// The params the verdict turns on: those in the parts of the claim that decide its
/// value, and those in the collect and edge conditions of the origins those parts read.
fn relevant_params(
    slices: &mut Slices<'_>,
    mut out: Vec<usize>,
    mut origins: Vec<AgencyId>,
) -> Vec<usize> {
    origins.sort();
    origins.dedup();
    for o in origins {
        let slice = slices.get(o);
        for p in slice.base.iter().chain(slice.edges.iter().map(|e| &e.cond)) {
            p.for_each_param(&mut |i| out.push(i));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What decides a claim's value in a scenario.
#[derive(Default)]
struct Reasons {
    /// True reachability facts, each to be explained by a path.
    facts: Vec<Fact>,
    /// Params in the deciding parts.
    params: Vec<usize>,
    /// Origins whose reachability the deciding parts read (true or false).
    origins: Vec<AgencyId>,
}

/// A reachability fact (or a `flows` fact: reached `at`, then moved to `then`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Fact {
    data: DataId,
    origin: AgencyId,
    at: AgencyId,
    then: Option<AgencyId>,
}

/// The parts of `p` that make it evaluate as it does: every conjunct of a conjunction
/// that holds, one false conjunct of one that fails, and dually for disjunctions.
fn reasons(
    p: &Prop,
    params: &[bool],
    oracle: &dyn Fn(DataId, AgencyId, AgencyId) -> bool,
    out: &mut Reasons,
) {
    let value = p.eval(params, oracle);
    match p {
        Prop::Param(i) => out.params.push(*i),
        Prop::Reach(d, o, n) => {
            out.origins.push(*o);
            if value {
                out.facts.push(Fact {
                    data: *d,
                    origin: *o,
                    at: *n,
                    then: None,
                });
            }
        }
        Prop::Flows {
            data,
            origin,
            from,
            to,
            cond,
        } => {
            out.origins.push(*origin);
            cond.for_each_param(&mut |i| out.params.push(i));
            if value {
                out.facts.push(Fact {
                    data: *data,
                    origin: *origin,
                    at: *from,
                    then: Some(*to),
                });
            }
        }
        Prop::Not(q) => reasons(q, params, oracle, out),
        Prop::And(ps) | Prop::Or(ps) => {
            let all = matches!(p, Prop::And(_)) == value;
            if all {
                ps.iter().for_each(|q| reasons(q, params, oracle, out));
            } else if let Some(q) = ps.iter().find(|q| q.eval(params, oracle) == value) {
                reasons(q, params, oracle, out);
            }
        }
        Prop::Iff(a, b) => {
            reasons(a, params, oracle, out);
            reasons(b, params, oracle, out);
        }
        Prop::True | Prop::False => {}
    }
}

/// Concrete reachability for the origins a set of formulas mentions.
struct Reach {
    by_origin: std::collections::HashMap<AgencyId, Vec<Option<Option<usize>>>>,
}

impl Reach {
    fn compute<'p>(
        slices: &mut Slices<'_>,
        params: &[bool],
        props: impl Iterator<Item = &'p Prop>,
    ) -> Reach {
        let mut origins = Vec::new();
        for p in props {
            p.for_each_reach(&mut |_, o, _| origins.push(o));
        }
        let mut by_origin = std::collections::HashMap::new();
        for o in origins {
            by_origin
                .entry(o)
                .or_insert_with(|| slices.get(o).reach(params));
        }
        Reach { by_origin }
    }

    fn holds(&self, slices: &Slices<'_>, d: DataId, o: AgencyId, n: AgencyId) -> bool {
        let (Some(how), Some(slice)) = (self.by_origin.get(&o), slices.peek(o)) else {
            return false;
        };
        slice
            .index
            .get(&(d, n))
            .is_some_and(|node| how[*node].is_some())
    }

    fn path(&self, slices: &mut Slices<'_>, params: &[bool], fact: &Fact) -> Option<Path> {
        let how = self.by_origin.get(&fact.origin)?;
        let slice = slices.get(fact.origin);
        let edges = slice.path(how, fact.data, fact.at)?;
        build_path(slice, params, fact, &edges)
    }

    /// Up to `limit` distinct routes for a fact, shortest first.
    fn routes(
        &self,
        slices: &mut Slices<'_>,
        params: &[bool],
        fact: &Fact,
        limit: usize,
    ) -> Vec<Path> {
        let slice = slices.get(fact.origin);
        slice
            .routes(params, fact.data, fact.at, limit)
            .iter()
            .filter_map(|edges| build_path(slice, params, fact, edges))
            .collect()
    }
}

/// A fact's path along the given slice edges (and, for a `flows` fact, its last hop).
fn build_path(
    slice: &crate::graph::Slice,
    params: &[bool],
    fact: &Fact,
    edges: &[usize],
) -> Option<Path> {
    {
        let mut steps: Vec<Step> = edges
            .iter()
            .map(|e| {
                let edge = &slice.edges[*e];
                let (d0, x) = slice.nodes[edge.from];
                let (d1, y) = slice.nodes[edge.to];
                Step {
                    data: d1,
                    origin: fact.origin,
                    from: x,
                    to: y,
                    rule: edge.rule,
                    derived_from: (d0 != d1).then_some(d0),
                }
            })
            .collect();
        let mut at = fact.at;
        if let Some(then) = fact.then {
            // the enabled, unblocked flow instance of the `flows` fact
            let from = slice.index.get(&(fact.data, fact.at))?;
            let no_reach = |_: DataId, _: AgencyId, _: AgencyId| false;
            let rule = slice
                .edges
                .iter()
                .find(|e| {
                    e.from == *from
                        && slice.nodes[e.to] == (fact.data, then)
                        && matches!(e.rule, StepRule::Flow(_))
                        && e.cond.eval(params, &no_reach)
                })
                .map(|e| e.rule);
            if let Some(rule) = rule {
                steps.push(Step {
                    data: fact.data,
                    origin: fact.origin,
                    from: fact.at,
                    to: then,
                    rule,
                    derived_from: None,
                });
                at = then;
            }
        }
        Some(Path {
            data: fact.data,
            origin: fact.origin,
            at,
            steps,
        })
    }
}

/// Every minimal set of the given claims that no admissible scenario satisfies when
/// their formulas are asserted together (each as a fact about one scenario), found with
/// the MARCO algorithm. `Err` when the solver gives up (the reason) or the assumptions
/// themselves conflict.
///
/// Question per subset `S`: is `assumptions ∧ ⋀_{c∈S} F_c` satisfiable? unsat ⇔ `S`
/// conflicts.
pub fn contradictions(
    model: &Model,
    claims: &[usize],
    options: &Options,
) -> Result<Vec<Vec<usize>>, VerifyError> {
    let ground = Ground::new(model);
    let grounder = ground.grounder();
    let mut slices = Slices::new(&grounder);
    let assumptions = ground_assumptions(&grounder);
    let mut session = Session::new(options, &mut slices, &assumptions);
    check_consistency(&mut session, &mut slices, assumptions.len())?;
    // one literal per claim: asserting it asserts the claim's formula
    let mut literals = Vec::new();
    for &c in claims {
        let prop = ground_claim(&grounder, c).prop;
        session
            .encoder
            .define_reach_for(&session.solver, &mut slices, &prop);
        let term = session.encoder.prop(&mut slices, &prop);
        let lit = Bool::new_const(format!("claim{c}"));
        session.solver.assert(lit.implies(&term));
        literals.push(lit);
    }
    let unknown =
        |s: &Session| VerifyError::Internal(format!("the solver gave up: {}", s.reason_unknown()));
    let satisfiable = |session: &Session, set: &[usize]| -> Result<bool, VerifyError> {
        let mut on: Vec<Bool> = session.tracks.clone();
        on.extend(set.iter().map(|i| literals[*i].clone()));
        match session.solver.check_assumptions(&on) {
            SatResult::Sat => Ok(true),
            SatResult::Unsat => Ok(false),
            SatResult::Unknown => Err(unknown(session)),
        }
    };
    // the map: which subsets are still unexplored
    let map = Solver::new();
    let chosen: Vec<Bool> = (0..literals.len())
        .map(|i| Bool::new_const(format!("pick{i}")))
        .collect();
    let mut found = Vec::new();
    loop {
        if map.check() != SatResult::Sat {
            break;
        }
        let Some(m) = map.get_model() else { break };
        let mut seed: Vec<usize> = (0..literals.len())
            .filter(|i| {
                m.eval(&chosen[*i], true)
                    .and_then(|b| b.as_bool())
                    .unwrap_or(false)
            })
            .collect();
        if satisfiable(&session, &seed)? {
            // grow to a maximal satisfiable set; every subset of it is satisfiable
            for i in 0..literals.len() {
                if !seed.contains(&i) {
                    seed.push(i);
                    if !satisfiable(&session, &seed)? {
                        seed.pop();
                    }
                }
            }
            let outside: Vec<&Bool> = (0..literals.len())
                .filter(|i| !seed.contains(i))
                .map(|i| &chosen[i])
                .collect();
            if outside.is_empty() {
                break; // every claim holds together
            }
            map.assert(Bool::or(&outside));
        } else {
            // shrink to a minimal conflicting set; every superset conflicts
            seed = crate::minimize::shrink(seed, |rest| Ok(!satisfiable(&session, rest)?))?;
            let inside: Vec<Bool> = seed.iter().map(|i| chosen[*i].not()).collect();
            let inside: Vec<&Bool> = inside.iter().collect();
            map.assert(Bool::or(&inside));
            found.push(seed.iter().map(|i| claims[*i]).collect());
        }
    }
    found.sort();
    Ok(found)
}

/// The unsat-core side of "why it holds", for a model whose candidate rules are each
/// switched on by a zero-argument tracking param (see [`crate::explain`]).
pub struct SettledCore {
    /// Indices into the trackers: a minimal set that keeps the claim settled, whatever
    /// the other trackers are.
    pub core: Vec<usize>,
    /// For each member of `core`, in order: the value of every tracker in a scenario
    /// where the claim is not settled with that member off and the rest of `core` on.
    pub without: Vec<Vec<bool>>,
}

/// For a claim that is settled (proved `always`, refuted `possible`) with every tracker
/// on: the trackers an unsat core names, shrunk one at a time to a minimal set, and for
/// each member a scenario showing it is needed. `Ok(None)` when the claim is not settled
/// with every tracker on.
///
/// Question per set `S` of trackers: is there an admissible scenario, with the trackers
/// of `S` on and every other tracker free, where the claim's answer is the opposite?
/// unsat ⇔ `S` alone settles it. Adding trackers only removes scenarios, so the
/// deletion-based shrink yields a set from which no member can be dropped.
pub fn settled_core(
    model: &Model,
    claim: usize,
    trackers: &[crate::model::ParamId],
    options: &Options,
) -> Result<Option<SettledCore>, VerifyError> {
    let ground = Ground::new(model);
    let grounder = ground.grounder();
    let mut slices = Slices::new(&grounder);
    let assumptions = ground_assumptions(&grounder);
    let mut session = Session::new(options, &mut slices, &assumptions);
    let claim = ground_claim(&grounder, claim);
    let goal = match claim.mode {
        Mode::Always => Prop::negate(claim.prop.clone()),
        Mode::Possible => claim.prop.clone(),
    };
    session
        .encoder
        .define_reach_for(&session.solver, &mut slices, &goal);
    let term = session.encoder.prop(&mut slices, &goal);
    session.solver.assert(&term);
    let mut literals = Vec::new();
    for t in trackers {
        let Some(i) = ground.graph.params.get(*t, &[]) else {
            return Err(VerifyError::Internal(
                "a tracking param has no ground instance".to_owned(),
            ));
        };
        literals.push(session.encoder.param(i));
    }
    let unknown = |s: &Session| {
        VerifyError::Internal(format!(
            "the solver gave up while explaining: {}",
            s.reason_unknown()
        ))
    };
    let settled = |session: &Session, set: &[usize]| -> Result<bool, VerifyError> {
        let mut on: Vec<Bool> = session.tracks.clone();
        on.extend(set.iter().map(|i| literals[*i].clone()));
        match session.solver.check_assumptions(&on) {
            SatResult::Sat => Ok(false),
            SatResult::Unsat => Ok(true),
            SatResult::Unknown => Err(unknown(session)),
        }
    };
    let all: Vec<usize> = (0..literals.len()).collect();
    if !settled(&session, &all)? {
        return Ok(None);
    }
    let named: HashSet<String> = session
        .solver
        .get_unsat_core()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut start: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| named.contains(&literals[*i].to_string()))
        .collect();
    if !settled(&session, &start)? {
        start = all; // a core that does not replay: shrink from everything instead
    }
    let core = crate::minimize::shrink(start, |rest| settled(&session, rest))?;
    let mut without = Vec::new();
    for k in 0..core.len() {
        let rest: Vec<usize> = core
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, x)| *x)
            .collect();
        if settled(&session, &rest)? {
            return Err(VerifyError::Internal(
                "a member of a shrunk core turned out not to be needed".to_owned(),
            ));
        }
        let values = match session.solver.get_model() {
            Some(m) => literals
                .iter()
                .map(|l| m.eval(l, true).and_then(|b| b.as_bool()).unwrap_or(false))
                .collect(),
            None => return Err(unknown(&session)),
        };
        without.push(values);
    }
    Ok(Some(SettledCore { core, without }))
}
