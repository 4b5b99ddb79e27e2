//! What people read: `flowproof verify` on every shipped policy and every semantics
//! fixture, pinned as one snapshot per file with the file's source above its output,
//! so that a change to any stage shows its effect on the text a reader sees.
//! After an intended change: `cargo insta review`.

use std::path::Path;

use crate::support::cli::flowproof;

/// The file's source, then what `verify` printed on each stream and its exit status.
fn source_and_output(path: &Path) -> String {
    let source = std::fs::read_to_string(path).expect("readable");
    let shown = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    let out = flowproof(&["verify", "--quiet", &shown]);
    let status = out
        .status
        .code()
        .map_or("none".to_owned(), |c| c.to_string());
    format!(
        "{source}\n----- flowproof verify {shown}: exit status {status}\n{}----- standard error\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn every_shipped_policy() {
    insta::glob!("../../policies", "**/*.flow", |path| {
        insta::assert_snapshot!(source_and_output(path));
    });
}

#[test]
fn every_semantics_fixture() {
    insta::glob!("../fixtures/semantics", "*.flow", |path| {
        insta::assert_snapshot!(source_and_output(path));
    });
}
