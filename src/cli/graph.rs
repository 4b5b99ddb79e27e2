//! `flowproof graph`: draw the flow graph, with a claim's witness path.

use std::path::PathBuf;

use clap::ValueEnum;

use flowproof::check;
use flowproof::diagnostic::Diagnostic;
use flowproof::render::diagnostic;
use flowproof::verify::error::unknown_claim;
use flowproof::verify::{Engine, Verified, verify_file};

use super::args::{LimitArgs, evidence, limits, render_options};
use super::output::{print_json, show};
use super::{EXIT_INPUT_ERROR, EXIT_OK, out};

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

/// Who lays out an SVG picture.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// Graphviz `dot` when it is installed (on the PATH), flowproof's own layout
    /// otherwise.
    Auto,
    /// flowproof's own layered layout: no external program, the same picture on every
    /// machine.
    Own,
    /// Graphviz `dot` (falls back to the own layout if `dot` cannot be run).
    Dot,
}

impl LayoutArg {
    pub fn layout(self) -> flowproof::render::svg::Layout {
        use flowproof::render::svg::Layout;
        match self {
            LayoutArg::Auto => Layout::Auto,
            LayoutArg::Own => Layout::Own,
            LayoutArg::Dot => Layout::Dot,
        }
    }
}

#[derive(clap::Args)]
#[command(
    after_help = "With --claim, the claim is verified and its witness path (the counterexample of a refuted \
`always` claim, the witness of a proved `possible` one) is drawn in red; flows that an opt-out \
blocks for that data in that scenario are dashed. SVG is laid out by Graphviz `dot` when it is \
installed and by flowproof itself otherwise (see --layout); the picture says which. DOT and \
Mermaid can be rendered by their own tools.\n\n\
Examples:\n  flowproof graph policies/tutorial/04-opt-outs.flow --format svg > graph.svg\n  \
flowproof graph policies/secure-communities/v1-2010-08.flow --claim optout_keeps_prints_from_ice --format mermaid"
)]
pub struct Args {
    file: PathBuf,
    /// dot, mermaid, svg or json.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// Who lays out the SVG: auto (Graphviz `dot` when it is on the PATH, else own), own
    /// (flowproof's layout, the same everywhere) or dot.
    #[arg(long, value_enum, default_value_t = LayoutArg::Auto)]
    layout: LayoutArg,
    /// Highlight this claim's witness path.
    #[arg(long, value_name = "NAME")]
    claim: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// What `graph --format json` writes.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct JsonGraph {
    pub path: String,
    /// The nodes and edges, none when the file has errors.
    pub graph: Option<flowproof::render::graph::View>,
    pub diagnostics: Vec<diagnostic::JsonDiagnostic>,
}

pub fn run(args: &Args) -> u8 {
    let (file, format, claim) = (&args.file, args.format, args.claim.as_deref());
    let options = flowproof::solve::Options {
        claims: claim.map(|c| vec![c.to_owned()]).unwrap_or_default(),
        ..args.limits.options()
    };
    let verified = if claim.is_some() {
        verify_file(file, &options, Engine::Z3)
    } else {
        Verified::unverified(check::check_file_with(file, &limits(), &evidence()))
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    if let (Some(name), Some(model)) = (claim, verified.model())
        && !model.claims.iter().any(|c| c.name == name)
    {
        let names: Vec<&str> = model.claims.iter().map(|c| c.name.as_str()).collect();
        diagnostics.push(unknown_claim(name, &names, None));
    }
    let all: Vec<&Diagnostic> = verified.diagnostics().chain(&diagnostics).collect();
    let failed = all.iter().any(|d| d.is_error());
    let outcome = verified.outcomes.first();
    let view = if failed {
        None
    } else {
        let shown = outcome.and_then(flowproof::render::graph::shown_witness);
        flowproof::render::graph::build(&verified.checked, shown.map(|(_, w)| w)).map(|mut v| {
            if let Some(o) = outcome {
                let reading = shown.and_then(|(k, _)| k);
                let verdict = reading
                    .and_then(|k| o.readings.iter().find(|x| x.reading == k))
                    .map_or(&o.verdict, |x| &x.verdict);
                v.caption = Some(flowproof::render::graph::caption(
                    &verified,
                    o.claim,
                    verdict,
                    reading,
                    shown.map(|(_, w)| w),
                ));
            }
            v
        })
    };
    let sources = &verified.checked.sources;
    if format == GraphFormat::Json {
        print_json(&JsonGraph {
            path: file.display().to_string(),
            graph: view,
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
        if let Some(v) = &view {
            match format {
                GraphFormat::Dot => out!("{}", flowproof::render::dot::render(v)),
                GraphFormat::Mermaid => out!("{}", flowproof::render::mermaid::render(v)),
                GraphFormat::Svg => out!(
                    "{}",
                    flowproof::render::svg::render_with(v, args.layout.layout()).svg
                ),
                GraphFormat::Json => {}
            }
        }
    }
    if failed { EXIT_INPUT_ERROR } else { EXIT_OK }
}
