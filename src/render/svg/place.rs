//! Step 5, placement: the ordered layers → a port for every segment end, box sizes and
//! texts, centers placed vertically (isotonic regression sweeps) and in columns, the
//! outlines of groups, and the drawing's size.

use super::grid::{Grid, GroupRect};
use super::input::Input;
use super::texts::{Line, box_lines};
use super::{ARROW_LEN, GROUP_LABEL, GROUP_PAD, PAD_X, PAD_Y};
use crate::render::graph::{Edge, View};
use std::collections::BTreeMap;

const PORT_SP: f64 = 11.0;
const NODE_GAP: f64 = 16.0;
const DUMMY_GAP: f64 = 6.0;
const CURVE_MIN: f64 = 26.0;
const CURVE_SLOPE: f64 = 0.08;
const CURVE_MAX: f64 = 50.0;

/// x0, y0, x1, y1.
type Rect = (f64, f64, f64, f64);

impl Grid {
    /// Ports, box sizes, vertical then horizontal placement, group outlines, and
    /// the drawing moved so that its top edge is at y = 0.
    pub(super) fn place(&mut self, view: &View, input: &Input) {
        self.ports();
        self.sizes(view, input);
        self.place_y(view, input);
        self.place_x(input);
        self.group_rects(input);
        self.normalize();
    }

    /// One port per segment end on each real box, ordered by the position of
    /// the other end so that edges leave without crossing.
    fn ports(&mut self) {
        let (out_segs, in_segs) = self.adjacency();
        let total = self.layer_of.len();
        let mut pos = vec![0usize; total];
        for layer in &self.layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        self.out_off = vec![0.0; self.segs.len()];
        self.in_off = vec![0.0; self.segs.len()];
        for v in 0..self.n_real {
            let mut outs = out_segs[v].clone();
            outs.sort_by_key(|&s| (pos[self.segs[s].b], s));
            let k = outs.len() as f64;
            for (i, &s) in outs.iter().enumerate() {
                self.out_off[s] = (i as f64 - (k - 1.0) / 2.0) * PORT_SP;
            }
            let mut ins = in_segs[v].clone();
            ins.sort_by_key(|&s| (pos[self.segs[s].a], s));
            let k = ins.len() as f64;
            for (i, &s) in ins.iter().enumerate() {
                self.in_off[s] = (i as f64 - (k - 1.0) / 2.0) * PORT_SP;
            }
        }
    }

    fn sizes(&mut self, view: &View, input: &Input) {
        let total = self.layer_of.len();
        self.w = vec![0.0; total];
        self.h = vec![0.0; total];
        let (out_segs, in_segs) = self.adjacency();
        for (v, node) in view.nodes.iter().enumerate() {
            let loops: Vec<&Edge> = input.loops[v]
                .iter()
                .filter_map(|&e| view.edges.get(e))
                .collect();
            let lines = box_lines(node, &loops);
            let tw = lines.iter().map(Line::width).fold(0.0, f64::max);
            let th: f64 = lines.iter().map(Line::height).sum();
            let ports = out_segs[v].len().max(in_segs[v].len()) as f64;
            self.w[v] = (tw + 2.0 * PAD_X).max(56.0);
            self.h[v] = (th + 2.0 * PAD_Y).max(ports * PORT_SP + 8.0).max(30.0);
            self.texts.push(lines);
        }
        for r in &self.routes {
            if let (Some(d), Some(label)) = (r.label_node, &r.label) {
                self.w[d] = label.w;
                self.h[d] = label.h;
            }
        }
    }

    /// Minimum distance between the centers of consecutive layer members.
    fn sep(&self, input: &Input, a: usize, b: usize) -> f64 {
        let (ca, cb) = (self.chain_of(input, a), self.chain_of(input, b));
        let common = ca.iter().zip(cb).take_while(|(x, y)| x == y).count();
        let closing = (ca.len() - common) as f64;
        let opening = (cb.len() - common) as f64;
        let base = if a < self.n_real && b < self.n_real {
            NODE_GAP
        } else {
            DUMMY_GAP
        };
        (self.h[a] + self.h[b]) / 2.0
            + base
            + closing * GROUP_PAD
            + opening * (GROUP_PAD + GROUP_LABEL)
    }

