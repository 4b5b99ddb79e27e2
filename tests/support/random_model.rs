//! A generator of small random policy files covering every construct of the language:
//! nested agencies, cyclic flows, derive chains, origin-dependent endpoints and guards,
//! opt-outs with guards and binder blocks, assumptions over reachability, quantifiers,
//! empty kinds and undefined `parent`. Deterministic for a seed.
//!
//! With [`Features`], version 1 too: readings (empty, contradicting the file, over
//! reachability, over params nothing else reads, disputing a fact that claims turn on),
//! `covers inside|all`, conditions on `blocks` clauses, opt-outs blocking the flows the
//! model has with claims about whose data they shield, sources with citations and
//! pinpoints, and the decorations that change no verdict (labels with `{v}` placeholders, notes, claims' titles, speakers and
//! dates, partial dates). Each part is drawn from a stream of its own: a seed's version 0
//! skeleton is the same whatever else is drawn (with no version 1 feature drawn, the
//! text [`model`] gives), and its text without decorations differs from the text with
//! them only in the decorations.

use std::fmt::Write;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Agency {
    name: String,
    kind: usize,
    parent: Option<usize>,
}

struct Param {
    name: String,
    kind: Option<usize>,
}

/// Names in scope and whether `origin` may be used.
#[derive(Clone, Default)]
struct Scope {
    vars: Vec<(String, usize)>,
    origin: bool,
    reach: bool,
}

/// What a model may carry beyond the version 0 language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Readings, `covers`, conditions on `blocks` clauses, sources and citations.
    pub v1: bool,
    /// Labels, notes, claims' titles, speakers and dates, partial dates. Without them
    /// every date is written in full (a partial date as its first day).
    pub decorations: bool,
}

impl Features {
    /// The version 0 language only: [`model`].
    pub const V0: Features = Features {
        v1: false,
        decorations: false,
    };
    /// Everything.
    pub const V1: Features = Features {
        v1: true,
        decorations: true,
    };
    /// Everything but the decorations.
    pub const V1_PLAIN: Features = Features {
        v1: true,
        decorations: false,
    };
}

/// Draws of their own, with their own counter of fresh variable names.
struct Stream {
    rng: Rng,
    fresh: usize,
}

pub struct Gen {
    rng: Rng,
    kinds: usize,
    empty_kind: bool,
    agencies: Vec<Agency>,
    data: usize,
    params: Vec<Param>,
    fresh: usize,
    /// The semantic version 1 parts (readings, covers, clause conditions), swapped in
    /// for `rng` while they are drawn.
    v1: Stream,
    /// Sources and citations (drawn with or without decorations).
    evidence: Rng,
    /// Decorations, when the model has them.
    deco: Option<Rng>,
    /// Sources declared (`s0`, `s1`, ...), for citations.
    sources: usize,
    /// The param facts about named agencies written so far (`p0(A1)`, `p1`): what
    /// readings dispute, so that claims depend on it.
    mentioned: Vec<String>,
    /// The flow rules written: what an opt-out drawn later blocks.
    flow_rules: Vec<FlowRule>,
    /// For each `collect`: its data and the agencies it may collect at.
    collect_sites: Vec<(usize, Vec<usize>)>,
}

/// A flow rule as written: its data, endpoints and the binders they introduce.
struct FlowRule {
    data: usize,
    from: String,
    to: String,
    binders: Vec<(String, usize)>,
}

impl Gen {
    fn kind_name(&self, k: usize) -> String {
        if k == self.kinds {
            "kE".to_owned()
        } else {
            format!("k{k}")
        }
    }

    fn any_kind(&mut self) -> usize {
        if self.empty_kind && self.rng.chance(10) {
            self.kinds
        } else {
            self.rng.below(self.kinds)
        }
    }

