//! The IRS-ICE library, through every command a reader uses on it: `timeline` agrees cell
//! by cell with the verdicts each dated file pins, each statement is judged in the file in
//! force when it was made, `diff` traces every change between consecutive files to the
//! edits behind it, `contradictions` pits named people's statements against each other, and
//! `report` writes the page.

use std::path::Path;

use crate::support::cli::flowproof;

const LIBRARY: &str = "policies/irs-ice";

/// The dated files of the library, oldest first.
const DATED: [&str; 4] = [
    "policies/irs-ice/before-2025-02.flow",
    "policies/irs-ice/mou-2025-04.flow",
    "policies/irs-ice/ctr-order-2025-11.flow",
    "policies/irs-ice/talwani-order-2026-02.flow",
];

#[test]
fn the_timeline_matches_every_pinned_verdict_and_dates_each_statement() {
    let t = crate::timeline::library_timeline(LIBRARY);
    let paths: Vec<&str> = t.columns.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, DATED, "the dated files, oldest first");
    let cells = crate::timeline::cells_agree_with_their_pins(&t);
    assert!(cells > 150, "only {cells} cells compared");
    // statements are judged under the file in force when they were made
    let in_force = |claim: &str| -> Vec<usize> {
        t.rows
            .iter()
            .find(|r| r.claim == claim && r.reading.is_none())
            .expect("row")
            .in_force
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(in_force("irs_rejected_2025"), [0]);
    assert_eq!(in_force("friedrich_plain_language"), [1]);
    assert_eq!(in_force("kollar_kotelly_ice_keeps_data"), [2]);
    assert_eq!(in_force("tigta_matching"), [3]);
    // the readings of the statute disagree on what the district court said in May 2025
    let plain = t
        .rows
        .iter()
        .find(|r| r.claim == "friedrich_plain_language" && r.reading.is_none())
        .expect("row");
    assert_eq!(
        plain.cells[1].as_ref().map(|c| c.verdict),
        Some("contested")
    );
}

#[test]
fn every_change_between_consecutive_files_is_traced_to_its_edits() {
    for pair in DATED.windows(2) {
        let out = flowproof(&["diff", pair[0], pair[1], "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let verdicts = json["diff"]["verdicts"].as_array().expect("verdicts");
        // exit 1 exactly when some verdict differs
        assert_eq!(
            out.status.code(),
            Some(i32::from(!verdicts.is_empty())),
            "{pair:?}"
        );
        assert!(
            json["diff"]["assumptions_added"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{pair:?}: each file adds what changed"
        );
        for v in verdicts {
            if v["reading"].is_null() {
                // an overall verdict of a file with readings is traced reading by reading
                assert_eq!(
                    v["edits_note"], "with readings, the edits are traced reading by reading",
                    "{pair:?}: {v}"
                );
            } else {
                assert!(
                    v["responsible"].as_array().is_some_and(|r| !r.is_empty()),
                    "{pair:?}: {} in {} not traced: {}",
                    v["claim"],
                    v["reading"],
                    v["edits_note"]
                );
            }
        }
    }
    // the November 2025 injunction changes no verdict: what ICE received in August 2025
    // stays with ICE, and a request for a specific investigation can still be answered
    let out = flowproof(&["diff", DATED[1], DATED[2], "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["diff"]["verdicts"].as_array().map(Vec::len), Some(0));
    // the February 2026 one stops ICE acting on the August 2025 addresses
    let out = flowproof(&["diff", DATED[2], DATED[3]]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("kollar_kotelly_ice_keeps_data"), "{text}");
    assert!(text.contains("talwani_injunction(IRS)"), "{text}");
}

#[test]
fn named_people_contradict_each_other_under_the_agreement() {
    let out = flowproof(&["contradictions", "--format", "json", DATED[1]]);
    assert_eq!(out.status.code(), Some(1), "contradictions were found");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let readings = json["files"][0]["readings"].as_array().expect("readings");
    let sets: Vec<&serde_json::Value> = readings
        .iter()
        .flat_map(|r| r["contradictions"].as_array().expect("sets"))
        .collect();
    // a judge's presumption against an advocate's warning, both named and dated
    let pits = |a: &str, b: &str| {
        sets.iter().any(|s| {
            let names: Vec<&str> = s
                .as_array()
                .expect("set")
                .iter()
                .filter_map(|c| c["name"].as_str())
                .collect();
            names.contains(&a) && names.contains(&b)
        })
    };
    assert!(
        pits("follows_6103_to_the_letter", "joshi_improper_disclosure"),
        "{sets:?}"
    );
    for set in &sets {
        for c in set.as_array().expect("set") {
            assert!(c["by"].is_string() && c["said"].is_string(), "{c}");
        }
    }
}

#[test]
fn the_report_shows_the_timeline_and_the_readings() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("irs-ice-report");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let page = dir.join("irs-ice.html");
    let out = flowproof(&["report", LIBRARY, "--out", page.to_str().expect("UTF-8")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.contains("<section id=\"timeline\">"));
    assert!(html.contains("As the D.C. Circuit and Judge Friedrich read section 6103(i)(2)"));
    assert!(html.contains("Judge Indira Talwani (D. Mass.)"));
    assert!(html.contains("contested"));
}
