//! Every explanation flowproof prints, checked against the reference interpreter on
//! random models (version 1 constructs and the extra ones of `random_extra` included)
//! and on random pairs of versions:
//! - witnesses, in the model and in each reading ([`witness`]): they replay, their
//!   needed params are needed and subset-minimal, `required` is exact, the instance is
//!   the first failing (holding) assignment, paths and routes are valid, distinct,
//!   shortest first and as many as the limit allows;
//! - `--why` ([`why`]): each counterfactual flips the verdict in the relaxed model it
//!   is claimed for and its scenario replays there; the hops `stopped_hops` names are
//!   exactly those the rule stops; "what undoes it" and its alternatives each undo the
//!   verdict, are as small as any set that does (every smaller set of rules tried), of
//!   one size, distinct, and as many as there are up to the number shown;
//! - lints ([`lints`]): a statement flagged as about data that never originates is about
//!   data no scenario has originate there, and a clause flagged as never blocking can
//!   be dropped without changing anything in any scenario;
//! - `diff` ([`diffs`]): on pairs of versions laid out as two files, with shared
//!   imported declarations, or judged by the claims of a third file, every verdict
//!   change is the reference's on each side, every change the reference sees is
//!   reported, each side's scenario replays there, and every blamed set of edits flips
//!   the verdict applied alone to the old version and needs each of its edits.
//!
//! Each category is counted, the counts are printed (`--nocapture`), and each must reach
//! a minimum so that the test cannot pass by checking nothing.
//!
//! `FLOWPROOF_EXPLAIN_MODELS` sets how many models are tested (default 2,000; half as
//! many pairs of versions), `FLOWPROOF_EXPLAIN_SEED` the first seed (a number that
//! picks the seeds of both tests; default 1). The minimum counts scale down with a
//! smaller run, never up.

mod diffs;
mod lints;
mod oracle;
mod why;
mod witness;

use std::collections::BTreeMap;
use std::path::Path;

use flowproof::check::{Checked, check_text};
use flowproof::model::Model;
use flowproof::reference::Interpreter;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_checked};

use crate::support::random_extra;
use crate::support::random_model::{self, Features};

/// Random models have at most this many ground params (extra constructs included).
pub const MAX_PARAMS: usize = 9;

/// How many times each thing was checked.
#[derive(Default, Debug)]
pub struct Counts(BTreeMap<&'static str, usize>);

impl Counts {
    pub fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }

    pub fn get(&self, what: &str) -> usize {
        self.0.get(what).copied().unwrap_or(0)
    }

    fn print(&self, title: &str) {
        eprintln!("{title}");
        for (what, n) in &self.0 {
            eprintln!("  {n:>8}  {what}");
        }
    }

    /// Fails unless each category was counted at least `min` times, `min` given for a
    /// run of `scale` (1.0: the default size) and scaled down for smaller runs.
    fn assert_at_least(&self, minimums: &[(&str, usize)], scale: f64) {
        let mut short = Vec::new();
        for (what, min) in minimums {
            let want = ((*min as f64) * scale.min(1.0)).floor() as usize;
            if self.get(what) < want {
                short.push(format!("{what}: {} < {want}", self.get(what)));
            }
        }
        assert!(short.is_empty(), "too few checked: {short:#?}");
    }
}

pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn checked(text: &str) -> Checked {
    check_text(Path::new("random.flow"), text)
}

/// A random model for `seed` with the extra constructs appended when they fit; its text
/// and checked form, or `None` when the draw is rejected.
pub fn draw(seed: u64, features: Features, counts: &mut Counts) -> Option<(String, Checked)> {
    let text = random_model::model_with(seed, MAX_PARAMS, features)?;
    let plain = checked(&text);
    let model = plain.model.as_deref()?;
    let (extra, added) = random_extra::augment(model, seed);
    if !extra.is_empty() {
        let longer = format!("{text}{extra}");
        let augmented = checked(&longer);
        if let Some(m) = augmented.model.as_deref()
            && Interpreter::new(m).params.len() <= MAX_PARAMS
        {
            for (on, what) in [
                (added.readings, "models with extra readings"),
                (
                    added.covers_all,
                    "models with an extra opt-out covering all",
                ),
                (added.optout, "models with an extra opt-out"),
                (
                    added.solo,
                    "models with an assumption over a param nothing else reads",
                ),
                (added.vacuity, "models with a claim of the vacuity shape"),
                (
                    added.nowhere,
                    "models with a statement about data that never originates",
                ),
            ] {
                if on {
                    counts.add(what);
                }
            }
            return Some((longer, augmented));
        }
        counts.add("extra constructs that did not fit");
    }
    Some((text, plain))
}

