//! Step 5, kind checking: a param applied to resolved terms → its arity and each
//! argument's kinds checked against the param's declaration; an argument that mentions
//! `origin` is held until every collect and derive is known, then checked against the
//! kinds of the agencies where its data can originate.

use std::collections::BTreeSet;

use super::Resolver;
use super::terms::{Place, Scope};
use crate::check::error::CheckError;
use crate::model::{DataId, Endpoint, KindId, Model, ParamId, Term};
use crate::span::Span;
use crate::syntax::{ast, print};

/// A param applied to a term that mentions `origin`: checked once origins are known.
pub(super) struct OriginCheck {
    param: ParamId,
    index: usize,
    term: Term,
    var_kinds: Vec<KindId>,
    data: Vec<DataId>,
    text: String,
    span: Span,
}

impl Resolver<'_> {
    #[expect(clippy::too_many_arguments, reason = "the pieces of one application")]
    pub(super) fn check_application(
        &mut self,
        id: ParamId,
        name: &ast::Name,
        args: &[ast::Term],
        terms: &[Term],
        span: Span,
        scope: &Scope,
        place: &Place,
    ) -> Option<()> {
        let expected = self.model.param(id).args.clone();
        if expected.len() != terms.len() {
            let declared = self.model.param(id).span;
            let declared = (declared.file == span.file).then_some(declared);
            let help = if expected.is_empty() {
                Some(format!(
                    "`{}` is a plain yes/no fact: write it without arguments",
                    name.node
                ))
            } else {
                let kinds: Vec<&str> = expected
                    .iter()
                    .map(|k| {
                        self.model
                            .kinds
                            .get(k.index())
                            .map_or("?", |k| k.name.as_str())
                    })
                    .collect();
                Some(format!(
                    "apply it as `{}(...)` to agencies of kind {}",
                    name.node,
                    kinds.join(", ")
                ))
            };
            self.error(
                span,
                CheckError::Arity {
                    name: name.node.clone(),
                    expected: expected.len(),
                    plural: if expected.len() == 1 { "" } else { "s" },
                    given: terms.len(),
                    given_verb: if terms.len() == 1 { "was" } else { "were" },
                    span,
                    declared,
                    help,
                },
            );
            return None;
        }
        let var_kinds: Vec<KindId> = scope.vars.iter().map(|v| v.kind).collect();
        let mut ok = true;
        for (index, (term, arg)) in terms.iter().zip(args).enumerate() {
            if mentions_origin(term) {
                let data = match place {
                    Place::Guard { data, .. } | Place::Endpoint { data } => data.clone(),
                    Place::CollectAt | Place::Statement => Vec::new(),
                };
                self.origin_checks.push(OriginCheck {
                    param: id,
                    index,
                    term: term.clone(),
                    var_kinds: var_kinds.clone(),
                    data,
                    text: print::term(arg),
                    span: arg.span,
                });
                continue;
            }
            let kinds = term_kinds(&self.model, term, &var_kinds, &BTreeSet::new());
            ok &= self.report_kind_mismatch(id, index, &kinds, print::term(arg), arg.span, false);
        }
        ok.then_some(())
    }

    /// Reports a param argument that can denote an agency outside the param's kind.
    fn report_kind_mismatch(
        &mut self,
        id: ParamId,
        index: usize,
        kinds: &BTreeSet<KindId>,
        text: String,
        span: Span,
        via_origin: bool,
    ) -> bool {
        let Some(&expected) = self.model.param(id).args.get(index) else {
            return true;
        };
        if expected.index() >= self.model.kinds.len() {
            return true; // the param's own kind did not resolve; already reported
        }
        // kinds that did not resolve were reported where they were written
        let wrong: Vec<KindId> = kinds
            .iter()
            .copied()
            .filter(|k| *k != expected && k.index() < self.model.kinds.len())
            .collect();
        if wrong.is_empty() {
            return true;
        }
        let name = |k: KindId| {
            self.model
                .kinds
                .get(k.index())
                .map_or_else(|| "?".to_owned(), |k| k.name.clone())
        };
        let actual = wrong
            .iter()
            .map(|k| format!("a `{}`", name(*k)))
            .collect::<Vec<_>>()
            .join(" or ");
        let param = self.model.param(id);
        let declared = (param.span.file == span.file).then_some(param.span);
        let help = if via_origin {
            format!(
                "`origin` here can be any agency where the data is collected or derived from; restrict the rule, or declare `{}` over kind `{}`",
                param.name,
                name(wrong[0])
            )
        } else {
            format!(
                "apply `{}` to an agency of kind `{}`",
                param.name,
                name(expected)
            )
        };
        let err = CheckError::KindMismatch {
            param: param.name.clone(),
            expected_kind: format!("a `{}`", name(expected)),
            term: text,
            actual,
            span,
            declared,
            help: Some(help),
        };
        self.error(span, err);
        false
    }

    /// Once every collect and derive is known: the kinds `origin` can take for each
    /// data, and the param applications that mention it.
    pub(super) fn check_origin_params(&mut self) {
        let origins = origin_kinds(&self.model);
        let checks = std::mem::take(&mut self.origin_checks);
        for check in checks {
            let mut origin = BTreeSet::new();
            for d in &check.data {
                origin.extend(origins[d.index()].iter().copied());
            }
            let kinds = term_kinds(&self.model, &check.term, &check.var_kinds, &origin);
            self.report_kind_mismatch(
                check.param,
                check.index,
                &kinds,
                check.text,
                check.span,
                true,
            );
        }
    }
}

