//! Front-end throughput on a large generated policy.
//!
//! `cargo bench --bench frontend` generates, in memory and deterministically, a valid
//! policy of about `FLOWPROOF_BENCH_MB` megabytes (default 50; 1 MB = 10^6 bytes),
//! checks that it has no errors, then times side by side:
//!
//! - lex only, through `syntax::lexer::tokens` (which collects every token in a `Vec`),
//! - lex only, streaming the `Lexer` iterator as the parser does (nothing collected),
//! - lex + parse, `syntax::parse`,
//! - lex + parse + check, `check::check_text_limited` (with no ground limit),
//! - format, `format::format_text` (which parses, lays out, then parses its output
//!   again and compares trees and comments),
//!
//! each `FLOWPROOF_BENCH_REPS` times (default 3, at least 3), and prints the best and
//! median time of each. Dropping a stage's result is not timed (but `check_text`
//! drops the syntax tree itself, so the check stage includes that). Set
//! `FLOWPROOF_BENCH_DUMP=path` to also write the generated policy to a file.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use flowproof::span::FileId;

const BYTES_PER_MB: f64 = 1_000_000.0;
const TARGET_LEX_PARSE_MBPS: f64 = 50.0;
const SEED: u64 = 0x5EC0_C0FF_EE15_2011;

fn main() {
    let mb = env_f64("FLOWPROOF_BENCH_MB", 50.0).max(0.01);
    let reps = env_f64("FLOWPROOF_BENCH_REPS", 3.0).max(3.0) as usize;
    let target = (mb * BYTES_PER_MB) as usize;

    let started = Instant::now();
    let text = generate(target);
    let gen_time = started.elapsed();
    let size_mb = text.len() as f64 / BYTES_PER_MB;
    let lines = text.bytes().filter(|b| *b == b'\n').count();
    println!(
        "flowproof front-end bench: generated {:.2} MB ({} bytes, {} lines) in {:.2} s",
        size_mb,
        text.len(),
        lines,
        gen_time.as_secs_f64()
    );

    if let Ok(dump) = std::env::var("FLOWPROOF_BENCH_DUMP") {
        std::fs::write(&dump, &text).unwrap_or_else(|e| panic!("cannot write {dump}: {e}"));
        println!("wrote the generated policy to {dump}");
    }

    let path = Path::new("bench.flow");
    // the generated claims quantify over thousands of agencies: far past the default
    // ground limit, which guards against strangers' files, not this one
    let limits = flowproof::limits::Limits {
        max_file_bytes: u64::MAX,
        max_ground: u64::MAX,
        max_ground_params: u64::MAX,
        ..flowproof::limits::Limits::default()
    };
    let started = Instant::now();
    let checked = flowproof::check::check_text_limited(path, &text, &limits);
    let sanity_time = started.elapsed();
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        let shown: Vec<String> = errors
            .iter()
            .take(5)
            .map(|d| format!("[{}] {}", d.code(), d.message()))
            .collect();
        panic!(
            "the generated policy has {} error(s); first ones:\n{}",
            errors.len(),
            shown.join("\n")
        );
    }
    let warnings = checked.diagnostics.len();
    let (agencies, flows, claims) = checked.model.as_ref().map_or((0, 0, 0), |m| {
        (m.agencies.len(), m.flows.len(), m.claims.len())
    });
    drop(checked);
    println!(
        "sanity check: 0 errors, {warnings} warnings; {agencies} agencies, {flows} flows, {claims} claims ({:.2} s)",
        sanity_time.as_secs_f64()
    );

    let file = FileId(0);
    let mut stages: Vec<Stage> = vec![
        Stage::new("lex (tokens Vec)"),
        Stage::new("lex (stream)"),
        Stage::new("lex+parse"),
        Stage::new("lex+parse+check"),
        Stage::new("format"),
    ];
    let mut token_count = 0;
    for _ in 0..reps {
        // lex only, the public helper: every token collected into a Vec
        let (elapsed, (toks, errs)) =
            time(|| flowproof::syntax::lexer::tokens(black_box(&text), file));
        assert!(errs.is_empty(), "lex errors in the generated policy");
        token_count = toks.len();
        drop(toks);
        stages[0].times.push(elapsed);

        // lex only, streaming as the parser consumes it
        let (elapsed, n) = time(|| {
            let mut errs = Vec::new();
            flowproof::syntax::lexer::Lexer::new(black_box(&text), file, &mut errs)
                .filter(Result::is_ok)
                .count()
        });
        assert_eq!(n, token_count, "streamed and collected token counts differ");
        stages[1].times.push(elapsed);

        // lex + parse
        let (elapsed, (tree, errs)) = time(|| flowproof::syntax::parse(black_box(&text), file));
        assert!(errs.is_empty(), "syntax errors in the generated policy");
        drop(tree);
        stages[2].times.push(elapsed);

        // lex + parse + check
        let (elapsed, checked) =
            time(|| flowproof::check::check_text_limited(path, black_box(&text), &limits));
        assert!(
            !checked.has_errors(),
            "check errors in the generated policy"
        );
        drop(checked);
        stages[3].times.push(elapsed);

        // format (with its own check of the output)
        let (elapsed, formatted) =
            time(|| flowproof::format::format_text_limited(black_box(&text), &limits));
        assert!(formatted.is_ok(), "the generated policy does not format");
        drop(formatted);
        stages[4].times.push(elapsed);
    }

    println!("{token_count} tokens; {reps} repetitions per stage, interleaved");
    println!();
    println!(
        "{:<18} {:>8} {:>10} {:>10} {:>12}",
        "stage", "size MB", "best s", "median s", "MB/s (best)"
    );
    println!("{}", "-".repeat(62));
    for stage in &mut stages {
        stage.times.sort();
        let best = stage.best();
        println!(
            "{:<18} {:>8.2} {:>10.3} {:>10.3} {:>12.1}",
            stage.name,
            size_mb,
            best,
            stage.median(),
            size_mb / best
        );
    }
    println!();

    let lex = stages[1].best();
    let parse = stages[2].best();
    let check = stages[3].best();
    println!(
        "ratios (best): lex+parse / lex(stream) = {:.1}x, lex+parse+check / lex+parse = {:.1}x, lex+parse+check / lex(stream) = {:.1}x, lex(tokens Vec) / lex(stream) = {:.2}x",
        parse / lex,
        check / parse,
        check / lex,
        stages[0].best() / lex
    );
    println!(
        "share of lex+parse+check (best): lex {:.0}%, parse {:.0}%, check beyond parse {:.0}%",
        100.0 * lex / check,
        100.0 * (parse - lex).max(0.0) / check,
        100.0 * (check - parse).max(0.0) / check
    );
    println!(
        "format / lex+parse = {:.1}x (it parses twice, lays out, and compares)",
        stages[4].best() / parse
    );
    let mbps = size_mb / parse;
    println!(
        "target: lex+parse >= {TARGET_LEX_PARSE_MBPS:.0} MB/s: {} ({mbps:.1} MB/s best)",
        if mbps >= TARGET_LEX_PARSE_MBPS {
            "MET"
        } else {
            "NOT MET"
        }
    );
}

