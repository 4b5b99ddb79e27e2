//! Limits and import rules: every ceiling gives its coded error with the numbers and
//! the flag that raises it, and the flag does raise it; no import reaches outside the
//! directory of the file given.

use crate::support::cli as cli_support;

use std::path::{Path, PathBuf};

use cli_support::flowproof;
use flowproof::check::{Checked, check_file, check_file_limited, check_text_limited};
use flowproof::limits::Limits;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn codes(checked: &Checked) -> Vec<String> {
    checked.diagnostics.iter().map(|d| d.code()).collect()
}

fn messages(checked: &Checked) -> Vec<String> {
    checked.diagnostics.iter().map(|d| d.message()).collect()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const HEAD: &str = "policy \"t\";\nkind county;\nagency A: county;\nagency B: county;\ndata prints;\nparam p;\ncollect prints at A;\n";

fn with(limits: Limits, text: &str) -> Checked {
    check_text_limited(Path::new("t.flow"), text, &limits)
}

// ---------------------------------------------------------------- nesting depth

#[test]
fn brackets_deeper_than_the_limit_stop_parsing_with_a_coded_error() {
    let text = format!(
        "{HEAD}assume {}p{};\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let checked = with(Limits::default(), &text);
    assert_eq!(codes(&checked), ["flowproof::limit::depth"]);
    assert_eq!(messages(&checked), ["nested more than 256 levels deep"]);
    // the label points at the 257th bracket
    let label = checked.diagnostics[0]
        .inner
        .labels()
        .and_then(|mut l| l.next())
        .expect("a label");
    assert_eq!(label.offset(), HEAD.len() + "assume ".len() + 256);
}

#[test]
fn nesting_up_to_the_limit_is_read() {
    let deep = |n: usize| format!("{HEAD}assume {}p{};\n", "(".repeat(n), ")".repeat(n));
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    assert!(!with(limits, &deep(10)).has_errors());
    assert_eq!(codes(&with(limits, &deep(11))), ["flowproof::limit::depth"]);
    let nots = |n: usize| format!("{HEAD}assume {}p;\n", "!".repeat(n));
    // an atom is one level, each `!` another
    assert!(!with(limits, &nots(9)).has_errors());
    assert_eq!(codes(&with(limits, &nots(10))), ["flowproof::limit::depth"]);
}

#[test]
fn long_chains_of_operators_and_quantifiers_count_as_depth() {
    let chain = |op: &str, n: usize| format!("{HEAD}assume p{};\n", format!(" {op} p").repeat(n));
    for op in ["&&", "||", "=>", "<=>"] {
        let checked = with(Limits::default(), &chain(op, 1_000_000));
        assert_eq!(codes(&checked), ["flowproof::limit::depth"], "{op}");
        assert!(
            !with(Limits::default(), &chain(op, 255)).has_errors(),
            "{op}"
        );
    }
    let nots = format!("{HEAD}assume {}p;\n", "!".repeat(1_000_000));
    assert_eq!(
        codes(&with(Limits::default(), &nots)),
        ["flowproof::limit::depth"]
    );
    let quants = format!("{HEAD}assume {}p;\n", "forall x: county. ".repeat(1000));
    assert_eq!(
        codes(&with(Limits::default(), &quants)),
        ["flowproof::limit::depth"]
    );
    let parents = format!(
        "{HEAD}assume exists x: county. {}x{} == x;\n",
        "parent(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert_eq!(
        codes(&with(Limits::default(), &parents)),
        ["flowproof::limit::depth"]
    );
}

#[test]
fn raising_the_depth_limit_lets_a_deep_formula_through_on_the_command_line() {
    let dir = scratch("deep");
    let file = dir.join("deep.flow");
    let n = 5_000;
    let text = format!(
        "{HEAD}assume {}p{};\nclaim c: always p;\n",
        "(!!".repeat(n),
        ")".repeat(n)
    );
    std::fs::write(&file, text).expect("write");
    let refused = flowproof(&["verify", "--format", "json", s(&file)]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stdout).contains("flowproof::limit::depth"));
    let raised = flowproof(&[
        "verify",
        "--max-depth",
        "20000",
        "--format",
        "json",
        s(&file),
    ]);
    let stdout = String::from_utf8_lossy(&raised.stdout);
    assert_eq!(raised.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("\"proved\""), "{stdout}");
}

#[test]
fn the_depth_flag_refuses_zero_and_values_past_the_ceiling() {
    for bad in ["0", "100001"] {
        let out = flowproof(&["check", "--max-depth", bad, "policies/examples"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--max-depth"),
            "{bad}"
        );
    }
}

#[test]
fn a_hundred_thousand_nested_parentheses_give_a_coded_error_from_verify() {
    let dir = scratch("parens");
    let file = dir.join("parens.flow");
    let n = 100_000;
    std::fs::write(
        &file,
        format!(
            "{HEAD}assume {}p{};\nclaim c: always p;\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
    )
    .expect("write");
    let out = flowproof(&["verify", s(&file)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("flowproof::limit::depth"), "{stderr}");
    assert!(stderr.contains("--max-depth"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---------------------------------------------------------------- file size

#[test]
fn a_file_over_the_size_limit_is_refused_without_being_read() {
    let dir = scratch("size");
    let file = dir.join("big.flow");
    let text = format!("{HEAD}// {}\n", "x".repeat(2000));
    std::fs::write(&file, &text).expect("write");
    let limits = Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    };
    let checked = check_file_limited(&file, &limits);
    assert_eq!(codes(&checked), ["flowproof::limit::file_size"]);
    let message = &messages(&checked)[0];
    assert!(message.contains("over the limit of 1.0 KB"), "{message}");
    assert!(
        checked.sources.iter().next().is_none(),
        "nothing was kept of it"
    );
    assert!(
        !check_file(&file).has_errors(),
        "under the default limit it is fine"
    );
}

#[test]
fn an_import_over_the_size_limit_is_refused_at_the_import() {
    let dir = scratch("size-import");
    std::fs::write(
        dir.join("big.flow"),
        format!("data d;\n// {}\n", "x".repeat(4000)),
    )
    .expect("write");
    let main = dir.join("main.flow");
    std::fs::write(&main, format!("{HEAD}import \"big.flow\";\n")).expect("write");
    let limits = Limits {
        max_file_bytes: 2048,
        ..Limits::default()
    };
    let checked = check_file_limited(&main, &limits);
    assert_eq!(codes(&checked), ["flowproof::limit::file_size"]);
    assert!(
        messages(&checked)[0].contains("is 3.9 KB"),
        "{:?}",
        messages(&checked)
    );
    let label = checked.diagnostics[0]
        .inner
        .labels()
        .and_then(|mut l| l.next())
        .expect("a label");
    assert_eq!(label.label(), Some("imported here"));
}

#[test]
fn an_endless_file_is_cut_at_the_limit() {
    let limits = Limits {
        max_file_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let checked = check_file_limited(Path::new("/dev/zero"), &limits);
    assert_eq!(codes(&checked), ["flowproof::limit::file_size"]);
    assert!(
        messages(&checked)[0].contains("more than 1.0 MB"),
        "{:?}",
        messages(&checked)
    );
}

#[test]
fn the_file_size_flag_raises_the_limit() {
    let dir = scratch("size-flag");
    let file = dir.join("big.flow");
    std::fs::write(&file, format!("{HEAD}// {}\n", "x".repeat(2 * 1024 * 1024))).expect("write");
    let refused = flowproof(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "1",
        s(&file),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&refused.stdout);
    assert!(stdout.contains("flowproof::limit::file_size"), "{stdout}");
    assert!(stdout.contains("--max-file-size MB"), "{stdout}");
    let raised = flowproof(&["check", "--max-file-size", "3", s(&file)]);
    assert_eq!(
        raised.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
}

// ---------------------------------------------------------------- ground size

/// `n` counties and a rule over two of them.
fn counties(n: usize) -> String {
    let mut text = String::from(
        "policy \"t\";\nkind county;\ndata prints;\nparam share(x: county, y: county);\n",
    );
    for i in 0..n {
        text.push_str(&format!("agency C{i}: county;\n"));
    }
    text.push_str(
        "collect prints at (c: county);\nflow prints: (x: county) -> (y: county) when share(x, y);\n",
    );
    text
}

#[test]
fn too_many_ground_rule_instances_are_refused_with_the_numbers() {
    let text = counties(100);
    let limits = Limits {
        max_ground: 5_000,
        ..Limits::default()
    };
    let checked = with(limits, &text);
    assert_eq!(codes(&checked), ["flowproof::limit::ground"]);
    // the flow: 100 × 100 instances, each with a guard of 1 node (+1); the collect: 100
    assert_eq!(
        messages(&checked),
        ["the model has 20,100 ground rule instances, over the limit of 5,000"]
    );
    let label = checked.diagnostics[0]
        .inner
        .labels()
        .and_then(|mut l| l.next())
        .expect("a label");
    assert_eq!(label.label(), Some("the largest: 20,000 instances"));
    assert!(
        !with(
            Limits {
                max_ground: 20_100,
                ..limits
            },
            &text
        )
        .has_errors()
    );
}

#[test]
fn quantifiers_multiply_the_formula_under_them() {
    let mut text = counties(10);
    text.push_str(
        "assume forall x: county, y: county. exists z: county. share(x, z) || share(z, y);\n",
    );
    let limits = Limits {
        max_ground: 1_000,
        ..Limits::default()
    };
    let checked = with(limits, &text);
    // assumption: 1 + 100 × (1 + 10 × 3) = 3,101; flow 200; collect 10
    assert_eq!(
        messages(&checked),
        ["the model has 3,311 ground rule instances, over the limit of 1,000"]
    );
    let label = checked.diagnostics[0]
        .inner
        .labels()
        .and_then(|mut l| l.next())
        .expect("a label");
    assert_eq!(label.label(), Some("the largest: 3,101 instances"));
}

#[test]
fn too_many_ground_params_are_refused_with_the_numbers() {
    let text = counties(100);
    let limits = Limits {
        max_ground_params: 9_999,
        ..Limits::default()
    };
    let checked = with(limits, &text);
    assert_eq!(codes(&checked), ["flowproof::limit::ground_params"]);
    assert_eq!(
        messages(&checked),
        ["the model has 10,000 ground params, over the limit of 9,999"]
    );
    assert!(
        !with(
            Limits {
                max_ground_params: 10_000,
                ..limits
            },
            &text
        )
        .has_errors()
    );
}

#[test]
fn sizes_past_every_integer_type_are_counted_without_overflow() {
    // 2 agencies, 200 nested quantifiers: 2^200 instances
    let text = format!(
        "{HEAD}assume {}p;\n",
        (0..200)
            .map(|i| format!("forall x{i}: county. "))
            .collect::<String>()
    );
    let checked = with(Limits::default(), &text);
    assert_eq!(codes(&checked), ["flowproof::limit::ground"]);
    assert_eq!(
        messages(&checked),
        ["the model has more than 10^38 ground rule instances, over the limit of 10,000,000"]
    );
}

#[test]
fn the_ground_flags_raise_the_limits_on_the_command_line() {
    let dir = scratch("ground-flag");
    let file = dir.join("counties.flow");
    std::fs::write(&file, counties(30)).expect("write");
    let refused = flowproof(&[
        "check",
        "--format",
        "json",
        "--max-ground",
        "100",
        "--max-ground-params",
        "100",
        s(&file),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stdout);
    for needle in [
        "flowproof::limit::ground",
        "flowproof::limit::ground_params",
        "--max-ground N",
        "--max-ground-params N",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let raised = flowproof(&[
        "check",
        "--max-ground",
        "10000",
        "--max-ground-params",
        "1000",
        s(&file),
    ]);
    assert_eq!(
        raised.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
}

// ---------------------------------------------------------------- solver memory

#[test]
fn past_the_memory_limit_every_claim_is_unknown_and_says_why() {
    // the process alone is past 1 MB, so the watch interrupts the solver at once
    let out = flowproof(&[
        "verify",
        "--max-memory",
        "1",
        "--format",
        "json",
        "policies/examples/contract-example.flow",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let claims = json["files"][0]["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 2);
    for claim in claims {
        assert_eq!(claim["verdict"], "unknown", "{claim}");
        let reason = claim["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains("memory limit of 1 MB (--max-memory)"),
            "{claim}"
        );
    }
    let unlimited = flowproof(&[
        "verify",
        "--max-memory",
        "0",
        "policies/examples/contract-example.flow",
    ]);
    assert_eq!(
        unlimited.status.code(),
        Some(1),
        "the example's verdicts, with no cap"
    );
}

// ---------------------------------------------------------------- imports

/// A root directory with `policy/main.flow` importing `import`, and `outside.flow`
/// beside `policy/`.
fn importing(name: &str, import: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("policy/common")).expect("dirs");
    std::fs::write(dir.join("outside.flow"), "data secret;\n").expect("write");
    std::fs::write(dir.join("policy/common/shared.flow"), "data shared;\n").expect("write");
    let main = dir.join("policy/main.flow");
    std::fs::write(&main, format!("{HEAD}import \"{import}\";\n")).expect("write");
    (dir, main)
}

#[test]
fn an_absolute_import_is_refused() {
    let (dir, main) = importing("absolute", "");
    let target = dir.join("outside.flow");
    std::fs::write(&main, format!("{HEAD}import \"{}\";\n", s(&target))).expect("write");
    let checked = check_file(&main);
    assert_eq!(codes(&checked), ["flowproof::import::absolute"]);
}

#[test]
fn an_import_climbing_out_of_the_root_directory_is_refused() {
    let (_, main) = importing("climb", "../outside.flow");
    let checked = check_file(&main);
    assert_eq!(codes(&checked), ["flowproof::import::outside"]);
    let help = checked.diagnostics[0]
        .inner
        .help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    assert!(
        help.contains("run flowproof on a file in a directory that holds both"),
        "{help}"
    );
}

#[test]
fn dot_dot_that_stays_inside_the_root_directory_is_fine() {
    let (_, main) = importing("inside", "common/../common/shared.flow");
    assert!(check_file(&main).diagnostics.is_empty());
    // a file in a subdirectory may climb back up, as far as the root directory
    let (dir, _) = importing("inside-up", "common/shared.flow");
    std::fs::write(
        dir.join("policy/common/shared.flow"),
        "import \"../extra.flow\";\ndata shared;\n",
    )
    .expect("write");
    std::fs::write(dir.join("policy/extra.flow"), "data extra;\n").expect("write");
    let checked = check_file(&dir.join("policy/main.flow"));
    assert!(!checked.has_errors(), "{:?}", codes(&checked));
    assert!(
        checked
            .model
            .expect("a model")
            .data
            .iter()
            .any(|d| d.name == "extra")
    );
}

#[test]
fn the_root_directory_is_the_one_of_the_file_given_not_of_the_importer() {
    // checked from the directory above, the same import is inside
    let (dir, _) = importing("higher", "../outside.flow");
    let top = dir.join("top.flow");
    std::fs::write(&top, "import \"policy/main.flow\";\n").expect("write");
    let checked = check_file(&top);
    assert!(!checked.has_errors(), "{:?}", codes(&checked));
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_only_inside_the_root_directory() {
    let (dir, main) = importing("links", "linked.flow");
    std::os::unix::fs::symlink(dir.join("outside.flow"), dir.join("policy/linked.flow"))
        .expect("link");
    assert_eq!(codes(&check_file(&main)), ["flowproof::import::outside"]);
    // a link to a directory outside, and a link inside
    let (dir, main) = importing("links-dir", "escape/outside.flow");
    std::os::unix::fs::symlink(&dir, dir.join("policy/escape")).expect("link");
    assert_eq!(codes(&check_file(&main)), ["flowproof::import::outside"]);
    let (dir, main) = importing("links-inside", "alias.flow");
    std::os::unix::fs::symlink(
        dir.join("policy/common/shared.flow"),
        dir.join("policy/alias.flow"),
    )
    .expect("link");
    assert!(check_file(&main).diagnostics.is_empty());
}

#[test]
fn an_import_of_a_directory_is_refused() {
    let (_, main) = importing("directory", "common");
    assert_eq!(codes(&check_file(&main)), ["flowproof::import::not_a_file"]);
}

#[cfg(unix)]
#[test]
fn an_import_of_a_device_is_refused_without_reading_it() {
    let (dir, main) = importing("device", "zero.flow");
    std::os::unix::fs::symlink("/dev/zero", dir.join("policy/zero.flow")).expect("link");
    // outside the root directory first of all
    assert_eq!(codes(&check_file(&main)), ["flowproof::import::outside"]);
}

// ---------------------------------------------------------------- a 50 MB file

#[test]
fn verify_on_a_fifty_megabyte_generated_file_gives_a_result_or_a_coded_error() {
    let dir = scratch("fifty");
    let file = dir.join("nationwide.flow");
    let generated = flowproof(&["gen", "nationwide", "--counties", "1200000", "--seed", "3"]);
    assert_eq!(generated.status.code(), Some(0));
    assert!(
        generated.stdout.len() > 50_000_000,
        "{} bytes",
        generated.stdout.len()
    );
    std::fs::write(&file, &generated.stdout).expect("write");
    let out = flowproof(&["verify", "--quiet", "--format", "json", s(&file)]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    match out.status.code() {
        Some(2) => {
            let codes: Vec<&str> = json["files"][0]["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter_map(|d| d["code"].as_str())
                .collect();
            assert!(
                !codes.is_empty() && codes.iter().all(|c| c.starts_with("flowproof::limit::")),
                "{codes:?}"
            );
        }
        Some(0 | 1 | 3) => assert_eq!(json["files"][0]["claims"].as_array().map(Vec::len), Some(8)),
        other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

#[cfg(unix)]
#[test]
fn a_directory_walk_follows_no_link_out_of_the_directory() {
    let dir = scratch("walk");
    std::fs::create_dir_all(dir.join("given/sub")).expect("dirs");
    std::fs::create_dir_all(dir.join("elsewhere")).expect("dirs");
    let policy = "policy \"p\";\nkind k;\nagency A: k;\ndata d;\ncollect d at A;\n";
    std::fs::write(dir.join("given/sub/mine.flow"), policy).expect("write");
    std::fs::write(dir.join("elsewhere/theirs.flow"), policy).expect("write");
    // a link to a directory outside, a link to a file outside, a loop, and a link to a
    // file inside
    std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join("given/out")).expect("link");
    std::os::unix::fs::symlink(
        dir.join("elsewhere/theirs.flow"),
        dir.join("given/theirs.flow"),
    )
    .expect("link");
    std::os::unix::fs::symlink(dir.join("given"), dir.join("given/sub/loop")).expect("link");
    std::os::unix::fs::symlink(
        dir.join("given/sub/mine.flow"),
        dir.join("given/alias.flow"),
    )
    .expect("link");
    let (files, errors) = flowproof::check::expand_paths(&[dir.join("given")]);
    assert!(errors.is_empty());
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(dir.join("given"))
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, ["alias.flow", "sub/mine.flow"]);
}
