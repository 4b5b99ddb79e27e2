//! Nationwide scale: `cargo bench --bench nationwide`.
//!
//! For 100, 1,000, 3,143 and 10,000 counties (`FLOWPROOF_BENCH_COUNTIES=a,b,...` to
//! change), side by side in one run:
//! - the full verification of the 8 claims (check + verify, in process, best of 3);
//! - the floor: lex + parse + check + explicit breadth-first reachability for every
//!   origin, ignoring conditions, no solver (best of 3);
//! - peak memory of the verification (the process's high-water mark, reset before it);
//! - the optimisations one by one, on the sizes where each finishes in reasonable time;
//! - the peers on the same model and claims: an answer-set program solved with clingo,
//!   and a hand-grounded encoding in Z3's Python API (`benches/peers/`, installed into
//!   a local virtual environment by `benches/peers/setup.sh`); their verdicts must
//!   equal flowproof's.
//!
//! Ratios are printed: time / floor, time at 10x the counties / time, and flowproof's
//! speedup over each peer.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flowproof::check::check_text;
use flowproof::generate::{CLAIMS, flow_text, nation};
use flowproof::ground::{FlowGraph, Grounded};
use flowproof::solve::{self, Options};

fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    match last {
        Some(out) => (best, out),
        None => panic!("best_of needs at least one run"),
    }
}

/// Resets the process's peak resident set size (Linux `clear_refs`), so the next
/// reading of [`peak_kb`] is the peak since now.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Lex, parse, check, and breadth-first reachability from every origin of every data,
/// over every flow and derive instance whatever its condition.
fn floor(text: &str) -> usize {
    let checked = check_text(Path::new("nation.flow"), text);
    let Some(model) = checked.model.as_ref() else {
        panic!("the generated model checks")
    };
    let graph = FlowGraph::new(model);
    let mut reached = 0;
    for (d, origins) in graph.origins.iter().enumerate() {
        for &o in origins {
            let mut seen = std::collections::HashSet::new();
            let mut queue = VecDeque::new();
            let start = (flowproof::model::DataId::from_index(d), o);
            seen.insert(start);
            queue.push_back(start);
            while let Some((data, at)) = queue.pop_front() {
                let limited = graph.limited_out.get(&(at, o));
                for e in graph.open_out[at.index()]
                    .iter()
                    .chain(limited.into_iter().flatten())
                {
                    let (Some(inst), Some((_, to))) =
                        (graph.graph.edge_weight(*e), graph.graph.edge_endpoints(*e))
                    else {
                        continue;
                    };
                    if inst.data == data && seen.insert((data, graph.graph[to])) {
                        queue.push_back((data, graph.graph[to]));
                    }
                }
                for i in &graph.derives_at[at.index()] {
                    let rule = &model.derives[graph.derives[*i].rule];
                    if rule.from == data && seen.insert((rule.data, at)) {
                        queue.push_back((rule.data, at));
                    }
                }
            }
            reached += seen.len();
        }
    }
    reached
}

fn verdicts(text: &str, options: &Options) -> Vec<(String, String)> {
    let checked = check_text(Path::new("nation.flow"), text);
    let Some(model) = checked.model.as_ref() else {
        panic!("the generated model checks")
    };
    let outcomes = match solve::verify(&mut Grounded::new(model.clone()), options) {
        Ok(o) => o,
        Err(e) => panic!("verification failed: {e}"),
    };
    outcomes
        .iter()
        .map(|o| {
            (
                model.claims[o.claim].name.clone(),
                flowproof::diff::edits::word(o),
            )
        })
        .collect()
}

/// The peers' Python, set up on first use; `None` (with the reason) when it cannot be.
fn peer_python() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers");
    let python = dir.join(".venv/bin/python");
    if !python.exists() {
        let status = Command::new("bash")
            .arg(dir.join("setup.sh"))
            .status()
            .map_err(|e| format!("cannot run setup.sh: {e}"))?;
        if !status.success() {
            return Err("benches/peers/setup.sh failed".to_owned());
        }
    }
    Ok(python)
}

