//! A generator of small random policy files covering every construct of the language:
//! nested agencies, cyclic flows, derive chains, origin-dependent endpoints and guards,
//! opt-outs with guards and binder blocks, assumptions over reachability, quantifiers,
//! empty kinds and undefined `parent`. Deterministic for a seed.

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

pub struct Gen {
    rng: Rng,
    kinds: usize,
    empty_kind: bool,
    agencies: Vec<Agency>,
    data: usize,
    params: Vec<Param>,
    fresh: usize,
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
                match kind {
                    None => name,
                    Some(k) => {
                        let arg = self.term(scope, Some(k), 1);
                        format!("{name}({arg})")
                    }
                }
            }
            5..=6 => {
                let d = self.rng.below(self.data);
                let (o, n) = (self.term(scope, None, 1), self.term(scope, None, 1));
                format!("reaches(d{d} of {o}, {n})")
            }
            7..=8 => {
                let d = self.rng.below(self.data);
                let (o, x, y) = (
                    self.term(scope, None, 1),
                    self.term(scope, None, 1),
                    self.term(scope, None, 1),
                );
                format!("flows(d{d} of {o}, {x} -> {y})")
            }
            _ => "true".to_owned(),
        }
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

/// A random policy file, or `None` when the draw has too many ground params for the
/// reference engine to enumerate quickly.
pub fn model(seed: u64, max_params: usize) -> Option<String> {
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
    let _ = writeln!(
        out,
        "policy \"random {seed}\" version \"1\" date 2020-01-01;"
    );
    for k in 0..kinds {
        let _ = writeln!(out, "kind k{k};");
    }
    if empty_kind {
        let _ = writeln!(out, "kind kE;");
    }
    for a in &g.agencies {
        let _ = write!(out, "agency {}: k{}", a.name, a.kind);
        if let Some(p) = a.parent {
            let _ = write!(out, " in A{p}");
        }
        out.push_str(";\n");
    }
    for d in 0..g.data {
        let _ = writeln!(out, "data d{d};");
    }
    for i in 0..g.rng.below(3) {
        let kind = g.rng.chance(60).then(|| g.rng.below(kinds));
        g.params.push(Param {
            name: format!("p{i}"),
            kind,
        });
        match kind {
            None => {
                let _ = writeln!(out, "param p{i};");
            }
            Some(k) => {
                let _ = writeln!(out, "param p{i}(x: k{k});");
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
        let _ = write!(optout_text, "optout out{i}(v: k{k}){guard}");
        for _ in 0..1 + g.rng.below(2) {
            let d = g.rng.below(g.data);
            let mut s = scope.clone();
            let (from, to) = if g.rng.chance(30) {
                let (a, b) = (g.rng.below(kinds), g.rng.below(kinds));
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
            let _ = write!(optout_text, "\n  blocks d{d}: {from} -> {to}");
        }
        scope.vars.clear();
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
        let _ = writeln!(out, "collect d{d} at {at}{guard};");
    }
    for _ in 0..2 + g.rng.below(5) {
        let d = g.rng.below(g.data);
        let mut scope = Scope::default();
        let from = g.endpoint(&mut scope, true);
        let to = g.endpoint(&mut scope, true);
        let guard = g.guard(&scope);
        let _ = writeln!(out, "flow d{d}: {from} -> {to}{guard};");
    }
    if g.data > 1 {
        for _ in 0..g.rng.below(3) {
            let (a, b) = (g.rng.below(g.data), g.rng.below(g.data));
            let mut scope = Scope::default();
            let at = g.endpoint(&mut scope, true);
            let guard = g.guard(&scope);
            let _ = writeln!(out, "derive d{a} from d{b} at {at}{guard};");
        }
    }
    let statement = Scope {
        reach: true,
        ..Scope::default()
    };
    if g.rng.chance(35) {
        let f = g.formula(&statement, 2);
        let _ = writeln!(out, "assume {f};");
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
            let opt = &g.params[g.params.len() - optouts + i].name;
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
        let _ = writeln!(out, "claim c{i}: {mode} {f};");
    }
    Some(out)
}
