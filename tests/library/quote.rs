//! The quotation matcher against a plain matcher written here (contract section 5.5):
//! random documents of tricky words (curly quotes, dashes, dots, multi-byte letters)
//! and white space of every kind, and quotations cut from them, altered or not; `find`
//! must agree with the plain matcher, its range must hold the quotation, and `closest`
//! must give a passage of the document.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use flowproof::check::quote::{self, PASSAGE_CHARS, Search};

/// Words documents are made of: few enough that text repeats, with the characters
/// the rule maps, ellipses and dots, and letters of more than one byte.
const WORDS: &[&str] = &[
    "the",
    "The",
    "county",
    "may",
    "decline",
    "case",
    "case.",
    "\u{201C}are",
    "shared\u{201D}",
    "'will",
    "removed\u{2019}",
    "\u{2014}",
    "-",
    "\u{2013}",
    "l\u{2019}\u{C9}tat",
    "na\u{EF}ve",
    "caf\u{E9}\u{2014}bar",
    "x",
    "...",
    "\u{2026}",
    "end.",
    "a..",
    "\u{201C}",
    "\"",
    "'",
    "\u{201E}quoted\u{201C}",
    "5\u{2032}",
    "6\u{2033}",
    "stra\u{DF}e",
    "\u{1C5}",
    "\u{201A}",
];

/// White space between words, of every kind the rule collapses.
const SPACES: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\t", " \n\t ", "\u{A0}", "\r\n", "\u{2003}", "\u{202F}",
];

/// The marks the rule maps, and what they become.
const MARKS: &[(char, char)] = &[
    ('\u{2018}', '\''),
    ('\u{2019}', '\''),
    ('\u{201A}', '\''),
    ('\u{2032}', '\''),
    ('\u{201C}', '"'),
    ('\u{201D}', '"'),
    ('\u{201E}', '"'),
    ('\u{2033}', '"'),
    ('\u{2013}', '-'),
    ('\u{2014}', '-'),
];

