//! The checked model: every name resolved to an id, every kind checked. This is what
//! grounding, the solver and the reference interpreter read.

pub mod eval;

use std::fmt;

use crate::span::Span;
/// A claim's mode and a policy's date are the syntax tree's own; later stages name them
/// through the model.
pub use crate::syntax::ast::{Date, Mode};

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }

            pub fn from_index(i: usize) -> Self {
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }
        }
    )*};
}

id_type!(KindId, AgencyId, DataId, ParamId, OptoutId, SourceId, VarId);

/// The policy header of the file given on the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub name: String,
    pub version: Option<String>,
    pub date: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kind {
    pub name: String,
    /// What people read instead of the name (section 5.2).
    pub label: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub name: String,
    pub label: Option<String>,
    pub kind: KindId,
    pub parent: Option<AgencyId>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Data {
    pub name: String,
    pub label: Option<String>,
    pub span: Span,
}

/// A free yes/no fact per tuple of agencies of the argument kinds. Opt-outs declare one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub args: Vec<KindId>,
    /// The opt-out this param belongs to, if it was declared by `optout`.
    pub optout: Option<OptoutId>,
    /// A sentence for one ground instance: `{v}` stands for the label (or name) of the
    /// agency bound to the parameter `v`, named in `vars` in argument order.
    pub label: Option<String>,
    /// The parameters' names, in argument order (what `{v}` in the label refers to).
    pub vars: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub quote: Option<String>,
    /// Where the `quote` is written.
    pub quote_span: Span,
    /// The path of a plain-text copy of the document, as written (section 5.5).
    pub document: Option<String>,
    pub document_span: Span,
    pub span: Span,
}

/// A variable of one rule, claim or assumption: bound by an endpoint binder, an
/// opt-out's parameter, or a quantifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    pub name: String,
    pub kind: KindId,
    pub span: Span,
}

/// An agency term.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    Agency(AgencyId),
    Var(VarId),
    Origin,
    Parent(Box<Term>),
}

/// A flow endpoint: one instance per agency of the binder's kind, or a term.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Bind(VarId),
    Term(Term),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    pub kind: FormulaKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormulaKind {
    True,
    False,
    Not(Box<Formula>),
    And(Box<Formula>, Box<Formula>),
    Or(Box<Formula>, Box<Formula>),
    Implies(Box<Formula>, Box<Formula>),
    Iff(Box<Formula>, Box<Formula>),
    Eq(Term, Term),
    Ne(Term, Term),
    Param(ParamId, Vec<Term>),
    Reaches {
        data: DataId,
        origin: Term,
        at: Term,
    },
    Flows {
        data: DataId,
        origin: Term,
        from: Term,
        to: Term,
    },
    Forall(Vec<VarId>, Box<Formula>),
    Exists(Vec<VarId>, Box<Formula>),
}

impl Formula {
    /// Calls `f` on this formula and every sub-formula, outermost first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Formula)) {
        f(self);
        match &self.kind {
            FormulaKind::Not(a) | FormulaKind::Forall(_, a) | FormulaKind::Exists(_, a) => {
                a.walk(f)
            }
            FormulaKind::And(a, b)
            | FormulaKind::Or(a, b)
            | FormulaKind::Implies(a, b)
            | FormulaKind::Iff(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            _ => {}
        }
    }

    /// Whether the formula mentions `reaches` or `flows`.
    pub fn mentions_reachability(&self) -> bool {
        let mut found = false;
        self.walk(&mut |g| {
            found |= matches!(
                g.kind,
                FormulaKind::Reaches { .. } | FormulaKind::Flows { .. }
            );
        });
        found
    }
}

/// The statement a rule makes, common to every rule kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleInfo {
    pub vars: Vec<Var>,
    pub cites: Vec<SourceId>,
    /// The passages of cited sources the rule rests on (`cite S "passage"`).
    pub pinpoints: Vec<Pinpoint>,
    /// The modeller's reason for the rule, in plain words (section 5.3).
    pub note: Option<String>,
    pub span: Span,
}

