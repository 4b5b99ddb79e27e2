//! The parser on any text: see `flowproof_fuzz::checks::parse`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    flowproof_fuzz::checks::parse(data);
});
