//! Loading: a path → the text of it and of everything it imports, each file parsed.
//! Imports are resolved relative to the importing file, read once, and a cycle is an
//! error naming every file on it.
//!
//! A policy may come from a stranger, so an import must be a relative path to a
//! regular file that stays, links resolved, inside the directory of the file given
//! (the root directory); and no file is read past the size limit.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::error::LoadError;
use crate::diagnostic::Diagnostic;
use crate::limits::{self, Limits};
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
    /// the directory of the file given, links resolved: no import leaves it
    root_dir: PathBuf,
    /// the same directory as the command line named it, for messages
    root_shown: String,
    limits: Limits,
}

/// Why a file could not be read.
enum ReadError {
    Io(std::io::Error),
    /// over the limit; the size if known
    TooLarge(Option<u64>),
}

/// Reads at most `max` bytes of `path` (`-`: standard input): a larger file (or an
/// endless one, like a device) is refused without reading the rest.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    // `-` is standard input, as for every tool that reads files
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        if bytes.len() as u64 > max {
            return Err(ReadError::TooLarge(None));
        }
        return Ok(bytes);
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let known = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if let Some(len) = known.filter(|len| *len > max) {
        return Err(ReadError::TooLarge(Some(len)));
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(known));
    }
    Ok(bytes)
}

/// Reads one file on its own, without its imports, within the size limit: for tools
/// that work on a single file (the formatter). The text is added to `sources`.
pub fn read_one(
    path: &Path,
    limits: &Limits,
    sources: &mut SourceMap,
) -> Result<FileId, Diagnostic> {
    let max = limits.max_file_bytes;
    let bytes = match read_limited(path, max) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(err)) => {
            return Err(unreadable(path, &err));
        }
        Err(ReadError::TooLarge(size)) => {
            return Err(Diagnostic::without_file(too_large(path, size, max, None)));
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path.to_path_buf(), Arc::from(text))),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let id = sources.add(path.to_path_buf(), Arc::from(text));
            Err(Diagnostic::new(
                id,
                LoadError::InvalidUtf8 {
                    path: path.display().to_string(),
                    span: Span::new(id, at, at + 1),
                },
            ))
        }
    }
}

fn too_large(path: &Path, size: Option<u64>, max: u64, span: Option<Span>) -> LoadError {
    LoadError::TooLarge {
        path: path.display().to_string(),
        size: size.map_or_else(|| format!("more than {}", limits::size(max)), limits::size),
        limit: limits::size(max),
        span,
    }
}

/// Reads and parses `path` (or `text`, standing for it) and, recursively, its imports.
pub fn load(
    path: &Path,
    text: Option<&str>,
    limits: &Limits,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Loaded {
    let dir = path.parent().unwrap_or(Path::new(""));
    let shown_dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut loader = Loader {
        sources,
        diagnostics,
        files: Vec::new(),
        seen: HashMap::new(),
        stack: Vec::new(),
        root_dir: std::fs::canonicalize(shown_dir).unwrap_or_else(|_| shown_dir.to_path_buf()),
        root_shown: shown_dir.display().to_string(),
        limits: *limits,
    };
    let max = limits.max_file_bytes;
    let bytes = match text {
        Some(text) if text.len() as u64 > max => Err(ReadError::TooLarge(Some(text.len() as u64))),
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => read_limited(path, max),
    };
    let root = match bytes {
        Ok(bytes) => Some(loader.file(path, bytes)),
        Err(ReadError::Io(err)) => {
            loader.diagnostics.push(unreadable(path, &err));
            None
        }
        Err(ReadError::TooLarge(size)) => {
            loader
                .diagnostics
                .push(Diagnostic::without_file(too_large(path, size, max, None)));
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
        let (tree, errors) = syntax::parse_limited(&text, id, self.limits.max_depth);
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
        let error = |err: LoadError| Diagnostic::new(span.file, err);
        if Path::new(import).has_root() || Path::new(import).is_absolute() {
            self.diagnostics.push(error(LoadError::ImportAbsolute {
                path: import.to_owned(),
                span,
            }));
            return;
        }
        let path = dir.join(import);
        let not_found = |err: std::io::Error| {
            error(LoadError::ImportNotFound {
                path: path.display().to_string(),
                reason: err.to_string(),
                span,
            })
        };
        // links resolved, before anything is opened
        let canonical = match std::fs::canonicalize(&path) {
            Ok(canonical) => canonical,
            Err(err) => {
                self.diagnostics.push(not_found(err));
                return;
            }
        };
        if !canonical.starts_with(&self.root_dir) {
            self.diagnostics.push(error(LoadError::ImportOutside {
                path: import.to_owned(),
                root: self.root_shown.clone(),
                span,
            }));
            return;
        }
        match std::fs::metadata(&canonical) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => {
                self.diagnostics.push(error(LoadError::ImportNotAFile {
                    path: path.display().to_string(),
                    span,
                }));
                return;
            }
            Err(err) => {
                self.diagnostics.push(not_found(err));
                return;
            }
        }
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
        let max = self.limits.max_file_bytes;
        let bytes = match read_limited(&canonical, max) {
            Ok(bytes) => bytes,
            Err(ReadError::Io(err)) => {
                self.diagnostics.push(not_found(err));
                return;
            }
            Err(ReadError::TooLarge(size)) => {
                self.diagnostics
                    .push(error(too_large(&path, size, max, Some(span))));
                return;
            }
        };
        self.file(&path, bytes);
    }
}

/// The error for a path that could not be read: a directory is named as one (the
/// commands that read one file are given one), anything else with the system's reason.
fn unreadable(path: &Path, err: &std::io::Error) -> Diagnostic {
    let shown = path.display().to_string();
    if path.is_dir() {
        Diagnostic::without_file(LoadError::Directory { path: shown })
    } else {
        Diagnostic::without_file(LoadError::Unreadable {
            path: shown,
            reason: err.to_string(),
        })
    }
}
