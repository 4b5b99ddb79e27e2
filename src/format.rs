//! The formatter: one canonical layout for a policy file, with its comments kept.
//!
//! Declarations are laid out from the syntax tree, so two files with the same tree
//! come out the same whatever their spacing; only comments and blank lines between
//! declarations (at most one) are taken from the text. A declaration stays on one
//! line when it fits in [`WIDTH`] columns; otherwise its clauses (`when`, `cite`,
//! a claim's title, `cite` and `quote`) go on lines of their own, and a formula
//! breaks before its loosest operators. Optouts always put each clause on its own
//! line, and a claim's formula always starts a line.
//!
//! A comment stays before the token it was before, or at the end of the line it
//! ended; trailing comments on neighbouring one-line declarations are aligned.
//! [`format_text`] refuses a file with syntax errors, and checks its own output
//! (same tree, same comments) before handing it back.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pretty::RcDoc;

use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::source::SourceMap;
use crate::span::{FileId, Span, Spanned};
use crate::syntax::ast::*;
use crate::syntax::error::SyntaxError;
use crate::syntax::print::{self, AND, ATOM, IFF, IMP, NOT, OR, QUANT, strength};
use crate::syntax::token::Tok;

/// The line width the layout aims for.
pub const WIDTH: usize = 100;

/// Marks, in the laid-out text, where a comment that ends a line starts, for the pass
/// that aligns them. Never in the output: strings escape control characters, and a
/// file with this character in a comment is laid out without aligning.
const MARK: char = '\u{1}';

type Doc = RcDoc<'static, ()>;

/// A comment of the source, with its byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// The text as written, trailing blanks removed.
    pub text: String,
    /// `// ...` (runs to the end of its line) rather than `/* ... */`.
    pub line: bool,
}

/// Why a file could not be formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file does not parse; the formatter does not guess.
    Syntax(Vec<SyntaxError>),
    /// The formatted text would not mean the same, or would lose a comment. A bug in
    /// the formatter; the file is left alone.
    Internal(String),
}

/// The comments of `text` and the byte ranges of its tokens, in order.
pub fn scan(text: &str) -> (Vec<Comment>, Vec<(usize, usize)>) {
    use logos::Logos;
    let mut comments = Vec::new();
    let mut tokens = Vec::new();
    let mut gap_start = 0;
    let mut lexer = Tok::lexer(text);
    loop {
        let next = lexer.next();
        let range = lexer.span();
        let gap_end = if next.is_some() {
            range.start
        } else {
            text.len()
        };
        // between two tokens there is only what the lexer skips: blanks and `//` comments
        line_comments(text, gap_start, gap_end, &mut comments);
        match next {
            None => break,
            Some(Ok(Tok::BlockComment)) => comments.push(Comment {
                start: range.start,
                end: range.end,
                text: trim_lines(&text[range.clone()]),
                line: false,
            }),
            Some(_) => tokens.push((range.start, range.end)),
        }
        gap_start = range.end;
    }
    (comments, tokens)
}

fn line_comments(text: &str, from: usize, to: usize, out: &mut Vec<Comment>) {
    let gap = &text[from..to];
    let mut at = 0;
    while let Some(found) = gap[at..].find("//") {
        let start = at + found;
        let end = gap[start..].find('\n').map_or(gap.len(), |n| start + n);
        out.push(Comment {
            start: from + start,
            end: from + end,
            text: gap[start..end].trim_end().to_owned(),
            line: true,
        });
        at = end;
    }
}

/// A block comment's text with blanks removed at the end of each line (they would be
/// removed from the output anyway).
fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n")
}

/// Formats policy text. The text must parse without errors.
pub fn format_text(text: &str) -> Result<String, FormatError> {
    format_text_limited(text, &Limits::default())
}

/// [`format_text`] with the nesting limit of `limits`.
pub fn format_text_limited(text: &str, limits: &Limits) -> Result<String, FormatError> {
    format_in(text, FileId(0), limits)
}

