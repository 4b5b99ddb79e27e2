//! The command line as a package: `init`, shell completions, manual pages, help with
//! examples for every command, and the CHANGELOG.

use crate::support::cli;

use cli::flowproof;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-pkg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every command, from `flowproof --help`'s own list.
fn commands() -> Vec<String> {
    let out = flowproof(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = text
        .split("Commands:")
        .nth(1)
        .expect("a list of commands")
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .to_owned();
    let names: Vec<String> = list
        .lines()
        // a name starts at the second column; wrapped descriptions are indented further
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 14, "{names:?}");
    names
}

#[test]
fn init_writes_a_starter_that_checks_verifies_and_is_formatted() {
    let dir = temp_dir("init");
    let target = dir.join("my-policy");
    let target_str = target.to_str().expect("utf-8 path");
    let out = flowproof(&["init", target_str]);
    assert_eq!(out.status.code(), Some(0));
    let file = target.join("policy.flow");
    let text = std::fs::read_to_string(&file).expect("the starter file");
    assert!(
        text.contains(&format!("flowproof verify {target_str}/")),
        "the comment names the directory"
    );
    let file_str = file.to_str().expect("utf-8");
    let out = flowproof(&["check", file_str]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "no warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = flowproof(&["verify", file_str]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 proved; 1 refuted; 0 unknown"),
        "{stdout}"
    );
    assert_eq!(
        flowproof(&["fmt", "--check", file_str]).status.code(),
        Some(0),
        "already formatted"
    );

    // never overwritten
    std::fs::write(&file, "// my own work\n").expect("write");
    let out = flowproof(&["init", target_str]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::init::exists"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "// my own work\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_name_every_command() {
    let names = commands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = flowproof(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completion lacks `{name}`"
            );
        }
    }
    assert_eq!(flowproof(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_limits_are_listed_once_and_still_apply_to_every_command() {
    let main = String::from_utf8_lossy(&flowproof(&["--help"]).stdout).into_owned();
    assert!(main.contains("--max-file-size <MB>"), "{main}");
    for name in commands() {
        let help = flowproof(&[&name, "--help"]);
        let help = String::from_utf8_lossy(&help.stdout);
        assert!(!help.contains("--max-file-size <MB>"), "{name}: {help}");
        assert!(
            help.contains("--color <WHEN>"),
            "{name} shows the global --color"
        );
    }
    // before or after the command, a limit is the run's
    let deep = "policy \"p\" version \"1\";\nkind k;\nagency A: k;\ndata d;\ncollect d at A;\n\
claim c: always !!!!reaches(d of A, A);\n";
    let dir = temp_dir("limits-once");
    let file = dir.join("deep.flow");
    std::fs::write(&file, deep).expect("write");
    let file = file.to_str().expect("utf-8");
    for args in [
        vec!["--max-depth", "3", "check", file],
        vec!["check", "--max-depth", "3", file],
    ] {
        let out = flowproof(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("flowproof::limit::depth"));
    }
    assert_eq!(flowproof(&["check", file]).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn manual_pages_cover_every_command_and_never_overwrite_a_stranger() {
    let out = flowproof(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH flowproof 1"),
        "roff"
    );
    for name in commands() {
        assert!(page.contains(&name), "the main page lists `{name}`");
        let sub = flowproof(&["man", &name]);
        assert_eq!(sub.status.code(), Some(0), "{name}");
        let sub = String::from_utf8_lossy(&sub.stdout);
        assert!(sub.contains(&format!(".TH flowproof-{name} 1")), "{name}");
        let synopsis = sub
            .split(".SH SYNOPSIS\n")
            .nth(1)
            .and_then(|rest| rest.lines().next())
            .unwrap_or_default();
        assert!(
            synopsis.starts_with(&format!("\\fBflowproof {name}\\fR")),
            "the synopsis of `{name}` is how it is typed: {synopsis}"
        );
        // the limits are on the main page only
        assert!(!sub.contains("max\\-file\\-size <"), "{name}");
        assert!(
            sub.contains("Example"),
            "the page of `{name}` has its examples"
        );
    }
    assert_eq!(flowproof(&["man", "nope"]).status.code(), Some(2));

    let dir = temp_dir("man");
    let out_dir = dir.join("man");
    std::fs::create_dir_all(&out_dir).expect("dir");
    std::fs::write(out_dir.join("flowproof-verify.1"), "my notes\n").expect("write");
    let out = flowproof(&["man", "--out", out_dir.to_str().expect("utf-8")]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a stranger's file is not overwritten"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("flowproof-verify.1")).expect("read"),
        "my notes\n"
    );
    std::fs::remove_file(out_dir.join("flowproof-verify.1")).expect("remove");
    let out = flowproof(&["man", "--out", out_dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    let pages = std::fs::read_dir(&out_dir).expect("dir").count();
    assert_eq!(
        pages,
        commands().len() + 1,
        "one page per command, and the main one"
    );
    // writing again over its own pages is fine
    assert_eq!(
        flowproof(&["man", "--out", out_dir.to_str().expect("utf-8")])
            .status
            .code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_command_has_help_with_examples() {
    for name in commands() {
        let out = flowproof(&[&name, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Example"),
            "`flowproof {name} --help` shows no example:\n{help}"
        );
        assert!(
            help.contains(&format!("flowproof {name}")),
            "the examples of `{name}` use it:\n{help}"
        );
    }
}

#[test]
fn the_changelog_has_the_current_version() {
    let changelog = std::fs::read_to_string("CHANGELOG.md").expect("CHANGELOG.md");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        changelog.contains(&format!("## [{version}]")),
        "CHANGELOG.md has no section for {version}"
    );
}

/// `rust-version` in Cargo.toml is at least what every locked crate flowproof builds
/// with declares (z3 0.22 asks for 1.88): an older compiler would fail in a dependency,
/// not say that the toolchain is too old.
#[test]
fn the_declared_rust_version_covers_every_locked_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // "1.88" and "1.88.0" are the same version
    let version = |v: &str| -> [u64; 3] {
        let mut parts = v.split('.').map(|x| x.parse().unwrap_or(0));
        [0; 3].map(|_| parts.next().unwrap_or(0))
    };
    let packages = meta["packages"].as_array().expect("packages");
    let ours = packages
        .iter()
        .find(|p| p["name"] == "flowproof")
        .and_then(|p| p["rust_version"].as_str())
        .expect("flowproof declares a rust-version");
    let needed = packages
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .expect("some crate declares one");
    assert!(
        version(ours) >= version(needed.0),
        "Cargo.toml says rust-version {ours}, but {} needs {}",
        needed.1,
        needed.0
    );
}
