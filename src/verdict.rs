//! What verification answers, for either engine: a verdict per claim, vacuity, the
//! witness scenario with the paths that explain it, and why a model could not be
//! decided at all. Neither engine owns these types; both return them.

use crate::ground::StepRule;
use crate::model::{AgencyId, DataId, Model, VarId};
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
    /// The true params of `params`, each needed: with the others false the scenario is
    /// admissible and gives the verdict, and (when `minimal`) no smaller set of true
    /// params does; otherwise none of them can be made false alone (sorted).
    pub needed: Vec<usize>,
    /// Whether `needed` was checked against every smaller set, not only one at a time.
    pub minimal: bool,
    /// The params of `needed` an assumption needs: made false alone, the scenario
    /// breaks an assumption (the others are needed for the verdict itself).
    pub required: Vec<usize>,
    /// The assignment of the claim's leading quantifier (`forall` of an `always` claim,
    /// `exists` of a `possible` one) the scenario shows it failing (holding) for.
    pub instance: Vec<(VarId, AgencyId)>,
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

impl Path {
    /// Whether two paths pass through the same agencies with the same data, hop by hop
    /// (whichever rules move it): the same way, as a reader sees it.
    pub fn same_way(&self, other: &Path) -> bool {
        self.steps.len() == other.steps.len()
            && self
                .steps
                .iter()
                .zip(&other.steps)
                .all(|(a, b)| (a.data, a.from, a.to) == (b.data, b.from, b.to))
    }
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
    /// The ground params its rule's `when` reads, each with its value in the scenario.
    pub condition: Vec<(usize, bool)>,
    /// The ground params of the opt-outs that could block the hop (whether each was
    /// taken, and their conditions), each with its value in the scenario.
    pub blocking: Vec<(usize, bool)>,
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

/// One hop of a path with names instead of ids: where its rule is written, what it
/// cites and the passages it rests on, the modeller's note, and what people read for
/// each name (its label) when the model gives one.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ShownStep {
    pub data: String,
    pub origin: String,
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: usize,
    pub cites: Vec<String>,
    pub derived_from: Option<String>,
    /// Labels of the names above, where the model gives them (absent otherwise).
    #[serde(skip_serializing_if = "StepLabels::is_empty")]
    pub labels: StepLabels,
    /// The rule's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The passages of cited sources the rule rests on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pinpoints: Vec<ShownPinpoint>,
    /// The rule's `when` condition, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The params the rule's `when` reads, with their values in the scenario.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub condition: Vec<ShownValue>,
    /// The params of the opt-outs that could block the hop (taken or not, and their
    /// conditions), with their values: why it was not blocked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_blocked: Vec<ShownValue>,
}

/// A ground param and its value in a scenario.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ShownValue {
    pub param: String,
    pub value: bool,
    /// Whether it is an opt-out's param (whether someone took the opt-out).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optout: bool,
}

/// The labels of a hop's names.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct StepLabels {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<String>,
}

impl StepLabels {
    pub fn is_empty(&self) -> bool {
        *self == StepLabels::default()
    }
}

/// `cite S "passage"`, named.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct ShownPinpoint {
    pub source: String,
    pub text: String,
}

impl ShownStep {
    /// What people read for the data, the origin, the sender and the receiver.
    pub fn data_shown(&self) -> &str {
        self.labels.data.as_deref().unwrap_or(&self.data)
    }

    pub fn origin_shown(&self) -> &str {
        self.labels.origin.as_deref().unwrap_or(&self.origin)
    }

    pub fn from_shown(&self) -> &str {
        self.labels.from.as_deref().unwrap_or(&self.from)
    }

    pub fn to_shown(&self) -> &str {
        self.labels.to.as_deref().unwrap_or(&self.to)
    }

    /// The citations as people read them: each source, with the passage it is cited
    /// for when there is one (`kpcc_disarray "the fingerprints ... checked"`).
    pub fn cites_shown(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: Vec<&String> = Vec::new();
        for name in &self.cites {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let passages: Vec<&ShownPinpoint> = self
                .pinpoints
                .iter()
                .filter(|p| p.source == *name)
                .collect();
            if passages.is_empty() {
                out.push(name.clone());
            }
            for p in passages {
                out.push(format!("{name} \"{}\"", p.text));
            }
        }
        out
    }

    pub fn derived_from_shown(&self) -> Option<&str> {
        self.labels
            .derived_from
            .as_deref()
            .or(self.derived_from.as_deref())
    }
}

impl Path {
    /// The hops, named.
    pub fn shown(
        &self,
        model: &Model,
        sources: &SourceMap,
        params: Option<&crate::ground::GroundParams>,
    ) -> Vec<ShownStep> {
        let agency_label = |a: AgencyId| model.agency(a).label.clone();
        let data_label = |d: DataId| model.data[d.index()].label.clone();
        self.steps
            .iter()
            .map(|s| {
                let (info, guard) = match s.rule {
                    StepRule::Flow(i) => (&model.flows[i].info, model.flows[i].guard.as_ref()),
                    StepRule::Derive(i) => {
                        (&model.derives[i].info, model.derives[i].guard.as_ref())
                    }
                };
                let when = guard.and_then(|g| {
                    sources
                        .get(g.span.file)
                        .and_then(|f| f.text.get(g.span.range()))
                        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                });
                let values = |list: &[(usize, bool)]| match params {
                    Some(ground) => {
                        list.iter()
                            .map(|(i, value)| ShownValue {
                                param: ground.name(model, *i),
                                value: *value,
                                optout: ground.list.get(*i).is_some_and(|(p, _)| {
                                    model.optouts.iter().any(|o| o.param == *p)
                                }),
                            })
                            .collect()
                    }
                    None => Vec::new(),
                };
                let condition = values(&s.condition);
                let not_blocked = values(&s.blocking);
                ShownStep {
                    data: model.data_name(s.data).to_owned(),
                    origin: model.agency(s.origin).name.clone(),
                    from: model.agency(s.from).name.clone(),
                    to: model.agency(s.to).name.clone(),
                    file: sources.path(info.span.file).display().to_string(),
                    line: sources.line(info.span),
                    cites: info.cite_names(model),
                    derived_from: s.derived_from.map(|d| model.data_name(d).to_owned()),
                    labels: StepLabels {
                        data: data_label(s.data),
                        origin: agency_label(s.origin),
                        from: agency_label(s.from),
                        to: agency_label(s.to),
                        derived_from: s.derived_from.and_then(data_label),
                    },
                    note: info.note.clone(),
                    pinpoints: info
                        .pinpoints
                        .iter()
                        .map(|p| ShownPinpoint {
                            source: model.sources[p.source.index()].name.clone(),
                            text: p.text.clone(),
                        })
                        .collect(),
                    when,
                    condition,
                    not_blocked,
                }
            })
            .collect()
    }
}
