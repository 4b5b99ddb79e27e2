//! Loading: a path → the text of it and of everything it imports, each file parsed.
//! Imports are resolved relative to the importing file, read once, and a cycle is an
//! error naming every file on it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::error::LoadError;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::span::{FileId, Span};
use crate::syntax::{self, ast};

/// The parsed files of one policy: the root first, then its imports in the order met.
pub struct Loaded {
    pub root: Option<FileId>,
    pub files: Vec<(FileId, ast::File)>,
}

struct Loader<'a> {
    sources: &'a mut SourceMap,
    diagnostics: &'a mut Vec<Diagnostic>,
    files: Vec<(FileId, ast::File)>,
    /// canonical path → file, for every file read so far
    seen: HashMap<PathBuf, FileId>,
    /// canonical paths of the files being loaded, outermost first
    stack: Vec<(PathBuf, PathBuf)>,
}

/// Reads and parses `path` (or `text`, standing for it) and, recursively, its imports.
pub fn load(
    path: &Path,
    text: Option<&str>,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Loaded {
    let mut loader = Loader {
        sources,
        diagnostics,
        files: Vec::new(),
        seen: HashMap::new(),
        stack: Vec::new(),
    };
    let bytes = match text {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => std::fs::read(path),
    };
    let root = match bytes {
        Ok(bytes) => Some(loader.file(path, bytes)),
        Err(err) => {
            loader
                .diagnostics
                .push(Diagnostic::without_file(LoadError::Unreadable {
                    path: path.display().to_string(),
                    reason: err.to_string(),
                }));
            None
        }
    };
    Loaded {
        root,
        files: loader.files,
    }
}

impl Loader<'_> {
    fn file(&mut self, path: &Path, bytes: Vec<u8>) -> FileId {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let (text, bad_utf8) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                (
                    String::from_utf8_lossy(err.as_bytes()).into_owned(),
                    Some(at),
                )
            }
        };
        let text: Arc<str> = Arc::from(text);
        let id = self.sources.add(path.to_path_buf(), text.clone());
        self.seen.insert(canonical.clone(), id);
        if let Some(at) = bad_utf8 {
            self.diagnostics.push(Diagnostic::new(
                id,
                LoadError::InvalidUtf8 {
                    path: path.display().to_string(),
                    span: Span::new(id, at, at + 1),
                },
            ));
            self.files.push((id, ast::File { decls: Vec::new() }));
            return id;
        }
        let (tree, errors) = syntax::parse(&text, id);
        self.diagnostics
            .extend(errors.into_iter().map(|e| Diagnostic::new(id, e)));
        let imports: Vec<(String, Span)> = tree
            .decls
            .iter()
            .filter_map(|d| match d {
                ast::Decl::Import(i) => Some((i.path.node.clone(), i.path.span)),
                _ => None,
            })
            .collect();
        self.files.push((id, tree));
        self.stack.push((canonical, path.to_path_buf()));
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for (import, span) in imports {
            self.import(&dir, &import, span);
        }
        self.stack.pop();
        id
    }

    fn import(&mut self, dir: &Path, import: &str, span: Span) {
        let path = dir.join(import);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.diagnostics.push(Diagnostic::new(
                    span.file,
                    LoadError::ImportNotFound {
                        path: path.display().to_string(),
                        reason: err.to_string(),
                        span,
                    },
                ));
                return;
            }
        };
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if let Some(pos) = self.stack.iter().position(|(c, _)| *c == canonical) {
            let mut names: Vec<String> = self.stack[pos..]
                .iter()
                .map(|(_, shown)| shown.display().to_string())
                .collect();
            names.push(path.display().to_string());
            self.diagnostics.push(Diagnostic::new(
                span.file,
                LoadError::ImportCycle {
                    cycle: names.join(" → "),
                    span,
                },
            ));
            return;
        }
        if self.seen.contains_key(&canonical) {
            return;
        }
        self.file(&path, bytes);
    }
}
