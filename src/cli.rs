//! The command line: the arguments (clap), one file per command under `cli/`, each
//! taking its parsed arguments and returning the exit status. The commands call the
//! library and render what it returns; they decide nothing themselves.

mod args;
mod check;
mod completions;
mod contradictions;
mod diff;
mod fmt;
mod generate;
mod graph;
mod init;
mod man;
mod output;
mod pin;
mod report;
mod schema;
mod timeline;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Exit status when every input was read and checked cleanly.
const EXIT_OK: u8 = 0;
/// Exit status for any input or usage error.
const EXIT_INPUT_ERROR: u8 = 2;

/// Stack for the worker thread (reserved, not committed). `--max-depth` keeps trees
/// shallow enough for it: at the ceiling of 100,000 levels the recursive passes use a
/// few hundred bytes a level.
const STACK_BYTES: usize = 1024 * 1024 * 1024;

/// Writes to stdout; a reader that stopped early (`| head`) ends the output quietly
/// instead of panicking as `print!` would.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub(crate) use {out, outln};

#[derive(Parser)]
#[command(
    name = "flowproof",
    version,
    about = "Prove or refute claims about who can send what to whom under a stated policy",
    long_about = "flowproof reads information-flow policy files (`.flow`): agencies, the data that \
flows between them, the conditions on each flow, and opt-out clauses. It checks them, and \
proves or refutes the claims they state.",
    after_help = "Examples:\n  flowproof init my-policy            # start a new policy from a commented example\n  \
flowproof verify my-policy/          # prove or refute its claims\n  \
flowproof verify --story policies/tutorial/\n  \
flowproof check --format json my-policy/policy.flow\n\n\
`flowproof help COMMAND` (or `flowproof COMMAND --help`) explains each command, with examples; \
`flowproof man` prints the manual page."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    input_limits: args::InputLimitArgs,
    #[command(flatten)]
    evidence: args::EvidenceArgs,
    #[command(flatten, next_help_heading = "Output")]
    color: colorchoice_clap::Color,
    #[command(flatten)]
    diagnostics: args::DiagnosticArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Check policy files for errors and warnings, without proving anything.
    Check(check::Args),
    /// Lay policy files out in the one canonical way, comments kept.
    Fmt(fmt::Args),
    /// Start a new policy: a directory with a commented starter file to edit.
    Init(init::Args),
    /// Print a shell completion script.
    Completions(completions::Args),
    /// Print the manual page (roff), or write one page per command into a directory.
    Man(man::Args),
    /// Run the language server (Language Server Protocol over standard input and output),
    /// for editors.
    #[command(
        after_help = "Editors start this themselves; see editors/ in the source for VS Code, Neovim and \
Helix. The server checks a file as you type (the same diagnostics as `flowproof check`), \
goes to definitions and references, shows what a name stands for on hover, completes names, \
formats, and verifies the claim under the cursor (a code lens above each claim).\n\n\
Example (what an editor runs):\n  flowproof lsp"
    )]
    Lsp,
    /// Prove or refute every claim of policy files.
    Verify(verify::Args),
    /// Find every minimal set of statements (claims) that cannot all be true together.
    Contradictions(contradictions::Args),
    /// Write a generated model to standard output (for benchmarks and scale tests).
    Gen(generate::Args),
    /// Print the JSON Schema of a command's `--format json` output.
    Schema(schema::Args),
    /// Write one self-contained HTML page: claims, verdicts, stories, graphs, sources.
    Report(report::Args),
    /// Draw the flow graph: agencies nested by `in`, flows labelled with data and conditions.
    Graph(graph::Args),
    /// What changed between two versions of a policy: flows, conditions, opt-outs,
    /// assumptions, rule edits, and the claims whose verdict differs and why.
    Diff(diff::Args),
    /// The claims x versions matrix of a directory of dated policies, oldest first.
    Timeline(timeline::Args),
    /// Write a claim's witness scenario as a regression file that reproduces its verdict.
    Pin(pin::Args),
}

/// The command line as clap sees it, built: global options are propagated to every
/// command, and the limits on what one input may cost are listed once, in
/// `flowproof --help` (and the `flowproof` manual page), not under every command.
pub(crate) fn command() -> clap::Command {
    let mut cmd = Cli::command();
    // a command that has its own (hidden) copy of a global option is not given the
    // shown one; the value still reaches the run, as any global's does
    let limits: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set() && a.get_help_heading() == Some(args::LIMITS_HEADING))
        .map(|a| a.clone().hide(true))
        .collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|sc| sc.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sc| {
            let said = sc
                .get_after_help()
                .map(|h| format!("{h}\n\n"))
                .unwrap_or_default();
            sc.args(limits.iter().cloned()).after_help(format!(
                "{said}The limits on what one input may cost (--max-file-size, --max-depth, \
--max-ground, --max-ground-params, --max-memory) apply here too; `flowproof --help` lists them."
            ))
        });
    }
    cmd.build();
    cmd
}

/// Parses the command line and runs the command on a worker thread with a deep stack.
pub fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let worker = std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || run(&cli));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("flowproof: internal error: the worker thread failed");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

fn run(cli: &Cli) -> u8 {
    cli.input_limits.install();
    cli.evidence.install();
    cli.color.write_global();
    cli.diagnostics.install();
    match &cli.command {
        Command::Check(a) => check::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Init(a) => init::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
        Command::Lsp => flowproof::lsp::run_stdio(args::limits(), args::memory_mb()),
        Command::Verify(a) => verify::run(a),
        Command::Contradictions(a) => contradictions::run(a),
        Command::Gen(a) => generate::run(a),
        Command::Report(a) => report::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Timeline(a) => timeline::run(a),
        Command::Pin(a) => pin::run(a),
    }
}
