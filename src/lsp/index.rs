//! What the names of a policy stand for: every declaration and every use of a name,
//! by span, built from the syntax trees of a file and its imports. It is built from
//! the trees rather than the checked model so that it works while the file has errors.

use std::collections::HashMap;

use crate::span::{FileId, Span};
use crate::syntax::ast::*;
use crate::syntax::print;

/// The kinds of things a global name can stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    Kind,
    Agency,
    Data,
    Param,
    Source,
    Claim,
}

/// Where a variable is bound: its file and byte range.
pub type Binding = (FileId, u32, u32);

/// What one occurrence of a name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Global(Namespace, String),
    /// A variable of one rule, claim or assumption, by where it is bound.
    Local(Binding),
}

/// One occurrence of a name.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub span: Span,
    pub target: Target,
    /// This occurrence declares the name (or binds the variable).
    pub is_def: bool,
}

/// A declaration of a global name.
#[derive(Clone, Debug)]
pub struct Def {
    /// The name in the declaration.
    pub span: Span,
    /// The whole declaration.
    pub decl: Span,
    /// The declaration as the formatter's printer writes it, on one line where it fits.
    pub text: String,
}

/// A variable in scope somewhere.
#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    pub kind: String,
    pub binding: Binding,
}

#[derive(Default)]
pub struct Index {
    pub occurrences: Vec<Occurrence>,
    /// The first declaration of each name.
    pub defs: HashMap<(Namespace, String), Def>,
    /// Every variable, with the span of the declaration or quantifier it is visible in.
    pub vars: Vec<(Span, Var)>,
}

fn binding(span: Span) -> Binding {
    (span.file, span.start, span.end)
}

impl Index {
    pub fn build(files: &[(FileId, &File)]) -> Index {
        let mut index = Index::default();
        for (_, file) in files {
            for decl in &file.decls {
                index.decl(decl);
            }
        }
        index
    }

