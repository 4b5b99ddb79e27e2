//! Property: printing a syntax tree and parsing the text gives back the same tree.
//! Random trees cover every declaration and formula form; the shipped policies are
//! checked the same way.

use proptest::prelude::*;

use flowproof::syntax::ast::*;
use flowproof::syntax::{parse, print};

use crate::support::syntax_gen;

use syntax_gen::{F, decl, formula};

fn reparse(text: &str) -> File {
    let (file, errors) = parse(text, F);
    assert!(
        errors.is_empty(),
        "printed text does not parse: {errors:?}\n{text}"
    );
    file
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn printed_files_parse_back_to_the_same_tree(decls in proptest::collection::vec(decl(), 0..8)) {
        let tree = File { decls };
        let text = print::file(&tree);
        let again = reparse(&text);
        prop_assert_eq!(&again, &tree, "text was:\n{}", text);
        // and printing is stable
        prop_assert_eq!(print::file(&again), text);
    }

    #[test]
    fn printed_formulas_parse_back_to_the_same_tree(formula in formula()) {
        let text = print::formula(&formula);
        let again = flowproof::syntax::parse_formula(&text, F);
        prop_assert_eq!(again.as_ref().ok(), Some(&formula), "text was: {}", text);
    }
}

/// Every shipped `.flow` file round-trips too.
#[test]
fn shipped_policies_round_trip() {
    let mut seen = 0;
    let mut stack = vec![std::path::PathBuf::from("policies")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("policies/ is readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "flow") {
                let text = std::fs::read_to_string(&path).expect("policy is UTF-8");
                let (tree, errors) = parse(&text, F);
                assert!(errors.is_empty(), "{}: {errors:?}", path.display());
                let printed = print::file(&tree);
                assert_eq!(
                    reparse(&printed),
                    tree,
                    "{} does not round-trip",
                    path.display()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "no policies found");
}
