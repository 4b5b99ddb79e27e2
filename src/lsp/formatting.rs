//! Formatting: an open document → one edit replacing its text with what `flowproof fmt`
//! makes of it (none when it is already formatted); a file with syntax errors is left
//! alone, and the client is told why.

use lsp_server::Notification;
use lsp_types::TextEdit;

use super::Server;
use super::document::Document;

impl Server<'_> {
    pub(super) fn format(&self, doc: &Document) -> Option<Vec<TextEdit>> {
        let formatted = crate::format::format_source(&doc.path, &doc.text, &self.limits);
        let Some(text) = formatted.formatted else {
            let note = Notification::new(
                "window/showMessage".to_owned(),
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::WARNING,
                    message: "flowproof: not formatted, the file has syntax errors".to_owned(),
                },
            );
            let _ = self.connection.sender.send(note.into());
            return None;
        };
        if text == doc.text {
            return Some(Vec::new());
        }
        let a = &doc.analysis;
        let range = a.range(a.root, 0, doc.text.len(), self.encoding);
        Some(vec![TextEdit::new(range, text)])
    }
}