    fn fresh_var(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    /// A term, preferring one of kind `want` when given (it may still miss: the checker
    /// then rejects the model and the generator tries again).
    fn term(&mut self, scope: &Scope, want: Option<usize>, depth: usize) -> String {
        let mut options: Vec<String> = Vec::new();
        for (v, k) in &scope.vars {
            if want.is_none_or(|w| w == *k) {
                options.push(v.clone());
            }
        }
        for a in &self.agencies {
            if want.is_none_or(|w| w == a.kind) {
                options.push(a.name.clone());
            }
        }
        if scope.origin && (want.is_none() || self.rng.chance(15)) {
            options.push("origin".to_owned());
        }
        if depth > 0 && self.rng.chance(25) {
            let inner = self.term(scope, None, depth - 1);
            return format!("parent({inner})");
        }
        if options.is_empty() {
            let a = self.rng.below(self.agencies.len());
            return self.agencies[a].name.clone();
        }
        self.rng.pick(&options).clone()
    }

    fn formula(&mut self, scope: &Scope, depth: usize) -> String {
        if depth == 0 || self.rng.chance(30) {
            return self.atom(scope);
        }
        match self.rng.below(7) {
            0 => format!("!({})", self.formula(scope, depth - 1)),
            1 => format!(
                "({} && {})",
                self.formula(scope, depth - 1),
                self.formula(scope, depth - 1)
            ),
            2 => format!(
                "({} || {})",
                self.formula(scope, depth - 1),
                self.formula(scope, depth - 1)
            ),
            3 => format!(
                "({} => {})",
                self.formula(scope, depth - 1),
                self.formula(scope, depth - 1)
            ),
            4 => format!(
                "({} <=> {})",
                self.formula(scope, depth - 1),
                self.formula(scope, depth - 1)
            ),
            _ => {
                let q = if self.rng.chance(50) {
                    "forall"
                } else {
                    "exists"
                };
                let v = self.fresh_var("q");
                let k = self.any_kind();
                let mut inner = scope.clone();
                inner.vars.push((v.clone(), k));
                let body = self.formula(&inner, depth - 1);
                format!("({q} {v}: {}. {body})", self.kind_name(k))
            }
        }
    }

    fn atom(&mut self, scope: &Scope) -> String {
        let choice = self.rng.below(if scope.reach { 9 } else { 5 });
        match choice {
            0 => if self.rng.chance(50) { "true" } else { "false" }.to_owned(),
            1 => {
                let (a, b) = (self.term(scope, None, 1), self.term(scope, None, 1));
                let op = if self.rng.chance(50) { "==" } else { "!=" };
                format!("{a} {op} {b}")
            }
            2..=4 if !self.params.is_empty() => {
                let p = self.rng.below(self.params.len());
                let (name, kind) = (self.params[p].name.clone(), self.params[p].kind);
                let fact = match kind {
                    None => name,
                    Some(k) => {
                        let arg = self.term(scope, Some(k), 1);
                        format!("{name}({arg})")
                    }
                };
                self.mention(&fact);
                fact
            }
            5..=6 => self.reaches(scope),
            7..=8 => self.flows(scope),
            _ => "true".to_owned(),
        }
    }

    /// The agency a term of agency names and `parent` denotes (`parent(A1)`), if any.
    fn agency_named(&self, term: &str) -> Option<usize> {
        let mut inner = term;
        let mut parents = 0;
        while let Some(rest) = inner.strip_prefix("parent(") {
            inner = rest.strip_suffix(')')?;
            parents += 1;
        }
        let mut a: usize = inner.strip_prefix('A')?.parse().ok()?;
        for _ in 0..parents {
            a = self.agencies.get(a)?.parent?;
        }
        (a < self.agencies.len()).then_some(a)
    }

    /// Notes a param fact written, when it is about named agencies only.
    fn mention(&mut self, fact: &str) {
        let args = fact.split_once('(').map_or("", |(_, a)| a);
        // (`parent` may be undefined: a fact about it is false in every scenario)
        let ground = args
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| w.starts_with('A'));
        if ground && !self.mentioned.iter().any(|m| m == fact) {
            self.mentioned.push(fact.to_owned());
        }
    }

    fn reaches(&mut self, scope: &Scope) -> String {
        let d = self.rng.below(self.data);
        let (o, n) = (self.term(scope, None, 1), self.term(scope, None, 1));
        format!("reaches(d{d} of {o}, {n})")
    }

    fn flows(&mut self, scope: &Scope) -> String {
        let d = self.rng.below(self.data);
        let (o, x, y) = (
            self.term(scope, None, 1),
            self.term(scope, None, 1),
            self.term(scope, None, 1),
        );
        format!("flows(d{d} of {o}, {x} -> {y})")
    }

    /// An endpoint; binders it introduces are added to `scope`.
    fn endpoint(&mut self, scope: &mut Scope, allow_origin: bool) -> String {
        match self.rng.below(6) {
            0 | 1 => {
                let v = self.fresh_var("x");
                let k = self.any_kind();
                scope.vars.push((v.clone(), k));
                format!("({v}: {})", self.kind_name(k))
            }
            2 if allow_origin => {
                if self.rng.chance(70) {
                    "origin".to_owned()
                } else {
                    "parent(origin)".to_owned()
                }
            }
            _ => {
                let mut s = scope.clone();
                s.origin = allow_origin;
                self.term(&s, None, 1)
            }
        }
    }

    fn guard(&mut self, scope: &Scope) -> String {
        if self.rng.chance(50) {
            return String::new();
        }
        let mut s = scope.clone();
        s.origin = true;
        s.reach = false;
        format!(" when {}", self.formula(&s, 2))
    }

    fn ground_param_count(&self) -> usize {
        self.params
            .iter()
            .map(|p| match p.kind {
                None => 1,
                Some(k) => self.agencies.iter().filter(|a| a.kind == k).count(),
            })
            .sum()
    }
}

