//! A scenario's path drawn for reading on any screen: the agencies on the path one
//! under the other, an arrow between each two labelled with what moves, and beside an
//! agency the flows the scenario blocks there (dashed, marked "blocked"). Narrow enough
//! for a phone held upright (340 px), drawn at its natural size so its text is never
//! scaled down, and small: the page's stylesheet styles it (classes `ch-*`), so the
//! picture itself carries only shapes and words.

use std::fmt::Write;

use crate::render::graph::escape;

/// The drawing's width, in CSS pixels.
pub const WIDTH: u32 = 340;
const PATH_W: u32 = 196;
const SIDE_X: u32 = 226;
const SIDE_W: u32 = WIDTH - SIDE_X - 2;
const NAME_FS: u32 = 13;
const SMALL_FS: u32 = 11;
const LINE: u32 = 15;
const PAD: u32 = 7;

/// The style the page gives these drawings.
pub const STYLE: &str = "svg.chain { display: block; font-family: Helvetica, Arial, sans-serif; }
.ch-box { fill: #fdf0ee; stroke: #a61b1b; stroke-width: 2; }
.ch-off { fill: #f4f4f4; stroke: #777; stroke-width: 1; stroke-dasharray: 5 3; }
.ch-arrow { stroke: #a61b1b; stroke-width: 2.5; fill: none; }
.ch-head { fill: #a61b1b; }
.ch-cut { stroke: #777; stroke-width: 1.3; stroke-dasharray: 5 3; fill: none; }
.ch-name { font-size: 13px; font-weight: bold; fill: #111; }
.ch-small { font-size: 11px; fill: #333; }
.ch-blocked { font-size: 11px; font-style: italic; fill: #555; }";

/// An agency on the path, what happens at it, and the flows blocked there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    pub name: String,
    /// "derives the detainer from the match", one line each.
    pub notes: Vec<String>,
    /// (to whom, what): flows out of this agency that the scenario blocks.
    pub blocked: Vec<(String, String)>,
}

/// What moves from one stop to the next, and the rule that moves it ("base.flow:248").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub what: String,
    pub rule: String,
}

/// Words wrapped to lines of at most `max` characters (a word longer than a line is
/// cut), at most `lines` lines, the last ending in "…" when text is left over.
fn wrap(text: &str, max: usize, lines: usize) -> Vec<String> {
    let max = max.max(2);
    let mut words: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        let chars: Vec<char> = w.chars().collect();
        words.extend(chars.chunks(max).map(|c| c.iter().collect::<String>()));
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < words.len() && out.len() < lines {
        let w = &words[i];
        if current.is_empty() || current.chars().count() + 1 + w.chars().count() <= max {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(w);
            i += 1;
        } else {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() && out.len() < lines {
        out.push(current);
    }
    if i < words.len()
        && let Some(last) = out.last_mut()
    {
        let mut kept: String = last.chars().take(max - 1).collect();
        kept.push('…');
        *last = kept;
    }
    out
}

fn text(out: &mut String, x: u32, y: u32, class: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y}\" class=\"{class}\">{}</text>",
        escape(s)
    );
}

/// The drawing of one path: `stops` top to bottom, `hops[i]` from `stops[i]` to
/// `stops[i + 1]`. `title` is its text alternative.
pub fn draw(title: &str, stops: &[Stop], hops: &[Hop]) -> String {
    let blocked_anywhere = stops.iter().any(|s| !s.blocked.is_empty());
    let box_w = if blocked_anywhere { PATH_W } else { WIDTH - 2 };
    // characters per line at the two sizes (Helvetica's average advance is about 0.55 em;
    // bold names a little wider)
    let name_chars = ((box_w - 2 * PAD) as f64 / (NAME_FS as f64 * 0.62)) as usize;
    let small_chars = ((box_w - 2 * PAD) as f64 / (SMALL_FS as f64 * 0.55)) as usize;
    let side_chars = ((SIDE_W - 2 * PAD) as f64 / (SMALL_FS as f64 * 0.55)) as usize;
    let label_chars = ((box_w - 30) as f64 / (SMALL_FS as f64 * 0.55)) as usize;

    let mut body = String::new();
    let mut y = 2u32;
    for (i, stop) in stops.iter().enumerate() {
        let name = wrap(&stop.name, name_chars, 3);
        let notes: Vec<Vec<String>> = stop.notes.iter().map(|n| wrap(n, small_chars, 3)).collect();
        let lines = name.len() as u32 + notes.iter().map(|n| n.len() as u32).sum::<u32>();
        let box_h = 2 * PAD + lines * LINE;
        // the blocked flows beside it, each its own dashed box
        let sides: Vec<(Vec<String>, Vec<String>)> = stop
            .blocked
            .iter()
            .map(|(to, what)| {
                (
                    wrap(to, side_chars, 2),
                    wrap(&format!("{what}: blocked"), side_chars, 3),
                )
            })
            .collect();
        let sides_h: u32 = sides
            .iter()
            .map(|(to, what)| 2 * PAD + (to.len() + what.len()) as u32 * LINE + 6)
            .sum();
        let row_h = box_h.max(sides_h);
        let _ = writeln!(
            body,
            "<rect x=\"1\" y=\"{y}\" width=\"{box_w}\" height=\"{box_h}\" rx=\"5\" class=\"ch-box\"/>"
        );
        let mut ty = y + PAD + LINE - 4;
        for l in &name {
            text(&mut body, 1 + PAD, ty, "ch-name", l);
            ty += LINE;
        }
        for l in notes.iter().flatten() {
            text(&mut body, 1 + PAD, ty, "ch-small", l);
            ty += LINE;
        }
        let mut sy = y;
        for (to, what) in &sides {
            let h = 2 * PAD + (to.len() + what.len()) as u32 * LINE;
            let mid = sy + h / 2;
            let _ = writeln!(
                body,
                "<path d=\"M{} {}H{}\" class=\"ch-cut\"/>",
                1 + box_w,
                (y + box_h / 2).min(mid),
                SIDE_X
            );
            let _ = writeln!(
                body,
                "<rect x=\"{SIDE_X}\" y=\"{sy}\" width=\"{SIDE_W}\" height=\"{h}\" rx=\"4\" class=\"ch-off\"/>"
            );
            let mut ty = sy + PAD + LINE - 4;
            for l in to {
                text(&mut body, SIDE_X + PAD, ty, "ch-small", l);
                ty += LINE;
            }
            for l in what {
                text(&mut body, SIDE_X + PAD, ty, "ch-blocked", l);
                ty += LINE;
            }
            sy += h + 6;
        }
        y += row_h;
        if let Some(hop) = hops.get(i).filter(|_| i + 1 < stops.len()) {
            let mut label = wrap(&hop.what, label_chars, 3);
            label.extend(wrap(&format!("({})", hop.rule), label_chars, 1));
            let len = (label.len() as u32 * LINE + 10).max(30);
            let x = 22;
            let _ = writeln!(
                body,
                "<path d=\"M{x} {}V{}\" class=\"ch-arrow\"/><path d=\"M{x} {}l-6 -10h12z\" class=\"ch-head\"/>",
                y,
                y + len - 9,
                y + len
            );
            let mut ty = y + LINE;
            for l in &label {
                text(&mut body, x + 12, ty, "ch-small", l);
                ty += LINE;
            }
            y += len;
        }
    }
    let height = y + 2;
    let mut out = String::with_capacity(body.len() + 200);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chain\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::{Hop, Stop, WIDTH, draw, wrap};

    fn stop(name: &str, blocked: &[(&str, &str)]) -> Stop {
        Stop {
            name: name.to_owned(),
            notes: Vec::new(),
            blocked: blocked
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn wrapping_keeps_every_word_until_the_last_line() {
        assert_eq!(wrap("a bb ccc", 4, 3), ["a bb", "ccc"]);
        assert_eq!(wrap("a bb ccc dddd", 4, 2), ["a bb", "ccc…"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert!(wrap("", 4, 2).is_empty());
    }

    #[test]
    fn a_path_is_drawn_top_to_bottom_with_what_it_blocks_beside_it() {
        let stops = [
            stop(
                "San Francisco",
                &[("ICE field office", "report of a suspect")],
            ),
            stop("California Department of Justice", &[]),
        ];
        let hops = [Hop {
            what: "fingerprints".to_owned(),
            rule: "base.flow:248".to_owned(),
        }];
        let svg = draw("San Francisco → California", &stops, &hops);
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(&format!("width=\"{WIDTH}\"")));
        assert_eq!(svg.matches("class=\"ch-box\"").count(), 2);
        assert_eq!(svg.matches("class=\"ch-off\"").count(), 1);
        assert_eq!(svg.matches("class=\"ch-arrow\"").count(), 1);
        // the blocked flow's words, wrapped to the side box
        let words: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains("class=\"ch-blocked\""))
            .filter_map(|l| l.split('>').nth(1))
            .map(|t| t.trim_end_matches("</text"))
            .collect();
        assert_eq!(words.join(" "), "report of a suspect: blocked");
        assert!(svg.contains(">(base.flow:248)<"));
        // every text inside the drawing's width at the stated font sizes
        for line in svg.lines().filter(|l| l.starts_with("<text")) {
            let x: u32 = line["<text x=\"".len()..]
                .split('"')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("x");
            let content = line
                .split('>')
                .nth(1)
                .unwrap_or("")
                .trim_end_matches("</text");
            let em = if line.contains("ch-name") {
                13.0 * 0.62
            } else {
                11.0 * 0.55
            };
            let width = content.chars().count() as f64 * em;
            assert!(f64::from(x) + width <= f64::from(WIDTH) + 1.0, "{line}");
        }
    }

    #[test]
    fn hostile_names_are_escaped() {
        let stops = [stop("<script>x</script>", &[("\"><img>", "&")])];
        let svg = draw("<b>", &stops, &[]);
        assert!(!svg.contains("<script") && !svg.contains("<img") && !svg.contains("<b>"));
    }
}
