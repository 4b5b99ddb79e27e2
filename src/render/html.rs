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
//! forbids them), no fonts, no images other than the inline SVG. The page is written
//! with maud's `html!` templates, which escape every string spliced into them (markup
//! made elsewhere, the drawings, goes in as `PreEscaped`), and only `http(s)` URLs
//! become links.

use std::collections::HashMap;

use maud::{DOCTYPE, Markup, PreEscaped, Render, html};

use crate::explain::{Because, Context, Rule};
use crate::model::{Claim, Mode, Model};
use crate::render::chain;
use crate::render::diagnostic::{self, RenderOptions};
use crate::render::graph as view;
use crate::timeline::{Cell, Timeline};
use crate::verdict::{ClaimOutcome, Verdict, Witness};
use crate::verify::Verified;

/// Marks a page as written by flowproof, so a later report may replace it.
pub const GENERATOR: &str = r#"<meta name="generator" content="flowproof">"#;

/// Only `http://` and `https://` URLs become links.
fn link(url: &str) -> Markup {
    let lower = url.trim().to_ascii_lowercase();
    let web = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    html! {
        @if web {
            a href=(url.trim()) rel="noopener noreferrer" { (url) }
        } @else {
            code { (url) }
        }
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

impl Part {
    fn html(&self) -> &str {
        match self {
            Part::Raw(s) | Part::Shared(s, _) => s,
        }
    }
}

/// A claim's result being written: the pieces done and the raw markup after them.
#[derive(Default)]
struct Parts {
    done: Vec<Part>,
    open: String,
}

impl Parts {
    fn push(&mut self, markup: Markup) {
        self.open.push_str(&markup.0);
    }

    fn shared(&mut self, markup: Markup, what: &'static str) {
        if !self.open.is_empty() {
            self.done.push(Part::Raw(std::mem::take(&mut self.open)));
        }
        self.done.push(Part::Shared(markup.into_string(), what));
    }

    fn finish(mut self) -> Vec<Part> {
        if !self.open.is_empty() {
            self.done.push(Part::Raw(self.open));
        }
        self.done
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
    sources: Vec<(String, String, Markup, Vec<usize>)>,
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
    let timeline = timeline.map(|t| page.timeline(t));
    let versions: Vec<Markup> = (verified.iter().enumerate())
        .map(|(k, v)| page.version(k, v))
        .collect();
    let html = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8";
                (PreEscaped(GENERATOR))
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "flowproof report: " (title) }
                style { (PreEscaped(STYLE)) (PreEscaped(chain::STYLE)) }
            }
            body {
                a.skip href="#main" { "Skip to the report" }
                header {
                    h1 { "flowproof report: " (title) }
                    p.meta {
                        "Written by flowproof " (env!("CARGO_PKG_VERSION")) ". Each claim below \
                        was proved or refuted from the policy's own rules. " b { "Proved" } ": an "
                        i { "always" } " claim holds in every scenario the policy allows, a "
                        i { "possible" } " claim in at least one. " b { "Refuted" } ": the \
                        opposite; for an " i { "always" } " claim the scenario that breaks it is \
                        told step by step, each step citing the document it rests on. "
                        b { "Proved, vacuously" } ": the claim holds only because the situation \
                        it speaks of can never happen. " b { "Contested" } ": the readings of the \
                        record (how the documents put it, how things were done) give different \
                        verdicts; each is shown. A verdict says what the policy's rules imply, \
                        not whether that is good or bad."
                    }
                }
                nav aria-label="Contents" {
                    h2 { "Contents" }
                    ul {
                        @if timeline.is_some() {
                            li { a href="#timeline" { "Timeline" } }
                        }
                        @for (id, v) in page.ids.iter().zip(verified) {
                            li { a href={ "#" (id) } { (version_title(v)) } }
                        }
                        @if !page.sources.is_empty() {
                            li { a href="#sources" { "Sources" } }
                        }
                    }
                }
                main id="main" {
                    @if let Some(t) = timeline { (t) }
                    @for v in &versions { (v) }
                    (page.sources_section())
                }
            }
        }
        "\n"
    };
    without_controls(html.into_string())
}

/// The page with every control character other than a line break or tab (which a
/// policy's strings may hold, written as escapes) shown as U+FFFD.
fn without_controls(page: String) -> String {
    if !page
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return page;
    }
    page.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
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

fn verdict_badge(o: &ClaimOutcome) -> Markup {
    badge(&o.verdict, o.vacuous.is_some())
}

