//! The difference between two versions of a policy: their ground flow graphs (flow
//! instances added, removed, or with changed conditions), their opt-outs, assumptions
//! and readings (and each reading's assumptions), the rule edits, and every claim whose
//! verdict differs (overall, and in each reading both versions have) — with the witness
//! on the side that has one and the smallest set of edits found that flips it.

pub mod edits;
mod verdicts;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ground::FlowGraph;
use crate::model::Model;
use crate::solve::Options;
use crate::source::SourceMap;
use crate::span::Span;
use crate::verdict::{ShownStep, StepLabels, Witness};
use crate::verify::Verified;
use edits::{Edit, Hybrid, RuleRef};

/// A flow instance, by names: data, from, to, and the origin it is limited to (`*`: any).
pub type EdgeKey = (String, String, String, String);

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct EdgeChange {
    pub data: String,
    pub from: String,
    pub to: String,
    pub origin: String,
    /// The rule conditions before and after (`always` for a rule without `when`).
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// Labels of the names above, where the version that has the flow gives them
    /// (absent otherwise).
    #[serde(skip_serializing_if = "StepLabels::is_empty")]
    pub labels: StepLabels,
}

impl EdgeChange {
    /// What people read for the data, the sender, the receiver and the origin.
    pub fn data_shown(&self) -> &str {
        self.labels.data.as_deref().unwrap_or(&self.data)
    }

    pub fn from_shown(&self) -> &str {
        self.labels.from.as_deref().unwrap_or(&self.from)
    }

    pub fn to_shown(&self) -> &str {
        self.labels.to.as_deref().unwrap_or(&self.to)
    }

    pub fn origin_shown(&self) -> &str {
        self.labels.origin.as_deref().unwrap_or(&self.origin)
    }
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct VerdictChange {
    pub claim: String,
    /// The reading the verdicts are in (for files with readings; absent for the overall
    /// verdict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// That reading's label, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading_label: Option<String>,
    pub before: String,
    pub after: String,
    /// The side whose witness refutes an `always` claim or proves a `possible` one.
    pub witness_side: Option<&'static str>,
    /// That witness: the true params it turns on, and its paths.
    pub witness: Option<ShownWitness>,
    /// Indices into [`Diff::edits`]: the smallest set found that flips the verdict when
    /// applied to the old version alone (no one of them can be left out). `None` with
    /// `edits_note` saying why when it could not be found.
    pub responsible: Option<Vec<usize>>,
    pub edits_note: Option<String>,
}

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ShownWitness {
    /// Every ground param of that side and its value in the scenario.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The true params, each needed: with every other param false the scenario is
    /// admissible and gives the verdict.
    pub true_params: Vec<String>,
    /// Whether no smaller set of true params gives it (every subset tried); false: none
    /// of them can be made false alone.
    pub needed_minimal: bool,
    /// Those of `true_params` an assumption needs (each made false alone breaks one).
    pub required_params: Vec<String>,
    /// The assignment of the claim's leading quantifier the scenario fails (an `always`
    /// claim) or holds (a `possible` one) for, variable to agency.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub instance: serde_json::Map<String, serde_json::Value>,
    /// How many ground params the side has (none: there is only one scenario).
    #[serde(skip)]
    pub param_count: usize,
    pub paths: Vec<Vec<ShownStep>>,
    /// What people read for each true param that has a label (its `{v}` filled in).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub param_labels: BTreeMap<String, String>,
}

/// A reading, by name, with its label where it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ShownReading {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The assumptions added to and removed from one reading (a reading on one side only
/// has all its assumptions added or removed).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ReadingAssumptions {
    pub reading: ShownReading,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A rule, as the user wrote it.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ShownRule {
    pub file: String,
    pub line: usize,
    pub text: String,
}

/// A rule edit: the rules of a slot replaced.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ShownEdit {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    pub slot: String,
    pub old: Vec<ShownRule>,
    pub new: Vec<ShownRule>,
}

