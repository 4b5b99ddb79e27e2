//! Syntax errors: lexical errors and parser errors turned into diagnostics, in exactly
//! one place, with friendly token names and impossible tokens filtered out.

use lalrpop_util::{ErrorRecovery, ParseError};
use miette::Diagnostic;
use thiserror::Error;

use crate::span::{FileId, Span};
use crate::syntax::lexer::LexError;
use crate::syntax::token::{DateProblem, EscapeProblem, KEYWORDS, LexErrorKind, Tok};

#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    #[error("unexpected character{plural} `{text}`")]
    #[diagnostic(
        code(flowproof::lex::unexpected_char),
        help("names are letters, digits and `_`; text goes between double quotes")
    )]
    UnexpectedChar {
        text: String,
        plural: &'static str,
        #[label("not part of the language")]
        span: Span,
    },

    #[error("unterminated string")]
    #[diagnostic(
        code(flowproof::lex::unterminated_string),
        help("close the string with `\"`; a `\"` inside a string is written `\\\"`")
    )]
    UnterminatedString {
        #[label("this string is never closed")]
        span: Span,
    },

    #[error("invalid escape `{text}` in a string: {why}")]
    #[diagnostic(
        code(flowproof::lex::invalid_escape),
        help("the escapes are `\\\"`, `\\\\`, `\\n`, `\\t` and `\\u{{...}}` (1 to 6 hex digits)")
    )]
    InvalidEscape {
        text: String,
        why: &'static str,
        #[label("invalid escape")]
        span: Span,
    },

    #[error("unterminated block comment")]
    #[diagnostic(
        code(flowproof::lex::unterminated_comment),
        help("close the comment with `*/`; block comments do not nest")
    )]
    UnterminatedComment {
        #[label("this comment is never closed")]
        span: Span,
    },

    #[error("invalid date `{text}`: {problem}")]
    #[diagnostic(
        code(flowproof::lex::invalid_date),
        help(
            "dates are written YYYY-MM-DD, for example 2011-04-28, or YYYY-MM or YYYY for a whole month or year"
        )
    )]
    InvalidDate {
        text: String,
        problem: &'static str,
        #[label("not a date")]
        span: Span,
    },

    #[error("names cannot start with a digit: `{text}`")]
    #[diagnostic(
        code(flowproof::lex::digit_name),
        help("start the name with a letter or `_`, for example `_{text}`")
    )]
    DigitName {
        text: String,
        #[label("not a name")]
        span: Span,
    },

    #[error("unexpected number `{text}`")]
    #[diagnostic(
        code(flowproof::lex::number),
        help(
            "the language has no numbers: names start with a letter or `_`, and dates are written YYYY-MM-DD (or YYYY-MM, or YYYY)"
        )
    )]
    Number {
        text: String,
        #[label("a number is not allowed here")]
        span: Span,
    },

    #[error("expected `;` after this declaration")]
    #[diagnostic(
        code(flowproof::parse::missing_semicolon),
        help("every declaration except `source {{ ... }}` ends with `;`")
    )]
    MissingSemicolon {
        #[label("`;` expected here")]
        span: Span,
        #[label("found {found} instead")]
        found_span: Span,
        found: String,
    },

    #[error("`{keyword}` is a reserved word and cannot be used as a name")]
    #[diagnostic(
        code(flowproof::parse::reserved_word),
        help("choose another name, for example `{keyword}_`")
    )]
    ReservedWord {
        keyword: String,
        #[label("a name was expected here")]
        span: Span,
    },

    #[error("nested more than {limit} levels deep")]
    #[diagnostic(
        code(flowproof::limit::depth),
        help(
            "every bracket, `!`, `&&`, `||`, `=>`, `<=>` and quantifier is one level; split the formula into several assumptions or claims, or raise the limit with `--max-depth`"
        )
    )]
    TooDeep {
        limit: u32,
        #[label("this goes deeper than {limit} levels; nothing after it was read")]
        span: Span,
    },

    #[error("unexpected {found}")]
    #[diagnostic(code(flowproof::parse::unexpected_token))]
    UnexpectedToken {
        found: String,
        #[label("unexpected here")]
        span: Span,
        expected: String,
        #[help]
        help: String,
    },

    #[error("`{word}` is given twice")]
    #[diagnostic(
        code(flowproof::parse::repeated),
        help("a declaration has at most one `{word}`: keep the one you mean and delete the other")
    )]
    Repeated {
        word: String,
        #[label("given again here")]
        span: Span,
        #[label("first given here")]
        first: Span,
    },

    #[error("unexpected end of file")]
    #[diagnostic(code(flowproof::parse::unexpected_eof), help("expected {expected}"))]
    UnexpectedEof {
        expected: String,
        #[label("the file ends here")]
        span: Span,
    },
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::UnexpectedChar { span, .. }
            | SyntaxError::UnterminatedString { span }
            | SyntaxError::InvalidEscape { span, .. }
            | SyntaxError::UnterminatedComment { span }
            | SyntaxError::InvalidDate { span, .. }
            | SyntaxError::DigitName { span, .. }
            | SyntaxError::Number { span, .. }
            | SyntaxError::MissingSemicolon { span, .. }
            | SyntaxError::ReservedWord { span, .. }
            | SyntaxError::TooDeep { span, .. }
            | SyntaxError::Repeated { span, .. }
            | SyntaxError::UnexpectedToken { span, .. }
            | SyntaxError::UnexpectedEof { span, .. } => *span,
        }
    }
}

