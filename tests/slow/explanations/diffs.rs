//! `diff` between two versions of a random policy ([`crate::support::random_pair`]),
//! laid out as two files, as two files importing shared declarations, or as two files
//! judged by the claims of a third (`--claims FILE`); now and then only some claims
//! selected. Against the reference interpreter, on each side:
//! - the verdict changes reported are exactly those the reference sees, overall and in
//!   every reading both versions have (vacuity counts), each with the reference's words;
//! - the scenario shown for a change replays on its side (in its reading; the first
//!   reading's for an overall verdict), and its paths' hops hold there;
//! - every blamed set of edits flips the verdict applied alone to the old version, and
//!   leaving out any one of its edits does not; the hybrids with none and with every
//!   edit give the old and the new verdict;
//! - an assumption replaced by its negation is one edit, `changed`.

use std::path::{Path, PathBuf};

use flowproof::diff::edits::Hybrid;
use flowproof::diff::{Diff, ShownWitness, VerdictChange};
use flowproof::ground::GroundParams;
use flowproof::model::{AgencyId, DataId, Mode, Model};
use flowproof::reference::Interpreter;
use flowproof::verdict::{ClaimOutcome, ReadingOutcome};
use flowproof::verify::{Engine, Verified, verify_file};

use super::oracle::{self, Eval};
use super::{Counts, MAX_PARAMS, draw, options};
use crate::support::random_model::{self, Features};
use crate::support::random_pair::{self, Pair};

/// A side with more ground params than this is not compared (the reference would be slow).
const SIDE_PARAMS: usize = 11;

