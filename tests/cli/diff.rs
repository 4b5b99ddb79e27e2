//! `flowproof diff` as people read it: readings named with their labels, the
//! assumptions of readings compared and traced, labels in scenarios and paths, and a
//! derived datum's path headed by the datum that arrives.

use crate::support::cli::flowproof;

/// Writes each `(name, text)` into a directory of its own; returns the paths.
fn files(test: &str, texts: &[(&str, &str)]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("flowproof-diff-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    texts
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write");
            path.display().to_string()
        })
        .collect()
}

fn diff(old: &str, new: &str) -> (Option<i32>, String) {
    let out = flowproof(&["diff", old, new]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), stdout)
}

fn json(old: &str, new: &str) -> serde_json::Value {
    let out = flowproof(&["diff", old, new, "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Illinois and the FBI, with labels, and two readings of whether ICE honours an exit.
const READINGS: &str = r#"policy "Two readings";
kind state; kind county; kind federal;
agency Illinois "the Illinois State Police": state;
agency Cook "the Cook County jail": county in Illinois;
agency FBI "the FBI": federal;
data fingerprints "prints";
param activated(c: county) "ICE has activated {c}";
param exit_honoured "ICE honours a state's exit";
collect fingerprints at (c: county);
flow fingerprints: (c: county) -> parent(c) when activated(c);
flow fingerprints: (s: state) -> FBI when !exit_honoured;
reading on_paper "as the agreements put it" { assume exit_honoured; }
reading in_practice "as ICE acted" { assume !exit_honoured; }
claim prints_reach_the_state: always forall c: county. reaches(fingerprints of c, parent(c));
"#;

#[test]
fn an_assumption_added_to_a_reading_is_an_edit_that_flips_that_reading() {
    let new = READINGS.replace(
        "{ assume exit_honoured; }",
        "{ assume exit_honoured; assume forall c: county. activated(c); }",
    );
    let paths = files(
        "reading-assume",
        &[("old.flow", READINGS), ("new.flow", &new)],
    );
    let (status, text) = diff(&paths[0], &paths[1]);
    assert_eq!(status, Some(1), "{text}");
    // the assumption is listed under its reading, and is a rule edit of that reading
    assert!(
        text.contains(
            "assumptions added in reading on_paper (\"as the agreements put it\"):\n  forall c: county. activated(c)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  [1] added reading on_paper: assume forall c: county. activated(c)\n"),
        "{text}"
    );
    // the per-reading change names its reading, with its label
    assert!(
        text.contains(
            "  prints_reach_the_state in reading on_paper (\"as the agreements put it\"): refuted -> proved\n"
        ),
        "{text}"
    );
    // and is traced to the reading's edit, not blamed on the claim
    assert!(!text.contains("the claim itself differs"), "{text}");
    assert!(
        text.contains(
            "      [1] (added reading on_paper: assume forall c: county. activated(c))\n"
        ),
        "{text}"
    );
    // the overall change says it is traced reading by reading
    assert!(
        text.contains("  prints_reach_the_state: refuted -> contested\n"),
        "{text}"
    );
    // the scenario reads in labels
    assert!(
        text.contains("    scenario on the old side, for c = Cook: ICE honours a state's exit, which the assumptions require (needed; every other param false)\n"),
        "{text}"
    );
    let json = json(&paths[0], &paths[1]);
    let verdicts = json["diff"]["verdicts"].as_array().expect("verdicts");
    let on_paper = verdicts
        .iter()
        .find(|v| v["reading"] == "on_paper")
        .expect("the reading's change");
    assert_eq!(on_paper["reading_label"], "as the agreements put it");
    assert_eq!(on_paper["responsible"], serde_json::json!([0]));
    // the scenario is complete: every ground param with its value, the needed ones,
    // those the assumptions require, and the instance it fails for
    let witness = &on_paper["witness"];
    let params = witness["params"].as_object().expect("every param");
    assert!(params.len() > 1, "{witness}");
    let true_ones: Vec<&String> = params
        .iter()
        .filter(|(_, v)| v.as_bool() == Some(true))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(true_ones, ["exit_honoured"], "{witness}");
    assert_eq!(witness["true_params"], serde_json::json!(["exit_honoured"]));
    assert_eq!(
        witness["required_params"],
        serde_json::json!(["exit_honoured"])
    );
    assert_eq!(witness["instance"], serde_json::json!({"c": "Cook"}));
    assert_eq!(
        json["diff"]["reading_assumptions"][0]["added"],
        serde_json::json!(["forall c: county. activated(c)"])
    );
}

#[test]
fn a_negated_assumption_in_a_reading_is_one_changed_edit() {
    let new = READINGS.replace("{ assume exit_honoured; }", "{ assume !exit_honoured; }");
    let paths = files(
        "reading-negated",
        &[("old.flow", READINGS), ("new.flow", &new)],
    );
    let (_, text) = diff(&paths[0], &paths[1]);
    assert!(
        !text.starts_with("no difference") && !text.contains("\nno difference"),
        "{text}"
    );
    assert!(
        text.contains("  [1] changed reading on_paper: assume exit_honoured\n"),
        "{text}"
    );
    assert!(
        text.contains("assumptions removed in reading on_paper (\"as the agreements put it\"):\n  exit_honoured\n"),
        "{text}"
    );
}

#[test]
fn readings_added_and_removed_are_listed() {
    let new = READINGS.replace(
        "reading in_practice \"as ICE acted\" { assume !exit_honoured; }",
        "reading in_court { assume activated(Cook); }",
    );
    let paths = files(
        "reading-added",
        &[("old.flow", READINGS), ("new.flow", &new)],
    );
    let (_, text) = diff(&paths[0], &paths[1]);
    assert!(text.contains("readings added:\n  in_court\n"), "{text}");
    assert!(
        text.contains("readings removed:\n  in_practice (\"as ICE acted\")\n"),
        "{text}"
    );
    assert!(
        text.contains("assumptions added in reading in_court:\n  activated(Cook)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "assumptions removed in reading in_practice (\"as ICE acted\"):\n  !exit_honoured\n"
        ),
        "{text}"
    );
    let json = json(&paths[0], &paths[1]);
    assert_eq!(
        json["diff"]["readings_added"],
        serde_json::json!([{ "name": "in_court" }])
    );
    assert_eq!(
        json["diff"]["readings_removed"],
        serde_json::json!([{ "name": "in_practice", "label": "as ICE acted" }])
    );
}

#[test]
fn scenarios_and_paths_read_in_labels() {
    let old = r#"policy "Labels";
kind state; kind county; kind federal;
agency Illinois "the Illinois State Police": state;
agency Cook "the Cook County jail": county in Illinois;
agency FBI "the FBI": federal;
data fingerprints "prints";
param activated(c: county) "ICE has activated {c}";
collect fingerprints at (c: county);
flow fingerprints: (c: county) -> parent(c) when activated(c);
flow fingerprints: (s: state) -> FBI;
claim prints_stay_home: always forall c: county. !reaches(fingerprints of c, FBI);
"#;
    let new = old.replace(
        " when activated(c);",
        " when activated(c) && !activated(c);",
    );
    let paths = files("labels", &[("old.flow", old), ("new.flow", &new)]);
    let (_, text) = diff(&paths[0], &paths[1]);
    assert!(
        text.contains(
            "conditions changed:\n  prints: the Cook County jail -> the Illinois State Police: when activated(c)  ->  when activated(c) && !activated(c)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("    scenario on the old side, for c = Cook: ICE has activated the Cook County jail (needed; every other param false)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "      prints of the Cook County jail: the Cook County jail -> the Illinois State Police, the Illinois State Police -> the FBI\n"
        ),
        "{text}"
    );
    // JSON keeps the names, with the labels beside them
    let json = json(&paths[0], &paths[1]);
    let witness = &json["diff"]["verdicts"][0]["witness"];
    assert_eq!(
        witness["true_params"],
        serde_json::json!(["activated(Cook)"])
    );
    assert_eq!(
        witness["param_labels"]["activated(Cook)"],
        "ICE has activated the Cook County jail"
    );
    assert_eq!(witness["paths"][0][0]["from"], "Cook");
    let changed = &json["diff"]["conditions_changed"][0];
    assert_eq!(changed["from"], "Cook");
    assert_eq!(changed["labels"]["from"], "the Cook County jail");
    assert_eq!(changed["labels"]["data"], "prints");
}

#[test]
fn a_derived_datum_s_path_is_headed_by_the_datum_that_arrives() {
    let old = r#"policy "Derived";
kind county; kind federal;
agency X: county;
agency Y: federal;
agency Z: federal;
data tax_return;
data address;
collect tax_return at X;
flow tax_return: X -> Y;
derive address from tax_return at Y;
flow address: Y -> Z;
claim address_stays: always !reaches(address of X, Z);
"#;
    let new = old.replace("flow address: Y -> Z;\n", "");
    let paths = files("derived", &[("old.flow", old), ("new.flow", &new)]);
    let (_, text) = diff(&paths[0], &paths[1]);
    assert!(
        text.contains(
            "      address of X: tax_return: X -> Y, address derived from tax_return at Y, address: Y -> Z\n"
        ),
        "{text}"
    );
}
