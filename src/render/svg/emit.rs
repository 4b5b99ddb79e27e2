//! Step 6, the document: the placed layout → the complete SVG: its size, title and
//! caption, the picture, and the legend (line styles, then every key with its text
//! and rules).

use super::draw::{arrow_head, emit_edges, emit_groups, emit_labels, emit_nodes, text_el};
use super::input::Input;
use super::keys::format_rules;
use super::layout::Layout;
use super::metrics::{N, clip, text_w, tip, wrap};
use super::{BLOCKED_INK, EDGE_INK, RED, SMALL_FS};
use crate::render::graph::{View, escape};
use std::fmt::Write as _;

const FONT: &str = "Helvetica, Arial, sans-serif";
const TITLE_FS: f64 = 18.0;
const CAPTION_FS: f64 = 13.0;
const LEGEND_FS: f64 = 12.0;
const MARGIN: f64 = 24.0;
const MAX_LEGEND_TEXT: usize = 160;

/// Writes the whole document into `out`.
pub(super) fn emit(out: &mut String, view: &View, input: &Input, lay: &Layout) {
    let keys = &input.keys;
    let drawn = || lay.routes.iter().filter_map(|r| view.edges.get(r.edge));
    let any_hl_edge = drawn().any(|e| e.highlight);
    let any_blocked = drawn().any(|e| e.blocked);
    let any_hl_node = view.nodes.iter().any(|n| n.highlight);

    // Legend entries (measured first: they can set the width).
    let entries: Vec<(String, String, String, bool)> = keys
        .entries
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                format!("[{}]", i + 1),
                clip(&k.text, MAX_LEGEND_TEXT),
                format_rules(&k.rules),
                k.highlight,
            )
        })
        .collect();
    let entry_w: Vec<f64> = entries
        .iter()
        .map(|(k, t, r, _)| {
            text_w(k, LEGEND_FS, true)
                + text_w(t, LEGEND_FS, false)
                + text_w(r, LEGEND_FS - 1.0, false)
                + 24.0
        })
        .collect();
    let max_entry = entry_w.iter().copied().fold(0.0, f64::max);

    let content_w = lay.width.max(640.0);
    let title_lines = wrap(&view.title, (content_w / (TITLE_FS * 0.62)) as usize, 6);
    let caption_lines = view
        .caption
        .as_deref()
        .map(|c| wrap(c, (content_w / (CAPTION_FS * 0.58)) as usize, 12))
        .unwrap_or_default();
    let title_w = title_lines
        .iter()
        .map(|t| text_w(t, TITLE_FS, true))
        .fold(0.0, f64::max);
    let caption_w = caption_lines
        .iter()
        .map(|t| text_w(t, CAPTION_FS, false))
        .fold(0.0, f64::max);
    let inner_w = content_w
        .max(title_w)
        .max(caption_w)
        .max(max_entry.min(2400.0));

    let mut y = MARGIN;
    let mut header = String::new();
    for t in &title_lines {
        y += TITLE_FS * 1.3;
        text_el(
            &mut header,
            MARGIN,
            y - 5.0,
            TITLE_FS,
            r##" font-weight="bold" fill="#000""##,
            t,
        );
    }
    for t in &caption_lines {
        y += CAPTION_FS * 1.35;
        text_el(
            &mut header,
            MARGIN,
            y - 4.0,
            CAPTION_FS,
            r##" fill="#222""##,
            t,
        );
    }
    let graph_top = y + 24.0;
    let graph_left = MARGIN + ((inner_w - lay.width) / 2.0).max(0.0);
    let mut legend_y = graph_top + lay.height + 36.0;
    if lay.n_real == 0 {
        legend_y = graph_top;
    }

    // Legend layout: columns of equal width.
    let col_w = (max_entry + 28.0).min(inner_w).max(120.0);
    let cols = ((inner_w + 28.0) / col_w).floor().max(1.0) as usize;
    let rows = entries.len().div_ceil(cols);
    let style_row = any_hl_edge
        || any_blocked
        || any_hl_node
        || !lay.groups.is_empty()
        || !lay.routes.is_empty();
    let mut legend_h = 0.0;
    if style_row {
        legend_h += 34.0;
    }
    if !entries.is_empty() {
        legend_h += 26.0 + rows as f64 * (LEGEND_FS * 1.5);
    }
    let total_w = (inner_w + 2.0 * MARGIN).ceil();
    let total_h = (legend_y + legend_h + MARGIN).ceil();

    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" role="img">"#,
        w = N(total_w),
        h = N(total_h)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&tip(&view.title)));
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#fff"/>"##,
        N(total_w),
        N(total_h)
    );
    out.push_str(&header);
    if lay.n_real == 0 {
        text_el(
            out,
            MARGIN,
            graph_top,
            SMALL_FS + 1.0,
            r##" fill="#555""##,
            "(no agencies)",
        );
    }

    let _ = writeln!(
        out,
        r#"<g transform="translate({} {})">"#,
        N(graph_left),
        N(graph_top)
    );
    emit_groups(out, view, lay);
    emit_edges(out, view, lay);
    emit_nodes(out, view, input, lay);
    emit_labels(out, view, lay);
    out.push_str("</g>\n");

    // Legend.
    let mut y = legend_y;
    if style_row {
        let mut x = MARGIN;
        let sy = y + 10.0;
        let mut sample = |out: &mut String, stroke: &str, width: f64, dash: bool, text: &str| {
            let dash_attr = if dash {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<path d="M{} {}H{}" stroke="{stroke}" stroke-width="{}" fill="none"{dash_attr}/>"#,
                N(x),
                N(sy),
                N(x + 34.0),
                N(width)
            );
            arrow_head(out, x + 42.0, sy, 1.0, width, stroke);
            text_el(
                out,
                x + 48.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                text,
            );
            x += 48.0 + text_w(text, LEGEND_FS - 1.0, false) + 26.0;
        };
        if !lay.routes.is_empty() {
            sample(out, EDGE_INK, 1.3, false, "flow");
        }
        if any_hl_edge {
            sample(out, RED, 3.0, false, "on the highlighted path");
        }
        if any_blocked {
            sample(out, BLOCKED_INK, 1.3, true, "blocked in this scenario");
        }
        if any_hl_node {
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#fdf0ee" stroke="{RED}" stroke-width="3"/>"##,
                N(x),
                N(sy - 7.0)
            );
            text_el(
                out,
                x + 34.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                "agency on the highlighted path",
            );
            x += 34.0 + text_w("agency on the highlighted path", LEGEND_FS - 1.0, false) + 26.0;
        }
        if !lay.groups.is_empty() {
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#eaf0f6" stroke="#aebdcc"/>"##,
                N(x),
                N(sy - 7.0)
            );
            text_el(
                out,
                x + 34.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                "agencies declared in the named agency",
            );
        }
        y += 34.0;
    }
    if !entries.is_empty() {
        text_el(
            out,
            MARGIN,
            y + 14.0,
            LEGEND_FS + 1.0,
            r##" font-weight="bold" fill="#000""##,
            "Edge labels: [key] data when condition (rules)",
        );
        y += 26.0;
        for (i, (k, t, r, hl)) in entries.iter().enumerate() {
            let (c, row) = (i / rows.max(1), i % rows.max(1));
            let ex = MARGIN + c as f64 * col_w;
            let ey = y + row as f64 * (LEGEND_FS * 1.5) + LEGEND_FS;
            let key_attr = if *hl {
                format!(r#" fill="{RED}" text-decoration="underline""#)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="{}" fill="#111"><tspan font-weight="bold"{key_attr}>{}</tspan> {}<tspan fill="#555" font-size="{}"> ({})</tspan></text>"##,
                N(ex),
                N(ey),
                N(LEGEND_FS),
                escape(k),
                escape(t),
                N(LEGEND_FS - 1.0),
                escape(r)
            );
        }
    }
    out.push_str("</svg>\n");
}
