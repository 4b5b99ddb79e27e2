//! Step 1, names: every file's declarations → the symbol table (each top-level name,
//! declared once across a file and its imports, with what it stands for) and the model's
//! kinds, data, sources, agencies and params as bare entries, in source order.

use super::{Resolver, shown};
use crate::check::error::CheckError;
use crate::model::{
    Agency, AgencyId, Data, DataId, Kind, KindId, Param, ParamId, Source, SourceId,
};
use crate::syntax::ast;

/// What a top-level name stands for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Symbol {
    Kind(KindId),
    Agency(AgencyId),
    Data(DataId),
    Param(ParamId),
    Source(SourceId),
    Claim,
}

impl Symbol {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Symbol::Kind(_) => "a kind",
            Symbol::Agency(_) => "an agency",
            Symbol::Data(_) => "a data",
            Symbol::Param(_) => "a param",
            Symbol::Source(_) => "a source",
            Symbol::Claim => "a claim",
        }
    }
}

impl Resolver<'_> {
    fn declare_name(&mut self, name: &ast::Name, symbol: Symbol) -> bool {
        if let Some((old, first)) = self.symbols.get(&name.node) {
            let (old, first) = (*old, *first);
            let help = if first.file == name.span.file {
                None
            } else {
                Some(format!(
                    "`{}` is already declared as {} at {}:{}; every name is declared once across a file and its imports",
                    name.node,
                    old.describe(),
                    self.sources.path(first.file).display(),
                    self.sources.line(first)
                ))
            };
            let first = (first.file == name.span.file).then_some(first);
            let help = help.or_else(|| {
                Some(format!(
                    "`{}` is already {}; every name is declared once, whatever it names",
                    name.node,
                    old.describe()
                ))
            });
            self.error(
                name.span,
                CheckError::Duplicate {
                    name: name.node.clone(),
                    span: name.span,
                    first,
                    help,
                },
            );
            return false;
        }
        self.symbols.insert(name.node.clone(), (symbol, name.span));
        true
    }

    /// Records every declared name, in source order (so "first declared" is first).
    pub(super) fn declare(&mut self, decls: &[&ast::Decl]) {
        for decl in decls {
            match decl {
                ast::Decl::Kind(k) => {
                    let id = KindId::from_index(self.model.kinds.len());
                    if self.declare_name(&k.name, Symbol::Kind(id)) {
                        self.model.kinds.push(Kind {
                            name: k.name.node.clone(),
                            label: k.label.as_ref().map(|l| shown(&l.node)),
                            span: k.name.span,
                        });
                    }
                }
                ast::Decl::Data(d) => {
                    let id = DataId::from_index(self.model.data.len());
                    if self.declare_name(&d.name, Symbol::Data(id)) {
                        self.model.data.push(Data {
                            name: d.name.node.clone(),
                            label: d.label.as_ref().map(|l| shown(&l.node)),
                            span: d.name.span,
                        });
                    }
                }
                ast::Decl::Source(s) => {
                    let id = SourceId::from_index(self.model.sources.len());
                    if self.declare_name(&s.name, Symbol::Source(id)) {
                        self.model.sources.push(Source {
                            name: s.name.node.clone(),
                            span: s.name.span,
                            ..Source::default()
                        });
                        self.cited.push(false);
                    }
                }
                ast::Decl::Claim(c) => {
                    self.declare_name(&c.name, Symbol::Claim);
                }
                ast::Decl::Agency(a) => {
                    let id = AgencyId::from_index(self.model.agencies.len());
                    if self.declare_name(&a.name, Symbol::Agency(id)) {
                        // the kind and parent are resolved once every name is known
                        self.model.agencies.push(Agency {
                            name: a.name.node.clone(),
                            label: a.label.as_ref().map(|l| shown(&l.node)),
                            kind: KindId(u32::MAX),
                            parent: None,
                            span: a.name.span,
                        });
                    }
                }
                ast::Decl::Param(_) | ast::Decl::Optout(_) => {
                    let (name, span) = match decl {
                        ast::Decl::Param(p) => (&p.name, &p.span),
                        ast::Decl::Optout(o) => (&o.name, &o.span),
                        _ => continue,
                    };
                    let id = ParamId::from_index(self.model.params.len());
                    if self.declare_name(name, Symbol::Param(id)) {
                        self.model.params.push(Param {
                            name: name.node.clone(),
                            args: Vec::new(),
                            optout: None,
                            label: None,
                            vars: Vec::new(),
                            span: *span,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// Records a reading's name; a second reading of the same name (in the file or
    /// its imports) is reported.
    pub(super) fn declare_reading(&mut self, name: &ast::Name) -> bool {
        if let Some(first) = self.readings.get(&name.node).copied() {
            let help = Some(format!(
                "a reading `{}` is already declared at {}:{}; reading names are unique across a file and its imports",
                name.node,
                self.sources.path(first.file).display(),
                self.sources.line(first)
            ));
            let first = (first.file == name.span.file).then_some(first);
            self.error(
                name.span,
                CheckError::Duplicate {
                    name: name.node.clone(),
                    span: name.span,
                    first,
                    help,
                },
            );
            return false;
        }
        self.readings.insert(name.node.clone(), name.span);
        true
    }
}