/// Version 1: what is drawn from the streams other than the skeleton's.
impl Gen {
    /// Runs `f` drawing from the version 1 stream instead of the skeleton's.
    fn in_v1<T>(&mut self, f: impl FnOnce(&mut Gen) -> T) -> T {
        std::mem::swap(&mut self.rng, &mut self.v1.rng);
        std::mem::swap(&mut self.fresh, &mut self.v1.fresh);
        let out = f(self);
        std::mem::swap(&mut self.rng, &mut self.v1.rng);
        std::mem::swap(&mut self.fresh, &mut self.v1.fresh);
        out
    }

    /// ` covers inside`, ` covers all` or nothing (the default, inside).
    fn covers(&mut self) -> &'static str {
        match self.rng.below(100) {
            0..=29 => " covers all",
            30..=44 => " covers inside",
            _ => "",
        }
    }

    /// A `blocks` clause's own condition (or nothing): about the opting agency `v`, the
    /// clause's binders (all in `scope`), `origin`, params, equality and quantifiers.
    fn clause_guard(&mut self, scope: &Scope) -> String {
        if !self.rng.chance(40) {
            return String::new();
        }
        let mut s = scope.clone();
        s.origin = true;
        s.reach = false;
        let v_kind = s.vars.first().map(|(_, k)| *k);
        let op = |g: &mut Gen| if g.rng.chance(70) { "==" } else { "!=" };
        let core = match self.rng.below(6) {
            // one of the clause's agencies tied to the opting agency
            0 => {
                let t = self.term(&s, None, 1);
                let t = if self.rng.chance(50) {
                    format!("parent({t})")
                } else {
                    t
                };
                format!("{t} {} v", op(self))
            }
            // whose data it is
            1 => {
                let o = *self.rng.pick(&["origin", "parent(origin)"]);
                format!("{o} {} v", op(self))
            }
            // a param of the opting agency or of a binder
            2 if !self.params.is_empty() => {
                let p = self.rng.below(self.params.len());
                let (name, kind) = (self.params[p].name.clone(), self.params[p].kind);
                match kind {
                    None => name,
                    Some(k) => {
                        let arg = if v_kind == Some(k) && self.rng.chance(50) {
                            "v".to_owned()
                        } else {
                            self.term(&s, Some(k), 1)
                        };
                        format!("{name}({arg})")
                    }
                }
            }
            // some agency inside the opting one
            3 => {
                let q = self.fresh_var("q");
                let k = self.any_kind();
                let mut inner = s.clone();
                inner.vars.push((q.clone(), k));
                let body = self.formula(&inner, 1);
                let quantifier = if self.rng.chance(50) {
                    "exists"
                } else {
                    "forall"
                };
                let link = if quantifier == "exists" { "&&" } else { "=>" };
                format!(
                    "({quantifier} {q}: {}. (parent({q}) == v {link} {body}))",
                    self.kind_name(k)
                )
            }
            _ => self.formula(&s, 2),
        };
        let h = match self.rng.below(4) {
            0 => format!("({core} && {})", self.formula(&s, 1)),
            1 => format!("({core} || {})", self.formula(&s, 1)),
            _ => core,
        };
        format!(" when {h}")
    }

    /// A param fact or its negation, about some agency of the param's kind.
    fn literal(&mut self) -> String {
        let scope = Scope::default();
        let atom = if !self.mentioned.is_empty() && self.rng.chance(50) {
            self.rng.pick(&self.mentioned).clone()
        } else if self.params.is_empty() {
            self.reaches(&scope)
        } else {
            let p = self.rng.below(self.params.len());
            let (name, kind) = (self.params[p].name.clone(), self.params[p].kind);
            match kind {
                None => name,
                Some(k) => {
                    let arg = self.term(&scope, Some(k), 0);
                    format!("{name}({arg})")
                }
            }
        };
        if self.rng.chance(50) {
            format!("!({atom})")
        } else {
            atom
        }
    }

    /// An assumption of a reading, shaped like the file's, or about reachability, or
    /// about `only` (a param that nothing but the readings reads).
    fn reading_assumption(&mut self, only: Option<&Param>) -> String {
        let statement = Scope {
            reach: true,
            ..Scope::default()
        };
        match self.rng.below(if only.is_some() { 10 } else { 8 }) {
            0..=2 => self.literal(),
            3 => self.formula(&statement, 2),
            // a random formula, under a fact (it seldom leaves no scenario then)
            4 => {
                let fact = self.literal();
                let f = self.formula(&statement, 2);
                format!("({fact} => {f})")
            }
            5..=7 => {
                let atom = if self.rng.chance(50) {
                    self.reaches(&statement)
                } else {
                    self.flows(&statement)
                };
                match self.rng.below(5) {
                    0..=2 => format!("!({atom})"),
                    3 => {
                        // over every agency of a kind
                        let q = self.fresh_var("q");
                        let k = self.any_kind();
                        let mut inner = statement.clone();
                        inner.vars.push((q.clone(), k));
                        let d = self.rng.below(self.data);
                        let n = self.term(&inner, None, 1);
                        let (quantifier, not) = *self.rng.pick(&[("forall", "!"), ("exists", "")]);
                        format!(
                            "{quantifier} {q}: {}. {not}reaches(d{d} of {q}, {n})",
                            self.kind_name(k)
                        )
                    }
                    _ => atom,
                }
            }
            _ => {
                let Some(p) = only else {
                    return "true".to_owned();
                };
                let fact = match p.kind {
                    None => p.name.clone(),
                    Some(k) => {
                        let arg = self.term(&Scope::default(), Some(k), 0);
                        format!("{}({arg})", p.name)
                    }
                };
                match self.rng.below(4) {
                    0 => fact,
                    1 => format!("!({fact})"),
                    2 => format!("({fact} <=> {})", self.formula(&statement, 1)),
                    _ => format!("({fact} => {})", self.formula(&statement, 1)),
                }
            }
        }
    }

    /// ` "LABEL"` (with chance `percent`, when the model is decorated) for `name`, whose
    /// parameter, if any, is `var`: the label then sometimes names it as `{var}`.
    fn label(&mut self, percent: usize, name: &str, var: Option<&str>) -> String {
        let Some(rng) = self.deco.as_mut() else {
            return String::new();
        };
        if !rng.chance(percent) {
            return String::new();
        }
        let text = match (var, rng.below(6)) {
            (Some(v), 0) => format!("{{{v}}} holds for {name}"),
            (Some(v), 1) => format!("{name}: {{{v}}} \\\"as written\\\", {{{v}}} again"),
            (Some(v), 2) => format!("{{{v}}}"),
            (_, 3) => format!("the {name} \\u{{2014}} caf\\u{{e9}}"),
            (_, 4) => format!("{name} \\\"quoted\\\" \\\\ here"),
            _ => format!("the {name}"),
        };
        format!(" \"{text}\"")
    }

    /// ` note "..."` (with chance `percent`, when the model is decorated).
    fn note(&mut self, percent: usize) -> Option<String> {
        let rng = self.deco.as_mut()?;
        if !rng.chance(percent) {
            return None;
        }
        let text = *rng.pick(&[
            "why this rule",
            "two lines\\nof reasons",
            "a \\\"quoted\\\" reason {not a placeholder}",
            "\\u{201c}curly\\u{201d}\\ttabbed",
        ]);
        Some(format!(" note \"{text}\""))
    }

    /// ` cite S ["pinpoint"], ...` (with chance `percent`, when sources were declared).
    fn cite(&mut self, percent: usize) -> Option<String> {
        if self.sources == 0 || !self.evidence.chance(percent) {
            return None;
        }
        let first = self.evidence.below(self.sources);
        let mut names = vec![first];
        if self.sources > 1 && self.evidence.chance(30) {
            names.push(1 - first);
        }
        let items: Vec<String> = names
            .iter()
            .map(|s| {
                if self.evidence.chance(30) {
                    format!("s{s} \"the words \\u{{2018}}as said\\u{{2019}} ...\"")
                } else {
                    format!("s{s}")
                }
            })
            .collect();
        Some(format!(" cite {}", items.join(", ")))
    }

    /// A rule's attributes: citations and a note, in either order.
    fn attrs(&mut self) -> String {
        let cite = self.cite(20);
        let note = self.note(25);
        let swap = self.deco.as_mut().is_some_and(|r| r.chance(50));
        let mut parts: Vec<String> = [cite, note].into_iter().flatten().collect();
        if swap {
            parts.reverse();
        }
        parts.concat()
    }

    /// A claim's title and attributes: citations, a note, a speaker and a date, in any
    /// order.
    fn claim_attrs(&mut self, name: &str) -> String {
        let title = self.label(40, name, None);
        let mut parts: Vec<String> = self.cite(30).into_iter().collect();
        parts.extend(self.note(30));
        let Some(rng) = self.deco.as_mut() else {
            return format!("{title}{}", parts.concat());
        };
        if rng.chance(35) {
            let by = *rng.pick(&[
                "A. Speaker",
                "the Director \\\"on record\\\"",
                "Jos\\u{e9} Ortiz",
            ]);
            parts.push(format!(" by \"{by}\""));
        }
        if rng.chance(35) {
            let said = date(rng, true);
            parts.push(format!(" said {said}"));
        }
        for i in (1..parts.len()).rev() {
            let j = rng.below(i + 1);
            parts.swap(i, j);
        }
        format!("{title}{}", parts.concat())
    }
}

