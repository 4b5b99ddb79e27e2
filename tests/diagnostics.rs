//! Every file in `tests/fixtures/errors/` is pinned to the diagnostics it produces,
//! rendered with the source they point at. Review changes with `cargo insta review`.

use std::path::Path;

#[path = "support/drawn.rs"]
mod drawn_support;

use drawn_support::drawn;
use flowproof::check::check_file;

fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
}

#[test]
fn malformed_inputs_are_pinned_to_their_diagnostics() {
    let mut count = 0;
    insta::glob!("fixtures/errors/*.flow", |path| {
        count += 1;
        let checked = check_file(relative(path));
        assert!(
            checked.has_errors(),
            "{} was accepted, but it is in the malformed corpus",
            path.display()
        );
        assert!(checked.model.is_none(), "a model was built despite errors");
        insta::assert_snapshot!(drawn(&checked));
    });
    assert!(count >= 40, "only {count} malformed files");
}

/// Every diagnostic that points into a file labels a span in it.
#[test]
fn file_diagnostics_carry_labels() {
    insta::glob!("fixtures/errors/*.flow", |path| {
        let checked = check_file(relative(path));
        for diag in checked.diagnostics.iter().filter(|d| d.file.is_some()) {
            let labels = diag.inner.labels().map_or(0, Iterator::count);
            assert!(labels > 0, "{}: no label on {diag:?}", path.display());
        }
    });
}
