//! Ground formulas: propositional formulas over ground params and reachability facts,
//! with the constant folding every later stage relies on.

use crate::model::{AgencyId, DataId};

/// A ground formula: propositional over ground params and reachability facts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Prop {
    True,
    False,
    /// A ground param, by index in [`GroundParams`].
    Param(usize),
    /// `(data, origin, at)` is in Reach.
    Reach(DataId, AgencyId, AgencyId),
    /// `flows(data of origin, from -> to)`: the datum is at `from` and some instance of
    /// a flow rule `from -> to` is enabled and not blocked (`cond`).
    Flows {
        data: DataId,
        origin: AgencyId,
        from: AgencyId,
        to: AgencyId,
        cond: Box<Prop>,
    },
    Not(Box<Prop>),
    And(Vec<Prop>),
    Or(Vec<Prop>),
    Iff(Box<Prop>, Box<Prop>),
}

impl Prop {
    pub fn negate(p: Prop) -> Prop {
        match p {
            Prop::True => Prop::False,
            Prop::False => Prop::True,
            Prop::Not(inner) => *inner,
            p => Prop::Not(Box::new(p)),
        }
    }

    pub fn and(parts: impl IntoIterator<Item = Prop>) -> Prop {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Prop::True => {}
                Prop::False => return Prop::False,
                // reuse a nested conjunction's vector: a left-nested chain stays linear
                Prop::And(inner) if out.is_empty() => out = inner,
                Prop::And(inner) => out.extend(inner),
                p => out.push(p),
            }
        }
        match out.len() {
            0 => Prop::True,
            1 => out.pop().unwrap_or(Prop::True),
            _ => Prop::And(out),
        }
    }

    pub fn or(parts: impl IntoIterator<Item = Prop>) -> Prop {
        let mut out = Vec::new();
        for p in parts {
            match p {
                Prop::False => {}
                Prop::True => return Prop::True,
                Prop::Or(inner) if out.is_empty() => out = inner,
                Prop::Or(inner) => out.extend(inner),
                p => out.push(p),
            }
        }
        match out.len() {
            0 => Prop::False,
            1 => out.pop().unwrap_or(Prop::False),
            _ => Prop::Or(out),
        }
    }

    pub fn implies(a: Prop, b: Prop) -> Prop {
        Prop::or([Prop::negate(a), b])
    }

    pub fn iff(a: Prop, b: Prop) -> Prop {
        match (a, b) {
            (Prop::True, b) => b,
            (a, Prop::True) => a,
            (Prop::False, b) => Prop::negate(b),
            (a, Prop::False) => Prop::negate(a),
            (a, b) => Prop::Iff(Box::new(a), Box::new(b)),
        }
    }

    /// Calls `f` on every reachability fact the formula mentions (including the one
    /// inside each `flows`).
    pub fn for_each_reach(&self, f: &mut dyn FnMut(DataId, AgencyId, AgencyId)) {
        match self {
            Prop::Reach(d, o, n) => f(*d, *o, *n),
            Prop::Flows {
                data, origin, from, ..
            } => f(*data, *origin, *from),
            Prop::Not(p) => p.for_each_reach(f),
            Prop::And(ps) | Prop::Or(ps) => ps.iter().for_each(|p| p.for_each_reach(f)),
            Prop::Iff(a, b) => {
                a.for_each_reach(f);
                b.for_each_reach(f);
            }
            Prop::True | Prop::False | Prop::Param(_) => {}
        }
    }

    /// Calls `f` on every ground param the formula mentions.
    pub fn for_each_param(&self, f: &mut dyn FnMut(usize)) {
        match self {
            Prop::Param(i) => f(*i),
            Prop::Flows { cond, .. } => cond.for_each_param(f),
            Prop::Not(p) => p.for_each_param(f),
            Prop::And(ps) | Prop::Or(ps) => ps.iter().for_each(|p| p.for_each_param(f)),
            Prop::Iff(a, b) => {
                a.for_each_param(f);
                b.for_each_param(f);
            }
            Prop::True | Prop::False | Prop::Reach(..) => {}
        }
    }

    /// The truth value under a scenario (`params`) and a reachability oracle.
    pub fn eval(
        &self,
        params: &[bool],
        reach: &dyn Fn(DataId, AgencyId, AgencyId) -> bool,
    ) -> bool {
        match self {
            Prop::True => true,
            Prop::False => false,
            Prop::Param(i) => params.get(*i).copied().unwrap_or(false),
            Prop::Reach(d, o, n) => reach(*d, *o, *n),
            Prop::Flows {
                data,
                origin,
                from,
                cond,
                ..
            } => reach(*data, *origin, *from) && cond.eval(params, reach),
            Prop::Not(p) => !p.eval(params, reach),
            Prop::And(ps) => ps.iter().all(|p| p.eval(params, reach)),
            Prop::Or(ps) => ps.iter().any(|p| p.eval(params, reach)),
            Prop::Iff(a, b) => a.eval(params, reach) == b.eval(params, reach),
        }
    }
}