/// A date between 2008 and 2019, written in full or (when `partial`) sometimes as its
/// year or month; in full, a partial date's first day. The same draws either way.
fn date(rng: &mut Rng, partial: bool) -> String {
    let (year, month, day) = (2008 + rng.below(12), 1 + rng.below(12), 1 + rng.below(28));
    match (partial, rng.below(3)) {
        (true, 0) => format!("{year}"),
        (true, 1) => format!("{year}-{month:02}"),
        (false, 0) => format!("{year}-01-01"),
        (false, 1) => format!("{year}-{month:02}-01"),
        _ => format!("{year}-{month:02}-{day:02}"),
    }
}

/// A random policy file in the version 0 language, or `None` when the draw has too many
/// ground params for the reference engine to enumerate quickly.
pub fn model(seed: u64, max_params: usize) -> Option<String> {
    model_with(seed, max_params, Features::V0)
}

/// A random policy file with `features`, or `None` when the draw has too many ground
/// params for the reference engine to enumerate quickly. Its version 0 skeleton is
/// [`model`]'s for the same seed; each version 1 part is there with some probability.
pub fn model_with(seed: u64, max_params: usize, features: Features) -> Option<String> {
    // a third of the models draw no version 1 construct, four in ten no decoration
    let mut v1 = Rng::new(seed ^ 0x5DEE_CE66_D1CE_4E5B);
    let features = Features {
        v1: features.v1 && v1.chance(65),
        ..features
    };
    let mut deco = Rng::new(seed ^ 0x7F4A_7C15_9E37_79B9);
    let deco = (features.decorations && deco.chance(60)).then_some(deco);
    let mut rng = Rng::new(seed);
    let kinds = 1 + rng.below(2);
    let empty_kind = rng.chance(25);
    let mut g = Gen {
        kinds,
        empty_kind,
        agencies: Vec::new(),
        data: 1 + rng.below(2),
        params: Vec::new(),
        fresh: 0,
        rng,
        v1: Stream {
            rng: v1,
            fresh: 500,
        },
        evidence: Rng::new(seed ^ 0x2545_F491_4F6C_DD1D),
        deco,
        sources: 0,
        mentioned: Vec::new(),
        flow_rules: Vec::new(),
        collect_sites: Vec::new(),
    };
    let n = 2 + g.rng.below(4);
    for i in 0..n {
        let kind = g.rng.below(kinds);
        let parent = (i > 0 && g.rng.chance(65)).then(|| g.rng.below(i));
        g.agencies.push(Agency {
            name: format!("A{i}"),
            kind,
            parent,
        });
    }
    let mut out = String::new();
    let header_date = match g.deco.as_mut().map(|r| r.below(3)) {
        Some(0) => "2020",
        Some(1) => "2020-01",
        _ => "2020-01-01",
    };
    let _ = writeln!(
        out,
        "policy \"random {seed}\" version \"1\" date {header_date};"
    );
    if features.v1 && g.evidence.chance(40) {
        g.sources = 1 + g.evidence.below(2);
        let partial = features.decorations;
        for s in 0..g.sources {
            let date = date(&mut g.evidence, partial);
            let _ = write!(
                out,
                "source s{s} {{\n  title = \"Source {s}\";\n  date = {date};\n  url = \"seed:{s}.txt\";\n"
            );
            if g.evidence.chance(50) {
                out.push_str("  quote = \"what the source says\";\n");
            }
            out.push_str("}\n");
        }
    }
    for k in 0..kinds {
        let label = g.label(30, &format!("kind k{k}"), None);
        let _ = writeln!(out, "kind k{k}{label};");
    }
    if empty_kind {
        let label = g.label(30, "kind kE", None);
        let _ = writeln!(out, "kind kE{label};");
    }
    for i in 0..g.agencies.len() {
        let label = g.label(40, &format!("agency A{i}"), None);
        let a = &g.agencies[i];
        let _ = write!(out, "agency {}{label}: k{}", a.name, a.kind);
        if let Some(p) = a.parent {
            let _ = write!(out, " in A{p}");
        }
        out.push_str(";\n");
    }
    for d in 0..g.data {
        let label = g.label(30, &format!("data d{d}"), None);
        let _ = writeln!(out, "data d{d}{label};");
    }
    for i in 0..g.rng.below(3) {
        let kind = g.rng.chance(60).then(|| g.rng.below(kinds));
        g.params.push(Param {
            name: format!("p{i}"),
            kind,
        });
        match kind {
            None => {
                let label = g.label(40, &format!("param p{i}"), None);
                let _ = writeln!(out, "param p{i}{label};");
            }
            Some(k) => {
                let label = g.label(40, &format!("param p{i}"), Some("x"));
                let _ = writeln!(out, "param p{i}(x: k{k}){label};");
            }
        }
    }
    let optouts = if g.rng.chance(60) {
        1 + g.rng.below(2)
    } else {
        0
    };
    let mut optout_text = String::new();
    for i in 0..optouts {
        let k = g.rng.below(kinds);
        let mut scope = Scope {
            vars: vec![("v".to_owned(), k)],
            ..Scope::default()
        };
        let guard = g.guard(&scope);
        let label = g.label(40, &format!("opt-out out{i}"), Some("v"));
        let covers = if features.v1 {
            g.in_v1(Gen::covers)
        } else {
            ""
        };
        let _ = write!(optout_text, "optout out{i}(v: k{k}){label}{covers}{guard}");
        for _ in 0..1 + g.rng.below(2) {
            let d = g.rng.below(g.data);
            let mut s = scope.clone();
            let (from, to) = if g.rng.chance(30) {
                let (a, b) = (g.rng.below(kinds), g.rng.below(kinds));
                s.vars.push(("bx".to_owned(), a));
                s.vars.push(("bz".to_owned(), b));
                (format!("(bx: k{a})"), format!("(bz: k{b})"))
            } else {
                let from = if g.rng.chance(40) {
                    "v".to_owned()
                } else {
                    g.endpoint(&mut s, true)
                };
                let to = if g.rng.chance(30) {
                    "v".to_owned()
                } else {
                    g.endpoint(&mut s, true)
                };
                (from, to)
            };
            let clause_guard = if features.v1 {
                g.in_v1(|g| g.clause_guard(&s))
            } else {
                String::new()
            };
            let _ = write!(optout_text, "\n  blocks d{d}: {from} -> {to}{clause_guard}");
        }
        scope.vars.clear();
        optout_text.push_str(&g.attrs());
        optout_text.push_str(";\n");
        g.params.push(Param {
            name: format!("out{i}"),
            kind: Some(k),
        });
    }
    out.push_str(&optout_text);
    if g.ground_param_count() > max_params {
        return None;
    }
    for _ in 0..1 + g.rng.below(2) {
        let d = g.rng.below(g.data);
        let mut scope = Scope::default();
        let at = match g.rng.below(3) {
            0 => {
                let k = g.rng.below(kinds);
                scope.vars.push(("c".to_owned(), k));
                format!("(c: k{k})")
            }
            _ => g.term(&Scope::default(), None, 1),
        };
        let guard = g.guard(&scope);
        let attrs = g.attrs();
        let _ = writeln!(out, "collect d{d} at {at}{guard}{attrs};");
        let sites = match scope.vars.first() {
            Some((_, k)) => (0..g.agencies.len())
                .filter(|a| g.agencies[*a].kind == *k)
                .collect(),
            None => g.agency_named(&at).into_iter().collect(),
        };
        g.collect_sites.push((d, sites));
    }
    for _ in 0..2 + g.rng.below(5) {
        let d = g.rng.below(g.data);
        let mut scope = Scope::default();
        let from = g.endpoint(&mut scope, true);
        let to = g.endpoint(&mut scope, true);
        let guard = g.guard(&scope);
        let attrs = g.attrs();
        let _ = writeln!(out, "flow d{d}: {from} -> {to}{guard}{attrs};");
        g.flow_rules.push(FlowRule {
            data: d,
            from,
            to,
            binders: scope.vars,
        });
    }
    if g.data > 1 {
        for _ in 0..g.rng.below(3) {
            let (a, b) = (g.rng.below(g.data), g.rng.below(g.data));
            let mut scope = Scope::default();
            let at = g.endpoint(&mut scope, true);
            let guard = g.guard(&scope);
            let attrs = g.attrs();
            let _ = writeln!(out, "derive d{a} from d{b} at {at}{guard}{attrs};");
        }
    }
    let statement = Scope {
        reach: true,
        ..Scope::default()
    };
    let mut file_assume = None;
    if g.rng.chance(35) {
        // what the file assumes is not what readings dispute
        let mentioned = g.mentioned.clone();
        let f = g.formula(&statement, 2);
        g.mentioned = mentioned;
        let attrs = g.attrs();
        let _ = writeln!(out, "assume {f}{attrs};");
        file_assume = Some(f);
    }
    for i in 0..2 + g.rng.below(2) {
        let mode = if g.rng.chance(60) {
            "always"
        } else {
            "possible"
        };
        let scoped = (0..g.agencies.len())
            .filter(|c| g.agencies[*c].parent.is_some())
            .collect::<Vec<_>>();
        let f = if optouts > 0 && !scoped.is_empty() && g.rng.chance(35) {
            let c = *g.rng.pick(&scoped);
            // an ancestor of `c` (or `c` itself) that may opt out
            let mut chain = vec![c];
            while let Some(p) = g.agencies[*chain.last().unwrap_or(&c)].parent {
                chain.push(p);
            }
            let holder = *g.rng.pick(&chain);
            let i = g.rng.below(optouts);
            let d = g.rng.below(g.data);
            let n = g.rng.below(g.agencies.len());
            let opt = g.params[g.params.len() - optouts + i].name.clone();
            g.mention(&format!("{opt}(A{holder})"));
            let goal = format!("reaches(d{d} of A{c}, A{n})");
            if mode == "always" {
                format!("{opt}(A{holder}) => !{goal}")
            } else {
                format!("{opt}(A{holder}) && {goal}")
            }
        } else if mode == "always" && g.rng.chance(40) {
            // the vacuity shape
            let k = g.any_kind();
            let v = g.fresh_var("c");
            let mut s = statement.clone();
            s.vars.push((v.clone(), k));
            let a = g.formula(&s, 2);
            let b = g.formula(&s, 2);
            format!("forall {v}: {}. ({a}) => ({b})", g.kind_name(k))
        } else {
            g.formula(&statement, 3)
        };
        let attrs = g.claim_attrs(&format!("claim c{i}"));
        let _ = writeln!(out, "claim c{i}{attrs}: {mode} {f};");
    }
    if features.v1 {
        let extra = g.in_v1(|g| v1_declarations(g, optouts, file_assume.as_deref(), max_params));
        out.push_str(&extra);
    }
    Some(out)
}

