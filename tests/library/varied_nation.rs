//! The varied nation (`flowproof gen nationwide --varied`): on small nations of several
//! seeds its claims get the verdicts the generator derives from the profiles, both from
//! the plain configuration of the engine (every optimisation off: one question per
//! claim over everything it reads) and from the default one.
//!
//! The reference interpreter cannot decide these nations: every state-level param is
//! applied to all 56 states, so even a one-county nation has hundreds of ground params.

use std::path::Path;

use flowproof::check::check_text;
use flowproof::generate::{CountyOptout, varied_flow_text, varied_nation};
use flowproof::ground::Grounded;
use flowproof::solve::{self, Options};

fn words(
    outcomes: &[flowproof::verdict::ClaimOutcome],
    model: &flowproof::model::Model,
) -> Vec<(String, String)> {
    outcomes
        .iter()
        .map(|o| {
            (
                model.claims[o.claim].name.clone(),
                flowproof::diff::edits::word(o),
            )
        })
        .collect()
}

#[test]
fn plain_and_default_engines_give_the_derived_verdicts() {
    let plain = Options {
        split: false,
        reuse: false,
        propagate: false,
        symmetry: false,
        ..Options::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for (counties, seed) in [
        (5, 1),
        (8, 2),
        (12, 3),
        (20, 4),
        (30, 5),
        (40, 6),
        (40, 7),
        (16, 8),
    ] {
        let nation = varied_nation(counties, seed);
        let expected = nation.expected.clone();
        let text = varied_flow_text(&nation);
        let checked = check_text(Path::new("varied.flow"), &text);
        assert!(
            checked.diagnostics.is_empty(),
            "{counties} counties, seed {seed}: {:?}",
            checked.diagnostics
        );
        let model = checked.model.as_ref().expect("checks");
        for (label, options) in [("plain", &plain), ("default", &Options::default())] {
            let outcomes =
                solve::verify(&mut Grounded::new(model.clone()), options).expect("verifies");
            assert_eq!(
                words(&outcomes, model),
                expected,
                "{counties} counties, seed {seed}, {label} engine"
            );
        }
        seen.extend(expected.into_iter().enumerate().map(|(i, (_, v))| (i, v)));
    }
    // the named claims get both verdicts across these seeds
    for claim in [9, 10, 11] {
        assert!(
            seen.contains(&(claim, "proved".to_owned()))
                && seen.contains(&(claim, "refuted".to_owned())),
            "claim {claim} always gets the same verdict: {seen:?}"
        );
    }
}

#[test]
fn the_varied_nation_has_local_rules_and_is_deterministic() {
    let n = varied_nation(3143, 1);
    assert_eq!(n.counties.len(), 3143);
    let featured = n
        .county_policies
        .iter()
        .filter(|p| p.optout != CountyOptout::Unknown || p.g287 || p.ordinance)
        .count();
    // 20% to 40% of the counties have rules of their own (cities aside)
    assert!((400..=1400).contains(&featured), "{featured}");
    assert!(n.cities.len() > 50, "{}", n.cities.len());
    assert!(n.state_policies.iter().any(|p| p.trust_act));
    assert!(n.state_policies.iter().any(|p| p.withholds_prints));
    assert!(n.state_policies.iter().any(|p| !p.moa_signed));
    assert_eq!(n.expected.len(), 12);
    assert_eq!(
        varied_flow_text(&varied_nation(200, 7)),
        varied_flow_text(&varied_nation(200, 7))
    );
    assert_ne!(
        varied_flow_text(&varied_nation(200, 7)),
        varied_flow_text(&varied_nation(200, 8))
    );
}
