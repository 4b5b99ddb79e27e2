//! Self-contained SVG rendering of a [`View`], with its own layered
//! (Sugiyama-style) layout. No external program is used.
//!
//! Pipeline:
//! 1. sanitize the input (indices out of range, parent cycles, self-loops);
//! 2. break cycles and assign layers: several candidate node orders (input
//!    order, petgraph's greedy feedback arc set, DFS from a few roots) are
//!    layered by longest path, scored by total edge span plus a penalty per
//!    reversed edge, improved by a local search that moves single agencies
//!    between layers, and the cheapest is kept;
//! 3. insert dummy nodes so every segment joins adjacent layers;
//! 4. order each layer by barycenter sweeps (keeping agencies with the same
//!    parent together, nested), keeping the order with the fewest crossings;
//! 5. give every edge its own port on the box sides, place boxes vertically
//!    by weighted isotonic regression sweeps, then place columns;
//! 6. write the SVG: edges as horizontal runs joined by cubic Béziers,
//!    arrowheads as plain triangles (no ids, so several pictures can share a
//!    page), short numbered keys on each edge and a legend below.

use super::{Edge, View, escape};
use petgraph::algo::greedy_feedback_arc_set;
use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::{self, Write as _};

const FONT: &str = "Helvetica, Arial, sans-serif";
const RED: &str = "#c0392b";
const INK: &str = "#111";
const GREY: &str = "#555";
const EDGE_INK: &str = "#444";
const BLOCKED_INK: &str = "#8a8a8a";

const NAME_FS: f64 = 13.0;
const SMALL_FS: f64 = 11.0;
const KEY_FS: f64 = 11.0;
const TITLE_FS: f64 = 18.0;
const CAPTION_FS: f64 = 13.0;
const LEGEND_FS: f64 = 12.0;

const MARGIN: f64 = 24.0;
const PAD_X: f64 = 9.0;
const PAD_Y: f64 = 6.0;
const PORT_SP: f64 = 16.0;
const NODE_GAP: f64 = 20.0;
const DUMMY_GAP: f64 = 10.0;
const GROUP_PAD: f64 = 7.0;
const GROUP_LABEL: f64 = 15.0;
const ARROW_LEN: f64 = 9.0;
const ARROW_HW: f64 = 4.0;
const KEY_H: f64 = 14.0;

const MAX_DEPTH: usize = 6;
const MAX_NAME: usize = 60;
const MAX_NOTE: usize = 90;
const MAX_LEGEND_TEXT: usize = 160;
const MAX_RULES_TEXT: usize = 140;
const MAX_TOOLTIP: usize = 4000;
/// Above this many dummy nodes, long edges are drawn directly instead.
const DUMMY_BUDGET: usize = 200_000;
/// Rough number of elementary steps allowed for the layering search.
const SEARCH_BUDGET: usize = 400_000;
const ORDER_SWEEPS: usize = 12;
/// Penalty (in layers of span) for drawing an edge right-to-left.
const REVERSE_COST: u64 = 2;
/// Extra penalty for reversing an edge on the highlighted path.
const REVERSE_HL_COST: u64 = 4;

/// Renders the view as a complete standalone SVG document.
pub fn render(view: &View) -> String {
    let input = Input::new(view);
    let layout = Layout::new(view, &input);
    let mut out = String::with_capacity(8192 + view.edges.len() * 600 + view.nodes.len() * 400);
    emit(&mut out, view, &input, &layout);
    out
}

// ---------------------------------------------------------------------------
// Small helpers

/// A coordinate, written with at most one decimal.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let t = (v * 10.0).round() as i64;
        let sign = if t < 0 { "-" } else { "" };
        let a = t.unsigned_abs();
        if a % 10 == 0 {
            write!(f, "{sign}{}", a / 10)
        } else {
            write!(f, "{sign}{}.{}", a / 10, a % 10)
        }
    }
}

/// Estimated advance of one character, in ems (no font metrics available).
fn char_em(c: char) -> f64 {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || u >= 0x1F300;
    if wide {
        1.0
    } else if matches!(c, 'm' | 'w' | 'M' | 'W' | '@' | '%') {
        0.85
    } else if c.is_uppercase() {
        0.7
    } else if matches!(
        c,
        'i' | 'l'
            | 'j'
            | 't'
            | 'f'
            | 'r'
            | '.'
            | ','
            | ':'
            | ';'
            | '\''
            | '|'
            | '!'
            | '('
            | ')'
            | '['
            | ']'
            | ' '
    ) {
        0.34
    } else {
        0.58
    }
}

/// Estimated width of `s` at font size `fs`.
fn text_w(s: &str, fs: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * fs * if bold { 1.08 } else { 1.0 }
}

/// One line of display text: newlines and tabs become spaces, long text is
/// cut with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    let max = max.max(2);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i + 1 >= max && s.chars().nth(i + 1).is_some() {
            out.push('…');
            return out;
        }
        out.push(if c == '\n' || c == '\t' || c == '\r' {
            ' '
        } else {
            c
        });
    }
    out
}

/// Tooltip text: kept whole up to a generous limit.
fn tip(s: &str) -> String {
    if s.chars().count() <= MAX_TOOLTIP {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_TOOLTIP).collect();
        t.push('…');
        t
    }
}

/// Greedy word wrap to about `max_chars` per line, at most `max_lines`.
fn wrap(s: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0usize;
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let wl = word.len();
            if cur_len > 0 && cur_len + 1 + wl <= max_chars {
                cur.push(' ');
                cur.extend(word.iter());
                cur_len += 1 + wl;
                break;
            }
            if cur_len > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_len = 0;
            }
            if wl <= max_chars {
                cur.extend(word.iter());
                cur_len = wl;
                break;
            }
            let rest = word.split_off(max_chars);
            lines.push(word.iter().collect());
            word = rest;
            if lines.len() > max_lines {
                break;
            }
        }
        if lines.len() > max_lines {
            break;
        }
    }
    if cur_len > 0 {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines
}

// ---------------------------------------------------------------------------
// Input, sanitized

struct Input {
    /// Valid parent of each node (in range, not itself).
    parent: Vec<Option<usize>>,
    /// Ancestors of each node, outermost first (cycle-safe, depth-limited).
    chains: Vec<Vec<usize>>,
    /// Drawable edges: (index in `view.edges`, from, to), from != to.
    edges: Vec<(usize, usize, usize)>,
    /// Self-loops per node (indices in `view.edges`).
    loops: Vec<Vec<usize>>,
    keys: Keys,
}

