//! What verification answers, for either engine: a verdict per claim, vacuity, the
//! witness scenario with the paths that explain it, and why a model could not be
//! decided at all. Neither engine owns these types; both return them.

use crate::ground::StepRule;
use crate::model::{AgencyId, DataId, Model};
use crate::source::SourceMap;
use crate::span::Span;

/// The answer to one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Proved,
    Refuted,
    /// The solver gave up; the reason it gave. Never a proof or a refutation.
    Unknown(String),
    /// Only overall, for a file with readings: decided readings disagree (section 5.6).
    /// An engine never answers it.
    Contested,
}

impl Verdict {
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Proved => "proved",
            Verdict::Refuted => "refuted",
            Verdict::Unknown(_) => "unknown",
            Verdict::Contested => "contested",
        }
    }
}

/// A proved `always forall ... . A => B` whose `A` never holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vacuity {
    /// The antecedent that is false in every admissible scenario.
    pub antecedent: Span,
}

/// A scenario that refutes an `always` claim or satisfies a `possible` one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The value of every ground param, indexed as in [`crate::ground::GroundParams`].
    pub params: Vec<bool>,
    /// The params the verdict turns on: those in the parts of the claim that decide its
    /// value in this scenario, and in the conditions of the flows those parts read
    /// (sorted).
    pub relevant: Vec<usize>,
    /// For each reachability fact the verdict turns on that holds in the scenario,
    /// one path that derives it.
    pub paths: Vec<Path>,
    /// With `--routes N`: for each path, up to N distinct routes for the same fact
    /// (shortest first; empty when only the path was asked for).
    pub routes: Vec<Vec<Path>>,
}

/// How a datum of `origin` came to be at `at` (and, for a `flows` fact, moved on to
/// `then`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub data: DataId,
    pub origin: AgencyId,
    pub at: AgencyId,
    pub steps: Vec<Step>,
}

/// One hop: a flow instance, or a derive at one agency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub data: DataId,
    pub origin: AgencyId,
    pub from: AgencyId,
    pub to: AgencyId,
    pub rule: StepRule,
    /// For a derive: the data it was derived from.
    pub derived_from: Option<DataId>,
}

/// The outcome for one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimOutcome {
    /// Index into `model.claims`.
    pub claim: usize,
    /// For a file with readings, the overall verdict of section 5.6.
    pub verdict: Verdict,
    pub vacuous: Option<Vacuity>,
    pub witness: Option<Witness>,
    /// For a file with readings: the claim decided in each reading, in declaration
    /// order (empty for a file without readings).
    pub readings: Vec<ReadingOutcome>,
}

/// A claim decided in one reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingOutcome {
    /// Index into `model.readings`.
    pub reading: usize,
    pub verdict: Verdict,
    pub vacuous: Option<Vacuity>,
    /// Replays in this reading.
    pub witness: Option<Witness>,
}

impl ClaimOutcome {
    /// A claim decided in every reading, its overall verdict (section 5.6): the common
    /// verdict when every reading gives the same; `unknown` when some reading is
    /// unknown and the decided ones agree; otherwise `contested`. Vacuous when proved
    /// vacuously in every reading; the witness of the first reading when the verdict
    /// is common (none when contested or unknown).
    pub fn combine(claim: usize, readings: Vec<ReadingOutcome>) -> ClaimOutcome {
        let decided: Vec<&ReadingOutcome> = readings
            .iter()
            .filter(|r| !matches!(r.verdict, Verdict::Unknown(_)))
            .collect();
        let agree = decided.windows(2).all(|w| w[0].verdict == w[1].verdict);
        let unknown = readings
            .iter()
            .find(|r| matches!(r.verdict, Verdict::Unknown(_)));
        let verdict = match (agree, unknown, decided.first()) {
            (false, _, _) => Verdict::Contested,
            (true, Some(u), _) => u.verdict.clone(),
            (true, None, Some(first)) => first.verdict.clone(),
            (true, None, None) => Verdict::Proved,
        };
        let common = matches!(verdict, Verdict::Proved | Verdict::Refuted);
        let vacuous = if verdict == Verdict::Proved && readings.iter().all(|r| r.vacuous.is_some())
        {
            readings.first().and_then(|r| r.vacuous.clone())
        } else {
            None
        };
        let witness = if common {
            readings.first().and_then(|r| r.witness.clone())
        } else {
            None
        };
        ClaimOutcome {
            claim,
            verdict,
            vacuous,
            witness,
            readings,
        }
    }
}

/// Why an engine could not decide a model's claims at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// No scenario satisfies the assumptions; these (indices into `model.assumes`)
    /// already conflict.
    #[error("no scenario satisfies the assumptions")]
    Contradictory { assumes: Vec<usize> },
    /// The reference engine would have to enumerate too many scenarios.
    #[error("{count} ground params are more than the reference engine enumerates ({limit})")]
    TooManyParams { count: usize, limit: usize },
    /// A witness did not replay: a bug in flowproof, reported rather than trusted.
    #[error("{0}")]
    Internal(String),
}

/// One hop of a path with names instead of ids: where its rule is written and what it
/// cites.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ShownStep {
    pub data: String,
    pub origin: String,
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: usize,
    pub cites: Vec<String>,
    pub derived_from: Option<String>,
}

impl Path {
    /// The hops, named.
    pub fn shown(&self, model: &Model, sources: &SourceMap) -> Vec<ShownStep> {
        self.steps
            .iter()
            .map(|s| {
                let info = match s.rule {
                    StepRule::Flow(i) => &model.flows[i].info,
                    StepRule::Derive(i) => &model.derives[i].info,
                };
                ShownStep {
                    data: model.data_name(s.data).to_owned(),
                    origin: model.agency(s.origin).name.clone(),
                    from: model.agency(s.from).name.clone(),
                    to: model.agency(s.to).name.clone(),
                    file: sources.path(info.span.file).display().to_string(),
                    line: sources.line(info.span),
                    cites: info.cite_names(model),
                    derived_from: s.derived_from.map(|d| model.data_name(d).to_owned()),
                }
            })
            .collect()
    }
}
