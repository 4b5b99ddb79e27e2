//! `contradictions` rendered: each claim of a conflicting set described (name, file and
//! line, title, who said it and when, quote, sources and their dates), as JSON and as text.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::check::Checked;
use crate::contradictions::Found;

/// One claim of a file, described.
pub fn claim(checked: &Checked, i: usize) -> Value {
    let Some(m) = checked.model.as_ref() else {
        return Value::Null;
    };
    let c = &m.claims[i];
    let sources: Vec<Value> = c
        .info
        .cites
        .iter()
        .map(|s| {
            let s = &m.sources[s.index()];
            json!({"name": s.name, "title": s.title, "date": s.date.map(|d| d.to_string())})
        })
        .collect();
    json!({
        "name": c.name, "mode": c.mode.to_string(), "title": c.title, "quote": c.quote,
        "by": c.by, "said": c.said.map(|d| d.to_string()),
        "line": checked.sources.line(c.info.span),
        "file": checked.sources.path(c.info.span.file).display().to_string(),
        "sources": sources,
    })
}

/// The sets found, each claim described.
pub fn sets(checked: &Checked, found: &Found) -> Vec<Vec<Value>> {
    describe(checked, &found.sets)
}

fn describe(checked: &Checked, sets: &[Vec<usize>]) -> Vec<Vec<Value>> {
    sets.iter()
        .map(|s| s.iter().map(|i| claim(checked, *i)).collect())
        .collect()
}

/// The label of the reading named `name`, if it has one.
fn reading_label<'c>(checked: &'c Checked, name: &str) -> Option<&'c str> {
    checked
        .model
        .as_ref()?
        .readings
        .iter()
        .find(|r| r.name == name)?
        .label
        .as_deref()
}

/// For a file with readings: each reading's name (and label, when it has one) and sets,
/// each claim described.
pub fn readings(checked: &Checked, found: &Found) -> Vec<Value> {
    found
        .readings
        .iter()
        .map(|(name, sets)| {
            let mut reading = json!({"name": name, "contradictions": describe(checked, sets)});
            if let Some(label) = reading_label(checked, name) {
                reading["label"] = json!(label);
            }
            reading
        })
        .collect()
}

/// The sets found in the file at `path`, as text.
pub fn text(path: &std::path::Path, checked: &Checked, found: &Found) -> String {
    let mut out = String::new();
    let n = found.chosen.len();
    let _ = writeln!(
        out,
        "\n{}: {n} statement{} considered",
        path.display(),
        if n == 1 { "" } else { "s" }
    );
    if found.readings.is_empty() {
        sets_text(&mut out, checked, &found.sets, "  ");
    }
    for (name, sets) in &found.readings {
        let _ = match reading_label(checked, name) {
            Some(label) => writeln!(out, "  in reading {name} (\"{label}\"):"),
            None => writeln!(out, "  in reading {name}:"),
        };
        sets_text(&mut out, checked, sets, "    ");
    }
    out
}

/// The conflicting sets, each line after `indent`.
fn sets_text(out: &mut String, checked: &Checked, sets: &[Vec<usize>], indent: &str) {
    if sets.is_empty() {
        let _ = writeln!(out, "{indent}they can all be true together");
    }
    for (n, set) in sets.iter().enumerate() {
        if set.len() == 1 {
            let _ = writeln!(
                out,
                "{indent}{}. this statement contradicts the policy itself:",
                n + 1
            );
        } else {
            let _ = writeln!(
                out,
                "{indent}{}. these {} statements cannot all be true together (drop any one and the rest can):",
                n + 1,
                set.len()
            );
        }
        for i in set {
            let v = claim(checked, *i);
            let title = v["title"].as_str().unwrap_or("");
            let _ = writeln!(
                out,
                "{indent}   - {} ({}:{}): {title}",
                v["name"].as_str().unwrap_or(""),
                v["file"].as_str().unwrap_or(""),
                v["line"]
            );
            let who = match (v["by"].as_str(), v["said"].as_str()) {
                (Some(by), Some(said)) => Some(format!("{by}, {said}")),
                (Some(by), None) => Some(by.to_owned()),
                (None, Some(said)) => Some(format!("said {said}")),
                (None, None) => None,
            };
            let _ = match (who, v["quote"].as_str()) {
                (Some(who), Some(q)) => writeln!(out, "{indent}     {who}: \"{q}\""),
                (None, Some(q)) => writeln!(out, "{indent}     \"{q}\""),
                (Some(who), None) => writeln!(out, "{indent}     {who}"),
                (None, None) => Ok(()),
            };
            for s in v["sources"].as_array().into_iter().flatten() {
                let date = s["date"]
                    .as_str()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{indent}     source: {}{date}",
                    s["title"].as_str().or(s["name"].as_str()).unwrap_or("")
                );
            }
        }
    }
}
