//! Step 1, sanitizing: a [`View`] → the [`Input`] the layout can trust: parents in
//! range, ancestor chains safe from parent cycles, drawable edges apart from self-loops.

use crate::render::graph::View;

const MAX_DEPTH: usize = 6;

/// The view with every index checked.
pub(super) struct Input {
    /// Valid parent of each node (in range, not itself).
    pub(super) parent: Vec<Option<usize>>,
    /// Ancestors of each node, outermost first (cycle-safe, depth-limited).
    pub(super) chains: Vec<Vec<usize>>,
    /// Drawable edges: (index in `view.edges`, from, to), from != to.
    pub(super) edges: Vec<(usize, usize, usize)>,
    /// Self-loops per node (indices in `view.edges`).
    pub(super) loops: Vec<Vec<usize>>,
}

impl Input {
    pub(super) fn new(view: &View) -> Self {
        let n = view.nodes.len();
        let parent: Vec<Option<usize>> = view
            .nodes
            .iter()
            .enumerate()
            .map(|(i, nd)| nd.parent.filter(|&p| p < n && p != i))
            .collect();
        let chains = ancestor_chains(&parent);
        let mut edges = Vec::new();
        let mut loops = vec![Vec::new(); n];
        for (i, e) in view.edges.iter().enumerate() {
            if e.from >= n || e.to >= n {
                continue;
            }
            if e.from == e.to {
                loops[e.from].push(i);
            } else {
                edges.push((i, e.from, e.to));
            }
        }
        Input {
            parent,
            chains,
            edges,
            loops,
        }
    }
}

/// Ancestors outermost first; each chain extends its parent's chain, so the
/// ancestor at depth `d` identifies the whole prefix.
fn ancestor_chains(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    let n = parent.len();
    let mut state = vec![0u8; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut stack = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut cur = start;
        loop {
            state[cur] = 1;
            stack.push(cur);
            match parent[cur] {
                Some(p) if state[p] == 0 => cur = p,
                _ => break,
            }
        }
        while let Some(v) = stack.pop() {
            let chain = match parent[v] {
                Some(p) if state[p] == 2 => {
                    let mut c = out[p].clone();
                    if c.len() < MAX_DEPTH {
                        c.push(p);
                    }
                    c
                }
                _ => Vec::new(),
            };
            out[v] = chain;
            state[v] = 2;
        }
    }
    out
}
