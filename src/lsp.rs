//! The language server: the Language Server Protocol over standard input and output,
//! for editors.
//!
//! Each open file is checked as it changes, with its imports read from disk, and the
//! same diagnostics as `flowproof check` are published (codes, messages, help, and
//! the other labels as related information). Names go to their declarations and
//! back; hovering a name shows what it stands for (an agency's kind and parent, a
//! param's ground instances, a source's title, date and quote); completion offers
//! the names that fit where the cursor is; formatting is `flowproof fmt`; and a code
//! lens above each claim verifies it, showing the verdict on the claim itself.

mod index;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeLens, CodeLensOptions, Command, CompletionItem, CompletionItemKind, CompletionOptions,
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    ExecuteCommandOptions, Hover, HoverContents, InitializeParams, Location, MarkupContent,
    MarkupKind, NumberOrString, OneOf, Position, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use serde_json::{Value, json};

use crate::check::{self, Checked};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::model::Model;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, Decl};
use crate::syntax::lexer;
use crate::syntax::token::Tok;
use index::{Index, Namespace, Target};
use text::{Encoding, LineIndex, path_to_uri, uri_to_path};

/// The command that verifies the claim under the cursor: arguments `[uri, position]`.
pub const VERIFY_CLAIM: &str = "flowproof.verifyClaim";

/// How long the solver may spend on one question when a claim is verified from the
/// editor, in milliseconds.
const VERIFY_TIMEOUT_MS: u32 = 30_000;

