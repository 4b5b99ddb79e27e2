//! `flowproof timeline`: the claims × versions matrix of a directory of dated policies.

use std::path::PathBuf;

use flowproof::render::{self, diagnostic};
use flowproof::source::SourceMap;
use flowproof::verify::{Engine, Verified, verify_file};

use super::args::{LimitArgs, OutputArgs, render_options};
use super::output::{input_errors, print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, out};

#[derive(clap::Args)]
#[command(
    after_help = "Every `.flow` file below DIR whose policy header has a `date` is a version; \
each cell is the claim's verdict in that version (P proved, P* proved only vacuously, R refuted, \
? unknown, - not stated). Verdicts that change between neighbouring versions are listed.\n\n\
Example:\n  flowproof timeline policies/secure-communities/"
)]
pub struct Args {
    /// The directory of policy versions.
    dir: PathBuf,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `timeline --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonTimeline {
    /// The claims x versions matrix, oldest version first.
    pub timeline: flowproof::timeline::Timeline,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (options, output) = (&args.limits.options(), &args.output);
    let (files, path_errors) = flowproof::check::expand_paths(std::slice::from_ref(&args.dir));
    let verified: Vec<Verified> = files
        .iter()
        .map(|f| verify_file(f, options, Engine::Z3))
        .collect();
    let timeline = flowproof::timeline::build(&verified, options);
    let empty = SourceMap::new();
    let errors = input_errors(&path_errors, &empty, &verified);
    if output.json() {
        print_json(&JsonTimeline {
            timeline,
            diagnostics: errors
                .iter()
                .map(|(d, s)| diagnostic::to_json(d, s))
                .collect(),
        });
    } else {
        let opts = render_options();
        for (d, s) in &errors {
            show(d, s, opts);
        }
        out!("{}", render::timeline::text(&timeline));
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}
