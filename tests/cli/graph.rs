//! `flowproof graph`: the flow graph as DOT, Mermaid, SVG and JSON, with a claim's
//! witness path highlighted and the flows its scenario blocks dashed.

use crate::support::cli as cli_support;

use cli_support::flowproof;

fn stdout(args: &[&str]) -> String {
    let out = flowproof(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const LESSON: &str = "policies/tutorial/04-opt-outs.flow";

#[test]
fn dot_output_is_pinned() {
    insta::assert_snapshot!(
        "dot_lesson_4",
        stdout(&["graph", LESSON, "--format", "dot"])
    );
    insta::assert_snapshot!(
        "dot_lesson_4_with_claim",
        stdout(&[
            "graph",
            LESSON,
            "--format",
            "dot",
            "--claim",
            "declining_keeps_prints_home"
        ])
    );
}

#[test]
fn mermaid_output_is_pinned() {
    insta::assert_snapshot!(
        "mermaid_lesson_4",
        stdout(&["graph", LESSON, "--format", "mermaid"])
    );
    insta::assert_snapshot!(
        "mermaid_lesson_4_with_claim",
        stdout(&[
            "graph",
            LESSON,
            "--format",
            "mermaid",
            "--claim",
            "declining_keeps_prints_home"
        ])
    );
}

#[test]
fn the_witness_path_is_highlighted_and_blocked_flows_are_dashed() {
    let out = stdout(&[
        "graph",
        "policies/secure-communities/v3-2011-08.flow",
        "--format",
        "json",
        "--claim",
        "optout_keeps_prints_from_ice",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let g = &json["graph"];
    let name = |i: &serde_json::Value| {
        g["nodes"][i.as_u64().expect("index") as usize]["name"]
            .as_str()
            .expect("name")
            .to_owned()
    };
    let edges = g["edges"].as_array().expect("edges");
    let red: Vec<(String, String)> = edges
        .iter()
        .filter(|e| e["highlight"] == true)
        .map(|e| (name(&e["from"]), name(&e["to"])))
        .collect();
    // the counterexample: a Californian county's prints go to the state, the FBI and DHS
    let county = red
        .iter()
        .find(|(_, to)| to == "California")
        .map(|(from, _)| from.clone())
        .expect("a county's hop to California is highlighted");
    for hop in [
        (county.as_str(), "California"),
        ("California", "FBI_CJIS"),
        ("FBI_CJIS", "DHS_IDENT"),
    ] {
        assert!(
            red.contains(&(hop.0.to_owned(), hop.1.to_owned())),
            "{hop:?} not highlighted: {red:?}"
        );
    }
    // declining the results blocks only the way back: dashed, and only for match/iar
    let dashed: Vec<(String, String)> = edges
        .iter()
        .filter(|e| e["blocked"] == true)
        .map(|e| (name(&e["from"]), name(&e["to"])))
        .collect();
    assert!(
        dashed.contains(&("California".to_owned(), county.clone())),
        "{dashed:?}"
    );
    // every other blocked edge is a jail's own act towards ICE's field office (a local
    // law in force in V3); nothing on the way to IDENT is blocked
    for e in edges.iter().filter(|e| e["blocked"] == true) {
        let (from, to) = (name(&e["from"]), name(&e["to"]));
        for line in e["lines"].as_array().expect("lines") {
            if to == county {
                assert!(line["data"] == "match" || line["data"] == "iar", "{line}");
            } else {
                assert_eq!(to, "ICE_FieldOffice", "{from} -> {to}: {line}");
            }
        }
    }
    assert!(
        g["caption"]
            .as_str()
            .is_some_and(|c| c.contains("counterexample")),
        "{}",
        g["caption"]
    );
}

#[test]
fn nesting_by_in_becomes_clusters_and_subgraphs() {
    let dot = stdout(&[
        "graph",
        "policies/secure-communities/v1-2010-08.flow",
        "--format",
        "dot",
    ]);
    assert!(dot.contains("subgraph cluster_"), "{dot}");
    let mermaid = stdout(&[
        "graph",
        "policies/secure-communities/v1-2010-08.flow",
        "--format",
        "mermaid",
    ]);
    assert!(mermaid.contains("subgraph g"), "{mermaid}");
    assert_eq!(
        mermaid.matches("subgraph").count(),
        mermaid.lines().filter(|l| l.trim() == "end").count()
    );
}

#[test]
fn an_unknown_claim_is_a_coded_error() {
    let out = flowproof(&["graph", LESSON, "--claim", "declining_keep_prints_home"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("flowproof::usage::unknown_claim"),
        "{stderr}"
    );
    assert!(stderr.contains("declining_keeps_prints_home"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = std::env::temp_dir().join(format!("flowproof-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("hostile.flow");
    std::fs::write(
        &path,
        "policy \"<script>alert(1)</script> \\\"q\\\" | # javascript:alert(1)\" version \"</svg>\";\nkind k;\nagency A: k;\nagency B: k;\ndata d;\nparam p;\ncollect d at A;\nflow d: A -> B when p;\n",
    )
    .expect("write");
    let path = path.to_str().expect("UTF-8");
    let dot = stdout(&["graph", path, "--format", "dot"]);
    assert!(
        dot.contains(r#"label="<script>alert(1)</script> \"q\""#),
        "{dot}"
    );
    let mermaid = stdout(&["graph", path, "--format", "mermaid"]);
    assert!(!mermaid.contains("<script"), "{mermaid}");
    assert!(mermaid.contains("#lt;script#gt;"), "{mermaid}");
    assert!(
        !mermaid.contains("\" |"),
        "a quote or bar would end the label: {mermaid}"
    );
    let svg = stdout(&["graph", path, "--format", "svg", "--layout", "own"]);
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert_eq!(svg.matches("</svg>").count(), 1, "{svg}");
}

/// A small model whose kinds, agencies and data have labels.
const LABELLED: &str = r#"policy "Labelled";
kind state "state police"; kind county; kind federal;
agency Illinois "the Illinois State Police": state;
agency Cook "the Cook County jail": county in Illinois;
agency FBI: federal;
data fingerprints "prints";
data record "criminal record";
collect fingerprints at (c: county);
flow fingerprints: (c: county) -> parent(c);
flow fingerprints: (s: state) -> FBI;
derive record from fingerprints at FBI;
claim prints_stay: always forall c: county. !reaches(fingerprints of c, FBI);
"#;

#[test]
fn every_picture_uses_labels_and_json_adds_them_beside_the_names() {
    let dir = std::env::temp_dir().join(format!("flowproof-graph-labels-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("labelled.flow");
    std::fs::write(&path, LABELLED).expect("write");
    let path = path.to_str().expect("UTF-8");
    for format in ["dot", "mermaid", "svg"] {
        let out = stdout(&[
            "graph",
            path,
            "--format",
            format,
            "--claim",
            "prints_stay",
            "--layout",
            "own",
        ]);
        for shown in ["the Illinois State Police", "the Cook County jail"] {
            assert!(out.contains(shown), "{format} lacks {shown:?}:\n{out}");
        }
        // the SVG boxes show the kind without parentheses, and leave out what happens
        // at each agency
        let kind = if format == "svg" {
            "state police"
        } else {
            "(state police)"
        };
        assert!(out.contains(kind), "{format} lacks {kind:?}:\n{out}");
        if format != "svg" {
            for shown in ["collects prints", "derives criminal record from prints"] {
                assert!(out.contains(shown), "{format} lacks {shown:?}:\n{out}");
            }
        }
        // the data's label on the flows (in SVG, in the legend of the keys)
        assert!(
            out.contains("prints") && !out.contains("fingerprints"),
            "{format} names the data by name:\n{out}"
        );
        // an agency without a label keeps its name
        assert!(out.contains("FBI"), "{format}:\n{out}");
        // no agency with a label is drawn by its name alone
        assert!(
            !out.contains("\"Cook") && !out.contains(">Cook<"),
            "{format}:\n{out}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["graph", path, "--format", "json"])).expect("JSON");
    let nodes = json["graph"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes[1]["name"], "Cook");
    assert_eq!(nodes[1]["label"], "the Cook County jail");
    assert_eq!(nodes[0]["kind"], "state");
    assert_eq!(nodes[0]["kind_label"], "state police");
    assert!(nodes[2].get("label").is_none(), "{}", nodes[2]);
    let line = &json["graph"]["edges"][0]["lines"][0];
    assert_eq!(line["data"], "fingerprints");
    assert_eq!(line["data_label"], "prints");
}

#[test]
fn a_contested_claims_view_draws_a_readings_scenario_and_says_which() {
    let dir = std::env::temp_dir().join(format!("flowproof-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("readings.flow");
    std::fs::write(
        &file,
        r#"policy "readings" version "1";
kind state; kind county; kind fed;
agency CA: state; agency SF: county in CA; agency ICE: fed;
data prints;
param exit_honoured;
param ends(s: state) "{s} ends its agreement";
collect prints at (c: county);
flow prints: (c: county) -> parent(c);
flow prints: (s: state) -> ICE when !(ends(s) && exit_honoured);
reading on_paper { assume exit_honoured; }
reading in_practice "as ICE acted" { assume !exit_honoured; }
claim leave "A state that ends its agreement keeps prints from ICE":
  always forall s: state. ends(s) => !reaches(prints of SF, ICE);
"#,
    )
    .expect("write policy");
    let path = file.display().to_string();
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "graph", "--claim", "leave", "--format", "json", &path,
    ]))
    .expect("JSON");
    let g = &json["graph"];
    assert_eq!(
        g["caption"],
        "claim leave in reading in_practice (\"as ICE acted\"): refuted: the counterexample's path is drawn in red; the scenario, for s = CA: CA ends its agreement (needed; every other param false); flows an opt-out blocks for that data in that scenario are dashed"
    );
    let red = g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["highlight"] == true)
        .count();
    assert_eq!(red, 2, "{g}");
}
