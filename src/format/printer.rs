//! Placing comments: the scanned tokens and comments of a file → a printer that lays
//! out the pieces of a declaration (keywords, names, strings, `;`, breaks between
//! clauses) as documents, each after the comments that came before its token, and
//! keeps a comment that ended a line at the end of that line.

use pretty::RcDoc;

use super::comments::Comment;
use crate::span::{Span, Spanned};
use crate::syntax::ast::{Binder, Cite, Date, Endpoint, Name, Note};
use crate::syntax::print;

/// The attributes a rule or claim may carry (a rule only `cites` and `note`).
#[derive(Default)]
pub(super) struct Attrs<'a> {
    pub(super) cites: &'a [Cite],
    pub(super) quote: Option<&'a Spanned<String>>,
    pub(super) note: Option<&'a Spanned<String>>,
    pub(super) by: Option<&'a Spanned<String>>,
    pub(super) said: Option<&'a Spanned<Date>>,
}

impl<'a> Attrs<'a> {
    /// A rule's: its citations and note.
    pub(super) fn rule(cites: &'a [Cite], note: &'a Note) -> Self {
        Attrs {
            cites,
            note: note.as_ref(),
            ..Attrs::default()
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.cites.is_empty()
            && self.quote.is_none()
            && self.note.is_none()
            && self.by.is_none()
            && self.said.is_none()
    }
}

/// Marks, in the laid-out text, where a comment that ends a line starts, for the pass
/// that aligns them. Never in the output: strings escape control characters, and a
/// file with this character in a comment is laid out without aligning.
pub(super) const MARK: char = '\u{1}';

pub(super) type Doc = RcDoc<'static, ()>;

pub(super) fn text(s: impl Into<String>) -> Doc {
    RcDoc::text(s.into())
}

fn is_nil(doc: &Doc) -> bool {
    matches!(&**doc, pretty::Doc::Nil)
}

/// `doc` with its later lines starting at the column where it starts.
pub(super) fn align(doc: Doc) -> Doc {
    RcDoc::column(move |column| {
        let doc = doc.clone();
        RcDoc::nesting(move |nesting| doc.clone().nest(column as isize - nesting as isize))
    })
}

/// Builds the layout of one declaration at a time, handing out the comments in
/// source order as it passes the tokens they came before.
pub(super) struct Printer<'t> {
    pub(super) text: &'t str,
    pub(super) tokens: Vec<(usize, usize)>,
    pub(super) comments: Vec<Comment>,
    /// the first comment not yet placed
    pub(super) next: usize,
    /// source offset of the end of what has been laid out
    pub(super) last: usize,
    /// what goes before a comment that ends a line: [`MARK`], or two spaces
    pub(super) mark: String,
    /// comments taken from before a `;`, to end the line after it
    pub(super) carry: Option<String>,
}

