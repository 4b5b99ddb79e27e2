//! The editor support under `editors/`: the VS Code extension's manifest and client agree
//! with each other and with the language, and its TextMate grammar highlights the shipped
//! `.flow` files the way the real lexer reads them.
//!
//! The grammar is run by a small TextMate interpreter below, with each regex compiled by the
//! `regex` crate (the grammar sticks to syntax that both it and Oniguruma accept).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use regex::{Captures, Regex};
use serde_json::Value;

use flowproof::span::FileId;
use flowproof::syntax::lexer::tokens;
use flowproof::syntax::token::{KEYWORDS, Tok};

const F: FileId = FileId(0);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vscode_dir() -> PathBuf {
    root().join("editors").join("vscode")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path))
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn manifest() -> Value {
    json(&vscode_dir().join("package.json"))
}

/// The grammar file the manifest names.
fn grammar() -> Value {
    let manifest = manifest();
    let path = manifest["contributes"]["grammars"][0]["path"]
        .as_str()
        .expect("package.json names a grammar path");
    json(&vscode_dir().join(path))
}

fn str_field<'v>(value: &'v Value, what: &str) -> &'v str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} should be a string, is {value}"))
}

// ---------------------------------------------------------------- the manifest

#[test]
fn vscode_manifest_names_real_files_and_agrees_with_the_client() {
    let dir = vscode_dir();
    let pkg = manifest();
    assert_eq!(pkg["name"], "flowproof");

    // the entry point is the bundle the build script makes from the client's source
    let main = str_field(&pkg["main"], "package.json `main`");
    let source = "src/extension.js";
    assert!(dir.join(source).is_file(), "{source} does not exist");
    let build = str_field(&pkg["scripts"]["build"], "the build script");
    assert!(
        build.contains(source)
            && build.contains(&format!("--outfile={}", main.trim_start_matches("./")))
            && build.contains("--bundle"),
        "the build script does not bundle {source} into `main` {main}: {build}"
    );
    assert!(
        pkg["scripts"]["vscode:prepublish"]
            .as_str()
            .is_some_and(|s| s.contains("npm run build")),
        "packaging does not build the bundle first"
    );
    let language = &pkg["contributes"]["languages"][0];
    let id = str_field(&language["id"], "the language id");
    let extensions = language["extensions"]
        .as_array()
        .expect("the language lists its file extensions");
    assert!(
        extensions.iter().any(|e| e == ".flow"),
        "the language does not claim .flow files: {extensions:?}"
    );
    let activation = pkg["activationEvents"]
        .as_array()
        .expect("package.json has activationEvents");
    assert!(
        activation.iter().any(|e| *e == format!("onLanguage:{id}")),
        "no onLanguage:{id} activation event: {activation:?}"
    );
    let config_path = str_field(
        &language["configuration"],
        "the language configuration path",
    );
    assert!(
        dir.join(config_path).is_file(),
        "language configuration {config_path} does not exist"
    );

    // the comment markers the editor toggles are comments to the real lexer
    let config = json(&dir.join(config_path));
    let line = str_field(&config["comments"]["lineComment"], "lineComment");
    let open = str_field(&config["comments"]["blockComment"][0], "blockComment open");
    let close = str_field(&config["comments"]["blockComment"][1], "blockComment close");
    let commented = format!("{line} policy \"x\";\n{open} claim c: {close}");
    let (toks, errors) = tokens(&commented, F);
    assert!(
        toks.is_empty() && errors.is_empty(),
        "the language configuration's comment markers are not comments to the lexer: \
         {toks:?} {errors:?}"
    );

    // the grammar
    let contributed = &pkg["contributes"]["grammars"][0];
    assert_eq!(
        contributed["language"], id,
        "the grammar is for another language"
    );
    let grammar_path = str_field(&contributed["path"], "the grammar path");
    assert!(
        dir.join(grammar_path).is_file(),
        "grammar {grammar_path} does not exist"
    );
    let grammar = grammar();
    assert_eq!(
        contributed["scopeName"], grammar["scopeName"],
        "package.json and the grammar disagree on the scope name"
    );
    assert!(
        grammar["fileTypes"]
            .as_array()
            .is_some_and(|types| types.iter().any(|t| t == "flow")),
        "the grammar's fileTypes do not include flow"
    );

    // the client: starts `<flowproof.path> lsp` for documents of this language
    let client = read(&dir.join(source));
    assert!(
        client.contains(r#"require("vscode-languageclient/node")"#)
            && pkg["devDependencies"]["vscode-languageclient"].is_string(),
        "the client should use vscode-languageclient, declared as a (bundled) dependency"
    );
    assert!(
        client.contains(r#"args: ["lsp"]"#),
        "the client does not start the server with the argument \"lsp\""
    );
    assert!(
        client.contains(&format!(r#"language: "{id}""#)),
        "the client's document selector is not for language {id}"
    );
    let setting = &pkg["contributes"]["configuration"]["properties"]["flowproof.path"];
    assert_eq!(setting["type"], "string");
    // empty: the client looks for `flowproof` itself
    assert_eq!(setting["default"], "");
    assert!(
        client.contains(r#"getConfiguration("flowproof").get("path""#),
        "the client does not read the flowproof.path setting"
    );

    // every declared command is the one the client registers
    let commands = pkg["contributes"]["commands"]
        .as_array()
        .expect("package.json declares commands");
    let ids: Vec<&str> = commands
        .iter()
        .map(|c| str_field(&c["command"], "a command id"))
        .collect();
    assert_eq!(ids, ["flowproof.verifyClaim", "flowproof.restartServer"]);
    for id in ids {
        assert!(
            client.contains(&format!(r#""{id}""#)),
            "command {id} is declared in package.json but not used by {source}"
        );
    }
    assert!(
        client.contains("registerCommand(VERIFY_CLAIM")
            && client.contains(r#""workspace/executeCommand""#),
        "the client should register the command and send workspace/executeCommand"
    );

    // what `vsce package` warns without: a licence file, an icon, the repository
    assert!(
        dir.join("LICENSE").is_file(),
        "no LICENSE beside package.json"
    );
    let icon = str_field(&pkg["icon"], "the icon");
    assert!(dir.join(icon).is_file(), "icon {icon} does not exist");
    assert!(pkg["repository"]["url"].is_string(), "no repository url");
    let ignored = read(&dir.join(".vscodeignore"));
    assert!(
        ignored.contains("node_modules/") && ignored.contains("src/"),
        "the package would carry node_modules or the unbundled source"
    );

    let readme = read(&dir.join("README.md"));
    assert!(
        readme.contains("flowproof lsp"),
        "the README should say how other editors start the server"
    );
}

// ---------------------------------------------------------------- keywords

/// A scope name that marks a reserved word (operators are `keyword.operator`, not these).
fn is_keyword_scope(name: &str) -> bool {
    (name.starts_with("keyword.") && !name.starts_with("keyword.operator"))
        || name.starts_with("constant.language")
        || name.starts_with("support.function")
}

/// The words a regex spells out literally: escapes, classes and counted repetitions are
/// dropped, so `\b(agency)\s+([A-Za-z_][A-Za-z0-9_]*)` gives just `agency`.
fn literal_words(regex: &str) -> Vec<String> {
    let mut text = String::new();
    let mut chars = regex.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                text.push(' ');
            }
            '[' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        ']' => break,
                        _ => {}
                    }
                }
                text.push(' ');
            }
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                text.push(' ');
            }
            _ => text.push(c),
        }
    }
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words of every `match` rule in the grammar that gives a keyword scope, either as
/// its name or as one of its captures.
fn grammar_keyword_words(value: &Value, words: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(regex)) = map.get("match") {
                let mut names: Vec<&str> = map
                    .get("name")
                    .and_then(Value::as_str)
                    .into_iter()
                    .collect();
                if let Some(Value::Object(captures)) = map.get("captures") {
                    names.extend(captures.values().filter_map(|c| c["name"].as_str()));
                }
                if names.iter().any(|n| is_keyword_scope(n)) {
                    words.extend(literal_words(regex));
                }
            }
            for v in map.values() {
                grammar_keyword_words(v, words);
            }
        }
        Value::Array(items) => {
            for v in items {
                grammar_keyword_words(v, words);
            }
        }
        _ => {}
    }
}