impl Input {
    fn new(view: &View) -> Self {
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
            keys: Keys::new(view, n),
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

struct KeyEntry {
    text: String,
    rules: BTreeSet<String>,
    highlight: bool,
}

/// Distinct label texts, numbered from 1 in alphabetical order.
struct Keys {
    entries: Vec<KeyEntry>,
    /// Per edge of the view: sorted distinct (key index, highlighted).
    per_edge: Vec<Vec<(usize, bool)>>,
}

impl Keys {
    /// Only edges whose ends exist (`n` nodes) contribute keys.
    fn new(view: &View, n: usize) -> Self {
        let mut map: BTreeMap<String, (BTreeSet<String>, bool)> = BTreeMap::new();
        let texts: Vec<Vec<String>> = view
            .edges
            .iter()
            .map(|e| e.lines.iter().map(|l| l.text()).collect())
            .collect();
        for (e, ts) in view.edges.iter().zip(&texts) {
            if e.from >= n || e.to >= n {
                continue;
            }
            for (l, t) in e.lines.iter().zip(ts) {
                let ent = map.entry(t.clone()).or_default();
                if !ent.0.contains(&l.rule) {
                    ent.0.insert(l.rule.clone());
                }
                ent.1 |= l.highlight;
            }
        }
        let entries: Vec<KeyEntry> = map
            .into_iter()
            .map(|(text, (rules, highlight))| KeyEntry {
                text,
                rules,
                highlight,
            })
            .collect();
        let per_edge = view
            .edges
            .iter()
            .zip(&texts)
            .map(|(e, ts)| {
                let mut ks: Vec<(usize, bool)> = e
                    .lines
                    .iter()
                    .zip(ts)
                    .filter_map(|(l, t)| {
                        entries
                            .binary_search_by(|k| k.text.as_str().cmp(t.as_str()))
                            .ok()
                            .map(|i| (i, l.highlight))
                    })
                    .collect();
                ks.sort_unstable();
                let mut merged: Vec<(usize, bool)> = Vec::with_capacity(ks.len());
                for (k, hl) in ks {
                    match merged.last_mut() {
                        Some(last) if last.0 == k => last.1 |= hl,
                        _ => merged.push((k, hl)),
                    }
                }
                merged
            })
            .collect();
        Keys { entries, per_edge }
    }
}

/// "[1-3,5]" as parts (text, highlighted), consecutive keys with the same
/// highlighting folded into ranges. Keys are shown 1-based.
fn key_parts(keys: &[(usize, bool)]) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let (start, hl) = keys[i];
        let mut j = i;
        while j + 1 < keys.len() && keys[j + 1].0 == keys[j].0 + 1 && keys[j + 1].1 == hl {
            j += 1;
        }
        let end = keys[j].0;
        let text = if end > start + 1 {
            format!("{}-{}", start + 1, end + 1)
        } else if end == start + 1 {
            format!("{},{}", start + 1, end + 1)
        } else {
            format!("{}", start + 1)
        };
        parts.push((text, hl));
        i = j + 1;
    }
    parts
}

fn key_label_text(parts: &[(String, bool)]) -> String {
    let inner: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
    format!("[{}]", inner.join(","))
}

/// Rules grouped by file: "a.flow:3, 7; b.flow:12".
fn format_rules(rules: &BTreeSet<String>) -> String {
    let mut files: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut plain: Vec<&str> = Vec::new();
    for r in rules {
        match r.rsplit_once(':') {
            Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
                match line.parse::<u64>() {
                    Ok(n) => files.entry(file).or_default().push(n),
                    Err(_) => plain.push(r),
                }
            }
            _ => plain.push(r),
        }
    }
    let mut groups: Vec<String> = files
        .into_iter()
        .map(|(file, mut lines)| {
            lines.sort_unstable();
            lines.dedup();
            let ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            format!("{file}:{}", ls.join(", "))
        })
        .collect();
    groups.extend(plain.into_iter().map(str::to_string));
    clip(&groups.join("; "), MAX_RULES_TEXT)
}

// ---------------------------------------------------------------------------
// Layer assignment

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

/// Layer of every node, 0-based, no empty layers.
fn assign_layers(n: usize, pairs: &Pairs) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    if pairs.ends.is_empty() {
        return vec![0; n];
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
    let tries = (SEARCH_BUDGET / size).clamp(1, n);
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
    }

    let mut scored: Vec<((u64, u64), usize, Vec<i64>)> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let l = longest_path(n, pairs, o);
            (pairs.cost(&l), i, l)
        })
        .collect();
    scored.sort_by_key(|(c, i, _)| (*c, *i));
    let refine = (SEARCH_BUDGET / (size * 12)).clamp(1, 12);
    let mut best: Option<((u64, u64), Vec<i64>)> = None;
    for (_, _, mut l) in scored.into_iter().take(refine) {
        local_search(pairs, &mut l);
        let c = pairs.cost(&l);
        if best.as_ref().is_none_or(|(bc, _)| c < *bc) {
            best = Some((c, l));
        }
    }
    let layer = best.map(|(_, l)| l).unwrap_or_else(|| vec![0; n]);
    let used: BTreeSet<i64> = layer.iter().copied().collect();
    let rank: BTreeMap<i64, usize> = used.into_iter().enumerate().map(|(i, l)| (l, i)).collect();
    layer
        .iter()
        .map(|l| rank.get(l).copied().unwrap_or(0))
        .collect()
}

// ---------------------------------------------------------------------------
// Layout

struct Seg {
    a: usize,
    b: usize,
    w: f64,
}

/// How one edge of the view is drawn.
struct Route {
    edge: usize,
    /// Layout nodes from the left end to the right end (real, dummies, real).
    chain: Vec<usize>,
    segs: Vec<usize>,
    /// The edge points right to left.
    reversed: bool,
    /// Spans several layers but has no dummies (graph too big): drawn as one curve.
    direct: bool,
    label: Option<Label>,
    label_x: f64,
}

struct Label {
    parts: Vec<(String, bool)>,
    w: f64,
}

struct TextLine {
    text: String,
    fs: f64,
    bold: bool,
    italic: bool,
    fill: &'static str,
}

impl TextLine {
    fn height(&self) -> f64 {
        self.fs * 1.3
    }
}

/// x0, y0, x1, y1.
type Rect = (f64, f64, f64, f64);

