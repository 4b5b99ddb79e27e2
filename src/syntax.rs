//! Text → syntax tree: the lexer, the generated parser, and the conversion of their
//! errors into diagnostics.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod print;
pub mod token;

use lalrpop_util::{ErrorRecovery, ParseError, lalrpop_mod};

use crate::limits::Limits;
use crate::span::{FileId, Span, Spanned};
use crate::syntax::ast::{BinOp, Formula, FormulaKind};
use crate::syntax::error::SyntaxError;
use crate::syntax::lexer::LexError;
use crate::syntax::token::{LexErrorKind, Tok};

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, clippy::unwrap_used, unused)]
    grammar,
    "/flow.rs"
);

/// An attribute of a rule or claim, gathered in the grammar before it builds the
/// declaration; the span is the keyword's.
pub(crate) enum Attr {
    Cite(Vec<ast::Cite>),
    Note(Spanned<String>, Span),
    Quote(Spanned<String>, Span),
    By(Spanned<String>, Span),
    Said(Spanned<ast::Date>, Span),
}

type Recovered<'s> = Vec<ErrorRecovery<usize, Tok<'s>, LexError>>;

/// A claim's attributes, sorted out.
pub(crate) struct ClaimAttrs {
    pub cites: Vec<ast::Cite>,
    pub quote: Option<Spanned<String>>,
    pub note: ast::Note,
    pub by: Option<Spanned<String>>,
    pub said: Option<Spanned<ast::Date>>,
}

/// Sets `slot` (the value and its keyword) once; a second time is reported at the
/// second keyword, with the first one labelled, and the first value kept.
fn once<T>(slot: &mut Option<(T, Span)>, value: T, keyword: Span, errors: &mut Recovered<'_>) {
    if let Some((_, first)) = slot {
        errors.push(ErrorRecovery {
            error: ParseError::User {
                error: LexError {
                    kind: LexErrorKind::Repeated { first: *first },
                    span: keyword,
                },
            },
            dropped_tokens: Vec::new(),
        });
    } else {
        *slot = Some((value, keyword));
    }
}

/// A claim's attributes in any order: every `cite` list joined, the rest at most once.
pub(crate) fn claim_attrs(attrs: Vec<Attr>, errors: &mut Recovered<'_>) -> ClaimAttrs {
    let mut cites = Vec::new();
    let (mut quote, mut note, mut by, mut said) = (None, None, None, None);
    for attr in attrs {
        match attr {
            Attr::Cite(mut more) => cites.append(&mut more),
            Attr::Note(s, k) => once(&mut note, s, k, errors),
            Attr::Quote(s, k) => once(&mut quote, s, k, errors),
            Attr::By(s, k) => once(&mut by, s, k, errors),
            Attr::Said(d, k) => once(&mut said, d, k, errors),
        }
    }
    ClaimAttrs {
        cites,
        quote: quote.map(|(v, _)| v),
        note: note.map(|(v, _)| v),
        by: by.map(|(v, _)| v),
        said: said.map(|(v, _)| v),
    }
}

/// A rule's attributes (the grammar admits only `cite` and `note` there).
pub(crate) fn rule_attrs(
    attrs: Vec<Attr>,
    errors: &mut Recovered<'_>,
) -> (Vec<ast::Cite>, ast::Note) {
    let all = claim_attrs(attrs, errors);
    (all.cites, all.note)
}

pub(crate) fn bin(op: BinOp, a: Formula, b: Formula, span: Span) -> Formula {
    Formula::new(FormulaKind::Binary(op, Box::new(a), Box::new(b)), span)
}

/// Refuses a formula deeper than `max_depth`; the parser then stops, so no tree
/// deeper than the limit is ever built.
pub(crate) fn nest<'s>(
    formula: Formula,
    max_depth: u32,
) -> Result<Formula, ParseError<usize, Tok<'s>, LexError>> {
    if formula.height() <= max_depth {
        return Ok(formula);
    }
    // point at the operator's first character rather than the whole formula
    let start = formula.span.start as usize;
    Err(ParseError::User {
        error: LexError {
            kind: LexErrorKind::TooDeep { limit: max_depth },
            span: Span::new(formula.span.file, start, start + 1),
        },
    })
}

/// Parses one file with the default limits. Always returns a tree (declarations that
/// could not be read are [`ast::Decl::Error`]) and every syntax error found, in source
/// order.
pub fn parse(text: &str, file: FileId) -> (ast::File, Vec<SyntaxError>) {
    parse_limited(text, file, Limits::default().max_depth)
}

/// [`parse`], refusing brackets or formulas nested deeper than `max_depth`: parsing
/// stops at the first such place, with a `flowproof::limit::depth` error.
pub fn parse_limited(text: &str, file: FileId, max_depth: u32) -> (ast::File, Vec<SyntaxError>) {
    let mut lex_errors = Vec::new();
    let mut recovered = Vec::new();
    let result = {
        let lexer = lexer::Lexer::new(text, file, &mut lex_errors).max_depth(max_depth);
        grammar::FileParser::new().parse(file, max_depth, &mut recovered, lexer)
    };
    let (tree, fatal) = match result {
        Ok(tree) => (tree, None),
        Err(err) => (ast::File { decls: Vec::new() }, Some(err)),
    };
    let errors = error::collect(file, text, lex_errors, recovered, fatal);
    (tree, errors)
}

/// Parses a lone formula (for tests and tools).
pub fn parse_formula(text: &str, file: FileId) -> Result<Formula, Vec<SyntaxError>> {
    let mut lex_errors = Vec::new();
    let mut recovered = Vec::new();
    let result = {
        let max_depth = Limits::default().max_depth;
        let lexer = lexer::Lexer::new(text, file, &mut lex_errors).max_depth(max_depth);
        grammar::FormulaParser::new().parse(file, max_depth, &mut recovered, lexer)
    };
    let (tree, fatal) = match result {
        Ok(tree) => (Some(tree), None),
        Err(err) => (None, Some(err)),
    };
    let errors = error::collect(file, text, lex_errors, recovered, fatal);
    match tree {
        Some(tree) if errors.is_empty() => Ok(tree),
        _ => Err(errors),
    }
}
