//! `flowproof schema`: the JSON Schema of what a command writes with `--format json`,
//! generated from the very types the command serializes.

use clap::ValueEnum;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use flowproof::render::json::Document;

use super::{EXIT_OK, out};

/// The commands that write JSON.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Reporting {
    Check,
    Fmt,
    Init,
    Verify,
    Contradictions,
    Gen,
    Report,
    Graph,
    Diff,
    Timeline,
    Pin,
}

impl Reporting {
    /// The command's name as typed.
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

#[derive(clap::Args)]
#[command(
    after_help = "Every JSON document flowproof writes begins with \"format\": \"flowproof/1\"; keys may \
be added within a format, and a change that removes or retypes one gets a new format name. The \
schemas are JSON Schema 2020-12.\n\n\
Examples:\n  flowproof schema verify > verify.schema.json\n  \
flowproof schema check | python3 -m json.tool"
)]
pub struct Args {
    /// The command whose `--format json` output to describe.
    #[arg(value_enum)]
    command: Reporting,
}

/// The `generate --format json` output: either kind of nation.
#[derive(JsonSchema)]
#[allow(dead_code)]
#[serde(untagged)]
enum Generated {
    Nation(Document<flowproof::generate::Nation>),
    Varied(Document<flowproof::generate::VariedNation>),
}

/// The schema of `T` as flowproof writes it: a key that is always written is
/// required, even when its value may be null.
fn written<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The JSON Schema of `command --format json`.
pub fn schema(command: Reporting) -> Schema {
    let mut schema = match command {
        Reporting::Check => written::<Document<super::check::JsonCheckReport>>(),
        Reporting::Fmt => written::<Document<super::fmt::JsonFmtReport>>(),
        Reporting::Init => written::<Document<super::init::JsonInit>>(),
        Reporting::Verify => written::<Document<flowproof::render::json::JsonReport>>(),
        Reporting::Contradictions => {
            written::<Document<super::contradictions::JsonContradictions>>()
        }
        Reporting::Gen => written::<Generated>(),
        Reporting::Report => written::<Document<super::report::JsonReportWritten>>(),
        Reporting::Graph => written::<Document<super::graph::JsonGraph>>(),
        Reporting::Diff => written::<Document<super::diff::JsonDiff>>(),
        Reporting::Timeline => written::<Document<super::timeline::JsonTimeline>>(),
        Reporting::Pin => written::<Document<super::pin::JsonPin>>(),
    };
    schema.insert(
        "title".into(),
        format!("flowproof {} --format json", command.name()).into(),
    );
    schema
}

pub fn run(args: &Args) -> u8 {
    let text = serde_json::to_string_pretty(&schema(args.command)).unwrap_or_default();
    out!("{text}\n");
    EXIT_OK
}