struct GroupRect {
    depth: usize,
    ancestor: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

struct Layout {
    n_real: usize,
    layer_of: Vec<usize>,
    layers: Vec<Vec<usize>>,
    segs: Vec<Seg>,
    routes: Vec<Route>,
    out_off: Vec<f64>,
    in_off: Vec<f64>,
    w: Vec<f64>,
    h: Vec<f64>,
    x: Vec<f64>,
    y: Vec<f64>,
    col_left: Vec<f64>,
    col_w: Vec<f64>,
    lz: Vec<f64>,
    inpad: Vec<f64>,
    texts: Vec<Vec<TextLine>>,
    groups: Vec<GroupRect>,
    width: f64,
    height: f64,
}

impl Layout {
    fn new(view: &View, input: &Input) -> Self {
        let n = view.nodes.len();
        let pairs = Pairs::new(n, view, input);
        let node_layer = assign_layers(n, &pairs);
        let mut lay = Layout {
            n_real: n,
            layer_of: node_layer.clone(),
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
        };
        if n == 0 {
            return lay;
        }
        lay.build_routes(input, &node_layer);
        lay.order(input);
        lay.ports();
        lay.sizes(view, input);
        lay.place_y(view, input);
        lay.place_x(input);
        lay.group_rects(input);
        lay.normalize();
        lay
    }

