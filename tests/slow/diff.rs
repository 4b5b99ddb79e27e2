//! `flowproof diff`: flows, conditions, opt-outs and assumptions that changed between
//! two versions, and the claims whose verdict differs.

use std::path::Path;

use flowproof::diff::edits::{Hybrid, Responsible, responsible};
use flowproof::explain::{candidates, relax};
use flowproof::ground::Grounded;
use flowproof::model::{AgencyId, DataId, Endpoint, Flow, Model, RuleInfo, Term};
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

use crate::support;

use crate::support::cli as cli_support;

fn verified(path: &str) -> flowproof::verify::Verified {
    verify_file(Path::new(path), &Options::default(), Engine::Z3)
}

fn diff(
    old: &flowproof::verify::Verified,
    new: &flowproof::verify::Verified,
) -> Option<flowproof::diff::Diff> {
    flowproof::diff::diff(old, new, &Options::default())
}

#[test]
fn v1_to_v3_lists_the_opt_out_flips_and_the_edits() {
    let d = diff(
        &verified("policies/secure-communities/v1-2010-08.flow"),
        &verified("policies/secure-communities/v3-2011-08.flow"),
    )
    .expect("both versions check");
    // a claim's overall verdict, and its verdict in one reading
    let change = |name: &str, reading: Option<&str>| {
        d.verdicts
            .iter()
            .find(|v| v.claim == name && v.reading.as_deref() == reading)
    };
    let flip = |name: &str, reading: Option<&str>| {
        change(name, reading).map(|v| (v.before.as_str(), v.after.as_str()))
    };
    // contested in V1 (proved as ICE's documents put it, refuted as things were done)
    assert_eq!(
        flip("program_is_voluntary", None),
        Some(("contested", "refuted"))
    );
    assert_eq!(
        flip("program_is_voluntary", Some("as_written")),
        Some(("proved", "refuted"))
    );
    assert_eq!(flip("program_is_voluntary", Some("as_done")), None);
    assert_eq!(
        flip("state_can_withdraw_by_ending_moa", None),
        Some(("proved", "refuted"))
    );
    // an overall verdict is traced reading by reading
    assert_eq!(
        change("state_can_withdraw_by_ending_moa", None).and_then(|v| v.edits_note.as_deref()),
        Some("with readings, the edits are traced reading by reading")
    );
    // V1's possible voluntariness has its witness on the old side
    let voluntary = change("program_is_voluntary", Some("as_written")).expect("flip");
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
    assert!(flip("optout_keeps_prints_from_ice", None).is_none());
    // the edits responsible, delta-minimised: ending removals alone makes the program
    // involuntary as written; as things were done, the MOA exit needs only the
    // honoured-exit assumption swapped (an assumption removed beside its negation
    // added: one edit, changed); as written, removals (with the state's agreement) were
    // a second way out, so both edits are needed
    let edits = d.edits.as_ref().expect("same declarations");
    let responsible = |name: &str, reading: &str| -> Vec<String> {
        let v = change(name, Some(reading)).expect("flip");
        v.responsible
            .as_ref()
            .expect("edits found")
            .iter()
            .map(|k| format!("{} {}", edits[*k].change, edits[*k].slot))
            .collect()
    };
    assert_eq!(
        responsible("program_is_voluntary", "as_written"),
        ["added assume forall c: county. !removal_granted(c)"]
    );
    assert_eq!(
        responsible("state_can_withdraw_by_ending_moa", "as_done"),
        ["changed assume moa_exit_honoured"]
    );
    let mut moa = responsible("state_can_withdraw_by_ending_moa", "as_written");
    moa.sort();
    assert_eq!(
        moa,
        [
            "added assume forall c: county. !removal_granted(c)",
            "changed assume moa_exit_honoured"
        ]
    );
    // the witness is shown on the side that has one, with its path
    let w = voluntary.witness.as_ref().expect("witness");
    assert!(
        w.true_params
            .iter()
            .any(|p| p.starts_with("county_requests_removal("))
    );
    assert!(!w.paths.is_empty() && !w.paths[0].is_empty());
    let text = flowproof::render::diff::text(&d);
    assert!(text.contains("rule edits:"), "{text}");
    assert!(
        text.contains(
            "flipped by one edit: applied alone to the old version, it gives the new verdict:"
        ),
        "{text}"
    );
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
        flowproof::render::diff::text(&d),
        "no difference in flows, opt-outs, assumptions, readings or verdicts\n"
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

fn reference(model: &Model, claim: usize) -> String {
    let o = flowproof::reference::verify(&Grounded::new(model.clone()), &[claim], 12);
    match o {
        Ok(mut o) => o
            .pop()
            .map_or_else(String::new, |o| flowproof::diff::edits::word(&o)),
        Err(e) => format!("not verifiable ({e})"),
    }
}

/// Two versions of a random model: some rules relaxed, some flows and collects deleted,
/// some unconditional flows added. Edits
/// found for every flip are checked against the reference interpreter: applied alone to
/// the old version they give the new verdict, and leaving out any one of them does not;
/// the hybrid with no edit is the old version and with all of them the new one.
#[test]
fn edits_responsible_are_checked_against_the_reference() {
    let options = Options {
        timeout_ms: None,
        ..Options::default()
    };
    let (mut models, mut flips, mut checked_sets, mut diffs, mut claims) = (0, 0, 0, 0, 0);
    let mut seed = 7_000_000;
    while models < 2500 {
        seed += 1;
        let Some(text) = support::random_model::model(seed, 7) else {
            continue;
        };
        let checked = flowproof::check::check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            continue;
        };
        let mut rng = support::random_model::Rng::new(seed);
        let rules: Vec<_> = candidates(model)
            .into_iter()
            .filter(|_| rng.chance(40))
            .collect();
        let mut other = relax(model, &rules);
        other.flows.retain(|_| !rng.chance(25));
        other.collects.retain(|_| !rng.chance(15));
        for _ in 0..rng.below(3) {
            let (a, b) = (
                rng.below(model.agencies.len()),
                rng.below(model.agencies.len()),
            );
            let agency = |i: usize| Endpoint::Term(Term::Agency(AgencyId::from_index(i)));
            other.flows.push(Flow {
                data: DataId::from_index(rng.below(model.data.len())),
                from: agency(a),
                to: agency(b),
                guard: None,
                info: RuleInfo::default(),
            });
        }
        // half the time the relaxed model is the old version: edits then add rules
        let (old, new) = if rng.chance(50) {
            (Model::clone(model), other)
        } else {
            (other, Model::clone(model))
        };
        models += 1;
        let hybrid = Hybrid::new(&old, &new).expect("same declarations");
        let all: Vec<usize> = (0..hybrid.edits().len()).collect();
        for claim in 0..new.claims.len() {
            claims += 1;
            let (before, after) = (reference(&old, claim), reference(&new, claim));
            assert_eq!(
                reference(&hybrid.model(&[]), claim),
                before,
                "seed {seed}\n{text}"
            );
            assert_eq!(
                reference(&hybrid.model(&all), claim),
                after,
                "seed {seed}\n{text}"
            );
            if before != after {
                diffs += 1;
            }
            if before == after || before.starts_with("not") || after.starts_with("not") {
                continue;
            }
            flips += 1;
            let name = &new.claims[claim].name;
            let Responsible::Edits(set) =
                responsible(&hybrid, name, &before, &after, &options, None)
            else {
                panic!("seed {seed} claim {name}: no edits found\n{text}");
            };
            assert!(!set.is_empty());
            assert_eq!(
                reference(&hybrid.model(&set), claim),
                after,
                "seed {seed} claim {name}: {set:?} do not flip it\n{text}"
            );
            for k in &set {
                let fewer: Vec<usize> = set.iter().copied().filter(|x| x != k).collect();
                assert_ne!(
                    reference(&hybrid.model(&fewer), claim),
                    after,
                    "seed {seed} claim {name}: {set:?} is not minimal\n{text}"
                );
            }
            checked_sets += 1;
        }
    }
    eprintln!(
        "{models} version pairs: {claims} claims {diffs} diffs {flips} flips, {checked_sets} edit sets checked"
    );
    assert!(
        flips > 100 && checked_sets == flips,
        "{flips} flips, {checked_sets} checked"
    );
}

