//! Two versions of a random policy that share their declarations: a random model (with
//! extra constructs) and a mutated copy of its rules, or the rules of another random
//! model altogether. Mutations change, add and remove assumptions, flows, collects,
//! conditions and opt-out clauses, negate an assumption, make the antecedent of a claim
//! impossible, and close cycles. The parts are kept apart so that a test can lay them
//! out in one file per version, or with the declarations in a file both import, or with
//! the claims in a third file. Deterministic for a seed.

use std::fmt::Write;

use flowproof::model::{KindId, Model};

use super::random_extra::{Draw, Scope};

/// The parts of a pair of versions.
pub struct Pair {
    /// `policy ...;`
    pub header: String,
    /// Kinds, agencies, data and params, shared by both versions.
    pub declarations: String,
    /// Opt-outs, collects, flows, derives, assumptions and readings of each version.
    pub old: String,
    pub new: String,
    /// The claims, the same in both versions.
    pub claims: String,
    /// What was done to the old rules, in order.
    pub mutations: Vec<&'static str>,
    /// When the only change is an assumption replaced by its negation: its formula.
    pub negated: Option<String>,
}

impl Pair {
    /// One version as a single file.
    pub fn inline(&self, new: bool) -> String {
        let rules = if new { &self.new } else { &self.old };
        format!("{}{}{rules}{}", self.header, self.declarations, self.claims)
    }
}

/// The statements of a generated text: one per line, continuation lines indented.
pub fn statements(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if line.starts_with(' ') => {
                last.push_str(line);
                last.push('\n');
            }
            _ => out.push(format!("{line}\n")),
        }
    }
    out
}

fn word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// Where a rule's ` when ` condition starts (outside an opt-out's clauses), if any.
fn guard_at(s: &str) -> Option<usize> {
    let head = s.split("\n  blocks").next().unwrap_or(s);
    head.find(" when ")
}

/// The rule with its condition replaced (`None`: removed).
fn with_guard(s: &str, guard: Option<&str>) -> String {
    let body = s.trim_end().trim_end_matches(';');
    let (head, tail) = match body.find("\n  blocks") {
        Some(i) => body.split_at(i),
        None => (body, ""),
    };
    let head = match guard_at(head) {
        Some(i) => &head[..i],
        None => head,
    };
    match guard {
        Some(g) => format!("{head} when {g}{tail};\n"),
        None => format!("{head}{tail};\n"),
    }
}

/// The condition of a rule, if it has one (an opt-out's own, not its clauses').
fn guard_of(s: &str) -> Option<String> {
    let body = s.trim_end().trim_end_matches(';');
    let head = body.split("\n  blocks").next().unwrap_or(body);
    guard_at(head).map(|i| head[i + 6..].to_owned())
}

/// The part of `s` after `prefix` up to the parenthesis closing the one `s` opens
/// right there: `(A) => (B)` → `A`.
fn parenthesised(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((&s[1..i], &s[i + 1..]));
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// For a claim `always forall v: k. (A) => (B)`: an assumption that `A` never holds.
fn impossible_antecedent(claim: &str) -> Option<String> {
    let rest = claim.split_once(": always forall ")?.1;
    let (binder, body) = rest.split_once(". ")?;
    let (a, _) = parenthesised(body)?;
    Some(format!("assume forall {binder}. !({a});\n"))
}

struct Mutator<'m> {
    d: Draw<'m>,
    rules: Vec<String>,
}

