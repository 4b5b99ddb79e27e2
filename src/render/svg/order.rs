//! Step 4, ordering: the layout's layers → the same layers, each ordered by barycenter
//! and median sweeps with agencies of the same parent kept together, each sweep followed
//! by transposing neighbours while that removes crossings; the order with the fewest
//! crossings is kept, and their number returned.

use super::grid::Grid;
use super::input::Input;
use std::collections::BTreeMap;

const ORDER_SWEEPS: usize = 24;
/// Rough number of elementary steps allowed for transposing, per sweep.
const TRANSPOSE_BUDGET: usize = 2_000_000;

impl Grid {
    /// Barycenter sweeps; siblings (same ancestors) stay contiguous.
    pub(super) fn order(&mut self, input: &Input) -> u64 {
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
                            return (pos[v] as f64 + 0.5) / len;
                        }
                        if sweep % 4 >= 2 {
                            // the median, every other pair of sweeps
                            let mut at: Vec<f64> = segs
                                .iter()
                                .filter_map(|&s| self.segs.get(s))
                                .map(|seg| {
                                    let o = if other { seg.a } else { seg.b };
                                    let len = self.layers[self.layer_of[o]].len().max(1) as f64;
                                    (pos[o] as f64 + 0.5) / len
                                })
                                .collect();
                            at.sort_by(f64::total_cmp);
                            let m = at.len();
                            if m > 0 {
                                return if m % 2 == 1 {
                                    at[m / 2]
                                } else {
                                    (at[m / 2 - 1] + at[m / 2]) / 2.0
                                };
                            }
                        }
                        sum / segs.len() as f64
                    })
                    .collect();
                self.sort_layer(input, l, &bary);
                for (i, &v) in self.layers[l].iter().enumerate() {
                    pos[v] = i;
                }
            }
            self.transpose(input, &out_segs, &in_segs, &mut pos);
            let c = self.crossings(&out_segs, &pos);
            if c < best_cross {
                best_cross = c;
                best = self.layers.clone();
            }
        }
        self.layers = best;
        best_cross
    }

    /// Swaps neighbours of the same group (or both outside any) while that lowers the
    /// crossings of their segments with both neighbouring layers.
    fn transpose(
        &mut self,
        input: &Input,
        out_segs: &[Vec<usize>],
        in_segs: &[Vec<usize>],
        pos: &mut [usize],
    ) {
        let mut budget = TRANSPOSE_BUDGET;
        let ends = |v: usize, pos: &[usize]| -> (Vec<usize>, Vec<usize>) {
            let ins = in_segs[v].iter().map(|&s| pos[self.segs[s].a]).collect();
            let outs = out_segs[v].iter().map(|&s| pos[self.segs[s].b]).collect();
            (ins, outs)
        };
        // crossings between the segments of u and v on one side, u above v
        let cross = |a: &[usize], b: &[usize]| -> usize {
            a.iter()
                .map(|&x| b.iter().filter(|&&y| y < x).count())
                .sum()
        };
        for _ in 0..4 {
            let mut improved = false;
            for l in 0..self.layers.len() {
                for i in 0..self.layers[l].len().saturating_sub(1) {
                    let (u, v) = (self.layers[l][i], self.layers[l][i + 1]);
                    if self.chain_of(input, u) != self.chain_of(input, v) {
                        continue;
                    }
                    let (ui, uo) = ends(u, pos);
                    let (vi, vo) = ends(v, pos);
                    let work = (ui.len() + uo.len()) * (vi.len() + vo.len());
                    if work > budget {
                        return;
                    }
                    budget -= work.max(1);
                    let now = cross(&ui, &vi) + cross(&uo, &vo);
                    let swapped = cross(&vi, &ui) + cross(&vo, &uo);
                    if swapped < now {
                        self.layers[l].swap(i, i + 1);
                        pos[u] = i + 1;
                        pos[v] = i;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
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
}
