//! The `flowproof` command line: parses arguments, runs the library, renders results
//! and maps outcomes to exit codes. It stays thin: the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use flowproof::check::{self, Checked};
use flowproof::diagnostic::{self, Diagnostic, JsonDiagnostic, RenderOptions};

/// Exit status when every input was read and checked cleanly.
const EXIT_OK: u8 = 0;
/// Exit status for any input or usage error.
const EXIT_INPUT_ERROR: u8 = 2;

/// Stack for the worker thread: deeply nested input must not overflow it.
const STACK_BYTES: usize = 256 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "flowproof",
    version,
    about = "Prove or refute claims about who can send what to whom under a stated policy",
    long_about = "flowproof reads information-flow policy files (`.flow`): agencies, the data that \
flows between them, the conditions on each flow, and opt-out clauses. It checks them, and \
proves or refutes the claims they state.",
    after_help = "Examples:\n  flowproof check policies/\n  flowproof check --format json my-policy.flow"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check policy files for errors and warnings, without proving anything.
    #[command(
        after_help = "A directory stands for every `.flow` file below it, in sorted order.\n\n\
Exit status: 0 when no file has an error (warnings are allowed), 2 otherwise.\n\n\
Examples:\n  flowproof check policies/secure-communities/\n  flowproof check --format json county.flow"
    )]
    Check {
        /// Policy files, or directories to search for `.flow` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(clap::Args)]
struct OutputArgs {
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colour (NO_COLOR in the environment means never, unless `always`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Readable reports on standard error, a summary on standard output.
    Human,
    /// One JSON document on standard output.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl OutputArgs {
    fn render_options(&self) -> RenderOptions {
        let color = match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        };
        RenderOptions { color, width: 100 }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || run(cli));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("flowproof: internal error: the worker thread failed");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check { paths, output } => check_command(&paths, &output),
    }
}

#[derive(Serialize)]
struct JsonCheckReport {
    files: Vec<JsonCheckedFile>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonCheckedFile {
    path: String,
    policy: Option<JsonPolicy>,
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
struct JsonPolicy {
    name: String,
    version: Option<String>,
    date: Option<String>,
}

fn check_command(paths: &[PathBuf], output: &OutputArgs) -> u8 {
    let (files, path_errors) = check::expand_paths(paths);
    let checked: Vec<Checked> = files.iter().map(|f| check::check_file(f)).collect();
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
    match output.format {
        Format::Json => {
            let mut report = JsonCheckReport {
                files: Vec::new(),
                errors,
                warnings,
            };
            let empty = flowproof::source::SourceMap::new();
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
                        .map(|p| JsonPolicy {
                            name: p.name.clone(),
                            version: p.version.clone(),
                            date: p.date.map(|d| d.to_string()),
                        }),
                    diagnostics: c
                        .diagnostics
                        .iter()
                        .map(|d| diagnostic::to_json(d, &c.sources))
                        .collect(),
                });
            }
            print_json(&report);
        }
        Format::Human => {
            let opts = output.render_options();
            let empty = flowproof::source::SourceMap::new();
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
            let _ = writeln!(
                stdout,
                "checked {} file{}: {} error{}, {} warning{}",
                checked.len(),
                plural(checked.len()),
                errors,
                plural(errors),
                warnings,
                plural(warnings)
            );
        }
    }
    if errors > 0 {
        EXIT_INPUT_ERROR
    } else {
        EXIT_OK
    }
}

fn summary_word(diags: &[Diagnostic]) -> &'static str {
    if diags.iter().any(Diagnostic::is_error) {
        "error"
    } else if diags.is_empty() {
        "ok"
    } else {
        "warning"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_json(value: &impl Serialize) {
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut stdout, value) {
        Ok(()) => {
            let _ = writeln!(stdout);
        }
        Err(err) => eprintln!("flowproof: cannot write JSON: {err}"),
    }
}
