//! Lexer and parser unit tests: tokens, strings, dates, comments, precedence, recovery.

use flowproof::span::FileId;
use flowproof::syntax::ast::{BinOp, Decl, Formula, FormulaKind, Quantifier};
use flowproof::syntax::error::SyntaxError;
use flowproof::syntax::lexer::tokens;
use flowproof::syntax::token::{DateProblem, LexErrorKind, Tok, parse_date};
use flowproof::syntax::{parse, parse_formula, print};

const F: FileId = FileId(0);

fn toks(text: &str) -> Vec<Tok<'_>> {
    let (toks, errors) = tokens(text, F);
    assert!(errors.is_empty(), "unexpected lexical errors: {errors:?}");
    toks.into_iter().map(|(_, t, _)| t).collect()
}

fn formula(text: &str) -> Formula {
    parse_formula(text, F).unwrap_or_else(|e| panic!("`{text}` did not parse: {e:?}"))
}

/// The formula with every operator parenthesised, to read its tree off.
fn shape(f: &Formula) -> String {
    match &f.kind {
        FormulaKind::True => "true".into(),
        FormulaKind::False => "false".into(),
        FormulaKind::Not(a) => format!("!{}", shape(a)),
        FormulaKind::Binary(op, a, b) => {
            let sym = match op {
                BinOp::And => "&&",
                BinOp::Or => "||",
                BinOp::Implies => "=>",
                BinOp::Iff => "<=>",
            };
            format!("({} {sym} {})", shape(a), shape(b))
        }
        FormulaKind::Apply { param, .. } => param.node.clone(),
        FormulaKind::Quant {
            quantifier, body, ..
        } => {
            let q = if *quantifier == Quantifier::Forall {
                "A"
            } else {
                "E"
            };
            format!("{q}[{}]", shape(body))
        }
        _ => print::formula(f),
    }
}

#[test]
fn keywords_punctuation_and_names() {
    assert_eq!(
        toks("flow fingerprints: (c: county) -> parent(c);"),
        vec![
            Tok::Flow,
            Tok::Ident("fingerprints"),
            Tok::Colon,
            Tok::LParen,
            Tok::Ident("c"),
            Tok::Colon,
            Tok::Ident("county"),
            Tok::RParen,
            Tok::Arrow,
            Tok::Parent,
            Tok::LParen,
            Tok::Ident("c"),
            Tok::RParen,
            Tok::Semi,
        ]
    );
    assert_eq!(
        toks("== != ! && || => <=> = . ,"),
        vec![
            Tok::EqEq,
            Tok::NotEq,
            Tok::Bang,
            Tok::AndAnd,
            Tok::OrOr,
            Tok::Implies,
            Tok::Iff,
            Tok::Eq,
            Tok::Dot,
            Tok::Comma,
        ]
    );
}

#[test]
fn keywords_are_whole_words() {
    assert_eq!(
        toks("flows flow flowing in inside insider _in"),
        vec![
            Tok::Flows,
            Tok::Flow,
            Tok::Ident("flowing"),
            Tok::In,
            Tok::Inside,
            Tok::Ident("insider"),
            Tok::Ident("_in"),
        ]
    );
}

#[test]
fn comments_are_skipped_and_block_comments_do_not_nest() {
    assert_eq!(
        toks("kind // a line comment\n/* block\n kind */ state"),
        vec![Tok::Kind, Tok::Ident("state")]
    );
    // the first `*/` ends the comment, so `c` is read and the last `*/` is stray text
    let (toks, errors) = tokens("/* a /* b */ c */", F);
    assert_eq!(toks[0].1, Tok::Ident("c"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, LexErrorKind::UnexpectedChar);
    assert_eq!(errors[0].span.range(), 15..17);
}

#[test]
fn strings_keep_their_raw_body_and_unescape() {
    let t = toks(r#""a \"quoted\" \\ word\n\t\u{e9}""#);
    let Tok::Str(raw) = t[0] else {
        panic!("not a string: {t:?}")
    };
    assert_eq!(
        flowproof::syntax::token::unescape(raw),
        "a \"quoted\" \\ word\n\té"
    );
    // strings may span lines
    assert_eq!(toks("\"two\nlines\""), vec![Tok::Str("two\nlines")]);
}

#[test]
fn bad_strings_are_errors_with_exact_spans() {
    let (_, errors) = tokens(r#"title = "bad \q escape";"#, F);
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0].kind, LexErrorKind::InvalidEscape { .. }));
    assert_eq!(errors[0].span.range(), 13..15);

    for bad in [
        r#""\u{110000}""#,
        r#""\u{}""#,
        r#""\u{1234567}""#,
        r#""\u12""#,
    ] {
        let (_, errors) = tokens(bad, F);
        assert!(
            matches!(errors.as_slice(), [e] if matches!(e.kind, LexErrorKind::InvalidEscape { .. })),
            "{bad}: {errors:?}"
        );
    }

    let (_, errors) = tokens("quote = \"never closed;\nkind x;", F);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, LexErrorKind::UnterminatedString);
    assert_eq!(errors[0].span.range(), 8..9);
}