    fn chain_of<'a>(&self, input: &'a Input, v: usize) -> &'a [usize] {
        if v < self.n_real {
            input.chains.get(v).map_or(&[], |c| c.as_slice())
        } else {
            &[]
        }
    }

    fn build_routes(&mut self, input: &Input, node_layer: &[usize]) {
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

    fn adjacency(&self) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let total = self.layer_of.len();
        let mut out_segs = vec![Vec::new(); total];
        let mut in_segs = vec![Vec::new(); total];
        for (s, seg) in self.segs.iter().enumerate() {
            out_segs[seg.a].push(s);
            in_segs[seg.b].push(s);
        }
        (out_segs, in_segs)
    }

    /// Barycenter sweeps; siblings (same ancestors) stay contiguous.
    fn order(&mut self, input: &Input) {
        let (out_segs, in_segs) = self.adjacency();
        let total = self.layer_of.len();
        let mut pos = vec![0usize; total];
        let set_pos = |layers: &[Vec<usize>], pos: &mut [usize]| {
            for layer in layers {
                for (i, &v) in layer.iter().enumerate() {
                    pos[v] = i;
                }
            }
        };
        // Initial order: group-sorted input order.
        for l in 0..self.layers.len() {
            let bary: Vec<f64> = self.layers[l].iter().map(|&v| v as f64).collect();
            self.sort_layer(input, l, &bary);
        }
        set_pos(&self.layers, &mut pos);
        let mut best = self.layers.clone();
        let mut best_cross = self.crossings(&out_segs, &pos);
        for sweep in 0..ORDER_SWEEPS {
            if best_cross == 0 {
                break;
            }
            let down = sweep % 2 == 0;
            let count = self.layers.len();
            for step in 1..count {
                let l = if down { step } else { count - 1 - step };
                let bary: Vec<f64> = self.layers[l]
                    .iter()
                    .map(|&v| {
                        let (segs, other): (&[usize], bool) = if down {
                            (&in_segs[v], true)
                        } else {
                            (&out_segs[v], false)
                        };
                        let mut sum = 0.0;
                        for &s in segs {
                            let Some(seg) = self.segs.get(s) else {
                                continue;
                            };
                            let o = if other { seg.a } else { seg.b };
                            let len = self.layers[self.layer_of[o]].len().max(1) as f64;
                            sum += (pos[o] as f64 + 0.5) / len;
                        }
                        if segs.is_empty() {
                            let len = self.layers[l].len().max(1) as f64;
                            (pos[v] as f64 + 0.5) / len
                        } else {
                            sum / segs.len() as f64
                        }
                    })
                    .collect();
                self.sort_layer(input, l, &bary);
                for (i, &v) in self.layers[l].iter().enumerate() {
                    pos[v] = i;
                }
            }
            let c = self.crossings(&out_segs, &pos);
            if c < best_cross {
                best_cross = c;
                best = self.layers.clone();
            }
        }
        self.layers = best;
    }

    /// Sorts layer `l` by barycenter, nodes grouped by their ancestor chains
    /// (groups placed at the mean barycenter of their members).
    fn sort_layer(&mut self, input: &Input, l: usize, bary: &[f64]) {
        let layer = &self.layers[l];
        let mut group_sum: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
        for (&v, &b) in layer.iter().zip(bary) {
            for &a in self.chain_of(input, v) {
                let e = group_sum.entry(a).or_insert((0.0, 0));
                e.0 += b;
                e.1 += 1;
            }
        }
        let mut keyed: Vec<(Vec<(f64, usize)>, usize)> = layer
            .iter()
            .zip(bary)
            .map(|(&v, &b)| {
                let mut key: Vec<(f64, usize)> = self
                    .chain_of(input, v)
                    .iter()
                    .map(|&a| {
                        let (s, c) = group_sum.get(&a).copied().unwrap_or((0.0, 1));
                        (s / c.max(1) as f64, a)
                    })
                    .collect();
                key.push((b, v));
                (key, v)
            })
            .collect();
        keyed.sort_by(|(ka, _), (kb, _)| {
            for (x, y) in ka.iter().zip(kb) {
                let o = x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            ka.len().cmp(&kb.len())
        });
        self.layers[l] = keyed.into_iter().map(|(_, v)| v).collect();
    }

    fn crossings(&self, out_segs: &[Vec<usize>], pos: &[usize]) -> u64 {
        let mut total = 0u64;
        for l in 0..self.layers.len().saturating_sub(1) {
            let mut ps: Vec<(usize, usize)> = Vec::new();
            for &a in &self.layers[l] {
                for &s in &out_segs[a] {
                    if let Some(seg) = self.segs.get(s) {
                        ps.push((pos[a], pos[seg.b]));
                    }
                }
            }
            ps.sort_unstable();
            let m = self.layers[l + 1].len();
            let mut tree = vec![0u64; m + 1];
            for (i, &(_, b)) in ps.iter().enumerate() {
                let mut le = 0u64;
                let mut k = b + 1;
                while k > 0 {
                    le += tree[k];
                    k &= k - 1;
                }
                total += i as u64 - le.min(i as u64);
                let mut k = b + 1;
                while k <= m {
                    tree[k] += 1;
                    k += k & k.wrapping_neg();
                }
            }
        }
        total
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
            let mut lines = vec![TextLine {
                text: clip(&node.name, MAX_NAME),
                fs: NAME_FS,
                bold: true,
                italic: false,
                fill: INK,
            }];
            let mut sub = String::new();
            if !node.kind.trim().is_empty() {
                sub = format!("({})", clip(&node.kind, MAX_NAME));
            }
            if let Some(p) = input.parent[v].and_then(|p| view.nodes.get(p)) {
                if !sub.is_empty() {
                    sub.push(' ');
                }
                sub.push_str("in ");
                sub.push_str(&clip(&p.name, MAX_NAME));
            }
            if !sub.is_empty() {
                lines.push(TextLine {
                    text: sub,
                    fs: SMALL_FS,
                    bold: false,
                    italic: true,
                    fill: GREY,
                });
            }
            for note in &node.notes {
                lines.push(TextLine {
                    text: clip(note, MAX_NOTE),
                    fs: SMALL_FS,
                    bold: false,
                    italic: false,
                    fill: "#333",
                });
            }
            let loops = &input.loops[v];
            if !loops.is_empty() {
                let mut keys: Vec<(usize, bool)> = loops
                    .iter()
                    .flat_map(|&e| input.keys.per_edge.get(e).cloned().unwrap_or_default())
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                let hl = loops
                    .iter()
                    .any(|&e| view.edges.get(e).is_some_and(|e| e.highlight));
                let parts = key_parts(&keys);
                lines.push(TextLine {
                    text: format!("flows to itself {}", key_label_text(&parts)),
                    fs: SMALL_FS,
                    bold: hl,
                    italic: false,
                    fill: if hl { RED } else { "#333" },
                });
            }
            let tw = lines
                .iter()
                .map(|t| text_w(&t.text, t.fs, t.bold))
                .fold(0.0, f64::max);
            let th: f64 = lines.iter().map(TextLine::height).sum();
            let ports = out_segs[v].len().max(in_segs[v].len()) as f64;
            self.w[v] = (tw + 2.0 * PAD_X).max(56.0);
            self.h[v] = (th + 2.0 * PAD_Y).max(ports * PORT_SP + 8.0).max(30.0);
            self.texts.push(lines);
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

    /// Column widths and the gaps between them (label zone, curve zone, and
    /// room for arrowheads and group outlines).
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
            .map(|layer| layer.iter().map(|&v| self.w[v]).fold(20.0, f64::max))
            .collect();
        self.inpad = max_chain
            .iter()
            .map(|&d| (ARROW_LEN + 8.0).max(d * GROUP_PAD + 12.0))
            .collect();
        // Label offsets relative to the right edge of the source box.
        let mut lz: Vec<f64> = max_chain.iter().map(|&d| d * GROUP_PAD + 10.0).collect();
        let mut label_off = vec![0.0; self.routes.len()];
        for (i, r) in self.routes.iter().enumerate() {
            let Some(&u) = r.chain.first() else { continue };
            let l = self.layer_of[u];
            let off = (ARROW_LEN + 5.0).max(self.chain_of(input, u).len() as f64 * GROUP_PAD + 6.0);
            label_off[i] = off;
            if let Some(lab) = &r.label {
                let slack = (self.col_w[l] - self.w[u]) / 2.0;
                lz[l] = lz[l].max(off + lab.w + 12.0 - slack);
            }
        }
        // Curve zone: wider where edges climb far.
        let mut max_dy = vec![0.0f64; count];
        let mut seg_count = vec![0usize; count];
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
            seg_count[l] += 1;
        }
        let mut x = 0.0;
        self.col_left = Vec::with_capacity(count);
        for l in 0..count {
            x += self.inpad[l];
            self.col_left.push(x);
            x += self.col_w[l] + lz[l];
            if l + 1 < count {
                let cz =
                    60.0 + (0.18 * max_dy[l]).min(220.0) + (seg_count[l] as f64 * 1.5).min(80.0);
                x += cz;
            }
        }
        self.width = x;
        self.lz = lz;
        self.x = vec![0.0; total];
        for (v, &l) in self.layer_of.iter().enumerate() {
            self.x[v] = self.col_left[l] + self.col_w[l] / 2.0;
        }
        for (r, off) in self.routes.iter_mut().zip(label_off) {
            if let Some(&u) = r.chain.first() {
                r.label_x = self.x[u] + self.w[u] / 2.0 + off;
            }
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

    fn box_left(&self, v: usize) -> f64 {
        self.x[v] - self.w[v] / 2.0
    }

    fn box_right(&self, v: usize) -> f64 {
        self.x[v] + self.w[v] / 2.0
    }

    /// Path data and arrowhead of a route.
    fn route_path(&self, r: &Route) -> (String, (f64, f64, f64)) {
        let mut d = String::new();
        let (Some(&u), Some(&v)) = (r.chain.first(), r.chain.last()) else {
            return (d, (0.0, 0.0, 1.0));
        };
        let y_start = self.y[u] + r.segs.first().map_or(0.0, |&s| self.out_off[s]);
        let y_end = self.y[v] + r.segs.last().map_or(0.0, |&s| self.in_off[s]);
        let sx = self.box_right(u);
        let ex = self.box_left(v);
        let start = if r.reversed { sx + ARROW_LEN } else { sx };
        let end = if r.reversed { ex } else { ex - ARROW_LEN };
        let _ = write!(d, "M{} {}", N(start), N(y_start));
        if r.direct {
            let mid = (sx + ex) / 2.0;
            let _ = write!(
                d,
                "C{} {} {} {} {} {}",
                N(mid),
                N(y_start),
                N(mid),
                N(y_end),
                N(end),
                N(y_end)
            );
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
                let _ = write!(d, "H{}", N(cx0));
                if (y1 - y0).abs() < 0.5 {
                    let _ = write!(d, "H{}", N(cx1));
                } else {
                    let mid = (cx0 + cx1) / 2.0;
                    let _ = write!(
                        d,
                        "C{} {} {} {} {} {}",
                        N(mid),
                        N(y0),
                        N(mid),
                        N(y1),
                        N(cx1),
                        N(y1)
                    );
                }
                y0 = y1;
            }
            let _ = write!(d, "H{}", N(end));
        }
        let arrow = if r.reversed {
            (sx, y_start, -1.0)
        } else {
            (ex, y_end, 1.0)
        };
        (d, arrow)
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

// ---------------------------------------------------------------------------
// SVG output

fn text_el(out: &mut String, x: f64, y: f64, fs: f64, attrs: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{}"{attrs}>{}</text>"#,
        N(x),
        N(y),
        N(fs),
        escape(content)
    );
}

fn emit(out: &mut String, view: &View, input: &Input, lay: &Layout) {
    let keys = &input.keys;
    let drawn = || lay.routes.iter().filter_map(|r| view.edges.get(r.edge));
    let any_hl_edge = drawn().any(|e| e.highlight);
    let any_blocked = drawn().any(|e| e.blocked);
    let any_hl_node = view.nodes.iter().any(|n| n.highlight);

    // Legend entries (measured first: they can set the width).
    let entries: Vec<(String, String, String, bool)> = keys
        .entries
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (
                format!("[{}]", i + 1),
                clip(&k.text, MAX_LEGEND_TEXT),
                format_rules(&k.rules),
                k.highlight,
            )
        })
        .collect();
    let entry_w: Vec<f64> = entries
        .iter()
        .map(|(k, t, r, _)| {
            text_w(k, LEGEND_FS, true)
                + text_w(t, LEGEND_FS, false)
                + text_w(r, LEGEND_FS - 1.0, false)
                + 24.0
        })
        .collect();
    let max_entry = entry_w.iter().copied().fold(0.0, f64::max);

    let content_w = lay.width.max(640.0);
    let title_lines = wrap(&view.title, (content_w / (TITLE_FS * 0.62)) as usize, 6);
    let caption_lines = view
        .caption
        .as_deref()
        .map(|c| wrap(c, (content_w / (CAPTION_FS * 0.58)) as usize, 12))
        .unwrap_or_default();
    let title_w = title_lines
        .iter()
        .map(|t| text_w(t, TITLE_FS, true))
        .fold(0.0, f64::max);
    let caption_w = caption_lines
        .iter()
        .map(|t| text_w(t, CAPTION_FS, false))
        .fold(0.0, f64::max);
    let inner_w = content_w
        .max(title_w)
        .max(caption_w)
        .max(max_entry.min(2400.0));

    let mut y = MARGIN;
    let mut header = String::new();
    for t in &title_lines {
        y += TITLE_FS * 1.3;
        text_el(
            &mut header,
            MARGIN,
            y - 5.0,
            TITLE_FS,
            r##" font-weight="bold" fill="#000""##,
            t,
        );
    }
    for t in &caption_lines {
        y += CAPTION_FS * 1.35;
        text_el(
            &mut header,
            MARGIN,
            y - 4.0,
            CAPTION_FS,
            r##" fill="#222""##,
            t,
        );
    }
    let graph_top = y + 24.0;
    let graph_left = MARGIN + ((inner_w - lay.width) / 2.0).max(0.0);
    let mut legend_y = graph_top + lay.height + 36.0;
    if lay.n_real == 0 {
        legend_y = graph_top;
    }

    // Legend layout: columns of equal width.
    let col_w = (max_entry + 28.0).min(inner_w).max(120.0);
    let cols = ((inner_w + 28.0) / col_w).floor().max(1.0) as usize;
    let rows = entries.len().div_ceil(cols);
    let style_row = any_hl_edge
        || any_blocked
        || any_hl_node
        || !lay.groups.is_empty()
        || !lay.routes.is_empty();
    let mut legend_h = 0.0;
    if style_row {
        legend_h += 34.0;
    }
    if !entries.is_empty() {
        legend_h += 26.0 + rows as f64 * (LEGEND_FS * 1.5);
    }
    let total_w = (inner_w + 2.0 * MARGIN).ceil();
    let total_h = (legend_y + legend_h + MARGIN).ceil();

    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" role="img">"#,
        w = N(total_w),
        h = N(total_h)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&tip(&view.title)));
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#fff"/>"##,
        N(total_w),
        N(total_h)
    );
    out.push_str(&header);
    if lay.n_real == 0 {
        text_el(
            out,
            MARGIN,
            graph_top,
            SMALL_FS + 1.0,
            r##" fill="#555""##,
            "(no agencies)",
        );
    }

    let _ = writeln!(
        out,
        r#"<g transform="translate({} {})">"#,
        N(graph_left),
        N(graph_top)
    );
    emit_groups(out, view, lay);
    emit_edges(out, view, lay);
    emit_nodes(out, view, input, lay);
    emit_labels(out, view, lay);
    out.push_str("</g>\n");

    // Legend.
    let mut y = legend_y;
    if style_row {
        let mut x = MARGIN;
        let sy = y + 10.0;
        let mut sample = |out: &mut String, stroke: &str, width: f64, dash: bool, text: &str| {
            let dash_attr = if dash {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<path d="M{} {}H{}" stroke="{stroke}" stroke-width="{}" fill="none"{dash_attr}/>"#,
                N(x),
                N(sy),
                N(x + 34.0),
                N(width)
            );
            arrow_head(out, x + 42.0, sy, 1.0, width, stroke);
            text_el(
                out,
                x + 48.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                text,
            );
            x += 48.0 + text_w(text, LEGEND_FS - 1.0, false) + 26.0;
        };
        if !lay.routes.is_empty() {
            sample(out, EDGE_INK, 1.3, false, "flow");
        }
        if any_hl_edge {
            sample(out, RED, 3.0, false, "on the highlighted path");
        }
        if any_blocked {
            sample(out, BLOCKED_INK, 1.3, true, "blocked in this scenario");
        }
        if any_hl_node {
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#fdf0ee" stroke="{RED}" stroke-width="3"/>"##,
                N(x),
                N(sy - 7.0)
            );
            text_el(
                out,
                x + 34.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                "agency on the highlighted path",
            );
            x += 34.0 + text_w("agency on the highlighted path", LEGEND_FS - 1.0, false) + 26.0;
        }
        if !lay.groups.is_empty() {
            let _ = writeln!(
                out,
                r##"<rect x="{}" y="{}" width="26" height="14" rx="4" fill="#eaf0f6" stroke="#aebdcc"/>"##,
                N(x),
                N(sy - 7.0)
            );
            text_el(
                out,
                x + 34.0,
                sy + 4.0,
                LEGEND_FS - 1.0,
                r##" fill="#222""##,
                "agencies declared in the named agency",
            );
        }
        y += 34.0;
    }
    if !entries.is_empty() {
        text_el(
            out,
            MARGIN,
            y + 14.0,
            LEGEND_FS + 1.0,
            r##" font-weight="bold" fill="#000""##,
            "Edge labels: [key] data when condition (rules)",
        );
        y += 26.0;
        for (i, (k, t, r, hl)) in entries.iter().enumerate() {
            let (c, row) = (i / rows.max(1), i % rows.max(1));
            let ex = MARGIN + c as f64 * col_w;
            let ey = y + row as f64 * (LEGEND_FS * 1.5) + LEGEND_FS;
            let key_attr = if *hl {
                format!(r#" fill="{RED}" text-decoration="underline""#)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                r##"<text x="{}" y="{}" font-size="{}" fill="#111"><tspan font-weight="bold"{key_attr}>{}</tspan> {}<tspan fill="#555" font-size="{}"> ({})</tspan></text>"##,
                N(ex),
                N(ey),
                N(LEGEND_FS),
                escape(k),
                escape(t),
                N(LEGEND_FS - 1.0),
                escape(r)
            );
        }
    }
    out.push_str("</svg>\n");
}

