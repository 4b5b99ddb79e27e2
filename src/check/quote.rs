//! Quotations checked against their documents (contract section 5.5): a document's
//! text and a quotation → the byte range of the document where the quotation occurs,
//! or, when it does not, the passage of the document most like it (for the help of
//! `quote_not_found`). Pure: no I/O.
//!
//! # Matching
//!
//! Both texts are normalised by [`normalise`]: every run of white space becomes one
//! space, `‘ ’ ‚ ′` become `'`, `“ ” „ ″` become `"`, and `– —` become `-`. The
//! quotation is cut at its ellipses into **parts**, each normalised and trimmed; the
//! quotation is found when its parts occur in the normalised document in order, case
//! and punctuation otherwise exact, anything (possibly nothing) between them.
//!
//! # Decisions the contract leaves open
//!
//! - **White space** is what [`char::is_whitespace`] says: spaces, tabs, line breaks
//!   (`\r\n` included), and Unicode's others, non-breaking spaces (U+00A0, U+202F) among
//!   them. Zero-width characters (U+200B, U+FEFF) and the soft hyphen are not white
//!   space and must match exactly.
//! - **Only the contract's characters are mapped.** `‛ ‟ « »`, the figure dash, the
//!   minus sign and the like stay as they are, and there is no Unicode canonical
//!   equivalence (a precomposed `é` does not match `e` with a combining accent).
//! - [`normalise`] applies the rule and nothing more: it does not trim (text opening
//!   with white space opens with one space). The quotation's parts are trimmed, so white
//!   space at either end of a quotation, or around an ellipsis, does not matter.
//! - **An ellipsis** is a run of full stops and `…` holding a `…` or at least three full
//!   stops: `...`, `…`, and also `....` or `….` (an ellipsis with the sentence's full
//!   stop, wherever it stood) are one ellipsis; `..` is two full stops, matched as they
//!   are. Dots with spaces between them (`. . .`) and a bracketed ellipsis (`[…]`) are
//!   not ellipses under the contract: they are punctuation, matched exactly.
//! - An ellipsis matches any text, **possibly empty**: `a ... b` and `a...b` both
//!   match `a b`, `ab` and `a, then b`. Several ellipses in a row are one gap.
//! - An ellipsis at the **start or end** of a quotation adds nothing: the range found
//!   covers the quoted parts only.
//! - A quotation with **no parts** (empty, white space or ellipses only) quotes nothing:
//!   [`search`] says [`Search::Empty`], for the caller to report as an error of its own;
//!   [`find`] gives `None` for it, as for a quotation not found.
//! - A part occurs **anywhere**, not only at word boundaries: the contract asks that
//!   the quotation occur in the document, so `print` occurs in `fingerprint`.
//! - **Which match**: the leftmost. The first part at its first occurrence, and each
//!   later part at its first occurrence after the one before (for that start, the match
//!   that ends first). The range starts at the first character of the first part and
//!   ends after the last character of the last part; a run of white space inside it is
//!   taken whole.
//!
//! # The closest passage
//!
//! [`closest`] compares words (lowercased, stripped of the punctuation at their ends):
//! every window of the quotation's word count is scored by the words it shares with the
//! quotation (as many times as the quotation has them, rare words weighing more); around the few best windows, windows a little
//! shifted, shorter or longer are scored by their edit distance in words; the nearest
//! wins; among equally near ones, the one holding the most quoted words in order (so the
//! passage reaches the last word it shares with the quotation: "thirty days' written
//! notice" for "thirty days' notice", not "thirty days' written"), then the one nearest
//! the quotation letter by letter (by `strsim`'s normalised Levenshtein on the
//! normalised texts). Its time grows with the
//! document's length and the square of the quotation's, within a fixed budget.

use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

use rustc_hash::FxHashMap;

/// The longest passage [`closest`] gives, in characters (an `…` is added when clipped).
pub const PASSAGE_CHARS: usize = 200;

/// What searching a document for a quotation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// The quotation occurs at this byte range of the original document.
    Found(Range<usize>),
    /// The quotation does not occur in the document.
    Missing,
    /// The quotation quotes nothing: it is empty, or white space and ellipses only.
    Empty,
}

