//! Human output in the style of `cargo test`: a line per claim with its verdict, the
//! scenario and paths under each refutation or witness, and a summary line.

use std::fmt::Write;

use owo_colors::OwoColorize;

use crate::model::Mode;
use crate::render::story;
use crate::verdict::{ClaimOutcome, Verdict};
use crate::verify::{Tally, Verified};

pub struct Style {
    pub color: bool,
    /// Also tell each path as plain-English sentences.
    pub story: bool,
}

impl Style {
    fn verdict(&self, o: &ClaimOutcome) -> String {
        self.word(&o.verdict, o.vacuous.is_some())
    }

    /// A verdict's word, coloured on a terminal.
    fn word(&self, verdict: &Verdict, vacuous: bool) -> String {
        let word = match (verdict, vacuous) {
            (Verdict::Proved, true) => "proved (vacuously)",
            (v, _) => v.word(),
        };
        if !self.color {
            return word.to_owned();
        }
        match (verdict, vacuous) {
            (Verdict::Proved, false) => word.green().to_string(),
            (Verdict::Proved, true) | (Verdict::Unknown(_), _) => word.yellow().to_string(),
            (Verdict::Contested, _) => word.magenta().to_string(),
            (Verdict::Refuted, _) => word.red().to_string(),
        }
    }

    fn dim(&self, text: &str) -> String {
        if self.color {
            text.dimmed().to_string()
        } else {
            text.to_owned()
        }
    }
}

/// The kind with no agencies that a claim's outer `forall` ranges over, if there is one:
/// the claim is then vacuous for that reason rather than because of its antecedent.
fn empty_kind<'m>(model: &'m crate::model::Model, claim: &crate::model::Claim) -> Option<&'m str> {
    let mut f = &claim.formula;
    while let crate::model::FormulaKind::Forall(vars, body) = &f.kind {
        for v in vars {
            let kind = claim.info.var(*v).kind;
            if model.agencies_of(kind).next().is_none() {
                return Some(model.kind(kind).name.as_str());
            }
        }
        f = body;
    }
    None
}

/// Who made a claim's statement and when: "said by ICE, 2011-04-15".
pub fn statement(claim: &crate::model::Claim) -> Option<String> {
    match (&claim.by, &claim.said) {
        (Some(by), Some(d)) => Some(format!("said by {by}, {d}")),
        (Some(by), None) => Some(format!("said by {by}")),
        (None, Some(d)) => Some(format!("said {d}")),
        (None, None) => None,
    }
}

/// The claims part of one file's report (diagnostics are rendered separately).
pub fn file(r: &Verified, style: &Style) -> String {
    let mut out = String::new();
    let Some(model) = r.model() else {
        return out;
    };
    let heading = match &model.policy {
        Some(p) => {
            let mut h = p.name.clone();
            if let Some(v) = &p.version {
                let _ = write!(h, ", version {v}");
            }
            if let Some(d) = p.date {
                let _ = write!(h, ", {d}");
            }
            h
        }
        None => "no policy header".to_owned(),
    };
    let _ = writeln!(
        out,
        "\nverifying {} ({heading}): {} claim{}",
        r.checked.path.display(),
        r.outcomes.len(),
        if r.outcomes.len() == 1 { "" } else { "s" }
    );
    if !model.readings.is_empty() && !r.outcomes.is_empty() {
        readings_text(&mut out, model, style);
    }
    for o in &r.outcomes {
        let claim = &model.claims[o.claim];
        let _ = writeln!(out, "claim {} ... {}", claim.name, style.verdict(o));
        if let Some(title) = &claim.title {
            let _ = writeln!(out, "    {}", style.dim(&format!("\"{title}\"")));
        }
        if let Some(said) = statement(claim) {
            let _ = writeln!(out, "    {}", style.dim(&said));
        }
        if let Some(note) = &claim.info.note {
            let _ = writeln!(out, "    {}", style.dim(&format!("note: {note}")));
        }
        let names = claim.info.cites_shown(model);
        if !names.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                style.dim(&format!("cites {}", names.join(", ")))
            );
        }
        if o.readings.is_empty() {
            details(
                &mut out,
                r,
                o.claim,
                &o.verdict,
                o.vacuous.as_ref(),
                o.witness.as_ref(),
                style,
            );
        }
        for ro in &o.readings {
            let reading = &model.readings[ro.reading];
            let label = reading
                .label
                .as_ref()
                .map(|l| format!(" ({})", style.dim(&format!("\"{l}\""))))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    in reading {}{label}: {}",
                reading.name,
                style.word(&ro.verdict, ro.vacuous.is_some())
            );
            let mut nested = String::new();
            details(
                &mut nested,
                r,
                o.claim,
                &ro.verdict,
                ro.vacuous.as_ref(),
                ro.witness.as_ref(),
                style,
            );
            if let Some(because) = r.because.get(&(o.claim, Some(ro.reading))) {
                because_text(&mut nested, r, because, o.claim, style);
            }
            for line in nested.lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
        if let Some(because) = r.because.get(&(o.claim, None)) {
            because_text(&mut out, r, because, o.claim, style);
        }
    }
    out
}

