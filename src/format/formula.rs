//! Laying out formulas: a formula of the syntax tree → its document, with parentheses
//! where the context needs them, breaking before its loosest operators.

use pretty::RcDoc;

use super::printer::{Doc, Printer, align};
use crate::span::Span;
use crate::syntax::ast::{BinOp, Formula, FormulaKind, Quantifier};
use crate::syntax::print::{self, AND, ATOM, IFF, IMP, NOT, OR, QUANT, strength};

impl Printer<'_> {
    /// A formula where the context needs at least strength `min`; `at_end` is true when
    /// nothing follows before a closing delimiter (see [`print::formula`]).
    pub(super) fn formula(&mut self, f: &Formula, min: u8, at_end: bool) -> Doc {
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