/// The plain matcher's normalisation: each mark mapped, then the words joined by one
/// space (which also trims).
fn plain(text: &str) -> String {
    let straight: String = text.chars().map(straighten).collect();
    straight.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn straighten(c: char) -> char {
    MARKS
        .iter()
        .find(|(curly, _)| *curly == c)
        .map_or(c, |(_, straight)| *straight)
}

/// Straight marks made curly, each by the next of its curly forms in turn.
fn curl(text: &str) -> String {
    let mut turn = 0;
    text.chars()
        .map(|c| {
            let forms: Vec<char> = MARKS.iter().filter(|m| m.1 == c).map(|m| m.0).collect();
            if forms.is_empty() {
                return c;
            }
            turn += 1;
            forms[turn % forms.len()]
        })
        .collect()
}

/// The quotation's parts as the plain matcher sees them: `…` written `...`, cut at
/// every `...`, the full stops next to a cut dropped, normalised, the empty ones left
/// out.
fn plain_parts(quotation: &str) -> Vec<String> {
    let dotted = quotation.replace('\u{2026}', "...");
    let pieces: Vec<&str> = dotted.split("...").collect();
    let last = pieces.len() - 1;
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            let piece = if i > 0 {
                piece.trim_start_matches('.')
            } else {
                piece
            };
            let piece = if i < last {
                piece.trim_end_matches('.')
            } else {
                piece
            };
            plain(piece)
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether the plain matcher finds `quotation` in `document`: its parts, in order.
fn plain_finds(document: &str, quotation: &str) -> bool {
    let parts = plain_parts(quotation);
    let document = plain(document);
    let mut rest = document.as_str();
    for part in &parts {
        match rest.find(part.as_str()) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    !parts.is_empty()
}

/// A document: words, each followed by white space.
fn document() -> impl Strategy<Value = Vec<(&'static str, &'static str)>> {
    proptest::collection::vec((select(WORDS), select(SPACES)), 0..40)
}

fn text(words: &[(&str, &str)]) -> String {
    words.iter().map(|(w, s)| format!("{w}{s}")).collect()
}

/// The words `from..to` (in either order, clamped) joined by the white space of
/// `spaces` in turn.
fn cut(words: &[(&str, &str)], from: &Index, to: &Index, spaces: &[&str]) -> Vec<String> {
    if words.is_empty() {
        return Vec::new();
    }
    let (a, b) = (from.index(words.len()), to.index(words.len()));
    let (a, b) = (a.min(b), a.max(b) + 1);
    words[a..b]
        .iter()
        .enumerate()
        .map(|(i, (w, _))| format!("{w}{}", spaces[i % spaces.len()]))
        .collect()
}

/// What every search must show: `find` agrees with the plain matcher, the range found
/// holds the quotation by the plain matcher too, and an empty search is one the plain
/// matcher has no parts for.
fn check(document: &str, quotation: &str) -> Result<bool, TestCaseError> {
    let found = quote::find(document, quotation);
    let expected = plain_finds(document, quotation);
    prop_assert_eq!(
        found.is_some(),
        expected,
        "document {:?}, quotation {:?}",
        document,
        quotation
    );
    if let Some(range) = found {
        let passage = document.get(range.clone());
        prop_assert!(
            passage.is_some(),
            "{range:?} is not a range of {document:?}"
        );
        let passage = passage.unwrap_or_default();
        prop_assert!(
            plain_finds(passage, quotation),
            "{passage:?} does not hold {quotation:?}"
        );
    }
    let empty = quote::search(document, quotation) == Search::Empty;
    prop_assert_eq!(empty, plain_parts(quotation).is_empty());
    Ok(expected)
}

/// Whether a quotation quotes anything at all: a letter or digit, which no ellipsis
/// swallows.
fn has_words(quotation: &str) -> bool {
    quotation.chars().any(char::is_alphanumeric)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A run of words cut from the document, with white space of its own and its marks
    /// straightened or curled (or the document's), is found.
    #[test]
    fn cut_quotations_are_found(
        words in document(),
        from in any::<Index>(),
        to in any::<Index>(),
        spaces in proptest::collection::vec(select(SPACES), 1..4),
        marks in 0..5u8,
    ) {
        let quotation = cut(&words, &from, &to, &spaces).concat();
        let mut document = text(&words);
        let quotation = match marks {
            1 => quotation.chars().map(straighten).collect(),
            2 => curl(&quotation),
            3 => { document = document.chars().map(straighten).collect(); quotation }
            4 => { document = curl(&document); quotation }
            _ => quotation,
        };
        let found = check(&document, &quotation)?;
        prop_assert!(found || !has_words(&quotation), "{quotation:?} not in {document:?}");
    }

    /// Any slice of the document, cut between any two characters, is found when it
    /// has words.
    #[test]
    fn slices_are_found(words in document(), from in any::<Index>(), to in any::<Index>()) {
        let document = text(&words);
        let bounds: Vec<usize> = document
            .char_indices()
            .map(|(i, _)| i)
            .chain([document.len()])
            .collect();
        let (a, b) = (from.get(&bounds), to.get(&bounds));
        let quotation = &document[*a.min(b)..*a.max(b)];
        let found = check(&document, quotation)?;
        prop_assert!(found || !has_words(quotation), "{quotation:?} not in {document:?}");
    }

    /// A cut with a middle part replaced by an ellipsis (spaced or not) is found.
    #[test]
    fn ellipses_for_a_middle_part_are_found(
        words in document(),
        from in any::<Index>(),
        to in any::<Index>(),
        gap in any::<(Index, Index)>(),
        ellipsis in select(&["...", "\u{2026}", " ... ", " \u{2026}", "....", "\u{2026}..."][..]),
    ) {
        let cut = cut(&words, &from, &to, &[" "]);
        if cut.is_empty() {
            return Ok(());
        }
        let (a, b) = (gap.0.index(cut.len() + 1), gap.1.index(cut.len() + 1));
        let quotation = format!("{}{ellipsis}{}", cut[..a.min(b)].concat(), cut[a.max(b)..].concat());
        let found = check(&text(&words), &quotation)?;
        prop_assert!(found || !has_words(&quotation), "{quotation:?} not found");
    }

    /// Cuts altered (a word dropped, a letter's case changed, two cuts swapped around
    /// an ellipsis) or words drawn at random: found exactly when the plain matcher
    /// finds them.
    #[test]
    fn altered_quotations_agree_with_the_plain_matcher(
        words in document(),
        cuts in any::<(Index, Index, Index, Index)>(),
        pick in any::<Index>(),
        how in 0..4u8,
        random in proptest::collection::vec((select(WORDS), select(SPACES)), 1..6),
    ) {
        let first = cut(&words, &cuts.0, &cuts.1, &[" "]);
        let quotation = match how {
            0 if !first.is_empty() => {
                let mut first = first;
                first.remove(pick.index(first.len()));
                first.concat()
            }
            1 => flip_case(&first.concat(), &pick),
            2 => {
                let second = cut(&words, &cuts.2, &cuts.3, &["\n"]);
                format!("{} ... {}", second.concat(), first.concat())
            }
            _ => text(&random),
        };
        check(&text(&words), &quotation)?;
    }

    /// `closest` gives a passage of the document (white space collapsed) whenever the
    /// document and the quotation have words, and nothing otherwise.
    #[test]
    fn the_closest_passage_is_in_the_document(
        words in document(),
        cuts in any::<(Index, Index)>(),
        how in 0..3u8,
        random in proptest::collection::vec((select(WORDS), select(SPACES)), 0..50),
    ) {
        let document = text(&words);
        let quotation = match how {
            0 => cut(&words, &cuts.0, &cuts.1, &[" "]).concat(),
            1 => flip_case(&cut(&words, &cuts.0, &cuts.1, &[" "]).concat(), &cuts.0),
            _ => text(&random),
        };
        let passage = quote::closest(&document, &quotation);
        let words_on_both_sides = document.split_whitespace().next().is_some()
            && quote::search(&document, &quotation) != Search::Empty;
        prop_assert_eq!(passage.is_some(), words_on_both_sides);
        let Some(passage) = passage else { return Ok(()) };
        prop_assert!(!passage.is_empty());
        let head = passage.strip_suffix('\u{2026}').unwrap_or(&passage);
        prop_assert!(head.chars().count() <= PASSAGE_CHARS);
        let collapsed = document.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert!(collapsed.contains(head), "{passage:?} not in {collapsed:?}");
    }
}

/// `text` with the case of one of its ASCII letters changed (the one `pick` points
/// at), or as it is when it has none.
fn flip_case(text: &str, pick: &Index) -> String {
    let letters: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect();
    if letters.is_empty() {
        return text.to_owned();
    }
    let at = letters[pick.index(letters.len())];
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] ^= 0x20;
    String::from_utf8(bytes).expect("an ASCII letter changed")
}

/// The plain matcher agrees with the conformance suite's examples.
#[test]
fn the_plain_matcher_follows_the_contract() {
    let memo = "The county  may decline to receive\nthe results of a check, but the prints \
        themselves \u{201C}are shared with the federal\ndatabase in every case\u{201D} \u{2014} \
        without exception.";
    assert!(plain_finds(
        memo,
        "The county may decline ... in every case"
    ));
    assert!(!plain_finds(
        memo,
        "in every case ... The county may decline"
    ));
    assert!(!plain_finds(memo, "the county may decline to receive"));
    assert!(plain_finds(
        memo,
        "\"are shared with the federal database in every case\" - without exception"
    ));
    for quotation in [
        "The county may decline ... in every case",
        "in every case ... The county may decline",
        "the county may decline to receive",
        "\"are shared with the federal database in every case\" - without exception",
        "The county may decline to receive the results of a check",
    ] {
        assert_eq!(
            quote::find(memo, quotation).is_some(),
            plain_finds(memo, quotation),
            "{quotation}"
        );
    }
}
