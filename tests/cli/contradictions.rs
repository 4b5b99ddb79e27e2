//! `flowproof contradictions` as people read it: counts in words, and readings named
//! with their labels.

use crate::support::cli::flowproof;

/// Writes `text` to a file of its own and returns its path.
fn policy(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("flowproof-contradictions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

const READINGS: &str = r#"policy "Two readings";
kind county; kind federal;
agency Cook "the Cook County jail": county;
agency FBI: federal;
data prints;
param sent;
param honoured;
collect prints at Cook;
flow prints: Cook -> FBI when sent;
reading on_paper "as the agreements put it" { assume honoured; }
reading in_practice { assume !honoured; }
claim they_go "The prints go" quote "they go": always reaches(prints of Cook, FBI);
"#;

#[test]
fn one_statement_is_counted_in_the_singular_and_readings_show_their_labels() {
    let path = policy("readings.flow", READINGS);
    let out = flowproof(&["contradictions", &path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(": 1 statement considered\n"), "{stdout}");
    // a reading with a label is named with it, as verify names it; one without, by name
    assert!(
        stdout.contains("  in reading on_paper (\"as the agreements put it\"):\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  in reading in_practice:\n"), "{stdout}");
    // JSON keeps the name and adds the label beside it
    let json = flowproof(&["contradictions", &path, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let readings = &json["files"][0]["readings"];
    assert_eq!(readings[0]["name"], "on_paper");
    assert_eq!(readings[0]["label"], "as the agreements put it");
    assert!(readings[1].get("label").is_none(), "{readings}");
}

#[test]
fn several_statements_are_counted_in_the_plural() {
    let text = READINGS.replace(
        "claim they_go",
        "claim stay \"They stay\" quote \"they stay\": always !reaches(prints of Cook, FBI);\nclaim they_go",
    );
    let path = policy("two.flow", &text);
    let out = flowproof(&["contradictions", &path]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(": 2 statements considered\n"), "{stdout}");
}