/// The route limit a seed's model is verified with: 1 (the path only) or 2 to 4.
fn route_limit(seed: u64) -> usize {
    match seed % 5 {
        0 | 1 => 1,
        k => k as usize,
    }
}

pub fn options(routes: usize) -> Options {
    Options {
        timeout_ms: None,
        rlimit: None,
        routes,
        ..Options::default()
    }
}

/// The model as it stands in each reading (the model itself without readings), with
/// the reading's index.
pub fn views(model: &Model) -> Vec<(Option<usize>, Model)> {
    if model.readings.is_empty() {
        vec![(None, model.clone())]
    } else {
        (0..model.readings.len())
            .map(|r| (Some(r), model.in_reading(r)))
            .collect()
    }
}

/// Every check of one model: witnesses, `--why`, lints.
fn check_model(seed: u64, checked: Checked, n: &mut Counts) -> Result<(), String> {
    let model = checked.model.clone().ok_or("not checked")?;
    lints::check(&model, &checked, n)?;
    let routes = route_limit(seed);
    let options = options(routes);
    let mut verified = verify_checked(checked, &options, Engine::Z3);
    // no scenario in the file or in some reading: an error, as the reference agrees
    let contradictory = views(&model)
        .iter()
        .any(|(_, v)| oracle::decide_all(v, &[]).is_none())
        || oracle::decide_all(&model, &[]).is_none();
    if verified.has_errors() != contradictory {
        return Err(format!(
            "verification errors {:?}, but the reference finds contradictory assumptions: {contradictory}",
            verified.errors
        ));
    }
    if contradictory {
        n.add("models not verifiable (contradictory assumptions or readings)");
        return Ok(());
    }
    n.add("models verified");
    // witnesses, overall and in each reading
    for o in &verified.outcomes {
        if o.readings.is_empty() {
            if let Some(w) = &o.witness {
                witness::check(&model, o.claim, w, routes, n)
                    .map_err(|why| format!("claim {}: witness: {why}", o.claim))?;
            }
            continue;
        }
        // the overall witness is the first reading's, when the readings agree
        if o.witness.as_ref() != o.readings.first().and_then(|r| r.witness.as_ref())
            && o.witness.is_some()
        {
            return Err(format!(
                "claim {}: the overall witness is not the first reading's",
                o.claim
            ));
        }
        for r in &o.readings {
            if let Some(w) = &r.witness {
                let view = model.in_reading(r.reading);
                witness::check(&view, o.claim, w, routes, n).map_err(|why| {
                    format!("claim {} in reading {}: witness: {why}", o.claim, r.reading)
                })?;
                n.add("witnesses in a reading");
            }
        }
    }
    if routes > 1 {
        n.add("models verified with a route limit");
    }
    // --why
    verified.explain(&options);
    if let Some(((claim, reading), e)) = verified.unexplained.first() {
        return Err(format!(
            "claim {claim} (reading {reading:?}) could not be explained: {e}"
        ));
    }
    for ((claim, reading), b) in &verified.because {
        let view = match reading {
            Some(r) => model.in_reading(*r),
            None => model.as_ref().clone(),
        };
        why::check(&view, *claim, b, routes, n)
            .map_err(|why| format!("claim {claim} (reading {reading:?}): --why: {why}"))?;
        if reading.is_some() {
            n.add("explanations in a reading");
        }
    }
    Ok(())
}