/// `cite S "passage"`: the words of source `S` a rule or claim rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinpoint {
    pub source: SourceId,
    pub text: String,
    pub span: Span,
}

impl RuleInfo {
    pub fn var(&self, v: VarId) -> &Var {
        &self.vars[v.index()]
    }

    /// The names of the sources the rule cites, in the order cited.
    pub fn cite_names(&self, model: &Model) -> Vec<String> {
        self.cites
            .iter()
            .map(|c| model.sources[c.index()].name.clone())
            .collect()
    }

    /// The citations as people read them: each source cited, with the passage it is
    /// cited for when there is one (`kpcc_disarray "the fingerprints ... checked"`).
    pub fn cites_shown(&self, model: &Model) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for c in &self.cites {
            if seen.contains(c) {
                continue;
            }
            seen.push(*c);
            let name = &model.sources[c.index()].name;
            let passages: Vec<&Pinpoint> =
                self.pinpoints.iter().filter(|p| p.source == *c).collect();
            if passages.is_empty() {
                out.push(name.clone());
            }
            for p in passages {
                out.push(format!("{name} \"{}\"", p.text));
            }
        }
        out
    }

    /// The kind of each variable, by variable id.
    pub fn var_kinds(&self) -> Vec<KindId> {
        self.vars.iter().map(|v| v.kind).collect()
    }
}

/// Whose data an opt-out protects (section 5.7).
pub use crate::syntax::ast::Covers;

/// `optout name(v: K) covers inside|all when g blocks ...`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Optout {
    pub param: ParamId,
    /// The opting agency's variable.
    pub var: VarId,
    pub covers: Covers,
    pub guard: Option<Formula>,
    pub blocks: Vec<Block>,
    pub info: RuleInfo,
}

/// `blocks d: X -> Y when h`, with its variables in the opt-out's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub data: DataId,
    pub from: Endpoint,
    pub to: Endpoint,
    /// The clause's own condition (section 5.7).
    pub guard: Option<Formula>,
    pub span: Span,
}

/// `collect d at X when g`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collect {
    pub data: DataId,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub info: RuleInfo,
}

/// `flow d: X -> Y when g`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub data: DataId,
    pub from: Endpoint,
    pub to: Endpoint,
    pub guard: Option<Formula>,
    pub info: RuleInfo,
}

/// `derive d2 from d1 at X when g`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Derive {
    pub data: DataId,
    pub from: DataId,
    pub at: Endpoint,
    pub guard: Option<Formula>,
    pub info: RuleInfo,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assume {
    pub formula: Formula,
    pub info: RuleInfo,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    pub title: Option<String>,
    pub quote: Option<String>,
    pub quote_span: Span,
    /// Who made the statement, and when (section 5.4).
    pub by: Option<String>,
    pub said: Option<Date>,
    pub mode: Mode,
    pub formula: Formula,
    pub info: RuleInfo,
}

/// A checked policy: the file given and everything it imports, merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub policy: Option<Policy>,
    pub kinds: Vec<Kind>,
    pub agencies: Vec<Agency>,
    pub data: Vec<Data>,
    pub params: Vec<Param>,
    pub sources: Vec<Source>,
    pub optouts: Vec<Optout>,
    pub collects: Vec<Collect>,
    pub flows: Vec<Flow>,
    pub derives: Vec<Derive>,
    pub assumes: Vec<Assume>,
    pub claims: Vec<Claim>,
    /// Named alternative sets of assumptions (section 5.6), in declaration order.
    pub readings: Vec<Reading>,
}

/// `reading NAME "LABEL" cite S note "..." { assume ...; }`: one way of reading
/// contested evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub name: String,
    pub label: Option<String>,
    pub note: Option<String>,
    pub assumes: Vec<Assume>,
    /// Its citations and span (it binds no variable).
    pub info: RuleInfo,
}

