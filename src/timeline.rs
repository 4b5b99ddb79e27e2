//! The timeline: every dated policy in a directory, ordered by its `date`, against
//! every claim they state: a matrix of verdicts, and the flips between neighbouring
//! versions.

use serde::Serialize;

use crate::model::Date;
use crate::verdict::Verdict;
use crate::verify::Verified;

/// The columns (versions, by their dates in order) in force on `said` (section 5.4):
/// those with the latest date at or before the start of `said`'s period (every one of
/// them, when several files share that date: a version and the overlays on it), and
/// every version that starts inside that period. Empty when `said` is before the first
/// version.
pub fn in_force(dates: &[Date], said: Date) -> Vec<usize> {
    let start = said.first_day();
    let end = said.last_day();
    let latest = dates
        .iter()
        .map(|d| d.first_day())
        .filter(|first| *first <= start)
        .max();
    dates
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let first = d.first_day();
            Some(first) == latest || (first > start && first <= end)
        })
        .map(|(i, _)| i)
        .collect()
}

/// One policy version: a column of the matrix.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Column {
    pub path: String,
    pub name: String,
    pub version: Option<String>,
    pub date: String,
}

/// One claim's verdict in one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Cell {
    pub verdict: &'static str,
    pub vacuous: bool,
    /// The version was in force on the date the claim's statement was made (`said`):
    /// this cell says whether the statement was true when it was made.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub said: bool,
}

impl Cell {
    /// A short mark for tables: P, P*, R, C (contested), ?.
    pub fn mark(&self) -> &'static str {
        match (self.verdict, self.vacuous) {
            ("proved", true) => "P*",
            ("proved", false) => "P",
            ("refuted", _) => "R",
            ("contested", _) => "C",
            _ => "?",
        }
    }

    /// The verdict in words: "proved, vacuously", "refuted", ...
    pub fn words(&self) -> &'static str {
        match (self.verdict, self.vacuous) {
            ("proved", true) => "proved, vacuously",
            ("proved", false) => "proved",
            ("refuted", _) => "refuted",
            ("contested", _) => "contested",
            _ => "unknown",
        }
    }

    /// The mark, in brackets when the cell is the statement's own date.
    pub fn shown(&self) -> String {
        if self.said {
            format!("[{}]", self.mark())
        } else {
            self.mark().to_owned()
        }
    }

    /// Whether two cells give the same verdict (a statement's mark aside).
    pub fn same_verdict(&self, other: &Cell) -> bool {
        self.verdict == other.verdict && self.vacuous == other.vacuous
    }
}

/// One claim across the versions (`None` where a version does not state it); for a
/// file with readings, also one row per claim and reading (`claim@reading`).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Row {
    pub claim: String,
    /// The reading of a per-reading row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// When the claim's statement was made, if it says (`said`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said: Option<String>,
    /// For a statement with `said`: the columns in force on that date (see
    /// [`in_force`]), empty when it was made before the first version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force: Option<Vec<usize>>,
    pub cells: Vec<Option<Cell>>,
}

impl Row {
    /// `claim`, or `claim@reading`.
    pub fn label(&self) -> String {
        match &self.reading {
            Some(r) => format!("{}@{r}", self.claim),
            None => self.claim.clone(),
        }
    }
}

/// A verdict that changes from one version to the next that states the claim.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Flip {
    pub claim: String,
    /// The reading of a per-reading row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
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

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    let mut dated: Vec<(&Verified, Date)> = Vec::new();
    let mut skipped = Vec::new();
    for v in verified {
        let date = v
            .model()
            .and_then(|m| m.policy.as_ref())
            .and_then(|p| p.date);
        match date {
            Some(date) if !v.has_errors() => dated.push((v, date)),
            _ => skipped.push(v.checked.path.display().to_string()),
        }
    }
    // by date (a partial date at its first day), then by path, so the order is stable
    dated.sort_by(|a, b| (a.1, &a.0.checked.path).cmp(&(b.1, &b.0.checked.path)));
    let columns: Vec<Column> = dated
        .iter()
        .map(|(v, date)| {
            let policy = v.model().and_then(|m| m.policy.as_ref());
            Column {
                path: v.checked.path.display().to_string(),
                name: policy.map_or_else(String::new, |p| p.name.clone()),
                version: policy.and_then(|p| p.version.clone()),
                date: date.to_string(),
            }
        })
        .collect();
    let dates: Vec<Date> = dated.iter().map(|(_, d)| *d).collect();
    let mut rows: Vec<Row> = Vec::new();
    for (col, (v, _)) in dated.iter().enumerate() {
        let Some(model) = v.model() else {
            continue;
        };
        for o in &v.outcomes {
            let claim = &model.claims[o.claim];
            let judged = claim.said.map(|d| in_force(&dates, d));
            let cell = |verdict: &Verdict, vacuous: bool| Cell {
                verdict: verdict.word(),
                vacuous: vacuous && *verdict == Verdict::Proved,
                said: judged.as_ref().is_some_and(|cols| cols.contains(&col)),
            };
            let mut place = |reading: Option<&str>, cell: Cell| {
                let index = match rows
                    .iter()
                    .position(|r| r.claim == claim.name && r.reading.as_deref() == reading)
                {
                    Some(i) => i,
                    None => {
                        rows.push(Row {
                            claim: claim.name.clone(),
                            reading: reading.map(str::to_owned),
                            said: claim.said.map(|d| d.to_string()),
                            in_force: judged.clone(),
                            cells: vec![None; columns.len()],
                        });
                        rows.len() - 1
                    }
                };
                rows[index].cells[col] = Some(cell);
            };
            place(None, cell(&o.verdict, o.vacuous.is_some()));
            for r in &o.readings {
                let name = model.readings[r.reading].name.as_str();
                place(Some(name), cell(&r.verdict, r.vacuous.is_some()));
            }
        }
    }
    // each claim's rows together, the claim's own first
    let order: Vec<String> = {
        let mut seen = Vec::new();
        for r in &rows {
            if !seen.contains(&r.claim) {
                seen.push(r.claim.clone());
            }
        }
        seen
    };
    rows.sort_by_key(|r| {
        (
            order.iter().position(|c| *c == r.claim),
            r.reading.is_some(),
        )
    });
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
            if !before.same_verdict(after) {
                let d = diffs
                    .entry((from, to))
                    .or_insert_with(|| crate::diff::diff(dated[from].0, dated[to].0, options));
                let change = d.as_ref().and_then(|d| {
                    d.verdicts
                        .iter()
                        .find(|v| v.claim == row.claim && v.reading == row.reading)
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
                    reading: row.reading.clone(),
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
