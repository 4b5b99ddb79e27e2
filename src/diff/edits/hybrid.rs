//! Hybrids of two versions: the new version with some edits undone (see [`super`]).

use std::collections::HashMap;

use super::{Edit, RuleRef, edits};
use crate::model::{
    AgencyId, Assume, Block, Collect, DataId, Derive, Endpoint, Flow, Formula, FormulaKind, KindId,
    Model, Optout, OptoutId, Param, ParamId, Pinpoint, Reading, RuleInfo, SourceId, Term, Var,
};

/// Why hybrids cannot be built for two versions.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HybridError {
    #[error("the versions declare different {0}: {1}")]
    Declarations(&'static str, String),
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
            RuleRef::ReadingAssume(r, i) => {
                let reading = &old.readings[r];
                let a = &reading.assumes[i];
                let assume = Assume {
                    formula: self.formula(&a.formula),
                    info: self.info(&a.info),
                };
                // into the reading of that name; one the new version lacks is carried
                // over, after the new version's readings
                match m.readings.iter_mut().find(|x| x.name == reading.name) {
                    Some(x) => x.assumes.push(assume),
                    None => m.readings.push(Reading {
                        name: reading.name.clone(),
                        label: reading.label.clone(),
                        note: reading.note.clone(),
                        assumes: vec![assume],
                        info: self.info(&reading.info),
                    }),
                }
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
        for (r, reading) in m.readings.iter_mut().enumerate() {
            reading.assumes = keep_only(&self.new.readings[r].assumes, |i| {
                keep(RuleRef::ReadingAssume(r, i))
            });
        }
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
