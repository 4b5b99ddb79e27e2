//! Self-contained SVG rendering of a [`View`], laid out either by flowproof's own
//! layered (Sugiyama-style) layout or, when it is installed, by Graphviz `dot`.
//!
//! Pipeline (the files are under `svg/`):
//! 1. sanitize the input (indices out of range, parent cycles, self-loops): `input.rs`;
//!    the words drawn (box lines, edge labels, tooltips, the text alternative):
//!    `texts.rs`;
//! 2. break cycles and assign layers: several candidate node orders (input
//!    order, petgraph's greedy feedback arc set, depth- and breadth-first search
//!    from a few roots) are layered by longest path, scored by total edge span
//!    plus a penalty per reversed edge, improved by a local search that moves
//!    single agencies between layers, and the cheapest are kept: `layers.rs`. The
//!    layers are then doubled, so that between two columns of agencies there is a
//!    column for labels;
//! 3. insert dummy nodes so every segment joins adjacent layers, and give each edge's
//!    label the dummy node nearest its middle in a label column, so the layout
//!    reserves room for it: `grid.rs`, which also holds the layout's data for steps 3
//!    to 6;
//! 4. order each layer: barycenter and median sweeps with agencies of the same parent
//!    kept together (nested), each followed by transposing neighbours while that
//!    removes crossings, keeping the order with the fewest crossings: `order.rs`;
//! 5. give every edge its own port on the box sides, place boxes vertically
//!    by weighted isotonic regression sweeps, then place columns: `place.rs`;
//! 6. route the edges: horizontal runs through the columns joined by cubic Béziers
//!    (`draw.rs`), giving a [`drawing::Drawing`].
//!
//! With `dot` (`dot.rs` here): flowproof's DOT, with the texts drawn here, is laid out
//! by `dot -Tjson` and its boxes, cluster outlines, splines and label positions are read
//! into the same [`drawing::Drawing`]; if `dot` fails or its answer cannot be read, the
//! own layout is used.
//!
//! 7. write the SVG, the same way for both: `emit.rs`. `crossings.rs` counts the
//!    crossings between the drawn edges of either layout.
//!
//! Text widths, clipping, wrapping and the writing of coordinates serve every
//! step: `metrics.rs`.

mod crossings;
mod dot;
mod draw;
mod drawing;
mod emit;
mod grid;
mod input;
mod layers;
mod metrics;
mod order;
mod place;
#[cfg(test)]
mod tests;
mod texts;

use crate::render::graph::View;
use drawing::Drawing;
use emit::emit;
use grid::Grid;
use input::Input;
use layers::candidate_layers;

const SMALL_FS: f64 = 11.0;
const NAME_FS: f64 = 12.0;
const LABEL_FS: f64 = 11.0;
const LABEL_LH: f64 = 13.0;

const GROUP_LABEL: f64 = 15.0;
const GROUP_PAD: f64 = 7.0;
const PAD_X: f64 = 8.0;
const PAD_Y: f64 = 5.0;
const ARROW_LEN: f64 = 9.0;

const MAX_NAME: usize = 60;
/// Graphs up to this many agencies and edges try several layerings.
const LAYERING_TRIALS_UP_TO: usize = 400;

/// Who lays the picture out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Graphviz `dot` when it is on the `PATH`, flowproof's own layout otherwise.
    Auto,
    /// flowproof's own layout (no external program; the same picture everywhere).
    Own,
    /// Graphviz `dot`; flowproof's own layout if `dot` cannot be run or read.
    Dot,
}

/// A picture and the layout that drew it ([`Layout::Own`] or [`Layout::Dot`]).
#[derive(Clone, Debug)]
pub struct Rendered {
    pub svg: String,
    pub layout: Layout,
}

/// Renders the view as a complete standalone SVG document with the own layout (the
/// same picture on every machine).
pub fn render(view: &View) -> String {
    render_with(view, Layout::Own).svg
}

