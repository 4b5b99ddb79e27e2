//! The claims whose verdict differs between two versions: overall, and in each reading
//! of the same name on both sides, each with its witness and, where it can be traced,
//! the edits that flip it.

use super::edits::{self, Hybrid, Responsible};
use super::{Diff, VerdictChange, shown_witness};
use crate::solve::Options;
use crate::verdict::Witness;
use crate::verify::Verified;

/// How a verdict change is traced to edits.
enum Trace<'a, 'm> {
    /// By the edit search on these hybrids.
    Hybrids(&'a Hybrid<'m>),
    /// Not traced, for this reason.
    Not(String),
}

/// Fills in `d.verdicts`: for every claim both versions state, its overall change (if
/// any), then its change in each reading of the same name on both sides.
pub(super) fn compare(
    d: &mut Diff,
    old: &Verified,
    new: &Verified,
    hybrid: Option<&Hybrid<'_>>,
    options: &Options,
) {
    let (Some(a), Some(b)) = (old.model(), new.model()) else {
        return;
    };
    let declared = || match hybrid {
        Some(h) => Trace::Hybrids(h),
        None => Trace::Not("the versions' declarations differ".to_owned()),
    };
    for o in &new.outcomes {
        let claim = &b.claims[o.claim];
        let Some(before) = old
            .outcomes
            .iter()
            .find(|p| a.claims[p.claim].name == claim.name)
        else {
            continue;
        };
        let mut per_reading = Vec::new();
        for after in &o.readings {
            let reading = &b.readings[after.reading];
            let Some(prior) = before
                .readings
                .iter()
                .find(|r| a.readings[r.reading].name == reading.name)
            else {
                continue;
            };
            let (w0, w1) = (
                edits::word_of(&prior.verdict, prior.vacuous.is_some()),
                edits::word_of(&after.verdict, after.vacuous.is_some()),
            );
            if w0 != w1 {
                let change = Change {
                    before: (w0, prior.witness.as_ref()),
                    after: (w1, after.witness.as_ref()),
                };
                per_reading.push(verdict_change(
                    (old, new),
                    &claim.name,
                    Some(after.reading),
                    &change,
                    &declared(),
                    options,
                ));
            }
        }
        let word = edits::word;
        if word(before) != word(o) {
            let change = Change {
                before: (word(before), before.witness.as_ref()),
                after: (word(o), o.witness.as_ref()),
            };
            // with readings, the overall verdict is traced reading by reading
            let trace = if a.readings.is_empty() && b.readings.is_empty() {
                declared()
            } else if per_reading.is_empty() {
                Trace::Not(
                    "with readings, the edits are traced reading by reading, and no reading both versions have changes its verdict (readings were added or removed)"
                        .to_owned(),
                )
            } else {
                Trace::Not("with readings, the edits are traced reading by reading".to_owned())
            };
            d.verdicts.push(verdict_change(
                (old, new),
                &claim.name,
                None,
                &change,
                &trace,
                options,
            ));
        }
        d.verdicts.append(&mut per_reading);
    }
}

/// One verdict that differs: each side's word and witness.
struct Change<'a> {
    before: (String, Option<&'a Witness>),
    after: (String, Option<&'a Witness>),
}

/// The change of a claim's verdict (in a reading of the new version, when given), with
/// the witness of the side that has one and the edits that flip it when it is traced.
fn verdict_change(
    (old, new): (&Verified, &Verified),
    claim: &str,
    reading: Option<usize>,
    change: &Change<'_>,
    trace: &Trace<'_, '_>,
    options: &Options,
) -> VerdictChange {
    let (witness_side, witness) = match (change.after.1, change.before.1) {
        (Some(w), _) => (Some("new"), shown_witness(new, claim, w)),
        (None, Some(w)) => (Some("old"), shown_witness(old, claim, w)),
        (None, None) => (None, None),
    };
    let (before, after) = (&change.before.0, &change.after.0);
    let (responsible, edits_note) = match trace {
        Trace::Not(why) => (None, Some(why.clone())),
        Trace::Hybrids(h) => match edits::responsible(h, claim, before, after, options, reading) {
            Responsible::Edits(set) => (Some(set), None),
            Responsible::ClaimDiffers => (
                None,
                Some("the claim itself differs between the versions".to_owned()),
            ),
            Responsible::Unknown(why) => (None, Some(format!("undecided: {why}"))),
        },
    };
    let shown = reading.and_then(|r| new.model()?.readings.get(r));
    VerdictChange {
        claim: claim.to_owned(),
        reading: shown.map(|r| r.name.clone()),
        reading_label: shown.and_then(|r| r.label.clone()),
        before: before.clone(),
        after: after.clone(),
        witness_side,
        witness,
        responsible,
        edits_note,
    }
}
