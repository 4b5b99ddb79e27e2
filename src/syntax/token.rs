//! Tokens: the `logos` token set of the policy language, with string, date and
//! block-comment scanning done in callbacks so that their errors carry exact spans.

use logos::{Lexer, Logos};

use crate::span::Span;
use crate::syntax::ast::Date;

/// What went wrong while cutting the text into tokens. The byte range is absolute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LexErrorKind {
    /// A character that starts no token.
    #[default]
    UnexpectedChar,
    /// A `"` with no closing `"`.
    UnterminatedString,
    /// A `\` escape that is not one of `\" \\ \n \t \u{...}`; `at` is the escape's byte
    /// range and `why` says what is wrong with it.
    InvalidEscape {
        at: (usize, usize),
        why: EscapeProblem,
    },
    /// A name that starts with a digit, like `911Dispatch`.
    DigitName,
    /// A bare number: the language has none.
    Number,
    /// A keyword where a declaration's name goes (reported by the parser).
    ReservedWord,
    /// A `/*` with no closing `*/`.
    UnterminatedComment,
    /// Something shaped like a date that is not a real date.
    InvalidDate(DateProblem),
    /// An attribute given twice where it may be given once (`note`, `quote`, `by`,
    /// `said`; reported by the parser), with the span of its first keyword.
    Repeated { first: Span },
    /// Brackets or a formula nested deeper than the limit (reported by the lexer for
    /// brackets, by the parser for formulas; either way parsing stops there).
    TooDeep { limit: u32 },
}

/// Why an escape in a string is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscapeProblem {
    /// `\q`: not one of the escapes.
    Unknown,
    /// `\u` not followed by `{hex}`.
    UnicodeShape,
    /// `\u{}` or more than six hex digits.
    UnicodeDigits,
    /// `\u{110000}`, `\u{D800}`: not a Unicode scalar value.
    UnicodeValue,
}

/// Why a date-like token is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (for example `2010-2-3`).
    Shape,
    /// The month is not 01..12.
    Month,
    /// The day does not exist in that month (2010-02-30).
    Day,
}

