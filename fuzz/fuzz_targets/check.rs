//! The checker on any text, every diagnostic drawn: see `flowproof_fuzz::checks::check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    flowproof_fuzz::checks::check(data);
});
