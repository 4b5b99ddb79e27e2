//! Helpers shared by integration tests.

pub mod cli;
pub mod drawn;
pub mod random_model;
pub mod syntax_gen;
