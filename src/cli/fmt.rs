//! `flowproof fmt`: lay policy files out in the one canonical way, comments kept.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use flowproof::check;
use flowproof::diagnostic::Diagnostic;
use flowproof::render::diagnostic::{self, JsonDiagnostic};

use super::args::{Format, OutputArgs, limits, render_options};
use super::output::{plural, print_json};
use super::{EXIT_INPUT_ERROR, EXIT_OK, out, outln};

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonFmtReport {
    files: Vec<JsonFmtFile>,
    /// files whose layout changed (or, with --check, would change)
    changed: usize,
    errors: usize,
}

#[derive(Serialize, schemars::JsonSchema)]
pub struct JsonFmtFile {
    path: String,
    changed: bool,
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(clap::Args)]
#[command(
    after_help = "Each file is rewritten in place when its layout changes; its meaning never does (the \
formatted file parses to the same declarations, with the same comments, or it is left alone). \
A file with syntax errors is reported and left alone. Imports are not followed: name them too, \
or give a directory.\n\n\
`-` reads a policy from standard input and writes it, formatted, to standard output.\n\n\
Exit status: 0 done (or, with --check, nothing would change); 1 with --check, some file would \
change; 2 an error.\n\n\
Examples:\n  flowproof fmt policies/\n  flowproof fmt --check county.flow\n  flowproof fmt - < draft.flow"
)]
pub struct Args {
    /// Policy files, directories to search for `.flow` files, or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing: show what would change, as a diff, and exit with status 1 if
    /// anything would.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: &Args) -> u8 {
    use flowproof::format::{self, Formatted};
    let (paths, check_only, output) = (&args.paths, args.check, &args.output);
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && paths.len() > 1 {
        eprintln!("flowproof: `-` (standard input) cannot be combined with other paths");
        return EXIT_INPUT_ERROR;
    }
    let (results, path_errors): (Vec<Formatted>, Vec<Diagnostic>) = if stdin {
        let mut text = String::new();
        if let Err(err) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            eprintln!("flowproof: cannot read standard input: {err}");
            return EXIT_INPUT_ERROR;
        }
        let path = PathBuf::from("<stdin>");
        (
            vec![format::format_source(&path, &text, &limits())],
            Vec::new(),
        )
    } else {
        let (files, path_errors) = check::expand_paths(paths);
        let results = files
            .iter()
            .map(|f| format::format_file(f, &limits()))
            .collect();
        (results, path_errors)
    };
    // write what changed (never with --check, nor for standard input)
    let mut write_errors: Vec<(usize, Diagnostic)> = Vec::new();
    if !check_only && !stdin {
        for (i, r) in results.iter().enumerate() {
            if let (true, Some(text)) = (r.changed(), &r.formatted)
                && let Err(diag) = format::write_in_place(&r.path, text)
            {
                write_errors.push((i, diag));
            }
        }
    }
    let failed = |i: usize| write_errors.iter().any(|(j, _)| *j == i);
    let changed = results
        .iter()
        .enumerate()
        .filter(|(i, r)| r.changed() && !failed(*i))
        .count();
    let errors = path_errors.len()
        + write_errors.len()
        + results
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.is_error())
            .count();
    let empty = flowproof::source::SourceMap::new();
    match output.format {
        Format::Json => {
            let mut report = JsonFmtReport {
                files: Vec::new(),
                changed,
                errors,
            };
            for (path, diag) in paths.iter().zip(&path_errors) {
                report.files.push(JsonFmtFile {
                    path: path.display().to_string(),
                    changed: false,
                    diagnostics: vec![diagnostic::to_json(diag, &empty)],
                });
            }
            for (i, r) in results.iter().enumerate() {
                let mut diagnostics: Vec<JsonDiagnostic> = r
                    .diagnostics
                    .iter()
                    .map(|d| diagnostic::to_json(d, &r.sources))
                    .collect();
                diagnostics.extend(
                    write_errors
                        .iter()
                        .filter(|(j, _)| *j == i)
                        .map(|(_, d)| diagnostic::to_json(d, &empty)),
                );
                report.files.push(JsonFmtFile {
                    path: r.path.display().to_string(),
                    changed: r.changed() && !failed(i),
                    diagnostics,
                });
            }
            if stdin && errors == 0 {
                // the text itself goes to standard output; the report would mix with it
                if let Some(text) = results.first().and_then(|r| r.formatted.as_ref()) {
                    out!("{text}");
                }
            } else {
                print_json(&report);
            }
        }
        Format::Human => {
            let opts = render_options();
            let mut stderr = std::io::stderr().lock();
            for diag in path_errors
                .iter()
                .chain(write_errors.iter().map(|(_, d)| d))
            {
                let _ = write!(stderr, "{}", diagnostic::render(diag, &empty, opts));
            }
            for r in &results {
                for diag in &r.diagnostics {
                    let _ = write!(stderr, "{}", diagnostic::render(diag, &r.sources, opts));
                }
            }
            drop(stderr);
            if stdin {
                if let Some(text) = results.first().and_then(|r| r.formatted.as_ref()) {
                    out!("{text}");
                }
            } else {
                let color = super::args::colour_on(&std::io::stdout());
                for (i, r) in results.iter().enumerate() {
                    if !r.changed() || failed(i) {
                        continue;
                    }
                    if check_only {
                        outln!("would reformat {}", r.path.display());
                        if let (Some(old), Some(new)) = (&r.original, &r.formatted) {
                            out!("{}", fmt_diff(&r.path, old, new, color));
                        }
                    } else {
                        outln!("formatted {}", r.path.display());
                    }
                }
                let verb = if check_only {
                    "would change"
                } else {
                    "changed"
                };
                outln!(
                    "{} file{}: {changed} {verb}, {errors} error{}",
                    results.len(),
                    plural(results.len()),
                    plural(errors)
                );
            }
        }
    }
    if errors > 0 {
        EXIT_INPUT_ERROR
    } else if check_only && changed > 0 {
        1
    } else {
        EXIT_OK
    }
}

/// A unified diff of a file's layout change, coloured on a terminal.
fn fmt_diff(path: &std::path::Path, old: &str, new: &str, color: bool) -> String {
    use owo_colors::OwoColorize;
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&name, &format!("{name} (formatted)"))
        .to_string();
    if !color {
        return diff;
    }
    diff.lines()
        .map(|line| {
            let shown = if line.starts_with('+') {
                line.green().to_string()
            } else if line.starts_with('-') {
                line.red().to_string()
            } else if line.starts_with("@@") {
                line.cyan().to_string()
            } else {
                line.to_owned()
            };
            shown + "\n"
        })
        .collect()
}
