//! The syntax tree: what a `.flow` file says, with a span on every node and no
//! name resolution yet. Spans are ignored by equality (see [`crate::span`]).

use std::fmt;

use serde::Serialize;

use crate::span::{Span, Spanned};

/// A calendar date, already validated by the lexer: `YYYY-MM-DD`, or a partial date
/// `YYYY-MM` or `YYYY` standing for its whole month or year (section 5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    /// Only with a month.
    pub day: Option<u8>,
}

impl Date {
    /// A full date.
    pub fn ymd(year: u16, month: u8, day: u8) -> Date {
        Date {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// The first day of the period the date stands for.
    pub fn first_day(self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day of the period the date stands for.
    pub fn last_day(self) -> (u16, u8, u8) {
        match (self.month, self.day) {
            (Some(m), Some(d)) => (self.year, m, d),
            (Some(m), None) => (self.year, m, days_in_month(self.year, m)),
            (None, _) => (self.year, 12, 31),
        }
    }

    /// Whether `other` (a day) falls inside the period this date stands for.
    pub fn contains(self, other: Date) -> bool {
        let (start, end) = (self.first_day(), self.last_day());
        other.first_day() >= start && other.last_day() <= end
    }
}

/// The number of days of a month (1..=12) in a year of the Gregorian calendar.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Sorting puts a partial date at its first day (and before a fuller date of that day).
impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first_day(), self.month.is_some(), self.day.is_some()).cmp(&(
            other.first_day(),
            other.month.is_some(),
            other.day.is_some(),
        ))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
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
    Reading(Box<ReadingDecl>),
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

/// A declaration's label: the words people read instead of its name (section 5.2).
pub type Label = Option<Spanned<String>>;

/// A modeller's note on a rule or claim (section 5.3).
pub type Note = Option<Spanned<String>>;

/// One source in a `cite` list, with its pinpoint: `cite S "the passage", T`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cite {
    pub source: Name,
    pub pinpoint: Option<Spanned<String>>,
}

/// `kind name "label";`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindDecl {
    pub name: Name,
    pub label: Label,
    pub span: Span,
}

/// `agency Name "label": kind in Parent;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyDecl {
    pub name: Name,
    pub label: Label,
    pub kind: Name,
    pub parent: Option<Name>,
    pub span: Span,
}

/// `data name "label";`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataDecl {
    pub name: Name,
    pub label: Label,
    pub span: Span,
}

/// `v: kind`, in parameter lists and quantifiers; in an endpoint it is written `(v: kind)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binder {
    pub var: Name,
    pub kind: Name,
    pub span: Span,
}

/// `param name(v: kind, ...) "label";` or `param name "label";`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDecl {
    pub name: Name,
    pub params: Vec<Binder>,
    pub label: Label,
    pub span: Span,
}

/// Whose data an opt-out protects (section 5.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Covers {
    /// Data whose origin is the opting agency or inside it (the default).
    Inside,
    /// Data of every origin.
    All,
}

/// `optout name(v: kind) "label" covers all when g blocks d: X -> Y when h ... cite S
/// note "...";`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptoutDecl {
    pub name: Name,
    pub params: Vec<Binder>,
    pub label: Label,
    /// As written (`None`: not written, which means `covers inside`).
    pub covers: Option<Spanned<Covers>>,
    pub guard: Option<Formula>,
    pub blocks: Vec<Block>,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub span: Span,
}

/// `blocks d: X -> Y when h`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub data: Name,
    pub from: Endpoint,
    pub to: Endpoint,
    pub guard: Option<Formula>,
    pub span: Span,
}

/// `collect d at X when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectDecl {
    pub data: Name,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub span: Span,
}

/// `flow d: X -> Y when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowDecl {
    pub data: Name,
    pub from: Endpoint,
    pub to: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub span: Span,
}

/// `derive d2 from d1 at X when g cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeriveDecl {
    pub data: Name,
    pub from: Name,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub span: Span,
}

/// `assume F cite S;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeDecl {
    pub formula: Formula,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
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

/// `claim name "title" cite S quote "..." note "..." by "who" said DATE: always F;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimDecl {
    pub name: Name,
    pub title: Option<Spanned<String>>,
    pub cites: Vec<Cite>,
    pub quote: Option<Spanned<String>>,
    pub note: Note,
    /// Who made the statement (section 5.4).
    pub by: Option<Spanned<String>>,
    /// When it was made.
    pub said: Option<Spanned<Date>>,
    pub mode: Spanned<Mode>,
    pub formula: Formula,
    pub span: Span,
}

/// `reading name "label" cite S note "..." { assume F; ... }` (section 5.6)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingDecl {
    pub name: Name,
    pub label: Label,
    pub cites: Vec<Cite>,
    pub note: Note,
    pub assumes: Vec<AssumeDecl>,
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