struct Stage {
    name: &'static str,
    times: Vec<Duration>,
}

impl Stage {
    fn new(name: &'static str) -> Self {
        Stage {
            name,
            times: Vec::new(),
        }
    }

    /// Seconds; `times` must be sorted.
    fn best(&self) -> f64 {
        self.times.first().map_or(f64::NAN, Duration::as_secs_f64)
    }

    /// Seconds; `times` must be sorted.
    fn median(&self) -> f64 {
        let n = self.times.len();
        if n == 0 {
            return f64::NAN;
        }
        if n % 2 == 1 {
            self.times[n / 2].as_secs_f64()
        } else {
            (self.times[n / 2 - 1] + self.times[n / 2]).as_secs_f64() / 2.0
        }
    }
}

/// Runs `f` once; its result is returned so that dropping it is not timed.
fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let out = black_box(f());
    (started.elapsed(), out)
}

fn env_f64(name: &str, default: f64) -> f64 {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
        Err(_) => default,
    }
}

// ------------------------------------------------------------------ generation

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    State,
    County,
    Federal,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::State => "state",
            Kind::County => "county",
            Kind::Federal => "federal",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Kind::State => "s",
            Kind::County => "c",
            Kind::Federal => "f",
        }
    }
}

const STATES: [&str; 50] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
];
const COUNTIES_PER_STATE: usize = 62;
const FIELD_OFFICES: usize = 200;
const HEADQUARTERS: [&str; 8] = ["FBI", "DHS", "ICE", "CBP", "USCIS", "DOJ", "USMS", "DEA"];
const SYLLABLES: [&str; 24] = [
    "Al", "der", "San", "ta", "Clar", "Mon", "ro", "Los", "An", "ge", "les", "Mar", "in", "Kings",
    "Wash", "ing", "ton", "Ber", "na", "di", "no", "Fres", "Or", "ange",
];
const COLLECTED: [&str; 13] = [
    "fingerprints",
    "rap_sheet",
    "booking_photo",
    "iris_scan",
    "dna_profile",
    "warrant",
    "release_date",
    "immigration_status",
    "case_file",
    "court_record",
    "alias_list",
    "palm_print",
    "criminal_history",
];
const DERIVED: [(&str, &str, &str); 3] = [
    ("match", "fingerprints", "DHS"),
    ("detainer", "match", "ICE"),
    ("watch_hit", "criminal_history", "FBI"),
];
const COUNTY_PARAMS: [&str; 8] = [
    "activated",
    "participating",
    "sanctuary",
    "mou_signed",
    "audited",
    "rural",
    "border_county",
    "trust_act",
];
const STATE_PARAMS: [&str; 4] = ["funded", "trust_state", "ident_sharing", "state_audit"];
const FEDERAL_PARAMS: [&str; 3] = ["oversight", "priority_mode", "backlog"];
const PLAIN_PARAMS: [&str; 4] = ["emergency", "lockdown", "pilot_phase", "court_order"];
const WORDS: [&str; 40] = [
    "secure",
    "communities",
    "interoperability",
    "biometric",
    "records",
    "sharing",
    "county",
    "sheriff",
    "jail",
    "booking",
    "detainer",
    "request",
    "memorandum",
    "agreement",
    "activation",
    "deployment",
    "opt-out",
    "policy",
    "priority",
    "removal",
    "identification",
    "match",
    "response",
    "query",
    "statewide",
    "federal",
    "partner",
    "notice",
    "letter",
    "hearing",
    "testimony",
    "audit",
    "report",
    "schedule",
    "phase",
    "mandatory",
    "voluntary",
    "local",
    "law",
    "enforcement",
];

