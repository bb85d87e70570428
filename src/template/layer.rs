//! Documents with their origins, and the three ways they combine: side by side
//! (templates listed in a project; a table defined twice differently is a
//! conflict), as an RFC 7396 merge patch (extends, includes, the project's own
//! keys, `overrides`) and as RFC 6902 JSON patch operations (`patches`).
//! `json-patch` changes the documents; this module only keeps the record of
//! where each value came from in step with it.

use std::collections::BTreeMap;

use json_patch::PatchOperation;
use serde_json::{Map, Value};

use crate::error::Problem;
use crate::provenance::{FileId, Origin, Sources};
use crate::source_map::child;

/// A document and the files its values came from.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// The document.
    pub doc: Value,
    /// Its files and origins.
    pub sources: Sources,
    /// Which template put each definition and setting here (`saas@1.1.0`),
    /// by pointer, for conflict messages.
    owners: BTreeMap<String, String>,
}

/// Sections whose members are whole definitions: defining one twice differently is a conflict.
const DEFINITIONS: &[&str] = &["tables", "types", "sequences", "generators"];
/// Lists that several templates add to.
const UNIONS: &[&str] = &["extensions", "schemas"];

impl Layer {
    /// A document with the origins of its values.
    #[must_use]
    pub fn new(doc: Value, sources: Sources) -> Self {
        Self {
            doc,
            sources,
            owners: BTreeMap::new(),
        }
    }

    /// An empty document whose sources already hold `sources`' files (the project file first).
    #[must_use]
    pub fn empty(sources: Sources) -> Self {
        Self {
            doc: Value::Object(Map::new()),
            sources,
            owners: BTreeMap::new(),
        }
    }

    fn record(&mut self, at: &str, other: &Sources, from: &str) {
        let subtree = other.subtree(from);
        self.sources.clear(at);
        for (rest, origin) in subtree {
            self.sources.set(&format!("{at}{rest}"), origin);
        }
    }

    /// Applies `patch` as an RFC 7396 merge patch (`null` deletes, objects
    /// merge, everything else, arrays included, replaces).
    pub fn merge_patch(&mut self, patch: &Layer) {
        self.track_merge(&patch.doc, &patch.sources, "");
        json_patch::merge(&mut self.doc, &patch.doc);
    }

    /// Applies the part of `patch` found at `from` (the project's `overrides`) as a merge patch.
    pub fn merge_patch_at(&mut self, patch: &Value, sources: &Sources, from: &str) {
        // The origins of `patch` are those of `from` and below in `sources`.
        let mut shifted = Sources::default();
        for (rest, origin) in sources.subtree(from) {
            shifted.set(&rest, origin);
        }
        self.track_merge(patch, &shifted, "");
        json_patch::merge(&mut self.doc, patch);
    }

    fn track_merge(&mut self, patch: &Value, sources: &Sources, at: &str) {
        let Value::Object(members) = patch else {
            self.record(at, sources, at);
            return;
        };
        let target_is_object = pointer_get(&self.doc, at).is_some_and(Value::is_object);
        if !target_is_object {
            self.record(at, sources, at);
        }
        for (key, value) in members {
            let p = child(at, key);
            if value.is_null() {
                self.sources.clear(&p);
            } else {
                self.track_merge(value, sources, &p);
            }
        }
    }

