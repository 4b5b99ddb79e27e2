//! flowproof: prove or refute claims about information-flow policies.
//!
//! The pipeline, one module per stage:
//!
//! text → [`syntax`] (tokens, syntax tree) → [`check`] (names, kinds, imports) →
//! [`model`] (the checked policy) → [`ground`] (instances over the agencies).
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
