//! Step 6 of the own layout, routing: the placed [`Grid`] → the [`Drawing`]: boxes,
//! group outlines, and every edge as horizontal runs through the columns joined by
//! cubic Béziers, its arrowhead and its label on the dummy node kept for it.

use super::ARROW_LEN;
use super::drawing::{BoxAt, Drawing, EdgeAt, GroupAt, P, Piece};
use super::grid::{Grid, Route};
use super::texts::Label;

impl Grid {
    /// The geometry, ready to write; takes the box texts and labels.
    pub(super) fn into_drawing(mut self) -> Drawing {
        let mut d = Drawing {
            width: self.width,
            height: self.height,
            ..Drawing::default()
        };
        let texts = std::mem::take(&mut self.texts);
        for (v, lines) in texts.into_iter().enumerate() {
            d.boxes.push(BoxAt {
                node: v,
                x: self.box_left(v),
                y: self.y[v] - self.h[v] / 2.0,
                w: self.w[v],
                h: self.h[v],
                lines,
            });
        }
        d.groups = self
            .groups
            .iter()
            .map(|g| GroupAt {
                ancestor: g.ancestor,
                depth: g.depth,
                x0: g.x0,
                y0: g.y0,
                x1: g.x1,
                y1: g.y1,
            })
            .collect();
        let routes = std::mem::take(&mut self.routes);
        for mut r in routes {
            let (start, pieces, arrow) = self.route_path(&r);
            let label: Option<Label> = r.label.take();
            let label_at = r.label_node.map(|v| (self.x[v], self.y[v]));
            d.edges.push(EdgeAt {
                edge: r.edge,
                start,
                pieces,
                arrow: Some(arrow),
                label_at: label.as_ref().and(label_at),
                label,
            });
        }
        d
    }

    /// Start, pieces and arrowhead (tip, direction) of a route.
    fn route_path(&self, r: &Route) -> (P, Vec<Piece>, (P, P)) {
        let mut pieces = Vec::new();
        let (Some(&u), Some(&v)) = (r.chain.first(), r.chain.last()) else {
            return ((0.0, 0.0), pieces, ((0.0, 0.0), (1.0, 0.0)));
        };
        let y_start = self.y[u] + r.segs.first().map_or(0.0, |&s| self.out_off[s]);
        let y_end = self.y[v] + r.segs.last().map_or(0.0, |&s| self.in_off[s]);
        let sx = self.box_right(u);
        let ex = self.box_left(v);
        let start = if r.reversed { sx + ARROW_LEN } else { sx };
        let end = if r.reversed { ex } else { ex - ARROW_LEN };
        if r.direct {
            let mid = (sx + ex) / 2.0;
            pieces.push(Piece::Cubic((mid, y_start), (mid, y_end), (end, y_end)));
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
                pieces.push(Piece::Line((cx0, y0)));
                if (y1 - y0).abs() < 0.5 {
                    pieces.push(Piece::Line((cx1, y1)));
                } else {
                    let mid = (cx0 + cx1) / 2.0;
                    pieces.push(Piece::Cubic((mid, y0), (mid, y1), (cx1, y1)));
                }
                y0 = y1;
            }
            pieces.push(Piece::Line((end, y_end)));
        }
        let arrow = if r.reversed {
            ((sx, y_start), (-1.0, 0.0))
        } else {
            ((ex, y_end), (1.0, 0.0))
        };
        ((start, y_start), pieces, arrow)
    }
}
