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
//!
//! Then the varied nation (`gen nationwide --varied`: states and counties with rules of
//! their own) side by side with the symmetric one, at 3,143 and 31,430 counties
//! (`FLOWPROOF_BENCH_VARIED_COUNTIES`), as a user runs them: the release binary's
//! `verify` (wall and peak memory), the floor, and both peers, in interleaved rounds
//! (`FLOWPROOF_BENCH_ROUNDS`, 3), medians, each run capped (`FLOWPROOF_BENCH_CAP_S`,
//! 600 s; a run over the cap is reported as such and not repeated). Every decided
//! verdict must equal the generator's; an unknown is reported, never counted as agreement.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flowproof::check::check_text;
use flowproof::generate::{CLAIMS, flow_text, nation, varied_flow_text, varied_nation};
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
    // the varied nation at 10x is past the default ground limit, as it is for verify
    let limits = flowproof::limits::Limits {
        max_ground: 100_000_000,
        ..flowproof::limits::Limits::default()
    };
    let checked = flowproof::check::check_text_limited(Path::new("nation.flow"), text, &limits);
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
    let names: Vec<String> = CLAIMS.iter().map(|(n, _)| (*n).to_owned()).collect();
    match run_peer_capped(python, script, facts, &names, Duration::MAX)? {
        Capped::Done(t, v) => Ok((t, v)),
        Capped::OverCap => Err("over the cap".to_owned()),
    }
}

/// A run that finished, or one stopped at the cap.
enum Capped<T> {
    Done(Duration, T),
    OverCap,
}

