//! Checks a conformance directory against its `// expect` headers: every `.flow` file
//! is verified with the Z3 engine and with the reference engine (verdicts, vacuity,
//! witnesses, contradictions), and the `flowproof` binary's exit status is checked too.
//!
//!     cargo run --release --example conformance -- DIR [--bin PATH]

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use flowproof::expect;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: conformance DIR [--bin PATH]");
        return ExitCode::from(2);
    };
    let bin = args
        .iter()
        .position(|a| a == "--bin")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| PathBuf::from("target/release/flowproof"), PathBuf::from);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "flow"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    files.sort();
    let options = Options::default();
    let engines = [
        ("z3", Engine::Z3),
        ("reference", Engine::Reference { max_params: 20 }),
    ];
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let expects = expect::parse(&text);
        let mut result = |what: &str, outcome: Result<(), String>| match outcome {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                println!("FAIL {} [{what}]: {why}", file.display());
            }
        };
        for (name, engine) in engines {
            result(
                name,
                expect::compare(&expects, &verify_file(file, &options, engine)),
            );
        }
        let status = Command::new(&bin)
            .arg("verify")
            .arg(file)
            .output()
            .map(|o| o.status.code());
        let want = i32::from(expect::exit_status(&expects));
        result(
            "exit status",
            match status {
                Ok(Some(code)) if code == want => Ok(()),
                other => Err(format!("expected exit status {want}, got {other:?}")),
            },
        );
    }
    println!(
        "conformance: {passed} passed, {failed} failed ({} files; 2 engines and the exit status each)",
        files.len()
    );
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
