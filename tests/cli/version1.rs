//! What version 1 adds, as people and tools read it: a file's readings with their
//! labels, notes and citations; a claim's pinpoints and the quotations checked, in
//! JSON; hops whose long labels would break the column of places; an opt-out's note
//! shown once under `--why`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli::flowproof;

/// A fresh directory holding `files`.
fn dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-v1-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("write policy");
    }
    dir
}

fn run(args: &[&str]) -> (i32, String) {
    let out = flowproof(args);
    (
        out.status.code().expect("an exit status"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

const READINGS: &str = r#"policy "readings" version "1";
source sr { title = "Setting the Record Straight"; document = "sr.txt"; quote = "counties can opt out"; }
kind state; kind county; kind fed;
agency CA: state; agency SF: county in CA; agency ICE: fed;
data prints;
param exit_honoured "ICE honours a state's exit";
param ends(s: state) "{s} ends its agreement";
collect prints at (c: county);
flow prints: (c: county) -> parent(c);
flow prints: (s: state) -> ICE when !(ends(s) && exit_honoured);
reading on_paper "as ICE wrote it" cite sr "Secure Communities" { assume exit_honoured; }
reading in_practice "as ICE acted" note "a state's exit was refused" { assume !exit_honoured; }
claim leave "A state that ends its agreement keeps prints from ICE" cite sr "counties can opt out":
  always forall s: state. ends(s) => !reaches(prints of SF, ICE);
"#;

const DOCUMENT: &str = "In Secure Communities, counties can opt out, ICE said.\n";

#[test]
fn readings_are_listed_once_with_their_labels_notes_and_citations() {
    let d = dir("readings", &[("r.flow", READINGS), ("sr.txt", DOCUMENT)]);
    let (code, text) = run(&["verify", &path(&d, "r.flow")]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(
            "each claim is decided in each reading:\n  reading on_paper (\"as ICE wrote it\")\n    cites sr \"Secure Communities\"\n  reading in_practice (\"as ICE acted\")\n    note: a state's exit was refused\nclaim leave ... contested\n"
        ),
        "{text}"
    );
    assert_eq!(
        text.matches("note: a state's exit was refused").count(),
        1,
        "{text}"
    );
}

#[test]
fn json_gives_readings_labels_notes_citations_pinpoints_and_the_quotations_checked() {
    let d = dir("json", &[("r.flow", READINGS), ("sr.txt", DOCUMENT)]);
    let (code, out) = run(&["verify", "--format", "json", &path(&d, "r.flow")]);
    assert_eq!(code, 1, "{out}");
    let json: Value = serde_json::from_str(&out).expect("JSON");
    let claim = &json["files"][0]["claims"][0];
    assert_eq!(claim["verdict"], "contested", "{claim}");
    assert_eq!(
        claim["pinpoints"],
        serde_json::json!([{ "source": "sr", "text": "counties can opt out" }])
    );
    let readings = claim["readings"].as_array().expect("readings");
    assert_eq!(readings[0]["label"], "as ICE wrote it");
    assert_eq!(readings[0]["cites"], serde_json::json!(["sr"]));
    assert_eq!(
        readings[0]["pinpoints"],
        serde_json::json!([{ "source": "sr", "text": "Secure Communities" }])
    );
    assert!(readings[0].get("note").is_none(), "{}", readings[0]);
    assert_eq!(readings[1]["label"], "as ICE acted");
    assert_eq!(readings[1]["note"], "a state's exit was refused");
    assert!(readings[1].get("cites").is_none(), "{}", readings[1]);
    // the source's quote and the two pinpoints, each found in the document
    assert_eq!(
        json["summary"]["quotations"],
        serde_json::json!({ "checked": 3, "unchecked": 0 })
    );
}

#[test]
fn a_file_without_documents_gives_no_quotation_counts() {
    let plain = READINGS.replace(" document = \"sr.txt\";", "");
    let d = dir("no-documents", &[("r.flow", &plain)]);
    let (_, out) = run(&["verify", "--format", "json", &path(&d, "r.flow")]);
    let json: Value = serde_json::from_str(&out).expect("JSON");
    assert!(
        json["summary"].get("quotations").is_none(),
        "{}",
        json["summary"]
    );
}

#[test]
fn a_hop_too_long_for_its_column_puts_its_place_on_a_line_of_its_own() {
    let long = r#"policy "long" version "1";
kind county; kind fed;
agency SF "the San Francisco County Sheriff's Department jail at 850 Bryant Street": county;
agency ICE: fed; agency DHS: fed;
data prints;
collect prints at SF;
flow prints: SF -> DHS;
flow prints: DHS -> ICE;
claim never "prints never reach ICE": always !reaches(prints of SF, ICE);
"#;
    let d = dir("long", &[("l.flow", long)]);
    let file = path(&d, "l.flow");
    let (code, text) = run(&["verify", &file]);
    assert_eq!(code, 1, "{text}");
    let hop =
        "      the San Francisco County Sheriff's Department jail at 850 Bryant Street -> DHS\n";
    let place_alone = format!("      {:<40} {file}:7\n", "");
    assert!(text.contains(&format!("{hop}{place_alone}")), "{text}");
    // a short hop keeps its place beside it, in the same column
    assert!(
        text.contains(&format!("      {:<40} {file}:8\n", "DHS -> ICE")),
        "{text}"
    );
}

#[test]
fn why_shows_an_opt_outs_note_once() {
    let optout = r#"policy "o" version "1";
source s1 { title = "t"; }
kind county; kind fed;
agency SF: county; agency ICE: fed;
data prints;
optout decline(c: county) "{c} declines" blocks prints: c -> ICE cite s1 note "a county may decline";
collect prints at (c: county);
flow prints: (c: county) -> ICE;
claim shielded "a county that declines keeps its prints": always forall c: county. decline(c) => !reaches(prints of c, ICE);
"#;
    let d = dir("note-once", &[("o.flow", optout)]);
    let (code, text) = run(&["verify", "--why", &path(&d, "o.flow")]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("    1. opt-out at "), "{text}");
    assert_eq!(text.matches("a county may decline").count(), 1, "{text}");
}
