//! Resolution: parsed files → the checked [`Model`]. Every name is looked up, every
//! param application kind-checked, and every error reported (the checker keeps going
//! after an error, leaving the offending piece out of the model).
//!
//! The steps are files under `resolve/`, each calling only the steps before it:
//! 1. `names`: every top-level name declared once, into the symbol table and the model;
//! 2. `lookup`: a name as written looked up as one sort, or reported with a suggestion;
//!    citations marked;
//! 3. `declarations`: the policy header, agencies' kinds and parents, params' argument
//!    kinds, sources' fields;
//! 4. `terms`: a rule's scope, and the terms and endpoints in it;
//! 5. `kinds`: param applications kind-checked, those mentioning `origin` at the end;
//! 6. `formulas`: formulas and guards;
//! 7. `rules`: collects, flows, derives, opt-outs, assumptions and claims.
//!
//! [`Resolver::run`] holds the order of the passes over the files.

mod declarations;
mod formulas;
mod kinds;
mod lookup;
mod names;
mod rules;
mod terms;

use std::collections::HashMap;

use crate::check::error::CheckError;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::span::{FileId, Span};
use crate::syntax::ast;
use kinds::OriginCheck;
use names::Symbol;

pub(crate) struct Resolver<'d> {
    sources: &'d crate::source::SourceMap,
    model: Model,
    diagnostics: &'d mut Vec<Diagnostic>,
    symbols: HashMap<String, (Symbol, Span)>,
    origin_checks: Vec<OriginCheck>,
    /// for each source, whether anything cites it
    cited: Vec<bool>,
    /// the readings declared so far (their names are a namespace of their own)
    readings: HashMap<String, Span>,
}

impl<'d> Resolver<'d> {
    pub(crate) fn new(
        sources: &'d crate::source::SourceMap,
        diagnostics: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Resolver {
            sources,
            model: Model::default(),
            diagnostics,
            symbols: HashMap::new(),
            origin_checks: Vec::new(),
            cited: Vec::new(),
            readings: HashMap::new(),
        }
    }

    fn error(&mut self, span: Span, err: CheckError) {
        self.diagnostics.push(Diagnostic::new(span.file, err));
    }

    /// Resolves every file's declarations into one model.
    /// Returns the model and, for each source, whether anything cites it.
    pub(crate) fn run(
        mut self,
        files: &[(FileId, ast::File)],
        root: Option<FileId>,
    ) -> (Model, Vec<bool>) {
        let decls: Vec<&ast::Decl> = files.iter().flat_map(|(_, f)| f.decls.iter()).collect();
        self.policy(files, root);
        self.declare(&decls);
        self.agencies(&decls);
        self.params(&decls);
        self.sources(&decls);
        for decl in &decls {
            self.rule(decl);
        }
        self.check_origin_params();
        (self.model, self.cited)
    }
}

/// A string of the file as the model keeps it: every output shows it, so control
/// characters and reordering marks are written as `\u{..}` escapes once, here.
fn shown(text: &str) -> String {
    crate::terminal::printable(text).into_owned()
}
