//! Constructs the random model generator does not write, drawn over the names a checked
//! model declares and appended to its text: readings, opt-outs that cover all with
//! guarded clauses, assumptions over params nothing else reads, claims of the vacuity
//! shape over a param of their own, and statements about data where it never
//! originates. Deterministic for a seed.

use std::fmt::Write;

use flowproof::model::{KindId, Model};

use super::random_model::Rng;

/// Draws formulas and endpoints over the names of one model.
pub struct Draw<'m> {
    pub model: &'m Model,
    pub rng: Rng,
    fresh: usize,
}

/// Variables in scope: name and kind.
pub type Scope = Vec<(String, KindId)>;

impl<'m> Draw<'m> {
    pub fn new(model: &'m Model, seed: u64) -> Self {
        Draw {
            model,
            rng: Rng::new(seed),
            fresh: 0,
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}{}", self.fresh)
    }

    /// An agency, or a variable in scope, of `kind` (any kind when `None`); `None` when
    /// the kind has no agency and no variable.
    pub fn term(&mut self, scope: &Scope, kind: Option<KindId>) -> Option<String> {
        let mut options: Vec<String> = scope
            .iter()
            .filter(|(_, k)| kind.is_none_or(|w| w == *k))
            .map(|(v, _)| v.clone())
            .collect();
        for a in &self.model.agencies {
            if kind.is_none_or(|w| w == a.kind) {
                options.push(a.name.clone());
            }
        }
        if options.is_empty() {
            return None;
        }
        let t = self.rng.pick(&options).clone();
        if kind.is_none() && self.rng.chance(10) {
            return Some(format!("parent({t})"));
        }
        Some(t)
    }

    /// A param applied to terms of its kinds.
    pub fn param(&mut self, scope: &Scope) -> Option<String> {
        if self.model.params.is_empty() {
            return None;
        }
        let p = self.rng.below(self.model.params.len());
        let param = &self.model.params[p];
        let name = param.name.clone();
        if param.args.is_empty() {
            return Some(name);
        }
        let kinds = param.args.clone();
        let args: Option<Vec<String>> = kinds.iter().map(|k| self.term(scope, Some(*k))).collect();
        Some(format!("{name}({})", args?.join(", ")))
    }

    fn data(&mut self) -> String {
        let d = self.rng.below(self.model.data.len());
        self.model.data[d].name.clone()
    }

    /// An atom; with `reach`, `reaches` and `flows` too; `origin` when `origin`.
    pub fn atom(&mut self, scope: &Scope, reach: bool, origin: bool) -> String {
        let mut scope = scope.clone();
        if origin {
            // `origin` stands in as a term of no particular kind
            scope.push(("origin".to_owned(), KindId(u32::MAX)));
        }
        let any = |d: &mut Self| d.term(&scope, None).unwrap_or_else(|| "origin".to_owned());
        let drawn = match self.rng.below(if reach { 7 } else { 4 }) {
            0 | 1 => self.param(&scope),
            2 => {
                let (a, b) = (any(self), any(self));
                let op = if self.rng.chance(50) { "==" } else { "!=" };
                Some(format!("{a} {op} {b}"))
            }
            3 => Some(if self.rng.chance(50) { "true" } else { "false" }.to_owned()),
            4 | 5 => {
                let d = self.data();
                Some(format!("reaches({d} of {}, {})", any(self), any(self)))
            }
            _ => {
                let d = self.data();
                let (o, x, y) = (any(self), any(self), any(self));
                Some(format!("flows({d} of {o}, {x} -> {y})"))
            }
        };
        drawn.unwrap_or_else(|| "true".to_owned())
    }

    /// A formula of at most `depth` connectives.
    pub fn formula(&mut self, scope: &Scope, depth: usize, reach: bool, origin: bool) -> String {
        if depth == 0 || self.rng.chance(35) {
            return self.atom(scope, reach, origin);
        }
        let sub = |d: &mut Self| d.formula(scope, depth - 1, reach, origin);
        match self.rng.below(6) {
            0 => format!("!({})", sub(self)),
            1 => format!("({} && {})", sub(self), sub(self)),
            2 => format!("({} || {})", sub(self), sub(self)),
            3 => format!("({} => {})", sub(self), sub(self)),
            _ => {
                let k = KindId::from_index(self.rng.below(self.model.kinds.len()));
                let v = self.fresh("w");
                let q = if self.rng.chance(50) {
                    "forall"
                } else {
                    "exists"
                };
                let mut inner = scope.clone();
                inner.push((v.clone(), k));
                let body = self.formula(&inner, depth - 1, reach, origin);
                let kind = &self.model.kind(k).name;
                format!("({q} {v}: {kind}. {body})")
            }
        }
    }

    /// A flow endpoint: a binder (added to `scope`), an agency, a variable, `origin`.
    pub fn endpoint(&mut self, scope: &mut Scope, origin: bool) -> String {
        match self.rng.below(5) {
            0 | 1 => {
                let k = KindId::from_index(self.rng.below(self.model.kinds.len()));
                let v = self.fresh("b");
                scope.push((v.clone(), k));
                format!("({v}: {})", self.model.kind(k).name)
            }
            2 if origin => "origin".to_owned(),
            _ => self
                .term(scope, None)
                .unwrap_or_else(|| self.model.agencies[0].name.clone()),
        }
    }