/// Tests `count` accepted models from seed `first`.
fn run_models(first: u64, count: u64) -> (Counts, Vec<String>) {
    let mut n = Counts::default();
    let mut failures = Vec::new();
    let mut seed = first;
    let mut models = 0;
    while models < count && seed < first + 20 * count + 100 {
        seed += 1;
        let Some((text, checked)) = draw(seed, Features::V1, &mut n) else {
            continue;
        };
        models += 1;
        n.add("models");
        if let Err(why) = check_model(seed, checked, &mut n) {
            failures.push(format!("seed {seed}: {why}\n{text}"));
        }
    }
    (n, failures)
}

fn report(title: &str, n: &Counts, failures: &[String], clock: std::time::Instant) {
    n.print(&format!("{title} ({:.1?})", clock.elapsed()));
    for f in failures.iter().take(5) {
        eprintln!("---\n{f}");
    }
    assert!(
        failures.is_empty(),
        "{} disagreements; first:\n{}",
        failures.len(),
        failures[0]
    );
}

const DEFAULT_MODELS: u64 = 2_000;

#[test]
fn witnesses_why_and_lints_agree_with_the_reference() {
    let count = env_u64("FLOWPROOF_EXPLAIN_MODELS", DEFAULT_MODELS);
    let first = env_u64("FLOWPROOF_EXPLAIN_SEED", 1) * 1_000_003;
    let clock = std::time::Instant::now();
    let (n, failures) = run_models(first, count);
    report("explanations of random models", &n, &failures, clock);
    let scale = count as f64 / DEFAULT_MODELS as f64;
    n.assert_at_least(
        &[
            ("models", count as usize),
            ("models verified", 750),
            ("witnesses replayed", 2_300),
            ("witnesses in a reading", 800),
            ("witnesses with several needed params", 500),
            ("witnesses with required params", 700),
            ("witnesses with required and other params", 300),
            ("smaller sets of params tried", 3_000),
            ("instances checked", 350),
            ("instances past the first assignment", 50),
            ("instances of several variables", 15),
            ("paths checked", 700),
            ("route sets checked", 450),
            ("route sets with several routes", 90),
            ("route sets compared with every simple path", 450),
            ("explanations checked", 1_900),
            ("explanations in a reading", 1_000),
            ("explanations by the flows alone checked", 1_600),
            ("counterfactuals replayed", 300),
            ("counterfactual scenarios replayed", 300),
            ("stopped hops checked", 170),
            ("stopped hops named", 90),
            ("fewest sets checked", 280),
            ("fewest sets brute-forced", 280),
            ("fewest sets of several rules", 35),
            ("smaller sets of rules tried", 550),
            ("alternative sets checked", 20),
            ("fewest sets with alternatives brute-forced", 20),
            ("undoing scenarios replayed", 280),
            ("lint firings: never originates", 3_200),
            ("lint firings: clause never blocks", 1_400),
        ],
        scale,
    );
}

#[test]
fn diff_between_random_versions_agrees_with_the_reference() {
    let count = env_u64("FLOWPROOF_EXPLAIN_MODELS", DEFAULT_MODELS) / 2;
    let first = env_u64("FLOWPROOF_EXPLAIN_SEED", 1) * 1_000_003 + 500_000;
    let clock = std::time::Instant::now();
    let (n, failures) = diffs::run(first, count);
    report("diff between random versions", &n, &failures, clock);
    let scale = count as f64 / (DEFAULT_MODELS / 2) as f64;
    n.assert_at_least(
        &[
            ("pairs", count as usize),
            ("pairs as two files", 150),
            ("pairs with shared imported declarations", 160),
            ("pairs judged by a third file of claims", 150),
            ("pairs with some claims selected", 70),
            ("verdict changes checked", 110),
            ("verdict changes in a reading", 45),
            ("overall changes with readings, traced by reading", 25),
            ("side scenarios replayed", 90),
            ("blamed edit sets checked", 75),
            ("blamed sets of several edits", 2),
            ("vacuity flips", 40),
            ("negation pairs", 20),
            ("pairs with a cycle closed", 100),
            (
                "pairs editing an assumption over a param nothing else reads",
                25,
            ),
            ("hybrids with contradictory assumptions", 1),
            ("pairs with a side not verifiable", 100),
            ("unchanged claims checked", 1_400),
        ],
        scale,
    );
}