fn format_in(text: &str, file: FileId, limits: &Limits) -> Result<String, FormatError> {
    let (tree, errors) = crate::syntax::parse_limited(text, file, limits.max_depth);
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let out = layout(text, &tree);
    // the promise, checked before anyone relies on it
    let (again, errors) = crate::syntax::parse_limited(&out, file, limits.max_depth);
    if !errors.is_empty() || again != tree {
        return Err(FormatError::Internal(
            "the formatted text does not parse to the same declarations".to_owned(),
        ));
    }
    let before: Vec<String> = scan(text).0.into_iter().map(|c| c.text).collect();
    let after: Vec<String> = scan(&out).0.into_iter().map(|c| c.text).collect();
    if before != after {
        return Err(FormatError::Internal(
            "the formatted text does not keep every comment".to_owned(),
        ));
    }
    Ok(out)
}

/// One line (or block of lines) of the output, before trailing comments are aligned.
struct Entry {
    text: String,
    /// A comment at the end of its last line.
    trailing: Option<String>,
    blank_before: bool,
}

/// Lays out a parsed file; `text` is what it was parsed from.
fn layout(text: &str, tree: &File) -> String {
    let (comments, tokens) = scan(text);
    let align = !comments.iter().any(|c| c.text.contains(MARK));
    let mut p = Printer {
        text,
        tokens,
        comments,
        next: 0,
        last: 0,
        mark: if align {
            MARK.to_string()
        } else {
            "  ".to_owned()
        },
        carry: None,
    };
    let mut entries: Vec<Entry> = Vec::new();
    // source offset of the end of what has been laid out
    let mut done = 0;
    // the comments before `until` not yet placed, each on a line of its own
    let comment_lines = |p: &mut Printer, entries: &mut Vec<Entry>, done: &mut usize, until| {
        while let Some(c) = p.comments.get(p.next).filter(|c| c.start < until) {
            entries.push(Entry {
                text: c.text.clone(),
                trailing: None,
                blank_before: blank_between(text, *done, c.start),
            });
            *done = c.end;
            p.next += 1;
        }
    };
    for decl in &tree.decls {
        let start = decl_span(decl).start as usize;
        comment_lines(&mut p, &mut entries, &mut done, start);
        let blank_before = blank_between(text, done, start);
        p.last = start;
        let doc = p.decl(decl);
        let mut out = String::new();
        let _ = doc.render_fmt(WIDTH, &mut out);
        let trailing = p.trailing_text();
        done = p.last;
        entries.push(Entry {
            text: trim_line_ends(&out),
            trailing,
            blank_before,
        });
    }
    comment_lines(&mut p, &mut entries, &mut done, usize::MAX);
    let out = assemble(&entries, &p.mark);
    if align { align_comments(&out) } else { out }
}

/// Joins the entries, one blank line where the source had one or more.
fn assemble(entries: &[Entry], mark: &str) -> String {
    let mut out = String::new();
    for e in entries {
        if e.blank_before && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&e.text);
        if let Some(comment) = &e.trailing {
            out.push_str(mark);
            out.push_str(comment);
        }
        out.push('\n');
    }
    out
}

/// Aligns the comments that end lines, marked by `MARK` before them. A section is a run
/// of lines with no blank line and no comment line among them; in a section, every
/// such comment starts two columns after the longest line that has one.
fn align_comments(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let breaks = |line: &str| {
        let t = line.trim_start();
        !line.contains(MARK) && (t.is_empty() || t.starts_with("//") || t.starts_with("/*"))
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && !breaks(lines[j]) {
            j += 1;
        }
        let section = &lines[i..j.max(i + 1)];
        let column = section
            .iter()
            .filter_map(|l| l.split_once(MARK))
            .map(|(code, _)| code.chars().count())
            .max()
            .unwrap_or(0);
        for line in section {
            match line.split_once(MARK) {
                Some((code, comment)) => {
                    let pad = column - code.chars().count() + 2;
                    out.push(format!("{code}{}{comment}", " ".repeat(pad)));
                }
                None => out.push((*line).to_owned()),
            }
        }
        i = j.max(i + 1);
    }
    out.join("\n")
}

fn blank_between(text: &str, from: usize, to: usize) -> bool {
    from < to && text[from..to].bytes().filter(|b| *b == b'\n').count() >= 2
}

fn trim_line_ends(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n")
}

