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
Example:\n  flowproof gen nationwide --counties 3143 --seed 1 > nation.flow"
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
}

pub fn run(args: &Args) -> u8 {
    let GenShape::Nationwide = args.shape;
    let nation = flowproof::generate::nation(args.counties, args.seed);
    match args.format {
        GenFormat::Flow => out!("{}", flowproof::generate::flow_text(&nation)),
        GenFormat::Json => print_json(&nation),
    }
    EXIT_OK
}
