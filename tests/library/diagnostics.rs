//! Every file in `tests/fixtures/errors/` is pinned to the diagnostics it produces,
//! rendered with the source they point at; every diagnostic that points into a file
//! labels a span in it (checked by `support/drawn.rs`). Review changes with `cargo insta review`.

use crate::support::drawn as drawn_support;

use drawn_support::malformed;

#[test]
fn malformed_inputs_are_pinned_to_their_diagnostics() {
    let mut count = 0;
    insta::glob!("../fixtures/errors", "*.flow", |path| {
        count += 1;
        insta::assert_snapshot!(malformed(path));
    });
    assert!(count >= 40, "only {count} malformed files");
}
