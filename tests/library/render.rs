//! The closing line of `verify`'s text on a state only a solver's limit reaches: a
//! claim unknown overall (one reading undecided) and refuted in the reading decided.

use std::path::Path;

use flowproof::render::text::{Style, summary};
use flowproof::solve::Options;
use flowproof::verdict::{ClaimOutcome, Verdict};
use flowproof::verify::{Engine, Tally, verify_file};

#[test]
fn a_claim_unknown_overall_and_refuted_in_a_reading_is_summed_up_as_refuted_in_a_reading() {
    let dir = std::env::temp_dir().join(format!("flowproof-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("r.flow");
    std::fs::write(
        &file,
        r#"policy "r" version "1";
kind county; kind fed;
agency SF: county; agency ICE: fed;
data prints;
param sent;
collect prints at SF;
flow prints: SF -> ICE when sent;
reading a { assume sent; }
reading b { assume sent; }
claim never "prints never reach ICE": always !reaches(prints of SF, ICE);
"#,
    )
    .expect("write policy");
    let mut verified = verify_file(Path::new(&file), &Options::default(), Engine::Z3);
    let outcome = &mut verified.outcomes[0];
    assert_eq!(outcome.verdict, Verdict::Refuted);
    // as a time limit would leave it: reading `a` undecided, `b` refuted
    let mut readings = outcome.readings.clone();
    readings[0].verdict = Verdict::Unknown("the time limit was reached".to_owned());
    readings[0].witness = None;
    *outcome = ClaimOutcome::combine(0, readings);
    assert!(matches!(verified.outcomes[0].verdict, Verdict::Unknown(_)));
    let reports = [verified];
    assert_eq!(Tally::of(&reports).exit_code(), 1);
    let line = summary(
        &reports,
        &Style {
            color: false,
            story: false,
        },
    );
    assert!(
        line.contains(
            "verify result: some claims refuted in a reading. 0 proved; 0 refuted; 1 unknown"
        ),
        "{line}"
    );
}