fn arrow_head(out: &mut String, tip_x: f64, tip_y: f64, dir: f64, stroke_w: f64, color: &str) {
    let len = ARROW_LEN + (stroke_w - 1.3).max(0.0) * 1.5;
    let hw = ARROW_HW + (stroke_w - 1.3).max(0.0) * 0.8;
    let bx = tip_x - dir * len;
    let _ = writeln!(
        out,
        r#"<path d="M{} {}L{} {}L{} {}Z" fill="{color}"/>"#,
        N(tip_x),
        N(tip_y),
        N(bx),
        N(tip_y - hw),
        N(bx),
        N(tip_y + hw)
    );
}

fn emit_groups(out: &mut String, view: &View, lay: &Layout) {
    for g in &lay.groups {
        let fill = if g.depth % 2 == 0 {
            "#edf2f7"
        } else {
            "#e0e8f0"
        };
        let name = view
            .nodes
            .get(g.ancestor)
            .map(|n| n.name.as_str())
            .unwrap_or("");
        let width = g.x1 - g.x0;
        let max_chars = ((width - 12.0) / (SMALL_FS * 0.62)).max(4.0) as usize;
        let _ = writeln!(
            out,
            r#"<g class="fp-group"><title>in {}</title>"#,
            escape(&tip(name))
        );
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="#aebdcc" stroke-width="1"/>"##,
            N(g.x0),
            N(g.y0),
            N(width),
            N(g.y1 - g.y0)
        );
        text_el(
            out,
            g.x0 + 7.0,
            g.y0 + GROUP_LABEL - 3.0,
            SMALL_FS,
            r##" font-weight="bold" fill="#4a5a6a""##,
            &clip(name, max_chars.min(MAX_NAME)),
        );
        out.push_str("</g>\n");
    }
}

