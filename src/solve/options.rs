//! How to verify: limits, which claims, which optimisations, progress.

use crate::model::Model;

/// What a [`Progress`] calls: the claim's name, how many are done, and of how many.
pub type ProgressFn = dyn Fn(&str, usize, usize) + Send + Sync;

/// Told after each claim is decided.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<ProgressFn>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// How to verify.
#[derive(Clone, Debug)]
pub struct Options {
    /// Per solver question, in milliseconds; `None` for no limit.
    pub timeout_ms: Option<u32>,
    /// Per solver question, Z3's deterministic resource limit; `None` for no limit.
    pub rlimit: Option<u32>,
    /// Only these claims (by name); all when empty.
    pub claims: Vec<String>,
    /// How many distinct routes to list for each fact a witness turns on (1: the path only).
    pub routes: usize,
    /// Decide each claim part by part, on the cone of each part, asking questions that
    /// are the same up to renaming once (see `split`). Off: one question per claim over
    /// everything it reads — slower, and kept as the plain configuration the fast one
    /// is checked against.
    pub split: bool,
    /// With `split`: ask questions that are the same up to renaming once.
    pub reuse: bool,
    /// With `split`: substitute the params unit assumptions fix before asking.
    pub propagate: bool,
    /// With `split`: decide a claim over interchangeable agencies on one of each class
    /// (see `symmetry`).
    pub symmetry: bool,
    /// With `split`: decide a question with binary decision diagrams when they stay
    /// small (see `bdd`), and with Z3 otherwise.
    pub bdd: bool,
    /// With `split`: a question about one slice of at least this many nodes goes to a
    /// solver of its own that keeps the slice defined.
    pub own_solver_nodes: usize,
    /// Told after each claim.
    pub progress: Option<Progress>,
    /// The limits on the input (file size, depth, ground size) when the pipeline reads
    /// the file itself.
    pub limits: crate::limits::Limits,
    /// Where the documents of sources are found when the pipeline reads the file
    /// itself, and whether a missing one is an error.
    pub evidence: crate::check::Evidence,
    /// Memory the whole process may use while the solver runs, in megabytes; past it
    /// the remaining questions end unknown. `None` (or 0): no cap.
    pub memory_mb: Option<u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout_ms: Some(120_000),
            rlimit: None,
            claims: Vec::new(),
            routes: 1,
            split: true,
            reuse: true,
            propagate: true,
            symmetry: true,
            bdd: true,
            own_solver_nodes: 512,
            progress: None,
            limits: crate::limits::Limits::default(),
            evidence: crate::check::Evidence::default(),
            memory_mb: None,
        }
    }
}

/// The claims selected by `options`, in file order.
pub fn selected_claims(model: &Model, options: &Options) -> Vec<usize> {
    (0..model.claims.len())
        .filter(|i| options.claims.is_empty() || options.claims.contains(&model.claims[*i].name))
        .collect()
}
