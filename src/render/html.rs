//! The report as one self-contained HTML page for people who will not run a
//! command: the timeline when several dated versions of one policy are given; per
//! version the claims and their verdicts (per reading), each claim's words, speaker and
//! formal statement, each scenario in sentences with its path drawn and told hop by hop
//! with the passages the rules rest on, each proof's reasons, and the version's flow
//! graph once; then the sources, once for the page.
//!
//! Its size grows with what it says: a block said once (a claim stated the same way in
//! every version, a scenario that is the same in two readings or versions) is shown
//! once and linked to after.
//!
//! The page needs nothing from outside: no scripts at all (a Content-Security-Policy
//! forbids them), no fonts, no images other than the inline SVG. Every string from a
//! policy file is escaped, and only `http(s)` URLs become links.

use std::collections::HashMap;
use std::fmt::Write;

use crate::explain::{Because, Context, Rule};
use crate::model::{Claim, Mode, Model};
use crate::render::chain;
use crate::render::diagnostic::{self, RenderOptions};
use crate::render::graph::{self as view, escape};
use crate::timeline::{Cell, Timeline};
use crate::verdict::{ClaimOutcome, Verdict, Witness};
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
h1, h2, h3, h4, nav, table, .badge, .meta, figcaption { font-family: Helvetica, Arial, sans-serif; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin: 1.8rem 0 .3rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .8rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f0f0; }
td.mark, th.mark { text-align: center; font-weight: bold; white-space: nowrap; }
td.said { outline: 2px solid #111; outline-offset: -3px; }
.badge { display: inline-block; padding: 0 .45rem; border: 1px solid; border-radius: .3rem; font-size: .85rem; font-weight: bold; white-space: nowrap; }
.proved { color: #1e6b34; border-color: #1e6b34; }
.refuted { color: #a61b1b; border-color: #a61b1b; }
.unknown { color: #7a5c00; border-color: #7a5c00; }
.contested { color: #6a2c91; border-color: #6a2c91; }
td.proved, td.refuted, td.unknown, td.contested { border-color: #bbb; }
blockquote { margin: .5rem 0 .5rem 1rem; padding-left: .8rem; border-left: 3px solid #999; font-style: italic; }
blockquote.pinpoint { font-size: .9rem; }
table.claims code { color: #555; }
pre.formal { background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; font-size: .85rem; }
p.note { font-size: .9rem; color: #333; }
section.reading { margin-left: .6rem; padding-left: .6rem; border-left: 2px solid #ddd; }
ol.story li, ul.scenario li { margin: .2rem 0; }
div.why { background: #f7f9fc; border: 1px solid #d5dde8; padding: .2rem .7rem; margin: .6rem 0; }
figure { margin: 1rem 0; }
figure.path { max-width: 100%; }
figure.whole { overflow-x: auto; max-width: 100%; }
figure.whole svg { max-width: none; }
figcaption { font-size: .85rem; color: #444; }
dl.sources dt { font-weight: bold; margin-top: .6rem; }
dl.sources dd { margin-left: 1rem; }
pre.diagnostic { white-space: pre-wrap; background: #fff6f6; border: 1px solid #d99; padding: .6rem; font-size: .85rem; }
nav ul { columns: 2; font-size: .9rem; padding-left: 1.2rem; }
nav li { break-inside: avoid; }
code { font-size: .9em; overflow-wrap: anywhere; }
a.skip { position: absolute; left: -999rem; }
a.skip:focus { position: static; }
table.timeline td:first-child { overflow-wrap: break-word; min-width: 10rem; }
table.timeline th.mark .date { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-size: .8rem; }
@media (max-width: 40rem) {
  body { margin: 1rem auto; }
  nav ul { columns: 1; }
  h1 { font-size: 1.35rem; }
}
@media (max-width: 40rem), print {
  table.timeline, table.timeline tbody, table.timeline tr, table.timeline td { display: block; border: 0; }
  table.timeline tr:first-child { display: none; }
  table.timeline tr { border-top: 1px solid #bbb; padding: .4rem 0; break-inside: avoid; }
  table.timeline td { padding: .1rem 0; }
  table.timeline td.mark { display: inline-block; margin: .15rem .5rem .15rem 0; padding: 0 .3rem; border: 1px solid #bbb; font-weight: normal; }
  table.timeline td.mark::before { content: attr(data-date) " "; color: #555; font-size: .8rem; }
  table.timeline td.said { outline-offset: 0; }
}
@page { margin: 14mm 13mm; }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; margin: 0; font-size: 1rem; line-height: 1.3; }
  h2 { margin-top: 0; }
  h3 { margin: 1rem 0 .2rem; }
  p, ul, ol { margin: .35rem 0; }
  blockquote { margin: .3rem 0 .3rem .8rem; }
  nav, a.skip { display: none; }
  section.version, section.sources { break-before: page; }
  figure.path, tr, blockquote, div.why { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
  div.whole { page: wide; }
  div.whole h3 { display: none; }
  figure.whole { overflow: visible; }
  figure.whole svg { max-width: 100%; height: auto; }
}
@page wide { size: landscape; }
"#;

/// A block this long or longer, said a second time, is replaced by a link to where it
/// was first said.
const SHARED_MIN: usize = 120;

/// A piece of a claim's result: said as it is, or said once for the page (a block
/// another claim or version may share; the words name it for the link).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Raw(String),
    Shared(String, &'static str),
}

/// A claim's result being written: the pieces done and the raw text after them.
#[derive(Default)]
struct Parts {
    done: Vec<Part>,
    open: String,
}

impl Parts {
    fn shared(&mut self, html: String, what: &'static str) {
        if !self.open.is_empty() {
            self.done.push(Part::Raw(std::mem::take(&mut self.open)));
        }
        self.done.push(Part::Shared(html, what));
    }

    fn finish(mut self) -> Vec<Part> {
        if !self.open.is_empty() {
            self.done.push(Part::Raw(self.open));
        }
        self.done
    }
}

impl Write for Parts {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.open.push_str(s);
        Ok(())
    }
}

/// Where a block is shown: a claim of a version, in a reading.
#[derive(Clone, Debug, Default)]
struct Place {
    version: usize,
    /// The version as a link names it: "V2 + San Francisco's sheriff's detainer policy
    /// (2011-06-01)".
    version_shown: String,
    claim: String,
    claim_shown: String,
    reading: Option<String>,
}

/// A version named short, for links: its version's words up to the first `:` or `,`,
/// and its date.
fn version_short(v: &Verified) -> String {
    let policy = v.checked.model.as_ref().and_then(|m| m.policy.as_ref());
    match policy {
        Some(p) => {
            let words = p
                .version
                .as_deref()
                .unwrap_or(&p.name)
                .split([':', ',', '('])
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            match p.date {
                Some(d) => format!("{words} ({d})"),
                None => words,
            }
        }
        None => v.checked.path.display().to_string(),
    }
}

/// The page being written, with what it has said (to say it once) and its sources.
struct Page<'a> {
    out: String,
    verified: &'a [Verified],
    /// A block's HTML → the anchor of its first showing and the words for it.
    said: HashMap<String, (String, Place)>,
    /// Where the page is: the claim (and reading) being written.
    here: Place,
    /// A claim's whole article as first written (words, results, reasons) → its anchor
    /// and place.
    articles: HashMap<String, (String, Place)>,
    /// (version, source name) → the anchor of its entry in the page's sources.
    source_anchor: HashMap<(usize, String), String>,
    /// The page's sources: (anchor, name, entry HTML, the versions citing it).
    sources: Vec<(String, String, String, Vec<usize>)>,
    /// Blocks given an anchor so far (to number the next).
    blocks: usize,
    /// Each version's anchor: its file's name ("v1-2010-08"), made unique.
    ids: Vec<String>,
    /// Who lays out the whole graphs.
    layout: crate::render::svg::Layout,
}

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
    let mut page = Page {
        out: String::new(),
        verified,
        said: HashMap::new(),
        here: Place::default(),
        articles: HashMap::new(),
        source_anchor: HashMap::new(),
        sources: Vec::new(),
        blocks: 0,
        ids: version_ids(verified),
        layout,
    };
    page.gather_sources();
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
    let out = &mut page.out;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{GENERATOR}\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>flowproof report: {}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n\
<a class=\"skip\" href=\"#main\">Skip to the report</a>\n",
        escape(&title),
        chain::STYLE
    );
    let _ = writeln!(
        out,
        "<header><h1>flowproof report: {}</h1>\n<p class=\"meta\">Written by flowproof {}. \
Each claim below was proved or refuted from the policy's own rules. <b>Proved</b>: an \
<i>always</i> claim holds in every scenario the policy allows, a <i>possible</i> claim in at \
least one. <b>Refuted</b>: the opposite; for an <i>always</i> claim the scenario that breaks it \
is told step by step, each step citing the document it rests on. <b>Proved, vacuously</b>: the \
claim holds only because the situation it speaks of can never happen. <b>Contested</b>: the \
readings of the record (how the documents put it, how things were done) give different \
verdicts; each is shown. A verdict says what the policy's rules imply, not whether that is good \
or bad.</p></header>",
        escape(&title),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<nav aria-label=\"Contents\"><h2>Contents</h2><ul>");
    if timeline.is_some() {
        let _ = writeln!(out, "<li><a href=\"#timeline\">Timeline</a></li>");
    }
    for (id, v) in page.ids.iter().zip(verified) {
        let _ = writeln!(
            out,
            "<li><a href=\"#{id}\">{}</a></li>",
            escape(&version_title(v))
        );
    }
    if !page.sources.is_empty() {
        let _ = writeln!(out, "<li><a href=\"#sources\">Sources</a></li>");
    }
    let _ = writeln!(out, "</ul></nav>\n<main id=\"main\">");
    if let Some(t) = timeline {
        page.timeline(t);
    }
    for (k, v) in verified.iter().enumerate() {
        page.version(k, v);
    }
    page.sources_section();
    page.out.push_str("</main>\n</body>\n</html>\n");
    page.out
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

/// Each version's anchor: the name of its file without `.flow`, letters, digits, `-` and
/// `_` only, numbered when two files share a name.
fn version_ids(verified: &[Verified]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for v in verified {
        let stem = v
            .checked
            .path
            .file_stem()
            .map_or_else(|| "policy".to_owned(), |s| s.to_string_lossy().into_owned());
        let base = format!("v-{}", anchor(&stem));
        let mut id = base.clone();
        let mut n = 1;
        while ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        ids.push(id);
    }
    ids
}

/// What people read for a param not yet given its agencies: its label with each `{v}`
/// read as "a county" (its kind), or its name.
fn param_in_general(model: &Model, p: &crate::model::Param) -> String {
    let Some(label) = &p.label else {
        return p.name.clone();
    };
    let mut out = label.clone();
    for (var, kind) in p.vars.iter().zip(&p.args) {
        let k = &model.kinds[kind.index()];
        let kind = k.label.as_deref().unwrap_or(&k.name);
        out = out.replace(&format!("{{{var}}}"), &format!("a {kind}"));
    }
    out
}

/// What people read for a reading: its label, or its name.
fn reading_shown(r: &crate::model::Reading) -> &str {
    r.label.as_deref().unwrap_or(&r.name)
}

/// What people read for a claim: its title, or its name.
fn claim_shown(c: &Claim) -> &str {
    c.title.as_deref().unwrap_or(&c.name)
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

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The text of a span of the file, its whitespace collapsed.
fn written(v: &Verified, span: crate::span::Span) -> String {
    v.checked
        .sources
        .get(span.file)
        .and_then(|f| f.text.get(span.range()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Page<'_> {
    /// Every version's sources, each entry once for the page (two versions citing a
    /// source the same way share its entry).
    fn gather_sources(&mut self) {
        let mut by_entry: HashMap<(String, String), usize> = HashMap::new();
        for (k, v) in self.verified.iter().enumerate() {
            let Some(model) = v.checked.model.as_ref() else {
                continue;
            };
            for s in &model.sources {
                let mut entry = String::new();
                if let Some(t) = &s.title {
                    entry.push_str(&escape(t));
                }
                if let Some(d) = &s.date {
                    let _ = write!(entry, " ({d})");
                }
                if let Some(doc) = &s.document {
                    let _ = write!(
                        entry,
                        "<br><span class=\"meta\">The document: {}</span>",
                        escape(doc)
                    );
                }
                if let Some(u) = &s.url {
                    let _ = write!(entry, "<br>{}", link(u));
                }
                if let Some(q) = &s.quote {
                    let _ = write!(
                        entry,
                        "<blockquote>&ldquo;{}&rdquo;</blockquote>",
                        escape(q)
                    );
                }
                let key = (s.name.clone(), entry);
                let at = match by_entry.get(&key) {
                    Some(&i) => i,
                    None => {
                        let taken = self.sources.iter().filter(|x| x.1 == s.name).count();
                        let anchor = match taken {
                            0 => format!("src-{}", anchor(&s.name)),
                            n => format!("src-{}-{}", anchor(&s.name), n + 1),
                        };
                        self.sources
                            .push((anchor, s.name.clone(), key.1.clone(), Vec::new()));
                        by_entry.insert(key, self.sources.len() - 1);
                        self.sources.len() - 1
                    }
                };
                if !self.sources[at].3.contains(&k) {
                    self.sources[at].3.push(k);
                }
                self.source_anchor
                    .insert((k, s.name.clone()), self.sources[at].0.clone());
            }
        }
    }

    fn cite_links(&self, k: usize, names: &[String]) -> String {
        let mut unique: Vec<&String> = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        unique
            .into_iter()
            .map(|n| match self.source_anchor.get(&(k, n.clone())) {
                Some(a) => format!("<a href=\"#{a}\">{}</a>", escape(n)),
                None => escape(n),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Writes `block` with the anchor `id`, or, when the same block was shown before, a
    /// link to it (`what` names the block: "the claim's words and sources").
    /// How a link from here names `at`: the claim when it is another, the version when it
    /// is another, and the reading.
    fn place_words(&self, at: &Place) -> String {
        let here = &self.here;
        let mut words = if at.claim == here.claim {
            if at.version == here.version {
                "this claim".to_owned()
            } else {
                at.version_shown.clone()
            }
        } else if at.version == here.version {
            format!("\u{201c}{}\u{201d}", at.claim_shown)
        } else {
            format!("\u{201c}{}\u{201d} in {}", at.claim_shown, at.version_shown)
        };
        if let Some(r) = &at.reading {
            let _ = write!(words, ", reading {r}");
        }
        words
    }

    fn once(&mut self, block: String, id: &str, what: &str) {
        if block.len() >= SHARED_MIN
            && let Some((at, shown_in)) = self.said.get(&block)
        {
            let _ = writeln!(
                self.out,
                "<p class=\"meta\">{}: as under <a href=\"#{at}\">{}</a>.</p>",
                capitalised(what),
                escape(&self.place_words(shown_in))
            );
            return;
        }
        let _ = writeln!(self.out, "<div id=\"{id}\">{block}</div>");
        self.said.insert(block, (id.to_owned(), self.here.clone()));
    }

    /// A new anchor for a block: `b1`, `b2`, ...
    fn block_id(&mut self) -> String {
        self.blocks += 1;
        format!("b{}", self.blocks)
    }

    /// Writes a result's pieces under the anchor `id` (its shared pieces each said once),
    /// or, when the same result was shown before, a link to it.
    fn result(&mut self, parts: Vec<Part>, id: &str) {
        let whole: String = parts
            .iter()
            .map(|p| match p {
                Part::Raw(s) | Part::Shared(s, _) => s.as_str(),
            })
            .collect();
        if whole.len() >= SHARED_MIN
            && let Some((at, shown_in)) = self.said.get(&whole)
        {
            let _ = writeln!(
                self.out,
                "<p class=\"meta\">Result and reasons: as under <a href=\"#{at}\">{}</a>.</p>",
                escape(&self.place_words(shown_in))
            );
            return;
        }
        let _ = writeln!(self.out, "<div id=\"{id}\">");
        for p in parts {
            match p {
                Part::Raw(s) => self.out.push_str(&s),
                Part::Shared(s, what) => {
                    let block = self.block_id();
                    self.once(s, &block, what);
                }
            }
        }
        let _ = writeln!(self.out, "</div>");
        self.said.insert(whole, (id.to_owned(), self.here.clone()));
    }

    fn timeline(&mut self, t: &Timeline) {
        let order = self.readings_order(t);
        let _ = writeln!(self.out, "<section id=\"timeline\"><h2>Timeline</h2>");
        let _ = writeln!(
            self.out,
            "<p>Each column is a version, oldest first; each cell the statement's verdict there: \
<b>P</b> proved, <b>P*</b> proved only vacuously, <b>R</b> refuted, <b>C</b> contested, <b>?</b> \
unknown, &ndash; not stated. Where the record is read more than one way, a cell gives the verdict \
in each reading, in this order: {order}.</p>"
        );
        let _ = writeln!(self.out, "<ol class=\"versions\">");
        for (i, c) in t.columns.iter().enumerate() {
            let label = c.version.clone().unwrap_or_else(|| c.name.clone());
            let k = self
                .verified
                .iter()
                .position(|v| v.checked.path.display().to_string() == c.path);
            let label = match k {
                Some(k) => format!("<a href=\"#{}\">{}</a>", self.ids[k], escape(&label)),
                None => escape(&label),
            };
            let _ = writeln!(
                self.out,
                "<li value=\"{}\">{label} <span class=\"meta\">(from {})</span></li>",
                i + 1,
                escape(&c.date)
            );
        }
        let _ = writeln!(self.out, "</ol>");
        let _ = write!(
            self.out,
            "<table class=\"timeline\"><tr><th scope=\"col\">statement</th>"
        );
        for (i, c) in t.columns.iter().enumerate() {
            let _ = write!(
                self.out,
                "<th scope=\"col\" class=\"mark\">[{}]<br><span class=\"meta date\">{}</span></th>",
                i + 1,
                escape(&c.date)
            );
        }
        let _ = writeln!(self.out, "</tr>");
        // one row per statement; its per-reading rows become the parts of its cells
        for row in t.rows.iter().filter(|r| r.reading.is_none()) {
            let parts: Vec<&crate::timeline::Row> = t
                .rows
                .iter()
                .filter(|r| r.claim == row.claim && r.reading.is_some())
                .collect();
            let claim = self.claim_named(&row.claim);
            let title = claim.map_or(row.claim.as_str(), |(_, c)| claim_shown(c));
            let k = claim.map(|(k, _)| k);
            let said = claim
                .and_then(|(_, c)| crate::render::text::statement(c))
                .map(|s| format!("<br><span class=\"meta\">{}</span>", escape(&s)))
                .unwrap_or_default();
            let head = match k {
                Some(k) => format!(
                    "<a href=\"#{}-{}\">{}</a>",
                    self.ids[k],
                    anchor(&row.claim),
                    escape(title)
                ),
                None => escape(title),
            };
            let _ = write!(self.out, "<tr><td>{head}{said}</td>");
            for (i, cell) in row.cells.iter().enumerate() {
                let date = escape(&t.columns[i].date);
                let Some(cell) = cell else {
                    let _ = write!(
                        self.out,
                        "<td class=\"mark\" data-date=\"{date}\">&ndash;</td>"
                    );
                    continue;
                };
                let each: Vec<&Cell> = parts.iter().filter_map(|p| p.cells[i].as_ref()).collect();
                let split = each.len() > 1 && each.iter().any(|c| !c.same_verdict(each[0]));
                let (mark, words) = if split {
                    (
                        each.iter().map(|c| c.mark()).collect::<Vec<_>>().join("/"),
                        parts
                            .iter()
                            .zip(&each)
                            .map(|(p, c)| {
                                format!(
                                    "{}: {}",
                                    p.reading.as_deref().unwrap_or(""),
                                    Cell::words(c)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                } else {
                    (cell.mark().to_owned(), Cell::words(cell).to_owned())
                };
                let (mark, said, words) = if cell.said {
                    (
                        format!("[{mark}]"),
                        " said",
                        format!("{words}; the version in force when it was said"),
                    )
                } else {
                    (mark, "", words)
                };
                let _ = write!(
                    self.out,
                    "<td class=\"mark {}{said}\" data-date=\"{date}\" title=\"{}\">{}</td>",
                    cell.verdict,
                    escape(&words),
                    escape(&mark)
                );
            }
            let _ = writeln!(self.out, "</tr>");
        }
        let _ = writeln!(self.out, "</table>");
        if t.rows.iter().any(|r| r.said.is_some()) {
            let _ = writeln!(
                self.out,
                "<p class=\"meta\">A framed mark in brackets, like [R], is judged when said: the version in force on the day the statement was made, so it says whether the statement was true when it was said.</p>"
            );
        }
        self.flips(t);
        let _ = writeln!(self.out, "</section>");
    }

    /// The readings' names in the order the timeline's cells give them.
    fn readings_order(&self, t: &Timeline) -> String {
        let mut names: Vec<String> = Vec::new();
        for r in &t.rows {
            if let Some(n) = &r.reading
                && !names.contains(n)
            {
                names.push(n.clone());
            }
        }
        if names.is_empty() {
            return "(this policy has no readings)".to_owned();
        }
        let labelled: Vec<String> = names
            .iter()
            .map(|n| {
                let label = self
                    .verified
                    .iter()
                    .filter_map(Verified::model)
                    .flat_map(|m| &m.readings)
                    .find(|r| &r.name == n)
                    .and_then(|r| r.label.clone());
                match label {
                    Some(l) => format!("{} (<code>{}</code>)", escape(&l), escape(n)),
                    None => format!("<code>{}</code>", escape(n)),
                }
            })
            .collect();
        labelled.join(", then ")
    }

    /// The claim of this name in the first version that states it.
    fn claim_named(&self, name: &str) -> Option<(usize, &Claim)> {
        self.verified.iter().enumerate().find_map(|(k, v)| {
            v.model()
                .and_then(|m| m.claims.iter().find(|c| c.name == name))
                .map(|c| (k, c))
        })
    }

    fn flips(&mut self, t: &Timeline) {
        if t.flips.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "<h3>What changed the verdicts</h3><ul>");
        for f in &t.flips {
            let title = self
                .claim_named(&f.claim)
                .map_or(f.claim.as_str(), |(_, c)| claim_shown(c));
            let reading = f
                .reading
                .as_ref()
                .map(|r| format!(" (reading <code>{}</code>)", escape(r)))
                .unwrap_or_default();
            let _ = write!(
                self.out,
                "<li><b>{}</b>{reading}: {} under [{}] of {} &rarr; {} under [{}] of {}",
                escape(title),
                Cell::words(&f.before),
                f.from + 1,
                escape(&t.columns[f.from].date),
                Cell::words(&f.after),
                f.to + 1,
                escape(&t.columns[f.to].date)
            );
            if !f.edits.is_empty() {
                let _ = write!(self.out, ", because of:<ul>");
                for e in &f.edits {
                    let at = e
                        .new
                        .first()
                        .or(e.old.first())
                        .map(|r| format!(" ({}:{})", r.file, r.line))
                        .unwrap_or_default();
                    let _ = write!(
                        self.out,
                        "<li>{} <code>{}</code>{}</li>",
                        escape(e.change),
                        escape(&e.slot),
                        escape(&at)
                    );
                }
                let _ = write!(self.out, "</ul>");
            }
            let _ = writeln!(self.out, "</li>");
        }
        let _ = writeln!(self.out, "</ul>");
    }

    fn version(&mut self, k: usize, v: &Verified) {
        let _ = writeln!(
            self.out,
            "<section class=\"version\" id=\"{}\"><h2>{}</h2>\n<p class=\"meta\">{}</p>",
            self.ids[k],
            escape(&version_title(v)),
            escape(&v.checked.path.display().to_string())
        );
        let errors: Vec<_> = v.diagnostics().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            let _ = writeln!(
                self.out,
                "<p>This file has errors, so none of its claims were verified:</p>"
            );
            let plain = RenderOptions {
                color: false,
                width: 100,
                plain: false,
            };
            for d in errors {
                let _ = writeln!(
                    self.out,
                    "<pre class=\"diagnostic\">{}</pre>",
                    escape(&diagnostic::render(d, &v.checked.sources, plain))
                );
            }
            let _ = writeln!(self.out, "</section>");
            return;
        }
        let Some(model) = v.checked.model.as_ref() else {
            let _ = writeln!(self.out, "</section>");
            return;
        };
        let count = |f: fn(&Verdict) -> bool| v.outcomes.iter().filter(|o| f(&o.verdict)).count();
        let _ = writeln!(
            self.out,
            "<p>{} claims: {} proved, {} refuted, {} contested, {} unknown.</p>",
            v.outcomes.len(),
            count(|x| matches!(x, Verdict::Proved)),
            count(|x| matches!(x, Verdict::Refuted)),
            count(|x| matches!(x, Verdict::Contested)),
            count(|x| matches!(x, Verdict::Unknown(_)))
        );
        let _ = writeln!(
            self.out,
            "<table class=\"claims\"><tr><th scope=\"col\">claim</th><th scope=\"col\">verdict</th></tr>"
        );
        for o in &v.outcomes {
            let c = &model.claims[o.claim];
            let _ = writeln!(
                self.out,
                "<tr><td><a href=\"#{}-{}\">{}</a> <code>{}</code></td><td>{}</td></tr>",
                self.ids[k],
                anchor(&c.name),
                escape(claim_shown(c)),
                escape(&c.name),
                verdict_badge(o)
            );
        }
        let _ = writeln!(self.out, "</table>");
        self.here = Place {
            version: k,
            version_shown: version_short(v),
            ..Place::default()
        };
        if !model.assumes.is_empty() {
            let assumes = self.assumptions(k, v, model);
            let _ = writeln!(self.out, "<h3>What this version assumes</h3>");
            self.once(
                assumes,
                &format!("{}-assumes", self.ids[k]),
                "its assumptions",
            );
        }
        if !model.optouts.is_empty() {
            let optouts = self.optouts(k, v, model);
            let _ = writeln!(self.out, "<h3>The opt-outs it provides</h3>");
            self.once(optouts, &format!("{}-optouts", self.ids[k]), "its opt-outs");
        }
        if !model.readings.is_empty() {
            let readings = self.readings(k, v, model);
            let _ = writeln!(self.out, "<h3>The readings of the record</h3>");
            self.once(
                readings,
                &format!("{}-readings", self.ids[k]),
                "what each reading assumes",
            );
        }
        for o in &v.outcomes {
            self.claim(k, v, model, o);
        }
        if let Some(view) = view::build(&v.checked, None) {
            let drawn = crate::render::svg::render_for_page(&view, self.layout);
            let _ = writeln!(
                self.out,
                "<div class=\"whole\"><h3>The flow graph</h3><figure class=\"whole\">{}<figcaption>Every agency and every \
flow of this version, each arrow labelled with the data it carries. Wider than a phone's screen: \
scroll it sideways.</figcaption></figure></div>",
                drawn.svg
            );
        }
        let _ = writeln!(self.out, "</section>");
    }

    fn claim(&mut self, k: usize, v: &Verified, model: &Model, o: &ClaimOutcome) {
        let c = &model.claims[o.claim];
        let id = format!("{}-{}", self.ids[k], anchor(&c.name));
        self.here = Place {
            version: k,
            version_shown: version_short(v),
            claim: c.name.clone(),
            claim_shown: claim_shown(c).to_owned(),
            reading: None,
        };
        let _ = writeln!(
            self.out,
            "<article class=\"claim\" id=\"{id}\"><h3>{}</h3>",
            escape(claim_shown(c)),
        );
        let mut verdicts = verdict_badge(o);
        let split = o.readings.iter().any(|r| {
            r.verdict != o.readings[0].verdict
                || r.vacuous.is_some() != o.readings[0].vacuous.is_some()
        });
        if split {
            let each: Vec<String> = o
                .readings
                .iter()
                .map(|r| {
                    format!(
                        "{}: {}",
                        escape(reading_shown(&model.readings[r.reading])),
                        badge(&r.verdict, r.vacuous.is_some())
                    )
                })
                .collect();
            let _ = write!(
                verdicts,
                " <span class=\"meta\">({})</span>",
                each.join("; ")
            );
        }
        let said = crate::render::text::statement(c)
            .map(|s| format!("; {}", escape(&s)))
            .unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<p>{verdicts} <span class=\"meta\">Claim <code>{}</code>{said}.</span></p>",
            escape(&c.name)
        );
        let statement = self.statement(k, v, model, c);
        let single = o.readings.is_empty().then(|| {
            self.outcome(
                k,
                v,
                model,
                o.claim,
                &o.verdict,
                o.vacuous.is_some(),
                o.witness.as_ref(),
                None,
            )
        });
        let blocks: Vec<Vec<Part>> = o
            .readings
            .iter()
            .map(|r| {
                self.outcome(
                    k,
                    v,
                    model,
                    o.claim,
                    &r.verdict,
                    r.vacuous.is_some(),
                    r.witness.as_ref(),
                    Some(r.reading),
                )
            })
            .collect();
        // the same claim said, decided and explained the same way as in an earlier
        // version: one line that says so
        let whole: String = std::iter::once(statement.as_str())
            .chain(single.iter().chain(&blocks).flatten().map(|p| match p {
                Part::Raw(s) | Part::Shared(s, _) => s.as_str(),
            }))
            .collect();
        if let Some((at, shown_in)) = self.articles.get(&whole) {
            let _ = writeln!(
                self.out,
                "<p class=\"meta\">Its words, result and reasons: as under <a href=\"#{at}\">{}</a>.</p></article>",
                escape(&self.place_words(shown_in))
            );
            return;
        }
        self.articles.insert(whole, (id.clone(), self.here.clone()));
        let said_id = self.block_id();
        self.once(statement, &said_id, "words and sources");
        if let Some(parts) = single {
            let at = self.block_id();
            self.result(parts, &at);
        }
        let alike = blocks.len() > 1 && blocks.iter().all(|b| b == &blocks[0]);
        if alike {
            let _ = writeln!(
                self.out,
                "<section class=\"reading\"><h4>In every reading: {}</h4>",
                verdict_badge(o)
            );
            let at = self.block_id();
            self.result(blocks[0].clone(), &at);
            let _ = writeln!(self.out, "</section>");
        } else {
            for (r, block) in o.readings.iter().zip(blocks) {
                let reading = &model.readings[r.reading];
                let _ = writeln!(
                    self.out,
                    "<section class=\"reading\"><h4>{}: {}</h4>",
                    escape(&capitalised(reading_shown(reading))),
                    badge(&r.verdict, r.vacuous.is_some())
                );
                self.here.reading = Some(reading.name.clone());
                let at = self.block_id();
                self.result(block, &at);
                let _ = writeln!(self.out, "</section>");
            }
        }
        let _ = writeln!(self.out, "</article>");
    }

    /// Each reading: its name and label, why it is read so, what it cites, and what it
    /// assumes (each assumption with its passages and note).
    fn readings(&self, k: usize, v: &Verified, model: &Model) -> String {
        let mut out = String::from(
            "<p>Where the record can be read more than one way, every claim is judged in each reading, on this version's rules with the reading's assumptions added.</p><dl class=\"readings\">",
        );
        for r in &model.readings {
            let label = r
                .label
                .as_ref()
                .map(|l| format!(" &ldquo;{}&rdquo;", escape(l)))
                .unwrap_or_default();
            let _ = write!(out, "<dt><code>{}</code>{label}</dt><dd>", escape(&r.name));
            if let Some(note) = &r.note {
                let _ = write!(out, "<p class=\"note\">{}</p>", escape(note));
            }
            let cites = r.info.cite_names(model);
            if !cites.is_empty() {
                let _ = write!(
                    out,
                    "<p class=\"meta\">Cites {}.</p>",
                    self.cite_links(k, &cites)
                );
            }
            out.push_str(&self.passages(k, model, &r.info));
            if !r.assumes.is_empty() {
                let _ = write!(out, "<p>It assumes:</p><ul>");
                for a in &r.assumes {
                    let text = written(v, a.formula.span);
                    let _ = write!(
                        out,
                        "<li id=\"{}\"><code>{}</code>{}</li>",
                        rule_id(v, &a.info),
                        escape(&text),
                        self.passages(k, model, &a.info)
                    );
                }
                let _ = write!(out, "</ul>");
            }
            let _ = write!(out, "</dd>");
        }
        out.push_str("</dl>");
        out
    }

    /// The version's assumptions, each as written with where, its passages and note.
    fn assumptions(&self, k: usize, v: &Verified, model: &Model) -> String {
        let mut out = String::from(
            "<p>Every scenario of this version satisfies these; they are what the version decides.</p><ul>",
        );
        for a in &model.assumes {
            let _ = write!(
                out,
                "<li id=\"{}\"><code>{}</code> <span class=\"meta\">({}){}</span>{}</li>",
                rule_id(v, &a.info),
                escape(&written(v, a.formula.span)),
                escape(&place_of(v, a.info.span)),
                self.cites_of(k, model, &a.info),
                self.passages(k, model, &a.info)
            );
        }
        out.push_str("</ul>");
        out
    }

    /// The version's opt-outs: who may take each, what it blocks, where it is written,
    /// its passages and note.
    fn optouts(&self, k: usize, v: &Verified, model: &Model) -> String {
        let mut out = String::from("<ul>");
        for o in &model.optouts {
            let p = &model.params[o.param.index()];
            let blocks: Vec<String> = o
                .blocks
                .iter()
                .map(|b| format!("<code>{}</code>", escape(&written(v, b.span))))
                .collect();
            let _ = write!(
                out,
                "<li id=\"{}\">&ldquo;{}&rdquo; <span class=\"meta\">(<code>{}</code>, {}){}</span>: blocks {}.{}</li>",
                rule_id(v, &o.info),
                escape(&param_in_general(model, p)),
                escape(&p.name),
                escape(&place_of(v, o.info.span)),
                self.cites_of(k, model, &o.info),
                and_list(&blocks),
                self.passages(k, model, &o.info)
            );
        }
        out.push_str("</ul>");
        out
    }

    /// "; cites a, b" (linked), or nothing.
    fn cites_of(&self, k: usize, model: &Model, info: &crate::model::RuleInfo) -> String {
        let cites = info.cite_names(model);
        if cites.is_empty() {
            String::new()
        } else {
            format!("; cites {}", self.cite_links(k, &cites))
        }
    }

    /// A rule's pinpointed passages, then why it is modelled so.
    fn passages(&self, k: usize, model: &Model, info: &crate::model::RuleInfo) -> String {
        let mut out = String::new();
        for p in &info.pinpoints {
            let _ = write!(
                out,
                "<blockquote class=\"pinpoint\">&ldquo;{}&rdquo; <span class=\"meta\">({})</span></blockquote>",
                escape(&p.text),
                self.cite_links(
                    k,
                    std::slice::from_ref(&model.sources[p.source.index()].name)
                )
            );
        }
        if let Some(note) = &info.note {
            let _ = write!(
                out,
                "<p class=\"note\">Why it is modelled so: {}</p>",
                escape(note)
            );
        }
        out
    }

    /// A claim's words: the quotation, the statement in the policy's language with what
    /// its names stand for, why it is modelled so, and what it cites.
    fn statement(&self, k: usize, v: &Verified, model: &Model, c: &Claim) -> String {
        let mut out = String::new();
        if let Some(q) = &c.quote {
            let _ = writeln!(out, "<blockquote>&ldquo;{}&rdquo;</blockquote>", escape(q));
        }
        let mode = match c.mode {
            Mode::Always => "always",
            Mode::Possible => "possible",
        };
        let formula = written(v, c.formula.span);
        let _ = writeln!(
            out,
            "<p class=\"meta\">What was checked, in the policy's language:</p><pre class=\"formal\">{mode} {}</pre>",
            escape(&formula)
        );
        let names = named_in(model, &formula);
        if !names.is_empty() {
            let _ = writeln!(out, "<p class=\"meta\">Where {}.</p>", and_list(&names));
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
                self.cite_links(k, &cites)
            );
        }
        for p in &c.info.pinpoints {
            let _ = writeln!(
                out,
                "<blockquote class=\"pinpoint\">&ldquo;{}&rdquo; <span class=\"meta\">({})</span></blockquote>",
                escape(&p.text),
                self.cite_links(
                    k,
                    std::slice::from_ref(&model.sources[p.source.index()].name)
                )
            );
        }
        out
    }

    /// What a verdict means, its scenario in sentences, each path drawn and told hop by
    /// hop, and for a proof the rules it rests on.
    #[expect(
        clippy::too_many_arguments,
        reason = "one verdict of one claim, overall or in a reading, with where it is shown"
    )]
    fn outcome(
        &self,
        k: usize,
        v: &Verified,
        model: &Model,
        claim: usize,
        verdict: &Verdict,
        vacuous: bool,
        witness: Option<&Witness>,
        reading: Option<usize>,
    ) -> Vec<Part> {
        let mut out = Parts::default();
        let c = &model.claims[claim];
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
                format!("The solver could not decide it: {}. This is not a verdict.", escape(why))
            }
            (Verdict::Contested, _, _) => {
                "It is contested: the readings of the record disagree on it.".to_owned()
            }
        };
        let _ = writeln!(out, "<p>{what}</p>");
        if let Some(w) = witness {
            self.scenario(&mut out, k, v, model, claim, w);
        }
        if let Some(b) = v.because.get(&(claim, reading)) {
            let mut why = String::new();
            self.because(&mut why, k, v, model, claim, b);
            out.shared(why, "why");
        } else if let Some((_, e)) = v
            .unexplained
            .iter()
            .find(|(key, _)| *key == (claim, reading))
        {
            let _ = writeln!(
                out,
                "<p class=\"meta\">Why it holds could not be worked out: {}.</p>",
                escape(&e.to_string())
            );
        }
        out.finish()
    }

    fn scenario(
        &self,
        parts: &mut Parts,
        k: usize,
        v: &Verified,
        model: &Model,
        claim: usize,
        w: &Witness,
    ) {
        let instance = crate::render::instance(model, claim, w)
            .map(|i| format!(", for {}", escape(&i)))
            .unwrap_or_default();
        let out = &mut *parts;
        if w.params.is_empty() {
            let _ = writeln!(
                out,
                "<p>The file has no params, so there is only one scenario{instance}.</p>"
            );
        } else {
            let own: Vec<usize> = w
                .needed
                .iter()
                .copied()
                .filter(|i| !w.required.contains(i))
                .collect();
            let needed = match (own.len() + w.required.len(), w.minimal) {
                (0, _) => "",
                (1, _) => "It is needed",
                (_, true) => "All of them are needed",
                (_, false) => "None of them can be spared alone",
            };
            if own.is_empty() && w.required.is_empty() {
                let _ = writeln!(out, "<p>The scenario{instance}: every param is false.</p>");
            } else {
                let facts = |set: &[usize]| {
                    set.iter()
                        .map(|&i| format!("<li>{}</li>", escape(&capitalised(&v.param_shown(i)))))
                        .collect::<String>()
                };
                if own.is_empty() {
                    let _ = writeln!(
                        out,
                        "<p>The scenario{instance}: what the assumptions require.</p>"
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "<p>The scenario{instance}:</p><ul class=\"scenario\">{}</ul>",
                        facts(&own)
                    );
                }
                if !w.required.is_empty() {
                    let lead = if own.is_empty() {
                        "What the assumptions require"
                    } else {
                        "With what the assumptions require"
                    };
                    out.shared(
                        format!(
                            "<p>{lead}:</p><ul class=\"scenario\">{}</ul>",
                            facts(&w.required)
                        ),
                        "what the assumptions require",
                    );
                }
                let _ = writeln!(
                    out,
                    "<p class=\"meta\">{needed}; everything else the policy leaves open is false.</p>"
                );
            }
        }
        let sources = &v.checked.sources;
        let blocked = blocked_around(v, w);
        for path in &w.paths {
            let data = model.data_shown(path.data);
            let (origin, at) = (model.agency_shown(path.origin), model.agency_shown(path.at));
            let mut block = String::new();
            let out = &mut block;
            let _ = writeln!(
                out,
                "<p>How the {} of {} reach {}:</p>",
                escape(data),
                escape(origin),
                escape(at)
            );
            let steps = path.shown(model, sources, v.params());
            let _ = writeln!(
                out,
                "<figure class=\"path\">{}</figure>",
                path_drawing(&steps, origin, data, &blocked)
            );
            let _ = writeln!(out, "<ol class=\"story\">");
            if steps.is_empty() {
                let _ = writeln!(
                    out,
                    "<li>{} collects the {} itself.</li>",
                    escape(origin),
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
                    format!("; cites {}", self.cite_links(k, &s.cites))
                };
                let mut extra = String::new();
                for p in &s.pinpoints {
                    let _ = write!(
                        extra,
                        "<blockquote class=\"pinpoint\">&ldquo;{}&rdquo; <span class=\"meta\">({})</span></blockquote>",
                        escape(&p.text),
                        self.cite_links(k, std::slice::from_ref(&p.source))
                    );
                }
                if let Some(note) = &s.note {
                    let _ = write!(
                        extra,
                        "<p class=\"note\">Why it is modelled so: {}</p>",
                        escape(note)
                    );
                }
                let _ = writeln!(
                    out,
                    "<li>{sentence} <span class=\"meta\">(rule at {}:{}{cited})</span>.{extra}</li>",
                    escape(&s.file),
                    s.line
                );
            }
            let _ = writeln!(out, "</ol>");
            parts.shared(block, "the path");
        }
    }

    /// Why a claim holds: the rules that settle it (each with what happens without it)
    /// and what would undo it.
    fn because(
        &self,
        out: &mut String,
        k: usize,
        v: &Verified,
        model: &Model,
        claim: usize,
        b: &Because,
    ) {
        let (holds, fails) = match model.claims[claim].mode {
            Mode::Always => ("holds", "fails"),
            Mode::Possible => ("fails", "holds"),
        };
        let _ = write!(out, "<div class=\"why\">");
        if b.core.is_empty() {
            let _ = writeln!(
                out,
                "<p><b>Why:</b> it {holds} by the flows alone; no condition, opt-out or assumption is needed.</p></div>"
            );
            return;
        }
        let these = if b.core.len() == 1 {
            "this rule, which alone settles it".to_owned()
        } else {
            format!(
                "these {} rules, which together settle it whatever the other rules say",
                b.core.len()
            )
        };
        let _ = writeln!(out, "<p><b>Why:</b> it {holds} because of {these}:</p><ol>");
        for cf in &b.counterfactuals {
            let context = match &cf.context {
                Context::AsWritten => "Without it".to_owned(),
                Context::CoreOnly if b.core.len() == 1 => {
                    "Without it, and without every other condition, opt-out and assumption"
                        .to_owned()
                }
                Context::CoreOnly => {
                    "Without it, keeping only the other rules listed here".to_owned()
                }
                Context::AlsoDropped(more) => format!(
                    "Without it and without {}",
                    and_list(
                        &more
                            .iter()
                            .map(|r| rule_place(v, model, *r, b.reading))
                            .collect::<Vec<_>>()
                    )
                ),
            };
            // the params of its own the counterfactual needs (those the assumptions
            // require are the version's, shown with its scenarios)
            let scenario = cf
                .outcome
                .witness
                .as_ref()
                .map(|w| {
                    let instance = crate::render::instance(model, claim, w)
                        .map(|i| format!(" for {i}"))
                        .unwrap_or_default();
                    let own: Vec<String> = w
                        .needed
                        .iter()
                        .filter(|i| !w.required.contains(i))
                        .map(|&i| v.param_shown(i))
                        .collect();
                    let when = if own.is_empty() {
                        String::new()
                    } else {
                        format!(" when {}", own.join(crate::render::param_separator(model)))
                    };
                    format!("{instance}{when}")
                })
                .unwrap_or_default();
            let (rule, passages) = self.rule_html(k, v, model, cf.rule, b.reading);
            let _ = writeln!(
                out,
                "<li>{rule}. {context}, it {fails}{}.{passages}</li>",
                escape(&scenario)
            );
        }
        let _ = writeln!(out, "</ol>");
        if !b.rules.is_empty() {
            let removing = |set: &[Rule]| {
                let places: Vec<String> = set
                    .iter()
                    .map(|r| rule_place(v, model, *r, b.reading))
                    .collect();
                if places.len() == 1 {
                    places[0].clone()
                } else {
                    format!("all of {}", and_list(&places))
                }
            };
            let mut line = format!("What undoes it: removing {}", removing(&b.rules));
            for set in &b.also {
                let _ = write!(line, "; or removing {}", removing(set));
            }
            let _ = writeln!(out, "<p>{}.</p>", escape(&line));
        }
        let _ = writeln!(out, "</div>");
    }

    /// A rule as people read it: what kind, its words, where it is written and what it
    /// cites; then the passages it rests on and why it is modelled so.
    fn rule_html(
        &self,
        k: usize,
        v: &Verified,
        model: &Model,
        rule: Rule,
        reading: Option<usize>,
    ) -> (String, String) {
        let info = rule.info_in(model, reading);
        let words = match rule {
            Rule::Optout(i) => {
                let p = &model.params[model.optouts[i].param.index()];
                param_in_general(model, p)
            }
            Rule::FlowCondition(i) => model.flows[i]
                .guard
                .as_ref()
                .map(|g| written(v, g.span))
                .unwrap_or_default(),
            Rule::CollectCondition(i) => model.collects[i]
                .guard
                .as_ref()
                .map(|g| written(v, g.span))
                .unwrap_or_default(),
            Rule::DeriveCondition(i) => model.derives[i]
                .guard
                .as_ref()
                .map(|g| written(v, g.span))
                .unwrap_or_default(),
            Rule::Assume(_) => {
                let text = written(v, info.span);
                text.split(" cite ")
                    .next()
                    .unwrap_or(&text)
                    .trim_end_matches(';')
                    .to_owned()
            }
        };
        let cites = info.cite_names(model);
        let cites = if cites.is_empty() {
            String::new()
        } else {
            format!("; cites {}", self.cite_links(k, &cites))
        };
        let head = format!(
            "The {} <q>{}</q> <span class=\"meta\">({}{cites})</span>",
            rule.kind(),
            escape(&words),
            escape(&place_of(v, info.span))
        );
        // an assumption's or opt-out's passages are under the version's list of them
        match rule {
            Rule::Assume(_) | Rule::Optout(_)
                if !info.pinpoints.is_empty() || info.note.is_some() =>
            {
                (
                    format!(
                        "{head} <a href=\"#{}\">Its passages and why it is modelled so</a>",
                        rule_id(v, info)
                    ),
                    String::new(),
                )
            }
            _ => (head, self.passages(k, model, info)),
        }
    }

    fn sources_section(&mut self) {
        if self.sources.is_empty() {
            return;
        }
        let _ = writeln!(
            self.out,
            "<section class=\"sources\" id=\"sources\"><h2>Sources</h2><dl class=\"sources\">"
        );
        let many = self.verified.len() > 1;
        for (anchor, name, entry, versions) in &self.sources {
            let cited_in = if many {
                let titles: Vec<String> = versions
                    .iter()
                    .map(|&k| {
                        format!(
                            "<a href=\"#{}\">{}</a>",
                            self.ids[k],
                            escape(&version_title(&self.verified[k]))
                        )
                    })
                    .collect();
                format!("<br><span class=\"meta\">In {}.</span>", and_list(&titles))
            } else {
                String::new()
            };
            let _ = writeln!(
                self.out,
                "<dt id=\"{anchor}\">{}</dt><dd>{entry}{cited_in}</dd>",
                escape(name)
            );
        }
        let _ = writeln!(self.out, "</dl></section>");
    }
}

/// The anchor of a version's assumption or opt-out in its list: the same for the same
/// rule written at the same place, so that versions sharing the list share the anchors.
fn rule_id(v: &Verified, info: &crate::model::RuleInfo) -> String {
    // FNV-1a: stable across runs and machines
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in place_of(v, info.span)
        .bytes()
        .chain(written(v, info.span).bytes())
    {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("r-{hash:016x}")
}

/// "base.flow:41": where a span is written.
fn place_of(v: &Verified, span: crate::span::Span) -> String {
    format!(
        "{}:{}",
        v.checked.sources.path(span.file).display(),
        v.checked.sources.line(span)
    )
}

/// "kind (file:line)".
fn rule_place(v: &Verified, model: &Model, rule: Rule, reading: Option<usize>) -> String {
    let info = rule.info_in(model, reading);
    format!("the {} at {}", rule.kind(), place_of(v, info.span))
}

/// The names a claim's formula uses that stand for something with a label: "`DHS_IDENT`
/// is DHS's biometric database (IDENT)".
fn named_in(model: &Model, formula: &str) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for word in formula.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if word.is_empty() || seen.contains(&word) {
            continue;
        }
        seen.push(word);
        // an agency, data, kind or param of that name, the first with a label
        let label = (model.agencies.iter().map(|a| (&a.name, &a.label)))
            .chain(model.data.iter().map(|d| (&d.name, &d.label)))
            .chain(model.kinds.iter().map(|k| (&k.name, &k.label)))
            .chain(model.params.iter().map(|p| (&p.name, &p.label)))
            .find_map(|(name, label)| label.as_ref().filter(|_| name == word));
        if let Some(label) = label {
            out.push(format!(
                "<code>{}</code> is &ldquo;{}&rdquo;",
                escape(word),
                escape(label)
            ));
        }
    }
    out
}

/// The flows a witness's scenario blocks out of the agencies on its paths: (from, to,
/// what), as people read them.
fn blocked_around(v: &Verified, w: &Witness) -> Vec<(String, String, String)> {
    let Some(view) = view::build(&v.checked, Some(w)).and_then(|view| view.scenario()) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String, String)> = Vec::new();
    for e in view.edges.iter().filter(|e| e.blocked) {
        let what: Vec<String> = e
            .lines
            .iter()
            .filter(|l| l.blocked)
            .map(|l| l.data_label.clone().unwrap_or_else(|| l.data.clone()))
            .collect();
        let mut unique: Vec<String> = Vec::new();
        for x in what {
            if !unique.contains(&x) {
                unique.push(x);
            }
        }
        if unique.is_empty() {
            continue;
        }
        let item = (
            view.nodes[e.from].shown().to_owned(),
            view.nodes[e.to].shown().to_owned(),
            unique.join(", "),
        );
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// One path drawn: its agencies top to bottom, what each hop moves, and the flows
/// blocked beside each agency.
fn path_drawing(
    steps: &[crate::verdict::ShownStep],
    origin: &str,
    data: &str,
    blocked: &[(String, String, String)],
) -> String {
    let stop = |name: &str| chain::Stop {
        name: name.to_owned(),
        notes: Vec::new(),
        blocked: blocked
            .iter()
            .filter(|(from, _, _)| from == name)
            .map(|(_, to, what)| (to.clone(), what.clone()))
            .collect(),
    };
    let mut stops = vec![stop(origin)];
    let mut hops = Vec::new();
    let mut names = vec![origin.to_owned()];
    for s in steps {
        let rule = format!(
            "{}:{}",
            std::path::Path::new(&s.file)
                .file_name()
                .map_or_else(|| s.file.clone(), |f| f.to_string_lossy().into_owned()),
            s.line
        );
        match s.derived_from_shown() {
            Some(from) => {
                if let Some(last) = stops.last_mut() {
                    last.notes.push(format!(
                        "derives the {} from the {from} ({rule})",
                        s.data_shown()
                    ));
                }
            }
            None => {
                hops.push(chain::Hop {
                    what: s.data_shown().to_owned(),
                    rule,
                });
                stops.push(stop(s.to_shown()));
                names.push(s.to_shown().to_owned());
            }
        }
    }
    // a blocked flow is drawn once, beside the first stop it leaves
    let mut drawn: Vec<(String, String)> = Vec::new();
    for s in &mut stops {
        let name = s.name.clone();
        s.blocked.retain(|(to, what)| {
            let key = (name.clone(), format!("{to}{what}"));
            let fresh = !drawn.contains(&key);
            drawn.push(key);
            fresh
        });
    }
    let title = format!("The path of the {data}: {}", names.join(" → "));
    chain::draw(&title, &stops, &hops)
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
