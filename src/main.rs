//! The `flowproof` command line: parses arguments, runs the library, renders results
//! and maps outcomes to exit codes. It stays thin: the work is in the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use flowproof::check::{self, Checked};
use flowproof::diagnostic::{self, Diagnostic, JsonDiagnostic, RenderOptions};
use flowproof::limits::Limits;
use flowproof::render::{self, FileReport, Tally};
use flowproof::verify::{Engine, Verified, verify_file};

/// Exit status when every input was read and checked cleanly.
const EXIT_OK: u8 = 0;
/// Exit status for any input or usage error.
const EXIT_INPUT_ERROR: u8 = 2;

/// Stack for the worker thread (reserved, not committed). `--max-depth` keeps trees
/// shallow enough for it: at the ceiling of 100,000 levels the recursive passes use a
/// few hundred bytes a level.
const STACK_BYTES: usize = 1024 * 1024 * 1024;

/// The limits of this run (input limits, and the solver's memory cap in megabytes,
/// 0 for none), set once from the command line.
static LIMITS: std::sync::OnceLock<(Limits, u32)> = std::sync::OnceLock::new();

fn limits() -> Limits {
    LIMITS.get().map(|(l, _)| *l).unwrap_or_default()
}

fn memory_mb() -> Option<u32> {
    LIMITS.get().map(|(_, mb)| *mb).filter(|mb| *mb > 0)
}

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
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    input_limits: InputLimitArgs,
}

/// Ceilings on what one input may cost; each has a coded error that names it.
#[derive(clap::Args)]
#[command(next_help_heading = "Limits")]
struct InputLimitArgs {
    /// Refuse any policy file (or import) larger than this many megabytes.
    #[arg(long, global = true, value_name = "MB", default_value_t = 64)]
    max_file_size: u64,
    /// Refuse brackets or formulas nested deeper than this (each `!`, `&&`, `||`,
    /// `=>`, `<=>` and quantifier is a level).
    #[arg(long, global = true, value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(flowproof::limits::DEPTH_CEILING)))]
    max_depth: u32,
    /// Refuse a model with more ground rule instances than this (a rule over two
    /// variables of kinds with n and m agencies has n × m).
    #[arg(long, global = true, value_name = "N", default_value_t = 10_000_000)]
    max_ground: u64,
    /// Refuse a model with more ground params than this.
    #[arg(long, global = true, value_name = "N", default_value_t = 10_000_000)]
    max_ground_params: u64,
    /// Memory the solver may use, in megabytes; past it the claim is unknown (0: no limit).
    #[arg(long, global = true, value_name = "MB", default_value_t = 4096)]
    max_memory: u32,
}