#[test]
fn grammar_keywords_are_exactly_the_lexer_keywords() {
    let mut words = BTreeSet::new();
    grammar_keyword_words(&grammar(), &mut words);
    let keywords: BTreeSet<String> = KEYWORDS.iter().map(|k| (*k).to_owned()).collect();
    let missing: Vec<_> = keywords.difference(&words).collect();
    let extra: Vec<_> = words.difference(&keywords).collect();
    assert!(
        missing.is_empty(),
        "keywords no grammar keyword rule names: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "grammar keyword rules name words that are not keywords: {extra:?}"
    );
}

#[test]
fn every_keyword_is_highlighted_alone_and_never_inside_a_name() {
    let grammar = grammar();
    let highlighter = Highlighter::new(&grammar);
    for kw in KEYWORDS {
        // alone, and followed by a name as in a declaration
        for text in [(*kw).to_owned(), format!("{kw} x;")] {
            let (toks, _) = tokens(&text, F);
            assert!(
                toks.first().is_some_and(|(_, t, _)| t.is_keyword()),
                "the lexer does not read `{kw}` as a keyword"
            );
            let scopes = highlighter.highlight(&text);
            let scope = token_scope(&scopes, 0, kw.len())
                .unwrap_or_else(|why| panic!("`{kw}` in `{text}`: {why}"));
            assert!(
                is_keyword_scope(&scope.name),
                "`{kw}` in `{text}` is scoped {}",
                scope.name
            );
        }
        // inside a longer identifier it is no keyword, for the lexer nor for the grammar
        for text in [
            format!("{kw}_x"),
            format!("x{kw}"),
            format!("{kw}1"),
            format!("_{kw}"),
        ] {
            let (toks, _) = tokens(&text, F);
            assert!(
                matches!(toks.as_slice(), [(_, Tok::Ident(_), _)]),
                "the lexer reads `{text}` as {toks:?}"
            );
            let scopes = highlighter.highlight(&text);
            if let Some(bad) = scopes.iter().flatten().find(|s| is_keyword_scope(&s.name)) {
                panic!("the identifier `{text}` is highlighted as {}", bad.name);
            }
        }
    }
}

