//! Properties of the formatter, on random syntax trees, random checkable models and
//! the shipped policies, each re-spaced at random with comments added:
//! formatting twice gives what formatting once gives; the formatted text parses to the
//! same tree and checks to the same model; every comment is kept, in order; and the
//! layout depends on the tree alone, not on how the text was spaced.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use flowproof::check;
use flowproof::format::{self, FormatError};
use flowproof::syntax::{parse, print};

use crate::support;
use crate::support::cli;
use crate::support::syntax_gen;

use support::random_model::{self, Rng};
use syntax_gen::{F, decl};

/// How to re-space a text.
#[derive(Clone, Copy)]
enum Mess {
    /// one space or one line break between tokens: no blank lines, no new comments
    Spaces,
    /// any blanks, blank lines, and new comments of both kinds
    Comments,
}

/// `text` with its tokens (and comments) re-spaced at random.
fn mess(text: &str, seed: u64, how: Mess) -> String {
    let mut rng = Rng::new(seed);
    let (comments, tokens) = format::scan(text);
    let mut items: Vec<(usize, usize, bool)> = tokens.iter().map(|&(s, e)| (s, e, false)).collect();
    items.extend(comments.iter().map(|c| (c.start, c.end, c.line)));
    items.sort_unstable();
    let mut out = String::new();
    let mut fresh = 0;
    for (start, end, line_comment) in items {
        out.push_str(text[start..end].trim_end());
        if line_comment {
            out.push('\n');
        }
        match how {
            Mess::Spaces => out.push_str(if rng.chance(30) { "\n" } else { " " }),
            Mess::Comments => {
                let blanks: &&str = rng.pick(&[" ", "\n", "  \n\n", "\t", "\n\n\n   "]);
                out.push_str(blanks);
                if rng.chance(8) {
                    fresh += 1;
                    if rng.chance(50) {
                        out.push_str(&format!("/* note {fresh} */ "));
                    } else {
                        out.push_str(&format!("// note {fresh}\n"));
                    }
                }
            }
        }
    }
    out
}

fn formatted(text: &str) -> String {
    match format::format_text(text) {
        Ok(out) => out,
        Err(FormatError::Syntax(errors)) => panic!("does not parse: {errors:?}\n{text}"),
        Err(FormatError::Internal(reason)) => panic!("formatter refused: {reason}\n{text}"),
    }
}

fn comment_texts(text: &str) -> Vec<String> {
    format::scan(text).0.into_iter().map(|c| c.text).collect()
}

/// The properties every input must have; returns the formatted text.
fn assert_formats_well(text: &str) -> String {
    let once = formatted(text);
    let twice = formatted(&once);
    assert_eq!(once, twice, "not idempotent; input:\n{text}\nonce:\n{once}");
    let (before, errors) = parse(text, F);
    assert!(errors.is_empty());
    let (after, errors) = parse(&once, F);
    assert!(errors.is_empty(), "formatted text does not parse:\n{once}");
    assert_eq!(before, after, "the tree changed; formatted:\n{once}");
    assert_eq!(
        comment_texts(text),
        comment_texts(&once),
        "comments changed; formatted:\n{once}"
    );
    for line in once.lines() {
        assert_eq!(line, line.trim_end(), "blanks at a line's end:\n{once}");
        assert!(!line.contains('\u{1}'), "alignment mark left in:\n{once}");
    }
    assert!(once.is_empty() || once.ends_with('\n'));
    assert!(
        !once.contains("\n\n\n"),
        "two blank lines in a row:\n{once}"
    );
    once
}

