//! Helpers shared by integration tests.

pub mod random_model;