struct Gen {
    rng: Rng,
    out: String,
    states: Vec<String>,
    /// county name and the index of its state
    counties: Vec<(String, usize)>,
    federal: Vec<String>,
    data: Vec<&'static str>,
    sources: Vec<String>,
    county_params: Vec<String>,
    state_params: Vec<String>,
    claims: usize,
}

/// Formula context: which variables are bound, and what may be mentioned.
struct Ctx {
    vars: Vec<(String, Kind)>,
    origin: bool,
    reach: bool,
    fresh: usize,
}

impl Ctx {
    fn guard() -> Self {
        Ctx {
            vars: Vec::new(),
            origin: true,
            reach: false,
            fresh: 0,
        }
    }

    fn statement() -> Self {
        Ctx {
            vars: Vec::new(),
            origin: false,
            reach: true,
            fresh: 0,
        }
    }
}

fn generate(target: usize) -> String {
    let mut g = Gen {
        rng: Rng(SEED),
        out: String::with_capacity(target + 4096),
        states: STATES.iter().map(|s| (*s).to_owned()).collect(),
        counties: Vec::new(),
        federal: Vec::new(),
        data: COLLECTED
            .iter()
            .copied()
            .chain(DERIVED.iter().map(|d| d.0))
            .collect(),
        sources: Vec::new(),
        county_params: COUNTY_PARAMS.iter().map(|p| (*p).to_owned()).collect(),
        state_params: STATE_PARAMS.iter().map(|p| (*p).to_owned()).collect(),
        claims: 0,
    };
    g.prelude();
    while g.out.len() < target {
        g.bulk_decl();
    }
    g.out
}