#[derive(Logos, Clone, Debug, PartialEq, Eq)]
#[logos(error = LexErrorKind)]
#[logos(utf8 = true)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
pub enum Tok<'s> {
    // keywords
    #[token("policy")]
    Policy,
    #[token("version")]
    Version,
    #[token("date")]
    DateKw,
    #[token("import")]
    Import,
    #[token("source")]
    Source,
    #[token("kind")]
    Kind,
    #[token("agency")]
    Agency,
    #[token("in")]
    In,
    #[token("data")]
    Data,
    #[token("param")]
    Param,
    #[token("optout")]
    Optout,
    #[token("blocks")]
    Blocks,
    #[token("collect")]
    Collect,
    #[token("at")]
    At,
    #[token("flow")]
    Flow,
    #[token("when")]
    When,
    #[token("derive")]
    Derive,
    #[token("from")]
    From,
    #[token("assume")]
    Assume,
    #[token("claim")]
    Claim,
    #[token("always")]
    Always,
    #[token("possible")]
    Possible,
    #[token("forall")]
    Forall,
    #[token("exists")]
    Exists,
    #[token("reaches")]
    Reaches,
    #[token("flows")]
    Flows,
    #[token("of")]
    Of,
    #[token("origin")]
    Origin,
    #[token("parent")]
    Parent,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("cite")]
    Cite,
    #[token("quote")]
    Quote,
    #[token("title")]
    Title,
    #[token("url")]
    Url,
    #[token("reading")]
    Reading,
    #[token("covers")]
    Covers,
    #[token("inside")]
    Inside,
    #[token("all")]
    All,
    #[token("by")]
    By,
    #[token("said")]
    Said,
    #[token("note")]
    Note,
    #[token("document")]
    Document,

    // punctuation
    #[token(":")]
    Colon,
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("->")]
    Arrow,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("!")]
    Bang,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("=>")]
    Implies,
    #[token("<=>")]
    Iff,
    #[token("=")]
    Eq,

    // values
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident(&'s str),
    /// The raw text between the quotes, escapes already validated.
    #[token("\"", lex_string)]
    Str(&'s str),
    #[regex(r"[0-9][0-9]*(-[0-9]+)*", lex_date)]
    Date(Date),
    /// Never produced: a name starting with a digit is an error.
    #[regex(r"[0-9]+[A-Za-z_][A-Za-z0-9_]*", digit_name)]
    DigitName,
    /// A block comment; the lexer wrapper drops it.
    #[token("/*", lex_block_comment)]
    BlockComment,

    /// Stands in for text the lexer could not read, so that parsing can go on;
    /// the lexer reports the error itself.
    Error,
}

fn lex_string<'s>(lex: &mut Lexer<'s, Tok<'s>>) -> Result<&'s str, LexErrorKind> {
    let rest = lex.remainder();
    let body_start = lex.span().end;
    let bytes = rest.as_bytes();
    let mut bad_escape = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                lex.bump(i + 1);
                return match bad_escape {
                    Some((at, why)) => Err(LexErrorKind::InvalidEscape { at, why }),
                    None => Ok(&rest[..i]),
                };
            }
            b'\\' => {
                let len = match escape(&rest[i..]) {
                    Ok(len) => len,
                    Err((len, why)) => {
                        if bad_escape.is_none() {
                            bad_escape = Some(((body_start + i, body_start + i + len), why));
                        }
                        len
                    }
                };
                i += len.max(1);
                // never stop inside a multi-byte character
                while i < bytes.len() && !rest.is_char_boundary(i) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    lex.bump(rest.len());
    Err(LexErrorKind::UnterminatedString)
}

/// The escape at the start of `s` (which starts with `\`): its byte length if valid,
/// else the length to point at and what is wrong.
fn escape(s: &str) -> Result<usize, (usize, EscapeProblem)> {
    let b = s.as_bytes();
    let two = s.chars().take(2).map(char::len_utf8).sum::<usize>();
    match b.get(1) {
        Some(b'"' | b'\\' | b'n' | b't') => Ok(2),
        Some(b'u') => {
            if b.get(2) != Some(&b'{') {
                return Err((2, EscapeProblem::UnicodeShape));
            }
            // look for the closing brace over a short distance only
            let Some(close) = s[3..]
                .char_indices()
                .take(12)
                .find(|(_, c)| *c == '}')
                .map(|(i, _)| i)
            else {
                return Err((3, EscapeProblem::UnicodeShape));
            };
            let hex = &s[3..3 + close];
            let whole = 3 + close + 1;
            if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err((whole, EscapeProblem::UnicodeDigits));
            }
            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                Some(_) => Ok(whole),
                None => Err((whole, EscapeProblem::UnicodeValue)),
            }
        }
        _ => Err((two, EscapeProblem::Unknown)),
    }
}

/// Replaces the escapes of an already validated string body.
pub fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let esc = &rest[pos..];
        let len = escape(esc).unwrap_or(1);
        match esc.as_bytes().get(1) {
            Some(b'n') => out.push('\n'),
            Some(b't') => out.push('\t'),
            Some(b'"') => out.push('"'),
            Some(b'\\') => out.push('\\'),
            Some(b'u') => {
                let hex = &esc[3..len - 1];
                if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            _ => out.push('\\'),
        }
        rest = &esc[len..];
    }
    out.push_str(rest);
    out
}

fn lex_date<'s>(lex: &mut Lexer<'s, Tok<'s>>) -> Result<Date, LexErrorKind> {
    // a bare number is a year when it has four digits, and otherwise not a date at all
    if !lex.slice().contains('-') && lex.slice().len() != 4 {
        return Err(LexErrorKind::Number);
    }
    parse_date(lex.slice()).map_err(LexErrorKind::InvalidDate)
}

