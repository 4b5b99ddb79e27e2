//! Hover: the name at a position → what it stands for, in Markdown: its declaration,
//! what the model knows of it (an agency's kind and parents, a param's ground
//! instances, a source's title, date and quote, ...) and the comments above it.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::document::Document;
use super::index::{Namespace, Target};
use super::text::Encoding;
use crate::model::Model;

/// What the name at `offset` stands for, over the name's range.
pub(super) fn hover(doc: &Document, offset: usize, enc: Encoding) -> Option<Hover> {
    let a = &doc.analysis;
    let occurrence = a.index.at(a.root, offset)?;
    let mut out = String::new();
    let model = a.checked.model.as_ref();
    match &occurrence.target {
        Target::Global(ns, name) => {
            let def = a.index.defs.get(&(*ns, name.clone()))?;
            out.push_str(&format!("```flow\n{}\n```\n", def.text));
            if let Some(model) = model {
                out.push_str(&describe(model, *ns, name));
            }
            if *ns == Namespace::Source
                && let Some(passage) = a.pinpoint_at(occurrence.span)
            {
                out.push_str(&format!("\nCited here for the words:\n\n> {passage}\n"));
            }
            let comments = comments_above(a.file_text(def.decl.file), def.decl.start as usize);
            if !comments.is_empty() {
                out.push_str("\n---\n");
                out.push_str(&comments);
            }
        }
        Target::Local(binding) => {
            let var = a.index.var(binding)?;
            out.push_str(&format!("```flow\n{}: {}\n```\n", var.name, var.kind));
            out.push_str("A variable of this declaration");
            if let Some(model) = model
                && let Some(kind) = model.kinds.iter().position(|k| k.name == var.kind)
            {
                let names = agency_names(model, crate::model::KindId::from_index(kind));
                out.push_str(&format!(
                    ": one instance for each of the {} agencies of kind `{}` ({})",
                    names.len(),
                    var.kind,
                    listed(&names, 12)
                ));
            }
            out.push_str(".\n");
        }
    }
    let range = a.span_range(occurrence.span, enc);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: out,
        }),
        range: Some(range),
    })
}

/// A declaration's label as the first line of its hover, or nothing.
fn label_line(label: &Option<String>) -> String {
    label
        .as_ref()
        .map(|l| format!("**{l}**\n\n"))
        .unwrap_or_default()
}

/// The names of the agencies of a kind, in declaration order.
fn agency_names(model: &Model, kind: crate::model::KindId) -> Vec<&str> {
    model
        .agencies_of(kind)
        .map(|id| model.agency(id).name.as_str())
        .collect()
}

/// A list of names, the first `max` of them and how many more.
fn listed(names: &[&str], max: usize) -> String {
    let shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    let mut out = shown.join(", ");
    if names.len() > max {
        out.push_str(&format!(", and {} more", names.len() - max));
    }
    out
}

