//! The edits responsible for a verdict that differs: a smallest set, delta-minimised
//! and decided again before it is reported.

use super::Hybrid;
use crate::ground::Grounded;
use crate::solve::{self, Options};
use crate::verdict::ClaimOutcome;

/// The verdict word a flip is judged by: vacuity counts.
pub fn word(o: &ClaimOutcome) -> String {
    word_of(&o.verdict, o.vacuous.is_some())
}

/// The verdict word of a verdict and its vacuity.
pub fn word_of(verdict: &crate::verdict::Verdict, vacuous: bool) -> String {
    if vacuous {
        "proved vacuously".to_owned()
    } else {
        verdict.word().to_owned()
    }
}

/// What the edit search found for one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Responsible {
    /// Indices into the edits: applying just these to the old version gives the new
    /// verdict, and leaving out any one of them does not.
    Edits(Vec<usize>),
    /// The claim's verdict in the old version is not reproduced by the hybrid with no
    /// edit applied (the claim itself differs between the versions).
    ClaimDiffers,
    /// The solver gave up on a hybrid.
    Unknown(String),
}

/// The smallest set of edits found (deletion-based, so no edit of it can be left out)
/// that turns the claim's verdict from `before` to `after`; the claim is the new
/// version's claim of that name, decided in the new version's reading `reading` when
/// one is given (that reading's assumptions as the new version states them).
pub fn responsible(
    hybrid: &Hybrid<'_>,
    claim: &str,
    before: &str,
    after: &str,
    options: &Options,
    reading: Option<usize>,
) -> Responsible {
    let options = Options {
        claims: vec![claim.to_owned()],
        routes: 1,
        ..options.clone()
    };
    let verdict = |applied: &[usize]| -> Result<String, String> {
        let m = hybrid.model(applied);
        let m = match reading {
            Some(r) => m.in_reading(r),
            None => m,
        };
        match solve::verify(&mut Grounded::new(m), &options) {
            Ok(mut o) => match o.pop() {
                Some(o) => match &o.verdict {
                    crate::verdict::Verdict::Unknown(why) => Err(why.clone()),
                    _ => Ok(word(&o)),
                },
                None => Err("the claim was not decided".to_owned()),
            },
            Err(e) => Ok(format!("not verifiable ({e})")),
        }
    };
    match verdict(&[]) {
        Ok(w) if w == before => {}
        Ok(_) => return Responsible::ClaimDiffers,
        Err(why) => return Responsible::Unknown(why),
    }
    let all: Vec<usize> = (0..hybrid.edits().len()).collect();
    match verdict(&all) {
        Ok(w) if w == after => {}
        Ok(_) => return Responsible::ClaimDiffers,
        Err(why) => return Responsible::Unknown(why),
    }
    // whether a set of edits flips the verdict is not monotone (an edit can undo
    // another's effect, or make the assumptions contradictory), so one pass of deletion
    // is not enough: shrink until no single edit can be left out
    let set =
        match crate::minimize::shrink_until_stable(all, |set| verdict(set).map(|w| w == after)) {
            Ok(set) => set,
            Err(why) => return Responsible::Unknown(why),
        };
    // decided again before it is reported: the set flips the verdict, and leaving out
    // any one of its edits does not
    let flips = |s: &[usize]| verdict(s).map(|w| w == after);
    let mut checked = flips(&set);
    for k in &set {
        let rest: Vec<usize> = set.iter().copied().filter(|e| e != k).collect();
        checked = match (checked, flips(&rest)) {
            (Ok(true), Ok(flipped)) => Ok(!flipped),
            (Err(why), _) | (_, Err(why)) => Err(why),
            (Ok(false), _) => Ok(false),
        };
    }
    match checked {
        Ok(true) => Responsible::Edits(set),
        Ok(false) => Responsible::Unknown(
            "the edits found were not each needed to flip the verdict when decided again"
                .to_owned(),
        ),
        Err(why) => Responsible::Unknown(why),
    }
}