#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct Diff {
    pub flows_added: Vec<EdgeChange>,
    pub flows_removed: Vec<EdgeChange>,
    pub conditions_changed: Vec<EdgeChange>,
    pub optouts_added: Vec<String>,
    pub optouts_removed: Vec<String>,
    pub optouts_changed: Vec<String>,
    pub assumptions_added: Vec<String>,
    pub assumptions_removed: Vec<String>,
    /// Readings, matched by name, on one side only.
    pub readings_added: Vec<ShownReading>,
    pub readings_removed: Vec<ShownReading>,
    /// For each reading whose assumptions differ: those added and removed.
    pub reading_assumptions: Vec<ReadingAssumptions>,
    /// Every rule edit, by slot; `None` (with `edits_note`) when the versions declare
    /// different agencies, kinds or data, so rules cannot be carried across.
    pub edits: Option<Vec<ShownEdit>>,
    pub edits_note: Option<String>,
    pub verdicts: Vec<VerdictChange>,
}

fn text(sources: &SourceMap, span: Span) -> String {
    let raw = sources
        .get(span.file)
        .and_then(|f| f.text.get(span.range()))
        .unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every ground flow instance with the conditions of the rules that make it.
fn edges(model: &Model, sources: &SourceMap) -> BTreeMap<EdgeKey, BTreeSet<String>> {
    let graph = FlowGraph::new(model);
    let mut out: BTreeMap<EdgeKey, BTreeSet<String>> = BTreeMap::new();
    for e in graph.graph.edge_indices() {
        let Some((a, b)) = graph.graph.edge_endpoints(e) else {
            continue;
        };
        let inst = &graph.graph[e];
        let rule = &model.flows[inst.rule];
        let key = (
            model.data_name(inst.data).to_owned(),
            model.agency(graph.graph[a]).name.clone(),
            model.agency(graph.graph[b]).name.clone(),
            inst.origin
                .map_or_else(|| "*".to_owned(), |o| model.agency(o).name.clone()),
        );
        let cond = rule
            .guard
            .as_ref()
            .map_or_else(|| "always".to_owned(), |g| text(sources, g.span));
        out.entry(key).or_default().insert(cond);
    }
    out
}

fn change(
    model: &Model,
    key: &EdgeKey,
    before: Option<&BTreeSet<String>>,
    after: Option<&BTreeSet<String>>,
) -> EdgeChange {
    let agency = |name: &str| {
        model
            .agencies
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.label.clone())
    };
    EdgeChange {
        labels: StepLabels {
            data: model
                .data
                .iter()
                .find(|d| d.name == key.0)
                .and_then(|d| d.label.clone()),
            from: agency(&key.1),
            to: agency(&key.2),
            origin: agency(&key.3),
            derived_from: None,
        },
        data: key.0.clone(),
        from: key.1.clone(),
        to: key.2.clone(),
        origin: key.3.clone(),
        before: before
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default(),
        after: after
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default(),
    }
}

fn shown_edit(e: &Edit, old: &Verified, new: &Verified) -> ShownEdit {
    let rules = |v: &Verified, refs: &[RuleRef]| -> Vec<ShownRule> {
        let Some(m) = v.checked.model.as_ref() else {
            return Vec::new();
        };
        refs.iter()
            .map(|r| {
                let span = r.info(m).span;
                ShownRule {
                    file: v.checked.sources.path(span.file).display().to_string(),
                    line: v.checked.sources.line(span),
                    text: text(&v.checked.sources, span),
                }
            })
            .collect()
    };
    // an assumption's slot is its formula (and its reading's name): show it as written
    let written = |v: &Verified, r: &RuleRef| {
        let f = r.formula(v.checked.model.as_ref()?)?;
        Some(text(&v.checked.sources, f.span))
    };
    let slot = edits::assumption(&e.slot).and_then(|(reading, _)| {
        let formula = match (e.old.first(), e.new.first()) {
            (Some(r), _) => written(old, r),
            (None, Some(r)) => written(new, r),
            (None, None) => None,
        }?;
        Some(edits::assume_slot(reading, &formula))
    });
    ShownEdit {
        change: e.change(),
        slot: slot.unwrap_or_else(|| e.slot.clone()),
        old: rules(old, &e.old),
        new: rules(new, &e.new),
    }
}