fn edge_style(view: &View, r: &Route) -> (bool, bool) {
    view.edges
        .get(r.edge)
        .map_or((false, false), |e| (e.highlight, e.blocked))
}

fn emit_edges(out: &mut String, view: &View, lay: &Layout) {
    let mut idx: Vec<usize> = (0..lay.routes.len()).collect();
    idx.sort_by_key(|&i| {
        let (hl, blocked) = edge_style(view, &lay.routes[i]);
        (u8::from(hl) * 2 + u8::from(blocked && !hl), i)
    });
    for i in idx {
        let r = &lay.routes[i];
        let Some(e) = view.edges.get(r.edge) else {
            continue;
        };
        let (hl, blocked) = (e.highlight, e.blocked);
        let (color, width) = if hl {
            (RED, 3.0)
        } else if blocked {
            (BLOCKED_INK, 1.3)
        } else {
            (EDGE_INK, 1.3)
        };
        let dash = if blocked {
            r#" stroke-dasharray="7 4""#
        } else {
            ""
        };
        let (d, (ax, ay, dir)) = lay.route_path(r);
        let class = match (hl, blocked) {
            (true, true) => "fp-edge fp-hl fp-blocked",
            (true, false) => "fp-edge fp-hl",
            (false, true) => "fp-edge fp-blocked",
            (false, false) => "fp-edge",
        };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><title>{}</title>"#,
            escape(&edge_tooltip(view, e))
        );
        let _ = writeln!(
            out,
            r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="{}"{dash} stroke-linejoin="round"/>"#,
            N(width)
        );
        arrow_head(out, ax, ay, dir, width, color);
        out.push_str("</g>\n");
    }
}

fn edge_tooltip(view: &View, e: &Edge) -> String {
    let name = |i: usize| view.nodes.get(i).map(|n| n.name.as_str()).unwrap_or("?");
    let mut s = format!("{} → {}", name(e.from), name(e.to));
    if e.blocked {
        s.push_str(" (blocked)");
    }
    for l in &e.lines {
        let _ = write!(s, "\n{} — {}", l.text(), l.rule);
        if l.highlight {
            s.push_str(" [highlighted]");
        }
        if l.blocked {
            s.push_str(" [blocked]");
        }
    }
    tip(&s)
}

