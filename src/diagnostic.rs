//! Diagnostics from every stage, kept with the file they point into. Their renderings
//! (miette's report for people, a stable JSON shape for tools) are in
//! [`crate::render::diagnostic`].

use std::fmt;

use miette::Severity;

use crate::span::FileId;

/// One diagnostic: an error or warning of some stage, pointing into `file`.
pub struct Diagnostic {
    pub file: Option<FileId>,
    pub inner: Box<dyn miette::Diagnostic + Send + Sync + 'static>,
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Diagnostic")
            .field("code", &self.code())
            .field("message", &self.inner.to_string())
            .finish()
    }
}

impl Diagnostic {
    pub fn new(file: FileId, inner: impl miette::Diagnostic + Send + Sync + 'static) -> Self {
        Diagnostic {
            file: Some(file),
            inner: Box::new(inner),
        }
    }

    /// A diagnostic that points into no file (a path that cannot be read, say).
    pub fn without_file(inner: impl miette::Diagnostic + Send + Sync + 'static) -> Self {
        Diagnostic {
            file: None,
            inner: Box::new(inner),
        }
    }

    pub fn severity(&self) -> Severity {
        self.inner.severity().unwrap_or(Severity::Error)
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    pub fn code(&self) -> String {
        self.inner.code().map(|c| c.to_string()).unwrap_or_default()
    }

    /// The message, safe for a terminal and shortened when very long.
    pub fn message(&self) -> String {
        crate::terminal::message(&self.inner.to_string())
    }
}
