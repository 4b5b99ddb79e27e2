//! Completion: the tokens before the cursor → what fits there (declaration keywords,
//! kinds, agencies, data, sources, params, the variables in scope, formula keywords),
//! as completion items.

use std::collections::HashSet;

use lsp_types::{CompletionItem, CompletionItemKind};

use super::document::Document;
use super::index::{self, Namespace};
use crate::span::FileId;
use crate::syntax::lexer;
use crate::syntax::token::Tok;

/// Declaration keywords, offered where a declaration starts.
const DECL_KEYWORDS: &[&str] = &[
    "policy", "import", "source", "kind", "agency", "data", "param", "optout", "collect", "flow",
    "derive", "assume", "claim",
];

/// Keywords that can start a formula or a term.
const FORMULA_KEYWORDS: &[&str] = &[
    "true", "false", "forall", "exists", "reaches", "flows", "parent", "origin",
];

/// What fits at the cursor.
enum Slot {
    Declaration,
    Kind,
    Agency,
    Data,
    Source,
    /// an agency term: agencies, variables, `origin`, `parent`
    Term,
    Formula,
    /// a new name is being declared: nothing to offer
    NewName,
    Mode,
}

fn slot(before: &[Tok<'_>]) -> Slot {
    let back = |n: usize| before.len().checked_sub(n).and_then(|i| before.get(i));
    match back(1) {
        None | Some(Tok::Semi | Tok::RBrace) => Slot::Declaration,
        Some(
            Tok::Kind
            | Tok::Agency
            | Tok::Data
            | Tok::Param
            | Tok::Optout
            | Tok::Source
            | Tok::Claim,
        ) => Slot::NewName,
        Some(Tok::Cite) => Slot::Source,
        Some(Tok::Comma) => {
            // in a cite list, only names and commas go back to `cite`
            let in_cites = before
                .iter()
                .rev()
                .skip(1)
                .find(|t| !matches!(t, Tok::Ident(_) | Tok::Comma))
                .is_some_and(|t| *t == Tok::Cite);
            if in_cites { Slot::Source } else { Slot::Term }
        }
        Some(Tok::Flow | Tok::Collect | Tok::Blocks | Tok::Derive | Tok::From) => Slot::Data,
        Some(Tok::LParen) if matches!(back(2), Some(Tok::Reaches | Tok::Flows)) => Slot::Data,
        Some(Tok::In) => Slot::Agency,
        Some(Tok::Of | Tok::Arrow | Tok::At | Tok::EqEq | Tok::NotEq) => Slot::Term,
        Some(Tok::LParen) if matches!(back(2), Some(Tok::Parent)) => Slot::Term,
        Some(Tok::Colon) => match (back(2), back(3)) {
            (Some(Tok::Ident(_)), Some(Tok::Flow | Tok::Blocks)) => Slot::Term,
            (Some(Tok::Ident(_)), Some(Tok::Agency)) => Slot::Kind,
            (Some(Tok::Ident(_)), Some(Tok::LParen | Tok::Comma | Tok::Forall | Tok::Exists)) => {
                Slot::Kind
            }
            _ => Slot::Mode,
        },
        _ => Slot::Formula,
    }
}

/// The completions at `offset`: the names that fit there, with what each is.
pub(super) fn completions(doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let a = &doc.analysis;
    let prefix = &doc.text[..offset.min(doc.text.len())];
    let (mut toks, _) = lexer::tokens(prefix, FileId(0));
    // a word being typed is not context
    if let Some((_, Tok::Ident(_) | Tok::Error, end)) = toks.last()
        && *end == prefix.len()
    {
        toks.pop();
    }
    let before: Vec<Tok<'_>> = toks.into_iter().map(|(_, t, _)| t).collect();
    let mut items = Vec::new();
    let global = |ns: Namespace, kind: CompletionItemKind, items: &mut Vec<CompletionItem>| {
        let mut names: Vec<(&String, &index::Def)> = a
            .index
            .defs
            .iter()
            .filter(|((n, _), _)| *n == ns)
            .map(|((_, name), def)| (name, def))
            .collect();
        names.sort_by_key(|(name, _)| name.as_str());
        for (name, def) in names {
            items.push(CompletionItem {
                label: name.clone(),
                kind: Some(kind),
                detail: Some(def.text.clone()),
                ..CompletionItem::default()
            });
        }
    };
    let keywords = |words: &[&str], items: &mut Vec<CompletionItem>| {
        for w in words {
            items.push(CompletionItem {
                label: (*w).to_owned(),
                kind: Some(CompletionItemKind::KEYWORD),
                ..CompletionItem::default()
            });
        }
    };
    let vars = |items: &mut Vec<CompletionItem>| {
        let mut seen = HashSet::new();
        let scanned = binders_before(&before);
        let indexed = a
            .index
            .vars_at(a.root, offset)
            .into_iter()
            .map(|v| (v.name.clone(), v.kind.clone()));
        for (name, kind) in indexed.chain(scanned) {
            if seen.insert(name.clone()) {
                items.push(CompletionItem {
                    label: name,
                    kind: Some(CompletionItemKind::VARIABLE),
                    detail: Some(format!("variable of kind {kind}")),
                    ..CompletionItem::default()
                });
            }
        }
    };
    match slot(&before) {
        Slot::Declaration => keywords(DECL_KEYWORDS, &mut items),
        Slot::NewName => {}
        Slot::Kind => global(Namespace::Kind, CompletionItemKind::CLASS, &mut items),
        Slot::Agency => global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items),
        Slot::Data => global(Namespace::Data, CompletionItemKind::STRUCT, &mut items),
        Slot::Source => global(Namespace::Source, CompletionItemKind::REFERENCE, &mut items),
        Slot::Mode => keywords(&["always", "possible"], &mut items),
        Slot::Term => {
            vars(&mut items);
            global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items);
            keywords(&["origin", "parent"], &mut items);
        }
        Slot::Formula => {
            vars(&mut items);
            global(Namespace::Param, CompletionItemKind::FUNCTION, &mut items);
            global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items);
            keywords(FORMULA_KEYWORDS, &mut items);
        }
    }
    items
}

/// The variables bound so far in the declaration the cursor is in, read from its
/// tokens (so that they are found while the declaration does not parse yet).
fn binders_before(before: &[Tok<'_>]) -> Vec<(String, String)> {
    let start = before
        .iter()
        .rposition(|t| matches!(t, Tok::Semi | Tok::RBrace))
        .map_or(0, |i| i + 1);
    let decl = &before[start..];
    let mut out = Vec::new();
    for w in decl.windows(4) {
        if let [
            Tok::LParen | Tok::Comma | Tok::Forall | Tok::Exists,
            Tok::Ident(var),
            Tok::Colon,
            Tok::Ident(kind),
        ] = w
        {
            out.push(((*var).to_owned(), (*kind).to_owned()));
        }
    }
    out
}
