//! Resolution: parsed files → the checked [`Model`]. Every name is looked up, every
//! param application kind-checked, and every error reported (the checker keeps going
//! after an error, leaving the offending piece out of the model).

use std::collections::{BTreeSet, HashMap};

use crate::check::error::CheckError;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::span::{FileId, Span};
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::ast;
use crate::syntax::print;

/// What a top-level name stands for.
#[derive(Clone, Copy, Debug)]
enum Symbol {
    Kind(KindId),
    Agency(AgencyId),
    Data(DataId),
    Param(ParamId),
    Source(SourceId),
    Claim,
}

impl Symbol {
    fn describe(self) -> &'static str {
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

/// Where a formula stands, which decides what it may mention.
#[derive(Clone)]
enum Place {
    /// A rule's `when` condition; `origin` ranges over where these data originate.
    Guard { rule: Span, data: Vec<DataId> },
    /// An endpoint of a flow, derive or block, over these data's origins.
    Endpoint { data: Vec<DataId> },
    /// The `at` of a collect: `origin` would be circular.
    CollectAt,
    /// An assumption or claim.
    Statement,
}

/// A param applied to a term that mentions `origin`: checked once origins are known.
struct OriginCheck {
    param: ParamId,
    index: usize,
    term: Term,
    var_kinds: Vec<KindId>,
    data: Vec<DataId>,
    text: String,
    span: Span,
}

/// The names in scope inside one rule, and its variable table.
#[derive(Default)]
struct Scope {
    vars: Vec<Var>,
    visible: Vec<(String, VarId)>,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<VarId> {
        self.visible
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }

    fn bind(&mut self, name: &str, kind: KindId, span: Span) -> VarId {
        let id = VarId::from_index(self.vars.len());
        self.vars.push(Var {
            name: name.to_owned(),
            kind,
            span,
        });
        self.visible.push((name.to_owned(), id));
        id
    }

    fn info(self, cites: Vec<SourceId>, span: Span) -> RuleInfo {
        RuleInfo {
            vars: self.vars,
            cites,
            span,
        }
    }
}

pub(crate) struct Resolver<'d> {
    sources: &'d crate::source::SourceMap,
    model: Model,
    diagnostics: &'d mut Vec<Diagnostic>,
    symbols: HashMap<String, (Symbol, Span)>,
    origin_checks: Vec<OriginCheck>,
    /// for each source, whether anything cites it
    cited: Vec<bool>,
}

impl<'d> Resolver<'d> {
    pub(crate) fn new(
        sources: &'d crate::source::SourceMap,
        diagnostics: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Resolver {
            sources,
            model: Model::default(),
            diagnostics,
            symbols: HashMap::new(),
            origin_checks: Vec::new(),
            cited: Vec::new(),
        }
    }

    fn error(&mut self, span: Span, err: CheckError) {
        self.diagnostics.push(Diagnostic::new(span.file, err));
    }

    /// Resolves every file's declarations into one model.
    /// Returns the model and, for each source, whether anything cites it.
    pub(crate) fn run(
        mut self,
        files: &[(FileId, ast::File)],
        root: Option<FileId>,
    ) -> (Model, Vec<bool>) {
        let decls: Vec<&ast::Decl> = files.iter().flat_map(|(_, f)| f.decls.iter()).collect();
        self.policy(files, root);
        self.declare(&decls);
        self.agencies(&decls);
        self.params(&decls);
        self.sources(&decls);
        for decl in &decls {
            self.rule(decl);
        }
        self.check_origin_params();
        (self.model, self.cited)
    }

    fn policy(&mut self, files: &[(FileId, ast::File)], root: Option<FileId>) {
        for (file, tree) in files {
            let mut first: Option<Span> = None;
            for decl in &tree.decls {
                let ast::Decl::Policy(p) = decl else { continue };
                if let Some(first) = first {
                    self.error(
                        p.span,
                        CheckError::DuplicatePolicy {
                            span: p.span,
                            first,
                        },
                    );
                    continue;
                }
                first = Some(p.span);
                if Some(*file) == root {
                    self.model.policy = Some(Policy {
                        name: shown(&p.name.node),
                        version: p.version.as_ref().map(|v| shown(&v.node)),
                        date: p.date.as_ref().map(|d| d.node),
                    });
                }
            }
        }
    }