impl InputLimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_size.saturating_mul(1024 * 1024),
            max_depth: self.max_depth,
            max_ground: self.max_ground,
            max_ground_params: self.max_ground_params,
        }
    }
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
    /// Lay policy files out in the one canonical way, comments kept.
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
    Fmt {
        /// Policy files, directories to search for `.flow` files, or `-` for standard input.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Change nothing: show what would change, as a diff, and exit with status 1 if
        /// anything would.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Start a new policy: a directory with a commented starter file to edit.
    #[command(
        after_help = "Writes DIR/policy.flow (DIR is created if needed): a small model of fingerprints \
shared between counties, a state, the FBI and ICE, with an opt-out, a source and two claims, \
every part explained in comments. It checks, is already formatted, and `verify` proves one claim \
and refutes the other. An existing file is never overwritten.\n\n\
Exit status: 0 written; 2 the file exists or cannot be written.\n\n\
Examples:\n  flowproof init my-policy\n  flowproof verify my-policy/"
    )]
    Init {
        /// The directory to create (or use).
        #[arg(default_value = "my-policy", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  flowproof completions bash > ~/.local/share/bash-completion/completions/flowproof\n  \
flowproof completions zsh > ~/.zfunc/_flowproof\n  \
flowproof completions fish > ~/.config/fish/completions/flowproof.fish"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a directory.
    #[command(
        after_help = "Examples:\n  flowproof man | man -l -\n  flowproof man verify | man -l -\n  \
flowproof man --out man/          # man/flowproof.1, man/flowproof-verify.1, ...\n\n\
With --out, a page that already exists is not overwritten unless it is a flowproof page."
    )]
    Man {
        /// Only the page of this command.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
        /// Write every page into this directory instead of printing.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out: Option<PathBuf>,
    },
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
    #[command(
        after_help = "A directory stands for every `.flow` file below it, in sorted order.\n\n\
Exit status: 0 every claim proved; 1 some claim refuted; 3 none refuted but some unknown \
(the solver gave up); 2 any input or usage error (no verdicts are trusted then).\n\n\
Examples:\n  flowproof verify policies/\n  flowproof verify --claim optout_shields_prints county.flow\n  \
flowproof verify --format json --timeout 10 policies/secure-communities/"
    )]
    Verify {
        /// Policy files, or directories to search for `.flow` files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Check only the claim with this name (repeatable).
        #[arg(long = "claim", value_name = "NAME")]
        claims: Vec<String>,
        #[command(flatten)]
        limits: LimitArgs,
        /// Which engine decides the claims.
        #[arg(long, value_enum, default_value_t = EngineChoice::Z3)]
        engine: EngineChoice,
        /// Also tell every path in plain English, one sentence per hop.
        #[arg(long)]
        story: bool,
        /// Explain each proof (and each refuted `possible` claim): the rules that together
        /// settle it, and the counterexample once they are removed. Slower: it decides the
        /// claim again for every rule.
        #[arg(long)]
        why: bool,
        /// Decide every claim as one question over everything it reads, with no splitting
        /// into parts and no reuse of answers: slow, and the configuration the fast one is
        /// tested against.
        #[arg(long)]
        plain: bool,
        /// No progress bar (it appears on a terminal when a run takes over a second).
        #[arg(long, short)]
        quiet: bool,
        /// List up to N distinct routes for each fact a witness turns on (default: one path).
        #[arg(long, value_name = "N", default_value_t = 1,
              value_parser = clap::value_parser!(u64).range(1..=100))]
        routes: u64,
        /// With `--engine reference`: refuse models with more ground params than this
        /// (it enumerates 2^N scenarios).
        #[arg(long, value_name = "N", default_value_t = flowproof::reference::DEFAULT_MAX_PARAMS as u64,
              value_parser = clap::value_parser!(u64).range(0..=40))]
        max_params: u64,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Find every minimal set of statements (claims) that cannot all be true together.
    #[command(
        after_help = "The claims are taken as jointly asserted facts about one scenario the policy \
allows; every minimal subset that no such scenario satisfies is listed, with the statements' \
quotes and the dates of their sources. By default the claims that carry an official's `quote` \
are used; `--claim` chooses others. A set of one is a statement the policy itself contradicts.\n\n\
Exit status: 0 none found, 1 some found, 2 an error.\n\n\
Example:\n  flowproof contradictions policies/secure-communities/v3-2011-08.flow"
    )]
    Contradictions {
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
    },
    /// Write a generated model to standard output (for benchmarks and scale tests).
    #[command(
        after_help = "`nationwide`: a model in the shape of Secure Communities with COUNTIES counties spread \
over 56 states and territories like the real ones, the federal agencies, county-level params \
and opt-outs, assumptions naming about one county in a hundred, and 8 claims (universal over \
counties, possible, with and without vacuity). `--format json` writes the same instance as \
facts instead of a policy file.\n\n\
Example:\n  flowproof gen nationwide --counties 3143 --seed 1 > nation.flow"
    )]
    Gen {
        /// What to generate.
        #[arg(value_enum)]
        shape: GenShape,
        /// How many counties.
        #[arg(long, default_value_t = 3143)]
        counties: usize,
        /// The seed that picks the counties the assumptions name.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// flow (a policy file) or json (the instance as facts).
        #[arg(long, value_enum, default_value_t = GenFormat::Flow)]
        format: GenFormat,
    },
    /// Write one self-contained HTML page: claims, verdicts, stories, graphs, sources.
    #[command(
        after_help = "For every policy file: the claims with their verdicts, each witness told step by step \
with its citations and the officials' quotes, the flow graph with the path drawn in, and the \
sources. With several dated versions, the timeline of verdicts comes first. The page loads \
nothing from the network and runs no scripts; it prints well.\n\n\
flowproof never overwrites a policy file, nor a file that is not a report it wrote.\n\
Exit status: 0 the report was written from files without errors; 2 an error (the report, if \
written, shows it).\n\n\
Example:\n  flowproof report policies/secure-communities/ --out secure-communities.html"
    )]
    Report {
        /// Policy files, or directories of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Where to write the page.
        #[arg(long, value_name = "FILE", default_value = "report.html")]
        out: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Draw the flow graph: agencies nested by `in`, flows labelled with data and conditions.
    #[command(
        after_help = "With --claim, the claim is verified and its witness path (the counterexample of a refuted \
`always` claim, the witness of a proved `possible` one) is drawn in red; flows that an opt-out \
blocks for that data in that scenario are dashed. SVG is laid out by flowproof itself (no \
Graphviz needed); DOT and Mermaid can be rendered by their own tools.\n\n\
Examples:\n  flowproof graph policies/tutorial/04-opt-outs.flow --format svg > graph.svg\n  \
flowproof graph policies/secure-communities/v1-2010-08.flow --claim optout_keeps_prints_from_ice --format mermaid"
    )]
    Graph {
        file: PathBuf,
        /// dot, mermaid, svg or json.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Highlight this claim's witness path.
        #[arg(long, value_name = "NAME")]
        claim: Option<String>,
        #[command(flatten)]
        limits: LimitArgs,
        /// When to use colour in error messages.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// What changed between two versions of a policy: flows, conditions, opt-outs,
    /// assumptions, rule edits, and the claims whose verdict differs and why.
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
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// Judge both versions by the claims of this file instead of their own.
        #[arg(long, value_name = "FILE")]
        claims: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The claims x versions matrix of a directory of dated policies, oldest first.
    #[command(
        after_help = "Every `.flow` file below DIR whose policy header has a `date` is a version; \
each cell is the claim's verdict in that version (P proved, P* proved only vacuously, R refuted, \
? unknown, - not stated). Verdicts that change between neighbouring versions are listed.\n\n\
Example:\n  flowproof timeline policies/secure-communities/"
    )]
    Timeline {
        /// The directory of policy versions.
        dir: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write a claim's witness scenario as a regression file that reproduces its verdict.
    #[command(
        after_help = "The file imports the policy, fixes every ground param with `assume` to its value \
in the scenario that refutes the claim (for `always`) or satisfies it (for `possible`), and \
states with `// expect` lines the verdict every claim gets in that scenario. flowproof never \
overwrites a file.\n\nExamples:\n  flowproof pin optout_shields_prints policies/examples/contract-example.flow\n  \
flowproof pin --out tests/regressions/sf.flow optout_shields_prints county.flow"
    )]
    Pin {
        /// The claim whose witness to pin.
        claim: String,
        /// The policy file.
        file: PathBuf,
        /// Where to write (default: beside FILE, as FILE-STEM.CLAIM.pin.flow).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EngineChoice {
    /// The Z3 SMT solver: exact, and fast on large models.
    Z3,
    /// Enumerate every scenario: slow, obviously correct, for small models.
    Reference,
}