/// How the versions are laid out on disk.
#[derive(Clone, Copy, Debug)]
enum Layout {
    TwoFiles,
    SharedImports,
    ClaimsFile,
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Both versions verified, laid out as `layout`, with `selected` claims (all if empty).
fn versions(
    pair: &Pair,
    layout: Layout,
    selected: &[String],
    seed: u64,
) -> Result<(Dir, Verified, Verified), String> {
    let dir = Dir(std::env::temp_dir().join(format!(
        "flowproof-explanations-{}-{seed}",
        std::process::id()
    )));
    std::fs::create_dir_all(&dir.0).map_err(|e| e.to_string())?;
    let options = flowproof::solve::Options {
        claims: selected.to_vec(),
        ..options(1)
    };
    let (old, new) = match layout {
        Layout::TwoFiles => {
            let a = write(&dir.0, "old.flow", &pair.inline(false))?;
            let b = write(&dir.0, "new.flow", &pair.inline(true))?;
            (
                verify_file(&a, &options, Engine::Z3),
                verify_file(&b, &options, Engine::Z3),
            )
        }
        Layout::SharedImports => {
            write(&dir.0, "declarations.flow", &pair.declarations)?;
            let side = |rules: &str| {
                format!(
                    "{}import \"declarations.flow\";\n{rules}{}",
                    pair.header, pair.claims
                )
            };
            let a = write(&dir.0, "old.flow", &side(&pair.old))?;
            let b = write(&dir.0, "new.flow", &side(&pair.new))?;
            (
                verify_file(&a, &options, Engine::Z3),
                verify_file(&b, &options, Engine::Z3),
            )
        }
        Layout::ClaimsFile => {
            let side = |rules: &str| format!("{}{}{rules}", pair.header, pair.declarations);
            let a = write(&dir.0, "old.flow", &side(&pair.old))?;
            let b = write(&dir.0, "new.flow", &side(&pair.new))?;
            let c = write(&dir.0, "claims.flow", &pair.claims)?;
            let version = |p: &Path| {
                flowproof::diff::version(p, Some(&c), &options)
                    .map_err(|e| format!("--claims: {}", e.message()))
            };
            (version(&a)?, version(&b)?)
        }
    };
    Ok((dir, old, new))
}

/// The reference's word for claim `name` of `model`: overall (combined over its
/// readings), or in reading `reading`. `None` when no scenario is admissible there.
fn word(model: &Model, name: &str, reading: Option<&str>) -> Option<String> {
    let claim = model.claims.iter().position(|c| c.name == name)?;
    match reading {
        Some(r) => {
            let r = model.readings.iter().position(|x| x.name == r)?;
            Some(oracle::word(&model.in_reading(r), claim))
        }
        None if model.readings.is_empty() => Some(oracle::word(model, claim)),
        None => {
            let mut readings = Vec::new();
            for r in 0..model.readings.len() {
                let o = oracle::decide(&model.in_reading(r), claim)?;
                readings.push(ReadingOutcome {
                    reading: r,
                    verdict: o.verdict,
                    vacuous: o.vacuous,
                    witness: None,
                });
            }
            Some(flowproof::diff::edits::word(&ClaimOutcome::combine(
                claim, readings,
            )))
        }
    }
}

/// A verdict change: claim, reading (`None`: overall), word before, word after.
type Change = (String, Option<String>, String, String);

/// Every change the reference sees between the sides.
fn expected_changes(a: &Model, b: &Model, names: &[String]) -> Result<Vec<Change>, String> {
    let mut out = Vec::new();
    for name in names {
        let (w0, w1) = (word(a, name, None), word(b, name, None));
        let (Some(w0), Some(w1)) = (w0, w1) else {
            return Err(format!("the reference cannot decide {name} on a side"));
        };
        if w0 != w1 {
            out.push((name.clone(), None, w0, w1));
        }
        for r in &b.readings {
            if !a.readings.iter().any(|x| x.name == r.name) {
                continue;
            }
            let (w0, w1) = (
                word(a, name, Some(&r.name)).unwrap_or_default(),
                word(b, name, Some(&r.name)).unwrap_or_default(),
            );
            if w0 != w1 {
                out.push((name.clone(), Some(r.name.clone()), w0, w1));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The scenario a change shows replays on its side.
fn side_scenario(side: &Model, v: &VerdictChange, w: &ShownWitness) -> Result<(), String> {
    let reading = match &v.reading {
        Some(r) => side.readings.iter().position(|x| &x.name == r),
        None => (!side.readings.is_empty()).then_some(0),
    };
    let view = match reading {
        Some(r) => side.in_reading(r),
        None => side.clone(),
    };
    let claim = view
        .claims
        .iter()
        .position(|c| c.name == v.claim)
        .ok_or("the claim is not on its side")?;
    let ground = GroundParams::new(&view);
    let names: Vec<String> = (0..ground.len()).map(|i| ground.name(&view, i)).collect();
    for p in &w.true_params {
        if !names.contains(p) {
            return Err(format!("the scenario names {p}, not a param of its side"));
        }
    }
    let params: Vec<bool> = names.iter().map(|n| w.true_params.contains(n)).collect();
    let interp = Interpreter::new(&view);
    let world = interp.world(&params);
    let c = &view.claims[claim];
    if !interp.admissible(&world) {
        return Err("the scenario is not admissible on its side".to_owned());
    }
    if interp.holds(&c.formula, &c.info, &world) != (c.mode == Mode::Possible) {
        return Err("the claim does not come out as the verdict says in the scenario".to_owned());
    }
    let agency = |n: &str| {
        view.agencies
            .iter()
            .position(|a| a.name == n)
            .map(AgencyId::from_index)
    };
    let data = |n: &str| {
        view.data
            .iter()
            .position(|d| d.name == n)
            .map(DataId::from_index)
    };
    for path in &w.paths {
        for s in path {
            let (Some(o), Some(x), Some(y), Some(d)) = (
                agency(&s.origin),
                agency(&s.from),
                agency(&s.to),
                data(&s.data),
            ) else {
                return Err(format!("a hop names what its side lacks: {s:?}"));
            };
            let eval = Eval {
                model: &view,
                interp: &interp,
                world: &world,
                origin: o,
            };
            let holds = match s.derived_from.as_deref().map(data) {
                None => eval.flows(d, x, y),
                Some(Some(d0)) => x == y && eval.reaches(d0, x) && eval.reaches(d, x),
                Some(None) => false,
            };
            if !holds {
                return Err(format!(
                    "the hop {} {} -> {} does not hold in the scenario",
                    s.data, s.from, s.to
                ));
            }
        }
    }
    Ok(())
}

/// The reference's word for the claim on the hybrid with `applied` edits.
fn hybrid_word(h: &Hybrid<'_>, applied: &[usize], v: &VerdictChange) -> String {
    word(&h.model(applied), &v.claim, v.reading.as_deref())
        .unwrap_or_else(|| "not verifiable".to_owned())
}

/// Checks the blamed edits of one change.
fn blamed(h: &Hybrid<'_>, v: &VerdictChange, set: &[usize], n: &mut Counts) -> Result<(), String> {
    let all: Vec<usize> = (0..h.edits().len()).collect();
    let (none, every) = (hybrid_word(h, &[], v), hybrid_word(h, &all, v));
    if none != v.before || every != v.after {
        return Err(format!(
            "the hybrids with no edit and every edit say {none} and {every}, not {} and {}",
            v.before, v.after
        ));
    }
    let flipped = hybrid_word(h, set, v);
    if flipped != v.after {
        return Err(format!(
            "the edits {set:?} applied alone give {flipped}, not {}",
            v.after
        ));
    }
    for k in set {
        let rest: Vec<usize> = set.iter().copied().filter(|e| e != k).collect();
        let w = hybrid_word(h, &rest, v);
        if w == v.after {
            return Err(format!(
                "edit {k} of {set:?} is not needed: without it the hybrid still gives {w}"
            ));
        }
        if w == "not verifiable" {
            n.add("hybrids with contradictory assumptions");
        }
    }
    n.add("blamed edit sets checked");
    if set.len() > 1 {
        n.add("blamed sets of several edits");
    }
    Ok(())
}

/// The text of a condition as written, white space folded.
fn written(v: &Verified, g: Option<&flowproof::model::Formula>) -> Option<String> {
    let g = g?;
    let text = v
        .checked
        .sources
        .get(g.span.file)?
        .text
        .get(g.span.range())?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The opt-outs both versions declare whose `covers` or `blocks` clause conditions
/// differ with no edit for the opt-out's slot (a fault `diff` once had: its rule edits
/// did not compare them).
fn missed_optout_edits(old: &Verified, new: &Verified, d: &Diff) -> Vec<String> {
    let (Some(a), Some(b)) = (old.model(), new.model()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for o in &b.optouts {
        let name = &b.param(o.param).name;
        let Some(p) = a.optouts.iter().find(|p| &a.param(p.param).name == name) else {
            continue;
        };
        let clauses = |v: &Verified, x: &flowproof::model::Optout| -> Vec<Option<String>> {
            x.blocks
                .iter()
                .map(|c| written(v, c.guard.as_ref()))
                .collect()
        };
        let differs = o.covers != p.covers || clauses(new, o) != clauses(old, p);
        let slot = format!("optout {name}");
        if differs && !d.edits.iter().flatten().any(|e| e.slot == slot) {
            out.push(name.clone());
        }
    }
    out
}

/// Every check of one pair laid out one way.
fn check_pair(
    pair: &Pair,
    layout: Layout,
    selected: &[String],
    seed: u64,
    n: &mut Counts,
) -> Result<(), String> {
    let (_dir, old, new) = versions(pair, layout, selected, seed)?;
    let (Some(a), Some(b)) = (old.model(), new.model()) else {
        return Err(format!(
            "a side does not check: {:?} {:?}",
            old.checked.diagnostics, new.checked.diagnostics
        ));
    };
    if Interpreter::new(a).params.len() > SIDE_PARAMS
        || Interpreter::new(b).params.len() > SIDE_PARAMS
    {
        n.add("pairs with too many params to compare");
        return Ok(());
    }
    let d: Diff = flowproof::diff::diff(&old, &new, &options(1)).ok_or("no diff")?;
    if old.has_errors() || new.has_errors() {
        // the reference must agree: the side's assumptions, or one reading's, admit no
        // scenario
        for (v, m) in [(&old, a), (&new, b)] {
            let contradictory = oracle::decide_all(m, &[]).is_none()
                || super::views(m)
                    .iter()
                    .any(|(_, view)| oracle::decide_all(view, &[]).is_none());
            if v.has_errors() != contradictory {
                return Err(format!(
                    "a side has errors {:?}, the reference finds its assumptions contradictory: {contradictory}",
                    v.errors
                ));
            }
        }
        n.add("pairs with a side not verifiable");
        if !d.verdicts.is_empty() {
            return Err("verdict changes reported with a side not verifiable".to_owned());
        }
        return Ok(());
    }
    n.add(match layout {
        Layout::TwoFiles => "pairs as two files",
        Layout::SharedImports => "pairs with shared imported declarations",
        Layout::ClaimsFile => "pairs judged by a third file of claims",
    });
    let names: Vec<String> = new
        .outcomes
        .iter()
        .map(|o| b.claims[o.claim].name.clone())
        .collect();
    if !selected.is_empty() {
        n.add("pairs with some claims selected");
        if names.iter().any(|c| !selected.contains(c)) {
            return Err(format!("claims outside the selection {selected:?} decided"));
        }
    }
    let expected = expected_changes(a, b, &names)?;
    let mut reported: Vec<Change> = d
        .verdicts
        .iter()
        .map(|v| {
            (
                v.claim.clone(),
                v.reading.clone(),
                v.before.clone(),
                v.after.clone(),
            )
        })
        .collect();
    reported.sort();
    if reported != expected {
        return Err(format!(
            "diff reports {reported:?}, the reference sees {expected:?}"
        ));
    }
    let changed = expected.len();
    for _ in changed..names.len() {
        n.add("unchanged claims checked");
    }
    if pair.negated.is_some() {
        let edits = d.edits.as_ref().ok_or("no edits for a negation")?;
        if edits.len() != 1 || edits[0].change != "changed" || !edits[0].slot.starts_with("assume ")
        {
            let shown: Vec<_> = edits.iter().map(|e| (e.change, &e.slot)).collect();
            return Err(format!(
                "an assumption replaced by its negation is not one changed edit: {shown:?}"
            ));
        }
        n.add("negation pairs");
    }
    if d.edits
        .iter()
        .flatten()
        .any(|e| e.slot.contains("solo") || e.slot.contains("pr(") || e.slot.contains(" pr"))
    {
        n.add("pairs editing an assumption over a param nothing else reads");
    }
    if pair.mutations.contains(&"cycle closed") {
        n.add("pairs with a cycle closed");
    }
    // an opt-out whose `covers` or clause conditions change is an edit
    let missed = missed_optout_edits(&old, &new, &d);
    if !missed.is_empty() {
        return Err(format!("opt-outs changed with no rule edit: {missed:?}"));
    }
    // versions that declare different params (an opt-out over another kind, from
    // rules replaced) have no hybrids: no edits are shown, and none is blamed
    let hybrid = Hybrid::new(a, b).ok();
    if d.edits.as_ref().map(Vec::len) != hybrid.as_ref().map(|h| h.edits().len()) {
        return Err("the edits shown are not the hybrid's".to_owned());
    }
    if hybrid.is_none() {
        n.add("pairs whose declarations differ");
    }
    for v in &d.verdicts {
        n.add("verdict changes checked");
        if v.reading.is_some() {
            n.add("verdict changes in a reading");
        }
        if v.before == "proved vacuously" || v.after == "proved vacuously" {
            n.add("vacuity flips");
        }
        if let (Some(w), Some(side)) = (&v.witness, v.witness_side) {
            let m = if side == "new" { b } else { a };
            side_scenario(m, v, w).map_err(|why| {
                format!("{} ({:?}) on the {side} side: {why}", v.claim, v.reading)
            })?;
            n.add("side scenarios replayed");
        }
        match &v.responsible {
            Some(set) => {
                let h = hybrid.as_ref().ok_or("edits blamed without a hybrid")?;
                blamed(h, v, set, n)
                    .map_err(|why| format!("{} ({:?}): {why}", v.claim, v.reading))?;
            }
            None if hybrid.is_none() => {
                n.add("verdict changes between versions whose declarations differ");
            }
            None => {
                let note = v.edits_note.clone().unwrap_or_default();
                if !(v.reading.is_none() && note.starts_with("with readings")) {
                    return Err(format!(
                        "{} ({:?}): no edits blamed: {note}",
                        v.claim, v.reading
                    ));
                }
                n.add("overall changes with readings, traced by reading");
            }
        }
    }
    Ok(())
}

/// Tests `count` pairs of versions from seed `first`.
pub fn run(first: u64, count: u64) -> (Counts, Vec<String>) {
    let mut n = Counts::default();
    let mut failures = Vec::new();
    let mut seed = first;
    let mut pairs = 0;
    let other = |s: u64| random_model::model_with(s, MAX_PARAMS, Features::V1);
    while pairs < count && seed < first + 40 * count + 100 {
        seed += 1;
        let Some((text, checked)) = draw(seed, Features::V1_PLAIN, &mut n) else {
            continue;
        };
        let Some(model) = checked.model.as_deref() else {
            continue;
        };
        // the old version must be verifiable (in every reading) for verdicts to change
        if super::views(model)
            .iter()
            .any(|(_, v)| oracle::decide_all(v, &[]).is_none())
        {
            n.add("draws not verifiable");
            continue;
        }
        let Some(pair) = random_pair::pair(model, &text, seed, &other) else {
            n.add("draws without a pair");
            continue;
        };
        let layout = match seed % 3 {
            0 => Layout::TwoFiles,
            1 => Layout::SharedImports,
            _ => Layout::ClaimsFile,
        };
        // now and then only some claims, in the layouts that take a selection
        let selected: Vec<String> =
            if seed.is_multiple_of(4) && !matches!(layout, Layout::ClaimsFile) {
                model
                    .claims
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 2 == 0)
                    .map(|(_, c)| c.name.clone())
                    .collect()
            } else {
                Vec::new()
            };
        pairs += 1;
        n.add("pairs");
        for m in &pair.mutations {
            n.add(m);
        }
        if let Err(why) = check_pair(&pair, layout, &selected, seed, &mut n) {
            failures.push(format!(
                "seed {seed} ({layout:?}, {:?}): {why}\n--- old\n{}--- new\n{}",
                pair.mutations,
                pair.inline(false),
                pair.inline(true)
            ));
        }
    }
    (n, failures)
}

/// `diff` pairs rules by slot and once compared an opt-out's variable, condition and
/// clauses' endpoints, but not its `covers` nor its clauses' `when`, so changing either
/// was no rule edit, and the flip it caused was said to come from the claim itself.
#[test]
fn an_opt_out_covers_change_is_an_edit() {
    let old = "policy \"p\";\nkind k;\nagency A: k;\nagency B: k;\ndata d;\ncollect d at A;\nflow d: A -> B;\noptout o(v: k) blocks d: A -> B;\nclaim shielded: always o(B) => !reaches(d of A, B);\n";
    let all = old.replace("optout o(v: k) blocks", "optout o(v: k) covers all blocks");
    // covering all makes the claim proved; a clause condition that never holds then
    // makes it refuted again
    for (old, new) in [
        (old.to_owned(), all.clone()),
        (
            all.clone(),
            all.replace("blocks d: A -> B;", "blocks d: A -> B when false;"),
        ),
    ] {
        let dir = Dir(std::env::temp_dir().join(format!(
            "flowproof-explanations-covers-{}",
            std::process::id()
        )));
        std::fs::create_dir_all(&dir.0).expect("a temporary directory");
        let a = write(&dir.0, "old.flow", &old).expect("written");
        let b = write(&dir.0, "new.flow", &new).expect("written");
        let (va, vb) = (
            verify_file(&a, &options(1), Engine::Z3),
            verify_file(&b, &options(1), Engine::Z3),
        );
        let d = flowproof::diff::diff(&va, &vb, &options(1)).expect("both check");
        assert_eq!(d.verdicts.len(), 1, "{new}");
        let edits = d.edits.as_ref().expect("same declarations");
        assert_eq!(edits.len(), 1, "{new}");
        assert_eq!(d.verdicts[0].responsible, Some(vec![0]), "{new}");
    }
}
