//! Evidence (section 5.5): a resolved model's sources → their documents read, and every
//! quotation (a source's `quote`, a claim's `quote`, every pinpoint `cite S "..."`)
//! checked against them, with a count of quotations checked and not.
//!
//! A document path is relative to the file that declares its source and, like an
//! import, must stay (links resolved) inside the directory of the file checked and name
//! a regular file; each directory given with `--evidence` is searched first. A document
//! that cannot be read is a warning (an error under `--require-evidence`), reported once
//! per document; the quotations of its sources are then unchecked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::error::EvidenceError;
use crate::check::quote::{self, Search};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::model::{Model, RuleInfo, SourceId};
use crate::source::SourceMap;
use crate::span::Span;

/// Where documents are looked for besides their own path, and whether a missing one is
/// an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Searched first, in order (`--evidence DIR`).
    pub dirs: Vec<PathBuf>,
    /// A document that cannot be read is an error (`--require-evidence`).
    pub require: bool,
}

/// How many quotations were checked against a document, and how many could not be
/// (their source names no document, or it could not be read).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub checked: usize,
    pub unchecked: usize,
    /// Sources that name a document.
    pub documents: usize,
}

impl std::ops::Add for Summary {
    type Output = Summary;

    /// Every count, added.
    fn add(self, other: Summary) -> Summary {
        Summary {
            checked: self.checked + other.checked,
            unchecked: self.unchecked + other.unchecked,
            documents: self.documents + other.documents,
        }
    }
}

impl Summary {
    /// "3 quotations checked against their documents, 1 not", when some source names
    /// a document (a file without documents is reported as it always was).
    pub fn sentence(&self) -> Option<String> {
        (self.documents > 0).then(|| {
            format!(
                "{} quotation{} checked against {} document{}, {} not",
                self.checked,
                if self.checked == 1 { "" } else { "s" },
                if self.checked == 1 { "its" } else { "their" },
                if self.checked == 1 { "" } else { "s" },
                self.unchecked
            )
        })
    }
}

/// A source's document: its text, or why it could not be read.
type Loaded = Result<String, String>;

struct Checker<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
    limits: &'a Limits,
    options: &'a Evidence,
    /// The directory of the file checked: no document outside it is read.
    root: PathBuf,
    /// Per source with a `document`: what reading it gave.
    documents: Vec<Option<Loaded>>,
    /// Documents already reported missing (by the path shown).
    reported: Vec<String>,
    diagnostics: &'a mut Vec<Diagnostic>,
    summary: Summary,
}

/// Reads the documents of `model`'s sources and checks every quotation against them.
pub(crate) fn check(
    model: &Model,
    file: &Path,
    sources: &SourceMap,
    limits: &Limits,
    options: &Evidence,
    diagnostics: &mut Vec<Diagnostic>,
) -> Summary {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut checker = Checker {
        model,
        sources,
        limits,
        options,
        root: std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        documents: Vec::new(),
        reported: Vec::new(),
        diagnostics,
        summary: Summary::default(),
    };
    checker.read_documents();
    checker.quotations();
    checker.summary.documents = model
        .sources
        .iter()
        .filter(|s| s.document.is_some())
        .count();
    checker.summary
}

