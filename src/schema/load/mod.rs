//! Turns the project document (a `serde_json::Value`) into a typed [`Schema`].
//! This is the one place where user JSON becomes types; every problem found
//! is collected with its JSON pointer, so all mistakes are reported together.

use std::collections::HashMap;

use serde_json::Value;

use super::check::CheckExpr;
use super::index_key;
use super::model::{
    Check, Column, Database, Domain, Extension, Field, FkAction, ForeignKey, GeneratorSpec,
    Identity, Index, IndexKey, KeyConstraint, Naming, PartitionBound, PartitionBy,
    PartitionStrategy, RowCount, Schema, Seed, Sequence, Table, UserType, UserTypeKind,
};
use super::naming::{expand, object_name, unique_name};
use super::reader::{describe, kind, strings_at, Obj, Problems};
use super::types::{PgType, TypeError, TypeRef, KNOWN_NAMES};
use crate::diagnostic::did_you_mean;
use crate::error::Problem;
use crate::source_map::child;

// One file per part of the document; they share the `Loader` and its helpers.
mod expressions;
mod generators;
mod limits;
mod partitions;
mod pii;
mod references;
mod tables;
mod user_types;

use partitions::keys_hold_partition_columns;
use references::{action, infer_fks};
use tables::{constraint_names, same_set};
use user_types::{parse_type, show, unqualify_type_uses};

/// The keys of a project document, once the template stage has resolved it.
const TOP_KEYS: &[&str] = crate::template::DOCUMENT_KEYS;
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
    "name",
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
    "name",
    "schema",
    "start",
    "increment",
    "min",
    "max",
    "cycle",
    "comment",
];
const TABLE_KEYS: &[&str] = &[
    "name",
    "schema",
    "rows",
    "fixed",
    "locale",
    "null_ratio",
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
    "derive",
    "template",
    "aggregate",
    "when",
    "from",
    "after",
    "before",
    "distribution",
    "null_ratio",
    "locale",
    "pii",
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
const ROWS_KEYS: &[&str] = &["per", "min", "max", "distribution", "mean"];
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
    limits::no_nul(doc, &mut problems);
    let schema = Loader::default().run(doc, &mut problems);
    if let Some(s) = &schema {
        limits::name_lengths(s, &mut problems);
        expressions::check(s, &mut problems);
    }
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
        let seed = top.get("seed").map_or_else(Seed::default, |v| seed(v, p));
        let null_ratio = top.ratio("null_ratio", p).unwrap_or(0.0);
        let locale = top.locale("locale", p);

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

        let mut types = top
            .get("types")
            .map(|v| self.types(v, p))
            .unwrap_or_default();
        unqualify_type_uses(&mut types, &extensions);
        let sequences = top
            .get("sequences")
            .map(|v| self.sequences(v, p))
            .unwrap_or_default();

        let generators = top
            .get("generators")
            .map(|v| generators::generators(v, p))
            .unwrap_or_default();
        let mut tables = Vec::new();
        let mut pending = Vec::new();
        match top.get("tables") {
            Some(Value::Object(map)) => {
                self.index_tables(map);
                for (key, value) in map {
                    self.table(
                        sql_name(key, value),
                        value,
                        &child("/tables", key),
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
        keys_hold_partition_columns(&tables, p);
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
            locale,
            naming,
            extensions,
            schemas,
            types,
            sequences,
            tables,
            generators,
        })
    }

    fn index_tables(&mut self, map: &serde_json::Map<String, Value>) {
        let mut next = 0usize;
        for (key, value) in map {
            let name = sql_name(key, value);
            let schema = value
                .get("schema")
                .and_then(Value::as_str)
                .unwrap_or(&self.default_schema)
                .to_owned();
            self.table_index.insert(format!("{schema}.{name}"), next);
            self.table_index.entry(name.to_owned()).or_insert(next);
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
}

/// The project's `seed`: a whole number, or text with the meaning `--seed` gives it.
fn seed(v: &Value, p: &mut Problems) -> Seed {
    let problem = match v {
        Value::String(s) if s == "random" => Problem::new("/seed", "a project's `seed` cannot be `random`")
            .hint("a project file describes one dataset; pick a new one per run with `pgmock generate --seed random`"),
        Value::String(s) => match Seed::from_text(s) {
            Some(seed) => return seed,
            None => Problem::new("/seed", "`seed` is blank")
                .hint("give a whole number or some text (`\"seed\": \"alice@school.edu\"`), or leave `seed` out for 0"),
        },
        _ => match v.as_u64() {
            Some(n) => return Seed::Number(n),
            None => Problem::new(
                "/seed",
                format!("`seed` must be a whole number ≥ 0 or text, found {}", describe(v)),
            )
            .hint("e.g. `\"seed\": 42` or `\"seed\": \"alice@school.edu\"` (text is hashed to a seed)"),
        },
    };
    p.push(problem);
    Seed::default()
}

/// The SQL name of a table, type or sequence: its `name` when it has one
/// (templates placed in a schema are keyed `schema.name`), else its key.
fn sql_name<'a>(key: &'a str, value: &'a Value) -> &'a str {
    value.get("name").and_then(Value::as_str).unwrap_or(key)
}
