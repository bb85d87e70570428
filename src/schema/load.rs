//! Turns the project document (a `serde_json::Value`) into a typed [`Schema`].
//! This is the one place where user JSON becomes types; every problem found
//! is collected with its JSON pointer, so all mistakes are reported together.

use std::collections::HashMap;

use serde_json::Value;

use super::check::CheckExpr;
use super::model::{
    Check, Column, Database, Domain, Extension, Field, FkAction, ForeignKey, GeneratorSpec,
    Identity, Index, KeyConstraint, Naming, PartitionBound, PartitionBy, PartitionStrategy,
    RowCount, Schema, Sequence, Table, UserType, UserTypeKind,
};
use super::naming::{expand, object_name, unique_name};
use super::reader::{describe, kind, strings_at, Obj, Problems};
use super::types::{PgType, TypeError, TypeRef, KNOWN_NAMES};
use crate::diagnostic::did_you_mean;
use crate::error::Problem;
use crate::source_map::child;

const TOP_KEYS: &[&str] = &[
    "$schema",
    "database",
    "seed",
    "null_ratio",
    "naming",
    "types",
    "sequences",
    "tables",
    "templates",
    "overrides",
    "patches",
    "include",
];
const RESERVED: &[&str] = &["templates", "overrides", "patches", "include"];
const DATABASE_KEYS: &[&str] = &[
    "name",
    "owner",
    "encoding",
    "schema",
    "schemas",
    "extensions",
];
const NAMING_KEYS: &[&str] = &["primary_key", "foreign_key", "infer_foreign_keys"];
const TYPE_KEYS: &[&str] = &[
    "enum",
    "composite",
    "domain",
    "schema",
    "comment",
    "not_null",
    "default",
    "check",
    "checks",
];
const SEQUENCE_KEYS: &[&str] = &[
    "schema",
    "start",
    "increment",
    "min",
    "max",
    "cycle",
    "comment",
];
const TABLE_KEYS: &[&str] = &[
    "schema",
    "rows",
    "fixed",
    "comment",
    "columns",
    "primary_key",
    "unique",
    "checks",
    "foreign_keys",
    "indexes",
    "partition_by",
    "partitions",
];
const COLUMN_KEYS: &[&str] = &[
    "type",
    "nullable",
    "default",
    "primary_key",
    "unique",
    "references",
    "on_delete",
    "on_update",
    "deferrable",
    "initially_deferred",
    "check",
    "identity",
    "generated",
    "collation",
    "comment",
    "generator",
    "null_ratio",
];
const FK_KEYS: &[&str] = &[
    "name",
    "columns",
    "references",
    "on_delete",
    "on_update",
    "deferrable",
    "initially_deferred",
];
const REF_KEYS: &[&str] = &["table", "columns", "column", "schema"];
const KEY_KEYS: &[&str] = &["name", "columns"];
const CHECK_KEYS: &[&str] = &["name", "expr"];
const INDEX_KEYS: &[&str] = &["name", "columns", "unique", "method", "where"];
const PARTITION_KEYS: &[&str] = &[
    "from",
    "to",
    "in",
    "modulus",
    "remainder",
    "default",
    "comment",
];
const PARTITION_BY_KEYS: &[&str] = &["strategy", "columns"];
const EXTENSION_KEYS: &[&str] = &["name", "schema"];
const ROWS_KEYS: &[&str] = &["per", "min", "max"];
const INDEX_METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin", "spgist"];
/// Types that extensions provide, by extension.
const EXTENSION_TYPES: &[(&str, &str)] = &[
    ("citext", "citext"),
    ("hstore", "hstore"),
    ("ltree", "ltree"),
];

/// Loads a project document into a schema, or returns every problem found.
pub fn load(doc: &Value) -> Result<Schema, Vec<Problem>> {
    let mut problems = Problems::default();
    let schema = Loader::default().run(doc, &mut problems);
    match schema {
        Some(s) if problems.0.is_empty() => Ok(s),
        _ => Err(problems.0),
    }
}

#[derive(Default)]
struct Loader {
    default_schema: String,
    /// `schema.name` and bare `name` → table index.
    table_index: HashMap<String, usize>,
}

struct PendingFk {
    table: usize,
    pointer: String,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    name: Option<String>,
    on_delete: FkAction,
    on_update: FkAction,
    deferrable: bool,
    initially_deferred: bool,
}