impl Checker<'_> {
    fn read_documents(&mut self) {
        let mut cache: HashMap<PathBuf, Loaded> = HashMap::new();
        for s in &self.model.sources {
            let Some(path) = &s.document else {
                self.documents.push(None);
                continue;
            };
            let declared_in = self.sources.path(s.document_span.file);
            let key = declared_in
                .parent()
                .unwrap_or(Path::new(""))
                .join(path)
                .display()
                .to_string();
            let loaded = match self.locate(declared_in, path) {
                Ok(found) => cache
                    .entry(found.clone())
                    .or_insert_with(|| read(&found, self.limits))
                    .clone(),
                Err(why) => Err(why),
            };
            if let Err(reason) = &loaded {
                self.missing(key, s.name.as_str(), path, reason, s.document_span);
            }
            self.documents.push(Some(loaded));
        }
    }

    /// The file a document path names: in an `--evidence` directory, else relative to
    /// the file that declares the source, inside the root directory.
    fn locate(&self, declared_in: &Path, path: &str) -> Result<PathBuf, String> {
        let written = Path::new(path);
        if written.has_root() || written.is_absolute() {
            return Err("a document path must be relative to the file that names it".to_owned());
        }
        for dir in &self.options.dirs {
            let candidate = dir.join(written);
            if let (Ok(found), Ok(dir)) = (
                std::fs::canonicalize(&candidate),
                std::fs::canonicalize(dir),
            ) && found.starts_with(&dir)
                && found.is_file()
            {
                return Ok(found);
            }
        }
        let dir = declared_in.parent().unwrap_or(Path::new(""));
        let found = std::fs::canonicalize(dir.join(written)).map_err(|e| e.to_string())?;
        if !found.starts_with(&self.root) {
            return Err(format!(
                "it is outside `{}`, the directory of the file checked",
                self.root.display()
            ));
        }
        if !found.is_file() {
            return Err("it is not a regular file".to_owned());
        }
        Ok(found)
    }

    /// Reports a document that cannot be read, once per document (by `key`, the path
    /// as resolved).
    fn missing(&mut self, key: String, source: &str, path: &str, reason: &str, span: Span) {
        if self.reported.contains(&key) {
            return;
        }
        self.reported.push(key);
        let (path, source_name, reason) = (path.to_owned(), source.to_owned(), reason.to_owned());
        let err = if self.options.require {
            EvidenceError::DocumentRequired {
                path,
                source_name,
                reason,
                span,
            }
        } else {
            EvidenceError::DocumentMissing {
                path,
                source_name,
                reason,
                span,
            }
        };
        self.diagnostics.push(Diagnostic::new(span.file, err));
    }

    /// The text of a source's document, when it names one and it was read.
    fn text(&self, source: SourceId) -> Option<&str> {
        match self.documents.get(source.index()) {
            Some(Some(Ok(text))) => Some(text.as_str()),
            _ => None,
        }
    }

    fn quotations(&mut self) {
        let model = self.model;
        for (i, s) in model.sources.iter().enumerate() {
            if let Some(q) = &s.quote {
                self.check_against(&[SourceId::from_index(i)], q, s.quote_span);
            }
        }
        for c in &model.claims {
            if let Some(q) = &c.quote {
                self.check_against(&c.info.cites, q, c.quote_span);
            }
        }
        let infos =
            model
                .flows
                .iter()
                .map(|r| &r.info)
                .chain(model.collects.iter().map(|r| &r.info))
                .chain(model.derives.iter().map(|r| &r.info))
                .chain(model.optouts.iter().map(|r| &r.info))
                .chain(model.assumes.iter().map(|r| &r.info))
                .chain(model.claims.iter().map(|r| &r.info))
                .chain(model.readings.iter().flat_map(|r| {
                    std::iter::once(&r.info).chain(r.assumes.iter().map(|a| &a.info))
                }));
        let infos: Vec<&RuleInfo> = infos.collect();
        for info in infos {
            for p in &info.pinpoints {
                self.check_against(&[p.source], &p.text, p.span);
            }
        }
    }

    /// Checks a quotation against the documents of `sources` (found in any one of them
    /// is enough); unchecked when none of them has a document that was read.
    fn check_against(&mut self, sources: &[SourceId], quotation: &str, span: Span) {
        match self.verdict(sources, quotation) {
            None => self.summary.unchecked += 1,
            Some(None) => self.summary.checked += 1,
            Some(Some(err)) => {
                self.summary.checked += 1;
                let err = EvidenceError::QuoteNotFound {
                    document: err.0,
                    span,
                    help: Some(err.1),
                };
                self.diagnostics.push(Diagnostic::new(span.file, err));
            }
        }
    }

    /// `None`: no document to check against; `Some(None)`: found; `Some(Some((the
    /// documents, help)))`: not found.
    fn verdict(&self, sources: &[SourceId], quotation: &str) -> Option<Option<(String, String)>> {
        let documents: Vec<(SourceId, &str)> = sources
            .iter()
            .filter_map(|s| self.text(*s).map(|t| (*s, t)))
            .collect();
        if documents.is_empty() {
            return None;
        }
        let mut empty = false;
        for (_, text) in &documents {
            match quote::search(text, quotation) {
                Search::Found(_) => return Some(None),
                Search::Empty => empty = true,
                Search::Missing => {}
            }
        }
        let names: Vec<String> = documents
            .iter()
            .filter_map(|(s, _)| self.model.sources[s.index()].document.clone())
            .collect();
        let help = if empty {
            "the quotation has no words to look for (only white space or an ellipsis)".to_owned()
        } else {
            let closest = documents
                .iter()
                .find_map(|(_, text)| quote::closest(text, quotation));
            match closest {
                Some(passage) => format!(
                    "the closest passage is: \"{passage}\" (quotations are compared word for word, case included; white space, curly quotes and dashes are evened out, and `...` stands for words left out)"
                ),
                None => "the document has no words".to_owned(),
            }
        };
        let help = crate::terminal::printable(&help).into_owned();
        Some(Some((names.join("`, `"), help)))
    }
}

/// A document's text, within the file size limit.
fn read(path: &Path, limits: &Limits) -> Loaded {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > limits.max_file_bytes {
        return Err(format!(
            "it is larger than the limit of {} bytes for one file",
            limits.max_file_bytes
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
}
