//! The lexer: text → a stream of spanned tokens for the parser, with lexical errors
//! collected on the side so that parsing can go on past them.

use logos::Logos;

use crate::span::{FileId, Span};
use crate::syntax::token::{LexErrorKind, Tok};

/// A lexical error with where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub span: Span,
}

/// Iterates `(start, token, end)` triples in the form the generated parser wants.
/// Comments are dropped; unreadable text becomes one [`Tok::Error`] token and a
/// [`LexError`] pushed onto `errors`.
pub struct Lexer<'s, 'e> {
    inner: logos::Lexer<'s, Tok<'s>>,
    file: FileId,
    errors: &'e mut Vec<LexError>,
    /// open `(` and `{` not yet closed
    depth: u32,
    max_depth: u32,
}

impl<'s, 'e> Lexer<'s, 'e> {
    pub fn new(text: &'s str, file: FileId, errors: &'e mut Vec<LexError>) -> Self {
        Lexer {
            inner: Tok::lexer(text),
            file,
            errors,
            depth: 0,
            max_depth: u32::MAX,
        }
    }

    /// Stops with a `TooDeep` error at the first bracket nested deeper than `max_depth`.
    pub fn max_depth(mut self, max_depth: u32) -> Self {
        self.max_depth = max_depth;
        self
    }
}

/// The parser's token triple.
pub type Triple<'s> = (usize, Tok<'s>, usize);

impl<'s> Iterator for Lexer<'s, '_> {
    type Item = Result<Triple<'s>, LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let tok = self.inner.next()?;
            let range = self.inner.span();
            match tok {
                Ok(Tok::BlockComment | Tok::DigitName) => continue,
                Ok(tok) => {
                    match tok {
                        Tok::LParen | Tok::LBrace => {
                            self.depth += 1;
                            if self.depth > self.max_depth {
                                // fatal: the parser stops here, before building a deep tree
                                return Some(Err(LexError {
                                    kind: LexErrorKind::TooDeep {
                                        limit: self.max_depth,
                                    },
                                    span: Span::new(self.file, range.start, range.end),
                                }));
                            }
                        }
                        Tok::RParen | Tok::RBrace => self.depth = self.depth.saturating_sub(1),
                        _ => {}
                    }
                    return Some(Ok((range.start, tok, range.end)));
                }
                Err(kind) => {
                    let span = match &kind {
                        LexErrorKind::InvalidEscape { at, .. } => Span::new(self.file, at.0, at.1),
                        LexErrorKind::UnterminatedString | LexErrorKind::UnterminatedComment => {
                            // point at the opening delimiter, not the rest of the file
                            Span::new(self.file, range.start, range.start + 1)
                        }
                        _ => Span::new(self.file, range.start, range.end),
                    };
                    // merge a run of unexpected characters into one error
                    if kind == LexErrorKind::UnexpectedChar
                        && let Some(last) = self.errors.last_mut()
                        && last.kind == LexErrorKind::UnexpectedChar
                        && last.span.file == self.file
                        && last.span.end as usize == range.start
                    {
                        last.span.end = span.end;
                        continue;
                    }
                    self.errors.push(LexError { kind, span });
                    return Some(Ok((range.start, Tok::Error, range.end)));
                }
            }
        }
    }
}

/// All tokens of `text` (for tests and tools); errors are returned beside them.
pub fn tokens(text: &str, file: FileId) -> (Vec<Triple<'_>>, Vec<LexError>) {
    let mut errors = Vec::new();
    let toks = Lexer::new(text, file, &mut errors)
        .filter_map(Result::ok)
        .collect();
    (toks, errors)
}