/// Reads a `YYYY-MM-DD`, `YYYY-MM` or `YYYY` date, checking that the month and day
/// exist.
pub fn parse_date(text: &str) -> Result<Date, DateProblem> {
    let parts: Vec<&str> = text.split('-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y] => (*y, None, None),
        [y, m] => (*y, Some(*m), None),
        [y, m, d] => (*y, Some(*m), Some(*d)),
        _ => return Err(DateProblem::Shape),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !m.is_none_or(|m| digits(m, 2)) || !d.is_none_or(|d| digits(d, 2)) {
        return Err(DateProblem::Shape);
    }
    let year: u16 = y.parse().map_err(|_| DateProblem::Shape)?;
    let month: Option<u8> = m
        .map(|m| m.parse().map_err(|_| DateProblem::Shape))
        .transpose()?;
    let day: Option<u8> = d
        .map(|d| d.parse().map_err(|_| DateProblem::Shape))
        .transpose()?;
    if let Some(month) = month
        && !(1..=12).contains(&month)
    {
        return Err(DateProblem::Month);
    }
    if let (Some(month), Some(day)) = (month, day)
        && (day == 0 || day > crate::syntax::ast::days_in_month(year, month))
    {
        return Err(DateProblem::Day);
    }
    Ok(Date { year, month, day })
}

fn digit_name<'s>(_: &mut Lexer<'s, Tok<'s>>) -> Result<(), LexErrorKind> {
    Err(LexErrorKind::DigitName)
}

fn lex_block_comment<'s>(lex: &mut Lexer<'s, Tok<'s>>) -> Result<(), LexErrorKind> {
    match lex.remainder().find("*/") {
        Some(end) => {
            lex.bump(end + 2);
            Ok(())
        }
        None => {
            lex.bump(lex.remainder().len());
            Err(LexErrorKind::UnterminatedComment)
        }
    }
}

impl Tok<'_> {
    /// How the token is named in "expected ..." messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("identifier `{name}`"),
            Tok::Str(raw) => {
                let shown: String = raw.chars().take(24).collect();
                let more = if raw.chars().count() > 24 { "..." } else { "" };
                format!("string \"{shown}{more}\"")
            }
            Tok::Date(d) => format!("date `{d}`"),
            Tok::BlockComment | Tok::DigitName => "a comment".to_owned(),
            Tok::Error => "unreadable text".to_owned(),
            other => format!("`{}`", other.text().unwrap_or("?")),
        }
    }

    /// The fixed text of a keyword or punctuation token.
    pub fn text(&self) -> Option<&'static str> {
        Some(match self {
            Tok::Policy => "policy",
            Tok::Version => "version",
            Tok::DateKw => "date",
            Tok::Import => "import",
            Tok::Source => "source",
            Tok::Kind => "kind",
            Tok::Agency => "agency",
            Tok::In => "in",
            Tok::Data => "data",
            Tok::Param => "param",
            Tok::Optout => "optout",
            Tok::Blocks => "blocks",
            Tok::Collect => "collect",
            Tok::At => "at",
            Tok::Flow => "flow",
            Tok::When => "when",
            Tok::Derive => "derive",
            Tok::From => "from",
            Tok::Assume => "assume",
            Tok::Claim => "claim",
            Tok::Always => "always",
            Tok::Possible => "possible",
            Tok::Forall => "forall",
            Tok::Exists => "exists",
            Tok::Reaches => "reaches",
            Tok::Flows => "flows",
            Tok::Of => "of",
            Tok::Origin => "origin",
            Tok::Parent => "parent",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Cite => "cite",
            Tok::Quote => "quote",
            Tok::Title => "title",
            Tok::Url => "url",
            Tok::Reading => "reading",
            Tok::Covers => "covers",
            Tok::Inside => "inside",
            Tok::All => "all",
            Tok::By => "by",
            Tok::Said => "said",
            Tok::Note => "note",
            Tok::Document => "document",
            Tok::Colon => ":",
            Tok::Semi => ";",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Arrow => "->",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Bang => "!",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::Implies => "=>",
            Tok::Iff => "<=>",
            Tok::Eq => "=",
            Tok::Ident(_)
            | Tok::Str(_)
            | Tok::Date(_)
            | Tok::BlockComment
            | Tok::DigitName
            | Tok::Error => {
                return None;
            }
        })
    }

    pub fn is_keyword(&self) -> bool {
        self.text()
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
    }
}

/// Every reserved word, for "did you mean" hints and for the identifier generator in tests.
pub const KEYWORDS: &[&str] = &[
    "policy", "version", "date", "import", "source", "kind", "agency", "in", "data", "param",
    "optout", "blocks", "collect", "at", "flow", "when", "derive", "from", "assume", "claim",
    "always", "possible", "forall", "exists", "reaches", "flows", "of", "origin", "parent", "true",
    "false", "cite", "quote", "title", "url", "reading", "covers", "inside", "all", "by", "said",
    "note", "document",
];
