//! The rule edits between two versions of a policy, and for a claim whose verdict
//! differs, a smallest set of them that flips it (delta-minimised).
//!
//! Rules are paired by their *slot*: a flow by its data and endpoints, a collect by its
//! data and place, a derive by its data and place, an opt-out by its param, an
//! assumption by its whole formula. A slot whose rules differ between the versions
//! (ignoring citations) is one edit: its old rules are replaced by its new ones.
//!
//! A *hybrid* is the new version with some edits undone: the new model's declarations
//! and claims, the new rules of the edits applied, and the old rules (translated into
//! the new model's names) of the edits not applied. With every edit applied it is the
//! new version; with none, the old one. Hybrids need both versions to declare the same
//! kinds, agencies (with the same kinds and parents) and data; params and sources only
//! in the old version are carried over.

use std::collections::{BTreeMap, HashMap};

use crate::ground::Grounded;
use crate::model::{
    AgencyId, Assume, Block, Collect, DataId, Derive, Endpoint, Flow, Formula, FormulaKind, KindId,
    Model, Optout, OptoutId, Param, ParamId, Pinpoint, RuleInfo, SourceId, Term, Var,
};
use crate::solve::{self, Options};
use crate::verdict::ClaimOutcome;

/// A rule of one version, by kind and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleRef {
    Flow(usize),
    Collect(usize),
    Derive(usize),
    Optout(usize),
    Assume(usize),
}

impl RuleRef {
    pub fn info(self, model: &Model) -> &RuleInfo {
        match self {
            RuleRef::Flow(i) => &model.flows[i].info,
            RuleRef::Collect(i) => &model.collects[i].info,
            RuleRef::Derive(i) => &model.derives[i].info,
            RuleRef::Optout(i) => &model.optouts[i].info,
            RuleRef::Assume(i) => &model.assumes[i].info,
        }
    }
}

/// One edit: the rules of a slot in the old version replaced by those in the new.
#[derive(Clone, Debug)]
pub struct Edit {
    /// What the slot is, in words: "flow prints: (c: county) -> s".
    pub slot: String,
    pub old: Vec<RuleRef>,
    pub new: Vec<RuleRef>,
}

impl Edit {
    /// "added", "removed" or "changed".
    pub fn change(&self) -> &'static str {
        match (self.old.is_empty(), self.new.is_empty()) {
            (true, _) => "added",
            (_, true) => "removed",
            _ => "changed",
        }
    }
}

/// Why hybrids cannot be built for two versions.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HybridError {
    #[error("the versions declare different {0}: {1}")]
    Declarations(&'static str, String),
}

/// Canonical text of model parts, by names, for pairing rules across versions.
struct Canon<'m> {
    model: &'m Model,
    vars: &'m [Var],
}

