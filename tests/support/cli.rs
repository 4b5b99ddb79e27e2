//! Running the `flowproof` binary from integration tests.

use std::process::{Command, Output};

/// Runs `flowproof` with these arguments, without colour.
pub fn flowproof(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowproof"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}
