//! Document state and its diagnostics: a changed text → a fresh analysis, and its
//! diagnostics (with the verdicts shown on claims) → `publishDiagnostics` for the
//! document and each import that has some.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use lsp_server::Notification;
use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, PublishDiagnosticsParams, Uri,
};

use super::document::{Analysis, Document};
use super::text::uri_to_path;
use super::{Error, Server};
use crate::diagnostic::Diagnostic;

impl Server<'_> {
    /// Checks a document again after a change and publishes its diagnostics.
    pub(super) fn update(&mut self, uri: Uri, text: String) -> Result<(), Error> {
        let path = uri_to_path(&uri).unwrap_or_else(|| PathBuf::from(uri.path().as_str()));
        let analysis = Analysis::new(&path, &text, &self.limits);
        let published = self
            .docs
            .remove(uri.as_str())
            .map(|d| d.published)
            .unwrap_or_default();
        let doc = Document {
            uri: uri.clone(),
            path,
            text,
            analysis,
            verdicts: Vec::new(),
            published,
        };
        self.docs.insert(uri.as_str().to_owned(), doc);
        self.publish_document(uri.as_str())
    }

    pub(super) fn publish(&self, uri: Uri, diagnostics: Vec<LspDiagnostic>) -> Result<(), Error> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.connection
            .sender
            .send(Notification::new("textDocument/publishDiagnostics".to_owned(), params).into())?;
        Ok(())
    }

    /// Publishes a document's diagnostics: to the document, and to each import that
    /// has some; an import that had some before and has none now is cleared.
    pub(super) fn publish_document(&mut self, key: &str) -> Result<(), Error> {
        let Some(doc) = self.docs.get(key) else {
            return Ok(());
        };
        let mut by_uri: HashMap<String, (Uri, Vec<LspDiagnostic>)> = HashMap::new();
        by_uri.insert(doc.uri.as_str().to_owned(), (doc.uri.clone(), Vec::new()));
        for diag in &doc.analysis.checked.diagnostics {
            let (uri, converted) = self.convert(doc, diag);
            by_uri
                .entry(uri.as_str().to_owned())
                .or_insert_with(|| (uri.clone(), Vec::new()))
                .1
                .push(converted);
        }
        for (span, severity, message) in &doc.verdicts {
            let range = doc.analysis.span_range(*span, self.encoding);
            if let Some((_, list)) = by_uri.get_mut(doc.uri.as_str()) {
                list.push(LspDiagnostic {
                    range,
                    severity: Some(*severity),
                    source: Some("flowproof".to_owned()),
                    message: message.clone(),
                    ..LspDiagnostic::default()
                });
            }
        }
        let now: HashSet<String> = by_uri.keys().cloned().collect();
        let stale: Vec<String> = doc.published.difference(&now).cloned().collect();
        for (_, (uri, list)) in by_uri {
            self.publish(uri, list)?;
        }
        for uri in stale {
            if let Ok(uri) = uri.parse::<Uri>() {
                self.publish(uri, Vec::new())?;
            }
        }
        if let Some(doc) = self.docs.get_mut(key) {
            doc.published = now;
        }
        Ok(())
    }

    /// A flowproof diagnostic as the protocol has it, with the URI of its file.
    fn convert(&self, doc: &Document, diag: &Diagnostic) -> (Uri, LspDiagnostic) {
        let a = &doc.analysis;
        let file = diag.file.unwrap_or(a.root);
        let uri = doc.uri_of(file);
        let labels: Vec<miette::LabeledSpan> =
            diag.inner.labels().map(|l| l.collect()).unwrap_or_default();
        let range_of = |l: &miette::LabeledSpan| {
            a.range(file, l.offset(), l.offset() + l.len(), self.encoding)
        };
        let range = labels
            .first()
            .map(range_of)
            .unwrap_or_else(|| a.range(file, 0, 0, self.encoding));
        let mut message = diag.message();
        if let Some(help) = diag.inner.help() {
            message.push_str("\nhelp: ");
            message.push_str(&crate::terminal::message(&help.to_string()));
        }
        let related: Vec<DiagnosticRelatedInformation> = labels
            .iter()
            .filter_map(|l| {
                l.label().map(|label| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), range_of(l)),
                    message: crate::terminal::message(label),
                })
            })
            .collect();
        let severity = match diag.severity() {
            miette::Severity::Error => DiagnosticSeverity::ERROR,
            miette::Severity::Warning => DiagnosticSeverity::WARNING,
            miette::Severity::Advice => DiagnosticSeverity::INFORMATION,
        };
        let converted = LspDiagnostic {
            range,
            severity: Some(severity),
            code: Some(NumberOrString::String(diag.code())),
            source: Some("flowproof".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..LspDiagnostic::default()
        };
        (uri, converted)
    }
}
