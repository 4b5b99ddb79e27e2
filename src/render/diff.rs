//! `diff` as text: what changed between two versions, rule edits, and each verdict that
//! differs with its scenario and the edits that flip it.

use std::fmt::Write;

use crate::diff::{Diff, EdgeChange, ShownReading, ShownWitness};
use crate::verdict::ShownStep;

/// A reading as people read it: `on_paper ("as the agreements put it")`.
fn reading(name: &str, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("{name} (\"{label}\")"),
        None => name.to_owned(),
    }
}

fn shown_reading(r: &ShownReading) -> String {
    reading(&r.name, r.label.as_deref())
}

/// A witness's scenario and paths, as people read them: labels where they exist.
fn witness_lines(out: &mut String, side: &str, w: &ShownWitness) {
    // labels are sentences: a semicolon between them reads better than a comma
    let sep = if w.param_labels.is_empty() {
        ", "
    } else {
        "; "
    };
    let failing = instance_shown(w)
        .map(|i| format!(", for {i}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "    scenario on the {side} side{failing}: {}",
        scenario_shown(w, sep)
    );
    for path in &w.paths {
        let (Some(first), Some(last)) = (path.first(), path.last()) else {
            continue;
        };
        // name the data on each hop when a derive changes it along the way
        let several = path.iter().any(|s| s.data != first.data);
        let hops: Vec<String> = path.iter().map(|s| hop(s, several)).collect();
        // the path is headed by the data that arrives, as verify heads it
        let _ = writeln!(
            out,
            "      {} of {}: {}",
            last.data_shown(),
            first.origin_shown(),
            hops.join(", ")
        );
    }
}

fn hop(s: &ShownStep, several: bool) -> String {
    match s.derived_from_shown() {
        Some(from) => format!("{} derived from {from} at {}", s.data_shown(), s.to_shown()),
        None if several => format!("{}: {} -> {}", s.data_shown(), s.from_shown(), s.to_shown()),
        None => format!("{} -> {}", s.from_shown(), s.to_shown()),
    }
}

/// The difference as text.
pub fn text(d: &Diff) -> String {
    let mut out = String::new();
    let edge = |c: &EdgeChange| {
        let origin = if c.origin == "*" {
            String::new()
        } else {
            format!(" (data of {})", c.origin_shown())
        };
        format!(
            "{}: {} -> {}{origin}",
            c.data_shown(),
            c.from_shown(),
            c.to_shown()
        )
    };
    let section = |out: &mut String, title: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(out, "{title}:");
            for i in items {
                let _ = writeln!(out, "  {i}");
            }
        }
    };
    section(
        &mut out,
        "flows added",
        d.flows_added
            .iter()
            .map(|c| format!("{} when {}", edge(c), c.after.join(" or ")))
            .collect(),
    );
    section(
        &mut out,
        "flows removed",
        d.flows_removed
            .iter()
            .map(|c| format!("{} (was when {})", edge(c), c.before.join(" or ")))
            .collect(),
    );
    section(
        &mut out,
        "conditions changed",
        d.conditions_changed
            .iter()
            .map(|c| {
                format!(
                    "{}: when {}  ->  when {}",
                    edge(c),
                    c.before.join(" or "),
                    c.after.join(" or ")
                )
            })
            .collect(),
    );
    section(&mut out, "opt-outs added", d.optouts_added.clone());
    section(&mut out, "opt-outs removed", d.optouts_removed.clone());
    section(&mut out, "opt-outs changed", d.optouts_changed.clone());
    section(&mut out, "assumptions added", d.assumptions_added.clone());
    section(
        &mut out,
        "assumptions removed",
        d.assumptions_removed.clone(),
    );
    section(
        &mut out,
        "readings added",
        d.readings_added.iter().map(shown_reading).collect(),
    );
    section(
        &mut out,
        "readings removed",
        d.readings_removed.iter().map(shown_reading).collect(),
    );
    for r in &d.reading_assumptions {
        let name = shown_reading(&r.reading);
        section(
            &mut out,
            &format!("assumptions added in reading {name}"),
            r.added.clone(),
        );
        section(
            &mut out,
            &format!("assumptions removed in reading {name}"),
            r.removed.clone(),
        );
    }
    if let Some(edits) = &d.edits
        && !edits.is_empty()
    {
        let _ = writeln!(out, "rule edits:");
        for (k, e) in edits.iter().enumerate() {
            let _ = writeln!(out, "  [{}] {} {}", k + 1, e.change, e.slot);
            for (label, rules) in [("was", &e.old), ("now", &e.new)] {
                for r in rules {
                    let _ = writeln!(out, "      {label}: {}  ({}:{})", r.text, r.file, r.line);
                }
            }
        }
    }
    if let Some(note) = &d.edits_note {
        let _ = writeln!(out, "note: {note}");
    }
    if !d.verdicts.is_empty() {
        let _ = writeln!(out, "verdicts that differ:");
    }
    for v in &d.verdicts {
        let within = v
            .reading
            .as_deref()
            .map(|r| format!(" in reading {}", reading(r, v.reading_label.as_deref())))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}{within}: {} -> {}", v.claim, v.before, v.after);
        if let (Some(side), Some(w)) = (v.witness_side, &v.witness) {
            witness_lines(&mut out, side, w);
        }
        match (&v.responsible, &v.edits_note) {
            (Some(set), _) if set.is_empty() => {
                let _ = writeln!(out, "    no rule edit is needed to flip it");
            }
            (Some(set), _) => {
                let names: Vec<String> = set
                    .iter()
                    .map(|k| {
                        let slot = d
                            .edits
                            .as_ref()
                            .and_then(|e| e.get(*k))
                            .map(|e| format!(" ({} {})", e.change, e.slot))
                            .unwrap_or_default();
                        format!("[{}]{slot}", k + 1)
                    })
                    .collect();
                let _ = if set.len() == 1 {
                    writeln!(
                        out,
                        "    flipped by one edit: applied alone to the old version, it gives the new verdict:"
                    )
                } else {
                    writeln!(
                        out,
                        "    flipped by these {} edits together: applied alone to the old version they give the new verdict, and leaving out any one does not:",
                        set.len()
                    )
                };
                for n in names {
                    let _ = writeln!(out, "      {n}");
                }
            }
            (None, Some(note)) => {
                let _ = writeln!(out, "    edits responsible not found: {note}");
            }
            (None, None) => {}
        }
    }
    if out.is_empty() {
        out.push_str("no difference in flows, opt-outs, assumptions, readings or verdicts\n");
    }
    out
}

/// The scenario as people read it: the facts that matter, and how the rest are set.
fn scenario_shown(w: &ShownWitness, sep: &str) -> String {
    let shown = |names: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        names
            .map(|p| w.param_labels.get(p).unwrap_or(p).clone())
            .collect()
    };
    let own = shown(
        &mut w
            .true_params
            .iter()
            .filter(|p| !w.required_params.contains(p)),
    );
    let required = shown(&mut w.required_params.iter());
    crate::render::scenario_words(w.param_count, &own, &required, w.needed_minimal, sep)
}

/// The failing (or holding) instance as people read it: "c = SanFrancisco".
fn instance_shown(w: &ShownWitness) -> Option<String> {
    (!w.instance.is_empty()).then(|| {
        w.instance
            .iter()
            .map(|(v, a)| format!("{v} = {}", a.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ")
    })
}