type Recovery<'s> = ErrorRecovery<usize, Tok<'s>, LexError>;
type Fatal<'s> = ParseError<usize, Tok<'s>, LexError>;

/// Turns everything the lexer and parser reported into diagnostics, in source order.
/// A parser error at a token the lexer already complained about is dropped: the
/// lexer's message says more.
pub(crate) fn collect(
    file: FileId,
    text: &str,
    lex_errors: Vec<LexError>,
    recovered: Vec<Recovery<'_>>,
    fatal: Option<Fatal<'_>>,
) -> Vec<SyntaxError> {
    let mut out: Vec<SyntaxError> = lex_errors.into_iter().map(|e| from_lex(text, e)).collect();
    let parse_errors = recovered.into_iter().map(|r| r.error).chain(fatal);
    for err in parse_errors {
        if let Some(err) = from_parse(file, text, err) {
            out.push(err);
        }
    }
    out.sort_by_key(|e| (e.span().start, e.span().end));
    out.dedup_by_key(|e| e.span().start);
    out
}

fn from_lex(text: &str, err: LexError) -> SyntaxError {
    let span = err.span;
    let slice = text.get(span.range()).unwrap_or("").to_owned();
    match err.kind {
        LexErrorKind::UnexpectedChar => match unfinished_date(text, span) {
            Some(date) => SyntaxError::InvalidDate {
                text: shorten(text.get(date.range()).unwrap_or("")),
                problem: "it ends with `-`",
                span: date,
            },
            None => SyntaxError::UnexpectedChar {
                plural: if slice.chars().count() > 1 { "s" } else { "" },
                text: slice,
                span,
            },
        },
        LexErrorKind::UnterminatedString => SyntaxError::UnterminatedString { span },
        LexErrorKind::InvalidEscape { why, .. } => SyntaxError::InvalidEscape {
            text: slice,
            why: match why {
                EscapeProblem::Unknown => "not one of the escapes",
                EscapeProblem::UnicodeShape => "a Unicode escape is written `\\u{...}`",
                EscapeProblem::UnicodeDigits => "a Unicode escape has 1 to 6 hex digits",
                EscapeProblem::UnicodeValue => {
                    "not a Unicode character (above 10FFFF, or a surrogate D800-DFFF)"
                }
            },
            span,
        },
        LexErrorKind::DigitName => SyntaxError::DigitName { text: slice, span },
        LexErrorKind::Number => SyntaxError::Number {
            text: shorten(&slice),
            span,
        },
        LexErrorKind::ReservedWord => SyntaxError::ReservedWord {
            keyword: slice,
            span,
        },
        LexErrorKind::UnterminatedComment => SyntaxError::UnterminatedComment { span },
        LexErrorKind::Repeated { first } => SyntaxError::Repeated {
            word: slice,
            span,
            first,
        },
        LexErrorKind::TooDeep { limit } => SyntaxError::TooDeep { limit, span },
        LexErrorKind::InvalidDate(problem) => SyntaxError::InvalidDate {
            text: shorten(&slice),
            problem: match problem {
                DateProblem::Shape => "not of the form YYYY-MM-DD, YYYY-MM or YYYY",
                DateProblem::Month => "there is no such month",
                DateProblem::Day => "there is no such day in that month",
            },
            span,
        },
    }
}

