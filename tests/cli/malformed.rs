//! The malformed-input corpus: files a stranger might send (truncated, not UTF-8, NUL
//! bytes and control characters, huge numbers in dates, unbalanced comments, nesting
//! past the limit, imports that reach out), each pinned to the diagnostics it gets.
//! The files are in `tests/fixtures/malformed/`; inputs too large to keep in the
//! repository (10 MB strings, 100,000 levels of nesting, a file past the size limit)
//! are made here. Nothing may panic, every diagnostic has a code and help, and what is
//! drawn for the terminal contains no control characters from the input. Next to them,
//! `accepted/` holds inputs that look broken but are not errors (a document that cannot
//! be read is a warning), pinned the same way, with and without `--require-evidence`.

use crate::support::cli as cli_support;

use std::path::PathBuf;

use crate::support::drawn as drawn_support;

use drawn_support::{drawn, malformed};
use flowproof::check::{Evidence, check_file, check_file_with};
use flowproof::limits::Limits;

#[test]
fn every_malformed_file_is_pinned_to_its_diagnostics() {
    let mut count = 0;
    insta::glob!("../fixtures/malformed", "*.flow", |path| {
        count += 1;
        insta::assert_snapshot!(malformed(path));
    });
    assert!(count >= 140, "only {count} malformed files");
}

/// Inputs that look broken but are accepted: a document that is missing, outside the
/// policy's directory, a directory or not UTF-8 (each a warning, an error under
/// `--require-evidence`), a `{` with no `}` in a label (plain text). A model is built;
/// each is pinned to its diagnostics both ways.
#[test]
fn inputs_accepted_with_warnings_are_pinned_too() {
    let mut count = 0;
    insta::glob!("../fixtures/malformed/accepted", "*.flow", |path| {
        count += 1;
        let relative = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path);
        let checked = check_file(relative);
        assert!(
            !checked.has_errors() && checked.model.is_some(),
            "{} has errors, but it is in the accepted corpus",
            path.display()
        );
        let required = Evidence {
            dirs: Vec::new(),
            require: true,
        };
        let strict = check_file_with(relative, &Limits::default(), &required);
        let shown = |checked| match drawn(checked) {
            none if none.is_empty() => "(no diagnostics)\n".to_owned(),
            some => some,
        };
        insta::assert_snapshot!(format!(
            "{}--- with --require-evidence:\n{}",
            shown(&checked),
            shown(&strict)
        ));
    });
    assert!(count >= 5, "only {count} accepted files");
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
