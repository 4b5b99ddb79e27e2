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
    /// Every minimal conflicting set among them, sorted (for a file without readings).
    pub sets: Vec<Vec<usize>>,
    /// For a file with readings: the sets in each reading (its name, its sets), on the
    /// model as it stands in that reading.
    pub readings: Vec<(String, Vec<Vec<usize>>)>,
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
        readings: Vec::new(),
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
    if model.readings.is_empty() {
        let mut grounded = Grounded::new(model.clone());
        match crate::solve::contradictions(&mut grounded, &found.chosen, options) {
            Ok(sets) => found.sets = sets,
            Err(err) => {
                found
                    .errors
                    .push(crate::verify::error::diagnostic(model, checked.root, &err))
            }
        }
        return found;
    }
    for (r, reading) in model.readings.iter().enumerate() {
        let view = model.in_reading(r);
        let mut grounded = Grounded::new(view.clone());
        match crate::solve::contradictions(&mut grounded, &found.chosen, options) {
            Ok(sets) => found.readings.push((reading.name.clone(), sets)),
            Err(crate::verdict::EngineError::Contradictory { assumes }) => {
                found
                    .errors
                    .push(crate::verify::error::contradictory_reading(
                        &view,
                        &reading.name,
                        model.assumes.len(),
                        checked.root,
                        &assumes,
                    ));
            }
            Err(err) => {
                found
                    .errors
                    .push(crate::verify::error::diagnostic(&view, checked.root, &err))
            }
        }
    }
    found
}
