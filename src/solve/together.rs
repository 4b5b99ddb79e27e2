//! Which statements can hold together, component by component: the fast path of
//! `contradictions`.
//!
//! Each claim is decided first. A proved `always` claim holds in every admissible
//! scenario, so it is in no minimal conflicting set (a set that conflicts with it
//! conflicts without it); a refuted `possible` claim holds in none, so it conflicts on
//! its own and is in no other minimal set. The rest are searched with MARCO (see
//! [`marco`]), asking whether a set of claims can hold in one scenario:
//!
//! - each claim's formula is a conjunction of *units* (the parts of an `always` claim,
//!   see [`split`]; a `possible` claim's formula is one unit, a disjunction);
//! - units whose cones share no param are independent (the assumptions outside a cone
//!   share none either, and hold together with it; a param a unit assumption fixes is
//!   the same in every admissible scenario, and joins nothing), so the conjunction of
//!   the narrow units is satisfiable iff each connected component of them is, one
//!   question each;
//! - one disjunction among them is satisfiable with the rest iff one of its members is:
//!   a question per member, over that member and the components it touches. With two
//!   or more, the set is asked as one question.
//!
//! Questions the same up to renaming are answered once, as in verification.
//!
//! [`split`]: super::split
//! [`marco`]: super::core::marco

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Options;
use super::core::marco;
use super::split::{Splitter, parts};
use crate::ground::{Grounded, Prop};
use crate::model::Mode;
use crate::verdict::{EngineError, Verdict};

/// A conjunct of a claim's formula, with the params of its cone (none listed for a
/// disjunction asked member by member).
struct Unit {
    prop: Prop,
    params: Vec<usize>,
    /// For a disjunction asked member by member: each member with its cone's params.
    members: Vec<(Prop, Vec<usize>)>,
}

/// Every minimal set of `claims` that no admissible scenario satisfies together (as
/// [`super::core::contradictions_whole`]); `Ok(None)` when the assumptions cannot be
/// decided on their own or a claim cannot be decided (the whole-model search then
/// answers).
pub(super) fn contradictions(
    grounded: &mut Grounded,
    claims: &[usize],
    options: &Options,
) -> Result<Option<Vec<Vec<usize>>>, EngineError> {
    let model = grounded.model.clone();
    let verify = Options {
        claims: claims
            .iter()
            .map(|c| model.claims[*c].name.clone())
            .collect(),
        progress: None,
        ..options.clone()
    };
    let outcomes = super::verify(grounded, &verify)?;
    let Some(base) = super::base_scenario(grounded, options)? else {
        return Ok(None);
    };
    let mut alone = Vec::new();
    let mut open = Vec::new();
    for o in &outcomes {
        match (&o.verdict, model.claims[o.claim].mode) {
            (Verdict::Proved, Mode::Always) => {}
            (Verdict::Refuted, Mode::Possible) => alone.push(vec![o.claim]),
            (Verdict::Unknown(_), _) => return Ok(None),
            _ => open.push(o.claim),
        }
    }
    let mut splitter = Splitter::new(grounded, base, options);
    let mut units: Vec<Vec<Unit>> = Vec::new();
    for c in &open {
        let claim = grounded_claim(&mut splitter, *c);
        units.push(claim);
    }
    let mut known: HashMap<Vec<usize>, bool> = HashMap::default();
    let found = marco(open.len(), |set| {
        let mut key = set.to_vec();
        key.sort_unstable();
        if let Some(answer) = known.get(&key) {
            return Ok(*answer);
        }
        let chosen: Vec<&Unit> = key.iter().flat_map(|i| units[*i].iter()).collect();
        let answer = together(&mut splitter, &chosen)
            .map_err(|why| EngineError::Internal(format!("the solver gave up: {why}")))?;
        known.insert(key, answer);
        Ok(answer)
    })?;
    let mut found: Vec<Vec<usize>> = found
        .into_iter()
        .map(|set| {
            let mut set: Vec<usize> = set.into_iter().map(|i| open[i]).collect();
            set.sort_unstable();
            set
        })
        .chain(alone)
        .collect();
    found.sort();
    Ok(Some(found))
}

/// Claim `c`'s formula as units.
fn grounded_claim(splitter: &mut Splitter<'_>, c: usize) -> Vec<Unit> {
    let claim = splitter.grounded().claim(c);
    let wide = match (&claim.prop, claim.mode) {
        (Prop::Or(members), Mode::Possible) => Some(members.clone()),
        _ => None,
    };
    if let Some(members) = wide {
        let members = members
            .into_iter()
            .map(|m| {
                let ps = splitter.cone_params(&m);
                let ps = free(splitter, ps);
                (m, ps)
            })
            .collect();
        return vec![Unit {
            prop: claim.prop,
            params: Vec::new(),
            members,
        }];
    }
    parts(&claim.prop, true)
        .into_iter()
        .map(|prop| {
            let params = splitter.cone_params(&prop);
            Unit {
                params: free(splitter, params),
                prop,
                members: Vec::new(),
            }
        })
        .collect()
}

/// The params of a cone that an assumption does not fix: a fixed one has its value in
/// every admissible scenario, and joins nothing.
fn free(splitter: &Splitter<'_>, set: HashSet<usize>) -> Vec<usize> {
    let mut v: Vec<usize> = set.into_iter().filter(|p| !splitter.fixes(*p)).collect();
    v.sort_unstable();
    v
}

/// Can these units all hold in one admissible scenario? `Err`: why the solver gave up.
fn together(splitter: &mut Splitter<'_>, units: &[&Unit]) -> Result<bool, String> {
    let (wide, narrow): (Vec<&Unit>, Vec<&Unit>) =
        units.iter().partition(|u| !u.members.is_empty());
    if wide.len() > 1 {
        let all = Prop::and(units.iter().map(|u| u.prop.clone()));
        return splitter.satisfiable(&all);
    }
    // the narrow units' components: units sharing a param are joined
    let mut parent: Vec<usize> = (0..narrow.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<usize, usize> = HashMap::default();
    for (i, u) in narrow.iter().enumerate() {
        for p in &u.params {
            match owner.get(p) {
                Some(j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, *j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(*p, i);
                }
            }
        }
    }
    let mut components: HashMap<usize, Vec<usize>> = HashMap::default();
    for i in 0..narrow.len() {
        let r = root(&mut parent, i);
        components.entry(r).or_default().push(i);
    }
    let mut roots: Vec<usize> = components.keys().copied().collect();
    roots.sort_unstable();
    for r in &roots {
        let goal = Prop::and(components[r].iter().map(|i| narrow[*i].prop.clone()));
        if !splitter.satisfiable(&goal)? {
            return Ok(false);
        }
    }
    let Some(wide) = wide.first() else {
        return Ok(true);
    };
    // one disjunction: some member holds together with the components it touches
    for (member, params) in &wide.members {
        let mut touched: Vec<usize> = params
            .iter()
            .filter_map(|p| owner.get(p).copied())
            .map(|i| root(&mut parent, i))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let goal = Prop::and(
            std::iter::once(member.clone()).chain(
                touched
                    .iter()
                    .flat_map(|r| components[r].iter().map(|i| narrow[*i].prop.clone())),
            ),
        );
        if splitter.satisfiable(&goal)? {
            return Ok(true);
        }
    }
    Ok(false)
}
