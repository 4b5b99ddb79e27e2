//! The syntax tree: what a `.flow` file says, with a span on every node and no
//! name resolution yet. Spans are ignored by equality (see [`crate::span`]).

use std::fmt;

use serde::Serialize;

use crate::span::{Span, Spanned};

/// A calendar date, already validated by the lexer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An identifier as written, with its span.
pub type Name = Spanned<String>;

/// A whole file: its declarations in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub decls: Vec<Decl>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decl {
    Policy(Box<PolicyDecl>),
    Import(Box<ImportDecl>),
    Source(Box<SourceDecl>),
    Kind(Box<KindDecl>),
    Agency(Box<AgencyDecl>),
    Data(Box<DataDecl>),
    Param(Box<ParamDecl>),
    Optout(Box<OptoutDecl>),
    Collect(Box<CollectDecl>),
    Flow(Box<FlowDecl>),
    Derive(Box<DeriveDecl>),
    Assume(Box<AssumeDecl>),
    Claim(Box<ClaimDecl>),
    /// A declaration that could not be parsed; its error has been reported.
    Error(Span),
}

/// `policy "name" version "v" date YYYY-MM-DD;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDecl {
    pub name: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub date: Option<Spanned<Date>>,
    pub span: Span,
}

/// `import "path.flow";`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportDecl {
    pub path: Spanned<String>,
    pub span: Span,
}

/// `source name { key = value; ... }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDecl {
    pub name: Name,
    pub fields: Vec<SourceField>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceField {
    pub key: Name,
    pub value: Spanned<Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Date(Date),
}

/// `kind name;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindDecl {
    pub name: Name,
    pub span: Span,
}

/// `agency Name: kind in Parent;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyDecl {
    pub name: Name,
    pub kind: Name,
    pub parent: Option<Name>,
    pub span: Span,
}

/// `data name;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDecl {
    pub name: Name,
    pub span: Span,
}

/// `v: kind`, in parameter lists and quantifiers; in an endpoint it is written `(v: kind)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binder {
    pub var: Name,
    pub kind: Name,
    pub span: Span,
}

/// `param name(v: kind, ...);` or `param name;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDecl {
    pub name: Name,
    pub params: Vec<Binder>,
    pub span: Span,
}

/// `optout name(v: kind) when g blocks d: X -> Y ... cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptoutDecl {
    pub name: Name,
    pub params: Vec<Binder>,
    pub guard: Option<Formula>,
    pub blocks: Vec<Block>,
    pub cites: Vec<Name>,
    pub span: Span,
}

/// `blocks d: X -> Y`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub data: Name,
    pub from: Endpoint,
    pub to: Endpoint,
    pub span: Span,
}

/// `collect d at X when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectDecl {
    pub data: Name,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Name>,
    pub span: Span,
}

/// `flow d: X -> Y when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowDecl {
    pub data: Name,
    pub from: Endpoint,
    pub to: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Name>,
    pub span: Span,
}

/// `derive d2 from d1 at X when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeriveDecl {
    pub data: Name,
    pub from: Name,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Name>,
    pub span: Span,
}

/// `assume F cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeDecl {
    pub formula: Formula,
    pub cites: Vec<Name>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Always,
    Possible,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Always => "always",
            Mode::Possible => "possible",
        })
    }
}

/// `claim name "title" cite S quote "..." : always F;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimDecl {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub cites: Vec<Name>,
    pub quote: Option<Spanned<String>>,
    pub mode: Spanned<Mode>,
    pub formula: Formula,
    pub span: Span,
}

/// A flow endpoint: a binder `(v: kind)` or an agency term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Binder(Binder),
    Term(Term),
}

impl Endpoint {
    pub fn span(&self) -> Span {
        match self {
            Endpoint::Binder(b) => b.span,
            Endpoint::Term(t) => t.span,
        }
    }
}

/// An agency term: a name (agency or variable), `origin`, or `parent(t)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermKind {
    Name(String),
    Origin,
    Parent(Box<Term>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantifier {
    Forall,
    Exists,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    And,
    Or,
    Implies,
    Iff,
}

/// A formula, with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    pub kind: FormulaKind,
    pub span: Span,
    /// Levels of `!`, binary operators and quantifiers, this one included; an atom
    /// has height 1. Kept so the parser can refuse a formula too deep for the
    /// recursive passes without walking it.
    height: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormulaKind {
    True,
    False,
    Not(Box<Formula>),
    Binary(BinOp, Box<Formula>, Box<Formula>),
    Eq(Term, Term),
    Ne(Term, Term),
    /// `p` or `p(t, ...)`
    Apply {
        param: Name,
        args: Vec<Term>,
    },
    /// `reaches(d of o, n)`
    Reaches(Box<ReachesAtom>),
    /// `flows(d of o, x -> y)`
    Flows(Box<FlowsAtom>),
    /// `forall v: K, w: K2. F` / `exists ...`
    Quant {
        quantifier: Quantifier,
        binders: Vec<Binder>,
        body: Box<Formula>,
    },
}

/// `reaches(data of origin, at)`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReachesAtom {
    pub data: Name,
    pub origin: Term,
    pub at: Term,
}

/// `flows(data of origin, from -> to)`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowsAtom {
    pub data: Name,
    pub origin: Term,
    pub from: Term,
    pub to: Term,
}

impl Formula {
    pub fn new(kind: FormulaKind, span: Span) -> Self {
        let height = match &kind {
            FormulaKind::Not(a) => a.height.saturating_add(1),
            FormulaKind::Binary(_, a, b) => a.height.max(b.height).saturating_add(1),
            FormulaKind::Quant { body, .. } => body.height.saturating_add(1),
            _ => 1,
        };
        Formula { kind, span, height }
    }

    /// Levels of `!`, binary operators and quantifiers, this one included (an atom
    /// has height 1).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Calls `f` on this formula and every sub-formula, outermost first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Formula)) {
        f(self);
        match &self.kind {
            FormulaKind::Not(a) => a.walk(f),
            FormulaKind::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            FormulaKind::Quant { body, .. } => body.walk(f),
            _ => {}
        }
    }
}
