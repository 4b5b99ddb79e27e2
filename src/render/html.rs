//! The report as one self-contained HTML page for people who will not run a
//! command: per policy version the claims and their verdicts, each witness told as a
//! story with its citations, the flow graph with the path drawn in, the sources, and
//! the timeline matrix when several dated versions of one policy are given.
//!
//! The page needs nothing from outside: no scripts at all (a Content-Security-Policy
//! forbids them), no fonts, no images other than the inline SVG. Every string from a
//! policy file is escaped, and only `http(s)` URLs become links.

use std::fmt::Write;

use crate::model::{Mode, Model};
use crate::render::diagnostic::{self, RenderOptions};
use crate::render::graph::{self as view, escape};
use crate::timeline::Timeline;
use crate::verdict::{ClaimOutcome, Verdict};
use crate::verify::Verified;

/// Marks a page as written by flowproof, so a later report may replace it.
pub const GENERATOR: &str = r#"<meta name="generator" content="flowproof">"#;

/// Only `http://` and `https://` URLs become links.
fn link(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        format!(
            r#"<a href="{}" rel="noopener noreferrer">{}</a>"#,
            escape(url.trim()),
            escape(url)
        )
    } else {
        format!("<code>{}</code>", escape(url))
    }
}

/// An id fragment from any text: letters, digits, `-` and `_` only.
fn anchor(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #111; background: #fff; overflow-wrap: break-word; }
pre { white-space: pre-wrap; }
h1, h2, h3, nav, table, .badge, .meta, figcaption { font-family: Helvetica, Arial, sans-serif; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .3rem; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .8rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.mark, th.mark { text-align: center; font-weight: bold; }
td.mark.proved, td.mark.refuted, td.mark.unknown { border-color: #bbb; }
.badge { display: inline-block; padding: 0 .45rem; border: 1px solid; border-radius: .3rem; font-size: .85rem; font-weight: bold; }
.proved { color: #1e6b34; border-color: #1e6b34; }
.refuted { color: #a61b1b; border-color: #a61b1b; }
.unknown { color: #7a5c00; border-color: #7a5c00; }
.contested { color: #6a2c91; border-color: #6a2c91; }
blockquote { margin: .5rem 0 .5rem 1rem; padding-left: .8rem; border-left: 3px solid #999; font-style: italic; }
blockquote.pinpoint { font-size: .9rem; }
p.note { font-size: .9rem; color: #333; }
section.reading { margin-left: 1rem; }
ol.story li { margin: .2rem 0; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #444; }
dl.sources dt { font-weight: bold; margin-top: .6rem; }
dl.sources dd { margin-left: 1rem; }
pre.diagnostic { white-space: pre-wrap; background: #fff6f6; border: 1px solid #d99; padding: .6rem; font-size: .85rem; }
nav ul { columns: 2; font-size: .9rem; list-style-position: inside; padding-left: 0; }
.scroll { overflow-x: auto; max-width: 100%; }
td, th { overflow-wrap: anywhere; }
th .date { white-space: nowrap; }
a.skip { position: absolute; left: -999rem; }
a.skip:focus { position: static; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; font-size: 1rem; }
  nav ul { columns: 1; }
  h1 { font-size: 1.35rem; }
}
code { font-size: .9em; word-break: break-all; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  nav { display: none; }
  section.version { break-before: page; }
  article.claim, figure, tr { break-inside: avoid; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
  a.skip { display: none; }
  .scroll { overflow: visible; }
  figure.whole { break-before: page; }
}
"#;

/// The whole page for these verified files (in the order given) and, when several
/// dated versions are among them, their timeline; the whole graphs laid out by
/// flowproof.
pub fn page(verified: &[Verified], timeline: Option<&Timeline>) -> String {
    page_with(verified, timeline, crate::render::svg::Layout::Own)
}

/// [`page`], with each version's whole graph laid out as asked.
pub fn page_with(
    verified: &[Verified],
    timeline: Option<&Timeline>,
    layout: crate::render::svg::Layout,
) -> String {
    let mut out = String::new();
    let title = match verified {
        [one] => one
            .checked
            .model
            .as_ref()
            .and_then(|m| m.policy.as_ref())
            .map_or_else(
                || one.checked.path.display().to_string(),
                ToString::to_string,
            ),
        _ => format!("{} policy files", verified.len()),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{GENERATOR}\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>flowproof report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<a class=\"skip\" href=\"#main\">Skip to the report</a>\n",
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<header><h1>flowproof report: {}</h1>\n<p class=\"meta\">Written by flowproof {}. \
Each claim below was proved or refuted from the policy's own rules. <b>Proved</b>: an \
<i>always</i> claim holds in every scenario the policy allows, a <i>possible</i> claim in at \
least one. <b>Refuted</b>: the opposite; for an <i>always</i> claim the scenario that breaks it \
is told step by step, each step citing the document it rests on. <b>Proved, vacuously</b>: the \
claim holds only because the situation it speaks of can never happen.</p></header>",
        escape(&title),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<nav><h2>Contents</h2><ul>");
    if timeline.is_some() {
        let _ = writeln!(out, "<li><a href=\"#timeline\">Timeline</a></li>");
    }
    for (k, v) in verified.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#v{k}\">{}</a></li>",
            escape(&version_title(v))
        );
    }
    let _ = writeln!(out, "</ul></nav>\n<main id=\"main\">");
    if let Some(t) = timeline {
        timeline_html(&mut out, t);
    }
    for (k, v) in verified.iter().enumerate() {
        version_html(&mut out, k, v, layout);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn version_title(v: &Verified) -> String {
    let policy = v.checked.model.as_ref().and_then(|m| m.policy.as_ref());
    match policy {
        Some(p) => {
            let date = p.date.map(|d| format!(", {d}")).unwrap_or_default();
            format!("{p}{date}")
        }
        None => v.checked.path.display().to_string(),
    }
}

fn timeline_html(out: &mut String, t: &Timeline) {
    let _ = writeln!(out, "<section id=\"timeline\"><h2>Timeline</h2>");
    let _ = writeln!(
        out,
        "<p>Each column is a version, oldest first; each cell the claim's verdict there \
(P proved, P* proved only vacuously, R refuted, ? unknown, &ndash; not stated).</p>"
    );
    let _ = writeln!(out, "<ol class=\"versions\">");
    for c in &t.columns {
        let label = c.version.clone().unwrap_or_else(|| c.name.clone());
        let _ = writeln!(
            out,
            "<li>{} <span class=\"meta\">({}, {})</span></li>",
            escape(&label),
            escape(&c.date),
            escape(&c.path)
        );
    }
    let _ = writeln!(out, "</ol>");
    let _ = write!(
        out,
        "<div class=\"scroll\"><table class=\"timeline\"><tr><th>claim</th>"
    );
    for (i, c) in t.columns.iter().enumerate() {
        let _ = write!(
            out,
            "<th class=\"mark\">[{}]<br><span class=\"meta date\">{}</span></th>",
            i + 1,
            escape(&c.date)
        );
    }
    let _ = writeln!(out, "</tr>");
    for row in &t.rows {
        let said = row
            .said
            .as_ref()
            .filter(|_| row.reading.is_none())
            .map(|d| format!(" <span class=\"meta\">(said {})</span>", escape(d)))
            .unwrap_or_default();
        let _ = write!(out, "<tr><td>{}{said}</td>", escape(&row.label()));
        for cell in &row.cells {
            let (mark, class) = match cell {
                Some(c) => (escape(&c.shown()), c.verdict),
                None => ("&ndash;".to_owned(), ""),
            };
            let _ = write!(out, "<td class=\"mark {class}\">{mark}</td>");
        }
        let _ = writeln!(out, "</tr>");
    }
    let _ = writeln!(out, "</table></div>");
    if t.rows.iter().any(|r| r.said.is_some()) {
        let _ = writeln!(
            out,
            "<p class=\"meta\">A mark in brackets, like [R], is the version in force on the day the statement was made: it says whether the statement was true when it was said.</p>"
        );
    }
    if !t.flips.is_empty() {
        let _ = writeln!(out, "<h3>What changed the verdicts</h3><ul>");
        for f in &t.flips {
            let _ = write!(
                out,
                "<li><b>{}</b>: {} in [{}] &rarr; {} in [{}]",
                escape(&match &f.reading {
                    Some(r) => format!("{}@{r}", f.claim),
                    None => f.claim.clone(),
                }),
                f.before.mark(),
                f.from + 1,
                f.after.mark(),
                f.to + 1
            );
            if !f.edits.is_empty() {
                let _ = write!(out, ", because of:<ul>");
                for e in &f.edits {
                    let at = e
                        .new
                        .first()
                        .or(e.old.first())
                        .map(|r| format!(" ({}:{})", r.file, r.line))
                        .unwrap_or_default();
                    let _ = write!(
                        out,
                        "<li>{} <code>{}</code>{}</li>",
                        escape(e.change),
                        escape(&e.slot),
                        escape(&at)
                    );
                }
                let _ = write!(out, "</ul>");
            }
            let _ = writeln!(out, "</li>");
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "</section>");
}

fn verdict_badge(o: &ClaimOutcome) -> String {
    badge(&o.verdict, o.vacuous.is_some())
}

fn badge(verdict: &Verdict, vacuous: bool) -> String {
    match (verdict, vacuous) {
        (Verdict::Proved, true) => {
            "<span class=\"badge proved\">proved, vacuously</span>".to_owned()
        }
        (Verdict::Proved, false) => "<span class=\"badge proved\">proved</span>".to_owned(),
        (Verdict::Refuted, _) => "<span class=\"badge refuted\">refuted</span>".to_owned(),
        (Verdict::Unknown(_), _) => "<span class=\"badge unknown\">unknown</span>".to_owned(),
        (Verdict::Contested, _) => "<span class=\"badge contested\">contested</span>".to_owned(),
    }
}

fn version_html(out: &mut String, k: usize, v: &Verified, layout: crate::render::svg::Layout) {
    let _ = writeln!(
        out,
        "<section class=\"version\" id=\"v{k}\"><h2>{}</h2>\n<p class=\"meta\">{}</p>",
        escape(&version_title(v)),
        escape(&v.checked.path.display().to_string())
    );
    let errors: Vec<_> = v.diagnostics().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "<p>This file has errors, so none of its claims were verified:</p>"
        );
        let plain = RenderOptions {
            color: false,
            width: 100,
        };
        for d in errors {
            let _ = writeln!(
                out,
                "<pre class=\"diagnostic\">{}</pre>",
                escape(&diagnostic::render(d, &v.checked.sources, plain))
            );
        }
        let _ = writeln!(out, "</section>");
        return;
    }
    let Some(model) = v.checked.model.as_ref() else {
        let _ = writeln!(out, "</section>");
        return;
    };
    let (proved, refuted) = v.outcomes.iter().fold((0, 0), |(p, r), o| match o.verdict {
        Verdict::Proved => (p + 1, r),
        Verdict::Refuted => (p, r + 1),
        Verdict::Unknown(_) | Verdict::Contested => (p, r),
    });
    let _ = writeln!(
        out,
        "<p>{} claims: {proved} proved, {refuted} refuted, {} unknown.</p>",
        v.outcomes.len(),
        v.outcomes.len() - proved - refuted
    );
    let _ = writeln!(
        out,
        "<div class=\"scroll\"><table class=\"claims\"><tr><th>claim</th><th>what it says</th><th>verdict</th></tr>"
    );
    for o in &v.outcomes {
        let c = &model.claims[o.claim];
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#v{k}-{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            anchor(&c.name),
            escape(&c.name),
            escape(c.title.as_deref().unwrap_or("")),
            verdict_badge(o)
        );
    }
    let _ = writeln!(out, "</table></div>");
    for o in &v.outcomes {
        claim_html(out, k, v, model, o);
    }
    if let Some(view) = view::build(&v.checked, None) {
        let _ = writeln!(
            out,
            "<h3>The flow graph</h3><figure class=\"whole\">{}<figcaption>Every agency and every flow of this version, \
each arrow labelled with the data it carries.</figcaption></figure>",
            crate::render::svg::render_with(&view, layout).svg
        );
    }
    sources_html(out, k, model);
    let _ = writeln!(out, "</section>");
}

fn claim_html(out: &mut String, k: usize, v: &Verified, model: &Model, o: &ClaimOutcome) {
    let c = &model.claims[o.claim];
    let _ = writeln!(
        out,
        "<article class=\"claim\" id=\"v{k}-{}\"><h3>{} {}</h3>",
        anchor(&c.name),
        escape(&c.name),
        verdict_badge(o)
    );
    if let Some(t) = &c.title {
        let _ = writeln!(out, "<p><b>{}</b></p>", escape(t));
    }
    if let Some(q) = &c.quote {
        let _ = writeln!(out, "<blockquote>&ldquo;{}&rdquo;</blockquote>", escape(q));
    }
    if let Some(said) = crate::render::text::statement(c) {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}.</p>",
            escape(&capitalised(&said))
        );
    }
    if let Some(note) = &c.info.note {
        let _ = writeln!(
            out,
            "<p class=\"note\">Why it is modelled so: {}</p>",
            escape(note)
        );
    }
    let cites = c.info.cite_names(model);
    if !cites.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"meta\">Cites {}.</p>",
            cite_links(k, &cites)
        );
    }
    for p in &c.info.pinpoints {
        let _ = writeln!(
            out,
            "<blockquote class=\"pinpoint\">&ldquo;{}&rdquo; <span class=\"meta\">({})</span></blockquote>",
            escape(&p.text),
            cite_links(
                k,
                std::slice::from_ref(&model.sources[p.source.index()].name)
            )
        );
    }
    if o.readings.is_empty() {
        outcome_html(
            out,
            k,
            v,
            model,
            o,
            &o.verdict,
            o.vacuous.is_some(),
            o.witness.as_ref(),
        );
    }
    for r in &o.readings {
        let reading = &model.readings[r.reading];
        let label = reading
            .label
            .as_ref()
            .map(|l| format!(" &ldquo;{}&rdquo;", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<section class=\"reading\"><h4>In the reading <code>{}</code>{label}: {}</h4>",
            escape(&reading.name),
            badge(&r.verdict, r.vacuous.is_some())
        );
        if let Some(note) = &reading.note {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
        }
        outcome_html(
            out,
            k,
            v,
            model,
            o,
            &r.verdict,
            r.vacuous.is_some(),
            r.witness.as_ref(),
        );
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "</article>");
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a verdict means, and the scenario and paths of its witness.
#[expect(
    clippy::too_many_arguments,
    reason = "one verdict of one claim, overall or in a reading, with where it is shown"
)]
fn outcome_html(
    out: &mut String,
    k: usize,
    v: &Verified,
    model: &Model,
    o: &ClaimOutcome,
    verdict: &Verdict,
    vacuous: bool,
    witness: Option<&crate::verdict::Witness>,
) {
    let c = &model.claims[o.claim];
    let sources = &v.checked.sources;
    let mode = match c.mode {
        Mode::Always => "always",
        Mode::Possible => "possible",
    };
    let what = match (verdict, c.mode, witness.is_some()) {
        (Verdict::Refuted, Mode::Always, true) => {
            "It is refuted: here is a scenario the policy allows in which it fails.".to_owned()
        }
        (Verdict::Proved, Mode::Possible, true) => {
            "It is proved: here is a scenario the policy allows in which it holds.".to_owned()
        }
        (Verdict::Proved, _, _) if vacuous => {
            "It holds only vacuously: the situation it speaks of never happens under this policy, so it says nothing.".to_owned()
        }
        (Verdict::Proved, _, _) => format!(
            "It is proved: it holds in every scenario the policy allows (an <i>{mode}</i> claim)."
        ),
        (Verdict::Refuted, _, _) => {
            "It is refuted: no scenario the policy allows satisfies it.".to_owned()
        }
        (Verdict::Unknown(why), _, _) => {
            format!("The solver could not decide it: {}.", escape(why))
        }
        (Verdict::Contested, _, _) => {
            "It is contested: the readings of the record disagree on it.".to_owned()
        }
    };
    let _ = writeln!(out, "<p>{what}</p>");
    let Some(w) = witness else {
        return;
    };
    let scenario = crate::render::scenario(v, w, ", ", |s| format!("<code>{}</code>", escape(&s)));
    let _ = writeln!(out, "<p>The scenario: {scenario}.</p>");
    for path in &w.paths {
        let data = model.data_shown(path.data);
        let _ = writeln!(
            out,
            "<p>How the {} of {} reach {}:</p><ol class=\"story\">",
            escape(data),
            escape(model.agency_shown(path.origin)),
            escape(model.agency_shown(path.at))
        );
        let steps = path.shown(model, sources, v.params());
        if steps.is_empty() {
            let _ = writeln!(
                out,
                "<li>{} collects the {} itself.</li>",
                escape(model.agency_shown(path.origin)),
                escape(data)
            );
        }
        for s in &steps {
            let sentence = match s.derived_from_shown() {
                Some(from) => format!(
                    "At {}, the {} is derived from {}&rsquo;s {}",
                    escape(s.to_shown()),
                    escape(s.data_shown()),
                    escape(s.origin_shown()),
                    escape(from)
                ),
                None if s.origin == s.from => format!(
                    "{} sends its own {} to {}",
                    escape(s.from_shown()),
                    escape(s.data_shown()),
                    escape(s.to_shown())
                ),
                None => format!(
                    "{} passes {}&rsquo;s {} on to {}",
                    escape(s.from_shown()),
                    escape(s.origin_shown()),
                    escape(s.data_shown()),
                    escape(s.to_shown())
                ),
            };
            let cited = if s.cites.is_empty() {
                String::new()
            } else {
                format!("; cites {}", cite_links(k, &s.cites))
            };
            let mut extra = String::new();
            for p in &s.pinpoints {
                let _ = write!(
                    extra,
                    "<blockquote class=\"pinpoint\">&ldquo;{}&rdquo; <span class=\"meta\">({})</span></blockquote>",
                    escape(&p.text),
                    cite_links(k, std::slice::from_ref(&p.source))
                );
            }
            if let Some(note) = &s.note {
                let _ = write!(extra, "<p class=\"note\">{}</p>", escape(note));
            }
            let _ = writeln!(
                out,
                "<li>{sentence} <span class=\"meta\">(rule at {}:{}{cited})</span>.{extra}</li>",
                escape(&s.file),
                s.line
            );
        }
        let _ = writeln!(out, "</ol>");
    }
    // only the part of the graph the scenario uses: the whole graph is drawn once, under
    // the version's claims
    if let Some(mut view) = view::build(&v.checked, Some(w)).and_then(|view| view.scenario()) {
        view.caption = Some(format!(
            "{} Only the agencies and flows of this scenario are drawn, with the flows it blocks \
around them; the whole graph of this version is under its claims.",
            view::caption(v, o.claim, verdict, None, Some(w))
        ));
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            crate::render::svg::render(&view),
            escape(view.caption.as_deref().unwrap_or(""))
        );
    }
}

fn cite_links(k: usize, names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("<a href=\"#v{k}-src-{}\">{}</a>", anchor(n), escape(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sources_html(out: &mut String, k: usize, model: &Model) {
    if model.sources.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h3>Sources</h3><dl class=\"sources\">");
    for s in &model.sources {
        let _ = write!(
            out,
            "<dt id=\"v{k}-src-{}\">{}</dt><dd>",
            anchor(&s.name),
            escape(&s.name)
        );
        if let Some(t) = &s.title {
            let _ = write!(out, "{}", escape(t));
        }
        if let Some(d) = &s.date {
            let _ = write!(out, " ({d})");
        }
        if let Some(u) = &s.url {
            let _ = write!(out, "<br>{}", link(u));
        }
        if let Some(q) = &s.quote {
            let _ = write!(out, "<blockquote>&ldquo;{}&rdquo;</blockquote>", escape(q));
        }
        let _ = writeln!(out, "</dd>");
    }
    let _ = writeln!(out, "</dl>");
}

#[cfg(test)]
mod tests {
    use super::{anchor, link};

    #[test]
    fn only_http_urls_become_links() {
        assert!(
            link("https://example.org/a?b=1&c=2")
                .starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\"")
        );
        assert!(link("HTTP://EXAMPLE.ORG").starts_with("<a href="));
        for hostile in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "seed:004.txt",
            "https://exa mple.org\" onmouseover=\"alert(1)",
        ] {
            let l = link(hostile);
            assert!(l.starts_with("<code>"), "{hostile}: {l}");
            assert!(!l.contains("<script") && !l.contains("\" on"), "{l}");
        }
    }

    #[test]
    fn anchors_keep_only_safe_characters() {
        assert_eq!(anchor("a\"><script>"), "a___script_");
        assert_eq!(anchor("seed_004-x"), "seed_004-x");
    }
}
