//! Step 3, dummy nodes: the layer of every agency → the [`Grid`], whose nodes are the
//! agencies and a dummy node wherever an edge crosses a layer, joined by segments between
//! adjacent layers, with one route per drawn edge and its label on one of its dummy
//! nodes (so that placement reserves room for it); also the data the later steps fill in.

use super::input::Input;
use super::texts::{Label, Line, edge_label};
use crate::render::graph::View;

/// Above this many dummy nodes, long edges are drawn directly instead.
const DUMMY_BUDGET: usize = 200_000;

/// A segment between layout nodes in adjacent layers, with its weight in placement.
pub(super) struct Seg {
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) w: f64,
}

/// How one edge of the view is drawn.
pub(super) struct Route {
    pub(super) edge: usize,
    /// Layout nodes from the left end to the right end (real, dummies, real).
    pub(super) chain: Vec<usize>,
    pub(super) segs: Vec<usize>,
    /// The edge points right to left.
    pub(super) reversed: bool,
    /// Spans several layers but has no dummies (graph too big): drawn as one curve.
    pub(super) direct: bool,
    pub(super) label: Option<Label>,
    /// The dummy node the label sits on.
    pub(super) label_node: Option<usize>,
}

/// The outline of the agencies declared in `ancestor`, within one layer.
pub(super) struct GroupRect {
    pub(super) depth: usize,
    pub(super) ancestor: usize,
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) x1: f64,
    pub(super) y1: f64,
}

/// Layout nodes are the agencies (`0..n_real`) then the dummy nodes. Step 3 fills the
/// layers, segments and routes, step 4 reorders the layers, step 5 fills the rest.
pub(super) struct Grid {
    pub(super) n_real: usize,
    pub(super) layer_of: Vec<usize>,
    pub(super) layers: Vec<Vec<usize>>,
    pub(super) segs: Vec<Seg>,
    pub(super) routes: Vec<Route>,
    pub(super) out_off: Vec<f64>,
    pub(super) in_off: Vec<f64>,
    pub(super) w: Vec<f64>,
    pub(super) h: Vec<f64>,
    pub(super) x: Vec<f64>,
    pub(super) y: Vec<f64>,
    pub(super) col_left: Vec<f64>,
    pub(super) col_w: Vec<f64>,
    pub(super) lz: Vec<f64>,
    pub(super) inpad: Vec<f64>,
    pub(super) texts: Vec<Vec<Line>>,
    pub(super) groups: Vec<GroupRect>,
    pub(super) width: f64,
    pub(super) height: f64,
}

impl Grid {
    /// The agencies alone, `n` of them, each in its layer; no dummy nodes yet.
    pub(super) fn new(n: usize, node_layer: &[usize]) -> Self {
        Grid {
            n_real: n,
            layer_of: node_layer.to_vec(),
            layers: Vec::new(),
            segs: Vec::new(),
            routes: Vec::new(),
            out_off: Vec::new(),
            in_off: Vec::new(),
            w: Vec::new(),
            h: Vec::new(),
            x: Vec::new(),
            y: Vec::new(),
            col_left: Vec::new(),
            col_w: Vec::new(),
            lz: Vec::new(),
            inpad: Vec::new(),
            texts: Vec::new(),
            groups: Vec::new(),
            width: 0.0,
            height: 0.0,
        }
    }

    /// Ancestors of a layout node, outermost first (none for a dummy node).
    pub(super) fn chain_of<'a>(&self, input: &'a Input, v: usize) -> &'a [usize] {
        if v < self.n_real {
            input.chains.get(v).map_or(&[], |c| c.as_slice())
        } else {
            &[]
        }
    }

    /// Dummy nodes in every layer a long edge crosses (unless there would be too
    /// many), the segments joining them, a route per drawable edge, and the layers.
    pub(super) fn build_routes(&mut self, view: &View, input: &Input, node_layer: &[usize]) {
        let n = self.n_real;
        let total_dummies: usize = input
            .edges
            .iter()
            .map(|&(_, a, b)| node_layer[a].abs_diff(node_layer[b]).saturating_sub(1))
            .sum();
        let with_dummies = total_dummies <= DUMMY_BUDGET;
        for &(edge, a, b) in &input.edges {
            let reversed = node_layer[a] > node_layer[b];
            let (u, v) = if reversed { (b, a) } else { (a, b) };
            let (lu, lv) = (node_layer[u], node_layer[v]);
            if lu == lv {
                continue; // cannot happen after layering; skip rather than misdraw
            }
            let direct = lv - lu > 1 && !with_dummies;
            let mut chain = vec![u];
            if !direct {
                for l in lu + 1..lv {
                    chain.push(self.layer_of.len());
                    self.layer_of.push(l);
                }
            }
            chain.push(v);
            let mut segs = Vec::new();
            if !direct {
                for win in chain.windows(2) {
                    let (sa, sb) = (win[0], win[1]);
                    let dummies = usize::from(sa >= n) + usize::from(sb >= n);
                    let w = [1.0, 2.0, 8.0][dummies];
                    segs.push(self.segs.len());
                    self.segs.push(Seg { a: sa, b: sb, w });
                }
            }
            let label = if direct {
                None
            } else {
                view.edges.get(edge).and_then(edge_label)
            };
            // the dummy in an odd layer (a label column) nearest the middle
            let inner = &chain[1..chain.len() - 1];
            let label_node = label.as_ref().and_then(|_| {
                let mid = inner.len() as f64 / 2.0 - 0.5;
                inner
                    .iter()
                    .enumerate()
                    .filter(|&(_, &d)| self.layer_of[d] % 2 == 1)
                    .min_by(|a, b| {
                        (a.0 as f64 - mid)
                            .abs()
                            .total_cmp(&(b.0 as f64 - mid).abs())
                            .then(a.0.cmp(&b.0))
                    })
                    .or_else(|| inner.iter().enumerate().next())
                    .map(|(_, &d)| d)
            });
            let label = label_node.and(label);
            self.routes.push(Route {
                edge,
                chain,
                segs,
                reversed,
                direct,
                label,
                label_node,
            });
        }
        let layer_count = self.layer_of.iter().copied().max().map_or(0, |m| m + 1);
        self.layers = vec![Vec::new(); layer_count];
        for (v, &l) in self.layer_of.iter().enumerate() {
            self.layers[l].push(v);
        }
    }

    /// Segments leaving and entering every layout node.
    pub(super) fn adjacency(&self) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let total = self.layer_of.len();
        let mut out_segs = vec![Vec::new(); total];
        let mut in_segs = vec![Vec::new(); total];
        for (s, seg) in self.segs.iter().enumerate() {
            out_segs[seg.a].push(s);
            in_segs[seg.b].push(s);
        }
        (out_segs, in_segs)
    }

    pub(super) fn box_left(&self, v: usize) -> f64 {
        self.x[v] - self.w[v] / 2.0
    }

    pub(super) fn box_right(&self, v: usize) -> f64 {
        self.x[v] + self.w[v] / 2.0
    }
}
