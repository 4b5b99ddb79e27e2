//! Step 2, lookup: a name as written → what it is declared as, when of the sort wanted,
//! or a diagnostic (an unknown name with a suggestion or how to declare it, a name of
//! another sort with where it is declared); cited names → their sources, marked cited.

use super::Resolver;
use super::names::Symbol;
use crate::check::error::CheckError;
use crate::model::{AgencyId, DataId, KindId, ParamId, Pinpoint, SourceId};
use crate::span::Span;
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::ast;

/// What a `cite` list names: its sources, in order, and the passages pinpointed.
#[derive(Default)]
pub(super) struct Cited {
    pub(super) sources: Vec<SourceId>,
    pub(super) pinpoints: Vec<Pinpoint>,
}

impl Resolver<'_> {
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

    pub(super) fn kind_named(&mut self, name: &ast::Name) -> Option<KindId> {
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

    pub(super) fn agency_named(&mut self, name: &ast::Name) -> Option<AgencyId> {
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

    pub(super) fn data_named(&mut self, name: &ast::Name) -> Option<DataId> {
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

    pub(super) fn param_named(&mut self, name: &ast::Name) -> Option<ParamId> {
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

    /// The sources a `cite` list names, marked cited, and its pinpoints.
    pub(super) fn cites(&mut self, cites: &[ast::Cite]) -> Cited {
        let mut out = Cited::default();
        for cite in cites {
            let name = &cite.source;
            match self.symbols.get(&name.node).copied() {
                Some((Symbol::Source(id), _)) => {
                    self.cited[id.index()] = true;
                    out.sources.push(id);
                    if let Some(p) = &cite.pinpoint {
                        out.pinpoints.push(Pinpoint {
                            source: id,
                            text: super::shown(&p.node),
                            span: p.span,
                        });
                    }
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

    pub(super) fn wrong_sort(
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
}