/// An opt-out whose clauses block flows the model has (with `covers all`, `covers
/// inside` or the default, and sometimes conditions of its own), and claims about what
/// it shields: data of agencies inside the opting one or not. Nothing when its ground
/// params would be too many.
fn probe(g: &mut Gen, max_params: usize) -> String {
    let mut out = String::new();
    if g.flow_rules.is_empty() {
        return out;
    }
    // a kind some agency has, so that some agency may opt out
    let holder = g.rng.below(g.agencies.len());
    let k = g.agencies[holder].kind;
    let cost = g.agencies.iter().filter(|a| a.kind == k).count();
    if g.ground_param_count() + cost > max_params {
        return out;
    }
    let covers = match g.rng.below(10) {
        0..=4 => " covers all",
        5..=6 => " covers inside",
        _ => "",
    };
    let v = Scope {
        vars: vec![("v".to_owned(), k)],
        ..Scope::default()
    };
    let guard = if g.rng.chance(30) {
        g.guard(&v)
    } else {
        String::new()
    };
    let label = g.label(40, "opt-out ov", Some("v"));
    let _ = write!(out, "optout ov(v: k{k}){label}{covers}{guard}");
    let mut blocked = Vec::new();
    for _ in 0..1 + g.rng.below(2) {
        let f = g.rng.below(g.flow_rules.len());
        let rule = &g.flow_rules[f];
        let (d, from, to) = (rule.data, rule.from.clone(), rule.to.clone());
        let mut scope = v.clone();
        scope.vars.extend(rule.binders.iter().cloned());
        let clause_guard = g.clause_guard(&scope);
        let _ = write!(out, "\n  blocks d{d}: {from} -> {to}{clause_guard}");
        blocked.push((d, g.agency_named(&to)));
    }
    out.push_str(&g.attrs());
    out.push_str(";\n");
    let holders: Vec<usize> = (0..g.agencies.len())
        .filter(|a| g.agencies[*a].kind == k)
        .collect();
    for n in 0..1 + g.rng.below(2) {
        let h = *g.rng.pick(&holders);
        // the data of an agency inside the holder, or of one that is not
        let inside: Vec<usize> = (0..g.agencies.len())
            .filter(|a| {
                let mut at = Some(*a);
                while let Some(x) = at {
                    if x == h {
                        return true;
                    }
                    at = g.agencies[x].parent;
                }
                false
            })
            .collect();
        let outside: Vec<usize> = (0..g.agencies.len())
            .filter(|a| !inside.contains(a))
            .collect();
        let (d, target) = *g.rng.pick(&blocked);
        // mostly where that data is collected
        let sites: Vec<usize> = g
            .collect_sites
            .iter()
            .filter(|(data, _)| *data == d)
            .flat_map(|(_, sites)| sites.iter().copied())
            .collect();
        let (inside, outside) = if g.rng.chance(70) {
            let of = |set: &[usize]| -> Vec<usize> {
                set.iter().copied().filter(|a| sites.contains(a)).collect()
            };
            let (i, o) = (of(&inside), of(&outside));
            if i.is_empty() && o.is_empty() {
                (inside, outside)
            } else {
                (i, o)
            }
        } else {
            (inside, outside)
        };
        let c = if !outside.is_empty() && (inside.is_empty() || g.rng.chance(50)) {
            *g.rng.pick(&outside)
        } else {
            *g.rng.pick(&inside)
        };
        // mostly where the blocked flow leads
        let at = match target {
            Some(t) if g.rng.chance(60) => t,
            _ => g.rng.below(g.agencies.len()),
        };
        let goal = format!("reaches(d{d} of A{c}, A{at})");
        let fact = format!("ov(A{h})");
        g.mention(&fact);
        let (mode, f) = if g.rng.chance(60) {
            ("always", format!("{fact} => !{goal}"))
        } else {
            ("possible", format!("{fact} && {goal}"))
        };
        let attrs = g.claim_attrs(&format!("claim co{n}"));
        let _ = writeln!(out, "claim co{n}{attrs}: {mode} {f};");
    }
    g.params.push(Param {
        name: "ov".to_owned(),
        kind: Some(k),
    });
    out
}

