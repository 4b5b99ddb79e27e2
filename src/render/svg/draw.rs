//! Step 6, drawing: the placed layout → the SVG elements of the picture: group outlines,
//! edges as horizontal runs joined by cubic Béziers, arrowheads, agency boxes and edge
//! keys, each with its tooltip.

use super::input::Input;
use super::layout::{Layout, Route, TextLine};
use super::metrics::{N, clip, tip};
use super::{
    ARROW_LEN, BLOCKED_INK, EDGE_INK, GROUP_LABEL, KEY_FS, KEY_H, MAX_NAME, RED, SMALL_FS,
};
use crate::render::graph::{Edge, View, escape};
use std::fmt::Write as _;

const ARROW_HW: f64 = 4.0;

/// One `<text>` element, its content escaped.
pub(super) fn text_el(out: &mut String, x: f64, y: f64, fs: f64, attrs: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{attrs}>{}</text>"#,
        N(x),
        N(y),
        N(fs),
        escape(content)
    );
}

/// A plain triangle with its tip at (`tip_x`, `tip_y`), pointing right if `dir` is 1
/// and left if -1, larger for thicker strokes.
pub(super) fn arrow_head(
    out: &mut String,
    tip_x: f64,
    tip_y: f64,
    dir: f64,
    stroke_w: f64,
    color: &str,
) {
    let len = ARROW_LEN + (stroke_w - 1.3).max(0.0) * 1.5;
    let hw = ARROW_HW + (stroke_w - 1.3).max(0.0) * 0.8;
    let bx = tip_x - dir * len;
    let _ = writeln!(
        out,
        r#"<path d="M{} {}L{} {}L{} {}Z" fill="{color}"/>"#,
        N(tip_x),
        N(tip_y),
        N(bx),
        N(tip_y - hw),
        N(bx),
        N(tip_y + hw)
    );
}

pub(super) fn emit_groups(out: &mut String, view: &View, lay: &Layout) {
    for g in &lay.groups {
        let fill = if g.depth % 2 == 0 {
            "#edf2f7"
        } else {
            "#e0e8f0"
        };
        let name = view.nodes.get(g.ancestor).map(|n| n.shown()).unwrap_or("");
        let width = g.x1 - g.x0;
        let max_chars = ((width - 12.0) / (SMALL_FS * 0.62)).max(4.0) as usize;
        let _ = writeln!(
            out,
            r#"<g class="fp-group"><title>in {}</title>"#,
            escape(&tip(name))
        );
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="#aebdcc" stroke-width="1"/>"##,
            N(g.x0),
            N(g.y0),
            N(width),
            N(g.y1 - g.y0)
        );
        text_el(
            out,
            g.x0 + 7.0,
            g.y0 + GROUP_LABEL - 3.0,
            SMALL_FS,
            r##" font-weight="bold" fill="#4a5a6a""##,
            &clip(name, max_chars.min(MAX_NAME)),
        );
        out.push_str("</g>\n");
    }
}

fn edge_style(view: &View, r: &Route) -> (bool, bool) {
    view.edges
        .get(r.edge)
        .map_or((false, false), |e| (e.highlight, e.blocked))
}

pub(super) fn emit_edges(out: &mut String, view: &View, lay: &Layout) {
    let mut idx: Vec<usize> = (0..lay.routes.len()).collect();
    idx.sort_by_key(|&i| {
        let (hl, blocked) = edge_style(view, &lay.routes[i]);
        (u8::from(hl) * 2 + u8::from(blocked && !hl), i)
    });
    for i in idx {
        let r = &lay.routes[i];
        let Some(e) = view.edges.get(r.edge) else {
            continue;
        };
        let (hl, blocked) = (e.highlight, e.blocked);
        let (color, width) = if hl {
            (RED, 3.0)
        } else if blocked {
            (BLOCKED_INK, 1.3)
        } else {
            (EDGE_INK, 1.3)
        };
        let dash = if blocked {
            r#" stroke-dasharray="7 4""#
        } else {
            ""
        };
        let (d, (ax, ay, dir)) = lay.route_path(r);
        let class = match (hl, blocked) {
            (true, true) => "fp-edge fp-hl fp-blocked",
            (true, false) => "fp-edge fp-hl",
            (false, true) => "fp-edge fp-blocked",
            (false, false) => "fp-edge",
        };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><title>{}</title>"#,
            escape(&edge_tooltip(view, e))
        );
        let _ = writeln!(
            out,
            r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="{}"{dash} stroke-linejoin="round"/>"#,
            N(width)
        );
        arrow_head(out, ax, ay, dir, width, color);
        out.push_str("</g>\n");
    }
}

fn edge_tooltip(view: &View, e: &Edge) -> String {
    let name = |i: usize| view.nodes.get(i).map_or("?", |n| n.shown());
    let mut s = format!("{} → {}", name(e.from), name(e.to));
    if e.blocked {
        s.push_str(" (blocked)");
    }
    for l in &e.lines {
        let _ = write!(s, "\n{} — {}", l.text(), l.rule);
        if l.highlight {
            s.push_str(" [highlighted]");
        }
        if l.blocked {
            s.push_str(" [blocked]");
        }
    }
    tip(&s)
}

