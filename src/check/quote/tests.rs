//! The quotation matcher on the conformance examples and its edge cases.

use super::*;

/// The conformance suite's memorandum, as written (curly quotes, an em dash, a
/// doubled space and line breaks).
const MEMO: &str = "MEMORANDUM (a made-up document for testing quotations)\n\
    \n\
    From: the Records Office\n\
    Date: 3 March 2020\n\
    \n\
    The county  may decline to receive\n\
    the results of a check, but the prints themselves \u{201C}are shared with the federal\n\
    database in every case\u{201D} \u{2014} without exception.\n\
    \n\
    A state that ends its agreement \u{2018}will be removed from the deployment plan\u{2019} within\n\
    thirty days. Nothing in this memo allows a county to end an agreement.\n";

const LETTER: &str = "LETTER (a second made-up document)\n\n\
    We will review each request and convene a meeting with the agencies involved.\n";

/// `find`, checking on the way that the range maps back: the passage found holds
/// the quotation, from its start to its end.
fn found(document: &str, quotation: &str) -> Option<String> {
    let range = find(document, quotation)?;
    let passage = &document[range];
    assert_eq!(
        find(passage, quotation),
        Some(0..passage.len()),
        "{passage:?} does not hold {quotation:?} end to end"
    );
    Some(passage.to_owned())
}

#[test]
fn white_space_collapses_and_marks_straighten() {
    assert_eq!(normalise("a  b\n\tc\r\nd"), "a b c d");
    assert_eq!(normalise("a\u{a0}b\u{202f}c\u{2003}\u{3000}d"), "a b c d");
    assert_eq!(normalise("  a  "), " a ");
    assert_eq!(normalise("\u{2018}\u{2019}\u{201A}\u{2032}"), "''''");
    assert_eq!(normalise("\u{201C}\u{201D}\u{201E}\u{2033}"), "\"\"\"\"");
    assert_eq!(normalise("\u{2013}\u{2014}"), "--");
    assert_eq!(normalise("É\u{2019}ü\u{2014}ß"), "É'ü-ß");
}

#[test]
fn other_look_alikes_stay_as_they_are() {
    for text in [
        "\u{201B}",
        "\u{201F}",
        "«»",
        "\u{2012}",
        "\u{2212}",
        "a\u{200B}b",
    ] {
        assert_eq!(normalise(text), text);
    }
}

#[test]
fn a_quotation_across_a_line_break_and_doubled_spaces_is_found() {
    let passage = found(
        MEMO,
        "The county may decline to receive the results of a check",
    );
    assert_eq!(
        passage.as_deref(),
        Some("The county  may decline to receive\nthe results of a check")
    );
}

#[test]
fn curly_quotes_and_dashes_match_straight_ones() {
    let quotation = "\"are shared with the federal database in every case\" - without exception";
    let passage = found(MEMO, quotation).expect("found");
    assert!(passage.starts_with('\u{201C}') && passage.ends_with("exception"));
    assert!(found(MEMO, "will be removed from the deployment plan").is_some());
    assert!(found(MEMO, "A state that ends its agreement 'will be removed").is_some());
}

#[test]
fn case_and_words_are_exact() {
    assert_eq!(found(MEMO, "the county may decline to receive"), None);
    assert_eq!(
        found(MEMO, "the prints are shared with the federal database"),
        None
    );
}

#[test]
fn an_ellipsis_matches_text_between_its_parts_in_order() {
    let passage = found(MEMO, "The county may decline ... in every case").expect("found");
    assert!(passage.starts_with("The county") && passage.ends_with("every case"));
    assert!(
        found(
            MEMO,
            "A state that ends its agreement … within thirty days."
        )
        .is_some()
    );
    assert_eq!(
        found(MEMO, "in every case ... The county may decline"),
        None
    );
}

