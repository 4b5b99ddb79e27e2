//! The layout by Graphviz: the view → flowproof's DOT (with the texts drawn here and
//! boxes of fixed size) → `dot -Tjson` → the [`Drawing`]: boxes, cluster outlines,
//! splines with their arrowheads, label positions. Any failure gives `None`, and the
//! caller falls back to the own layout.

use super::drawing::{BoxAt, Drawing, EdgeAt, GroupAt, P, Piece};
use super::input::Input;
use super::texts::{box_lines, edge_label};
use super::{LABEL_FS, NAME_FS, PAD_X, PAD_Y, SMALL_FS};
use crate::render::dot::{Shown, render_for_layout};
use crate::render::graph::{Edge, View};
use serde_json::Value;
use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};

/// Larger views are left to the own layout (`dot` can take minutes on them).
const MAX_ITEMS: usize = 4000;

/// Whether `dot` runs.
pub(super) fn available() -> bool {
    Command::new("dot")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The view laid out by `dot`, or `None`.
pub(super) fn lay_out(view: &View, input: &Input) -> Option<Drawing> {
    if view.nodes.len() + view.edges.len() > MAX_ITEMS {
        return None;
    }
    // `dot` would draw what the sanitizer drops (bad parents, edges to nowhere)
    let clean = view
        .nodes
        .iter()
        .zip(&input.parent)
        .all(|(n, p)| n.parent == *p)
        && input.chains.iter().all(|c| c.len() < 6)
        && view
            .edges
            .iter()
            .all(|e| e.from < view.nodes.len() && e.to < view.nodes.len());
    if !clean {
        return None;
    }
    let shown = Shown {
        nodes: view
            .nodes
            .iter()
            .enumerate()
            .map(|(v, n)| {
                let loops = loops_at(view, input, v);
                let lines = box_lines(n, &loops);
                let w = lines.iter().map(|l| l.width()).fold(0.0, f64::max) + 2.0 * PAD_X;
                let h: f64 = lines.iter().map(|l| l.height()).sum::<f64>() + 2.0 * PAD_Y;
                let texts = lines.into_iter().map(|l| l.text).collect();
                (texts, w.max(56.0), h.max(30.0))
            })
            .collect(),
        edges: view
            .edges
            .iter()
            .map(|e| {
                edge_label(e)
                    .map(|l| l.lines.into_iter().map(|l| l.text).collect())
                    .unwrap_or_default()
            })
            .collect(),
        node_fontsize: NAME_FS,
        edge_fontsize: LABEL_FS,
        cluster_fontsize: SMALL_FS,
    };
    let json = run(&render_for_layout(view, &shown))?;
    read(view, input, &json)
}

fn loops_at<'a>(view: &'a View, input: &Input, v: usize) -> Vec<&'a Edge> {
    input
        .loops
        .get(v)
        .map(|ls| ls.iter().filter_map(|&e| view.edges.get(e)).collect())
        .unwrap_or_default()
}

/// `dot -Tjson` on `source`, its answer parsed.
pub(super) fn run(source: &str) -> Option<Value> {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).is_ok());
    let mut text = String::new();
    let read_ok = child
        .stdout
        .take()
        .is_some_and(|mut out| out.read_to_string(&mut text).is_ok());
    let wrote = writer.join().unwrap_or(false);
    let status = child.wait().ok()?;
    if !(read_ok && wrote && status.success()) {
        return None;
    }
    serde_json::from_str(&text).ok()
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

