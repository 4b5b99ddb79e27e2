//! Step 2, breaking cycles and assigning layers: the sanitized input → the layer of
//! every agency, 0-based, no empty layers, each edge preferably pointing right.

use super::input::Input;
use crate::render::graph::View;
use petgraph::algo::greedy_feedback_arc_set;
use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Rough number of elementary steps allowed for the layering search.
const SEARCH_BUDGET: usize = 400_000;
/// Penalty (in layers of span) for drawing an edge right-to-left.
const REVERSE_COST: u64 = 2;
/// Extra penalty for reversing an edge on the highlighted path.
const REVERSE_HL_COST: u64 = 4;

/// Drawable edges merged by their ends, with what the layering costs need.
struct Pairs {
    ends: Vec<(usize, usize)>,
    mult: Vec<u64>,
    hl: Vec<u64>,
    /// Per node: (other end, pair index) for every incident pair.
    inc: Vec<Vec<(usize, usize)>>,
    /// Direct parent of each node, and how many children each node has:
    /// siblings in one layer are a tie-breaker.
    parent: Vec<Option<usize>>,
    children: Vec<u64>,
}

impl Pairs {
    fn new(n: usize, view: &View, input: &Input) -> Self {
        let mut index: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        let mut ends = Vec::new();
        let mut mult = Vec::new();
        let mut hl = Vec::new();
        for &(i, a, b) in &input.edges {
            let highlighted = view.edges.get(i).is_some_and(|e| e.highlight);
            let k = *index.entry((a, b)).or_insert_with(|| {
                ends.push((a, b));
                mult.push(0);
                hl.push(0);
                ends.len() - 1
            });
            mult[k] += 1;
            hl[k] += u64::from(highlighted);
        }
        let mut inc = vec![Vec::new(); n];
        for (p, &(a, b)) in ends.iter().enumerate() {
            inc[a].push((b, p));
            inc[b].push((a, p));
        }
        let parent = input.parent.clone();
        let mut children = vec![0u64; n];
        for p in parent.iter().flatten() {
            children[*p] += 1;
        }
        Pairs {
            ends,
            mult,
            hl,
            inc,
            parent,
            children,
        }
    }

    fn pair_cost(&self, p: usize, la: i64, lb: i64) -> u64 {
        let m = self.mult[p];
        if la == lb {
            return u64::MAX / 4;
        }
        let span = la.abs_diff(lb);
        if la < lb {
            span * m
        } else {
            span * m + REVERSE_COST * m + REVERSE_HL_COST * self.hl[p]
        }
    }

    /// Edge cost, then the number of (node, sibling) pairs split across layers.
    fn cost(&self, layer: &[i64]) -> (u64, u64) {
        let mut c: u64 = 0;
        for (p, &(a, b)) in self.ends.iter().enumerate() {
            c = c.saturating_add(self.pair_cost(p, layer[a], layer[b]));
        }
        let counts = self.sibling_counts(layer);
        let mut split = 0u64;
        for (v, par) in self.parent.iter().enumerate() {
            if let Some(p) = *par {
                let same = counts.get(&(p, layer[v])).copied().unwrap_or(1);
                split += self.children[p].saturating_sub(same);
            }
        }
        (c, split)
    }

    fn sibling_counts(&self, layer: &[i64]) -> BTreeMap<(usize, i64), u64> {
        let mut counts = BTreeMap::new();
        for (v, par) in self.parent.iter().enumerate() {
            if let Some(p) = *par {
                *counts.entry((p, layer[v])).or_insert(0) += 1;
            }
        }
        counts
    }

    fn node_cost(&self, v: usize, l: i64, layer: &[i64]) -> u64 {
        let mut c: u64 = 0;
        for &(w, p) in &self.inc[v] {
            let (la, lb) = if self.ends[p].0 == v {
                (l, layer[w])
            } else {
                (layer[w], l)
            };
            c = c.saturating_add(self.pair_cost(p, la, lb));
        }
        c
    }
}

