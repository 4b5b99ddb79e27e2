//! The lexer on any text: see `flowproof_fuzz::checks::lex`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    flowproof_fuzz::checks::lex(data);
});