fn decl_span(decl: &Decl) -> Span {
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
        Decl::Error(span) => *span,
    }
}

fn text(s: impl Into<String>) -> Doc {
    RcDoc::text(s.into())
}

fn is_nil(doc: &Doc) -> bool {
    matches!(&**doc, pretty::Doc::Nil)
}

/// `doc` with its later lines starting at the column where it starts.
fn align(doc: Doc) -> Doc {
    RcDoc::column(move |column| {
        let doc = doc.clone();
        RcDoc::nesting(move |nesting| doc.clone().nest(column as isize - nesting as isize))
    })
}

/// Builds the layout of one declaration at a time, handing out the comments in
/// source order as it passes the tokens they came before.
struct Printer<'t> {
    text: &'t str,
    tokens: Vec<(usize, usize)>,
    comments: Vec<Comment>,
    /// the first comment not yet placed
    next: usize,
    /// source offset of the end of what has been laid out
    last: usize,
    /// what goes before a comment that ends a line: [`MARK`], or two spaces
    mark: String,
    /// comments taken from before a `;`, to end the line after it
    carry: Option<String>,
}

impl Printer<'_> {
    /// The first token starting at or after `from`.
    fn token_from(&self, from: usize) -> (usize, usize) {
        let i = self.tokens.partition_point(|t| t.0 < from);
        self.tokens
            .get(i)
            .copied()
            .unwrap_or((self.text.len(), self.text.len()))
    }

    /// The comments before `pos` not yet placed, each followed by what ends it: a line
    /// break after a `//` comment, a space after a block comment.
    fn comments_before(&mut self, pos: usize) -> Doc {
        let mut doc = RcDoc::nil();
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos) {
            doc = doc.append(text(c.text.clone()));
            doc = doc.append(if c.line || c.text.contains('\n') {
                RcDoc::hardline()
            } else {
                RcDoc::space()
            });
            self.next += 1;
        }
        doc
    }

    /// The comments before `pos` not yet placed, as lines of their own, or nothing.
    fn comment_lines_before(&mut self, pos: usize) -> Option<Doc> {
        let mut lines = Vec::new();
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos) {
            lines.push(text(c.text.clone()));
            self.next += 1;
        }
        (!lines.is_empty()).then(|| RcDoc::intersperse(lines, RcDoc::hardline()))
    }

    /// Comments on the line where the layout stands, before the next token: their text,
    /// joined, and whether the last one ends the line.
    fn trailing(&mut self) -> Option<(String, bool)> {
        // the next token the layout will place (parentheses the tree drops do not count)
        let mut i = self.tokens.partition_point(|t| t.0 < self.last);
        while let Some(&(a, b)) = self.tokens.get(i)
            && matches!(&self.text[a..b], "(" | ")")
        {
            i += 1;
        }
        let next_token = self.tokens.get(i).map_or(self.text.len(), |t| t.0);
        let mut parts = Vec::new();
        let mut ends_line = false;
        if let Some(carried) = self.carry.take() {
            ends_line = carried.contains("//");
            parts.push(carried);
        }
        while let Some(c) = self.comments.get(self.next).filter(|_| !ends_line) {
            // a comment inside the text just laid out (an atom's, say) counts as on its line
            let same_line = self
                .text
                .get(self.last..c.start)
                .is_none_or(|between| !between.contains('\n'));
            if c.start >= next_token || !same_line {
                break;
            }
            parts.push(c.text.clone());
            self.last = self.last.max(c.end);
            self.next += 1;
            if c.line || c.text.contains('\n') {
                ends_line = true;
                break;
            }
        }
        (!parts.is_empty()).then(|| (parts.join(" "), ends_line))
    }

    fn trailing_text(&mut self) -> Option<String> {
        self.trailing().map(|(t, _)| t)
    }

    /// A break between clauses: a space when the group fits on one line, else a new line;
    /// a comment ending the line before it is kept there and forces the line break.
    fn soft(&mut self) -> Doc {
        match self.trailing() {
            None => RcDoc::line(),
            Some((t, true)) => text(format!("{}{t}", self.mark)).append(RcDoc::hardline()),
            Some((t, false)) => text(format!(" {t}")).append(RcDoc::line()),
        }
    }

    /// A line break between clauses, keeping a comment that ended the line before it.
    fn hard(&mut self) -> Doc {
        match self.trailing() {
            None => RcDoc::hardline(),
            Some((t, _)) => text(format!("{}{t}", self.mark)).append(RcDoc::hardline()),
        }
    }

    /// ` keyword value` after a break between clauses; `value` is laid out after the
    /// keyword, so that comments keep their order.
    fn clause(&mut self, keyword: &'static str, value: impl FnOnce(&mut Self) -> Doc) -> Doc {
        let sep = self.soft();
        let kw = self.kw(keyword);
        let value = value(self);
        sep.append(kw).append(" ").append(value)
    }

    /// A keyword or punctuation: placed after the comments before its token in the
    /// source. Parentheses the tree does not keep are passed over to find it.
    fn kw(&mut self, s: &'static str) -> Doc {
        let mut i = self.tokens.partition_point(|t| t.0 < self.last);
        while let Some(&(a, b)) = self.tokens.get(i) {
            let found = &self.text[a..b];
            if found != s && (found == "(" || found == ")") {
                i += 1;
                continue;
            }
            break;
        }
        let (start, end) = self
            .tokens
            .get(i)
            .copied()
            .unwrap_or((self.text.len(), self.text.len()));
        let comments = self.comments_before(start);
        // punctuation that sticks to what is before it: a comment needs a space first
        let attached = matches!(s, ":" | ")" | "," | "." | "(") && !is_nil(&comments);
        let doc = if attached {
            RcDoc::space().append(comments)
        } else {
            comments
        };
        self.last = self.last.max(end);
        doc.append(RcDoc::text(s))
    }

    /// Text standing for the source at `span`.
    fn at(&mut self, span: Span, s: String) -> Doc {
        let doc = self.comments_before(span.start as usize).append(text(s));
        self.last = self.last.max(span.end as usize);
        doc
    }

    fn name(&mut self, n: &Name) -> Doc {
        self.at(n.span, n.node.clone())
    }

    fn string(&mut self, s: &Spanned<String>) -> Doc {
        self.at(s.span, print::string(&s.node))
    }

    fn endpoint(&mut self, e: &Endpoint) -> Doc {
        self.at(e.span(), print::endpoint(e))
    }

    fn binders(&mut self, list: &[Binder]) -> Doc {
        match (list.first(), list.last()) {
            (Some(first), Some(last)) => self.at(first.span.to(last.span), print::binders(list)),
            _ => RcDoc::nil(),
        }
    }

    /// `;`, and whatever comments come before it. Those are carried to the end of the
    /// line after the `;` when they fit on one line there: no comment follows the `;`
    /// on its line, none spans lines, and only the last is a `//` comment.
    fn semi(&mut self, decl_end: usize) -> Doc {
        let (start, end) = self.token_from(decl_end);
        let pending: Vec<&Comment> = self.comments[self.next.min(self.comments.len())..]
            .iter()
            .take_while(|c| c.start < start)
            .collect();
        let after = self
            .comments
            .get(self.next + pending.len())
            .is_some_and(|c| {
                c.start < self.token_from(end).0 && !self.text[end..c.start].contains('\n')
            });
        let carry = !pending.is_empty()
            && !after
            && pending.iter().all(|c| !c.text.contains('\n'))
            && pending.iter().rev().skip(1).all(|c| !c.line);
        if carry {
            let joined: Vec<String> = pending.iter().map(|c| c.text.clone()).collect();
            self.next += joined.len();
            self.carry = Some(joined.join(" "));
            self.last = self.last.max(end);
            return RcDoc::text(";");
        }
        let comments = self.comments_before(start);
        let doc = if is_nil(&comments) {
            comments
        } else {
            RcDoc::space().append(comments)
        };
        self.last = self.last.max(end);
        doc.append(RcDoc::text(";"))
    }

    /// ` cite a, b, c`, filled over lines aligned after `cite ` when long.
    fn cites(&mut self, cites: &[Name]) -> Doc {
        let kw = self.kw("cite");
        let mut names = RcDoc::nil();
        for (i, c) in cites.iter().enumerate() {
            if i > 0 {
                let comma = self.kw(",");
                let name = self.name(c);
                names = names
                    .append(comma)
                    .append(RcDoc::line().append(name).group());
            } else {
                names = names.append(self.name(c));
            }
        }
        kw.append(" ").append(align(names))
    }

    fn decl(&mut self, decl: &Decl) -> Doc {
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
                kw.append(" ").append(name).append(self.semi(end))
            }
            Decl::Agency(a) => {
                let mut doc = self.kw("agency").append(" ").append(self.name(&a.name));
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
                kw.append(" ").append(name).append(self.semi(end))
            }
            Decl::Param(p) => {
                let mut doc = self.kw("param").append(" ").append(self.name(&p.name));
                if !p.params.is_empty() {
                    doc = doc.append(self.kw("("));
                    doc = doc.append(self.binders(&p.params)).append(self.kw(")"));
                }
                doc.append(self.semi(end))
            }
            Decl::Optout(o) => {
                let mut doc = self.kw("optout").append(" ").append(self.name(&o.name));
                doc = doc.append(self.kw("(")).append(self.binders(&o.params));
                doc = doc.append(self.kw(")"));
                let mut clauses = RcDoc::nil();
                if let Some(g) = &o.guard {
                    let sep = self.hard();
                    let kw = self.kw("when");
                    let f = self.formula(g, QUANT, true);
                    clauses = clauses.append(sep).append(kw).append(" ").append(f);
                }
                for b in &o.blocks {
                    let sep = self.hard();
                    let mut clause = self.kw("blocks").append(" ").append(self.name(&b.data));
                    clause = clause.append(self.kw(":")).append(" ");
                    clause = clause.append(self.endpoint(&b.from)).append(" ");
                    clause = clause.append(self.kw("->")).append(" ");
                    clause = clause.append(self.endpoint(&b.to));
                    clauses = clauses.append(sep).append(clause);
                }
                if !o.cites.is_empty() {
                    let sep = self.hard();
                    clauses = clauses.append(sep).append(self.cites(&o.cites));
                }
                doc.append(clauses.nest(2)).append(self.semi(end))
            }
            Decl::Collect(c) => {
                let mut head = self.kw("collect").append(" ").append(self.name(&c.data));
                head = head.append(" ").append(self.kw("at")).append(" ");
                head = head.append(self.endpoint(&c.at));
                self.rule(head, c.guard.as_ref(), &c.cites, end)
            }
            Decl::Flow(f) => {
                let mut head = self.kw("flow").append(" ").append(self.name(&f.data));
                head = head.append(self.kw(":")).append(" ");
                head = head.append(self.endpoint(&f.from)).append(" ");
                head = head.append(self.kw("->")).append(" ");
                head = head.append(self.endpoint(&f.to));
                self.rule(head, f.guard.as_ref(), &f.cites, end)
            }
            Decl::Derive(d) => {
                let mut head = self.kw("derive").append(" ").append(self.name(&d.data));
                head = head.append(" ").append(self.kw("from")).append(" ");
                head = head.append(self.name(&d.from)).append(" ");
                head = head
                    .append(self.kw("at"))
                    .append(" ")
                    .append(self.endpoint(&d.at));
                self.rule(head, d.guard.as_ref(), &d.cites, end)
            }
            Decl::Assume(a) => {
                let kw = self.kw("assume");
                let f = self.formula(&a.formula, QUANT, true);
                let head = kw.append(" ").append(f).group();
                let mut cites = RcDoc::nil();
                if !a.cites.is_empty() {
                    let sep = self.soft();
                    cites = sep.append(self.cites(&a.cites)).nest(2);
                }
                head.append(cites).group().append(self.semi(end))
            }
            Decl::Claim(c) => self.claim(c, end),
            // never reached: a file with syntax errors is not formatted
            Decl::Error(span) => {
                let raw = self.text[span.range()].to_owned();
                self.at(*span, raw)
            }
        }
    }

    /// A flow, collect or derive: the head, then `when` and `cite` clauses that move to
    /// lines of their own (`cite` first) when the whole does not fit.
    fn rule(&mut self, head: Doc, guard: Option<&Formula>, cites: &[Name], end: usize) -> Doc {
        let mut first = head;
        if let Some(g) = guard {
            let when = self.clause("when", |p| p.formula(g, QUANT, true));
            first = first.append(when.nest(2));
        }
        let mut doc = first.group();
        if !cites.is_empty() {
            let sep = self.soft();
            doc = doc.append(sep.append(self.cites(cites)).nest(2));
        }
        doc.group().append(self.semi(end))
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
        if !c.cites.is_empty() {
            let sep = self.soft();
            attrs = attrs.append(sep).append(self.cites(&c.cites));
        }
        if let Some(q) = &c.quote {
            attrs = attrs.append(self.clause("quote", |p| p.string(q)));
        }
        let colon = self.kw(":");
        let head = head.append(attrs.nest(2)).append(colon).group();
        let sep = self.hard();
        let mode = self.at(c.mode.span, c.mode.node.to_string());
        let f = self.formula(&c.formula, QUANT, true);
        let body = sep.append(mode).append(" ").append(f).nest(2);
        head.append(body).append(self.semi(end))
    }

    /// A formula where the context needs at least strength `min`; `at_end` is true when
    /// nothing follows before a closing delimiter (see [`print::formula`]).
    fn formula(&mut self, f: &Formula, min: u8, at_end: bool) -> Doc {
        let own = strength(f);
        let parens = own < min || (own == QUANT && !at_end);
        let at_end = at_end || parens;
        let doc = match &f.kind {
            FormulaKind::Not(a) => {
                let bang = self.at(
                    Span::new(
                        f.span.file,
                        f.span.start as usize,
                        f.span.start as usize + 1,
                    ),
                    "!".to_owned(),
                );
                bang.append(self.formula(a, NOT, at_end))
            }
            FormulaKind::Binary(op, ..) => self.chain(f, *op, at_end),
            FormulaKind::Quant {
                quantifier,
                binders,
                body,
            } => {
                let q = match quantifier {
                    Quantifier::Forall => "forall",
                    Quantifier::Exists => "exists",
                };
                let kw = self.at(
                    Span::new(f.span.file, f.span.start as usize, f.span.start as usize),
                    q.to_owned(),
                );
                let list = self.binders(binders);
                let dot = self.kw(".");
                let body = self.formula(body, QUANT, true);
                kw.append(" ")
                    .append(list)
                    .append(dot)
                    .append(RcDoc::line().append(body).nest(2).group())
            }
            _ => {
                debug_assert_eq!(own, ATOM);
                self.at(f.span, print::formula(f))
            }
        };
        if parens {
            RcDoc::text("(").append(align(doc)).append(")")
        } else {
            doc
        }
    }

    /// A chain of one binary operator, flattened along the side it associates to.
    /// `&&` and `||` fill lines, breaking before the operator only where needed;
    /// `=>` and `<=>` break before every operator or none.
    fn chain(&mut self, f: &Formula, op: BinOp, at_end: bool) -> Doc {
        let (sym, left_min, right_min) = match op {
            BinOp::Iff => ("<=>", IFF, IMP),
            BinOp::Implies => ("=>", OR, IMP),
            BinOp::Or => ("||", OR, AND),
            BinOp::And => ("&&", AND, NOT),
        };
        // operands in source order, each with the strength its place needs
        let mut operands: Vec<(&Formula, u8)> = Vec::new();
        if op == BinOp::Implies {
            let mut cur = f;
            while let FormulaKind::Binary(o, a, b) = &cur.kind
                && *o == op
            {
                operands.push((a, left_min));
                cur = b;
            }
            operands.push((cur, right_min));
        } else {
            let mut rights = Vec::new();
            let mut cur = f;
            while let FormulaKind::Binary(o, a, b) = &cur.kind
                && *o == op
            {
                rights.push(b.as_ref());
                cur = a;
            }
            operands.push((cur, left_min));
            operands.extend(rights.into_iter().rev().map(|b| (b, right_min)));
        }
        let n = operands.len();
        let mut doc = RcDoc::nil();
        for (i, (operand, min)) in operands.into_iter().enumerate() {
            let last = i + 1 == n;
            if i == 0 {
                doc = self.formula(operand, min, at_end && last);
                continue;
            }
            let kw = self.kw(sym);
            let part = self.formula(operand, min, at_end && last);
            let step = RcDoc::line().append(kw).append(" ").append(align(part));
            doc = match op {
                BinOp::And | BinOp::Or => doc.append(step.group()),
                BinOp::Implies | BinOp::Iff => doc.append(step),
            };
        }
        match op {
            BinOp::And | BinOp::Or => align(doc),
            BinOp::Implies | BinOp::Iff => align(doc).group(),
        }
    }
}

