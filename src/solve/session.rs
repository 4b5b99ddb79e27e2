//! One solver with the assumptions asserted behind tracking literals, the limits it
//! runs under (time, resource, the memory of the whole process), and why it gave up.

use std::sync::atomic::{AtomicBool, Ordering};

use z3::ast::Bool;
use z3::{Params, SatResult, Solver};

use super::Options;
use super::encode::Encoder;
use crate::ground::{Grounded, Prop};

/// One solver with the assumptions asserted behind tracking literals.
pub(super) struct Session {
    pub(super) solver: Solver,
    /// Which limits were set, to say which one was hit.
    limits: (Option<u32>, Option<u32>),
    pub(super) encoder: Encoder,
    /// One literal per assumption: asserting it turns the assumption on.
    pub(super) tracks: Vec<Bool>,
}

/// While `f` runs, watches the memory of the whole process and, once it passes
/// `cap_mb` megabytes, interrupts the solver on this thread (again at every poll while
/// it stays above): every question then ends unknown, and the reason names the cap.
///
/// Z3's own `memory_max_size` is not used: past it, libz3 hands back null objects that
/// the bindings cannot survive. Resident memory is read from `/proc/self/status`; where
/// that file does not exist, nothing is watched.
pub(super) fn with_memory_cap<T>(cap_mb: Option<u32>, f: impl FnOnce() -> T) -> (T, Option<u32>) {
    let Some(cap_mb) = cap_mb.filter(|mb| *mb > 0) else {
        return (f(), None);
    };
    if resident_mb().is_none() {
        return (f(), None);
    }
    let ctx = z3::Context::thread_local();
    let handle = ctx.handle();
    // a run that starts past the cap gives no verdict, however fast it would be
    let over = resident_mb().is_some_and(|mb| mb > u64::from(cap_mb));
    let hit = std::sync::Arc::new(AtomicBool::new(over));
    let done = AtomicBool::new(false);
    MEMORY_CAP.with(|c| *c.borrow_mut() = Some((cap_mb, hit.clone())));
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                if resident_mb().is_some_and(|mb| mb > u64::from(cap_mb)) {
                    hit.store(true, Ordering::SeqCst);
                    handle.interrupt();
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        });
        let out = f();
        done.store(true, Ordering::SeqCst);
        out
    });
    MEMORY_CAP.with(|c| *c.borrow_mut() = None);
    (out, hit.load(Ordering::SeqCst).then_some(cap_mb))
}

thread_local! {
    /// The memory cap of the run on this thread, and whether it was passed.
    static MEMORY_CAP: std::cell::RefCell<Option<(u32, std::sync::Arc<AtomicBool>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The cap, when this thread's run has passed it.
pub(super) fn memory_cap_hit() -> Option<u32> {
    MEMORY_CAP.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(_, hit)| hit.load(Ordering::SeqCst))
            .map(|(mb, _)| *mb)
    })
}

/// The resident memory of this process in megabytes (Linux).
fn resident_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// A solver with the time and resource limits of `limits` (`(timeout_ms, rlimit)`).
pub(super) fn limited_solver(limits: (Option<u32>, Option<u32>)) -> Solver {
    let solver = Solver::new();
    let mut params = Params::new();
    if let Some(ms) = limits.0 {
        params.set_u32("timeout", ms);
    }
    if let Some(limit) = limits.1 {
        params.set_u32("rlimit", limit);
    }
    solver.set_params(&params);
    solver
}

impl Session {
    /// A solver under `options`' limits with every assumption of `grounded` asserted
    /// behind its own tracking literal.
    pub(super) fn new(options: &Options, grounded: &mut Grounded) -> Session {
        let solver = limited_solver((options.timeout_ms, options.rlimit));
        let mut encoder = Encoder::default();
        let mut tracks = Vec::new();
        let assumptions = std::mem::take(&mut grounded.assumptions);
        for (i, a) in assumptions.iter().enumerate() {
            encoder.define_reach_for(&solver, grounded, a);
            let term = encoder.prop(grounded, a);
            let track = Bool::new_const(format!("assume{i}"));
            solver.assert(track.implies(&term));
            tracks.push(track);
        }
        grounded.assumptions = assumptions;
        Session {
            solver,
            limits: (options.timeout_ms, options.rlimit),
            encoder,
            tracks,
        }
    }

    /// Is `goal` satisfiable together with every assumption?
    pub(super) fn check(&mut self, grounded: &mut Grounded, goal: &Prop) -> SatResult {
        self.encoder.define_reach_for(&self.solver, grounded, goal);
        let term = self.encoder.prop(grounded, goal);
        self.solver.push();
        self.solver.assert(&term);
        let result = self.solver.check_assumptions(&self.tracks);
        if result != SatResult::Sat {
            self.solver.pop(1);
        }
        result
    }

    /// After a `Sat` from [`Session::check`]: the scenario, then the scope is popped.
    pub(super) fn scenario(&mut self, count: usize) -> Vec<bool> {
        // a param the questions never mentioned is unconstrained: false, as the
        // solver's model completion would make it
        let mut values = vec![false; count];
        self.encoder
            .read_scenario(&self.solver, &mut values, |_| true);
        self.solver.pop(1);
        values
    }

    pub(super) fn reason_unknown(&self) -> String {
        describe_unknown(
            self.solver.get_reason_unknown().unwrap_or_default(),
            self.limits,
        )
    }
}

/// Why the solver gave up, in words, naming the limit that was hit.
pub(super) fn describe_unknown(reason: String, limits: (Option<u32>, Option<u32>)) -> String {
    if let Some(mb) = memory_cap_hit() {
        return format!("the memory limit of {mb} MB (--max-memory) was reached");
    }
    if reason.contains("memory") {
        return format!("the solver ran out of memory ({reason})");
    }
    let limit_hit = reason.contains("canceled")
        || reason.contains("timeout")
        || reason.contains("resource limit");
    match limits {
        (_, Some(units)) if limit_hit && !reason.contains("timeout") => {
            format!("the resource limit of {units} units (--rlimit) was reached")
        }
        (Some(ms), _) if limit_hit => {
            format!(
                "the time limit of {} s (--timeout) was reached",
                f64::from(ms) / 1000.0
            )
        }
        // libz3 4.8.12 sometimes gives no reason when a limit stops it
        (timeout, rlimit) if reason.is_empty() || reason == "unknown" => match (timeout, rlimit) {
            (_, Some(units)) => format!(
                "the solver gave up without a reason; the resource limit of {units} units (--rlimit) may have been reached"
            ),
            (Some(ms), None) => format!(
                "the solver gave up without a reason; the time limit of {} s (--timeout) may have been reached",
                f64::from(ms) / 1000.0
            ),
            (None, None) => "the solver gave up".to_owned(),
        },
        _ => format!("the solver gave up ({reason})"),
    }
}
