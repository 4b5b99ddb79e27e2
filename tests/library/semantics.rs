//! Hand-written models for each rule of the semantics, with the verdicts derived by
//! hand in their `// expect` headers, checked with both engines.

use std::path::Path;

use flowproof::expect;
use flowproof::solve::Options;
use flowproof::verify::{Engine, verify_file};

#[test]
fn hand_written_semantic_models_get_their_expected_verdicts() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut files: Vec<_> = std::fs::read_dir("tests/fixtures/semantics")
        .expect("tests/fixtures/semantics exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "flow"))
        .collect();
    files.sort();
    for file in &files {
        count += 1;
        let text = std::fs::read_to_string(file).expect("readable");
        let expects = expect::parse(&text);
        for engine in [Engine::Z3, Engine::Reference { max_params: 16 }] {
            let verified = verify_file(Path::new(file), &Options::default(), engine);
            if let Err(why) = expect::compare(&expects, &verified) {
                failures.push(format!("{} [{engine:?}]: {why}", file.display()));
            }
        }
    }
    assert!(count >= 20, "only {count} semantic models");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