/// When the solver gives up on a question (the answer is then unknown, never a verdict).
#[derive(clap::Args)]
struct LimitArgs {
    /// Give up on a claim after this many seconds (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u32,
    /// Give up on a claim after this much solver work (Z3's deterministic resource
    /// limit: the same verdicts on every machine, unlike `--timeout`).
    #[arg(long, value_name = "UNITS")]
    rlimit: Option<u32>,
}

impl LimitArgs {
    fn options(&self) -> flowproof::solve::Options {
        flowproof::solve::Options {
            timeout_ms: (self.timeout > 0).then(|| self.timeout.saturating_mul(1000)),
            rlimit: self.rlimit,
            limits: limits(),
            memory_mb: memory_mb(),
            ..flowproof::solve::Options::default()
        }
    }
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GenShape {
    /// Secure Communities across the whole country.
    Nationwide,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GenFormat {
    /// A policy file.
    Flow,
    /// The instance as JSON facts.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// A standalone SVG picture.
    Svg,
    /// The nodes and edges as JSON.
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

/// Writes to stdout; a reader that stopped early (`| head`) ends the output quietly
/// instead of panicking as `print!` would.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
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
    let _ = LIMITS.set((cli.input_limits.limits(), cli.input_limits.max_memory));
    match cli.command {
        Command::Check { paths, output } => check_command(&paths, &output),
        Command::Fmt {
            paths,
            check,
            output,
        } => fmt_command(&paths, check, &output),
        Command::Lsp => flowproof::lsp::run_stdio(limits(), memory_mb()),
        Command::Init { dir } => init_command(&dir),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "flowproof", &mut out);
            let _ = std::io::stdout().write_all(&out);
            EXIT_OK
        }
        Command::Man { command, out } => man_command(command.as_deref(), out.as_deref()),
        Command::Timeline {
            dir,
            limits,
            output,
        } => timeline_command(&dir, &limits.options(), &output),
        Command::Gen {
            shape: GenShape::Nationwide,
            counties,
            seed,
            format,
        } => {
            let nation = flowproof::generate::nation(counties, seed);
            match format {
                GenFormat::Flow => out!("{}", flowproof::generate::flow_text(&nation)),
                GenFormat::Json => print_json(&nation),
            }
            EXIT_OK
        }
        Command::Report {
            paths,
            out,
            limits,
            output,
        } => report_command(&paths, &out, &limits.options(), &output),
        Command::Graph {
            file,
            format,
            claim,
            limits,
            color,
        } => graph_command(&file, format, claim.as_deref(), &limits.options(), color),
        Command::Diff {
            old,
            new,
            claims,
            limits,
            output,
        } => diff_command(&old, &new, claims.as_deref(), &limits.options(), &output),
        Command::Contradictions {
            paths,
            claims,
            limits,
            output,
        } => contradictions_command(&paths, &claims, &limits.options(), &output),
        Command::Pin {
            claim,
            file,
            out,
            output,
        } => pin_command(&claim, &file, out, &output),
        Command::Verify {
            paths,
            claims,
            limits,
            engine,
            story,
            why,
            plain,
            quiet,
            routes,
            max_params,
            output,
        } => {
            let options = flowproof::solve::Options {
                claims,
                routes: usize::try_from(routes).unwrap_or(1),
                split: !plain,
                progress: (!quiet).then(progress_bar),
                ..limits.options()
            };
            let engine = match engine {
                EngineChoice::Z3 => Engine::Z3,
                EngineChoice::Reference => Engine::Reference {
                    max_params: usize::try_from(max_params).unwrap_or(usize::MAX),
                },
            };
            verify_command(&paths, &options, engine, story, why, &output)
        }
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

fn init_command(dir: &std::path::Path) -> u8 {
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
            let empty = flowproof::source::SourceMap::new();
            let opts = RenderOptions {
                color: false,
                width: 100,
            };
            eprint!("{}", diagnostic::render(&diag, &empty, opts));
            EXIT_INPUT_ERROR
        }
    }
}