/// Runs `cmd`, killing it after `cap`: its wall time and output.
fn run_capped(cmd: &mut Command, cap: Duration) -> Result<Capped<std::process::Output>, String> {
    // both streams to files: a pipe that fills up would stall a talkative command
    let out_path = std::env::temp_dir().join(format!("flowproof-bench-out-{}", std::process::id()));
    let err_path = std::env::temp_dir().join(format!("flowproof-bench-err-{}", std::process::id()));
    let out_file = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let err_file = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let mut child = cmd
        .stdout(out_file)
        .stderr(err_file)
        .spawn()
        .map_err(|e| e.to_string())?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let wall = t.elapsed();
            let stdout = std::fs::read(&out_path).unwrap_or_default();
            let stderr = std::fs::read(&err_path).unwrap_or_default();
            let _ = std::fs::remove_file(&out_path);
            let _ = std::fs::remove_file(&err_path);
            return Ok(Capped::Done(
                wall,
                std::process::Output {
                    status,
                    stdout,
                    stderr,
                },
            ));
        }
        if t.elapsed() > cap {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(&out_path);
            let _ = std::fs::remove_file(&err_path);
            return Ok(Capped::OverCap);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a peer, capped: its verdicts (for `names`) and its wall time.
fn run_peer_capped(
    python: &Path,
    script: &str,
    facts: &Path,
    names: &[String],
    cap: Duration,
) -> Result<Capped<Vec<(String, String)>>, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/peers")
        .join(script);
    let Capped::Done(wall, out) = run_capped(Command::new(python).arg(&script).arg(facts), cap)?
    else {
        return Ok(Capped::OverCap);
    };
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON: {e}"))?;
    let verdicts = names
        .iter()
        .map(|name| {
            let v = json["verdicts"][name]
                .as_str()
                .unwrap_or("missing")
                .to_owned();
            (name.clone(), v)
        })
        .collect();
    Ok(Capped::Done(wall, verdicts))
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
    varied::run(&peers, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
}

/// The varied nation side by side with the symmetric one, run as a user runs them.
mod varied {
    use super::*;

    /// One measured cell: the median of the rounds that finished, or why there is none.
    #[derive(Default)]
    struct Cell {
        times: Vec<f64>,
        over_cap: bool,
        failed: Option<String>,
        peak_kb: Vec<u64>,
        unknown: usize,
    }

    impl Cell {
        fn median(&self) -> Option<f64> {
            let mut t = self.times.clone();
            t.sort_by(f64::total_cmp);
            t.get(t.len() / 2).copied()
        }
        fn show(&self) -> String {
            match (self.median(), self.over_cap, &self.failed) {
                (Some(t), _, _) => format!("{t:.3}"),
                (None, true, _) => "over cap".to_owned(),
                (None, _, Some(_)) => "failed".to_owned(),
                _ => "-".to_owned(),
            }
        }
        fn done(&self) -> bool {
            self.over_cap || self.failed.is_some()
        }
    }

    /// flowproof's verdicts from `verify --format json`, with unknowns counted.
    fn verify_words(stdout: &[u8]) -> Result<Vec<(String, String)>, String> {
        let json: serde_json::Value =
            serde_json::from_slice(stdout).map_err(|e| format!("not JSON: {e}"))?;
        let claims = json["files"][0]["claims"]
            .as_array()
            .ok_or("no claims in the JSON")?;
        Ok(claims
            .iter()
            .map(|c| {
                let mut v = c["verdict"].as_str().unwrap_or("missing").to_owned();
                if c["vacuous"].as_bool() == Some(true) {
                    v.push_str(" vacuously");
                }
                (c["name"].as_str().unwrap_or("").to_owned(), v)
            })
            .collect())
    }

    /// Compares decided verdicts with the expected ones (panicking on a disagreement)
    /// and counts the unknowns.
    fn compare(who: &str, got: &[(String, String)], expected: &[(String, String)]) -> usize {
        let mut unknown = 0;
        assert_eq!(got.len(), expected.len(), "{who}: {got:?}");
        for ((name, v), (_, e)) in got.iter().zip(expected) {
            if v == "unknown" {
                unknown += 1;
            } else {
                assert_eq!(v, e, "{who}: claim {name} disagrees with the generator");
            }
        }
        unknown
    }

    fn peak_of(path: &Path) -> Option<u64> {
        // the last line: /usr/bin/time says first when the exit status is not 0
        let text = std::fs::read_to_string(path).ok()?;
        text.lines().last()?.trim().parse().ok()
    }

    /// The same text with the leading `!` of `count` assumptions from the `start`th one
    /// added or taken away, and its date and version changed (kept when `version` is
    /// empty): a new version with a few edits.
    fn edited(text: &str, start: usize, count: usize, date: &str, version: &str) -> String {
        let mut seen = 0;
        let mut out = String::with_capacity(text.len() + 64);
        for line in text.lines() {
            let mut line = line.to_owned();
            if let Some(rest) = line.strip_prefix("assume ") {
                if seen >= start && seen < start + count {
                    line = match rest.strip_prefix('!') {
                        Some(positive) => format!("assume {positive}"),
                        None => format!("assume !{rest}"),
                    };
                }
                seen += 1;
            } else if line.starts_with("policy ")
                && !version.is_empty()
                && let Some(v) = line.find("\" date ")
            {
                line = format!("{}, {version}\" date {date};", &line[..v]);
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// A generated nation: its shape, counties, text and expected verdicts.
    type Nation = (String, usize, String, Vec<(String, String)>);

    /// The other commands on the smallest size of each shape, as a user runs them: the
    /// release binary, interleaved rounds, medians and peak memory.
    fn commands(cases: &[Nation], scratch: &Path, rounds: usize, cap: Duration, has_time: bool) {
        let Some(n) = cases.iter().map(|c| c.1).min() else {
            return;
        };
        let exe = env!("CARGO_BIN_EXE_flowproof");
        let peak_file = scratch.join("peak-commands");
        // per shape: its versions and the commands to run
        let mut rows: Vec<(String, String, Vec<String>, Cell)> = Vec::new();
        for (label, _, text, expected) in cases.iter().filter(|c| c.1 == n) {
            let dir = scratch.join(format!("versions-{label}-{n}"));
            let _ = std::fs::create_dir_all(&dir);
            let v1 = dir.join("v1.flow");
            let v2 = dir.join("v2.flow");
            let _ = std::fs::write(&v1, edited(text, 0, 0, "2010-06-01", "first"));
            let _ = std::fs::write(&v2, edited(text, 1, 3, "2010-12-01", "second"));
            let v3 = edited(&edited(text, 5, 3, "", ""), 1, 3, "2011-08-05", "third");
            let _ = std::fs::write(dir.join("v3.flow"), v3);
            let v1s = v1.display().to_string();
            let v2s = v2.display().to_string();
            // a claim with a witness to pin: the first refuted always or proved possible
            let witnessed = expected
                .iter()
                .find(|(_, v)| v == "refuted" || v == "proved")
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            let pinned = scratch
                .join(format!("pinned-{label}.flow"))
                .display()
                .to_string();
            let ground = ["--max-ground", "100000000"];
            let mut add = |what: &str, args: Vec<String>| {
                rows.push((label.clone(), what.to_owned(), args, Cell::default()));
            };
            let s = |x: &[&str]| x.iter().map(|a| (*a).to_owned()).collect::<Vec<String>>();
            add(
                "verify",
                s(&["verify", "--format", "json", ground[0], ground[1], &v1s]),
            );
            add(
                "verify --why",
                s(&[
                    "verify", "--why", "--format", "json", ground[0], ground[1], &v1s,
                ]),
            );
            add(
                "contradictions",
                s(&[
                    "contradictions",
                    "--format",
                    "json",
                    ground[0],
                    ground[1],
                    &v1s,
                ]),
            );
            add(
                "diff (a few edits)",
                s(&["diff", "--format", "json", ground[0], ground[1], &v1s, &v2s]),
            );
            add(
                "timeline (3 versions)",
                s(&[
                    "timeline",
                    "--format",
                    "json",
                    ground[0],
                    ground[1],
                    &dir.display().to_string(),
                ]),
            );
            add(
                "pin",
                s(&[
                    "pin", "--format", "json", ground[0], ground[1], &witnessed, &v1s, "--out",
                    &pinned,
                ]),
            );
            add(
                "report",
                s(&[
                    "report",
                    ground[0],
                    ground[1],
                    &v1s,
                    "--out",
                    &scratch
                        .join(format!("report-{label}.html"))
                        .display()
                        .to_string(),
                ]),
            );
        }
        for _ in 0..rounds {
            for (label, what, args, cell) in &mut rows {
                if cell.done() {
                    continue;
                }
                if what == "pin" {
                    // pin never writes over a file
                    if let Some(out) = args.last() {
                        let _ = std::fs::remove_file(out);
                    }
                }
                let mut cmd = if has_time {
                    let mut c = Command::new("/usr/bin/time");
                    c.arg("-f").arg("%M").arg("-o").arg(&peak_file).arg(exe);
                    c
                } else {
                    Command::new(exe)
                };
                cmd.args(args.iter());
                match run_capped(&mut cmd, cap) {
                    // 0: nothing refuted or found; 1: something refuted, contradictory or
                    // changed; 2 and above: an error
                    Ok(Capped::Done(t, out)) if out.status.code().is_some_and(|c| c < 2) => {
                        cell.times.push(secs(t));
                        if let Some(kb) = peak_of(&peak_file) {
                            cell.peak_kb.push(kb);
                        }
                        // a verify that left a claim undecided says so in its verdicts
                        if what.starts_with("verify") {
                            let words = verify_words(&out.stdout).unwrap_or_default();
                            cell.unknown += words.iter().filter(|(_, v)| v == "unknown").count();
                        }
                    }
                    Ok(Capped::Done(_, out)) => {
                        let e = String::from_utf8_lossy(&out.stderr).into_owned();
                        eprintln!("{what} on {label} {n} failed: {e}");
                        cell.failed = Some(e);
                    }
                    Ok(Capped::OverCap) => cell.over_cap = true,
                    Err(e) => cell.failed = Some(e),
                }
            }
        }
        println!(
            "\nthe other commands, {n} counties, as a user runs them ({rounds} interleaved rounds, medians):"
        );
        println!(
            "{:<24} {:>12} {:>9} {:>12} {:>9}",
            "command", "symmetric s", "peak MB", "varied s", "peak MB"
        );
        let peak = |c: &Cell| {
            c.peak_kb.iter().max().map_or_else(
                || "-".to_owned(),
                |kb| format!("{:.0}", *kb as f64 / 1024.0),
            )
        };
        let whats: Vec<String> = rows
            .iter()
            .map(|r| r.1.clone())
            .fold(Vec::new(), |mut v, w| {
                if !v.contains(&w) {
                    v.push(w);
                }
                v
            });
        for what in whats {
            let cell = |shape: &str| {
                rows.iter()
                    .find(|r| r.0 == shape && r.1 == what)
                    .map(|r| &r.3)
            };
            let (Some(s), Some(v)) = (cell("symmetric"), cell("varied")) else {
                continue;
            };
            let flag = |c: &Cell| if c.unknown > 0 { " (unknown)" } else { "" };
            println!(
                "{:<24} {:>12} {:>9} {:>12} {:>9}{}{}",
                what,
                s.show(),
                peak(s),
                v.show(),
                peak(v),
                flag(s),
                flag(v)
            );
        }
    }

    pub fn run(peers: &Result<PathBuf, String>, scratch: &Path) {
        let sizes: Vec<usize> = std::env::var("FLOWPROOF_BENCH_VARIED_COUNTIES")
            .ok()
            .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![3143, 31430]);
        let rounds: usize = std::env::var("FLOWPROOF_BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3);
        let cap = Duration::from_secs(
            std::env::var("FLOWPROOF_BENCH_CAP_S")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(600),
        );
        let exe = env!("CARGO_BIN_EXE_flowproof");
        let has_time = Path::new("/usr/bin/time").exists();
        println!(
            "\nvaried vs symmetric, seed 1, as a user runs them: the release binary's verify (--max-ground 100000000), \
the floor in process, the peers; {rounds} interleaved rounds, medians, each run capped at {} s\n",
            cap.as_secs()
        );
        // (shape, counties): text, facts, expected verdicts, cells
        struct Case {
            label: String,
            n: usize,
            flow: PathBuf,
            facts: PathBuf,
            text: String,
            expected: Vec<(String, String)>,
            cells: [Cell; 4], // verify, floor, clingo, z3-py
        }
        let mut cases = Vec::new();
        for &n in &sizes {
            for shape in ["symmetric", "varied"] {
                let (text, facts, expected) = if shape == "varied" {
                    let v = varied_nation(n, 1);
                    let json = serde_json::to_string(&v).unwrap_or_default();
                    (varied_flow_text(&v), json, v.expected.clone())
                } else {
                    let s = nation(n, 1);
                    let json = serde_json::to_string(&s).unwrap_or_default();
                    let e = CLAIMS
                        .iter()
                        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                        .collect();
                    (flow_text(&s), json, e)
                };
                let flow = scratch.join(format!("{shape}-{n}.flow"));
                let facts_path = scratch.join(format!("{shape}-{n}.json"));
                let _ = std::fs::write(&flow, &text);
                let _ = std::fs::write(&facts_path, facts);
                cases.push(Case {
                    label: shape.to_owned(),
                    n,
                    flow,
                    facts: facts_path,
                    text,
                    expected,
                    cells: Default::default(),
                });
            }
        }
        let peak_file = scratch.join("peak");
        for _ in 0..rounds {
            for case in &mut cases {
                let who = format!("{} {}", case.label, case.n);
                // verify, through the release binary
                if !case.cells[0].done() {
                    let mut cmd = if has_time {
                        let mut c = Command::new("/usr/bin/time");
                        c.arg("-f").arg("%M").arg("-o").arg(&peak_file).arg(exe);
                        c
                    } else {
                        Command::new(exe)
                    };
                    cmd.args(["verify", "--format", "json", "--max-ground", "100000000"])
                        .arg(&case.flow);
                    match run_capped(&mut cmd, cap) {
                        Ok(Capped::Done(t, out)) => match verify_words(&out.stdout) {
                            Ok(v) => {
                                case.cells[0].unknown =
                                    compare(&format!("flowproof, {who}"), &v, &case.expected);
                                case.cells[0].times.push(secs(t));
                                if let Some(kb) = peak_of(&peak_file) {
                                    case.cells[0].peak_kb.push(kb);
                                }
                            }
                            Err(e) => {
                                eprintln!(
                                    "flowproof on {who}: {e}: {}",
                                    String::from_utf8_lossy(&out.stderr)
                                );
                                case.cells[0].failed = Some(e);
                            }
                        },
                        Ok(Capped::OverCap) => case.cells[0].over_cap = true,
                        Err(e) => case.cells[0].failed = Some(e),
                    }
                }
                // the floor, in process
                let t = Instant::now();
                let _ = floor(&case.text);
                case.cells[1].times.push(secs(t.elapsed()));
                // the peers
                let Ok(python) = peers else { continue };
                let names: Vec<String> = case.expected.iter().map(|(n, _)| n.clone()).collect();
                for (k, script) in [(2, "clingo_peer.py"), (3, "z3_peer.py")] {
                    if case.cells[k].done() {
                        continue;
                    }
                    match run_peer_capped(python, script, &case.facts, &names, cap) {
                        Ok(Capped::Done(t, v)) => {
                            compare(&format!("{script}, {who}"), &v, &case.expected);
                            case.cells[k].times.push(secs(t));
                        }
                        Ok(Capped::OverCap) => case.cells[k].over_cap = true,
                        Err(e) => {
                            eprintln!("{script} on {who} failed: {e}");
                            case.cells[k].failed = Some(e);
                        }
                    }
                }
            }
        }
        println!(
            "{:<10} {:>8} {:>9} {:>8} {:>9} {:>8} {:>10} {:>10} {:>9} {:>9} {:>8}",
            "shape",
            "counties",
            "verify s",
            "peak MB",
            "floor s",
            "v/floor",
            "clingo s",
            "z3-py s",
            "x clingo",
            "x z3-py",
            "unknown"
        );
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.1}x", a / b),
            _ => "-".to_owned(),
        };
        for case in &cases {
            let [v, f, c, z] = &case.cells;
            let peak = v.peak_kb.iter().max().map_or_else(
                || "-".to_owned(),
                |kb| format!("{:.0}", *kb as f64 / 1024.0),
            );
            println!(
                "{:<10} {:>8} {:>9} {:>8} {:>9} {:>8} {:>10} {:>10} {:>9} {:>9} {:>8}",
                case.label,
                case.n,
                v.show(),
                peak,
                f.show(),
                ratio(v.median(), f.median()),
                c.show(),
                z.show(),
                ratio(c.median(), v.median()),
                ratio(z.median(), v.median()),
                v.unknown
            );
        }
        println!();
        for pair in cases.chunks(2) {
            if let [s, v] = pair {
                println!(
                    "{} counties: varied / symmetric verify = {}, floor = {}",
                    s.n,
                    ratio(v.cells[0].median(), s.cells[0].median()),
                    ratio(v.cells[1].median(), s.cells[1].median())
                );
            }
        }
        for a in &cases {
            if let Some(b) = cases.iter().find(|b| b.label == a.label && b.n == a.n * 10) {
                println!(
                    "scaling, {}: {} counties / {} counties = 10x the counties, verify {}, floor {}",
                    a.label,
                    b.n,
                    a.n,
                    ratio(b.cells[0].median(), a.cells[0].median()),
                    ratio(b.cells[1].median(), a.cells[1].median())
                );
            }
        }

        commands(
            &cases
                .iter()
                .map(|c| (c.label.clone(), c.n, c.text.clone(), c.expected.clone()))
                .collect::<Vec<_>>(),
            scratch,
            rounds,
            cap,
            has_time,
        );

        // the optimisations one by one, on the smallest varied size, in process, once
        let Some(case) = cases.iter().find(|c| c.label == "varied") else {
            return;
        };
        println!(
            "\noptimisations one by one, varied, {} counties, in process (once each):",
            case.n
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
                "parts, symmetry, reuse (no fixed params)",
                Options {
                    propagate: false,
                    ..Options::default()
                },
            ),
            (
                "parts, symmetry, fixed params (no reuse)",
                Options {
                    reuse: false,
                    ..Options::default()
                },
            ),
        ];
        for (label, options) in configs {
            let (t, v) = best_of(1, || verdicts(&case.text, &options));
            let unknown = compare(label, &v, &case.expected);
            println!("  {label:<42} {:>8.3} s   unknown {unknown}", secs(t));
        }
    }
}
