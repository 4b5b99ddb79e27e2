//! Writing to standard output and error: JSON documents, diagnostics, plurals.

use std::io::Write;

use serde::Serialize;

use flowproof::diagnostic::Diagnostic;
use flowproof::render::diagnostic::{self, RenderOptions};
use flowproof::render::json::Document;
use flowproof::source::SourceMap;
use flowproof::verify::Verified;

/// Prints one JSON document on standard output, `"format": "flowproof/1"` first and
/// then the keys of `body`; a reader that stopped early (`| head`) is not an error.
pub fn print_json(body: &impl Serialize) {
    let mut stdout = std::io::stdout().lock();
    match serde_json::to_writer_pretty(&mut stdout, &Document::new(body)) {
        Ok(()) => {
            let _ = writeln!(stdout);
        }
        Err(err) if err.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe) => {}
        Err(err) => eprintln!("flowproof: cannot write JSON: {err}"),
    }
}

/// Draws a diagnostic on standard error.
pub fn show(diag: &Diagnostic, sources: &SourceMap, opts: RenderOptions) {
    let _ = write!(
        std::io::stderr().lock(),
        "{}",
        diagnostic::render(diag, sources, opts)
    );
}

/// Errors to show: those without a file (`general`, shown against `empty`), then every
/// error of every verified file with its sources.
pub fn input_errors<'a>(
    general: &'a [Diagnostic],
    empty: &'a SourceMap,
    verified: &'a [Verified],
) -> Vec<(&'a Diagnostic, &'a SourceMap)> {
    general
        .iter()
        .map(|d| (d, empty))
        .chain(verified.iter().flat_map(|v| {
            v.diagnostics()
                .filter(|d| d.is_error())
                .map(move |d| (d, &v.checked.sources))
        }))
        .collect()
}

/// `ok`, `warning` or `error`: the worst of a file's diagnostics.
pub fn summary_word(diags: &[Diagnostic]) -> &'static str {
    if diags.iter().any(Diagnostic::is_error) {
        "error"
    } else if diags.is_empty() {
        "ok"
    } else {
        "warning"
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