/// The formatting of one file, with whatever stopped it.
pub struct Formatted {
    pub path: PathBuf,
    pub sources: SourceMap,
    /// The text as read, when it could be read.
    pub original: Option<Arc<str>>,
    /// The canonical text, when the file parses.
    pub formatted: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Formatted {
    /// Whether formatting changes the file.
    pub fn changed(&self) -> bool {
        match (&self.original, &self.formatted) {
            (Some(original), Some(formatted)) => **original != **formatted,
            _ => false,
        }
    }
}

/// The formatter found its own output wanting; the file is left alone.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("`{path}` was not formatted: {reason}")]
#[diagnostic(
    code(flowproof::fmt::internal),
    help(
        "the file was left as it was; this is a bug in flowproof, please report it with the file"
    )
)]
pub struct FormatBug {
    pub path: String,
    pub reason: String,
}

/// The formatted text could not be written back.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write `{path}`: {reason}")]
#[diagnostic(
    code(flowproof::fmt::write),
    help("the file was left as it was; check that the directory is writable")
)]
pub struct WriteError {
    pub path: String,
    pub reason: String,
}

/// Reads the file at `path` (on its own: imports are not followed) and formats it.
pub fn format_file(path: &Path, limits: &Limits) -> Formatted {
    let mut sources = SourceMap::new();
    match crate::check::read_file(path, limits, &mut sources) {
        Ok(id) => {
            let text = sources.get(id).map(|f| f.text.clone());
            match text {
                Some(text) => finish(path, sources, id, text, limits),
                None => Formatted {
                    path: path.to_path_buf(),
                    sources,
                    original: None,
                    formatted: None,
                    diagnostics: Vec::new(),
                },
            }
        }
        Err(diag) => Formatted {
            path: path.to_path_buf(),
            sources,
            original: None,
            formatted: None,
            diagnostics: vec![diag],
        },
    }
}