/// Topological order after reversing the flagged pairs (robust even if the
/// flags leave a cycle: then some node is taken early).
fn kahn_order(n: usize, ends: &[(usize, usize)], rev: &[bool]) -> Vec<usize> {
    let mut out = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, &(a, b)) in ends.iter().enumerate() {
        let (u, v) = if rev.get(i).copied().unwrap_or(false) {
            (b, a)
        } else {
            (a, b)
        };
        out[u].push(v);
        indeg[v] += 1;
    }
    let mut queued = vec![false; n];
    let mut queue = VecDeque::new();
    for v in 0..n {
        if indeg[v] == 0 {
            queued[v] = true;
            queue.push_back(v);
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut cursor = 0;
    while order.len() < n {
        let Some(u) = queue.pop_front() else {
            while cursor < n && queued[cursor] {
                cursor += 1;
            }
            if cursor >= n {
                break;
            }
            queued[cursor] = true;
            queue.push_back(cursor);
            continue;
        };
        order.push(u);
        for &v in &out[u] {
            indeg[v] = indeg[v].saturating_sub(1);
            if indeg[v] == 0 && !queued[v] {
                queued[v] = true;
                queue.push_back(v);
            }
        }
    }
    order
}

/// Reverse DFS postorder starting at `root`, then the other nodes in index
/// order: a topological order once DFS back edges are reversed.
fn dfs_order(n: usize, succ: &[Vec<usize>], root: usize) -> Vec<usize> {
    let mut state = vec![0u8; n];
    let mut post = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in std::iter::once(root).chain(0..n) {
        if start >= n || state[start] != 0 {
            continue;
        }
        state[start] = 1;
        stack.push((start, 0));
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if let Some(&w) = succ[v].get(i) {
                top.1 += 1;
                if state[w] == 0 {
                    state[w] = 1;
                    stack.push((w, 0));
                }
            } else {
                state[v] = 2;
                post.push(v);
                stack.pop();
            }
        }
    }
    post.reverse();
    post
}

/// Breadth-first order from `root`, then from the other nodes in index order:
/// edges that point back in it are reversed, so that every node stays near the
/// root it is first reached from (as `dot`'s layering tends to).
fn bfs_order(n: usize, succ: &[Vec<usize>], root: usize) -> Vec<usize> {
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for start in std::iter::once(root).chain(0..n) {
        if start >= n || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut at = order.len();
        order.push(start);
        while let Some(&v) = order.get(at) {
            at += 1;
            for &w in &succ[v] {
                if !seen[w] {
                    seen[w] = true;
                    order.push(w);
                }
            }
        }
    }
    order
}

/// Longest-path layering of the DAG obtained by orienting every pair along
/// `order`; then nodes with more outgoing than incoming edges are pulled
/// right, next to their successors.
fn longest_path(n: usize, pairs: &Pairs, order: &[usize]) -> Vec<i64> {
    let mut pos = vec![0usize; n];
    for (i, &v) in order.iter().enumerate() {
        if let Some(p) = pos.get_mut(v) {
            *p = i;
        }
    }
    let mut layer = vec![0i64; n];
    for &u in order {
        for &(w, _) in &pairs.inc[u] {
            if pos[w] > pos[u] && layer[w] < layer[u] + 1 {
                layer[w] = layer[u] + 1;
            }
        }
    }
    for &u in order.iter().rev() {
        let (mut out_m, mut in_m, mut min_l) = (0u64, 0u64, i64::MAX);
        for &(w, p) in &pairs.inc[u] {
            if pos[w] > pos[u] {
                out_m += pairs.mult[p];
                min_l = min_l.min(layer[w]);
            } else {
                in_m += pairs.mult[p];
            }
        }
        if out_m > in_m && min_l != i64::MAX && min_l - 1 > layer[u] {
            layer[u] = min_l - 1;
        }
    }
    layer
}

