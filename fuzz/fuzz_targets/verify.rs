//! The whole pipeline on small models: check, then decide every claim with Z3 (the
//! fast engine and the plain one) and with the reference interpreter, which must
//! agree on every verdict Z3 gives, on vacuity, and on contradictory assumptions.
//! Internal errors (a witness that does not replay) are failures too.
#![no_main]

use std::path::Path;

use flowproof::check::check_text_limited;
use flowproof::limits::Limits;
use flowproof::reference;
use flowproof::solve::verdict::{Verdict, VerifyError};
use flowproof::solve::{self, Options};
use libfuzzer_sys::fuzz_target;

/// Models with more ground params than this are only checked, not verified.
const MAX_PARAMS: usize = 10;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_ground: 5_000,
        max_ground_params: 64,
        ..Limits::default()
    };
    let checked = check_text_limited(Path::new("/nonexistent-flowproof-fuzz/fuzz.flow"), &text, &limits);
    let Some(model) = checked.model.as_ref() else {
        return;
    };
    let all: Vec<usize> = (0..model.claims.len()).collect();
    let expected = reference::verify(model, &all, MAX_PARAMS);
    if matches!(expected, Err(VerifyError::TooManyParams { .. })) {
        return;
    }
    for split in [true, false] {
        let options = Options {
            timeout_ms: Some(5_000),
            split,
            ..Options::default()
        };
        // a fresh context each time, so the solver's memory does not grow run after run
        let got = z3::with_z3_config(&z3::Config::new(), || solve::verify(model, &options));
        match (&got, &expected) {
            (Ok(zs), Ok(rs)) => {
                for (z, r) in zs.iter().zip(rs) {
                    if matches!(z.verdict, Verdict::Unknown(_)) {
                        continue;
                    }
                    assert_eq!(z.verdict, r.verdict, "claim {} (split: {split})", model.claims[z.claim].name);
                    assert_eq!(z.vacuous.is_some(), r.vacuous.is_some(), "vacuity of {}", model.claims[z.claim].name);
                }
            }
            (Err(VerifyError::Contradictory { .. }), Err(VerifyError::Contradictory { .. })) => {}
            _ => panic!("the engines disagree (split: {split}): Z3 {got:?}, reference {expected:?}"),
        }
    }
});
