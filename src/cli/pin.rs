//! `flowproof pin`: write a claim's witness scenario as a regression file.

use std::path::PathBuf;

use flowproof::diagnostic::Diagnostic;
use flowproof::pin;
use flowproof::render::{self, diagnostic};
use flowproof::verify::{Engine, verify_file};

use super::args::{OutputArgs, evidence, limits, render_options};
use super::output::{plural, print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, outln};

#[derive(clap::Args)]
#[command(
    after_help = "The file imports the policy, fixes every ground param with `assume` to its value \
in the scenario that refutes the claim (for `always`) or satisfies it (for `possible`), and \
states with `// expect` lines the verdict every claim gets in that scenario. flowproof never \
overwrites a file.\n\nExamples:\n  flowproof pin optout_shields_prints policies/examples/contract-example.flow\n  \
flowproof pin --out tests/regressions/sf.flow optout_shields_prints county.flow"
)]
pub struct Args {
    /// The claim whose witness to pin.
    claim: String,
    /// The policy file.
    file: PathBuf,
    /// For a policy with readings: pin the witness found in this reading (default: the
    /// first reading that has one).
    #[arg(long, value_name = "NAME")]
    reading: Option<String>,
    /// Where to write (default: beside FILE, as FILE-STEM.CLAIM.pin.flow).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// What `pin --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonPin {
    /// The regression file written, if one was.
    pub written: Option<String>,
    pub claim: String,
    /// How many params the pinned scenario fixes.
    pub params: Option<usize>,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (claim, file, output) = (args.claim.as_str(), &args.file, &args.output);
    let options = flowproof::solve::Options {
        claims: vec![claim.to_owned()],
        limits: limits(),
        evidence: evidence(),
        ..flowproof::solve::Options::default()
    };
    let verified = verify_file(file, &options, Engine::Z3);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| pin::default_out(file, claim));
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let result = if verified.has_errors() {
        None
    } else {
        let written = pin::pin(&verified, claim, args.reading.as_deref(), &out)
            .and_then(|p| pin::write(&p, &render::pin::text(&p), &out));
        match written {
            Ok(pinned) => Some(pinned),
            Err(err) => {
                diagnostics.push(Diagnostic::without_file(err));
                None
            }
        }
    };
    let all: Vec<&Diagnostic> = verified.diagnostics().chain(&diagnostics).collect();
    let sources = &verified.checked.sources;
    if output.json() {
        print_json(&JsonPin {
            written: result.as_ref().map(|p| p.path.display().to_string()),
            claim: claim.to_owned(),
            params: result.as_ref().map(|p| p.params),
            diagnostics: all
                .iter()
                .map(|d| diagnostic::to_json(d, sources))
                .collect(),
        });
    } else {
        let opts = render_options();
        for d in &all {
            show(d, sources, opts);
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
    if result.is_some() {
        EXIT_OK
    } else {
        EXIT_INPUT_ERROR
    }
}
