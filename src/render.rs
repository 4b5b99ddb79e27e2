//! Every rendering, in one place: what the library returns, drawn for people or tools.
//!
//! - [`text`] and [`json`]: `verify` in the style of `cargo test`, and the JSON of the
//!   output contract; [`story`] tells a path in plain English;
//! - [`diagnostic`]: miette's reports and their JSON;
//! - [`diff`], [`timeline`], [`contradictions`], [`pin`]: those commands' text;
//! - [`graph`] (the flow graph as a view) drawn by [`dot`], [`mermaid`] and [`svg`];
//! - [`html`]: the report page, which uses most of the above.

pub mod chain;
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
    let origin = model.agency_shown(path.origin);
    let steps = path.shown(model, sources, None);
    if steps.is_empty() {
        let data = model.data_shown(path.data);
        return vec![format!(
            "{origin} collects the {data} itself, so it has them from the start."
        )];
    }
    steps
        .iter()
        .map(|s| {
            let cites = s.cites_shown();
            let place = if cites.is_empty() {
                format!("{}:{}", s.file, s.line)
            } else {
                format!("{}:{}, citing {}", s.file, s.line, join_words(&cites))
            };
            let (data, to, from) = (s.data_shown(), s.to_shown(), s.from_shown());
            let sentence = match s.derived_from_shown() {
                Some(derived) => {
                    let whose = if s.origin == s.to {
                        "its own".to_owned()
                    } else {
                        format!("{}'s", s.origin_shown())
                    };
                    format!("At {to}, the {data} is derived from {whose} {derived} ({place}).")
                }
                None if s.origin == s.from => {
                    format!("{from} sends its own {data} to {to} ({place}).")
                }
                None => format!(
                    "{from} passes {}'s {data} on to {to} ({place}).",
                    s.origin_shown()
                ),
            };
            let sentence = capitalized(&sentence);
            match &s.note {
                Some(note) => format!("{sentence} Why: {note}"),
                None => sentence,
            }
        })
        .collect()
}

/// A sentence starting with a capital, as a label starting with "the" would not.
fn capitalized(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How a witness's scenario reads: the params it needs, true, each as people read it
/// (joined by `sep`, each passed through `quote`), and how every other param is set.
pub fn scenario(
    r: &crate::verify::Verified,
    w: &crate::verdict::Witness,
    sep: &str,
    quote: impl Fn(String) -> String,
) -> String {
    if w.params.is_empty() {
        return "the file has no params, so there is only one scenario".to_owned();
    }
    let shown = |set: &mut dyn Iterator<Item = &usize>| -> Vec<String> {
        set.map(|i| quote(r.param_shown(*i))).collect()
    };
    let own = shown(&mut w.needed.iter().filter(|i| !w.required.contains(i)));
    let required = shown(&mut w.required.iter());
    scenario_words(w.params.len(), &own, &required, w.minimal, sep)
}

/// What joins the params of a scenario shown to people: labels are sentences, so a
/// semicolon reads better between them than a comma.
pub fn param_separator(model: &Model) -> &'static str {
    if model.params.iter().any(|p| p.label.is_some()) {
        "; "
    } else {
        ", "
    }
}

/// A scenario in words from its parts: the true params of its own (`own`), those the
/// assumptions require, whether the set is subset-minimal, and how many params the
/// file has; every other param is said to be false.
pub fn scenario_words(
    count: usize,
    own: &[String],
    required: &[String],
    minimal: bool,
    sep: &str,
) -> String {
    if count == 0 {
        return "the file has no params, so there is only one scenario".to_owned();
    }
    let needed = match (own.len() + required.len(), minimal) {
        (0, _) => return "every param false".to_owned(),
        (1, _) => "needed",
        (_, true) => "all needed",
        (_, false) => "none can be spared alone",
    };
    let (own, required) = (own.join(sep), required.join(sep));
    let facts = match (own.is_empty(), required.is_empty()) {
        (false, true) => own,
        (false, false) => format!("{own}; the assumptions require {required}"),
        (true, _) => format!("{required}, which the assumptions require"),
    };
    format!("{facts} ({needed}; every other param false)")
}

/// The instance of the claim's leading quantifier a witness shows, as people read it:
/// "c = SanFrancisco" (None when the claim starts with no such quantifier).
pub fn instance(model: &Model, claim: usize, w: &crate::verdict::Witness) -> Option<String> {
    if w.instance.is_empty() {
        return None;
    }
    let info = &model.claims.get(claim)?.info;
    Some(
        w.instance
            .iter()
            .map(|(v, a)| format!("{} = {}", info.var(*v).name, model.agency_shown(*a)))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