impl Mutator<'_> {
    fn pick(&mut self, words: &[&str]) -> Option<usize> {
        let found: Vec<usize> = (0..self.rules.len())
            .filter(|i| words.contains(&word(&self.rules[*i])))
            .collect();
        (!found.is_empty()).then(|| *self.d.rng.pick(&found))
    }

    fn kind_of_v(&self, optout: &str) -> Option<KindId> {
        let name = optout.split_once("(v: ")?.1.split(')').next()?;
        self.d
            .model
            .kinds
            .iter()
            .position(|k| k.name == name)
            .map(KindId::from_index)
    }

    /// Applies one mutation; its name, or `None` when it did not apply.
    fn mutate(&mut self, claims: &[String]) -> Option<&'static str> {
        let none = Scope::new();
        match self.d.rng.below(13) {
            0 | 1 => {
                let i = self.pick(&["flow", "collect", "derive", "assume"])?;
                self.rules.remove(i);
                Some("rule removed")
            }
            2 | 3 => {
                let i = self.pick(&["flow", "collect", "derive", "optout"])?;
                let rule = self.rules[i].clone();
                let atom = self.d.atom(&none, false, true);
                let new = match (guard_of(&rule), self.d.rng.below(3)) {
                    (None, _) => with_guard(&rule, Some(&atom)),
                    (Some(_), 0) => with_guard(&rule, None),
                    (Some(g), 1) => with_guard(&rule, Some(&format!("!({g})"))),
                    (Some(g), _) => with_guard(&rule, Some(&format!("({g}) && {atom}"))),
                };
                self.rules[i] = new;
                Some("condition changed")
            }
            4 => {
                let d = self.d.rng.below(self.d.model.data.len());
                let mut scope = Scope::new();
                let from = self.d.endpoint(&mut scope, true);
                let to = self.d.endpoint(&mut scope, true);
                let mut rule = format!("flow {}: {from} -> {to}", self.d.model.data[d].name);
                if self.d.rng.chance(40) {
                    let g = self.d.atom(&scope, false, true);
                    let _ = write!(rule, " when {g}");
                }
                self.rules.push(rule + ";\n");
                Some("flow added")
            }
            5 => {
                // a flow back along an existing one between two agencies, or, when no
                // flow names two agencies, a flow there and back: a cycle
                let agency = |s: &str| self.d.model.agencies.iter().any(|x| x.name == s);
                let between = |rule: &str| -> Option<(String, String, String)> {
                    let (data, ends) = rule.strip_prefix("flow ")?.split_once(": ")?;
                    let ends = ends.split(" when ").next()?.trim().trim_end_matches(';');
                    let (a, b) = ends.split_once(" -> ")?;
                    (agency(a) && agency(b) && a != b)
                        .then(|| (data.to_owned(), a.to_owned(), b.to_owned()))
                };
                let found: Vec<(String, String, String)> =
                    self.rules.iter().filter_map(|r| between(r)).collect();
                if let Some((data, a, b)) = found.first() {
                    self.rules.push(format!("flow {data}: {b} -> {a};\n"));
                } else {
                    let agencies = &self.d.model.agencies;
                    if agencies.len() < 2 {
                        return None;
                    }
                    let a = self.d.rng.below(agencies.len());
                    let b = (a + 1 + self.d.rng.below(agencies.len() - 1)) % agencies.len();
                    let data = &self.d.model.data[self.d.rng.below(self.d.model.data.len())].name;
                    let (a, b) = (&agencies[a].name, &agencies[b].name);
                    self.rules.push(format!("flow {data}: {a} -> {b};\n"));
                    self.rules.push(format!("flow {data}: {b} -> {a};\n"));
                }
                Some("cycle closed")
            }
            6 => {
                let d = self.d.rng.below(self.d.model.data.len());
                let mut scope = Scope::new();
                let at = self.d.endpoint(&mut scope, false);
                let name = &self.d.model.data[d].name;
                self.rules.push(format!("collect {name} at {at};\n"));
                Some("collect added")
            }
            7 => {
                let f = self.d.formula(&none, 2, true, false);
                self.rules.push(format!("assume {f};\n"));
                Some("assumption added")
            }
            8 => {
                let i = self.pick(&["assume"])?;
                self.rules[i] = negation(&self.rules[i])?;
                Some("assumption negated")
            }
            9 => {
                let claim = self.d.rng.pick(claims).clone();
                let a = impossible_antecedent(&claim).or_else(|| {
                    claim
                        .contains("always hyp =>")
                        .then(|| "assume !hyp;\n".to_owned())
                })?;
                self.rules.push(a);
                Some("antecedent made impossible")
            }
            10 => {
                let i = self.pick(&["optout"])?;
                let rule = self.rules[i].clone();
                let k = self.kind_of_v(&rule)?;
                let mut scope: Scope = vec![("v".to_owned(), k)];
                let data = self.d.rng.below(self.d.model.data.len());
                let from = if self.d.rng.chance(40) {
                    "v".to_owned()
                } else {
                    self.d.endpoint(&mut scope, true)
                };
                let to = self.d.endpoint(&mut scope, true);
                let mut clause = format!(
                    "\n  blocks {}: {from} -> {to}",
                    self.d.model.data[data].name
                );
                if self.d.rng.chance(40) {
                    let h = self.d.atom(&scope, false, true);
                    let _ = write!(clause, " when {h}");
                }
                let body = rule.trim_end().trim_end_matches(';');
                self.rules[i] = format!("{body}{clause};\n");
                Some("opt-out clause added")
            }
            11 => {
                let i = self.pick(&["optout"])?;
                let rule = self.rules[i].clone();
                let parts: Vec<&str> = rule.trim_end().split("\n  blocks").collect();
                if parts.len() < 3 {
                    return None;
                }
                let drop = 1 + self.d.rng.below(parts.len() - 1);
                let mut out = parts[0].to_owned();
                for (j, p) in parts.iter().enumerate().skip(1) {
                    if j != drop {
                        out.push_str("\n  blocks");
                        out.push_str(p.trim_end_matches(';'));
                    }
                }
                self.rules[i] = out + ";\n";
                Some("opt-out clause removed")
            }
            _ => {
                let i = self.pick(&["optout"])?;
                let rule = self.rules[i].clone();
                self.rules[i] = if rule.contains(" covers all") {
                    rule.replacen(" covers all", "", 1)
                } else {
                    let close = rule.find(')')?;
                    format!("{} covers all{}", &rule[..=close], &rule[close + 1..])
                };
                Some("covers changed")
            }
        }
    }
}