impl Canon<'_> {
    fn term(&self, t: &Term) -> String {
        match t {
            Term::Agency(a) => self.model.agency(*a).name.clone(),
            Term::Var(v) => self.vars[v.index()].name.clone(),
            Term::Origin => "origin".to_owned(),
            Term::Parent(inner) => format!("parent({})", self.term(inner)),
        }
    }

    fn endpoint(&self, e: &Endpoint) -> String {
        match e {
            Endpoint::Bind(v) => {
                let var = &self.vars[v.index()];
                format!("({}: {})", var.name, self.model.kind(var.kind).name)
            }
            Endpoint::Term(t) => self.term(t),
        }
    }

    fn formula(&self, f: &Formula) -> String {
        let bin = |op: &str, a: &Formula, b: &Formula| {
            format!("({} {op} {})", self.formula(a), self.formula(b))
        };
        let binders = |vs: &[crate::model::VarId]| {
            vs.iter()
                .map(|v| {
                    let var = &self.vars[v.index()];
                    format!("{}: {}", var.name, self.model.kind(var.kind).name)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &f.kind {
            FormulaKind::True => "true".to_owned(),
            FormulaKind::False => "false".to_owned(),
            FormulaKind::Not(a) => format!("!{}", self.formula(a)),
            FormulaKind::And(a, b) => bin("&&", a, b),
            FormulaKind::Or(a, b) => bin("||", a, b),
            FormulaKind::Implies(a, b) => bin("=>", a, b),
            FormulaKind::Iff(a, b) => bin("<=>", a, b),
            FormulaKind::Eq(a, b) => format!("({} == {})", self.term(a), self.term(b)),
            FormulaKind::Ne(a, b) => format!("({} != {})", self.term(a), self.term(b)),
            FormulaKind::Param(p, args) if args.is_empty() => self.model.param(*p).name.clone(),
            FormulaKind::Param(p, args) => format!(
                "{}({})",
                self.model.param(*p).name,
                args.iter()
                    .map(|t| self.term(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FormulaKind::Reaches { data, origin, at } => format!(
                "reaches({} of {}, {})",
                self.model.data_name(*data),
                self.term(origin),
                self.term(at)
            ),
            FormulaKind::Flows {
                data,
                origin,
                from,
                to,
            } => format!(
                "flows({} of {}, {}, {})",
                self.model.data_name(*data),
                self.term(origin),
                self.term(from),
                self.term(to)
            ),
            FormulaKind::Forall(vs, a) => format!("(forall {}. {})", binders(vs), self.formula(a)),
            FormulaKind::Exists(vs, a) => format!("(exists {}. {})", binders(vs), self.formula(a)),
        }
    }

    fn guard(&self, g: Option<&Formula>) -> String {
        g.map_or_else(|| "always".to_owned(), |g| self.formula(g))
    }
}

/// Every rule of a model by slot, with its canonical content.
fn slots(model: &Model) -> BTreeMap<String, Vec<(String, RuleRef)>> {
    let mut out: BTreeMap<String, Vec<(String, RuleRef)>> = BTreeMap::new();
    fn canon<'a>(model: &'a Model, info: &'a RuleInfo) -> Canon<'a> {
        Canon {
            model,
            vars: &info.vars,
        }
    }
    for (i, f) in model.flows.iter().enumerate() {
        let c = canon(model, &f.info);
        let slot = format!(
            "flow {}: {} -> {}",
            model.data_name(f.data),
            c.endpoint(&f.from),
            c.endpoint(&f.to)
        );
        out.entry(slot)
            .or_default()
            .push((c.guard(f.guard.as_ref()), RuleRef::Flow(i)));
    }
    for (i, r) in model.collects.iter().enumerate() {
        let c = canon(model, &r.info);
        let slot = format!(
            "collect {} at {}",
            model.data_name(r.data),
            c.endpoint(&r.at)
        );
        out.entry(slot)
            .or_default()
            .push((c.guard(r.guard.as_ref()), RuleRef::Collect(i)));
    }
    for (i, r) in model.derives.iter().enumerate() {
        let c = canon(model, &r.info);
        let slot = format!(
            "derive {} from {} at {}",
            model.data_name(r.data),
            model.data_name(r.from),
            c.endpoint(&r.at)
        );
        out.entry(slot)
            .or_default()
            .push((c.guard(r.guard.as_ref()), RuleRef::Derive(i)));
    }
    for (i, o) in model.optouts.iter().enumerate() {
        let c = canon(model, &o.info);
        let var = &o.info.vars[o.var.index()];
        let blocks: Vec<String> = o
            .blocks
            .iter()
            .map(|b| {
                format!(
                    "{}: {} -> {}",
                    model.data_name(b.data),
                    c.endpoint(&b.from),
                    c.endpoint(&b.to)
                )
            })
            .collect();
        let content = format!(
            "({}: {}) when {} blocks {}",
            var.name,
            model.kind(var.kind).name,
            c.guard(o.guard.as_ref()),
            blocks.join(", ")
        );
        out.entry(format!("optout {}", model.param(o.param).name))
            .or_default()
            .push((content, RuleRef::Optout(i)));
    }
    for (i, a) in model.assumes.iter().enumerate() {
        let text = canon(model, &a.info).formula(&a.formula);
        out.entry(format!("assume {text}"))
            .or_default()
            .push((String::new(), RuleRef::Assume(i)));
    }
    out
}

/// The edits that turn `old` into `new`, in slot order. An edit holds only the rules
/// of its slot that the other version lacks; rules both versions state alike are
/// shared and stay out of it.
pub fn edits(old: &Model, new: &Model) -> Vec<Edit> {
    let (a, b) = (slots(old), slots(new));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    let empty = Vec::new();
    for key in keys {
        let (xs, ys) = (a.get(key).unwrap_or(&empty), b.get(key).unwrap_or(&empty));
        // multiset difference by content, both ways
        let mut unmatched: Vec<&(String, RuleRef)> = ys.iter().collect();
        let mut old_only = Vec::new();
        for x in xs {
            match unmatched.iter().position(|y| y.0 == x.0) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => old_only.push(x.1),
            }
        }
        let new_only: Vec<RuleRef> = unmatched.iter().map(|y| y.1).collect();
        if old_only.is_empty() && new_only.is_empty() {
            continue;
        }
        out.push(Edit {
            slot: key.clone(),
            old: old_only,
            new: new_only,
        });
    }
    pair_negations(out)
}

/// An assumption replaced by its negation (`assume !x` by `assume x`) is one edit, not
/// a removal and an unrelated addition.
fn pair_negations(mut edits: Vec<Edit>) -> Vec<Edit> {
    let formula = |e: &Edit| e.slot.strip_prefix("assume ").map(str::to_owned);
    let mut i = 0;
    while i < edits.len() {
        let partner = (edits[i].new.is_empty() && !edits[i].old.is_empty())
            .then(|| formula(&edits[i]))
            .flatten()
            .and_then(|removed| {
                edits.iter().position(|e| {
                    e.old.is_empty()
                        && !e.new.is_empty()
                        && formula(e).is_some_and(|added| negations(&removed, &added))
                })
            });
        if let Some(j) = partner {
            let added = edits.remove(j);
            let k = if j < i { i - 1 } else { i };
            edits[k].new = added.new;
            i = k + 1;
        } else {
            i += 1;
        }
    }
    edits
}

/// Whether one formula's text is the other's negated: `!x` and `x`, `!(a && b)` and
/// `a && b`.
fn negations(a: &str, b: &str) -> bool {
    let negated = |x: &str, y: &str| {
        x.strip_prefix('!').is_some_and(|rest| {
            let rest = rest.trim();
            rest == y
                || rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .is_some_and(|inner| inner.trim() == y)
        })
    };
    negated(a, b) || negated(b, a)
}

/// Translates the old version's rules into the new version's names.
struct Translate<'m> {
    old: &'m Model,
    kinds: HashMap<String, KindId>,
    agencies: HashMap<String, AgencyId>,
    data: HashMap<String, DataId>,
}

impl Translate<'_> {
    fn kind(&self, k: KindId) -> KindId {
        self.kinds[&self.old.kind(k).name]
    }

    fn term(&self, t: &Term) -> Term {
        match t {
            Term::Agency(a) => Term::Agency(self.agencies[&self.old.agency(*a).name]),
            Term::Parent(inner) => Term::Parent(Box::new(self.term(inner))),
            other => other.clone(),
        }
    }

    fn endpoint(&self, e: &Endpoint) -> Endpoint {
        match e {
            Endpoint::Bind(v) => Endpoint::Bind(*v),
            Endpoint::Term(t) => Endpoint::Term(self.term(t)),
        }
    }

    fn data(&self, d: DataId) -> DataId {
        self.data[self.old.data_name(d)]
    }
}

/// Builds hybrids of two versions.
pub struct Hybrid<'m> {
    old: &'m Model,
    new: &'m Model,
    edits: Vec<Edit>,
    /// The new model with every old-only param and source added.
    base: Model,
    translate: Translate<'m>,
    params: HashMap<String, ParamId>,
    sources: HashMap<String, SourceId>,
}

impl<'m> Hybrid<'m> {
    pub fn new(old: &'m Model, new: &'m Model) -> Result<Hybrid<'m>, HybridError> {
        let names = |v: Vec<String>| {
            let mut v = v;
            v.sort();
            v
        };
        let kinds = |m: &Model| names(m.kinds.iter().map(|k| k.name.clone()).collect());
        if kinds(old) != kinds(new) {
            return Err(HybridError::Declarations(
                "kinds",
                differ(kinds(old), kinds(new)),
            ));
        }
        let agencies = |m: &Model| {
            names(
                m.agencies
                    .iter()
                    .map(|a| {
                        let parent = a.parent.map_or("", |p| m.agency(p).name.as_str());
                        format!("{} ({}, in {parent})", a.name, m.kind(a.kind).name)
                    })
                    .collect(),
            )
        };
        if agencies(old) != agencies(new) {
            return Err(HybridError::Declarations(
                "agencies",
                differ(agencies(old), agencies(new)),
            ));
        }
        let data = |m: &Model| names(m.data.iter().map(|d| d.name.clone()).collect());
        if data(old) != data(new) {
            return Err(HybridError::Declarations(
                "data",
                differ(data(old), data(new)),
            ));
        }
        let translate = Translate {
            old,
            kinds: index(new.kinds.iter().map(|k| k.name.clone()), KindId::from_index),
            agencies: index(
                new.agencies.iter().map(|a| a.name.clone()),
                AgencyId::from_index,
            ),
            data: index(new.data.iter().map(|d| d.name.clone()), DataId::from_index),
        };
        let mut base = new.clone();
        let mut params = index(
            base.params.iter().map(|p| p.name.clone()),
            ParamId::from_index,
        );
        for p in &old.params {
            let args: Vec<KindId> = p.args.iter().map(|k| translate.kind(*k)).collect();
            match params.get(&p.name) {
                Some(id) if base.params[id.index()].args != args => {
                    return Err(HybridError::Declarations(
                        "params",
                        format!("`{}` takes different arguments", p.name),
                    ));
                }
                Some(_) => {}
                None => {
                    params.insert(p.name.clone(), ParamId::from_index(base.params.len()));
                    base.params.push(Param {
                        name: p.name.clone(),
                        args,
                        optout: None,
                        label: p.label.clone(),
                        vars: p.vars.clone(),
                        span: p.span,
                    });
                }
            }
        }
        let mut sources = index(
            base.sources.iter().map(|s| s.name.clone()),
            SourceId::from_index,
        );
        for s in &old.sources {
            if !sources.contains_key(&s.name) {
                sources.insert(s.name.clone(), SourceId::from_index(base.sources.len()));
                base.sources.push(s.clone());
            }
        }
        Ok(Hybrid {
            old,
            new,
            edits: edits(old, new),
            base,
            translate,
            params,
            sources,
        })
    }

    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    fn info(&self, info: &RuleInfo) -> RuleInfo {
        RuleInfo {
            vars: info
                .vars
                .iter()
                .map(|v| Var {
                    name: v.name.clone(),
                    kind: self.translate.kind(v.kind),
                    span: v.span,
                })
                .collect(),
            cites: info
                .cites
                .iter()
                .map(|c| self.sources[&self.old.sources[c.index()].name])
                .collect(),
            pinpoints: info
                .pinpoints
                .iter()
                .map(|p| Pinpoint {
                    source: self.sources[&self.old.sources[p.source.index()].name],
                    text: p.text.clone(),
                    span: p.span,
                })
                .collect(),
            note: info.note.clone(),
            span: info.span,
        }
    }

    fn formula(&self, f: &Formula) -> Formula {
        let t = &self.translate;
        let b = |x: &Formula| Box::new(self.formula(x));
        let kind = match &f.kind {
            FormulaKind::True => FormulaKind::True,
            FormulaKind::False => FormulaKind::False,
            FormulaKind::Not(a) => FormulaKind::Not(b(a)),
            FormulaKind::And(x, y) => FormulaKind::And(b(x), b(y)),
            FormulaKind::Or(x, y) => FormulaKind::Or(b(x), b(y)),
            FormulaKind::Implies(x, y) => FormulaKind::Implies(b(x), b(y)),
            FormulaKind::Iff(x, y) => FormulaKind::Iff(b(x), b(y)),
            FormulaKind::Eq(x, y) => FormulaKind::Eq(t.term(x), t.term(y)),
            FormulaKind::Ne(x, y) => FormulaKind::Ne(t.term(x), t.term(y)),
            FormulaKind::Param(p, args) => FormulaKind::Param(
                self.params[&self.old.param(*p).name],
                args.iter().map(|a| t.term(a)).collect(),
            ),
            FormulaKind::Reaches { data, origin, at } => FormulaKind::Reaches {
                data: t.data(*data),
                origin: t.term(origin),
                at: t.term(at),
            },
            FormulaKind::Flows {
                data,
                origin,
                from,
                to,
            } => FormulaKind::Flows {
                data: t.data(*data),
                origin: t.term(origin),
                from: t.term(from),
                to: t.term(to),
            },
            FormulaKind::Forall(vs, a) => FormulaKind::Forall(vs.clone(), b(a)),
            FormulaKind::Exists(vs, a) => FormulaKind::Exists(vs.clone(), b(a)),
        };
        Formula { kind, span: f.span }
    }

    fn add_old(&self, m: &mut Model, r: RuleRef) {
        let t = &self.translate;
        let old = self.old;
        let guard = |g: &Option<Formula>| g.as_ref().map(|g| self.formula(g));
        match r {
            RuleRef::Flow(i) => {
                let f = &old.flows[i];
                m.flows.push(Flow {
                    data: t.data(f.data),
                    from: t.endpoint(&f.from),
                    to: t.endpoint(&f.to),
                    guard: guard(&f.guard),
                    info: self.info(&f.info),
                });
            }
            RuleRef::Collect(i) => {
                let c = &old.collects[i];
                m.collects.push(Collect {
                    data: t.data(c.data),
                    at: t.endpoint(&c.at),
                    guard: guard(&c.guard),
                    info: self.info(&c.info),
                });
            }
            RuleRef::Derive(i) => {
                let d = &old.derives[i];
                m.derives.push(Derive {
                    data: t.data(d.data),
                    from: t.data(d.from),
                    at: t.endpoint(&d.at),
                    guard: guard(&d.guard),
                    info: self.info(&d.info),
                });
            }
            RuleRef::Optout(i) => {
                let o = &old.optouts[i];
                m.optouts.push(Optout {
                    param: self.params[&old.param(o.param).name],
                    var: o.var,
                    covers: o.covers,
                    guard: guard(&o.guard),
                    blocks: o
                        .blocks
                        .iter()
                        .map(|b| Block {
                            data: t.data(b.data),
                            from: t.endpoint(&b.from),
                            to: t.endpoint(&b.to),
                            guard: guard(&b.guard),
                            span: b.span,
                        })
                        .collect(),
                    info: self.info(&o.info),
                });
            }
            RuleRef::Assume(i) => {
                let a = &old.assumes[i];
                m.assumes.push(Assume {
                    formula: self.formula(&a.formula),
                    info: self.info(&a.info),
                });
            }
        }
    }

    /// The new version with only the edits in `applied` (indices into [`Self::edits`]).
    pub fn model(&self, applied: &[usize]) -> Model {
        let mut m = self.base.clone();
        let mut dropped: Vec<RuleRef> = Vec::new();
        for (k, e) in self.edits.iter().enumerate() {
            if !applied.contains(&k) {
                dropped.extend(&e.new);
            }
        }
        let keep = |r: RuleRef| !dropped.contains(&r);
        m.flows = keep_only(&self.new.flows, |i| keep(RuleRef::Flow(i)));
        m.collects = keep_only(&self.new.collects, |i| keep(RuleRef::Collect(i)));
        m.derives = keep_only(&self.new.derives, |i| keep(RuleRef::Derive(i)));
        m.optouts = keep_only(&self.new.optouts, |i| keep(RuleRef::Optout(i)));
        m.assumes = keep_only(&self.new.assumes, |i| keep(RuleRef::Assume(i)));
        for (k, e) in self.edits.iter().enumerate() {
            if !applied.contains(&k) {
                for r in &e.old {
                    self.add_old(&mut m, *r);
                }
            }
        }
        for p in &mut m.params {
            p.optout = None;
        }
        for (i, o) in m.optouts.iter().enumerate() {
            m.params[o.param.index()].optout = Some(OptoutId::from_index(i));
        }
        m
    }
}

