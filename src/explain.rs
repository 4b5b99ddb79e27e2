//! Why a claim holds: a minimal set of rules (flow, collect and derive conditions,
//! opt-outs, assumptions) that together make a proved `always` claim hold (or a refuted
//! `possible` claim fail), and the counterexample once they are removed.
//!
//! Rules are *relaxed* at the level of the model (a condition becomes `true`, an opt-out
//! blocks nothing, an assumption is dropped) and the claim is decided again by the same
//! engine. The set is found by shrinking from "everything relaxed", and then checked:
//! removing the whole set must change the verdict, and removing all but any one of its
//! rules must not. When that check fails (relaxing is not monotone for every claim), the
//! answer says so instead of claiming minimality.

use crate::model::{Model, RuleInfo};
use crate::solve::verdict::{ClaimOutcome, Verdict, VerifyError};
use crate::solve::{self, Options};

/// A rule that can be relaxed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    Assume(usize),
    FlowCondition(usize),
    CollectCondition(usize),
    DeriveCondition(usize),
    Optout(usize),
}

impl Rule {
    pub fn info(self, model: &Model) -> &RuleInfo {
        match self {
            Rule::Assume(i) => &model.assumes[i].info,
            Rule::FlowCondition(i) => &model.flows[i].info,
            Rule::CollectCondition(i) => &model.collects[i].info,
            Rule::DeriveCondition(i) => &model.derives[i].info,
            Rule::Optout(i) => &model.optouts[i].info,
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Rule::Assume(_) => "assumption",
            Rule::FlowCondition(_) => "condition of a flow",
            Rule::CollectCondition(_) => "condition of a collect",
            Rule::DeriveCondition(_) => "condition of a derive",
            Rule::Optout(_) => "opt-out",
        }
    }
}

/// The explanation of one claim's verdict.
#[derive(Clone, Debug)]
pub struct Because {
    /// The rules that together settle the verdict (empty: the flows alone do).
    pub rules: Vec<Rule>,
    /// Whether dropping any one rule from `rules` was checked to undo the explanation.
    pub minimal: bool,
    /// The claim's outcome once every rule of `rules` is relaxed (with its scenario).
    pub without: Option<ClaimOutcome>,
}

/// Every rule that restricts something.
pub fn candidates(model: &Model) -> Vec<Rule> {
    let mut out: Vec<Rule> = (0..model.assumes.len()).map(Rule::Assume).collect();
    out.extend(
        (0..model.flows.len())
            .filter(|i| model.flows[*i].guard.is_some())
            .map(Rule::FlowCondition),
    );
    out.extend(
        (0..model.collects.len())
            .filter(|i| model.collects[*i].guard.is_some())
            .map(Rule::CollectCondition),
    );
    out.extend(
        (0..model.derives.len())
            .filter(|i| model.derives[*i].guard.is_some())
            .map(Rule::DeriveCondition),
    );
    out.extend(
        (0..model.optouts.len())
            .filter(|i| !model.optouts[*i].blocks.is_empty())
            .map(Rule::Optout),
    );
    out
}

/// The model with these rules relaxed.
pub fn relax(model: &Model, rules: &[Rule]) -> Model {
    let mut m = model.clone();
    let mut dropped = Vec::new();
    for r in rules {
        match *r {
            Rule::Assume(i) => dropped.push(i),
            Rule::FlowCondition(i) => m.flows[i].guard = None,
            Rule::CollectCondition(i) => m.collects[i].guard = None,
            Rule::DeriveCondition(i) => m.derives[i].guard = None,
            Rule::Optout(i) => m.optouts[i].blocks.clear(),
        }
    }
    dropped.sort_unstable();
    for i in dropped.into_iter().rev() {
        m.assumes.remove(i);
    }
    m
}

fn decide(model: &Model, claim: usize, options: &Options) -> Result<ClaimOutcome, VerifyError> {
    let options = Options {
        claims: vec![model.claims[claim].name.clone()],
        ..options.clone()
    };
    let mut outcomes = solve::verify(model, &options)?;
    outcomes
        .pop()
        .ok_or_else(|| VerifyError::Internal("the claim was not decided".to_owned()))
}

/// Explains a proved `always` claim or a refuted `possible` claim; `Ok(None)` for the
/// other verdicts (their witness is the explanation).
pub fn because(
    model: &Model,
    claim: usize,
    options: &Options,
) -> Result<Option<Because>, VerifyError> {
    let original = decide(model, claim, options)?;
    let settled_verdict = original.verdict.clone();
    let is_witnessless =
        original.witness.is_none() && matches!(settled_verdict, Verdict::Proved | Verdict::Refuted);
    if !is_witnessless {
        return Ok(None);
    }
    let settled = |m: &Model| -> Result<(bool, ClaimOutcome), VerifyError> {
        let o = decide(m, claim, options)?;
        if let Verdict::Unknown(why) = &o.verdict {
            return Err(VerifyError::Internal(format!(
                "the solver gave up while explaining: {why}"
            )));
        }
        Ok((o.verdict == settled_verdict, o))
    };
    let all = candidates(model);
    let (still, _) = settled(&relax(model, &all))?;
    if still {
        return Ok(Some(Because {
            rules: Vec::new(),
            minimal: true,
            without: None,
        }));
    }
    // shrink: keep a rule enforced whenever the verdict still changes without it
    let mut relaxed = all.clone();
    for r in &all {
        let fewer: Vec<Rule> = relaxed.iter().copied().filter(|x| x != r).collect();
        if !settled(&relax(model, &fewer))?.0 {
            relaxed = fewer;
        }
    }
    let (_, without_set) = settled(&relax(model, &relaxed))?;
    let mut minimal = true;
    for r in &relaxed {
        let fewer: Vec<Rule> = relaxed.iter().copied().filter(|x| x != r).collect();
        if !settled(&relax(model, &fewer))?.0 {
            minimal = false;
        }
    }
    Ok(Some(Because {
        rules: relaxed,
        minimal,
        without: Some(without_set),
    }))
}
