//! Any bytes as a project file, through `pgmock validate`'s own path: read
//! the file, resolve its templates, load the schema and build the plan.
//! Every outcome but a panic (or a hang) is fine: bad input must become an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "scratch.rs"]
mod scratch;
use scratch::scratch;

fuzz_target!(|data: &[u8]| {
    let scratch = scratch();
    std::fs::write(&scratch.config, data).expect("the scratch file is writable");
    let _ = pgmock::pipeline::validate(&scratch.config, &scratch.options);
});
