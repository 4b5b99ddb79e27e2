//! The library, called directly: the front end (lexer, parser, checker, formatter round trips), the engines on fixed models, the shipped policies and documentation, and the fuzz targets' committed seeds.

#[path = "../support/mod.rs"]
#[allow(dead_code, reason = "each test binary uses part of the shared helpers")]
mod support;

mod check;
mod diagnostics;
mod docs;
mod editors;
mod fuzz_seeds;
mod layers;
mod layout;
mod nationwide;
mod policies;
mod quote;
mod render;
mod roundtrip;
mod semantics;
mod syntax;
mod varied_nation;