/// Runs a peer on the nation's facts: its verdicts and its wall time.
fn run_peer(
    python: &Path,
    script: &str,
    facts: &Path,
) -> Result<(Duration, Vec<(String, String)>), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/peers")
        .join(script);
    let t = Instant::now();
    let out = Command::new(python)
        .arg(&script)
        .arg(facts)
        .output()
        .map_err(|e| e.to_string())?;
    let wall = t.elapsed();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON: {e}"))?;
    let verdicts = CLAIMS
        .iter()
        .map(|(name, _)| {
            let v = json["verdicts"][name]
                .as_str()
                .unwrap_or("missing")
                .to_owned();
            ((*name).to_owned(), v)
        })
        .collect();
    Ok((wall, verdicts))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn main() {
    let sizes: Vec<usize> = std::env::var("FLOWPROOF_BENCH_COUNTIES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000, 3143, 10000]);
    let peers = peer_python();
    let scratch = std::env::temp_dir().join(format!("flowproof-nationwide-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&scratch);
    println!(
        "flowproof nationwide bench: 8 claims, best of 3 in process; peers once, as a user runs them\n"
    );
    println!(
        "{:>8} {:>9} {:>9} {:>8} {:>9} {:>10} {:>10} {:>9} {:>9}",
        "counties",
        "verify s",
        "floor s",
        "v/floor",
        "peak MB",
        "clingo s",
        "z3-py s",
        "x clingo",
        "x z3-py"
    );
    let mut times: Vec<(usize, f64)> = Vec::new();
    for &n in &sizes {
        let nation = nation(n, 1);
        let text = flow_text(&nation);
        let facts = scratch.join(format!("nation-{n}.json"));
        let _ = std::fs::write(&facts, serde_json::to_string(&nation).unwrap_or_default());
        let (floor_t, _) = best_of(3, || floor(&text));
        let options = Options::default();
        reset_peak();
        let (verify_t, ours) = best_of(3, || verdicts(&text, &options));
        let peak =
            peak_kb().map_or_else(|| "-".to_owned(), |kb| format!("{:.0}", kb as f64 / 1024.0));
        let expected: Vec<(String, String)> = CLAIMS
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(ours, expected, "{n} counties: flowproof's verdicts");
        let mut peer_cells = Vec::new();
        for script in ["clingo_peer.py", "z3_peer.py"] {
            let cell = match &peers {
                Ok(python) => match run_peer(python, script, &facts) {
                    Ok((t, v)) => {
                        assert_eq!(v, ours, "{n} counties: {script} disagrees with flowproof");
                        Some(t)
                    }
                    Err(e) => {
                        eprintln!("{script} on {n} counties failed: {e}");
                        None
                    }
                },
                Err(_) => None,
            };
            peer_cells.push(cell);
        }
        let show =
            |t: Option<Duration>| t.map_or_else(|| "-".to_owned(), |t| format!("{:.3}", secs(t)));
        let speedup = |t: Option<Duration>| {
            t.map_or_else(
                || "-".to_owned(),
                |t| format!("{:.1}x", secs(t) / secs(verify_t)),
            )
        };
        println!(
            "{:>8} {:>9.3} {:>9.3} {:>7.1}x {:>9} {:>10} {:>10} {:>9} {:>9}",
            n,
            secs(verify_t),
            secs(floor_t),
            secs(verify_t) / secs(floor_t),
            peak,
            show(peer_cells[0]),
            show(peer_cells[1]),
            speedup(peer_cells[0]),
            speedup(peer_cells[1]),
        );
        times.push((n, secs(verify_t)));
    }
    if let Err(why) = &peers {
        println!("\npeers not run: {why}");
    }
    println!();
    for (n, t) in &times {
        if let Some((m, u)) = times.iter().find(|(m, _)| *m == n * 10) {
            println!(
                "scaling: {m} counties / {n} counties = 10x the counties, {:.1}x the time",
                u / t
            );
        }
    }

    // the optimisations one by one, on the nationwide model
    let n = sizes.iter().copied().find(|n| *n >= 3143).unwrap_or(3143);
    let text = flow_text(&nation(n, 1));
    println!(
        "\noptimisations one by one, {n} counties, in process (best of 3); the plain configuration (one question per claim) once, on small sizes:"
    );
    let configs: [(&str, Options); 4] = [
        (
            "all: parts, symmetry, fixed params, reuse",
            Options::default(),
        ),
        (
            "parts, fixed params, reuse (no symmetry)",
            Options {
                symmetry: false,
                ..Options::default()
            },
        ),
        (
            "parts, reuse",
            Options {
                symmetry: false,
                propagate: false,
                ..Options::default()
            },
        ),
        (
            "parts only",
            Options {
                symmetry: false,
                propagate: false,
                reuse: false,
                ..Options::default()
            },
        ),
    ];
    for (label, options) in configs {
        let (t, v) = best_of(3, || verdicts(&text, &options));
        assert_eq!(v.len(), 8);
        println!("  {label:<42} {:>8.3} s", secs(t));
    }
    for small in [100, 300] {
        let text = flow_text(&nation(small, 1));
        let plain = Options {
            split: false,
            ..Options::default()
        };
        let (t, v) = best_of(1, || verdicts(&text, &plain));
        let (f, w) = best_of(3, || verdicts(&text, &Options::default()));
        assert_eq!(v, w, "{small} counties: the plain configuration disagrees");
        println!(
            "  plain (one question per claim), {small:>4} counties {:>8.3} s   (fast: {:.3} s, {:.0}x)",
            secs(t),
            secs(f),
            secs(t) / secs(f)
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