fn emit_nodes(out: &mut String, view: &View, input: &Input, lay: &Layout) {
    for (v, node) in view.nodes.iter().enumerate() {
        let Some(lines) = lay.texts.get(v) else {
            continue;
        };
        let (x0, y0, w, h) = (
            lay.box_left(v),
            lay.y[v] - lay.h[v] / 2.0,
            lay.w[v],
            lay.h[v],
        );
        let mut t = node.name.clone();
        if !node.kind.is_empty() {
            let _ = write!(t, " ({})", node.kind);
        }
        if let Some(p) = input.parent[v].and_then(|p| view.nodes.get(p)) {
            let _ = write!(t, " in {}", p.name);
        }
        for note in &node.notes {
            let _ = write!(t, "\n{note}");
        }
        let class = if node.highlight {
            "fp-node fp-hl"
        } else {
            "fp-node"
        };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><title>{}</title>"#,
            escape(&tip(&t))
        );
        let (fill, stroke, sw) = if node.highlight {
            ("#fdf0ee", RED, 3.0)
        } else {
            ("#fff", "#333", 1.2)
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="{}"/>"#,
            N(x0),
            N(y0),
            N(w),
            N(h),
            N(sw)
        );
        let th: f64 = lines.iter().map(TextLine::height).sum();
        let mut ty = lay.y[v] - th / 2.0;
        for line in lines {
            let base = ty + line.height() * 0.5 + line.fs * 0.36;
            let mut attrs = format!(r#" text-anchor="middle" fill="{}""#, line.fill);
            if line.bold {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if line.italic {
                attrs.push_str(r#" font-style="italic""#);
            }
            text_el(out, lay.x[v], base, line.fs, &attrs, &line.text);
            ty += line.height();
        }
        out.push_str("</g>\n");
    }
}

fn emit_labels(out: &mut String, view: &View, lay: &Layout) {
    for r in &lay.routes {
        let (Some(label), Some(&u)) = (&r.label, r.chain.first()) else {
            continue;
        };
        let Some(e) = view.edges.get(r.edge) else {
            continue;
        };
        let y = lay.y[u] + r.segs.first().map_or(0.0, |&s| lay.out_off[s]);
        let x = r.label_x;
        let stroke = if e.highlight { RED } else { "#9a9a9a" };
        let _ = writeln!(
            out,
            r#"<g class="fp-key"><title>{}</title>"#,
            escape(&edge_tooltip(view, e))
        );
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="#fff" stroke="{stroke}" stroke-width="0.8"/>"##,
            N(x),
            N(y - KEY_H / 2.0),
            N(label.w),
            N(KEY_H)
        );
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="{}" fill="#111">["##,
            N(x + 3.0),
            N(y + KEY_FS * 0.36),
            N(KEY_FS)
        );
        for (i, (t, hl)) in label.parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if *hl {
                let _ = write!(
                    out,
                    r#"<tspan fill="{RED}" font-weight="bold">{}</tspan>"#,
                    escape(t)
                );
            } else {
                out.push_str(&escape(t));
            }
        }
        out.push_str("]</text></g>\n");
    }
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::super::{Edge, EdgeLine, Node};
    use super::*;

    fn node(name: &str, kind: &str, parent: Option<usize>) -> Node {
        Node {
            name: name.into(),
            kind: kind.into(),
            parent,
            notes: vec![],
            highlight: false,
        }
    }

    fn line(data: &str, cond: Option<&str>, rule: &str) -> EdgeLine {
        EdgeLine {
            data: data.into(),
            condition: cond.map(str::to_string),
            rule: rule.into(),
            highlight: false,
            blocked: false,
        }
    }

    fn edge(from: usize, to: usize, lines: Vec<EdgeLine>) -> Edge {
        Edge {
            from,
            to,
            lines,
            highlight: false,
            blocked: false,
        }
    }

    fn sample() -> View {
        let mut nodes = vec![
            node("CA", "state", None),
            node("SanFrancisco", "county", Some(0)),
            node("SantaClara", "county", Some(0)),
            node("FBI", "federal", None),
            node("DHS", "federal", None),
            node("ICE", "federal", None),
        ];
        nodes[1].notes.push("collects fingerprints".into());
        nodes[2].highlight = true;
        let mut edges = vec![
            edge(1, 0, vec![line("fingerprints", None, "a.flow:1")]),
            edge(2, 0, vec![line("fingerprints", None, "a.flow:1")]),
            edge(0, 3, vec![line("fingerprints", None, "a.flow:2")]),
            edge(
                3,
                4,
                vec![line("fingerprints", Some("activated(origin)"), "a.flow:3")],
            ),
            edge(4, 3, vec![line("match", None, "a.flow:4")]),
            edge(
                4,
                5,
                vec![
                    line("match", None, "a.flow:5"),
                    line("fingerprints", None, "a.flow:6"),
                ],
            ),
            edge(0, 1, vec![line("match", None, "a.flow:7")]),
            edge(0, 1, vec![line("iar", None, "a.flow:8")]),
        ];
        edges[1].highlight = true;
        edges[1].lines[0].highlight = true;
        edges[7].blocked = true;
        edges[7].lines[0].blocked = true;
        View {
            title: "Test".into(),
            nodes,
            edges,
            caption: Some("a caption".into()),
        }
    }

    /// Balanced tags, one root element.
    fn well_formed(svg: &str) -> Result<(), String> {
        if !svg.starts_with("<svg") {
            return Err("does not start with <svg".into());
        }
        if !svg.trim_end().ends_with("</svg>") {
            return Err("does not end with </svg>".into());
        }
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        let mut roots = 0;
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let Some(end) = rest.find('>') else {
                return Err("unclosed tag".into());
            };
            let tag = &rest[..end];
            rest = &rest[end + 1..];
            if tag.contains('<') {
                return Err(format!("raw < inside tag: {tag}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name.trim() => {}
                    other => return Err(format!("mismatched </{name}> for {other:?}")),
                }
            } else if !tag.ends_with('/') {
                if stack.is_empty() {
                    roots += 1;
                }
                let name = tag.split_whitespace().next().unwrap_or("").to_string();
                stack.push(name);
            } else if stack.is_empty() {
                roots += 1;
            }
            // Attribute quotes must balance.
            if tag.matches('"').count() % 2 != 0 {
                return Err(format!("odd quotes in {tag}"));
            }
        }
        if !stack.is_empty() {
            return Err(format!("unclosed: {stack:?}"));
        }
        if roots != 1 {
            return Err(format!("{roots} root elements"));
        }
        Ok(())
    }

    #[test]
    fn well_formed_and_deterministic() {
        let v = sample();
        let a = render(&v);
        let b = render(&v);
        assert_eq!(a, b);
        assert_eq!(well_formed(&a), Ok(()));
        assert!(a.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
        assert!(a.contains("viewBox=\"0 0 "));
        assert!(!a.contains("NaN") && !a.contains("inf"));
    }

    #[test]
    fn hostile_text_is_escaped() {
        let evil = "<script>alert(1)</script> \"quotes\" 'apos' & javascript:alert(1) \u{7}";
        let mut v = sample();
        v.title = evil.into();
        v.caption = Some(evil.into());
        for n in &mut v.nodes {
            n.name = format!("{evil}{}", n.name);
            n.kind = evil.into();
            n.notes.push(evil.into());
        }
        for e in &mut v.edges {
            for l in &mut e.lines {
                l.data = evil.into();
                l.condition = Some(evil.into());
                l.rule = evil.into();
            }
        }
        let svg = render(&v);
        assert_eq!(well_formed(&svg), Ok(()));
        let lower = svg.to_lowercase();
        assert!(!lower.contains("<script"));
        assert!(!lower.contains("\"quotes\""));
        assert!(!lower.contains("href"));
        assert!(!lower.contains("=\"javascript"));
        assert!(!svg.contains('\u{7}'));
        assert!(svg.contains("&lt;script&gt;"));
        // No event handler attributes anywhere.
        for attr in [
            "onload=",
            "onclick=",
            "onerror=",
            "onmouseover=",
            "<foreignobject",
            "<image",
            "url(",
        ] {
            assert!(!lower.contains(attr), "{attr}");
        }
    }

    #[test]
    fn highlighted_red_and_blocked_dashed() {
        let svg = render(&sample());
        let hl: Vec<&str> = svg.split("<g class=\"fp-edge fp-hl\">").skip(1).collect();
        assert_eq!(hl.len(), 1);
        let body = hl[0].split("</g>").next().unwrap_or("");
        assert!(body.contains(&format!("stroke=\"{RED}\"")));
        assert!(body.contains("stroke-width=\"3\""));
        let bl: Vec<&str> = svg
            .split("<g class=\"fp-edge fp-blocked\">")
            .skip(1)
            .collect();
        assert_eq!(bl.len(), 1);
        let body = bl[0].split("</g>").next().unwrap_or("");
        assert!(body.contains("stroke-dasharray"));
        let plain: Vec<&str> = svg.split("<g class=\"fp-edge\">").skip(1).collect();
        assert_eq!(plain.len(), 6);
        for p in plain {
            let body = p.split("</g>").next().unwrap_or("");
            assert!(!body.contains("stroke-dasharray"));
            assert!(!body.contains(RED));
        }
        // Highlighted node and legend key.
        assert!(svg.contains("<g class=\"fp-node fp-hl\">"));
        assert!(svg.contains("SantaClara"));
    }

    #[test]
    fn legend_numbers_distinct_texts() {
        let svg = render(&sample());
        // fingerprints, fingerprints when activated(origin), iar, match
        assert!(svg.contains("fingerprints when activated(origin)"));
        assert!(svg.contains(">[4]</tspan> match"));
        assert!(svg.contains("a.flow:4, 5, 7"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let empty = View {
            title: String::new(),
            nodes: vec![],
            edges: vec![],
            caption: None,
        };
        assert_eq!(well_formed(&render(&empty)), Ok(()));

        let mut edges_bad = View {
            title: "bad".into(),
            nodes: vec![
                node("A", "", Some(99)),
                node("B", "x", Some(1)),
                node("C", "", Some(3)),
                node("D", "", Some(2)),
            ],
            edges: vec![
                edge(0, 0, vec![line("self", None, "r:1")]),
                edge(0, 7, vec![line("out of range", None, "r:2")]),
                edge(9, 1, vec![]),
                edge(0, 1, vec![]),
                edge(1, 0, vec![line("", None, "")]),
                edge(2, 3, vec![line("x", None, "r")]),
                edge(3, 2, vec![line("x", None, "r")]),
            ],
            caption: Some(String::new()),
        };
        assert_eq!(well_formed(&render(&edges_bad)), Ok(()));
        edges_bad.edges.clear();
        assert_eq!(well_formed(&render(&edges_bad)), Ok(()));

        let huge = "x".repeat(100_000);
        let mut v = sample();
        v.title = huge.clone();
        v.nodes[0].name = huge.clone();
        v.nodes[1].notes.push(huge.clone());
        v.edges[0].lines[0].data = huge.clone();
        v.caption = Some(format!("{huge} {huge}"));
        let svg = render(&v);
        assert_eq!(well_formed(&svg), Ok(()));
        assert!(svg.len() < 200_000 * 4);

        // Deep nesting and a parent cycle.
        let mut nodes: Vec<Node> = (0..30)
            .map(|i| {
                node(
                    &format!("n{i}"),
                    "k",
                    if i > 0 { Some(i - 1) } else { None },
                )
            })
            .collect();
        nodes.push(node("c1", "", Some(31)));
        nodes.push(node("c2", "", Some(30)));
        let edges = (0..31)
            .map(|i| edge(i, i + 1, vec![line("d", None, "r:1")]))
            .collect();
        let v = View {
            title: "deep".into(),
            nodes,
            edges,
            caption: None,
        };
        assert_eq!(well_formed(&render(&v)), Ok(()));
    }

    /// Boxes in a layer do not overlap, long edges run between boxes, edge
    /// keys do not overlap each other.
    fn check_geometry(v: &View) {
        let input = Input::new(v);
        let lay = Layout::new(v, &input);
        for layer in &lay.layers {
            let mut spans: Vec<(f64, f64, bool)> = layer
                .iter()
                .map(|&u| {
                    (
                        lay.y[u] - lay.h[u] / 2.0,
                        lay.y[u] + lay.h[u] / 2.0,
                        u < lay.n_real,
                    )
                })
                .collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in spans.windows(2) {
                assert!(
                    w[0].1 + 5.0 <= w[1].0,
                    "overlap in a layer: {:?} {:?}",
                    w[0],
                    w[1]
                );
            }
        }
        let mut keys: Vec<(f64, f64, f64, f64)> = lay
            .routes
            .iter()
            .filter_map(|r| {
                let label = r.label.as_ref()?;
                let u = *r.chain.first()?;
                let y = lay.y[u] + r.segs.first().map_or(0.0, |&s| lay.out_off[s]);
                Some((
                    r.label_x,
                    y - KEY_H / 2.0,
                    r.label_x + label.w,
                    y + KEY_H / 2.0,
                ))
            })
            .collect();
        keys.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 + 0.01 || b.3 <= a.1 + 0.01;
                assert!(apart, "keys overlap: {a:?} {b:?}");
            }
            // Keys stay clear of every box.
            for u in 0..lay.n_real {
                let (x0, x1) = (lay.box_left(u), lay.box_right(u));
                let (y0, y1) = (lay.y[u] - lay.h[u] / 2.0, lay.y[u] + lay.h[u] / 2.0);
                let apart = a.2 <= x0 || x1 <= a.0 || a.3 <= y0 || y1 <= a.1;
                assert!(apart, "key over a box: {a:?}");
            }
        }
    }

    #[test]
    fn geometry_is_clean() {
        check_geometry(&sample());
        // A ring of states and counties like the real model, plus long edges.
        let mut nodes = vec![
            node("FBI", "federal", None),
            node("DHS", "federal", None),
            node("ICE", "federal", None),
        ];
        let mut edges = vec![
            edge(0, 1, vec![line("fingerprints", None, "r:1")]),
            edge(1, 0, vec![line("match", None, "r:2")]),
            edge(1, 2, vec![line("iaq", None, "r:3")]),
            edge(2, 0, vec![line("iar", None, "r:4")]),
        ];
        for s in 0..4 {
            let st = nodes.len();
            nodes.push(node(&format!("State{s}"), "state", None));
            edges.push(edge(st, 0, vec![line("fingerprints", None, "r:5")]));
            edges.push(edge(
                0,
                st,
                vec![line("match", None, "r:6"), line("iar", None, "r:7")],
            ));
            for c in 0..3 {
                let ct = nodes.len();
                nodes.push(node(&format!("County{s}_{c}"), "county", Some(st)));
                edges.push(edge(ct, st, vec![line("fingerprints", None, "r:8")]));
                edges.push(edge(st, ct, vec![line("match", Some("relays(x)"), "r:9")]));
                edges.push(edge(2, ct, vec![line("detainer", None, "r:10")]));
                edges.push(edge(ct, 2, vec![line("release_notice", None, "r:11")]));
            }
        }
        let v = View {
            title: "ring".into(),
            nodes,
            edges,
            caption: None,
        };
        check_geometry(&v);
    }

    #[test]
    fn cycles_and_parallel_edges_are_drawn() {
        let mut v = sample();
        v.edges
            .push(edge(5, 1, vec![line("detainer", None, "a.flow:9")]));
        let svg = render(&v);
        assert_eq!(well_formed(&svg), Ok(()));
        assert_eq!(svg.matches("<g class=\"fp-edge").count(), v.edges.len());
    }

    #[test]
    fn many_nodes() {
        let n = 3000;
        let nodes: Vec<Node> = (0..n)
            .map(|i| {
                node(
                    &format!("a{i}"),
                    "county",
                    if i % 4 == 1 { Some(i - 1) } else { None },
                )
            })
            .collect();
        let edges: Vec<Edge> = (0..n * 2)
            .map(|k| {
                edge(
                    (k * 7919) % n,
                    (k * 104_729 + 1) % n,
                    vec![line(&format!("d{}", k % 13), None, "r:1")],
                )
            })
            .filter(|e| e.from != e.to)
            .collect();
        let v = View {
            title: "many".into(),
            nodes,
            edges,
            caption: None,
        };
        let svg = render(&v);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}
