//! `timeline` as text: the claims × versions matrix, and the verdicts that change
//! between neighbouring versions with the edits that flip them.

use crate::timeline::{Cell, Column, Timeline};

/// The matrix as text: one row per claim, one column per version.
pub fn text(t: &Timeline) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let label = |c: &Column| c.version.clone().unwrap_or_else(|| c.date.clone());
    let width = t
        .rows
        .iter()
        .map(|r| r.label().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(out, "versions, oldest first:");
    for (i, c) in t.columns.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {} {} ({})", i + 1, c.date, label(c), c.path);
    }
    let _ = write!(out, "\n{:width$}", "claim");
    for i in 0..t.columns.len() {
        let _ = write!(out, " {:>4}", format!("[{}]", i + 1));
    }
    out.push('\n');
    for row in &t.rows {
        let _ = write!(out, "{:width$}", row.label());
        for cell in &row.cells {
            let shown = cell.as_ref().map_or_else(|| "-".to_owned(), Cell::shown);
            let _ = write!(out, " {shown:>4}");
        }
        out.push('\n');
    }
    let contested = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .any(|c| c.verdict == "contested");
    let _ = writeln!(
        out,
        "\nP proved, P* proved only vacuously, R refuted, ? unknown{}, - not stated in that version",
        if contested {
            ", C contested (the readings disagree)"
        } else {
            ""
        }
    );
    let said: Vec<&crate::timeline::Row> = t
        .rows
        .iter()
        .filter(|r| r.reading.is_none() && r.said.is_some())
        .collect();
    if !said.is_empty() {
        let _ = writeln!(out, "[ ] the version in force when the statement was made:");
        for r in said {
            let cols = r.in_force.as_deref().unwrap_or_default();
            let why = if cols.is_empty() {
                " (before the first version: judged under none)".to_owned()
            } else if cols
                .iter()
                .all(|c| r.cells.get(*c).is_none_or(Option::is_none))
            {
                let list: Vec<String> = cols.iter().map(|c| format!("[{}]", c + 1)).collect();
                format!(
                    " (not stated in the version{} in force then: {})",
                    if cols.len() == 1 { "" } else { "s" },
                    list.join(", ")
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {} said {}{why}",
                r.claim,
                r.said.as_deref().unwrap_or("")
            );
        }
    }
    if t.flips.is_empty() {
        let _ = writeln!(out, "\nno verdict changes between neighbouring versions");
    } else {
        let _ = writeln!(out, "\nverdicts that change:");
        for f in &t.flips {
            let claim = match &f.reading {
                Some(r) => format!("{}@{r}", f.claim),
                None => f.claim.clone(),
            };
            let _ = writeln!(
                out,
                "  {:width$}  {:>2} in [{}] -> {:>2} in [{}]",
                claim,
                f.before.mark(),
                f.from + 1,
                f.after.mark(),
                f.to + 1
            );
            for e in &f.edits {
                let at = e
                    .new
                    .first()
                    .or(e.old.first())
                    .map(|r| format!("  ({}:{})", r.file, r.line))
                    .unwrap_or_default();
                let _ = writeln!(out, "      {} {}{at}", e.change, e.slot);
            }
            if let Some(note) = &f.edits_note {
                let _ = writeln!(out, "      (edits responsible not found: {note})");
            }
        }
        let _ = writeln!(
            out,
            "(under each change: the rule edits that flip it, applied alone to the earlier version; \
`flowproof diff EARLIER LATER` shows them in full)"
        );
    }
    if !t.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\nleft out (no date in the policy header, or errors): {}",
            t.skipped.join(", ")
        );
    }
    out
}
