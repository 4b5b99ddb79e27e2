//! Contradictions among statements: every minimal set of claims that no admissible
//! scenario satisfies, exactly as brute force over every subset and every scenario finds.

use crate::support;

use std::path::Path;

use flowproof::check::check_text;
use flowproof::ground::Grounded;
use flowproof::model::Model;
use flowproof::reference::Interpreter;
use flowproof::solve::{self, Options};

/// Every minimal conflicting subset of `claims`, by enumeration.
fn brute_force(model: &Model, claims: &[usize]) -> Vec<Vec<usize>> {
    let interp = Interpreter::new(model);
    let worlds = interp.worlds();
    let n = claims.len();
    let satisfiable = |mask: usize| {
        worlds.iter().any(|(w, admissible)| {
            *admissible
                && (0..n).filter(|i| mask >> i & 1 == 1).all(|i| {
                    interp.holds(
                        &model.claims[claims[i]].formula,
                        &model.claims[claims[i]].info,
                        w,
                    )
                })
        })
    };
    let conflicting: Vec<usize> = (0..1usize << n).filter(|m| !satisfiable(*m)).collect();
    let mut minimal: Vec<Vec<usize>> = conflicting
        .iter()
        .filter(|m| (0..n).all(|i| *m >> i & 1 == 0 || satisfiable(*m & !(1 << i))))
        .map(|m| {
            (0..n)
                .filter(|i| m >> i & 1 == 1)
                .map(|i| claims[i])
                .collect()
        })
        .collect();
    minimal.sort();
    minimal
}

#[test]
fn every_minimal_conflict_is_found_and_nothing_else() {
    let options = Options {
        timeout_ms: None,
        ..Options::default()
    };
    let mut models = 0;
    let mut with_conflicts = 0;
    let mut seed = 7_000_000;
    while models < 500 {
        seed += 1;
        let Some(text) = support::random_model::model(seed, 8) else {
            continue;
        };
        let checked = check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            continue;
        };
        let claims: Vec<usize> = (0..model.claims.len()).collect();
        let expected = brute_force(model, &claims);
        // the fast configuration (component by component) and the plain one (one
        // question over the whole model)
        for split in [true, false] {
            let options = Options {
                split,
                ..options.clone()
            };
            match solve::contradictions(&mut Grounded::new(model.clone()), &claims, &options) {
                Ok(found) => {
                    assert_eq!(found, expected, "seed {seed} (split {split}):\n{text}");
                    with_conflicts += usize::from(!found.is_empty());
                }
                // contradictory assumptions: brute force sees every subset conflicting
                Err(_) => assert_eq!(expected, vec![Vec::<usize>::new()], "seed {seed}"),
            }
        }
        models += 1;
    }
    assert!(
        with_conflicts > 20,
        "too few models with conflicts: {with_conflicts}"
    );
}

#[test]
fn officials_statements_in_the_v1_model_contradict_each_other() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args([
            "contradictions",
            "--format",
            "json",
            "policies/secure-communities/v1-2010-08.flow",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "contradictions were found");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let readings = json["files"][0]["readings"].as_array().expect("readings");
    let as_written = readings
        .iter()
        .find(|r| r["name"] == "as_written")
        .expect("the reading as ICE's documents put it");
    let sets = as_written["contradictions"].as_array().expect("sets");
    let names: Vec<Vec<&str>> = sets
        .iter()
        .map(|s| {
            s.as_array()
                .expect("set")
                .iter()
                .filter_map(|c| c["name"].as_str())
                .collect()
        })
        .collect();
    // ICE's spokespeople against ICE's spokeswoman, in the same weeks of 2010
    assert!(
        names.contains(&vec![
            "kice_sf_must_participate_2010",
            "ice_may_change_status_2010"
        ]),
        "{names:?}"
    );
    // every statement in a set carries the words and its source, and an official's
    // statement its speaker and date
    for set in sets {
        for c in set.as_array().expect("set") {
            assert!(c["quote"].is_string(), "{c}");
            if c["name"] == "kice_sf_must_participate_2010" {
                assert_eq!(
                    c["by"],
                    "Virginia Kice, ICE spokeswoman, to the San Francisco Examiner (as the report paraphrases her)"
                );
                assert_eq!(c["said"], "2010-09");
            }
            assert!(
                c["sources"].as_array().is_some_and(|s| !s.is_empty()),
                "{c}"
            );
        }
    }
}
