//! Pinning: a witness scenario → a regression file that imports the policy, fixes every
//! ground param to its value in the scenario with `assume`, and states in `// expect`
//! lines the verdict every claim gets in that one scenario. [`pin`] decides what the
//! file says; [`crate::render::pin`] writes it out as text; [`write`] puts it on disk,
//! never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::ground::Grounded;
use crate::model::{Mode, Model};
use crate::verdict::Verdict;
use crate::verify::Verified;

#[derive(Debug, Error, Diagnostic)]
pub enum PinError {
    #[error("no claim is named `{name}` in `{file}`")]
    #[diagnostic(code(flowproof::pin::unknown_claim))]
    UnknownClaim {
        name: String,
        file: String,
        #[help]
        help: Option<String>,
    },

    #[error("claim `{name}` is {verdict}, so it has no witness scenario to pin")]
    #[diagnostic(
        code(flowproof::pin::no_witness),
        help(
            "only a refuted `always` claim (its counterexample) or a proved `possible` claim (its witness) has a scenario; run `flowproof verify` to see the verdict"
        )
    )]
    NoWitness { name: String, verdict: String },

    #[error("no reading is named `{name}`")]
    #[diagnostic(code(flowproof::pin::unknown_reading))]
    UnknownReading {
        name: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{path}` already exists; flowproof never overwrites a file")]
    #[diagnostic(
        code(flowproof::pin::exists),
        help("choose another name with `--out PATH`, or move the existing file away")
    )]
    Exists { path: String },

    #[error(
        "`{path}` could not import `{policy}`: the policy is not inside the pin file's directory"
    )]
    #[diagnostic(
        code(flowproof::pin::outside),
        help(
            "an import may not climb out of the directory of the file being checked, so put the pin file in the policy's directory or in a directory above it"
        )
    )]
    Outside { path: String, policy: String },

    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(
        code(flowproof::pin::unwritable),
        help("check that the directory exists and is writable")
    )]
    Unwritable { path: String, reason: String },
}

/// The regression file's name beside the policy: `policy.CLAIM.pin.flow`.
pub fn default_out(policy: &Path, claim: &str) -> PathBuf {
    let stem = policy
        .file_stem()
        .map_or_else(|| "policy".into(), |s| s.to_string_lossy().into_owned());
    policy.with_file_name(format!("{stem}.{claim}.pin.flow"))
}

/// What a pin file says: the claim and its scenario, the verdict every claim gets in
/// it, and the policy it imports.
pub struct Pin {
    /// The pinned claim.
    pub claim: String,
    /// Its verdict (`refuted` or `proved`).
    pub verdict: &'static str,
    /// The file name of the policy.
    pub policy_file: String,
    /// The policy's name, from its header.
    pub policy_name: String,
    /// Every claim of the policy: its name, its verdict word in the scenario, and
    /// whether it is proved only vacuously there.
    pub expects: Vec<(String, &'static str, bool)>,
    /// The policy, relative to the pin file's directory.
    pub import: PathBuf,
    /// Every ground param, named, with its value in the scenario.
    pub scenario: Vec<(String, bool)>,
    /// For a policy with readings: the reading the witness was found in, and the name
    /// of the reading of the pin file that holds the scenario.
    pub reading: Option<(String, String)>,
}

/// What was written.
pub struct Pinned {
    pub path: PathBuf,
    pub params: usize,
}

/// What the regression file for `claim` of a verified policy, to be written at `out`,
/// says. For a policy with readings, the witness is the one found in `reading` (by
/// default the first reading that has one), and the pin file states its scenario as a
/// reading of its own, so that the policy's other readings stay as they are.
pub fn pin(
    verified: &Verified,
    claim: &str,
    reading: Option<&str>,
    out: &Path,
) -> Result<Pin, PinError> {
    let policy_path = &verified.checked.path;
    let model = verified.checked.model.as_ref();
    let outcome = model.and_then(|m| {
        verified
            .outcomes
            .iter()
            .find(|o| m.claims[o.claim].name == claim)
    });
    let (Some(model), Some(outcome)) = (model, outcome) else {
        let names = model
            .map(|m| m.claims.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())
            .unwrap_or_default();
        let help = crate::suggest::suggest(claim, names.iter().copied())
            .map(|s| crate::suggest::did_you_mean(&s));
        return Err(PinError::UnknownClaim {
            name: claim.to_owned(),
            file: policy_path.display().to_string(),
            help,
        });
    };
    // with readings: the reading asked for, or the first with a witness
    let in_reading = if model.readings.is_empty() {
        if let Some(name) = reading {
            return Err(PinError::UnknownReading {
                name: name.to_owned(),
                help: Some("this policy has no readings: leave out `--reading`".to_owned()),
            });
        }
        None
    } else {
        let found = match reading {
            Some(name) => outcome
                .readings
                .iter()
                .find(|r| model.readings[r.reading].name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = model.readings.iter().map(|r| r.name.as_str()).collect();
                    PinError::UnknownReading {
                        name: name.to_owned(),
                        help: Some(format!("the readings are: {}", names.join(", "))),
                    }
                })?,
            None => outcome
                .readings
                .iter()
                .find(|r| r.witness.is_some())
                .or(outcome.readings.first())
                .ok_or_else(|| PinError::NoWitness {
                    name: claim.to_owned(),
                    verdict: outcome.verdict.word().to_owned(),
                })?,
        };
        Some(found)
    };
    let (verdict, witness) = match in_reading {
        Some(r) => (&r.verdict, r.witness.as_ref()),
        None => (&outcome.verdict, outcome.witness.as_ref()),
    };
    let (Some(witness), Some(params)) = (witness, verified.params()) else {
        let verdict = match verdict {
            Verdict::Proved => "proved".to_owned(),
            Verdict::Refuted => "refuted".to_owned(),
            Verdict::Unknown(why) => format!("unknown ({why})"),
            Verdict::Contested => "contested".to_owned(),
        };
        let verdict = match in_reading {
            Some(r) => format!("{verdict} in reading `{}`", model.readings[r.reading].name),
            None => verdict,
        };
        return Err(PinError::NoWitness {
            name: claim.to_owned(),
            verdict,
        });
    };

    let expects = verdicts_in(model, &witness.params);
    // the import must stay inside the pin file's directory, or checking the pin file
    // would refuse it
    let dir = match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let unwritable = |e: std::io::Error| PinError::Unwritable {
        path: out.display().to_string(),
        reason: e.to_string(),
    };
    let dir = std::fs::canonicalize(dir).map_err(unwritable)?;
    let target = std::fs::canonicalize(policy_path).map_err(unwritable)?;
    let import = match target.strip_prefix(&dir) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) => {
            return Err(PinError::Outside {
                path: out.display().to_string(),
                policy: policy_path.display().to_string(),
            });
        }
    };
    let reading = in_reading.map(|r| {
        let from = model.readings[r.reading].name.clone();
        // a name no reading of the policy has
        let mut name = format!("pinned_{from}");
        while model.readings.iter().any(|r| r.name == name) {
            name.push('_');
        }
        (from, name)
    });
    Ok(Pin {
        claim: claim.to_owned(),
        verdict: verdict.word(),
        reading,
        policy_file: policy_path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        policy_name: model
            .policy
            .as_ref()
            .map_or("policy", |p| p.name.as_str())
            .to_owned(),
        expects,
        import,
        scenario: witness
            .params
            .iter()
            .enumerate()
            .map(|(i, value)| (params.name(model, i), *value))
            .collect(),
    })
}

/// Writes a pin file's `text` (from [`crate::render::pin::text`]) to `out`, which must
/// not exist yet.
pub fn write(pin: &Pin, text: &str, out: &Path) -> Result<Pinned, PinError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => PinError::Exists {
                path: out.display().to_string(),
            },
            _ => PinError::Unwritable {
                path: out.display().to_string(),
                reason: e.to_string(),
            },
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| PinError::Unwritable {
            path: out.display().to_string(),
            reason: e.to_string(),
        })?;
    Ok(Pinned {
        path: out.to_path_buf(),
        params: pin.scenario.len(),
    })
}

/// Every claim's verdict when `params` is the only scenario (every param pinned), and
/// whether it holds only vacuously: each claim, ground, evaluated once with the
/// reachability of every origin it reads computed once (as a witness's replay does). Not admissible: no scenario at
/// all, so every `always` claim holds (vacuously, when it has an antecedent) and every
/// `possible` one fails.
fn verdicts_in(model: &Model, params: &[bool]) -> Vec<(String, &'static str, bool)> {
    let mut grounded = Grounded::new(model.clone());
    let claims: Vec<_> = (0..model.claims.len()).map(|i| grounded.claim(i)).collect();
    let assumptions = grounded.assumptions.clone();
    let reached = crate::witness::Reach::compute(
        &mut grounded,
        params,
        assumptions
            .iter()
            .chain(claims.iter().map(|c| &c.prop))
            .chain(
                claims
                    .iter()
                    .filter_map(|c| c.antecedent.as_ref().map(|(a, _)| a)),
            ),
    );
    let reach = |d, o, n| reached.holds(&grounded, d, o, n);
    let admissible = assumptions.iter().all(|a| a.eval(params, &reach));
    claims
        .iter()
        .map(|c| {
            let holds = admissible && c.prop.eval(params, &reach);
            let (verdict, vacuous) = match c.mode {
                Mode::Always if !admissible || holds => (
                    Verdict::Proved,
                    c.antecedent
                        .as_ref()
                        .is_some_and(|(a, _)| !admissible || !a.eval(params, &reach)),
                ),
                Mode::Always => (Verdict::Refuted, false),
                Mode::Possible if holds => (Verdict::Proved, false),
                Mode::Possible => (Verdict::Refuted, false),
            };
            (model.claims[c.index].name.clone(), verdict.word(), vacuous)
        })
        .collect()
}