/// `assume F;` → `assume !(F);`
fn negation(rule: &str) -> Option<String> {
    let f = rule.strip_prefix("assume ")?.trim_end().strip_suffix(';')?;
    Some(format!("assume !({f});\n"))
}

/// A pair of versions of the random model `text` (its checked `model`): mutations of
/// its rules, or, now and then, the rules of another random model that fit the same
/// declarations (`other` draws such a model's text for a seed).
pub fn pair(
    model: &Model,
    text: &str,
    seed: u64,
    other: &dyn Fn(u64) -> Option<String>,
) -> Option<Pair> {
    let mut header = String::new();
    let mut declarations = String::new();
    let mut rules = Vec::new();
    let mut claims = Vec::new();
    for s in statements(text) {
        match word(&s) {
            "policy" => header.push_str(&s),
            "kind" | "agency" | "data" | "param" => declarations.push_str(&s),
            "claim" => claims.push(s),
            _ => rules.push(s),
        }
    }
    if claims.is_empty() {
        return None;
    }
    let mut m = Mutator {
        d: Draw::new(model, seed ^ 0xd1ff),
        rules: rules.clone(),
    };
    let mut mutations = Vec::new();
    let mut negated = None;
    let roll = m.d.rng.below(100);
    if roll < 10 {
        // only an assumption negated (one added first when there is none)
        let i = match m.pick(&["assume"]) {
            Some(i) => i,
            None => {
                let f = m.d.formula(&Scope::new(), 1, true, false);
                rules.push(format!("assume {f};\n"));
                m.rules = rules.clone();
                rules.len() - 1
            }
        };
        let f = rules[i]
            .strip_prefix("assume ")?
            .trim_end()
            .strip_suffix(';')?;
        negated = Some(f.to_owned());
        m.rules[i] = negation(&rules[i])?;
        mutations.push("assumption negated");
    } else if roll < 22 {
        // the rules of another random model, where they fit these declarations
        let found = (0..8u64).find_map(|k| {
            let t = other(seed.wrapping_mul(31).wrapping_add(k + 1))?;
            let theirs: String = statements(&t)
                .into_iter()
                .filter(|s| {
                    !matches!(
                        word(s),
                        "policy" | "kind" | "agency" | "data" | "param" | "claim"
                    )
                })
                .collect();
            let whole = format!("{header}{declarations}{theirs}{}", claims.concat());
            let checked = flowproof::check::check_text(std::path::Path::new("x.flow"), &whole);
            checked.model.is_some().then_some(theirs)
        });
        match found {
            Some(theirs) => {
                m.rules = statements(&theirs);
                mutations.push("rules replaced");
            }
            None => return None,
        }
    } else {
        for _ in 0..1 + m.d.rng.below(4) {
            for _ in 0..6 {
                if let Some(name) = m.mutate(&claims) {
                    mutations.push(name);
                    break;
                }
            }
        }
    }
    if mutations.is_empty() {
        return None;
    }
    // a mutation can leave a rule that does not check (a param applied out of its kind,
    // a clause after a note): such a pair is not drawn
    let new = format!(
        "{header}{declarations}{}{}",
        m.rules.concat(),
        claims.concat()
    );
    flowproof::check::check_text(std::path::Path::new("new.flow"), &new).model?;
    Some(Pair {
        header,
        declarations,
        old: rules.concat(),
        new: m.rules.concat(),
        claims: claims.concat(),
        mutations,
        negated,
    })
}