/// `text` normalised by the contract's rule: every run of white space becomes one
/// space, `‘ ’ ‚ ′` become `'`, `“ ” „ ″` become `"`, `– —` become `-`; nothing else
/// changes, and nothing is trimmed.
pub fn normalise(text: &str) -> String {
    Normalising::new(text).map(|(c, _)| c).collect()
}

/// Searches `document` for `quotation` (see the module docs for the rule).
pub fn search(document: &str, quotation: &str) -> Search {
    let parts = parts(quotation);
    if parts.is_empty() {
        return Search::Empty;
    }
    let mapped = Mapped::new(document);
    match locate(&mapped.text, &parts).and_then(|range| mapped.original(range)) {
        Some(range) => Search::Found(range),
        None => Search::Missing,
    }
}

/// The byte range of `document` where `quotation` first occurs, if it does (`None` also
/// for a quotation that quotes nothing; [`search`] tells the two apart).
pub fn find(document: &str, quotation: &str) -> Option<Range<usize>> {
    match search(document, quotation) {
        Search::Found(range) => Some(range),
        Search::Missing | Search::Empty => None,
    }
}

/// The passage of `document` most like `quotation`, as it is written in the document
/// but with its white space collapsed, clipped to [`PASSAGE_CHARS`] characters and an
/// `…`. `None` when the document or the quotation has no words.
pub fn closest(document: &str, quotation: &str) -> Option<String> {
    let range = closest_range(document, quotation)?;
    document.get(range).map(passage)
}

/// The byte range of `document` holding the passage [`closest`] gives (from the start
/// of its first word to the end of its last, unclipped).
pub fn closest_range(document: &str, quotation: &str) -> Option<Range<usize>> {
    let parts = parts(quotation);
    let wanted: Vec<&str> = parts.iter().flat_map(|p| p.split(' ')).collect();
    let words = words(document);
    if wanted.is_empty() || words.is_empty() {
        return None;
    }
    let mut ids = Interner::default();
    let doc: Vec<u32> = words.iter().map(|(w, _)| ids.id(w)).collect();
    let quoted: Vec<u32> = wanted.iter().map(|w| ids.id(w)).collect();
    let span = |(start, len): (usize, usize)| words[start].1.start..words[start + len - 1].1.end;
    let windows = best_windows(&doc, &quoted);
    let candidates = windows.into_iter().map(|(w, distance)| (span(w), distance));
    nearest(document, &parts.join(" "), candidates)
}

/// Of passages of `document` with their edit distances in words, the nearest; among
/// equally near ones, the one nearest `text` (normalised) letter by letter.
fn nearest(
    document: &str,
    text: &str,
    candidates: impl Iterator<Item = (Range<usize>, usize)>,
) -> Option<Range<usize>> {
    let mut best: Option<(Range<usize>, usize, f64)> = None;
    for (range, distance) in candidates {
        let passage = document
            .get(range.clone())
            .map(normalise)
            .unwrap_or_default();
        let score = strsim::normalized_levenshtein(text, &passage);
        if best
            .as_ref()
            .is_none_or(|(_, d, s)| distance < *d || (distance == *d && score > *s))
        {
            best = Some((range, distance, score));
        }
    }
    best.map(|(range, _, _)| range)
}

/// Normalised characters of a text, each with the byte range of the original it comes
/// from (a run of white space gives one space, ranging over the whole run).
struct Normalising<'a> {
    chars: Peekable<CharIndices<'a>>,
}

impl<'a> Normalising<'a> {
    fn new(text: &'a str) -> Self {
        Normalising {
            chars: text.char_indices().peekable(),
        }
    }
}

impl Iterator for Normalising<'_> {
    type Item = (char, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (at, c) = self.chars.next()?;
        let mut end = at + c.len_utf8();
        if !c.is_whitespace() {
            return Some((fold(c), at..end));
        }
        while let Some((next, d)) = self.chars.next_if(|&(_, d)| d.is_whitespace()) {
            end = next + d.len_utf8();
        }
        Some((' ', at..end))
    }
}

/// One character (not white space) as normalised.
fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    }
}

/// A document's normalised text, with the original byte range behind each of its bytes.
struct Mapped {
    text: String,
    from: Vec<usize>,
    to: Vec<usize>,
}

