//! Diagnostics drawn as the command line draws them, for snapshot tests, with the
//! checks every drawn diagnostic must pass.

use flowproof::check::Checked;
use flowproof::diagnostic::{RenderOptions, render};

/// Everything the checker says about `checked`, drawn without colour at 80 columns.
/// Every diagnostic must have a flowproof code and help, a label when it points into
/// a file, and nothing drawn may be a control character from the input.
pub fn drawn(checked: &Checked) -> String {
    let opts = RenderOptions {
        color: false,
        width: 80,
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