fn keep_only<T: Clone>(items: &[T], keep: impl Fn(usize) -> bool) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, x)| x.clone())
        .collect()
}

fn index<T>(names: impl Iterator<Item = String>, id: impl Fn(usize) -> T) -> HashMap<String, T> {
    names.enumerate().map(|(i, n)| (n, id(i))).collect()
}

fn differ(a: Vec<String>, b: Vec<String>) -> String {
    let only_a: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
    let only_b: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
    let list = |v: &[&String]| {
        v.iter()
            .take(3)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (only_a.is_empty(), only_b.is_empty()) {
        (false, false) => format!("only old: {}; only new: {}", list(&only_a), list(&only_b)),
        (false, true) => format!("only in the old version: {}", list(&only_a)),
        _ => format!("only in the new version: {}", list(&only_b)),
    }
}

/// The verdict word a flip is judged by: vacuity counts.
pub fn word(o: &ClaimOutcome) -> String {
    word_of(&o.verdict, o.vacuous.is_some())
}

/// The verdict word of a verdict and its vacuity.
pub fn word_of(verdict: &crate::verdict::Verdict, vacuous: bool) -> String {
    if vacuous {
        "proved vacuously".to_owned()
    } else {
        verdict.word().to_owned()
    }
}

/// What the edit search found for one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Responsible {
    /// Indices into the edits: applying just these to the old version gives the new
    /// verdict, and leaving out any one of them does not.
    Edits(Vec<usize>),
    /// The claim's verdict in the old version is not reproduced by the hybrid with no
    /// edit applied (the claim itself differs between the versions).
    ClaimDiffers,
    /// The solver gave up on a hybrid.
    Unknown(String),
}

