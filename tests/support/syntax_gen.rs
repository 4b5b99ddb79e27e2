//! Random syntax trees for property tests: every declaration and formula form, with
//! names that are never keywords and strings that need escapes.

#![allow(dead_code)]

use proptest::prelude::*;

use flowproof::span::{FileId, Span, Spanned};
use flowproof::syntax::ast::*;
use flowproof::syntax::token::KEYWORDS;

pub const F: FileId = FileId(0);

pub fn name() -> impl Strategy<Value = Name> {
    "[A-Za-z_][A-Za-z0-9_]{0,6}"
        .prop_filter("not a keyword", |s| !KEYWORDS.contains(&s.as_str()))
        .prop_map(|s| Spanned::new(s, Span::default()))
}

pub fn text() -> impl Strategy<Value = String> {
    // quotes, backslashes, newlines, tabs, controls and non-ASCII must survive printing
    proptest::string::string_regex(r#"([a-z \"\\\n\té€]|\x01){0,12}"#).expect("valid regex")
}

pub fn spanned<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Spanned<T>> {
    s.prop_map(|node| Spanned::new(node, Span::default()))
}

pub fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28, 0u8..3).prop_map(|(year, month, day, precision)| Date {
        year,
        month: (precision > 0).then_some(month),
        day: (precision > 1).then_some(day),
    })
}

pub fn term() -> impl Strategy<Value = Term> {
    let leaf = prop_oneof![
        name().prop_map(|n| TermKind::Name(n.node)),
        Just(TermKind::Origin),
    ]
    .prop_map(|kind| Term {
        kind,
        span: Span::default(),
    });
    leaf.prop_recursive(3, 4, 1, |inner| {
        inner.prop_map(|t| Term {
            kind: TermKind::Parent(Box::new(t)),
            span: Span::default(),
        })
    })
}

pub fn binder() -> impl Strategy<Value = Binder> {
    (name(), name()).prop_map(|(var, kind)| Binder {
        var,
        kind,
        span: Span::default(),
    })
}

pub fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        binder().prop_map(Endpoint::Binder),
        term().prop_map(Endpoint::Term)
    ]
}

pub fn f(kind: FormulaKind) -> Formula {
    Formula::new(kind, Span::default())
}

pub fn formula() -> impl Strategy<Value = Formula> {
    let leaf = prop_oneof![
        Just(FormulaKind::True),
        Just(FormulaKind::False),
        (term(), term()).prop_map(|(a, b)| FormulaKind::Eq(a, b)),
        (term(), term()).prop_map(|(a, b)| FormulaKind::Ne(a, b)),
        (name(), proptest::collection::vec(term(), 0..3))
            .prop_map(|(param, args)| FormulaKind::Apply { param, args }),
        (name(), term(), term()).prop_map(|(data, origin, at)| FormulaKind::Reaches(Box::new(
            ReachesAtom { data, origin, at }
        ))),
        (name(), term(), term(), term()).prop_map(|(data, origin, from, to)| FormulaKind::Flows(
            Box::new(FlowsAtom {
                data,
                origin,
                from,
                to
            })
        )),
    ]
    .prop_map(f);
    leaf.prop_recursive(5, 32, 2, |inner| {
        let op = prop_oneof![
            Just(BinOp::And),
            Just(BinOp::Or),
            Just(BinOp::Implies),
            Just(BinOp::Iff)
        ];
        let q = prop_oneof![Just(Quantifier::Forall), Just(Quantifier::Exists)];
        prop_oneof![
            inner.clone().prop_map(|a| f(FormulaKind::Not(Box::new(a)))),
            (op, inner.clone(), inner.clone()).prop_map(|(op, a, b)| f(FormulaKind::Binary(
                op,
                Box::new(a),
                Box::new(b)
            ))),
            (q, proptest::collection::vec(binder(), 1..3), inner).prop_map(
                |(quantifier, binders, body)| {
                    f(FormulaKind::Quant {
                        quantifier,
                        binders,
                        body: Box::new(body),
                    })
                }
            ),
        ]
    })
}

pub fn cites() -> impl Strategy<Value = Vec<Cite>> {
    proptest::collection::vec(
        (name(), proptest::option::of(spanned(text())))
            .prop_map(|(source, pinpoint)| Cite { source, pinpoint }),
        0..3,
    )
}

pub fn label() -> impl Strategy<Value = Label> {
    proptest::option::of(spanned(text()))
}

pub fn note() -> impl Strategy<Value = Note> {
    proptest::option::of(spanned(text()))
}

pub fn assume() -> impl Strategy<Value = AssumeDecl> {
    (formula(), cites(), note()).prop_map(|(formula, cites, note)| AssumeDecl {
        formula,
        cites,
        note,
        span: Span::default(),
    })
}

