//! Extensions, user types (enums, composites, domains) and sequences, and the
//! checks that tie type names together: resolution, qualification, cycles.

use super::*;

/// Extensions pgmock accepts (`pg_names/extensions.txt`).
static KNOWN_EXTENSIONS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    include_str!("../pg_names/extensions.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

impl Loader {
    pub(super) fn extensions(
        &self,
        v: &Value,
        pointer: &str,
        default_schema: &str,
        p: &mut Problems,
    ) -> Vec<Extension> {
        let Value::Array(items) = v else {
            p.at(
                pointer,
                format!("`extensions` must be a list, found {}", kind(v)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ptr = child(pointer, &i.to_string());
            // Extension names are control-file names: letters, digits, `_` and `-`.
            let name_of = |v: &Value| {
                v.as_str()
                    .or_else(|| v.get("name").and_then(Value::as_str))
                    .map(str::to_owned)
            };
            if let Some(name) = name_of(item) {
                let plausible = !name.is_empty()
                    && name.len() <= 63
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if !plausible {
                    p.push(
                        Problem::new(&ptr, format!("`{name}` is not an extension name"))
                            .hint("extension names are made of letters, digits, `_` and `-` (`pgcrypto`, `uuid-ossp`)"),
                    );
                    continue;
                }
                // A name no server ships is a typo far more often than a private extension.
                if !KNOWN_EXTENSIONS.contains(&name.as_str()) {
                    let hint = crate::diagnostic::did_you_mean(&name, KNOWN_EXTENSIONS.iter().copied())
                        .map_or_else(
                            || "pgmock knows PostgreSQL's contrib extensions and widely used ones (`postgis`, `vector`, ...)".to_owned(),
                            |s| format!("did you mean `{s}`?"),
                        );
                    p.push(Problem::new(&ptr, format!("unknown extension `{name}`")).hint(hint));
                    continue;
                }
            }
            match item {
                Value::String(name) => out.push(Extension {
                    name: name.clone(),
                    schema: default_schema.to_owned(),
                }),
                _ => {
                    if let Some(o) = Obj::new(item, &ptr, EXTENSION_KEYS, "an extension", p) {
                        if let Some(name) = o.string("name", p) {
                            let schema = o
                                .string("schema", p)
                                .unwrap_or_else(|| default_schema.to_owned());
                            out.push(Extension { name, schema });
                        } else {
                            p.at(&ptr, "an extension needs a `name`");
                        }
                    }
                }
            }
        }
        out
    }

    pub(super) fn types(&self, v: &Value, p: &mut Problems) -> Vec<UserType> {
        let Value::Object(map) = v else {
            p.at(
                "/types",
                format!(
                    "`types` must be an object keyed by type name, found {}",
                    kind(v)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in map {
            let ptr = child("/types", key);
            let name = sql_name(key, value);
            let Some(o) = Obj::new(value, &ptr, TYPE_KEYS, &format!("type `{name}`"), p) else {
                continue;
            };
            // Column types name user types as plain words (`mood`, `app.mood`).
            let plain = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !plain {
                p.push(
                    Problem::new(&ptr, format!("type name `{name}` cannot be used in column types"))
                        .at_key()
                        .hint("use letters, digits and `_` only, starting with a letter (e.g. `mood_type`)"),
                );
                continue;
            }
            let schema = o
                .string("schema", p)
                .unwrap_or_else(|| self.default_schema.clone());
            let comment = o.string("comment", p);
            let present: Vec<&str> = ["enum", "composite", "domain"]
                .into_iter()
                .filter(|k| o.get(k).is_some())
                .collect();
            let kind = match present.as_slice() {
                ["enum"] => match o.strings("enum", p) {
                    Some(labels) if labels.is_empty() => {
                        p.at(
                            &o.ptr("enum"),
                            format!("enum `{name}` needs at least one label"),
                        );
                        continue;
                    }
                    Some(labels) => {
                        let mut seen = Vec::new();
                        for l in &labels {
                            if seen.contains(&l) {
                                p.at(&o.ptr("enum"), format!("enum `{name}` lists `{l}` twice"));
                            }
                            seen.push(l);
                        }
                        UserTypeKind::Enum(labels)
                    }
                    None => continue,
                },
                ["composite"] => {
                    let Some(Value::Object(fields)) = o.get("composite") else {
                        p.at(
                            &o.ptr("composite"),
                            "`composite` must be an object of field name → type",
                        );
                        continue;
                    };
                    let mut list = Vec::new();
                    for (fname, fty) in fields {
                        let fptr = child(&o.ptr("composite"), fname);
                        match fty.as_str() {
                            Some(t) => {
                                if let Some(ty) = parse_type(t, &fptr, p) {
                                    list.push(Field {
                                        name: fname.clone(),
                                        ty: ty.ty,
                                    });
                                }
                            }
                            None => p.at(
                                &fptr,
                                format!("field type must be a string, found {}", kind(fty)),
                            ),
                        }
                    }
                    UserTypeKind::Composite(list)
                }
                ["domain"] => {
                    let Some(base) = o.string("domain", p) else {
                        continue;
                    };
                    let Some(parsed) = parse_type(&base, &o.ptr("domain"), p) else {
                        continue;
                    };
                    let mut checks = Vec::new();
                    let mut exprs: Vec<(String, String)> = Vec::new();
                    if let Some(c) = o.string("check", p) {
                        exprs.push((o.ptr("check"), c));
                    }
                    if let Some(list) = o.strings("checks", p) {
                        for (i, c) in list.into_iter().enumerate() {
                            exprs.push((child(&o.ptr("checks"), &i.to_string()), c));
                        }
                    }
                    let mut taken = Vec::new();
                    for (cptr, expr) in exprs {
                        let cname = unique_name(name, None, "check", &taken);
                        taken.push(cname.clone());
                        checks.push(Check {
                            name: cname,
                            parsed: CheckExpr::parse(&expr),
                            expr,
                            pointer: cptr,
                        });
                    }
                    UserTypeKind::Domain(Domain {
                        base: parsed.ty,
                        not_null: o.bool("not_null", p).unwrap_or(false),
                        default: o.string("default", p),
                        checks,
                    })
                }
                [] => {
                    p.push(Problem::new(
                        &ptr,
                        format!("type `{name}` must have one of `enum`, `composite` or `domain`"),
                    ));
                    continue;
                }
                _ => {
                    p.at(
                        &ptr,
                        format!("type `{name}` has more than one of `enum`, `composite`, `domain`"),
                    );
                    continue;
                }
            };
            if !matches!(kind, UserTypeKind::Domain(_)) {
                for key in ["not_null", "default", "check", "checks"] {
                    if o.get(key).is_some() {
                        p.push(
                            Problem::new(o.ptr(key), format!("`{key}` only applies to domains"))
                                .at_key(),
                        );
                    }
                }
            }
            out.push(UserType {
                name: name.to_owned(),
                schema,
                kind,
                comment,
                pointer: ptr,
            });
        }
        out
    }

    pub(super) fn sequences(&self, v: &Value, p: &mut Problems) -> Vec<Sequence> {
        let Value::Object(map) = v else {
            p.at(
                "/sequences",
                format!(
                    "`sequences` must be an object keyed by name, found {}",
                    kind(v)
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in map {
            let ptr = child("/sequences", key);
            let name = sql_name(key, value);
            let Some(o) = Obj::new(value, &ptr, SEQUENCE_KEYS, &format!("sequence `{name}`"), p)
            else {
                continue;
            };
            let increment = o.i64("increment", p).unwrap_or(1);
            if increment == 0 {
                p.at(&o.ptr("increment"), "`increment` must not be zero");
            }
            out.push(Sequence {
                name: name.to_owned(),
                schema: o
                    .string("schema", p)
                    .unwrap_or_else(|| self.default_schema.clone()),
                start: o.i64("start", p).unwrap_or(1),
                increment,
                min: o.i64("min", p),
                max: o.i64("max", p),
                cycle: o.bool("cycle", p).unwrap_or(false),
                comment: o.string("comment", p),
            });
        }
        out
    }

    pub(super) fn resolve_types(
        &self,
        tables: &mut [Table],
        types: &[UserType],
        extensions: &[Extension],
        p: &mut Problems,
    ) {
        for table in tables.iter_mut() {
            for col in &mut table.columns {
                unqualify(&mut col.ty, types, extensions);
            }
        }
        let user_names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        let ext_types: Vec<&str> = EXTENSION_TYPES
            .iter()
            .filter(|(ext, _)| extensions.iter().any(|e| e.name == *ext))
            .map(|(_, ty)| *ty)
            .collect();
        let check = |ty: &PgType, ptr: &str, p: &mut Problems| {
            if let TypeRef::Named(name) = &ty.elem {
                if user_names.contains(&name.as_str()) || ext_types.contains(&name.as_str()) {
                    return;
                }
                let candidates = KNOWN_NAMES
                    .iter()
                    .copied()
                    .chain(user_names.iter().copied())
                    .chain(ext_types.iter().copied());
                let mut prob = Problem::new(ptr, format!("unknown type `{name}`"));
                let elsewhere = name
                    .split_once('.')
                    .and_then(|(_, bare)| types.iter().find(|t| t.name == bare));
                if let Some(t) = elsewhere {
                    prob = prob.hint(format!(
                        "type `{}` is in schema `{}`: write `{}.{}`",
                        t.name, t.schema, t.schema, t.name
                    ));
                } else if let Some(s) = did_you_mean(name, candidates) {
                    prob = prob.hint(format!("did you mean `{s}`?"));
                } else if let Some((ext, _)) = EXTENSION_TYPES.iter().find(|(_, t)| t == name) {
                    prob = prob.hint(format!("add `\"{ext}\"` to `database.extensions`"));
                } else {
                    prob = prob.hint("declare it under `types` (enum, composite or domain)");
                }
                p.push(prob);
            }
        };
        for table in tables.iter() {
            if table.partition_of.is_some() {
                continue;
            }
            for col in &table.columns {
                check(&col.ty, &child(&col.pointer, "type"), p);
            }
        }
        for t in types {
            match &t.kind {
                UserTypeKind::Composite(fields) => {
                    for f in fields {
                        check(&f.ty, &child(&child(&t.pointer, "composite"), &f.name), p);
                    }
                }
                UserTypeKind::Domain(d) => check(&d.base, &child(&t.pointer, "domain"), p),
                UserTypeKind::Enum(_) => {}
            }
        }
        type_cycles(types, p);
    }
}

/// Reports types built on themselves (`a` has a field of type `b`, `b` one
/// of type `a[]`): PostgreSQL cannot create them, and generating a value
/// would never end. Each cycle is reported once, at its first type.
pub(super) fn type_cycles(types: &[UserType], p: &mut Problems) {
    let uses: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            t.uses()
                .into_iter()
                .filter_map(|n| types.iter().position(|u| u.name == n))
                .collect()
        })
        .collect();
    let mut reported = vec![false; types.len()];
    for start in 0..types.len() {
        if reported[start] {
            continue;
        }
        // Breadth-first from `start`, remembering how each type was reached.
        let mut came_from: Vec<Option<usize>> = vec![None; types.len()];
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        while let Some(t) = queue.pop_front() {
            if uses[t].contains(&start) {
                closing = Some(t);
                break;
            }
            for &u in &uses[t] {
                if u != start && came_from[u].is_none() {
                    came_from[u] = Some(t);
                    queue.push_back(u);
                }
            }
        }
        let Some(mut t) = closing else {
            continue;
        };
        let mut path = vec![start];
        while t != start {
            path.push(t);
            reported[t] = true;
            t = came_from[t].unwrap_or(start);
        }
        path[1..].reverse();
        path.push(start);
        let names: Vec<&str> = path.iter().map(|&i| types[i].name.as_str()).collect();
        p.push(
            Problem::new(
                &types[start].pointer,
                format!(
                    "type `{}` is built on itself: {}",
                    types[start].name,
                    names.join(" → ")
                ),
            )
            .at_key()
            .hint("PostgreSQL cannot create a type that contains itself, not even through an array or another type"),
        );
    }
}

/// [`unqualify`] for the types that composite fields and domains are built on.
pub(super) fn unqualify_type_uses(types: &mut [UserType], extensions: &[Extension]) {
    let declared = types.to_vec();
    for t in types.iter_mut() {
        match &mut t.kind {
            UserTypeKind::Composite(fields) => {
                for f in fields {
                    unqualify(&mut f.ty, &declared, extensions);
                }
            }
            UserTypeKind::Domain(d) => unqualify(&mut d.base, &declared, extensions),
            UserTypeKind::Enum(_) => {}
        }
    }
}

/// `app.mood` → `mood` when schema `app` holds a declared type or an
/// extension's type of that name; `pg_catalog.int4` → the built-in type.
/// Other qualified names stay as written and are reported as unknown.
pub(super) fn unqualify(ty: &mut PgType, types: &[UserType], extensions: &[Extension]) {
    let TypeRef::Named(name) = &ty.elem else {
        return;
    };
    let Some((schema, bare)) = name.split_once('.') else {
        return;
    };
    if schema == "pg_catalog" {
        if let Ok(parsed) = PgType::parse(bare) {
            ty.elem = parsed.ty.elem;
        }
        return;
    }
    let declared = types.iter().any(|t| t.schema == schema && t.name == bare);
    let from_extension = EXTENSION_TYPES.iter().any(|(ext, t)| {
        *t == bare
            && extensions
                .iter()
                .any(|e| e.name == *ext && e.schema == schema)
    });
    if declared || from_extension {
        ty.elem = TypeRef::Named(bare.to_owned());
    }
}

pub(super) fn parse_type(
    text: &str,
    ptr: &str,
    p: &mut Problems,
) -> Option<crate::schema::types::ParsedType> {
    match PgType::parse(text) {
        Ok(t) => Some(t),
        Err(TypeError::Unknown(name)) => {
            let mut prob = Problem::new(ptr, format!("unknown type `{name}`"));
            if let Some(s) = did_you_mean(&name, KNOWN_NAMES.iter().copied()) {
                prob = prob.hint(format!("did you mean `{s}`?"));
            }
            p.push(prob);
            None
        }
        Err(TypeError::BadModifier(why)) => {
            p.at(ptr, format!("invalid type `{text}`: {why}"));
            None
        }
    }
}

pub(super) fn show(t: &PgType) -> String {
    match &t.elem {
        TypeRef::Base(b) => b.to_string(),
        TypeRef::Named(n) => n.clone(),
    }
}
