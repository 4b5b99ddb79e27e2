//! The shipped policies: every `// expect` verdict under `policies/` holds (a change that
//! flips a verdict fails here, naming the file and the claim), every rule of the Secure
//! Communities library cites a source, the shipped files check without warnings, and
//! every optimisation of the engine switched off in turn changes no verdict of theirs.

use std::path::PathBuf;

use flowproof::check::{Checked, check_file, expand_paths};
use flowproof::expect;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

/// The file names of the five founding reports, as the library's sources name them.
const FOUNDING_REPORTS: [&str; 5] = [
    "000_aced0b21d59dbed2.txt",
    "001_819ceeb1c3d2dcf9.txt",
    "002_a6a5ce166807cc70.txt",
    "003_53bbe069f356066e.txt",
    "004_9a79f9a6cef98270.txt",
];

fn flow_files(dir: &str) -> Vec<PathBuf> {
    let (files, errors) = expand_paths(&[PathBuf::from(dir)]);
    assert!(errors.is_empty(), "{dir}: {errors:?}");
    files
}

/// Every file of the libraries in `dirs`, checked; each must check.
fn library(dirs: &[&str]) -> Vec<(PathBuf, Checked)> {
    dirs.iter()
        .flat_map(|dir| flow_files(dir))
        .map(|file| {
            let checked = check_file(&file);
            assert!(
                checked.model.is_some(),
                "{}: the library checks",
                file.display()
            );
            (file, checked)
        })
        .collect()
}

fn model_of(checked: &Checked) -> &flowproof::model::Model {
    checked.model.as_ref().expect("the library checks")
}

/// Where a rule is written, as `file:line`.
fn place(checked: &Checked, info: &flowproof::model::RuleInfo) -> String {
    format!(
        "{}:{}",
        checked.sources.path(info.span.file).display(),
        checked.sources.line(info.span)
    )
}

#[test]
fn every_expected_verdict_of_the_shipped_policies_holds() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in flow_files("policies") {
        let text = std::fs::read_to_string(&file).expect("readable policy");
        let expects = expect::parse(&text);
        if expects.is_empty() {
            continue;
        }
        checked += 1;
        let verified = verify_file(&file, &Options::default(), Engine::Z3);
        if let Err(why) = expect::compare(&expects, &verified) {
            failures.push(format!("{}: {why}", file.display()));
        }
    }
    assert!(checked > 0, "no policy has `// expect` lines");
    assert!(
        failures.is_empty(),
        "verdicts changed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_version_and_overlay_pins_its_verdicts() {
    for (file, checked) in library(&["policies/secure-communities", "policies/irs-ice"]) {
        let text = std::fs::read_to_string(&file).expect("readable policy");
        let model = model_of(&checked);
        let pinned = expect::parse(&text);
        for claim in &model.claims {
            let named = pinned
                .iter()
                .any(|e| matches!(e, expect::Expect::Verdict { claim: c, .. } if *c == claim.name));
            assert!(
                named,
                "{}: claim `{}` has no `// expect` line",
                file.display(),
                claim.name
            );
        }
    }
}

/// A rule of a model: what it is, its citations, and the modeller's note.
type Rule<'m> = (
    &'static str,
    &'m flowproof::model::RuleInfo,
    Option<&'m str>,
);

/// Every rule of a model: flows, collects, derives, opt-outs, assumptions, and readings
/// with their assumptions.
fn rules(model: &flowproof::model::Model) -> Vec<Rule<'_>> {
    let mut rules: Vec<Rule<'_>> = Vec::new();
    rules.extend(model.flows.iter().map(|r| with_note("flow", &r.info)));
    rules.extend(model.collects.iter().map(|r| with_note("collect", &r.info)));
    rules.extend(model.derives.iter().map(|r| with_note("derive", &r.info)));
    rules.extend(model.optouts.iter().map(|r| with_note("optout", &r.info)));
    rules.extend(model.assumes.iter().map(|r| with_note("assume", &r.info)));
    for reading in &model.readings {
        rules.push(("reading", &reading.info, reading.note.as_deref()));
        rules.extend(reading.assumes.iter().map(|a| with_note("assume", &a.info)));
    }
    rules
}

fn with_note<'m>(what: &'static str, info: &'m flowproof::model::RuleInfo) -> Rule<'m> {
    (what, info, info.note.as_deref())
}

/// A rule cites what supports it, or says in its note why nothing does: the library
/// never cites a document for a rule the document does not support.
#[test]
fn every_rule_of_the_shipped_libraries_cites_a_source_or_says_why_not() {
    let mut uncited = Vec::new();
    for (_, checked) in library(&["policies/secure-communities", "policies/irs-ice"]) {
        for (what, info, note) in rules(model_of(&checked)) {
            if info.cites.is_empty() && note.is_none_or(str::is_empty) {
                uncited.push(format!("{what} at {}", place(&checked, info)));
            }
        }
    }
    uncited.sort();
    uncited.dedup();
    assert!(
        uncited.is_empty(),
        "rules with neither `cite` nor `note`:\n{}",
        uncited.join("\n")
    );
}

