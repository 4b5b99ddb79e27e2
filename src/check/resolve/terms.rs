//! Step 4, terms: a term or endpoint as written, in a rule's scope and at its place →
//! the model's [`Term`] or [`Endpoint`] (binders bound in the scope, names looked up
//! as variables then agencies, `origin` only where it has a meaning).

use super::Resolver;
use super::lookup::Cited;
use super::names::Symbol;
use crate::check::error::CheckError;
use crate::diagnostic::Diagnostic;
use crate::model::{DataId, Endpoint, KindId, RuleInfo, Term, Var, VarId};
use crate::span::Span;
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::ast;

/// Where a formula stands, which decides what it may mention.
#[derive(Clone)]
pub(super) enum Place {
    /// A rule's `when` condition; `origin` ranges over where these data originate.
    Guard { rule: Span, data: Vec<DataId> },
    /// An endpoint of a flow, derive or block, over these data's origins.
    Endpoint { data: Vec<DataId> },
    /// The `at` of a collect: `origin` would be circular.
    CollectAt,
    /// An assumption or claim.
    Statement,
}

/// The names in scope inside one rule, and its variable table.
#[derive(Default)]
pub(super) struct Scope {
    pub(super) vars: Vec<Var>,
    pub(super) visible: Vec<(String, VarId)>,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<VarId> {
        self.visible
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    pub(super) fn bind(&mut self, name: &str, kind: KindId, span: Span) -> VarId {
        let id = VarId::from_index(self.vars.len());
        self.vars.push(Var {
            name: name.to_owned(),
            kind,
            span,
        });
        self.visible.push((name.to_owned(), id));
        id
    }

    /// The statement's variables, with its citations, note and span.
    pub(super) fn info(self, cited: Cited, note: &ast::Note, span: Span) -> RuleInfo {
        RuleInfo {
            vars: self.vars,
            cites: cited.sources,
            pinpoints: cited.pinpoints,
            note: note.as_ref().map(|n| super::shown(&n.node)),
            span,
        }
    }
}

impl Resolver<'_> {
    pub(super) fn check_shadow(&mut self, var: &ast::Name) {
        if let Some((Symbol::Agency(_), declared)) = self.symbols.get(&var.node).copied() {
            let agency = (declared.file == var.span.file).then_some(declared);
            self.diagnostics.push(Diagnostic::new(
                var.span.file,
                crate::check::error::Lint::ShadowedAgency {
                    name: var.node.clone(),
                    span: var.span,
                    agency,
                },
            ));
        }
    }

    pub(super) fn endpoint(
        &mut self,
        e: &ast::Endpoint,
        scope: &mut Scope,
        binders: &mut Vec<(String, Span)>,
        place: &Place,
    ) -> Option<Endpoint> {
        match e {
            ast::Endpoint::Binder(b) => {
                let kind = self.kind_named(&b.kind);
                if let Some((_, first)) = binders.iter().find(|(n, _)| *n == b.var.node) {
                    let first = *first;
                    self.error(
                        b.var.span,
                        CheckError::DuplicateBinder {
                            name: b.var.node.clone(),
                            span: b.var.span,
                            first,
                        },
                    );
                    return None;
                }
                binders.push((b.var.node.clone(), b.var.span));
                self.check_shadow(&b.var);
                let kind = kind?;
                Some(Endpoint::Bind(scope.bind(&b.var.node, kind, b.var.span)))
            }
            ast::Endpoint::Term(t) => self.term(t, scope, place).map(Endpoint::Term),
        }
    }

    pub(super) fn term(&mut self, t: &ast::Term, scope: &Scope, place: &Place) -> Option<Term> {
        match &t.kind {
            ast::TermKind::Name(name) => {
                if let Some(v) = scope.lookup(name) {
                    return Some(Term::Var(v));
                }
                match self.symbols.get(name).copied() {
                    Some((Symbol::Agency(a), _)) => Some(Term::Agency(a)),
                    Some((other, declared)) => {
                        let spanned = ast::Name::new(name.clone(), t.span);
                        self.wrong_sort(&spanned, other, declared, "an agency");
                        None
                    }
                    None => {
                        let vars = scope.visible.iter().map(|(n, _)| n.as_str());
                        let agencies = self
                            .symbols
                            .iter()
                            .filter(|(_, (s, _))| matches!(s, Symbol::Agency(_)))
                            .map(|(n, _)| n.as_str());
                        let out_of_scope = scope.vars.iter().any(|v| v.name == *name);
                        let help = if out_of_scope {
                            Some(format!(
                                "`{name}` is bound by a quantifier or binder whose scope ends before this point: a quantifier's body extends as far right as it can, so put this inside it (or move the parentheses)"
                            ))
                        } else {
                            None
                        };
                        let help = help.or_else(|| suggest(name, vars.chain(agencies)).map_or_else(
                            || {
                                format!(
                                    "declare the agency with `agency {name}: kind;`, or bind a variable with `({name}: kind)`"
                                )
                            },
                            |s| did_you_mean(&s),
                        ).into());
                        self.error(
                            t.span,
                            CheckError::Unknown {
                                what: "agency or variable",
                                name: name.clone(),
                                span: t.span,
                                help,
                            },
                        );
                        None
                    }
                }
            }
            ast::TermKind::Origin => match place {
                Place::Guard { .. } | Place::Endpoint { .. } => Some(Term::Origin),
                Place::CollectAt => {
                    self.error(
                        t.span,
                        CheckError::MisplacedOrigin {
                            place: "where data is collected",
                            span: t.span,
                            help: Some(
                                "`collect d at X` says where data starts; `origin` is that place, so it cannot define it"
                                    .to_owned(),
                            ),
                        },
                    );
                    None
                }
                Place::Statement => {
                    self.error(
                        t.span,
                        CheckError::MisplacedOrigin {
                            place: "in an assumption or claim",
                            span: t.span,
                            help: Some(
                                "`origin` is the agency where a datum was collected, so it exists only inside a rule; in a claim name the origin, as in `reaches(fingerprints of c, ICE)`"
                                    .to_owned(),
                            ),
                        },
                    );
                    None
                }
            },
            ast::TermKind::Parent(inner) => self
                .term(inner, scope, place)
                .map(|t| Term::Parent(Box::new(t))),
        }
    }
}
