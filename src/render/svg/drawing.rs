//! The finished geometry, whichever layout made it: boxes, group outlines, edge curves
//! with their arrowheads and labels, and the size. Both layouts produce a [`Drawing`];
//! the emitter writes it and the crossing counter measures it.

use super::texts::{Label, Line};

/// A point.
pub(super) type P = (f64, f64);

/// A piece of an edge's curve, from the previous point.
#[derive(Clone, Copy, Debug)]
pub(super) enum Piece {
    Line(P),
    Cubic(P, P, P),
}

/// An agency's box, its top-left corner and size.
pub(super) struct BoxAt {
    pub(super) node: usize,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) lines: Vec<Line>,
}

/// The outline of the agencies declared in `ancestor`.
pub(super) struct GroupAt {
    pub(super) ancestor: usize,
    pub(super) depth: usize,
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

/// An edge of the view, drawn.
pub(super) struct EdgeAt {
    pub(super) edge: usize,
    pub(super) start: P,
    pub(super) pieces: Vec<Piece>,
    /// Tip of the arrowhead and the direction it points in.
    pub(super) arrow: Option<(P, P)>,
    /// Centre of the label.
    pub(super) label_at: Option<P>,
    pub(super) label: Option<Label>,
}

/// Everything placed, with the origin at the top-left of the picture.
#[derive(Default)]
pub(super) struct Drawing {
    pub(super) boxes: Vec<BoxAt>,
    pub(super) groups: Vec<GroupAt>,
    pub(super) edges: Vec<EdgeAt>,
    pub(super) width: f64,
    pub(super) height: f64,
}

impl EdgeAt {
    /// The curve as a polyline, each Bézier cut into `steps` pieces.
    pub(super) fn polyline(&self, steps: usize) -> Vec<P> {
        let mut pts = vec![self.start];
        let mut cur = self.start;
        for piece in &self.pieces {
            match *piece {
                Piece::Line(p) => {
                    pts.push(p);
                    cur = p;
                }
                Piece::Cubic(c1, c2, p) => {
                    for i in 1..=steps {
                        let t = i as f64 / steps as f64;
                        let u = 1.0 - t;
                        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
                        pts.push((
                            a * cur.0 + b * c1.0 + c * c2.0 + d * p.0,
                            a * cur.1 + b * c1.1 + c * c2.1 + d * p.1,
                        ));
                    }
                    cur = p;
                }
            }
        }
        pts
    }
}
