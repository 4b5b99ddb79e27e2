//! Checking: a path → every file it needs, parsed and resolved into a [`Model`], with
//! every diagnostic found on the way (the checker keeps going after an error).

pub mod error;
pub mod evidence;
mod lint;
mod load;
pub mod quote;
mod resolve;
mod size;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::error::LoadError;
pub use crate::check::evidence::Evidence;
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::model::Model;
use crate::source::SourceMap;
use crate::span::FileId;

/// The result of checking one policy file and its imports.
pub struct Checked {
    pub path: PathBuf,
    pub sources: SourceMap,
    pub root: Option<FileId>,
    /// The model, whenever no error was found (warnings allowed).
    pub model: Option<Arc<Model>>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many quotations were checked against their documents, and how many not.
    pub evidence: evidence::Summary,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks the policy file at `path` with everything it imports, within the default
/// [`Limits`].
pub fn check_file(path: &Path) -> Checked {
    check_file_limited(path, &Limits::default())
}

/// Checks the policy file at `path` with everything it imports, within `limits`.
pub fn check_file_limited(path: &Path, limits: &Limits) -> Checked {
    check_file_with(path, limits, &Evidence::default())
}

/// [`check_file_limited`], finding documents as `evidence` says.
pub fn check_file_with(path: &Path, limits: &Limits, evidence: &Evidence) -> Checked {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let loaded = load::load(path, None, limits, &mut sources, &mut diagnostics);
    finish(path, sources, loaded, limits, evidence, diagnostics)
}

/// Checks policy text held in memory, as if it were the file at `path` (its imports
/// are read relative to `path`), within the default [`Limits`].
pub fn check_text(path: &Path, text: &str) -> Checked {
    check_text_limited(path, text, &Limits::default())
}

/// [`check_text`] within `limits`.
pub fn check_text_limited(path: &Path, text: &str, limits: &Limits) -> Checked {
    check_text_with(path, text, limits, &Evidence::default())
}

/// [`check_text_limited`], finding documents as `evidence` says.
pub fn check_text_with(path: &Path, text: &str, limits: &Limits, evidence: &Evidence) -> Checked {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let loaded = load::load(path, Some(text), limits, &mut sources, &mut diagnostics);
    finish(path, sources, loaded, limits, evidence, diagnostics)
}

fn finish(
    path: &Path,
    sources: SourceMap,
    loaded: load::Loaded,
    limits: &Limits,
    evidence: &Evidence,
    mut diagnostics: Vec<Diagnostic>,
) -> Checked {
    let (model, cited) =
        resolve::Resolver::new(&sources, &mut diagnostics).run(&loaded.files, loaded.root);
    let evidence = evidence::check(&model, path, &sources, limits, evidence, &mut diagnostics);
    if !diagnostics.iter().any(Diagnostic::is_error) {
        size::check(&model, limits, &mut diagnostics);
    }
    if !diagnostics.iter().any(Diagnostic::is_error) {
        lint::run(&model, &cited, loaded.root, &sources, &mut diagnostics);
    }
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    Checked {
        path: path.to_path_buf(),
        sources,
        root: loaded.root,
        model: (!has_errors).then(|| Arc::new(model)),
        diagnostics,
        evidence,
    }
}

/// Reads one policy file on its own, without its imports, within `limits`, adding its
/// text to `sources` (for tools that work on one file, like the formatter).
pub fn read_file(
    path: &Path,
    limits: &Limits,
    sources: &mut SourceMap,
) -> Result<FileId, Diagnostic> {
    load::read_one(path, limits, sources)
}

/// Expands the paths given on the command line: a file as it is, a directory into
/// the `.flow` files below it, sorted. Paths that cannot be used are reported.
pub fn expand_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            let root = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            collect_flow_files(path, &root, &mut found, &mut errors);
            found.sort();
            if found.is_empty() {
                errors.push(Diagnostic::without_file(LoadError::NoFiles {
                    path: path.display().to_string(),
                }));
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    (files, errors)
}

/// The `.flow` files below `dir`, walked without recursion (walkdir). Links to
/// directories are not followed, and a link to a file is taken only when the file lies
/// inside `root` (the directory given, links resolved): a directory someone sent cannot
/// lead the walk elsewhere.
fn collect_flow_files(
    dir: &Path,
    root: &Path,
    out: &mut Vec<PathBuf>,
    errors: &mut Vec<Diagnostic>,
) {
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                errors.push(Diagnostic::without_file(LoadError::Unreadable {
                    path: err.path().unwrap_or(dir).display().to_string(),
                    reason: err
                        .io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string),
                }));
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() || entry.path().extension().is_none_or(|e| e != "flow") {
            continue;
        }
        let inside = !kind.is_symlink()
            || std::fs::canonicalize(entry.path())
                .is_ok_and(|target| target.starts_with(root) && target.is_file());
        if inside {
            out.push(entry.into_path());
        }
    }
}

/// Drops, from each checked file after the first, every warning that an earlier file of
/// the run already gave about the same place (a shared imported file's warnings, a
/// document several files rely on): a run reports each once.
pub fn dedupe_warnings<'a>(files: impl Iterator<Item = &'a mut Checked>) {
    /// A warning's code and message, its file, and where its first label is.
    type Seen = (String, PathBuf, Option<(usize, usize)>);
    let mut seen: std::collections::HashSet<Seen> = std::collections::HashSet::new();
    for c in files {
        let sources = &c.sources;
        c.diagnostics.retain(|d| {
            if d.is_error() {
                return true;
            }
            let place = d.file.map(|f| sources.path(f).to_path_buf());
            let at = d
                .inner
                .labels()
                .and_then(|mut l| l.next())
                .map(|l| (l.offset(), l.len()));
            let key = (
                format!("{}: {}", d.code(), d.message()),
                place
                    .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
                    .unwrap_or_default(),
                at,
            );
            seen.insert(key)
        });
    }
}