/// Moves single nodes to the layer that lowers the cost of their edges
/// (ties broken by joining more of their siblings).
fn local_search(pairs: &Pairs, layer: &mut [i64]) {
    let n = layer.len();
    let mut counts = pairs.sibling_counts(layer);
    for _ in 0..6 {
        let mut moved = false;
        for v in 0..n {
            let deg = pairs.inc[v].len();
            if deg == 0 || deg > 200 {
                continue;
            }
            let apart = |l: i64, counts: &BTreeMap<(usize, i64), u64>| -> u64 {
                let Some(p) = pairs.parent[v] else { return 0 };
                let same = counts.get(&(p, l)).copied().unwrap_or(0) + u64::from(l != layer[v]);
                pairs.children[p].saturating_sub(same)
            };
            let cur = (
                pairs.node_cost(v, layer[v], layer),
                apart(layer[v], &counts),
            );
            let mut best = (cur, layer[v]);
            for &(w, _) in &pairs.inc[v] {
                for cand in [layer[w] - 1, layer[w] + 1] {
                    if cand == layer[v] {
                        continue;
                    }
                    let c = (pairs.node_cost(v, cand, layer), apart(cand, &counts));
                    if c < best.0 {
                        best = (c, cand);
                    }
                }
            }
            if best.1 != layer[v] {
                if let Some(p) = pairs.parent[v] {
                    if let Some(c) = counts.get_mut(&(p, layer[v])) {
                        *c = c.saturating_sub(1);
                    }
                    *counts.entry((p, best.1)).or_insert(0) += 1;
                }
                layer[v] = best.1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Up to `keep` distinct layerings (each: the layer of every node, 0-based, no empty
/// layers), cheapest first.
pub(super) fn candidate_layers(view: &View, input: &Input, keep: usize) -> Vec<Vec<usize>> {
    let n = view.nodes.len();
    let pairs = Pairs::new(n, view, input);
    if n == 0 {
        return vec![Vec::new()];
    }
    if pairs.ends.is_empty() {
        return vec![vec![0; n]];
    }
    let mut succ = vec![Vec::new(); n];
    for &(a, b) in &pairs.ends {
        succ[a].push(b);
    }
    let mut orders: Vec<Vec<usize>> = vec![(0..n).collect()];

    let mut g = DiGraph::<(), ()>::with_capacity(n, pairs.ends.len());
    let ids: Vec<_> = (0..n).map(|_| g.add_node(())).collect();
    for &(a, b) in &pairs.ends {
        g.add_edge(ids[a], ids[b], ());
    }
    let mut rev = vec![false; pairs.ends.len()];
    for e in greedy_feedback_arc_set(&g) {
        if let Some(r) = rev.get_mut(e.id().index()) {
            *r = true;
        }
    }
    orders.push(kahn_order(n, &pairs.ends, &rev));

    let size = n + pairs.ends.len() + 1;
    // a depth-first and a breadth-first order per root
    let tries = (SEARCH_BUDGET / (2 * size)).clamp(1, n);
    let mut roots: Vec<(i64, usize)> = (0..n)
        .filter(|&v| !pairs.inc[v].is_empty())
        .map(|v| {
            let (mut o, mut i) = (0i64, 0i64);
            for &(_, p) in &pairs.inc[v] {
                let m = i64::try_from(pairs.mult[p]).unwrap_or(i64::MAX / 4);
                if pairs.ends[p].0 == v {
                    o += m;
                } else {
                    i += m;
                }
            }
            (i - o, v)
        })
        .collect();
    roots.sort_unstable();
    for &(_, r) in roots.iter().take(tries) {
        orders.push(dfs_order(n, &succ, r));
        orders.push(bfs_order(n, &succ, r));
    }

    let mut scored: Vec<((u64, u64), usize, Vec<i64>)> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let l = longest_path(n, &pairs, o);
            (pairs.cost(&l), i, l)
        })
        .collect();
    scored.sort_by_key(|(c, i, _)| (*c, *i));
    let refine = (SEARCH_BUDGET / (size * 12))
        .clamp(1, 12)
        .max(keep.min(scored.len()));
    let mut found: Vec<((u64, u64), Vec<usize>)> = Vec::new();
    for (c, _, mut l) in scored.into_iter().take(refine) {
        if keep > 1 {
            // small graphs also try the layering before the search
            let raw = compact(&l);
            if !found.iter().any(|(_, f)| *f == raw) {
                found.push((c, raw));
            }
        }
        local_search(&pairs, &mut l);
        let c = pairs.cost(&l);
        let l = compact(&l);
        if !found.iter().any(|(_, f)| *f == l) {
            found.push((c, l));
        }
    }
    found.sort_by_key(|(c, _)| *c);
    found.truncate(keep.max(1));
    if found.is_empty() {
        return vec![vec![0; n]];
    }
    found.into_iter().map(|(_, l)| l).collect()
}

/// Layers renumbered 0.. without gaps.
fn compact(layer: &[i64]) -> Vec<usize> {
    let used: BTreeSet<i64> = layer.iter().copied().collect();
    let rank: BTreeMap<i64, usize> = used.into_iter().enumerate().map(|(i, l)| (l, i)).collect();
    layer
        .iter()
        .map(|l| rank.get(l).copied().unwrap_or(0))
        .collect()
}