impl Loader {
    fn run(mut self, doc: &Value, p: &mut Problems) -> Option<Schema> {
        let top = Obj::new(doc, "", TOP_KEYS, "the project file", p)?;
        for key in RESERVED {
            if top.get(key).is_some() {
                p.push(
                    Problem::new(top.ptr(key), format!("`{key}` is reserved for template composition, which is not supported yet"))
                        .at_key()
                        .hint("declare tables directly under `tables` for now"),
                );
            }
        }
        let seed = match top.get("seed") {
            None => 0,
            Some(v) => v.as_u64().unwrap_or_else(|| {
                p.at(
                    "/seed",
                    format!("`seed` must be a whole number ≥ 0, found {}", describe(v)),
                );
                0
            }),
        };
        let null_ratio = top.ratio("null_ratio", p).unwrap_or(0.0);

        let mut database = Database {
            name: "pgmock".into(),
            owner: None,
            encoding: "UTF8".into(),
            default_schema: "public".into(),
        };
        let mut extensions = Vec::new();
        let mut schemas: Vec<String> = Vec::new();
        if let Some(db) = top
            .get("database")
            .and_then(|v| Obj::new(v, "/database", DATABASE_KEYS, "`database`", p))
        {
            if let Some(name) = db.string("name", p) {
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
                {
                    p.at(
                        &db.ptr("name"),
                        format!(
                            "database name `{name}` must use only letters, digits, `_` and `.`"
                        ),
                    );
                }
                database.name = name;
            }
            database.owner = db.opt_string("owner", p);
            if let Some(enc) = db.string("encoding", p) {
                let norm = enc.to_ascii_uppercase().replace('-', "");
                if norm != "UTF8" {
                    p.push(
                        Problem::new(db.ptr("encoding"), format!("unsupported encoding `{enc}`"))
                            .hint("pgmock writes UTF8 dumps"),
                    );
                }
            }
            if let Some(s) = db.string("schema", p) {
                database.default_schema = s;
            }
            if let Some(list) = db.strings("schemas", p) {
                schemas.extend(list);
            }
            if let Some(v) = db.get("extensions") {
                extensions = self.extensions(v, &db.ptr("extensions"), &database.default_schema, p);
            }
        }
        self.default_schema = database.default_schema.clone();

        let mut naming = Naming {
            primary_key: "id".into(),
            foreign_key: "{table_singular}_id".into(),
            infer_foreign_keys: false,
        };
        if let Some(n) = top
            .get("naming")
            .and_then(|v| Obj::new(v, "/naming", NAMING_KEYS, "`naming`", p))
        {
            if let Some(s) = n.string("primary_key", p) {
                naming.primary_key = s;
            }
            if let Some(s) = n.string("foreign_key", p) {
                naming.foreign_key = s;
            }
            naming.infer_foreign_keys = n.bool("infer_foreign_keys", p).unwrap_or(false);
        }

        let types = top
            .get("types")
            .map(|v| self.types(v, p))
            .unwrap_or_default();
        let sequences = top
            .get("sequences")
            .map(|v| self.sequences(v, p))
            .unwrap_or_default();

        let mut tables = Vec::new();
        let mut pending = Vec::new();
        match top.get("tables") {
            Some(Value::Object(map)) => {
                self.index_tables(map);
                for (name, value) in map {
                    self.table(
                        name,
                        value,
                        &child("/tables", name),
                        &mut tables,
                        &mut pending,
                        p,
                    );
                }
            }
            Some(other) => p.at(
                "/tables",
                format!(
                    "`tables` must be an object keyed by table name, found {}",
                    kind(other)
                ),
            ),
            None => p.push(
                Problem::new("", "the project declares no tables")
                    .hint("add `\"tables\": { \"name\": { \"columns\": { ... } } }`"),
            ),
        }

        self.resolve_types(&mut tables, &types, &extensions, p);
        self.resolve_fks(&mut tables, pending, p);
        if naming.infer_foreign_keys {
            infer_fks(&mut tables, &naming);
        }
        for table in &tables {
            if !schemas.contains(&table.schema) {
                schemas.push(table.schema.clone());
            }
        }
        for t in &types {
            if t.schema != "public" && !schemas.contains(&t.schema) {
                schemas.push(t.schema.clone());
            }
        }
        for s in &sequences {
            if s.schema != "public" && !schemas.contains(&s.schema) {
                schemas.push(s.schema.clone());
            }
        }
        schemas.retain(|s| s != "public");
        Some(Schema {
            database,
            seed,
            null_ratio,
            naming,
            extensions,
            schemas,
            types,
            sequences,
            tables,
        })
    }

