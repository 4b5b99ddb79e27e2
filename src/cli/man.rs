//! `flowproof man`: the manual pages, printed or written into a directory.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_INPUT_ERROR, EXIT_OK, command, outln};

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
    let (asked, out) = (args.command.as_deref(), args.out.as_deref());
    let cli = command();
    if let Some(dir) = out {
        let mut pages = vec![(String::from("flowproof"), cli.clone())];
        for sub in cli.get_subcommands().filter(|sub| sub.get_name() != "help") {
            let name = format!("flowproof-{}", sub.get_name());
            pages.push((name, sub.clone()));
        }
        if let Err(err) = std::fs::create_dir_all(dir) {
            eprintln!("flowproof: cannot create `{}`: {err}", dir.display());
            return EXIT_INPUT_ERROR;
        }
        for (name, page) in pages {
            let path = dir.join(format!("{name}.1"));
            let mut roff = Vec::new();
            if manual(page).render(&mut roff).is_err() {
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
    let page = match asked {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone(),
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
    if manual(page).render(&mut roff).is_err() {
        eprintln!("flowproof: cannot render the manual page");
        return EXIT_INPUT_ERROR;
    }
    let _ = std::io::stdout().write_all(&roff);
    EXIT_OK
}

/// The manual page of `page` (flowproof or one of its commands, whose SYNOPSIS reads
/// `flowproof verify`), footed with flowproof's name and version.
fn manual(page: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(page).source(format!("flowproof {}", env!("CARGO_PKG_VERSION")))
}
