//! Diagnostics drawn as the command line draws them, for snapshot tests, with the
//! checks every drawn diagnostic must pass.

use std::path::Path;

use flowproof::check::{Checked, check_file};
use flowproof::render::diagnostic::{RenderOptions, render};

/// Checks a file of a malformed corpus (`path` as `insta::glob!` gives it): it must
/// have errors and no model. Returns its diagnostics drawn, for the snapshot.
pub fn malformed(path: &Path) -> String {
    let relative = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path);
    let checked = check_file(relative);
    assert!(
        checked.has_errors(),
        "{} was accepted, but it is in the malformed corpus",
        path.display()
    );
    assert!(checked.model.is_none(), "a model was built despite errors");
    drawn(&checked)
}

/// Everything the checker says about `checked`, drawn without colour at 80 columns.
/// Every diagnostic must have a flowproof code and help, a label when it points into
/// a file, and nothing drawn may be a control character from the input.
pub fn drawn(checked: &Checked) -> String {
    let opts = RenderOptions {
        color: false,
        width: 80,
        plain: false,
    };
    let mut out = String::new();
    for diag in &checked.diagnostics {
        assert!(
            diag.code().starts_with("flowproof::"),
            "diagnostic without a flowproof code: {diag:?}"
        );
        assert!(
            diag.inner.help().is_some(),
            "diagnostic without help: {diag:?}"
        );
        if diag.file.is_some() {
            let labels = diag.inner.labels().map_or(0, Iterator::count);
            assert!(labels > 0, "no label on {diag:?}");
        }
        out.push_str(&render(diag, &checked.sources, opts));
        out.push('\n');
    }
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reaches the terminal:\n{out:?}"
    );
    out
}
