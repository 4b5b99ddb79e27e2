//! The `flowproof` binary: exit statuses, directory expansion, JSON output.

use std::path::{Path, PathBuf};

use crate::support::cli as cli_support;

use cli_support::flowproof;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const GOOD: &str = "policy \"p\" version \"1\" date 2020-01-01;\nkind county;\nagency A: county;\ndata d;\ncollect d at A;\n";

#[test]
fn clean_file_exits_zero() {
    let out = flowproof(&["check", "policies/examples/contract-example.flow"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 errors"), "{stdout}");
}

#[test]
fn errors_exit_two_and_warnings_do_not() {
    let dir = scratch("exit");
    let bad = write(&dir, "bad.flow", "kind county;\nagency A: countyy;\n");
    let out = flowproof(&["check", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("flowproof::check::unknown_name"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `county`?"), "{stderr}");

    let warn = write(
        &dir,
        "warn.flow",
        &format!("{GOOD}source s {{ title = \"never cited\"; }}\n"),
    );
    let out = flowproof(&["check", warn.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::lint::unused_source"));
}

#[test]
fn a_directory_means_the_flow_files_below_it_sorted() {
    let dir = scratch("dir");
    std::fs::create_dir_all(dir.join("sub")).expect("sub dir");
    write(&dir, "b.flow", GOOD);
    write(&dir, "a.flow", GOOD);
    write(&dir.join("sub"), "c.flow", GOOD);
    write(&dir, "notes.txt", "not a policy");
    let out = flowproof(&["check", dir.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let a = stdout.find("a.flow").expect("a.flow listed");
    let b = stdout.find("b.flow").expect("b.flow listed");
    let c = stdout.find("c.flow").expect("c.flow listed");
    assert!(a < b && b < c, "{stdout}");
    assert!(!stdout.contains("notes.txt"));
    assert!(stdout.contains("checked 3 files"), "{stdout}");
}

#[test]
fn missing_path_is_a_coded_error() {
    let out = flowproof(&["check", "no/such/file.flow"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::load::unreadable"));
}

#[test]
fn json_lists_every_diagnostic_with_positions() {
    let dir = scratch("json");
    let bad = write(
        &dir,
        "bad.flow",
        "kind county;\nagency A: countyy;\ndata d\n",
    );
    let out = flowproof(&[
        "check",
        "--format",
        "json",
        bad.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["errors"], 2);
    let diags = json["files"][0]["diagnostics"].as_array().expect("array");
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(
        codes.contains(&"flowproof::check::unknown_name"),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"flowproof::parse::unexpected_eof")
            || codes.contains(&"flowproof::parse::missing_semicolon"),
        "{codes:?}"
    );
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "flowproof::check::unknown_name")
        .expect("unknown name diagnostic");
    assert_eq!(unknown["labels"][0]["line"], 2);
    assert_eq!(unknown["labels"][0]["column"], 11);
    assert_eq!(unknown["help"], "did you mean `county`?");
    assert_eq!(unknown["severity"], "error");
}

#[test]
fn json_reports_the_policy_header() {
    let out = flowproof(&[
        "check",
        "--format",
        "json",
        "policies/examples/contract-example.flow",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["files"][0]["policy"]["name"], "Secure Communities");
    assert_eq!(json["files"][0]["policy"]["version"], "2011-mandatory");
    assert_eq!(json["files"][0]["policy"]["date"], "2011-04-28");
}

#[test]
fn imports_are_read_once_relative_to_the_importer() {
    let dir = scratch("imports");
    std::fs::create_dir_all(dir.join("lib")).expect("lib dir");
    write(&dir.join("lib"), "kinds.flow", "kind county;\n");
    write(
        &dir.join("lib"),
        "agencies.flow",
        "import \"kinds.flow\";\nagency A: county;\n",
    );
    let main = write(
        &dir,
        "main.flow",
        "policy \"p\";\nimport \"lib/agencies.flow\";\nimport \"lib/kinds.flow\";\ndata d;\ncollect d at A;\n",
    );
    let out = flowproof(&["check", main.to_str().expect("utf-8 path")]);
    // `kinds.flow` is imported twice (diamond) but read once, so `county` is not a duplicate
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_import_cycle_names_the_cycle() {
    let dir = scratch("cycle");
    write(&dir, "a.flow", "import \"b.flow\";\nkind k;\n");
    write(&dir, "b.flow", "import \"a.flow\";\n");
    let a = dir.join("a.flow");
    let out = flowproof(&["check", "--format", "json", a.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let diag = &json["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], "flowproof::import::cycle");
    let message = diag["message"].as_str().expect("a message");
    let a_path = a.display().to_string();
    let b_path = dir.join("b.flow").display().to_string();
    assert_eq!(
        message,
        format!("import cycle: {a_path} → {b_path} → {a_path}")
    );
}

#[test]
fn help_has_examples() {
    let out = flowproof(&["check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    use std::process::{Command, Stdio};
    let v1 = "policies/secure-communities/v1-2010-08.flow";
    let v3 = "policies/secure-communities/v3-2011-08.flow";
    for args in [
        vec!["verify", "policies/tutorial/"],
        vec!["verify", "--format", "json", "policies/tutorial/"],
        vec!["diff", v1, v3],
        vec!["timeline", "policies/secure-communities/"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowproof"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // the reader goes away before anything is written, like `| head -0`
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("it ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            matches!(out.status.code(), Some(0..=3)),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}

/// Runs `flowproof` with `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    child.wait_with_output().expect("it ends")
}

#[test]
fn check_and_verify_read_standard_input_as_dash() {
    let policy = "policy \"p\" version \"1\";\nkind k;\nagency A: k;\nagency B: k;\ndata d;\n\
collect d at A;\nflow d: A -> B;\nclaim c: possible reaches(d of A, B);\n";
    let checked = with_stdin(&["check", "-"], policy);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let verified = with_stdin(&["verify", "-"], policy);
    assert_eq!(verified.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("claim c ... proved"));
    // an error is placed in the text read, and exits 2
    let broken = with_stdin(&["check", "-"], "kind k;\nagency A: q;\n");
    assert_eq!(broken.status.code(), Some(2));
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(
        err.contains("unknown kind `q`") && err.contains("[-:2:11]"),
        "{err}"
    );
}

/// A file with one error, for the tests of how diagnostics are drawn.
fn broken_file(name: &str) -> PathBuf {
    write(&scratch(name), "bad.flow", "kind k;\nagency A: q;\n")
}

#[test]
fn color_is_global_before_or_after_the_command() {
    let bad = broken_file("color");
    let bad = bad.to_str().expect("utf-8 path");
    let esc = |out: &std::process::Output| out.stderr.contains(&0x1b);
    for args in [
        vec!["--color", "always", "check", bad],
        vec!["check", "--color", "always", bad],
        vec!["check", bad, "--color=always"],
    ] {
        // `always` wins over NO_COLOR and a pipe
        let out = cli_support::flowproof_with(&args, &[("NO_COLOR", Some("1"))]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(esc(&out), "{args:?}: no colour");
    }
    for args in [
        vec!["--color", "never", "check", bad],
        vec!["check", "--color", "never", bad],
        // auto: standard error is a pipe here
        vec!["check", bad],
    ] {
        let out = cli_support::flowproof_with(&args, &[("NO_COLOR", None)]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!esc(&out), "{args:?}: colour written");
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown kind `q`"));
    }
    // every command takes it, in either place
    for command in [
        "verify",
        "report",
        "graph",
        "timeline",
        "pin",
        "contradictions",
    ] {
        let out = flowproof(&["--color", "never", command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let out = flowproof(&[command, "--color", "never", "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
    }
    let wrong = flowproof(&["--color", "sometimes", "check", bad]);
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn plain_diagnostics_are_sentences_without_drawing() {
    let bad = broken_file("plain");
    let bad = bad.to_str().expect("utf-8 path");
    let drawing = |text: &str| text.contains('│') || text.contains('╭') || text.contains('×');
    let plain = [
        flowproof(&["--diagnostic-style", "plain", "check", bad]),
        flowproof(&["check", bad, "--diagnostic-style", "plain"]),
        // chosen by the terminal
        cli_support::flowproof_with(
            &["check", bad],
            &[("NO_COLOR", Some("1")), ("TERM", Some("dumb"))],
        ),
    ];
    for out in &plain {
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!drawing(&err), "drawn: {err}");
        for said in [
            "unknown kind `q`",
            "Diagnostic severity: error",
            "snippet line 2: agency A: q;",
            "label at line 2, column 11",
            "diagnostic code: flowproof::",
        ] {
            assert!(err.contains(said), "missing {said:?} in {err}");
        }
    }
    // fancy on request even on a dumb terminal, and by default elsewhere
    let fancy = cli_support::flowproof_with(
        &["--diagnostic-style", "fancy", "check", bad],
        &[("NO_COLOR", Some("1")), ("TERM", Some("dumb"))],
    );
    assert!(drawing(&String::from_utf8_lossy(&fancy.stderr)));
    assert!(drawing(&String::from_utf8_lossy(
        &flowproof(&["check", bad]).stderr
    )));
}
