//! "Why it holds", checked against the reference interpreter on random models:
//! - the core alone settles the verdict: with every rule outside it dropped, the verdict
//!   stands;
//! - each rule of the core is needed: in the model its counterfactual names, the verdict
//!   is the opposite, as the counterfactual says;
//! - removing the "undone by" rules really changes the verdict, and no smaller set of
//!   rules does (every smaller subset of the model's rules is tried: the fewest is a
//!   minimum); every other set it names is as small and undoes it too;
//! - "by the flows alone" means the verdict survives removing every condition, opt-out
//!   and assumption, and removing any one of them alone (relaxing everything at once is
//!   not enough: a claim helped by an assumption can be hurt by dropping an opt-out);
//! - likewise, dropping any one rule outside the core leaves the verdict as it is.
//!
//! Half the models are explained part by part (the fast configuration), half with one
//! question over the whole model (the plain one).

use crate::support;

use std::path::Path;

use flowproof::check::check_text;
use flowproof::explain::{Context, because, candidates, relax};
use flowproof::ground::Grounded;
use flowproof::model::Model;
use flowproof::solve::Options;
use flowproof::verdict::{ClaimOutcome, Verdict};

fn decided(model: &Model, claim: usize) -> ClaimOutcome {
    let mut outcome = flowproof::reference::verify(&Grounded::new(model.clone()), &[claim], 12)
        .expect("the reference decides");
    outcome.remove(0)
}

fn reference(model: &Model, claim: usize) -> Verdict {
    decided(model, claim).verdict
}

#[test]
fn removing_the_explained_rules_changes_the_verdict() {
    let options = Options {
        timeout_ms: None,
        ..Options::default()
    };
    let (mut explained, mut flipped_sets, mut models, mut core_rules) = (0, 0, 0, 0);
    let (mut not_as_written, mut fewest_checked, mut several, mut alternatives) = (0, 0, 0, 0);
    let mut seed = 9_000_000;
    while models < 1500 {
        seed += 1;
        let Some(text) = support::random_model::model(seed, 7) else {
            continue;
        };
        let checked = check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            continue;
        };
        if flowproof::reference::verify(&Grounded::new(model.clone()), &[], 12).is_err() {
            continue; // contradictory assumptions: nothing to explain
        }
        models += 1;
        for claim in 0..model.claims.len() {
            // the fast configuration (part by part) and the plain one (one question over
            // the whole model) in turn
            let options = Options {
                split: seed % 2 == 0,
                ..options.clone()
            };
            let Some(b) = because(model, &decided(model, claim), &options).expect("explained")
            else {
                continue;
            };
            explained += 1;
            let original = reference(model, claim);
            // whatever becomes of the rules outside the core, the verdict stands: all
            // of them dropped, and each one dropped alone
            let all = candidates(model);
            let outside: Vec<_> = all
                .iter()
                .copied()
                .filter(|r| !b.core.contains(r))
                .collect();
            for r in &outside {
                let relaxed = relax(model, &[*r]);
                if flowproof::reference::verify(&Grounded::new(relaxed.clone()), &[], 12).is_err() {
                    // dropping it leaves no scenario at all: nothing can change then
                    continue;
                }
                assert_eq!(
                    reference(&relaxed, claim),
                    original,
                    "seed {seed} claim {claim}: dropping {r:?} alone changes it, outside the core {:?}\n{text}",
                    b.core
                );
            }
            if b.rules.is_empty() {
                assert_eq!(
                    reference(&relax(model, &all), claim),
                    original,
                    "seed {seed} claim {claim}: not by the flows alone\n{text}"
                );
                continue;
            }
            flipped_sets += 1;
            assert_eq!(
                reference(&relax(model, &outside), claim),
                original,
                "seed {seed} claim {claim}: the core {:?} does not settle it alone\n{text}",
                b.core
            );
            assert_eq!(b.counterfactuals.len(), b.core.len());
            for c in &b.counterfactuals {
                let dropped = c.context.dropped(c.rule, &b.core, &all);
                let without = reference(&relax(model, &dropped), claim);
                assert_ne!(
                    without, original,
                    "seed {seed} claim {claim}: dropping {dropped:?} does not change it\n{text}"
                );
                assert_eq!(without, c.outcome.verdict, "seed {seed} claim {claim}");
                if c.context != Context::AsWritten {
                    not_as_written += 1;
                    assert_eq!(
                        reference(&relax(model, &[c.rule]), claim),
                        original,
                        "seed {seed} claim {claim}: {:?} alone would have done\n{text}",
                        c.rule
                    );
                }
                core_rules += 1;
            }
            assert_ne!(
                reference(&relax(model, &b.rules), claim),
                original,
                "seed {seed} claim {claim}: removing {:?} does not change the verdict\n{text}",
                b.rules
            );
            for set in &b.also {
                assert_eq!(set.len(), b.rules.len(), "seed {seed} claim {claim}");
                assert_ne!(set, &b.rules, "seed {seed} claim {claim}");
                assert_ne!(
                    reference(&relax(model, set), claim),
                    original,
                    "seed {seed} claim {claim}: removing {set:?} does not change the verdict\n{text}"
                );
                alternatives += 1;
            }
            if b.rules.len() > 1 {
                several += 1;
            }
            // the fewest: no set of fewer rules, from all of them, changes the verdict
            for fewer in subsets_smaller_than(&all, b.rules.len()) {
                let relaxed = relax(model, &fewer);
                if flowproof::reference::verify(&Grounded::new(relaxed.clone()), &[], 12).is_err() {
                    continue; // no scenario at all: nothing can break the claim there
                }
                fewest_checked += 1;
                assert_eq!(
                    reference(&relaxed, claim),
                    original,
                    "seed {seed} claim {claim}: {fewer:?} undoes it, fewer than {:?}\n{text}",
                    b.rules
                );
            }
        }
    }
    eprintln!(
        "{models} models: {explained} explained, {flipped_sets} with rules, {core_rules} core rules, {not_as_written} counterfactuals with more dropped, {fewest_checked} smaller sets tried, {several} undone only by several rules, {alternatives} other sets as small"
    );
    assert!(
        explained > 1000
            && flipped_sets > 80
            && core_rules > 80
            && not_as_written > 5
            && fewest_checked > 100
            && several > 5
            && alternatives > 5,
        "explained {explained}, with rules {flipped_sets}, core rules {core_rules}, smaller sets {fewest_checked}, several {several}, alternatives {alternatives}"
    );
}

/// Every subset of `items` with fewer than `k` members.
fn subsets_smaller_than<T: Copy>(items: &[T], k: usize) -> Vec<Vec<T>> {
    let mut out = vec![Vec::new()];
    let mut frontier = vec![(Vec::new(), 0usize)];
    for _ in 1..k {
        let mut next = Vec::new();
        for (set, from) in &frontier {
            for (i, item) in items.iter().enumerate().skip(*from) {
                let mut bigger: Vec<T> = set.clone();
                bigger.push(*item);
                out.push(bigger.clone());
                next.push((bigger, i + 1));
            }
        }
        frontier = next;
    }
    out
}
