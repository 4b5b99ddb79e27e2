//! The difference between two versions of a policy: their ground flow graphs (flow
//! instances added, removed, or with changed conditions), their opt-outs and
//! assumptions, and every claim whose verdict differs.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ground::FlowGraph;
use crate::model::Model;
use crate::source::SourceMap;
use crate::span::Span;
use crate::verify::Verified;

/// A flow instance, by names: data, from, to, and the origin it is limited to (`*`: any).
pub type EdgeKey = (String, String, String, String);

#[derive(Clone, Debug, Serialize)]
pub struct EdgeChange {
    pub data: String,
    pub from: String,
    pub to: String,
    pub origin: String,
    /// The rule conditions before and after (`always` for a rule without `when`).
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerdictChange {
    pub claim: String,
    pub before: String,
    pub after: String,
    /// The side whose witness refutes an `always` claim or proves a `possible` one.
    pub witness_side: Option<&'static str>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Diff {
    pub flows_added: Vec<EdgeChange>,
    pub flows_removed: Vec<EdgeChange>,
    pub conditions_changed: Vec<EdgeChange>,
    pub optouts_added: Vec<String>,
    pub optouts_removed: Vec<String>,
    pub optouts_changed: Vec<String>,
    pub assumptions_added: Vec<String>,
    pub assumptions_removed: Vec<String>,
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
    key: &EdgeKey,
    before: Option<&BTreeSet<String>>,
    after: Option<&BTreeSet<String>>,
) -> EdgeChange {
    EdgeChange {
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

/// Compares two verified versions (both must have checked).
pub fn diff(old: &Verified, new: &Verified) -> Option<Diff> {
    let (a, b) = (old.checked.model.as_ref()?, new.checked.model.as_ref()?);
    let (sa, sb) = (&old.checked.sources, &new.checked.sources);
    let (ea, eb) = (edges(a, sa), edges(b, sb));
    let mut d = Diff::default();
    for (k, v) in &eb {
        match ea.get(k) {
            None => d.flows_added.push(change(k, None, Some(v))),
            Some(w) if w != v => d.conditions_changed.push(change(k, Some(w), Some(v))),
            Some(_) => {}
        }
    }
    for (k, v) in &ea {
        if !eb.contains_key(k) {
            d.flows_removed.push(change(k, Some(v), None));
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
    for o in &new.outcomes {
        let claim = &b.claims[o.claim];
        let Some(before) = old
            .outcomes
            .iter()
            .find(|p| a.claims[p.claim].name == claim.name)
        else {
            continue;
        };
        let word = |x: &crate::solve::verdict::ClaimOutcome| {
            if x.vacuous.is_some() {
                "proved vacuously".to_owned()
            } else {
                x.verdict.word().to_owned()
            }
        };
        if word(before) != word(o) {
            let witness_side = if o.witness.is_some() {
                Some("new")
            } else if before.witness.is_some() {
                Some("old")
            } else {
                None
            };
            d.verdicts.push(VerdictChange {
                claim: claim.name.clone(),
                before: word(before),
                after: word(o),
                witness_side,
            });
        }
    }
    Some(d)
}

/// The difference as text.
pub fn render(d: &Diff) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let edge = |c: &EdgeChange| {
        let origin = if c.origin == "*" {
            String::new()
        } else {
            format!(" (data of {})", c.origin)
        };
        format!("{}: {} -> {}{origin}", c.data, c.from, c.to)
    };
    let section = |out: &mut String, title: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(out, "{title}:");
            for i in items {
                let _ = writeln!(out, "  {i}");
            }
        }
    };
    section(
        &mut out,
        "flows added",
        d.flows_added
            .iter()
            .map(|c| format!("{} when {}", edge(c), c.after.join(" or ")))
            .collect(),
    );
    section(
        &mut out,
        "flows removed",
        d.flows_removed
            .iter()
            .map(|c| format!("{} (was when {})", edge(c), c.before.join(" or ")))
            .collect(),
    );
    section(
        &mut out,
        "conditions changed",
        d.conditions_changed
            .iter()
            .map(|c| {
                format!(
                    "{}: when {}  ->  when {}",
                    edge(c),
                    c.before.join(" or "),
                    c.after.join(" or ")
                )
            })
            .collect(),
    );
    section(&mut out, "opt-outs added", d.optouts_added.clone());
    section(&mut out, "opt-outs removed", d.optouts_removed.clone());
    section(&mut out, "opt-outs changed", d.optouts_changed.clone());
    section(&mut out, "assumptions added", d.assumptions_added.clone());
    section(
        &mut out,
        "assumptions removed",
        d.assumptions_removed.clone(),
    );
    section(
        &mut out,
        "verdicts that differ",
        d.verdicts
            .iter()
            .map(|v| {
                let side = v
                    .witness_side
                    .map(|s| {
                        format!(
                            " (scenario on the {s} side: `flowproof verify --claim {}`)",
                            v.claim
                        )
                    })
                    .unwrap_or_default();
                format!("{}: {} -> {}{side}", v.claim, v.before, v.after)
            })
            .collect(),
    );
    if out.is_empty() {
        out.push_str("no difference in flows, opt-outs, assumptions or verdicts\n");
    }
    out
}
