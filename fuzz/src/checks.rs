//! What each fuzz target checks, one function per target, shared by the fuzz targets
//! (`fuzz_targets/`) and by `tests/library/fuzz_seeds.rs`, which replays the committed seed
//! corpus through the same checks on every `cargo test`. Each function panics when a
//! property fails, and returns whether the input reached the deepest property it
//! checks (so a replay can tell that its inputs test something).

use std::path::Path;

use flowproof::check::check_text_limited;
use flowproof::ground::Grounded;
use flowproof::limits::Limits;
use flowproof::reference;
use flowproof::render::diagnostic::{RenderOptions, render, to_json};
use flowproof::solve::{self, Options};
use flowproof::span::FileId;
use flowproof::syntax::lexer::tokens;
use flowproof::syntax::{parse as parse_text, print};
use flowproof::verdict::{EngineError, Verdict};
use flowproof::verify::{Engine, Verified, verify_checked};

/// Imports resolve against a directory that does not exist, so nothing is read.
const NOWHERE: &str = "/nonexistent-flowproof-fuzz/fuzz.flow";

/// The lexer on any text: it never panics, every token and every error lies inside
/// the text on character boundaries, tokens come in order without overlapping, and
/// lexing is deterministic.
pub fn lex(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let file = FileId(0);
    let (toks, errors) = tokens(&text, file);
    let mut end = 0;
    for (start, _, stop) in &toks {
        assert!(end <= *start && start <= stop && *stop <= text.len());
        assert!(text.is_char_boundary(*start) && text.is_char_boundary(*stop));
        end = *stop;
    }
    for e in &errors {
        let r = e.span.range();
        assert!(r.start <= r.end && r.end <= text.len(), "{e:?}");
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{e:?}"
        );
    }
    let again = tokens(&text, file);
    assert_eq!(again.0, toks);
    assert_eq!(again.1, errors);
    !toks.is_empty()
}

/// The parser on any text: it never panics or overflows its stack (nesting is
/// limited), every error points inside the text, and a file read without errors
/// prints back to text that reads as the same tree (printing is a fixpoint); the
/// formatter takes it, keeps its tree and comments, and formatting is a fixpoint.
pub fn parse(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let (tree, errors) = parse_text(&text, FileId(0));
    for e in &errors {
        let r = e.span().range();
        assert!(r.start <= r.end && r.end <= text.len(), "{e:?}");
    }
    if errors.is_empty() {
        let printed = print::file(&tree);
        let (again, errors) = parse_text(&printed, FileId(0));
        assert!(
            errors.is_empty(),
            "the printed tree does not parse: {errors:?}\n{printed}"
        );
        assert_eq!(print::file(&again), printed, "printing is not a fixpoint");
        // the formatter takes any text that parses, and formatting is a fixpoint
        match flowproof::format::format_text(&text) {
            Ok(formatted) => match flowproof::format::format_text(&formatted) {
                Ok(twice) => assert_eq!(twice, formatted, "formatting is not idempotent"),
                Err(err) => panic!("formatted text refused: {err:?}\n{formatted}"),
            },
            Err(err) => panic!("the formatter refused a file that parses: {err:?}"),
        }
    }
    errors.is_empty()
}

/// The checker on any text, and every diagnostic drawn as the command line draws it
/// and written as JSON: nothing panics, and nothing drawn carries a control
/// character from the file.
pub fn check(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_ground: 100_000,
        max_ground_params: 10_000,
        ..Limits::default()
    };
    let checked = check_text_limited(Path::new(NOWHERE), &text, &limits);
    let options = RenderOptions {
        color: false,
        width: 100,
        plain: false,
    };
    for d in &checked.diagnostics {
        let drawn = render(d, &checked.sources, options);
        assert!(drawn.contains(&d.code()), "{drawn}");
        assert!(
            !drawn
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "a control character is drawn: {drawn:?}"
        );
        let json = to_json(d, &checked.sources);
        assert!(!json.code.is_empty());
    }
    if checked.model.is_some() {
        assert!(!checked.has_errors());
    }
    checked.model.is_some()
}

/// Models with more ground params than this are only checked, not verified.
const MAX_PARAMS: usize = 10;

