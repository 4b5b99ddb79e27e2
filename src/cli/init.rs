//! `flowproof init`: start a new policy from a commented starter file.

use std::path::PathBuf;

use flowproof::source::SourceMap;

use super::output::show;
use super::{EXIT_INPUT_ERROR, EXIT_OK, outln};

#[derive(clap::Args)]
#[command(
    after_help = "Writes DIR/policy.flow (DIR is created if needed): a small model of fingerprints \
shared between counties, a state, the FBI and ICE, with an opt-out, a source and two claims, \
every part explained in comments. It checks, is already formatted, and `verify` proves one claim \
and refutes the other. An existing file is never overwritten.\n\n\
Exit status: 0 written; 2 the file exists or cannot be written.\n\n\
Examples:\n  flowproof init my-policy\n  flowproof verify my-policy/"
)]
pub struct Args {
    /// The directory to create (or use).
    #[arg(default_value = "my-policy", value_name = "DIR")]
    dir: PathBuf,
}

pub fn run(args: &Args) -> u8 {
    let dir = &args.dir;
    match flowproof::init::init(dir) {
        Ok(path) => {
            outln!("created {}", path.display());
            outln!(
                "next: open it in an editor, then run `flowproof verify {}`",
                dir.display()
            );
            EXIT_OK
        }
        Err(diag) => {
            show(&diag, &SourceMap::new(), super::args::render_options());
            EXIT_INPUT_ERROR
        }
    }
}