// ---------------------------------------------------------------- the shipped policies

fn flow_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            flow_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "flow") {
            out.push(path);
        }
    }
}

/// The 1-based line and the text of the line holding byte `at`, for messages.
fn place(text: &str, at: usize) -> String {
    let line_no = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    format!("line {line_no}: {}", &text[start..end])
}

#[test]
fn grammar_highlights_shipped_policies_like_the_lexer_reads_them() {
    let grammar = grammar();
    let highlighter = Highlighter::new(&grammar);
    let mut files = Vec::new();
    flow_files(&root().join("policies"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .flow files under policies/");

    let mut checked = Checked::default();
    for path in &files {
        let shown = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        check_against_lexer(&highlighter, &shown, &read(path), &mut checked);
    }
    assert!(
        checked.keywords > 0 && checked.strings > 0 && checked.names > 0 && checked.comments > 0,
        "the walk saw too little: {checked:?}"
    );
}

/// Lexically tricky text the shipped policies do not have (block comments, escapes,
/// comment markers in strings and strings in comments, operators written tight).
const TRICKY: &str = r#"/* a block comment: claim policy "not a string"
   over lines // not a line comment either */ policy "a // b /* c"
version "\"q\" \\ \n \t \u{1F600}";
kind county; /* claim */ agency A: county; // "not a string" flow
agency B:county in A;claim e:possible true;
data d; param p(c: county); optout o(c:county) when !p(c)
  blocks d: (c: county) -> A;
collect d at(c:county)when p(c)&&true||false;
flow d: A->parent(origin) when origin!=A<=>origin==A=>!flows(d of A, A->A);
claim c "t" cite s quote "q": always forall c: county. reaches(d of c, A);
source s { date = 2010-08-17; url = "u"; title = "t"; }
derive e from d at A; assume exists c:county.p(c); import "x.flow";
source t { document = "memo.txt"; date = 2011-04; } claim f "g" by "who" said 2011
  note "why": always true;
optout w(s: county) "{s} refuses" covers all blocks d: s -> A when s != A note "n";
optout x(s: county) covers inside blocks d: A -> s;
reading r "as written" cite t "the words" { assume p(A) note "n"; }
"#;

#[test]
fn grammar_highlights_tricky_text_like_the_lexer_reads_it() {
    let grammar = grammar();
    let highlighter = Highlighter::new(&grammar);
    let mut checked = Checked::default();
    check_against_lexer(&highlighter, "TRICKY", TRICKY, &mut checked);
    assert!(
        checked.strings > 0 && checked.names > 0 && checked.comments > 0,
        "the sample should have strings, names and comments: {checked:?}"
    );
    let (toks, _) = tokens(TRICKY, F);
    let used: BTreeSet<&str> = toks
        .iter()
        .filter(|(_, t, _)| t.is_keyword())
        .filter_map(|(_, t, _)| t.text())
        .collect();
    let unused: Vec<&&str> = KEYWORDS.iter().filter(|k| !used.contains(**k)).collect();
    assert!(
        unused.is_empty(),
        "the sample should use every keyword; it lacks {unused:?}"
    );
}

/// How many tokens and bytes of each sort were checked.
#[derive(Debug, Default)]
struct Checked {
    keywords: usize,
    strings: usize,
    names: usize,
    comments: usize,
}

/// Highlights `text` and compares the scopes with the real lexer's tokens: every keyword
/// token gets one keyword scope covering exactly it; strings are string-scoped, with no
/// keyword inside and their escapes scoped as escapes; names get no keyword scope; dates,
/// operators and punctuation get one scope each; what the lexer skips is whitespace or
/// comment-scoped, and no token is.
fn check_against_lexer(
    highlighter: &Highlighter<'_>,
    shown: &str,
    text: &str,
    checked: &mut Checked,
) {
    let (toks, errors) = tokens(text, F);
    assert!(errors.is_empty(), "{shown} does not lex: {errors:?}");
    let scopes = highlighter.highlight(text);
    let mut in_token = vec![false; text.len()];
    for (start, tok, end) in &toks {
        let (start, end) = (*start, *end);
        in_token[start..end].iter_mut().for_each(|b| *b = true);
        let word = &text[start..end];
        let at = || format!("{shown} {}", place(text, start));
        if tok.is_keyword() {
            // the keyword, all of it and nothing more, gets one keyword scope
            let scope = token_scope(&scopes, start, end)
                .unwrap_or_else(|why| panic!("keyword `{word}`: {why}\n  at {}", at()));
            assert!(
                is_keyword_scope(&scope.name),
                "keyword `{word}` is scoped {}\n  at {}",
                scope.name,
                at()
            );
            checked.keywords += 1;
            continue;
        }
        match tok {
            Tok::Str(_) => {
                for (b, stack) in scopes.iter().enumerate().take(end).skip(start) {
                    assert!(
                        stack
                            .iter()
                            .any(|s| s.name.starts_with("string.quoted.double")),
                        "byte {b} of a string is not in a string scope: {stack:?}\n  at {}",
                        at()
                    );
                    if let Some(bad) = stack
                        .iter()
                        .find(|s| s.name.starts_with("keyword") || is_keyword_scope(&s.name))
                    {
                        panic!("a string contains a {} scope\n  at {}", bad.name, at());
                    }
                }
                // the lexer accepted its escapes; each one is scoped as an escape
                let mut rest = start + 1;
                while let Some(i) = text[rest..end - 1].find('\\') {
                    let b = rest + i;
                    assert!(
                        scopes[b]
                            .iter()
                            .any(|s| s.name.starts_with("constant.character.escape")),
                        "the escape at byte {b} is scoped {:?}\n  at {}",
                        scopes[b],
                        at()
                    );
                    rest = b + 2;
                }
                checked.strings += 1;
            }
            Tok::Ident(_) => {
                if let Some(bad) = scopes[start..end]
                    .iter()
                    .flatten()
                    .find(|s| s.name.starts_with("keyword") || is_keyword_scope(&s.name))
                {
                    panic!("the name `{word}` is scoped {}\n  at {}", bad.name, at());
                }
                checked.names += 1;
            }
            Tok::Date(_) => {
                let scope = token_scope(&scopes, start, end)
                    .unwrap_or_else(|why| panic!("date `{word}`: {why}\n  at {}", at()));
                assert!(
                    scope.name.starts_with("constant.numeric.date"),
                    "date `{word}` is scoped {}\n  at {}",
                    scope.name,
                    at()
                );
            }
            _ => {
                // punctuation and operators: one scope each, so `!=` is not `!` then `=`
                let scope = token_scope(&scopes, start, end)
                    .unwrap_or_else(|why| panic!("`{word}`: {why}\n  at {}", at()));
                assert!(
                    scope.name.starts_with("keyword.operator")
                        || scope.name.starts_with("punctuation"),
                    "`{word}` is scoped {}\n  at {}",
                    scope.name,
                    at()
                );
            }
        }
    }

    // what the lexer skipped is whitespace or comment; what it kept is no comment
    for (b, byte) in text.bytes().enumerate() {
        let in_comment = scopes[b].iter().any(|s| s.name.starts_with("comment"));
        if in_token[b] {
            assert!(
                !in_comment,
                "token text is scoped as a comment\n  at {shown} {}",
                place(text, b)
            );
        } else if !byte.is_ascii_whitespace() {
            assert!(
                in_comment,
                "byte {b} ({:?}) is skipped by the lexer but not scoped as a comment: \
                 {:?}\n  at {shown} {}",
                char::from(byte),
                scopes[b],
                place(text, b)
            );
            checked.comments += 1;
        }
    }
}

// ---------------------------------------------------------------- a TextMate interpreter

/// One scope on a byte's stack: its name, and which match (or capture, or region) gave it,
/// so that two neighbouring keywords can be told apart.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scope {
    name: String,
    id: u32,
}

/// A `begin`/`end` rule that is open.
struct Region<'g> {
    rule: &'g Value,
    end: Regex,
    /// the scopes of the delimiters: the outer ones plus the rule's `name`
    outer: Vec<Scope>,
    /// the scopes inside: `outer` plus the rule's `contentName`
    inner: Vec<Scope>,
}

