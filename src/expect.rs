//! `// expect` headers: the verdicts and diagnostics a test model says it must get, and
//! the comparison with what checking and verification gave. Used by the conformance
//! runner and the test suite.
//!
//! ```text
//! // expect NAME proved            the claim is proved (and not vacuous)
//! // expect NAME proved vacuous    proved, and reported as vacuous
//! // expect NAME refuted           refuted, with a witness that replays
//! // expect NAME contested         (files with readings) the readings disagree
//! // expect NAME@READING VERDICT   the claim's verdict in that reading (same words)
//! // expect error: ...             the file is rejected with exit status 2 (with the
//!                                  diagnostic code the message names, if it names one)
//! // expect check ok               checking finds no error (warnings allowed)
//! // expect claim NAME VERDICT     the claim gets that verdict (evidence files)
//! // expect warning: CODE          a warning of that code, and exit status 0
//! // expect error with --require-evidence: CODE
//!                                  under `--require-evidence`: exit 2 with that code
//! ```

use crate::model::Mode;
use crate::verdict::{Verdict, Witness};
use crate::verify::{Tally, Verified};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A claim's verdict, overall (`reading` none) or in one reading.
    Verdict {
        claim: String,
        reading: Option<String>,
        verdict: String,
        vacuous: bool,
    },
    /// The file is rejected; the message as written.
    Error(String),
    /// Checking finds no error.
    CheckOk,
    /// A warning with this code.
    Warning(String),
    /// Under `--require-evidence`, an error with this code.
    RequiredError(String),
}

/// The `// expect` lines of a file.
pub fn parse(text: &str) -> Vec<Expect> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("// expect "))
        .map(|rest| {
            let rest = rest.trim();
            if let Some(code) = rest.strip_prefix("error with --require-evidence:") {
                return Expect::RequiredError(code.trim().to_owned());
            }
            if let Some(msg) = rest.strip_prefix("error:") {
                return Expect::Error(msg.trim().to_owned());
            }
            if let Some(code) = rest.strip_prefix("warning:") {
                return Expect::Warning(code.trim().to_owned());
            }
            if rest == "check ok" {
                return Expect::CheckOk;
            }
            let rest = rest.strip_prefix("claim ").unwrap_or(rest);
            let words: Vec<&str> = rest.split_whitespace().collect();
            let name = words.first().copied().unwrap_or_default();
            let (claim, reading) = match name.split_once('@') {
                Some((c, r)) => (c, Some(r.to_owned())),
                None => (name, None),
            };
            Expect::Verdict {
                claim: claim.to_owned(),
                reading,
                verdict: words.get(1).copied().unwrap_or_default().to_owned(),
                vacuous: words.get(2) == Some(&"vacuous"),
            }
        })
        .collect()
}

/// The diagnostic code a message names (`flowproof::a::b`), if it names one.
fn code_in(message: &str) -> Option<&str> {
    let start = message.find("flowproof::")?;
    let code = &message[start..];
    let end = code
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(code.len());
    Some(&code[..end])
}

/// The exit status `verify` must give a file with these expectations (without
/// `--require-evidence`).
pub fn exit_status(expects: &[Expect]) -> u8 {
    if expects.iter().any(|e| matches!(e, Expect::Error(_))) {
        2
    } else if expects.iter().any(|e| {
        matches!(e, Expect::Verdict { verdict, .. } if verdict == "refuted" || verdict == "contested")
    }) {
        1
    } else {
        0
    }
}

/// Whether a file's expectations are about `--require-evidence`.
pub fn requires_evidence(expects: &[Expect]) -> Option<&str> {
    expects.iter().find_map(|e| match e {
        Expect::RequiredError(code) => Some(code.as_str()),
        _ => None,
    })
}

/// Compares one verified file with its expectations (those that do not name
/// `--require-evidence`).
pub fn compare(expects: &[Expect], verified: &Verified) -> Result<(), String> {
    if expects.is_empty() {
        return Err("no `// expect` line".to_owned());
    }
    let status = Tally::of(std::slice::from_ref(verified)).exit_code();
    let codes = |errors: bool| -> Vec<String> {
        verified
            .diagnostics()
            .filter(|d| d.is_error() == errors)
            .map(|d| d.code())
            .collect()
    };
    if let Some(Expect::Error(msg)) = expects.iter().find(|e| matches!(e, Expect::Error(_))) {
        if status != 2 {
            return Err(format!(
                "expected an error ({msg}), got exit status {status}"
            ));
        }
        let errors = codes(true);
        let wanted = code_in(msg).or_else(|| {
            msg.contains("contradictory")
                .then_some("flowproof::verify::contradictory_assumptions")
        });
        if let Some(code) = wanted
            && !errors.iter().any(|c| c == code)
        {
            return Err(format!("expected {code}, got {errors:?}"));
        }
        return Ok(());
    }
    for e in expects {
        match e {
            Expect::CheckOk if verified.checked.has_errors() => {
                return Err(format!("expected no error, got {:?}", codes(true)));
            }
            Expect::Warning(code) if !codes(false).iter().any(|c| c == code) => {
                return Err(format!("expected a warning {code}, got {:?}", codes(false)));
            }
            _ => {}
        }
    }
    let Some(model) = verified.model() else {
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
            reading,
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
        let mode = model.claims[outcome.claim].mode;
        let (label, got, got_vacuous, witness) = match reading {
            None => (
                format!("claim `{claim}`"),
                &outcome.verdict,
                outcome.vacuous.is_some(),
                outcome.witness.as_ref(),
            ),
            Some(name) => {
                let r = outcome
                    .readings
                    .iter()
                    .find(|r| model.readings[r.reading].name == *name)
                    .ok_or_else(|| format!("claim `{claim}` has no verdict in reading `{name}`"))?;
                (
                    format!("claim `{claim}` in reading `{name}`"),
                    &r.verdict,
                    r.vacuous.is_some(),
                    r.witness.as_ref(),
                )
            }
        };
        check_verdict(&label, mode, got, got_vacuous, witness, verdict, *vacuous)?;
    }
    if status != exit_status(expects) {
        return Err(format!(
            "expected exit status {}, got {status}",
            exit_status(expects)
        ));
    }
    Ok(())
}

/// One verdict against its expectation: the word, vacuity, and a witness exactly when
/// the verdict has one (a refuted `always`, a proved `possible`).
fn check_verdict(
    label: &str,
    mode: Mode,
    got: &Verdict,
    got_vacuous: bool,
    witness: Option<&Witness>,
    verdict: &str,
    vacuous: bool,
) -> Result<(), String> {
    if got.word() != verdict {
        return Err(format!("{label}: expected {verdict}, got {}", got.word()));
    }
    if got_vacuous != vacuous {
        return Err(format!(
            "{label}: expected vacuous = {vacuous}, got {got_vacuous}"
        ));
    }
    let needs_witness = match got {
        Verdict::Proved => mode == Mode::Possible,
        Verdict::Refuted => mode == Mode::Always,
        Verdict::Unknown(_) | Verdict::Contested => false,
    };
    if needs_witness != witness.is_some() {
        return Err(format!(
            "{label}: a witness was {} expected",
            if needs_witness { "" } else { "not" }
        ));
    }
    Ok(())
}
