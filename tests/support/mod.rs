//! Helpers shared by integration tests.

pub mod cli;
pub mod drawn;
pub mod random_extra;
pub mod random_model;
pub mod random_pair;
pub mod syntax_gen;
