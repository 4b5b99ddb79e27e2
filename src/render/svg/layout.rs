//! Step 3, dummy nodes: the layer of every agency → the [`Layout`], whose nodes are the
//! agencies and a dummy node wherever an edge crosses a layer, joined by segments between
//! adjacent layers, with one route per drawn edge; also the data the later steps fill in.

use super::KEY_FS;
use super::input::Input;
use super::keys::{key_label_text, key_parts};
use super::metrics::text_w;

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
    pub(super) label_x: f64,
}

/// An edge's key box: its parts (text, highlighted) and width.
pub(super) struct Label {
    pub(super) parts: Vec<(String, bool)>,
    pub(super) w: f64,
}

/// One line of text in an agency's box.
pub(super) struct TextLine {
    pub(super) text: String,
    pub(super) fs: f64,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) fill: &'static str,
}

impl TextLine {
    pub(super) fn height(&self) -> f64 {
        self.fs * 1.3
    }
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
pub(super) struct Layout {
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
    pub(super) texts: Vec<Vec<TextLine>>,
    pub(super) groups: Vec<GroupRect>,
    pub(super) width: f64,
    pub(super) height: f64,
}

impl Layout {
    /// The agencies alone, `n` of them, each in its layer; no dummy nodes yet.
    pub(super) fn new(n: usize, node_layer: &[usize]) -> Self {
        Layout {
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
    pub(super) fn build_routes(&mut self, input: &Input, node_layer: &[usize]) {
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
            let parts = input
                .keys
                .per_edge
                .get(edge)
                .map(|k| key_parts(k))
                .unwrap_or_default();
            let label = if parts.is_empty() {
                None
            } else {
                let w = text_w(&key_label_text(&parts), KEY_FS, true) + 6.0;
                Some(Label { parts, w })
            };
            self.routes.push(Route {
                edge,
                chain,
                segs,
                reversed,
                direct,
                label,
                label_x: 0.0,
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