#[test]
fn dates_are_validated() {
    assert!(parse_date("2011-04-28").is_ok());
    assert!(parse_date("2012-02-29").is_ok());
    assert!(parse_date("2000-02-29").is_ok());
    assert_eq!(parse_date("2010-02-30"), Err(DateProblem::Day));
    assert_eq!(parse_date("2011-02-29"), Err(DateProblem::Day));
    assert_eq!(parse_date("1900-02-29"), Err(DateProblem::Day));
    assert_eq!(parse_date("2010-13-01"), Err(DateProblem::Month));
    assert_eq!(parse_date("2010-00-01"), Err(DateProblem::Month));
    assert_eq!(parse_date("2010-04-00"), Err(DateProblem::Day));
    assert_eq!(parse_date("2010-4-1"), Err(DateProblem::Shape));
    // partial dates (version 1): a year, or a year and month
    assert_eq!(
        parse_date("2010"),
        Ok(flowproof::syntax::ast::Date {
            year: 2010,
            month: None,
            day: None
        })
    );
    assert_eq!(
        parse_date("2010-02").map(|d| d.to_string()),
        Ok("2010-02".to_owned())
    );
    assert_eq!(parse_date("2010-13"), Err(DateProblem::Month));
    assert_eq!(parse_date("201"), Err(DateProblem::Shape));
    assert_eq!(parse_date("2010-2"), Err(DateProblem::Shape));
    assert_eq!(parse_date("2010-02-"), Err(DateProblem::Shape));
    assert_eq!(
        parse_date("99999999999999999999-01-01"),
        Err(DateProblem::Shape)
    );
    let (_, errors) = tokens("date 2010-02-30;", F);
    assert_eq!(errors[0].kind, LexErrorKind::InvalidDate(DateProblem::Day));
}

#[test]
fn unexpected_characters_are_merged_into_one_error() {
    let (toks, errors) = tokens("kind @#$ state;", F);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span.range(), 5..8);
    assert_eq!(toks.iter().filter(|(_, t, _)| *t == Tok::Error).count(), 1);
}

#[test]
fn unterminated_block_comment_is_an_error() {
    let (_, errors) = tokens("kind a; /* no end", F);
    assert_eq!(errors[0].kind, LexErrorKind::UnterminatedComment);
}

#[test]
fn precedence_loosest_first() {
    assert_eq!(shape(&formula("a || b && c")), "(a || (b && c))");
    assert_eq!(shape(&formula("a && b || c")), "((a && b) || c)");
    assert_eq!(shape(&formula("a => b => c")), "(a => (b => c))");
    assert_eq!(shape(&formula("a || b => c")), "((a || b) => c)");
    assert_eq!(shape(&formula("a <=> b => c")), "(a <=> (b => c))");
    assert_eq!(shape(&formula("a <=> b <=> c")), "((a <=> b) <=> c)");
    assert_eq!(shape(&formula("!a && b")), "(!a && b)");
    assert_eq!(shape(&formula("!(a && b)")), "!(a && b)");
    assert_eq!(shape(&formula("a && b && c")), "((a && b) && c)");
}

#[test]
fn quantifier_bodies_extend_as_far_right_as_possible() {
    assert_eq!(shape(&formula("forall c: county. a && b")), "A[(a && b)]");
    assert_eq!(
        shape(&formula("forall c: county. a => b <=> c")),
        "A[((a => b) <=> c)]"
    );
    assert_eq!(
        shape(&formula("a => forall c: county. b || c")),
        "(a => A[(b || c)])"
    );
    assert_eq!(
        shape(&formula("a && exists c: county. b || c")),
        "(a && E[(b || c)])"
    );
    assert_eq!(shape(&formula("!forall c: county. b && c")), "!A[(b && c)]");
    assert_eq!(shape(&formula("(forall c: county. b) && c")), "(A[b] && c)");
    let f = formula("forall c: county, s: state. a");
    let FormulaKind::Quant { binders, .. } = &f.kind else {
        panic!("not a quantifier")
    };
    assert_eq!(binders.len(), 2);
}