/// What the model knows about a name, in Markdown.
fn describe(model: &Model, ns: Namespace, name: &str) -> String {
    match ns {
        Namespace::Agency => {
            let Some(a) = model.agencies.iter().find(|a| a.name == name) else {
                return String::new();
            };
            let mut out = label_line(&a.label);
            out.push_str(&format!("An agency of kind `{}`", model.kind(a.kind).name));
            let mut chain = Vec::new();
            let mut parent = a.parent;
            while let Some(p) = parent {
                if chain.len() > model.agencies.len() {
                    break;
                }
                chain.push(format!("`{}`", model.agency(p).name));
                parent = model.agency(p).parent;
            }
            if chain.is_empty() {
                out.push_str(", with no parent.\n");
            } else {
                out.push_str(&format!(", in {}.\n", chain.join(", in ")));
            }
            out
        }
        Namespace::Param => {
            let Some(p) = model.params.iter().find(|p| p.name == name) else {
                return String::new();
            };
            let per_kind: Vec<Vec<&str>> = p.args.iter().map(|k| agency_names(model, *k)).collect();
            let count = per_kind
                .iter()
                .map(Vec::len)
                .fold(1usize, usize::saturating_mul);
            // the first few tuples, last argument fastest
            let instances: Vec<String> = (0..count.min(12))
                .map(|mut i| {
                    let mut args = vec![""; per_kind.len()];
                    for (k, names) in per_kind.iter().enumerate().rev() {
                        args[k] = names[i % names.len()];
                        i /= names.len();
                    }
                    if args.is_empty() {
                        format!("`{name}`")
                    } else {
                        format!("`{name}({})`", args.join(", "))
                    }
                })
                .collect();
            let mut out = label_line(&p.label);
            out.push_str(&format!(
                "A yes/no fact left open: {count} ground instance{}",
                if count == 1 { "" } else { "s" }
            ));
            if count > 0 {
                out.push_str(&format!(": {}", instances.join(", ")));
                if count > instances.len() {
                    out.push_str(&format!(", and {} more", count - instances.len()));
                }
            }
            out.push_str(".\n");
            if p.optout.is_some() {
                out.push_str("\nDeclared by an opt-out: true where the agency opts out.\n");
            }
            out
        }
        Namespace::Source => {
            let Some(s) = model.sources.iter().find(|s| s.name == name) else {
                return String::new();
            };
            let mut out = String::new();
            if let Some(title) = &s.title {
                out.push_str(&format!("**{title}**"));
            }
            if let Some(date) = s.date {
                out.push_str(&format!(" ({date})"));
            }
            out.push('\n');
            if let Some(url) = &s.url {
                out.push_str(&format!("\n{url}\n"));
            }
            if let Some(quote) = &s.quote {
                out.push_str(&format!("\n> {quote}\n"));
            }
            if let Some(document) = &s.document {
                out.push_str(&format!(
                    "\nDocument: `{document}` (quotations are checked against it)\n"
                ));
            }
            out
        }
        Namespace::Kind => {
            let Some(k) = model.kinds.iter().position(|k| k.name == name) else {
                return String::new();
            };
            let names = agency_names(model, crate::model::KindId::from_index(k));
            format!(
                "{}A kind with {} agenc{}: {}.\n",
                label_line(&model.kinds[k].label),
                names.len(),
                if names.len() == 1 { "y" } else { "ies" },
                listed(&names, 12)
            )
        }
        Namespace::Claim => {
            let Some(c) = model.claims.iter().find(|c| c.name == name) else {
                return String::new();
            };
            let mut out = String::new();
            if let Some(title) = &c.title {
                out.push_str(&format!("**{title}**\n"));
            }
            if let Some(quote) = &c.quote {
                out.push_str(&format!("\n> {quote}\n"));
            }
            if let Some(said) = crate::render::text::statement(c) {
                out.push_str(&format!("\n{said}\n"));
            }
            if let Some(note) = &c.info.note {
                out.push_str(&format!("\nNote: {note}\n"));
            }
            out
        }
        Namespace::Data => {
            let Some(d) = model.data.iter().position(|d| d.name == name) else {
                return String::new();
            };
            let id = crate::model::DataId::from_index(d);
            let collected: Vec<String> = model
                .collects
                .iter()
                .filter(|c| c.data == id)
                .map(|c| endpoint_words(model, &c.info, &c.at))
                .collect();
            let derived: Vec<String> = model
                .derives
                .iter()
                .filter(|r| r.data == id)
                .map(|r| {
                    format!(
                        "from `{}` at {}",
                        model.data_name(r.from),
                        endpoint_words(model, &r.info, &r.at)
                    )
                })
                .collect();
            let flows = model.flows.iter().filter(|f| f.data == id).count();
            let mut out = String::new();
            if !collected.is_empty() {
                out.push_str(&format!("Collected at {}.\n", collected.join("; ")));
            }
            if !derived.is_empty() {
                out.push_str(&format!("Derived {}.\n", derived.join("; ")));
            }
            out.push_str(&format!(
                "Moved by {flows} flow rule{}.\n",
                if flows == 1 { "" } else { "s" }
            ));
            out
        }
    }
}

/// An endpoint in words: "every `county`", or the agency term.
fn endpoint_words(
    model: &Model,
    info: &crate::model::RuleInfo,
    e: &crate::model::Endpoint,
) -> String {
    fn term(model: &Model, info: &crate::model::RuleInfo, t: &crate::model::Term) -> String {
        match t {
            crate::model::Term::Agency(a) => model.agency(*a).name.clone(),
            crate::model::Term::Var(v) => info.var(*v).name.clone(),
            crate::model::Term::Origin => "origin".to_owned(),
            crate::model::Term::Parent(inner) => format!("parent({})", term(model, info, inner)),
        }
    }
    match e {
        crate::model::Endpoint::Bind(v) => {
            format!("every `{}`", model.kind(info.var(*v).kind).name)
        }
        crate::model::Endpoint::Term(t) => format!("`{}`", term(model, info, t)),
    }
}

/// The `//` comment lines just above the line holding `offset`, without the slashes.
fn comments_above(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = before[..line_start]
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with("//"))
        .take(12)
        .map(|l| l.trim_start().trim_start_matches('/').trim())
        .collect();
    lines.reverse();
    lines.join("\n")
}
