//! "Why it holds", checked against the reference interpreter on random models:
//! removing the explained rules really changes the verdict, keeping any one of them
//! (when the explanation says it is minimal) does not, and "by the flows alone" means
//! the verdict survives removing every condition, opt-out and assumption.

mod support;

use std::path::Path;

use flowproof::check::check_text;
use flowproof::explain::{because, candidates, relax};
use flowproof::model::Model;
use flowproof::solve::Options;
use flowproof::solve::verdict::Verdict;

fn reference(model: &Model, claim: usize) -> Verdict {
    let outcome = flowproof::reference::verify(model, &[claim], 12).expect("the reference decides");
    outcome[0].verdict.clone()
}

#[test]
fn removing_the_explained_rules_changes_the_verdict() {
    let options = Options {
        timeout_ms: None,
        ..Options::default()
    };
    let (mut explained, mut flipped_sets, mut models) = (0, 0, 0);
    let mut seed = 9_000_000;
    while models < 400 {
        seed += 1;
        let Some(text) = support::random_model::model(seed, 7) else {
            continue;
        };
        let checked = check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            continue;
        };
        if flowproof::reference::verify(model, &[], 12).is_err() {
            continue; // contradictory assumptions: nothing to explain
        }
        models += 1;
        for claim in 0..model.claims.len() {
            let Some(b) = because(model, claim, &options).expect("explained") else {
                continue;
            };
            explained += 1;
            let original = reference(model, claim);
            if b.rules.is_empty() {
                let all = candidates(model);
                assert_eq!(
                    reference(&relax(model, &all), claim),
                    original,
                    "seed {seed} claim {claim}: not by the flows alone\n{text}"
                );
                continue;
            }
            flipped_sets += 1;
            assert_ne!(
                reference(&relax(model, &b.rules), claim),
                original,
                "seed {seed} claim {claim}: removing {:?} does not change the verdict\n{text}",
                b.rules
            );
            if b.minimal {
                for r in &b.rules {
                    let fewer: Vec<_> = b.rules.iter().copied().filter(|x| x != r).collect();
                    assert_eq!(
                        reference(&relax(model, &fewer), claim),
                        original,
                        "seed {seed} claim {claim}: {:?} is not minimal\n{text}",
                        b.rules
                    );
                }
            }
        }
    }
    assert!(
        explained > 300 && flipped_sets > 20,
        "explained {explained}, with rules {flipped_sets}"
    );
}
