//! The documentation is run: every command it shows, and every policy fragment it
//! shows, so that it never goes stale. The files are the README and every `.md` file
//! under `docs/` and `policies/`.
//!
//! What each fenced block means to this test:
//!
//! - ```` ```console ````: a terminal session. Each line starting with `$ ` is a command,
//!   run by `sh` in a scratch directory holding a copy of `policies/` (one directory per
//!   document, shared by its blocks in order), with `flowproof`
//!   on the `PATH` and `NO_COLOR` set. The lines after it, up to the next `$ ` line,
//!   are what it prints (standard output, then standard error): they must match line
//!   by line, blanks at line ends ignored, and a line `...` stands for any number of
//!   lines. A command may end with `# exit N`: its exit status must then be `N`; without
//!   it, the status must not be 2 (an error).
//! - ```` ```sh ````: commands only, one per line (`#` starts a comment; a line ending in
//!   `\` continues). Each is run the same way; its output is not compared, but its exit
//!   status must not be 2 unless it ends with `# exit N`. Commands that set up a
//!   machine or run the test suite itself (`scripts/`, `cargo`, `npm`, `apt-get`, ...)
//!   are not run.
//! - ```` ```flow ````: a policy file. It must check with no error. With `flow error=CODE`
//!   it must give the diagnostic `CODE` (and may give others); with `flow fragment` it
//!   is only shown (a piece of a file, not a whole one). With `flow file=NAME` it is
//!   written to `NAME` in the scratch directory, where later commands of the same run
//!   can use it (files are read in sorted order, blocks in the order written).
//! - ```` ```text file=NAME ````: a plain-text file (a source's document) written to
//!   `NAME` in the scratch directory, for later blocks.
//! - Any other block (plain ```` ``` ````, `text`, `json`, `toml`, `lua`, ...) is not run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Programs whose commands set up a machine or build and test flowproof itself: shown
/// to the reader, not run here.
const NOT_RUN: &[&str] = &[
    "scripts/",
    "cargo",
    "npm",
    "npx",
    "code",
    "apt-get",
    "sudo",
    "rustup",
    "git",
    "./target/",
    "cd",
    "curl",
    "nvim",
    "docker",
];

struct Block {
    file: PathBuf,
    /// 1-based line of the opening fence
    line: usize,
    info: String,
    body: Vec<String>,
}

fn blocks(file: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(file).expect("readable doc");
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => {
                    current = Some(Block {
                        file: file.to_path_buf(),
                        line: i + 1,
                        info: rest.trim().to_owned(),
                        body: Vec::new(),
                    });
                }
            }
            continue;
        }
        if let Some(block) = current.as_mut() {
            block.body.push(line.to_owned());
        }
    }
    assert!(
        current.is_none(),
        "{}: a fenced block is never closed",
        file.display()
    );
    out
}

fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    for dir in ["docs", "policies"] {
        let mut stack = vec![PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("readable dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files
}

/// A scratch directory with a copy of `policies/`, where the commands of one document
/// run (each document gets its own, so what one writes never changes another's output).
fn scratch(n: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-docs-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(Path::new("policies"), &dir.join("policies"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch dir");
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

struct Ran {
    status: Option<i32>,
    output: String,
}

fn run(command: &str, dir: &Path) -> Ran {
    let bin = Path::new(env!("CARGO_BIN_EXE_flowproof"))
        .parent()
        .expect("the binary's directory")
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("sh runs");
    let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&out.stderr));
    Ran {
        status: out.status.code(),
        output,
    }
}

/// The exit status a command asks for with a trailing `# exit N`.
fn expected_status(command: &str) -> Option<i32> {
    let (_, comment) = command.rsplit_once('#')?;
    comment.trim().strip_prefix("exit ")?.trim().parse().ok()
}

fn not_run(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or("");
    NOT_RUN
        .iter()
        .any(|p| first == p.trim_end_matches('/') || first.starts_with(p))
}

fn check_status(block: &Block, command: &str, ran: &Ran) -> Result<(), String> {
    let ok = match expected_status(command) {
        Some(n) => ran.status == Some(n),
        None => ran.status.is_some_and(|s| s != 2),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{}:{}: `{command}` exited with {:?}\n{}",
            block.file.display(),
            block.line,
            ran.status,
            ran.output
        ))
    }
}

/// Whether `actual` matches the `expected` lines, where a line `...` stands for any
/// number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.iter().all(|l| l.trim().is_empty()),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a.trim_end() == first.trim_end() && matches(rest, more)),
    }
}

