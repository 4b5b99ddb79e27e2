//! Tests of the whole renderer: a [`View`] → its SVG, checked for being well formed,
//! deterministic and escaped, for its styles, labels and text alternative, and for a
//! clean geometry.

use super::*;
use crate::render::graph::{Edge, EdgeLine, Node};

fn node(name: &str, kind: &str, parent: Option<usize>) -> Node {
    Node {
        name: name.into(),
        label: None,
        kind: kind.into(),
        kind_label: None,
        parent,
        notes: vec![],
        highlight: false,
    }
}

fn line(data: &str, cond: Option<&str>, rule: &str) -> EdgeLine {
    EdgeLine {
        data: data.into(),
        data_label: None,
        condition: cond.map(str::to_string),
        rule: rule.into(),
        highlight: false,
        blocked: false,
    }
}

fn edge(from: usize, to: usize, lines: Vec<EdgeLine>) -> Edge {
    Edge {
        from,
        to,
        lines,
        highlight: false,
        blocked: false,
    }
}

fn sample() -> View {
    let mut nodes = vec![
        node("CA", "state", None),
        node("SanFrancisco", "county", Some(0)),
        node("SantaClara", "county", Some(0)),
        node("FBI", "federal", None),
        node("DHS", "federal", None),
        node("ICE", "federal", None),
    ];
    nodes[1].notes.push("collects fingerprints".into());
    nodes[2].highlight = true;
    let mut edges = vec![
        edge(1, 0, vec![line("fingerprints", None, "a.flow:1")]),
        edge(2, 0, vec![line("fingerprints", None, "a.flow:1")]),
        edge(0, 3, vec![line("fingerprints", None, "a.flow:2")]),
        edge(
            3,
            4,
            vec![line("fingerprints", Some("activated(origin)"), "a.flow:3")],
        ),
        edge(4, 3, vec![line("match", None, "a.flow:4")]),
        edge(
            4,
            5,
            vec![
                line("match", None, "a.flow:5"),
                line("fingerprints", None, "a.flow:6"),
            ],
        ),
        edge(0, 1, vec![line("match", None, "a.flow:7")]),
        edge(0, 1, vec![line("iar", None, "a.flow:8")]),
    ];
    edges[1].highlight = true;
    edges[1].lines[0].highlight = true;
    edges[7].blocked = true;
    edges[7].lines[0].blocked = true;
    View {
        title: "Test".into(),
        nodes,
        edges,
        caption: Some("a caption".into()),
    }
}

