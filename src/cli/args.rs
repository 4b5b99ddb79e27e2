//! Argument groups shared by several commands, flattened once each: the input limits
//! (global), the solver's limits, and how results are printed.

use clap::ValueEnum;

use flowproof::check::Evidence;
use flowproof::limits::Limits;
use flowproof::render::diagnostic::RenderOptions;
use flowproof::solve::Options;

/// The limits of this run (input limits, and the solver's memory cap in megabytes,
/// 0 for none), set once from the command line.
static LIMITS: std::sync::OnceLock<(Limits, u32)> = std::sync::OnceLock::new();

/// Where this run finds documents, set once from the command line.
static EVIDENCE: std::sync::OnceLock<Evidence> = std::sync::OnceLock::new();

/// Where this run finds the documents of sources.
pub fn evidence() -> Evidence {
    EVIDENCE.get().cloned().unwrap_or_default()
}

/// Checking the documents quotations come from (section 5.5 of the language).
#[derive(clap::Args)]
#[command(next_help_heading = "Evidence")]
pub struct EvidenceArgs {
    /// Look for the documents of sources in this directory first (repeatable).
    #[arg(long = "evidence", global = true, value_name = "DIR")]
    dirs: Vec<std::path::PathBuf>,
    /// Treat a document that cannot be read as an error, not a warning.
    #[arg(long, global = true)]
    require_evidence: bool,
}

impl EvidenceArgs {
    /// Makes these the evidence settings of the run.
    pub fn install(&self) {
        let _ = EVIDENCE.set(Evidence {
            dirs: self.dirs.clone(),
            require: self.require_evidence,
        });
    }
}

/// The input limits of this run.
pub fn limits() -> Limits {
    LIMITS.get().map(|(l, _)| *l).unwrap_or_default()
}

/// The solver's memory cap of this run, when there is one.
pub fn memory_mb() -> Option<u32> {
    LIMITS.get().map(|(_, mb)| *mb).filter(|mb| *mb > 0)
}

/// The help heading of the input limits.
pub const LIMITS_HEADING: &str = "Limits";

/// Ceilings on what one input may cost; each has a coded error that names it.
#[derive(clap::Args)]
#[command(next_help_heading = LIMITS_HEADING)]
pub struct InputLimitArgs {
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
    /// Makes these the limits of the run.
    pub fn install(&self) {
        let limits = Limits {
            max_file_bytes: self.max_file_size.saturating_mul(1024 * 1024),
            max_depth: self.max_depth,
            max_ground: self.max_ground,
            max_ground_params: self.max_ground_params,
        };
        let _ = LIMITS.set((limits, self.max_memory));
    }
}

/// When the solver gives up on a question (the answer is then unknown, never a verdict).
#[derive(clap::Args)]
pub struct LimitArgs {
    /// Give up on a claim after this many seconds (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u32,
    /// Give up on a claim after this much solver work (Z3's deterministic resource
    /// limit: the same verdicts on every machine, unlike `--timeout`).
    #[arg(long, value_name = "UNITS")]
    rlimit: Option<u32>,
    /// Ask every question of the solver, none of binary decision diagrams (slower on
    /// large models; the verdicts are the same).
    #[arg(long)]
    no_diagrams: bool,
}

impl LimitArgs {
    /// The solver options these limits (and the run's) give.
    pub fn options(&self) -> Options {
        Options {
            timeout_ms: (self.timeout > 0).then(|| self.timeout.saturating_mul(1000)),
            rlimit: self.rlimit,
            bdd: !self.no_diagrams,
            limits: limits(),
            evidence: evidence(),
            memory_mb: memory_mb(),
            ..Options::default()
        }
    }
}

#[derive(clap::Args)]
pub struct OutputArgs {
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Readable reports on standard error, a summary on standard output.
    Human,
    /// One JSON document on standard output.
    Json,
}

/// How diagnostics are drawn, for the whole run (`--diagnostic-style`).
static DIAGNOSTIC_STYLE: std::sync::OnceLock<Style> = std::sync::OnceLock::new();

/// How diagnostics are drawn: a global option, before or after the command.
#[derive(clap::Args)]
#[command(next_help_heading = "Output")]
pub struct DiagnosticArgs {
    /// How to draw errors and warnings: fancy (the source excerpt under box-drawing
    /// lines), plain (sentences, one fact a line, for screen readers and logs) or auto
    /// (plain when TERM=dumb, fancy otherwise).
    #[arg(long, global = true, value_enum, value_name = "STYLE", default_value_t = Style::Auto)]
    diagnostic_style: Style,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Style {
    Auto,
    Fancy,
    Plain,
}

impl DiagnosticArgs {
    /// Makes this the diagnostic style of the run.
    pub fn install(&self) {
        let _ = DIAGNOSTIC_STYLE.set(self.diagnostic_style);
    }
}

/// How this run draws diagnostics on standard error: in colour when `--color` (and,
/// for `auto`, the terminal, NO_COLOR and CLICOLOR) allow it; plainly when asked or
/// when TERM=dumb.
pub fn render_options() -> RenderOptions {
    let plain = match DIAGNOSTIC_STYLE.get().copied().unwrap_or(Style::Auto) {
        Style::Plain => true,
        Style::Fancy => false,
        Style::Auto => std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
    };
    RenderOptions {
        color: colour_on(&std::io::stderr()),
        width: 100,
        plain,
    }
}

/// Whether to write colour to `stream` (the global `--color`, then the stream and
/// the environment).
pub fn colour_on<S: anstream::stream::RawStream>(stream: &S) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

impl OutputArgs {
    pub fn json(&self) -> bool {
        matches!(self.format, Format::Json)
    }
}