fn shown_witness(v: &Verified, claim: &str, w: &Witness) -> Option<ShownWitness> {
    let m = v.model()?;
    let labelled = |i: usize| {
        v.params()
            .and_then(|p| p.list.get(i))
            .is_some_and(|(p, _)| m.param(*p).label.is_some())
    };
    let names = |set: &[usize]| set.iter().map(|i| v.param_name(*i)).collect::<Vec<_>>();
    let instance = m
        .claims
        .iter()
        .find(|c| c.name == claim)
        .map(|c| {
            w.instance
                .iter()
                .map(|(var, a)| {
                    (
                        c.info.var(*var).name.clone(),
                        serde_json::Value::String(m.agency(*a).name.clone()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ShownWitness {
        params: w
            .params
            .iter()
            .enumerate()
            .map(|(i, value)| (v.param_name(i), serde_json::Value::Bool(*value)))
            .collect(),
        true_params: names(&w.needed),
        needed_minimal: w.minimal,
        required_params: names(&w.required),
        instance,
        param_count: w.params.len(),
        paths: w
            .paths
            .iter()
            .map(|p| p.shown(m, &v.checked.sources, v.params()))
            .collect(),
        param_labels: w
            .needed
            .iter()
            .filter(|i| labelled(**i))
            .map(|i| (v.param_name(*i), v.param_shown(*i)))
            .collect(),
    })
}

fn shown_reading(r: &crate::model::Reading) -> ShownReading {
    ShownReading {
        name: r.name.clone(),
        label: r.label.clone(),
    }
}

/// The readings on one side only, and the assumptions each reading gains or loses.
fn readings(d: &mut Diff, (a, sa): (&Model, &SourceMap), (b, sb): (&Model, &SourceMap)) {
    let named = |m: &Model, name: &str| m.readings.iter().find(|r| r.name == name).cloned();
    d.readings_added = b
        .readings
        .iter()
        .filter(|r| named(a, &r.name).is_none())
        .map(shown_reading)
        .collect();
    d.readings_removed = a
        .readings
        .iter()
        .filter(|r| named(b, &r.name).is_none())
        .map(shown_reading)
        .collect();
    let assumes = |r: Option<&crate::model::Reading>, s: &SourceMap| -> BTreeSet<String> {
        r.map(|r| r.assumes.iter().map(|x| text(s, x.formula.span)).collect())
            .unwrap_or_default()
    };
    // the new version's readings in order, then those only in the old one
    let both = b
        .readings
        .iter()
        .chain(a.readings.iter().filter(|r| named(b, &r.name).is_none()));
    for r in both {
        let (before, after) = (named(a, &r.name), named(b, &r.name));
        let (xa, xb) = (assumes(before.as_ref(), sa), assumes(after.as_ref(), sb));
        let added: Vec<String> = xb.difference(&xa).cloned().collect();
        let removed: Vec<String> = xa.difference(&xb).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            d.reading_assumptions.push(ReadingAssumptions {
                reading: shown_reading(r),
                added,
                removed,
            });
        }
    }
}

/// Compares two verified versions (both must have checked). `options` limits the
/// solver on the hybrids the edit search decides.
pub fn diff(old: &Verified, new: &Verified, options: &Options) -> Option<Diff> {
    let (a, b) = (old.checked.model.as_ref()?, new.checked.model.as_ref()?);
    let (sa, sb) = (&old.checked.sources, &new.checked.sources);
    let (ea, eb) = (edges(a, sa), edges(b, sb));
    let mut d = Diff::default();
    for (k, v) in &eb {
        match ea.get(k) {
            None => d.flows_added.push(change(b, k, None, Some(v))),
            Some(w) if w != v => d.conditions_changed.push(change(b, k, Some(w), Some(v))),
            Some(_) => {}
        }
    }
    for (k, v) in &ea {
        if !eb.contains_key(k) {
            d.flows_removed.push(change(a, k, Some(v), None));
        }
    }
    let optouts = |m: &Model, s: &SourceMap| -> BTreeMap<String, String> {
        m.optouts
            .iter()
            .map(|o| (m.param(o.param).name.clone(), text(s, o.info.span)))
            .collect()
    };
    let (oa, ob) = (optouts(a, sa), optouts(b, sb));
    for (name, t) in &ob {
        match oa.get(name) {
            None => d.optouts_added.push(name.clone()),
            Some(u) if u != t => d.optouts_changed.push(name.clone()),
            Some(_) => {}
        }
    }
    d.optouts_removed = oa
        .keys()
        .filter(|n| !ob.contains_key(*n))
        .cloned()
        .collect();
    let assumes = |m: &Model, s: &SourceMap| -> BTreeSet<String> {
        m.assumes.iter().map(|x| text(s, x.formula.span)).collect()
    };
    let (aa, ab) = (assumes(a, sa), assumes(b, sb));
    d.assumptions_added = ab.difference(&aa).cloned().collect();
    d.assumptions_removed = aa.difference(&ab).cloned().collect();
    readings(&mut d, (a, sa), (b, sb));
    let hybrid = match Hybrid::new(a, b) {
        Ok(h) => {
            d.edits = Some(h.edits().iter().map(|e| shown_edit(e, old, new)).collect());
            Some(h)
        }
        Err(e) => {
            d.edits_note = Some(format!(
                "rule edits are not compared because {e}; the flip of a verdict is not traced to edits"
            ));
            None
        }
    };
    verdicts::compare(&mut d, old, new, hybrid.as_ref(), options);
    Some(d)
}

/// A version checked together with a separate file of claims, as if a file beside the
/// version imported both; the names of the claims that file states. `Err` with a plain
/// message when the paths cannot be imported that way.
pub fn with_claims(
    version: &std::path::Path,
    claims: &std::path::Path,
    options: &Options,
) -> Result<(crate::check::Checked, Vec<String>), String> {
    let canonical = |p: &std::path::Path| {
        std::fs::canonicalize(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let (v, c) = (canonical(version)?, canonical(claims)?);
    // the imagined file sits in the deepest directory holding both, so that both
    // imports stay inside the directory it is checked from
    let mut dir = v
        .parent()
        .unwrap_or(std::path::Path::new("/"))
        .to_path_buf();
    while !c.starts_with(&dir) {
        if !dir.pop() {
            break;
        }
    }
    let rel =
        |p: &std::path::Path| pathdiff::diff_paths(p, &dir).unwrap_or_else(|| p.to_path_buf());
    let (rel_v, rel_c) = (rel(&v), rel(&c));
    let quoted = |p: &std::path::Path| -> Result<String, String> {
        let s = p
            .to_str()
            .ok_or_else(|| format!("{} is not valid UTF-8", p.display()))?;
        if s.contains(['"', '\\', '\n']) {
            return Err(format!(
                "{} cannot be imported: its path contains a quote, backslash or line break",
                p.display()
            ));
        }
        Ok(format!("import \"{s}\";\n"))
    };
    let text = format!("{}{}", quoted(&rel_v)?, quoted(&rel_c)?);
    let name = format!(
        "{} + {}",
        v.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        c.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    );
    let mut checked =
        crate::check::check_text_with(&dir.join(name), &text, &options.limits, &options.evidence);
    // each file is shown relative to the current directory, as the command line names
    // them, rather than under the imagined file's absolute directory
    if let Ok(cwd) = std::env::current_dir() {
        let ids: Vec<crate::span::FileId> = checked.sources.iter().map(|(id, _)| id).collect();
        for id in ids {
            let path = checked.sources.path(id).to_path_buf();
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if let Some(shown) = pathdiff::diff_paths(&real, &cwd) {
                checked.sources.set_path(id, shown);
            }
        }
    }
    let file = checked
        .sources
        .iter()
        .find(|(_, f)| std::fs::canonicalize(&f.path).is_ok_and(|p| p == c))
        .map(|(id, _)| id);
    let names = match (&checked.model, file) {
        (Some(m), Some(file)) => m
            .claims
            .iter()
            .filter(|cl| cl.info.span.file == file)
            .map(|cl| cl.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    Ok((checked, names))
}

/// Why `--claims FILE` cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(
    code(flowproof::usage::claims_file),
    help(
        "`--claims FILE` names a policy file whose claims use the names both versions declare; it is read as if a file beside each version imported the version and FILE"
    )
)]
pub struct ClaimsFileError {
    message: String,
}

/// One version to compare, verified: the file as it is, or with `claims` (the claims of
/// that file instead of its own, see [`with_claims`]).
pub fn version(
    path: &std::path::Path,
    claims: Option<&std::path::Path>,
    options: &Options,
) -> Result<Verified, crate::diagnostic::Diagnostic> {
    use crate::verify::{Engine, verify_checked, verify_file};
    let Some(claims) = claims else {
        return Ok(verify_file(path, options, Engine::Z3));
    };
    let fail =
        |message: String| crate::diagnostic::Diagnostic::without_file(ClaimsFileError { message });
    let (checked, names) = with_claims(path, claims, options).map_err(fail)?;
    if names.is_empty() && !checked.has_errors() {
        return Err(fail(format!("{} states no claim", claims.display())));
    }
    let options = Options {
        claims: names,
        ..options.clone()
    };
    Ok(verify_checked(checked, &options, Engine::Z3))
}
