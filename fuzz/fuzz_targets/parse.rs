//! The parser on any text: it never panics or overflows its stack (nesting is
//! limited), every error points inside the text, and a file read without errors
//! prints back to text that reads as the same tree (printing is a fixpoint).
#![no_main]

use flowproof::span::FileId;
use flowproof::syntax::{parse, print};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (tree, errors) = parse(&text, FileId(0));
    for e in &errors {
        let r = e.span().range();
        assert!(r.start <= r.end && r.end <= text.len(), "{e:?}");
    }
    if errors.is_empty() {
        let printed = print::file(&tree);
        let (again, errors) = parse(&printed, FileId(0));
        assert!(errors.is_empty(), "the printed tree does not parse: {errors:?}\n{printed}");
        assert_eq!(print::file(&again), printed, "printing is not a fixpoint");
    }
});
