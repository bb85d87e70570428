//! Where each value of a JSON document stands in its source text.
//!
//! serde_json reports positions only for syntax errors. Schema errors are found
//! later, on a parsed `Value`, so this module re-scans the (already valid) text
//! once and records the line and column of every value under its JSON pointer.
//! That keeps every later diagnostic able to say `pgmock.json:12:7`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Maps keyed by JSON pointers of the user's own file: a multiply-rotate
/// hash (FxHash's) instead of SipHash, which took a third of `validate` on
/// projects of a million values; the input is local, so flooding is no concern.
type PointerMap<V> = HashMap<String, V, BuildHasherDefault<PointerHasher>>;

/// FxHash: one multiply and rotate per word.
#[derive(Default)]
struct PointerHasher(u64);

impl Hasher for PointerHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A 1-based line and column (in characters) in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

/// Where the first byte that is not UTF-8 stands in `bytes`, as the error
/// of [`std::str::from_utf8`] reports it: everything before it is valid
/// text, so its line and column count characters a user can see.
#[must_use]
pub fn invalid_utf8_position(bytes: &[u8], error: &std::str::Utf8Error) -> Position {
    let valid = &bytes[..error.valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = std::str::from_utf8(&valid[line_start..]).map_or(0, |s| s.chars().count()) + 1;
    Position {
        line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
        column,
    }
}

/// A key that an object lists more than once. JSON parsers keep only the
/// last value, so the earlier ones would be lost without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the member (`/tables/orders`).
    pub pointer: String,
    /// The key as decoded.
    pub key: String,
    /// Where the key first appears.
    pub first: Position,
    /// Where it appears the second time.
    pub second: Position,
    /// How many times the object lists it (2 or more).
    pub count: usize,
}

/// JSON pointer → position of the value (and of its key, for object members).
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: PointerMap<Position>,
    keys: PointerMap<Position>,
    duplicates: Vec<DuplicateKey>,
}

impl SourceMap {
    /// Scans valid JSON text; on malformed input it records what it saw so far.
    #[must_use]
    pub fn build(text: &str) -> Self {
        let mut scanner = Scanner {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            map: Self::default(),
        };
        let mut path = String::new();
        scanner.skip_ws();
        scanner.value(&mut path);
        scanner.map
    }

    /// Position of the value at `pointer`, or of its nearest ancestor that was seen.
    #[must_use]
    pub fn value(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.values.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind('/')?;
            p = &p[..cut];
        }
    }

    /// Keys listed more than once in one object, in document order.
    #[must_use]
    pub fn duplicates(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// Position of the member key at `pointer` (for "unknown key" errors).
    /// For a duplicated key, that of its second occurrence.
    #[must_use]
    pub fn key(&self, pointer: &str) -> Option<Position> {
        self.keys
            .get(pointer)
            .copied()
            .or_else(|| self.value(pointer))
    }
}