fn console(block: &Block, dir: &Path) -> Result<usize, String> {
    let mut ran = 0;
    let mut i = 0;
    while i < block.body.len() {
        let Some(command) = block.body[i].strip_prefix("$ ") else {
            return Err(format!(
                "{}:{}: a console block must start with a `$ ` line",
                block.file.display(),
                block.line
            ));
        };
        let mut j = i + 1;
        while j < block.body.len() && !block.body[j].starts_with("$ ") {
            j += 1;
        }
        let expected = &block.body[i + 1..j];
        let result = run(command, dir);
        check_status(block, command, &result)?;
        let actual: Vec<&str> = result.output.lines().collect();
        if !matches(expected, &actual) {
            return Err(format!(
                "{}:{}: `{command}` printed something else.\n--- the doc says:\n{}\n--- it printed:\n{}",
                block.file.display(),
                block.line,
                expected.join("\n"),
                result.output
            ));
        }
        ran += 1;
        i = j;
    }
    Ok(ran)
}

fn sh(block: &Block, dir: &Path) -> Result<usize, String> {
    let mut ran = 0;
    let mut pending = String::new();
    for line in &block.body {
        if let Some(start) = line.strip_suffix('\\') {
            pending.push_str(start);
            continue;
        }
        pending.push_str(line);
        let command = std::mem::take(&mut pending);
        let code = command.split(" #").next().unwrap_or("").trim();
        if code.is_empty() || code.starts_with('#') || not_run(code) {
            continue;
        }
        let result = run(&command, dir);
        check_status(block, &command, &result)?;
        ran += 1;
    }
    Ok(ran)
}

fn flow(block: &Block, dir: &Path, n: usize) -> Result<usize, String> {
    let words: Vec<&str> = block.info.split_whitespace().skip(1).collect();
    if words.contains(&"fragment") {
        return Ok(0);
    }
    let attr = |key: &str| {
        words
            .iter()
            .find_map(|w| w.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    let path = match attr("file") {
        Some(name) => dir.join(name),
        None => dir.join(format!("doc-example-{n}.flow")),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("example dir");
    }
    std::fs::write(&path, block.body.join("\n") + "\n").expect("write example");
    let checked = flowproof::check::check_file(&path);
    let codes: Vec<String> = checked.diagnostics.iter().map(|d| d.code()).collect();
    let here = format!("{}:{}", block.file.display(), block.line);
    match attr("error") {
        Some(code) if codes.iter().any(|c| c == code) => Ok(1),
        Some(code) => Err(format!("{here}: expected `{code}`, got {codes:?}")),
        None if checked.has_errors() => Err(format!("{here}: the example has errors: {codes:?}")),
        None => Ok(1),
    }
}

/// A `text file=NAME` block: written where later blocks can read it.
fn text_file(block: &Block, dir: &Path) {
    let name = block
        .info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("file="));
    if let Some(name) = name {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("example dir");
        }
        std::fs::write(&path, block.body.join("\n") + "\n").expect("write example");
    }
}

#[test]
fn every_command_and_example_in_the_docs_runs_as_shown() {
    let mut failures = Vec::new();
    let mut counts = (0, 0, 0);
    let mut n = 0;
    for (i, file) in doc_files().into_iter().enumerate() {
        let dir = scratch(i);
        for block in blocks(&file) {
            let kind = block.info.split_whitespace().next().unwrap_or("");
            let result = match kind {
                "console" => console(&block, &dir).map(|k| counts.0 += k),
                "sh" => sh(&block, &dir).map(|k| counts.1 += k),
                "flow" => {
                    n += 1;
                    flow(&block, &dir, n).map(|k| counts.2 += k)
                }
                "text" => {
                    text_file(&block, &dir);
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = result {
                failures.push(e);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let (console_runs, sh_runs, examples) = counts;
    assert!(
        console_runs >= 40 && sh_runs >= 10,
        "only {console_runs} console commands and {sh_runs} shell commands were run"
    );
    eprintln!(
        "ran {console_runs} console commands, {sh_runs} shell commands, {examples} policy examples"
    );
}

#[test]
fn the_matcher_elides_and_compares() {
    let doc = |s: &str| -> Vec<String> { s.lines().map(str::to_owned).collect() };
    assert!(matches(&doc("a\n...\nd"), &["a", "b", "c", "d"]));
    assert!(matches(&doc("a\n...\nd"), &["a", "d"]));
    assert!(!matches(&doc("a\n...\nd"), &["a", "b"]));
    assert!(!matches(&doc("a\nb"), &["a", "c"]));
    assert!(matches(&doc("a  "), &["a", ""]));
    assert!(!matches(&doc("a"), &["a", "extra"]));
    assert_eq!(
        expected_status("flowproof verify x.flow  # exit 1"),
        Some(1)
    );
    assert_eq!(
        expected_status("flowproof verify x.flow  # every claim"),
        None
    );
    assert!(not_run("cargo build --release"));
    assert!(not_run("scripts/test.sh"));
    assert!(!not_run("flowproof verify policies/"));
}