#[test]
fn claims_from_another_file_judge_both_versions() {
    let dir = std::env::temp_dir().join(format!("flowproof-diff-claims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let stmts = dir.join("statements.flow");
    std::fs::write(
        &stmts,
        "claim county_can_stay_out:\n  possible exists c: county. activated(c) && county_requests_removal(c)\n    && !state_ends_moa(parent(c)) && reaches(fingerprints of c, FBI_CJIS)\n    && !reaches(fingerprints of c, DHS_IDENT);\n",
    )
    .expect("write");
    let out = cli_support::flowproof(&[
        "diff",
        "policies/secure-communities/v1-2010-08.flow",
        "policies/secure-communities/v3-2011-08.flow",
        "--claims",
        stmts.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "a verdict differs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let verdicts = json["diff"]["verdicts"].as_array().expect("verdicts");
    // only the file's claim is judged, not the versions' own: overall (contested in V1)
    // and in the reading where it changes
    assert_eq!(verdicts.len(), 2, "{verdicts:?}");
    assert!(verdicts.iter().all(|v| v["claim"] == "county_can_stay_out"));
    assert_eq!(verdicts[0]["before"], "contested");
    assert_eq!(verdicts[0]["after"], "refuted");
    assert_eq!(verdicts[1]["reading"], "as_written");
    assert_eq!(verdicts[1]["before"], "proved");
    assert_eq!(verdicts[1]["after"], "refuted");
    let edits = json["diff"]["edits"].as_array().expect("edits");
    let responsible: Vec<&str> = verdicts[1]["responsible"]
        .as_array()
        .expect("edits found")
        .iter()
        .filter_map(|k| k.as_u64())
        .filter_map(|k| edits[k as usize]["slot"].as_str())
        .collect();
    assert_eq!(
        responsible,
        ["assume forall c: county. !removal_granted(c)"]
    );
    // the versions' files are named as the command line names them, not by absolute paths
    let text = cli_support::flowproof(&[
        "diff",
        "policies/secure-communities/v1-2010-08.flow",
        "policies/secure-communities/v3-2011-08.flow",
        "--claims",
        stmts.to_str().expect("utf-8"),
    ]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("(policies/secure-communities/v3-2011-08.flow:"),
        "{stdout}"
    );
    // a missing file is a coded error
    let missing = cli_support::flowproof(&[
        "diff",
        "policies/secure-communities/v1-2010-08.flow",
        "policies/secure-communities/v3-2011-08.flow",
        "--claims",
        "no-such-file.flow",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("flowproof::usage::claims_file"), "{stderr}");
}

/// `model` with readings drawn at random from `names`: the first always, the others
/// sometimes; each of the file's assumptions stays the file's or moves into one of
/// them, and a reading sometimes also assumes the negation of one of the file's
/// original assumptions.
fn with_readings(model: &Model, rng: &mut support::random_model::Rng) -> Model {
    use flowproof::model::{Formula, FormulaKind, Reading};
    let mut m = model.clone();
    let names: Vec<&str> = ["r0", "r1", "r2"]
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || rng.chance(60))
        .map(|(_, n)| n)
        .collect();
    m.readings = names
        .iter()
        .map(|n| Reading {
            name: (*n).to_owned(),
            label: None,
            note: None,
            assumes: Vec::new(),
            info: RuleInfo::default(),
        })
        .collect();
    let assumes = std::mem::take(&mut m.assumes);
    for a in &assumes {
        if rng.chance(40) {
            let r = rng.below(m.readings.len());
            m.readings[r].assumes.push(a.clone());
        } else {
            m.assumes.push(a.clone());
        }
    }
    for r in 0..m.readings.len() {
        if !assumes.is_empty() && rng.chance(30) {
            let mut a = assumes[rng.below(assumes.len())].clone();
            let span = a.formula.span;
            a.formula = Formula {
                kind: FormulaKind::Not(Box::new(a.formula)),
                span,
            };
            m.readings[r].assumes.push(a);
        }
    }
    m
}

/// As [`edits_responsible_are_checked_against_the_reference`], with readings: each
/// version moves some assumptions into readings of its own choosing (so readings differ
/// in their assumptions, and some are on one side only). For every reading both
/// versions have, the hybrids reproduce each version's verdict in that reading, and
/// the edits found for a flip in it are checked against the reference interpreter.
#[test]
fn edits_responsible_in_a_reading_are_checked_against_the_reference() {
    let options = Options {
        timeout_ms: None,
        ..Options::default()
    };
    let (mut models, mut flips, mut checked_sets, mut reading_edits) = (0, 0, 0, 0);
    let mut seed = 9_000_000;
    while models < 3000 {
        seed += 1;
        let Some(text) = support::random_model::model(seed, 7) else {
            continue;
        };
        let checked = flowproof::check::check_text(Path::new("random.flow"), &text);
        let Some(model) = checked.model.as_ref() else {
            continue;
        };
        if model.assumes.is_empty() {
            continue;
        }
        let mut rng = support::random_model::Rng::new(seed);
        let rules: Vec<_> = candidates(model)
            .into_iter()
            .filter(|_| rng.chance(30))
            .collect();
        let other = relax(model, &rules);
        let (old, new) = if rng.chance(50) {
            (Model::clone(model), other)
        } else {
            (other, Model::clone(model))
        };
        let (old, new) = (with_readings(&old, &mut rng), with_readings(&new, &mut rng));
        models += 1;
        let hybrid = Hybrid::new(&old, &new).expect("same declarations");
        reading_edits += hybrid
            .edits()
            .iter()
            .filter(|e| e.slot.starts_with("reading "))
            .count();
        let all: Vec<usize> = (0..hybrid.edits().len()).collect();
        let (none, every) = (hybrid.model(&[]), hybrid.model(&all));
        for (ra, reading) in old.readings.iter().enumerate() {
            // a reading only in the old version is carried over when none is applied
            let Some(rn) = new.readings.iter().position(|r| r.name == reading.name) else {
                let carried = none
                    .readings
                    .iter()
                    .position(|r| r.name == reading.name)
                    .map(|r| none.in_reading(r));
                let ours = carried.unwrap_or_else(|| {
                    let mut m = none.clone();
                    m.readings.clear();
                    m
                });
                for claim in 0..new.claims.len() {
                    assert_eq!(
                        reference(&ours, claim),
                        reference(&old.in_reading(ra), claim),
                        "seed {seed} reading {}\n{text}",
                        reading.name
                    );
                }
                continue;
            };
            for claim in 0..new.claims.len() {
                let before = reference(&old.in_reading(ra), claim);
                let after = reference(&new.in_reading(rn), claim);
                assert_eq!(
                    reference(&none.in_reading(rn), claim),
                    before,
                    "seed {seed} reading {}\n{text}",
                    reading.name
                );
                assert_eq!(
                    reference(&every.in_reading(rn), claim),
                    after,
                    "seed {seed} reading {}\n{text}",
                    reading.name
                );
                if before == after || before.starts_with("not") || after.starts_with("not") {
                    continue;
                }
                flips += 1;
                let name = &new.claims[claim].name;
                let Responsible::Edits(set) =
                    responsible(&hybrid, name, &before, &after, &options, Some(rn))
                else {
                    panic!(
                        "seed {seed} claim {name} reading {}: no edits found\n{text}",
                        reading.name
                    );
                };
                assert!(!set.is_empty());
                assert_eq!(
                    reference(&hybrid.model(&set).in_reading(rn), claim),
                    after,
                    "seed {seed} claim {name}: {set:?} do not flip it\n{text}"
                );
                for k in &set {
                    let fewer: Vec<usize> = set.iter().copied().filter(|x| x != k).collect();
                    assert_ne!(
                        reference(&hybrid.model(&fewer).in_reading(rn), claim),
                        after,
                        "seed {seed} claim {name}: {set:?} is not minimal\n{text}"
                    );
                }
                checked_sets += 1;
            }
        }
    }
    eprintln!(
        "{models} version pairs with readings: {reading_edits} reading edits, {flips} flips in readings, {checked_sets} edit sets checked"
    );
    assert!(
        flips > 100 && checked_sets == flips && reading_edits > 1000,
        "{flips} flips, {checked_sets} checked, {reading_edits} reading edits"
    );
}
