//! The `flowproof` binary, run as a user runs it: every command's output, exit status and diagnostics, the language server over JSON-RPC, the report in a browser, and every command shown in the documentation.

#[path = "../support/mod.rs"]
#[allow(dead_code, reason = "each test binary uses part of the shared helpers")]
mod support;

mod cli;
mod contradictions;
mod diff;
mod doc_commands;
mod explanations;
mod graph;
mod irs_ice;
mod limits;
mod lsp;
mod malformed;
mod packaging;
mod pin;
mod report;
mod report_layout;
mod schema;
mod timeline;
mod verify;
mod verify_output;
mod version1;
