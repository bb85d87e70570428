//! Any text as a CHECK expression through the parser that decides which
//! checks pgmock can satisfy by construction. Unsupported text must give
//! `None`, never a panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgmock::schema::check::CheckExpr;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(parsed) = CheckExpr::parse(text) {
        // Every recognised check names at least one column to constrain.
        assert!(
            !parsed.columns().is_empty(),
            "{text:?} parsed as {parsed:?}"
        );
    }
});
