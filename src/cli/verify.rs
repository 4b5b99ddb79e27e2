//! `flowproof verify`: prove or refute every claim of policy files.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use flowproof::render::{self, diagnostic};
use flowproof::source::SourceMap;
use flowproof::verify::{Engine, verify_paths};

use super::args::{LimitArgs, OutputArgs, render_options};
use super::output::print_json;

#[derive(Clone, Copy, ValueEnum)]
enum EngineChoice {
    /// The Z3 SMT solver: exact, and fast on large models.
    Z3,
    /// Enumerate every scenario: slow, obviously correct, for small models.
    Reference,
}

#[derive(clap::Args)]
#[command(
    after_help = "A directory stands for every `.flow` file below it, in sorted order.\n\n\
Exit status: 0 every claim proved; 1 some claim refuted; 3 none refuted but some unknown \
(the solver gave up); 2 any input or usage error (no verdicts are trusted then).\n\n\
Examples:\n  flowproof verify policies/\n  flowproof verify --claim optout_shields_prints county.flow\n  \
flowproof verify --format json --timeout 10 policies/secure-communities/"
)]
pub struct Args {
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
}

pub fn run(args: &Args) -> u8 {
    let options = flowproof::solve::Options {
        claims: args.claims.clone(),
        routes: usize::try_from(args.routes).unwrap_or(1),
        split: !args.plain,
        progress: (!args.quiet).then(progress_bar),
        ..args.limits.options()
    };
    let engine = match args.engine {
        EngineChoice::Z3 => Engine::Z3,
        EngineChoice::Reference => Engine::Reference {
            max_params: usize::try_from(args.max_params).unwrap_or(usize::MAX),
        },
    };
    let run = verify_paths(&args.paths, &options, engine, args.why);
    for v in &run.files {
        if let Some(model) = v.model() {
            for ((claim, reading), e) in &v.unexplained {
                let within = reading
                    .map(|r| format!(" in reading `{}`", model.readings[r].name))
                    .unwrap_or_default();
                eprintln!(
                    "flowproof: could not explain claim `{}`{within}: {e}",
                    model.claims[*claim].name
                );
            }
        }
    }
    let code = run.exit_code();
    let empty = SourceMap::new();
    let output = &args.output;
    if output.json() {
        let mut report = render::json::report(&run.files);
        report.summary.exit_code = code;
        for diag in &run.usage {
            report.files.push(render::json::JsonFile {
                path: String::new(),
                policy: None,
                claims: Vec::new(),
                diagnostics: vec![diagnostic::to_json(diag, &empty)],
            });
        }
        print_json(&report);
    } else {
        let opts = render_options();
        let style = render::text::Style {
            color: super::args::colour_on(&std::io::stdout()),
            story: args.story,
        };
        let mut stderr = std::io::stderr().lock();
        for diag in &run.usage {
            let _ = write!(stderr, "{}", diagnostic::render(diag, &empty, opts));
        }
        for v in &run.files {
            for diag in v.diagnostics() {
                let _ = write!(
                    stderr,
                    "{}",
                    diagnostic::render(diag, &v.checked.sources, opts)
                );
            }
        }
        drop(stderr);
        let mut stdout = std::io::stdout().lock();
        for v in &run.files {
            let _ = write!(stdout, "{}", render::text::file(v, &style));
        }
        if run.usage.is_empty() {
            let _ = write!(stdout, "{}", render::text::summary(&run.files, &style));
        } else {
            // a summary of claims nobody asked for would read as a result
            let _ = writeln!(stdout, "verify result: a usage error, nothing verified");
        }
    }
    code
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
