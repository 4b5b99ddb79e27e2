//! `flowproof diff`: flows, conditions, opt-outs and assumptions that changed between
//! two versions, and the claims whose verdict differs.

use std::path::Path;

use flowproof::diff::diff;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

fn verified(path: &str) -> flowproof::verify::Verified {
    verify_file(Path::new(path), &Options::default(), Engine::Z3)
}

#[test]
fn v1_to_v3_lists_the_opt_out_flips_and_the_edits() {
    let d = diff(
        &verified("policies/secure-communities/v1-2010-08.flow"),
        &verified("policies/secure-communities/v3-2011-08.flow"),
    )
    .expect("both versions check");
    let flip = |name: &str| {
        d.verdicts
            .iter()
            .find(|v| v.claim == name)
            .map(|v| (v.before.as_str(), v.after.as_str()))
    };
    assert_eq!(flip("program_is_voluntary"), Some(("proved", "refuted")));
    assert_eq!(
        flip("state_can_withdraw_by_ending_moa"),
        Some(("proved", "refuted"))
    );
    // V1's possible voluntariness has its witness on the old side
    let voluntary = d
        .verdicts
        .iter()
        .find(|v| v.claim == "program_is_voluntary")
        .expect("flip");
    assert_eq!(voluntary.witness_side, Some("old"));
    // the edits behind them: removals no longer granted, MOA exits no longer honoured
    assert!(
        d.assumptions_added
            .iter()
            .any(|a| a.contains("!removal_granted")),
        "{:?}",
        d.assumptions_added
    );
    assert!(
        d.assumptions_removed
            .iter()
            .any(|a| a == "moa_exit_honoured"),
        "{:?}",
        d.assumptions_removed
    );
    // claims that do not change are not listed
    assert!(flip("optout_keeps_prints_from_ice").is_none());
}

#[test]
fn a_version_against_itself_has_no_difference() {
    let v = verified("policies/secure-communities/v3-2011-08.flow");
    let w = verified("policies/secure-communities/v3-2011-08.flow");
    let d = diff(&v, &w).expect("checks");
    assert!(d.verdicts.is_empty() && d.flows_added.is_empty() && d.flows_removed.is_empty());
    assert!(
        d.conditions_changed.is_empty()
            && d.assumptions_added.is_empty()
            && d.optouts_changed.is_empty()
    );
    assert_eq!(
        flowproof::diff::render(&d),
        "no difference in flows, opt-outs, assumptions or verdicts\n"
    );
}

#[test]
fn added_and_removed_flows_are_ground_instances() {
    let dir = std::env::temp_dir().join(format!("flowproof-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let head = "policy \"d\";\nkind county; kind federal;\nagency A: county;\nagency B: county;\nagency F: federal;\ndata prints;\nparam p;\ncollect prints at (c: county);\n";
    std::fs::write(dir.join("old.flow"), format!("{head}flow prints: (c: county) -> F;\nclaim a_reaches: always reaches(prints of A, F);\n")).expect("write");
    std::fs::write(dir.join("new.flow"), format!("{head}flow prints: B -> F when p;\nflow prints: A -> B;\nclaim a_reaches: always reaches(prints of A, F);\n")).expect("write");
    let d = diff(
        &verified(dir.join("old.flow").to_str().expect("utf-8")),
        &verified(dir.join("new.flow").to_str().expect("utf-8")),
    )
    .expect("checks");
    let edges = |v: &[flowproof::diff::EdgeChange]| {
        v.iter()
            .map(|c| format!("{}->{}", c.from, c.to))
            .collect::<Vec<_>>()
    };
    assert_eq!(edges(&d.flows_added), ["A->B"]);
    assert_eq!(edges(&d.flows_removed), ["A->F"]);
    assert_eq!(edges(&d.conditions_changed), ["B->F"]);
    assert_eq!(d.conditions_changed[0].before, ["always"]);
    assert_eq!(d.conditions_changed[0].after, ["p"]);
    assert_eq!(d.verdicts.len(), 1);
    assert_eq!(
        (d.verdicts[0].before.as_str(), d.verdicts[0].after.as_str()),
        ("proved", "refuted")
    );
    assert_eq!(d.verdicts[0].witness_side, Some("new"));
}