    fn extensions(
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

    fn types(&self, v: &Value, p: &mut Problems) -> Vec<UserType> {
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
        for (name, value) in map {
            let ptr = child("/types", name);
            let Some(o) = Obj::new(value, &ptr, TYPE_KEYS, &format!("type `{name}`"), p) else {
                continue;
            };
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
                name: name.clone(),
                schema,
                kind,
                comment,
                pointer: ptr,
            });
        }
        out
    }

    fn sequences(&self, v: &Value, p: &mut Problems) -> Vec<Sequence> {
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
        for (name, value) in map {
            let ptr = child("/sequences", name);
            let Some(o) = Obj::new(value, &ptr, SEQUENCE_KEYS, &format!("sequence `{name}`"), p)
            else {
                continue;
            };
            let increment = o.i64("increment", p).unwrap_or(1);
            if increment == 0 {
                p.at(&o.ptr("increment"), "`increment` must not be zero");
            }
            out.push(Sequence {
                name: name.clone(),
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

    fn index_tables(&mut self, map: &serde_json::Map<String, Value>) {
        let mut next = 0usize;
        for (name, value) in map {
            let schema = value
                .get("schema")
                .and_then(Value::as_str)
                .unwrap_or(&self.default_schema)
                .to_owned();
            self.table_index.insert(format!("{schema}.{name}"), next);
            self.table_index.entry(name.clone()).or_insert(next);
            next += 1;
            if let Some(Value::Object(parts)) = value.get("partitions") {
                for part in parts.keys() {
                    self.table_index.insert(format!("{schema}.{part}"), next);
                    self.table_index.entry(part.clone()).or_insert(next);
                    next += 1;
                }
            }
        }
    }

    fn lookup_table(&self, name: &str) -> Option<usize> {
        self.table_index.get(name).copied()
    }

    #[allow(clippy::too_many_lines)]
    fn table(
        &self,
        name: &str,
        value: &Value,
        ptr: &str,
        tables: &mut Vec<Table>,
        pending: &mut Vec<PendingFk>,
        p: &mut Problems,
    ) {
        let index = tables.len();
        let Some(o) = Obj::new(value, ptr, TABLE_KEYS, &format!("table `{name}`"), p) else {
            // Keep indexes aligned with `index_tables` even for broken entries.
            tables.push(empty_table(name, &self.default_schema, ptr));
            if let Some(Value::Object(parts)) = value.get("partitions") {
                for part in parts.keys() {
                    tables.push(empty_table(part, &self.default_schema, ptr));
                }
            }
            return;
        };
        let schema = o
            .string("schema", p)
            .unwrap_or_else(|| self.default_schema.clone());
        if name.is_empty() {
            p.push(Problem::new(ptr, "table names must not be empty").at_key());
        }
        let rows = self.rows(&o, p);
        let mut table = Table {
            name: name.to_owned(),
            schema: schema.clone(),
            rows,
            fixed: o.bool("fixed", p).unwrap_or(false),
            comment: o.string("comment", p),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            partition_by: None,
            partitions: Vec::new(),
            partition_of: None,
            pointer: ptr.to_owned(),
        };
        let mut pk_cols: Vec<(String, String)> = Vec::new();
        let mut unique_cols: Vec<(String, String)> = Vec::new();
        let mut column_checks: Vec<(String, String, String)> = Vec::new();
        match o.get("columns") {
            Some(Value::Object(cols)) => {
                if cols.is_empty() {
                    p.at(&o.ptr("columns"), format!("table `{name}` has no columns"));
                }
                for (cname, cval) in cols {
                    let cptr = child(&o.ptr("columns"), cname);
                    if let Some(col) = self.column(
                        index,
                        cname,
                        cval,
                        &cptr,
                        &mut pk_cols,
                        &mut unique_cols,
                        &mut column_checks,
                        pending,
                        p,
                    ) {
                        table.columns.push(col);
                    }
                }
            }
            Some(other) => p.at(
                &o.ptr("columns"),
                format!(
                    "`columns` must be an object keyed by column name, found {}",
                    kind(other)
                ),
            ),
            None => p.push(
                Problem::new(ptr, format!("table `{name}` has no `columns`"))
                    .hint("add `\"columns\": { \"id\": \"bigint\" }`"),
            ),
        }

        // Primary key: column flags or the table-level list, not both.
        let mut taken: Vec<String> = Vec::new();
        let table_pk = o
            .get("primary_key")
            .and_then(|v| self.key_spec(v, &o.ptr("primary_key"), "primary_key", p));
        if let Some((kname, cols, kptr)) = table_pk {
            if !pk_cols.is_empty() {
                p.at(&kptr, format!("table `{name}` declares its primary key both on columns and in `primary_key`"));
            }
            let cname = kname.unwrap_or_else(|| object_name(name, None, "pkey"));
            table.primary_key = self.key_constraint(&table, cname, &cols, &kptr, p);
        } else if !pk_cols.is_empty() {
            let cols: Vec<String> = pk_cols.iter().map(|(c, _)| c.clone()).collect();
            table.primary_key = self.key_constraint(
                &table,
                object_name(name, None, "pkey"),
                &cols,
                &pk_cols[0].1,
                p,
            );
        }
        if let Some(pk) = &table.primary_key {
            taken.push(pk.name.clone());
            for &c in &pk.columns {
                table.columns[c].nullable = false;
            }
        }
        for (col, cptr) in unique_cols {
            let cname = unique_name(name, Some(&col), "key", &taken);
            taken.push(cname.clone());
            if let Some(k) = self.key_constraint(&table, cname, &[col], &cptr, p) {
                table.uniques.push(k);
            }
        }
        if let Some(v) = o.get("unique") {
            let uptr = o.ptr("unique");
            match v {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let iptr = child(&uptr, &i.to_string());
                        if let Some((kname, cols, kptr)) = self.key_spec(item, &iptr, "unique", p) {
                            let cname = kname.unwrap_or_else(|| {
                                unique_name(name, Some(&cols.join("_")), "key", &taken)
                            });
                            taken.push(cname.clone());
                            if let Some(k) = self.key_constraint(&table, cname, &cols, &kptr, p) {
                                table.uniques.push(k);
                            }
                        }
                    }
                }
                other => p.at(
                    &uptr,
                    format!(
                        "`unique` must be a list of column lists, found {}",
                        kind(other)
                    ),
                ),
            }
        }

        // CHECK constraints, column-level first (pg_dump prints them sorted by name anyway).
        for (col, expr, cptr) in column_checks {
            let cname = unique_name(name, Some(&col), "check", &taken);
            taken.push(cname.clone());
            table.checks.push(Check {
                name: cname,
                parsed: CheckExpr::parse(&expr),
                expr,
                pointer: cptr,
            });
        }
        if let Some(v) = o.get("checks") {
            let cptr = o.ptr("checks");
            if let Value::Array(items) = v {
                for (i, item) in items.iter().enumerate() {
                    let iptr = child(&cptr, &i.to_string());
                    let (cname, expr) = match item {
                        Value::String(s) => (None, s.clone()),
                        _ => {
                            let Some(c) = Obj::new(item, &iptr, CHECK_KEYS, "a check", p) else {
                                continue;
                            };
                            let Some(expr) = c.string("expr", p) else {
                                p.at(&iptr, "a check needs an `expr`");
                                continue;
                            };
                            (c.string("name", p), expr)
                        }
                    };
                    let parsed = CheckExpr::parse(&expr);
                    // PostgreSQL names a check after its column when it mentions exactly one.
                    let cname = cname.unwrap_or_else(|| {
                        let mut cols: Vec<&str> =
                            parsed.as_ref().map(CheckExpr::columns).unwrap_or_default();
                        cols.dedup();
                        let single = if cols.len() == 1 { Some(cols[0]) } else { None };
                        unique_name(name, single, "check", &taken)
                    });
                    taken.push(cname.clone());
                    table.checks.push(Check {
                        name: cname,
                        parsed,
                        expr,
                        pointer: iptr,
                    });
                }
            } else {
                p.at(&cptr, format!("`checks` must be a list, found {}", kind(v)));
            }
        }
        for check in &table.checks {
            if let Some(parsed) = &check.parsed {
                for col in parsed.columns() {
                    if table.column(col).is_none() {
                        let mut prob = Problem::new(
                            &check.pointer,
                            format!("check `{}` mentions unknown column `{col}`", check.name),
                        );
                        if let Some(s) =
                            did_you_mean(col, table.columns.iter().map(|c| c.name.as_str()))
                        {
                            prob = prob.hint(format!("did you mean `{s}`?"));
                        }
                        p.push(prob);
                    }
                }
            }
        }

        if let Some(v) = o.get("foreign_keys") {
            self.table_fks(index, v, &o.ptr("foreign_keys"), pending, p);
        }
        if let Some(v) = o.get("indexes") {
            table.indexes = self.indexes(&table, v, &o.ptr("indexes"), &mut taken, p);
        }
        if let Some(v) = o.get("partition_by") {
            table.partition_by = self.partition_by(&table, v, &o.ptr("partition_by"), p);
        }
        let partitions = match o.get("partitions") {
            Some(Value::Object(parts)) => {
                if table.partition_by.is_none() {
                    p.push(
                        Problem::new(
                            o.ptr("partitions"),
                            format!("table `{name}` has `partitions` but no `partition_by`"),
                        )
                        .at_key(),
                    );
                }
                parts.iter().collect::<Vec<_>>()
            }
            Some(other) => {
                p.at(
                    &o.ptr("partitions"),
                    format!(
                        "`partitions` must be an object keyed by partition name, found {}",
                        kind(other)
                    ),
                );
                Vec::new()
            }
            None => Vec::new(),
        };
        if table.partition_by.is_some() && partitions.is_empty() {
            p.push(
                Problem::new(
                    ptr,
                    format!("partitioned table `{name}` has no `partitions`"),
                )
                .hint("rows of a partitioned table must land in a partition"),
            );
        }
        tables.push(table);
        for (pname, pval) in partitions {
            let pptr = child(&o.ptr("partitions"), pname);
            let bound = tables[index].partition_by.as_ref().and_then(|pb| {
                self.partition_bound(
                    pb.strategy,
                    tables[index]
                        .partition_by
                        .as_ref()
                        .map_or(0, |pb| pb.columns.len()),
                    pval,
                    &pptr,
                    p,
                )
            });
            let parent = &tables[index];
            let comment = pval
                .get("comment")
                .and_then(Value::as_str)
                .map(str::to_owned);
            // Partitions have no rows of their own: data goes through the parent.
            let part = Table {
                comment,
                columns: parent.columns.clone(),
                partition_of: bound.map(|b| (index, b)),
                ..empty_table(pname, &parent.schema, &pptr)
            };
            let part_index = tables.len();
            tables[index].partitions.push(part_index);
            tables.push(part);
        }
    }

    fn rows(&self, o: &Obj<'_>, p: &mut Problems) -> RowCount {
        let Some(v) = o.get("rows") else {
            return RowCount::Exact(100);
        };
        let ptr = o.ptr("rows");
        match v {
            Value::Number(_) => match v.as_u64() {
                Some(n) => RowCount::Exact(n),
                None => {
                    p.at(
                        &ptr,
                        format!("`rows` must be a whole number ≥ 0, found {}", describe(v)),
                    );
                    RowCount::Exact(0)
                }
            },
            Value::Object(_) => {
                let Some(r) = Obj::new(v, &ptr, ROWS_KEYS, "`rows`", p) else {
                    return RowCount::Exact(0);
                };
                let Some(per) = r.string("per", p) else {
                    p.push(
                        Problem::new(
                            &ptr,
                            "`rows` as an object needs `per`: the table whose rows it multiplies",
                        )
                        .hint("e.g. `\"rows\": {\"per\": \"customers\", \"min\": 0, \"max\": 10}`"),
                    );
                    return RowCount::Exact(0);
                };
                let min = r.u64("min", p).unwrap_or(1);
                let max = r.u64("max", p).unwrap_or(min.max(1));
                if min > max {
                    p.at(
                        &r.ptr("min"),
                        format!("`min` ({min}) is larger than `max` ({max})"),
                    );
                }
                match self.lookup_table(&per) {
                    Some(parent) => RowCount::PerParent {
                        parent,
                        min,
                        max: max.max(min),
                    },
                    None => {
                        let mut prob = Problem::new(
                            r.ptr("per"),
                            format!("`per` names unknown table `{per}`"),
                        );
                        if let Some(s) =
                            did_you_mean(&per, self.table_index.keys().map(String::as_str))
                        {
                            prob = prob.hint(format!("did you mean `{s}`?"));
                        }
                        p.push(prob);
                        RowCount::Exact(0)
                    }
                }
            }
            other => {
                p.at(
                    &ptr,
                    format!(
                        "`rows` must be a number or an object with `per`, found {}",
                        kind(other)
                    ),
                );
                RowCount::Exact(0)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn column(
        &self,
        table: usize,
        name: &str,
        value: &Value,
        ptr: &str,
        pk_cols: &mut Vec<(String, String)>,
        unique_cols: &mut Vec<(String, String)>,
        checks: &mut Vec<(String, String, String)>,
        pending: &mut Vec<PendingFk>,
        p: &mut Problems,
    ) -> Option<Column> {
        if let Value::String(ty) = value {
            let parsed = parse_type(ty, ptr, p)?;
            return Some(Column {
                name: name.to_owned(),
                ty: parsed.ty,
                nullable: parsed.serial.is_none(),
                default: None,
                identity: None,
                serial: parsed.serial,
                generated: None,
                collation: None,
                comment: None,
                generator: None,
                null_ratio: None,
                pointer: ptr.to_owned(),
            });
        }
        let o = Obj::new(value, ptr, COLUMN_KEYS, &format!("column `{name}`"), p)?;
        let Some(ty_text) = o.string("type", p) else {
            if o.get("type").is_none() {
                p.push(
                    Problem::new(ptr, format!("column `{name}` has no `type`"))
                        .hint("add e.g. `\"type\": \"text\"`"),
                );
            }
            return None;
        };
        let parsed = parse_type(&ty_text, &o.ptr("type"), p)?;
        let identity = match o.string("identity", p).as_deref() {
            None => None,
            Some("always") => Some(Identity::Always),
            Some("by default" | "by_default") => Some(Identity::ByDefault),
            Some(other) => {
                p.push(
                    Problem::new(
                        o.ptr("identity"),
                        format!("unknown identity kind `{other}`"),
                    )
                    .hint("use `always` or `by default`"),
                );
                None
            }
        };
        if identity.is_some()
            && !matches!(
                parsed.ty.base_elem(),
                Some(
                    super::types::BaseType::SmallInt
                        | super::types::BaseType::Integer
                        | super::types::BaseType::BigInt
                )
            )
            || identity.is_some() && parsed.ty.array_dims > 0
        {
            p.at(
                &o.ptr("identity"),
                "identity columns must be smallint, integer or bigint",
            );
        }
        if identity.is_some() && parsed.serial.is_some() {
            p.at(
                &o.ptr("identity"),
                "a column cannot be both serial and identity",
            );
        }
        let is_pk = o.bool("primary_key", p).unwrap_or(false);
        if is_pk {
            pk_cols.push((name.to_owned(), o.ptr("primary_key")));
        }
        if o.bool("unique", p).unwrap_or(false) {
            unique_cols.push((name.to_owned(), o.ptr("unique")));
        }
        if let Some(c) = o.string("check", p) {
            checks.push((name.to_owned(), c, o.ptr("check")));
        }
        let implied_not_null = is_pk || identity.is_some() || parsed.serial.is_some();
        let nullable = match o.bool("nullable", p) {
            Some(true) if implied_not_null => {
                p.at(&o.ptr("nullable"), format!("column `{name}` cannot be nullable: it is a primary key, identity or serial column"));
                false
            }
            Some(n) => n,
            None => !implied_not_null,
        };
        let generated = o.string("generated", p);
        if generated.is_some()
            && (o.get("default").is_some() || identity.is_some() || parsed.serial.is_some())
        {
            p.at(
                &o.ptr("generated"),
                "a generated column cannot also have a default, identity or serial",
            );
        }
        if generated.is_some() && o.get("generator").is_some() {
            p.push(
                Problem::new(
                    o.ptr("generator"),
                    "a generated column's values come from the server, so it takes no `generator`",
                )
                .at_key(),
            );
        }
        let fk_keys = ["on_delete", "on_update", "deferrable", "initially_deferred"];
        if let Some(r) = o.get("references") {
            let (ref_table, ref_columns) = self.reference(r, &o.ptr("references"), p)?;
            pending.push(PendingFk {
                table,
                pointer: o.ptr("references"),
                columns: vec![name.to_owned()],
                ref_table,
                ref_columns,
                name: None,
                on_delete: action(&o, "on_delete", p),
                on_update: action(&o, "on_update", p),
                deferrable: o.bool("deferrable", p).unwrap_or(false),
                initially_deferred: o.bool("initially_deferred", p).unwrap_or(false),
            });
        } else {
            for k in fk_keys {
                if o.get(k).is_some() {
                    p.push(
                        Problem::new(
                            o.ptr(k),
                            format!("`{k}` only applies together with `references`"),
                        )
                        .at_key(),
                    );
                }
            }
        }
        let generator = o
            .get("generator")
            .and_then(|g| generator_spec(g, &o.ptr("generator"), p));
        Some(Column {
            name: name.to_owned(),
            ty: parsed.ty,
            nullable,
            default: o.string("default", p),
            identity,
            serial: parsed.serial,
            generated,
            collation: o.string("collation", p),
            comment: o.string("comment", p),
            generator,
            null_ratio: o.ratio("null_ratio", p),
            pointer: ptr.to_owned(),
        })
    }

    /// `"customers"`, `"customers.id"`, `"app.customers.id"` or `{table, column(s)}`.
    fn reference(&self, v: &Value, ptr: &str, p: &mut Problems) -> Option<(String, Vec<String>)> {
        match v {
            Value::String(s) => {
                let parts: Vec<&str> = s.split('.').collect();
                match parts.as_slice() {
                    [t] => Some(((*t).to_owned(), Vec::new())),
                    [t, c]
                        if self.lookup_table(&format!("{t}.{c}")).is_some()
                            && self.lookup_table(t).is_none() =>
                    {
                        Some((format!("{t}.{c}"), Vec::new()))
                    }
                    [t, c] => Some(((*t).to_owned(), vec![(*c).to_owned()])),
                    [s, t, c] => Some((format!("{s}.{t}"), vec![(*c).to_owned()])),
                    _ => {
                        p.at(
                            ptr,
                            format!(
                                "cannot read reference `{s}`; expected `table` or `table.column`"
                            ),
                        );
                        None
                    }
                }
            }
            _ => {
                let o = Obj::new(v, ptr, REF_KEYS, "a reference", p)?;
                let table = o.string("table", p);
                let Some(table) = table else {
                    p.at(ptr, "a reference needs a `table`");
                    return None;
                };
                let table = match o.string("schema", p) {
                    Some(s) => format!("{s}.{table}"),
                    None => table,
                };
                let mut cols = o.strings("columns", p).unwrap_or_default();
                if let Some(c) = o.string("column", p) {
                    cols.push(c);
                }
                Some((table, cols))
            }
        }
    }

    fn table_fks(
        &self,
        table: usize,
        v: &Value,
        ptr: &str,
        pending: &mut Vec<PendingFk>,
        p: &mut Problems,
    ) {
        let Value::Array(items) = v else {
            p.at(
                ptr,
                format!("`foreign_keys` must be a list, found {}", kind(v)),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let iptr = child(ptr, &i.to_string());
            let Some(o) = Obj::new(item, &iptr, FK_KEYS, "a foreign key", p) else {
                continue;
            };
            let Some(columns) = o.strings("columns", p) else {
                p.at(&iptr, "a foreign key needs `columns`");
                continue;
            };
            let Some(r) = o.get("references") else {
                p.at(&iptr, "a foreign key needs `references`");
                continue;
            };
            let Some((ref_table, ref_columns)) = self.reference(r, &o.ptr("references"), p) else {
                continue;
            };
            pending.push(PendingFk {
                table,
                pointer: iptr.clone(),
                columns,
                ref_table,
                ref_columns,
                name: o.string("name", p),
                on_delete: action(&o, "on_delete", p),
                on_update: action(&o, "on_update", p),
                deferrable: o.bool("deferrable", p).unwrap_or(false),
                initially_deferred: o.bool("initially_deferred", p).unwrap_or(false),
            });
        }
    }

    /// `["a", "b"]` or `{"name": .., "columns": [..]}`.
    fn key_spec(
        &self,
        v: &Value,
        ptr: &str,
        what: &str,
        p: &mut Problems,
    ) -> Option<(Option<String>, Vec<String>, String)> {
        match v {
            Value::String(_) | Value::Array(_) => {
                let cols = strings_at(v, ptr, what, p)?;
                if cols.is_empty() {
                    p.at(ptr, format!("`{what}` lists no columns"));
                    return None;
                }
                Some((None, cols, ptr.to_owned()))
            }
            _ => {
                let o = Obj::new(v, ptr, KEY_KEYS, &format!("`{what}`"), p)?;
                let cols = o.strings("columns", p).unwrap_or_default();
                if cols.is_empty() {
                    p.at(ptr, format!("`{what}` lists no columns"));
                    return None;
                }
                Some((o.string("name", p), cols, ptr.to_owned()))
            }
        }
    }

    fn key_constraint(
        &self,
        table: &Table,
        name: String,
        cols: &[String],
        ptr: &str,
        p: &mut Problems,
    ) -> Option<KeyConstraint> {
        let mut idx = Vec::new();
        for c in cols {
            match table.column(c) {
                Some(i) if idx.contains(&i) => p.at(ptr, format!("column `{c}` is listed twice")),
                Some(i) => idx.push(i),
                None => {
                    let mut prob = Problem::new(
                        ptr,
                        format!(
                            "key `{name}` names unknown column `{c}` of table `{}`",
                            table.name
                        ),
                    );
                    if let Some(s) = did_you_mean(c, table.columns.iter().map(|c| c.name.as_str()))
                    {
                        prob = prob.hint(format!("did you mean `{s}`?"));
                    }
                    p.push(prob);
                }
            }
        }
        (idx.len() == cols.len()).then(|| KeyConstraint {
            name,
            columns: idx,
            pointer: ptr.to_owned(),
        })
    }

    fn indexes(
        &self,
        table: &Table,
        v: &Value,
        ptr: &str,
        taken: &mut Vec<String>,
        p: &mut Problems,
    ) -> Vec<Index> {
        let Value::Array(items) = v else {
            p.at(ptr, format!("`indexes` must be a list, found {}", kind(v)));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let iptr = child(ptr, &i.to_string());
            let Some(o) = Obj::new(item, &iptr, INDEX_KEYS, "an index", p) else {
                continue;
            };
            let keys = o.strings("columns", p).unwrap_or_default();
            if keys.is_empty() {
                p.at(
                    &iptr,
                    "an index needs `columns` (column names or expressions)",
                );
                continue;
            }
            for key in &keys {
                let word = key.split_whitespace().next().unwrap_or("");
                let bare = !word.contains('(') && !word.starts_with('"');
                if bare && table.column(word).is_none() {
                    let mut prob = Problem::new(
                        o.ptr("columns"),
                        format!("index column `{word}` is not a column of `{}`", table.name),
                    );
                    if let Some(s) =
                        did_you_mean(word, table.columns.iter().map(|c| c.name.as_str()))
                    {
                        prob = prob.hint(format!(
                            "did you mean `{s}`? (expressions go in parentheses: `(lower(email))`)"
                        ));
                    }
                    p.push(prob);
                }
            }
            let method = o.string("method", p).unwrap_or_else(|| "btree".into());
            if !INDEX_METHODS.contains(&method.as_str()) {
                let mut prob =
                    Problem::new(o.ptr("method"), format!("unknown index method `{method}`"));
                if let Some(s) = did_you_mean(&method, INDEX_METHODS.iter().copied()) {
                    prob = prob.hint(format!("did you mean `{s}`?"));
                }
                p.push(prob);
            }
            let name = o.string("name", p).unwrap_or_else(|| {
                let first = keys[0].split_whitespace().next().unwrap_or("expr");
                let label = if first.contains('(') {
                    first
                        .trim_start_matches('(')
                        .split('(')
                        .next()
                        .unwrap_or("expr")
                        .to_owned()
                } else {
                    keys.iter()
                        .map(|k| k.split_whitespace().next().unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join("_")
                };
                unique_name(&table.name, Some(&label), "idx", taken)
            });
            taken.push(name.clone());
            out.push(Index {
                name,
                unique: o.bool("unique", p).unwrap_or(false),
                method,
                keys,
                predicate: o.string("where", p),
                pointer: iptr,
            });
        }
        out
    }

    fn partition_by(
        &self,
        table: &Table,
        v: &Value,
        ptr: &str,
        p: &mut Problems,
    ) -> Option<PartitionBy> {
        let o = Obj::new(v, ptr, PARTITION_BY_KEYS, "`partition_by`", p)?;
        let strategy = match o.string("strategy", p)?.to_ascii_lowercase().as_str() {
            "range" => PartitionStrategy::Range,
            "list" => PartitionStrategy::List,
            "hash" => PartitionStrategy::Hash,
            other => {
                p.push(
                    Problem::new(
                        o.ptr("strategy"),
                        format!("unknown partition strategy `{other}`"),
                    )
                    .hint("use `range`, `list` or `hash`"),
                );
                return None;
            }
        };
        let names = o.strings("columns", p)?;
        let mut columns = Vec::new();
        for n in &names {
            match table.column(n) {
                Some(i) => columns.push(i),
                None => p.at(
                    &o.ptr("columns"),
                    format!("partition key `{n}` is not a column of `{}`", table.name),
                ),
            }
        }
        if columns.is_empty() || columns.len() != names.len() {
            return None;
        }
        if strategy == PartitionStrategy::List && columns.len() != 1 {
            p.at(
                &o.ptr("columns"),
                "list partitioning takes exactly one column",
            );
        }
        Some(PartitionBy { strategy, columns })
    }

    fn partition_bound(
        &self,
        strategy: PartitionStrategy,
        ncols: usize,
        v: &Value,
        ptr: &str,
        p: &mut Problems,
    ) -> Option<PartitionBound> {
        let o = Obj::new(v, ptr, PARTITION_KEYS, "a partition", p)?;
        if o.bool("default", p).unwrap_or(false) {
            if strategy == PartitionStrategy::Hash {
                p.at(
                    ptr,
                    "a hash-partitioned table cannot have a default partition",
                );
            }
            return Some(PartitionBound::Default);
        }
        let values = |key: &str, p: &mut Problems| -> Option<Vec<String>> {
            match o.get(key)? {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .map(|i| match i {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                ),
                Value::String(s) => Some(vec![s.clone()]),
                Value::Number(n) => Some(vec![n.to_string()]),
                other => {
                    p.at(
                        &o.ptr(key),
                        format!("`{key}` must be a list of values, found {}", kind(other)),
                    );
                    None
                }
            }
        };
        match strategy {
            PartitionStrategy::Range => {
                let (Some(from), Some(to)) = (values("from", p), values("to", p)) else {
                    p.push(Problem::new(
                        ptr,
                        "a range partition needs `from` and `to` (or `\"default\": true`)",
                    ));
                    return None;
                };
                if from.len() != ncols || to.len() != ncols {
                    p.at(
                        ptr,
                        format!(
                            "`from` and `to` need one value per partition key column ({ncols})"
                        ),
                    );
                    return None;
                }
                Some(PartitionBound::Range { from, to })
            }
            PartitionStrategy::List => match values("in", p) {
                Some(v) if !v.is_empty() => Some(PartitionBound::List(v)),
                _ => {
                    p.push(Problem::new(
                        ptr,
                        "a list partition needs `in` (or `\"default\": true`)",
                    ));
                    None
                }
            },
            PartitionStrategy::Hash => {
                let (Some(modulus), Some(remainder)) = (o.u64("modulus", p), o.u64("remainder", p))
                else {
                    p.push(Problem::new(
                        ptr,
                        "a hash partition needs `modulus` and `remainder`",
                    ));
                    return None;
                };
                if modulus == 0 || remainder >= modulus || modulus > u64::from(u32::MAX) {
                    p.at(ptr, "hash partitions need 0 ≤ remainder < modulus");
                    return None;
                }
                Some(PartitionBound::Hash {
                    modulus: modulus as u32,
                    remainder: remainder as u32,
                })
            }
        }
    }

    fn resolve_types(
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
        report_type_cycles(types, p);
    }

    fn resolve_fks(&self, tables: &mut [Table], pending: Vec<PendingFk>, p: &mut Problems) {
        let mut taken: Vec<Vec<String>> = tables.iter().map(constraint_names).collect();
        for fk in pending {
            let Some(ref_table) = self.lookup_table(&fk.ref_table) else {
                let mut prob = Problem::new(
                    &fk.pointer,
                    format!("foreign key references unknown table `{}`", fk.ref_table),
                );
                if let Some(s) =
                    did_you_mean(&fk.ref_table, self.table_index.keys().map(String::as_str))
                {
                    prob = prob.hint(format!("did you mean `{s}`?"));
                }
                p.push(prob);
                continue;
            };
            let target = &tables[ref_table];
            let ref_columns: Vec<usize> = if fk.ref_columns.is_empty() {
                match &target.primary_key {
                    Some(pk) => pk.columns.clone(),
                    None => {
                        p.push(
                            Problem::new(
                                &fk.pointer,
                                format!("table `{}` has no primary key to reference", target.name),
                            )
                            .hint("name the referenced column: `table.column`"),
                        );
                        continue;
                    }
                }
            } else {
                let mut out = Vec::new();
                for c in &fk.ref_columns {
                    match target.column(c) {
                        Some(i) => out.push(i),
                        None => {
                            let mut prob = Problem::new(
                                &fk.pointer,
                                format!(
                                    "foreign key references unknown column `{c}` of table `{}`",
                                    target.name
                                ),
                            );
                            if let Some(s) =
                                did_you_mean(c, target.columns.iter().map(|c| c.name.as_str()))
                            {
                                prob = prob.hint(format!("did you mean `{s}`?"));
                            }
                            p.push(prob);
                        }
                    }
                }
                if out.len() != fk.ref_columns.len() {
                    continue;
                }
                out
            };
            let is_key = target
                .primary_key
                .iter()
                .chain(&target.uniques)
                .any(|k| same_set(&k.columns, &ref_columns));
            if !is_key {
                let names: Vec<&str> = ref_columns
                    .iter()
                    .map(|&c| target.columns[c].name.as_str())
                    .collect();
                p.push(Problem::new(&fk.pointer, format!("referenced columns ({}) of `{}` are not its primary key or a unique constraint", names.join(", "), target.name)).hint("PostgreSQL requires a primary key or unique constraint on the referenced columns"));
                continue;
            }
            let table = &tables[fk.table];
            let mut columns = Vec::new();
            for c in &fk.columns {
                match table.column(c) {
                    Some(i) => columns.push(i),
                    None => p.at(
                        &fk.pointer,
                        format!(
                            "foreign key names unknown column `{c}` of table `{}`",
                            table.name
                        ),
                    ),
                }
            }
            if columns.len() != fk.columns.len() {
                continue;
            }
            if columns.len() != ref_columns.len() {
                p.at(
                    &fk.pointer,
                    format!(
                        "foreign key has {} column(s) but references {}",
                        columns.len(),
                        ref_columns.len()
                    ),
                );
                continue;
            }
            for (&c, &r) in columns.iter().zip(&ref_columns) {
                let (a, b) = (&table.columns[c].ty, &tables[ref_table].columns[r].ty);
                if !compatible(a, b) {
                    p.at(
                        &fk.pointer,
                        format!(
                            "column `{}` ({}) cannot reference `{}` ({})",
                            table.columns[c].name,
                            show(a),
                            tables[ref_table].columns[r].name,
                            show(b)
                        ),
                    );
                }
            }
            let name = fk.name.unwrap_or_else(|| {
                let cols: Vec<&str> = columns
                    .iter()
                    .map(|&c| tables[fk.table].columns[c].name.as_str())
                    .collect();
                unique_name(
                    &tables[fk.table].name,
                    Some(&cols.join("_")),
                    "fkey",
                    &taken[fk.table],
                )
            });
            taken[fk.table].push(name.clone());
            tables[fk.table].foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_table,
                ref_columns,
                on_delete: fk.on_delete,
                on_update: fk.on_update,
                deferrable: fk.deferrable || fk.initially_deferred,
                initially_deferred: fk.initially_deferred,
                pointer: fk.pointer,
            });
        }
    }
}

fn constraint_names(t: &Table) -> Vec<String> {
    t.primary_key
        .iter()
        .chain(&t.uniques)
        .map(|k| k.name.clone())
        .chain(t.checks.iter().map(|c| c.name.clone()))
        .collect()
}

fn same_set(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

fn show(t: &PgType) -> String {
    match &t.elem {
        TypeRef::Base(b) => b.to_string(),
        TypeRef::Named(n) => n.clone(),
    }
}

/// Whether a referencing column type can hold the referenced column's values.
fn compatible(a: &PgType, b: &PgType) -> bool {
    use super::types::BaseType as B;
    if a.array_dims != b.array_dims {
        return false;
    }
    match (&a.elem, &b.elem) {
        (TypeRef::Base(x), TypeRef::Base(y)) => {
            let int = |t: &B| matches!(t, B::SmallInt | B::Integer | B::BigInt);
            let text = |t: &B| matches!(t, B::Text | B::Varchar(_) | B::Char(_));
            (int(x) && int(y))
                || (text(x) && text(y))
                || std::mem::discriminant(x) == std::mem::discriminant(y)
        }
        (TypeRef::Named(x), TypeRef::Named(y)) => x == y,
        _ => false,
    }
}

fn infer_fks(tables: &mut [Table], naming: &Naming) {
    let targets: Vec<(String, usize, usize)> = tables
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let pk = t.primary_key.as_ref()?;
            (pk.columns.len() == 1 && t.partition_of.is_none())
                .then(|| (expand(&naming.foreign_key, &t.name), i, pk.columns[0]))
        })
        .collect();
    for ti in 0..tables.len() {
        if tables[ti].partition_of.is_some() {
            continue;
        }
        for ci in 0..tables[ti].columns.len() {
            let already = tables[ti]
                .foreign_keys
                .iter()
                .any(|f| f.columns.contains(&ci));
            let is_own_pk = tables[ti]
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns == [ci]);
            if already || is_own_pk || tables[ti].columns[ci].generator.is_some() {
                continue;
            }
            let cname = tables[ti].columns[ci].name.clone();
            let Some(&(_, target, tcol)) = targets.iter().find(|(pattern, _, _)| *pattern == cname)
            else {
                continue;
            };
            if !compatible(&tables[ti].columns[ci].ty, &tables[target].columns[tcol].ty) {
                continue;
            }
            let taken = constraint_names(&tables[ti])
                .into_iter()
                .chain(tables[ti].foreign_keys.iter().map(|f| f.name.clone()))
                .collect::<Vec<_>>();
            let name = unique_name(&tables[ti].name, Some(&cname), "fkey", &taken);
            let pointer = tables[ti].columns[ci].pointer.clone();
            tables[ti].foreign_keys.push(ForeignKey {
                name,
                columns: vec![ci],
                ref_table: target,
                ref_columns: vec![tcol],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
                deferrable: false,
                initially_deferred: false,
                pointer,
            });
        }
    }
}

fn empty_table(name: &str, schema: &str, ptr: &str) -> Table {
    Table {
        name: name.to_owned(),
        schema: schema.to_owned(),
        rows: RowCount::Exact(0),
        fixed: true,
        comment: None,
        columns: Vec::new(),
        primary_key: None,
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        partition_by: None,
        partitions: Vec::new(),
        partition_of: None,
        pointer: ptr.to_owned(),
    }
}

fn action(o: &Obj<'_>, key: &str, p: &mut Problems) -> FkAction {
    match o
        .string(key, p)
        .map(|s| s.to_ascii_lowercase().replace('_', " "))
        .as_deref()
    {
        None | Some("no action") => FkAction::NoAction,
        Some("restrict") => FkAction::Restrict,
        Some("cascade") => FkAction::Cascade,
        Some("set null") => FkAction::SetNull,
        Some("set default") => FkAction::SetDefault,
        Some(other) => {
            p.push(
                Problem::new(o.ptr(key), format!("unknown action `{other}`"))
                    .hint("use `cascade`, `restrict`, `set null`, `set default` or `no action`"),
            );
            FkAction::NoAction
        }
    }
}

/// Reports each type that contains itself through composite fields or domain bases
/// (`a` has a field of type `a[]`, or domain `a` is over domain `b` over `a`), once per
/// cycle. PostgreSQL refuses to create them, and generating a value would never end.
fn report_type_cycles(types: &[UserType], p: &mut Problems) {
    let uses = |t: &UserType| -> Vec<usize> {
        let inner: Vec<&PgType> = match &t.kind {
            UserTypeKind::Composite(fields) => fields.iter().map(|f| &f.ty).collect(),
            UserTypeKind::Domain(d) => vec![&d.base],
            UserTypeKind::Enum(_) => Vec::new(),
        };
        inner
            .into_iter()
            .filter_map(|ty| match &ty.elem {
                TypeRef::Named(name) => types.iter().position(|u| &u.name == name),
                TypeRef::Base(_) => None,
            })
            .collect()
    };
    for (start, t) in types.iter().enumerate() {
        // Depth-first search for a way back to `start`, keeping the path for the message.
        let mut path = vec![start];
        let mut pending = vec![uses(t)];
        let mut seen = vec![false; types.len()];
        while let Some(next) = pending.last_mut().and_then(Vec::pop) {
            if next == start {
                // Report the cycle at its first-declared type only.
                if path.iter().all(|&i| i >= start) {
                    let names: Vec<&str> = path
                        .iter()
                        .chain([&start])
                        .map(|&i| types[i].name.as_str())
                        .collect();
                    p.push(
                        Problem::new(
                            &t.pointer,
                            format!("type `{}` contains itself: {}", t.name, names.join(" → ")),
                        )
                        .hint(
                            "break the cycle; PostgreSQL cannot create a type that contains itself",
                        ),
                    );
                }
                break;
            }
            if !seen[next] {
                seen[next] = true;
                path.push(next);
                pending.push(uses(&types[next]));
            }
            while pending.last().is_some_and(Vec::is_empty) && path.len() > 1 {
                pending.pop();
                path.pop();
            }
        }
    }
}

/// `app.mood` → `mood` when schema `app` holds a declared type or an
/// extension's type of that name; `pg_catalog.int4` → the built-in type.
/// Other qualified names stay as written and are reported as unknown.
fn unqualify(ty: &mut PgType, types: &[UserType], extensions: &[Extension]) {
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

fn parse_type(text: &str, ptr: &str, p: &mut Problems) -> Option<super::types::ParsedType> {
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

fn generator_spec(v: &Value, ptr: &str, p: &mut Problems) -> Option<GeneratorSpec> {
    match v {
        Value::String(kind) => Some(GeneratorSpec {
            kind: kind.clone(),
            options: serde_json::Map::new(),
            pointer: ptr.to_owned(),
        }),
        Value::Object(map) => {
            let Some(kind) = map.get("kind").and_then(Value::as_str) else {
                p.push(
                    Problem::new(ptr, "a generator needs a `kind`")
                        .hint("e.g. `{\"kind\": \"uniform\", \"min\": 1, \"max\": 100}`"),
                );
                return None;
            };
            let mut options = map.clone();
            options.remove("kind");
            Some(GeneratorSpec {
                kind: kind.to_owned(),
                options,
                pointer: ptr.to_owned(),
            })
        }
        other => {
            p.at(
                ptr,
                format!(
                    "`generator` must be a kind name or an object with `kind`, found {}",
                    kind(other)
                ),
            );
            None
        }
    }
}
