//! `flowproof report`: one self-contained HTML page. Checked as text, and opened in
//! headless Chromium (Debian's `chromium`, installed by `.ci/run`): the page's text
//! shows the expected verdicts, and hostile strings in every field run nothing and break
//! nothing. Screenshots, the printed PDF and the layout are checked in `report_layout.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::cli as cli_support;

use cli_support::flowproof;

pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("report-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

pub(crate) fn report(inputs: &[&str], out: &Path) -> String {
    let mut args = vec!["report"];
    args.extend(inputs);
    let out_arg = out.to_str().expect("UTF-8");
    args.extend(["--out", out_arg]);
    let run = flowproof(&args);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(out).expect("written")
}

/// Headless Chromium, or `None` when the developer opted out with
/// `FLOWPROOF_SKIP_BROWSER=1`. Missing otherwise is a failure: the browser checks are
/// part of the suite.
pub(crate) fn chromium() -> Option<PathBuf> {
    if std::env::var_os("FLOWPROOF_SKIP_BROWSER").is_some_and(|v| v == "1") {
        eprintln!("browser checks skipped: FLOWPROOF_SKIP_BROWSER=1");
        return None;
    }
    for candidate in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new(candidate).arg("--version").output()
            && out.status.success()
        {
            return Some(PathBuf::from(candidate));
        }
    }
    panic!(
        "headless Chromium is needed for the report tests: install Debian's `chromium` package \
         (`apt-get install chromium`), or set FLOWPROOF_SKIP_BROWSER=1 to skip them"
    );
}

pub(crate) fn headless(browser: &Path, args: &[String]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .args(args)
        .output()
        .expect("chromium runs")
}

/// The page as the browser built it, after loading (and running anything it would run).
fn dom(browser: &Path, page: &Path) -> String {
    let out = headless(
        browser,
        &[
            "--dump-dom".to_owned(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The verdict shown in the claims table of the version whose heading mentions
/// `version`.
fn table_verdict(html: &str, version: &str, claim: &str) -> Option<String> {
    let section = html.split("<section class=\"version\"").skip(1).find(|s| {
        s.find("</h2>")
            .is_some_and(|end| s[..end].contains(version))
    })?;
    let row = section.find(&format!("<code>{claim}</code></td>"))?;
    let row = &section[row..];
    let cell = row.find("class=\"badge")?;
    let text = &row[cell..];
    let open = text.find('>')? + 1;
    let close = text.find("</span>")?;
    Some(text[open..close].to_owned())
}

/// The secure-communities library's report as a reader gets it (with why each proof
/// holds), written once for every test that reads it.
pub(crate) fn library_report() -> &'static (PathBuf, String) {
    static REPORT: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let page = scratch("library").join("secure-communities.html");
        let html = report(&["policies/secure-communities"], &page);
        (page, html)
    })
}

#[test]
fn the_library_report_shows_the_pinned_verdicts_in_a_browser() {
    let (page, html) = library_report();
    let (page, html) = (page.as_path(), html.as_str());
    // its size grows with what it says: each version's graph once, each path drawn small,
    // a block said twice linked to
    assert!(
        html.len() <= 1_500_000,
        "the library's report is {} bytes",
        html.len()
    );
    // self-contained: no scripts, nothing fetched, a policy that forbids both
    assert!(!html.contains("<script"));
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for src in ["src=\"http", "src=\"//", "url(http", "@import"] {
        assert!(!html.contains(src), "{src}");
    }
    // the timeline and a version per file
    assert!(html.contains("<section id=\"timeline\">"));
    let v1 = "Setting the Record Straight";
    // contested in V1: proved as ICE's documents put it, refuted as things were done
    assert_eq!(
        table_verdict(html, v1, "program_is_voluntary").as_deref(),
        Some("contested")
    );
    assert_eq!(
        table_verdict(html, v1, "optout_keeps_prints_from_ice").as_deref(),
        Some("refuted")
    );
    // the modeller's reasons are shown beside the rules and claims
    assert!(html.contains("Why it is modelled so: What the opt-out campaigns of 2010 asked for."));
    // a witness as a story with citations, and its path drawn
    assert!(html.contains("<ol class=\"story\">"));
    assert!(html.contains("sends its own fingerprints to"));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chain\""));
    // each claim: the formal statement with what its names stand for, the speaker and date
    assert!(html.contains(
        "<pre class=\"formal\">always forall c: county. county_requests_removal(c) &amp;&amp; decline_results(c) =&gt; !reaches(fingerprints of c, DHS_IDENT)</pre>"
    ));
    assert!(
        html.contains("<code>DHS_IDENT</code> is \u{201c}DHS's biometric database (IDENT)\u{201d}")
    );
    assert!(html.contains("said by Virginia Kice, ICE spokeswoman, 2011-04-14"));
    // the scenario in sentences people read, not identifiers
    assert!(html.contains("<li>ICE has activated Secure Communities for San Francisco</li>"));
    assert!(!html.contains("<li>activated(SanFrancisco)</li>"));
    // a proof with the rules it rests on, each with where it is written
    assert!(html.contains("<div class=\"why\"><p><b>Why:</b> it holds because of"));
    assert!(html.contains("The opt-out <q>"));
    // a block said twice is shown once and linked to
    assert!(html.contains("Result and reasons: as under <a href=\"#b"));
    // the timeline: a statement judged when it was said is marked
    assert!(html.contains("class=\"mark refuted said\""));

    let Some(browser) = chromium() else { return };
    let text = dom(&browser, page);
    assert!(text.contains("flowproof report"), "the page loads");
    assert_eq!(
        table_verdict(&text, v1, "program_is_voluntary").as_deref(),
        Some("contested"),
        "as the browser built it"
    );
    assert_eq!(
        table_verdict(&text, "V3: August 5, 2011", "program_is_voluntary").as_deref(),
        Some("refuted")
    );
    // screenshots at a phone's width and a laptop's, and the printed PDF: the layout
    // test (`report_layout.rs`)
}

