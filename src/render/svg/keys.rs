//! Edge keys, part of step 1: the view's edge lines → their distinct texts numbered
//! from 1 (with the rules behind each) and the keys of every edge; a key list → its text
//! ("[1-3,5]"); a set of rules → their text, grouped by file.

use super::metrics::clip;
use crate::render::graph::View;
use std::collections::{BTreeMap, BTreeSet};

const MAX_RULES_TEXT: usize = 140;

pub(super) struct KeyEntry {
    pub(super) text: String,
    pub(super) rules: BTreeSet<String>,
    pub(super) highlight: bool,
}

/// Distinct label texts, numbered from 1 in alphabetical order.
pub(super) struct Keys {
    pub(super) entries: Vec<KeyEntry>,
    /// Per edge of the view: sorted distinct (key index, highlighted).
    pub(super) per_edge: Vec<Vec<(usize, bool)>>,
}

impl Keys {
    /// Only edges whose ends exist (`n` nodes) contribute keys.
    pub(super) fn new(view: &View, n: usize) -> Self {
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
pub(super) fn key_parts(keys: &[(usize, bool)]) -> Vec<(String, bool)> {
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

pub(super) fn key_label_text(parts: &[(String, bool)]) -> String {
    let inner: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
    format!("[{}]", inner.join(","))
}

/// Rules grouped by file: "a.flow:3, 7; b.flow:12".
pub(super) fn format_rules(rules: &BTreeSet<String>) -> String {
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
