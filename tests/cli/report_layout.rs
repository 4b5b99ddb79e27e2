//! The report's layout in headless Chromium: at a phone's width (390 px) and a laptop's
//! (1,366 px) the page itself never scrolls sideways, every verdict is on screen without
//! scrolling a box to find it, every graph's text is drawn at 9 px or more, and the page
//! prints within a bound. The report runs no scripts, so a harness page frames it and
//! measures it from outside (`report_layout.js`); the harness is itself checked on two
//! small pages, one that breaks every rule and one that keeps them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::report::{chromium, headless, library_report, report, scratch};

/// A phone held upright, and the commonest laptop screen.
const WIDTHS: [u32; 2] = [390, 1366];
/// The smallest graph text, in CSS pixels as drawn, that a reader is asked to read.
const MIN_TEXT_PX: f64 = 9.0;
/// What a reader would still print of the library's report: 13 versions of 31 claims,
/// each with its scenario, path and reasons, and 13 whole graphs on landscape pages (it
/// prints on about 255 Letter pages; it printed on 371 when every claim redrew the whole
/// graph at 4 pt).
const SECURE_COMMUNITIES_MAX_PAGES: usize = 280;
/// About half the secure-communities bound: about half as many files.
const IRS_ICE_MAX_PAGES: usize = 60;
/// How tall the framed viewport is; only widths are judged.
const FRAME_HEIGHT: u32 = 900;
const MEASURE: &str = include_str!("report_layout.js");

#[derive(Debug, Deserialize)]
struct Harness {
    frames: Option<Vec<Frame>>,
    error: Option<String>,
}

/// One framed page as the harness measured it.
#[derive(Debug, Deserialize)]
struct Frame {
    viewport: f64,
    document_width: f64,
    elements: u64,
    load_ms: i64,
    overflowing: Vec<Element>,
    overflowing_count: u64,
    verdicts: u64,
    hidden_verdicts: Vec<Element>,
    hidden_verdict_count: u64,
    texts: u64,
    unrendered_texts: u64,
    smallest_text_px: Option<f64>,
    small_texts: Vec<Element>,
    small_text_count: u64,
}

#[derive(Debug, Deserialize)]
struct Element {
    tag: String,
    class: String,
    text: String,
    /// left, top, width, height in CSS pixels, relative to the framed viewport
    rect: [f64; 4],
    reason: Option<String>,
    font_size: Option<f64>,
    scale: Option<f64>,
    px: Option<f64>,
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [left, top, width, height] = self.rect;
        write!(
            f,
            "<{} class=\"{}\"> {:?} at left {left}, top {top}, {width} x {height}",
            self.tag, self.class, self.text
        )?;
        if let (Some(size), Some(scale), Some(px)) = (self.font_size, self.scale, self.px) {
            write!(f, "; font-size {size} px x scale {scale} = {px} px")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, "; {reason}")?;
        }
        Ok(())
    }
}

fn listed(elements: &[Element]) -> String {
    elements.iter().map(|e| format!("\n      {e}")).collect()
}

/// Frames `page` at `width` CSS pixels in a harness page written beside it, and measures
/// it after its load event.
fn measure(browser: &Path, page: &Path, width: u32) -> Frame {
    let name = page
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    assert!(!name.contains(['"', '<', '&']), "a plain file name: {name}");
    let harness = page.with_file_name(format!("{name}.layout-{width}.html"));
    let min = MIN_TEXT_PX;
    std::fs::write(
        &harness,
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\n\
             <iframe src=\"{name}\" style=\"display:block;border:0;width:{width}px;height:{FRAME_HEIGHT}px\"></iframe>\n\
             <pre id=\"layout\" data-min-text-px=\"{min}\">pending</pre>\n\
             <script>\n{MEASURE}</script>\n</body></html>\n"
        ),
    )
    .expect("write the harness");
    let out = headless(
        browser,
        &[
            "--allow-file-access-from-files".to_owned(),
            "--dump-dom".to_owned(),
            format!("file://{}", harness.display()),
        ],
    );
    let dump = String::from_utf8_lossy(&out.stdout);
    let json = dump
        .split_once("<pre id=\"layout\" data-min-text-px=\"")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(json, _)| json)
        .unwrap_or_default();
    let parsed: Harness = serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "the harness wrote no measurements ({e}): {json:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    if let Some(error) = parsed.error {
        panic!("the harness could not measure {}: {error}", page.display());
    }
    let mut frames = parsed.frames.expect("frames");
    assert_eq!(frames.len(), 1);
    let frame = frames.remove(0);
    assert_eq!(
        frame.viewport,
        f64::from(width),
        "the framed page is {width} px wide inside"
    );
    frame
}

