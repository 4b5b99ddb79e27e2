//! Writing: formatted text → the file on disk, replaced atomically.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The formatted text could not be written back.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write `{path}`: {reason}")]
#[diagnostic(
    code(flowproof::fmt::write),
    help("the file was left as it was; check that the directory is writable")
)]
pub struct WriteError {
    pub path: String,
    pub reason: String,
}

/// Replaces the file at `path` with `text`, atomically: the new text is written to a
/// fresh file beside it, then renamed over it, so a failure leaves the old file whole.
/// A link is followed, and its target replaced.
pub fn write_in_place(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let error = |err: std::io::Error| {
        Diagnostic::without_file(WriteError {
            path: path.display().to_string(),
            reason: err.to_string(),
        })
    };
    let target = std::fs::canonicalize(path).map_err(error)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{name}.fmt-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(error(err));
    }
    Ok(())
}
