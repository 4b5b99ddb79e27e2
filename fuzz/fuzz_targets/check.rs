//! The checker on any text, and every diagnostic drawn as the command line draws it
//! and written as JSON: nothing panics, whatever the file says. Imports resolve
//! against a directory that does not exist, so nothing outside is read.
#![no_main]

use std::path::Path;

use flowproof::check::check_text_limited;
use flowproof::diagnostic::{RenderOptions, render, to_json};
use flowproof::limits::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits {
        max_ground: 100_000,
        max_ground_params: 10_000,
        ..Limits::default()
    };
    let checked = check_text_limited(Path::new("/nonexistent-flowproof-fuzz/fuzz.flow"), &text, &limits);
    let options = RenderOptions { color: false, width: 100 };
    for d in &checked.diagnostics {
        let drawn = render(d, &checked.sources, options);
        assert!(drawn.contains(&d.code()), "{drawn}");
        let json = to_json(d, &checked.sources);
        assert!(!json.code.is_empty());
    }
    if checked.model.is_some() {
        assert!(!checked.has_errors());
    }
});