/// `auto` leaves graphs of more agencies than this to the own layout: `dot`'s time grows
/// much faster than linearly (a nation of 3,143 counties takes it minutes).
pub const AUTO_DOT_MAX_AGENCIES: usize = 400;

/// Renders the view as a complete standalone SVG document, laid out as asked; says
/// which layout drew it. Never fails: without a usable `dot`, the own layout draws it.
pub fn render_with(view: &View, layout: Layout) -> Rendered {
    render_as(view, layout, true)
}

/// [`render_with`] for a page that tells the conditions in words elsewhere: no
/// tooltips with each edge's conditions (a report embeds a dozen graphs).
pub fn render_for_page(view: &View, layout: Layout) -> Rendered {
    render_as(view, layout, false)
}

fn render_as(view: &View, layout: Layout, tips: bool) -> Rendered {
    let input = Input::new(view);
    let try_dot = match layout {
        Layout::Own => false,
        Layout::Dot => true,
        Layout::Auto => view.nodes.len() <= AUTO_DOT_MAX_AGENCIES && dot::available(),
    };
    let dot_drawing = if try_dot && !view.nodes.is_empty() {
        dot::lay_out(view, &input)
    } else {
        None
    };
    let (drawing, used, credit) = match dot_drawing {
        Some(d) => (d, Layout::Dot, "laid out by Graphviz dot"),
        None => (lay_out(view, &input), Layout::Own, "laid out by flowproof"),
    };
    let mut svg = String::with_capacity(4096 + view.edges.len() * 400 + view.nodes.len() * 300);
    emit(&mut svg, view, &drawing, credit, tips);
    Rendered { svg, layout: used }
}

/// How many times the drawn edges cross each other in the picture the layout draws
/// (`None` if `dot` was asked for and could not be used).
pub fn crossings(view: &View, layout: Layout) -> Option<usize> {
    let input = Input::new(view);
    let drawing = match layout {
        Layout::Own => lay_out(view, &input),
        Layout::Dot => dot::lay_out(view, &input)?,
        Layout::Auto => dot::lay_out(view, &input).unwrap_or_else(|| lay_out(view, &input)),
    };
    Some(crossings::count(&drawing))
}

/// How many times the edges cross in Graphviz `dot`'s layout of `dot_source`, a DOT
/// text written by [`crate::render::dot::render`] for `view` (`None` if `dot` cannot be
/// run or its answer read).
pub fn dot_crossings(view: &View, dot_source: &str) -> Option<usize> {
    let json = dot::run(dot_source)?;
    let drawing = dot::read(view, &Input::new(view), &json)?;
    Some(crossings::count(&drawing))
}

/// Whether Graphviz `dot` can be run.
pub fn dot_available() -> bool {
    dot::available()
}

/// Steps 2 to 6: the sanitized input laid out by flowproof.
fn lay_out(view: &View, input: &Input) -> Drawing {
    lay_out_grid(view, input).into_drawing()
}

/// Small graphs try several layerings and keep the one whose order crosses least.
fn lay_out_grid(view: &View, input: &Input) -> Grid {
    let size = view.nodes.len() + input.edges.len();
    let keep = if size <= LAYERING_TRIALS_UP_TO { 32 } else { 1 };
    let mut best: Option<((u64, usize), Grid)> = None;
    for (i, layers) in candidate_layers(view, input, keep).into_iter().enumerate() {
        // every other layer is left for the labels
        let node_layer: Vec<usize> = layers.into_iter().map(|l| l * 2).collect();
        let mut grid = Grid::new(view.nodes.len(), &node_layer);
        if view.nodes.is_empty() {
            return grid;
        }
        grid.build_routes(view, input, &node_layer);
        let crossings = grid.order(input);
        let key = (crossings, i);
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((key, grid));
        }
    }
    let mut grid = match best {
        Some((_, g)) => g,
        None => Grid::new(view.nodes.len(), &vec![0; view.nodes.len()]),
    };
    if !view.nodes.is_empty() {
        grid.place(view, input);
    }
    grid
}