impl Mapped {
    fn new(document: &str) -> Self {
        let mut mapped = Mapped {
            text: String::with_capacity(document.len()),
            from: Vec::with_capacity(document.len()),
            to: Vec::with_capacity(document.len()),
        };
        for (c, range) in Normalising::new(document) {
            mapped.text.push(c);
            for _ in 0..c.len_utf8() {
                mapped.from.push(range.start);
                mapped.to.push(range.end);
            }
        }
        mapped
    }

    /// The original range behind a non-empty range of the normalised text.
    fn original(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = *self.from.get(range.start)?;
        let end = *self.to.get(range.end.checked_sub(1)?)?;
        Some(start..end)
    }
}

/// The quotation's parts: the text between its ellipses, normalised and trimmed, the
/// empty ones left out.
fn parts(quotation: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = quotation.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_dot(c) {
            current.push(c);
            continue;
        }
        let mut run = String::from(c);
        while let Some(d) = chars.next_if(|&d| is_dot(d)) {
            run.push(d);
        }
        if run.contains('…') || run.len() >= 3 {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push_str(&run);
        }
    }
    parts.push(current);
    parts
        .iter()
        .map(|p| normalise(p).trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_dot(c: char) -> bool {
    c == '.' || c == '…'
}

/// Where `parts` occur in `text` in order, leftmost: from the start of the first to the
/// end of the last.
fn locate(text: &str, parts: &[String]) -> Option<Range<usize>> {
    let mut start = None;
    let mut end = 0;
    for part in parts {
        let at = end + text.get(end..)?.find(part.as_str())?;
        start.get_or_insert(at);
        end = at + part.len();
    }
    Some(start?..end)
}

/// The document's words (runs of anything but white space), each normalised, with its
/// byte range in the original.
fn words(document: &str) -> Vec<(String, Range<usize>)> {
    let mut words: Vec<(String, Range<usize>)> = Vec::new();
    let mut current: Option<(String, Range<usize>)> = None;
    for (c, range) in Normalising::new(document) {
        if c == ' ' {
            words.extend(current.take());
        } else if let Some((word, span)) = current.as_mut() {
            word.push(c);
            span.end = range.end;
        } else {
            current = Some((c.to_string(), range));
        }
    }
    words.extend(current);
    words
}

/// Numbers for words compared loosely: lowercased, without the punctuation at their
/// ends (a word of punctuation only is kept whole).
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, word: &str) -> u32 {
        let lower = word.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
        let key = if bare.is_empty() { &lower } else { bare };
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(key.to_owned()).or_insert(next)
    }
}

/// The word comparisons [`best_windows`] allows itself, beyond its first scan.
const BUDGET: usize = 4_000_000;

/// The regions of the document most like the quotation, by shared words.
const MOST_REGIONS: usize = 8;

/// The windows most worth comparing letter by letter.
const FINALISTS: usize = 5;

/// The few windows `(start, length)` of `doc` nearest `quoted` in words, with their
/// edit distance in words: the best regions by shared words, each refined by edit
/// distance over nearby windows.
fn best_windows(doc: &[u32], quoted: &[u32]) -> Vec<((usize, usize), usize)> {
    let width = quoted.len().min(doc.len());
    let shift = (width / 4).clamp(1, 8);
    let tried = (2 * shift + 1) * 3 * quoted.len() * (width + 1);
    let regions = regions(&shared(doc, quoted, width), width, BUDGET / tried);
    let mut windows: Vec<(usize, usize, usize)> = Vec::new();
    for region in regions {
        let first = region.saturating_sub(shift);
        let last = (region + shift).min(doc.len() - 1);
        for start in first..=last {
            let longest = (width + 1).min(doc.len() - start);
            for len in width.saturating_sub(1).max(1)..=longest {
                let distance =
                    strsim::generic_levenshtein(&Run(quoted), &Run(&doc[start..start + len]));
                windows.push((distance, start, len));
            }
        }
    }
    windows.sort_unstable();
    windows.dedup();
    // only the windows at the least distance can be chosen; of those, the ones that hold
    // the most quoted words in order, so that a passage reaches the last word it shares
    // with the quotation rather than stopping one short of it (a word inserted, as in
    // "thirty days' written notice" for "thirty days' notice", costs as much as one
    // replaced)
    let least = windows.first().map_or(0, |w| w.0);
    let mut tied: Vec<(std::cmp::Reverse<usize>, usize, usize)> = windows
        .iter()
        .take_while(|w| w.0 == least)
        .map(|&(_, start, len)| {
            let held = in_order(quoted, &doc[start..start + len]);
            (std::cmp::Reverse(held), start, len)
        })
        .collect();
    tied.sort_unstable();
    let most = tied.first().map_or(0, |w| w.0.0);
    tied.into_iter()
        .take_while(|w| w.0.0 == most)
        .take(FINALISTS)
        .map(|(_, start, len)| ((start, len), least))
        .collect()
}