/// Prints the manual page of flowproof or of one command, or writes every page.
fn man_command(command: Option<&str>, out: Option<&std::path::Path>) -> u8 {
    use clap::CommandFactory;
    let cli = Cli::command();
    if let Some(dir) = out {
        let mut pages = vec![(String::from("flowproof"), cli.clone())];
        for sub in cli.get_subcommands() {
            let name = format!("flowproof-{}", sub.get_name());
            pages.push((name.clone(), sub.clone().name(name)));
        }
        if let Err(err) = std::fs::create_dir_all(dir) {
            eprintln!("flowproof: cannot create `{}`: {err}", dir.display());
            return EXIT_INPUT_ERROR;
        }
        for (name, page) in pages {
            let path = dir.join(format!("{name}.1"));
            let mut roff = Vec::new();
            if clap_mangen::Man::new(page).render(&mut roff).is_err() {
                eprintln!("flowproof: cannot render the page `{name}`");
                return EXIT_INPUT_ERROR;
            }
            // never write over a file that is not one of these pages
            if let Ok(existing) = std::fs::read(&path)
                && !String::from_utf8_lossy(&existing).contains(".TH flowproof")
            {
                eprintln!(
                    "flowproof: `{}` exists and is not a flowproof manual page; it was left alone",
                    path.display()
                );
                return EXIT_INPUT_ERROR;
            }
            if let Err(err) = std::fs::write(&path, roff) {
                eprintln!("flowproof: cannot write `{}`: {err}", path.display());
                return EXIT_INPUT_ERROR;
            }
            outln!("wrote {}", path.display());
        }
        return EXIT_OK;
    }
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("flowproof-{name}")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "flowproof: no command is named `{name}`; the commands are: {}",
                    names.join(", ")
                );
                return EXIT_INPUT_ERROR;
            }
        },
    };
    let mut roff = Vec::new();
    if clap_mangen::Man::new(page).render(&mut roff).is_err() {
        eprintln!("flowproof: cannot render the manual page");
        return EXIT_INPUT_ERROR;
    }
    let _ = std::io::stdout().write_all(&roff);
    EXIT_OK
}

#[derive(Serialize)]
struct JsonFmtReport {
    files: Vec<JsonFmtFile>,
    /// files whose layout changed (or, with --check, would change)
    changed: usize,
    errors: usize,
}

#[derive(Serialize)]
struct JsonFmtFile {
    path: String,
    changed: bool,
    diagnostics: Vec<JsonDiagnostic>,
}

fn fmt_command(paths: &[PathBuf], check_only: bool, output: &OutputArgs) -> u8 {
    use flowproof::format::{self, Formatted};
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
            let opts = output.render_options();
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
                let color = output.render_options().color && std::io::stdout().is_terminal();
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

fn check_command(paths: &[PathBuf], output: &OutputArgs) -> u8 {
    let (files, path_errors) = check::expand_paths(paths);
    let checked: Vec<Checked> = files
        .iter()
        .map(|f| check::check_file_limited(f, &limits()))
        .collect();
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

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no claim is named `{name}`")]
#[diagnostic(code(flowproof::usage::unknown_claim))]
struct UnknownClaim {
    name: String,
    #[help]
    help: Option<String>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(
    code(flowproof::usage::claims_file),
    help(
        "`--claims FILE` names a policy file whose claims use the names both versions declare; it is read as if a file beside each version imported the version and FILE"
    )
)]
struct ClaimsFileError {
    message: String,
}

/// A progress bar on standard error that appears once a run has taken a second, and
/// only on a terminal.
fn progress_bar() -> flowproof::solve::Progress {
    use std::io::IsTerminal;
    let start = std::time::Instant::now();
    let bar: std::sync::Mutex<Option<indicatif::ProgressBar>> = std::sync::Mutex::new(None);
    let attended = std::io::stderr().is_terminal();
    flowproof::solve::Progress(std::sync::Arc::new(move |claim: &str, done, total| {
        if !attended {
            return;
        }
        let Ok(mut bar) = bar.lock() else { return };
        if bar.is_none() && start.elapsed() >= std::time::Duration::from_secs(1) && done < total {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total as u64),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{elapsed:>4} [{bar:30}] {pos}/{len} claims {msg}",
            ) {
                b.set_style(style.progress_chars("=> "));
            }
            *bar = Some(b);
        }
        if let Some(b) = bar.as_ref() {
            b.set_position(done as u64);
            b.set_message(claim.to_owned());
            if done == total {
                b.finish_and_clear();
                *bar = None;
            }
        }
    }))
}