fn badge(verdict: &Verdict, vacuous: bool) -> Markup {
    let (class, words) = match (verdict, vacuous) {
        (Verdict::Proved, true) => ("proved", "proved, vacuously"),
        (Verdict::Proved, false) => ("proved", "proved"),
        (Verdict::Refuted, _) => ("refuted", "refuted"),
        (Verdict::Unknown(_), _) => ("unknown", "unknown"),
        (Verdict::Contested, _) => ("contested", "contested"),
    };
    html! { span class={ "badge " (class) } { (words) } }
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
fn and_list<T: Render>(items: &[T]) -> Markup {
    html! {
        @for (i, item) in items.iter().enumerate() {
            @if i + 1 == items.len() && i > 0 {
                " and "
            } @else if i > 0 {
                ", "
            }
            (item)
        }
    }
}

/// "“words”", with curly quotes.
fn quoted(words: &str) -> Markup {
    html! { "\u{201c}" (words) "\u{201d}" }
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
                let entry = html! {
                    @if let Some(t) = &s.title { (t) }
                    @if let Some(d) = &s.date { " (" (d) ")" }
                    @if let Some(doc) = &s.document {
                        br; span.meta { "The document: " (doc) }
                    }
                    @if let Some(u) = &s.url { br; (link(u)) }
                    @if let Some(q) = &s.quote { blockquote { (quoted(q)) } }
                };
                let key = (s.name.clone(), entry.0.clone());
                let at = match by_entry.get(&key) {
                    Some(&i) => i,
                    None => {
                        let taken = self.sources.iter().filter(|x| x.1 == s.name).count();
                        let anchor = match taken {
                            0 => format!("src-{}", anchor(&s.name)),
                            n => format!("src-{}-{}", anchor(&s.name), n + 1),
                        };
                        self.sources
                            .push((anchor, s.name.clone(), entry, Vec::new()));
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

    /// The names, each once, each a link to its entry in the sources.
    fn cite_links(&self, k: usize, names: &[String]) -> Markup {
        let mut unique: Vec<&String> = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        html! {
            @for (i, n) in unique.iter().enumerate() {
                @if i > 0 { ", " }
                @if let Some(a) = self.source_anchor.get(&(k, (*n).clone())) {
                    a href={ "#" (a) } { (n) }
                } @else {
                    (n)
                }
            }
        }
    }

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
            words.push_str(", reading ");
            words.push_str(r);
        }
        words
    }

    /// `block` with the anchor `id`, or, when the same block was shown before, a link to
    /// it (`what` names the block: "the claim's words and sources").
    fn once(&mut self, block: Markup, id: &str, what: &str) -> Markup {
        let block = block.into_string();
        if block.len() >= SHARED_MIN
            && let Some((at, shown_in)) = self.said.get(&block)
        {
            return html! {
                p.meta {
                    (capitalised(what)) ": as under "
                    a href={ "#" (at) } { (self.place_words(shown_in)) } "."
                }
            };
        }
        let shown = html! { div id=(id) { (PreEscaped(&block)) } };
        self.said.insert(block, (id.to_owned(), self.here.clone()));
        shown
    }

    /// A new anchor for a block: `b1`, `b2`, ...
    fn block_id(&mut self) -> String {
        self.blocks += 1;
        format!("b{}", self.blocks)
    }

    /// A result's pieces under the anchor `id` (its shared pieces each said once), or,
    /// when the same result was shown before, a link to it.
    fn result(&mut self, parts: Vec<Part>, id: &str) -> Markup {
        let whole: String = parts.iter().map(Part::html).collect();
        if whole.len() >= SHARED_MIN
            && let Some((at, shown_in)) = self.said.get(&whole)
        {
            return html! {
                p.meta {
                    "Result and reasons: as under "
                    a href={ "#" (at) } { (self.place_words(shown_in)) } "."
                }
            };
        }
        let mut shown = String::new();
        for p in parts {
            match p {
                Part::Raw(s) => shown.push_str(&s),
                Part::Shared(s, what) => {
                    let block = self.block_id();
                    shown.push_str(&self.once(PreEscaped(s), &block, what).0);
                }
            }
        }
        self.said.insert(whole, (id.to_owned(), self.here.clone()));
        html! { div id=(id) { (PreEscaped(shown)) } }
    }

    fn timeline(&self, t: &Timeline) -> Markup {
        html! {
            section id="timeline" {
                h2 { "Timeline" }
                p {
                    "Each column is a version, oldest first; each cell the statement's verdict \
                    there: " b { "P" } " proved, " b { "P*" } " proved only vacuously, " b { "R" }
                    " refuted, " b { "C" } " contested, " b { "?" } " unknown, \u{2013} not \
                    stated. Where the record is read more than one way, a cell gives the verdict \
                    in each reading, in this order: " (self.readings_order(t)) "."
                }
                ol.versions {
                    @for (i, c) in t.columns.iter().enumerate() {
                        @let label = c.version.as_deref().unwrap_or(&c.name);
                        @let k = (self.verified.iter())
                            .position(|v| v.checked.path.display().to_string() == c.path);
                        li value=(i + 1) {
                            @if let Some(k) = k {
                                a href={ "#" (self.ids[k]) } { (label) }
                            } @else {
                                (label)
                            }
                            " " span.meta { "(from " (c.date) ")" }
                        }
                    }
                }
                table.timeline {
                    tr {
                        th scope="col" { "statement" }
                        @for (i, c) in t.columns.iter().enumerate() {
                            th scope="col" class="mark" {
                                "[" (i + 1) "]" br; span class="meta date" { (c.date) }
                            }
                        }
                    }
                    // one row per statement; its per-reading rows become the parts of its
                    // cells
                    @for row in t.rows.iter().filter(|r| r.reading.is_none()) {
                        (self.timeline_row(t, row))
                    }
                }
                @if t.rows.iter().any(|r| r.said.is_some()) {
                    p.meta {
                        "A framed mark in brackets, like [R], is judged when said: the version \
                        in force on the day the statement was made, so it says whether the \
                        statement was true when it was said."
                    }
                }
                (self.flips(t))
            }
        }
    }

    /// A statement's row of the timeline: its title and who said it, then its verdict in
    /// each version (per reading where the readings differ).
    fn timeline_row(&self, t: &Timeline, row: &crate::timeline::Row) -> Markup {
        let parts: Vec<&crate::timeline::Row> = t
            .rows
            .iter()
            .filter(|r| r.claim == row.claim && r.reading.is_some())
            .collect();
        let claim = self.claim_named(&row.claim);
        let title = claim.map_or(row.claim.as_str(), |(_, c)| claim_shown(c));
        let said = claim.and_then(|(_, c)| crate::render::text::statement(c));
        html! {
            tr {
                td {
                    @if let Some((k, _)) = claim {
                        a href={ "#" (self.ids[k]) "-" (anchor(&row.claim)) } { (title) }
                    } @else {
                        (title)
                    }
                    @if let Some(said) = said { br; span.meta { (said) } }
                }
                @for (i, cell) in row.cells.iter().enumerate() {
                    @let date = &t.columns[i].date;
                    @if let Some(cell) = cell {
                        @let (mark, words) = timeline_cell(&parts, i, cell);
                        td class={ "mark " (cell.verdict) (if cell.said { " said" } else { "" }) }
                            data-date=(date) title=(words) { (mark) }
                    } @else {
                        td class="mark" data-date=(date) { "\u{2013}" }
                    }
                }
            }
        }
    }

    /// The readings' names in the order the timeline's cells give them.
    fn readings_order(&self, t: &Timeline) -> Markup {
        let mut names: Vec<&String> = Vec::new();
        for r in &t.rows {
            if let Some(n) = &r.reading
                && !names.contains(&n)
            {
                names.push(n);
            }
        }
        let label = |n: &String| {
            self.verified
                .iter()
                .filter_map(Verified::model)
                .flat_map(|m| &m.readings)
                .find(|r| &r.name == n)
                .and_then(|r| r.label.clone())
        };
        html! {
            @if names.is_empty() {
                "(this policy has no readings)"
            }
            @for (i, n) in names.iter().enumerate() {
                @if i > 0 { ", then " }
                @if let Some(l) = label(n) {
                    (l) " (" code { (n) } ")"
                } @else {
                    code { (n) }
                }
            }
        }
    }

    /// The claim of this name in the first version that states it.
    fn claim_named(&self, name: &str) -> Option<(usize, &Claim)> {
        self.verified.iter().enumerate().find_map(|(k, v)| {
            v.model()
                .and_then(|m| m.claims.iter().find(|c| c.name == name))
                .map(|c| (k, c))
        })
    }

    fn flips(&self, t: &Timeline) -> Markup {
        if t.flips.is_empty() {
            return html! {};
        }
        html! {
            h3 { "What changed the verdicts" }
            ul {
                @for f in &t.flips {
                    @let title = self
                        .claim_named(&f.claim)
                        .map_or(f.claim.as_str(), |(_, c)| claim_shown(c));
                    li {
                        b { (title) }
                        @if let Some(r) = &f.reading { " (reading " code { (r) } ")" }
                        ": " (Cell::words(&f.before)) " under [" (f.from + 1) "] of "
                        (t.columns[f.from].date) " \u{2192} " (Cell::words(&f.after))
                        " under [" (f.to + 1) "] of " (t.columns[f.to].date)
                        @if !f.edits.is_empty() {
                            ", because of:"
                            ul {
                                @for e in &f.edits {
                                    li {
                                        (e.change) " " code { (e.slot) }
                                        @if let Some(r) = e.new.first().or(e.old.first()) {
                                            " (" (r.file) ":" (r.line) ")"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn version(&mut self, k: usize, v: &Verified) -> Markup {
        let body = self.version_body(k, v);
        html! {
            section.version id=(self.ids[k]) {
                h2 { (version_title(v)) }
                p.meta { (v.checked.path.display().to_string()) }
                (body)
            }
        }
    }

    /// A version under its heading: its errors, or its claims' verdicts, what it assumes,
    /// its opt-outs and readings, each claim, and its flow graph.
    fn version_body(&mut self, k: usize, v: &Verified) -> Markup {
        let errors: Vec<_> = v.diagnostics().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            let plain = RenderOptions {
                color: false,
                width: 100,
                plain: false,
            };
            return html! {
                p { "This file has errors, so none of its claims were verified:" }
                @for d in errors {
                    pre.diagnostic { (diagnostic::render(d, &v.checked.sources, plain)) }
                }
            };
        }
        let Some(model) = v.checked.model.as_ref() else {
            return html! {};
        };
        let count = |f: fn(&Verdict) -> bool| v.outcomes.iter().filter(|o| f(&o.verdict)).count();
        let summary = html! {
            p {
                (v.outcomes.len()) " claims: "
                (count(|x| matches!(x, Verdict::Proved))) " proved, "
                (count(|x| matches!(x, Verdict::Refuted))) " refuted, "
                (count(|x| matches!(x, Verdict::Contested))) " contested, "
                (count(|x| matches!(x, Verdict::Unknown(_)))) " unknown."
            }
            table.claims {
                tr { th scope="col" { "claim" } th scope="col" { "verdict" } }
                @for o in &v.outcomes {
                    @let c = &model.claims[o.claim];
                    tr {
                        td {
                            a href={ "#" (self.ids[k]) "-" (anchor(&c.name)) } { (claim_shown(c)) }
                            " " code { (c.name) }
                        }
                        td { (verdict_badge(o)) }
                    }
                }
            }
        };
        self.here = Place {
            version: k,
            version_shown: version_short(v),
            ..Place::default()
        };
        let id = self.ids[k].clone();
        let assumes = (!model.assumes.is_empty()).then(|| {
            let list = self.assumptions(k, v, model);
            self.once(list, &format!("{id}-assumes"), "its assumptions")
        });
        let optouts = (!model.optouts.is_empty()).then(|| {
            let list = self.optouts(k, v, model);
            self.once(list, &format!("{id}-optouts"), "its opt-outs")
        });
        let readings = (!model.readings.is_empty()).then(|| {
            let list = self.readings(k, v, model);
            self.once(list, &format!("{id}-readings"), "what each reading assumes")
        });
        let claims: Vec<Markup> = (v.outcomes.iter())
            .map(|o| self.claim(k, v, model, o))
            .collect();
        let graph = view::build(&v.checked, None)
            .map(|view| crate::render::svg::render_for_page(&view, self.layout).svg);
        html! {
            (summary)
            @if let Some(list) = assumes {
                h3 { "What this version assumes" }
                (list)
            }
            @if let Some(list) = optouts {
                h3 { "The opt-outs it provides" }
                (list)
            }
            @if let Some(list) = readings {
                h3 { "The readings of the record" }
                (list)
            }
            @for claim in &claims { (claim) }
            @if let Some(svg) = graph {
                div.whole {
                    h3 { "The flow graph" }
                    figure.whole {
                        (PreEscaped(svg))
                        figcaption {
                            "Every agency and every flow of this version, each arrow labelled \
                            with the data it carries. Wider than a phone's screen: scroll it \
                            sideways."
                        }
                    }
                }
            }
        }
    }

    fn claim(&mut self, k: usize, v: &Verified, model: &Model, o: &ClaimOutcome) -> Markup {
        let c = &model.claims[o.claim];
        let id = format!("{}-{}", self.ids[k], anchor(&c.name));
        self.here = Place {
            version: k,
            version_shown: version_short(v),
            claim: c.name.clone(),
            claim_shown: claim_shown(c).to_owned(),
            reading: None,
        };
        let split = o.readings.iter().any(|r| {
            r.verdict != o.readings[0].verdict
                || r.vacuous.is_some() != o.readings[0].vacuous.is_some()
        });
        let heading = html! {
            h3 { (claim_shown(c)) }
            p {
                (verdict_badge(o))
                @if split {
                    " "
                    span.meta {
                        "("
                        @for (i, r) in o.readings.iter().enumerate() {
                            @if i > 0 { "; " }
                            (reading_shown(&model.readings[r.reading])) ": "
                            (badge(&r.verdict, r.vacuous.is_some()))
                        }
                        ")"
                    }
                }
                " "
                span.meta {
                    "Claim " code { (c.name) }
                    @if let Some(said) = crate::render::text::statement(c) { "; " (said) }
                    "."
                }
            }
        };
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
        let whole: String = std::iter::once(statement.0.as_str())
            .chain(single.iter().chain(&blocks).flatten().map(Part::html))
            .collect();
        if let Some((at, shown_in)) = self.articles.get(&whole) {
            return html! {
                article.claim id=(id) {
                    (heading)
                    p.meta {
                        "Its words, result and reasons: as under "
                        a href={ "#" (at) } { (self.place_words(shown_in)) } "."
                    }
                }
            };
        }
        self.articles.insert(whole, (id.clone(), self.here.clone()));
        let said_id = self.block_id();
        let words = self.once(statement, &said_id, "words and sources");
        let single = single.map(|parts| {
            let at = self.block_id();
            self.result(parts, &at)
        });
        let mut readings: Vec<(Markup, Markup)> = Vec::new();
        let alike = blocks.len() > 1 && blocks.iter().all(|b| b == &blocks[0]);
        if alike {
            let at = self.block_id();
            let result = self.result(blocks[0].clone(), &at);
            readings.push((html! { "In every reading: " (verdict_badge(o)) }, result));
        } else {
            for (r, block) in o.readings.iter().zip(blocks) {
                let reading = &model.readings[r.reading];
                self.here.reading = Some(reading.name.clone());
                let at = self.block_id();
                let result = self.result(block, &at);
                readings.push((
                    html! {
                        (capitalised(reading_shown(reading))) ": "
                        (badge(&r.verdict, r.vacuous.is_some()))
                    },
                    result,
                ));
            }
        }
        html! {
            article.claim id=(id) {
                (heading)
                (words)
                @if let Some(result) = single { (result) }
                @for (head, result) in &readings {
                    section.reading { h4 { (head) } (result) }
                }
            }
        }
    }

    /// Each reading: its name and label, why it is read so, what it cites, and what it
    /// assumes (each assumption with its passages and note).
    fn readings(&self, k: usize, v: &Verified, model: &Model) -> Markup {
        html! {
            p {
                "Where the record can be read more than one way, every claim is judged in each \
                reading, on this version's rules with the reading's assumptions added."
            }
            dl.readings {
                @for r in &model.readings {
                    dt {
                        code { (r.name) }
                        @if let Some(l) = &r.label { " " (quoted(l)) }
                    }
                    dd {
                        @if let Some(note) = &r.note { p.note { (note) } }
                        @let cites = r.info.cite_names(model);
                        @if !cites.is_empty() {
                            p.meta { "Cites " (self.cite_links(k, &cites)) "." }
                        }
                        (self.passages(k, model, &r.info))
                        @if !r.assumes.is_empty() {
                            p { "It assumes:" }
                            ul {
                                @for a in &r.assumes {
                                    li id=(rule_id(v, &a.info)) {
                                        code { (written(v, a.formula.span)) }
                                        (self.passages(k, model, &a.info))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The version's assumptions, each as written with where, its passages and note.
    fn assumptions(&self, k: usize, v: &Verified, model: &Model) -> Markup {
        html! {
            p {
                "Every scenario of this version satisfies these; they are what the version \
                decides."
            }
            ul {
                @for a in &model.assumes {
                    li id=(rule_id(v, &a.info)) {
                        code { (written(v, a.formula.span)) } " "
                        span.meta {
                            "(" (place_of(v, a.info.span)) ")"
                            (self.cites_of(k, model, &a.info))
                        }
                        (self.passages(k, model, &a.info))
                    }
                }
            }
        }
    }

    /// The version's opt-outs: who may take each, what it blocks, where it is written,
    /// its passages and note.
    fn optouts(&self, k: usize, v: &Verified, model: &Model) -> Markup {
        html! {
            ul {
                @for o in &model.optouts {
                    @let p = &model.params[o.param.index()];
                    @let blocks: Vec<Markup> = (o.blocks.iter())
                        .map(|b| html! { code { (written(v, b.span)) } })
                        .collect();
                    li id=(rule_id(v, &o.info)) {
                        (quoted(&param_in_general(model, p))) " "
                        span.meta {
                            "(" code { (p.name) } ", " (place_of(v, o.info.span)) ")"
                            (self.cites_of(k, model, &o.info))
                        }
                        ": blocks " (and_list(&blocks)) "."
                        (self.passages(k, model, &o.info))
                    }
                }
            }
        }
    }

    /// "; cites a, b" (linked), or nothing.
    fn cites_of(&self, k: usize, model: &Model, info: &crate::model::RuleInfo) -> Markup {
        let cites = info.cite_names(model);
        html! {
            @if !cites.is_empty() { "; cites " (self.cite_links(k, &cites)) }
        }
    }

    /// A passage quoted from a source, with a link to the source.
    fn pinpoint(&self, k: usize, text: &str, source: &str) -> Markup {
        html! {
            blockquote.pinpoint {
                (quoted(text)) " "
                span.meta { "(" (self.cite_links(k, &[source.to_owned()])) ")" }
            }
        }
    }

    /// A rule's pinpointed passages, then why it is modelled so.
    fn passages(&self, k: usize, model: &Model, info: &crate::model::RuleInfo) -> Markup {
        html! {
            @for p in &info.pinpoints {
                (self.pinpoint(k, &p.text, &model.sources[p.source.index()].name))
            }
            @if let Some(note) = &info.note {
                p.note { "Why it is modelled so: " (note) }
            }
        }
    }

    /// A claim's words: the quotation, the statement in the policy's language with what
    /// its names stand for, why it is modelled so, and what it cites.
    fn statement(&self, k: usize, v: &Verified, model: &Model, c: &Claim) -> Markup {
        let mode = match c.mode {
            Mode::Always => "always",
            Mode::Possible => "possible",
        };
        let formula = written(v, c.formula.span);
        let names = named_in(model, &formula);
        let cites = c.info.cite_names(model);
        html! {
            @if let Some(q) = &c.quote { blockquote { (quoted(q)) } }
            p.meta { "What was checked, in the policy's language:" }
            pre.formal { (mode) " " (formula) }
            @if !names.is_empty() {
                p.meta { "Where " (and_list(&names)) "." }
            }
            @if let Some(note) = &c.info.note {
                p.note { "Why it is modelled so: " (note) }
            }
            @if !cites.is_empty() {
                p.meta { "Cites " (self.cite_links(k, &cites)) "." }
            }
            @for p in &c.info.pinpoints {
                (self.pinpoint(k, &p.text, &model.sources[p.source.index()].name))
            }
        }
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
        out.push(html! {
            p {
                @match (verdict, c.mode, witness.is_some()) {
                    (Verdict::Refuted, Mode::Always, true) => {
                        "It is refuted: here is a scenario the policy allows in which it fails."
                    }
                    (Verdict::Proved, Mode::Possible, true) => {
                        "It is proved: here is a scenario the policy allows in which it holds."
                    }
                    (Verdict::Proved, _, _) if vacuous => {
                        "It holds only vacuously: the situation it speaks of never happens \
                        under this policy, so it says nothing."
                    }
                    (Verdict::Proved, _, _) => {
                        "It is proved: it holds in every scenario the policy allows (an "
                        i { (mode) } " claim)."
                    }
                    (Verdict::Refuted, _, _) => {
                        "It is refuted: no scenario the policy allows satisfies it."
                    }
                    (Verdict::Unknown(why), _, _) => {
                        "The solver could not decide it: " (why) ". This is not a verdict."
                    }
                    (Verdict::Contested, _, _) => {
                        "It is contested: the readings of the record disagree on it."
                    }
                }
            }
        });
        if let Some(w) = witness {
            self.scenario(&mut out, k, v, model, claim, w);
        }
        if let Some(b) = v.because.get(&(claim, reading)) {
            out.shared(self.because(k, v, model, claim, b), "why");
        } else if let Some((_, e)) = v
            .unexplained
            .iter()
            .find(|(key, _)| *key == (claim, reading))
        {
            out.push(html! {
                p.meta { "Why it holds could not be worked out: " (e) "." }
            });
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
        let instance = crate::render::instance(model, claim, w);
        let instance = html! { @if let Some(i) = instance { ", for " (i) } };
        let facts = |set: &[usize]| {
            html! {
                ul.scenario {
                    @for &i in set { li { (capitalised(&v.param_shown(i))) } }
                }
            }
        };
        let own: Vec<usize> = w
            .needed
            .iter()
            .copied()
            .filter(|i| !w.required.contains(i))
            .collect();
        if w.params.is_empty() {
            parts.push(html! {
                p { "The file has no params, so there is only one scenario" (instance) "." }
            });
        } else if own.is_empty() && w.required.is_empty() {
            parts.push(html! { p { "The scenario" (instance) ": every param is false." } });
        } else {
            if own.is_empty() {
                parts.push(html! {
                    p { "The scenario" (instance) ": what the assumptions require." }
                });
            } else {
                parts.push(html! { p { "The scenario" (instance) ":" } (facts(&own)) });
            }
            if !w.required.is_empty() {
                let lead = if own.is_empty() {
                    "What the assumptions require"
                } else {
                    "With what the assumptions require"
                };
                parts.shared(
                    html! { p { (lead) ":" } (facts(&w.required)) },
                    "what the assumptions require",
                );
            }
            let needed = match (own.len() + w.required.len(), w.minimal) {
                (1, _) => "It is needed",
                (_, true) => "All of them are needed",
                (_, false) => "None of them can be spared alone",
            };
            parts.push(html! {
                p.meta { (needed) "; everything else the policy leaves open is false." }
            });
        }
        let sources = &v.checked.sources;
        let blocked = blocked_around(v, w);
        for path in &w.paths {
            let data = model.data_shown(path.data);
            let (origin, at) = (model.agency_shown(path.origin), model.agency_shown(path.at));
            let steps = path.shown(model, sources, v.params());
            let block = html! {
                p { "How the " (data) " of " (origin) " reach " (at) ":" }
                figure.path { (PreEscaped(path_drawing(&steps, origin, data, &blocked))) }
                ol.story {
                    @if steps.is_empty() {
                        li { (origin) " collects the " (data) " itself." }
                    }
                    @for s in &steps {
                        li {
                            @match s.derived_from_shown() {
                                Some(from) => {
                                    "At " (s.to_shown()) ", the " (s.data_shown())
                                    " is derived from " (s.origin_shown()) "\u{2019}s " (from)
                                }
                                None if s.origin == s.from => {
                                    (s.from_shown()) " sends its own " (s.data_shown()) " to "
                                    (s.to_shown())
                                }
                                None => {
                                    (s.from_shown()) " passes " (s.origin_shown()) "\u{2019}s "
                                    (s.data_shown()) " on to " (s.to_shown())
                                }
                            }
                            " "
                            span.meta {
                                "(rule at " (s.file) ":" (s.line)
                                @if !s.cites.is_empty() {
                                    "; cites " (self.cite_links(k, &s.cites))
                                }
                                ")"
                            }
                            "."
                            @for p in &s.pinpoints {
                                (self.pinpoint(k, &p.text, &p.source))
                            }
                            @if let Some(note) = &s.note {
                                p.note { "Why it is modelled so: " (note) }
                            }
                        }
                    }
                }
            };
            parts.shared(block, "the path");
        }
    }

    /// Why a claim holds: the rules that settle it (each with what happens without it)
    /// and what would undo it.
    fn because(&self, k: usize, v: &Verified, model: &Model, claim: usize, b: &Because) -> Markup {
        let (holds, fails) = match model.claims[claim].mode {
            Mode::Always => ("holds", "fails"),
            Mode::Possible => ("fails", "holds"),
        };
        if b.core.is_empty() {
            return html! {
                div.why {
                    p {
                        b { "Why:" } " it " (holds) " by the flows alone; no condition, opt-out \
                        or assumption is needed."
                    }
                }
            };
        }
        let these = if b.core.len() == 1 {
            "this rule, which alone settles it".to_owned()
        } else {
            format!(
                "these {} rules, which together settle it whatever the other rules say",
                b.core.len()
            )
        };
        let places = |set: &[Rule]| -> Vec<String> {
            set.iter()
                .map(|r| rule_place(v, model, *r, b.reading))
                .collect()
        };
        let removing = |set: &[Rule]| {
            let places = places(set);
            html! {
                @if places.len() == 1 { (places[0]) } @else { "all of " (and_list(&places)) }
            }
        };
        html! {
            div.why {
                p { b { "Why:" } " it " (holds) " because of " (these) ":" }
                ol {
                    @for cf in &b.counterfactuals {
                        @let (rule, passages) = self.rule_html(k, v, model, cf.rule, b.reading);
                        li {
                            (rule) ". "
                            @match &cf.context {
                                Context::AsWritten => "Without it",
                                Context::CoreOnly if b.core.len() == 1 => {
                                    "Without it, and without every other condition, opt-out and \
                                    assumption"
                                }
                                Context::CoreOnly => {
                                    "Without it, keeping only the other rules listed here"
                                }
                                Context::AlsoDropped(more) => {
                                    "Without it and without " (and_list(&places(more)))
                                }
                            }
                            ", it " (fails)
                            @if let Some(w) = &cf.outcome.witness {
                                (counterfactual_scenario(v, model, claim, w))
                            }
                            "." (passages)
                        }
                    }
                }
                @if !b.rules.is_empty() {
                    p {
                        "What undoes it: removing " (removing(&b.rules))
                        @for set in &b.also { "; or removing " (removing(set)) }
                        "."
                    }
                }
            }
        }
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
    ) -> (Markup, Markup) {
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
        // an assumption's or opt-out's passages are under the version's list of them
        let listed = matches!(rule, Rule::Assume(_) | Rule::Optout(_))
            && (!info.pinpoints.is_empty() || info.note.is_some());
        let head = html! {
            "The " (rule.kind()) " " q { (words) } " "
            span.meta { "(" (place_of(v, info.span)) (self.cites_of(k, model, info)) ")" }
            @if listed {
                " " a href={ "#" (rule_id(v, info)) } { "Its passages and why it is modelled so" }
            }
        };
        if listed {
            (head, html! {})
        } else {
            (head, self.passages(k, model, info))
        }
    }

    fn sources_section(&self) -> Markup {
        if self.sources.is_empty() {
            return html! {};
        }
        let many = self.verified.len() > 1;
        html! {
            section.sources id="sources" {
                h2 { "Sources" }
                dl.sources {
                    @for (anchor, name, entry, versions) in &self.sources {
                        dt id=(anchor) { (name) }
                        dd {
                            (entry)
                            @if many {
                                @let titles: Vec<Markup> = (versions.iter())
                                    .map(|&k| html! {
                                        a href={ "#" (self.ids[k]) } {
                                            (version_title(&self.verified[k]))
                                        }
                                    })
                                    .collect();
                                br; span.meta { "In " (and_list(&titles)) "." }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A timeline cell's mark and words: one per reading when the readings differ there, in
/// brackets when the statement was made while this version was in force.
fn timeline_cell(parts: &[&crate::timeline::Row], i: usize, cell: &Cell) -> (String, String) {
    let each: Vec<&Cell> = parts.iter().filter_map(|p| p.cells[i].as_ref()).collect();
    let split = each.len() > 1 && each.iter().any(|c| !c.same_verdict(each[0]));
    let (mark, words) = if split {
        (
            each.iter().map(|c| c.mark()).collect::<Vec<_>>().join("/"),
            parts
                .iter()
                .zip(&each)
                .map(|(p, c)| format!("{}: {}", p.reading.as_deref().unwrap_or(""), Cell::words(c)))
                .collect::<Vec<_>>()
                .join("; "),
        )
    } else {
        (cell.mark().to_owned(), Cell::words(cell).to_owned())
    };
    if cell.said {
        (
            format!("[{mark}]"),
            format!("{words}; the version in force when it was said"),
        )
    } else {
        (mark, words)
    }
}

/// The scenario in which a claim fails without a rule: " for an instance when the params
/// of its own it needs" (those the assumptions require are the version's, shown with its
/// scenarios).
fn counterfactual_scenario(v: &Verified, model: &Model, claim: usize, w: &Witness) -> Markup {
    let own: Vec<String> = w
        .needed
        .iter()
        .filter(|i| !w.required.contains(i))
        .map(|&i| v.param_shown(i))
        .collect();
    html! {
        @if let Some(i) = crate::render::instance(model, claim, w) { " for " (i) }
        @if !own.is_empty() {
            " when " (own.join(crate::render::param_separator(model)))
        }
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
fn named_in(model: &Model, formula: &str) -> Vec<Markup> {
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
            out.push(html! { code { (word) } " is " (quoted(label)) });
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
    use super::{anchor, link, without_controls};

    #[test]
    fn only_http_urls_become_links() {
        assert!(
            link("https://example.org/a?b=1&c=2")
                .into_string()
                .starts_with("<a href=\"https://example.org/a?b=1&amp;c=2\"")
        );
        assert!(
            link("HTTP://EXAMPLE.ORG")
                .into_string()
                .starts_with("<a href=")
        );
        for hostile in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "seed:004.txt",
            "https://exa mple.org\" onmouseover=\"alert(1)",
        ] {
            let l = link(hostile).into_string();
            assert!(l.starts_with("<code>"), "{hostile}: {l}");
            assert!(!l.contains("<script") && !l.contains("\" on"), "{l}");
        }
    }

    #[test]
    fn control_characters_are_shown_as_replacement_characters() {
        assert_eq!(
            without_controls("a\u{7}b\u{0}\nc\td".to_owned()),
            "a\u{fffd}b\u{fffd}\nc\td"
        );
        assert_eq!(without_controls("plain".to_owned()), "plain");
    }

    #[test]
    fn anchors_keep_only_safe_characters() {
        assert_eq!(anchor("a\"><script>"), "a___script_");
        assert_eq!(anchor("seed_004-x"), "seed_004-x");
    }
}
