//! The timeline: every dated policy in a directory, ordered by its `date`, against
//! every claim they state: a matrix of verdicts, and the flips between neighbouring
//! versions.

use serde::Serialize;

use crate::verdict::Verdict;
use crate::verify::Verified;

/// One policy version: a column of the matrix.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub path: String,
    pub name: String,
    pub version: Option<String>,
    pub date: String,
}

/// One claim's verdict in one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub verdict: &'static str,
    pub vacuous: bool,
}

impl Cell {
    /// A short mark for tables: P, P*, R, ?.
    pub fn mark(&self) -> &'static str {
        match (self.verdict, self.vacuous) {
            ("proved", true) => "P*",
            ("proved", false) => "P",
            ("refuted", _) => "R",
            _ => "?",
        }
    }
}

/// One claim across the versions (`None` where a version does not state it).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub claim: String,
    pub cells: Vec<Option<Cell>>,
}

/// A verdict that changes from one version to the next that states the claim.
#[derive(Clone, Debug, Serialize)]
pub struct Flip {
    pub claim: String,
    pub from: usize,
    pub to: usize,
    pub before: Cell,
    pub after: Cell,
    /// The rule edits between the two versions that flip it: the smallest set found,
    /// applied alone to the earlier version (see [`crate::diff`]).
    pub edits: Vec<crate::diff::ShownEdit>,
    /// Why `edits` is empty, when it is.
    pub edits_note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub flips: Vec<Flip>,
    /// Files left out: no `date` in their policy header, or errors (their paths).
    pub skipped: Vec<String>,
}

/// Builds the timeline from verified files (in any order); `options` limits the solver
/// when flips are traced to rule edits.
pub fn build(verified: &[Verified], options: &crate::solve::Options) -> Timeline {
    let mut dated: Vec<(&Verified, String)> = Vec::new();
    let mut skipped = Vec::new();
    for v in verified {
        let date = v
            .checked
            .model
            .as_ref()
            .and_then(|m| m.policy.as_ref())
            .and_then(|p| p.date)
            .map(|d| d.to_string());
        match date {
            Some(date) if !v.has_errors() => dated.push((v, date)),
            _ => skipped.push(v.checked.path.display().to_string()),
        }
    }
    // by date, then by path, so the order is stable
    dated.sort_by(|a, b| (&a.1, &a.0.checked.path).cmp(&(&b.1, &b.0.checked.path)));
    let columns: Vec<Column> = dated
        .iter()
        .map(|(v, date)| {
            let policy = v.checked.model.as_ref().and_then(|m| m.policy.as_ref());
            Column {
                path: v.checked.path.display().to_string(),
                name: policy.map_or_else(String::new, |p| p.name.clone()),
                version: policy.and_then(|p| p.version.clone()),
                date: date.clone(),
            }
        })
        .collect();
    let mut rows: Vec<Row> = Vec::new();
    for (col, (v, _)) in dated.iter().enumerate() {
        let Some(model) = v.checked.model.as_ref() else {
            continue;
        };
        for o in &v.outcomes {
            let name = &model.claims[o.claim].name;
            let index = match rows.iter().position(|r| r.claim == *name) {
                Some(i) => i,
                None => {
                    rows.push(Row {
                        claim: name.clone(),
                        cells: vec![None; columns.len()],
                    });
                    rows.len() - 1
                }
            };
            rows[index].cells[col] = Some(Cell {
                verdict: o.verdict.word(),
                vacuous: o.vacuous.is_some() && o.verdict == Verdict::Proved,
            });
        }
    }
    let mut flips = Vec::new();
    let mut diffs: std::collections::HashMap<(usize, usize), Option<crate::diff::Diff>> =
        std::collections::HashMap::new();
    for row in &rows {
        let stated: Vec<(usize, &Cell)> = row
            .cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
            .collect();
        for pair in stated.windows(2) {
            let ((from, before), (to, after)) = (pair[0], pair[1]);
            if before != after {
                let d = diffs
                    .entry((from, to))
                    .or_insert_with(|| crate::diff::diff(dated[from].0, dated[to].0, options));
                let change = d.as_ref().and_then(|d| {
                    d.verdicts
                        .iter()
                        .find(|v| v.claim == row.claim)
                        .map(|v| (d, v))
                });
                let (edits, edits_note) = match change {
                    Some((d, v)) => match (&v.responsible, &d.edits) {
                        (Some(set), Some(all)) => (
                            set.iter().filter_map(|k| all.get(*k).cloned()).collect(),
                            None,
                        ),
                        _ => (Vec::new(), v.edits_note.clone()),
                    },
                    None => (
                        Vec::new(),
                        Some("the two versions could not be compared".to_owned()),
                    ),
                };
                flips.push(Flip {
                    claim: row.claim.clone(),
                    from,
                    to,
                    before: before.clone(),
                    after: after.clone(),
                    edits,
                    edits_note,
                });
            }
        }
    }
    Timeline {
        columns,
        rows,
        flips,
        skipped,
    }
}
