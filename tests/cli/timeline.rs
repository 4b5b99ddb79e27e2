//! `flowproof timeline`: the claims x versions matrix of the policy library, ordered by
//! date, agrees cell by cell with the verdicts each version pins.

use std::path::PathBuf;

use flowproof::check::expand_paths;
use flowproof::expect::{self, Expect};
use flowproof::solve::Options;
use flowproof::timeline;
use flowproof::verify::{Engine, verify_file};

#[test]
fn the_timeline_of_the_library_matches_its_pinned_verdicts() {
    let t = library_timeline("policies/secure-communities");
    assert!(
        t.columns.len() >= 6,
        "every version is a column: {:?}",
        t.columns
    );
    // oldest first
    let dates: Vec<&str> = t.columns.iter().map(|c| c.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted);
    let cells = cells_agree_with_their_pins(&t);
    assert!(cells > 100, "only {cells} cells compared");
    // every flip is between neighbouring versions that both state the claim, and real
    for f in &t.flips {
        let row = t
            .rows
            .iter()
            .find(|r| r.claim == f.claim && r.reading == f.reading)
            .expect("row");
        assert_ne!(row.cells[f.from], row.cells[f.to]);
        assert!(row.cells[f.from + 1..f.to].iter().all(Option::is_none));
        // and explained by the rule edits between the two versions: in a file with
        // readings, reading by reading (the overall row says so, and each reading's
        // flip names its edits)
        if f.reading.is_none() && f.edits.is_empty() {
            assert_eq!(
                f.edits_note.as_deref(),
                Some("with readings, the edits are traced reading by reading")
            );
            assert!(
                t.flips.iter().any(|g| g.claim == f.claim
                    && g.reading.is_some()
                    && (g.from, g.to) == (f.from, f.to)),
                "{} [{}] -> [{}]: no reading flips",
                f.claim,
                f.from + 1,
                f.to + 1
            );
            continue;
        }
        assert!(
            !f.edits.is_empty(),
            "{} [{}] -> [{}] is not traced to edits: {:?}",
            f.claim,
            f.from + 1,
            f.to + 1,
            f.edits_note
        );
    }
    // the program stopped being voluntary, as ICE's documents put it, after "Setting the
    // Record Straight" because ICE stopped granting removals
    let flip = t
        .flips
        .iter()
        .find(|f| {
            f.claim == "program_is_voluntary"
                && f.reading.as_deref() == Some("as_written")
                && f.before.verdict == "proved"
                && f.after.verdict == "refuted"
        })
        .expect("the flip");
    let edits: Vec<String> = flip
        .edits
        .iter()
        .map(|e| format!("{} {}", e.change, e.slot))
        .collect();
    assert_eq!(
        edits,
        ["added assume forall c: county. !removal_granted(c)"]
    );
    assert!(
        t.skipped.iter().any(|p| p.ends_with("base.flow")),
        "undated files are left out"
    );
}

#[test]
fn the_timeline_command_prints_the_matrix_and_json() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args([
            "timeline",
            "--format",
            "json",
            "policies/secure-communities",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        json["timeline"]["rows"]
            .as_array()
            .is_some_and(|r| r.len() >= 12)
    );
    let flips = json["timeline"]["flips"].as_array().expect("flips");
    assert!(
        flips.iter().all(|f| {
            f["edits"].as_array().is_some_and(|e| !e.is_empty())
                || (f["reading"].is_null()
                    && f["edits_note"] == "with readings, the edits are traced reading by reading")
        }),
        "every flip carries its edits in JSON (a reading's, for a file with readings)"
    );
    assert!(
        flips
            .iter()
            .any(|f| f["reading"] == "as_written" && f["claim"] == "program_is_voluntary"),
        "per-reading flips are in the JSON"
    );
    let text = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args(["timeline", "policies/secure-communities"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("program_is_voluntary"), "{text}");
    assert!(text.contains("verdicts that change:"), "{text}");
    assert!(
        text.contains("      added assume forall c: county. !removal_granted(c)"),
        "{text}"
    );
}

/// Three versions, two of them sharing a date (a version and an overlay on it), each
/// stating claims said at different dates.
fn statements_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-timeline-said-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    for (name, date) in [
        ("v1", "2010-08-17"),
        ("v1-overlay", "2010-08-17"),
        ("v2", "2010-10-06"),
    ] {
        let late = if name != "v2" {
            ""
        } else {
            "claim later \"x\" said 2010-09-01: possible p;\n"
        };
        std::fs::write(
            dir.join(format!("{name}.flow")),
            format!(
                "policy \"{name}\" version \"{name}\" date {date};\nkind k; agency A: k;\nparam p;\n\
claim early \"x\" said 2009: possible p;\nclaim day \"x\" said 2010-09-01: possible p;\n\
claim month \"x\" said 2010-08: possible p;\n{late}"
            ),
        )
        .expect("write");
    }
    dir
}

