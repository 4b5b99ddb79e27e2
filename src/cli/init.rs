//! `flowproof init`: start a new policy from a commented starter file.

use std::path::PathBuf;

use flowproof::source::SourceMap;

use flowproof::render::diagnostic;

use super::args::{OutputArgs, render_options};
use super::output::{print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, outln};

#[derive(clap::Args)]
#[command(
    after_help = "Writes DIR/policy.flow (DIR is created if needed): a small model of fingerprints \
shared between counties, a state, the FBI and ICE, with an opt-out, a source and two claims, \
every part explained in comments. It checks, is already formatted, and `verify` proves one claim \
and refutes the other. An existing file is never overwritten.\n\n\
Exit status: 0 written; 2 the file exists or cannot be written.\n\n\
Examples:\n  flowproof init my-policy\n  flowproof verify my-policy/\n  flowproof init --format json my-policy"
)]
pub struct Args {
    /// The directory to create (or use).
    #[arg(default_value = "my-policy", value_name = "DIR")]
    dir: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `init --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonInit {
    /// The starter file written, none when it could not be.
    pub created: Option<String>,
    /// What to run next.
    pub next: Option<String>,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let dir = &args.dir;
    let result = flowproof::init::init(dir);
    let next = format!("flowproof verify {}", dir.display());
    let empty = SourceMap::new();
    if args.output.json() {
        print_json(&JsonInit {
            created: result.as_ref().ok().map(|p| p.display().to_string()),
            next: result.is_ok().then(|| next.clone()),
            diagnostics: result
                .as_ref()
                .err()
                .map(|d| diagnostic::to_json(d, &empty))
                .into_iter()
                .collect(),
        });
    } else {
        match &result {
            Ok(path) => {
                outln!("created {}", path.display());
                outln!("next: open it in an editor, then run `{next}`");
            }
            Err(diag) => show(diag, &empty, render_options()),
        }
    }
    if result.is_ok() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}
