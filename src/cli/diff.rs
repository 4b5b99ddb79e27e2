//! `flowproof diff`: what changed between two versions of a policy, and why verdicts
//! differ.

use std::path::PathBuf;

use flowproof::diff;
use flowproof::render::{self, diagnostic};
use flowproof::source::SourceMap;

use super::args::{LimitArgs, OutputArgs, render_options};
use super::output::{print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, out, outln};

#[derive(clap::Args)]
#[command(
    after_help = "Flows are compared as ground instances (data, from, to), with the conditions of \
the rules that make them. Rules are compared by slot (a flow's data and endpoints, an opt-out's \
name, an assumption's formula); each differing slot is one edit. For every claim whose verdict \
differs, the scenario on the side that has one is shown, and the smallest set of edits found that, \
applied alone to OLD, gives NEW's verdict (leaving out any one of them does not).\n\n\
Exit status: 0 no verdict differs, 1 some verdict differs, 2 an error.\n\n\
Examples:\n  flowproof diff policies/secure-communities/v1-2010-08.flow policies/secure-communities/v3-2011-08.flow\n  \
flowproof diff OLD.flow NEW.flow --claims statements.flow"
)]
pub struct Args {
    old: PathBuf,
    new: PathBuf,
    /// Judge both versions by the claims of this file instead of their own.
    #[arg(long, value_name = "FILE")]
    claims: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `diff --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonDiff {
    pub old: String,
    pub new: String,
    /// What changed, none when either version has errors.
    pub diff: Option<diff::Diff>,
    /// The errors of either version.
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (old, new, output) = (&args.old, &args.new, &args.output);
    let options = args.limits.options();
    let claims = args.claims.as_deref();
    let (a, b) = match (
        diff::version(old, claims, &options),
        diff::version(new, claims, &options),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(d), _) | (_, Err(d)) => {
            let empty = SourceMap::new();
            if output.json() {
                print_json(&JsonDiff {
                    old: old.display().to_string(),
                    new: new.display().to_string(),
                    diff: None,
                    diagnostics: vec![diagnostic::to_json(&d, &empty)],
                });
            } else {
                show(&d, &empty, render_options());
            }
            return EXIT_INPUT_ERROR;
        }
    };
    let opts = render_options();
    let mut diagnostics = Vec::new();
    let mut failed = false;
    for v in [&a, &b] {
        for d in v.diagnostics().filter(|d| d.is_error()) {
            failed = true;
            if output.json() {
                diagnostics.push(diagnostic::to_json(d, &v.checked.sources));
            } else {
                show(d, &v.checked.sources, opts);
            }
        }
    }
    let d = if !failed {
        diff::diff(&a, &b, &options)
    } else {
        None
    };
    let code = match &d {
        None => EXIT_INPUT_ERROR,
        Some(d) if d.verdicts.is_empty() => EXIT_OK,
        Some(_) => 1,
    };
    if output.json() {
        print_json(&JsonDiff {
            old: old.display().to_string(),
            new: new.display().to_string(),
            diff: d,
            diagnostics,
        });
    } else if let Some(d) = &d {
        outln!("{} -> {}", old.display(), new.display());
        out!("{}", render::diff::text(d));
    }
    code
}