#[test]
fn a_quotation_is_found_in_its_own_document_only() {
    let quotation = "convene a meeting with the agencies involved";
    assert!(found(LETTER, quotation).is_some());
    assert_eq!(found(MEMO, quotation), None);
}

#[test]
fn an_ellipsis_at_either_end_adds_nothing() {
    assert_eq!(
        found(MEMO, "... may decline").as_deref(),
        Some("may decline")
    );
    assert_eq!(found(MEMO, "may decline …").as_deref(), Some("may decline"));
    assert_eq!(
        found(MEMO, "… may … receive …").as_deref(),
        Some("may decline to receive")
    );
}

#[test]
fn ellipses_repeat_and_mix() {
    assert_eq!(
        found("a x b y c", "a ... ... c").as_deref(),
        Some("a x b y c")
    );
    assert_eq!(
        found("a x b y c", "a … b ... c").as_deref(),
        Some("a x b y c")
    );
    assert_eq!(found("a x b y c", "a…...c").as_deref(), Some("a x b y c"));
    assert_eq!(found("a x b y c", "c ... a"), None);
}

#[test]
fn an_ellipsis_may_match_nothing_and_ignores_the_space_around_it() {
    assert_eq!(found("ab", "a...b").as_deref(), Some("ab"));
    assert_eq!(found("ab", "a ... b").as_deref(), Some("ab"));
    assert_eq!(found("a, then b", "a...b").as_deref(), Some("a, then b"));
}

#[test]
fn runs_of_dots_are_one_ellipsis_and_two_dots_are_punctuation() {
    assert_eq!(
        found("end. Next", "end.... Next").as_deref(),
        Some("end. Next")
    );
    assert_eq!(
        found("end x Next", "end…. Next").as_deref(),
        Some("end x Next")
    );
    assert_eq!(found("a.. b", "a.. b").as_deref(), Some("a.. b"));
    assert_eq!(found("a b", "a..b"), None);
    assert_eq!(found("a x b", "a . . . b"), None);
}

#[test]
fn a_quotation_of_nothing_is_not_a_quotation() {
    for quotation in ["", "   ", "...", " … ... ", "\n…\t", "......"] {
        assert_eq!(search(MEMO, quotation), Search::Empty, "{quotation:?}");
        assert_eq!(find(MEMO, quotation), None);
    }
    assert_eq!(search("", "a"), Search::Missing);
}

#[test]
fn a_quotation_longer_than_its_document_is_not_found() {
    assert_eq!(found("short", "short and longer"), None);
    assert_eq!(
        closest("short", "short and longer").as_deref(),
        Some("short")
    );
}

#[test]
fn offsets_map_back_past_multi_byte_characters() {
    let document = "Ça\u{2014}\u{201C}é\u{2019}s\u{201D}\u{2014}ü  and\u{a0}\u{a0}naïve";
    assert_eq!(
        found(document, "Ça-\"é's\"-ü and naïve").as_deref(),
        Some(document)
    );
    assert_eq!(found(document, "é's").as_deref(), Some("é\u{2019}s"));
    assert_eq!(
        found(document, "\"-ü").as_deref(),
        Some("\u{201D}\u{2014}ü")
    );
    assert_eq!(found(document, "ü and").as_deref(), Some("ü  and"));
    assert_eq!(
        found(document, "and naïve").as_deref(),
        Some("and\u{a0}\u{a0}naïve")
    );
}

#[test]
fn the_first_match_is_found() {
    let document = "one two. one two three";
    assert_eq!(find(document, "one two"), Some(0..7));
    assert_eq!(find(document, "one ... three"), Some(0..document.len()));
    assert_eq!(found(document, "two three").as_deref(), Some("two three"));
}

#[test]
fn a_part_may_start_inside_a_word() {
    assert_eq!(found("fingerprints", "print").as_deref(), Some("print"));
}