/// Balanced tags, one root element.
fn well_formed(svg: &str) -> Result<(), String> {
    if !svg.starts_with("<svg") {
        return Err("does not start with <svg".into());
    }
    if !svg.trim_end().ends_with("</svg>") {
        return Err("does not end with </svg>".into());
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    let mut roots = 0;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let Some(end) = rest.find('>') else {
            return Err("unclosed tag".into());
        };
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.contains('<') {
            return Err(format!("raw < inside tag: {tag}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("mismatched </{name}> for {other:?}")),
            }
        } else if !tag.ends_with('/') {
            if stack.is_empty() {
                roots += 1;
            }
            let name = tag.split_whitespace().next().unwrap_or("").to_string();
            stack.push(name);
        } else if stack.is_empty() {
            roots += 1;
        }
        // Attribute quotes must balance.
        if !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("odd quotes in {tag}"));
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed: {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(())
}

#[test]
fn well_formed_and_deterministic() {
    let v = sample();
    let a = render(&v);
    let b = render(&v);
    assert_eq!(a, b);
    assert_eq!(well_formed(&a), Ok(()));
    assert!(a.contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    assert!(a.contains("viewBox=\"0 0 "));
    assert!(!a.contains("NaN") && !a.contains("inf"));
}

#[test]
fn hostile_text_is_escaped() {
    let evil = "<script>alert(1)</script> \"quotes\" 'apos' & javascript:alert(1) \u{7}";
    let mut v = sample();
    v.title = evil.into();
    v.caption = Some(evil.into());
    for n in &mut v.nodes {
        n.name = format!("{evil}{}", n.name);
        n.kind = evil.into();
        n.notes.push(evil.into());
    }
    for e in &mut v.edges {
        for l in &mut e.lines {
            l.data = evil.into();
            l.condition = Some(evil.into());
            l.rule = evil.into();
        }
    }
    let svg = render(&v);
    assert_eq!(well_formed(&svg), Ok(()));
    let lower = svg.to_lowercase();
    assert!(!lower.contains("<script"));
    assert!(!lower.contains("\"quotes\""));
    assert!(!lower.contains("href"));
    assert!(!lower.contains("=\"javascript"));
    assert!(!svg.contains('\u{7}'));
    assert!(svg.contains("&lt;script&gt;"));
    // No event handler attributes anywhere.
    for attr in [
        "onload=",
        "onclick=",
        "onerror=",
        "onmouseover=",
        "<foreignobject",
        "<image",
        "url(",
    ] {
        assert!(!lower.contains(attr), "{attr}");
    }
}

#[test]
fn highlighted_red_and_blocked_dashed() {
    let svg = render(&sample());
    assert_eq!(svg.matches("<g class=\"fp-e fp-h\">").count(), 1);
    assert_eq!(svg.matches("<g class=\"fp-e fp-b\">").count(), 1);
    assert_eq!(svg.matches("<g class=\"fp-e\">").count(), 6);
    // the styles come from the one style sheet, scoped to the picture
    assert_eq!(svg.matches("<style>").count(), 1);
    assert!(svg.contains(".fpg .fp-h path{stroke:#c0392b;stroke-width:3}"));
    assert!(svg.contains(".fpg .fp-b path{stroke:#8a8a8a;stroke-dasharray:7 4}"));
    assert!(!svg.contains("id=\""));
    assert!(!svg.contains("stroke=\""));
    assert!(svg.contains("<g class=\"fp-n fp-h\">"));
    assert!(svg.contains("SantaClara"));
    // the legend names the line styles in use and the layout
    assert!(svg.contains("the highlighted path"));
    assert!(svg.contains("blocked in this scenario"));
    assert!(svg.contains("laid out by flowproof"));
}

#[test]
fn edges_are_labelled_with_their_data() {
    let svg = render(&sample());
    // no numbered keys, no legend of them
    assert!(!svg.contains("[1]") && !svg.contains("Edge labels"));
    // a condition is marked on the label and spelt out in its tooltip, once
    assert!(svg.contains(">fingerprints*</text>"));
    assert_eq!(
        svg.matches("<title>fingerprints when activated(origin)</title>")
            .count(),
        1
    );
    assert!(svg.contains("only under a condition"));
    // parallel data on one edge share its label
    assert!(svg.contains(">match</text>"));
    // no rules or file paths in the picture
    assert!(!svg.contains("a.flow"));
    // the text alternative names the agencies and the data
    let desc = svg
        .split("<desc>")
        .nth(1)
        .and_then(|d| d.split("</desc>").next())
        .unwrap_or("");
    assert!(desc.contains("6 agencies and 8 flows"), "{desc}");
    assert!(
        desc.contains("CA (with SanFrancisco, SantaClara in it)"),
        "{desc}"
    );
    assert!(desc.contains("fingerprints, match, iar"), "{desc}");
    assert!(svg.contains("role=\"img\""));
}

#[test]
fn odd_inputs_do_not_panic() {
    let empty = View {
        title: String::new(),
        nodes: vec![],
        edges: vec![],
        caption: None,
    };
    assert_eq!(well_formed(&render(&empty)), Ok(()));

    let mut edges_bad = View {
        title: "bad".into(),
        nodes: vec![
            node("A", "", Some(99)),
            node("B", "x", Some(1)),
            node("C", "", Some(3)),
            node("D", "", Some(2)),
        ],
        edges: vec![
            edge(0, 0, vec![line("self", None, "r:1")]),
            edge(0, 7, vec![line("out of range", None, "r:2")]),
            edge(9, 1, vec![]),
            edge(0, 1, vec![]),
            edge(1, 0, vec![line("", None, "")]),
            edge(2, 3, vec![line("x", None, "r")]),
            edge(3, 2, vec![line("x", None, "r")]),
        ],
        caption: Some(String::new()),
    };
    assert_eq!(well_formed(&render(&edges_bad)), Ok(()));
    edges_bad.edges.clear();
    assert_eq!(well_formed(&render(&edges_bad)), Ok(()));

    let huge = "x".repeat(100_000);
    let mut v = sample();
    v.title = huge.clone();
    v.nodes[0].name = huge.clone();
    v.nodes[1].notes.push(huge.clone());
    v.edges[0].lines[0].data = huge.clone();
    v.caption = Some(format!("{huge} {huge}"));
    let svg = render(&v);
    assert_eq!(well_formed(&svg), Ok(()));
    assert!(svg.len() < 200_000 * 4);

    // Deep nesting and a parent cycle.
    let mut nodes: Vec<Node> = (0..30)
        .map(|i| {
            node(
                &format!("n{i}"),
                "k",
                if i > 0 { Some(i - 1) } else { None },
            )
        })
        .collect();
    nodes.push(node("c1", "", Some(31)));
    nodes.push(node("c2", "", Some(30)));
    let edges = (0..31)
        .map(|i| edge(i, i + 1, vec![line("d", None, "r:1")]))
        .collect();
    let v = View {
        title: "deep".into(),
        nodes,
        edges,
        caption: None,
    };
    assert_eq!(well_formed(&render(&v)), Ok(()));
}

/// Boxes in a layer do not overlap, long edges run between boxes, edge
/// labels do not overlap each other nor any box.
fn check_geometry(v: &View) {
    let input = Input::new(v);
    let lay = lay_out_grid(v, &input);
    for layer in &lay.layers {
        let mut spans: Vec<(f64, f64, bool)> = layer
            .iter()
            .map(|&u| {
                (
                    lay.y[u] - lay.h[u] / 2.0,
                    lay.y[u] + lay.h[u] / 2.0,
                    u < lay.n_real,
                )
            })
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for w in spans.windows(2) {
            assert!(
                w[0].1 + 5.0 <= w[1].0,
                "overlap in a layer: {:?} {:?}",
                w[0],
                w[1]
            );
        }
    }
    let d = lay.into_drawing();
    let labels: Vec<(f64, f64, f64, f64)> = d
        .edges
        .iter()
        .filter_map(|e| {
            let (l, (x, y)) = (e.label.as_ref()?, e.label_at?);
            Some((x - l.w / 2.0, y - l.h / 2.0, x + l.w / 2.0, y + l.h / 2.0))
        })
        .collect();
    assert_eq!(
        labels.len(),
        d.edges.iter().filter(|e| e.label.is_some()).count()
    );
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 + 0.01 || b.3 <= a.1 + 0.01;
            assert!(apart, "labels overlap: {a:?} {b:?}");
        }
        for bx in &d.boxes {
            let apart = a.2 <= bx.x || bx.x + bx.w <= a.0 || a.3 <= bx.y || bx.y + bx.h <= a.1;
            assert!(apart, "label over a box: {a:?}");
        }
    }
}

#[test]
fn geometry_is_clean() {
    check_geometry(&sample());
    // A ring of states and counties like the real model, plus long edges.
    let mut nodes = vec![
        node("FBI", "federal", None),
        node("DHS", "federal", None),
        node("ICE", "federal", None),
    ];
    let mut edges = vec![
        edge(0, 1, vec![line("fingerprints", None, "r:1")]),
        edge(1, 0, vec![line("match", None, "r:2")]),
        edge(1, 2, vec![line("iaq", None, "r:3")]),
        edge(2, 0, vec![line("iar", None, "r:4")]),
    ];
    for s in 0..4 {
        let st = nodes.len();
        nodes.push(node(&format!("State{s}"), "state", None));
        edges.push(edge(st, 0, vec![line("fingerprints", None, "r:5")]));
        edges.push(edge(
            0,
            st,
            vec![line("match", None, "r:6"), line("iar", None, "r:7")],
        ));
        for c in 0..3 {
            let ct = nodes.len();
            nodes.push(node(&format!("County{s}_{c}"), "county", Some(st)));
            edges.push(edge(ct, st, vec![line("fingerprints", None, "r:8")]));
            edges.push(edge(st, ct, vec![line("match", Some("relays(x)"), "r:9")]));
            edges.push(edge(2, ct, vec![line("detainer", None, "r:10")]));
            edges.push(edge(ct, 2, vec![line("release_notice", None, "r:11")]));
        }
    }
    let v = View {
        title: "ring".into(),
        nodes,
        edges,
        caption: None,
    };
    check_geometry(&v);
}

#[test]
fn cycles_and_parallel_edges_are_drawn() {
    let mut v = sample();
    v.edges
        .push(edge(5, 1, vec![line("detainer", None, "a.flow:9")]));
    let svg = render(&v);
    assert_eq!(well_formed(&svg), Ok(()));
    let samples = svg.matches(" fp-s\"").count();
    assert_eq!(
        svg.matches("<g class=\"fp-e").count() - samples,
        v.edges.len()
    );
}

#[test]
fn many_nodes() {
    let n = 3000;
    let nodes: Vec<Node> = (0..n)
        .map(|i| {
            node(
                &format!("a{i}"),
                "county",
                if i % 4 == 1 { Some(i - 1) } else { None },
            )
        })
        .collect();
    let edges: Vec<Edge> = (0..n * 2)
        .map(|k| {
            edge(
                (k * 7919) % n,
                (k * 104_729 + 1) % n,
                vec![line(&format!("d{}", k % 13), None, "r:1")],
            )
        })
        .filter(|e| e.from != e.to)
        .collect();
    let v = View {
        title: "many".into(),
        nodes,
        edges,
        caption: None,
    };
    let svg = render(&v);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
}
