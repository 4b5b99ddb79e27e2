//! `flowproof check`: check policy files for errors and warnings, without proving
//! anything.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use flowproof::check::{self, Checked};
use flowproof::render::diagnostic::{self, JsonDiagnostic};
use flowproof::render::json::JsonPolicy;
use flowproof::source::SourceMap;

use super::args::{OutputArgs, evidence, limits, render_options};
use super::output::{plural, print_json, summary_word};
use super::{EXIT_INPUT_ERROR, EXIT_OK};

#[derive(clap::Args)]
#[command(
    after_help = "A directory stands for every `.flow` file below it, in sorted order.\n\n\
Exit status: 0 when no file has an error (warnings are allowed), 2 otherwise.\n\n\
Examples:\n  flowproof check policies/secure-communities/\n  flowproof check --format json county.flow"
)]
pub struct Args {
    /// Policy files, or directories to search for `.flow` files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonCheckReport {
    files: Vec<JsonCheckedFile>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonCheckedFile {
    path: String,
    policy: Option<JsonPolicy>,
    diagnostics: Vec<JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (paths, output) = (&args.paths, &args.output);
    let (files, path_errors) = check::expand_paths(paths);
    let mut checked: Vec<Checked> = files
        .iter()
        .map(|f| check::check_file_with(f, &limits(), &evidence()))
        .collect();
    check::dedupe_warnings(checked.iter_mut());
    let errors = path_errors.len()
        + checked
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.is_error())
            .count();
    let warnings = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .filter(|d| !d.is_error())
        .count();
    let empty = SourceMap::new();
    if output.json() {
        let mut report = JsonCheckReport {
            files: Vec::new(),
            errors,
            warnings,
        };
        for (path, diag) in paths.iter().zip(&path_errors) {
            report.files.push(JsonCheckedFile {
                path: path.display().to_string(),
                policy: None,
                diagnostics: vec![diagnostic::to_json(diag, &empty)],
            });
        }
        for c in &checked {
            report.files.push(JsonCheckedFile {
                path: c.path.display().to_string(),
                policy: c
                    .model
                    .as_ref()
                    .and_then(|m| m.policy.as_ref())
                    .map(JsonPolicy::from),
                diagnostics: c
                    .diagnostics
                    .iter()
                    .map(|d| diagnostic::to_json(d, &c.sources))
                    .collect(),
            });
        }
        print_json(&report);
    } else {
        let opts = render_options();
        let mut stderr = std::io::stderr().lock();
        for diag in &path_errors {
            let _ = write!(stderr, "{}", diagnostic::render(diag, &empty, opts));
        }
        for c in &checked {
            for diag in &c.diagnostics {
                let _ = write!(stderr, "{}", diagnostic::render(diag, &c.sources, opts));
            }
        }
        drop(stderr);
        let mut stdout = std::io::stdout().lock();
        for c in &checked {
            let status = summary_word(&c.diagnostics);
            let _ = writeln!(stdout, "{status:>8} {}", c.path.display());
        }
        let quotations = checked
            .iter()
            .fold(
                Default::default(),
                |sum: flowproof::check::evidence::Summary, c| sum + c.evidence,
            )
            .sentence()
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            stdout,
            "checked {} file{}: {} error{}, {} warning{}{quotations}",
            checked.len(),
            plural(checked.len()),
            errors,
            plural(errors),
            warnings,
            plural(warnings)
        );
    }
    if errors > 0 {
        EXIT_INPUT_ERROR
    } else {
        EXIT_OK
    }
}