fn verify_command(
    paths: &[PathBuf],
    options: &flowproof::solve::Options,
    engine: Engine,
    story: bool,
    why: bool,
    output: &OutputArgs,
) -> u8 {
    let (files, path_errors) = check::expand_paths(paths);
    let verified: Vec<Verified> = files
        .iter()
        .map(|f| verify_file(f, options, engine))
        .collect();
    let mut usage_errors = path_errors;
    for name in &options.claims {
        let names = verified
            .iter()
            .filter_map(|v| v.checked.model.as_ref())
            .flat_map(|m| m.claims.iter().map(|c| c.name.as_str()));
        let all: Vec<&str> = names.collect();
        if !all.contains(&name.as_str()) {
            let help = flowproof::check::suggest::suggest(name, all.iter().copied())
                .map(|s| flowproof::check::suggest::did_you_mean(&s))
                .or_else(|| {
                    Some("`flowproof verify` without `--claim` checks every claim".to_owned())
                });
            usage_errors.push(Diagnostic::without_file(UnknownClaim {
                name: name.clone(),
                help,
            }));
        }
    }
    let reports: Vec<FileReport<'_>> = verified
        .iter()
        .map(|v| FileReport {
            checked: &v.checked,
            diagnostics: v.diagnostics().collect(),
            outcomes: v.outcomes.clone(),
            params: v.params.clone(),
            because: match (&v.checked.model, why) {
                (Some(model), true) => v
                    .outcomes
                    .iter()
                    .filter_map(
                        |o| match flowproof::explain::because(model, o.claim, options) {
                            Ok(b) => b.map(|b| (o.claim, b)),
                            Err(e) => {
                                eprintln!(
                                    "flowproof: could not explain claim `{}`: {e}",
                                    model.claims[o.claim].name
                                );
                                None
                            }
                        },
                    )
                    .collect(),
                _ => std::collections::HashMap::new(),
            },
        })
        .collect();
    let tally = Tally::of(&reports);
    let code = if usage_errors.is_empty() {
        tally.exit_code()
    } else {
        EXIT_INPUT_ERROR
    };
    let empty = flowproof::source::SourceMap::new();
    match output.format {
        Format::Json => {
            let mut report = render::json::report(&reports);
            report.summary.exit_code = code;
            for diag in &usage_errors {
                report.files.push(render::json::JsonFile {
                    path: String::new(),
                    policy: None,
                    claims: Vec::new(),
                    diagnostics: vec![diagnostic::to_json(diag, &empty)],
                });
            }
            print_json(&report);
        }
        Format::Human => {
            let opts = output.render_options();
            let style = render::text::Style {
                color: opts.color,
                story,
            };
            let mut stderr = std::io::stderr().lock();
            for diag in &usage_errors {
                let _ = write!(stderr, "{}", diagnostic::render(diag, &empty, opts));
            }
            for r in &reports {
                for diag in &r.diagnostics {
                    let _ = write!(
                        stderr,
                        "{}",
                        diagnostic::render(diag, &r.checked.sources, opts)
                    );
                }
            }
            drop(stderr);
            let mut stdout = std::io::stdout().lock();
            for r in &reports {
                let _ = write!(stdout, "{}", render::text::file(r, &style));
            }
            if usage_errors.is_empty() {
                let _ = write!(stdout, "{}", render::text::summary(&reports, &style));
            } else {
                // a summary of claims nobody asked for would read as a result
                let _ = writeln!(stdout, "verify result: a usage error, nothing verified");
            }
        }
    }
    code
}

