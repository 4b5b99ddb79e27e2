//! Self-contained SVG rendering of a [`View`], with its own layered
//! (Sugiyama-style) layout. No external program is used.
//!
//! Pipeline (the files are under `svg/`):
//! 1. sanitize the input (indices out of range, parent cycles, self-loops) and
//!    number the distinct edge texts as keys: `input.rs`, `keys.rs`;
//! 2. break cycles and assign layers: several candidate node orders (input
//!    order, petgraph's greedy feedback arc set, DFS from a few roots) are
//!    layered by longest path, scored by total edge span plus a penalty per
//!    reversed edge, improved by a local search that moves single agencies
//!    between layers, and the cheapest is kept: `layers.rs`;
//! 3. insert dummy nodes so every segment joins adjacent layers: `layout.rs`,
//!    which also holds the layout's data for steps 3 to 6;
//! 4. order each layer by barycenter sweeps (keeping agencies with the same
//!    parent together, nested), keeping the order with the fewest crossings:
//!    `order.rs`;
//! 5. give every edge its own port on the box sides, place boxes vertically
//!    by weighted isotonic regression sweeps, then place columns: `place.rs`;
//! 6. write the SVG: edges as horizontal runs joined by cubic Béziers,
//!    arrowheads as plain triangles (no ids, so several pictures can share a
//!    page), short numbered keys on each edge (`draw.rs`) and a legend below
//!    (`emit.rs`, which writes the document around the picture).
//!
//! Text widths, clipping, wrapping and the writing of coordinates serve every
//! step: `metrics.rs`.

mod draw;
mod emit;
mod input;
mod keys;
mod layers;
mod layout;
mod metrics;
mod order;
mod place;
#[cfg(test)]
mod tests;

use crate::render::graph::View;
use emit::emit;
use input::Input;
use layers::assign_layers;
use layout::Layout;

// Shared by several steps; the other constants live with the step that uses them.
const RED: &str = "#c0392b";
const EDGE_INK: &str = "#444";
const BLOCKED_INK: &str = "#8a8a8a";

const SMALL_FS: f64 = 11.0;
const KEY_FS: f64 = 11.0;

const GROUP_LABEL: f64 = 15.0;
const ARROW_LEN: f64 = 9.0;
const KEY_H: f64 = 14.0;

const MAX_NAME: usize = 60;

/// Renders the view as a complete standalone SVG document.
pub fn render(view: &View) -> String {
    let input = Input::new(view);
    let layout = lay_out(view, &input);
    let mut out = String::with_capacity(8192 + view.edges.len() * 600 + view.nodes.len() * 400);
    emit(&mut out, view, &input, &layout);
    out
}

/// Steps 2 to 5: the sanitized input laid out.
fn lay_out(view: &View, input: &Input) -> Layout {
    let node_layer = assign_layers(view, input);
    let mut layout = Layout::new(view.nodes.len(), &node_layer);
    if view.nodes.is_empty() {
        return layout;
    }
    layout.build_routes(input, &node_layer);
    layout.order(input);
    layout.place(view, input);
    layout
}
