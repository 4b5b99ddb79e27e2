//! The size of the grounded model, counted before anything is grounded: a rule over
//! variables of kinds with `n` and `m` agencies has `n × m` instances, and every
//! quantifier multiplies the formula under it the same way. A model over the limits
//! is refused with the numbers, pointing at the rule or param that weighs most.

use crate::check::error::LimitError;
use crate::diagnostic::Diagnostic;
use crate::limits::{Limits, thousands};

/// A count in words; a count that saturated is past every number worth printing.
fn count(n: u128) -> String {
    if n == u128::MAX {
        "more than 10^38".to_owned()
    } else {
        thousands(n)
    }
}
use crate::model::{Endpoint, Formula, FormulaKind, KindId, Model, RuleInfo, VarId};
use crate::span::Span;

/// Reports the limits of `limits` that `model` would pass once grounded.
pub fn check(model: &Model, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    let counter = Counter::new(model);
    let (total, biggest) = counter.rules();
    if total > u128::from(limits.max_ground)
        && let Some((weight, span)) = biggest
    {
        diagnostics.push(Diagnostic::new(
            span.file,
            LimitError::Ground {
                total: count(total),
                limit: thousands(u128::from(limits.max_ground)),
                biggest: count(weight),
                span,
            },
        ));
    }
    let (total, biggest) = counter.params();
    if total > u128::from(limits.max_ground_params)
        && let Some((weight, span)) = biggest
    {
        diagnostics.push(Diagnostic::new(
            span.file,
            LimitError::GroundParams {
                total: count(total),
                limit: thousands(u128::from(limits.max_ground_params)),
                biggest: count(weight),
                span,
            },
        ));
    }
}

struct Counter<'m> {
    model: &'m Model,
    /// agencies of each kind
    agencies: Vec<u128>,
}

/// A running total, and the heaviest part seen with its span.
#[derive(Default)]
struct Tally {
    total: u128,
    biggest: Option<(u128, Span)>,
}

impl Tally {
    fn add(&mut self, weight: u128, span: Span) {
        self.total = self.total.saturating_add(weight);
        if self.biggest.is_none_or(|(w, _)| weight > w) {
            self.biggest = Some((weight, span));
        }
    }
}

impl<'m> Counter<'m> {
    fn new(model: &'m Model) -> Self {
        let mut agencies = vec![0u128; model.kinds.len()];
        for a in &model.agencies {
            agencies[a.kind.index()] += 1;
        }
        Counter { model, agencies }
    }

    fn product(&self, kinds: impl IntoIterator<Item = KindId>) -> u128 {
        kinds
            .into_iter()
            .fold(1u128, |n, k| n.saturating_mul(self.agencies[k.index()]))
    }

    /// Instances of a rule whose binders are `endpoints`' variables (plus `extra`).
    fn binders(&self, info: &RuleInfo, endpoints: &[&Endpoint], extra: Option<VarId>) -> u128 {
        let vars = endpoints
            .iter()
            .filter_map(|e| match e {
                Endpoint::Bind(v) => Some(*v),
                Endpoint::Term(_) => None,
            })
            .chain(extra);
        self.product(vars.map(|v| info.var(v).kind))
    }

    /// Ground nodes of `f` (each quantifier multiplies its body by its domain).
    fn formula(&self, info: &RuleInfo, f: &Formula) -> u128 {
        match &f.kind {
            FormulaKind::Not(a) => self.formula(info, a).saturating_add(1),
            FormulaKind::And(a, b)
            | FormulaKind::Or(a, b)
            | FormulaKind::Implies(a, b)
            | FormulaKind::Iff(a, b) => self
                .formula(info, a)
                .saturating_add(self.formula(info, b))
                .saturating_add(1),
            FormulaKind::Forall(vs, body) | FormulaKind::Exists(vs, body) => self
                .product(vs.iter().map(|v| info.var(*v).kind))
                .saturating_mul(self.formula(info, body))
                .saturating_add(1),
            _ => 1,
        }
    }

    fn guarded(&self, info: &RuleInfo, instances: u128, guard: Option<&Formula>) -> u128 {
        let per = guard.map_or(1, |g| self.formula(info, g).saturating_add(1));
        instances.saturating_mul(per)
    }

    fn rules(&self) -> (u128, Option<(u128, Span)>) {
        let m = self.model;
        let mut tally = Tally::default();
        for f in &m.flows {
            let n = self.binders(&f.info, &[&f.from, &f.to], None);
            tally.add(self.guarded(&f.info, n, f.guard.as_ref()), f.info.span);
        }
        for c in &m.collects {
            let n = self.binders(&c.info, &[&c.at], None);
            tally.add(self.guarded(&c.info, n, c.guard.as_ref()), c.info.span);
        }
        for d in &m.derives {
            let n = self.binders(&d.info, &[&d.at], None);
            tally.add(self.guarded(&d.info, n, d.guard.as_ref()), d.info.span);
        }
        for o in &m.optouts {
            let n = self.binders(&o.info, &[], Some(o.var));
            let mut weight = self.guarded(&o.info, n, o.guard.as_ref());
            for b in &o.blocks {
                let per = self.binders(&o.info, &[&b.from, &b.to], None);
                weight = weight.saturating_add(n.saturating_mul(per));
            }
            tally.add(weight, o.info.span);
        }
        for a in &m.assumes {
            tally.add(self.formula(&a.info, &a.formula), a.info.span);
        }
        for c in &m.claims {
            tally.add(self.formula(&c.info, &c.formula), c.info.span);
        }
        (tally.total, tally.biggest)
    }

    fn params(&self) -> (u128, Option<(u128, Span)>) {
        let mut tally = Tally::default();
        for p in &self.model.params {
            tally.add(self.product(p.args.iter().copied()), p.span);
        }
        (tally.total, tally.biggest)
    }
}
