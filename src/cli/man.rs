//! `flowproof man`: the manual pages, printed or written into a directory.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;

use super::{Cli, EXIT_INPUT_ERROR, EXIT_OK, outln};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  flowproof man | man -l -\n  flowproof man verify | man -l -\n  \
flowproof man --out man/          # man/flowproof.1, man/flowproof-verify.1, ...\n\n\
With --out, a page that already exists is not overwritten unless it is a flowproof page."
)]
pub struct Args {
    /// Only the page of this command.
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
    /// Write every page into this directory instead of printing.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    out: Option<PathBuf>,
}

/// Prints the manual page of flowproof or of one command, or writes every page.
pub fn run(args: &Args) -> u8 {
    let (command, out) = (args.command.as_deref(), args.out.as_deref());
    let cli = Cli::command();
    if let Some(dir) = out {
        let mut pages = vec![(String::from("flowproof"), cli.clone())];
        for sub in cli.get_subcommands() {
            let name = format!("flowproof-{}", sub.get_name());
            pages.push((name.clone(), sub.clone().name(name)));
        }
        if let Err(err) = std::fs::create_dir_all(dir) {
            eprintln!("flowproof: cannot create `{}`: {err}", dir.display());
            return EXIT_INPUT_ERROR;
        }
        for (name, page) in pages {
            let path = dir.join(format!("{name}.1"));
            let mut roff = Vec::new();
            if clap_mangen::Man::new(page).render(&mut roff).is_err() {
                eprintln!("flowproof: cannot render the page `{name}`");
                return EXIT_INPUT_ERROR;
            }
            // never write over a file that is not one of these pages
            if let Ok(existing) = std::fs::read(&path)
                && !String::from_utf8_lossy(&existing).contains(".TH flowproof")
            {
                eprintln!(
                    "flowproof: `{}` exists and is not a flowproof manual page; it was left alone",
                    path.display()
                );
                return EXIT_INPUT_ERROR;
            }
            if let Err(err) = std::fs::write(&path, roff) {
                eprintln!("flowproof: cannot write `{}`: {err}", path.display());
                return EXIT_INPUT_ERROR;
            }
            outln!("wrote {}", path.display());
        }
        return EXIT_OK;
    }
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("flowproof-{name}")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "flowproof: no command is named `{name}`; the commands are: {}",
                    names.join(", ")
                );
                return EXIT_INPUT_ERROR;
            }
        },
    };
    let mut roff = Vec::new();
    if clap_mangen::Man::new(page).render(&mut roff).is_err() {
        eprintln!("flowproof: cannot render the manual page");
        return EXIT_INPUT_ERROR;
    }
    let _ = std::io::stdout().write_all(&roff);
    EXIT_OK
}
