//! `flowproof completions`: a shell completion script.

use std::io::Write;

use super::{EXIT_OK, command};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  flowproof completions bash > ~/.local/share/bash-completion/completions/flowproof\n  \
flowproof completions zsh > ~/.zfunc/_flowproof\n  \
flowproof completions fish > ~/.config/fish/completions/flowproof.fish"
)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: &Args) -> u8 {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "flowproof", &mut out);
    let _ = std::io::stdout().write_all(&out);
    EXIT_OK
}