/// Each check `frame` fails, with its measurements and the first offenders.
fn failures(frame: &Frame, width: u32) -> Vec<String> {
    let mut failed = Vec::new();
    if frame.document_width > frame.viewport {
        failed.push(format!(
            "at {width} px the page scrolls sideways: it is {} px wide in a {} px viewport; \
             {} boxes pass the right edge outside any scroll box, the first:{}",
            frame.document_width,
            frame.viewport,
            frame.overflowing_count,
            listed(&frame.overflowing)
        ));
    }
    if frame.hidden_verdict_count > 0 {
        failed.push(format!(
            "at {width} px {} of {} verdicts are not on screen without scrolling, the first:{}",
            frame.hidden_verdict_count,
            frame.verdicts,
            listed(&frame.hidden_verdicts)
        ));
    }
    if frame.small_text_count > 0 {
        failed.push(format!(
            "at {width} px {} of {} graph texts are drawn below {MIN_TEXT_PX} px (the smallest at \
             {} px), the first:{}",
            frame.small_text_count,
            frame.texts,
            frame.smallest_text_px.unwrap_or_default(),
            listed(&frame.small_texts)
        ));
    }
    failed
}

fn figures(name: &str, width: u32, frame: &Frame) -> String {
    format!(
        "{name} at {width} px: the page is {} px wide in a {} px viewport; {} elements; load \
         event at {} ms; {} of {} verdicts hidden or clipped; {} graph texts, the smallest \
         {} px, {} below {MIN_TEXT_PX} px, {} not drawn",
        frame.document_width,
        frame.viewport,
        frame.elements,
        frame.load_ms,
        frame.hidden_verdict_count,
        frame.verdicts,
        frame.texts,
        frame
            .smallest_text_px
            .map_or_else(|| "(none)".to_owned(), |px| px.to_string()),
        frame.small_text_count,
        frame.unrendered_texts,
    )
}

/// The pages of a PDF that Chromium printed: its `/Type /Page` objects (not the
/// `/Type /Pages` nodes of the page tree), checked against the tree's root `/Count`.
fn pdf_pages(pdf: &[u8]) -> usize {
    let page = regex::bytes::Regex::new(r"(?-u)/Type\s*/Page[^A-Za-z]").expect("regex");
    let count = regex::bytes::Regex::new(r"(?-u)/Count\s+([0-9]+)").expect("regex");
    let pages = page.find_iter(pdf).count();
    let root = count
        .captures_iter(pdf)
        .filter_map(|c| std::str::from_utf8(&c[1]).ok()?.parse::<usize>().ok())
        .max();
    assert_eq!(
        root,
        Some(pages),
        "the page tree counts as many pages as there are page objects"
    );
    pages
}

fn print(browser: &Path, page: &Path, pdf: &Path) -> usize {
    let _ = std::fs::remove_file(pdf);
    let out = headless(
        browser,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = std::fs::read(pdf).expect("a PDF");
    assert!(
        printed.starts_with(b"%PDF") && printed.len() > 1_000,
        "a PDF of {} bytes",
        printed.len()
    );
    pdf_pages(&printed)
}

fn screenshot(browser: &Path, page: &Path, png: &Path, width: u32) {
    let _ = std::fs::remove_file(png);
    let out = headless(
        browser,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},2400"),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shot = std::fs::read(png).expect("a screenshot");
    assert!(
        shot.starts_with(b"\x89PNG") && shot.len() > 20_000,
        "a PNG of {} bytes",
        shot.len()
    );
    // the IHDR chunk's width: the window was as wide as asked
    let drawn = shot
        .get(16..20)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes);
    assert_eq!(drawn, Some(width), "{}", png.display());
}

/// Writes the report of `inputs`, measures it at every width, screenshots and prints it,
/// prints the figures, then fails with every check it fails.
fn check_layout(name: &str, page: &Path, html: &str, max_pages: usize) {
    let Some(browser) = chromium() else { return };
    let dir = scratch(&format!("layout-{name}"));
    // the load times are the page's alone: one browser at a time measures
    let frames: Vec<(u32, Frame)> = WIDTHS
        .iter()
        .map(|&w| (w, measure(&browser, page, w)))
        .collect();
    let pdf = dir.join(format!("{name}.pdf"));
    let shots: Vec<PathBuf> = WIDTHS
        .iter()
        .map(|w| dir.join(format!("{name}-{w}.png")))
        .collect();
    let pages = std::thread::scope(|s| {
        let printing = s.spawn(|| print(&browser, page, &pdf));
        for (png, &w) in shots.iter().zip(&WIDTHS) {
            screenshot(&browser, page, png, w);
        }
        printing.join().expect("printed")
    });

    eprintln!("{name}: {} bytes; {pages} pages printed", html.len());
    for (w, frame) in &frames {
        eprintln!("{}", figures(name, *w, frame));
    }
    for png in &shots {
        eprintln!("screenshot: {}", png.display());
    }
    eprintln!("printed: {}", pdf.display());

    let mut failed = Vec::new();
    for (w, frame) in &frames {
        // the selectors found what they look for: a check over nothing passes nothing
        assert!(
            frame.verdicts > 0 && frame.texts > 0,
            "{}",
            figures(name, *w, frame)
        );
        failed.extend(failures(frame, *w));
    }
    if pages > max_pages {
        failed.push(format!("it prints on {pages} pages, more than {max_pages}"));
    }
    assert!(
        failed.is_empty(),
        "{name}: the report fails {} layout checks:\n  {}",
        failed.len(),
        failed.join("\n  ")
    );
}

