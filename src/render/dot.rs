//! The view as Graphviz DOT: agencies that contain others become clusters (the agency
//! itself is a node inside its cluster), flows are edges with one label line each.

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

/// The whole view as one `digraph`.
pub fn render(view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph flowproof {{");
    let _ = writeln!(out, "  label={};", quote(&view.title));
    let _ = writeln!(out, "  labelloc=t;");
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    let has_children: Vec<bool> = (0..view.nodes.len())
        .map(|i| view.nodes.iter().any(|n| n.parent == Some(i)))
        .collect();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.parent.is_none() {
            write_node(&mut out, view, &has_children, i, 1);
        }
    }
    for e in &view.edges {
        let label: Vec<String> = e
            .lines
            .iter()
            .map(crate::render::graph::EdgeLine::text)
            .collect();
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

fn write_node(out: &mut String, view: &View, has_children: &[bool], i: usize, depth: usize) {
    let pad = "  ".repeat(depth);
    let n = &view.nodes[i];
    let mut attrs = vec![format!("label={}", quote(&node_label(view, i)))];
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
                write_node(out, view, has_children, j, depth + 1);
            }
        }
        let _ = writeln!(out, "{pad}}}");
    } else {
        let _ = writeln!(out, "{pad}n{i} [{}];", attrs.join(", "));
    }
}