    /// Adds a template's document beside those already here. Definitions new
    /// here are added; identical ones are left alone; differing ones are
    /// conflicts, reported at the newcomer with a note at the first.
    /// `label` names the newcomer (`saas@1.1.0`), `name` is how the project refers to it (`saas`).
    pub fn add_beside(&mut self, other: &Layer, label: &str, name: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        let Value::Object(top) = &other.doc else {
            return problems;
        };
        for (key, value) in top {
            let p = child("", key);
            if DEFINITIONS.contains(&key.as_str()) {
                let Value::Object(members) = value else {
                    continue;
                };
                for (member, def) in members {
                    let mp = child(&p, member);
                    match pointer_get(&self.doc, &mp) {
                        None => {
                            ensure_object(&mut self.doc, key).insert(member.clone(), def.clone());
                            self.record(&mp, &other.sources, &mp);
                            self.owners.insert(mp.clone(), label.to_owned());
                        }
                        Some(existing) if existing == def => {}
                        Some(_) => {
                            let first = self.sources.origin(&mp);
                            let newcomer = other.sources.origin(&mp);
                            let owner = self.owners.get(&mp).cloned().unwrap_or_default();
                            let what = match key.as_str() {
                                "tables" => "table",
                                "types" => "type",
                                "generators" => "generator",
                                _ => "sequence",
                            };
                            problems.push(
                                Problem::new(
                                    newcomer.pointer,
                                    if owner == label {
                                        format!("{what} `{member}` of `{label}` is already defined differently by an earlier entry of the same template (with other parameters)")
                                    } else {
                                        format!("{what} `{member}` of `{label}` is already defined differently by `{owner}`")
                                    },
                                )
                                .in_file(newcomer.file)
                                .at_key()
                                .note(format!("`{owner}` defines it here"), first.file, first.pointer)
                                .hint(format!(
                                    "give one template a `prefix` (`{{\"name\": \"{name}\", \"prefix\": \"...\"}}`) or a `schema`, or change one definition with `overrides`"
                                )),
                            );
                        }
                    }
                }
            } else {
                self.merge_setting(value, &other.sources, &p, label, &mut problems);
            }
        }
        problems
    }

    /// Settings (`database`, `naming`, ...) two templates both give must agree;
    /// the lists of extensions and schemas are joined.
    fn merge_setting(
        &mut self,
        value: &Value,
        sources: &Sources,
        at: &str,
        label: &str,
        problems: &mut Vec<Problem>,
    ) {
        let existing = pointer_get(&self.doc, at).cloned();
        match (existing, value) {
            (None, _) => {
                pointer_set(&mut self.doc, at, value.clone());
                self.record(at, sources, at);
                self.owners.insert(at.to_owned(), label.to_owned());
            }
            (Some(Value::Object(_)), Value::Object(members)) => {
                for (k, v) in members {
                    self.merge_setting(v, sources, &child(at, k), label, problems);
                }
            }
            (Some(Value::Array(mut items)), Value::Array(more))
                if UNIONS.iter().any(|u| at.ends_with(&format!("/{u}"))) =>
            {
                for item in more {
                    if !items.contains(item) {
                        items.push(item.clone());
                    }
                }
                pointer_set(&mut self.doc, at, Value::Array(items));
            }
            (Some(old), new) if &old == new => {}
            (Some(_), _) => {
                let first = self.sources.origin(at);
                let newcomer = sources.origin(at);
                let owner = self
                    .owners
                    .iter()
                    .rev()
                    .find(|(k, _)| at.starts_with(k.as_str()))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                problems.push(
                    Problem::new(
                        newcomer.pointer,
                        format!("`{label}` sets `{at}` differently from `{owner}`"),
                    )
                    .in_file(newcomer.file)
                    .note(format!("`{owner}` sets it here"), first.file, first.pointer)
                    .hint("set it once in the project file, which takes precedence over templates"),
                );
            }
        }
    }
}

