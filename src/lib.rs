//! flowproof: prove or refute claims about information-flow policies.
//!
//! The pipeline, one module per stage, each taking the previous stage's value and never
//! reaching back up (a test, `tests/library/layers.rs`, holds every file to this order):
//!
//! 1. [`syntax`]: text → tokens → syntax tree (grammar in `grammar/flow.lalrpop`);
//! 2. [`model`]: the checked policy, every name an id, and term evaluation over it;
//! 3. [`check`]: syntax trees (with their imports) → [`model::Model`], every error found;
//! 4. [`ground`]: the model → [`ground::Grounded`], every rule instantiated over the
//!    agencies: the flow graph, the ground params and assumptions, per-origin slices;
//! 5. [`verdict`]: what either engine answers (verdicts, witnesses, paths);
//! 6. [`witness`]: a scenario replayed on the ground graph → the witness shown;
//! 7. [`solve`] (the Z3 engine) and [`reference`] (the brute-force oracle): claims →
//!    verdicts;
//! 8. [`explain`]: why a proof holds (cores, counterfactuals, what undoes it);
//! 9. [`verify`]: the whole pipeline for a run of files → [`verify::Verified`] per file;
//! 10. [`diff`], [`timeline`], [`contradictions`], [`pin`], [`expect`]: questions about
//!     verified files (two versions, a series, statements together, one scenario,
//!     expected verdicts);
//! 11. [`render`]: every rendering (text, JSON, diagnostics, HTML, DOT, Mermaid, SVG);
//! 12. [`report`] (the page on disk) and [`lsp`] (the language server), which use the
//!     stages above.
//!
//! Beside the pipeline: [`format`] (syntax tree → canonical text), [`init`] (a starter
//! policy), [`generate`] (models for benchmarks), and what every stage shares: [`span`],
//! [`source`], [`diagnostic`], [`limits`], [`suggest`], [`minimize`], [`terminal`]. The
//! command line (`src/cli/`, one file per command) is the binary's, not the library's.
//!
//! ```
//! use std::path::Path;
//! let checked = flowproof::check::check_text(
//!     Path::new("example.flow"),
//!     "policy \"p\"; kind county; agency A: county; data prints; collect prints at A;",
//! );
//! assert!(!checked.has_errors());
//! assert_eq!(checked.model.unwrap().agencies.len(), 1);
//! ```

pub mod check;
pub mod contradictions;
pub mod diagnostic;
pub mod diff;
pub mod expect;
pub mod explain;
pub mod format;
pub mod generate;
pub mod ground;
pub mod init;
pub mod limits;
pub mod lsp;
pub mod minimize;
pub mod model;
pub mod pin;
pub mod reference;
pub mod render;
pub mod report;
pub mod solve;
pub mod source;
pub mod span;
pub mod suggest;
pub mod syntax;
pub mod terminal;
pub mod timeline;
pub mod verdict;
pub mod verify;
pub mod witness;
