//! Running the `flowproof` binary from integration tests.

use std::process::{Command, Output};

/// Runs `flowproof` with these arguments, without colour, and with diagnostics drawn
/// (whatever terminal the tests run under: `TERM=dumb` would make them plain).
pub fn flowproof(args: &[&str]) -> Output {
    flowproof_with(args, &[("NO_COLOR", Some("1")), ("TERM", None)])
}

/// Runs `flowproof` with these arguments and these environment variables set
/// (`Some`) or removed (`None`); `CLICOLOR_FORCE` is always removed.
pub fn flowproof_with(args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flowproof"));
    command.args(args).env_remove("CLICOLOR_FORCE");
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    command.output().expect("the binary runs")
}
