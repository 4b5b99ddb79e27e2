//! Text → syntax tree: the lexer, the generated parser, and the conversion of their
//! errors into diagnostics.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod print;
pub mod token;

use lalrpop_util::lalrpop_mod;

use crate::span::{FileId, Span};
use crate::syntax::ast::{BinOp, Formula, FormulaKind};
use crate::syntax::error::SyntaxError;

lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, clippy::unwrap_used, unused)]
    grammar,
    "/flow.rs"
);

/// A claim attribute, gathered in the grammar before it builds the claim.
pub(crate) enum ClaimAttr {
    Cite(Vec<ast::Name>),
    Quote(crate::span::Spanned<String>),
}

pub(crate) fn bin(op: BinOp, a: Formula, b: Formula, span: Span) -> Formula {
    Formula::new(FormulaKind::Binary(op, Box::new(a), Box::new(b)), span)
}

/// Parses one file. Always returns a tree (declarations that could not be read are
/// [`ast::Decl::Error`]) and every syntax error found, in source order.
pub fn parse(text: &str, file: FileId) -> (ast::File, Vec<SyntaxError>) {
    let mut lex_errors = Vec::new();
    let mut recovered = Vec::new();
    let result = {
        let lexer = lexer::Lexer::new(text, file, &mut lex_errors);
        grammar::FileParser::new().parse(file, &mut recovered, lexer)
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
        let lexer = lexer::Lexer::new(text, file, &mut lex_errors);
        grammar::FormulaParser::new().parse(file, &mut recovered, lexer)
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