pub(super) fn emit_nodes(out: &mut String, view: &View, input: &Input, lay: &Layout) {
    for (v, node) in view.nodes.iter().enumerate() {
        let Some(lines) = lay.texts.get(v) else {
            continue;
        };
        let (x0, y0, w, h) = (
            lay.box_left(v),
            lay.y[v] - lay.h[v] / 2.0,
            lay.w[v],
            lay.h[v],
        );
        let mut t = node.shown().to_owned();
        if !node.kind_shown().is_empty() {
            let _ = write!(t, " ({})", node.kind_shown());
        }
        if let Some(p) = input.parent[v].and_then(|p| view.nodes.get(p)) {
            let _ = write!(t, " in {}", p.shown());
        }
        for note in &node.notes {
            let _ = write!(t, "\n{note}");
        }
        let class = if node.highlight {
            "fp-node fp-hl"
        } else {
            "fp-node"
        };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><title>{}</title>"#,
            escape(&tip(&t))
        );
        let (fill, stroke, sw) = if node.highlight {
            ("#fdf0ee", RED, 3.0)
        } else {
            ("#fff", "#333", 1.2)
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="{}"/>"#,
            N(x0),
            N(y0),
            N(w),
            N(h),
            N(sw)
        );
        let th: f64 = lines.iter().map(TextLine::height).sum();
        let mut ty = lay.y[v] - th / 2.0;
        for line in lines {
            let base = ty + line.height() * 0.5 + line.fs * 0.36;
            let mut attrs = format!(r#" text-anchor="middle" fill="{}""#, line.fill);
            if line.bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if line.italic {
                attrs.push_str(r#" font-style="italic""#);
            }
            text_el(out, lay.x[v], base, line.fs, &attrs, &line.text);
            ty += line.height();
        }
        out.push_str("</g>\n");
    }
}

pub(super) fn emit_labels(out: &mut String, view: &View, lay: &Layout) {
    for r in &lay.routes {
        let (Some(label), Some(&u)) = (&r.label, r.chain.first()) else {
            continue;
        };
        let Some(e) = view.edges.get(r.edge) else {
            continue;
        };
        let y = lay.y[u] + r.segs.first().map_or(0.0, |&s| lay.out_off[s]);
        let x = r.label_x;
        let stroke = if e.highlight { RED } else { "#9a9a9a" };
        let _ = writeln!(
            out,
            r#"<g class="fp-key"><title>{}</title>"#,
            escape(&edge_tooltip(view, e))
        );
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#fff" stroke="{stroke}" stroke-width="0.8"/>"##,
            N(x),
            N(y - KEY_H / 2.0),
            N(label.w),
            N(KEY_H)
        );
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#111">["##,
            N(x + 3.0),
            N(y + KEY_FS * 0.36),
            N(KEY_FS)
        );
        for (i, (t, hl)) in label.parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if *hl {
                let _ = write!(
                    out,
                    r#"<tspan fill="{RED}" font-weight="bold">{}</tspan>"#,
                    escape(t)
                );
            } else {
                out.push_str(&escape(t));
            }
        }
        out.push_str("]</text></g>\n");
    }
}

impl Layout {
    /// Path data and arrowhead of a route.
    fn route_path(&self, r: &Route) -> (String, (f64, f64, f64)) {
        let mut d = String::new();
        let (Some(&u), Some(&v)) = (r.chain.first(), r.chain.last()) else {
            return (d, (0.0, 0.0, 1.0));
        };
        let y_start = self.y[u] + r.segs.first().map_or(0.0, |&s| self.out_off[s]);
        let y_end = self.y[v] + r.segs.last().map_or(0.0, |&s| self.in_off[s]);
        let sx = self.box_right(u);
        let ex = self.box_left(v);
        let start = if r.reversed { sx + ARROW_LEN } else { sx };
        let end = if r.reversed { ex } else { ex - ARROW_LEN };
        let _ = write!(d, "M{} {}", N(start), N(y_start));
        if r.direct {
            let mid = (sx + ex) / 2.0;
            let _ = write!(
                d,
                "C{} {} {} {} {} {}",
                N(mid),
                N(y_start),
                N(mid),
                N(y_end),
                N(end),
                N(y_end)
            );
        } else {
            let mut y0 = y_start;
            for (i, &s) in r.segs.iter().enumerate() {
                let seg = &self.segs[s];
                let l = self.layer_of[seg.a];
                let y1 = if i + 1 == r.segs.len() {
                    y_end
                } else {
                    self.y[seg.b]
                };
                let cx0 = self.col_left[l] + self.col_w[l] + self.lz[l];
                let cx1 = self.col_left.get(l + 1).copied().unwrap_or(cx0)
                    - self.inpad.get(l + 1).copied().unwrap_or(0.0);
                let _ = write!(d, "H{}", N(cx0));
                if (y1 - y0).abs() < 0.5 {
                    let _ = write!(d, "H{}", N(cx1));
                } else {
                    let mid = (cx0 + cx1) / 2.0;
                    let _ = write!(
                        d,
                        "C{} {} {} {} {} {}",
                        N(mid),
                        N(y0),
                        N(mid),
                        N(y1),
                        N(cx1),
                        N(y1)
                    );
                }
                y0 = y1;
            }
            let _ = write!(d, "H{}", N(end));
        }
        let arrow = if r.reversed {
            (sx, y_start, -1.0)
        } else {
            (ex, y_end, 1.0)
        };
        (d, arrow)
    }
}
