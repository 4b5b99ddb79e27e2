//! One `--why` explanation checked against the reference, in the model (or the view of
//! one reading) it was found in:
//! - the core settles the verdict: with every rule outside it dropped, the verdict
//!   stands;
//! - each counterfactual's model (its rule dropped, with its context) gives the opposite
//!   verdict, the one it states, and its scenario replays there (a full witness check);
//!   the hops `stopped_hops` names on its paths are exactly those the rule stops;
//! - "what undoes it": removing its rules gives the opposite verdict, whose scenario
//!   replays in that relaxed model; every alternative is as large, distinct, and undoes
//!   it too; no smaller set of rules undoes it (every one tried), and when several sets
//!   of that size do, as many are named as there are, up to the number shown;
//! - by the flows alone: no single rule dropped, nor all of them, changes the verdict.
//!
//! A relaxed model whose assumptions admit no scenario cannot break the claim: it counts
//! as leaving the verdict as it is (as `--why` says).

use flowproof::explain::{Because, Rule, UNDOINGS_SHOWN, candidates, relax, stopped_hops};
use flowproof::ground::{Grounded, StepRule};
use flowproof::model::{AgencyId, Mode, Model};
use flowproof::reference::Interpreter;
use flowproof::verdict::{Path, Verdict, Witness};

use super::Counts;
use super::oracle::{self, Eval};
use super::witness;

/// Brute force over sets of rules stops past this many scenarios decided in all.
const WORLDS_BUDGET: usize = 60_000;

/// The claim's verdict once `rules` are dropped; `None` when no scenario is admissible.
fn without(view: &Model, claim: usize, rules: &[Rule]) -> Option<Verdict> {
    oracle::verdict(&relax(view, rules), claim)
}

pub fn check(
    view: &Model,
    claim: usize,
    b: &Because,
    routes: usize,
    n: &mut Counts,
) -> Result<(), String> {
    let original = oracle::verdict(view, claim).ok_or("no scenario is admissible")?;
    let mode = view.claims[claim].mode;
    let witnessless = match mode {
        Mode::Always => Verdict::Proved,
        Mode::Possible => Verdict::Refuted,
    };
    if original != witnessless {
        return Err(format!("explained, but the reference says {original:?}"));
    }
    n.add("explanations checked");
    let all = candidates(view);
    let undoes = |set: &[Rule]| without(view, claim, set).is_some_and(|v| v != original);
    // the core settles it
    let outside: Vec<Rule> = all
        .iter()
        .copied()
        .filter(|r| !b.core.contains(r))
        .collect();
    if undoes(&outside) {
        return Err(format!(
            "the core {:?} does not settle it: dropping {outside:?} changes it",
            b.core
        ));
    }
    if b.counterfactuals.len() != b.core.len() {
        return Err(format!(
            "{} counterfactuals for a core of {}",
            b.counterfactuals.len(),
            b.core.len()
        ));
    }
    for c in &b.counterfactuals {
        let dropped = c.context.dropped(c.rule, &b.core, &all);
        let relaxed = relax(view, &dropped);
        let Some(o) = oracle::decide(&relaxed, claim) else {
            return Err(format!("dropping {dropped:?} leaves no scenario"));
        };
        if o.verdict == original || o.verdict != c.outcome.verdict {
            return Err(format!(
                "without {dropped:?} the reference says {:?}, the counterfactual {:?}",
                o.verdict, c.outcome.verdict
            ));
        }
        n.add("counterfactuals replayed");
        let w = c
            .outcome
            .witness
            .as_ref()
            .ok_or("a counterfactual without its scenario")?;
        witness::check(&relaxed, claim, w, routes, n)
            .map_err(|why| format!("the scenario without {dropped:?}: {why}"))?;
        n.add("counterfactual scenarios replayed");
        stopped(view, c.rule, w, n)
            .map_err(|why| format!("stopped hops of {:?}: {why}", c.rule))?;
    }
    if b.rules.is_empty() {
        if !b.core.is_empty() || !b.also.is_empty() {
            return Err("nothing undoes it, yet a core or alternatives are named".to_owned());
        }
        for r in &all {
            if undoes(&[*r]) {
                return Err(format!(
                    "said to hold by the flows alone, but dropping {r:?} undoes it"
                ));
            }
        }
        if undoes(&all) {
            return Err(
                "said to hold by the flows alone, but dropping every rule undoes it".to_owned(),
            );
        }
        n.add("explanations by the flows alone checked");
        return Ok(());
    }
    // what undoes it, and the alternatives
    let relaxed = relax(view, &b.rules);
    let Some(o) = oracle::decide(&relaxed, claim) else {
        return Err(format!("dropping {:?} leaves no scenario", b.rules));
    };
    if o.verdict == original {
        return Err(format!("dropping {:?} does not undo it", b.rules));
    }
    let w = b
        .without
        .as_ref()
        .and_then(|o| o.witness.as_ref())
        .ok_or("what undoes it comes without its scenario")?;
    witness::check(&relaxed, claim, w, routes, n)
        .map_err(|why| format!("the scenario without {:?}: {why}", b.rules))?;
    n.add("undoing scenarios replayed");
    let mut named: Vec<Vec<Rule>> = vec![sorted(&b.rules)];
    for set in &b.also {
        if set.len() != b.rules.len() {
            return Err(format!(
                "alternative {set:?} is not as small as {:?}",
                b.rules
            ));
        }
        if named.contains(&sorted(set)) {
            return Err(format!("alternative {set:?} is named twice"));
        }
        if !undoes(set) {
            return Err(format!("alternative {set:?} does not undo it"));
        }
        named.push(sorted(set));
        n.add("alternative sets checked");
    }
    if named.len() > UNDOINGS_SHOWN {
        return Err(format!(
            "{} sets named, more than {UNDOINGS_SHOWN}",
            named.len()
        ));
    }
    n.add("fewest sets checked");
    if b.rules.len() > 1 {
        n.add("fewest sets of several rules");
    }
    // brute force: no smaller set undoes it; every set of its size that does is named,
    // up to the number shown
    let k = b.rules.len();
    let scenarios = 1usize << Interpreter::new(view).params.len();
    let sets = subsets_up_to(&all, k);
    if sets.len() * scenarios > WORLDS_BUDGET {
        n.add("fewest sets too large to brute-force");
        return Ok(());
    }
    let mut as_small = Vec::new();
    for set in sets {
        let verdict = without(view, claim, &set);
        if verdict.is_none() {
            n.add("relaxations leaving no scenario");
        }
        let undone = verdict.is_some_and(|v| v != original);
        if set.len() < k {
            if undone {
                return Err(format!("{set:?} undoes it, fewer than {:?}", b.rules));
            }
            n.add("smaller sets of rules tried");
        } else if undone {
            as_small.push(sorted(&set));
        }
    }
    for set in &named {
        if !as_small.contains(set) {
            return Err(format!("{set:?} is named but brute force does not find it"));
        }
    }
    if named.len() < as_small.len().min(UNDOINGS_SHOWN) {
        return Err(format!(
            "{} sets named, but {} sets of {k} rules undo it: {as_small:?}",
            named.len(),
            as_small.len()
        ));
    }
    n.add("fewest sets brute-forced");
    if as_small.len() > 1 {
        n.add("fewest sets with alternatives brute-forced");
    }
    Ok(())
}