enum Found<'g> {
    End,
    Match(&'g Value),
    Begin(&'g Value),
}

/// Enough of TextMate for this grammar: `match` rules with `captures`, `begin`/`end` rules
/// with their own `patterns`, and `include` of `#repository` entries and `$self`. Lines are
/// matched one at a time (with their `\n`); at each position the rule whose match starts
/// first wins, ties going to the earlier rule, and an open region's `end` before its
/// patterns.
struct Highlighter<'g> {
    grammar: &'g Value,
    regexes: HashMap<&'g str, Regex>,
}

impl<'g> Highlighter<'g> {
    fn new(grammar: &'g Value) -> Self {
        let mut regexes = HashMap::new();
        compile_all(grammar, &mut regexes);
        assert!(!regexes.is_empty(), "the grammar has no regexes");
        Highlighter { grammar, regexes }
    }

    fn regex(&self, rule: &'g Value, key: &str) -> &Regex {
        let source = str_field(&rule[key], key);
        &self.regexes[source]
    }

    /// The rules `patterns` stands for, includes resolved.
    fn expand(&self, patterns: &'g Value, out: &mut Vec<&'g Value>, depth: usize) {
        assert!(depth < 32, "include cycle in the grammar");
        for rule in patterns.as_array().into_iter().flatten() {
            let rule = match rule.get("include").and_then(Value::as_str) {
                Some("$self" | "$base") => self.grammar,
                Some(include) => {
                    let key = include
                        .strip_prefix('#')
                        .unwrap_or_else(|| panic!("unsupported include {include}"));
                    let target = &self.grammar["repository"][key];
                    assert!(target.is_object(), "include of a missing entry {include}");
                    target
                }
                None => rule,
            };
            if rule.get("match").is_some() || rule.get("begin").is_some() {
                out.push(rule);
            } else {
                self.expand(&rule["patterns"], out, depth + 1);
            }
        }
    }