/// The whole pipeline on small models: check, then decide every claim with Z3 (the
/// fast engine and the plain one) and with the reference interpreter, which must
/// agree on every verdict Z3 gives, on vacuity, and on contradictory assumptions.
/// Internal errors (a witness that does not replay) are failures too. A model with
/// readings is also decided reading by reading through the whole pipeline, by Z3 and
/// by the reference (see [`readings`]).
pub fn verify(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_ground: 5_000,
        max_ground_params: 64,
        ..Limits::default()
    };
    let checked = check_text_limited(Path::new(NOWHERE), &text, &limits);
    let Some(model) = checked.model.as_ref() else {
        return false;
    };
    let all: Vec<usize> = (0..model.claims.len()).collect();
    let expected = reference::verify(&Grounded::new(model.clone()), &all, MAX_PARAMS);
    if matches!(expected, Err(EngineError::TooManyParams { .. })) {
        return false;
    }
    for split in [true, false] {
        let options = Options {
            timeout_ms: Some(5_000),
            split,
            ..Options::default()
        };
        // a fresh context each time, so the solver's memory does not grow run after run
        let got = z3::with_z3_config(&z3::Config::new(), || {
            solve::verify(&mut Grounded::new(model.clone()), &options)
        });
        match (&got, &expected) {
            (Ok(zs), Ok(rs)) => {
                for (z, r) in zs.iter().zip(rs) {
                    if matches!(z.verdict, Verdict::Unknown(_)) {
                        continue;
                    }
                    let name = &model.claims[z.claim].name;
                    assert_eq!(z.verdict, r.verdict, "claim {name} (split: {split})");
                    assert_eq!(
                        z.vacuous.is_some(),
                        r.vacuous.is_some(),
                        "vacuity of {name} (split: {split})"
                    );
                }
            }
            (Err(EngineError::Contradictory { .. }), Err(EngineError::Contradictory { .. })) => {}
            _ => {
                panic!("the engines disagree (split: {split}): Z3 {got:?}, reference {expected:?}")
            }
        }
    }
    if !model.readings.is_empty() {
        readings(&text, &limits);
    }
    !model.claims.is_empty()
}

/// A model with readings (section 5.6), decided by [`verify_checked`] with Z3 and with
/// the reference: the same verification errors (contradictory assumptions, a
/// contradictory reading) and none internal; for every claim, in every reading, the
/// same verdict and vacuity wherever Z3 decides, and the same overall verdict (and
/// vacuity) when Z3 decides every reading.
fn readings(text: &str, limits: &Limits) {
    let decide = |engine: Engine| {
        let checked = check_text_limited(Path::new(NOWHERE), text, limits);
        let options = Options {
            timeout_ms: Some(5_000),
            limits: *limits,
            ..Options::default()
        };
        z3::with_z3_config(&z3::Config::new(), || {
            verify_checked(checked, &options, engine)
        })
    };
    let z = decide(Engine::Z3);
    let r = decide(Engine::Reference {
        max_params: MAX_PARAMS,
    });
    let codes = |v: &Verified| v.errors.iter().map(|d| d.code()).collect::<Vec<_>>();
    for (engine, v) in [("Z3", &z), ("reference", &r)] {
        assert!(
            !codes(v).iter().any(|c| c == "flowproof::verify::internal"),
            "{engine}: {:?}",
            v.errors
        );
    }
    assert_eq!(codes(&z), codes(&r), "the engines disagree on the readings");
    let Some(model) = z.model() else {
        panic!("a model checked once and not twice");
    };
    assert_eq!(z.outcomes.len(), r.outcomes.len());
    for (zo, ro) in z.outcomes.iter().zip(&r.outcomes) {
        assert_eq!(zo.claim, ro.claim);
        let name = &model.claims[zo.claim].name;
        assert_eq!(zo.readings.len(), model.readings.len(), "claim {name}");
        assert_eq!(ro.readings.len(), model.readings.len(), "claim {name}");
        let mut all_decided = true;
        for (zr, rr) in zo.readings.iter().zip(&ro.readings) {
            assert_eq!(zr.reading, rr.reading);
            if matches!(zr.verdict, Verdict::Unknown(_)) {
                all_decided = false;
                continue;
            }
            let reading = &model.readings[zr.reading].name;
            assert_eq!(zr.verdict, rr.verdict, "claim {name} in reading {reading}");
            assert_eq!(
                zr.vacuous.is_some(),
                rr.vacuous.is_some(),
                "vacuity of {name} in reading {reading}"
            );
        }
        if all_decided {
            assert_eq!(zo.verdict, ro.verdict, "overall verdict of {name}");
            assert_eq!(
                zo.vacuous.is_some(),
                ro.vacuous.is_some(),
                "overall vacuity of {name}"
            );
        }
    }
}