#[test]
fn a_full_date_marks_every_version_in_force_as_a_partial_date_does() {
    let dir = statements_dir();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .arg("timeline")
        .arg(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let row = |claim: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(claim))
            .map(|l| l.split_whitespace().skip(1).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    // both files dated 2010-08-17 were in force on 2010-09-01, as in August 2010
    assert_eq!(row("day"), ["[P]", "[P]", "P"], "{text}");
    assert_eq!(row("month"), ["[P]", "[P]", "P"], "{text}");
    // a statement made before the first version marks nothing, and says why
    assert_eq!(row("early"), ["P", "P", "P"], "{text}");
    assert!(
        text.contains("    early said 2009 (before the first version: judged under none)\n"),
        "{text}"
    );
    // one the versions in force do not state marks nothing either, and says which
    // versions those were
    assert_eq!(row("later"), ["-", "-", "P"], "{text}");
    assert!(
        text.contains(
            "    later said 2010-09-01 (not stated in the versions in force then: [1], [2])\n"
        ),
        "{text}"
    );
    assert!(text.contains("    day said 2010-09-01\n"), "{text}");
    // JSON gives the columns in force, from 0
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args(["timeline", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let rows = json["timeline"]["rows"].as_array().expect("rows");
    let in_force = |claim: &str| {
        rows.iter()
            .find(|r| r["claim"] == claim)
            .map(|r| r["in_force"].clone())
    };
    assert_eq!(in_force("day"), Some(serde_json::json!([0, 1])));
    assert_eq!(in_force("early"), Some(serde_json::json!([])));
}

/// Compares every cell of a timeline with the `// expect` line its file pins (overall and
/// per reading), and returns how many cells it compared.
pub(crate) fn cells_agree_with_their_pins(t: &timeline::Timeline) -> usize {
    let mut cells = 0;
    for (col, column) in t.columns.iter().enumerate() {
        let text = std::fs::read_to_string(&column.path).expect("readable");
        for e in expect::parse(&text) {
            let Expect::Verdict {
                claim,
                reading,
                verdict,
                vacuous,
            } = e
            else {
                continue;
            };
            let row = t
                .rows
                .iter()
                .find(|r| r.claim == claim && r.reading == reading)
                .expect("a row per claim, and per claim and reading");
            let cell = row.cells[col]
                .as_ref()
                .expect("the version states the claim");
            assert_eq!(
                (cell.verdict, cell.vacuous),
                (verdict.as_str(), vacuous),
                "{claim} ({reading:?}) in {}",
                column.path
            );
            cells += 1;
        }
    }
    cells
}

/// The timeline of a directory of policy files, every file verified with Z3.
pub(crate) fn library_timeline(dir: &str) -> timeline::Timeline {
    let (files, errors) = expand_paths(&[PathBuf::from(dir)]);
    assert!(errors.is_empty(), "{dir}: {errors:?}");
    let verified: Vec<_> = files
        .iter()
        .map(|f| verify_file(f, &Options::default(), Engine::Z3))
        .collect();
    timeline::build(&verified, &Options::default())
}
