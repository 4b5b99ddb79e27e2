//! The generated nationwide model: its claims get the verdicts the generator states,
//! and the fast configuration of the engine (claims split into parts, answers reused,
//! fixed params substituted) agrees with the plain one (every optimisation off) on the
//! sizes where the plain one finishes quickly.

use std::path::Path;

use flowproof::check::check_text;
use flowproof::generate::{CLAIMS, flow_text, nation};
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
fn fast_and_plain_configurations_agree_with_the_stated_verdicts() {
    let expected: Vec<(String, String)> = CLAIMS
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    for (counties, seed) in [(12, 1), (60, 2), (120, 3)] {
        let text = flow_text(&nation(counties, seed));
        let checked = check_text(Path::new("nation.flow"), &text);
        assert!(
            checked.diagnostics.is_empty(),
            "{counties} counties: {:?}",
            checked.diagnostics
        );
        let model = checked.model.as_ref().expect("checks");
        let fast = solve::verify(&mut Grounded::new(model.clone()), &Options::default())
            .expect("verifies");
        let plain = solve::verify(
            &mut Grounded::new(model.clone()),
            &Options {
                split: false,
                ..Options::default()
            },
        )
        .expect("verifies");
        assert_eq!(words(&fast, model), expected, "{counties} counties, fast");
        assert_eq!(words(&plain, model), expected, "{counties} counties, plain");
        // each optimisation on its own agrees too
        for (reuse, propagate) in [(false, false), (true, false), (false, true)] {
            let partial = solve::verify(
                &mut Grounded::new(model.clone()),
                &Options {
                    reuse,
                    propagate,
                    ..Options::default()
                },
            )
            .expect("verifies");
            assert_eq!(
                words(&partial, model),
                expected,
                "{counties} counties, reuse {reuse}, propagate {propagate}"
            );
        }
    }
}

#[test]
fn counties_are_spread_like_the_real_ones() {
    let n = nation(3143, 1);
    assert_eq!(n.counties.len(), 3143);
    let in_state = |name: &str| {
        let s = n.states.iter().position(|x| x == name).expect("state");
        n.counties.iter().filter(|(_, i)| *i == s).count()
    };
    // in proportion to the real counts (Texas has 254 of the 3,234 counties and county
    // equivalents, territories included), within one
    assert!(
        (246..=248).contains(&in_state("Texas")),
        "{}",
        in_state("Texas")
    );
    assert!((1..=2).contains(&in_state("DistrictOfColumbia")));
    // about one county in a hundred is named by an assumption
    assert!(
        (20..=32).contains(&n.activated.len()),
        "{}",
        n.activated.len()
    );
    // the same seed gives the same nation
    assert_eq!(flow_text(&nation(200, 7)), flow_text(&nation(200, 7)));
}
