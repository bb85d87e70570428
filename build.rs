//! Embeds `template-library/` in the binary: walks it and writes a Rust file
//! listing every file as `(relative path, include_bytes!(...))`, so the
//! built-in templates work after `cargo install`, from any folder.

// A build script reports failure by panicking; there is no caller to return an error to.
#![allow(clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("template-library");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files: Vec<(String, String)> = Vec::new();
    if root.is_dir() {
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => panic!("cannot read template-library: {e}"),
            };
            // A new file in a subfolder changes the folder's mtime, not the root's.
            println!("cargo:rerun-if-changed={}", entry.path().display());
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&root) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // The library's own README is documentation, not a template file.
            if rel.len() < 3 {
                continue;
            }
            files.push((rel.join("/"), entry.path().display().to_string()));
        }
    }
    let mut out = String::from("/// Every file of `template-library/`, by path relative to it.\npub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("builtin_templates.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
