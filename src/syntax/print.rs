//! Syntax tree → canonical text. Parsing the output gives back an equal tree (a
//! property test checks it). The formatter (`crate::format`) lays the same text out
//! over lines and keeps comments.

use std::fmt::Write;

use crate::syntax::ast::*;

/// The whole file, one declaration per line (source blocks over several lines).
pub fn file(file: &File) -> String {
    let mut out = String::new();
    for decl in &file.decls {
        decl_to(&mut out, decl);
    }
    out
}

pub fn decl(decl: &Decl) -> String {
    let mut out = String::new();
    decl_to(&mut out, decl);
    out
}

fn decl_to(out: &mut String, decl: &Decl) {
    match decl {
        Decl::Policy(p) => {
            let _ = write!(out, "policy {}", string(&p.name.node));
            if let Some(v) = &p.version {
                let _ = write!(out, " version {}", string(&v.node));
            }
            if let Some(d) = &p.date {
                let _ = write!(out, " date {}", d.node);
            }
            out.push_str(";\n");
        }
        Decl::Import(i) => {
            let _ = writeln!(out, "import {};", string(&i.path.node));
        }
        Decl::Source(s) => {
            let _ = writeln!(out, "source {} {{", s.name.node);
            for field in &s.fields {
                let value = match &field.value.node {
                    Value::Str(text) => string(text),
                    Value::Date(d) => d.to_string(),
                };
                let _ = writeln!(out, "  {} = {value};", field.key.node);
            }
            out.push_str("}\n");
        }
        Decl::Kind(k) => {
            let _ = writeln!(out, "kind {}{};", k.name.node, label(&k.label));
        }
        Decl::Agency(a) => {
            let _ = write!(
                out,
                "agency {}{}: {}",
                a.name.node,
                label(&a.label),
                a.kind.node
            );
            if let Some(p) = &a.parent {
                let _ = write!(out, " in {}", p.node);
            }
            out.push_str(";\n");
        }
        Decl::Data(d) => {
            let _ = writeln!(out, "data {}{};", d.name.node, label(&d.label));
        }
        Decl::Param(p) => {
            out.push_str("param ");
            out.push_str(&p.name.node);
            if !p.params.is_empty() {
                let _ = write!(out, "({})", binders(&p.params));
            }
            out.push_str(&label(&p.label));
            out.push_str(";\n");
        }
        Decl::Optout(o) => {
            let _ = write!(
                out,
                "optout {}({}){}",
                o.name.node,
                binders(&o.params),
                label(&o.label)
            );
            if let Some(c) = &o.covers {
                out.push_str(covers(c.node));
            }
            guard_to(out, o.guard.as_ref());
            for b in &o.blocks {
                let _ = write!(
                    out,
                    "\n  blocks {}: {} -> {}",
                    b.data.node,
                    endpoint(&b.from),
                    endpoint(&b.to)
                );
                guard_to(out, b.guard.as_ref());
            }
            cites_to(out, &o.cites);
            note_to(out, &o.note);
            out.push_str(";\n");
        }
        Decl::Collect(c) => {
            let _ = write!(out, "collect {} at {}", c.data.node, endpoint(&c.at));
            guard_to(out, c.guard.as_ref());
            cites_to(out, &c.cites);
            note_to(out, &c.note);
            out.push_str(";\n");
        }
        Decl::Flow(f) => {
            let _ = write!(
                out,
                "flow {}: {} -> {}",
                f.data.node,
                endpoint(&f.from),
                endpoint(&f.to)
            );
            guard_to(out, f.guard.as_ref());
            cites_to(out, &f.cites);
            note_to(out, &f.note);
            out.push_str(";\n");
        }
        Decl::Derive(d) => {
            let _ = write!(
                out,
                "derive {} from {} at {}",
                d.data.node,
                d.from.node,
                endpoint(&d.at)
            );
            guard_to(out, d.guard.as_ref());
            cites_to(out, &d.cites);
            note_to(out, &d.note);
            out.push_str(";\n");
        }
        Decl::Assume(a) => assume_to(out, a),
        Decl::Claim(c) => {
            let _ = write!(out, "claim {}", c.name.node);
            if let Some(t) = &c.title {
                let _ = write!(out, " {}", string(&t.node));
            }
            cites_to(out, &c.cites);
            if let Some(q) = &c.quote {
                let _ = write!(out, " quote {}", string(&q.node));
            }
            note_to(out, &c.note);
            if let Some(b) = &c.by {
                let _ = write!(out, " by {}", string(&b.node));
            }
            if let Some(d) = &c.said {
                let _ = write!(out, " said {}", d.node);
            }
            let _ = writeln!(out, ": {} {};", c.mode.node, formula(&c.formula));
        }
        Decl::Reading(r) => {
            let _ = write!(out, "reading {}{}", r.name.node, label(&r.label));
            cites_to(out, &r.cites);
            note_to(out, &r.note);
            out.push_str(" {\n");
            for a in &r.assumes {
                out.push_str("  ");
                assume_to(out, a);
            }
            out.push_str("}\n");
        }
        Decl::Error(_) => out.push_str("/* unreadable declaration */\n"),
    }
}

fn guard_to(out: &mut String, guard: Option<&Formula>) {
    if let Some(g) = guard {
        let _ = write!(out, " when {}", formula(g));
    }
}

fn assume_to(out: &mut String, a: &AssumeDecl) {
    let _ = write!(out, "assume {}", formula(&a.formula));
    cites_to(out, &a.cites);
    note_to(out, &a.note);
    out.push_str(";\n");
}