/// A `-` that ends a date left unfinished (`said 2011-`, `date = 2011-04-`): the date
/// and the `-`, so that the message is about the date rather than a stray character.
fn unfinished_date(text: &str, span: Span) -> Option<Span> {
    let range = span.range();
    if text.get(range.clone()) != Some("-") {
        return None;
    }
    let before = text.get(..range.start)?;
    let start = before.len()
        - before
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'-')
            .count();
    let run = &before[start..];
    let standalone = !before[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    (run.starts_with(|c: char| c.is_ascii_digit()) && standalone)
        .then(|| Span::new(span.file, start, range.end))
}

fn from_parse(file: FileId, text: &str, err: Fatal<'_>) -> Option<SyntaxError> {
    match err {
        // a reserved word used as a name, found by the grammar
        ParseError::User { error }
            if matches!(
                error.kind,
                LexErrorKind::ReservedWord
                    | LexErrorKind::TooDeep { .. }
                    | LexErrorKind::Repeated { .. }
            ) =>
        {
            Some(from_lex(text, error))
        }
        // the lexer reports the others itself
        ParseError::User { .. } => None,
        ParseError::InvalidToken { location } => Some(SyntaxError::UnexpectedChar {
            text: text.get(location..location + 1).unwrap_or("").to_owned(),
            plural: "",
            span: Span::new(file, location, location + 1),
        }),
        ParseError::UnrecognizedEof { location, expected } => {
            // point at the last character, which is always drawn
            let end = end_of_previous_token(text, location);
            let start = text
                .get(..end)
                .and_then(|t| t.chars().last())
                .map_or(end, |c| end - c.len_utf8());
            Some(SyntaxError::UnexpectedEof {
                expected: describe_expected(&expected),
                span: Span::new(file, start, end),
            })
        }
        ParseError::UnrecognizedToken {
            token: (start, tok, end),
            expected,
        } => {
            let span = Span::new(file, start, end);
            if tok == Tok::Error {
                return None;
            }
            if tok.is_keyword() && expected.iter().any(|e| e == "Ident") {
                return Some(SyntaxError::ReservedWord {
                    keyword: tok.text().unwrap_or_default().to_owned(),
                    span,
                });
            }
            let starts_declaration =
                matches!(tok.text(), Some(t) if DECLARATION_STARTERS.contains(&t));
            if expected.iter().any(|e| e == "\";\"")
                && !starts_formula_or_term(&expected)
                && starts_declaration
            {
                let at = end_of_previous_token(text, start);
                return Some(SyntaxError::MissingSemicolon {
                    span: Span::new(file, at, at),
                    found_span: span,
                    found: tok.describe(),
                });
            }
            let expected_text = describe_expected(&expected);
            let help = match hint(&tok, &expected) {
                Some(hint) => format!("{hint} (expected {expected_text})"),
                None => format!("expected {expected_text}"),
            };
            Some(SyntaxError::UnexpectedToken {
                found: tok.describe(),
                expected: expected_text,
                span,
                help,
            })
        }
        ParseError::ExtraToken {
            token: (start, tok, end),
        } => Some(SyntaxError::UnexpectedToken {
            found: tok.describe(),
            expected: "the end of the file".to_owned(),
            span: Span::new(file, start, end),
            help: "expected the end of the file".to_owned(),
        }),
    }
}

