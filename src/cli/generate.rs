//! `flowproof gen`: write a generated model (for benchmarks and scale tests).

use clap::ValueEnum;

use super::output::print_json;
use super::{EXIT_OK, out};

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

#[derive(clap::Args)]
#[command(
    after_help = "`nationwide`: a model in the shape of Secure Communities with COUNTIES counties spread \
over 56 states and territories like the real ones, the federal agencies, county-level params \
and opt-outs, assumptions naming about one county in a hundred, and 8 claims (universal over \
counties, possible, with and without vacuity). `--format json` writes the same instance as \
facts instead of a policy file.\n\n\
`--varied`: states with laws of their own (TRUST-Act-like limits on release notices, \
withholding prints from the FBI, signed or pending MOAs), 20 to 40% of the counties with \
rules of their own (opt-outs ICE honours or refuses, 287(g) lines to ICE, sanctuary \
ordinances, cities inside them), five kinds of data, and 12 claims, three of them naming \
a particular county or state.\n\n\
Examples:\n  flowproof gen nationwide --counties 3143 --seed 1 > nation.flow\n  \
flowproof gen nationwide --varied --counties 3143 --seed 1 > varied.flow"
)]
pub struct Args {
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
    /// States and counties with rules of their own instead of identical ones.
    #[arg(long)]
    varied: bool,
}

pub fn run(args: &Args) -> u8 {
    let GenShape::Nationwide = args.shape;
    if args.varied {
        let nation = flowproof::generate::varied_nation(args.counties, args.seed);
        match args.format {
            GenFormat::Flow => out!("{}", flowproof::generate::varied_flow_text(&nation)),
            GenFormat::Json => print_json(&nation),
        }
        return EXIT_OK;
    }
    let nation = flowproof::generate::nation(args.counties, args.seed);
    match args.format {
        GenFormat::Flow => out!("{}", flowproof::generate::flow_text(&nation)),
        GenFormat::Json => print_json(&nation),
    }
    EXIT_OK
}