fn sorted(set: &[Rule]) -> Vec<Rule> {
    let mut s = set.to_vec();
    s.sort();
    s
}

/// Every subset of `items` of at most `k` members.
fn subsets_up_to(items: &[Rule], k: usize) -> Vec<Vec<Rule>> {
    let mut out = vec![Vec::new()];
    let mut frontier: Vec<(Vec<Rule>, usize)> = vec![(Vec::new(), 0)];
    for _ in 0..k {
        let mut next = Vec::new();
        for (set, from) in &frontier {
            for (i, item) in items.iter().enumerate().skip(*from) {
                let mut bigger = set.clone();
                bigger.push(*item);
                out.push(bigger.clone());
                next.push((bigger, i + 1));
            }
        }
        frontier = next;
    }
    out
}

/// The hops of a counterfactual's paths that `stopped_hops` names for `rule` are exactly
/// those the rule stops where it stands: the hops of the flow or derive whose condition
/// it is, or the flow hops one of the opt-out's clauses blocks for the hop's origin in
/// some scenario (the opt-out taken by an agency it covers, with its conditions).
fn stopped(view: &Model, rule: Rule, w: &Witness, n: &mut Counts) -> Result<(), String> {
    let grounded = Grounded::new(view.clone());
    let interp = Interpreter::new(view);
    let count = interp.params.len();
    let worlds: Vec<_> = match rule {
        Rule::Optout(_) => (0..1u64 << count)
            .map(|bits| interp.world(&(0..count).map(|i| bits >> i & 1 == 1).collect::<Vec<_>>()))
            .collect(),
        _ => Vec::new(),
    };
    for path in &w.paths {
        let shown = stopped_hops(&grounded, rule, path);
        let expected: Vec<usize> = (0..path.steps.len())
            .filter(|k| stops(view, &interp, &worlds, rule, path, *k))
            .collect();
        if shown != expected {
            return Err(format!("named {shown:?}, the rule stops {expected:?}"));
        }
        n.add("stopped hops checked");
        if !shown.is_empty() {
            n.add("stopped hops named");
        }
    }
    Ok(())
}

fn stops(
    view: &Model,
    interp: &Interpreter<'_>,
    worlds: &[flowproof::reference::World],
    rule: Rule,
    path: &Path,
    k: usize,
) -> bool {
    let s = &path.steps[k];
    match (rule, s.rule) {
        (Rule::FlowCondition(i), StepRule::Flow(j))
        | (Rule::DeriveCondition(i), StepRule::Derive(j)) => i == j,
        (Rule::Optout(o), StepRule::Flow(_)) => worlds.iter().any(|world| {
            let eval = Eval {
                model: view,
                interp,
                world,
                origin: s.origin,
            };
            view.agencies
                .iter()
                .enumerate()
                .any(|(a, _)| eval.optout_blocks(o, AgencyId::from_index(a), s.data, s.from, s.to))
        }),
        _ => false,
    }
}
