//! The formatter: one canonical layout for a policy file, with its comments kept.
//!
//! Declarations are laid out from the syntax tree, so two files with the same tree
//! come out the same whatever their spacing; only comments and blank lines between
//! declarations (at most one) are taken from the text. A declaration stays on one
//! line when it fits in [`WIDTH`] columns; otherwise its clauses (`when`, `cite`,
//! a claim's title, `cite` and `quote`) go on lines of their own, and a formula
//! breaks before its loosest operators. Optouts always put each clause on its own
//! line, and a claim's formula always starts a line.
//!
//! A comment stays before the token it was before, or at the end of the line it
//! ended; trailing comments on neighbouring one-line declarations are aligned.
//! [`format_text`] refuses a file with syntax errors, and checks its own output
//! (same tree, same comments) before handing it back.
//!
//! This file holds the public API and that check; the layout is made in the steps below
//! it, in order: `comments` (scanning the text), `printer` (placing comments around
//! the tokens laid out), `formula` and `decl` (laying out formulas and declarations),
//! `layout` (a whole file), and `write` (the file on disk, replaced atomically).

mod comments;
mod decl;
mod formula;
mod layout;
mod printer;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::source::SourceMap;
use crate::span::FileId;
use crate::syntax::error::SyntaxError;

pub use comments::{Comment, scan};
pub use write::{WriteError, write_in_place};

/// The line width the layout aims for.
pub const WIDTH: usize = 100;

/// Why a file could not be formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse; the formatter does not guess.
    Syntax(Vec<SyntaxError>),
    /// The formatted text would not mean the same, or would lose a comment. A bug in
    /// the formatter; the file is left alone.
    Internal(String),
}

/// Formats policy text. The text must parse without errors.
pub fn format_text(text: &str) -> Result<String, FormatError> {
    format_text_limited(text, &Limits::default())
}

/// [`format_text`] with the nesting limit of `limits`.
pub fn format_text_limited(text: &str, limits: &Limits) -> Result<String, FormatError> {
    format_in(text, FileId(0), limits)
}

/// Lays out a file parsed without errors, then checks the result: the same tree, the
/// same comments.
fn format_in(text: &str, file: FileId, limits: &Limits) -> Result<String, FormatError> {
    let (tree, errors) = crate::syntax::parse_limited(text, file, limits.max_depth);
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let out = layout::layout(text, &tree);
    // the promise, checked before anyone relies on it
    let (again, errors) = crate::syntax::parse_limited(&out, file, limits.max_depth);
    if !errors.is_empty() || again != tree {
        return Err(FormatError::Internal(
            "the formatted text does not parse to the same declarations".to_owned(),
        ));
    }
    let before: Vec<String> = scan(text).0.into_iter().map(|c| c.text).collect();
    let after: Vec<String> = scan(&out).0.into_iter().map(|c| c.text).collect();
    if before != after {
        return Err(FormatError::Internal(
            "the formatted text does not keep every comment".to_owned(),
        ));
    }
    Ok(out)
}

/// The formatting of one file, with whatever stopped it.
pub struct Formatted {
    pub path: PathBuf,
    pub sources: SourceMap,
    /// The text as read, when it could be read.
    pub original: Option<Arc<str>>,
    /// The canonical text, when the file parses.
    pub formatted: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Formatted {
    /// Whether formatting changes the file.
    pub fn changed(&self) -> bool {
        match (&self.original, &self.formatted) {
            (Some(original), Some(formatted)) => **original != **formatted,
            _ => false,
        }
    }
}

/// The formatter found its own output wanting; the file is left alone.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{path}` was not formatted: {reason}")]
#[diagnostic(
    code(flowproof::fmt::internal),
    help(
        "the file was left as it was; this is a bug in flowproof, please report it with the file"
    )
)]
pub struct FormatBug {
    pub path: String,
    pub reason: String,
}

/// Reads the file at `path` (on its own: imports are not followed) and formats it.
pub fn format_file(path: &Path, limits: &Limits) -> Formatted {
    let mut sources = SourceMap::new();
    match crate::check::read_file(path, limits, &mut sources) {
        Ok(id) => {
            let text = sources.get(id).map(|f| f.text.clone());
            match text {
                Some(text) => finish(path, sources, id, text, limits),
                None => Formatted {
                    path: path.to_path_buf(),
                    sources,
                    original: None,
                    formatted: None,
                    diagnostics: Vec::new(),
                },
            }
        }
        Err(diag) => Formatted {
            path: path.to_path_buf(),
            sources,
            original: None,
            formatted: None,
            diagnostics: vec![diag],
        },
    }
}

/// Formats text held in memory, as the file at `path` (an editor's buffer, or
/// standard input).
pub fn format_source(path: &Path, text: &str, limits: &Limits) -> Formatted {
    let mut sources = SourceMap::new();
    let text: Arc<str> = Arc::from(text);
    let id = sources.add(path.to_path_buf(), text.clone());
    finish(path, sources, id, text, limits)
}

fn finish(
    path: &Path,
    sources: SourceMap,
    id: FileId,
    text: Arc<str>,
    limits: &Limits,
) -> Formatted {
    let mut diagnostics = Vec::new();
    let formatted = match format_in(&text, id, limits) {
        Ok(out) => Some(out),
        Err(FormatError::Syntax(errors)) => {
            diagnostics.extend(errors.into_iter().map(|e| Diagnostic::new(id, e)));
            None
        }
        Err(FormatError::Internal(reason)) => {
            diagnostics.push(Diagnostic::without_file(FormatBug {
                path: path.display().to_string(),
                reason,
            }));
            None
        }
    };
    Formatted {
        path: path.to_path_buf(),
        sources,
        original: Some(text),
        formatted,
        diagnostics,
    }
}