fn diff_command(
    old: &std::path::Path,
    new: &std::path::Path,
    claims: Option<&std::path::Path>,
    options: &flowproof::solve::Options,
    output: &OutputArgs,
) -> u8 {
    let version = |path: &std::path::Path| -> Result<Verified, String> {
        let Some(claims) = claims else {
            return Ok(verify_file(path, options, Engine::Z3));
        };
        let (checked, names) = flowproof::diff::with_claims(path, claims, &options.limits)?;
        if names.is_empty() && !checked.has_errors() {
            return Err(format!("{} states no claim", claims.display()));
        }
        let options = flowproof::solve::Options {
            claims: names,
            ..options.clone()
        };
        Ok(flowproof::verify::verify_checked(
            checked,
            &options,
            Engine::Z3,
        ))
    };
    let (a, b) = match (version(old), version(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(message), _) | (_, Err(message)) => {
            let d = Diagnostic::without_file(ClaimsFileError { message });
            let empty = flowproof::source::SourceMap::new();
            match output.format {
                Format::Json => print_json(&serde_json::json!({
                    "old": old.display().to_string(),
                    "new": new.display().to_string(),
                    "diff": null,
                    "diagnostics": [diagnostic::to_json(&d, &empty)],
                })),
                Format::Human => eprint!(
                    "{}",
                    diagnostic::render(&d, &empty, output.render_options())
                ),
            }
            return EXIT_INPUT_ERROR;
        }
    };
    let opts = output.render_options();
    let mut errors = 0;
    for v in [&a, &b] {
        for d in v.diagnostics().filter(|d| d.is_error()) {
            errors += 1;
            if matches!(output.format, Format::Human) {
                eprint!("{}", diagnostic::render(d, &v.checked.sources, opts));
            }
        }
    }
    let d = if errors == 0 {
        flowproof::diff::diff(&a, &b, options)
    } else {
        None
    };
    match output.format {
        Format::Json => print_json(
            &serde_json::json!({ "old": old.display().to_string(), "new": new.display().to_string(), "diff": d }),
        ),
        Format::Human => {
            if let Some(d) = &d {
                outln!("{} -> {}", old.display(), new.display());
                out!("{}", flowproof::diff::render(d));
            }
        }
    }
    match d {
        None => EXIT_INPUT_ERROR,
        Some(d) if d.verdicts.is_empty() => EXIT_OK,
        Some(_) => 1,
    }
}