    /// Vertical placement: sweeps that pull every node toward its neighbours'
    /// ports, solved per layer as a weighted isotonic regression (keeps the
    /// order and minimum separations).
    fn place_y(&mut self, view: &View, input: &Input) {
        let (out_segs, in_segs) = self.adjacency();
        let total = self.layer_of.len();
        self.y = vec![0.0; total];
        let seps: Vec<Vec<f64>> = self
            .layers
            .iter()
            .map(|layer| {
                layer
                    .windows(2)
                    .map(|w| self.sep(input, w[0], w[1]))
                    .collect()
            })
            .collect();
        for (layer, sep) in self.layers.iter().zip(&seps) {
            let mut acc = 0.0;
            for (i, &v) in layer.iter().enumerate() {
                if i > 0 {
                    acc += sep[i - 1];
                }
                self.y[v] = acc;
            }
            let shift = acc / 2.0;
            for &v in layer {
                self.y[v] -= shift;
            }
        }
        // Heavier pull for the highlighted path, so it stays straight.
        let route_hl: Vec<bool> = self
            .routes
            .iter()
            .map(|r| view.edges.get(r.edge).is_some_and(|e| e.highlight))
            .collect();
        let mut seg_w: Vec<f64> = self.segs.iter().map(|s| s.w).collect();
        for (r, &hl) in self.routes.iter().zip(&route_hl) {
            if hl {
                for &s in &r.segs {
                    seg_w[s] *= 3.0;
                }
            }
        }
        let count = self.layers.len();
        let mut plan: Vec<(usize, bool, bool)> = Vec::new();
        for _ in 0..6 {
            plan.extend((1..count).map(|l| (l, true, false)));
            plan.extend((0..count.saturating_sub(1)).rev().map(|l| (l, false, true)));
        }
        for _ in 0..3 {
            plan.extend((0..count).map(|l| (l, true, true)));
        }
        let mut desired = Vec::new();
        let mut weight = Vec::new();
        let mut placed = Vec::new();
        for (l, use_in, use_out) in plan {
            desired.clear();
            weight.clear();
            for &v in &self.layers[l] {
                let (mut sw, mut swt) = (0.0, 0.0);
                if use_in {
                    for &s in &in_segs[v] {
                        let seg = &self.segs[s];
                        let t = self.y[seg.a] + self.out_off[s] - self.in_off[s];
                        sw += seg_w[s];
                        swt += seg_w[s] * t;
                    }
                }
                if use_out {
                    for &s in &out_segs[v] {
                        let seg = &self.segs[s];
                        let t = self.y[seg.b] + self.in_off[s] - self.out_off[s];
                        sw += seg_w[s];
                        swt += seg_w[s] * t;
                    }
                }
                if sw > 0.0 {
                    desired.push(swt / sw);
                    weight.push(sw);
                } else {
                    desired.push(self.y[v]);
                    weight.push(0.05);
                }
            }
            placed.clear();
            placed.resize(desired.len(), 0.0);
            isotonic(&desired, &weight, &seps[l], &mut placed);
            for (&v, &y) in self.layers[l].iter().zip(&placed) {
                self.y[v] = y;
            }
        }
    }

