//! Step 3, declarations: every file's declarations, their names known → the model's
//! policy header, each agency's kind and parent (parent cycles reported and broken),
//! each param's argument kinds, and each source's fields.

use std::collections::HashMap;

use super::Resolver;
use super::names::Symbol;
use super::shown;
use crate::check::error::CheckError;
use crate::model::{AgencyId, KindId, Policy};
use crate::span::{FileId, Span};
use crate::suggest::{did_you_mean, suggest};
use crate::syntax::ast;

impl Resolver<'_> {
    pub(super) fn policy(&mut self, files: &[(FileId, ast::File)], root: Option<FileId>) {
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
    pub(super) fn agencies(&mut self, decls: &[&ast::Decl]) {
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
            if let Some(parent) = &a.parent
                && let Some(p) = self.agency_named(parent)
            {
                self.model.agencies[id.index()].parent = Some(p);
                parent_spans.insert(id, parent.span);
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

    pub(super) fn params(&mut self, decls: &[&ast::Decl]) {
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
            let vars: Vec<String> = binders.iter().map(|b| b.var.node.clone()).collect();
            let label = match decl {
                ast::Decl::Param(p) => p.label.as_ref(),
                ast::Decl::Optout(o) => o.label.as_ref(),
                _ => None,
            };
            if let Some(label) = label {
                self.check_placeholders(label, &vars);
            }
            let param = &mut self.model.params[id.index()];
            param.args = args;
            param.label = label.map(|l| shown(&l.node));
            param.vars = vars;
        }
    }

    pub(super) fn sources(&mut self, decls: &[&ast::Decl]) {
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
                    ("document", ast::Value::Str(path)) => {
                        source.document = Some(path.clone());
                        source.document_span = field.value.span;
                        None
                    }
                    ("title" | "url" | "quote", ast::Value::Str(text)) => {
                        if key == "quote" {
                            source.quote_span = field.value.span;
                        }
                        let slot = match key {
                            "title" => &mut source.title,
                            "url" => &mut source.url,
                            _ => &mut source.quote,
                        };
                        *slot = Some(shown(text));
                        None
                    }
                    ("title" | "url" | "quote" | "document", ast::Value::Date(_)) => {
                        Some("a string")
                    }
                    _ => {
                        let help = suggest(
                            key,
                            ["title", "date", "url", "quote", "document"].into_iter(),
                        )
                        .map_or_else(
                                || {
                                    "a source has the fields `title`, `date`, `url`, `quote` and `document`"
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

    /// Reports each `{w}` of a param's or opt-out's label that names none of its
    /// parameters.
    pub(super) fn check_placeholders(
        &mut self,
        label: &crate::span::Spanned<String>,
        vars: &[String],
    ) {
        let mut rest = label.node.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if !vars.iter().any(|v| v == name) {
                let help = if vars.is_empty() {
                    "this declaration has no parameters; write the label without `{...}`".to_owned()
                } else {
                    let names: Vec<String> = vars.iter().map(|v| format!("`{{{v}}}`")).collect();
                    format!(
                        "a placeholder stands for the agency bound to a parameter: here {}",
                        names.join(" or ")
                    )
                };
                self.error(
                    label.span,
                    CheckError::LabelPlaceholder {
                        name: name.to_owned(),
                        span: label.span,
                        help: Some(help),
                    },
                );
            }
            rest = &after[close + 1..];
        }
    }
}