/// A likely fix for a common slip: a misspelt keyword, `=` for `==`, an attribute or
/// a label in the wrong place.
fn hint(tok: &Tok<'_>, expected: &[String]) -> Option<String> {
    let expects = |word: &str| expected.iter().any(|e| e.trim_matches('"') == word);
    match tok {
        Tok::Eq if expects("==") => Some("equality is written `==`".to_owned()),
        Tok::Covers => Some(
            "`covers inside` or `covers all` belongs to an opt-out, once, right after its parameter list and label, before its `when` and `blocks`"
                .to_owned(),
        ),
        Tok::By | Tok::Said | Tok::Quote if !expects("by") => Some(
            "`by`, `said` and `quote` belong to a claim, between its title and the `:`"
                .to_owned(),
        ),
        Tok::Note if !expects("note") => Some(
            "`note` goes on what may carry `cite` (a rule, an assumption, a claim, a reading); a kind, agency, data or param takes a label instead, a string right after its name"
                .to_owned(),
        ),
        Tok::Str(_) if expects(";") && !expects("Str") => Some(if expects("cite") {
            "a rule has no label: explain it with `note \"...\"`, or quote its source with `cite S \"...\"`"
                .to_owned()
        } else {
            "a label goes right after the declaration's name (after the parameter list of a `param` or `optout`), and there is one at most"
                .to_owned()
        }),
        Tok::Ident(name) => {
            let keywords = expected
                .iter()
                .map(|e| e.trim_matches('"'))
                .filter(|e| e.chars().all(|c| c.is_ascii_alphabetic()));
            crate::suggest::suggest(name, keywords)
                .map(|k| format!("did you mean the keyword `{k}`?"))
        }
        _ => None,
    }
}

/// Where `;` would go: just after the last non-blank character before `at`.
fn end_of_previous_token(text: &str, at: usize) -> usize {
    text.get(..at).map_or(at, |before| before.trim_end().len())
}

/// When the parser could also have continued a formula, "missing `;`" would be a guess.
fn starts_formula_or_term(expected: &[String]) -> bool {
    expected.iter().any(|e| e == "\"&&\"" || e == "\"->\"")
}

const DECLARATION_STARTERS: &[&str] = &[
    "policy", "import", "source", "kind", "agency", "data", "param", "optout", "collect", "flow",
    "derive", "assume", "claim", "reading",
];

/// "`;` or `cite`", "a declaration (`kind`, `agency`, `flow`, ...)", "a formula", ...
fn describe_expected(expected: &[String]) -> String {
    // where a declaration's name goes, the grammar also takes every keyword (to report
    // it as a reserved word): what is expected there is a name
    let name_slot = expected.iter().any(|e| e == "Ident")
        && KEYWORDS
            .iter()
            .all(|k| expected.iter().any(|e| e.trim_matches('"') == *k));
    let names: Vec<String> = expected
        .iter()
        .filter(|e| e.as_str() != "Unreadable")
        .filter(|e| !(name_slot && KEYWORDS.contains(&e.trim_matches('"'))))
        .map(|e| match e.as_str() {
            "Ident" => "a name".to_owned(),
            "Str" => "a string".to_owned(),
            "DateLit" => "a date".to_owned(),
            quoted => format!("`{}`", quoted.trim_matches('"')),
        })
        .collect();
    let has = |word: &str| names.iter().any(|n| n == &format!("`{word}`"));
    if DECLARATION_STARTERS.iter().all(|w| has(w)) {
        return "a declaration (`kind`, `agency`, `data`, `flow`, `claim`, ...)".to_owned();
    }
    if has("forall") && has("reaches") && has("true") {
        return "a formula".to_owned();
    }
    match names.as_slice() {
        [] => "nothing more".to_owned(),
        [one] => one.clone(),
        [init @ .., last] if names.len() <= 6 => format!("{} or {last}", init.join(", ")),
        _ => format!("one of {}", names.join(", ")),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 24 {
        text.to_owned()
    } else {
        let head: String = text.chars().take(20).collect();
        format!("{head}...")
    }
}
