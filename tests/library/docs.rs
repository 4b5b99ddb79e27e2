//! The documentation keeps up with the code: every diagnostic code in the source is
//! listed in `docs/language.md`, and has an entry of its own in `docs/reference.md` with
//! an example or a stated reason why there is none.

use std::path::Path;

fn codes_in(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir)
        .expect("readable source dir")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            codes_in(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            for piece in text.split("code(flowproof::").skip(1) {
                let code: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                out.push(format!("flowproof::{code}"));
            }
        }
    }
}

#[test]
fn every_diagnostic_code_is_documented() {
    let mut codes = Vec::new();
    codes_in(Path::new("src"), &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 30, "found only {} codes", codes.len());
    let doc = std::fs::read_to_string("docs/language.md").expect("docs/language.md");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "undocumented diagnostic codes: {missing:?}"
    );
}

/// The codes in the source, sorted, each once.
fn source_codes() -> Vec<String> {
    let mut codes = Vec::new();
    codes_in(Path::new("src"), &mut codes);
    codes.sort();
    codes.dedup();
    codes
}

/// Every `flowproof::...` code written between backticks in `line`.
fn codes_named(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.starts_with("flowproof::")
                && s.len() > "flowproof::".len()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        })
        .map(str::to_owned)
        .collect()
}

/// One line of the reference, outside or inside a fenced block.
enum Line<'a> {
    Text(&'a str),
    /// the opening fence of a block, with its info string
    Fence(&'a str),
    /// a line inside a block
    Code(&'a str),
}

fn classify(doc: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in doc.lines() {
        match line.trim_start().strip_prefix("```") {
            Some(info) if !inside => {
                inside = true;
                out.push(Line::Fence(info.trim()));
            }
            Some(_) => inside = false,
            None if inside => out.push(Line::Code(line)),
            None => out.push(Line::Text(line)),
        }
    }
    out
}

/// The entries of the reference: for each heading, or line starting with a code in
/// bold, that names exactly one code: that code, and the lines up to the next heading
/// or bold code line.
fn entries<'a>(lines: &'a [Line<'a>]) -> Vec<(String, &'a [Line<'a>])> {
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| match l {
            Line::Text(t) if t.starts_with('#') => Some((i, *t)),
            // `**`code`** ...`: the title is the bold part
            Line::Text(t) if t.starts_with("**`flowproof::") => {
                Some((i, t[2..].split("**").next().unwrap_or("")))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (k, &(start, title)) in starts.iter().enumerate() {
        if let [code] = codes_named(title).as_slice() {
            let end = starts.get(k + 1).map_or(lines.len(), |(i, _)| *i);
            out.push((code.clone(), &lines[start + 1..end]));
        }
    }
    out
}

/// Whether `line` contains `code` itself, not a longer code that starts with it
/// (`flowproof::limit::ground` in `flowproof::limit::ground_params`).
fn mentions(line: &str, code: &str) -> bool {
    line.match_indices(code).any(|(at, _)| {
        !line[at + code.len()..]
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    })
}

/// Whether an entry shows its code: a `flow error=CODE` block, a console block with a
/// command whose output (the lines that are not commands) contains the code, or a
/// paragraph starting `No example:` that says why there is none.
fn shows(code: &str, body: &[Line<'_>]) -> bool {
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            Line::Text(t) if t.starts_with("No example:") => return true,
            Line::Fence(info) => {
                let mut words = info.split_whitespace();
                let kind = words.next().unwrap_or("");
                if kind == "flow" && words.any(|w| w == format!("error={code}")) {
                    return true;
                }
                let mut j = i + 1;
                let mut command = false;
                while let Some(Line::Code(l)) = body.get(j) {
                    if l.starts_with("$ ") {
                        command = true;
                    } else if kind == "console" && command && mentions(l, code) {
                        return true;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[test]
fn every_diagnostic_code_has_an_entry_with_an_example_in_the_reference() {
    let codes = source_codes();
    assert!(codes.len() > 30, "found only {} codes", codes.len());
    let doc = std::fs::read_to_string("docs/reference.md").expect("docs/reference.md");
    let lines = classify(&doc);
    let entries = entries(&lines);
    let mut problems = Vec::new();
    for code in &codes {
        let own: Vec<_> = entries.iter().filter(|(c, _)| c == code).collect();
        match own.as_slice() {
            [] => problems.push(format!(
                "{code}: no heading or bold entry of its own in docs/reference.md"
            )),
            [(_, body)] => {
                if !shows(code, body) {
                    problems.push(format!(
                        "{code}: its entry has no `flow error={code}` example, no console command that prints it, and no `No example:` paragraph"
                    ));
                }
            }
            _ => problems.push(format!("{code}: more than one entry in docs/reference.md")),
        }
    }
    for (code, _) in &entries {
        if !codes.contains(code) {
            problems.push(format!(
                "{code}: docs/reference.md has an entry for it, but no source file uses it"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reference_check_finds_examples_and_reasons() {
    let doc = "\
### `flowproof::a::one`\n\
```flow error=flowproof::a::one\n\
x\n\
```\n\
### `flowproof::a::two`\n\
```console\n\
$ flowproof check x.flow  # exit 2\n\
flowproof::a::two\n\
```\n\
### `flowproof::a::three`\n\
No example: it is a bug.\n\
### `flowproof::a::four`\n\
```console\n\
$ flowproof check flowproof::a::four\n\
```\n\
```flow error=flowproof::a::one\n\
```\n\
### `flowproof::a::five` and `flowproof::a::six`\n\
```flow error=flowproof::a::five\n\
```\n\
### `flowproof::a::seven`\n\
```console\n\
$ flowproof check x.flow  # exit 2\n\
flowproof::a::seven_more\n\
```\n";
    let lines = classify(doc);
    let entries = entries(&lines);
    let found: Vec<(&str, bool)> = entries
        .iter()
        .map(|(c, body)| (c.as_str(), shows(c, body)))
        .collect();
    assert_eq!(
        found,
        [
            ("flowproof::a::one", true),
            ("flowproof::a::two", true),
            ("flowproof::a::three", true),
            // named only in the command, and the example below is another code's
            ("flowproof::a::four", false),
            // a heading that names two codes is no entry of its own; a longer code in
            // the output is not this one
            ("flowproof::a::seven", false),
        ]
    );
}
