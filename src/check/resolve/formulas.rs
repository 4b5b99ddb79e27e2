//! Step 6, formulas: a formula or guard as written, at its place in a rule's scope →
//! the model's [`Formula`] (quantified variables bound for the body, param applications
//! kind-checked, reachability kept out of guards).

use super::Resolver;
use super::terms::{Place, Scope};
use crate::check::error::CheckError;
use crate::model::{Formula, FormulaKind, Term};
use crate::span::Span;
use crate::syntax::ast;

impl Resolver<'_> {
    /// `Some(None)` when there is no guard, `None` when the guard has errors.
    pub(super) fn guard(
        &mut self,
        guard: Option<&ast::Formula>,
        scope: &mut Scope,
        place: &Place,
    ) -> Option<Option<Formula>> {
        match guard {
            None => Some(None),
            Some(g) => self.formula(g, scope, place).map(Some),
        }
    }
    pub(super) fn formula(
        &mut self,
        f: &ast::Formula,
        scope: &mut Scope,
        place: &Place,
    ) -> Option<Formula> {
        use ast::FormulaKind as A;
        let kind = match &f.kind {
            A::True => FormulaKind::True,
            A::False => FormulaKind::False,
            A::Not(a) => FormulaKind::Not(Box::new(self.formula(a, scope, place)?)),
            A::Binary(op, a, b) => {
                let a = self.formula(a, scope, place);
                let b = self.formula(b, scope, place);
                let (a, b) = (Box::new(a?), Box::new(b?));
                match op {
                    ast::BinOp::And => FormulaKind::And(a, b),
                    ast::BinOp::Or => FormulaKind::Or(a, b),
                    ast::BinOp::Implies => FormulaKind::Implies(a, b),
                    ast::BinOp::Iff => FormulaKind::Iff(a, b),
                }
            }
            A::Eq(a, b) | A::Ne(a, b) => {
                let ta = self.term(a, scope, place);
                let tb = self.term(b, scope, place);
                let (ta, tb) = (ta?, tb?);
                if matches!(f.kind, A::Eq(..)) {
                    FormulaKind::Eq(ta, tb)
                } else {
                    FormulaKind::Ne(ta, tb)
                }
            }
            A::Apply { param, args } => {
                let id = self.param_named(param);
                let terms: Vec<Option<Term>> =
                    args.iter().map(|a| self.term(a, scope, place)).collect();
                let id = id?;
                let terms: Vec<Term> = terms.into_iter().collect::<Option<_>>()?;
                self.check_application(id, param, args, &terms, f.span, scope, place)?;
                FormulaKind::Param(id, terms)
            }
            A::Reaches(atom) => {
                let ast::ReachesAtom { data, origin, at } = atom.as_ref();
                self.no_reachability_in_guard("reaches", f.span, place);
                let d = self.data_named(data);
                let o = self.term(origin, scope, place);
                let n = self.term(at, scope, place);
                if matches!(place, Place::Guard { .. }) {
                    return None;
                }
                FormulaKind::Reaches {
                    data: d?,
                    origin: o?,
                    at: n?,
                }
            }
            A::Flows(atom) => {
                let ast::FlowsAtom {
                    data,
                    origin,
                    from,
                    to,
                } = atom.as_ref();
                self.no_reachability_in_guard("flows", f.span, place);
                let d = self.data_named(data);
                let o = self.term(origin, scope, place);
                let x = self.term(from, scope, place);
                let y = self.term(to, scope, place);
                if matches!(place, Place::Guard { .. }) {
                    return None;
                }
                FormulaKind::Flows {
                    data: d?,
                    origin: o?,
                    from: x?,
                    to: y?,
                }
            }
            A::Quant {
                quantifier,
                binders,
                body,
            } => {
                let mark = scope.visible.len();
                let mut vars = Vec::new();
                let mut ok = true;
                for b in binders {
                    match self.kind_named(&b.kind) {
                        Some(kind) => {
                            self.check_shadow(&b.var);
                            vars.push(scope.bind(&b.var.node, kind, b.var.span));
                        }
                        None => ok = false,
                    }
                }
                let body = self.formula(body, scope, place);
                scope.visible.truncate(mark);
                let body = Box::new(body?);
                if !ok {
                    return None;
                }
                match quantifier {
                    ast::Quantifier::Forall => FormulaKind::Forall(vars, body),
                    ast::Quantifier::Exists => FormulaKind::Exists(vars, body),
                }
            }
        };
        Some(Formula { kind, span: f.span })
    }

    fn no_reachability_in_guard(&mut self, what: &'static str, span: Span, place: &Place) {
        if let Place::Guard { rule, .. } = place {
            let rule = *rule;
            self.error(span, CheckError::ReachabilityInGuard { what, span, rule });
        }
    }
}