impl Gen {
    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(WORDS[self.rng.below(WORDS.len())]);
        }
        s
    }

    /// `min` to `min + spread - 1` words.
    fn words_between(&mut self, min: usize, spread: usize) -> String {
        let n = min + self.rng.below(spread);
        self.words(n)
    }

    fn date(&mut self) -> String {
        let year = 2008 + self.rng.below(7);
        let month = 1 + self.rng.below(12);
        let day = 1 + self.rng.below(28);
        format!("{year}-{month:02}-{day:02}")
    }

    fn county(&mut self) -> usize {
        self.rng.below(self.counties.len())
    }

    fn agency_of(&mut self, kind: Kind) -> String {
        match kind {
            Kind::State => self.rng.pick(&self.states).clone(),
            Kind::County => {
                let c = self.county();
                self.counties[c].0.clone()
            }
            Kind::Federal => self.rng.pick(&self.federal).clone(),
        }
    }

    fn random_kind(&mut self) -> Kind {
        match self.rng.below(10) {
            0..=3 => Kind::County,
            4..=6 => Kind::State,
            _ => Kind::Federal,
        }
    }

    fn cites(&mut self) {
        if self.rng.chance(40) {
            let n = 1 + self.rng.below(3);
            self.out.push_str(" cite ");
            for i in 0..n {
                if i > 0 {
                    self.out.push_str(", ");
                }
                let s = self.rng.below(self.sources.len());
                self.out.push_str(&self.sources[s]);
            }
        }
    }

    // -------------------------------------------------------------- fixed part

    fn prelude(&mut self) {
        let o = &mut self.out;
        o.push_str("// Generated benchmark policy for flowproof: a nationwide roll-out of\n");
        o.push_str("// biometric information sharing. Deterministic; do not edit by hand.\n\n");
        o.push_str("/* The shape follows the Secure Communities example of the language\n");
        o.push_str(" * reference: counties send prints to their state, the state to the FBI,\n");
        o.push_str(" * the FBI to DHS, and matches flow back down. */\n\n");
        o.push_str(
            "policy \"Secure Communities \\\"nationwide\\\" benchmark\" version \"bench-1\\tgenerated\" date 2011-04-28;\n\n",
        );

        // sources
        for i in 0..48 {
            let name = format!("src_{}_{i:02}", self.rng.pick(&WORDS).replace('-', "_"));
            let title = self.words(4);
            let date = self.date();
            let quote_a = self.words(6);
            let quote_b = self.words(5);
            let o = &mut self.out;
            let _ = writeln!(o, "source {name} {{");
            let _ = writeln!(o, "  title = \"{title} \\\"memo {i}\\\"\";");
            let _ = writeln!(o, "  date  = {date};");
            let _ = writeln!(o, "  url   = \"seed:{i:03}_{:016x}.txt\";", i * 7919 + 17);
            if i % 3 == 0 {
                // a string spanning lines
                let _ = writeln!(o, "  quote = \"{quote_a},\n    \\\"{quote_b}\\\"\";");
            } else {
                let _ = writeln!(
                    o,
                    "  quote = \"{quote_a}\\n\\t\\\"{quote_b}\\\" \\\\ caf\\u{{e9}}\";"
                );
            }
            o.push_str("}\n");
            self.sources.push(name);
        }
        self.out
            .push_str("\nkind state; kind county; kind federal;\n\n// agencies\n");

        // agencies
        for (s, state) in STATES.iter().enumerate() {
            let _ = writeln!(self.out, "agency {state}: state;");
            for k in 0..COUNTIES_PER_STATE {
                let a = *self.rng.pick(&SYLLABLES);
                let b = self.rng.pick(&SYLLABLES).to_lowercase();
                let name = format!("{a}{b}_{state}_{k:02}");
                let _ = writeln!(self.out, "agency {name}: county in {state};");
                self.counties.push((name, s));
            }
        }
        for hq in HEADQUARTERS {
            let _ = writeln!(self.out, "agency {hq}: federal;");
            self.federal.push(hq.to_owned());
        }
        for i in 0..FIELD_OFFICES {
            let hq = HEADQUARTERS[i % 4];
            let name = format!("{hq}_FO_{i:03}");
            let _ = writeln!(self.out, "agency {name}: federal in {hq};");
            self.federal.push(name);
        }

        // data and params
        self.out.push('\n');
        for d in &self.data {
            let _ = writeln!(self.out, "data {d};");
        }
        for p in COUNTY_PARAMS {
            let _ = writeln!(self.out, "param {p}(c: county);");
        }
        for p in STATE_PARAMS {
            let _ = writeln!(self.out, "param {p}(s: state);");
        }
        for p in FEDERAL_PARAMS {
            let _ = writeln!(self.out, "param {p}(f: federal);");
        }
        for p in PLAIN_PARAMS {
            let _ = writeln!(self.out, "param {p};");
        }

        // optouts (each cites two sources, so that every source is cited)
        self.out.push('\n');
        for i in 0..24 {
            let (s1, s2) = (self.sources[2 * i].clone(), self.sources[2 * i + 1].clone());
            if i % 3 == 2 {
                let name = format!("state_exempt_{i}");
                let _ = write!(
                    self.out,
                    "optout {name}(s: state)\n  when funded(s) || !emergency\n  blocks fingerprints: s -> FBI\n  blocks rap_sheet: s -> DHS\n  cite {s1}, {s2};\n"
                );
                self.state_params.push(name);
            } else {
                let name = format!("decline_results_{i}");
                let p = *self.rng.pick(&COUNTY_PARAMS);
                let _ = write!(
                    self.out,
                    "optout {name}(c: county)\n  when {p}(c) && (emergency => !lockdown)\n  blocks match: parent(c) -> c\n  blocks detainer: ICE -> c\n  blocks {}: parent(c) -> c\n  cite {s1}, {s2};\n",
                    self.rng.pick(&COLLECTED)
                );
                self.county_params.push(name);
            }
        }

        // where data starts and how it is derived
        self.out.push('\n');
        for (i, d) in COLLECTED.iter().enumerate() {
            if i % 2 == 0 {
                let _ = writeln!(self.out, "collect {d} at (c: county);");
            } else {
                let p = self.rng.pick(&COUNTY_PARAMS);
                let _ = writeln!(
                    self.out,
                    "collect {d} at (c: county) when {p}(c) || pilot_phase;"
                );
            }
        }
        for (d, from, at) in DERIVED {
            let _ = writeln!(
                self.out,
                "derive {d} from {from} at {at} when activated(origin) || emergency;"
            );
        }
        self.out
            .push_str("derive match from fingerprints at (s: state) when ident_sharing(s);\n");

        // the backbone of the example
        let cite = self.sources[0].clone();
        let _ = write!(
            self.out,
            "\nflow fingerprints: (c: county) -> parent(c);          // every county -> its state\n\
             flow fingerprints: (s: state) -> FBI;\n\
             flow fingerprints: FBI -> DHS when activated(origin) cite {cite};\n\
             flow fingerprints: DHS -> ICE;\n\
             flow match: DHS -> ICE;\n\
             flow match: DHS -> parent(origin);\n\
             flow match: parent(origin) -> origin;\n\
             assume forall c: county. activated(c) => reaches(fingerprints of c, parent(c));\n\n",
        );
    }

    // -------------------------------------------------------------- bulk

    fn bulk_decl(&mut self) {
        let roll = self.rng.below(1000);
        if self.rng.chance(8) {
            let words = self.words_between(3, 8);
            let _ = writeln!(self.out, "// {words}");
        }
        match roll {
            0..=19 => self.block_comment(),
            20..=139 => self.claim(),
            140..=159 => self.assume(),
            160..=199 => self.binder_flow(),
            200..=214 => self.origin_flow(),
            _ => self.plain_flow(),
        }
        if self.rng.chance(10) {
            let words = self.words_between(2, 5);
            let _ = write!(self.out, " // {words}");
        }
        self.out.push('\n');
    }

    fn block_comment(&mut self) {
        self.out.push_str("/*");
        for _ in 0..1 + self.rng.below(4) {
            let words = self.words_between(6, 6);
            let _ = write!(self.out, "\n * {words}");
        }
        self.out.push_str("\n */");
    }

    fn data_name(&mut self) -> &'static str {
        self.data[self.rng.below(self.data.len())]
    }

    /// `flow d: A -> B` between two named agencies, in a plausible direction.
    fn plain_flow(&mut self) {
        let d = self.data_name();
        let (from, to) = match self.rng.below(6) {
            0 => {
                let c = self.county();
                (
                    self.counties[c].0.clone(),
                    self.states[self.counties[c].1].clone(),
                )
            }
            1 => (self.agency_of(Kind::State), self.agency_of(Kind::Federal)),
            2 => {
                let a = self.agency_of(Kind::Federal);
                let mut b = self.agency_of(Kind::Federal);
                while b == a {
                    b = self.agency_of(Kind::Federal);
                }
                (a, b)
            }
            3 => (self.agency_of(Kind::Federal), self.agency_of(Kind::County)),
            4 => {
                let c = self.agency_of(Kind::County);
                (self.agency_of(Kind::Federal), format!("parent({c})"))
            }
            _ => (self.agency_of(Kind::State), self.agency_of(Kind::County)),
        };
        let _ = write!(self.out, "flow {d}: {from} -> {to}");
        if self.rng.chance(85) {
            self.out.push_str(" when ");
            let mut ctx = Ctx::guard();
            let depth = 2 + self.rng.below(2);
            self.formula(&mut ctx, depth, true);
        }
        self.cites();
        self.out.push(';');
    }

    /// A flow with one binder over a small kind, or over counties to a term.
    fn binder_flow(&mut self) {
        let d = self.data_name();
        let mut ctx = Ctx::guard();
        match self.rng.below(3) {
            0 => {
                let _ = write!(self.out, "flow {d}: (c: county) -> parent(c)");
                ctx.vars.push(("c".to_owned(), Kind::County));
            }
            1 => {
                let f = self.agency_of(Kind::Federal);
                let _ = write!(self.out, "flow {d}: (s: state) -> {f}");
                ctx.vars.push(("s".to_owned(), Kind::State));
            }
            _ => {
                let f = self.agency_of(Kind::Federal);
                let _ = write!(self.out, "flow {d}: {f} -> (c: county)");
                ctx.vars.push(("c".to_owned(), Kind::County));
            }
        }
        self.out.push_str(" when ");
        self.formula(&mut ctx, 2, true);
        self.cites();
        self.out.push(';');
    }

    /// A flow with `origin` in an endpoint.
    fn origin_flow(&mut self) {
        let d = self.data_name();
        let f = self.agency_of(Kind::Federal);
        let (from, to) = match self.rng.below(3) {
            0 => (f, "parent(origin)".to_owned()),
            1 => ("parent(origin)".to_owned(), "origin".to_owned()),
            _ => (f, "origin".to_owned()),
        };
        let _ = write!(self.out, "flow {d}: {from} -> {to}");
        if self.rng.chance(70) {
            self.out.push_str(" when ");
            let mut ctx = Ctx::guard();
            self.formula(&mut ctx, 2, true);
        }
        self.cites();
        self.out.push(';');
    }

    fn assume(&mut self) {
        self.out.push_str("assume ");
        let mut ctx = Ctx::statement();
        self.formula(&mut ctx, 2, true);
        self.cites();
        self.out.push(';');
    }

    fn claim(&mut self) {
        self.claims += 1;
        let n = self.claims;
        let w = self.rng.pick(&WORDS).replace('-', "_");
        let _ = write!(self.out, "claim claim_{n:06}_{w}");
        if self.rng.chance(70) {
            let c = self.agency_of(Kind::County);
            let words = self.words(4);
            let _ = write!(self.out, " \"{words} \\\"{c}\\\"\\n(check {n})\"");
        }
        self.cites();
        if self.rng.chance(15) {
            let words = self.words(8);
            let _ = write!(self.out, " quote \"{words}\\t\\u{{2014}} \\\\\"");
        }
        self.out.push_str(":\n  ");
        let mut ctx = Ctx::statement();
        match self.rng.below(4) {
            0 => {
                // the canonical shape: always forall c. P(c) => !reaches(d of c, X)
                let p = self.rng.pick(&self.county_params).clone();
                let d = self.data_name();
                let f = self.agency_of(Kind::Federal);
                let _ = write!(
                    self.out,
                    "always forall c: county. {p}(c) => !reaches({d} of c, {f})"
                );
            }
            1 => {
                let d = self.data_name();
                let s = self.agency_of(Kind::State);
                let f = self.agency_of(Kind::Federal);
                let _ = write!(
                    self.out,
                    "possible exists c: county. parent(c) == {s} && !flows({d} of c, {s} -> {f})"
                );
            }
            2 => {
                self.out.push_str("always ");
                self.formula(&mut ctx, 3, true);
            }
            _ => {
                self.out.push_str("possible ");
                self.formula(&mut ctx, 3, true);
            }
        }
        self.out.push(';');
    }

    // -------------------------------------------------------------- formulas

    /// A term of the given kind that is valid in `ctx`.
    fn term(&mut self, ctx: &Ctx, kind: Kind, in_param: bool) -> String {
        let vars: Vec<&String> = ctx
            .vars
            .iter()
            .filter(|(_, k)| *k == kind)
            .map(|(n, _)| n)
            .collect();
        let roll = self.rng.below(100);
        if !vars.is_empty() && roll < 55 {
            return (*self.rng.pick(&vars)).clone();
        }
        if kind == Kind::County && ctx.origin && roll < 70 {
            return "origin".to_owned();
        }
        if kind == Kind::State && roll >= 90 {
            // `parent` of a county term; applied to a variable or `origin` inside a
            // param application the checker scans every agency, so keep that rare
            let county_vars: Vec<&String> = ctx
                .vars
                .iter()
                .filter(|(_, k)| *k == Kind::County)
                .map(|(n, _)| n)
                .collect();
            let open = !in_param || self.rng.chance(5);
            if open && !county_vars.is_empty() && self.rng.chance(50) {
                return format!("parent({})", self.rng.pick(&county_vars));
            }
            if open && ctx.origin && self.rng.chance(50) {
                return "parent(origin)".to_owned();
            }
            let c = self.agency_of(Kind::County);
            return format!("parent({c})");
        }
        self.agency_of(kind)
    }

    fn atom(&mut self, ctx: &mut Ctx) {
        let roll = self.rng.below(100);
        match roll {
            0..=44 => {
                // a param application
                let (p, kind) = match self.rng.below(10) {
                    0..=3 => (self.rng.pick(&COUNTY_PARAMS).to_string(), Kind::County),
                    4..=5 => (self.rng.pick(&self.county_params).clone(), Kind::County),
                    6..=7 => (self.rng.pick(&self.state_params).clone(), Kind::State),
                    _ => (self.rng.pick(&FEDERAL_PARAMS).to_string(), Kind::Federal),
                };
                let t = self.term(ctx, kind, true);
                let _ = write!(self.out, "{p}({t})");
            }
            45..=54 => {
                let p = self.rng.pick(&PLAIN_PARAMS);
                self.out.push_str(p);
            }
            55..=69 => {
                let kind = self.random_kind();
                let a = self.term(ctx, kind, false);
                let b = self.term(ctx, kind, false);
                let op = if self.rng.chance(50) { "==" } else { "!=" };
                let _ = write!(self.out, "{a} {op} {b}");
            }
            70..=71 => {
                self.out
                    .push_str(if self.rng.chance(50) { "true" } else { "false" });
            }
            _ if ctx.reach => {
                let d = self.data_name();
                let o = self.term(ctx, Kind::County, false);
                if self.rng.chance(65) {
                    let kind = self.random_kind();
                    let at = self.term(ctx, kind, false);
                    let _ = write!(self.out, "reaches({d} of {o}, {at})");
                } else {
                    let (k1, k2) = (self.random_kind(), self.random_kind());
                    let x = self.term(ctx, k1, false);
                    let y = self.term(ctx, k2, false);
                    let _ = write!(self.out, "flows({d} of {o}, {x} -> {y})");
                }
            }
            _ => {
                let p = self.rng.pick(&self.county_params).clone();
                let _ = write!(self.out, "{p}(origin)");
            }
        }
    }

    /// A formula; `top` formulas are written without surrounding parentheses.
    fn formula(&mut self, ctx: &mut Ctx, depth: usize, top: bool) {
        if depth == 0 || self.rng.chance(30) {
            self.atom(ctx);
            return;
        }
        let roll = self.rng.below(100);
        if roll < 15 {
            self.out.push('!');
            if self.rng.chance(50) {
                self.atom(ctx);
            } else {
                self.formula(ctx, depth - 1, false);
            }
            return;
        }
        if !top {
            self.out.push('(');
        }
        if roll < 30 && ctx.vars.len() < 4 {
            // a quantifier over one or two kinds
            let q = if self.rng.chance(50) {
                "forall"
            } else {
                "exists"
            };
            let mark = ctx.vars.len();
            let n = if self.rng.chance(25) { 2 } else { 1 };
            let _ = write!(self.out, "{q} ");
            for i in 0..n {
                let kind = self.random_kind();
                let var = format!("{}{}", kind.prefix(), ctx.fresh);
                ctx.fresh += 1;
                if i > 0 {
                    self.out.push_str(", ");
                }
                let _ = write!(self.out, "{var}: {}", kind.name());
                ctx.vars.push((var, kind));
            }
            self.out.push_str(". ");
            self.formula(ctx, depth - 1, true);
            ctx.vars.truncate(mark);
        } else {
            let op = match self.rng.below(10) {
                0..=3 => "&&",
                4..=6 => "||",
                7..=8 => "=>",
                _ => "<=>",
            };
            self.formula(ctx, depth - 1, false);
            let _ = write!(self.out, " {op} ");
            self.formula(ctx, depth - 1, false);
        }
        if !top {
            self.out.push(')');
        }
    }
}
