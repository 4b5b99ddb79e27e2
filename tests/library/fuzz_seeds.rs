//! The fuzz targets' checks, replayed without libFuzzer on every `cargo test`: each
//! target's committed seed corpus (`fuzz/seeds/TARGET/`, inputs the long fuzz runs
//! found that reach new code, and any input that once failed), plus every policy and
//! fixture file. A finding of the fuzzer becomes a regression test by being saved to
//! the seeds.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The seeds of `target`, and every file under `policies/` and `tests/fixtures/`.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths = Vec::new();
    for dir in [
        format!("fuzz/seeds/{target}"),
        "policies".to_owned(),
        "tests/fixtures".to_owned(),
    ] {
        files_under(Path::new(&dir), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable");
            (p, bytes)
        })
        .collect()
}

/// Runs `check` on every input of `target`; at least `deep` of them must reach its
/// deepest property (a model checked, a claim decided by both engines, ...).
fn replay(target: &str, check: fn(&[u8]) -> bool, deep: usize) {
    let inputs = inputs(target);
    let seeds = inputs
        .iter()
        .filter(|(p, _)| p.starts_with("fuzz/seeds"))
        .count();
    assert!(seeds > 0, "no seeds for {target} in fuzz/seeds/{target}");
    let mut reached = 0;
    for (path, bytes) in &inputs {
        match std::panic::catch_unwind(|| check(bytes)) {
            Ok(deepest) => reached += usize::from(deepest),
            Err(_) => panic!("{target} fails on {}", path.display()),
        }
    }
    eprintln!(
        "{target}: {} inputs ({seeds} seeds), {reached} reached the deepest check",
        inputs.len()
    );
    assert!(
        reached >= deep,
        "only {reached} inputs reached the deepest check of {target}"
    );
}

// At least this many inputs of each target reach its deepest check. Measured with
// --nocapture on the committed seeds: lex 1,957, parse 425, check 115, verify 118
// (check and verify: a model was built; verify: and its claims decided both ways, and
// by reading through the whole pipeline when it has readings).
const DEEP_LEX: usize = 1_500;
const DEEP_PARSE: usize = 200;
const DEEP_CHECK: usize = 80;
const DEEP_VERIFY: usize = 80;

#[test]
fn the_lexer_seeds_pass() {
    replay("lex", checks::lex, DEEP_LEX);
}

#[test]
fn the_parser_seeds_pass() {
    replay("parse", checks::parse, DEEP_PARSE);
}

#[test]
fn the_checker_seeds_pass() {
    replay("check", checks::check, DEEP_CHECK);
}

#[test]
fn the_verify_seeds_pass() {
    replay("verify", checks::verify, DEEP_VERIFY);
}
