//! Explanations held to the verdicts' standard, each on the smallest case that once
//! went wrong: the edits `diff` blames, `--why` when dropping a rule leaves no scenario,
//! "what undoes it" as a true minimum, scenarios that name every fact they need, and
//! the reasons beside each hop.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli::flowproof;

/// A fresh directory holding `files`.
fn dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "flowproof-explanations-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write policy");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    for a in &mut all {
        if a.ends_with(".flow") {
            *a = dir.join(&*a).display().to_string();
        }
    }
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = flowproof(&refs);
    (
        out.status.code().expect("an exit status"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BASE: &str = "policy \"repro\" version \"base\"; kind k; agency A: k; agency B: k; data d; \
                    param law; param other; collect d at A; flow d: A -> B when !law; \
                    claim law_stops_it \"with the law, d never reaches B\": always law => !reaches(d of A, B);\n";

#[test]
fn diff_blames_only_the_edits_a_flip_needs() {
    // old assumes !law and !other, new assumes other: the flip from "proved vacuously"
    // to "proved" needs only `assume !law` gone; `!other` plays no part
    let d = dir(
        "blame",
        &[
            ("base.flow", BASE),
            (
                "old.flow",
                "import \"base.flow\";\nassume !law;\nassume !other;\n",
            ),
            ("new.flow", "import \"base.flow\";\nassume other;\n"),
        ],
    );
    let (code, out, err) = run(&d, &["diff", "old.flow", "new.flow", "--format", "json"]);
    assert_eq!(code, 1, "a verdict differs: {err}");
    let json: Value = serde_json::from_str(&out).expect("JSON");
    let json = &json["diff"];
    let flip = &json["verdicts"][0];
    assert_eq!(flip["claim"], "law_stops_it");
    let edits = json["edits"].as_array().expect("edits");
    let blamed: Vec<String> = flip["responsible"]
        .as_array()
        .expect("edits found")
        .iter()
        .map(|k| {
            let e = &edits[k.as_u64().expect("index") as usize];
            format!(
                "{} {}",
                e["change"].as_str().unwrap_or(""),
                e["slot"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(blamed, ["removed assume !law"], "{out}");
    // and `assume !other` replaced by `assume other` is one edit, not two
    assert!(
        edits
            .iter()
            .any(|e| e["change"] == "changed" && e["slot"] == "assume !other"),
        "{out}"
    );
}

#[test]
fn why_explains_a_proof_when_dropping_a_rule_leaves_no_scenario() {
    // dropping the flow's condition makes `assume !reaches(...)` rule out every scenario
    // with p: the explanation goes on instead of giving up
    let d = dir(
        "contradictory",
        &[(
            "m.flow",
            "policy \"r3\";\nkind k; agency A: k; agency B: k; data d; param p;\ncollect d at A;\n\
             flow d: A -> B when p;\nassume !reaches(d of A, B);\nclaim c: always !p;\n",
        )],
    );
    let (code, out, err) = run(&d, &["verify", "--why", "m.flow"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("could not explain"), "{err}");
    assert!(
        out.contains("    why: it holds because of this rule, which alone settles it:\n"),
        "{out}"
    );
    assert!(
        out.contains("    without it, it fails: p (needed; every other param false)\n"),
        "{out}"
    );
}

#[test]
fn what_undoes_a_proof_is_the_fewest_rules() {
    // one assumption undoes it alone; shrinking greedily from "everything dropped" kept
    // the two flow conditions instead
    let d = dir(
        "fewest",
        &[(
            "m.flow",
            "policy \"fewest\";\nkind k; agency A: k; agency B: k; agency C: k; data d; param p; param q;\n\
             collect d at A;\nflow d: A -> B when p;\nflow d: B -> C when q;\nassume !p && !q;\n\
             claim never: always !reaches(d of A, C);\n",
        )],
    );
    let (code, out, _) = run(&d, &["verify", "--why", "m.flow"]);
    assert_eq!(code, 0);
    let undoes: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("what undoes it"))
        .collect();
    assert_eq!(undoes.len(), 1, "{out}");
    assert!(
        undoes[0].starts_with("    what undoes it: removing assumption (")
            && undoes[0].ends_with("m.flow:6)"),
        "{out}"
    );
}

#[test]
fn a_scenario_names_the_facts_only_an_assumption_reads() {
    // `staffed` is read by nothing but an assumption: "listed true, the rest false" must
    // still satisfy it, so it is named, as what the assumptions require
    let d = dir(
        "assumption-only",
        &[(
            "x.flow",
            "policy \"assumption-only\";\nkind k; agency A: k; agency B: k; data d; param open; param staffed;\n\
             collect d at A;\nflow d: A -> B when open;\nassume staffed;\n\
             claim never: always !reaches(d of A, B);\n",
        )],
    );
    let (code, out, _) = run(&d, &["verify", "x.flow"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "    counterexample: open; the assumptions require staffed (all needed; every other param false)\n"
        ),
        "{out}"
    );
    // the hop says why it was taken
    assert!(out.contains("        when open: open true\n"), "{out}");
    let (_, json, _) = run(&d, &["verify", "--format", "json", "x.flow"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    let w = &json["files"][0]["claims"][0]["witness"];
    assert_eq!(
        w["params"],
        serde_json::json!({"open": true, "staffed": true})
    );
    assert_eq!(w["needed_params"], serde_json::json!(["open", "staffed"]));
    assert_eq!(w["required_params"], serde_json::json!(["staffed"]));
    assert_eq!(w["needed_minimal"], true);
    assert_eq!(w["paths"][0][0]["condition"][0]["param"], "open");
}

#[test]
fn a_counterexample_names_the_instance_it_fails_for() {
    let d = dir(
        "instance",
        &[(
            "q.flow",
            "policy \"instance\";\nkind county; kind federal;\nagency C1: county; agency C2: county; agency ICE: federal;\n\
             data d; param open(c: county);\ncollect d at (c: county);\nflow d: (c: county) -> ICE when open(c);\n\
             assume !open(C1);\nclaim none: always forall c: county. !reaches(d of c, ICE);\n",
        )],
    );
    let (code, out, _) = run(&d, &["verify", "q.flow"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "    counterexample, failing for c = C2: open(C2) (needed; every other param false)\n"
        ),
        "{out}"
    );
    let (_, json, _) = run(&d, &["verify", "--format", "json", "q.flow"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        json["files"][0]["claims"][0]["witness"]["instance"],
        serde_json::json!({"c": "C2"})
    );
}

#[test]
fn a_warning_from_a_file_two_others_import_is_shown_once() {
    let d = dir(
        "shared-warning",
        &[
            (
                "base.flow",
                "policy \"b\" version \"1\";\nkind k; agency A: k; agency B: k; data d; param p;\ncollect d at A;\nflow d: A -> B when p;\nassume !reaches(d of B, A);\n",
            ),
            (
                "one.flow",
                "import \"base.flow\";\nclaim c1 \"x\": always !reaches(d of A, B);\n",
            ),
            (
                "two.flow",
                "import \"base.flow\";\nclaim c2 \"y\": possible reaches(d of A, B);\n",
            ),
        ],
    );
    for command in ["verify", "check"] {
        let (_, _, stderr) = run(&d, &[command, "one.flow", "two.flow"]);
        assert_eq!(
            stderr.matches("flowproof::lint::never_originates").count(),
            1,
            "{command}: {stderr}"
        );
    }
    let (_, stdout, _) = run(&d, &["verify", "--format", "json", "one.flow", "two.flow"]);
    let json: Value = serde_json::from_str(&stdout).expect("JSON");
    let shared: usize = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().expect("diagnostics"))
        .filter(|x| x["code"] == "flowproof::lint::never_originates")
        .count();
    assert_eq!(shared, 1, "{stdout}");
}
