//! Code lenses and the verify command: each claim of a document → a lens above it, and
//! the claim under the cursor → its verdict from the Z3 engine, shown on the claim's
//! name and answered as `{claim, verdict, message}`.

use lsp_types::{CodeLens, Command, DiagnosticSeverity, Position, Uri};
use serde_json::{Value, json};

use super::document::Document;
use super::text::Encoding;
use super::{Failure, Server, VERIFY_CLAIM};
use crate::check;
use crate::syntax::ast::Decl;

/// How long the solver may spend on one question when a claim is verified from the
/// editor, in milliseconds.
const VERIFY_TIMEOUT_MS: u32 = 30_000;

/// A lens above each claim's name that runs [`VERIFY_CLAIM`] on it.
pub(super) fn code_lenses(doc: &Document, enc: Encoding) -> Vec<CodeLens> {
    let Some(tree) = doc.analysis.root_tree() else {
        return Vec::new();
    };
    tree.decls
        .iter()
        .filter_map(|d| match d {
            Decl::Claim(c) => Some(c),
            _ => None,
        })
        .map(|c| {
            let range = doc.analysis.span_range(c.name.span, enc);
            CodeLens {
                range,
                command: Some(Command {
                    title: format!("▶ verify {}", c.name.node),
                    command: VERIFY_CLAIM.to_owned(),
                    arguments: Some(vec![json!(doc.uri.as_str()), json!(range.start)]),
                }),
                data: None,
            }
        })
        .collect()
}

impl Server<'_> {
    /// Verifies the claim whose declaration holds `position`, shows the verdict on the
    /// claim's name, and answers with `{claim, verdict, message}`.
    pub(super) fn verify_claim(&mut self, uri: &Uri, position: Position) -> Result<Value, Failure> {
        let doc = self.doc(uri)?;
        let offset = doc.offset(position, self.encoding);
        let claim = doc.analysis.root_tree().and_then(|t| {
            t.decls.iter().find_map(|d| match d {
                Decl::Claim(c)
                    if (c.span.start as usize) <= offset && offset <= c.span.end as usize + 1 =>
                {
                    Some((c.name.node.clone(), c.name.span))
                }
                _ => None,
            })
        });
        let Some((name, span)) = claim else {
            return Ok(json!({
                "claim": null,
                "verdict": null,
                "message": "No claim here: put the cursor inside a claim.",
            }));
        };
        if doc.analysis.checked.has_errors() {
            return Ok(json!({
                "claim": name,
                "verdict": null,
                "message": format!("`{name}` was not verified: the file has errors (see the problems list)."),
            }));
        }
        let options = crate::solve::Options {
            claims: vec![name.clone()],
            timeout_ms: Some(VERIFY_TIMEOUT_MS),
            limits: self.limits,
            memory_mb: self.memory_mb,
            ..crate::solve::Options::default()
        };
        let checked = check::check_text_limited(&doc.path, &doc.text, &self.limits);
        let verified = crate::verify::verify_checked(checked, &options, crate::verify::Engine::Z3);
        let style = crate::render::text::Style {
            color: false,
            story: true,
        };
        let mut message = crate::render::text::file(&verified, &style);
        for diag in verified.errors.iter() {
            message.push_str(&diag.message());
            message.push('\n');
        }
        let message = message.trim().to_owned();
        let outcome = verified.outcomes.first();
        let verdict = outcome.map(|o| match (&o.verdict, &o.vacuous) {
            (crate::verdict::Verdict::Proved, Some(_)) => "proved (vacuously)",
            (v, _) => v.word(),
        });
        let severity = match verdict {
            Some("proved") => DiagnosticSeverity::INFORMATION,
            _ => DiagnosticSeverity::WARNING,
        };
        let key = uri.as_str().to_owned();
        if let Some(doc) = self.docs.get_mut(&key) {
            doc.verdicts.retain(|(s, _, _)| s.start != span.start);
            doc.verdicts.push((span, severity, message.clone()));
        }
        let _ = self.publish_document(&key);
        Ok(json!({ "claim": name, "verdict": verdict, "message": message }))
    }
}
