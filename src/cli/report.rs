//! `flowproof report`: one self-contained HTML page of claims, verdicts, stories,
//! graphs and sources.

use std::path::PathBuf;

use flowproof::diagnostic::Diagnostic;
use flowproof::render::{self, diagnostic};
use flowproof::report;
use flowproof::source::SourceMap;

use super::args::{LimitArgs, OutputArgs, render_options};
use super::graph::LayoutArg;
use super::output::{input_errors, plural, print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, outln};

#[derive(clap::Args)]
#[command(
    after_help = "For every policy file: the claims with their verdicts (in each reading), each claim's words, \
speaker and formal statement, each scenario in sentences with its path drawn and told step by \
step with the passages it rests on, why each proof holds, the flow graph, and the sources. With several dated versions of one policy, the timeline of verdicts comes first. The page loads \
nothing from the network and runs no scripts; it prints well.\n\n\
flowproof never overwrites a policy file, nor a file that is not a report it wrote.\n\
Exit status: 0 the report was written from files without errors; 2 an error (the report, if \
written, shows it).\n\n\
Example:\n  flowproof report policies/secure-communities/ --out secure-communities.html"
)]
pub struct Args {
    /// Policy files, or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Where to write the page.
    #[arg(long, value_name = "FILE", default_value = "report.html")]
    out: PathBuf,
    /// Leave out why each proof holds (the rules it rests on, as `verify --why` finds
    /// them): faster, since finding them asks the solver again for every proof.
    #[arg(long)]
    no_why: bool,
    /// Who lays out the graphs: auto (Graphviz `dot` when it is on the PATH and the graph
    /// is not too large for it, else own), own (flowproof's layout, the same everywhere)
    /// or dot.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `report --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonReportWritten {
    /// The page written, if it was.
    pub written: Option<String>,
    /// The policy files the page covers.
    pub files: Vec<String>,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (out, output) = (&args.out, &args.output);
    let gathered = report::gather(&args.paths, &args.limits.options(), !args.no_why);
    let verified = &gathered.files;
    let mut problems: Vec<Diagnostic> = gathered.path_errors;
    let written = match report::check_out(out, verified) {
        Err(e) => {
            problems.push(Diagnostic::without_file(e));
            false
        }
        Ok(()) if verified.is_empty() => false,
        Ok(()) => {
            let html =
                render::html::page_with(verified, gathered.timeline.as_ref(), args.layout.layout());
            match report::write(out, &html) {
                Ok(()) => true,
                Err(e) => {
                    problems.push(Diagnostic::without_file(e));
                    false
                }
            }
        }
    };
    let empty = SourceMap::new();
    let errors = input_errors(&problems, &empty, verified);
    if output.json() {
        print_json(&JsonReportWritten {
            written: written.then(|| out.display().to_string()),
            files: verified
                .iter()
                .map(|v| v.checked.path.display().to_string())
                .collect(),
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
        if written {
            outln!(
                "wrote {} ({} policy file{})",
                out.display(),
                verified.len(),
                plural(verified.len())
            );
        }
    }
    if written && errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}
