//! Text from a policy file on its way to a terminal. A file may hold control
//! characters (an escape sequence can recolour, move or clear the screen) and
//! invisible reordering marks (bidirectional overrides can make text read other than
//! it is); none reaches the terminal as itself.

use std::borrow::Cow;

/// Whether `c` must not be written to a terminal as it is: control characters other
/// than line feed and tab, and the bidirectional formatting marks.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as a `\u{..}` escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Messages longer than this many characters are shortened in the middle.
pub const LONGEST_MESSAGE: usize = 400;

/// `text`, safe for a terminal, and shortened in the middle when longer than
/// [`LONGEST_MESSAGE`] characters (a message quoting a 10 MB name says so instead).
pub fn message(text: &str) -> String {
    let text = printable(text);
    let count = text.chars().count();
    if count <= LONGEST_MESSAGE {
        return text.into_owned();
    }
    let head: String = text.chars().take(LONGEST_MESSAGE / 2).collect();
    let tail: String = text.chars().skip(count - LONGEST_MESSAGE / 4).collect();
    format!(
        "{head} … ({} characters left out) … {tail}",
        count - LONGEST_MESSAGE / 2 - LONGEST_MESSAGE / 4
    )
}

/// `text` with every unsafe character replaced by one of the same length in UTF-8
/// (`?` for one byte, `¿` for two, `�` for three), so byte offsets into it still
/// hold. A carriage return before a line feed is kept: it ends a line.
pub fn printable_same_length(text: &str) -> Cow<'_, str> {
    let needs = text
        .char_indices()
        .any(|(i, c)| is_unsafe(c) && !(c == '\r' && text[i + 1..].starts_with('\n')));
    if !needs {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if is_unsafe(c) && !(c == '\r' && text[i + 1..].starts_with('\n')) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{fffd}',
            });
        } else {
            out.push(c);
        }
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_reordering_marks_are_made_visible() {
        assert_eq!(printable("plain text\n\tok"), "plain text\n\tok");
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(printable("a\u{202e}b\u{85}"), "a\\u{202e}b\\u{85}");
    }

    #[test]
    fn long_messages_are_shortened_in_the_middle() {
        assert_eq!(message("short \u{7}"), "short \\u{7}");
        let long = format!("unknown agency `{}`", "x".repeat(10_000));
        let shown = message(&long);
        assert!(shown.starts_with("unknown agency `xxx"));
        assert!(shown.ends_with("xxx`"));
        assert!(shown.contains("(9717 characters left out)"), "{shown}");
        assert!(shown.chars().count() < LONGEST_MESSAGE + 50);
    }

    #[test]
    fn same_length_replacement_keeps_offsets_and_line_ends() {
        let text = "a\u{1b}b\r\nc\rd\u{85}e\u{202e}f\0";
        let shown = printable_same_length(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a?b\r\nc?d¿e\u{fffd}f?");
        assert!(matches!(
            printable_same_length("fine\r\n"),
            Cow::Borrowed(_)
        ));
    }
}
