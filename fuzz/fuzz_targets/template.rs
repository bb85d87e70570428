//! Any bytes as a project document through the template stage alone: parsing,
//! picking built-in templates by version, `extends`, side-by-side templates,
//! merge patches (`overrides`) and JSON patches (`patches`). Without the file
//! read, schema and plan of the `project` target it runs many more inputs per
//! second through the layering code. Every outcome but a panic is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgmock::template;

#[path = "scratch.rs"]
mod scratch;
use scratch::scratch;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scratch = scratch();
    let Ok(file) = pgmock::project::parse(text.to_owned(), scratch.config.clone(), None) else {
        return;
    };
    if let Ok(resolved) = template::resolve(&scratch.config, file, &scratch.options) {
        // The effective document is what `pgmock resolve` prints and `schema::load` reads.
        let _ = pgmock::schema::load(&resolved.document);
    }
});