/// The version 1 declarations that come after the skeleton: a claim about an opt-out
/// taken by any agency of its kind (whose data `covers` decides), an opt-out that blocks
/// flows the model has ([`probe`]), and readings.
fn v1_declarations(
    g: &mut Gen,
    optouts: usize,
    file_assume: Option<&str>,
    max_params: usize,
) -> String {
    let mut out = String::new();
    let first_optout = g.params.len() - optouts;
    if optouts > 0 && g.rng.chance(40) {
        let opt = g.rng.below(optouts);
        let (name, kind) = (
            g.params[first_optout + opt].name.clone(),
            g.params[first_optout + opt].kind,
        );
        let holders: Vec<usize> = (0..g.agencies.len())
            .filter(|a| Some(g.agencies[*a].kind) == kind)
            .collect();
        if !holders.is_empty() {
            let holder = *g.rng.pick(&holders);
            let (d, c, n) = (
                g.rng.below(g.data),
                g.rng.below(g.agencies.len()),
                g.rng.below(g.agencies.len()),
            );
            let goal = format!("reaches(d{d} of A{c}, A{n})");
            let (mode, f) = if g.rng.chance(60) {
                ("always", format!("{name}(A{holder}) => !{goal}"))
            } else {
                ("possible", format!("{name}(A{holder}) && {goal}"))
            };
            let attrs = g.claim_attrs("claim cv");
            let _ = writeln!(out, "claim cv{attrs}: {mode} {f};");
        }
    }
    if g.rng.chance(60) {
        out.push_str(&probe(g, max_params));
    }
    if !g.rng.chance(50) {
        return out;
    }
    // a param only the readings read
    let only = if g.rng.chance(50) {
        let kind = g.rng.chance(40).then(|| g.rng.below(g.kinds));
        let cost = kind.map_or(1, |k| g.agencies.iter().filter(|a| a.kind == k).count());
        (g.ground_param_count() + cost <= max_params).then_some(Param {
            name: "pr".to_owned(),
            kind,
        })
    } else {
        None
    };
    if let Some(p) = &only {
        match p.kind {
            None => {
                let label = g.label(40, "param pr", None);
                let _ = writeln!(out, "param pr{label};");
            }
            Some(k) => {
                let label = g.label(40, "param pr", Some("x"));
                let _ = writeln!(out, "param pr(x: k{k}){label};");
            }
        }
    }
    // readings that disagree on a fact the rules or claims read make contested claims
    let disputed = match g.rng.below(10) {
        0..=5 if !g.mentioned.is_empty() => Some(g.rng.pick(&g.mentioned).clone()),
        0..=6 => Some(g.literal()),
        _ => None,
    };
    if let Some(fact) = &disputed
        && g.rng.chance(60)
    {
        // a claim that turns on the disputed fact: contested when the rest can hold,
        // vacuous in the readings that deny it
        let statement = Scope {
            reach: true,
            ..Scope::default()
        };
        let f = g.formula(&statement, 2);
        let (mode, f) = match g.rng.below(8) {
            0..=1 => ("always", format!("({fact}) => ({f})")),
            // proved in every reading, vacuously only in those that deny the fact
            2..=3 => ("always", format!("({fact}) => ({fact} || {f})")),
            _ => ("possible", format!("({fact}) && ({f})")),
        };
        let attrs = g.claim_attrs("claim cr");
        let _ = writeln!(out, "claim cr{attrs}: {mode} {f};");
    }
    // which readings assume the fact and which deny it
    let flip = g.rng.below(2);
    let readings = match g.rng.below(20) {
        0..=6 => 1,
        7..=15 => 2,
        _ => 3,
    };
    for r in 0..readings {
        let label = g.label(40, &format!("reading r{r}"), None);
        let attrs = g.attrs();
        let _ = writeln!(out, "reading r{r}{label}{attrs} {{");
        let mut assumes: Vec<String> = Vec::new();
        if !g.rng.chance(15) {
            if let Some(fact) = &disputed {
                assumes.push(if (r + flip).is_multiple_of(2) {
                    fact.clone()
                } else {
                    format!("!({fact})")
                });
            }
            let more = match g.rng.below(10) {
                0..=4 => 0,
                5..=8 => 1,
                _ => 2,
            };
            // a reading that disputes nothing says something else
            let more = if disputed.is_none() {
                more.max(1)
            } else {
                more
            };
            for _ in 0..more {
                let a = g.reading_assumption(only.as_ref());
                // the fact and its negation in one reading only when asked for below
                let clash = assumes
                    .iter()
                    .any(|b| *b == format!("!({a})") || a == format!("!({b})"));
                if !clash {
                    assumes.push(a);
                }
            }
            if g.rng.chance(6) {
                // a reading at odds with the file, or with itself
                match file_assume {
                    Some(f) => assumes.push(format!("!({f})")),
                    None => {
                        let fact = g.literal();
                        assumes.push(format!("!({fact})"));
                        assumes.push(fact);
                    }
                }
            }
        }
        for a in assumes {
            let attrs = g.attrs();
            let _ = writeln!(out, "  assume {a}{attrs};");
        }
        out.push_str("}\n");
    }
    out
}
