//! The words drawn, part of step 1: an agency → the lines in its box (its name,
//! wrapped, its kind, and what flows to itself); an edge → its label (each data once,
//! `*` where only a condition lets it flow) and its tooltip (the conditions in full);
//! the view → its text alternative.

use super::metrics::{clip, text_w, tip, wrap};
use super::{LABEL_LH, NAME_FS, SMALL_FS};
use crate::render::graph::{Edge, Node, View};
use std::fmt::Write as _;

const NAME_CHARS: usize = 24;
const NAME_LINES: usize = 3;
const KIND_CHARS: usize = 34;
const DATA_CHARS: usize = 26;
const DATA_LINES: usize = 2;
const LABEL_LINES: usize = 8;
const MAX_CONDITION: usize = 160;

/// One line of text in a box or a label.
pub(super) struct Line {
    pub(super) text: String,
    /// Its class: name, kind, plain.
    pub(super) kind: LineKind,
    /// On the highlighted path.
    pub(super) hl: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind {
    Name,
    Kind,
    Plain,
}

impl Line {
    pub(super) fn fs(&self) -> f64 {
        match self.kind {
            LineKind::Name => NAME_FS,
            LineKind::Kind | LineKind::Plain => SMALL_FS,
        }
    }

    pub(super) fn height(&self) -> f64 {
        self.fs() * 1.25
    }

    pub(super) fn width(&self) -> f64 {
        text_w(
            &self.text,
            self.fs(),
            self.kind == LineKind::Name || self.hl,
        )
    }
}

/// The lines in an agency's box; `loops` are the edges from it to itself.
pub(super) fn box_lines(node: &Node, loops: &[&Edge]) -> Vec<Line> {
    let mut lines: Vec<Line> = wrap(node.shown(), NAME_CHARS, NAME_LINES)
        .into_iter()
        .map(|text| Line {
            text,
            kind: LineKind::Name,
            hl: false,
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line {
            text: String::new(),
            kind: LineKind::Name,
            hl: false,
        });
    }
    if !node.kind_shown().trim().is_empty() {
        lines.push(Line {
            text: clip(node.kind_shown(), KIND_CHARS),
            kind: LineKind::Kind,
            hl: false,
        });
    }
    if !loops.is_empty() {
        let mut data: Vec<String> = Vec::new();
        for e in loops {
            for (d, cond) in data_of(e) {
                let t = if cond { format!("{d}*") } else { d };
                if !data.contains(&t) {
                    data.push(t);
                }
            }
        }
        lines.push(Line {
            text: clip(&format!("to itself: {}", data.join(", ")), KIND_CHARS + 8),
            kind: LineKind::Plain,
            hl: loops.iter().any(|e| e.highlight),
        });
    }
    lines
}

/// Each data of the edge once, in order, and whether every line of it has a condition.
fn data_of(e: &Edge) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for l in &e.lines {
        let d = l.data_label.as_deref().unwrap_or(&l.data);
        match out.iter_mut().find(|(x, _)| x == d) {
            Some(x) => x.1 &= l.condition.is_some(),
            None => out.push((d.to_owned(), l.condition.is_some())),
        }
    }
    out
}

/// An edge's label: its lines and the size of its box.
pub(super) struct Label {
    pub(super) lines: Vec<Line>,
    pub(super) w: f64,
    pub(super) h: f64,
}

/// The label of an edge, `None` for an edge without lines.
pub(super) fn edge_label(e: &Edge) -> Option<Label> {
    let data = data_of(e);
    if data.is_empty() {
        return None;
    }
    let mut lines: Vec<Line> = Vec::new();
    for (i, (d, cond)) in data.iter().enumerate() {
        let hl = e
            .lines
            .iter()
            .any(|l| l.highlight && l.data_label.as_deref().unwrap_or(&l.data) == d);
        let shown = if d.trim().is_empty() { "?" } else { d.as_str() };
        let mut parts = wrap(shown, DATA_CHARS, DATA_LINES);
        if *cond && let Some(last) = parts.last_mut() {
            last.push('*');
        }
        if lines.len() + parts.len() > LABEL_LINES {
            lines.push(Line {
                text: format!("+{} more", data.len() - i),
                kind: LineKind::Plain,
                hl: false,
            });
            break;
        }
        lines.extend(parts.into_iter().map(|text| Line {
            text,
            kind: LineKind::Plain,
            hl,
        }));
    }
    let w = lines.iter().map(Line::width).fold(0.0, f64::max) + 6.0;
    let h = lines.len() as f64 * LABEL_LH + 3.0;
    Some(Label { lines, w, h })
}

/// The edge's tooltip: the conditions in full, `None` when it has none.
pub(super) fn edge_tip(e: &Edge) -> Option<String> {
    let mut s = String::new();
    for l in &e.lines {
        if let Some(c) = &l.condition {
            if !s.is_empty() {
                s.push('\n');
            }
            let d = l.data_label.as_deref().unwrap_or(&l.data);
            let _ = write!(s, "{d} when {}", clip(c, MAX_CONDITION));
        }
    }
    (!s.is_empty()).then(|| tip(&s))
}

/// The text alternative: the agencies and the flows, in words.
pub(super) fn description(view: &View, drawn_edges: usize) -> String {
    let mut s = String::new();
    let n = view.nodes.len();
    let _ = write!(
        s,
        "{n} agenc{} and {drawn_edges} flow{}",
        if n == 1 { "y" } else { "ies" },
        if drawn_edges == 1 { "" } else { "s" }
    );
    if n > 0 {
        s.push_str(". Agencies: ");
        let mut listed = 0;
        for (i, node) in view.nodes.iter().enumerate() {
            let top = node.parent.is_none_or(|p| p == i || p >= n);
            if !top {
                continue;
            }
            if listed > 0 {
                s.push_str("; ");
            }
            s.push_str(&clip(node.shown(), 60));
            let inside: Vec<String> = view
                .nodes
                .iter()
                .enumerate()
                .filter(|&(j, c)| j != i && c.parent == Some(i))
                .map(|(_, c)| clip(c.shown(), 60))
                .take(100)
                .collect();
            if !inside.is_empty() {
                let _ = write!(s, " (with {} in it)", inside.join(", "));
            }
            listed += 1;
            if listed >= 200 {
                s.push_str("; …");
                break;
            }
        }
    }
    let mut data: Vec<&str> = Vec::new();
    for e in &view.edges {
        for l in &e.lines {
            let d = l.data_label.as_deref().unwrap_or(&l.data);
            if !data.contains(&d) {
                data.push(d);
            }
        }
    }
    if !data.is_empty() {
        s.push_str(". Data that flows: ");
        let shown: Vec<String> = data.iter().take(100).map(|d| clip(d, 60)).collect();
        s.push_str(&shown.join(", "));
    }
    let path: Vec<String> = view
        .edges
        .iter()
        .filter(|e| e.highlight)
        .filter_map(|e| {
            Some(format!(
                "{} to {}",
                clip(view.nodes.get(e.from)?.shown(), 60),
                clip(view.nodes.get(e.to)?.shown(), 60)
            ))
        })
        .take(50)
        .collect();
    if !path.is_empty() {
        s.push_str(". Highlighted flows: ");
        s.push_str(&path.join("; "));
    }
    if view.edges.iter().any(|e| e.blocked) {
        s.push_str(". Dashed flows are blocked in this scenario");
    }
    s.push('.');
    tip(&s)
}
