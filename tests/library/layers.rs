//! The pipeline's order, held: no library file refers to a module of a later stage,
//! the files of a module with steps of its own (the engine, grounding, resolution, the
//! formatter, the language server) call down in their own order, and the crate docs and the
//! README's map of the code name every stage.
//!
//! A file's references are every `crate::NAME` (and, inside a module with steps, every
//! `super::NAME`) outside comments and string literals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The library's top-level modules, in pipeline order. A module may refer only to
/// modules of an earlier rank (modules sharing a rank are independent of each other).
const STAGES: &[(usize, &[&str])] = &[
    (0, &["span", "terminal", "limits", "suggest", "minimize"]),
    (1, &["source", "diagnostic"]),
    (2, &["syntax"]),
    (3, &["model"]),
    (4, &["check"]),
    (5, &["format", "ground"]),
    (6, &["verdict"]),
    (7, &["witness"]),
    (8, &["solve", "reference"]),
    (9, &["explain"]),
    (10, &["verify"]),
    (11, &["diff", "expect", "pin", "contradictions"]),
    (12, &["timeline"]),
    (13, &["render"]),
    (14, &["report", "lsp", "init", "generate"]),
];

/// Inside a module with steps of its own: the files in the order they may call down.
const STEPS: &[(&str, &[&[&str]])] = &[
    (
        "solve",
        &[
            &["options"],
            &["bdd"],
            &["encode"],
            &["session"],
            &["decide"],
            &["split", "symmetry"],
            &["core"],
            &["why", "together"],
        ],
    ),
    (
        "ground",
        &[&["params"], &["prop"], &["graph"], &["formula"], &["slice"]],
    ),
    (
        "check/resolve",
        &[
            &["names"],
            &["lookup"],
            &["declarations"],
            &["terms"],
            &["kinds"],
            &["formulas"],
            &["rules"],
        ],
    ),
    (
        "lsp",
        &[
            &["text", "index"],
            &["document"],
            &["diagnostics"],
            &["navigate", "hover", "complete", "formatting"],
            &["lens"],
        ],
    ),
    (
        "format",
        &[
            &["comments"],
            &["printer"],
            &["formula"],
            &["decl"],
            &["layout"],
            &["write"],
        ],
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn rank(module: &str) -> Option<usize> {
    STAGES
        .iter()
        .find(|(_, names)| names.contains(&module))
        .map(|(r, _)| *r)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text with comments and string literals blanked (a reference named in prose or
/// in a message is not a dependency).
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            // a char literal such as '"' must not open a string
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\"'") || rest.starts_with("\\\"'") {
                    let skip = if rest.starts_with('\\') { 3 } else { 2 };
                    for _ in 0..skip {
                        chars.next();
                    }
                    out.push_str("' '");
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every `PREFIX::NAME` in `text`.
fn references<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    let needle = format!("{prefix}::");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let start = from + i;
        let before = text[..start].chars().next_back();
        from = start + needle.len();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: &str = &text[from..];
        let end = name
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(name.len());
        if end > 0 {
            out.push(&name[..end]);
        }
    }
    out
}

/// The library's files by their top-level module (the binary's `cli` and `main` apart).
fn library_files() -> BTreeMap<String, Vec<PathBuf>> {
    let src = root().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut by_module: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for f in all {
        let rel = f.strip_prefix(&src).expect("under src");
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_owned();
        if ["main", "cli", "lib"].contains(&first.as_str()) {
            continue;
        }
        by_module.entry(first).or_default().push(f);
    }
    by_module
}

#[test]
fn every_library_module_has_a_stage() {
    let modules = library_files();
    let unplaced: Vec<&String> = modules.keys().filter(|m| rank(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "modules with no place in the pipeline (add them to STAGES): {unplaced:?}"
    );
    let listed: Vec<&str> = STAGES.iter().flat_map(|(_, m)| m.iter().copied()).collect();
    let gone: Vec<&&str> = listed
        .iter()
        .filter(|m| !modules.contains_key(**m))
        .collect();
    assert!(
        gone.is_empty(),
        "STAGES names modules that do not exist: {gone:?}"
    );
}

#[test]
fn no_module_refers_to_a_later_stage() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (module, paths) in library_files() {
        let Some(own) = rank(&module) else { continue };
        for path in paths {
            let text = code(&std::fs::read_to_string(&path).expect("readable"));
            for name in references(&text, "crate") {
                checked += 1;
                match rank(name) {
                    Some(r) if name == module || r < own => {}
                    Some(r) => wrong.push(format!(
                        "{} (stage {own}) refers to `crate::{name}` (stage {r})",
                        path.display()
                    )),
                    None => wrong.push(format!(
                        "{} refers to `crate::{name}`, which has no stage",
                        path.display()
                    )),
                }
            }
        }
    }
    assert!(
        checked > 300,
        "only {checked} references found: is the scan broken?"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn modules_with_steps_call_down_in_their_own_order() {
    for (module, order) in STEPS {
        let step = |name: &str| order.iter().position(|names| names.contains(&name));
        let dir = root().join("src").join(module);
        let mut paths = Vec::new();
        files(&dir, &mut paths);
        assert!(!paths.is_empty(), "no files under src/{module}/");
        for path in paths {
            let own_name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_owned();
            let own = step(&own_name)
                .unwrap_or_else(|| panic!("src/{module}/{own_name}.rs has no place in STEPS"));
            let text = code(&std::fs::read_to_string(&path).expect("readable"));
            let crate_paths = format!("crate::{module}");
            for name in references(&text, "super")
                .into_iter()
                .chain(references(&text, &crate_paths))
            {
                // the module root re-exports; a step names a sibling through it
                if let Some(theirs) = step(name) {
                    assert!(
                        theirs < own || name == own_name,
                        "src/{module}/{own_name}.rs (step {own}) calls up into `{name}` (step {theirs})"
                    );
                }
            }
        }
    }
}

#[test]
fn the_crate_docs_and_the_readme_name_every_stage() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).expect("lib.rs");
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    for (_, modules) in STAGES {
        for m in *modules {
            assert!(
                lib.contains(&format!("[`{m}`]")),
                "the pipeline comment in src/lib.rs does not name `{m}`"
            );
            assert!(
                readme.contains(&format!("`{m}`")),
                "the README's map of the code does not name `{m}`"
            );
        }
    }
}

#[test]
fn the_scan_sees_references_and_ignores_prose() {
    let text = code(
        "use crate::ground::Prop; // crate::render in a comment\nlet s = \"crate::lsp\"; let c = '\"'; super::session::x();",
    );
    assert_eq!(references(&text, "crate"), vec!["ground"]);
    assert_eq!(references(&text, "super"), vec!["session"]);
}