    // ------------------------------------------------------------ declarations

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
    fn declare(&mut self, decls: &[&ast::Decl]) {
        for decl in decls {
            match decl {
                ast::Decl::Kind(k) => {
                    let id = KindId::from_index(self.model.kinds.len());
                    if self.declare_name(&k.name, Symbol::Kind(id)) {
                        self.model.kinds.push(Kind {
                            name: k.name.node.clone(),
                            span: k.name.span,
                        });
                    }
                }
                ast::Decl::Data(d) => {
                    let id = DataId::from_index(self.model.data.len());
                    if self.declare_name(&d.name, Symbol::Data(id)) {
                        self.model.data.push(Data {
                            name: d.name.node.clone(),
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
                            span: *span,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// Looks up a name that must be of one sort, reporting what is wrong otherwise:
    /// a name of another sort, or an unknown name (with a suggestion among the names of
    /// the right sort, or how to declare it).
    fn named<T>(
        &mut self,
        name: &ast::Name,
        what: &'static str,
        expected: &'static str,
        sort: fn(Symbol) -> Option<T>,
        declare: &str,
    ) -> Option<T> {
        match self.symbols.get(&name.node).copied() {
            Some((symbol, declared)) => {
                let found = sort(symbol);
                if found.is_none() {
                    self.wrong_sort(name, symbol, declared, expected);
                }
                found
            }
            None => {
                let help = self.suggestion(
                    &name.node,
                    |s| sort(s).is_some(),
                    || format!("declare it with `{declare}`"),
                );
                self.unknown(what, name, help);
                None
            }
        }
    }

    fn kind_named(&mut self, name: &ast::Name) -> Option<KindId> {
        let declare = format!("kind {};", name.node);
        self.named(
            name,
            "kind",
            "a kind",
            |s| match s {
                Symbol::Kind(id) => Some(id),
                _ => None,
            },
            &declare,
        )
    }

    fn agency_named(&mut self, name: &ast::Name) -> Option<AgencyId> {
        let declare = format!("agency {}: kind;", name.node);
        self.named(
            name,
            "agency",
            "an agency",
            |s| match s {
                Symbol::Agency(id) => Some(id),
                _ => None,
            },
            &declare,
        )
    }

    fn data_named(&mut self, name: &ast::Name) -> Option<DataId> {
        let declare = format!("data {};", name.node);
        self.named(
            name,
            "data",
            "a data",
            |s| match s {
                Symbol::Data(id) => Some(id),
                _ => None,
            },
            &declare,
        )
    }

    fn param_named(&mut self, name: &ast::Name) -> Option<ParamId> {
        let declare = format!("param {};` or `param {}(x: kind);", name.node, name.node);
        self.named(
            name,
            "param",
            "a param",
            |s| match s {
                Symbol::Param(id) => Some(id),
                _ => None,
            },
            &declare,
        )
    }

    fn cites(&mut self, names: &[ast::Name]) -> Vec<SourceId> {
        let mut out = Vec::new();
        for name in names {
            match self.symbols.get(&name.node).copied() {
                Some((Symbol::Source(id), _)) => {
                    self.cited[id.index()] = true;
                    out.push(id);
                }
                Some((other, declared)) => self.wrong_sort(name, other, declared, "a source"),
                None => {
                    let help =
                        self.suggestion(&name.node, |s| matches!(s, Symbol::Source(_)), || {
                            format!(
                                "declare it with `source {} {{ title = \"...\"; date = YYYY-MM-DD; url = \"...\"; }}`",
                                name.node
                            )
                        });
                    self.unknown("source", name, help);
                }
            }
        }
        out
    }

    fn suggestion(
        &self,
        name: &str,
        wanted: impl Fn(Symbol) -> bool,
        otherwise: impl FnOnce() -> String,
    ) -> Option<String> {
        let candidates = self
            .symbols
            .iter()
            .filter(|(_, (s, _))| wanted(*s))
            .map(|(n, _)| n.as_str());
        Some(suggest(name, candidates).map_or_else(otherwise, |s| did_you_mean(&s)))
    }

    fn unknown(&mut self, what: &'static str, name: &ast::Name, help: Option<String>) {
        self.error(
            name.span,
            CheckError::Unknown {
                what,
                name: name.node.clone(),
                span: name.span,
                help,
            },
        );
    }

    fn wrong_sort(
        &mut self,
        name: &ast::Name,
        actual: Symbol,
        declared: Span,
        expected: &'static str,
    ) {
        let how = match expected {
            "a kind" => "kinds are declared with `kind name;`",
            "an agency" => "agencies are declared with `agency Name: kind;`",
            "a data" => "data are declared with `data name;`",
            "a param" => "params are declared with `param name(x: kind);` or by an `optout`",
            "a source" => "sources are declared with `source name { title = \"...\"; }`",
            _ => "each name stands for one thing",
        };
        let help = Some(format!(
            "`{}` names {} (declared at {}:{}); {how}",
            name.node,
            actual.describe(),
            self.sources.path(declared.file).display(),
            self.sources.line(declared)
        ));
        let declared = (declared.file == name.span.file).then_some(declared);
        self.error(
            name.span,
            CheckError::WrongSort {
                name: name.node.clone(),
                actual: actual.describe().to_owned(),
                expected,
                span: name.span,
                declared,
                help,
            },
        );
    }

    // ------------------------------------------------------------ agencies, params, sources

    fn agencies(&mut self, decls: &[&ast::Decl]) {
        let mut parent_spans: HashMap<AgencyId, Span> = HashMap::new();
        for decl in decls {
            let ast::Decl::Agency(a) = decl else { continue };
            let Some((Symbol::Agency(id), span)) = self.symbols.get(&a.name.node).copied() else {
                continue;
            };
            if span.start != a.name.span.start || span.file != a.name.span.file {
                continue; // a duplicate, already reported
            }
            if let Some(kind) = self.kind_named(&a.kind) {
                self.model.agencies[id.index()].kind = kind;
            }
            if let Some(parent) = &a.parent {
                if let Some(p) = self.agency_named(parent) {
                    self.model.agencies[id.index()].parent = Some(p);
                    parent_spans.insert(id, parent.span);
                }
            }
        }
        // an agency whose kind did not resolve is dropped from every kind
        // (its kind id stays out of range), so that the rest still checks
        self.break_parent_cycles(&parent_spans);
    }

    fn break_parent_cycles(&mut self, parent_spans: &HashMap<AgencyId, Span>) {
        // 0 = unvisited, 1 = on the current path, 2 = done
        let n = self.model.agencies.len();
        let mut state = vec![0u8; n];
        for start in 0..n {
            let mut path = Vec::new();
            let mut at = Some(AgencyId::from_index(start));
            while let Some(a) = at {
                match state[a.index()] {
                    2 => break,
                    1 => {
                        let pos = path.iter().position(|p| *p == a).unwrap_or(0);
                        let cycle: Vec<AgencyId> = path[pos..].to_vec();
                        let mut names: Vec<String> = cycle
                            .iter()
                            .map(|c| self.model.agency(*c).name.clone())
                            .collect();
                        names.push(self.model.agency(a).name.clone());
                        // the `in` that closes the cycle: the last agency on the path
                        let closer = *cycle.last().unwrap_or(&a);
                        let span = parent_spans
                            .get(&closer)
                            .copied()
                            .unwrap_or(self.model.agency(closer).span);
                        self.error(
                            span,
                            CheckError::ParentCycle {
                                cycle: names.join(" in "),
                                span,
                            },
                        );
                        self.model.agencies[closer.index()].parent = None;
                        break;
                    }
                    _ => {
                        state[a.index()] = 1;
                        path.push(a);
                        at = self.model.agency(a).parent;
                    }
                }
            }
            for p in path {
                state[p.index()] = 2;
            }
        }
    }

    fn params(&mut self, decls: &[&ast::Decl]) {
        for decl in decls {
            let (name, binders) = match decl {
                ast::Decl::Param(p) => (&p.name, &p.params),
                ast::Decl::Optout(o) => (&o.name, &o.params),
                _ => continue,
            };
            let Some((Symbol::Param(id), span)) = self.symbols.get(&name.node).copied() else {
                continue;
            };
            if span.start != name.span.start || span.file != name.span.file {
                continue;
            }
            let mut args = Vec::new();
            for b in binders {
                args.push(self.kind_named(&b.kind).unwrap_or(KindId(u32::MAX)));
            }
            self.model.params[id.index()].args = args;
        }
    }

    fn sources(&mut self, decls: &[&ast::Decl]) {
        for decl in decls {
            let ast::Decl::Source(s) = decl else { continue };
            let Some((Symbol::Source(id), span)) = self.symbols.get(&s.name.node).copied() else {
                continue;
            };
            if span.start != s.name.span.start || span.file != s.name.span.file {
                continue;
            }
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for field in &s.fields {
                let key = field.key.node.as_str();
                if let Some(first) = seen.get(key) {
                    let first = *first;
                    self.error(
                        field.key.span,
                        CheckError::DuplicateSourceField {
                            name: key.to_owned(),
                            span: field.key.span,
                            first,
                        },
                    );
                    continue;
                }
                seen.insert(key, field.key.span);
                let source = &mut self.model.sources[id.index()];
                let mismatch = match (key, &field.value.node) {
                    ("date", ast::Value::Date(d)) => {
                        source.date = Some(*d);
                        None
                    }
                    ("date", ast::Value::Str(_)) => Some("a date"),
                    ("title" | "url" | "quote", ast::Value::Str(text)) => {
                        let slot = match key {
                            "title" => &mut source.title,
                            "url" => &mut source.url,
                            _ => &mut source.quote,
                        };
                        *slot = Some(shown(text));
                        None
                    }
                    ("title" | "url" | "quote", ast::Value::Date(_)) => Some("a string"),
                    _ => {
                        let help = suggest(key, ["title", "date", "url", "quote"].into_iter())
                            .map_or_else(
                                || {
                                    "a source has the fields `title`, `date`, `url` and `quote`"
                                        .to_owned()
                                },
                                |s| did_you_mean(&s),
                            );
                        self.error(
                            field.key.span,
                            CheckError::UnknownSourceField {
                                name: key.to_owned(),
                                span: field.key.span,
                                help: Some(help),
                            },
                        );
                        None
                    }
                };
                if let Some(expected) = mismatch {
                    self.error(
                        field.value.span,
                        CheckError::SourceFieldType {
                            name: key.to_owned(),
                            expected,
                            span: field.value.span,
                        },
                    );
                }
            }
        }
    }

    // ------------------------------------------------------------ rules

    fn rule(&mut self, decl: &ast::Decl) {
        match decl {
            ast::Decl::Collect(c) => self.collect(c),
            ast::Decl::Flow(f) => self.flow(f),
            ast::Decl::Derive(d) => self.derive(d),
            ast::Decl::Optout(o) => self.optout(o),
            ast::Decl::Assume(a) => {
                let mut scope = Scope::default();
                let formula = self.formula(&a.formula, &mut scope, &Place::Statement);
                let cites = self.cites(&a.cites);
                if let Some(formula) = formula {
                    self.model.assumes.push(Assume {
                        formula,
                        info: scope.info(cites, a.span),
                    });
                }
            }
            ast::Decl::Claim(c) => {
                let mut scope = Scope::default();
                let formula = self.formula(&c.formula, &mut scope, &Place::Statement);
                let cites = self.cites(&c.cites);
                if let Some(formula) = formula {
                    self.model.claims.push(Claim {
                        name: c.name.node.clone(),
                        title: c.title.as_ref().map(|t| shown(&t.node)),
                        quote: c.quote.as_ref().map(|q| shown(&q.node)),
                        mode: c.mode.node,
                        formula,
                        info: scope.info(cites, c.span),
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
                info: scope.info(cites, c.span),
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
                info: scope.info(cites, f.span),
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
                info: scope.info(cites, d.span),
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
            scope.visible.truncate(mark);
            match (data, from, to) {
                (Some(data), Some(from), Some(to)) => blocks.push(Block {
                    data,
                    from,
                    to,
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
                guard,
                blocks,
                info: scope.info(cites, o.span),
            });
        }
    }

    /// `Some(None)` when there is no guard, `None` when the guard has errors.
    fn guard(
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

    fn check_shadow(&mut self, var: &ast::Name) {
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

    fn endpoint(
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

    fn term(&mut self, t: &ast::Term, scope: &Scope, place: &Place) -> Option<Term> {
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

    fn formula(&mut self, f: &ast::Formula, scope: &mut Scope, place: &Place) -> Option<Formula> {
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

    #[expect(clippy::too_many_arguments, reason = "the pieces of one application")]
    fn check_application(
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
    fn check_origin_params(&mut self) {
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
pub(crate) fn origin_kinds(model: &Model) -> Vec<BTreeSet<KindId>> {
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

/// A string of the file as the model keeps it: every output shows it, so control
/// characters and reordering marks are written as `\u{..}` escapes once, here.
fn shown(text: &str) -> String {
    crate::terminal::printable(text).into_owned()
}