#[test]
fn the_secure_communities_report_fits_a_phone_and_a_laptop_and_prints() {
    let (page, html) = library_report();
    check_layout(
        "secure-communities",
        page,
        html,
        SECURE_COMMUNITIES_MAX_PAGES,
    );
}

#[test]
fn the_irs_ice_report_fits_a_phone_and_a_laptop_and_prints() {
    let page = scratch("irs-ice-layout").join("irs-ice.html");
    let html = report(&["policies/irs-ice"], &page);
    check_layout("irs-ice", &page, &html, IRS_ICE_MAX_PAGES);
}

const PAGE_HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";

/// Breaks every rule once: a box wider than a phone, a verdict cell that only scrolling
/// its table shows, a verdict with no size, one past the viewport's edge, and graph text
/// scaled to 6 px.
const BAD_PAGE: &str = "<style>body { margin: 0 } .wide { width: 800px; height: 10px } \
.scroll { overflow-x: auto } table { width: 900px } .far { margin-left: 420px } \
.badge.empty { display: inline-block; width: 0 }</style></head><body>\n\
<div class=\"wide\">too wide</div>\n\
<div class=\"scroll\"><table><tr><td>claim</td><td style=\"width: 700px\">why</td>\
<td class=\"mark refuted\">R</td></tr></table></div>\n\
<p><span class=\"badge empty\"></span></p>\n\
<p class=\"far\"><span class=\"badge refuted\">refuted</span></p>\n\
<svg width=\"100\" height=\"50\" viewBox=\"0 0 200 100\"><text x=\"0\" y=\"20\" font-size=\"12\">six pixels</text></svg>\n\
</body></html>\n";

/// Keeps them: a wide table scrolls in its own box with its verdicts at its start, a
/// skip link waits off the left edge, graph text at 12 px.
const GOOD_PAGE: &str = "<style>body { margin: 0 auto; max-width: 40rem; padding: 0 1rem } \
.scroll { overflow-x: auto } .skip { position: absolute; left: -10000px } \
svg { max-width: 100%; height: auto }</style></head><body>\n\
<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<main id=\"main\">\n\
<p>A claim <span class=\"badge proved\">proved</span></p>\n\
<div class=\"scroll\"><table><tr><td class=\"mark proved\">P</td><td style=\"min-width: 900px\">a long row</td></tr></table></div>\n\
<svg width=\"300\" height=\"60\" viewBox=\"0 0 300 60\"><text x=\"0\" y=\"20\" font-size=\"12\">twelve pixels</text></svg>\n\
</main></body></html>\n";

#[test]
fn the_layout_harness_sees_overflow_hidden_verdicts_and_small_text() {
    let Some(browser) = chromium() else { return };
    let dir = scratch("layout-harness");
    let bad = dir.join("bad.html");
    std::fs::write(&bad, format!("{PAGE_HEAD}{BAD_PAGE}")).expect("write");
    let good = dir.join("good.html");
    std::fs::write(&good, format!("{PAGE_HEAD}{GOOD_PAGE}")).expect("write");

    let frame = measure(&browser, &bad, 390);
    let failed = failures(&frame, 390);
    eprintln!("{}", failed.join("\n"));
    assert_eq!(failed.len(), 3, "{frame:#?}");
    assert!(frame.document_width >= 800.0, "{frame:#?}");
    assert_eq!(
        frame.overflowing.first().map(|e| e.class.as_str()),
        Some("wide")
    );
    let reasons: Vec<(&str, &str)> = frame
        .hidden_verdicts
        .iter()
        .map(|e| (e.class.as_str(), e.reason.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(frame.verdicts, 3);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0].0, "mark refuted");
    assert!(
        reasons[0]
            .1
            .starts_with("clipped by div.scroll showing [0, "),
        "{reasons:?}"
    );
    assert_eq!(reasons[1], ("badge empty", "no size"));
    assert_eq!(reasons[2], ("badge refuted", "outside the viewport"));
    assert_eq!(frame.small_text_count, 1);
    assert_eq!(frame.smallest_text_px, Some(6.0));
    assert_eq!(frame.small_texts[0].text, "six pixels");
    assert!(
        failed[2].contains("font-size 12 px x scale 0.5 = 6 px"),
        "{}",
        failed[2]
    );

    for width in WIDTHS {
        let frame = measure(&browser, &good, width);
        assert_eq!(failures(&frame, width), Vec::<String>::new(), "{frame:#?}");
        assert_eq!((frame.verdicts, frame.texts), (2, 1));
        assert_eq!(frame.smallest_text_px, Some(12.0));
        assert!(frame.load_ms >= 0);
    }
    assert_eq!(print(&browser, &good, &dir.join("good.pdf")), 1);
}
