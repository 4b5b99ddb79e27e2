//! Step 7, the document: a [`Drawing`] → the complete SVG: its text alternative, one
//! shared style sheet (classes scoped under `fpg`, no ids, so several pictures can share
//! a page), the title and caption, the picture, and a one-line legend that also says
//! which layout drew it.

use super::drawing::{Drawing, EdgeAt, P, Piece};
use super::metrics::{N, text_w, tip, wrap};
use super::texts::{LineKind, description, edge_tip};
use super::{ARROW_LEN, GROUP_LABEL, LABEL_FS, LABEL_LH, SMALL_FS};
use crate::render::graph::{View, escape};
use std::fmt::Write as _;

const TITLE_FS: f64 = 16.0;
const CAPTION_FS: f64 = 12.0;
const MARGIN: f64 = 16.0;
const ARROW_HW: f64 = 4.0;
const MIN_W: f64 = 360.0;

/// The style sheet, the same in every picture, so pictures on one page agree.
const STYLE: &str = "<style>\
.fpg{font-family:Helvetica,Arial,sans-serif}\
.fpg text{font-size:11px;fill:#222}\
.fpg .fp-t{font-size:16px;font-weight:bold;fill:#000}\
.fpg .fp-c{font-size:12px}\
.fpg .fp-n text,.fpg .fp-l text{text-anchor:middle}\
.fpg .fp-nm{font-size:12px;font-weight:bold;fill:#111}\
.fpg .fp-k{font-style:italic;fill:#555}\
.fpg .fp-hl{font-weight:bold;fill:#c0392b}\
.fpg .fp-q{fill:#777}\
.fpg .fp-n rect{fill:#fff;stroke:#333;stroke-width:1.2}\
.fpg .fp-n.fp-h rect{fill:#fdf0ee;stroke:#c0392b;stroke-width:3}\
.fpg .fp-gr rect{fill:#edf2f7;stroke:#aebdcc}\
.fpg .fp-gr.fp-d rect{fill:#e0e8f0}\
.fpg .fp-gr text{font-weight:bold;fill:#4a5a6a}\
.fpg .fp-e path{fill:none;stroke:#444;stroke-width:1.3;stroke-linejoin:round}\
.fpg .fp-b path{stroke:#8a8a8a;stroke-dasharray:7 4}\
.fpg .fp-h path{stroke:#c0392b;stroke-width:3}\
.fpg path.fp-a{stroke:none;fill:#444}\
.fpg .fp-b path.fp-a{fill:#8a8a8a}\
.fpg .fp-h path.fp-a{fill:#c0392b}\
.fpg .fp-l rect{fill:#fff;fill-opacity:.9}\
</style>";

/// Writes the whole document into `out`; `credit` names the layout that drew it.
pub(super) fn emit(out: &mut String, view: &View, d: &Drawing, credit: &str, tips: bool) {
    let drawn = || d.edges.iter().filter_map(|e| view.edges.get(e.edge));
    let any_hl = drawn().any(|e| e.highlight);
    let any_blocked = drawn().any(|e| e.blocked);
    let any_cond = d
        .edges
        .iter()
        .filter_map(|e| e.label.as_ref())
        .flat_map(|l| &l.lines)
        .chain(d.boxes.iter().flat_map(|b| &b.lines))
        .any(|l| l.kind == LineKind::Plain && l.text.ends_with('*'));

    let content_w = d.width.max(MIN_W);
    let title_lines = wrap(&view.title, (content_w / (TITLE_FS * 0.6)) as usize, 4);
    let caption_lines = view
        .caption
        .as_deref()
        .map(|c| wrap(c, (content_w / (CAPTION_FS * 0.55)) as usize, 10))
        .unwrap_or_default();
    let mut head = String::new();
    let mut y = MARGIN;
    for t in &title_lines {
        y += TITLE_FS * 1.25;
        text(&mut head, MARGIN, y - 4.0, "fp-t", t);
    }
    for t in &caption_lines {
        y += CAPTION_FS * 1.3;
        text(&mut head, MARGIN, y - 3.0, "fp-c", t);
    }
    let graph_top = y + 12.0;
    let graph_left = MARGIN + ((content_w - d.width) / 2.0).max(0.0);
    let legend_y = graph_top + d.height + 22.0;
    let total_w = (content_w + 2.0 * MARGIN).ceil();
    let total_h = (legend_y + 8.0 + MARGIN).ceil();

    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" class="fpg" role="img">"#,
        w = N(total_w),
        h = N(total_h)
    );
    let _ = write!(
        out,
        "\n<title>{}</title>\n<desc>{}</desc>\n{STYLE}\n",
        escape(&tip(&view.title)),
        escape(&description(view, d.edges.len()))
    );
    let _ = writeln!(
        out,
        r##"<rect width="{}" height="{}" fill="#fff"/>"##,
        N(total_w),
        N(total_h)
    );
    out.push_str(&head);
    if d.boxes.is_empty() {
        text(out, MARGIN, graph_top + 8.0, "fp-q", "(no agencies)");
    }
    let _ = writeln!(
        out,
        r#"<g transform="translate({} {})">"#,
        N(graph_left),
        N(graph_top)
    );
    groups(out, view, d);
    edges(out, view, d, tips);
    nodes(out, view, d);
    labels(out, view, d, tips);
    out.push_str("</g>\n");
    legend(out, legend_y, any_hl, any_blocked, any_cond, credit);
    out.push_str("</svg>\n");
}

