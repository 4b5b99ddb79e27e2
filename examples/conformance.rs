//! Checks a conformance directory against its `// expect` headers: every `.flow` file
//! is verified with the Z3 engine and with the reference engine (verdicts, vacuity,
//! witnesses, contradictions, readings), and the `flowproof` binary's exit status is
//! checked too (and, where a file says so, its errors under `--require-evidence`).
//! Subdirectories are searched too.
//!
//!     cargo run --release --example conformance -- DIR [--bin PATH]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use flowproof::expect;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

/// Every `.flow` file below `dir`.
fn flow_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            flow_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "flow") {
            out.push(path);
        }
    }
    Ok(())
}

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
    let mut files: Vec<PathBuf> = Vec::new();
    if let Err(e) = flow_files(&dir, &mut files) {
        eprintln!("cannot read {}: {e}", dir.display());
        return ExitCode::from(2);
    }
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
        if let Some(code) = expect::requires_evidence(&expects) {
            let run = Command::new(&bin)
                .args(["verify", "--require-evidence", "--format", "json"])
                .arg(file)
                .output();
            result(
                "--require-evidence",
                match run {
                    Ok(o)
                        if o.status.code() == Some(2)
                            && String::from_utf8_lossy(&o.stdout).contains(code) =>
                    {
                        Ok(())
                    }
                    Ok(o) => Err(format!(
                        "expected exit status 2 with {code}, got {:?}: {}",
                        o.status.code(),
                        String::from_utf8_lossy(&o.stdout)
                    )),
                    Err(e) => Err(format!("cannot run {}: {e}", bin.display())),
                },
            );
        }
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
