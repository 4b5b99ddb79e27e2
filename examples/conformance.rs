//! Checks an external conformance directory against its `// expect` headers, end to
//! end: it runs `flowproof verify --format json` on every file (with the Z3 engine and
//! with the reference engine) and compares verdicts, vacuity, witnesses and exit status.
//!
//!     cargo run --release --example conformance -- DIR [--bin PATH]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

#[derive(Debug)]
enum Expect {
    Verdict {
        claim: String,
        verdict: String,
        vacuous: bool,
    },
    Error(String),
}

fn expectations(text: &str) -> Vec<Expect> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("// expect "))
        .map(|rest| {
            if let Some(msg) = rest.strip_prefix("error:") {
                return Expect::Error(msg.trim().to_owned());
            }
            let words: Vec<&str> = rest.split_whitespace().collect();
            Expect::Verdict {
                claim: words.first().copied().unwrap_or_default().to_owned(),
                verdict: words.get(1).copied().unwrap_or_default().to_owned(),
                vacuous: words.get(2) == Some(&"vacuous"),
            }
        })
        .collect()
}

fn run(bin: &Path, file: &Path, engine: &str) -> Result<(i32, Value), String> {
    let out = Command::new(bin)
        .args(["verify", "--format", "json", "--engine", engine])
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let code = out.status.code().ok_or("killed by a signal")?;
    let json = serde_json::from_slice(&out.stdout).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok((code, json))
}

fn check_file(bin: &Path, file: &Path, engine: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let expects = expectations(&text);
    if expects.is_empty() {
        return Err("no `// expect` line".to_owned());
    }
    let (code, json) = run(bin, file, engine)?;
    if let Some(Expect::Error(msg)) = expects.iter().find(|e| matches!(e, Expect::Error(_))) {
        if code != 2 {
            return Err(format!("expected an error ({msg}), exit status was {code}"));
        }
        let codes: Vec<String> = json["files"][0]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["code"].as_str().map(str::to_owned))
            .collect();
        if msg.contains("contradictory")
            && !codes
                .iter()
                .any(|c| c.ends_with("contradictory_assumptions"))
        {
            return Err(format!("expected contradictory assumptions, got {codes:?}"));
        }
        return Ok(());
    }
    let claims = json["files"][0]["claims"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut expected_code = 0;
    for e in &expects {
        let Expect::Verdict {
            claim,
            verdict,
            vacuous,
        } = e
        else {
            continue;
        };
        let got = claims
            .iter()
            .find(|c| c["name"] == claim.as_str())
            .ok_or_else(|| format!("claim `{claim}` missing from the output"))?;
        if got["verdict"] != verdict.as_str() {
            return Err(format!(
                "claim `{claim}`: expected {verdict}, got {}",
                got["verdict"]
            ));
        }
        if got["vacuous"] != *vacuous {
            return Err(format!(
                "claim `{claim}`: expected vacuous = {vacuous}, got {}",
                got["vacuous"]
            ));
        }
        let needs_witness = (got["mode"] == "always") == (verdict == "refuted");
        if needs_witness == got["witness"].is_null() {
            return Err(format!(
                "claim `{claim}`: witness presence is wrong: {}",
                got["witness"]
            ));
        }
        if verdict == "refuted" {
            expected_code = 1;
        }
    }
    if code != expected_code {
        return Err(format!("expected exit status {expected_code}, got {code}"));
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
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        for engine in ["z3", "reference"] {
            match check_file(&bin, file, engine) {
                Ok(()) => passed += 1,
                Err(why) => {
                    failed += 1;
                    println!("FAIL {} [{engine}]: {why}", file.display());
                }
            }
        }
    }
    println!(
        "conformance: {passed} passed, {failed} failed ({} files, 2 engines)",
        files.len()
    );
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