fn contradictions_command(
    paths: &[PathBuf],
    names: &[String],
    options: &flowproof::solve::Options,
    output: &OutputArgs,
) -> u8 {
    let (files, path_errors) = check::expand_paths(paths);
    let empty = flowproof::source::SourceMap::new();
    let opts = output.render_options();
    let mut json_files = Vec::new();
    let mut any_error = !path_errors.is_empty();
    let mut any_found = false;
    for d in &path_errors {
        eprint!("{}", diagnostic::render(d, &empty, opts));
    }
    for file in &files {
        let checked = check::check_file_limited(file, &limits());
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut sets: Vec<Vec<usize>> = Vec::new();
        let mut chosen: Vec<usize> = Vec::new();
        if let Some(model) = checked.model.as_ref() {
            chosen = if names.is_empty() {
                let quoted: Vec<usize> = (0..model.claims.len())
                    .filter(|i| model.claims[*i].quote.is_some())
                    .collect();
                if quoted.is_empty() {
                    (0..model.claims.len()).collect()
                } else {
                    quoted
                }
            } else {
                (0..model.claims.len())
                    .filter(|i| names.contains(&model.claims[*i].name))
                    .collect()
            };
            match flowproof::solve::contradictions(model, &chosen, options) {
                Ok(found) => sets = found,
                Err(err) => diags.push(flowproof::solve::error::diagnostic(
                    model,
                    checked.root,
                    &err,
                )),
            }
        }
        let errors: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .chain(&diags)
            .filter(|d| d.is_error())
            .collect();
        any_error |= !errors.is_empty();
        any_found |= !sets.is_empty();
        let model = checked.model.as_ref();
        let describe = |i: usize| -> serde_json::Value {
            let Some(m) = model else {
                return serde_json::Value::Null;
            };
            let c = &m.claims[i];
            let sources: Vec<serde_json::Value> = c
                .info
                .cites
                .iter()
                .map(|s| {
                    let s = &m.sources[s.index()];
                    serde_json::json!({"name": s.name, "title": s.title, "date": s.date.map(|d| d.to_string())})
                })
                .collect();
            serde_json::json!({
                "name": c.name, "mode": c.mode.to_string(), "title": c.title, "quote": c.quote,
                "line": checked.sources.line(c.info.span),
                "file": checked.sources.path(c.info.span.file).display().to_string(),
                "sources": sources,
            })
        };
        match output.format {
            Format::Json => json_files.push(serde_json::json!({
                "path": file.display().to_string(),
                "claims_considered": chosen.len(),
                "contradictions": sets.iter().map(|s| s.iter().map(|i| describe(*i)).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "diagnostics": errors.iter().map(|d| diagnostic::to_json(d, &checked.sources)).collect::<Vec<_>>(),
            })),
            Format::Human => {
                for d in &errors {
                    eprint!("{}", diagnostic::render(d, &checked.sources, opts));
                }
                if !errors.is_empty() {
                    continue;
                }
                outln!("\n{}: {} statements considered", file.display(), chosen.len());
                if sets.is_empty() {
                    outln!("  they can all be true together");
                }
                for (n, set) in sets.iter().enumerate() {
                    if set.len() == 1 {
                        outln!("  {}. this statement contradicts the policy itself:", n + 1);
                    } else {
                        outln!("  {}. these {} statements cannot all be true together (drop any one and the rest can):", n + 1, set.len());
                    }
                    for i in set {
                        let v = describe(*i);
                        let title = v["title"].as_str().unwrap_or("");
                        outln!(
                            "     - {} ({}:{}): {title}",
                            v["name"].as_str().unwrap_or(""),
                            v["file"].as_str().unwrap_or(""),
                            v["line"]
                        );
                        if let Some(q) = v["quote"].as_str() {
                            outln!("       \"{q}\"");
                        }
                        for s in v["sources"].as_array().into_iter().flatten() {
                            let date = s["date"].as_str().map(|d| format!(", {d}")).unwrap_or_default();
                            outln!("       source: {}{date}", s["title"].as_str().or(s["name"].as_str()).unwrap_or(""));
                        }
                    }
                }
            }
        }
    }
    if matches!(output.format, Format::Json) {
        print_json(&serde_json::json!({ "files": json_files }));
    }
    if any_error {
        EXIT_INPUT_ERROR
    } else if any_found {
        1
    } else {
        EXIT_OK
    }
}

fn timeline_command(
    dir: &std::path::Path,
    options: &flowproof::solve::Options,
    output: &OutputArgs,
) -> u8 {
    let (files, path_errors) = check::expand_paths(&[dir.to_path_buf()]);
    let verified: Vec<Verified> = files
        .iter()
        .map(|f| verify_file(f, options, Engine::Z3))
        .collect();
    let timeline = flowproof::timeline::build(&verified, options);
    let empty = flowproof::source::SourceMap::new();
    let errors = input_errors(&path_errors, &empty, &verified);
    match output.format {
        Format::Json => {
            let value = serde_json::json!({
                "timeline": timeline,
                "diagnostics": errors.iter().map(|(d, s)| diagnostic::to_json(d, s)).collect::<Vec<_>>(),
            });
            print_json(&value);
        }
        Format::Human => {
            let opts = output.render_options();
            for (d, s) in &errors {
                eprint!("{}", diagnostic::render(d, s, opts));
            }
            out!("{}", flowproof::timeline::render(&timeline));
        }
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}

/// Errors to show: those without a file (`general`, shown against `empty`), then every
/// error of every verified file with its sources.
fn input_errors<'a>(
    general: &'a [Diagnostic],
    empty: &'a flowproof::source::SourceMap,
    verified: &'a [Verified],
) -> Vec<(&'a Diagnostic, &'a flowproof::source::SourceMap)> {
    general
        .iter()
        .map(|d| (d, empty))
        .chain(verified.iter().flat_map(|v| {
            v.diagnostics()
                .filter(|d| d.is_error())
                .map(move |d| (d, &v.checked.sources))
        }))
        .collect()
}

fn report_command(
    paths: &[PathBuf],
    out: &std::path::Path,
    options: &flowproof::solve::Options,
    output: &OutputArgs,
) -> u8 {
    let (files, path_errors) = check::expand_paths(paths);
    let mut verified: Vec<Verified> = files
        .iter()
        .map(|f| verify_file(f, options, Engine::Z3))
        .collect();
    // dated versions oldest first, then the files without a date
    verified.sort_by_key(|v| {
        let date = v
            .checked
            .model
            .as_ref()
            .and_then(|m| m.policy.as_ref())
            .and_then(|p| p.date);
        (
            date.is_none(),
            date.map(|d| d.to_string()),
            v.checked.path.clone(),
        )
    });
    let dated = verified
        .iter()
        .filter(|v| {
            !v.has_errors()
                && v.checked
                    .model
                    .as_ref()
                    .and_then(|m| m.policy.as_ref())
                    .is_some_and(|p| p.date.is_some())
        })
        .count();
    let timeline = (dated >= 2).then(|| flowproof::timeline::build(&verified, options));
    let mut problems: Vec<Diagnostic> = path_errors;
    let written = match flowproof::report::check_out(out, &verified) {
        Err(e) => {
            problems.push(Diagnostic::without_file(e));
            false
        }
        Ok(()) if verified.is_empty() => false,
        Ok(()) => {
            let html = flowproof::report::html(&verified, timeline.as_ref());
            match flowproof::report::write(out, &html) {
                Ok(()) => true,
                Err(e) => {
                    problems.push(Diagnostic::without_file(e));
                    false
                }
            }
        }
    };
    let empty = flowproof::source::SourceMap::new();
    let errors = input_errors(&problems, &empty, &verified);
    match output.format {
        Format::Json => print_json(&serde_json::json!({
            "written": written.then(|| out.display().to_string()),
            "files": verified.iter().map(|v| v.checked.path.display().to_string()).collect::<Vec<_>>(),
            "diagnostics": errors.iter().map(|(d, s)| diagnostic::to_json(d, s)).collect::<Vec<_>>(),
        })),
        Format::Human => {
            let opts = output.render_options();
            for (d, s) in &errors {
                eprint!("{}", diagnostic::render(d, s, opts));
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
    }
    if written && errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}

fn graph_command(
    file: &std::path::Path,
    format: GraphFormat,
    claim: Option<&str>,
    options: &flowproof::solve::Options,
    color: Color,
) -> u8 {
    let options = flowproof::solve::Options {
        claims: claim.map(|c| vec![c.to_owned()]).unwrap_or_default(),
        ..options.clone()
    };
    let verified = if claim.is_some() {
        verify_file(file, &options, Engine::Z3)
    } else {
        flowproof::verify::Verified {
            checked: check::check_file_limited(file, &limits()),
            errors: Vec::new(),
            outcomes: Vec::new(),
            params: None,
        }
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    if let (Some(name), Some(model)) = (claim, &verified.checked.model)
        && !model.claims.iter().any(|c| c.name == name)
    {
        let help =
            flowproof::check::suggest::suggest(name, model.claims.iter().map(|c| c.name.as_str()))
                .map(|s| flowproof::check::suggest::did_you_mean(&s));
        diagnostics.push(Diagnostic::without_file(UnknownClaim {
            name: name.to_owned(),
            help,
        }));
    }
    let all: Vec<&Diagnostic> = verified.diagnostics().chain(&diagnostics).collect();
    let failed = all.iter().any(|d| d.is_error());
    let outcome = verified.outcomes.first();
    let view = if failed {
        None
    } else {
        flowproof::view::build(&verified.checked, outcome.and_then(|o| o.witness.as_ref())).map(
            |mut v| {
                if let (Some(o), Some(model)) = (outcome, &verified.checked.model) {
                    v.caption = Some(flowproof::view::caption(model, o));
                }
                v
            },
        )
    };
    let sources = &verified.checked.sources;
    if format == GraphFormat::Json {
        print_json(&serde_json::json!({
            "path": file.display().to_string(),
            "graph": view,
            "diagnostics": all.iter().map(|d| diagnostic::to_json(d, sources)).collect::<Vec<_>>(),
        }));
    } else {
        let opts = OutputArgs {
            format: Format::Human,
            color,
        }
        .render_options();
        for d in &all {
            eprint!("{}", diagnostic::render(d, sources, opts));
        }
        if let Some(v) = &view {
            match format {
                GraphFormat::Dot => out!("{}", flowproof::view::dot::render(v)),
                GraphFormat::Mermaid => out!("{}", flowproof::view::mermaid::render(v)),
                GraphFormat::Svg => out!("{}", flowproof::view::svg::render(v)),
                GraphFormat::Json => {}
            }
        }
    }
    if failed { EXIT_INPUT_ERROR } else { EXIT_OK }
}

fn pin_command(
    claim: &str,
    file: &std::path::Path,
    out: Option<PathBuf>,
    output: &OutputArgs,
) -> u8 {
    let options = flowproof::solve::Options {
        claims: vec![claim.to_owned()],
        limits: limits(),
        ..flowproof::solve::Options::default()
    };
    let verified = verify_file(file, &options, Engine::Z3);
    let out = out.unwrap_or_else(|| flowproof::pin::default_out(file, claim));
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let result = if verified.has_errors() {
        None
    } else {
        match flowproof::pin::pin(&verified, claim, &out) {
            Ok(pinned) => Some(pinned),
            Err(err) => {
                diagnostics.push(Diagnostic::without_file(err));
                None
            }
        }
    };
    let all: Vec<&Diagnostic> = verified.diagnostics().chain(&diagnostics).collect();
    match output.format {
        Format::Json => {
            let value = serde_json::json!({
                "written": result.as_ref().map(|p| p.path.display().to_string()),
                "claim": claim,
                "params": result.as_ref().map(|p| p.params),
                "diagnostics": all.iter().map(|d| diagnostic::to_json(d, &verified.checked.sources)).collect::<Vec<_>>(),
            });
            print_json(&value);
        }
        Format::Human => {
            let opts = output.render_options();
            for d in &all {
                eprint!("{}", diagnostic::render(d, &verified.checked.sources, opts));
            }
            if let Some(p) = &result {
                outln!(
                    "wrote {} ({} param{} pinned); check it with `flowproof verify {}`",
                    p.path.display(),
                    p.params,
                    plural(p.params),
                    p.path.display()
                );
            }
        }
    }
    if result.is_some() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
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
        // a reader that stopped early (`| head`) is not an error
        Err(err) if err.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => {}
        Err(err) => eprintln!("flowproof: cannot write JSON: {err}"),
    }
}