fn cites_to(out: &mut String, cites: &[Cite]) {
    if !cites.is_empty() {
        let _ = write!(out, " cite {}", cite_list(cites));
    }
}

/// `S, T "passage"`: the sources of a `cite` list with their pinpoints.
pub fn cite_list(cites: &[Cite]) -> String {
    let items: Vec<String> = cites
        .iter()
        .map(|c| match &c.pinpoint {
            Some(p) => format!("{} {}", c.source.node, string(&p.node)),
            None => c.source.node.clone(),
        })
        .collect();
    items.join(", ")
}

fn note_to(out: &mut String, note: &Note) {
    if let Some(n) = note {
        let _ = write!(out, " note {}", string(&n.node));
    }
}

/// ` "label"`, or nothing.
pub fn label(label: &Label) -> String {
    label
        .as_ref()
        .map(|l| format!(" {}", string(&l.node)))
        .unwrap_or_default()
}

/// ` covers inside` or ` covers all`.
pub fn covers(c: Covers) -> &'static str {
    match c {
        Covers::Inside => " covers inside",
        Covers::All => " covers all",
    }
}

pub(crate) fn binders(list: &[Binder]) -> String {
    let parts: Vec<String> = list
        .iter()
        .map(|b| format!("{}: {}", b.var.node, b.kind.node))
        .collect();
    parts.join(", ")
}

pub fn endpoint(e: &Endpoint) -> String {
    match e {
        Endpoint::Binder(b) => format!("({}: {})", b.var.node, b.kind.node),
        Endpoint::Term(t) => term(t),
    }
}

pub fn term(t: &Term) -> String {
    match &t.kind {
        TermKind::Name(n) => n.clone(),
        TermKind::Origin => "origin".to_owned(),
        TermKind::Parent(inner) => format!("parent({})", term(inner)),
    }
}

/// A string literal with the escapes the lexer reads back.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// Binding strength, loosest first, as in the grammar.
pub(crate) const QUANT: u8 = 0;
pub(crate) const IFF: u8 = 1;
pub(crate) const IMP: u8 = 2;
pub(crate) const OR: u8 = 3;
pub(crate) const AND: u8 = 4;
pub(crate) const NOT: u8 = 5;
pub(crate) const ATOM: u8 = 6;

/// A formula with as few parentheses as its precedence needs.
pub fn formula(f: &Formula) -> String {
    let mut out = String::new();
    formula_to(&mut out, f, QUANT, true);
    out
}

pub(crate) fn strength(f: &Formula) -> u8 {
    match &f.kind {
        FormulaKind::Quant { .. } => QUANT,
        FormulaKind::Binary(BinOp::Iff, ..) => IFF,
        FormulaKind::Binary(BinOp::Implies, ..) => IMP,
        FormulaKind::Binary(BinOp::Or, ..) => OR,
        FormulaKind::Binary(BinOp::And, ..) => AND,
        FormulaKind::Not(_) => NOT,
        _ => ATOM,
    }
}

/// Writes `f` where the context needs at least strength `min`; `at_end` is true when
/// nothing follows `f` before a closing delimiter, so an open quantifier may stand bare.
fn formula_to(out: &mut String, f: &Formula, min: u8, at_end: bool) {
    let own = strength(f);
    // a quantifier's body runs to the end, so it is bare only where nothing follows it
    let parens = own < min || (own == QUANT && !at_end);
    if parens {
        out.push('(');
    }
    let at_end = at_end || parens;
    match &f.kind {
        FormulaKind::True => out.push_str("true"),
        FormulaKind::False => out.push_str("false"),
        FormulaKind::Not(a) => {
            out.push('!');
            formula_to(out, a, NOT, at_end);
        }
        FormulaKind::Binary(op, a, b) => {
            let (sym, left_min, right_min) = match op {
                BinOp::Iff => ("<=>", IFF, IMP),
                BinOp::Implies => ("=>", OR, IMP),
                BinOp::Or => ("||", OR, AND),
                BinOp::And => ("&&", AND, NOT),
            };
            formula_to(out, a, left_min, false);
            let _ = write!(out, " {sym} ");
            formula_to(out, b, right_min, at_end);
        }
        FormulaKind::Eq(a, b) => {
            let _ = write!(out, "{} == {}", term(a), term(b));
        }
        FormulaKind::Ne(a, b) => {
            let _ = write!(out, "{} != {}", term(a), term(b));
        }
        FormulaKind::Apply { param, args } => {
            out.push_str(&param.node);
            if !args.is_empty() {
                let parts: Vec<String> = args.iter().map(term).collect();
                let _ = write!(out, "({})", parts.join(", "));
            }
        }
        FormulaKind::Reaches(atom) => {
            let ReachesAtom { data, origin, at } = atom.as_ref();
            let _ = write!(
                out,
                "reaches({} of {}, {})",
                data.node,
                term(origin),
                term(at)
            );
        }
        FormulaKind::Flows(atom) => {
            let FlowsAtom {
                data,
                origin,
                from,
                to,
            } = atom.as_ref();
            let _ = write!(
                out,
                "flows({} of {}, {} -> {})",
                data.node,
                term(origin),
                term(from),
                term(to)
            );
        }
        FormulaKind::Quant {
            quantifier,
            binders: list,
            body,
        } => {
            let q = match quantifier {
                Quantifier::Forall => "forall",
                Quantifier::Exists => "exists",
            };
            let _ = write!(out, "{q} {}. ", binders(list));
            formula_to(out, body, QUANT, true);
        }
    }
    if parens {
        out.push(')');
    }
}