    /// The scope stack of every byte of `text`.
    fn highlight(&self, text: &str) -> Vec<Vec<Scope>> {
        let mut scopes = vec![Vec::new(); text.len()];
        let mut stack: Vec<Region<'g>> = Vec::new();
        let mut ids = 0u32;
        let mut fresh = |name: &str| {
            ids += 1;
            Scope {
                name: name.to_owned(),
                id: ids,
            }
        };
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let paint = |scopes: &mut [Vec<Scope>], from: usize, to: usize, with: &[Scope]| {
                for stack in &mut scopes[line_start + from..line_start + to] {
                    *stack = with.to_vec();
                }
            };
            let mut pos = 0;
            loop {
                let base: Vec<Scope> = stack.last().map_or_else(Vec::new, |r| r.inner.clone());
                let mut rules = Vec::new();
                let patterns = stack
                    .last()
                    .map_or(&self.grammar["patterns"], |r| &r.rule["patterns"]);
                self.expand(patterns, &mut rules, 0);

                let mut best: Option<(Captures<'_>, Found<'g>)> = stack
                    .last()
                    .and_then(|r| r.end.captures_at(line, pos))
                    .map(|c| (c, Found::End));
                for rule in rules {
                    let (key, found) = if rule.get("match").is_some() {
                        ("match", Found::Match(rule))
                    } else {
                        ("begin", Found::Begin(rule))
                    };
                    if let Some(c) = self.regex(rule, key).captures_at(line, pos) {
                        let start = c.get(0).map_or(0, |m| m.start());
                        if best
                            .as_ref()
                            .is_none_or(|(b, _)| start < b.get(0).map_or(0, |m| m.start()))
                        {
                            best = Some((c, found));
                        }
                    }
                }
                let Some((caps, found)) = best else {
                    paint(&mut scopes, pos, line.len(), &base);
                    break;
                };
                let whole = caps.get(0).expect("a match has a group 0");
                assert!(
                    !whole.is_empty(),
                    "a grammar rule matched the empty string in {line:?} at {pos}"
                );
                paint(&mut scopes, pos, whole.start(), &base);
                let (delimiter_scopes, captures) = match found {
                    Found::Match(rule) => {
                        let mut with = base;
                        with.extend(rule["name"].as_str().map(&mut fresh));
                        (with, &rule["captures"])
                    }
                    Found::Begin(rule) => {
                        let mut outer = base;
                        outer.extend(rule["name"].as_str().map(&mut fresh));
                        let mut inner = outer.clone();
                        inner.extend(rule["contentName"].as_str().map(&mut fresh));
                        stack.push(Region {
                            rule,
                            end: self.regex(rule, "end").clone(),
                            outer: outer.clone(),
                            inner,
                        });
                        let captures = if rule["beginCaptures"].is_object() {
                            &rule["beginCaptures"]
                        } else {
                            &rule["captures"]
                        };
                        (outer, captures)
                    }
                    Found::End => {
                        let region = stack.pop().expect("an end only matches in a region");
                        let captures = if region.rule["endCaptures"].is_object() {
                            &region.rule["endCaptures"]
                        } else {
                            &region.rule["captures"]
                        };
                        (region.outer, captures)
                    }
                };
                paint(&mut scopes, whole.start(), whole.end(), &delimiter_scopes);
                // captures, in group order, each pushed on top of the match's scopes
                let mut groups: Vec<(usize, &str)> = captures
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v["name"].as_str()?)))
                    .collect();
                groups.sort_unstable();
                for (group, name) in groups {
                    if let Some(m) = caps.get(group) {
                        let scope = fresh(name);
                        for stack in &mut scopes[line_start + m.start()..line_start + m.end()] {
                            stack.push(scope.clone());
                        }
                    }
                }
                pos = whole.end();
            }
            line_start += line.len();
        }
        scopes
    }
}