/// The readings each claim is decided in, once per file, each with its label, note
/// and citations.
fn readings_text(out: &mut String, model: &crate::model::Model, style: &Style) {
    let _ = writeln!(out, "each claim is decided in each reading:");
    for reading in &model.readings {
        let label = reading
            .label
            .as_ref()
            .map(|l| format!(" ({})", style.dim(&format!("\"{l}\""))))
            .unwrap_or_default();
        let _ = writeln!(out, "  reading {}{label}", reading.name);
        if let Some(note) = &reading.note {
            let _ = writeln!(out, "    {}", style.dim(&format!("note: {note}")));
        }
        let cites = reading.info.cites_shown(model);
        if !cites.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                style.dim(&format!("cites {}", cites.join(", ")))
            );
        }
    }
}

/// Under a verdict: why an unknown is not one, why a proof is vacuous, a refuted
/// `possible`, and the witness, each line indented by four spaces.
fn details(
    out: &mut String,
    r: &Verified,
    index: usize,
    verdict: &Verdict,
    vacuous: Option<&crate::verdict::Vacuity>,
    witness: Option<&crate::verdict::Witness>,
    style: &Style,
) {
    let Some(model) = r.model() else {
        return;
    };
    let claim = &model.claims[index];
    let sources = &r.checked.sources;
    match (verdict, claim.mode) {
        (Verdict::Unknown(why), _) => {
            let _ = writeln!(out, "    the solver gave up: {why}; this is not a verdict");
        }
        (Verdict::Proved, Mode::Always) => {
            if let Some(kind) = vacuous.and_then(|_| empty_kind(model, claim)) {
                let _ = writeln!(
                    out,
                    "    it holds only because there is no agency of kind `{kind}`: the claim says nothing"
                );
            } else if let Some(v) = vacuous {
                let text = sources
                    .get(v.antecedent.file)
                    .and_then(|f| f.text.get(v.antecedent.range()))
                    .unwrap_or("?");
                let _ = writeln!(
                    out,
                    "    it holds only because `{text}` is false in every scenario the assumptions allow ({}:{}): the claim says nothing",
                    sources.path(v.antecedent.file).display(),
                    sources.line(v.antecedent)
                );
            }
        }
        (Verdict::Refuted, Mode::Possible) => {
            let _ = writeln!(out, "    no scenario the assumptions allow satisfies it");
        }
        _ => {}
    }
    if let Some(w) = witness {
        let label = if claim.mode == Mode::Always {
            "counterexample"
        } else {
            "witness"
        };
        witness_text(out, r, index, w, label, style);
    }
}