    /// A kind that has agencies.
    pub fn populated_kind(&mut self) -> Option<KindId> {
        let kinds: Vec<KindId> = (0..self.model.kinds.len())
            .map(KindId::from_index)
            .filter(|k| self.model.agencies_of(*k).next().is_some())
            .collect();
        (!kinds.is_empty()).then(|| *self.rng.pick(&kinds))
    }

    /// An opt-out over a populated kind, `covers all` or inside, with a guard and
    /// guarded clauses now and then.
    pub fn optout(&mut self, name: &str, covers_all: bool) -> Option<String> {
        let k = self.populated_kind()?;
        let scope: Scope = vec![("v".to_owned(), k)];
        let mut out = format!("optout {name}(v: {})", self.model.kind(k).name);
        if covers_all {
            out.push_str(" covers all");
        }
        if self.rng.chance(40) {
            let g = self.formula(&scope, 1, false, true);
            let _ = write!(out, " when {g}");
        }
        for _ in 0..1 + self.rng.below(2) {
            let d = self.data();
            let mut s = scope.clone();
            let from = if self.rng.chance(40) {
                "v".to_owned()
            } else {
                self.endpoint(&mut s, true)
            };
            let to = self.endpoint(&mut s, true);
            let _ = write!(out, "\n  blocks {d}: {from} -> {to}");
            if self.rng.chance(50) {
                let h = self.formula(&s, 1, false, true);
                let _ = write!(out, " when {h}");
            }
        }
        out.push_str(";\n");
        Some(out)
    }

    /// `reaches(d of O, X)` for an `O` where `d` is never collected, when there is one
    /// (a statement the never-originates lint is about).
    pub fn nowhere_atom(&mut self, scope: &Scope) -> Option<String> {
        let d = self.rng.below(self.model.data.len());
        let origins = flowproof::model::eval::origin_agencies(self.model);
        let never: Vec<usize> = (0..self.model.agencies.len())
            .filter(|a| !origins[d].iter().any(|o| o.index() == *a))
            .collect();
        if never.is_empty() {
            return None;
        }
        let o = &self.model.agencies[*self.rng.pick(&never)].name;
        let at = self.term(scope, None)?;
        let name = &self.model.data[d].name;
        Some(if self.rng.chance(70) {
            format!("reaches({name} of {o}, {at})")
        } else {
            let to = self.term(scope, None)?;
            format!("flows({name} of {o}, {at} -> {to})")
        })
    }
}

/// What [`augment`] added, for coverage counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Added {
    pub readings: bool,
    pub covers_all: bool,
    pub solo: bool,
    pub vacuity: bool,
    pub nowhere: bool,
    pub optout: bool,
}

/// Text to append to a random model: some of readings, an opt-out (covering all, or
/// an extra one that covers inside), an assumption over a param nothing else reads, a
/// claim of the vacuity shape over a param of its own, a statement about data where it
/// never originates.
pub fn augment(model: &Model, seed: u64) -> (String, Added) {
    let mut d = Draw::new(model, seed ^ 0x05ee_da11);
    let mut out = String::new();
    let mut added = Added::default();
    let none = Scope::new();
    if d.rng.chance(30) {
        added.readings = true;
        for r in 0..2 {
            let _ = write!(out, "reading xr{r} {{");
            for _ in 0..1 + d.rng.below(2) {
                let f = if d.rng.chance(60) {
                    d.formula(&none, 1, false, false)
                } else {
                    d.formula(&none, 2, true, false)
                };
                let _ = write!(out, " assume {f};");
            }
            out.push_str(" }\n");
        }
    }
    if d.rng.chance(30) {
        let all = d.rng.chance(60);
        if let Some(text) = d.optout("xo", all) {
            added.covers_all = all;
            added.optout = true;
            out.push_str(&text);
        }
    }
    if d.rng.chance(25) {
        added.solo = true;
        let f = d.formula(&none, 1, true, false);
        let shape = match d.rng.below(3) {
            0 => format!("solo || {f}"),
            1 => format!("{f} => solo"),
            _ => format!("solo <=> {f}"),
        };
        let _ = writeln!(out, "param solo;\nassume {shape};");
    }
    if d.rng.chance(25) {
        added.vacuity = true;
        let b = d.formula(&none, 2, true, false);
        let _ = writeln!(out, "param hyp;\nclaim vac: always hyp => ({b});");
        if d.rng.chance(50) {
            out.push_str("assume !hyp;\n");
        }
    }
    if d.rng.chance(25)
        && let Some(atom) = d.nowhere_atom(&none)
    {
        added.nowhere = true;
        let mode = if d.rng.chance(50) {
            "always"
        } else {
            "possible"
        };
        let f = d.formula(&none, 1, true, false);
        let _ = writeln!(out, "claim nowhere: {mode} {atom} || ({f});");
    }
    (out, added)
}
