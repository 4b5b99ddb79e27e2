//! The analysis of an open document: its text → the checked model, the syntax trees
//! of it and its imports, the index of their names and their line starts, with the
//! conversions between byte offsets and the protocol's positions and locations.

use std::collections::HashSet;
use std::path::PathBuf;

use lsp_types::{DiagnosticSeverity, Location, Position, Uri};

use super::index::Index;
use super::text::{Encoding, LineIndex, path_to_uri};
use crate::check::{self, Checked};
use crate::limits::Limits;
use crate::span::{FileId, Span};
use crate::syntax::ast;

/// One open document and what is known about it.
pub(super) struct Document {
    pub(super) uri: Uri,
    pub(super) path: PathBuf,
    pub(super) text: String,
    pub(super) analysis: Analysis,
    /// Verdicts shown on claims since the last change: the claim name's span, the
    /// severity and the message.
    pub(super) verdicts: Vec<(Span, DiagnosticSeverity, String)>,
    /// The URIs diagnostics were last published to for this document.
    pub(super) published: HashSet<String>,
}

/// A document checked: its diagnostics and model, the syntax trees of it and its
/// imports, and the index of their names.
pub(super) struct Analysis {
    pub(super) checked: Checked,
    trees: Vec<(FileId, ast::File)>,
    pub(super) index: Index,
    pub(super) root: FileId,
    /// The line starts of each file, by file id.
    lines: Vec<LineIndex>,
}

impl Analysis {
    /// The passage pinpointed by the citation whose source name is at `span`
    /// (`cite S "passage"`), if it has one.
    pub(super) fn pinpoint_at(&self, span: Span) -> Option<String> {
        let cites = |d: &ast::Decl| -> Vec<ast::Cite> {
            match d {
                ast::Decl::Flow(f) => f.cites.clone(),
                ast::Decl::Collect(c) => c.cites.clone(),
                ast::Decl::Derive(d) => d.cites.clone(),
                ast::Decl::Optout(o) => o.cites.clone(),
                ast::Decl::Assume(a) => a.cites.clone(),
                ast::Decl::Claim(c) => c.cites.clone(),
                ast::Decl::Reading(r) => r
                    .cites
                    .iter()
                    .chain(r.assumes.iter().flat_map(|a| a.cites.iter()))
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            }
        };
        self.trees
            .iter()
            .filter(|(id, _)| *id == span.file)
            .flat_map(|(_, tree)| tree.decls.iter())
            .flat_map(cites)
            .find(|c| c.source.span.start == span.start)
            .and_then(|c| c.pinpoint.map(|p| p.node))
    }

    pub(super) fn new(path: &std::path::Path, text: &str, limits: &Limits) -> Analysis {
        let checked = check::check_text_limited(path, text, limits);
        let trees: Vec<(FileId, ast::File)> = checked
            .sources
            .iter()
            .map(|(id, file)| {
                (
                    id,
                    crate::syntax::parse_limited(&file.text, id, limits.max_depth).0,
                )
            })
            .collect();
        let refs: Vec<(FileId, &ast::File)> = trees.iter().map(|(id, t)| (*id, t)).collect();
        let index = Index::build(&refs);
        let root = checked.root.unwrap_or(FileId(0));
        let lines = checked
            .sources
            .iter()
            .map(|(_, f)| LineIndex::new(&f.text))
            .collect();
        Analysis {
            checked,
            trees,
            index,
            root,
            lines,
        }
    }

    /// The protocol's range for bytes `start..end` of `file`.
    pub(super) fn range(
        &self,
        file: FileId,
        start: usize,
        end: usize,
        enc: Encoding,
    ) -> lsp_types::Range {
        let text = self.file_text(file);
        match self.lines.get(file.0 as usize) {
            Some(lines) => lines.range(text, start, end, enc),
            None => LineIndex::new(text).range(text, start, end, enc),
        }
    }

    pub(super) fn span_range(&self, span: Span, enc: Encoding) -> lsp_types::Range {
        self.range(span.file, span.start as usize, span.end as usize, enc)
    }

    pub(super) fn root_tree(&self) -> Option<&ast::File> {
        self.trees
            .iter()
            .find(|(id, _)| *id == self.root)
            .map(|(_, t)| t)
    }

    pub(super) fn file_text(&self, file: FileId) -> &str {
        self.checked.sources.get(file).map_or("", |f| &f.text)
    }
}

impl Document {
    /// The URI of one of the document's files: the document itself, or an import.
    pub(super) fn uri_of(&self, file: FileId) -> Uri {
        if file == self.analysis.root {
            return self.uri.clone();
        }
        path_to_uri(self.analysis.checked.sources.path(file)).unwrap_or_else(|| self.uri.clone())
    }

    /// The byte offset in the document's text of a position the client sent.
    pub(super) fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let a = &self.analysis;
        match a.lines.get(a.root.0 as usize) {
            Some(lines) => lines.offset(&self.text, pos, enc),
            None => LineIndex::new(&self.text).offset(&self.text, pos, enc),
        }
    }

    pub(super) fn location(&self, span: Span, enc: Encoding) -> Location {
        let range = self.analysis.span_range(span, enc);
        Location::new(self.uri_of(span.file), range)
    }
}
