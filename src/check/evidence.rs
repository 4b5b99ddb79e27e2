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
type Loaded = Result<String, Unread>;

/// Why a document could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Unread {
    Empty,
    Absolute,
    /// It leads out of the directory shown.
    Outside(String),
    NotFound,
    NotAFile,
    TooLarge(u64),
    NotUtf8,
    /// Any other failure, as the system put it.
    Io(String),
}

impl Unread {
    fn io(err: &std::io::Error) -> Unread {
        match err.kind() {
            std::io::ErrorKind::NotFound => Unread::NotFound,
            _ => Unread::Io(err.to_string()),
        }
    }

    /// The end of "cannot read the document `P` of source `S`: ...".
    fn reason(&self) -> String {
        match self {
            Unread::Empty => "the path is empty".to_owned(),
            Unread::Absolute => {
                "a document path must be relative to the file that names it".to_owned()
            }
            Unread::Outside(root) => {
                format!("it is outside `{root}`, the directory of the file checked")
            }
            Unread::NotFound => "there is no such file".to_owned(),
            Unread::NotAFile => "it is not a regular file".to_owned(),
            Unread::TooLarge(limit) => {
                format!("it is larger than the limit of {limit} bytes for one file")
            }
            Unread::NotUtf8 => "it is not UTF-8 text".to_owned(),
            Unread::Io(why) => why.clone(),
        }
    }

    /// The label on the path.
    fn what(&self) -> &'static str {
        match self {
            Unread::Empty => "an empty path",
            Unread::Absolute => "an absolute path",
            Unread::Outside(_) => "this leads outside the policy's directory",
            Unread::NotFound => "no such document",
            Unread::NotAFile => "not a file",
            Unread::TooLarge(_) => "too large to read",
            Unread::NotUtf8 => "not UTF-8 text",
            Unread::Io(_) => "cannot be read",
        }
    }

    /// What to do about it.
    fn fix(&self) -> &'static str {
        match self {
            Unread::Empty => {
                "write the path of a plain-text copy of the document, relative to this file (for example `evidence/letter.txt`), or remove the `document` field"
            }
            Unread::NotFound | Unread::NotAFile | Unread::Io(_) => {
                "put a plain-text copy of the document at that path (relative to this file), or in a directory given with `--evidence DIR`"
            }
            Unread::Absolute => {
                "write the path relative to this file's directory, for example `evidence/letter.txt`; a policy that names places on one computer cannot be shared"
            }
            Unread::Outside(_) => {
                "documents, like imports, may not climb out of the directory of the file checked (through `..` or a link); copy the document inside it, or give its directory with `--evidence DIR`"
            }
            Unread::TooLarge(_) => {
                "keep the passages the policy quotes in a smaller copy, or raise the limit with `--max-file-size MB`"
            }
            Unread::NotUtf8 => "re-save the document as UTF-8 text",
        }
    }
}

struct Checker<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
    limits: &'a Limits,
    options: &'a Evidence,
    /// The directory of the file checked: no document outside it is read.
    root: PathBuf,
    /// That directory as given, for messages.
    root_shown: String,
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
        root_shown: dir.display().to_string(),
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
            if let Err(why) = &loaded {
                self.missing(key, s.name.as_str(), path, why, s.document_span);
            }
            self.documents.push(Some(loaded));
        }
    }

    /// The file a document path names: in an `--evidence` directory, else relative to
    /// the file that declares the source, inside the root directory.
    fn locate(&self, declared_in: &Path, path: &str) -> Result<PathBuf, Unread> {
        let written = Path::new(path);
        if path.trim().is_empty() {
            return Err(Unread::Empty);
        }
        if written.has_root() || written.is_absolute() {
            return Err(Unread::Absolute);
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
        let found = std::fs::canonicalize(dir.join(written)).map_err(|e| Unread::io(&e))?;
        if !found.starts_with(&self.root) {
            return Err(Unread::Outside(self.root_shown.clone()));
        }
        if !found.is_file() {
            return Err(Unread::NotAFile);
        }
        Ok(found)
    }

    /// Reports a document that cannot be read, once per document (by `key`, the path
    /// as resolved).
    fn missing(&mut self, key: String, source: &str, path: &str, why: &Unread, span: Span) {
        if self.reported.contains(&key) {
            return;
        }
        self.reported.push(key);
        let (path, source_name, reason) = (path.to_owned(), source.to_owned(), why.reason());
        let what = why.what();
        let err = if self.options.require {
            EvidenceError::DocumentRequired {
                path,
                source_name,
                reason,
                span,
                what,
                help: format!(
                    "`--require-evidence` asks for every document to be there: {}",
                    why.fix()
                ),
            }
        } else {
            EvidenceError::DocumentMissing {
                path,
                source_name,
                reason,
                span,
                what,
                help: format!("its quotations are not checked; {}", why.fix()),
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
                    what: err.2,
                    help: Some(err.1),
                };
                self.diagnostics.push(Diagnostic::new(span.file, err));
            }
        }
    }

    /// `None`: no document to check against; `Some(None)`: found; `Some(Some((the
    /// documents, help, label)))`: not found.
    fn verdict(
        &self,
        sources: &[SourceId],
        quotation: &str,
    ) -> Option<Option<(String, String, &'static str)>> {
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
        let what = if empty {
            "there are no words here to look for"
        } else {
            "these words are not in the document"
        };
        Some(Some((names.join("`, `"), help, what)))
    }
}

/// A document's text, within the file size limit.
fn read(path: &Path, limits: &Limits) -> Loaded {
    let meta = std::fs::metadata(path).map_err(|e| Unread::io(&e))?;
    if meta.len() > limits.max_file_bytes {
        return Err(Unread::TooLarge(limits.max_file_bytes));
    }
    let bytes = std::fs::read(path).map_err(|e| Unread::io(&e))?;
    String::from_utf8(bytes).map_err(|_| Unread::NotUtf8)
}
