//! `// expect` headers: the verdicts a test model says it must get, and the comparison
//! with what verification gave. Used by the conformance runner and the test suite.
//!
//! ```text
//! // expect NAME proved            the claim is proved (and not vacuous)
//! // expect NAME proved vacuous    proved, and reported as vacuous
//! // expect NAME refuted           refuted, with a witness that replays
//! // expect error: ...             the file is rejected with exit status 2
//! ```

use crate::model::Mode;
use crate::verdict::Verdict;
use crate::verify::{Tally, Verified};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Verdict {
        claim: String,
        verdict: String,
        vacuous: bool,
    },
    Error(String),
}

/// The `// expect` lines of a file.
pub fn parse(text: &str) -> Vec<Expect> {
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

/// The exit status `verify` must give a file with these expectations.
pub fn exit_status(expects: &[Expect]) -> u8 {
    if expects.iter().any(|e| matches!(e, Expect::Error(_))) {
        2
    } else if expects
        .iter()
        .any(|e| matches!(e, Expect::Verdict { verdict, .. } if verdict == "refuted"))
    {
        1
    } else {
        0
    }
}

/// Compares one verified file with its expectations.
pub fn compare(expects: &[Expect], verified: &Verified) -> Result<(), String> {
    if expects.is_empty() {
        return Err("no `// expect` line".to_owned());
    }
    let status = Tally::of(std::slice::from_ref(verified)).exit_code();
    if let Some(Expect::Error(msg)) = expects.iter().find(|e| matches!(e, Expect::Error(_))) {
        if status != 2 {
            return Err(format!(
                "expected an error ({msg}), got exit status {status}"
            ));
        }
        let codes: Vec<String> = verified
            .diagnostics()
            .filter(|d| d.is_error())
            .map(|d| d.code())
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
    let Some(model) = verified.checked.model.as_ref() else {
        let codes: Vec<String> = verified
            .diagnostics()
            .map(|d| format!("{}: {}", d.code(), d.message()))
            .collect();
        return Err(format!("the file does not check: {codes:?}"));
    };
    if let Some(err) = verified.errors.first() {
        return Err(format!("{}: {}", err.code(), err.message()));
    }
    for e in expects {
        let Expect::Verdict {
            claim,
            verdict,
            vacuous,
        } = e
        else {
            continue;
        };
        let outcome = verified
            .outcomes
            .iter()
            .find(|o| model.claims[o.claim].name == *claim)
            .ok_or_else(|| format!("claim `{claim}` was not verified"))?;
        let got = outcome.verdict.word();
        if got != verdict {
            return Err(format!("claim `{claim}`: expected {verdict}, got {got}"));
        }
        if outcome.vacuous.is_some() != *vacuous {
            return Err(format!(
                "claim `{claim}`: expected vacuous = {vacuous}, got {}",
                outcome.vacuous.is_some()
            ));
        }
        let mode = model.claims[outcome.claim].mode;
        let needs_witness = (mode == Mode::Always) == (outcome.verdict == Verdict::Refuted);
        if needs_witness != outcome.witness.is_some() {
            return Err(format!(
                "claim `{claim}`: a witness was {} expected",
                if needs_witness { "" } else { "not" }
            ));
        }
    }
    if status != exit_status(expects) {
        return Err(format!(
            "expected exit status {}, got {status}",
            exit_status(expects)
        ));
    }
    Ok(())
}
