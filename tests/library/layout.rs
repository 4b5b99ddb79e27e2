//! The own SVG layout measured against Graphviz `dot` on the shipped V3 graph of
//! Secure Communities: its edges must cross at most twice as often as in `dot`'s
//! layout of the same DOT. Needs `dot` (Debian's `graphviz`, installed by `.ci/run`).

use std::path::Path;

use flowproof::check::check_file;
use flowproof::render::{dot, graph, svg};

/// Whether `dot` is there; missing is a failure unless the developer opted out with
/// `FLOWPROOF_SKIP_DOT=1`.
fn dot_present() -> bool {
    if std::env::var_os("FLOWPROOF_SKIP_DOT").is_some_and(|v| v == "1") {
        eprintln!("layout comparison skipped: FLOWPROOF_SKIP_DOT=1");
        return false;
    }
    assert!(
        svg::dot_available(),
        "Graphviz `dot` is needed for the layout comparison: install Debian's `graphviz` \
         package (`apt-get install graphviz`), or set FLOWPROOF_SKIP_DOT=1 to skip it"
    );
    true
}

#[test]
fn own_layout_crosses_at_most_twice_as_often_as_dot_on_v3() {
    let checked = check_file(Path::new("policies/secure-communities/v3-2011-08.flow"));
    let view = graph::build(&checked, None).expect("the V3 policy checks");
    let own = svg::crossings(&view, svg::Layout::Own).expect("the own layout always draws");
    println!("own layout: {own} crossings");
    if !dot_present() {
        return;
    }
    let by_dot = svg::dot_crossings(&view, &dot::render(&view)).expect("dot lays out the DOT");
    println!("dot: {by_dot} crossings");
    assert!(
        own <= 2 * by_dot.max(1),
        "the own layout crosses {own} times, dot {by_dot} times"
    );
}

#[test]
fn own_layout_keeps_the_v3_graph_narrow() {
    let checked = check_file(Path::new("policies/secure-communities/v3-2011-08.flow"));
    let view = graph::build(&checked, None).expect("the V3 policy checks");
    let own = svg::render_with(&view, svg::Layout::Own).svg;
    let width: f64 = own
        .split_once(" width=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(w, _)| w.parse().ok())
        .expect("the SVG has a width");
    println!("own layout: {width} px wide");
    assert!(width <= 1600.0, "the own layout is {width} px wide");
}

#[test]
fn dot_draws_the_v3_graph_when_asked() {
    let checked = check_file(Path::new("policies/secure-communities/v3-2011-08.flow"));
    let view = graph::build(&checked, None).expect("the V3 policy checks");
    let own = svg::render_with(&view, svg::Layout::Own);
    assert_eq!(own.layout, svg::Layout::Own);
    assert!(own.svg.contains("laid out by flowproof"));
    if !dot_present() {
        return;
    }
    let drawn = svg::render_with(&view, svg::Layout::Dot);
    assert_eq!(drawn.layout, svg::Layout::Dot);
    assert!(drawn.svg.contains("laid out by Graphviz dot"));
    println!(
        "V3 by dot: {} bytes; by flowproof: {} bytes",
        drawn.svg.len(),
        own.svg.len()
    );
    // standalone, with each edge's conditions as tooltips; on a page that tells the
    // conditions in words (the report), without
    for rendered in [&own, &drawn] {
        assert!(rendered.svg.len() < 40_000, "{} bytes", rendered.svg.len());
    }
    for layout in [svg::Layout::Own, svg::Layout::Dot] {
        let on_page = svg::render_for_page(&view, layout).svg;
        assert!(
            on_page.len() < 35_000,
            "{layout:?}: {} bytes",
            on_page.len()
        );
    }
}