/// Checks `text` as the file at `path` and returns its model (which must exist).
fn model(path: &Path, text: &str) -> std::sync::Arc<flowproof::model::Model> {
    let checked = check::check_text(path, text);
    let codes: Vec<String> = checked.diagnostics.iter().map(|d| d.code()).collect();
    checked
        .model
        .unwrap_or_else(|| panic!("{} does not check: {codes:?}\n{text}", path.display()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_trees_format_well(
        decls in proptest::collection::vec(decl(), 0..8),
        seed in any::<u64>(),
    ) {
        let tree = flowproof::syntax::ast::File { decls };
        let printed = print::file(&tree);
        let canonical = assert_formats_well(&printed);
        // spacing alone never changes the layout
        let respaced = assert_formats_well(&mess(&printed, seed, Mess::Spaces));
        prop_assert_eq!(&respaced, &canonical);
        // and comments are kept wherever they fall
        assert_formats_well(&mess(&printed, seed, Mess::Comments));
    }
}

/// Random checkable models: the formatted file checks to the same model, warnings
/// included.
#[test]
fn random_models_keep_their_meaning() {
    let path = Path::new("random.flow");
    let mut tried = 0;
    for seed in 0..1500u64 {
        let Some(text) = random_model::model(seed, 12) else {
            continue;
        };
        let text = mess(&text, seed, Mess::Comments);
        let out = assert_formats_well(&text);
        let before = check::check_text(path, &text);
        if before.model.is_none() {
            // the generator does not always draw a model that checks
            continue;
        }
        let after = check::check_text(path, &out);
        let codes = |c: &check::Checked| -> Vec<String> {
            c.diagnostics.iter().map(|d| d.code()).collect()
        };
        assert_eq!(codes(&before), codes(&after), "seed {seed}");
        assert_eq!(before.model, after.model, "seed {seed}: the model changed");
        tried += 1;
    }
    assert!(tried > 500, "only {tried} random models checked");
}

fn shipped() -> Vec<PathBuf> {
    let (files, errors) = check::expand_paths(&[PathBuf::from("policies")]);
    assert!(errors.is_empty());
    assert!(files.len() >= 15, "only {} shipped policies", files.len());
    files
}

/// The shipped policies: formatted, they mean the same (checked with their imports),
/// and re-spaced with comments added they still format well.
#[test]
fn shipped_policies_format_well() {
    for path in shipped() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let out = assert_formats_well(&text);
        assert_eq!(
            model(&path, &text),
            model(&path, &out),
            "{}: the model changed",
            path.display()
        );
        for seed in 0..5 {
            assert_formats_well(&mess(&text, seed, Mess::Comments));
        }
    }
}

/// The shipped policies are already formatted: `flowproof fmt` leaves them as they are.
/// (The contract's example is kept exactly as the contract writes it.)
#[test]
fn shipped_policies_are_formatted() {
    for path in shipped() {
        if path.ends_with("examples/contract-example.flow") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_eq!(
            formatted(&text),
            text,
            "{} is not formatted: run `flowproof fmt policies/`",
            path.display()
        );
    }
}

#[test]
fn layout_examples() {
    let cases = [
        // one line when it fits; clauses on their own lines when not, `cite` first
        (
            "flow d:A->B when p cite s;",
            "flow d: A -> B when p cite s;\n",
        ),
        (
            "flow fingerprints: (c: county) -> ICE_FieldOffice when detainer_binding || honours_detainers(c) cite galarza_2014;",
            "flow fingerprints: (c: county) -> ICE_FieldOffice when detainer_binding || honours_detainers(c)\n  cite galarza_2014;\n",
        ),
        // optouts put each clause on a line of its own
        (
            "optout o(c: county) blocks d: A -> c cite s;",
            "optout o(c: county)\n  blocks d: A -> c\n  cite s;\n",
        ),
        // a claim's formula starts a line; long formulas break before the loosest operator
        (
            "claim c \"t\": always forall x: k. aaaaaaaaaaaaaaaaaaaa(x) && bbbbbbbbbbbbbbbbbbbbbbbbb(x) => ccccccccccccccccccccccccccccc(x) && dddddddddddd(x);",
            "claim c \"t\":\n  always forall x: k.\n    aaaaaaaaaaaaaaaaaaaa(x) && bbbbbbbbbbbbbbbbbbbbbbbbb(x)\n    => ccccccccccccccccccccccccccccc(x) && dddddddddddd(x);\n",
        ),
        // redundant parentheses go, needed ones stay
        (
            "assume ((a && (b))) || (c && d);\nassume (a || b) && c;",
            "assume a && b || c && d;\nassume (a || b) && c;\n",
        ),
        // source fields aligned on `=`, a `;` after the brace dropped
        (
            "source s { title = \"T\"; date = 2010-01-02; };",
            "source s {\n  title = \"T\";\n  date  = 2010-01-02;\n}\n",
        ),
        // blank lines between declarations: at most one kept
        (
            "kind a;\n\n\n\nkind b;\nkind c;",
            "kind a;\n\nkind b;\nkind c;\n",
        ),
        // comments: kept before the token they preceded, or at the end of their line,
        // aligned across neighbouring lines
        (
            "// head\n\nkind a; // first\nkind bbbbbb;   // second\n/* lone */ kind c;",
            "// head\n\nkind a;       // first\nkind bbbbbb;  // second\n/* lone */\nkind c;\n",
        ),
        (
            "flow d: A -> /* where */ B;",
            "flow d: A -> /* where */ B;\n",
        ),
        (
            "optout o(c: county) // why\n  blocks d: A -> c // what\n  cite s;",
            "optout o(c: county)  // why\n  blocks d: A -> c   // what\n  cite s;\n",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(formatted(input), expected, "input: {input}");
    }
}

#[test]
fn syntax_errors_are_refused() {
    match format::format_text("flow d: A -> ;") {
        Err(FormatError::Syntax(errors)) => assert!(!errors.is_empty()),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

mod fmt_command {
    use std::io::Write;
    use std::process::{Command, Stdio};

    use super::cli::flowproof;

    const MESSY: &str =
        "kind county;agency A:county;\ndata d;   // the data\nflow d:A->A when true;\n";
    const TIDY: &str =
        "kind county;\nagency A: county;\ndata d;  // the data\nflow d: A -> A when true;\n";

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("flowproof-fmt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn check_reports_without_writing_then_fmt_writes() {
        let dir = temp_dir("check");
        let file = dir.join("messy.flow");
        std::fs::write(&file, MESSY).expect("write");
        let path = file.to_str().expect("utf-8 path");

        let out = flowproof(&["fmt", "--check", path]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "--check exits 1 when a file would change"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("would reformat"), "{stdout}");
        assert!(
            stdout.contains("+flow d: A -> A when true;"),
            "a diff is shown: {stdout}"
        );
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            MESSY,
            "--check writes nothing"
        );

        let out = flowproof(&["fmt", path]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(std::fs::read_to_string(&file).expect("read"), TIDY);
        assert!(
            std::fs::read_dir(&dir).expect("dir").count() == 1,
            "no temporary file is left behind"
        );

        let out = flowproof(&["fmt", "--check", path]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "a formatted file passes --check"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_with_errors_is_reported_and_left_alone() {
        let dir = temp_dir("error");
        let bad = dir.join("bad.flow");
        let good = dir.join("good.flow");
        std::fs::write(&bad, "kind county;\nflow d: A -> ;\n").expect("write");
        std::fs::write(&good, MESSY).expect("write");
        let out = flowproof(&["fmt", dir.to_str().expect("utf-8 path")]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("flowproof::parse::"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&bad).expect("read"),
            "kind county;\nflow d: A -> ;\n",
            "the file with errors is untouched"
        );
        assert_eq!(
            std::fs::read_to_string(&good).expect("read"),
            TIDY,
            "the other file is formatted"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn standard_input_to_standard_output() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowproof"))
            .args(["fmt", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(MESSY.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("finishes");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&out.stdout), TIDY);
    }

    #[test]
    fn json_report() {
        let dir = temp_dir("json");
        let file = dir.join("messy.flow");
        std::fs::write(&file, MESSY).expect("write");
        let out = flowproof(&[
            "fmt",
            "--check",
            "--format",
            "json",
            dir.to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(report["changed"], 1);
        assert_eq!(report["errors"], 0);
        assert_eq!(report["files"][0]["changed"], true);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
