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
//!
//! This file holds the handshake, the message loop and the dispatch of each
//! notification and request; the work is done in the steps below it, in order:
//! [`text`] (positions and URIs) and `index` (what names stand for), `document` (a
//! text analysed), `diagnostics` (document state and what is published), then one
//! file per request: `navigate` (definition, references), `hover`, `complete`,
//! `formatting`, and `lens` (code lenses and the verify command).

mod complete;
mod diagnostics;
mod document;
mod formatting;
mod hover;
mod index;
mod lens;
mod navigate;
pub mod text;

use std::collections::HashMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeLensOptions, CompletionOptions, ExecuteCommandOptions, InitializeParams, OneOf, Position,
    PositionEncodingKind, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    Uri,
};
use serde_json::{Value, json};

use crate::limits::Limits;
use document::Document;
use text::Encoding;

/// The command that verifies the claim under the cursor: arguments `[uri, position]`.
pub const VERIFY_CLAIM: &str = "flowproof.verifyClaim";

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

/// The server's state: the connection, how the client counts characters, the limits
/// every check and verification runs under, and the open documents by URI.
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

    /// The open document at `uri`.
    fn doc(&self, uri: &Uri) -> Result<&Document, Failure> {
        self.docs.get(uri.as_str()).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("`{}` is not open", uri.as_str()),
            )
        })
    }

    fn request(&mut self, request: Request) -> Result<Value, Failure> {
        let to_json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            "textDocument/definition" => {
                let p: lsp_types::GotoDefinitionParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position_params.text_document.uri)?;
                let offset = doc.offset(p.text_document_position_params.position, self.encoding);
                let found = navigate::definition(doc, offset, self.encoding);
                to_json(serde_json::to_value(found))
            }
            "textDocument/references" => {
                let p: lsp_types::ReferenceParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position.text_document.uri)?;
                let offset = doc.offset(p.text_document_position.position, self.encoding);
                let include = p.context.include_declaration;
                let locations = navigate::references(doc, offset, include, self.encoding);
                to_json(serde_json::to_value(locations))
            }
            "textDocument/hover" => {
                let p: lsp_types::HoverParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position_params.text_document.uri)?;
                let offset = doc.offset(p.text_document_position_params.position, self.encoding);
                let found = hover::hover(doc, offset, self.encoding);
                to_json(serde_json::to_value(found))
            }
            "textDocument/completion" => {
                let p: lsp_types::CompletionParams = params(request.params)?;
                let doc = self.doc(&p.text_document_position.text_document.uri)?;
                let offset = doc.offset(p.text_document_position.position, self.encoding);
                to_json(serde_json::to_value(complete::completions(doc, offset)))
            }
            "textDocument/formatting" => {
                let p: lsp_types::DocumentFormattingParams = params(request.params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(serde_json::to_value(self.format(doc)))
            }
            "textDocument/codeLens" => {
                let p: lsp_types::CodeLensParams = params(request.params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(serde_json::to_value(lens::code_lenses(doc, self.encoding)))
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
}
