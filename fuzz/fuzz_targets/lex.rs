//! The lexer on any text: it never panics, every token and every error lies inside
//! the text on character boundaries, tokens come in order without overlapping, and
//! lexing is deterministic.
#![no_main]

use flowproof::span::FileId;
use flowproof::syntax::lexer::tokens;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = FileId(0);
    let (toks, errors) = tokens(&text, file);
    let mut end = 0;
    for (start, _, stop) in &toks {
        assert!(end <= *start && start <= stop && *stop <= text.len());
        assert!(text.is_char_boundary(*start) && text.is_char_boundary(*stop));
        end = *stop;
    }
    for e in &errors {
        let r = e.span.range();
        assert!(r.start <= r.end && r.end <= text.len(), "{e:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{e:?}");
    }
    let again = tokens(&text, file);
    assert_eq!(again.0, toks);
    assert_eq!(again.1, errors);
});
