//! Random models checked against the reference interpreter: both engines' verdicts, explanations (witnesses, `--why`, routes, lints, `diff`), contradictions, the edits `diff` blames, and the formatter's properties.

#[path = "../support/mod.rs"]
#[allow(dead_code, reason = "each test binary uses part of the shared helpers")]
mod support;

mod contradictions;
mod diff;
mod differential;
mod explain;
mod explanations;
mod format;