impl Layer {
    /// Applies RFC 6902 operations one by one. `ops` is the `patches` list
    /// found at `at` in file `file`; a failing operation is reported with its
    /// index, op and path, and stops the list (later ones would see a
    /// document the author did not expect).
    pub fn apply_patches(&mut self, ops: &Value, file: FileId, at: &str) -> Vec<Problem> {
        let Value::Array(items) = ops else {
            return vec![Problem::new(
                at,
                "`patches` must be a list of JSON patch operations (RFC 6902)",
            )
            .in_file(file)
            .hint("for example `[{ \"op\": \"remove\", \"path\": \"/tables/coupons\" }]`")];
        };
        for (i, item) in items.iter().enumerate() {
            let p = child(at, &i.to_string());
            let op: PatchOperation = match serde_json::from_value(item.clone()) {
                Ok(op) => op,
                Err(e) => {
                    return vec![Problem::new(&p, format!("patch {i} is not a JSON patch operation: {e}"))
                        .in_file(file)
                        .hint("each operation is `{ \"op\": add|remove|replace|move|copy|test, \"path\": \"/...\", ... }`")];
                }
            };
            let path = op.path().to_string();
            let kind = op_name(&op);
            let found = self.doc.pointer(&path).cloned();
            if let Err(e) = json_patch::patch(&mut self.doc, std::slice::from_ref(&op)) {
                let message = match (&op, &found) {
                    (PatchOperation::Test(t), Some(found)) => format!(
                        "patch {i} (`test` at `{path}`) failed: expected {}, found {}",
                        short(&t.value),
                        short(found)
                    ),
                    (PatchOperation::Test(_), None) => {
                        format!(
                            "patch {i} (`test` at `{path}`) failed: there is no value at `{path}`"
                        )
                    }
                    (PatchOperation::Remove(_) | PatchOperation::Replace(_), None) => {
                        format!("patch {i} (`{kind}` at `{path}`) failed: there is no value at `{path}`")
                    }
                    (PatchOperation::Move(m), _)
                        if self.doc.pointer(&m.from.to_string()).is_none() =>
                    {
                        format!(
                            "patch {i} (`move` from `{}`) failed: there is no value there",
                            m.from
                        )
                    }
                    (PatchOperation::Copy(c), _)
                        if self.doc.pointer(&c.from.to_string()).is_none() =>
                    {
                        format!(
                            "patch {i} (`copy` from `{}`) failed: there is no value there",
                            c.from
                        )
                    }
                    (PatchOperation::Add(_), None) => {
                        let parent = path.rsplit_once('/').map_or("", |(p, _)| p);
                        format!(
                            "patch {i} (`add` at `{path}`) failed: there is no `{}` to add to",
                            if parent.is_empty() { "/" } else { parent }
                        )
                    }
                    _ => format!("patch {i} (`{kind}` at `{path}`) failed: {}", e.kind),
                };
                let mut problem = Problem::new(&p, message).in_file(file);
                if found.is_none() {
                    problem =
                        problem.hint("`pgmock resolve` prints the document the patches apply to");
                }
                return vec![problem];
            }
            let value_origin = Origin {
                file,
                pointer: child(&p, "value"),
            };
            match &op {
                PatchOperation::Add(_) | PatchOperation::Replace(_) => {
                    self.sources.set(&path, value_origin)
                }
                PatchOperation::Remove(_) => self.sources.clear(&path),
                PatchOperation::Move(m) => self.sources.rename(&m.from.to_string(), &path),
                PatchOperation::Copy(c) => self.sources.copy(&c.from.to_string(), &path),
                PatchOperation::Test(_) => {}
            }
        }
        Vec::new()
    }
}

fn op_name(op: &PatchOperation) -> &'static str {
    match op {
        PatchOperation::Add(_) => "add",
        PatchOperation::Remove(_) => "remove",
        PatchOperation::Replace(_) => "replace",
        PatchOperation::Move(_) => "move",
        PatchOperation::Copy(_) => "copy",
        PatchOperation::Test(_) => "test",
    }
}

/// A value as a message quotes it, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// The value at `pointer`, if any.
#[must_use]
pub fn pointer_get<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    doc.pointer(pointer)
}

/// Sets the value at `pointer`, creating objects on the way.
pub fn pointer_set(doc: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *doc = value;
        return;
    }
    let mut tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let last = tokens.pop().unwrap_or_default();
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    let Value::Object(mut map) = std::mem::take(doc) else {
        unreachable!("`doc` was made an object above")
    };
    let mut cur = &mut map;
    for t in tokens {
        cur = member_object(cur, &t);
    }
    cur.insert(last, value);
    *doc = Value::Object(map);
}

/// The member `key` of `map` as an object, made one if it is missing or is not one.
fn member_object<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let entry = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let Value::Object(member) = entry else {
        unreachable!("`entry` was made an object above")
    };
    member
}

/// The object member `key` of `doc`, made an object if it is missing or is not one.
fn ensure_object<'a>(doc: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    let Value::Object(map) = doc else {
        unreachable!("`doc` was made an object above")
    };
    member_object(map, key)
}
