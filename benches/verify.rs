//! Verification benchmark: time to verify every claim of (a) a chain of N agencies,
//! with and without a cycle closing it, and (b) dense random models, side by side with
//! the floor (check + grounding, no solver) and, where it finishes, the reference engine.
//!
//!     cargo bench --bench verify

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use flowproof::check::check_text;
use flowproof::ground::{FlowGraph, Grounded};
use flowproof::model::Model;
use flowproof::solve::{self, Options};
use std::sync::Arc;

fn best_of<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..reps {
        let start = Instant::now();
        let out = std::hint::black_box(f());
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one repetition"))
}

fn model(text: &str) -> Arc<Model> {
    let checked = check_text(Path::new("bench.flow"), text);
    let codes: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message())
        .collect();
    checked
        .model
        .unwrap_or_else(|| panic!("bench model does not check: {codes:?}"))
}

/// A0 -> A1 -> ... -> A(n-1), each hop guarded by its own param, optionally closed
/// back to A0 (one big cycle); an opt-out at the head; claims about the far end.
fn chain(n: usize, cyclic: bool) -> String {
    let mut t = String::from("policy \"chain\" version \"1\" date 2020-01-01;\nkind k;\ndata d;\n");
    for i in 0..n {
        let _ = writeln!(t, "agency A{i}: k;");
    }
    let _ = writeln!(
        t,
        "param open(x: k);\noptout stop(v: k) blocks d: v -> (y: k);\ncollect d at A0;"
    );
    for i in 0..n - 1 {
        let _ = writeln!(t, "flow d: A{i} -> A{} when open(A{i});", i + 1);
    }
    if cyclic {
        let _ = writeln!(t, "flow d: A{} -> A0;", n - 1);
    }
    let last = n - 1;
    let _ = writeln!(
        t,
        "claim far_needs_all_open: always reaches(d of A0, A{last}) => forall x: k. x == A{last} || open(x);"
    );
    let _ = writeln!(t, "claim far_possible: possible reaches(d of A0, A{last});");
    let _ = writeln!(
        t,
        "claim stop_works: always stop(A0) => !reaches(d of A0, A{last});"
    );
    t
}

/// A dense random model: `n` agencies of two kinds, nested, flows between many pairs
/// with guards, derives, opt-outs, and quantified claims.
fn dense(n: usize, seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    let mut t = String::from(
        "policy \"dense\" version \"1\" date 2020-01-01;\nkind k0; kind k1;\ndata d0; data d1;\n",
    );
    for i in 0..n {
        let kind = next(2);
        let parent = if i > 0 && next(2) == 0 {
            format!(" in A{}", next(i))
        } else {
            String::new()
        };
        let _ = writeln!(t, "agency A{i}: k{kind}{parent};");
    }
    let _ = writeln!(
        t,
        "param p(x: k0);\nparam q;\noptout out(v: k1) when q blocks d0: v -> (y: k0);"
    );
    let _ = writeln!(
        t,
        "collect d0 at (c: k0);\nderive d1 from d0 at (x: k1) when p(origin) || q;"
    );
    for _ in 0..3 * n {
        let (a, b, d) = (next(n), next(n), next(2));
        let guard = match next(3) {
            0 => String::new(),
            1 => " when q".to_owned(),
            _ => " when !q || origin == A0".to_owned(),
        };
        let _ = writeln!(t, "flow d{d}: A{a} -> A{b}{guard};");
    }
    let _ = writeln!(t, "flow d1: (x: k1) -> parent(x);");
    let _ = writeln!(
        t,
        "claim all_reach: always forall c: k0. reaches(d0 of c, A{});",
        next(n)
    );
    let _ = writeln!(
        t,
        "claim some_blocked: possible exists c: k0. !reaches(d1 of c, A{});",
        next(n)
    );
    let _ = writeln!(
        t,
        "claim out_effect: always forall c: k0. (out(A1) && q) => !reaches(d0 of c, A{});",
        next(n)
    );
    t
}

fn main() {
    let options = Options {
        timeout_ms: None,
        rlimit: None,
        claims: Vec::new(),
        routes: 1,
        ..Options::default()
    };
    println!("flowproof verify bench: best of 3, every claim of the model\n");
    println!(
        "{:<28} {:>8} {:>12} {:>12} {:>12} {:>10}",
        "model", "params", "floor s", "z3 s", "reference s", "z3/floor"
    );
    let mut cases: Vec<(String, String)> = Vec::new();
    for n in [10, 100, 1_000] {
        cases.push((format!("chain {n}"), chain(n, false)));
        cases.push((format!("chain {n}, cyclic"), chain(n, true)));
    }
    for n in [4, 8, 40, 200] {
        cases.push((format!("dense {n}"), dense(n, 7)));
    }
    let mut sizes = Vec::new();
    for (name, text) in &cases {
        let m = model(text);
        let params = FlowGraph::new(&m).params.len();
        // the floor: check and ground, no solver
        let (floor, _) = best_of(3, || {
            let m = model(text);
            FlowGraph::new(&m).graph.edge_count()
        });
        let (z3, outcomes) = best_of(3, || {
            solve::verify(&mut Grounded::new(model(text)), &options)
        });
        if let Err(e) = &outcomes {
            eprintln!("{name}: {e}");
        }
        let verdicts: Vec<&str> = outcomes
            .as_ref()
            .map(|o| o.iter().map(|c| c.verdict.word()).collect())
            .unwrap_or_default();
        let reference = if params <= 14 {
            let all: Vec<usize> = (0..m.claims.len()).collect();
            let (t, r) = best_of(3, || {
                flowproof::reference::verify(&Grounded::new(model(text)), &all, 14)
            });
            let same = r
                .as_ref()
                .ok()
                .map(|o| o.iter().map(|c| c.verdict.word()).collect::<Vec<_>>())
                == Some(verdicts.clone());
            assert!(same, "engines disagree on {name}");
            format!("{:.4}", t.as_secs_f64())
        } else {
            "-".to_owned()
        };
        println!(
            "{name:<28} {params:>8} {:>12.4} {:>12.4} {reference:>12} {:>9.1}x   {}",
            floor.as_secs_f64(),
            z3.as_secs_f64(),
            z3.as_secs_f64() / floor.as_secs_f64().max(1e-9),
            verdicts.join(" ")
        );
        sizes.push((name.clone(), z3));
    }
    let ratio = |a: &str, b: &str| {
        let get = |n: &str| {
            sizes
                .iter()
                .find(|(m, _)| m == n)
                .map(|(_, t)| t.as_secs_f64())
        };
        match (get(a), get(b)) {
            (Some(x), Some(y)) => format!("{:.1}x", x / y),
            _ => "-".to_owned(),
        }
    };
    println!(
        "\nscaling: chain 1000 / chain 100 = {}; cyclic 1000 / cyclic 100 = {}; dense 200 / dense 40 = {}",
        ratio("chain 1000", "chain 100"),
        ratio("chain 1000, cyclic", "chain 100, cyclic"),
        ratio("dense 200", "dense 40")
    );
}
