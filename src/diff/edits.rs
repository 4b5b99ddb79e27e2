//! The rule edits between two versions of a policy, and for a claim whose verdict
//! differs, a smallest set of them that flips it (delta-minimised).
//!
//! Rules are paired by their *slot*: a flow by its data and endpoints, a collect by its
//! data and place, a derive by its data and place, an opt-out by its param, an
//! assumption by its whole formula, and an assumption of a reading by the reading's
//! name and its formula (readings are paired by name). A slot whose rules differ between
//! the versions (ignoring citations) is one edit: its old rules are replaced by its new
//! ones.
//!
//! A *hybrid* is the new version with some edits undone: the new model's declarations
//! and claims, the new rules of the edits applied, and the old rules (translated into
//! the new model's names) of the edits not applied. With every edit applied it is the
//! new version; with none, the old one. Hybrids need both versions to declare the same
//! kinds, agencies (with the same kinds and parents) and data; params and sources only
//! in the old version are carried over, and so is a reading only in the old version
//! when some of its assumptions are put back.

mod hybrid;
mod responsible;

use std::collections::BTreeMap;

use crate::model::{Endpoint, Formula, FormulaKind, Model, RuleInfo, Term, Var};

pub use hybrid::{Hybrid, HybridError};
pub use responsible::{Responsible, responsible, word, word_of};

/// A rule of one version, by kind and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleRef {
    Flow(usize),
    Collect(usize),
    Derive(usize),
    Optout(usize),
    Assume(usize),
    /// An assumption of a reading: the reading's index, the assumption's index in it.
    ReadingAssume(usize, usize),
}

impl RuleRef {
    pub fn info(self, model: &Model) -> &RuleInfo {
        match self {
            RuleRef::Flow(i) => &model.flows[i].info,
            RuleRef::Collect(i) => &model.collects[i].info,
            RuleRef::Derive(i) => &model.derives[i].info,
            RuleRef::Optout(i) => &model.optouts[i].info,
            RuleRef::Assume(i) => &model.assumes[i].info,
            RuleRef::ReadingAssume(r, i) => &model.readings[r].assumes[i].info,
        }
    }

    /// The formula of an assumption (of the file or of a reading).
    pub fn formula(self, model: &Model) -> Option<&Formula> {
        match self {
            RuleRef::Assume(i) => Some(&model.assumes[i].formula),
            RuleRef::ReadingAssume(r, i) => Some(&model.readings[r].assumes[i].formula),
            _ => None,
        }
    }
}

/// An assumption's slot: `assume F` for the file's, `reading R: assume F` for reading
/// `R`'s.
pub fn assume_slot(reading: Option<&str>, formula: &str) -> String {
    match reading {
        Some(r) => format!("reading {r}: assume {formula}"),
        None => format!("assume {formula}"),
    }
}

/// An assumption's slot cut into the reading it belongs to (`None`: the file's) and its
/// formula; `None` for a slot of another rule.
pub fn assumption(slot: &str) -> Option<(Option<&str>, &str)> {
    if let Some(formula) = slot.strip_prefix("assume ") {
        return Some((None, formula));
    }
    let rest = slot.strip_prefix("reading ")?;
    let (reading, formula) = rest.split_once(": assume ")?;
    Some((Some(reading), formula))
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
                let mut clause = format!(
                    "{}: {} -> {}",
                    model.data_name(b.data),
                    c.endpoint(&b.from),
                    c.endpoint(&b.to)
                );
                if b.guard.is_some() {
                    clause = format!("{clause} when {}", c.guard(b.guard.as_ref()));
                }
                clause
            })
            .collect();
        // whose data it covers and each clause's own condition are part of what the
        // opt-out says: changing either is an edit
        let covers = match o.covers {
            crate::model::Covers::Inside => "",
            crate::model::Covers::All => " covers all",
        };
        let content = format!(
            "({}: {}){covers} when {} blocks {}",
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
        out.entry(assume_slot(None, &text))
            .or_default()
            .push((String::new(), RuleRef::Assume(i)));
    }
    for (r, reading) in model.readings.iter().enumerate() {
        for (i, a) in reading.assumes.iter().enumerate() {
            let text = canon(model, &a.info).formula(&a.formula);
            out.entry(assume_slot(Some(&reading.name), &text))
                .or_default()
                .push((String::new(), RuleRef::ReadingAssume(r, i)));
        }
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

/// An assumption replaced by its negation (`assume !x` by `assume x`, in the file or in
/// one reading) is one edit, not a removal and an unrelated addition.
fn pair_negations(mut edits: Vec<Edit>) -> Vec<Edit> {
    let formula = |e: &Edit| {
        assumption(&e.slot).map(|(reading, f)| (reading.map(str::to_owned), f.to_owned()))
    };
    let mut i = 0;
    while i < edits.len() {
        let partner = (edits[i].new.is_empty() && !edits[i].old.is_empty())
            .then(|| formula(&edits[i]))
            .flatten()
            .and_then(|removed| {
                edits.iter().position(|e| {
                    e.old.is_empty()
                        && !e.new.is_empty()
                        && formula(e).is_some_and(|added| {
                            added.0 == removed.0 && negations(&removed.1, &added.1)
                        })
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
