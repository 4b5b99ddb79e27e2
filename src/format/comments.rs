//! Scanning: policy text → its comments, each with its byte range and whether it runs
//! to the end of its line, and the byte ranges of its tokens, in order.

use crate::syntax::token::Tok;

/// A comment of the source, with its byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// The text as written, trailing blanks removed.
    pub text: String,
    /// `// ...` (runs to the end of its line) rather than `/* ... */`.
    pub line: bool,
}

/// The comments of `text` and the byte ranges of its tokens, in order.
pub fn scan(text: &str) -> (Vec<Comment>, Vec<(usize, usize)>) {
    use logos::Logos;
    let mut comments = Vec::new();
    let mut tokens = Vec::new();
    let mut gap_start = 0;
    let mut lexer = Tok::lexer(text);
    loop {
        let next = lexer.next();
        let range = lexer.span();
        let gap_end = if next.is_some() {
            range.start
        } else {
            text.len()
        };
        // between two tokens there is only what the lexer skips: blanks and `//` comments
        line_comments(text, gap_start, gap_end, &mut comments);
        match next {
            None => break,
            Some(Ok(Tok::BlockComment)) => comments.push(Comment {
                start: range.start,
                end: range.end,
                text: trim_lines(&text[range.clone()]),
                line: false,
            }),
            Some(_) => tokens.push((range.start, range.end)),
        }
        gap_start = range.end;
    }
    (comments, tokens)
}

fn line_comments(text: &str, from: usize, to: usize, out: &mut Vec<Comment>) {
    let gap = &text[from..to];
    let mut at = 0;
    while let Some(found) = gap[at..].find("//") {
        let start = at + found;
        let end = gap[start..].find('\n').map_or(gap.len(), |n| start + n);
        out.push(Comment {
            start: from + start,
            end: from + end,
            text: gap[start..end].trim_end().to_owned(),
            line: true,
        });
        at = end;
    }
}

/// A block comment's text with blanks removed at the end of each line (they would be
/// removed from the output anyway).
fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n")
}
