//! Every command's `--format json` output, on the shipped policies and on broken input,
//! is valid under the JSON Schema `flowproof schema COMMAND` prints (made strict: an
//! object may have no key the schema does not describe), begins with
//! `"format": "flowproof/1"`, and the schemas in `docs/schemas/` are those the binary
//! prints.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli::flowproof;

const COMMANDS: [&str; 11] = [
    "check",
    "fmt",
    "init",
    "verify",
    "contradictions",
    "gen",
    "report",
    "graph",
    "diff",
    "timeline",
    "pin",
];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The schema of `command`, as the binary prints it.
fn printed_schema(command: &str) -> Value {
    let out = flowproof(&["schema", command]);
    assert_eq!(out.status.code(), Some(0), "schema {command}");
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

/// `schema` with every object closed: a key the schema does not describe is an error.
fn strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(strict);
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

/// Runs `args` (with `--format json`), checks the exit status is one of `statuses` and
/// the document is valid under the strict schema of `command`; returns the document.
fn valid(command: &str, args: &[&str], statuses: &[i32]) -> Value {
    let mut schema = printed_schema(command);
    strict(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut full = vec![command, "--format", "json"];
    full.extend_from_slice(args);
    let out = flowproof(&full);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        statuses.contains(&code),
        "{full:?} exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("{\n  \"format\": \"flowproof/1\","),
        "{full:?}: the format comes first: {}",
        &text[..text.len().min(200)]
    );
    let doc: Value = serde_json::from_str(&text).expect("one JSON document");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{full:?} does not match its schema:\n{}",
        errors.join("\n")
    );
    doc
}

#[test]
fn the_shipped_schemas_are_the_printed_ones() {
    let listed = flowproof(&["schema", "--help"]);
    let help = String::from_utf8_lossy(&listed.stdout);
    for command in COMMANDS {
        assert!(help.contains(command), "`schema` takes {command}");
        let path = Path::new("docs/schemas").join(format!("{command}.schema.json"));
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        let printed = String::from_utf8_lossy(&flowproof(&["schema", command]).stdout).into_owned();
        assert!(
            shipped == printed,
            "{} is out of date: run `flowproof schema {command} > {}`",
            path.display(),
            path.display()
        );
    }
}

#[test]
fn check_json_matches_its_schema() {
    valid("check", &["policies/"], &[0]);
    let dir = scratch("check");
    let bad = dir.join("bad.flow");
    std::fs::write(&bad, "kind k;\nagency A: q;\n").expect("write");
    let doc = valid(
        "check",
        &[bad.to_str().expect("utf-8"), "nowhere.flow"],
        &[2],
    );
    assert_eq!(doc["files"].as_array().map(Vec::len), Some(2));
}

#[test]
fn fmt_json_matches_its_schema() {
    // (the contract's example is kept as the contract lays it out, so not here)
    valid(
        "fmt",
        &[
            "--check",
            "policies/secure-communities",
            "policies/irs-ice",
            "policies/tutorial",
        ],
        &[0],
    );
    let dir = scratch("fmt");
    let ugly = dir.join("ugly.flow");
    std::fs::write(&ugly, "kind   k;\nagency A:k;\n").expect("write");
    let doc = valid("fmt", &["--check", ugly.to_str().expect("utf-8")], &[1]);
    assert_eq!(doc["changed"], 1);
}

#[test]
fn init_json_matches_its_schema() {
    let dir = scratch("init");
    let target = dir.join("new");
    let target = target.to_str().expect("utf-8");
    let doc = valid("init", &[target], &[0]);
    assert!(
        doc["created"]
            .as_str()
            .is_some_and(|p| p.ends_with("policy.flow"))
    );
    let again = valid("init", &[target], &[2]);
    assert_eq!(again["created"], Value::Null);
    assert_eq!(again["diagnostics"][0]["code"], "flowproof::init::exists");
}

#[test]
fn verify_json_matches_its_schema() {
    for library in [
        "policies/secure-communities",
        "policies/irs-ice",
        "policies/tutorial",
        "policies/examples",
    ] {
        let doc = valid("verify", &[library], &[0, 1, 3]);
        assert!(!doc["files"].as_array().expect("files").is_empty());
    }
    valid("verify", &["nowhere.flow"], &[2]);
}

#[test]
fn contradictions_json_matches_its_schema() {
    for library in ["policies/tutorial", "policies/irs-ice/claims.flow"] {
        valid("contradictions", &[library], &[0, 1]);
    }
}

#[test]
fn gen_json_matches_its_schema() {
    let flat = valid("gen", &["nationwide", "--counties", "6"], &[0]);
    let varied = valid("gen", &["nationwide", "--counties", "6", "--varied"], &[0]);
    assert_ne!(flat, varied);
}

#[test]
fn report_json_matches_its_schema() {
    let dir = scratch("report");
    let page = dir.join("page.html");
    let doc = valid(
        "report",
        &[
            "--no-why",
            "policies/tutorial",
            "--out",
            page.to_str().expect("utf-8"),
        ],
        &[0],
    );
    assert!(doc["written"].is_string() && page.exists());
    valid(
        "report",
        &["nowhere.flow", "--out", page.to_str().expect("utf-8")],
        &[2],
    );
}

#[test]
fn graph_json_matches_its_schema() {
    let v1 = "policies/secure-communities/v1-2010-08.flow";
    valid("graph", &[v1], &[0]);
    let doc = valid(
        "graph",
        &[v1, "--claim", "optout_keeps_prints_from_ice"],
        &[0],
    );
    assert!(doc["graph"]["nodes"].is_array());
    valid("graph", &[v1, "--claim", "no_such_claim"], &[2]);
}

#[test]
fn diff_json_matches_its_schema() {
    let v1 = "policies/secure-communities/v1-2010-08.flow";
    let v3 = "policies/secure-communities/v3-2011-08.flow";
    let doc = valid("diff", &[v1, v3], &[1]);
    assert!(doc["diff"].is_object());
    valid("diff", &[v1, "nowhere.flow"], &[2]);
}

#[test]
fn timeline_json_matches_its_schema() {
    valid("timeline", &["policies/secure-communities"], &[0, 1, 3]);
    valid("timeline", &["policies/irs-ice"], &[0, 1, 3]);
}

#[test]
fn pin_json_matches_its_schema() {
    let dir = scratch("pin");
    let policy = dir.join("opt-outs.flow");
    std::fs::copy("policies/tutorial/04-opt-outs.flow", &policy).expect("copy");
    let policy = policy.to_str().expect("utf-8");
    let doc = valid("pin", &["declining_keeps_prints_home", policy], &[0]);
    assert!(doc["written"].is_string());
    let again = valid("pin", &["declining_keeps_prints_home", policy], &[2]);
    assert_eq!(again["written"], Value::Null);
    valid("pin", &["nosuch", policy], &[2]);
}