pub fn decl() -> impl Strategy<Value = Decl> {
    let s = Span::default();
    prop_oneof![
        (
            spanned(text()),
            proptest::option::of(spanned(text())),
            proptest::option::of(spanned(date()))
        )
            .prop_map(
                move |(name, version, date)| Decl::Policy(Box::new(PolicyDecl {
                    name,
                    version,
                    date,
                    span: s
                }))
            ),
        spanned(text()).prop_map(move |path| Decl::Import(Box::new(ImportDecl { path, span: s }))),
        (
            name(),
            proptest::collection::vec(
                (
                    prop_oneof![
                        name(),
                        Just(Spanned::new("title".to_owned(), s)),
                        Just(Spanned::new("date".to_owned(), s)),
                        Just(Spanned::new("document".to_owned(), s))
                    ],
                    prop_oneof![text().prop_map(Value::Str), date().prop_map(Value::Date)],
                )
                    .prop_map(move |(key, value)| SourceField {
                        key,
                        value: Spanned::new(value, s)
                    }),
                0..4
            )
        )
            .prop_map(move |(name, fields)| Decl::Source(Box::new(SourceDecl {
                name,
                fields,
                span: s
            }))),
        (name(), label()).prop_map(move |(name, label)| Decl::Kind(Box::new(KindDecl {
            name,
            label,
            span: s
        }))),
        (name(), label(), name(), proptest::option::of(name())).prop_map(
            move |(name, label, kind, parent)| {
                Decl::Agency(Box::new(AgencyDecl {
                    name,
                    label,
                    kind,
                    parent,
                    span: s,
                }))
            }
        ),
        (name(), label()).prop_map(move |(name, label)| Decl::Data(Box::new(DataDecl {
            name,
            label,
            span: s
        }))),
        (name(), proptest::collection::vec(binder(), 0..3), label()).prop_map(
            move |(name, params, label)| {
                Decl::Param(Box::new(ParamDecl {
                    name,
                    params,
                    label,
                    span: s,
                }))
            }
        ),
        (
            (
                name(),
                proptest::collection::vec(binder(), 1..3),
                label(),
                proptest::option::of(spanned(prop_oneof![
                    Just(Covers::Inside),
                    Just(Covers::All)
                ])),
            ),
            proptest::option::of(formula()),
            proptest::collection::vec(
                (
                    name(),
                    endpoint(),
                    endpoint(),
                    proptest::option::of(formula())
                )
                    .prop_map(move |(data, from, to, guard)| Block {
                        data,
                        from,
                        to,
                        guard,
                        span: s
                    }),
                1..3
            ),
            cites(),
            note(),
        )
            .prop_map(
                move |((name, params, label, covers), guard, blocks, cites, note)| {
                    Decl::Optout(Box::new(OptoutDecl {
                        name,
                        params,
                        label,
                        covers,
                        guard,
                        blocks,
                        cites,
                        note,
                        span: s,
                    }))
                }
            ),
        (
            name(),
            endpoint(),
            proptest::option::of(formula()),
            cites(),
            note()
        )
            .prop_map(
                move |(data, at, guard, cites, note)| Decl::Collect(Box::new(CollectDecl {
                    data,
                    at,
                    guard,
                    cites,
                    note,
                    span: s
                }))
            ),
        (
            name(),
            endpoint(),
            endpoint(),
            proptest::option::of(formula()),
            cites(),
            note()
        )
            .prop_map(
                move |(data, from, to, guard, cites, note)| Decl::Flow(Box::new(FlowDecl {
                    data,
                    from,
                    to,
                    guard,
                    cites,
                    note,
                    span: s
                }))
            ),
        (
            name(),
            name(),
            endpoint(),
            proptest::option::of(formula()),
            cites(),
            note()
        )
            .prop_map(
                move |(data, from, at, guard, cites, note)| Decl::Derive(Box::new(DeriveDecl {
                    data,
                    from,
                    at,
                    guard,
                    cites,
                    note,
                    span: s
                }))
            ),
        assume().prop_map(|a| Decl::Assume(Box::new(a))),
        (
            (
                name(),
                proptest::option::of(spanned(text())),
                cites(),
                proptest::option::of(spanned(text())),
            ),
            (
                note(),
                proptest::option::of(spanned(text())),
                proptest::option::of(spanned(date())),
            ),
            prop_oneof![Just(Mode::Always), Just(Mode::Possible)],
            formula()
        )
            .prop_map(
                move |((name, title, cites, quote), (note, by, said), mode, formula)| {
                    Decl::Claim(Box::new(ClaimDecl {
                        name,
                        title,
                        cites,
                        quote,
                        note,
                        by,
                        said,
                        mode: Spanned::new(mode, s),
                        formula,
                        span: s,
                    }))
                }
            ),
        (
            name(),
            label(),
            cites(),
            note(),
            proptest::collection::vec(assume(), 0..3)
        )
            .prop_map(move |(name, label, cites, note, assumes)| {
                Decl::Reading(Box::new(ReadingDecl {
                    name,
                    label,
                    cites,
                    note,
                    assumes,
                    span: s,
                }))
            }),
    ]
}