/// The only warning a shipped policy may give is that a founding report's text is not
/// here: the reports are not in the repository (they are copyrighted), and CI checks every
/// quotation against them with `--evidence`.
#[test]
fn the_shipped_policies_check_without_errors_or_warnings() {
    for file in flow_files("policies") {
        let checked = check_file(&file);
        let found: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code(), d.message()))
            .filter(|d| {
                !(d.starts_with("flowproof::evidence::document_missing:")
                    && FOUNDING_REPORTS.iter().any(|report| d.contains(report)))
            })
            .collect();
        assert!(found.is_empty(), "{}: {found:?}", file.display());
    }
}

/// Each optimisation of the engine switched off in turn gives every shipped policy the
/// same verdicts (vacuity included) as all of them on, and every witness it shows is
/// one that replayed (as every witness does) on the same claim.
#[test]
fn every_optimisation_switched_off_gives_the_same_verdicts() {
    let configurations = [
        (
            "no diagrams",
            Options {
                bdd: false,
                ..Options::default()
            },
        ),
        (
            "no symmetry",
            Options {
                symmetry: false,
                ..Options::default()
            },
        ),
        (
            "no reuse",
            Options {
                reuse: false,
                ..Options::default()
            },
        ),
        (
            "no fixed params",
            Options {
                propagate: false,
                ..Options::default()
            },
        ),
        (
            "plain",
            Options {
                split: false,
                ..Options::default()
            },
        ),
    ];
    let mut compared = 0;
    for file in flow_files("policies") {
        let fast = verify_file(&file, &Options::default(), Engine::Z3);
        // each claim's verdict, vacuity and witness, overall and in every reading
        let words = |v: &flowproof::verify::Verified| -> Vec<(usize, String, bool, bool)> {
            v.outcomes
                .iter()
                .flat_map(|o| {
                    std::iter::once((
                        o.claim,
                        format!("{:?}", o.verdict),
                        o.vacuous.is_some(),
                        o.witness.is_some(),
                    ))
                    .chain(o.readings.iter().map(move |r| {
                        (
                            o.claim,
                            format!("{:?} in reading {}", r.verdict, r.reading),
                            r.vacuous.is_some(),
                            r.witness.is_some(),
                        )
                    }))
                })
                .collect()
        };
        for (name, options) in &configurations {
            let other = verify_file(&file, options, Engine::Z3);
            assert_eq!(
                words(&fast),
                words(&other),
                "{} with {name}",
                file.display()
            );
            compared += other.outcomes.len();
        }
    }
    assert!(compared > 100, "only {compared} outcomes compared");
}

/// Wherever the library cites a founding report (a source with a `document`), it says
/// which words of the report the rule, assumption, reading or claim rests on: a pinpoint,
/// or for a claim its `quote`. (CI checks those words against the reports themselves.)
#[test]
fn every_citation_of_a_founding_report_carries_its_words() {
    let mut bare = Vec::new();
    for (_, checked) in library(&["policies/secure-communities"]) {
        let model = model_of(&checked);
        let is_report =
            |s: &flowproof::model::SourceId| model.sources[s.index()].document.is_some();
        let mut infos: Vec<(&str, &flowproof::model::RuleInfo, bool)> = rules(model)
            .into_iter()
            .map(|(what, info, _)| (what, info, false))
            .collect();
        infos.extend(
            model
                .claims
                .iter()
                .map(|c| ("claim", &c.info, c.quote.is_some())),
        );
        for (what, info, quoted) in infos {
            for source in info.cites.iter().filter(|s| is_report(s)) {
                let pinned = info.pinpoints.iter().any(|p| p.source == *source);
                if !pinned && !quoted {
                    bare.push(format!(
                        "{what} at {} cites {} without its words",
                        place(&checked, info),
                        model.sources[source.index()].name
                    ));
                }
            }
        }
    }
    bare.sort();
    bare.dedup();
    assert!(bare.is_empty(), "{}", bare.join("\n"));
}

/// The IRS-ICE library cites a source on every rule, assumption and reading, and every
/// statement in it names its speaker and date.
#[test]
fn every_rule_of_the_irs_ice_library_cites_a_source() {
    let mut bare = Vec::new();
    for (_, checked) in library(&["policies/irs-ice"]) {
        let model = model_of(&checked);
        for (what, info, _) in rules(model) {
            if info.cites.is_empty() {
                bare.push(format!("{what} at {}", place(&checked, info)));
            }
        }
        for claim in model.claims.iter().filter(|c| c.quote.is_some()) {
            if claim.by.is_none() || claim.said.is_none() || claim.info.cites.is_empty() {
                bare.push(format!(
                    "claim {} without speaker, date or source",
                    claim.name
                ));
            }
        }
    }
    bare.sort();
    bare.dedup();
    assert!(bare.is_empty(), "{}", bare.join("\n"));
}
