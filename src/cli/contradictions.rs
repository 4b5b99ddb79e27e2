//! `flowproof contradictions`: every minimal set of statements that cannot all be true
//! together.

use std::path::PathBuf;

use flowproof::check;
use flowproof::contradictions;
use flowproof::diagnostic::Diagnostic;
use flowproof::render::{self, diagnostic};
use flowproof::source::SourceMap;

use super::args::{LimitArgs, OutputArgs, evidence, limits, render_options};
use super::output::{print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, out};

#[derive(clap::Args)]
#[command(
    after_help = "The claims are taken as jointly asserted facts about one scenario the policy \
allows; every minimal subset that no such scenario satisfies is listed, with the statements' \
quotes and the dates of their sources. By default the claims that carry an official's `quote` \
are used; `--claim` chooses others. A set of one is a statement the policy itself contradicts.\n\n\
Exit status: 0 none found, 1 some found, 2 an error.\n\n\
Example:\n  flowproof contradictions policies/secure-communities/v3-2011-08.flow"
)]
pub struct Args {
    /// Policy files, or directories to search for `.flow` files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Use this claim (repeatable); default: every claim with a `quote`.
    #[arg(long = "claim", value_name = "NAME")]
    claims: Vec<String>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `contradictions --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonContradictions {
    pub files: Vec<JsonContradictionsFile>,
}

/// The sets of statements found in one file.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonContradictionsFile {
    pub path: String,
    /// How many statements (claims) were considered.
    pub claims_considered: usize,
    /// Each set: statements that cannot all be true together (minimal: without any one
    /// of them, the rest can).
    pub contradictions: Vec<Vec<render::contradictions::JsonStatement>>,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
    /// Only for a file with readings: the sets of each reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<Vec<render::contradictions::JsonReadingSets>>,
}

pub fn run(args: &Args) -> u8 {
    let options = args.limits.options();
    let output = &args.output;
    let (files, path_errors) = check::expand_paths(&args.paths);
    let empty = SourceMap::new();
    let opts = render_options();
    let mut json_files = Vec::new();
    let mut any_error = !path_errors.is_empty();
    let mut any_found = false;
    for d in &path_errors {
        show(d, &empty, opts);
    }
    for file in &files {
        let checked = check::check_file_with(file, &limits(), &evidence());
        let found = contradictions::find(&checked, &args.claims, &options);
        let errors: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .chain(&found.errors)
            .filter(|d| d.is_error())
            .collect();
        any_error |= !errors.is_empty();
        any_found |= !found.sets.is_empty() || found.readings.iter().any(|(_, s)| !s.is_empty());
        if output.json() {
            let value = JsonContradictionsFile {
                path: file.display().to_string(),
                claims_considered: found.chosen.len(),
                contradictions: render::contradictions::sets(&checked, &found),
                diagnostics: errors
                    .iter()
                    .map(|d| diagnostic::to_json(d, &checked.sources))
                    .collect(),
                // only a file with readings has the key, so other files' JSON is as it was
                readings: (!found.readings.is_empty())
                    .then(|| render::contradictions::readings(&checked, &found)),
            };
            json_files.push(value);
        } else {
            for d in &errors {
                show(d, &checked.sources, opts);
            }
            if errors.is_empty() {
                out!("{}", render::contradictions::text(file, &checked, &found));
            }
        }
    }
    if output.json() {
        print_json(&JsonContradictions { files: json_files });
    }
    if any_error {
        EXIT_INPUT_ERROR
    } else if any_found {
        1
    } else {
        EXIT_OK
    }
}