fn mentions_origin(term: &Term) -> bool {
    match term {
        Term::Origin => true,
        Term::Parent(t) => mentions_origin(t),
        Term::Agency(_) | Term::Var(_) => false,
    }
}

/// The kinds of the agencies a term can denote.
fn term_kinds(
    model: &Model,
    term: &Term,
    var_kinds: &[KindId],
    origin: &BTreeSet<KindId>,
) -> BTreeSet<KindId> {
    match term {
        Term::Agency(a) => BTreeSet::from([model.agency(*a).kind]),
        Term::Var(v) => var_kinds.get(v.index()).copied().into_iter().collect(),
        Term::Origin => origin.clone(),
        Term::Parent(inner) => match inner.as_ref() {
            Term::Agency(a) => model
                .agency(*a)
                .parent
                .map(|p| model.agency(p).kind)
                .into_iter()
                .collect(),
            other => {
                let inner = term_kinds(model, other, var_kinds, origin);
                model
                    .agencies
                    .iter()
                    .filter(|a| inner.contains(&a.kind))
                    .filter_map(|a| a.parent)
                    .map(|p| model.agency(p).kind)
                    .collect()
            }
        },
    }
}

/// For each data, the kinds of the agencies where it can originate: where it is
/// collected, and (through `derive`) where the data it is derived from originates.
fn origin_kinds(model: &Model) -> Vec<BTreeSet<KindId>> {
    let mut out = vec![BTreeSet::new(); model.data.len()];
    for c in &model.collects {
        let var_kinds: Vec<KindId> = c.info.vars.iter().map(|v| v.kind).collect();
        let kinds = match &c.at {
            Endpoint::Bind(v) => var_kinds.get(v.index()).copied().into_iter().collect(),
            Endpoint::Term(t) => term_kinds(model, t, &var_kinds, &BTreeSet::new()),
        };
        out[c.data.index()].extend(kinds);
    }
    loop {
        let mut changed = false;
        for d in &model.derives {
            let from = out[d.from.index()].clone();
            let before = out[d.data.index()].len();
            out[d.data.index()].extend(from);
            changed |= out[d.data.index()].len() != before;
        }
        if !changed {
            return out;
        }
    }
}