/// The smallest set of edits found (deletion-based, so no edit of it can be left out)
/// that turns the claim's verdict from `before` to `after`; the claim is the new
/// version's claim of that name, decided in the new version's reading `reading` when
/// one is given (that reading's assumptions as the new version states them).
pub fn responsible(
    hybrid: &Hybrid<'_>,
    claim: &str,
    before: &str,
    after: &str,
    options: &Options,
    reading: Option<usize>,
) -> Responsible {
    let options = Options {
        claims: vec![claim.to_owned()],
        routes: 1,
        ..options.clone()
    };
    let verdict = |applied: &[usize]| -> Result<String, String> {
        let m = hybrid.model(applied);
        let m = match reading {
            Some(r) => m.in_reading(r),
            None => m,
        };
        match solve::verify(&mut Grounded::new(m), &options) {
            Ok(mut o) => match o.pop() {
                Some(o) => match &o.verdict {
                    crate::verdict::Verdict::Unknown(why) => Err(why.clone()),
                    _ => Ok(word(&o)),
                },
                None => Err("the claim was not decided".to_owned()),
            },
            Err(e) => Ok(format!("not verifiable ({e})")),
        }
    };
    match verdict(&[]) {
        Ok(w) if w == before => {}
        Ok(_) => return Responsible::ClaimDiffers,
        Err(why) => return Responsible::Unknown(why),
    }
    let all: Vec<usize> = (0..hybrid.edits.len()).collect();
    match verdict(&all) {
        Ok(w) if w == after => {}
        Ok(_) => return Responsible::ClaimDiffers,
        Err(why) => return Responsible::Unknown(why),
    }
    // whether a set of edits flips the verdict is not monotone (an edit can undo
    // another's effect, or make the assumptions contradictory), so one pass of deletion
    // is not enough: shrink until no single edit can be left out
    let set =
        match crate::minimize::shrink_until_stable(all, |set| verdict(set).map(|w| w == after)) {
            Ok(set) => set,
            Err(why) => return Responsible::Unknown(why),
        };
    // decided again before it is reported: the set flips the verdict, and leaving out
    // any one of its edits does not
    let flips = |s: &[usize]| verdict(s).map(|w| w == after);
    let mut checked = flips(&set);
    for k in &set {
        let rest: Vec<usize> = set.iter().copied().filter(|e| e != k).collect();
        checked = match (checked, flips(&rest)) {
            (Ok(true), Ok(flipped)) => Ok(!flipped),
            (Err(why), _) | (_, Err(why)) => Err(why),
            (Ok(false), _) => Ok(false),
        };
    }
    match checked {
        Ok(true) => Responsible::Edits(set),
        Ok(false) => Responsible::Unknown(
            "the edits found were not each needed to flip the verdict when decided again"
                .to_owned(),
        ),
        Err(why) => Responsible::Unknown(why),
    }
}