    /// Column widths and the gaps between them (room for arrowheads and group
    /// outlines, and a curve zone that widens where edges climb far).
    fn place_x(&mut self, input: &Input) {
        let count = self.layers.len();
        let total = self.layer_of.len();
        let max_chain: Vec<f64> = self
            .layers
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .map(|&v| self.chain_of(input, v).len())
                    .max()
                    .unwrap_or(0) as f64
            })
            .collect();
        self.col_w = self
            .layers
            .iter()
            .map(|layer| layer.iter().map(|&v| self.w[v]).fold(0.0, f64::max))
            .collect();
        self.inpad = max_chain
            .iter()
            .zip(&self.layers)
            .map(|(&d, layer)| {
                let real = layer.iter().any(|&v| v < self.n_real);
                if real {
                    (ARROW_LEN + 6.0).max(d * GROUP_PAD + 8.0)
                } else {
                    2.0
                }
            })
            .collect();
        self.lz = max_chain
            .iter()
            .map(|&d| if d > 0.0 { d * GROUP_PAD + 4.0 } else { 2.0 })
            .collect();
        let mut max_dy = vec![0.0f64; count];
        for (s, seg) in self.segs.iter().enumerate() {
            let ya = self.y[seg.a]
                + if seg.a < self.n_real {
                    self.out_off[s]
                } else {
                    0.0
                };
            let yb = self.y[seg.b]
                + if seg.b < self.n_real {
                    self.in_off[s]
                } else {
                    0.0
                };
            let l = self.layer_of[seg.a];
            max_dy[l] = max_dy[l].max((ya - yb).abs());
        }
        let mut x = 0.0;
        self.col_left = Vec::with_capacity(count);
        for (l, dy) in max_dy.iter().enumerate() {
            x += self.inpad[l];
            self.col_left.push(x);
            x += self.col_w[l] + self.lz[l];
            if l + 1 < count {
                x += CURVE_MIN + (CURVE_SLOPE * dy).min(CURVE_MAX);
            }
        }
        self.width = x;
        self.x = vec![0.0; total];
        for (v, &l) in self.layer_of.iter().enumerate() {
            self.x[v] = self.col_left[l] + self.col_w[l] / 2.0;
        }
    }

    fn group_rects(&mut self, input: &Input) {
        let mut rects: BTreeMap<(usize, usize, usize), Rect> = BTreeMap::new();
        for (l, layer) in self.layers.iter().enumerate() {
            for &v in layer {
                let chain = self.chain_of(input, v);
                let (bx0, bx1) = (self.x[v] - self.w[v] / 2.0, self.x[v] + self.w[v] / 2.0);
                let (by0, by1) = (self.y[v] - self.h[v] / 2.0, self.y[v] + self.h[v] / 2.0);
                for (d, &a) in chain.iter().enumerate() {
                    let inner = (chain.len() - d) as f64;
                    let r = (
                        bx0 - GROUP_PAD * inner,
                        by0 - (GROUP_PAD + GROUP_LABEL) * inner,
                        bx1 + GROUP_PAD * inner,
                        by1 + GROUP_PAD * inner,
                    );
                    let e = rects.entry((d, l, a)).or_insert(r);
                    e.0 = e.0.min(r.0);
                    e.1 = e.1.min(r.1);
                    e.2 = e.2.max(r.2);
                    e.3 = e.3.max(r.3);
                }
            }
        }
        self.groups = rects
            .into_iter()
            .map(|((depth, _, ancestor), (x0, y0, x1, y1))| GroupRect {
                depth,
                ancestor,
                x0,
                y0,
                x1,
                y1,
            })
            .collect();
    }

    /// Shifts everything so the drawing's top edge is at y = 0.
    fn normalize(&mut self) {
        let mut top = f64::INFINITY;
        let mut bottom = f64::NEG_INFINITY;
        for (v, &y) in self.y.iter().enumerate() {
            top = top.min(y - self.h[v] / 2.0);
            bottom = bottom.max(y + self.h[v] / 2.0);
        }
        for g in &self.groups {
            top = top.min(g.y0);
            bottom = bottom.max(g.y1);
        }
        if !top.is_finite() || !bottom.is_finite() {
            return;
        }
        for y in &mut self.y {
            *y -= top;
        }
        for g in &mut self.groups {
            g.y0 -= top;
            g.y1 -= top;
        }
        self.height = bottom - top;
    }
}

/// Weighted isotonic regression with minimum separations: positions `out`
/// minimising sum w (out - desired)^2 subject to out[i+1] - out[i] >= sep[i]
/// (pool adjacent violators).
fn isotonic(desired: &[f64], weight: &[f64], sep: &[f64], out: &mut [f64]) {
    let k = desired.len().min(weight.len()).min(out.len());
    let mut offset = Vec::with_capacity(k);
    let mut acc = 0.0;
    for i in 0..k {
        if i > 0 {
            acc += sep.get(i - 1).copied().unwrap_or(0.0);
        }
        offset.push(acc);
    }
    // Blocks: (start, end exclusive, sum of weights, weighted sum of targets).
    let mut blocks: Vec<(usize, usize, f64, f64)> = Vec::new();
    for i in 0..k {
        let w = weight[i].max(1e-6);
        let t = desired[i] - offset[i];
        let mut blk = (i, i + 1, w, w * t);
        while let Some(&last) = blocks.last() {
            if last.3 / last.2 > blk.3 / blk.2 {
                blocks.pop();
                blk = (last.0, blk.1, last.2 + blk.2, last.3 + blk.3);
            } else {
                break;
            }
        }
        blocks.push(blk);
    }
    for (s, e, w, wt) in blocks {
        let m = wt / w;
        for i in s..e {
            out[i] = m + offset[i];
        }
    }
}
