//! The JSON of the output contract (section 4 of the language reference), with a few
//! extra keys: a claim's title, quote and line, the reason for an unknown, the
//! impossible antecedent of a vacuous claim, and each file's diagnostics.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::render::diagnostic::{JsonDiagnostic, to_json};
use crate::verdict::Verdict;
use crate::verify::{Tally, Verified};

/// Every JSON document flowproof writes: `"format": "flowproof/1"` first, then the
/// command's own keys. A later format that removes or retypes a key will have another
/// name; keys may be added within a format.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Document<T> {
    /// The format of this document, always `flowproof/1`.
    pub format: Format,
    #[serde(flatten)]
    pub body: T,
}

impl<T> Document<T> {
    /// `body` as a document of the current format.
    pub fn new(body: T) -> Self {
        Document {
            format: Format::V1,
            body,
        }
    }
}

/// The name of a JSON format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Format {
    #[serde(rename = "flowproof/1")]
    V1,
}

/// What `verify --format json` writes.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonReport {
    pub files: Vec<JsonFile>,
    pub summary: JsonSummary,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonSummary {
    pub proved: usize,
    pub refuted: usize,
    pub unknown: usize,
    /// Only when some file has readings and some claim is contested (a file without
    /// readings gives the JSON it always gave).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contested: Option<usize>,
    pub files_with_errors: usize,
    pub exit_code: u8,
    /// Only when some source names a document: the quotations and pinpoints checked
    /// against their documents, and those that could not be (their document missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quotations: Option<JsonQuotations>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonQuotations {
    pub checked: usize,
    pub unchecked: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonFile {
    pub path: String,
    pub policy: Option<JsonPolicy>,
    pub claims: Vec<JsonClaim>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonPolicy {
    pub name: String,
    pub version: Option<String>,
    pub date: Option<String>,
}

impl From<&crate::model::Policy> for JsonPolicy {
    fn from(p: &crate::model::Policy) -> Self {
        JsonPolicy {
            name: p.name.clone(),
            version: p.version.clone(),
            date: p.date.map(|d| d.to_string()),
        }
    }
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonClaim {
    pub name: String,
    pub mode: String,
    pub verdict: &'static str,
    pub vacuous: bool,
    pub witness: Option<JsonWitness>,
    pub cites: Vec<String>,
    pub title: Option<String>,
    pub quote: Option<String>,
    pub line: usize,
    pub reason: Option<String>,
    pub vacuous_antecedent: Option<String>,
    /// With `--why`: the rules that together settle a proof (or a refuted `possible`).
    pub because: Option<JsonBecause>,
    /// Only for a file with readings: the claim decided in each reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<Vec<JsonReading>>,
    /// The modeller's note, who made the statement and when (version 1; absent when
    /// not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
    /// The passages of cited sources the claim rests on (`cite S "passage"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pinpoints: Vec<crate::verdict::ShownPinpoint>,
}

/// A claim decided in one reading.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonReading {
    pub name: String,
    /// The reading's label, note and citations, where it has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pinpoints: Vec<crate::verdict::ShownPinpoint>,
    pub verdict: &'static str,
    pub vacuous: bool,
    pub witness: Option<JsonWitness>,
    pub reason: Option<String>,
    /// With `--why`: why the claim holds in this reading.
    pub because: Option<JsonBecause>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonBecause {
    /// Rules that alone settle the verdict, each with the claim once it is dropped.
    pub core: Vec<JsonCoreRule>,
    /// The fewest rules whose removal together changes the verdict (no smaller set does).
    pub undone_by: Vec<JsonRule>,
    /// Other sets of as many rules whose removal also changes the verdict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_undone_by: Vec<Vec<JsonRule>>,
    /// Once the rules of `undone_by` are removed: the scenario's params that the new
    /// verdict turns on (true ones) and the paths.
    pub without: Option<JsonWitnessBrief>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonRule {
    pub kind: &'static str,
    pub file: String,
    pub line: usize,
    pub cites: Vec<String>,
}

/// A rule of the core and its counterfactual.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonCoreRule {
    #[serde(flatten)]
    pub rule: JsonRule,
    /// `as_written` (only this rule dropped), `core_only` (every rule outside the core
    /// dropped too) or `also_dropped` (the rules in `also_dropped` dropped too).
    pub context: &'static str,
    pub also_dropped: Vec<JsonRule>,
    /// The claim's verdict without the rule.
    pub verdict: &'static str,
    pub without: Option<JsonWitnessBrief>,
    /// The hops of `without`'s paths that the rule stops where it stands, as
    /// `[path, step]` indices.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stops: Vec<(usize, usize)>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonWitnessBrief {
    /// Every ground param and its value in the scenario.
    pub params: Map<String, Value>,
    /// The scenario's true params, each needed; every other param is false.
    pub true_params: Vec<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub instance: Map<String, Value>,
    pub paths: Vec<Vec<JsonStep>>,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonWitness {
    pub params: Map<String, Value>,
    /// The true params of `params`, each needed: with every other param false the
    /// scenario is admissible and gives the verdict.
    pub needed_params: Vec<String>,
    /// Whether no smaller set of true params gives it (checked over every subset);
    /// false: none of them can be made false alone.
    pub needed_minimal: bool,
    /// Those of `needed_params` an assumption needs (each made false alone breaks one).
    pub required_params: Vec<String>,
    /// The assignment of the claim's leading quantifier the scenario fails (an
    /// `always` claim) or holds (a `possible` one) for, variable to agency.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub instance: Map<String, Value>,
    /// Each path told as plain-English sentences, one per hop.
    pub stories: Vec<Vec<String>>,
    /// With `--routes N`: for each path, up to N distinct routes for the same fact.
    pub routes: Vec<Vec<Vec<JsonStep>>>,
    pub paths: Vec<Vec<JsonStep>>,
    /// What people read for each labelled param of `params` (only when some param has
    /// a label).
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub param_labels: Map<String, Value>,
}

/// One hop of a path.
pub type JsonStep = crate::verdict::ShownStep;

fn steps(
    model: &crate::model::Model,
    sources: &crate::source::SourceMap,
    params: Option<&crate::ground::GroundParams>,
    path: &crate::verdict::Path,
) -> Vec<JsonStep> {
    path.shown(model, sources, params)
}

pub fn report(reports: &[Verified]) -> JsonReport {
    let tally = Tally::of(reports);
    JsonReport {
        files: reports.iter().map(file).collect(),
        summary: JsonSummary {
            proved: tally.proved,
            refuted: tally.refuted,
            unknown: tally.unknown,
            contested: (tally.contested > 0).then_some(tally.contested),
            files_with_errors: tally.files_with_errors,
            exit_code: tally.exit_code(),
            quotations: (tally.quotations.documents > 0).then_some(JsonQuotations {
                checked: tally.quotations.checked,
                unchecked: tally.quotations.unchecked,
            }),
        },
    }
}

/// A witness: every ground param named, the ones the verdict turns on, each path as
/// hops and as a story, and the extra routes.
fn json_witness(
    r: &Verified,
    model: &crate::model::Model,
    claim: usize,
    w: &crate::verdict::Witness,
) -> JsonWitness {
    let sources = &r.checked.sources;
    let name = |i: usize| r.param_name(i);
    JsonWitness {
        needed_params: w.needed.iter().map(|i| name(*i)).collect(),
        needed_minimal: w.minimal,
        required_params: w.required.iter().map(|i| name(*i)).collect(),
        instance: instance(model, claim, w),
        stories: w
            .paths
            .iter()
            .map(|p| crate::render::story(model, sources, p))
            .collect(),
        routes: w
            .routes
            .iter()
            .map(|rs| {
                rs.iter()
                    .map(|p| steps(model, sources, r.params(), p))
                    .collect()
            })
            .collect(),
        params: every_param(r, w),
        paths: w
            .paths
            .iter()
            .map(|p| steps(model, sources, r.params(), p))
            .collect(),
        param_labels: if model.params.iter().any(|p| p.label.is_some()) {
            (0..w.params.len())
                .filter(|i| {
                    r.params()
                        .and_then(|p| p.list.get(*i))
                        .is_some_and(|(p, _)| model.param(*p).label.is_some())
                })
                .map(|i| (name(i), Value::String(r.param_shown(i))))
                .collect()
        } else {
            Map::new()
        },
    }
}

/// A witness's instance of the claim's leading quantifier: variable name to agency name.
fn instance(
    model: &crate::model::Model,
    claim: usize,
    w: &crate::verdict::Witness,
) -> Map<String, Value> {
    w.instance
        .iter()
        .map(|(v, a)| {
            (
                model.claims[claim].info.var(*v).name.clone(),
                Value::String(model.agencies[a.index()].name.clone()),
            )
        })
        .collect()
}

/// Every ground param of a scenario, by name, with its value.
fn every_param(r: &Verified, w: &crate::verdict::Witness) -> Map<String, Value> {
    w.params
        .iter()
        .enumerate()
        .map(|(i, v)| (r.param_name(i), Value::Bool(*v)))
        .collect()
}

/// The passages of cited sources a rule or claim rests on.
fn pinpoints(
    model: &crate::model::Model,
    info: &crate::model::RuleInfo,
) -> Vec<crate::verdict::ShownPinpoint> {
    info.pinpoints
        .iter()
        .map(|p| crate::verdict::ShownPinpoint {
            source: model.sources[p.source.index()].name.clone(),
            text: p.text.clone(),
        })
        .collect()
}

/// Why a claim holds (`--why`), for tools.
fn json_because(
    r: &Verified,
    model: &crate::model::Model,
    claim: usize,
    b: &crate::explain::Because,
) -> JsonBecause {
    let sources = &r.checked.sources;
    let name = |i: usize| r.param_name(i);
    let rule = |rule: crate::explain::Rule| {
        let info = rule.info_in(model, b.reading);
        JsonRule {
            kind: rule.kind(),
            file: sources.path(info.span.file).display().to_string(),
            line: sources.line(info.span),
            cites: info.cite_names(model),
        }
    };
    let brief = |w: &crate::verdict::Witness| JsonWitnessBrief {
        params: every_param(r, w),
        true_params: w.needed.iter().map(|i| name(*i)).collect(),
        instance: instance(model, claim, w),
        paths: w
            .paths
            .iter()
            .map(|p| steps(model, sources, r.params(), p))
            .collect(),
    };
    JsonBecause {
        core: b
            .counterfactuals
            .iter()
            .map(|c| {
                use crate::explain::Context;
                let (context, also) = match &c.context {
                    Context::AsWritten => ("as_written", Vec::new()),
                    Context::CoreOnly => ("core_only", Vec::new()),
                    Context::AlsoDropped(more) => {
                        ("also_dropped", more.iter().map(|x| rule(*x)).collect())
                    }
                };
                JsonCoreRule {
                    rule: rule(c.rule),
                    context,
                    also_dropped: also,
                    verdict: c.outcome.verdict.word(),
                    without: c.outcome.witness.as_ref().map(brief),
                    stops: match (c.outcome.witness.as_ref(), r.grounded.as_ref()) {
                        (Some(w), Some(g)) => w
                            .paths
                            .iter()
                            .enumerate()
                            .flat_map(|(k, p)| {
                                crate::explain::stopped_hops(g, c.rule, p)
                                    .into_iter()
                                    .map(move |i| (k, i))
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                }
            })
            .collect(),
        undone_by: b.rules.iter().map(|x| rule(*x)).collect(),
        also_undone_by: b
            .also
            .iter()
            .map(|set| set.iter().map(|x| rule(*x)).collect())
            .collect(),
        without: b
            .without
            .as_ref()
            .and_then(|o| o.witness.as_ref())
            .map(brief),
    }
}

fn file(r: &Verified) -> JsonFile {
    let sources = &r.checked.sources;
    let model = r.model();
    let claims = match model {
        Some(model) => r
            .outcomes
            .iter()
            .map(|o| {
                let claim = &model.claims[o.claim];
                let witness = o
                    .witness
                    .as_ref()
                    .map(|w| json_witness(r, model, o.claim, w));
                let readings = (!model.readings.is_empty()).then(|| {
                    o.readings
                        .iter()
                        .map(|ro| JsonReading {
                            name: model.readings[ro.reading].name.clone(),
                            label: model.readings[ro.reading].label.clone(),
                            note: model.readings[ro.reading].note.clone(),
                            cites: model.readings[ro.reading].info.cite_names(model),
                            pinpoints: pinpoints(model, &model.readings[ro.reading].info),
                            verdict: ro.verdict.word(),
                            vacuous: ro.vacuous.is_some(),
                            witness: ro
                                .witness
                                .as_ref()
                                .map(|w| json_witness(r, model, o.claim, w)),
                            reason: match &ro.verdict {
                                Verdict::Unknown(why) => Some(why.clone()),
                                _ => None,
                            },
                            because: r
                                .because
                                .get(&(o.claim, Some(ro.reading)))
                                .map(|b| json_because(r, model, o.claim, b)),
                        })
                        .collect()
                });
                JsonClaim {
                    readings,
                    note: claim.info.note.clone(),
                    by: claim.by.clone(),
                    said: claim.said.map(|d| d.to_string()),
                    pinpoints: pinpoints(model, &claim.info),
                    name: claim.name.clone(),
                    mode: claim.mode.to_string(),
                    verdict: o.verdict.word(),
                    vacuous: o.vacuous.is_some(),
                    witness,
                    cites: claim.info.cite_names(model),
                    title: claim.title.clone(),
                    quote: claim.quote.clone(),
                    line: sources.line(claim.info.span),
                    reason: match &o.verdict {
                        Verdict::Unknown(why) => Some(why.clone()),
                        _ => None,
                    },
                    because: r
                        .because
                        .get(&(o.claim, None))
                        .map(|b| json_because(r, model, o.claim, b)),
                    vacuous_antecedent: o.vacuous.as_ref().and_then(|v| {
                        sources
                            .get(v.antecedent.file)
                            .and_then(|f| f.text.get(v.antecedent.range()))
                            .map(str::to_owned)
                    }),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    JsonFile {
        path: r.checked.path.display().to_string(),
        policy: model.and_then(|m| m.policy.as_ref()).map(JsonPolicy::from),
        claims,
        diagnostics: r.diagnostics().map(|d| to_json(d, sources)).collect(),
    }
}