const HOSTILE: &str = r#"<script>document.body.append('EXEC'+'UTED')</script><img src=x onerror="document.body.append('EXEC'+'UTED')">"' javascript:alert(1) </section></svg>"#;

/// Every place of a policy that holds free text: the policy's name and version, sources,
/// labels, notes, speakers, quotations and pinpoints. Each holds the hostile string behind
/// its own marker, so the test can tell that the report shows it.
const HOSTILE_PLACES: [&str; 34] = [
    "policy-name",
    "policy-version",
    "source-title",
    "source-quote",
    "document-title",
    "document-quote",
    "kind-label",
    "agency-a-label",
    "agency-b-label",
    "data-d-label",
    "data-e-label",
    "param-p-label",
    "param-q-label",
    "optout-label",
    "optout-pinpoint",
    "optout-note",
    "collect-note",
    "flow-pinpoint-unchecked",
    "flow-pinpoint",
    "flow-note",
    "derive-pinpoint",
    "derive-note",
    "assume-pinpoint",
    "assume-note",
    "reading-label",
    "reading-pinpoint",
    "reading-note",
    "reading-assume-note",
    "claim-title",
    "claim-quote",
    "claim-pinpoint",
    "claim-speaker",
    "claim-note",
    "claim-2-title",
];

/// The hostile string in the place named `place`, as it is written in the report's text.
fn hostile(place: &str) -> String {
    format!("[{place}] {HOSTILE}")
}

/// The quotations that must be found in the document: written into it, one a line.
const QUOTED_PLACES: [&str; 8] = [
    "document-quote",
    "optout-pinpoint",
    "flow-pinpoint",
    "derive-pinpoint",
    "assume-pinpoint",
    "reading-pinpoint",
    "claim-quote",
    "claim-pinpoint",
];

fn hostile_document() -> String {
    let mut text = String::from("The document a policy quotes.\n");
    for place in QUOTED_PLACES {
        text.push_str(&hostile(place));
        text.push('\n');
    }
    text
}

