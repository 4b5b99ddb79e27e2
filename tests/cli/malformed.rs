//! The malformed-input corpus: files a stranger might send (truncated, not UTF-8, NUL
//! bytes and control characters, huge numbers in dates, unbalanced comments, nesting
//! past the limit, imports that reach out), each pinned to the diagnostics it gets.
//! The files are in `tests/fixtures/malformed/`; inputs too large to keep in the
//! repository (10 MB strings, 100,000 levels of nesting, a file past the size limit)
//! are made here. Nothing may panic, every diagnostic has a code and help, and what is
//! drawn for the terminal contains no control characters from the input.

use crate::support::cli as cli_support;

use std::path::PathBuf;

use crate::support::drawn as drawn_support;

use drawn_support::{drawn, malformed};
use flowproof::check::check_file;

#[test]
fn every_malformed_file_is_pinned_to_its_diagnostics() {
    let mut count = 0;
    insta::glob!("../fixtures/malformed", "*.flow", |path| {
        count += 1;
        insta::assert_snapshot!(malformed(path));
    });
    assert!(count >= 50, "only {count} malformed files");
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-malformed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.flow"));
    std::fs::write(&path, bytes).expect("write");
    path
}

const SMALL: &str = "policy \"p\";\nkind county;\nagency A: county;\ndata prints;\nparam p;\ncollect prints at A;\n";

/// The inputs too large to keep: each is written to a scratch file, checked, and its
/// diagnostics pinned (with the scratch directory taken out).
#[test]
fn inputs_too_large_to_keep_are_pinned_too() {
    let ten_mb = "x".repeat(10 * 1024 * 1024);
    let deep = 100_000;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "ten-megabyte-unterminated-string",
            format!("{SMALL}source s {{ title = \"{ten_mb}").into_bytes(),
        ),
        (
            "ten-megabyte-string-as-a-name",
            format!("{SMALL}agency \"{ten_mb}\": county;\n").into_bytes(),
        ),
        (
            "ten-megabyte-string-with-a-bad-escape",
            format!("{SMALL}source s {{ title = \"{ten_mb}\\q\"; }}\n").into_bytes(),
        ),
        (
            "ten-megabyte-name",
            format!("{SMALL}agency {ten_mb}: county;\ndata {ten_mb};\n").into_bytes(),
        ),
        (
            "ten-megabyte-comment-unclosed",
            format!("{SMALL}/* {ten_mb}").into_bytes(),
        ),
        ("ten-megabyte-of-nul", vec![0u8; 10 * 1024 * 1024]),
        (
            "hundred-thousand-parentheses",
            format!("{SMALL}assume {}p{};\n", "(".repeat(deep), ")".repeat(deep)).into_bytes(),
        ),
        (
            "hundred-thousand-negations",
            format!("{SMALL}assume {}p;\n", "!".repeat(deep)).into_bytes(),
        ),
        (
            "hundred-thousand-disjuncts",
            format!("{SMALL}assume p{};\n", " || p".repeat(deep)).into_bytes(),
        ),
        (
            "hundred-thousand-parents",
            format!(
                "{SMALL}assume exists x: county. {}x{} == x;\n",
                "parent(".repeat(deep),
                ")".repeat(deep)
            )
            .into_bytes(),
        ),
        (
            "hundred-thousand-lines-of-errors",
            "agency 9x: county;\n".repeat(deep).into_bytes(),
        ),
        (
            "date-with-a-megabyte-year",
            format!("policy \"p\" date {}-01-01;\n", "9".repeat(1024 * 1024)).into_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let path = scratch(name, &bytes);
        let checked = check_file(&path);
        assert!(checked.has_errors(), "{name} was accepted");
        let dir = path.parent().expect("a directory").display().to_string();
        let mut out = drawn(&checked).replace(&dir, "<scratch>");
        // a long run of errors is pinned by its count and its first few
        let errors = checked.diagnostics.len();
        if errors > 5 {
            out = format!(
                "{errors} diagnostics; the first 5:\n{}",
                checked.diagnostics[..5]
                    .iter()
                    .map(|d| format!("{}: {}", d.code(), d.message()))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        assert!(
            out.len() < 20_000,
            "{name}: {} bytes of diagnostics",
            out.len()
        );
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn a_file_past_the_size_limit_is_refused_by_the_command_line() {
    let big = format!("{SMALL}// {}\n", "x".repeat(65 * 1024 * 1024));
    let path = scratch("past-the-size-limit", big.as_bytes());
    let out =
        cli_support::flowproof(&["verify", "--format", "json", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let diagnostics = json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{json}");
    assert_eq!(diagnostics[0]["code"], "flowproof::limit::file_size");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("is 65.0 MB, over the limit of 64.0 MB"),
        "{json}"
    );
}
