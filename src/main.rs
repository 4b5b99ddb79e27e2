//! The `flowproof` binary: parses the command line and dispatches to one command of
//! [`cli`]; every command maps its outcome to an exit status. The work is in the
//! library (`flowproof`), whose stages each command calls and renders.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