/// Formats text held in memory, as the file at `path` (an editor's buffer, or
/// standard input).
pub fn format_source(path: &Path, text: &str, limits: &Limits) -> Formatted {
    let mut sources = SourceMap::new();
    let text: Arc<str> = Arc::from(text);
    let id = sources.add(path.to_path_buf(), text.clone());
    finish(path, sources, id, text, limits)
}

fn finish(
    path: &Path,
    sources: SourceMap,
    id: FileId,
    text: Arc<str>,
    limits: &Limits,
) -> Formatted {
    let mut diagnostics = Vec::new();
    let formatted = match format_in(&text, id, limits) {
        Ok(out) => Some(out),
        Err(FormatError::Syntax(errors)) => {
            diagnostics.extend(errors.into_iter().map(|e| Diagnostic::new(id, e)));
            None
        }
        Err(FormatError::Internal(reason)) => {
            diagnostics.push(Diagnostic::without_file(FormatBug {
                path: path.display().to_string(),
                reason,
            }));
            None
        }
    };
    Formatted {
        path: path.to_path_buf(),
        sources,
        original: Some(text),
        formatted,
        diagnostics,
    }
}

/// Replaces the file at `path` with `text`, atomically: the new text is written to a
/// fresh file beside it, then renamed over it, so a failure leaves the old file whole.
/// A link is followed, and its target replaced.
pub fn write_in_place(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let error = |err: std::io::Error| {
        Diagnostic::without_file(WriteError {
            path: path.display().to_string(),
            reason: err.to_string(),
        })
    };
    let target = std::fs::canonicalize(path).map_err(error)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".{name}.fmt-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(error(err));
    }
    Ok(())
}