/// Compiles every `match`, `begin` and `end` regex of the grammar.
fn compile_all<'g>(value: &'g Value, regexes: &mut HashMap<&'g str, Regex>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if let ("match" | "begin" | "end", Value::String(source)) = (key.as_str(), v) {
                    // syntax the `regex` crate has and Oniguruma lacks
                    for rust_only in ["(?P<", "\\b{", "(?U", "--"] {
                        assert!(
                            !source.contains(rust_only),
                            "regex {source:?} uses {rust_only}, which Oniguruma reads differently"
                        );
                    }
                    let regex = Regex::new(source)
                        .unwrap_or_else(|e| panic!("grammar regex {source:?}: {e}"));
                    regexes.insert(source.as_str(), regex);
                } else {
                    compile_all(v, regexes);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                compile_all(v, regexes);
            }
        }
        _ => {}
    }
}

/// The innermost scope of bytes `start..end`, if one match gave it to all of them and to
/// none of the bytes just outside.
fn token_scope(scopes: &[Vec<Scope>], start: usize, end: usize) -> Result<&Scope, String> {
    let innermost = |b: usize| scopes.get(b).and_then(|s| s.last());
    let scope = innermost(start).ok_or("no scope at all")?;
    if let Some(b) = (start..end).find(|b| innermost(*b) != Some(scope)) {
        return Err(format!(
            "scoped {} at its start but {:?} at byte {}",
            scope.name,
            innermost(b),
            b - start
        ));
    }
    let before = start.checked_sub(1).and_then(innermost);
    if before == Some(scope) || innermost(end) == Some(scope) {
        return Err(format!("the {} scope runs past it", scope.name));
    }
    Ok(scope)
}