#[test]
fn the_closest_passage_keeps_the_document_s_case_and_marks() {
    assert_eq!(
        closest(MEMO, "the county may decline to receive").as_deref(),
        Some("The county may decline to receive")
    );
    assert_eq!(
        closest(MEMO, "the prints are shared with the federal database").as_deref(),
        Some("the prints themselves \u{201C}are shared with the federal database")
    );
    assert_eq!(
        closest(LETTER, "convene a meeting with the agency").as_deref(),
        Some("convene a meeting with the agencies")
    );
}

#[test]
fn the_closest_passage_reaches_the_last_word_it_shares() {
    // a word the document adds costs as much as one it replaces: the passage must still
    // run to "notice", or it reads as if the document lacked it
    let document = "Either party may terminate this agreement at any time on thirty days\u{2019} \
written notice. The parties shall meet each year.";
    assert_eq!(
        closest(
            document,
            "may terminate this agreement at any time on thirty days' notice"
        )
        .as_deref(),
        Some("may terminate this agreement at any time on thirty days\u{2019} written notice.")
    );
    // and from its first one: a word added at the start is taken in too
    assert_eq!(
        closest(
            "It is ordered: the state shall send the prints.",
            "ordered the state shall send"
        )
        .as_deref(),
        Some("ordered: the state shall send")
    );
}

#[test]
fn there_is_no_closest_passage_without_words() {
    assert_eq!(closest("", "a"), None);
    assert_eq!(closest(" \n\t", "a"), None);
    assert_eq!(closest(MEMO, " … "), None);
    assert!(closest("x", "nothing shared").is_some());
}

#[test]
fn a_long_closest_passage_is_clipped_at_a_word() {
    let document: Vec<String> = (0..300).map(|i| format!("word{i}")).collect();
    let document = document.join("  ");
    let quotation = document
        .split_whitespace()
        .skip(10)
        .take(60)
        .collect::<Vec<_>>();
    let passage = closest(&document, &quotation.join(" ")).expect("a passage");
    assert!(passage.starts_with("word10 word11 "), "{passage}");
    let head = passage.strip_suffix('…').expect("clipped");
    assert!(head.chars().count() <= PASSAGE_CHARS);
    let collapsed = document.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = collapsed.find(head).expect("a passage of the document");
    assert!(collapsed[at + head.len()..].starts_with(' '), "{passage}");
}

#[test]
fn clipping_cuts_a_single_long_word() {
    let long = "x".repeat(PASSAGE_CHARS + 50);
    let passage = closest(&long, "x").expect("a passage");
    assert_eq!(passage.chars().count(), PASSAGE_CHARS + 1);
}

/// A document of about 100 KB: words drawn from a small vocabulary, and one
/// distinctive passage.
fn long_document() -> (String, &'static str) {
    const VOCABULARY: &[&str] = &[
        "the",
        "county",
        "may",
        "decline",
        "to",
        "receive",
        "results",
        "of",
        "a",
        "check",
        "prints",
        "are",
        "shared",
        "with",
        "federal",
        "database",
        "in",
        "every",
        "case",
        "state",
        "agreement",
        "removed",
        "from",
        "plan",
        "within",
        "thirty",
        "days",
        "records",
        "office",
        "memo",
    ];
    let planted = "Nothing in this memorandum allows any county to end its agreement \
        with the federal authorities before the review of every request is complete";
    let mut seed: u64 = 7;
    let mut words = Vec::new();
    let mut size = 0;
    while size < 100_000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let word = VOCABULARY[(seed >> 33) as usize % VOCABULARY.len()];
        size += word.len() + 1;
        words.push(word);
        if words.len() == 9000 {
            words.push(planted);
        }
    }
    (words.join(" "), planted)
}

#[test]
fn the_closest_passage_is_found_in_a_long_document() {
    let (document, planted) = long_document();
    let quotation = planted
        .replace("authorities", "government")
        .replace("any ", "");
    assert_eq!(find(&document, &quotation), None);
    assert_eq!(closest(&document, &quotation).as_deref(), Some(planted));
}