impl Model {
    /// Every statement of the model with its rule info: claims, assumptions, and the
    /// readings' assumptions.
    pub fn statements(&self) -> impl Iterator<Item = (&Formula, &RuleInfo)> {
        self.claims
            .iter()
            .map(|c| (&c.formula, &c.info))
            .chain(self.assumes.iter().map(|a| (&a.formula, &a.info)))
            .chain(
                self.readings
                    .iter()
                    .flat_map(|r| r.assumes.iter().map(|a| (&a.formula, &a.info))),
            )
    }

    /// The model as it stands in reading `r`: the file's assumptions, then the
    /// reading's (so an assumption index at or past `self.assumes.len()` is the
    /// reading's own). The readings themselves are dropped from the view.
    pub fn in_reading(&self, r: usize) -> Model {
        let mut view = self.clone();
        let reading = view.readings.swap_remove(r);
        view.assumes.extend(reading.assumes);
        view.readings.clear();
        view
    }

    pub fn agency(&self, id: AgencyId) -> &Agency {
        &self.agencies[id.index()]
    }

    pub fn kind(&self, id: KindId) -> &Kind {
        &self.kinds[id.index()]
    }

    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.index()]
    }

    pub fn data_name(&self, id: DataId) -> &str {
        &self.data[id.index()].name
    }

    /// The agencies of a kind, in declaration order.
    pub fn agencies_of(&self, kind: KindId) -> impl Iterator<Item = AgencyId> + '_ {
        self.agencies
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.kind == kind)
            .map(|(i, _)| AgencyId::from_index(i))
    }

    /// Whether `inner` is `outer` or declared inside it, transitively through `in`.
    pub fn is_within(&self, inner: AgencyId, outer: AgencyId) -> bool {
        let mut at = Some(inner);
        let mut steps = 0;
        while let Some(a) = at {
            if a == outer {
                return true;
            }
            at = self.agency(a).parent;
            steps += 1;
            if steps > self.agencies.len() {
                return false;
            }
        }
        false
    }

    /// The name a ground param is shown with: `activated(SanFrancisco)`, `emergency`.
    pub fn ground_param_name(&self, param: ParamId, args: &[AgencyId]) -> String {
        let p = self.param(param);
        if args.is_empty() {
            p.name.clone()
        } else {
            let names: Vec<&str> = args.iter().map(|a| self.agency(*a).name.as_str()).collect();
            format!("{}({})", p.name, names.join(", "))
        }
    }

    /// What people read for an agency: its label, or its name (section 5.2).
    pub fn agency_shown(&self, id: AgencyId) -> &str {
        let a = self.agency(id);
        a.label.as_deref().unwrap_or(&a.name)
    }

    /// What people read for a data: its label, or its name.
    pub fn data_shown(&self, id: DataId) -> &str {
        let d = &self.data[id.index()];
        d.label.as_deref().unwrap_or(&d.name)
    }

    /// What people read for a ground param: its label with `{v}` replaced by what
    /// people read for the agency bound to `v`, or its name (`activated(SanFrancisco)`).
    pub fn ground_param_shown(&self, param: ParamId, args: &[AgencyId]) -> String {
        let p = self.param(param);
        let Some(label) = &p.label else {
            return self.ground_param_name(param, args);
        };
        let mut out = String::new();
        let mut rest = label.as_str();
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let bound = after.find('}').and_then(|close| {
                let at = p.vars.iter().position(|v| *v == after[..close])?;
                Some((close, *args.get(at)?))
            });
            match bound {
                Some((close, agency)) => {
                    out.push_str(self.agency_shown(agency));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Whether any declaration carries a label (then renderings for people use them).
    pub fn has_labels(&self) -> bool {
        self.kinds.iter().any(|k| k.label.is_some())
            || self.agencies.iter().any(|a| a.label.is_some())
            || self.data.iter().any(|d| d.label.is_some())
            || self.params.iter().any(|p| p.label.is_some())
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(v) = &self.version {
            write!(f, " ({v})")?;
        }
        Ok(())
    }
}
