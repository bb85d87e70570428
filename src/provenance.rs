//! Where each value of the effective document came from.
//!
//! The template stage builds one document out of many files (templates,
//! included project files, the project file itself). Later stages report
//! problems by JSON pointer into that merged document; [`Sources`] maps such
//! a pointer back to the file and the pointer inside it where the value was
//! written, so a diagnostic can show `template.json:12:5` of the right file.

use std::collections::BTreeMap;

use crate::error::Source;

/// Index of a file in [`Sources::files`].
pub type FileId = usize;

/// A place in one source file: the file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// RFC 6901 pointer into that file's document.
    pub pointer: String,
}

/// The files behind a document and the origin of every value in it.
///
/// A pointer with no recorded origin inherits that of its nearest ancestor
/// (with the rest of the pointer appended); with no origin at all it points
/// into file 0 unchanged, which is how a project without templates maps.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Every file that contributed, the project file first.
    pub files: Vec<Source>,
    origins: BTreeMap<String, Origin>,
}

impl Sources {
    /// Sources made of one file whose document is the effective document.
    #[must_use]
    pub fn single(source: Source) -> Self {
        Self {
            files: vec![source],
            origins: BTreeMap::new(),
        }
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, source: Source) -> FileId {
        self.files.push(source);
        self.files.len() - 1
    }

    /// Where the value at `pointer` of the effective document was written.
    #[must_use]
    pub fn origin(&self, pointer: &str) -> Origin {
        let mut p = pointer;
        loop {
            if let Some(origin) = self.origins.get(p) {
                return Origin {
                    file: origin.file,
                    pointer: format!("{}{}", origin.pointer, &pointer[p.len()..]),
                };
            }
            match p.rfind('/') {
                Some(cut) => p = &p[..cut],
                None => {
                    return Origin {
                        file: 0,
                        pointer: pointer.to_owned(),
                    }
                }
            }
        }
    }

    /// Records that the value at `pointer` (and everything under it) came from `origin`,
    /// forgetting what was recorded under it before.
    pub fn set(&mut self, pointer: &str, origin: Origin) {
        self.clear(pointer);
        self.origins.insert(pointer.to_owned(), origin);
    }

    /// Forgets the origins recorded at and under `pointer` (the value was removed).
    pub fn clear(&mut self, pointer: &str) {
        let below: Vec<String> = self
            .origins
            .range(pointer.to_owned()..)
            .take_while(|(k, _)| k.starts_with(pointer))
            .filter(|(k, _)| {
                k.len() == pointer.len() || k.as_bytes().get(pointer.len()) == Some(&b'/')
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in below {
            self.origins.remove(&k);
        }
    }

    /// The origins recorded at and under `pointer`, relative to it (`""` for `pointer` itself).
    #[must_use]
    pub fn subtree(&self, pointer: &str) -> Vec<(String, Origin)> {
        let mut out: Vec<(String, Origin)> = self
            .origins
            .range(pointer.to_owned()..)
            .take_while(|(k, _)| k.starts_with(pointer))
            .filter(|(k, _)| {
                k.len() == pointer.len() || k.as_bytes().get(pointer.len()) == Some(&b'/')
            })
            .map(|(k, o)| (k[pointer.len()..].to_owned(), o.clone()))
            .collect();
        if !out.iter().any(|(k, _)| k.is_empty()) {
            out.insert(0, (String::new(), self.origin(pointer)));
        }
        out
    }

    /// Moves what is recorded under `from` to `to` (a key was renamed or a value moved).
    pub fn rename(&mut self, from: &str, to: &str) {
        let moved = self.subtree(from);
        self.clear(from);
        self.clear(to);
        for (rest, origin) in moved {
            self.origins.insert(format!("{to}{rest}"), origin);
        }
    }

    /// Copies what is recorded under `from` to `to`, keeping the original.
    pub fn copy(&mut self, from: &str, to: &str) {
        let copied = self.subtree(from);
        self.clear(to);
        for (rest, origin) in copied {
            self.origins.insert(format!("{to}{rest}"), origin);
        }
    }

    /// Takes over every file of `other`, with its origins placed under `at`.
    pub fn absorb(&mut self, other: Self, at: &str) {
        let base = self.files.len();
        self.files.extend(other.files);
        if !other.origins.contains_key("") {
            self.origins.insert(
                at.to_owned(),
                Origin {
                    file: base,
                    pointer: String::new(),
                },
            );
        }
        for (k, o) in other.origins {
            self.origins.insert(
                format!("{at}{k}"),
                Origin {
                    file: o.file + base,
                    pointer: o.pointer,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(file: FileId, pointer: &str) -> Origin {
        Origin {
            file,
            pointer: pointer.into(),
        }
    }

    #[test]
    fn nearest_ancestor_gives_the_origin() {
        let mut s = Sources::default();
        s.set("/tables/billing_users", o(2, "/tables/users"));
        assert_eq!(
            s.origin("/tables/billing_users/columns/id"),
            o(2, "/tables/users/columns/id")
        );
        assert_eq!(s.origin("/tables/other"), o(0, "/tables/other"));
        // A sibling whose name starts the same is not under it.
        assert_eq!(
            s.origin("/tables/billing_users2"),
            o(0, "/tables/billing_users2")
        );
    }

    #[test]
    fn rename_moves_the_subtree() {
        let mut s = Sources::default();
        s.set("/tables/a", o(1, "/tables/a"));
        s.set("/tables/a/columns/x", o(3, "/tables/a/columns/x"));
        s.rename("/tables/a", "/tables/p_a");
        assert_eq!(
            s.origin("/tables/p_a/columns/x/type"),
            o(3, "/tables/a/columns/x/type")
        );
        assert_eq!(s.origin("/tables/p_a/rows"), o(1, "/tables/a/rows"));
        assert_eq!(s.origin("/tables/a/rows"), o(0, "/tables/a/rows"));
    }
}
