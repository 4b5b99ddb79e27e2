//! Laying out a file: a parsed file and the text it was parsed from → the formatted
//! text: each declaration rendered at [`WIDTH`], the comments and blank lines between
//! declarations kept, and the comments that end neighbouring lines aligned.

use super::WIDTH;
use super::comments::scan;
use super::decl::decl_span;
use super::printer::{MARK, Printer};
use crate::syntax::ast::File;

/// One line (or block of lines) of the output, before trailing comments are aligned.
struct Entry {
    text: String,
    /// A comment at the end of its last line.
    trailing: Option<String>,
    blank_before: bool,
}

/// Lays out a parsed file; `text` is what it was parsed from.
pub(super) fn layout(text: &str, tree: &File) -> String {
    let (comments, tokens) = scan(text);
    let align = !comments.iter().any(|c| c.text.contains(MARK));
    let mut p = Printer {
        text,
        tokens,
        comments,
        next: 0,
        last: 0,
        mark: if align {
            MARK.to_string()
        } else {
            "  ".to_owned()
        },
        carry: None,
    };
    let mut entries: Vec<Entry> = Vec::new();
    // source offset of the end of what has been laid out
    let mut done = 0;
    // the comments before `until` not yet placed, each on a line of its own
    let comment_lines = |p: &mut Printer, entries: &mut Vec<Entry>, done: &mut usize, until| {
        while let Some(c) = p.comments.get(p.next).filter(|c| c.start < until) {
            entries.push(Entry {
                text: c.text.clone(),
                trailing: None,
                blank_before: blank_between(text, *done, c.start),
            });
            *done = c.end;
            p.next += 1;
        }
    };
    for decl in &tree.decls {
        let start = decl_span(decl).start as usize;
        comment_lines(&mut p, &mut entries, &mut done, start);
        let blank_before = blank_between(text, done, start);
        p.last = start;
        let doc = p.decl(decl);
        let mut out = String::new();
        let _ = doc.render_fmt(WIDTH, &mut out);
        let trailing = p.trailing_text();
        done = p.last;
        entries.push(Entry {
            text: trim_line_ends(&out),
            trailing,
            blank_before,
        });
    }
    comment_lines(&mut p, &mut entries, &mut done, usize::MAX);
    let out = assemble(&entries, &p.mark);
    if align { align_comments(&out) } else { out }
}

/// Joins the entries, one blank line where the source had one or more.
fn assemble(entries: &[Entry], mark: &str) -> String {
    let mut out = String::new();
    for e in entries {
        if e.blank_before && !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&e.text);
        if let Some(comment) = &e.trailing {
            out.push_str(mark);
            out.push_str(comment);
        }
        out.push('\n');
    }
    out
}

/// Aligns the comments that end lines, marked by `MARK` before them. A section is a run
/// of lines with no blank line and no comment line among them; in a section, every
/// such comment starts two columns after the longest line that has one.
fn align_comments(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let breaks = |line: &str| {
        let t = line.trim_start();
        !line.contains(MARK) && (t.is_empty() || t.starts_with("//") || t.starts_with("/*"))
    };
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && !breaks(lines[j]) {
            j += 1;
        }
        let section = &lines[i..j.max(i + 1)];
        let column = section
            .iter()
            .filter_map(|l| l.split_once(MARK))
            .map(|(code, _)| code.chars().count())
            .max()
            .unwrap_or(0);
        for line in section {
            match line.split_once(MARK) {
                Some((code, comment)) => {
                    let pad = column - code.chars().count() + 2;
                    out.push(format!("{code}{}{comment}", " ".repeat(pad)));
                }
                None => out.push((*line).to_owned()),
            }
        }
        i = j.max(i + 1);
    }
    out.join("\n")
}

fn blank_between(text: &str, from: usize, to: usize) -> bool {
    from < to && text[from..to].bytes().filter(|b| *b == b'\n').count() >= 2
}

fn trim_line_ends(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    lines.join("\n")
}
