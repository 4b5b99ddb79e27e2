//! `contradictions`: for one file, the statements (claims) considered and every minimal
//! set of them that no admissible scenario satisfies together.

use crate::check::Checked;
use crate::diagnostic::Diagnostic;
use crate::ground::Grounded;
use crate::solve::Options;

/// What was found in one file.
pub struct Found {
    /// The claims considered (indices into `model.claims`).
    pub chosen: Vec<usize>,
    /// Every minimal conflicting set among them, sorted.
    pub sets: Vec<Vec<usize>>,
    /// Why the search could not be made (contradictory assumptions, a solver that gave
    /// up).
    pub errors: Vec<Diagnostic>,
}

/// The claims named by `names`, or by default those that carry a `quote` (every claim
/// when none does); then every minimal set of them that cannot all hold together.
pub fn find(checked: &Checked, names: &[String], options: &Options) -> Found {
    let mut found = Found {
        chosen: Vec::new(),
        sets: Vec::new(),
        errors: Vec::new(),
    };
    let Some(model) = checked.model.as_ref() else {
        return found;
    };
    found.chosen = if names.is_empty() {
        let quoted: Vec<usize> = (0..model.claims.len())
            .filter(|i| model.claims[*i].quote.is_some())
            .collect();
        if quoted.is_empty() {
            (0..model.claims.len()).collect()
        } else {
            quoted
        }
    } else {
        (0..model.claims.len())
            .filter(|i| names.contains(&model.claims[*i].name))
            .collect()
    };
    let mut grounded = Grounded::new(model.clone());
    match crate::solve::contradictions(&mut grounded, &found.chosen, options) {
        Ok(sets) => found.sets = sets,
        Err(err) => found
            .errors
            .push(crate::verify::error::diagnostic(model, checked.root, &err)),
    }
    found
}
