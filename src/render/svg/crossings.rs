//! Measuring a layout: a [`Drawing`] → how many times its drawn edges cross each other,
//! counted geometrically on the curves (Béziers flattened), whichever layout drew them.
//! Meetings near an end of either edge (where edges share a box) are not crossings.

use super::drawing::{Drawing, P};

/// Pieces per Bézier when flattening.
const STEPS: usize = 12;
/// Meetings this close to an end of either edge are touches at a shared box.
const END_RADIUS: f64 = 12.0;

/// Number of points where two different edges cross.
pub(super) fn count(d: &Drawing) -> usize {
    let lines: Vec<Vec<P>> = d.edges.iter().map(|e| e.polyline(STEPS)).collect();
    let boxes: Vec<(P, P)> = lines.iter().map(|l| bounds(l)).collect();
    let mut total = 0;
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            if !overlap(boxes[i], boxes[j]) {
                continue;
            }
            total += between(&lines[i], &lines[j]);
        }
    }
    total
}

fn bounds(pts: &[P]) -> (P, P) {
    let mut lo = (f64::INFINITY, f64::INFINITY);
    let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in pts {
        lo = (lo.0.min(p.0), lo.1.min(p.1));
        hi = (hi.0.max(p.0), hi.1.max(p.1));
    }
    (lo, hi)
}

fn overlap(a: (P, P), b: (P, P)) -> bool {
    a.0.0 <= b.1.0 && b.0.0 <= a.1.0 && a.0.1 <= b.1.1 && b.0.1 <= a.1.1
}

fn near(p: P, q: P) -> bool {
    (p.0 - q.0).hypot(p.1 - q.1) < END_RADIUS
}

/// Crossing points of two polylines, away from their ends; points found twice (at a
/// joint of two pieces) count once.
fn between(a: &[P], b: &[P]) -> usize {
    let ends = [a.first(), a.last(), b.first(), b.last()];
    let mut found: Vec<P> = Vec::new();
    for sa in a.windows(2) {
        for sb in b.windows(2) {
            let Some(p) = intersect(sa[0], sa[1], sb[0], sb[1]) else {
                continue;
            };
            if ends.iter().flatten().any(|&&e| near(p, e)) {
                continue;
            }
            if found.iter().any(|&q| (p.0 - q.0).hypot(p.1 - q.1) < 1.0) {
                continue;
            }
            found.push(p);
        }
    }
    found.len()
}

/// Where segments pq and rs cross properly (parallel overlaps are not crossings).
fn intersect(p: P, q: P, r: P, s: P) -> Option<P> {
    let d1 = (q.0 - p.0, q.1 - p.1);
    let d2 = (s.0 - r.0, s.1 - r.1);
    let den = d1.0 * d2.1 - d1.1 * d2.0;
    if den.abs() < 1e-12 {
        return None;
    }
    let w = (r.0 - p.0, r.1 - p.1);
    let t = (w.0 * d2.1 - w.1 * d2.0) / den;
    let u = (w.0 * d1.1 - w.1 * d1.0) / den;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u))
        .then_some((p.0 + t * d1.0, p.1 + t * d1.1))
}

#[cfg(test)]
mod tests {
    use super::super::drawing::{EdgeAt, Piece};
    use super::*;

    fn edge(start: P, pieces: Vec<Piece>) -> EdgeAt {
        EdgeAt {
            edge: 0,
            start,
            pieces,
            arrow: None,
            label_at: None,
            label: None,
        }
    }

    #[test]
    fn an_x_crosses_once_and_shared_ends_do_not_count() {
        let mut d = Drawing::default();
        d.edges
            .push(edge((0.0, 0.0), vec![Piece::Line((100.0, 100.0))]));
        d.edges
            .push(edge((0.0, 100.0), vec![Piece::Line((100.0, 0.0))]));
        assert_eq!(count(&d), 1);
        // a third edge from the same start as the first one: a touch, not a crossing
        d.edges
            .push(edge((0.0, 0.0), vec![Piece::Line((100.0, 20.0))]));
        assert_eq!(count(&d), 2);
        // a Bézier that weaves across a straight line twice
        let mut d = Drawing::default();
        d.edges
            .push(edge((0.0, 50.0), vec![Piece::Line((300.0, 50.0))]));
        d.edges.push(edge(
            (0.0, 0.0),
            vec![Piece::Cubic(
                (100.0, 200.0),
                (200.0, -100.0),
                (300.0, 100.0),
            )],
        ));
        assert_eq!(count(&d), 3);
    }
}