/// Whether any object of the (valid) JSON `text` lists a key more than
/// once. One pass that records no positions, so the full [`SourceMap`]
/// is only built when there is something to report.
#[must_use]
pub fn has_duplicate_keys(text: &str) -> bool {
    /// An open object (its keys so far, and whether a key comes next) or array.
    enum Open<'a> {
        Object(
            HashSet<Cow<'a, [u8]>, BuildHasherDefault<PointerHasher>>,
            bool,
        ),
        Array,
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' => stack.push(Open::Object(HashSet::default(), true)),
            b'[' => stack.push(Open::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Open::Object(_, key_next)) = stack.last_mut() {
                    *key_next = true;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut escaped = false;
                i = start;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => {
                            escaped = true;
                            i += 1;
                        }
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                if let Some(Open::Object(keys, key_next @ true)) = stack.last_mut() {
                    *key_next = false;
                    let raw = &bytes[start.min(i)..i.min(bytes.len())];
                    // Two spellings of one key (`"a"` and `"\u0061"`) are one key.
                    let key = if escaped {
                        let quoted = [b"\"", raw, b"\""].concat();
                        serde_json::from_slice::<String>(&quoted)
                            .map_or(Cow::Borrowed(raw), |k| Cow::Owned(k.into_bytes()))
                    } else {
                        Cow::Borrowed(raw)
                    };
                    if !keys.insert(key) {
                        return true;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            _ => pointer.push(c),
        }
    }
}

/// Returns `pointer` with one more reference token.
#[must_use]
pub fn child(pointer: &str, token: &str) -> String {
    let mut p = pointer.to_owned();
    push_token(&mut p, token);
    p
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    map: SourceMap,
}

impl Scanner<'_> {
    fn here(&self) -> Position {
        let prefix = &self.text[self.line_start..self.pos.min(self.text.len())];
        let column = String::from_utf8_lossy(prefix).chars().count() + 1;
        Position {
            line: self.line,
            column,
        }
    }

    fn bump(&mut self) {
        if self.text.get(self.pos) == Some(&b'\n') {
            self.line += 1;
            self.line_start = self.pos + 1;
        }
        self.pos += 1;
    }

    fn skip_ws(&mut self) {
        while matches!(self.text.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn value(&mut self, path: &mut String) {
        self.map.values.insert(path.clone(), self.here());
        match self.text.get(self.pos) {
            Some(b'{') => self.object(path),
            Some(b'[') => self.array(path),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while matches!(self.text.get(self.pos), Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.bump();
                }
            }
            None => {}
        }
    }

    fn string(&mut self) -> String {
        let start = self.pos + 1;
        self.bump();
        while let Some(&c) = self.text.get(self.pos) {
            match c {
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                b'"' => break,
                _ => self.bump(),
            }
        }
        let raw = &self.text[start.min(self.pos)..self.pos.min(self.text.len())];
        self.bump();
        // Keys are decoded so that pointers match serde_json's view of the key.
        let quoted = [b"\"", raw, b"\""].concat();
        serde_json::from_slice::<String>(&quoted)
            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    }

    fn object(&mut self, path: &mut String) {
        self.bump();
        // Key → its index in `duplicates` once it has repeated, else `None`.
        let mut seen: PointerMap<Option<usize>> = PointerMap::default();
        loop {
            self.skip_ws();
            match self.text.get(self.pos) {
                Some(b'"') => {}
                Some(b'}') => {
                    self.bump();
                    return;
                }
                _ => return,
            }
            let key_pos = self.here();
            let key = self.string();
            let len = path.len();
            push_token(path, &key);
            match seen.get_mut(&key) {
                None => {
                    self.map.keys.insert(path.clone(), key_pos);
                    seen.insert(key, None);
                }
                Some(Some(index)) => {
                    if let Some(dup) = self.map.duplicates.get_mut(*index) {
                        dup.count += 1;
                    }
                }
                Some(repeat @ None) => {
                    let first = self.map.keys.insert(path.clone(), key_pos);
                    *repeat = Some(self.map.duplicates.len());
                    self.map.duplicates.push(DuplicateKey {
                        pointer: path.clone(),
                        key,
                        first: first.unwrap_or(key_pos),
                        second: key_pos,
                        count: 2,
                    });
                }
            }
            self.skip_ws();
            if self.text.get(self.pos) != Some(&b':') {
                path.truncate(len);
                return;
            }
            self.bump();
            self.skip_ws();
            self.value(path);
            path.truncate(len);
            self.skip_ws();
            match self.text.get(self.pos) {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return;
                }
                _ => return,
            }
        }
    }

    fn array(&mut self, path: &mut String) {
        self.bump();
        let mut index = 0usize;
        loop {
            self.skip_ws();
            if matches!(self.text.get(self.pos), Some(b']') | None) {
                self.bump();
                return;
            }
            let len = path.len();
            push_token(path, &index.to_string());
            self.value(path);
            path.truncate(len);
            index += 1;
            self.skip_ws();
            match self.text.get(self.pos) {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return;
                }
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The literals are not UTF-8 on purpose.
    #[allow(invalid_from_utf8)]
    #[test]
    fn invalid_utf8_is_placed_after_the_valid_characters_of_its_line() {
        let bytes = b"{\n  \"\xc3\xa9t\xe9\": 1\n}";
        let error = std::str::from_utf8(bytes).unwrap_err();
        assert_eq!(
            invalid_utf8_position(bytes, &error),
            Position { line: 2, column: 6 }
        );
        let first = b"\xff{}";
        let error = std::str::from_utf8(first).unwrap_err();
        assert_eq!(
            invalid_utf8_position(first, &error),
            Position { line: 1, column: 1 }
        );
    }

    #[test]
    fn positions_of_nested_values_and_keys() {
        let text = "{\n  \"tables\": {\n    \"a/b\": {\"rows\": 5},\n    \"é\": [1, {\"x\": true}]\n  }\n}";
        let map = SourceMap::build(text);
        assert_eq!(
            map.value("/tables/a~1b/rows"),
            Some(Position {
                line: 3,
                column: 21
            })
        );
        assert_eq!(
            map.key("/tables/a~1b"),
            Some(Position { line: 3, column: 5 })
        );
        assert_eq!(
            map.value("/tables/é/1/x"),
            Some(Position {
                line: 4,
                column: 20
            })
        );
        assert!(map.duplicates().is_empty());
        // Unknown pointers fall back to their nearest known ancestor.
        assert_eq!(
            map.value("/tables/a~1b/rows/deeper"),
            Some(Position {
                line: 3,
                column: 21
            })
        );
    }

    #[test]
    fn repeated_keys_are_recorded_once_per_object() {
        let text =
            "{\"t\": {\"a\": 1, \"a\": 2},\n \"t\": {}, \"u\": [{\"x\": 1, \"x\": 2, \"x\": 3}]}";
        let map = SourceMap::build(text);
        let found: Vec<(&str, usize, usize, usize)> = map
            .duplicates()
            .iter()
            .map(|d| (d.pointer.as_str(), d.first.column, d.second.line, d.count))
            .collect();
        assert_eq!(
            found,
            vec![("/t/a", 8, 1, 2), ("/t", 2, 2, 2), ("/u/0/x", 18, 2, 3)]
        );
        // The key's position is that of the second occurrence.
        assert_eq!(map.key("/t"), Some(Position { line: 2, column: 2 }));
    }

    #[test]
    fn duplicate_check_agrees_with_the_full_map() {
        let cases = [
            (r#"{"a": 1, "b": {"a": 2}}"#, false),
            (r#"{"a": "b", "b": 1}"#, false),
            (r#"[{"x": 1}, {"x": 2}]"#, false),
            (r#"{"s": "{\"k\": 1, \"k\": 2}"}"#, false),
            (r#"{"t": {"a": 1, "c": [1, {"z": 0}], "a": 2}}"#, true),
            (r#"{"a": 1, "\u0061": 2}"#, true),
            (r#"[{"x": 1, "y": {}, "x": 2}]"#, true),
        ];
        for (text, repeated) in cases {
            assert_eq!(has_duplicate_keys(text), repeated, "{text}");
            assert_eq!(
                !SourceMap::build(text).duplicates().is_empty(),
                repeated,
                "{text}"
            );
        }
    }
}
