//! Loaded files: their paths and text, and line/column lookups for rendering.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::span::{FileId, Span};
use crate::terminal::{printable, printable_same_length};

/// One loaded file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user would recognise it (relative when it was given relative).
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset of the start of every line.
    line_starts: Arc<[usize]>,
    /// The text as it may be drawn on a terminal, made when first needed.
    drawn: OnceLock<Arc<str>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: Arc<str>) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
            drawn: OnceLock::new(),
        }
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_bounds(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next - 1);
        (start, end.max(start))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

/// Every file read for one run, indexed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// Shows the file `id` under another path (the file itself is the same).
    pub fn set_path(&mut self, id: FileId, path: PathBuf) {
        if let Some(f) = self.files.get_mut(id.0 as usize) {
            f.path = path;
        }
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn path(&self, id: FileId) -> &Path {
        self.get(id)
            .map_or(Path::new("<unknown>"), |f| f.path.as_path())
    }

    /// The file as miette wants it for rendering, with every character unsafe for a
    /// terminal replaced by one of the same length (see [`crate::terminal`]).
    pub fn named(&self, id: FileId) -> SourceView {
        let (text, line_starts) = self.get(id).map_or_else(
            || (Arc::from(""), Arc::from([0usize].as_slice())),
            |f| {
                let text = f
                    .drawn
                    .get_or_init(|| match printable_same_length(&f.text) {
                        Cow::Borrowed(_) => f.text.clone(),
                        Cow::Owned(shown) => Arc::from(shown),
                    })
                    .clone();
                (text, f.line_starts.clone())
            },
        );
        SourceView {
            name: printable(&self.path(id).display().to_string()).into_owned(),
            text,
            line_starts,
        }
    }

    /// 1-based line of the start of a span.
    pub fn line(&self, span: Span) -> usize {
        self.get(span.file)
            .map_or(0, |f| f.line_col(span.start as usize).0)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }
}

/// A file's text for miette. miette finds the lines around a label by reading the
/// text from its start, which makes drawing many diagnostics of a long file take
/// quadratic time; this view hands it only the few lines around the label (found
/// by binary search) and numbers them as they are in the file.
pub struct SourceView {
    name: String,
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl SourceView {
    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }
}

impl miette::SourceCode for SourceView {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let bytes = self.text.as_bytes();
        let start = span.offset().min(bytes.len());
        let end = (span.offset() + span.len()).min(bytes.len());
        let first = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.line_of(end) + context_lines_after + 1;
        let from = self.line_starts[first];
        let to = self
            .line_starts
            .get(last + 1)
            .copied()
            .unwrap_or(bytes.len());
        let window: &'a [u8] = &bytes[from..to];
        let local = miette::SourceSpan::new((span.offset() - from).into(), span.len());
        let inner = <[u8] as miette::SourceCode>::read_span(
            window,
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            miette::SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}
