//! `flowproof pin`: a witness scenario becomes a regression file that reproduces every
//! verdict in that scenario, and nothing is ever overwritten.

use std::path::{Path, PathBuf};

use flowproof::expect;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

use crate::support::cli as cli_support;

use cli_support::flowproof;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-pin-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = std::fs::read_to_string("policies/examples/contract-example.flow").expect("example");
    std::fs::write(dir.join("example.flow"), text).expect("copy");
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_pinned_counterexample_reproduces_every_verdict() {
    let dir = scratch("reproduce");
    let policy = dir.join("example.flow");
    let out = flowproof(&["pin", "optout_shields_prints", s(&policy)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pinned = dir.join("example.optout_shields_prints.pin.flow");
    let text = std::fs::read_to_string(&pinned).expect("the pin file is written");
    assert!(text.contains("import \"example.flow\";"), "{text}");
    assert_eq!(
        text.matches("\nassume ").count(),
        5,
        "every ground param is pinned: {text}"
    );
    let expects = expect::parse(&text);
    assert_eq!(expects.len(), 2, "an expectation for every claim");
    // the file really has those verdicts, with both engines
    for engine in [Engine::Z3, Engine::Reference { max_params: 20 }] {
        let verified = verify_file(&pinned, &Options::default(), engine);
        expect::compare(&expects, &verified).unwrap_or_else(|e| panic!("{engine:?}: {e}\n{text}"));
    }
}

#[test]
fn pin_never_overwrites_and_needs_a_witness() {
    let dir = scratch("refuse");
    let policy = dir.join("example.flow");
    let target = dir.join("mine.flow");
    std::fs::write(&target, "// my own notes\n").expect("write");
    let out = flowproof(&[
        "pin",
        "--out",
        s(&target),
        "optout_shields_prints",
        s(&policy),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::pin::exists"));
    assert_eq!(
        std::fs::read_to_string(&target).expect("still there"),
        "// my own notes\n"
    );

    // a refuted `possible` claim holds in no scenario: nothing to pin
    let out = flowproof(&["pin", "can_keep_prints_home", s(&policy)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::pin::no_witness"));

    let out = flowproof(&["pin", "optout_shields_print", s(&policy)]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean `optout_shields_prints`?"),
        "{stderr}"
    );
}

#[test]
fn a_pin_file_in_a_directory_above_imports_the_policy_by_a_relative_path() {
    let dir = scratch("above");
    std::fs::create_dir_all(dir.join("policy")).expect("dir");
    let policy = dir.join("policy").join("example.flow");
    std::fs::copy(dir.join("example.flow"), &policy).expect("copy");
    let target = dir.join("sf.flow");
    let out = flowproof(&[
        "pin",
        "--out",
        s(&target),
        "--format",
        "json",
        "optout_shields_prints",
        s(&policy),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["params"], 5);
    let text = std::fs::read_to_string(&target).expect("written");
    assert!(text.contains("import \"policy/example.flow\";"), "{text}");
    let verify = flowproof(&["verify", s(&target)]);
    assert_eq!(
        verify.status.code(),
        Some(1),
        "both claims are refuted in the pinned scenario"
    );
}

#[test]
fn a_pin_file_from_whose_directory_the_policy_is_out_of_reach_is_refused() {
    let dir = scratch("elsewhere");
    let policy = dir.join("example.flow");
    std::fs::create_dir_all(dir.join("regressions")).expect("dir");
    let target = dir.join("regressions").join("sf.flow");
    let out = flowproof(&[
        "pin",
        "--out",
        s(&target),
        "--format",
        "json",
        "optout_shields_prints",
        s(&policy),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("flowproof::pin::outside"), "{stdout}");
    assert!(!target.exists(), "nothing is written");
}

#[test]
fn pin_refuses_to_write_over_the_policy_it_pins() {
    let dir = scratch("self");
    let policy = dir.join("example.flow");
    let before = std::fs::read_to_string(&policy).expect("policy");
    let out = flowproof(&[
        "pin",
        "--out",
        s(&policy),
        "optout_shields_prints",
        s(&policy),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::pin::exists"));
    assert_eq!(std::fs::read_to_string(&policy).expect("policy"), before);
}
