//! The whole pipeline on small models, Z3 against the reference: see `flowproof_fuzz::checks::verify`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    flowproof_fuzz::checks::verify(data);
});
