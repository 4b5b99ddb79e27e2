//! The view as Graphviz DOT: agencies that contain others become clusters (the agency
//! itself is a node inside its cluster), flows are edges with one label line each. The
//! same DOT, with the shorter texts and fixed box sizes of the SVG picture, is what
//! `dot` lays out for [`super::svg`].

use std::fmt::Write;

use crate::render::graph::View;

/// A DOT string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node_label(view: &View, i: usize) -> String {
    let n = &view.nodes[i];
    let mut lines = vec![n.shown().to_owned(), format!("({})", n.kind_shown())];
    lines.extend(n.notes.iter().cloned());
    lines.join("\n")
}

/// The texts and sizes of a picture drawn from `dot`'s layout: per node its label
/// lines and fixed size (in points), per edge its label lines.
pub(crate) struct Shown {
    pub(crate) nodes: Vec<(Vec<String>, f64, f64)>,
    pub(crate) edges: Vec<Vec<String>>,
    pub(crate) node_fontsize: f64,
    pub(crate) edge_fontsize: f64,
    pub(crate) cluster_fontsize: f64,
}

/// The whole view as one `digraph`.
pub fn render(view: &View) -> String {
    write(view, None)
}

/// The view as a `digraph` for `dot` to lay out, with the given texts and sizes and
/// without a title.
pub(crate) fn render_for_layout(view: &View, shown: &Shown) -> String {
    write(view, Some(shown))
}

fn write(view: &View, shown: Option<&Shown>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph flowproof {{");
    if let Some(s) = shown {
        let _ = writeln!(out, "  rankdir=LR;");
        let _ = writeln!(
            out,
            "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize={}, fixedsize=true];",
            s.node_fontsize
        );
        let _ = writeln!(
            out,
            "  edge [fontname=\"Helvetica\", fontsize={}];",
            s.edge_fontsize
        );
        let _ = writeln!(
            out,
            "  graph [fontname=\"Helvetica\", fontsize={}];",
            s.cluster_fontsize
        );
    } else {
        let _ = writeln!(out, "  label={};", quote(&view.title));
        let _ = writeln!(out, "  labelloc=t;");
        let _ = writeln!(out, "  rankdir=LR;");
        let _ = writeln!(
            out,
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"
        );
        let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    }
    let has_children: Vec<bool> = (0..view.nodes.len())
        .map(|i| view.nodes.iter().any(|n| n.parent == Some(i)))
        .collect();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.parent.is_none() {
            write_node(&mut out, view, shown, &has_children, i, 1);
        }
    }
    for (k, e) in view.edges.iter().enumerate() {
        let label: Vec<String> = match shown {
            Some(s) => s.edges.get(k).cloned().unwrap_or_default(),
            None => e
                .lines
                .iter()
                .map(crate::render::graph::EdgeLine::text)
                .collect(),
        };
        let mut attrs = vec![format!("label={}", quote(&label.join("\n")))];
        if e.highlight {
            attrs.push("color=\"#c0392b\"".to_owned());
            attrs.push("fontcolor=\"#c0392b\"".to_owned());
            attrs.push("penwidth=2.5".to_owned());
        }
        if e.blocked {
            attrs.push("style=dashed".to_owned());
        }
        let _ = writeln!(out, "  n{} -> n{} [{}];", e.from, e.to, attrs.join(", "));
    }
    out.push_str("}\n");
    out
}

fn write_node(
    out: &mut String,
    view: &View,
    shown: Option<&Shown>,
    has_children: &[bool],
    i: usize,
    depth: usize,
) {
    let pad = "  ".repeat(depth);
    let n = &view.nodes[i];
    let mut attrs = match shown.and_then(|s| s.nodes.get(i)) {
        Some((lines, w, h)) => vec![
            format!("label={}", quote(&lines.join("\n"))),
            format!("width={:.3}, height={:.3}", w / 72.0, h / 72.0),
        ],
        None => vec![format!("label={}", quote(&node_label(view, i)))],
    };
    if n.highlight {
        attrs.push("color=\"#c0392b\"".to_owned());
        attrs.push("penwidth=2.5".to_owned());
    }
    if has_children[i] {
        let _ = writeln!(out, "{pad}subgraph cluster_{i} {{");
        let _ = writeln!(out, "{pad}  label={};", quote(n.shown()));
        let _ = writeln!(out, "{pad}  style=rounded; color=\"#999999\";");
        let _ = writeln!(out, "{pad}  n{i} [{}];", attrs.join(", "));
        for (j, child) in view.nodes.iter().enumerate() {
            if child.parent == Some(i) {
                write_node(out, view, shown, has_children, j, depth + 1);
            }
        }
        let _ = writeln!(out, "{pad}}}");
    } else {
        let _ = writeln!(out, "{pad}n{i} [{}];", attrs.join(", "));
    }
}
