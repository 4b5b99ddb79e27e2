//! Laying out declarations: a declaration of the syntax tree → its document, on one
//! line when it fits, else with its clauses on lines of their own.

use pretty::RcDoc;

use super::printer::{Attrs, Doc, Printer, text};
use crate::span::Span;
use crate::syntax::ast::{
    Block, ClaimDecl, Covers, Decl, Formula, Label, OptoutDecl, ReadingDecl, SourceDecl, Value,
};
use crate::syntax::print::{self, QUANT};

pub(super) fn decl_span(decl: &Decl) -> Span {
    match decl {
        Decl::Policy(d) => d.span,
        Decl::Import(d) => d.span,
        Decl::Source(d) => d.span,
        Decl::Kind(d) => d.span,
        Decl::Agency(d) => d.span,
        Decl::Data(d) => d.span,
        Decl::Param(d) => d.span,
        Decl::Optout(d) => d.span,
        Decl::Collect(d) => d.span,
        Decl::Flow(d) => d.span,
        Decl::Derive(d) => d.span,
        Decl::Assume(d) => d.span,
        Decl::Claim(d) => d.span,
        Decl::Reading(d) => d.span,
        Decl::Error(span) => *span,
    }
}

impl Printer<'_> {
    pub(super) fn decl(&mut self, decl: &Decl) -> Doc {
        let end = decl_span(decl).end as usize;
        match decl {
            Decl::Policy(p) => {
                let mut doc = self.kw("policy").append(" ");
                doc = doc.append(self.string(&p.name));
                let mut rest = RcDoc::nil();
                if let Some(v) = &p.version {
                    rest = rest.append(self.clause("version", |p| p.string(v)));
                }
                if let Some(d) = &p.date {
                    rest = rest.append(self.clause("date", |p| p.at(d.span, d.node.to_string())));
                }
                doc.append(rest.nest(2)).group().append(self.semi(end))
            }
            Decl::Import(i) => {
                let kw = self.kw("import");
                let path = self.string(&i.path);
                kw.append(" ").append(path).append(self.semi(end))
            }
            Decl::Source(s) => self.source(s),
            Decl::Kind(k) => {
                let kw = self.kw("kind");
                let name = self.name(&k.name);
                let label = self.label(&k.label);
                kw.append(" ")
                    .append(name)
                    .append(label)
                    .append(self.semi(end))
            }
            Decl::Agency(a) => {
                let mut doc = self.kw("agency").append(" ").append(self.name(&a.name));
                doc = doc.append(self.label(&a.label));
                doc = doc
                    .append(self.kw(":"))
                    .append(" ")
                    .append(self.name(&a.kind));
                if let Some(parent) = &a.parent {
                    doc = doc.append(" ").append(self.kw("in")).append(" ");
                    doc = doc.append(self.name(parent));
                }
                doc.append(self.semi(end))
            }
            Decl::Data(d) => {
                let kw = self.kw("data");
                let name = self.name(&d.name);
                let label = self.label(&d.label);
                kw.append(" ")
                    .append(name)
                    .append(label)
                    .append(self.semi(end))
            }
            Decl::Param(p) => {
                let mut doc = self.kw("param").append(" ").append(self.name(&p.name));
                if !p.params.is_empty() {
                    doc = doc.append(self.kw("("));
                    doc = doc.append(self.binders(&p.params)).append(self.kw(")"));
                }
                doc.append(self.label(&p.label)).append(self.semi(end))
            }
            Decl::Optout(o) => self.optout(o, end),
            Decl::Collect(c) => {
                let mut head = self.kw("collect").append(" ").append(self.name(&c.data));
                head = head.append(" ").append(self.kw("at")).append(" ");
                head = head.append(self.endpoint(&c.at));
                self.rule(head, c.guard.as_ref(), &Attrs::rule(&c.cites, &c.note), end)
            }
            Decl::Flow(f) => {
                let mut head = self.kw("flow").append(" ").append(self.name(&f.data));
                head = head.append(self.kw(":")).append(" ");
                head = head.append(self.endpoint(&f.from)).append(" ");
                head = head.append(self.kw("->")).append(" ");
                head = head.append(self.endpoint(&f.to));
                self.rule(head, f.guard.as_ref(), &Attrs::rule(&f.cites, &f.note), end)
            }
            Decl::Derive(d) => {
                let mut head = self.kw("derive").append(" ").append(self.name(&d.data));
                head = head.append(" ").append(self.kw("from")).append(" ");
                head = head.append(self.name(&d.from)).append(" ");
                head = head
                    .append(self.kw("at"))
                    .append(" ")
                    .append(self.endpoint(&d.at));
                self.rule(head, d.guard.as_ref(), &Attrs::rule(&d.cites, &d.note), end)
            }
            Decl::Assume(a) => self.assume(a, end),
            Decl::Claim(c) => self.claim(c, end),
            Decl::Reading(r) => self.reading(r, end),
            // never reached: a file with syntax errors is not formatted
            Decl::Error(span) => {
                let raw = self.text[span.range()].to_owned();
                self.at(*span, raw)
            }
        }
    }

    /// A flow, collect or derive: the head, then `when`, and `cite` and `note` clauses
    /// that move to lines of their own (those first) when the whole does not fit.
    fn rule(&mut self, head: Doc, guard: Option<&Formula>, attrs: &Attrs<'_>, end: usize) -> Doc {
        let mut first = head;
        if let Some(g) = guard {
            let when = self.clause("when", |p| p.formula(g, QUANT, true));
            first = first.append(when.nest(2));
        }
        let mut doc = first.group();
        if !attrs.is_empty() {
            doc = doc.append(self.attrs(attrs, false).nest(2));
        }
        doc.group().append(self.semi(end))
    }

    /// `assume F`, then its `cite` and `note` clauses.
    fn assume(&mut self, a: &crate::syntax::ast::AssumeDecl, end: usize) -> Doc {
        let kw = self.kw("assume");
        let f = self.formula(&a.formula, QUANT, true);
        let head = kw.append(" ").append(f).group();
        let attrs = Attrs::rule(&a.cites, &a.note);
        let mut tail = RcDoc::nil();
        if !attrs.is_empty() {
            tail = self.attrs(&attrs, false).nest(2);
        }
        head.append(tail).group().append(self.semi(end))
    }

    /// ` "label"`, or nothing.
    fn label(&mut self, label: &Label) -> Doc {
        match label {
            Some(l) => RcDoc::text(" ").append(self.string(l)),
            None => RcDoc::nil(),
        }
    }

    /// An opt-out: its head on one line, then each clause (`when`, every `blocks` with
    /// its own `when`, `cite` and `note`) on a line of its own.
    fn optout(&mut self, o: &OptoutDecl, end: usize) -> Doc {
        let mut doc = self.kw("optout").append(" ").append(self.name(&o.name));
        doc = doc.append(self.kw("(")).append(self.binders(&o.params));
        doc = doc.append(self.kw(")"));
        doc = doc.append(self.label(&o.label));
        if let Some(c) = &o.covers {
            let covers = self.kw("covers");
            let which = match c.node {
                Covers::Inside => self.kw("inside"),
                Covers::All => self.kw("all"),
            };
            doc = doc.append(" ").append(covers).append(" ").append(which);
        }
        let mut clauses = RcDoc::nil();
        if let Some(g) = &o.guard {
            let sep = self.hard();
            let kw = self.kw("when");
            let f = self.formula(g, QUANT, true);
            clauses = clauses.append(sep).append(kw).append(" ").append(f);
        }
        for b in &o.blocks {
            let sep = self.hard();
            let clause = self.block(b);
            clauses = clauses.append(sep).append(clause);
        }
        // `cite` and `note` each on a line of their own, as the clauses above
        let attrs = Attrs::rule(&o.cites, &o.note);
        clauses = clauses.append(self.attrs(&attrs, true));
        doc.append(clauses.nest(2)).append(self.semi(end))
    }

    /// `blocks d: X -> Y when h`.
    fn block(&mut self, b: &Block) -> Doc {
        let mut clause = self.kw("blocks").append(" ").append(self.name(&b.data));
        clause = clause.append(self.kw(":")).append(" ");
        clause = clause.append(self.endpoint(&b.from)).append(" ");
        clause = clause.append(self.kw("->")).append(" ");
        clause = clause.append(self.endpoint(&b.to));
        if let Some(h) = &b.guard {
            let when = self.clause("when", |p| p.formula(h, QUANT, true));
            clause = clause.append(when.nest(2)).group();
        }
        clause
    }

    /// A reading: its head (name, label, `cite`, `note`), then each assumption on a
    /// line of its own inside the braces.
    fn reading(&mut self, r: &ReadingDecl, _end: usize) -> Doc {
        let mut head = self.kw("reading").append(" ").append(self.name(&r.name));
        head = head.append(self.label(&r.label));
        let attrs = Attrs::rule(&r.cites, &r.note);
        if !attrs.is_empty() {
            head = head.append(self.attrs(&attrs, false).nest(2));
        }
        let mut doc = head.group().append(" ").append(self.kw("{"));
        let mut body = RcDoc::nil();
        for a in &r.assumes {
            let sep = self.hard();
            let assume = self.assume(a, a.span.end as usize);
            body = body.append(sep).append(assume);
        }
        let close = self.token_from(self.last).0;
        let sep = if r.assumes.is_empty() {
            RcDoc::nil()
        } else {
            self.hard()
        };
        if let Some(comments) = self.comment_lines_before(close) {
            body = body.append(sep).append(comments);
            doc = doc.append(body.nest(2)).append(RcDoc::hardline());
        } else {
            doc = doc.append(body.nest(2)).append(sep);
        }
        doc = doc.append(self.kw("}"));
        // a `;` after the brace is allowed, and dropped
        let after = self.token_from(self.last);
        if self.text.get(after.0..after.1) == Some(";") {
            doc = doc.append(self.comments_before(after.0));
            self.last = after.1;
        }
        doc
    }

    fn source(&mut self, s: &SourceDecl) -> Doc {
        let mut doc = self.kw("source").append(" ").append(self.name(&s.name));
        doc = doc.append(" ").append(self.kw("{"));
        let width = s
            .fields
            .iter()
            .map(|f| f.key.node.chars().count())
            .max()
            .unwrap_or(0);
        let mut body = RcDoc::nil();
        for field in &s.fields {
            body = body.append(self.hard());
            if let Some(comments) = self.comment_lines_before(field.key.span.start as usize) {
                body = body.append(comments).append(RcDoc::hardline());
            }
            let pad = width - field.key.node.chars().count();
            body = body.append(self.name(&field.key)).append(" ".repeat(pad));
            body = body.append(" ").append(self.kw("=")).append(" ");
            let value = match &field.value.node {
                Value::Str(t) => print::string(t),
                Value::Date(d) => d.to_string(),
            };
            body = body.append(self.at(field.value.span, value));
            body = body.append(self.semi(field.value.span.end as usize));
        }
        // what ends the last line, then comments on lines of their own before the brace
        let mut open = !s.fields.is_empty();
        let mut end_line = RcDoc::hardline();
        if let Some((t, _)) = self.trailing() {
            end_line = text(format!("{}{t}", self.mark)).append(RcDoc::hardline());
            open = true;
        }
        let close = self.token_from(self.last).0;
        if let Some(comments) = self.comment_lines_before(close) {
            body = body.append(end_line).append(comments);
            end_line = RcDoc::hardline();
            open = true;
        }
        if open {
            doc = doc.append(body.nest(2)).append(end_line);
        }
        doc = doc.append(self.kw("}"));
        // a `;` after the brace is allowed, and dropped
        let after = self.token_from(self.last);
        if self.text.get(after.0..after.1) == Some(";") {
            doc = doc.append(self.comments_before(after.0));
            self.last = after.1;
        }
        doc
    }

    fn claim(&mut self, c: &ClaimDecl, end: usize) -> Doc {
        let head = self.kw("claim").append(" ").append(self.name(&c.name));
        let mut attrs = RcDoc::nil();
        if let Some(t) = &c.title {
            let sep = self.soft();
            attrs = attrs.append(sep).append(self.string(t));
        }
        attrs = attrs.append(self.attrs(
            &Attrs {
                cites: &c.cites,
                quote: c.quote.as_ref(),
                note: c.note.as_ref(),
                by: c.by.as_ref(),
                said: c.said.as_ref(),
            },
            false,
        ));
        let colon = self.kw(":");
        let head = head.append(attrs.nest(2)).append(colon).group();
        let sep = self.hard();
        let mode = self.at(c.mode.span, c.mode.node.to_string());
        let f = self.formula(&c.formula, QUANT, true);
        let body = sep.append(mode).append(" ").append(f).nest(2);
        head.append(body).append(self.semi(end))
    }
}