/// A policy that checks without errors, with `@place@` where the hostile string goes
/// (for each of [`HOSTILE_PLACES`]), and a document, `hostile.txt`, that its quotations
/// are checked against.
const HOSTILE_TEMPLATE: &str = r#"policy "@policy-name@" version "@policy-version@" date 2020-01-01;
source s1 {
  title = "@source-title@";
  url = "javascript:document.body.append('EXEC'+'UTED')";
  quote = "@source-quote@";
}
source s2 { title = "ok"; url = " JAVASCRIPT:alert(1)"; }
source s3 {
  title = "@document-title@";
  date = 2020-01-01;
  document = "hostile.txt";
  quote = "@document-quote@";
}
kind k "@kind-label@";
agency A "@agency-a-label@": k;
agency B "@agency-b-label@": k;
data d "@data-d-label@";
data e "@data-e-label@";
param p "@param-p-label@";
param q(x: k) "{x} @param-q-label@";
optout o(x: k) "{x} @optout-label@"
  blocks e: B -> x
  cite s3 "@optout-pinpoint@"
  note "@optout-note@";
collect d at A cite s1, s2 note "@collect-note@";
flow d: A -> B when p
  cite s1 "@flow-pinpoint-unchecked@", s3 "@flow-pinpoint@"
  note "@flow-note@";
derive e from d at B cite s3 "@derive-pinpoint@" note "@derive-note@";
flow e: B -> A when q(A);
assume q(A) && o(B) cite s3 "@assume-pinpoint@" note "@assume-note@";
reading r1 "@reading-label@" cite s3 "@reading-pinpoint@" note "@reading-note@" {
  assume p note "@reading-assume-note@";
}
reading r2 { assume !p; }
claim c1 "@claim-title@"
  cite s1, s3 "@claim-pinpoint@"
  quote "@claim-quote@"
  by "@claim-speaker@"
  said 2020-01-01
  note "@claim-note@":
  always !reaches(d of A, B);
claim c2 "@claim-2-title@": possible forall x: k. reaches(e of A, A);
"#;

fn hostile_policy() -> String {
    let mut text = HOSTILE_TEMPLATE.to_owned();
    for place in HOSTILE_PLACES {
        let marker = format!("@{place}@");
        assert!(text.contains(&marker), "{marker} is in the template");
        let escaped = hostile(place).replace('\\', "\\\\").replace('"', "\\\"");
        text = text.replace(&marker, &escaped);
    }
    assert!(!text.contains('@'), "every place filled:\n{text}");
    text
}

#[test]
fn lessons_of_different_policies_are_not_shown_as_a_timeline() {
    let dir = scratch("lessons");
    // the tutorial's lessons are dated, but each is a policy of its own
    let html = report(&["policies/tutorial"], &dir.join("tutorial.html"));
    assert!(!html.contains("<section id=\"timeline\">"));
    assert!(!html.contains("href=\"#timeline\""));
    // versions of one policy are
    let html = report(&["policies/irs-ice"], &dir.join("irs-ice.html"));
    assert!(html.contains("<section id=\"timeline\">"));
    // its columns by full date, not by year
    assert!(html.contains("<span class=\"meta date\">2025-04-07</span>"));
    assert!(html.contains("<span class=\"meta date\">2025-11-21</span>"));
}

/// The places whose text the report does not show at all today (a collection's note:
/// the report shows a rule's note where a story's path or a proof's reasons use the rule,
/// and a version's assumptions, opt-outs and readings whole; a collection is neither).
/// Nothing of them reaches the page, escaped or not; when the report shows one, it leaves
/// this list and the test checks it is escaped.
const NOT_IN_THE_REPORT: [&str; 1] = ["collect-note"];

/// The places of [`HOSTILE_PLACES`] whose hostile string `page` does not show as text.
fn hostile_places_not_shown(page: &str) -> Vec<&'static str> {
    HOSTILE_PLACES
        .into_iter()
        .filter(|place| !page.contains(&format!("[{place}] &lt;script&gt;document.body.append(")))
        .collect()
}