fn point(s: &str) -> Option<P> {
    let (x, y) = s.split_once(',')?;
    let (x, y): (f64, f64) = (x.trim().parse().ok()?, y.trim().parse().ok()?);
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

fn four(s: &str) -> Option<[f64; 4]> {
    let v: Vec<f64> = s
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let a: [f64; 4] = v.try_into().ok()?;
    a.iter().all(|x| x.is_finite()).then_some(a)
}

/// The index `i` of an object named `n{i}` (a node) or `cluster_{i}`.
fn index_of(name: &str, prefix: &str) -> Option<usize> {
    name.strip_prefix(prefix)?.parse().ok()
}

/// `dot`'s answer → the drawing, with y pointing down and the origin at the top left.
pub(super) fn read(view: &View, input: &Input, json: &Value) -> Option<Drawing> {
    let [llx, lly, urx, ury] = four(json.get("bb")?.as_str()?)?;
    let to_svg = |p: P| (p.0 - llx, ury - p.1);
    let objects = json.get("objects").and_then(Value::as_array);
    let empty = Vec::new();
    let objects = objects.unwrap_or(&empty);
    let mut d = Drawing {
        width: urx - llx,
        height: ury - lly,
        ..Drawing::default()
    };
    let mut seen = vec![false; view.nodes.len()];
    let mut names: Vec<Option<usize>> = Vec::with_capacity(objects.len());
    for o in objects {
        let name = o.get("name").and_then(Value::as_str).unwrap_or("");
        if let Some(a) = index_of(name, "cluster_") {
            names.push(None);
            let [x0, y0, x1, y1] = four(o.get("bb")?.as_str()?)?;
            let (p0, p1) = (to_svg((x0, y1)), to_svg((x1, y0)));
            if a >= view.nodes.len() {
                return None;
            }
            d.groups.push(GroupAt {
                ancestor: a,
                depth: input.chains.get(a).map_or(0, Vec::len),
                x0: p0.0,
                y0: p0.1,
                x1: p1.0,
                y1: p1.1,
            });
            continue;
        }
        let Some(v) = index_of(name, "n").filter(|&v| v < view.nodes.len()) else {
            names.push(None);
            continue;
        };
        names.push(Some(v));
        if seen[v] {
            return None;
        }
        seen[v] = true;
        let (cx, cy) = to_svg(point(o.get("pos")?.as_str()?)?);
        let w = num(o.get("width")?)? * 72.0;
        let h = num(o.get("height")?)? * 72.0;
        let loops = loops_at(view, input, v);
        d.boxes.push(BoxAt {
            node: v,
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
            lines: box_lines(&view.nodes[v], &loops),
        });
    }
    if seen.iter().any(|s| !s) {
        return None;
    }
    d.boxes.sort_by_key(|b| b.node);
    d.groups.sort_by_key(|g| g.depth);
    let edges = json.get("edges").and_then(Value::as_array);
    let edges = edges.unwrap_or(&empty);
    // `dot` keeps the edges in the order they were written: one per edge of the view
    if edges.len() != view.edges.len() {
        return None;
    }
    for (k, (je, e)) in edges.iter().zip(&view.edges).enumerate() {
        let end = |key: &str| -> Option<usize> {
            let i = usize::try_from(je.get(key)?.as_u64()?).ok()?;
            *names.get(i)?
        };
        if end("tail")? != e.from || end("head")? != e.to {
            return None;
        }
        if e.from == e.to {
            continue;
        }
        let (start, pieces, arrow) = spline(je.get("pos")?.as_str()?, &to_svg)?;
        let label = edge_label(e);
        let label_at = match je.get("lp").and_then(Value::as_str) {
            Some(lp) => Some(to_svg(point(lp)?)),
            None => None,
        };
        d.edges.push(EdgeAt {
            edge: k,
            start,
            pieces,
            arrow,
            label: label_at.and(label),
            label_at,
        });
    }
    Some(d)
}

type Spline = (P, Vec<Piece>, Option<(P, P)>);

/// A `pos` attribute: `e,x,y` (arrowhead at the end), `s,x,y` (at the start), then the
/// points of a piecewise cubic Bézier; only the first of several splines is kept.
fn spline(pos: &str, to_svg: &dyn Fn(P) -> P) -> Option<Spline> {
    let first = pos.split(';').next()?;
    let mut end_tip = None;
    let mut start_tip = None;
    let mut pts: Vec<P> = Vec::new();
    for tok in first.split_whitespace() {
        if let Some(rest) = tok.strip_prefix("e,") {
            end_tip = Some(to_svg(point(rest)?));
        } else if let Some(rest) = tok.strip_prefix("s,") {
            start_tip = Some(to_svg(point(rest)?));
        } else {
            pts.push(to_svg(point(tok)?));
        }
    }
    if pts.len() < 4 || !(pts.len() - 1).is_multiple_of(3) {
        return None;
    }
    let pieces = pts[1..]
        .chunks(3)
        .map(|c| Piece::Cubic(c[0], c[1], c[2]))
        .collect();
    let last = pts[pts.len() - 1];
    let arrow = match (end_tip, start_tip) {
        (Some(t), _) => Some((t, (t.0 - last.0, t.1 - last.1))),
        (None, Some(t)) => Some((t, (t.0 - pts[0].0, t.1 - pts[0].1))),
        (None, None) => None,
    };
    Some((pts[0], pieces, arrow))
}
