//! Every rendering, in one place: what the library returns, drawn for people or tools.
//!
//! - [`text`] and [`json`]: `verify` in the style of `cargo test`, and the JSON of the
//!   output contract; [`story`] tells a path in plain English;
//! - [`diagnostic`]: miette's reports and their JSON;
//! - [`diff`], [`timeline`], [`contradictions`], [`pin`]: those commands' text;
//! - [`graph`] (the flow graph as a view) drawn by [`dot`], [`mermaid`] and [`svg`];
//! - [`html`]: the report page, which uses most of the above.

pub mod contradictions;
pub mod diagnostic;
pub mod diff;
pub mod dot;
pub mod graph;
pub mod html;
pub mod json;
pub mod mermaid;
pub mod pin;
pub mod svg;
pub mod text;
pub mod timeline;

use crate::model::Model;
use crate::source::SourceMap;
use crate::verdict::Path;

/// A path as plain English, one sentence per hop, each ending with where the rule is
/// written and what it cites: "SanFrancisco sends the fingerprints it collected to CA
/// (base.flow:41, citing seed_002)."
pub fn story(model: &Model, sources: &SourceMap, path: &Path) -> Vec<String> {
    let origin = &model.agency(path.origin).name;
    let steps = path.shown(model, sources);
    if steps.is_empty() {
        let data = model.data_name(path.data);
        return vec![format!(
            "{origin} collects the {data} itself, so it has them from the start."
        )];
    }
    steps
        .iter()
        .map(|s| {
            let place = if s.cites.is_empty() {
                format!("{}:{}", s.file, s.line)
            } else {
                format!("{}:{}, citing {}", s.file, s.line, join_words(&s.cites))
            };
            match &s.derived_from {
                Some(from) => {
                    let whose = if s.origin == s.to {
                        "its own".to_owned()
                    } else {
                        format!("{}'s", s.origin)
                    };
                    format!(
                        "At {}, the {} is derived from {whose} {from} ({place}).",
                        s.to, s.data
                    )
                }
                None if s.origin == s.from => {
                    format!("{} sends its own {} to {} ({place}).", s.from, s.data, s.to)
                }
                None => format!(
                    "{} passes {}'s {} on to {} ({place}).",
                    s.from, s.origin, s.data, s.to
                ),
            }
        })
        .collect()
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
