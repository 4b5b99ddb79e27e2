//! `contradictions` rendered: each claim of a conflicting set described (name, file and
//! line, title, who said it and when, quote, sources and their dates), as JSON and as text.

use std::fmt::Write;

use serde::Serialize;

use crate::check::Checked;
use crate::contradictions::Found;

/// One statement (claim) of a conflicting set, as `contradictions --format json`
/// describes it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonStatement {
    pub name: String,
    /// `always` or `possible`.
    pub mode: String,
    pub title: Option<String>,
    pub quote: Option<String>,
    /// Who made the statement.
    pub by: Option<String>,
    /// When it was made (YYYY-MM-DD).
    pub said: Option<String>,
    pub line: usize,
    pub file: String,
    /// The sources the statement cites.
    pub sources: Vec<JsonSource>,
}

/// A source a statement cites.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonSource {
    pub name: String,
    pub title: Option<String>,
    pub date: Option<String>,
}

/// The sets found in one reading of a file with readings.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonReadingSets {
    pub name: String,
    /// Each set: statements that cannot all be true together in this reading.
    pub contradictions: Vec<Vec<JsonStatement>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Claim `i` of a file, described (none when the file has no model).
pub fn claim(checked: &Checked, i: usize) -> Option<JsonStatement> {
    let m = checked.model.as_ref()?;
    let c = &m.claims[i];
    let sources = c
        .info
        .cites
        .iter()
        .map(|s| {
            let s = &m.sources[s.index()];
            JsonSource {
                name: s.name.clone(),
                title: s.title.clone(),
                date: s.date.map(|d| d.to_string()),
            }
        })
        .collect();
    Some(JsonStatement {
        name: c.name.clone(),
        mode: c.mode.to_string(),
        title: c.title.clone(),
        quote: c.quote.clone(),
        by: c.by.clone(),
        said: c.said.map(|d| d.to_string()),
        line: checked.sources.line(c.info.span),
        file: checked.sources.path(c.info.span.file).display().to_string(),
        sources,
    })
}

/// The sets found, each claim described.
pub fn sets(checked: &Checked, found: &Found) -> Vec<Vec<JsonStatement>> {
    describe(checked, &found.sets)
}

fn describe(checked: &Checked, sets: &[Vec<usize>]) -> Vec<Vec<JsonStatement>> {
    sets.iter()
        .map(|s| s.iter().filter_map(|i| claim(checked, *i)).collect())
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
pub fn readings(checked: &Checked, found: &Found) -> Vec<JsonReadingSets> {
    found
        .readings
        .iter()
        .map(|(name, sets)| JsonReadingSets {
            name: name.clone(),
            contradictions: describe(checked, sets),
            label: reading_label(checked, name).map(str::to_owned),
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
        for v in set.iter().filter_map(|i| claim(checked, *i)) {
            let _ = writeln!(
                out,
                "{indent}   - {} ({}:{}): {}",
                v.name,
                v.file,
                v.line,
                v.title.as_deref().unwrap_or("")
            );
            let who = match (&v.by, &v.said) {
                (Some(by), Some(said)) => Some(format!("{by}, {said}")),
                (Some(by), None) => Some(by.clone()),
                (None, Some(said)) => Some(format!("said {said}")),
                (None, None) => None,
            };
            let _ = match (who, &v.quote) {
                (Some(who), Some(q)) => writeln!(out, "{indent}     {who}: \"{q}\""),
                (None, Some(q)) => writeln!(out, "{indent}     \"{q}\""),
                (Some(who), None) => writeln!(out, "{indent}     {who}"),
                (None, None) => Ok(()),
            };
            for s in &v.sources {
                let date = s
                    .date
                    .as_ref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{indent}     source: {}{date}",
                    s.title.as_ref().unwrap_or(&s.name)
                );
            }
        }
    }
}