/// A witness: the instance of the claim it shows, its scenario (the params it needs,
/// and how the rest are set) and each path.
fn witness_text(
    out: &mut String,
    r: &Verified,
    claim: usize,
    w: &crate::verdict::Witness,
    label: &str,
    style: &Style,
) {
    let Some(model) = r.model() else {
        return;
    };
    let sources = &r.checked.sources;
    let sep = crate::render::param_separator(model);
    let scenario = crate::render::scenario(r, w, sep, |s| s);
    let label = match crate::render::instance(model, claim, w) {
        None => label.to_owned(),
        Some(at) if label == "counterexample" => format!("counterexample, failing for {at}"),
        Some(at) if label == "witness" => format!("witness, holding for {at}"),
        Some(at) => format!("{label} for {at}"),
    };
    let _ = writeln!(out, "    {label}: {scenario}");
    for (k, path) in w.paths.iter().enumerate() {
        let steps = path.shown(model, sources, r.params());
        let data = model.data_shown(path.data);
        let origin = model.agency_shown(path.origin);
        let at = model.agency_shown(path.at);
        if steps.is_empty() {
            let _ = writeln!(out, "    {data} of {origin} is collected at {at}");
            continue;
        }
        let _ = writeln!(out, "    {data} of {origin} reaches {at}:");
        if style.story {
            for sentence in story(model, sources, path) {
                let _ = writeln!(out, "      {sentence}");
            }
        }
        // name the data on each hop when a derive changes it along the way
        let several = steps.iter().any(|s| s.data != steps[0].data);
        hops_lines(out, &steps, several, style);
        let extra = w.routes.get(k).map_or(&[][..], |r| r.as_slice());
        let others: Vec<&crate::verdict::Path> =
            extra.iter().filter(|r| r.steps != path.steps).collect();
        for (j, route) in others.iter().enumerate() {
            let _ = writeln!(
                out,
                "    another route ({} of {}):",
                j + 2,
                others.len() + 1
            );
            hops_lines(out, &route.shown(model, sources, r.params()), true, style);
        }
    }
}

/// The narrowest and the widest column the hops of a path are written in, before
/// where each one's rule is written.
const HOP_COLUMN: (usize, usize) = (40, 64);

/// The hops of one path (naming the data on each when `several` data move along it),
/// their places aligned in one column as wide as the longest hop that fits.
fn hops_lines(out: &mut String, steps: &[crate::verdict::ShownStep], several: bool, style: &Style) {
    let hops: Vec<String> = steps.iter().map(|s| hop_text(s, several)).collect();
    let column = hops
        .iter()
        .map(|h| h.chars().count())
        .filter(|n| *n <= HOP_COLUMN.1)
        .fold(HOP_COLUMN.0, usize::max);
    for (s, hop) in steps.iter().zip(&hops) {
        hop_lines(out, s, hop, column, style);
    }
}

/// What a hop moves where: "A -> B", "d: A -> B", "m derived from d at B".
fn hop_text(s: &crate::verdict::ShownStep, several: bool) -> String {
    match s.derived_from_shown() {
        Some(from) => format!("{} derived from {from} at {}", s.data_shown(), s.to_shown()),
        None if several => format!("{}: {} -> {}", s.data_shown(), s.from_shown(), s.to_shown()),
        None => format!("{} -> {}", s.from_shown(), s.to_shown()),
    }
}

/// One hop of a path in a column `column` wide, then where its rule is written, what
/// it cites and for which words, and the rule's note on a line of its own.
fn hop_lines(
    out: &mut String,
    s: &crate::verdict::ShownStep,
    hop: &str,
    column: usize,
    style: &Style,
) {
    let cites = s.cites_shown();
    let cites = if cites.is_empty() {
        String::new()
    } else {
        format!(", cites {}", cites.join(", "))
    };
    let place = format!("{}:{}", s.file, s.line);
    let place = style.dim(&format!("{place}{cites}"));
    if hop.chars().count() <= column {
        let _ = writeln!(out, "      {hop:<column$} {place}");
    } else {
        // a hop too long for any column (long labels): its place goes on a line of its
        // own, so the places of the other hops stay aligned
        let _ = writeln!(out, "      {hop}");
        let _ = writeln!(out, "      {:<column$} {place}", "");
    }
    if let Some(condition) = condition_line(s) {
        let _ = writeln!(out, "        {}", style.dim(&condition));
    }
    if let Some(note) = &s.note {
        let _ = writeln!(out, "        {}", style.dim(&format!("note: {note}")));
    }
}

