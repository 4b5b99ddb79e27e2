//! Text metrics and formatting, for every step: a string → its estimated width, or
//! clipped to one line, wrapped, or kept whole as a tooltip; a coordinate → its text.

use std::fmt;

const MAX_TOOLTIP: usize = 4000;

/// A coordinate, written as a whole number (pixels are small enough).
pub(super) struct N(pub(super) f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let r = v.round().clamp(-1e12, 1e12) as i64;
        write!(f, "{r}")
    }
}

/// Estimated advance of one character, in ems (no font metrics available).
fn char_em(c: char) -> f64 {
    let u = c as u32;
    let wide = (0x1100..=0x115F).contains(&u)
        || (0x2E80..=0xA4CF).contains(&u)
        || (0xAC00..=0xD7A3).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFE30..=0xFE4F).contains(&u)
        || (0xFF00..=0xFF60).contains(&u)
        || (0xFFE0..=0xFFE6).contains(&u)
        || u >= 0x1F300;
    if wide {
        1.0
    } else if matches!(c, 'm' | 'w' | 'M' | 'W' | '@' | '%') {
        0.85
    } else if c.is_uppercase() {
        0.7
    } else if matches!(
        c,
        'i' | 'l'
            | 'j'
            | 't'
            | 'f'
            | 'r'
            | '.'
            | ','
            | ':'
            | ';'
            | '\''
            | '|'
            | '!'
            | '('
            | ')'
            | '['
            | ']'
            | ' '
    ) {
        0.34
    } else {
        0.58
    }
}

/// Estimated width of `s` at font size `fs`.
pub(super) fn text_w(s: &str, fs: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * fs * if bold { 1.08 } else { 1.0 }
}

/// One line of display text: newlines and tabs become spaces, long text is
/// cut with an ellipsis.
pub(super) fn clip(s: &str, max: usize) -> String {
    let max = max.max(2);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i + 1 >= max && s.chars().nth(i + 1).is_some() {
            out.push('…');
            return out;
        }
        out.push(if c == '\n' || c == '\t' || c == '\r' {
            ' '
        } else {
            c
        });
    }
    out
}

/// Tooltip text: kept whole up to a generous limit.
pub(super) fn tip(s: &str) -> String {
    if s.chars().count() <= MAX_TOOLTIP {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_TOOLTIP).collect();
        t.push('…');
        t
    }
}

/// Greedy word wrap to about `max_chars` per line, at most `max_lines`.
pub(super) fn wrap(s: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0usize;
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let wl = word.len();
            if cur_len > 0 && cur_len + 1 + wl <= max_chars {
                cur.push(' ');
                cur.extend(word.iter());
                cur_len += 1 + wl;
                break;
            }
            if cur_len > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_len = 0;
            }
            if wl <= max_chars {
                cur.extend(word.iter());
                cur_len = wl;
                break;
            }
            let rest = word.split_off(max_chars);
            lines.push(word.iter().collect());
            word = rest;
            if lines.len() > max_lines {
                break;
            }
        }
        if lines.len() > max_lines {
            break;
        }
    }
    if cur_len > 0 {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines
}
