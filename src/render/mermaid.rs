//! The view as a Mermaid flowchart: agencies that contain others become subgraphs,
//! the highlighted path is styled, blocked flows are dotted.

use std::fmt::Write;

use crate::render::graph::View;

/// A Mermaid label: quoted, with the characters Mermaid would read as syntax written
/// as its entity codes.
fn label(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The whole view as one `flowchart LR`.
pub fn render(view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", label(&view.title));
    let _ = writeln!(out, "flowchart LR");
    let has_children: Vec<bool> = (0..view.nodes.len())
        .map(|i| view.nodes.iter().any(|n| n.parent == Some(i)))
        .collect();
    for (i, n) in view.nodes.iter().enumerate() {
        if n.parent.is_none() {
            write_node(&mut out, view, &has_children, i, 1);
        }
    }
    let mut highlighted = Vec::new();
    for (k, e) in view.edges.iter().enumerate() {
        let text: Vec<String> = e
            .lines
            .iter()
            .map(crate::render::graph::EdgeLine::text)
            .collect();
        let arrow = if e.blocked { "-.->" } else { "-->" };
        let _ = writeln!(
            out,
            "  n{} {arrow}|{}| n{}",
            e.from,
            label(&text.join("\n")),
            e.to
        );
        if e.highlight {
            highlighted.push(k.to_string());
        }
    }
    let on: Vec<String> = view
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.highlight)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !on.is_empty() {
        let _ = writeln!(
            out,
            "  classDef onpath stroke:#c0392b,stroke-width:3px,color:#c0392b"
        );
        let _ = writeln!(out, "  class {} onpath", on.join(","));
    }
    if !highlighted.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#c0392b,stroke-width:3px,color:#c0392b",
            highlighted.join(",")
        );
    }
    out
}

fn write_node(out: &mut String, view: &View, has_children: &[bool], i: usize, depth: usize) {
    let pad = "  ".repeat(depth);
    let n = &view.nodes[i];
    let mut lines = vec![n.shown().to_owned(), format!("({})", n.kind_shown())];
    lines.extend(n.notes.iter().cloned());
    if has_children[i] {
        let _ = writeln!(out, "{pad}subgraph g{i} [{}]", label(n.shown()));
        let _ = writeln!(out, "{pad}  n{i}[{}]", label(&lines.join("\n")));
        for (j, child) in view.nodes.iter().enumerate() {
            if child.parent == Some(i) {
                write_node(out, view, has_children, j, depth + 1);
            }
        }
        let _ = writeln!(out, "{pad}end");
    } else {
        let _ = writeln!(out, "{pad}n{i}[{}]", label(&lines.join("\n")));
    }
}