impl Printer<'_> {
    /// The first token starting at or after `from`.
    pub(super) fn token_from(&self, from: usize) -> (usize, usize) {
        let i = self.tokens.partition_point(|t| t.0 < from);
        self.tokens
            .get(i)
            .copied()
            .unwrap_or((self.text.len(), self.text.len()))
    }

    /// The comments before `pos` not yet placed, each followed by what ends it: a line
    /// break after a `//` comment, a space after a block comment.
    pub(super) fn comments_before(&mut self, pos: usize) -> Doc {
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
    pub(super) fn comment_lines_before(&mut self, pos: usize) -> Option<Doc> {
        let mut lines = Vec::new();
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos) {
            lines.push(text(c.text.clone()));
            self.next += 1;
        }
        (!lines.is_empty()).then(|| RcDoc::intersperse(lines, RcDoc::hardline()))
    }

    /// Comments on the line where the layout stands, before the next token: their text,
    /// joined, and whether the last one ends the line.
    pub(super) fn trailing(&mut self) -> Option<(String, bool)> {
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

    pub(super) fn trailing_text(&mut self) -> Option<String> {
        self.trailing().map(|(t, _)| t)
    }

    /// A break between clauses: a space when the group fits on one line, else a new line;
    /// a comment ending the line before it is kept there and forces the line break.
    pub(super) fn soft(&mut self) -> Doc {
        match self.trailing() {
            None => RcDoc::line(),
            Some((t, true)) => text(format!("{}{t}", self.mark)).append(RcDoc::hardline()),
            Some((t, false)) => text(format!(" {t}")).append(RcDoc::line()),
        }
    }

    /// A line break between clauses, keeping a comment that ended the line before it.
    pub(super) fn hard(&mut self) -> Doc {
        match self.trailing() {
            None => RcDoc::hardline(),
            Some((t, _)) => text(format!("{}{t}", self.mark)).append(RcDoc::hardline()),
        }
    }

    /// ` keyword value` after a break between clauses; `value` is laid out after the
    /// keyword, so that comments keep their order.
    pub(super) fn clause(
        &mut self,
        keyword: &'static str,
        value: impl FnOnce(&mut Self) -> Doc,
    ) -> Doc {
        let sep = self.soft();
        let kw = self.kw(keyword);
        let value = value(self);
        sep.append(kw).append(" ").append(value)
    }

    /// A keyword or punctuation: placed after the comments before its token in the
    /// source. Parentheses the tree does not keep are passed over to find it.
    pub(super) fn kw(&mut self, s: &'static str) -> Doc {
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
    pub(super) fn at(&mut self, span: Span, s: String) -> Doc {
        let doc = self.comments_before(span.start as usize).append(text(s));
        self.last = self.last.max(span.end as usize);
        doc
    }

    pub(super) fn name(&mut self, n: &Name) -> Doc {
        self.at(n.span, n.node.clone())
    }

    pub(super) fn string(&mut self, s: &Spanned<String>) -> Doc {
        self.at(s.span, print::string(&s.node))
    }

    pub(super) fn endpoint(&mut self, e: &Endpoint) -> Doc {
        self.at(e.span(), print::endpoint(e))
    }

    pub(super) fn binders(&mut self, list: &[Binder]) -> Doc {
        match (list.first(), list.last()) {
            (Some(first), Some(last)) => self.at(first.span.to(last.span), print::binders(list)),
            _ => RcDoc::nil(),
        }
    }

    /// `;`, and whatever comments come before it. Those are carried to the end of the
    /// line after the `;` when they fit on one line there: no comment follows the `;`
    /// on its line, none spans lines, and only the last is a `//` comment.
    pub(super) fn semi(&mut self, decl_end: usize) -> Doc {
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

    /// ` cite a, b "passage", c`, filled over lines aligned after `cite ` when long.
    pub(super) fn cites(&mut self, cites: &[Cite]) -> Doc {
        let kw = self.kw("cite");
        let mut names = RcDoc::nil();
        for (i, c) in cites.iter().enumerate() {
            // the comma comes first in the source, and takes the comments before it
            let comma = (i > 0).then(|| self.kw(","));
            let mut item = self.name(&c.source);
            if let Some(p) = &c.pinpoint {
                item = item.append(" ").append(self.string(p));
            }
            match comma {
                Some(comma) => {
                    names = names
                        .append(comma)
                        .append(RcDoc::line().append(item).group());
                }
                None => names = names.append(item),
            }
        }
        kw.append(" ").append(align(names))
    }

    /// The attributes of a rule or claim, in the order written (so that comments keep
    /// theirs), each after a break that stays a space when the whole fits (`hard`:
    /// each on a line of its own).
    pub(super) fn attrs(&mut self, attrs: &Attrs<'_>, hard: bool) -> Doc {
        enum Item<'a> {
            Cites,
            Str(&'static str, &'a Spanned<String>),
            Said(&'a Spanned<Date>),
        }
        let mut items: Vec<(u32, Item<'_>)> = Vec::new();
        if let Some(first) = attrs.cites.first() {
            items.push((first.source.span.start, Item::Cites));
        }
        for (kw, s) in [
            ("quote", attrs.quote),
            ("note", attrs.note),
            ("by", attrs.by),
        ] {
            if let Some(s) = s {
                items.push((s.span.start, Item::Str(kw, s)));
            }
        }
        if let Some(d) = attrs.said {
            items.push((d.span.start, Item::Said(d)));
        }
        items.sort_by_key(|(start, _)| *start);
        let mut doc = RcDoc::nil();
        for (_, item) in items {
            let sep = if hard { self.hard() } else { self.soft() };
            let part = match item {
                Item::Cites => self.cites(attrs.cites),
                Item::Str(kw, s) => {
                    let kw = self.kw(kw);
                    kw.append(" ").append(self.string(s))
                }
                Item::Said(d) => {
                    let kw = self.kw("said");
                    kw.append(" ").append(self.at(d.span, d.node.to_string()))
                }
            };
            doc = doc.append(sep).append(part);
        }
        doc
    }
}