/// One `<text>` element, its content escaped.
fn text(out: &mut String, x: f64, y: f64, class: &str, content: &str) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(r#" class="{class}""#)
    };
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}"{class}>{}</text>"#,
        N(x),
        N(y),
        escape(content)
    );
}

fn groups(out: &mut String, view: &View, d: &Drawing) {
    for g in &d.groups {
        let name = view.nodes.get(g.ancestor).map_or("", |n| n.shown());
        let width = g.x1 - g.x0;
        let max_chars = ((width - 10.0) / (SMALL_FS * 0.6)).max(4.0) as usize;
        let class = if g.depth % 2 == 1 {
            "fp-gr fp-d"
        } else {
            "fp-gr"
        };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><rect x="{}" y="{}" width="{}" height="{}" rx="7"/>"#,
            N(g.x0),
            N(g.y0),
            N(width),
            N(g.y1 - g.y0)
        );
        text(
            out,
            g.x0 + 6.0,
            g.y0 + GROUP_LABEL - 4.0,
            "",
            &super::metrics::clip(name, max_chars.min(super::MAX_NAME)),
        );
        out.push_str("</g>\n");
    }
}

fn edges(out: &mut String, view: &View, d: &Drawing, tips: bool) {
    let style = |e: &EdgeAt| {
        view.edges
            .get(e.edge)
            .map_or((false, false), |x| (x.highlight, x.blocked))
    };
    let mut idx: Vec<usize> = (0..d.edges.len()).collect();
    // the highlighted path on top, blocked flows under it
    idx.sort_by_key(|&i| {
        let (hl, blocked) = style(&d.edges[i]);
        (u8::from(hl) * 2 + u8::from(blocked && !hl), i)
    });
    for i in idx {
        let e = &d.edges[i];
        let Some(edge) = view.edges.get(e.edge) else {
            continue;
        };
        let (hl, blocked) = (edge.highlight, edge.blocked);
        let class = match (hl, blocked) {
            (true, true) => "fp-e fp-h fp-b",
            (true, false) => "fp-e fp-h",
            (false, true) => "fp-e fp-b",
            (false, false) => "fp-e",
        };
        let _ = write!(out, r#"<g class="{class}">"#);
        if tips
            && e.label.is_none()
            && let Some(t) = edge_tip(edge)
        {
            let _ = write!(out, "<title>{}</title>", escape(&t));
        }
        let _ = write!(out, r#"<path d="{}"/>"#, path_data(e.start, &e.pieces));
        if let Some((tip_at, dir)) = e.arrow {
            arrow_head(out, tip_at, dir, if hl { 3.0 } else { 1.3 });
        }
        out.push_str("</g>\n");
    }
}

/// Path data, short: `H`/`V` for straight runs, `L` and `C` otherwise.
fn path_data(start: P, pieces: &[Piece]) -> String {
    let mut s = format!("M{} {}", N(start.0), N(start.1));
    let mut cur = start;
    let same = |a: f64, b: f64| (a - b).abs() < 0.05;
    for piece in pieces {
        match *piece {
            Piece::Line(p) => {
                if same(p.0, cur.0) && same(p.1, cur.1) {
                    continue;
                }
                if same(p.1, cur.1) {
                    let _ = write!(s, "H{}", N(p.0));
                } else if same(p.0, cur.0) {
                    let _ = write!(s, "V{}", N(p.1));
                } else {
                    let _ = write!(s, "L{} {}", N(p.0), N(p.1));
                }
                cur = p;
            }
            Piece::Cubic(a, b, p) => {
                let _ = write!(
                    s,
                    "C{} {} {} {} {} {}",
                    N(a.0),
                    N(a.1),
                    N(b.0),
                    N(b.1),
                    N(p.0),
                    N(p.1)
                );
                cur = p;
            }
        }
    }
    s
}

/// A plain triangle with its tip at `at`, pointing along `dir`, larger for thicker
/// strokes.
fn arrow_head(out: &mut String, at: P, dir: P, stroke_w: f64) {
    let len = ARROW_LEN + (stroke_w - 1.3).max(0.0) * 1.5;
    let hw = ARROW_HW + (stroke_w - 1.3).max(0.0) * 0.8;
    let norm = (dir.0 * dir.0 + dir.1 * dir.1).sqrt();
    let (ux, uy) = if norm > 1e-9 && norm.is_finite() {
        (dir.0 / norm, dir.1 / norm)
    } else {
        (1.0, 0.0)
    };
    let (bx, by) = (at.0 - ux * len, at.1 - uy * len);
    let _ = write!(
        out,
        r#"<path class="fp-a" d="M{} {}L{} {}L{} {}Z"/>"#,
        N(at.0),
        N(at.1),
        N(bx - uy * hw),
        N(by + ux * hw),
        N(bx + uy * hw),
        N(by - ux * hw)
    );
}

fn nodes(out: &mut String, view: &View, d: &Drawing) {
    for b in &d.boxes {
        let Some(node) = view.nodes.get(b.node) else {
            continue;
        };
        let class = if node.highlight { "fp-n fp-h" } else { "fp-n" };
        let _ = write!(out, r#"<g class="{class}">"#);
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="5"/>"#,
            N(b.x),
            N(b.y),
            N(b.w),
            N(b.h)
        );
        let th: f64 = b.lines.iter().map(|l| l.height()).sum();
        let cx = b.x + b.w / 2.0;
        let mut ty = b.y + (b.h - th) / 2.0;
        for line in &b.lines {
            let base = ty + line.height() * 0.5 + line.fs() * 0.36;
            let class = match (line.kind, line.hl) {
                (LineKind::Name, _) => "fp-nm",
                (LineKind::Kind, _) => "fp-k",
                (LineKind::Plain, true) => "fp-hl",
                (LineKind::Plain, false) => "",
            };
            text(out, cx, base, class, &line.text);
            ty += line.height();
        }
        out.push_str("</g>\n");
    }
}

fn labels(out: &mut String, view: &View, d: &Drawing, tips: bool) {
    for e in &d.edges {
        let (Some(label), Some((cx, cy))) = (&e.label, e.label_at) else {
            continue;
        };
        out.push_str(r#"<g class="fp-l">"#);
        if let Some(t) = view.edges.get(e.edge).filter(|_| tips).and_then(edge_tip) {
            let _ = write!(out, "<title>{}</title>", escape(&t));
        }
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"/>"#,
            N(cx - label.w / 2.0),
            N(cy - label.h / 2.0),
            N(label.w),
            N(label.h)
        );
        let mut y = cy - label.h / 2.0 + 1.5 + LABEL_LH / 2.0 + LABEL_FS * 0.36;
        for line in &label.lines {
            text(out, cx, y, if line.hl { "fp-hl" } else { "" }, &line.text);
            y += LABEL_LH;
        }
        out.push_str("</g>\n");
    }
}

/// The line styles in use and the condition marker, then who laid the picture out.
fn legend(out: &mut String, y: f64, hl: bool, blocked: bool, cond: bool, credit: &str) {
    let mut x = MARGIN;
    let sample = |out: &mut String, x: &mut f64, class: &str, width: f64, words: &str| {
        let _ = write!(
            out,
            r#"<g class="{class}"><path d="M{} {}h28"/>"#,
            N(*x),
            N(y - 4.0)
        );
        arrow_head(out, (*x + 36.0, y - 4.0), (1.0, 0.0), width);
        out.push_str("</g>\n");
        text(out, *x + 42.0, y, "", words);
        *x += 42.0 + text_w(words, SMALL_FS, false) + 18.0;
    };
    if hl {
        sample(out, &mut x, "fp-e fp-h fp-s", 3.0, "the highlighted path");
    }
    if blocked {
        sample(
            out,
            &mut x,
            "fp-e fp-b fp-s",
            1.3,
            "blocked in this scenario",
        );
    }
    if cond {
        let words = "* only under a condition (hover over the label to read it)";
        text(out, x, y, "", words);
        x += text_w(words, SMALL_FS, false) + 18.0;
    }
    text(out, x, y, "fp-q", credit);
}
