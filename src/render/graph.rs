//! The flow graph as a picture: agencies (nested by `in`), the flows between them
//! labelled with data and conditions, and — for a claim with a witness — the path
//! highlighted and the flows its scenario blocks drawn dashed. One view, several
//! renderings: [`super::dot`], [`super::mermaid`], [`super::svg`] (laid out by
//! flowproof, no Graphviz needed) and JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::Checked;
use crate::ground::{FlowGraph, Grounder};
use crate::model::AgencyId;
use crate::span::Span;
use crate::verdict::Witness;

/// What is drawn.
#[derive(Clone, Debug, Default, Serialize, schemars::JsonSchema)]
pub struct View {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// With a claim: what the highlighting shows, in words.
    pub caption: Option<String>,
}

/// An agency. `name` and `kind` are its names; people read its labels where the file
/// gives them ([`Node::shown`], [`Node::kind_shown`]).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Node {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind_label: Option<String>,
    /// The agency it is declared `in` (index into [`View::nodes`]).
    pub parent: Option<usize>,
    /// What happens at it: "collects fingerprints", "derives match from fingerprints".
    pub notes: Vec<String>,
    /// On the witness path.
    pub highlight: bool,
}

/// Flows from one agency to another, one line per data and condition: the open ones,
/// and (as a second edge beside them) those the witness scenario blocks.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub lines: Vec<EdgeLine>,
    /// Some line is on the witness path.
    pub highlight: bool,
    /// The lines are blocked in the witness scenario for the witness paths' origins
    /// (drawn dashed).
    pub blocked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EdgeLine {
    pub data: String,
    /// The data's label, where the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_label: Option<String>,
    /// The rule's condition as written; `None` for an unconditional flow.
    pub condition: Option<String>,
    /// Where the rule is: `file:line`.
    pub rule: String,
    pub highlight: bool,
    /// An opt-out blocks it, in the witness scenario, for the data of an origin the
    /// witness paths start from.
    pub blocked: bool,
}

impl Node {
    /// What people read for the agency: its label, or its name (section 5.2).
    pub fn shown(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }

    /// What people read for its kind.
    pub fn kind_shown(&self) -> &str {
        self.kind_label.as_deref().unwrap_or(&self.kind)
    }
}

impl EdgeLine {
    /// "fingerprints when activated(origin)", with the data's label where it has one
    /// (the condition as written).
    pub fn text(&self) -> String {
        let data = self.data_label.as_deref().unwrap_or(&self.data);
        match &self.condition {
            Some(c) => format!("{data} when {c}"),
            None => data.to_owned(),
        }
    }
}

