//! `flowproof verify` end to end: the contract's example, every exit status, the JSON
//! of the output contract, claim selection, vacuity, contradictions and limits.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli as cli_support;

use cli_support::flowproof;

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["verify", "--format", "json"];
    all.extend_from_slice(args);
    let out = flowproof(&all);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().expect("an exit status"), value)
}

fn policy(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write policy");
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

const CONTRACT: &str = "policies/examples/contract-example.flow";

fn claim<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["files"][0]["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no claim {name}"))
}

#[test]
fn the_contract_example_refutes_both_claims_with_the_documented_path() {
    let (code, json) = json(&[CONTRACT]);
    assert_eq!(code, 1);
    let file = &json["files"][0];
    assert_eq!(file["path"], CONTRACT);
    assert_eq!(file["policy"]["name"], "Secure Communities");
    assert_eq!(file["policy"]["version"], "2011-mandatory");
    assert_eq!(file["policy"]["date"], "2011-04-28");

    let shields = claim(&json, "optout_shields_prints");
    assert_eq!(shields["mode"], "always");
    assert_eq!(shields["verdict"], "refuted");
    assert_eq!(shields["vacuous"], false);
    assert_eq!(shields["cites"], serde_json::json!(["napolitano_2010"]));
    let witness = &shields["witness"];
    // the scenario lists every ground param of the file
    let params = witness["params"].as_object().expect("params");
    let mut names: Vec<&str> = params.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "activated(SanFrancisco)",
            "activated(SantaClara)",
            "decline_results(SanFrancisco)",
            "decline_results(SantaClara)",
            "emergency"
        ]
    );
    // the counterexample: a county that declined results still sends its prints to ICE
    let path = witness["paths"][0].as_array().expect("a path");
    let county = path[0]["from"].as_str().expect("from");
    assert_eq!(params[&format!("decline_results({county})")], true);
    let hops: Vec<(&str, &str)> = path
        .iter()
        .map(|s| {
            (
                s["from"].as_str().unwrap_or(""),
                s["to"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            (county, "CA"),
            ("CA", "FBI"),
            ("FBI", "DHS"),
            ("DHS", "ICE")
        ]
    );
    for step in path {
        assert_eq!(step["data"], "fingerprints");
        assert_eq!(step["origin"], county);
        assert!(step["line"].as_u64().is_some_and(|l| l > 0));
    }
    // FBI -> DHS rests on "Setting the Record Straight"
    assert_eq!(
        path[2]["cites"],
        serde_json::json!(["record_straight_2010"])
    );

    let home = claim(&json, "can_keep_prints_home");
    assert_eq!(home["mode"], "possible");
    assert_eq!(home["verdict"], "refuted");
    assert!(home["witness"].is_null());
}

#[test]
fn the_reference_engine_gives_the_same_verdicts() {
    let (code, json) = json(&["--engine", "reference", CONTRACT]);
    assert_eq!(code, 1);
    assert_eq!(claim(&json, "optout_shields_prints")["verdict"], "refuted");
    assert_eq!(claim(&json, "can_keep_prints_home")["verdict"], "refuted");
    assert!(claim(&json, "optout_shields_prints")["witness"]["paths"][0].is_array());
}

const SMALL: &str = "policy \"small\" version \"1\" date 2020-01-01;
kind county; kind federal;
agency C: county;
agency D: county;
agency F: federal;
data prints;
param sends(c: county);
collect prints at (c: county);
flow prints: (c: county) -> F when sends(c);
";

#[test]
fn every_claim_proved_exits_zero() {
    let path = policy(
        "proved.flow",
        &format!(
            "{SMALL}claim only_if_sent: always forall c: county. reaches(prints of c, F) => sends(c);\n"
        ),
    );
    let (code, json) = json(&[arg(&path)]);
    assert_eq!(code, 0);
    let c = claim(&json, "only_if_sent");
    assert_eq!(c["verdict"], "proved");
    assert_eq!(c["vacuous"], false);
    assert!(c["witness"].is_null());
    assert_eq!(json["summary"]["proved"], 1);
}

#[test]
fn a_possible_claim_is_proved_with_a_witness() {
    let path = policy(
        "possible.flow",
        &format!(
            "{SMALL}claim c_sends: possible reaches(prints of C, F) && !reaches(prints of D, F);\n"
        ),
    );
    let (code, json) = json(&[arg(&path)]);
    assert_eq!(code, 0);
    let c = claim(&json, "c_sends");
    assert_eq!(c["verdict"], "proved");
    assert_eq!(c["witness"]["params"]["sends(C)"], true);
    assert_eq!(c["witness"]["params"]["sends(D)"], false);
    assert_eq!(c["witness"]["paths"][0][0]["from"], "C");
    assert_eq!(c["witness"]["paths"][0][0]["to"], "F");
}

#[test]
fn an_unknown_is_never_a_verdict_and_exits_three() {
    // every question asked of the solver, so that the tiny limit is reached
    let (code, json) = json(&["--rlimit", "1", "--no-diagrams", CONTRACT]);
    assert_eq!(code, 3);
    for c in json["files"][0]["claims"].as_array().expect("claims") {
        assert_eq!(c["verdict"], "unknown");
        assert!(c["witness"].is_null());
        assert!(
            c["reason"].as_str().is_some_and(|r| r.contains("--rlimit")),
            "{c}"
        );
    }
    assert_eq!(json["summary"]["unknown"], 2);
}

#[test]
fn refuted_beats_unknown_in_the_exit_status() {
    // one file refuted, one unknown: 1
    let proved = policy(
        "proved-for-mix.flow",
        &format!(
            "{SMALL}claim only_if_sent: always forall c: county. reaches(prints of c, F) => sends(c);\n"
        ),
    );
    let out = flowproof(&["verify", CONTRACT, arg(&proved)]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn vacuous_claims_are_reported_with_the_impossible_antecedent() {
    let path = policy(
        "vacuous.flow",
        // nothing is collected at the federal agency, so no data of F reaches anywhere
        &format!(
            "{SMALL}claim never: always forall c: county. reaches(prints of F, c) => sends(c);\n"
        ),
    );
    let (code, json) = json(&[arg(&path)]);
    assert_eq!(code, 0, "vacuous is still proved");
    let c = claim(&json, "never");
    assert_eq!(c["verdict"], "proved");
    assert_eq!(c["vacuous"], true);
    assert_eq!(c["vacuous_antecedent"], "reaches(prints of F, c)");
    let out = flowproof(&["verify", arg(&path)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("proved (vacuously)"), "{text}");
    assert!(
        text.contains("`reaches(prints of F, c)` is false in every scenario"),
        "{text}"
    );
}

#[test]
fn a_claim_over_a_kind_with_no_agency_says_so() {
    let path = policy(
        "empty-kind.flow",
        &format!("{SMALL}kind tribal;\nclaim none: always forall t: tribal. true => false;\n"),
    );
    let out = flowproof(&["verify", arg(&path)]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("proved (vacuously)"), "{text}");
    assert!(
        text.contains("it holds only because there is no agency of kind `tribal`"),
        "{text}"
    );
}

#[test]
fn contradictory_assumptions_are_an_error_naming_a_minimal_set() {
    let path = policy(
        "contradictory.flow",
        &format!(
            "{SMALL}assume sends(C);\nassume sends(D);\nassume !reaches(prints of C, F);\nclaim anything: always false;\n"
        ),
    );
    let (code, json) = json(&[arg(&path)]);
    assert_eq!(code, 2);
    assert!(
        json["files"][0]["claims"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let diag = &json["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "flowproof::verify::contradictory_assumptions");
    assert_eq!(diag["severity"], "error");
    // `sends(D)` is not part of the conflict
    let lines: Vec<u64> = diag["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|l| l["line"].as_u64())
        .collect();
    // lines 10 and 12: `sends(C)` and `!reaches(prints of C, F)`
    assert_eq!(lines, [10, 12]);
}

#[test]
fn claim_selects_claims_and_unknown_names_are_usage_errors() {
    let (code, json) = json(&["--claim", "can_keep_prints_home", CONTRACT]);
    assert_eq!(code, 1);
    let claims = json["files"][0]["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["name"], "can_keep_prints_home");

    let out = flowproof(&["verify", "--claim", "optout_shield_prints", CONTRACT]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("flowproof::usage::unknown_claim"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `optout_shields_prints`?"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_claim_far_from_every_name_lists_those_that_contain_it_or_all() {
    let help = |name: &str| {
        let out = flowproof(&["verify", "--claim", name, CONTRACT]);
        assert_eq!(out.status.code(), Some(2));
        // the help as one line, however it was wrapped
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        stderr.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let containing = help("home");
    assert!(
        containing.contains("claims whose names contain `home`: `can_keep_prints_home`"),
        "{containing}"
    );
    let all = help("nosuch");
    assert!(all.contains("the claims are `"), "{all}");
    assert!(all.contains("`can_keep_prints_home`"), "{all}");
    assert!(
        all.contains("without `--claim` checks every claim"),
        "{all}"
    );
}

#[test]
fn input_errors_exit_two_without_verdicts() {
    let path = policy(
        "broken.flow",
        &format!("{SMALL}claim c: always reaches(prints of C, FF);\n"),
    );
    let (code, json) = json(&[arg(&path), CONTRACT]);
    assert_eq!(
        code, 2,
        "an input error anywhere means no verdict is trusted"
    );
    assert_eq!(json["summary"]["files_with_errors"], 1);
}

#[test]
fn the_reference_engine_refuses_large_models_clearly() {
    let (code, json) = json(&["--engine", "reference", "--max-params", "3", CONTRACT]);
    assert_eq!(code, 2);
    let diag = &json["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "flowproof::verify::too_many_params");
    assert!(
        diag["message"]
            .as_str()
            .is_some_and(|m| m.contains("5 ground params"))
    );
}

#[test]
fn human_output_reads_like_cargo_test() {
    let out = flowproof(&["verify", CONTRACT]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("claim optout_shields_prints ... refuted"),
        "{text}"
    );
    assert!(
        text.contains("claim can_keep_prints_home ... refuted"),
        "{text}"
    );
    assert!(text.contains("fingerprints of "), "{text}");
    assert!(text.contains("FBI -> DHS"), "{text}");
    assert!(text.contains("cites record_straight_2010"), "{text}");
    assert!(
        text.contains("verify result: some claims refuted. 0 proved; 2 refuted; 0 unknown"),
        "{text}"
    );
}

#[test]
fn deeply_nested_and_very_long_formulas_get_a_verdict_up_to_the_depth_ceiling() {
    // 100,000 levels: refused by default, decided with the limit raised to its ceiling
    let n = 100_000;
    let nested = format!(
        "policy \"deep\";\nparam p;\nclaim c: possible {}p{};\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    let negated = format!(
        "policy \"deep\";\nparam p;\nclaim c: possible {}p;\n",
        "!".repeat(n - 1)
    );
    let chain = format!(
        "policy \"long\";\nparam p;\nclaim c: possible {};\n",
        vec!["p"; n].join(" && ")
    );
    for (name, text) in [
        ("nested.flow", nested),
        ("negated.flow", negated),
        ("chain.flow", chain),
    ] {
        let path = policy(name, &text);
        let (code, refused) = json(&[arg(&path)]);
        assert_eq!(code, 2, "{name}");
        assert_eq!(
            refused["files"][0]["diagnostics"][0]["code"], "flowproof::limit::depth",
            "{name}"
        );
        let (code, json) = json(&["--max-depth", "100000", arg(&path)]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(claim(&json, "c")["verdict"], "proved", "{name}");
    }
}

#[test]
fn witnesses_can_be_told_as_plain_english_stories() {
    let out = flowproof(&["verify", "--story", CONTRACT]);
    let text = String::from_utf8_lossy(&out.stdout);
    let (_, json) = json(&[CONTRACT]);
    let stories = &claim(&json, "optout_shields_prints")["witness"]["stories"][0];
    let county = claim(&json, "optout_shields_prints")["witness"]["paths"][0][0]["from"]
        .as_str()
        .expect("a county")
        .to_owned();
    let told: Vec<&str> = stories
        .as_array()
        .expect("a story")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(told.len(), 4, "one sentence per hop: {told:?}");
    assert!(
        told[0].starts_with(&format!("{county} sends its own fingerprints to CA (")),
        "{told:?}"
    );
    assert!(
        told[2].starts_with(&format!("FBI passes {county}'s fingerprints on to DHS (")),
        "{told:?}"
    );
    assert!(
        told[2].ends_with(", citing record_straight_2010)."),
        "{told:?}"
    );
    for sentence in &told {
        assert!(text.contains(sentence), "--story prints {sentence}");
    }
    // without --story the text keeps the terse form only
    let terse = flowproof(&["verify", CONTRACT]);
    assert!(!String::from_utf8_lossy(&terse.stdout).contains("sends its own fingerprints"));
}

#[test]
fn stories_tell_derived_data_and_data_collected_where_it_is_asked_about() {
    let path = policy(
        "story.flow",
        "policy \"story\";\nkind county; kind federal;\nagency C: county;\nagency DHS: federal;\nagency ICE: federal;\n\
         data prints; data match;\ncollect prints at C;\nflow prints: C -> DHS;\nderive match from prints at DHS;\n\
         flow match: DHS -> ICE;\nclaim m: possible reaches(match of C, ICE) && reaches(prints of C, C);\n",
    );
    let (code, json) = json(&[arg(&path)]);
    assert_eq!(code, 0);
    let stories = claim(&json, "m")["witness"]["stories"]
        .as_array()
        .expect("stories")
        .clone();
    let all: Vec<String> = stories
        .iter()
        .flat_map(|s| s.as_array().cloned().unwrap_or_default())
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert!(
        all.iter()
            .any(|s| s.starts_with("At DHS, the match is derived from C's prints (")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|s| s.starts_with("DHS passes C's match on to ICE (")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|s| s == "C collects the prints itself, so it has them from the start."),
        "{all:?}"
    );
}

#[test]
fn routes_lists_distinct_routes_shortest_first() {
    let path = policy(
        "routes.flow",
        "policy \"routes\";\nkind county; kind state; kind federal;\nagency CA: state;\nagency SF: county in CA;\n\
         agency FBI: federal;\nagency DHS: federal;\nagency ICE: federal;\ndata prints;\nparam direct;\nparam closed;\n\
         collect prints at SF;\nflow prints: SF -> CA;\nflow prints: CA -> FBI;\nflow prints: FBI -> DHS;\n\
         flow prints: DHS -> ICE;\nflow prints: FBI -> ICE when direct;\nflow prints: SF -> ICE when direct;\n\
         flow prints: CA -> ICE when closed;\n\
         claim reach_ice: possible reaches(prints of SF, ICE) && direct && !closed;\n",
    );
    let (code, listed) = json(&["--routes", "5", arg(&path)]);
    assert_eq!(code, 0);
    let witness = &claim(&listed, "reach_ice")["witness"];
    let routes = witness["routes"][0]
        .as_array()
        .expect("routes for the fact");
    let hops: Vec<Vec<(String, String)>> = routes
        .iter()
        .map(|r| {
            r.as_array()
                .expect("steps")
                .iter()
                .map(|s| {
                    (
                        s["from"].as_str().unwrap_or("").to_owned(),
                        s["to"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .collect();
    let route = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect::<Vec<_>>()
    };
    // CA -> ICE is closed in this scenario, so it is no route
    assert_eq!(
        hops,
        [
            route(&[("SF", "ICE")]),
            route(&[("SF", "CA"), ("CA", "FBI"), ("FBI", "ICE")]),
            route(&[("SF", "CA"), ("CA", "FBI"), ("FBI", "DHS"), ("DHS", "ICE")]),
        ]
    );
    // without --routes only the path is given
    let (_, plain) = json(&[arg(&path)]);
    assert!(
        claim(&plain, "reach_ice")["witness"]["routes"][0]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
}

#[test]
fn routes_are_distinct_paths_not_distinct_rules() {
    // two rules move the prints from A to B: a second route by the other rule is the
    // same path; the genuinely different path by C must come second
    let path = policy(
        "parallel.flow",
        "policy \"routes\";\nkind k;\nagency A: k; agency B: k; agency C: k; agency D: k;\ndata d;\n\
         collect d at A;\nflow d: A -> B;\nflow d: A -> B;\nflow d: B -> D;\nflow d: A -> C;\nflow d: C -> D;\n\
         claim never: always !reaches(d of A, D);\n",
    );
    let (code, listed) = json(&["--routes", "2", arg(&path)]);
    assert_eq!(code, 1);
    let routes = claim(&listed, "never")["witness"]["routes"][0]
        .as_array()
        .expect("routes for the fact")
        .clone();
    let hops: Vec<Vec<String>> = routes
        .iter()
        .map(|r| {
            r.as_array()
                .expect("steps")
                .iter()
                .map(|s| {
                    format!(
                        "{}->{}",
                        s["from"].as_str().unwrap_or(""),
                        s["to"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .collect();
    assert_eq!(hops, [vec!["A->B", "B->D"], vec!["A->C", "C->D"]]);
}

#[test]
fn why_names_the_rules_a_proof_rests_on_and_the_counterexample_without_them() {
    let out = flowproof(&["verify", "--why", "policies/tutorial/04-opt-outs.flow"]);
    let text = String::from_utf8_lossy(&out.stdout);
    // declining results is what stops them: the opt-out, with its citation
    assert!(
        text.contains("claim declining_stops_results ... proved"),
        "{text}"
    );
    assert!(
        text.contains("why: it holds because of this rule, which alone settles it:"),
        "{text}"
    );
    assert!(
        text.contains("1. opt-out at policies/tutorial/04-opt-outs.flow:47, cites kice_2011"),
        "{text}"
    );
    assert!(
        text.contains(
            "without it, it fails for c = SanFrancisco: decline_results(SanFrancisco) (needed; every other param false)"
        ),
        "{text}"
    );
    assert!(
        text.contains("match of SanFrancisco reaches SanFrancisco:"),
        "the counterfactual shows the path: {text}"
    );
    // and, of that path, the hop the opt-out blocks where it stands
    assert!(
        text.contains("    where it stands, this opt-out blocks match: FBI -> CA\n"),
        "{text}"
    );
    assert!(
        text.contains("what undoes it: removing opt-out (policies/tutorial/04-opt-outs.flow:47)"),
        "{text}"
    );
    // a claim about the neighbour rests on no restriction at all
    assert!(text.contains("why: it holds by the flows alone"), "{text}");
    let (_, json) = json(&["--why", "policies/tutorial/04-opt-outs.flow"]);
    let because = &claim(&json, "declining_stops_results")["because"];
    assert_eq!(because["core"][0]["kind"], "opt-out");
    assert_eq!(because["core"][0]["line"], 47);
    assert_eq!(because["core"][0]["context"], "as_written");
    assert_eq!(because["core"][0]["verdict"], "refuted");
    assert_eq!(
        because["core"][0]["without"]["paths"][0]
            .as_array()
            .map(Vec::len),
        Some(7),
        "the counterfactual path has every hop"
    );
    assert_eq!(because["undone_by"][0]["kind"], "opt-out");
    assert_eq!(because["undone_by"][0]["line"], 47);
    assert!(
        claim(&json, "declining_keeps_prints_home")["because"].is_null(),
        "a refuted `always` claim is explained by its counterexample"
    );
}
