//! Step 7, rules: every collect, flow, derive, opt-out, assumption and claim as
//! written → the model's rules and statements, each with its variables and citations
//! (a rule with an error is left out of the model).

use super::Resolver;
use super::names::Symbol;
use super::shown;
use super::terms::{Place, Scope};
use crate::check::error::CheckError;
use crate::model::{
    Assume, Block, Claim, Collect, Covers, DataId, Derive, Flow, Optout, OptoutId, Reading,
};
use crate::syntax::ast;

impl Resolver<'_> {
    pub(super) fn rule(&mut self, decl: &ast::Decl) {
        match decl {
            ast::Decl::Collect(c) => self.collect(c),
            ast::Decl::Flow(f) => self.flow(f),
            ast::Decl::Derive(d) => self.derive(d),
            ast::Decl::Optout(o) => self.optout(o),
            ast::Decl::Assume(a) => {
                if let Some(assume) = self.assume(a) {
                    self.model.assumes.push(assume);
                }
            }
            ast::Decl::Reading(r) => self.reading(r),
            ast::Decl::Claim(c) => {
                let mut scope = Scope::default();
                let formula = self.formula(&c.formula, &mut scope, &Place::Statement);
                let cites = self.cites(&c.cites);
                if let Some(formula) = formula {
                    self.model.claims.push(Claim {
                        name: c.name.node.clone(),
                        title: c.title.as_ref().map(|t| shown(&t.node)),
                        quote: c.quote.as_ref().map(|q| shown(&q.node)),
                        quote_span: c.quote.as_ref().map_or(c.span, |q| q.span),
                        by: c.by.as_ref().map(|b| shown(&b.node)),
                        said: c.said.as_ref().map(|d| d.node),
                        mode: c.mode.node,
                        formula,
                        info: scope.info(cites, &c.note, c.span),
                    });
                }
            }
            _ => {}
        }
    }

    fn collect(&mut self, c: &ast::CollectDecl) {
        let mut scope = Scope::default();
        let data = self.data_named(&c.data);
        let mut binders = Vec::new();
        let at = self.endpoint(&c.at, &mut scope, &mut binders, &Place::CollectAt);
        let place = Place::Guard {
            rule: c.span,
            data: data.into_iter().collect(),
        };
        let guard = self.guard(c.guard.as_ref(), &mut scope, &place);
        let cites = self.cites(&c.cites);
        if let (Some(data), Some(at), Some(guard)) = (data, at, guard) {
            self.model.collects.push(Collect {
                data,
                at,
                guard,
                info: scope.info(cites, &c.note, c.span),
            });
        }
    }

    /// An assumption, resolved (`None` when it has an error).
    fn assume(&mut self, a: &ast::AssumeDecl) -> Option<Assume> {
        let mut scope = Scope::default();
        let formula = self.formula(&a.formula, &mut scope, &Place::Statement);
        let cites = self.cites(&a.cites);
        Some(Assume {
            formula: formula?,
            info: scope.info(cites, &a.note, a.span),
        })
    }

    /// A reading and its assumptions; a reading with an error in one of them is left
    /// out of the model.
    fn reading(&mut self, r: &ast::ReadingDecl) {
        let mut assumes = Vec::new();
        let mut ok = true;
        for a in &r.assumes {
            match self.assume(a) {
                Some(assume) => assumes.push(assume),
                None => ok = false,
            }
        }
        let cites = self.cites(&r.cites);
        if ok && self.declare_reading(&r.name) {
            self.model.readings.push(Reading {
                name: r.name.node.clone(),
                label: r.label.as_ref().map(|l| shown(&l.node)),
                note: r.note.as_ref().map(|n| shown(&n.node)),
                assumes,
                info: crate::model::RuleInfo {
                    cites: cites.sources,
                    pinpoints: cites.pinpoints,
                    span: r.span,
                    ..crate::model::RuleInfo::default()
                },
            });
        }
    }

    fn flow(&mut self, f: &ast::FlowDecl) {
        let mut scope = Scope::default();
        let data = self.data_named(&f.data);
        let origin_data: Vec<DataId> = data.into_iter().collect();
        let place = Place::Endpoint {
            data: origin_data.clone(),
        };
        let mut binders = Vec::new();
        let from = self.endpoint(&f.from, &mut scope, &mut binders, &place);
        let to = self.endpoint(&f.to, &mut scope, &mut binders, &place);
        let guard_place = Place::Guard {
            rule: f.span,
            data: origin_data,
        };
        let guard = self.guard(f.guard.as_ref(), &mut scope, &guard_place);
        let cites = self.cites(&f.cites);
        if let (Some(data), Some(from), Some(to), Some(guard)) = (data, from, to, guard) {
            self.model.flows.push(Flow {
                data,
                from,
                to,
                guard,
                info: scope.info(cites, &f.note, f.span),
            });
        }
    }

    fn derive(&mut self, d: &ast::DeriveDecl) {
        let mut scope = Scope::default();
        let data = self.data_named(&d.data);
        let from = self.data_named(&d.from);
        let origin_data: Vec<DataId> = from.into_iter().collect();
        let mut binders = Vec::new();
        let at = self.endpoint(
            &d.at,
            &mut scope,
            &mut binders,
            &Place::Endpoint {
                data: origin_data.clone(),
            },
        );
        let place = Place::Guard {
            rule: d.span,
            data: origin_data,
        };
        let guard = self.guard(d.guard.as_ref(), &mut scope, &place);
        let cites = self.cites(&d.cites);
        if let (Some(data), Some(from), Some(at), Some(guard)) = (data, from, at, guard) {
            self.model.derives.push(Derive {
                data,
                from,
                at,
                guard,
                info: scope.info(cites, &d.note, d.span),
            });
        }
    }

    fn optout(&mut self, o: &ast::OptoutDecl) {
        let Some((Symbol::Param(param), span)) = self.symbols.get(&o.name.node).copied() else {
            return;
        };
        if span.start != o.name.span.start || span.file != o.name.span.file {
            return;
        }
        if o.params.len() != 1 {
            self.error(
                o.name.span,
                CheckError::OptoutParameters {
                    name: o.name.node.clone(),
                    count: o.params.len(),
                    span: o.name.span,
                },
            );
            return;
        }
        let mut scope = Scope::default();
        let binder = &o.params[0];
        let kind = self.model.param(param).args.first().copied();
        let Some(kind) = kind.filter(|k| k.index() < self.model.kinds.len()) else {
            return;
        };
        self.check_shadow(&binder.var);
        let var = scope.bind(&binder.var.node, kind, binder.var.span);
        let block_data: Vec<Option<DataId>> =
            o.blocks.iter().map(|b| self.data_named(&b.data)).collect();
        let all_data: Vec<DataId> = block_data.iter().flatten().copied().collect();
        let guard = self.guard(
            o.guard.as_ref(),
            &mut scope,
            &Place::Guard {
                rule: o.span,
                data: all_data,
            },
        );
        let mut blocks = Vec::new();
        let mut ok = guard.is_some();
        for (b, data) in o.blocks.iter().zip(block_data) {
            let mark = scope.visible.len();
            let place = Place::Endpoint {
                data: data.into_iter().collect(),
            };
            let mut binders = vec![(binder.var.node.clone(), binder.var.span)];
            let from = self.endpoint(&b.from, &mut scope, &mut binders, &place);
            let to = self.endpoint(&b.to, &mut scope, &mut binders, &place);
            // the clause's own condition sees the opt-out's variable and the clause's
            let clause_guard = self.guard(
                b.guard.as_ref(),
                &mut scope,
                &Place::Guard {
                    rule: b.span,
                    data: data.into_iter().collect(),
                },
            );
            scope.visible.truncate(mark);
            match (data, from, to, clause_guard) {
                (Some(data), Some(from), Some(to), Some(guard)) => blocks.push(Block {
                    data,
                    from,
                    to,
                    guard,
                    span: b.span,
                }),
                _ => ok = false,
            }
        }
        let cites = self.cites(&o.cites);
        if let (true, Some(guard)) = (ok, guard) {
            let id = OptoutId::from_index(self.model.optouts.len());
            self.model.params[param.index()].optout = Some(id);
            self.model.optouts.push(Optout {
                param,
                var,
                covers: o.covers.as_ref().map_or(Covers::Inside, |c| c.node),
                guard,
                blocks,
                info: scope.info(cites, &o.note, o.span),
            });
        }
    }
}