/// How many words of `a` occur in `b` in the same order (the longest common
/// subsequence).
fn in_order(a: &[u32], b: &[u32]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// A run of word numbers, as `strsim`'s generic measures take it.
struct Run<'a>(&'a [u32]);

impl<'a> IntoIterator for &Run<'a> {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// For each start of a window of `width` words, how much of the quotation it holds
/// (see [`Overlap`]).
fn shared(doc: &[u32], quoted: &[u32], width: usize) -> Vec<u64> {
    let mut overlap = Overlap::new(doc, quoted);
    for &id in &doc[..width] {
        overlap.add(id);
    }
    let mut scores = Vec::with_capacity(doc.len() - width + 1);
    scores.push(overlap.score);
    for start in 1..=doc.len() - width {
        overlap.remove(doc[start - 1]);
        overlap.add(doc[start + width - 1]);
        scores.push(overlap.score);
    }
    scores
}

/// How much of the quotation a window of the document holds, kept as the window
/// slides: the quoted words it has, each counted as many times as the quotation has it
/// at most, and weighted by rarity (a word the document uses `n` times of `N` weighs
/// `ln(1 + N/n)`, in thousandths).
struct Overlap {
    /// For each quoted word: its count in the quotation, its count in the window, its
    /// weight.
    wanted: FxHashMap<u32, (usize, usize, u64)>,
    score: u64,
}

impl Overlap {
    fn new(doc: &[u32], quoted: &[u32]) -> Self {
        let mut wanted: FxHashMap<u32, (usize, usize, u64)> = FxHashMap::default();
        for &id in quoted {
            wanted.entry(id).or_default().0 += 1;
        }
        let mut uses: FxHashMap<u32, usize> = FxHashMap::default();
        for id in doc.iter().filter(|id| wanted.contains_key(id)) {
            *uses.entry(*id).or_default() += 1;
        }
        let total = doc.len() as f64;
        for (id, (_, _, weight)) in &mut wanted {
            if let Some(&n) = uses.get(id) {
                *weight = ((1.0 + total / n as f64).ln() * 1000.0).round() as u64;
            }
        }
        Overlap { wanted, score: 0 }
    }

    fn add(&mut self, id: u32) {
        if let Some((quoted, held, weight)) = self.wanted.get_mut(&id) {
            if *held < *quoted {
                self.score += *weight;
            }
            *held += 1;
        }
    }

    fn remove(&mut self, id: u32) {
        if let Some((quoted, held, weight)) = self.wanted.get_mut(&id) {
            *held -= 1;
            if *held < *quoted {
                self.score -= *weight;
            }
        }
    }
}

/// Up to `most` (at least one) window starts of the highest scores, no two closer
/// than half a window; the earlier start first among equal scores.
fn regions(scores: &[u64], width: usize, most: usize) -> Vec<usize> {
    let most = most.clamp(1, MOST_REGIONS);
    let apart = (width / 2).max(1);
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = Vec::with_capacity(most);
    for start in order {
        if chosen.len() == most {
            break;
        }
        if chosen.iter().all(|c| c.abs_diff(start) >= apart) {
            chosen.push(start);
        }
    }
    chosen
}

/// A passage of the document as shown: white space collapsed, clipped at a word
/// boundary to [`PASSAGE_CHARS`] characters with an `…`.
fn passage(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let Some((cut, _)) = collapsed.char_indices().nth(PASSAGE_CHARS) else {
        return collapsed;
    };
    let head = &collapsed[..cut];
    let head = match head.rfind(' ') {
        Some(space) if !collapsed[cut..].starts_with(' ') && space > 0 => &head[..space],
        _ => head,
    };
    format!("{head}…")
}

#[cfg(test)]
mod tests;