    /// The occurrence at `offset` in `file` (its end counts, so a cursor just after a
    /// name finds it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences.iter().find(|o| {
            o.span.file == file
                && (o.span.start as usize) <= offset
                && offset <= o.span.end as usize
        })
    }

    /// Where `target` is declared.
    pub fn definition(&self, target: &Target) -> Option<Span> {
        match target {
            Target::Global(ns, name) => self.defs.get(&(*ns, name.clone())).map(|d| d.span),
            Target::Local((file, start, end)) => {
                Some(Span::new(*file, *start as usize, *end as usize))
            }
        }
    }

    /// Every occurrence of `target`, its declarations included.
    pub fn references<'a>(&'a self, target: &'a Target) -> impl Iterator<Item = &'a Occurrence> {
        self.occurrences.iter().filter(move |o| &o.target == target)
    }

    /// The variables visible at `offset` in `file`.
    pub fn vars_at(&self, file: FileId, offset: usize) -> Vec<&Var> {
        self.vars
            .iter()
            .filter(|(scope, _)| {
                scope.file == file
                    && (scope.start as usize) <= offset
                    && offset <= scope.end as usize
            })
            .map(|(_, v)| v)
            .collect()
    }

    /// The variable bound at `binding`.
    pub fn var(&self, binding: &Binding) -> Option<&Var> {
        self.vars
            .iter()
            .map(|(_, v)| v)
            .find(|v| &v.binding == binding)
    }

    fn define(&mut self, ns: Namespace, name: &Name, decl: &Decl, decl_span: Span) {
        self.occurrences.push(Occurrence {
            span: name.span,
            target: Target::Global(ns, name.node.clone()),
            is_def: true,
        });
        self.defs
            .entry((ns, name.node.clone()))
            .or_insert_with(|| Def {
                span: name.span,
                decl: decl_span,
                text: print::decl(decl).trim_end().to_owned(),
            });
    }

    fn refer(&mut self, ns: Namespace, name: &Name) {
        self.occurrences.push(Occurrence {
            span: name.span,
            target: Target::Global(ns, name.node.clone()),
            is_def: false,
        });
    }

    fn cites(&mut self, cites: &[Cite]) {
        for c in cites {
            self.refer(Namespace::Source, &c.source);
        }
    }

    /// Binds `b`'s variable, visible in `scope`.
    fn bind(&mut self, b: &Binder, scope: Span, vars: &mut Vec<Var>) {
        self.refer(Namespace::Kind, &b.kind);
        let var = Var {
            name: b.var.node.clone(),
            kind: b.kind.node.clone(),
            binding: binding(b.var.span),
        };
        self.occurrences.push(Occurrence {
            span: b.var.span,
            target: Target::Local(var.binding),
            is_def: true,
        });
        self.vars.push((scope, var.clone()));
        vars.push(var);
    }

    fn decl(&mut self, decl: &Decl) {
        match decl {
            Decl::Policy(_) | Decl::Import(_) | Decl::Error(_) => {}
            Decl::Source(s) => self.define(Namespace::Source, &s.name, decl, s.span),
            Decl::Kind(k) => self.define(Namespace::Kind, &k.name, decl, k.span),
            Decl::Agency(a) => {
                self.define(Namespace::Agency, &a.name, decl, a.span);
                self.refer(Namespace::Kind, &a.kind);
                if let Some(p) = &a.parent {
                    self.refer(Namespace::Agency, p);
                }
            }
            Decl::Data(d) => self.define(Namespace::Data, &d.name, decl, d.span),
            Decl::Param(p) => {
                self.define(Namespace::Param, &p.name, decl, p.span);
                let mut vars = Vec::new();
                for b in &p.params {
                    self.bind(b, p.span, &mut vars);
                }
            }
            Decl::Optout(o) => {
                self.define(Namespace::Param, &o.name, decl, o.span);
                let mut vars = Vec::new();
                for b in &o.params {
                    self.bind(b, o.span, &mut vars);
                }
                // endpoint binders in blocks are visible in the whole opt-out
                for block in &o.blocks {
                    for e in [&block.from, &block.to] {
                        if let Endpoint::Binder(b) = e {
                            self.bind(b, o.span, &mut vars);
                        }
                    }
                }
                if let Some(g) = &o.guard {
                    self.formula(g, &mut vars);
                }
                for block in &o.blocks {
                    self.refer(Namespace::Data, &block.data);
                    self.endpoint_terms(&block.from, &vars);
                    self.endpoint_terms(&block.to, &vars);
                    if let Some(h) = &block.guard {
                        self.formula(h, &mut vars);
                    }
                }
                self.cites(&o.cites);
            }
            Decl::Collect(c) => {
                self.refer(Namespace::Data, &c.data);
                let mut vars = Vec::new();
                self.rule(&[&c.at], c.guard.as_ref(), &c.cites, c.span, &mut vars);
            }
            Decl::Flow(f) => {
                self.refer(Namespace::Data, &f.data);
                let mut vars = Vec::new();
                self.rule(
                    &[&f.from, &f.to],
                    f.guard.as_ref(),
                    &f.cites,
                    f.span,
                    &mut vars,
                );
            }
            Decl::Derive(d) => {
                self.refer(Namespace::Data, &d.data);
                self.refer(Namespace::Data, &d.from);
                let mut vars = Vec::new();
                self.rule(&[&d.at], d.guard.as_ref(), &d.cites, d.span, &mut vars);
            }
            Decl::Assume(a) => {
                self.formula(&a.formula, &mut Vec::new());
                self.cites(&a.cites);
            }
            Decl::Claim(c) => {
                self.define(Namespace::Claim, &c.name, decl, c.span);
                self.cites(&c.cites);
                self.formula(&c.formula, &mut Vec::new());
            }
            Decl::Reading(r) => {
                self.cites(&r.cites);
                for a in &r.assumes {
                    self.formula(&a.formula, &mut Vec::new());
                    self.cites(&a.cites);
                }
            }
        }
    }

    /// A collect, flow or derive: its endpoint binders are visible in the whole rule.
    fn rule(
        &mut self,
        endpoints: &[&Endpoint],
        guard: Option<&Formula>,
        cites: &[Cite],
        span: Span,
        vars: &mut Vec<Var>,
    ) {
        for e in endpoints {
            if let Endpoint::Binder(b) = e {
                self.bind(b, span, vars);
            }
        }
        for e in endpoints {
            self.endpoint_terms(e, vars);
        }
        if let Some(g) = guard {
            self.formula(g, vars);
        }
        self.cites(cites);
    }

    fn endpoint_terms(&mut self, e: &Endpoint, vars: &[Var]) {
        if let Endpoint::Term(t) = e {
            self.term(t, vars);
        }
    }

    fn term(&mut self, t: &Term, vars: &[Var]) {
        match &t.kind {
            TermKind::Name(n) => {
                let target = match vars.iter().rev().find(|v| &v.name == n) {
                    Some(v) => Target::Local(v.binding),
                    None => Target::Global(Namespace::Agency, n.clone()),
                };
                self.occurrences.push(Occurrence {
                    span: t.span,
                    target,
                    is_def: false,
                });
            }
            TermKind::Origin => {}
            TermKind::Parent(inner) => self.term(inner, vars),
        }
    }

    fn formula(&mut self, f: &Formula, vars: &mut Vec<Var>) {
        match &f.kind {
            FormulaKind::True | FormulaKind::False => {}
            FormulaKind::Not(a) => self.formula(a, vars),
            FormulaKind::Binary(_, a, b) => {
                self.formula(a, vars);
                self.formula(b, vars);
            }
            FormulaKind::Eq(a, b) | FormulaKind::Ne(a, b) => {
                self.term(a, vars);
                self.term(b, vars);
            }
            FormulaKind::Apply { param, args } => {
                self.refer(Namespace::Param, param);
                for a in args {
                    self.term(a, vars);
                }
            }
            FormulaKind::Reaches(atom) => {
                self.refer(Namespace::Data, &atom.data);
                self.term(&atom.origin, vars);
                self.term(&atom.at, vars);
            }
            FormulaKind::Flows(atom) => {
                self.refer(Namespace::Data, &atom.data);
                self.term(&atom.origin, vars);
                self.term(&atom.from, vars);
                self.term(&atom.to, vars);
            }
            FormulaKind::Quant { binders, body, .. } => {
                let depth = vars.len();
                for b in binders {
                    self.bind(b, f.span, vars);
                }
                self.formula(body, vars);
                vars.truncate(depth);
            }
        }
    }
}
