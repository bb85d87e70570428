//! The built-in template library, embedded by `build.rs` from `template-library/`.

include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));