#[test]
fn atoms() {
    let f = formula("reaches(fingerprints of c, ICE)");
    assert!(matches!(f.kind, FormulaKind::Reaches(_)));
    let f = formula("flows(match of parent(c), DHS -> parent(parent(c)))");
    assert!(matches!(f.kind, FormulaKind::Flows(_)));
    let f = formula("c == parent(SanFrancisco)");
    assert!(matches!(f.kind, FormulaKind::Eq(..)));
    let f = formula("c != SanFrancisco");
    assert!(matches!(f.kind, FormulaKind::Ne(..)));
    let f = formula("activated(c, s)");
    assert!(matches!(&f.kind, FormulaKind::Apply { args, .. } if args.len() == 2));
    let f = formula("emergency");
    assert!(matches!(&f.kind, FormulaKind::Apply { args, .. } if args.is_empty()));
}

#[test]
fn every_declaration_form_parses() {
    let text = r#"
        policy "P" version "v1" date 2011-04-28;
        import "common.flow";
        source s { title = "T"; date = 2010-08-17; url = "seed:001.txt"; quote = "q"; }
        kind county;
        agency A: county in B;
        data prints;
        param p;
        param q(c: county, d: county);
        optout out(c: county) when p blocks prints: parent(c) -> c blocks prints: c -> (x: county) cite s;
        collect prints at (c: county) when q(c, c) cite s, s;
        flow prints: (c: county) -> parent(c) when activated(origin) cite s;
        derive match from prints at DHS when true;
        assume forall c: county. p cite s;
        claim c1 "title" cite s quote "said": always p;
        claim c2: possible exists c: county. !p;
    "#;
    let (file, errors) = parse(text, F);
    assert!(errors.is_empty(), "{errors:?}");
    let kinds: Vec<&str> = file
        .decls
        .iter()
        .map(|d| match d {
            Decl::Policy(_) => "policy",
            Decl::Import(_) => "import",
            Decl::Source(_) => "source",
            Decl::Kind(_) => "kind",
            Decl::Agency(_) => "agency",
            Decl::Data(_) => "data",
            Decl::Param(_) => "param",
            Decl::Optout(_) => "optout",
            Decl::Collect(_) => "collect",
            Decl::Flow(_) => "flow",
            Decl::Derive(_) => "derive",
            Decl::Assume(_) => "assume",
            Decl::Claim(_) => "claim",
            Decl::Reading(_) => "reading",
            Decl::Error(_) => "error",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "policy", "import", "source", "kind", "agency", "data", "param", "param", "optout",
            "collect", "flow", "derive", "assume", "claim", "claim"
        ]
    );
    let Decl::Optout(o) = &file.decls[8] else {
        panic!()
    };
    assert_eq!(o.blocks.len(), 2);
    assert!(o.guard.is_some());
    let Decl::Claim(c) = &file.decls[13] else {
        panic!()
    };
    assert_eq!(c.title.as_ref().map(|t| t.node.as_str()), Some("title"));
    assert_eq!(c.quote.as_ref().map(|t| t.node.as_str()), Some("said"));
    assert_eq!(c.cites.len(), 1);
}

#[test]
fn spans_point_at_the_text() {
    let text = "kind county;\nagency SanFrancisco: county;";
    let (file, _) = parse(text, F);
    let Decl::Agency(a) = &file.decls[1] else {
        panic!()
    };
    assert_eq!(&text[a.name.span.range()], "SanFrancisco");
    assert_eq!(&text[a.kind.span.range()], "county");
    assert_eq!(&text[a.span.range()], "agency SanFrancisco: county");
}

fn errors_of(text: &str) -> Vec<SyntaxError> {
    parse(text, F).1
}

#[test]
fn a_missing_semicolon_costs_one_error_and_keeps_the_declaration() {
    let (file, errors) = parse("kind county\nkind state;", F);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(errors[0], SyntaxError::MissingSemicolon { .. }));
    assert_eq!(file.decls.len(), 2);
    assert!(matches!(&file.decls[0], Decl::Kind(k) if k.name.node == "county"));
}

#[test]
fn recovery_reports_every_broken_declaration() {
    let errors = errors_of(
        "kind county;\nflow prints A -> B;\nagency X: county;\nclaim c: always (a && ;\ndata d;",
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn reserved_words_as_names_are_explained() {
    let errors = errors_of("agency in: county;");
    assert!(
        matches!(&errors[..], [SyntaxError::ReservedWord { keyword, .. }] if keyword == "in"),
        "{errors:?}"
    );
}

#[test]
fn lexical_errors_do_not_stop_parsing() {
    let (file, errors) = parse("kind @county;\nkind state;\ndata \"x;", F);
    assert!(errors.len() >= 2, "{errors:?}");
    assert!(
        file.decls
            .iter()
            .any(|d| matches!(d, Decl::Kind(k) if k.name.node == "state"))
    );
}

#[test]
fn end_of_file_inside_a_declaration() {
    let errors = errors_of("claim c: always forall x: county.");
    assert!(
        matches!(&errors[..], [SyntaxError::UnexpectedEof { .. }]),
        "{errors:?}"
    );
}