fn source_text(checked: &Checked, span: Span) -> String {
    checked
        .sources
        .get(span.file)
        .and_then(|f| f.text.get(span.range()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The view of a checked model; with a witness, its paths highlighted and the flows
/// its scenario blocks for those paths' data marked.
pub fn build(checked: &Checked, witness: Option<&Witness>) -> Option<View> {
    let model = checked.model.as_ref()?;
    let graph = FlowGraph::new(model);
    let grounder = Grounder::new(model, &graph);
    let mut nodes: Vec<Node> = model
        .agencies
        .iter()
        .map(|a| Node {
            name: a.name.clone(),
            label: a.label.clone(),
            kind: model.kind(a.kind).name.clone(),
            kind_label: model.kind(a.kind).label.clone(),
            parent: a.parent.map(AgencyId::index),
            notes: Vec::new(),
            highlight: false,
        })
        .collect();
    for c in &graph.collects {
        let note = format!("collects {}", model.data_shown(model.collects[c.rule].data));
        push_unique(&mut nodes[c.at.index()].notes, note);
    }
    for d in &graph.derives {
        let rule = &model.derives[d.rule];
        let note = format!(
            "derives {} from {}",
            model.data_shown(rule.data),
            model.data_shown(rule.from)
        );
        push_unique(&mut nodes[d.at.index()].notes, note);
    }
    // the witness: hops on its paths, and the origins whose data they carry
    let mut on_path: Vec<(AgencyId, AgencyId, String)> = Vec::new();
    let mut origins: Vec<AgencyId> = Vec::new();
    if let Some(w) = witness {
        for p in &w.paths {
            nodes[p.origin.index()].highlight = true;
            nodes[p.at.index()].highlight = true;
            for s in &p.steps {
                nodes[s.from.index()].highlight = true;
                nodes[s.to.index()].highlight = true;
                on_path.push((s.from, s.to, model.data_name(s.data).to_owned()));
            }
            if !origins.contains(&p.origin) {
                origins.push(p.origin);
            }
        }
    }
    let mut edges: BTreeMap<(usize, usize), Vec<EdgeLine>> = BTreeMap::new();
    for e in graph.graph.edge_indices() {
        let Some((a, b)) = graph.graph.edge_endpoints(e) else {
            continue;
        };
        let (x, y) = (graph.graph[a], graph.graph[b]);
        let inst = &graph.graph[e];
        let rule = &model.flows[inst.rule];
        let data = model.data_name(inst.data).to_owned();
        let highlight = on_path.contains(&(x, y, data.clone()));
        let blocked = witness.is_some_and(|w| {
            origins.iter().any(|o| {
                inst.origin.is_none_or(|io| io == *o)
                    && blocks(&grounder, &w.params, inst.data, *o, x, y)
            })
        });
        let line = EdgeLine {
            data,
            data_label: model.data[inst.data.index()].label.clone(),
            condition: rule.guard.as_ref().map(|g| source_text(checked, g.span)),
            rule: format!(
                "{}:{}",
                checked.sources.path(rule.info.span.file).display(),
                checked.sources.line(rule.info.span)
            ),
            highlight,
            blocked,
        };
        let lines = edges.entry((x.index(), y.index())).or_default();
        match lines
            .iter_mut()
            .find(|l| l.data == line.data && l.condition == line.condition)
        {
            Some(l) => {
                l.highlight |= line.highlight;
                l.blocked |= line.blocked;
            }
            None => lines.push(line),
        }
    }
    // lines an opt-out blocks get their own (dashed) edge beside the open ones
    let mut out = Vec::new();
    for ((from, to), lines) in edges {
        let (blocked, open): (Vec<EdgeLine>, Vec<EdgeLine>) =
            lines.into_iter().partition(|l| l.blocked);
        for (lines, blocked) in [(open, false), (blocked, true)] {
            if !lines.is_empty() {
                out.push(Edge {
                    from,
                    to,
                    highlight: lines.iter().any(|l| l.highlight),
                    blocked,
                    lines,
                });
            }
        }
    }
    let edges = out;
    let title = model
        .policy
        .as_ref()
        .map_or_else(|| checked.path.display().to_string(), ToString::to_string);
    Some(View {
        title,
        nodes,
        edges,
        caption: None,
    })
}

impl View {
    /// The part of a claim's view a reader needs: the agencies and flows on the witness
    /// paths, the blocked flows that touch them, and the agencies those sit in. `None`
    /// when nothing is highlighted (no witness).
    pub fn scenario(&self) -> Option<View> {
        let touches = |e: &Edge| self.nodes[e.from].highlight || self.nodes[e.to].highlight;
        let kept_edges: Vec<&Edge> = self
            .edges
            .iter()
            .filter(|e| e.highlight || (e.blocked && touches(e)))
            .collect();
        let mut keep: Vec<bool> = self.nodes.iter().map(|n| n.highlight).collect();
        for e in &kept_edges {
            keep[e.from] = true;
            keep[e.to] = true;
        }
        if !keep.contains(&true) {
            return None;
        }
        // the agencies the kept ones are declared in, so that clusters still show
        for i in 0..self.nodes.len() {
            if keep[i] {
                let mut up = self.nodes[i].parent;
                while let Some(p) = up {
                    keep[p] = true;
                    up = self.nodes[p].parent;
                }
            }
        }
        let mut index = vec![None; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if keep[i] {
                index[i] = Some(nodes.len());
                nodes.push(n.clone());
            }
        }
        for n in &mut nodes {
            n.parent = n.parent.and_then(|p| index[p]);
        }
        let edges = kept_edges
            .into_iter()
            .filter_map(|e| {
                let lines: Vec<EdgeLine> = e
                    .lines
                    .iter()
                    .filter(|l| l.highlight || l.blocked)
                    .cloned()
                    .collect();
                Some(Edge {
                    from: index[e.from]?,
                    to: index[e.to]?,
                    lines,
                    highlight: e.highlight,
                    blocked: e.blocked,
                })
            })
            .collect();
        Some(View {
            title: self.title.clone(),
            nodes,
            edges,
            caption: self.caption.clone(),
        })
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Whether an opt-out blocks data `d` of origin `o` on `x -> y` in the scenario.
fn blocks(
    grounder: &Grounder<'_>,
    params: &[bool],
    d: crate::model::DataId,
    o: AgencyId,
    x: AgencyId,
    y: AgencyId,
) -> bool {
    let prop = grounder.blocked(d, o, x, y);
    let mut mentions_reach = false;
    prop.for_each_reach(&mut |_, _, _| mentions_reach = true);
    // opt-out conditions read params; one that read reachability is not judged here
    !mentions_reach && prop.eval(params, &|_, _, _| false)
}

/// Escapes text for XML and HTML (element content and quoted attributes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The witness a claim's view highlights: the claim's own, or, when the verdict rests on
/// its readings' (a contested claim), the first reading's that has one.
pub fn shown_witness(
    o: &crate::verdict::ClaimOutcome,
) -> Option<(Option<usize>, &crate::verdict::Witness)> {
    match &o.witness {
        Some(w) => Some((None, w)),
        None => o
            .readings
            .iter()
            .find_map(|r| r.witness.as_ref().map(|w| (Some(r.reading), w))),
    }
}

/// What the highlighting of a claim's view shows, in words: the verdict, whose
/// scenario is drawn (in which reading, when `reading` names one), and the scenario.
pub fn caption(
    r: &crate::verify::Verified,
    claim: usize,
    verdict: &crate::verdict::Verdict,
    reading: Option<usize>,
    witness: Option<&crate::verdict::Witness>,
) -> String {
    use crate::model::Mode;
    use crate::verdict::Verdict;
    let Some(model) = r.model() else {
        return String::new();
    };
    let index = claim;
    let claim = &model.claims[index];
    let name = match reading.and_then(|k| model.readings.get(k)) {
        Some(reading) => {
            let label = reading
                .label
                .as_ref()
                .map(|l| format!(" (\"{l}\")"))
                .unwrap_or_default();
            format!("{} in reading {}{label}", claim.name, reading.name)
        }
        None => claim.name.clone(),
    };
    let shown = witness;
    let what = match (verdict, claim.mode, shown.is_some()) {
        (Verdict::Refuted, Mode::Always, true) => {
            "refuted: the counterexample's path is drawn in red"
        }
        (Verdict::Proved, Mode::Possible, true) => "proved: the witness's path is drawn in red",
        (Verdict::Unknown(_), _, _) => "unknown: the solver gave up, nothing is highlighted",
        (_, _, true) => "the scenario's path is drawn in red",
        (_, _, false) => "no path to draw: the verdict rests on no scenario",
    };
    let Some(w) = shown else {
        return format!("claim {name}: {what}");
    };
    let sep = crate::render::param_separator(model);
    let instance = crate::render::instance(model, index, w)
        .map(|i| format!("for {i}: "))
        .unwrap_or_default();
    format!(
        "claim {name}: {what}; the scenario, {instance}{}; flows an opt-out blocks for that data in that scenario are dashed",
        crate::render::scenario(r, w, sep, |s| s)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, parent: Option<usize>, highlight: bool) -> Node {
        Node {
            name: name.to_owned(),
            label: None,
            kind: "k".to_owned(),
            kind_label: None,
            parent,
            notes: Vec::new(),
            highlight,
        }
    }

    fn edge(from: usize, to: usize, highlight: bool, blocked: bool) -> Edge {
        Edge {
            from,
            to,
            lines: vec![EdgeLine {
                data: "d".to_owned(),
                data_label: None,
                condition: None,
                rule: "f.flow:1".to_owned(),
                highlight,
                blocked,
            }],
            highlight,
            blocked,
        }
    }

    #[test]
    fn a_scenario_keeps_its_path_the_blocks_around_it_and_their_containers() {
        // 0 State contains 1 County (on the path); 2 Fed on the path; 3 Other blocked from
        // the county; 4 Far blocked away from the path; 5 Idle
        let view = View {
            title: "t".to_owned(),
            nodes: vec![
                node("State", None, false),
                node("County", Some(0), true),
                node("Fed", None, true),
                node("Other", None, false),
                node("Far", None, false),
                node("Idle", None, false),
            ],
            edges: vec![
                edge(1, 2, true, false),
                edge(1, 3, false, true),
                edge(4, 5, false, true),
                edge(5, 2, false, false),
            ],
            caption: None,
        };
        let s = view.scenario().expect("a path");
        let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["State", "County", "Fed", "Other"]);
        assert_eq!(s.nodes[1].parent, Some(0));
        let pairs: Vec<(usize, usize, bool)> =
            s.edges.iter().map(|e| (e.from, e.to, e.blocked)).collect();
        assert_eq!(pairs, [(1, 2, false), (1, 3, true)]);
        // without a path there is no scenario to draw
        let mut plain = view.clone();
        plain.nodes.iter_mut().for_each(|n| n.highlight = false);
        plain.edges.iter_mut().for_each(|e| e.highlight = false);
        assert!(plain.scenario().is_none());
    }
}