/// Why a hop was taken: its rule's `when` with the values that made it hold, and the
/// opt-outs that could have blocked it, with the values that kept them from it.
fn condition_line(s: &crate::verdict::ShownStep) -> Option<String> {
    let values = |list: &[crate::verdict::ShownValue]| {
        list.iter()
            .map(|v| format!("{} {}", v.param, if v.value { "true" } else { "false" }))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    match (&s.when, s.condition.is_empty()) {
        (Some(when), true) => parts.push(format!("when {when}")),
        (Some(when), false) => parts.push(format!("when {when}: {}", values(&s.condition))),
        (None, false) => parts.push(values(&s.condition)),
        (None, true) => {}
    }
    if !s.not_blocked.is_empty() {
        parts.push(format!("not blocked: {}", values(&s.not_blocked)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// One rule: what it is, where, what it cites (and for which words), the whole rule as
/// written (white space evened out, so a `when` on a later line is not cut), and its
/// note.
fn rule_line(
    r: &Verified,
    rule: crate::explain::Rule,
    reading: Option<usize>,
    style: &Style,
) -> String {
    let Some(model) = r.model() else {
        return String::new();
    };
    let sources = &r.checked.sources;
    let info = rule.info_in(model, reading);
    let written = sources
        .get(info.span.file)
        .and_then(|f| f.text.get(info.span.range()))
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let cites = info.cites_shown(model);
    let cites = if cites.is_empty() {
        String::new()
    } else {
        format!(", cites {}", cites.join(", "))
    };
    // the note, unless the rule as written already shows it
    let note = info
        .note
        .as_ref()
        .filter(|n| !written.contains(&format!("note \"{n}\"")))
        .map(|n| format!(" ({})", style.dim(&format!("note: {n}"))))
        .unwrap_or_default();
    format!(
        "{} at {}:{}{cites}: {}{note}",
        rule.kind(),
        sources.path(info.span.file).display(),
        sources.line(info.span),
        style.dim(&written)
    )
}

fn rule_place(r: &Verified, rule: crate::explain::Rule, reading: Option<usize>) -> String {
    let Some(model) = r.model() else {
        return String::new();
    };
    let info = rule.info_in(model, reading);
    format!(
        "{} ({}:{})",
        rule.kind(),
        r.checked.sources.path(info.span.file).display(),
        r.checked.sources.line(info.span)
    )
}

/// Under a counterfactual: the hops of its paths that the dropped rule stops where it
/// stands (the flows a proof rests on being blocked, and by what).
fn stopped_lines(
    out: &mut String,
    r: &Verified,
    rule: crate::explain::Rule,
    w: &crate::verdict::Witness,
    style: &Style,
) {
    let (Some(model), Some(grounded)) = (r.model(), r.grounded.as_ref()) else {
        return;
    };
    let what = match rule {
        crate::explain::Rule::Optout(_) => "this opt-out blocks",
        crate::explain::Rule::FlowCondition(_) | crate::explain::Rule::DeriveCondition(_) => {
            "its condition is what lets through"
        }
        _ => return,
    };
    let mut hops = Vec::new();
    for path in &w.paths {
        for k in crate::explain::stopped_hops(grounded, rule, path) {
            let s = &path.steps[k];
            let hop = match s.derived_from {
                Some(d) => format!(
                    "{} derived from {} at {}",
                    model.data_shown(s.data),
                    model.data_shown(d),
                    model.agency_shown(s.to)
                ),
                None => format!(
                    "{}: {} -> {}",
                    model.data_shown(s.data),
                    model.agency_shown(s.from),
                    model.agency_shown(s.to)
                ),
            };
            if !hops.contains(&hop) {
                hops.push(hop);
            }
        }
    }
    if !hops.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            style.dim(&format!("where it stands, {what} {}", hops.join("; ")))
        );
    }
}

/// Why a claim holds: the rules that settle it, what happens without each, and what
/// would undo it.
fn because_text(
    out: &mut String,
    r: &Verified,
    because: &crate::explain::Because,
    index: usize,
    style: &Style,
) {
    use crate::explain::Context;
    let mode = r.model().map_or(Mode::Always, |m| m.claims[index].mode);
    let (holds, fails) = if mode == Mode::Always {
        ("holds", "fails")
    } else {
        ("fails", "holds")
    };
    if because.core.is_empty() {
        let _ = writeln!(
            out,
            "    why: it {holds} by the flows alone; no condition, opt-out or assumption is needed"
        );
        return;
    }
    let n = because.core.len();
    let these = if n == 1 {
        "this rule, which alone settles it".to_owned()
    } else {
        format!("these {n} rules, which together settle it whatever the other rules say")
    };
    let _ = writeln!(out, "    why: it {holds} because of {these}:");
    for (k, c) in because.counterfactuals.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {}. {}",
            k + 1,
            rule_line(r, c.rule, because.reading, style)
        );
        let context = match &c.context {
            Context::AsWritten => "without it".to_owned(),
            Context::CoreOnly if n == 1 => {
                "without it, and without every other condition, opt-out and assumption".to_owned()
            }
            Context::CoreOnly => "without it, keeping only the other rules listed here".to_owned(),
            Context::AlsoDropped(more) => format!(
                "without it and without {}",
                more.iter()
                    .map(|x| rule_place(r, *x, because.reading))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        match c.outcome.witness.as_ref() {
            Some(w) => {
                witness_text(out, r, index, w, &format!("{context}, it {fails}"), style);
                stopped_lines(out, r, c.rule, w, style);
            }
            None => {
                let _ = writeln!(out, "    {context}, it {fails}");
            }
        }
    }
    if !because.rules.is_empty() {
        let removing = |set: &[crate::explain::Rule]| {
            let places: Vec<String> = set
                .iter()
                .map(|x| rule_place(r, *x, because.reading))
                .collect();
            if places.len() == 1 {
                places[0].clone()
            } else {
                format!("all of {}", places.join(", "))
            }
        };
        let mut line = format!("    what undoes it: removing {}", removing(&because.rules));
        for set in &because.also {
            let _ = write!(line, "; or removing {}", removing(set));
        }
        let _ = writeln!(out, "{line}");
    }
}

/// The closing line.
pub fn summary(reports: &[Verified], style: &Style) -> String {
    let t = Tally::of(reports);
    let status = match t.exit_code() {
        0 => "every claim proved",
        1 if t.refuted == 0 && t.contested > 0 => "some claims contested",
        // an overall unknown whose decided readings refute it
        1 if t.refuted == 0 => "some claims refuted in a reading",
        1 => "some claims refuted",
        3 => "some claims undecided",
        _ => "errors, no verdicts trusted",
    };
    let status = if !style.color {
        status.to_owned()
    } else if t.exit_code() == 0 {
        status.green().to_string()
    } else if t.exit_code() == 3 {
        status.yellow().to_string()
    } else {
        status.red().to_string()
    };
    let vacuous = reports
        .iter()
        .flat_map(|r| &r.outcomes)
        .filter(|o| o.vacuous.is_some())
        .count();
    let proved = if vacuous > 0 {
        format!("{} proved ({vacuous} only vacuously)", t.proved)
    } else {
        format!("{} proved", t.proved)
    };
    let mut line = format!(
        "\nverify result: {status}. {proved}; {} refuted; {} unknown",
        t.refuted, t.unknown
    );
    if t.contested > 0 {
        let _ = write!(line, "; {} contested", t.contested);
    }
    if let Some(s) = t.quotations.sentence() {
        let _ = write!(line, "; {s}");
    }
    if t.files_with_errors > 0 {
        let _ = write!(
            line,
            "; {} file{} with errors (no verdicts given for {})",
            t.files_with_errors,
            if t.files_with_errors == 1 { "" } else { "s" },
            if t.files_with_errors == 1 {
                "it"
            } else {
                "them"
            }
        );
    }
    line.push('\n');
    line
}