#[test]
fn hostile_strings_run_nothing_and_break_nothing() {
    let dir = scratch("hostile");
    let policy = dir.join("hostile.flow");
    std::fs::write(&policy, hostile_policy()).expect("write");
    std::fs::write(dir.join("hostile.txt"), hostile_document()).expect("write");
    // every quotation is checked against the document, and found
    let check = flowproof(&[
        "check",
        "--require-evidence",
        policy.to_str().expect("UTF-8"),
    ]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let page = dir.join("hostile.html");
    let html = report(&[policy.to_str().expect("UTF-8")], &page);
    assert!(!html.contains("<script"), "nothing from the file is markup");
    assert!(!html.contains("<img"));
    assert!(!html.contains("onerror=\""));
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript"));
    assert!(!html.to_ascii_lowercase().contains("href=\" javascript"));
    // each place's text is shown, escaped (or not at all, and then not in any form)
    assert_eq!(hostile_places_not_shown(&html), NOT_IN_THE_REPORT);
    for place in NOT_IN_THE_REPORT {
        assert!(!html.contains(&format!("[{place}]")), "{place}");
    }
    // the structure is intact: one version, two claim articles, each judged in two
    // readings, and the sources; every section and graph closed where it was opened
    assert_eq!(html.matches("<section class=\"version\"").count(), 1);
    assert_eq!(html.matches("<article class=\"claim\"").count(), 2);
    assert_eq!(html.matches("<section class=\"reading\"").count(), 4);
    assert_eq!(html.matches("<section class=\"sources\"").count(), 1);
    assert_eq!(html.matches("<section").count(), 6);
    assert_eq!(html.matches("</section>").count(), 6);
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());

    let Some(browser) = chromium() else { return };
    let text = dom(&browser, &page);
    assert!(!text.contains("EXECUTED"), "a script ran:\n{text}");
    assert_eq!(
        text.matches("<article class=\"claim\"").count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches("<section class=\"version\"").count(), 1);
    assert_eq!(text.matches("<section").count(), 6);
    assert!(!text.contains("<img"), "{text}");
    assert!(!text.contains("<script"), "{text}");
    assert_eq!(
        hostile_places_not_shown(&text),
        NOT_IN_THE_REPORT,
        "shown as text in the browser"
    );
}

#[test]
fn a_report_never_overwrites_a_policy_or_a_stranger_file() {
    let dir = scratch("overwrite");
    let policy = dir.join("p.flow");
    let text = "policy \"p\" date 2020-01-01;\nkind k;\nagency A: k;\ndata d;\ncollect d at A;\n";
    std::fs::write(&policy, text).expect("write");
    let p = policy.to_str().expect("UTF-8");
    let run = flowproof(&["report", p, "--out", p]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("flowproof::report::would_overwrite_input")
    );
    assert_eq!(std::fs::read_to_string(&policy).expect("kept"), text);

    let notes = dir.join("notes.html");
    std::fs::write(&notes, "<p>my own notes</p>").expect("write");
    let n = notes.to_str().expect("UTF-8");
    let run = flowproof(&["report", p, "--out", n]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("flowproof::report::exists"));
    assert_eq!(
        std::fs::read_to_string(&notes).expect("kept"),
        "<p>my own notes</p>"
    );

    // a report flowproof wrote may be replaced
    let page = dir.join("report.html");
    let first = report(&[p], &page);
    let second = report(&[p], &page);
    assert_eq!(first, second);
}

#[test]
fn a_file_with_errors_is_shown_with_its_diagnostics_and_fails_the_run() {
    let dir = scratch("errors");
    let good = dir.join("good.flow");
    std::fs::write(
        &good,
        "policy \"good\" date 2020-01-01;\nkind k;\nagency A: k;\ndata d;\ncollect d at A;\nclaim c: possible reaches(d of A, A);\n",
    )
    .expect("write");
    let bad = dir.join("bad.flow");
    std::fs::write(&bad, "policy \"bad\";\nkind k;\nagency A: kk;\n").expect("write");
    let page = dir.join("r.html");
    let run = flowproof(&[
        "report",
        dir.to_str().expect("UTF-8"),
        "--out",
        page.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(json["written"], page.to_str().expect("UTF-8"));
    assert_eq!(json["files"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["diagnostics"][0]["code"],
        "flowproof::check::unknown_name"
    );
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.contains("<pre class=\"diagnostic\">"), "{html}");
    assert!(html.contains("flowproof::check::unknown_name"));
    assert!(html.contains("<span class=\"badge proved\">proved</span>"));
}
