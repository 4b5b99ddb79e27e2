//! Diagnostics drawn: miette's graphical report for people (with the source excerpt
//! each label points at, never a control character from the file), and a stable JSON
//! shape for tools.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, NarratableReportHandler, Severity};
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::span::FileId;
use crate::terminal::printable;

/// How reports are drawn.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub color: bool,
    pub width: usize,
    /// Sentences instead of a drawing: miette's narrated report, for screen readers
    /// and logs (no box-drawing characters, no colour).
    pub plain: bool,
}

/// Renders one diagnostic as miette draws it, with the source it points at.
pub fn render(diag: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let graphical = GraphicalReportHandler::new_themed(theme).with_width(opts.width);
    let narrated = NarratableReportHandler::new();
    let render_report = |out: &mut String, shown: &Shown<'_>| {
        if opts.plain {
            narrated.render_report(out, shown)
        } else {
            graphical.render_report(out, shown)
        }
    };
    let mut out = String::new();
    let result = match diag.file {
        Some(file) if draws_badly(diag, sources, file) => {
            // the excerpt would be unreadable (and miette cannot pad past 65,535
            // columns): say where instead
            let shown = Shown {
                inner: diag.inner.as_ref(),
                source: None,
            };
            let mut result = render_report(&mut out, &shown);
            if let Some(label) = diag.inner.labels().and_then(|mut l| l.next())
                && let Some(source) = sources.get(file)
            {
                let (line, col) = source.line_col(label.offset());
                result = result.and(fmt::Write::write_fmt(
                    &mut out,
                    format_args!(
                        "  at {}:{line}:{col} (the line is too long to show)\n",
                        printable(&source.path.display().to_string())
                    ),
                ));
            }
            result
        }
        file => {
            let shown = Shown {
                inner: diag.inner.as_ref(),
                source: file.map(|file| sources.named(file)),
            };
            render_report(&mut out, &shown)
        }
    };
    if result.is_err() {
        out = format!("{}: {}\n", diag.code(), diag.message());
    }
    if opts.plain {
        // a blank line between narrated reports, as between drawn ones
        out.push('\n');
    }
    out
}

/// Lines longer than this many bytes are not drawn under a diagnostic.
const LONGEST_DRAWN_LINE: usize = 2_000;

/// Whether a label of `diag` sits on a line too long to draw.
fn draws_badly(diag: &Diagnostic, sources: &SourceMap, file: FileId) -> bool {
    let Some(source) = sources.get(file) else {
        return true;
    };
    let Some(labels) = diag.inner.labels() else {
        return false;
    };
    let long = |offset: usize| {
        let (start, end) = source.line_bounds(offset);
        end - start > LONGEST_DRAWN_LINE
    };
    labels
        .into_iter()
        .any(|label| long(label.offset()) || long(label.offset() + label.len()))
}

/// A diagnostic as it is drawn: with the file's text attached, and every message,
/// label and help made safe for a terminal (see [`crate::terminal`]).
struct Shown<'a> {
    inner: &'a (dyn miette::Diagnostic + Send + Sync),
    source: Option<crate::source::SourceView>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::terminal::message(&self.inner.to_string()))
    }
}

impl std::error::Error for Shown<'_> {}

/// Text made safe for a terminal, for miette's `Box<dyn Display>` slots.
fn safe<'b>(text: Box<dyn fmt::Display + 'b>) -> Box<dyn fmt::Display + 'b> {
    Box::new(crate::terminal::message(&text.to_string()))
}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help().map(safe)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url().map(safe)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = self.inner.labels()?;
        Some(Box::new(labels.map(|label| {
            let text = label.label().map(crate::terminal::message);
            if label.primary() {
                miette::LabeledSpan::new_primary_with_span(text, *label.inner())
            } else {
                miette::LabeledSpan::new_with_span(text, *label.inner())
            }
        })))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        self.inner.related()
    }
}

/// The JSON shape of one diagnostic.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
    pub labels: Vec<JsonLabel>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct JsonLabel {
    pub message: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: usize,
    pub length: usize,
}

pub fn to_json(diag: &Diagnostic, sources: &SourceMap) -> JsonDiagnostic {
    let file = diag.file.and_then(|f| sources.get(f));
    let labels = diag
        .inner
        .labels()
        .map(|labels| {
            labels
                .map(|l| {
                    let (line, column) = file.map_or((0, 0), |f| f.line_col(l.offset()));
                    let (end_line, end_column) =
                        file.map_or((0, 0), |f| f.line_col(l.offset() + l.len()));
                    JsonLabel {
                        message: l.label().map(crate::terminal::message),
                        line,
                        column,
                        end_line,
                        end_column,
                        offset: l.offset(),
                        length: l.len(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    JsonDiagnostic {
        severity: match diag.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        },
        code: diag.code(),
        message: diag.message(),
        help: diag
            .inner
            .help()
            .map(|h| crate::terminal::message(&h.to_string())),
        file: file.map(|f| f.path.display().to_string()),
        labels,
    }
}
