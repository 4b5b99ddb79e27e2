//! The documentation keeps up with the code: every diagnostic code in the source is
//! listed in `docs/language.md`.

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