/// Serves one client over standard input and output until it says `exit`. The exit
/// status is 0 after a clean shutdown, 1 when the connection failed.
pub fn run_stdio(limits: Limits, memory_mb: Option<u32>) -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let status = match serve(&connection, limits, memory_mb) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("flowproof lsp: {err}");
            1
        }
    };
    drop(connection);
    if let Err(err) = io_threads.join() {
        eprintln!("flowproof lsp: {err}");
        return 1;
    }
    status
}

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the protocol on `connection`: the handshake, then requests and notifications
/// until shutdown. `memory_mb` caps the memory a verification may use.
pub fn serve(connection: &Connection, limits: Limits, memory_mb: Option<u32>) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
    let encoding = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let capabilities = ServerCapabilities {
        position_encoding: Some(if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), ":".into(), ",".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![VERIFY_CLAIM.to_owned()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    connection.initialize_finish(
        id,
        json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "flowproof", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let mut server = Server {
        connection,
        encoding,
        limits,
        memory_mb,
        docs: HashMap::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let response = match server.request(request) {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                connection.sender.send(response.into())?;
            }
            Message::Notification(note) => server.notification(note)?,
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// One open document and what is known about it.
struct Document {
    uri: Uri,
    path: PathBuf,
    text: String,
    analysis: Analysis,
    /// Verdicts shown on claims since the last change: the claim name's span, the
    /// severity and the message.
    verdicts: Vec<(Span, DiagnosticSeverity, String)>,
    /// The URIs diagnostics were last published to for this document.
    published: HashSet<String>,
}

/// A document checked: its diagnostics and model, the syntax trees of it and its
/// imports, and the index of their names.
struct Analysis {
    checked: Checked,
    trees: Vec<(FileId, ast::File)>,
    index: Index,
    root: FileId,
    /// The line starts of each file, by file id.
    lines: Vec<LineIndex>,
}

impl Analysis {
    fn new(path: &std::path::Path, text: &str, limits: &Limits) -> Analysis {
        let checked = check::check_text_limited(path, text, limits);
        let trees: Vec<(FileId, ast::File)> = checked
            .sources
            .iter()
            .map(|(id, file)| {
                (
                    id,
                    crate::syntax::parse_limited(&file.text, id, limits.max_depth).0,
                )
            })
            .collect();
        let refs: Vec<(FileId, &ast::File)> = trees.iter().map(|(id, t)| (*id, t)).collect();
        let index = Index::build(&refs);
        let root = checked.root.unwrap_or(FileId(0));
        let lines = checked
            .sources
            .iter()
            .map(|(_, f)| LineIndex::new(&f.text))
            .collect();
        Analysis {
            checked,
            trees,
            index,
            root,
            lines,
        }
    }

    /// The protocol's range for bytes `start..end` of `file`.
    fn range(&self, file: FileId, start: usize, end: usize, enc: Encoding) -> lsp_types::Range {
        let text = self.file_text(file);
        match self.lines.get(file.0 as usize) {
            Some(lines) => lines.range(text, start, end, enc),
            None => LineIndex::new(text).range(text, start, end, enc),
        }
    }

    fn span_range(&self, span: Span, enc: Encoding) -> lsp_types::Range {
        self.range(span.file, span.start as usize, span.end as usize, enc)
    }

    fn root_tree(&self) -> Option<&ast::File> {
        self.trees
            .iter()
            .find(|(id, _)| *id == self.root)
            .map(|(_, t)| t)
    }

    fn file_text(&self, file: FileId) -> &str {
        self.checked.sources.get(file).map_or("", |f| &f.text)
    }
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    limits: Limits,
    memory_mb: Option<u32>,
    docs: HashMap<String, Document>,
}

type Failure = (ErrorCode, String);

fn params<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

impl Server<'_> {
    fn notification(&mut self, note: Notification) -> Result<(), Error> {
        match note.method.as_str() {
            "textDocument/didOpen" => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(note.params)?;
                self.update(p.text_document.uri, p.text_document.text)?;
            }
            "textDocument/didChange" => {
                let p: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(note.params)?;
                // full synchronisation: the last change is the whole text
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.update(p.text_document.uri, change.text)?;
                }
            }
            "textDocument/didSave" => {
                // an import may have changed on disk: check every open file again
                let open: Vec<(Uri, String)> = self
                    .docs
                    .values()
                    .map(|d| (d.uri.clone(), d.text.clone()))
                    .collect();
                for (uri, text) in open {
                    self.update(uri, text)?;
                }
            }
            "textDocument/didClose" => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(note.params)?;
                if let Some(doc) = self.docs.remove(p.text_document.uri.as_str()) {
                    for uri in doc.published {
                        if let Ok(uri) = uri.parse::<Uri>() {
                            self.publish(uri, Vec::new())?;
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks a document again after a change and publishes its diagnostics.
    fn update(&mut self, uri: Uri, text: String) -> Result<(), Error> {
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

    fn publish(&self, uri: Uri, diagnostics: Vec<LspDiagnostic>) -> Result<(), Error> {
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
    fn publish_document(&mut self, key: &str) -> Result<(), Error> {
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
        let uri = self.uri_of(doc, file);
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

    fn uri_of(&self, doc: &Document, file: FileId) -> Uri {
        if file == doc.analysis.root {
            return doc.uri.clone();
        }
        path_to_uri(doc.analysis.checked.sources.path(file)).unwrap_or_else(|| doc.uri.clone())
    }

    fn doc(&self, uri: &Uri) -> Result<&Document, Failure> {
        self.docs.get(uri.as_str()).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }

    fn offset(&self, doc: &Document, pos: Position) -> usize {
        let a = &doc.analysis;
        match a.lines.get(a.root.0 as usize) {
            Some(lines) => lines.offset(&doc.text, pos, self.encoding),
            None => LineIndex::new(&doc.text).offset(&doc.text, pos, self.encoding),
        }
    }

    fn location(&self, doc: &Document, span: Span) -> Location {
        let range = doc.analysis.span_range(span, self.encoding);
        Location::new(self.uri_of(doc, span.file), range)
    }

    fn request(&mut self, request: Request) -> Result<Value, Failure> {
        let to_json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            "textDocument/definition" => {
                let p: lsp_types::GotoDefinitionParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position_params.text_document.uri)?;
                let offset = self.offset(doc, p.text_document_position_params.position);
                let found = doc
                    .analysis
                    .index
                    .at(doc.analysis.root, offset)
                    .and_then(|o| doc.analysis.index.definition(&o.target))
                    .map(|span| self.location(doc, span))
                    .or_else(|| self.imported_file(doc, offset));
                to_json(serde_json::to_value(found))
            }
            "textDocument/references" => {
                let p: lsp_types::ReferenceParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position.text_document.uri)?;
                let offset = self.offset(doc, p.text_document_position.position);
                let index = &doc.analysis.index;
                let locations: Vec<Location> = match index.at(doc.analysis.root, offset) {
                    Some(o) => index
                        .references(&o.target)
                        .filter(|r| p.context.include_declaration || !r.is_def)
                        .map(|r| self.location(doc, r.span))
                        .collect(),
                    None => Vec::new(),
                };
                to_json(serde_json::to_value(locations))
            }
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position_params.text_document.uri)?;
                let offset = self.offset(doc, p.text_document_position_params.position);
                to_json(serde_json::to_value(self.hover(doc, offset)))
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position.text_document.uri)?;
                let offset = self.offset(doc, p.text_document_position.position);
                to_json(serde_json::to_value(completions(doc, offset)))
            }
            "textDocument/formatting" => {
                let p: lsp_types::DocumentFormattingParams = params(request.params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(serde_json::to_value(self.format(doc)))
            }
            "textDocument/codeLens" => {
                let p: lsp_types::CodeLensParams = params(request.params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(serde_json::to_value(self.code_lenses(doc)))
            }
            "workspace/executeCommand" => {
                let p: lsp_types::ExecuteCommandParams = params(request.params)?;
                if p.command != VERIFY_CLAIM {
                    return Err((
                        ErrorCode::InvalidParams,
                        format!("unknown command `{}`", p.command),
                    ));
                }
                let mut args = p.arguments.into_iter();
                let (Some(uri), Some(position)) = (args.next(), args.next()) else {
                    return Err((
                        ErrorCode::InvalidParams,
                        format!("`{VERIFY_CLAIM}` takes a document URI and a position"),
                    ));
                };
                let uri: Uri = params(uri)?;
                let position: Position = params(position)?;
                self.verify_claim(&uri, position)
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("flowproof does not answer `{}`", request.method),
            )),
        }
    }

    /// The file an `import` at `offset` names, as a location at its start.
    fn imported_file(&self, doc: &Document, offset: usize) -> Option<Location> {
        let tree = doc.analysis.root_tree()?;
        let import = tree.decls.iter().find_map(|d| match d {
            Decl::Import(i)
                if (i.path.span.start as usize) <= offset && offset <= i.path.span.end as usize =>
            {
                Some(i)
            }
            _ => None,
        })?;
        let dir = doc.path.parent()?;
        let uri = path_to_uri(&dir.join(&import.path.node))?;
        Some(Location::new(uri, lsp_types::Range::default()))
    }

    fn hover(&self, doc: &Document, offset: usize) -> Option<Hover> {
        let a = &doc.analysis;
        let occurrence = a.index.at(a.root, offset)?;
        let mut out = String::new();
        let model = a.checked.model.as_ref();
        match &occurrence.target {
            Target::Global(ns, name) => {
                let def = a.index.defs.get(&(*ns, name.clone()))?;
                out.push_str(&format!("```flow\n{}\n```\n", def.text));
                if let Some(model) = model {
                    out.push_str(&describe(model, *ns, name));
                }
                let comments = comments_above(a.file_text(def.decl.file), def.decl.start as usize);
                if !comments.is_empty() {
                    out.push_str("\n---\n");
                    out.push_str(&comments);
                }
            }
            Target::Local(binding) => {
                let var = a.index.var(binding)?;
                out.push_str(&format!("```flow\n{}: {}\n```\n", var.name, var.kind));
                out.push_str("A variable of this declaration");
                if let Some(model) = model
                    && let Some(kind) = model.kinds.iter().position(|k| k.name == var.kind)
                {
                    let names = agency_names(model, crate::model::KindId::from_index(kind));
                    out.push_str(&format!(
                        ": one instance for each of the {} agencies of kind `{}` ({})",
                        names.len(),
                        var.kind,
                        listed(&names, 12)
                    ));
                }
                out.push_str(".\n");
            }
        }
        let range = a.span_range(occurrence.span, self.encoding);
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: out,
            }),
            range: Some(range),
        })
    }

    fn format(&self, doc: &Document) -> Option<Vec<TextEdit>> {
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

    fn code_lenses(&self, doc: &Document) -> Vec<CodeLens> {
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
                let range = doc.analysis.span_range(c.name.span, self.encoding);
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

    /// Verifies the claim whose declaration holds `position`, shows the verdict on the
    /// claim's name, and answers with `{claim, verdict, message}`.
    fn verify_claim(&mut self, uri: &Uri, position: Position) -> Result<Value, Failure> {
        let doc = self.doc(uri)?;
        let offset = self.offset(doc, position);
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

/// The names of the agencies of a kind, in declaration order.
fn agency_names(model: &Model, kind: crate::model::KindId) -> Vec<&str> {
    model
        .agencies_of(kind)
        .map(|id| model.agency(id).name.as_str())
        .collect()
}

/// A list of names, the first `max` of them and how many more.
fn listed(names: &[&str], max: usize) -> String {
    let shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    let mut out = shown.join(", ");
    if names.len() > max {
        out.push_str(&format!(", and {} more", names.len() - max));
    }
    out
}

/// What the model knows about a name, in Markdown.
fn describe(model: &Model, ns: Namespace, name: &str) -> String {
    match ns {
        Namespace::Agency => {
            let Some(a) = model.agencies.iter().find(|a| a.name == name) else {
                return String::new();
            };
            let mut out = format!("An agency of kind `{}`", model.kind(a.kind).name);
            let mut chain = Vec::new();
            let mut parent = a.parent;
            while let Some(p) = parent {
                if chain.len() > model.agencies.len() {
                    break;
                }
                chain.push(format!("`{}`", model.agency(p).name));
                parent = model.agency(p).parent;
            }
            if chain.is_empty() {
                out.push_str(", with no parent.\n");
            } else {
                out.push_str(&format!(", in {}.\n", chain.join(", in ")));
            }
            out
        }
        Namespace::Param => {
            let Some(p) = model.params.iter().find(|p| p.name == name) else {
                return String::new();
            };
            let per_kind: Vec<Vec<&str>> = p.args.iter().map(|k| agency_names(model, *k)).collect();
            let count = per_kind
                .iter()
                .map(Vec::len)
                .fold(1usize, usize::saturating_mul);
            // the first few tuples, last argument fastest
            let instances: Vec<String> = (0..count.min(12))
                .map(|mut i| {
                    let mut args = vec![""; per_kind.len()];
                    for (k, names) in per_kind.iter().enumerate().rev() {
                        args[k] = names[i % names.len()];
                        i /= names.len();
                    }
                    if args.is_empty() {
                        format!("`{name}`")
                    } else {
                        format!("`{name}({})`", args.join(", "))
                    }
                })
                .collect();
            let mut out = format!(
                "A yes/no fact left open: {count} ground instance{}",
                if count == 1 { "" } else { "s" }
            );
            if count > 0 {
                out.push_str(&format!(": {}", instances.join(", ")));
                if count > instances.len() {
                    out.push_str(&format!(", and {} more", count - instances.len()));
                }
            }
            out.push_str(".\n");
            if p.optout.is_some() {
                out.push_str("\nDeclared by an opt-out: true where the agency opts out.\n");
            }
            out
        }
        Namespace::Source => {
            let Some(s) = model.sources.iter().find(|s| s.name == name) else {
                return String::new();
            };
            let mut out = String::new();
            if let Some(title) = &s.title {
                out.push_str(&format!("**{title}**"));
            }
            if let Some(date) = s.date {
                out.push_str(&format!(" ({date})"));
            }
            out.push('\n');
            if let Some(url) = &s.url {
                out.push_str(&format!("\n{url}\n"));
            }
            if let Some(quote) = &s.quote {
                out.push_str(&format!("\n> {quote}\n"));
            }
            out
        }
        Namespace::Kind => {
            let Some(k) = model.kinds.iter().position(|k| k.name == name) else {
                return String::new();
            };
            let names = agency_names(model, crate::model::KindId::from_index(k));
            format!(
                "A kind with {} agenc{}: {}.\n",
                names.len(),
                if names.len() == 1 { "y" } else { "ies" },
                listed(&names, 12)
            )
        }
        Namespace::Claim => {
            let Some(c) = model.claims.iter().find(|c| c.name == name) else {
                return String::new();
            };
            let mut out = String::new();
            if let Some(title) = &c.title {
                out.push_str(&format!("**{title}**\n"));
            }
            if let Some(quote) = &c.quote {
                out.push_str(&format!("\n> {quote}\n"));
            }
            out
        }
        Namespace::Data => {
            let Some(d) = model.data.iter().position(|d| d.name == name) else {
                return String::new();
            };
            let id = crate::model::DataId::from_index(d);
            let collected: Vec<String> = model
                .collects
                .iter()
                .filter(|c| c.data == id)
                .map(|c| endpoint_words(model, &c.info, &c.at))
                .collect();
            let derived: Vec<String> = model
                .derives
                .iter()
                .filter(|r| r.data == id)
                .map(|r| {
                    format!(
                        "from `{}` at {}",
                        model.data_name(r.from),
                        endpoint_words(model, &r.info, &r.at)
                    )
                })
                .collect();
            let flows = model.flows.iter().filter(|f| f.data == id).count();
            let mut out = String::new();
            if !collected.is_empty() {
                out.push_str(&format!("Collected at {}.\n", collected.join("; ")));
            }
            if !derived.is_empty() {
                out.push_str(&format!("Derived {}.\n", derived.join("; ")));
            }
            out.push_str(&format!(
                "Moved by {flows} flow rule{}.\n",
                if flows == 1 { "" } else { "s" }
            ));
            out
        }
    }
}

/// An endpoint in words: "every `county`", or the agency term.
fn endpoint_words(
    model: &Model,
    info: &crate::model::RuleInfo,
    e: &crate::model::Endpoint,
) -> String {
    fn term(model: &Model, info: &crate::model::RuleInfo, t: &crate::model::Term) -> String {
        match t {
            crate::model::Term::Agency(a) => model.agency(*a).name.clone(),
            crate::model::Term::Var(v) => info.var(*v).name.clone(),
            crate::model::Term::Origin => "origin".to_owned(),
            crate::model::Term::Parent(inner) => format!("parent({})", term(model, info, inner)),
        }
    }
    match e {
        crate::model::Endpoint::Bind(v) => {
            format!("every `{}`", model.kind(info.var(*v).kind).name)
        }
        crate::model::Endpoint::Term(t) => format!("`{}`", term(model, info, t)),
    }
}

/// The `//` comment lines just above the line holding `offset`, without the slashes.
fn comments_above(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = before[..line_start]
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with("//"))
        .take(12)
        .map(|l| l.trim_start().trim_start_matches('/').trim())
        .collect();
    lines.reverse();
    lines.join("\n")
}

/// Declaration keywords, offered where a declaration starts.
const DECL_KEYWORDS: &[&str] = &[
    "policy", "import", "source", "kind", "agency", "data", "param", "optout", "collect", "flow",
    "derive", "assume", "claim",
];

/// Keywords that can start a formula or a term.
const FORMULA_KEYWORDS: &[&str] = &[
    "true", "false", "forall", "exists", "reaches", "flows", "parent", "origin",
];

/// What fits at the cursor.
enum Slot {
    Declaration,
    Kind,
    Agency,
    Data,
    Source,
    /// an agency term: agencies, variables, `origin`, `parent`
    Term,
    Formula,
    /// a new name is being declared: nothing to offer
    NewName,
    Mode,
}

fn slot(before: &[Tok<'_>]) -> Slot {
    let back = |n: usize| before.len().checked_sub(n).and_then(|i| before.get(i));
    match back(1) {
        None | Some(Tok::Semi | Tok::RBrace) => Slot::Declaration,
        Some(
            Tok::Kind
            | Tok::Agency
            | Tok::Data
            | Tok::Param
            | Tok::Optout
            | Tok::Source
            | Tok::Claim,
        ) => Slot::NewName,
        Some(Tok::Cite) => Slot::Source,
        Some(Tok::Comma) => {
            // in a cite list, only names and commas go back to `cite`
            let in_cites = before
                .iter()
                .rev()
                .skip(1)
                .find(|t| !matches!(t, Tok::Ident(_) | Tok::Comma))
                .is_some_and(|t| *t == Tok::Cite);
            if in_cites { Slot::Source } else { Slot::Term }
        }
        Some(Tok::Flow | Tok::Collect | Tok::Blocks | Tok::Derive | Tok::From) => Slot::Data,
        Some(Tok::LParen) if matches!(back(2), Some(Tok::Reaches | Tok::Flows)) => Slot::Data,
        Some(Tok::In) => Slot::Agency,
        Some(Tok::Of | Tok::Arrow | Tok::At | Tok::EqEq | Tok::NotEq) => Slot::Term,
        Some(Tok::LParen) if matches!(back(2), Some(Tok::Parent)) => Slot::Term,
        Some(Tok::Colon) => match (back(2), back(3)) {
            (Some(Tok::Ident(_)), Some(Tok::Flow | Tok::Blocks)) => Slot::Term,
            (Some(Tok::Ident(_)), Some(Tok::Agency)) => Slot::Kind,
            (Some(Tok::Ident(_)), Some(Tok::LParen | Tok::Comma | Tok::Forall | Tok::Exists)) => {
                Slot::Kind
            }
            _ => Slot::Mode,
        },
        _ => Slot::Formula,
    }
}

/// The completions at `offset`: the names that fit there, with what each is.
fn completions(doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let a = &doc.analysis;
    let prefix = &doc.text[..offset.min(doc.text.len())];
    let (mut toks, _) = lexer::tokens(prefix, FileId(0));
    // a word being typed is not context
    if let Some((_, Tok::Ident(_) | Tok::Error, end)) = toks.last()
        && *end == prefix.len()
    {
        toks.pop();
    }
    let before: Vec<Tok<'_>> = toks.into_iter().map(|(_, t, _)| t).collect();
    let mut items = Vec::new();
    let global = |ns: Namespace, kind: CompletionItemKind, items: &mut Vec<CompletionItem>| {
        let mut names: Vec<(&String, &index::Def)> = a
            .index
            .defs
            .iter()
            .filter(|((n, _), _)| *n == ns)
            .map(|((_, name), def)| (name, def))
            .collect();
        names.sort_by_key(|(name, _)| name.as_str());
        for (name, def) in names {
            items.push(CompletionItem {
                label: name.clone(),
                kind: Some(kind),
                detail: Some(def.text.clone()),
                ..CompletionItem::default()
            });
        }
    };
    let keywords = |words: &[&str], items: &mut Vec<CompletionItem>| {
        for w in words {
            items.push(CompletionItem {
                label: (*w).to_owned(),
                kind: Some(CompletionItemKind::KEYWORD),
                ..CompletionItem::default()
            });
        }
    };
    let vars = |items: &mut Vec<CompletionItem>| {
        let mut seen = HashSet::new();
        let scanned = binders_before(&before);
        let indexed = a
            .index
            .vars_at(a.root, offset)
            .into_iter()
            .map(|v| (v.name.clone(), v.kind.clone()));
        for (name, kind) in indexed.chain(scanned) {
            if seen.insert(name.clone()) {
                items.push(CompletionItem {
                    label: name,
                    kind: Some(CompletionItemKind::VARIABLE),
                    detail: Some(format!("variable of kind {kind}")),
                    ..CompletionItem::default()
                });
            }
        }
    };
    match slot(&before) {
        Slot::Declaration => keywords(DECL_KEYWORDS, &mut items),
        Slot::NewName => {}
        Slot::Kind => global(Namespace::Kind, CompletionItemKind::CLASS, &mut items),
        Slot::Agency => global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items),
        Slot::Data => global(Namespace::Data, CompletionItemKind::STRUCT, &mut items),
        Slot::Source => global(Namespace::Source, CompletionItemKind::REFERENCE, &mut items),
        Slot::Mode => keywords(&["always", "possible"], &mut items),
        Slot::Term => {
            vars(&mut items);
            global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items);
            keywords(&["origin", "parent"], &mut items);
        }
        Slot::Formula => {
            vars(&mut items);
            global(Namespace::Param, CompletionItemKind::FUNCTION, &mut items);
            global(Namespace::Agency, CompletionItemKind::CONSTANT, &mut items);
            keywords(FORMULA_KEYWORDS, &mut items);
        }
    }
    items
}

/// The variables bound so far in the declaration the cursor is in, read from its
/// tokens (so that they are found while the declaration does not parse yet).
fn binders_before(before: &[Tok<'_>]) -> Vec<(String, String)> {
    let start = before
        .iter()
        .rposition(|t| matches!(t, Tok::Semi | Tok::RBrace))
        .map_or(0, |i| i + 1);
    let decl = &before[start..];
    let mut out = Vec::new();
    for w in decl.windows(4) {
        if let [
            Tok::LParen | Tok::Comma | Tok::Forall | Tok::Exists,
            Tok::Ident(var),
            Tok::Colon,
            Tok::Ident(kind),
        ] = w
        {
            out.push(((*var).to_owned(), (*kind).to_owned()));
        }
    }
    out
}
