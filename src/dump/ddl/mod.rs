//! Schema → TOC entries with the SQL text pg_dump 15 would write for the same
//! database (pg-dump-format.md §8): names schema-qualified and quoted only
//! when needed, CHECKs inline, keys and indexes after the data, foreign keys last.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::toc::{DumpId, Section, Toc, TocEntry};
use crate::pgtext::escape::{quoted_ident as q, sql_literal};
use crate::schema::types::{PgType, SerialKind, TypeRef};
use crate::schema::{
    FkAction, Identity, IndexKey, PartitionBound, PartitionStrategy, Schema, Table, UserTypeKind,
};

mod extensions;
mod post_data;

use extensions::EXTENSION_COMMENTS;
use post_data::post_data;

/// Inputs of TOC building that come from the plan.
#[derive(Debug, Clone)]
pub struct DdlInput<'a> {
    /// Final row count of each table.
    pub rows: &'a [u64],
    /// Table indices in data order (parents first).
    pub data_order: &'a [usize],
    /// Per table: a partitioned table whose partitions carry their own data
    /// (pgmock routes the rows), rather than loading through the parent.
    pub routed: &'a [bool],
    /// Per stand-alone sequence: the last value the data took from it, if any.
    pub sequence_values: &'a [Option<i64>],
    /// Write each column's PII label into its comment (`--pii-comments`).
    pub pii_comments: bool,
}

/// The comment of a column: its own, and with `pii_comments` its PII label on
/// a line of its own after it, so catalogs that show comments show the label.
fn column_comment(c: &crate::schema::Column, pii_comments: bool) -> Option<Cow<'_, str>> {
    match (c.comment.as_deref(), c.pii.filter(|_| pii_comments)) {
        (Some(own), Some(label)) => Some(Cow::Owned(format!("{own}\n{}", label.comment()))),
        (None, Some(label)) => Some(Cow::Owned(label.comment())),
        (own, None) => own.map(Cow::Borrowed),
    }
}

/// The partitions of table `ti` in the order pg_dump writes their data (by
/// schema and name); the data source slices unrouted rows in this order too.
#[must_use]
pub fn partitions_in_dump_order(schema: &Schema, ti: usize) -> Vec<usize> {
    let mut parts = schema.tables[ti].partitions.clone();
    parts.sort_by(|a, b| {
        let (a, b) = (&schema.tables[*a], &schema.tables[*b]);
        (&a.schema, &a.name).cmp(&(&b.schema, &b.name))
    });
    parts
}

fn qual(schema: &str, name: &str) -> String {
    format!("{}.{}", q(schema), q(name))
}

fn lit(s: &str) -> String {
    let mut out = Vec::new();
    sql_literal(&mut out, s.as_bytes());
    String::from_utf8_lossy(&out).into_owned()
}

/// The type name as pg_dump prints it in column definitions.
#[must_use]
pub fn type_sql(schema: &Schema, ty: &PgType) -> String {
    let mut s = match &ty.elem {
        TypeRef::Base(b) => b.to_string(),
        TypeRef::Named(n) => match schema.types.iter().find(|t| &t.name == n) {
            Some(t) => qual(&t.schema, &t.name),
            // Extension types live in the extension's schema.
            None => {
                let ext_schema = schema
                    .extensions
                    .iter()
                    .find(|e| e.name == *n)
                    .map_or("public", |e| e.schema.as_str());
                qual(ext_schema, n)
            }
        },
    };
    if ty.array_dims > 0 {
        s.push_str("[]");
    }
    s
}

struct Builder {
    entries: Vec<TocEntry>,
    owner: Option<String>,
}

impl Builder {
    fn add(&mut self, mut e: TocEntry) -> DumpId {
        let id = DumpId::try_from(self.entries.len() + 1).unwrap_or(DumpId::MAX);
        e.dump_id = id;
        self.entries.push(e);
        id
    }

    fn entry(
        &self,
        desc: &'static str,
        section: Section,
        namespace: Option<&str>,
        tag: impl Into<String>,
    ) -> TocEntry {
        TocEntry {
            dump_id: 0,
            desc,
            section,
            namespace: namespace.map(str::to_owned),
            tag: tag.into(),
            owner: None,
            defn: String::new(),
            drop_stmt: String::new(),
            copy_stmt: None,
            deps: Vec::new(),
            tablespace: None,
            tableam: None,
            data_table: None,
            table: None,
            owner_target: None,
        }
    }

    fn comment(
        &mut self,
        namespace: Option<&str>,
        tag: String,
        target: &str,
        text: &str,
        dep: DumpId,
        table: Option<usize>,
    ) {
        let mut e = self.entry("COMMENT", Section::None, namespace, tag);
        e.defn = format!("COMMENT ON {target} IS {};\n", lit(text));
        e.deps = vec![dep];
        e.owner.clone_from(&self.owner);
        e.table = table;
        self.add(e);
    }
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "",
        FkAction::Restrict => "RESTRICT",
        FkAction::Cascade => "CASCADE",
        FkAction::SetNull => "SET NULL",
        FkAction::SetDefault => "SET DEFAULT",
    }
}

/// The name of the sequence behind a serial or identity column.
fn owned_sequence(table: &Table, ci: usize) -> String {
    crate::schema::naming::object_name(&table.name, Some(&table.columns[ci].name), "seq")
}

/// Builds the whole TOC.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn build(schema: &Schema, input: &DdlInput<'_>) -> Toc {
    let owner = schema.database.owner.clone();
    let mut b = Builder {
        entries: Vec::new(),
        owner: owner.clone(),
    };
    let enc = &schema.database.encoding;
    let mut e = b.entry("ENCODING", Section::PreData, None, "ENCODING");
    e.defn = format!("SET client_encoding = '{enc}';\n");
    b.add(e);
    let mut e = b.entry("STDSTRINGS", Section::PreData, None, "STDSTRINGS");
    e.defn = "SET standard_conforming_strings = 'on';\n".into();
    b.add(e);
    let mut e = b.entry("SEARCHPATH", Section::PreData, None, "SEARCHPATH");
    e.defn = "SELECT pg_catalog.set_config('search_path', '', false);\n".into();
    b.add(e);
    let db = &schema.database.name;
    let mut e = b.entry("DATABASE", Section::PreData, None, db.clone());
    e.defn = format!(
        "CREATE DATABASE {} WITH TEMPLATE = template0 ENCODING = '{enc}';\n",
        q(db)
    );
    e.drop_stmt = format!("DROP DATABASE {};\n", q(db));
    e.owner.clone_from(&owner);
    e.owner_target = Some(format!("DATABASE {}", q(db)));
    b.add(e);

    // Schemas.
    let mut schema_ids: Vec<(String, DumpId)> = Vec::new();
    let mut schemas = schema.schemas.clone();
    schemas.sort();
    for s in &schemas {
        let mut e = b.entry("SCHEMA", Section::PreData, None, s.clone());
        e.defn = format!("CREATE SCHEMA {};\n", q(s));
        e.drop_stmt = format!("DROP SCHEMA {};\n", q(s));
        e.owner.clone_from(&owner);
        e.owner_target = Some(format!("SCHEMA {}", q(s)));
        let id = b.add(e);
        schema_ids.push((s.clone(), id));
    }
    let schema_dep = |s: &str| schema_ids.iter().find(|(n, _)| n == s).map(|(_, id)| *id);

    // Extensions.
    let mut exts: Vec<&crate::schema::Extension> = schema.extensions.iter().collect();
    exts.sort_by(|a, b| a.name.cmp(&b.name));
    for x in exts {
        let mut e = b.entry("EXTENSION", Section::PreData, None, x.name.clone());
        e.defn = format!(
            "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};\n",
            q(&x.name),
            q(&x.schema)
        );
        e.drop_stmt = format!("DROP EXTENSION {};\n", q(&x.name));
        e.deps.extend(schema_dep(&x.schema));
        let ext_id = b.add(e);
        // pg_dump follows each extension with its catalog comment; pgmock
        // knows those of the extensions PostgreSQL ships.
        if let Some((_, text)) = EXTENSION_COMMENTS.iter().find(|(n, _)| *n == x.name) {
            let mut c = b.entry(
                "COMMENT",
                Section::None,
                None,
                format!("EXTENSION {}", x.name),
            );
            c.defn = format!("COMMENT ON EXTENSION {} IS {};\n", q(&x.name), lit(text));
            c.deps = vec![ext_id];
            // pg_dump leaves the owner of these entries empty, not unset.
            c.owner = Some(String::new());
            b.add(c);
        }
    }

    let extension_ids: Vec<(String, DumpId)> = b
        .entries
        .iter()
        .filter(|e| e.desc == "EXTENSION")
        .map(|e| (e.tag.clone(), e.dump_id))
        .collect();
    // Types and domains, by (schema, name), each after the types it uses.
    let mut type_ids: Vec<(String, DumpId)> = Vec::new();
    for ti in type_order(&schema.types) {
        let t = &schema.types[ti];
        let name = qual(&t.schema, &t.name);
        let (desc, defn) = match &t.kind {
            UserTypeKind::Enum(labels) => {
                let items: Vec<String> = labels.iter().map(|l| format!("    {}", lit(l))).collect();
                (
                    "TYPE",
                    format!("CREATE TYPE {name} AS ENUM (\n{}\n);\n", items.join(",\n")),
                )
            }
            UserTypeKind::Composite(fields) => {
                let items: Vec<String> = fields
                    .iter()
                    .map(|f| format!("\t{} {}", q(&f.name), type_sql(schema, &f.ty)))
                    .collect();
                (
                    "TYPE",
                    format!("CREATE TYPE {name} AS (\n{}\n);\n", items.join(",\n")),
                )
            }
            UserTypeKind::Domain(d) => {
                let mut s = format!("CREATE DOMAIN {name} AS {}", type_sql(schema, &d.base));
                if d.not_null {
                    s.push_str(" NOT NULL");
                }
                if let Some(def) = &d.default {
                    let _ = write!(s, " DEFAULT {def}");
                }
                for c in &d.checks {
                    let _ = write!(s, "\n\tCONSTRAINT {} CHECK (({}))", q(&c.name), c.expr);
                }
                s.push_str(";\n");
                ("DOMAIN", s)
            }
        };
        let mut e = b.entry(desc, Section::PreData, Some(&t.schema), t.name.clone());
        e.defn = defn;
        e.drop_stmt = format!("DROP {desc} {name};\n");
        e.owner.clone_from(&owner);
        e.owner_target = Some(format!("{desc} {name}"));
        e.deps.extend(schema_dep(&t.schema));
        e.deps.extend(
            t.uses()
                .into_iter()
                .filter_map(|n| type_dep(&type_ids, &extension_ids, n)),
        );
        e.deps.sort_unstable();
        e.deps.dedup();
        let id = b.add(e);
        type_ids.push((t.name.clone(), id));
        if let Some(c) = &t.comment {
            b.comment(
                Some(&t.schema),
                format!("{desc} {}", q(&t.name)),
                &format!("{desc} {name}"),
                c,
                id,
                None,
            );
        }
    }

    // Tables and sequences, interleaved by (schema, name) as pg_dump sorts them.
    enum Obj<'a> {
        Table(usize),
        Seq(&'a crate::schema::Sequence),
        Owned(usize, usize),
    }
    let mut objs: Vec<(String, String, Obj<'_>)> = Vec::new();
    for (ti, t) in schema.tables.iter().enumerate() {
        objs.push((t.schema.clone(), t.name.clone(), Obj::Table(ti)));
        for (ci, c) in t.columns.iter().enumerate() {
            // A partition's identity is its partitioned table's: PostgreSQL 17
            // and newer refuse to attach a partition with one of its own, and
            // pg_dump writes none.
            let own_identity = c.identity.is_some() && t.partition_of.is_none();
            if c.serial.is_some() || own_identity {
                objs.push((t.schema.clone(), owned_sequence(t, ci), Obj::Owned(ti, ci)));
            }
        }
    }
    for s in &schema.sequences {
        objs.push((s.schema.clone(), s.name.clone(), Obj::Seq(s)));
    }
    // A sequence used in a column default must exist before the table (pg_dump
    // gets this from its dependency sort).
    let used_in_default = |name: &str| {
        schema
            .tables
            .iter()
            .flat_map(|t| &t.columns)
            .any(|c| c.default.as_deref().is_some_and(|d| d.contains(name)))
    };
    objs.sort_by_key(|o| {
        (
            !matches!(o.2, Obj::Seq(s) if used_in_default(&s.name)),
            o.0.clone(),
            o.1.clone(),
        )
    });
    let mut table_ids = vec![0; schema.tables.len()];
    // Tables first in a pass of their own so that owned sequences can depend on them.
    let mut seq_ids: Vec<(usize, usize, DumpId)> = Vec::new();
    let mut defaults: Vec<(usize, usize, DumpId)> = Vec::new();
    let mut standalone: Vec<(&crate::schema::Sequence, DumpId)> = Vec::new();
    let mut attach: Vec<usize> = Vec::new();
    for (_, _, obj) in &objs {
        match obj {
            Obj::Table(ti) => {
                let t = &schema.tables[*ti];
                let name = qual(&t.schema, &t.name);
                let mut lines: Vec<String> = Vec::new();
                for c in &t.columns {
                    let mut l = format!("    {} {}", q(&c.name), type_sql(schema, &c.ty));
                    if let Some(coll) = &c.collation {
                        let _ = write!(l, " COLLATE {}", q(coll));
                    }
                    if let Some(g) = &c.generated {
                        let _ = write!(l, " GENERATED ALWAYS AS (({g})) STORED");
                    } else if let Some(d) = &c.default {
                        let _ = write!(l, " DEFAULT {d}");
                    }
                    if !c.nullable {
                        l.push_str(" NOT NULL");
                    }
                    lines.push(l);
                }
                if t.partition_of.is_none() {
                    let mut checks: Vec<&crate::schema::Check> = t.checks.iter().collect();
                    checks.sort_by(|a, b| a.name.cmp(&b.name));
                    for c in checks {
                        lines.push(format!(
                            "    CONSTRAINT {} CHECK (({}))",
                            q(&c.name),
                            c.expr
                        ));
                    }
                }
                let mut defn = format!("CREATE TABLE {name} (\n{}\n)", lines.join(",\n"));
                if let Some(pb) = &t.partition_by {
                    let strategy = match pb.strategy {
                        PartitionStrategy::Range => "RANGE",
                        PartitionStrategy::List => "LIST",
                        PartitionStrategy::Hash => "HASH",
                    };
                    let cols: Vec<String> =
                        pb.columns.iter().map(|&c| q(&t.columns[c].name)).collect();
                    let _ = write!(defn, "\nPARTITION BY {strategy} ({})", cols.join(", "));
                }
                defn.push_str(";\n");
                let mut e = b.entry("TABLE", Section::PreData, Some(&t.schema), t.name.clone());
                e.defn = defn;
                e.drop_stmt = format!("DROP TABLE {name};\n");
                e.owner.clone_from(&owner);
                e.owner_target = Some(format!("TABLE {name}"));
                e.tablespace = Some(String::new());
                e.tableam = if t.partition_by.is_some() {
                    None
                } else {
                    Some("heap".into())
                };
                e.deps.extend(schema_dep(&t.schema));
                // The types of its columns, as pg_depend records them.
                e.deps
                    .extend(t.columns.iter().filter_map(|c| match &c.ty.elem {
                        TypeRef::Named(n) => type_dep(&type_ids, &extension_ids, n),
                        TypeRef::Base(_) => None,
                    }));
                e.deps.sort_unstable();
                e.deps.dedup();
                e.table = Some(*ti);
                let id = b.add(e);
                table_ids[*ti] = id;
                if let Some(c) = &t.comment {
                    b.comment(
                        Some(&t.schema),
                        format!("TABLE {}", q(&t.name)),
                        &format!("TABLE {name}"),
                        c,
                        id,
                        Some(*ti),
                    );
                }
                for c in &t.columns {
                    if let Some(text) = column_comment(c, input.pii_comments) {
                        if t.partition_of.is_none() {
                            b.comment(
                                Some(&t.schema),
                                format!("COLUMN {}.{}", q(&t.name), q(&c.name)),
                                &format!("COLUMN {name}.{}", q(&c.name)),
                                &text,
                                id,
                                Some(*ti),
                            );
                        }
                    }
                }
                if t.partition_of.is_some() {
                    attach.push(*ti);
                }
            }
            Obj::Owned(ti, ci) => {
                let t = &schema.tables[*ti];
                let c = &t.columns[*ci];
                let seq = owned_sequence(t, *ci);
                let qseq = qual(&t.schema, &seq);
                let mut e = b.entry("SEQUENCE", Section::PreData, Some(&t.schema), seq.clone());
                e.owner.clone_from(&owner);
                e.deps = vec![table_ids[*ti]];
                e.deps.extend(schema_dep(&t.schema));
                e.table = Some(*ti);
                if let Some(identity) = c.identity {
                    let kind = if identity == Identity::Always {
                        "ALWAYS"
                    } else {
                        "BY DEFAULT"
                    };
                    e.defn = format!(
                        "ALTER TABLE {} ALTER COLUMN {} ADD GENERATED {kind} AS IDENTITY (\n    SEQUENCE NAME {qseq}\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);\n",
                        qual(&t.schema, &t.name),
                        q(&c.name)
                    );
                    let id = b.add(e);
                    seq_ids.push((*ti, *ci, id));
                } else {
                    let as_type = match c.serial {
                        Some(SerialKind::Small) => "    AS smallint\n",
                        Some(SerialKind::Regular) => "    AS integer\n",
                        _ => "",
                    };
                    e.defn = format!("CREATE SEQUENCE {qseq}\n{as_type}    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n");
                    e.drop_stmt = format!("DROP SEQUENCE {qseq};\n");
                    e.owner_target = Some(format!("SEQUENCE {qseq}"));
                    let id = b.add(e);
                    seq_ids.push((*ti, *ci, id));
                    let mut o = b.entry(
                        "SEQUENCE OWNED BY",
                        Section::PreData,
                        Some(&t.schema),
                        seq.clone(),
                    );
                    o.defn = format!(
                        "ALTER SEQUENCE {qseq} OWNED BY {}.{};\n",
                        qual(&t.schema, &t.name),
                        q(&c.name)
                    );
                    o.deps = vec![id];
                    o.owner.clone_from(&owner);
                    o.table = Some(*ti);
                    b.add(o);
                    defaults.push((*ti, *ci, id));
                }
            }
            Obj::Seq(s) => {
                let qseq = qual(&s.schema, &s.name);
                let mut defn = format!(
                    "CREATE SEQUENCE {qseq}\n    START WITH {}\n    INCREMENT BY {}\n",
                    s.start, s.increment
                );
                defn.push_str(&s.min.map_or("    NO MINVALUE\n".into(), |m| {
                    format!("    MINVALUE {m}\n")
                }));
                defn.push_str(&s.max.map_or("    NO MAXVALUE\n".into(), |m| {
                    format!("    MAXVALUE {m}\n")
                }));
                defn.push_str("    CACHE 1");
                if s.cycle {
                    defn.push_str("\n    CYCLE");
                }
                defn.push_str(";\n");
                let mut e = b.entry(
                    "SEQUENCE",
                    Section::PreData,
                    Some(&s.schema),
                    s.name.clone(),
                );
                e.defn = defn;
                e.drop_stmt = format!("DROP SEQUENCE {qseq};\n");
                e.owner.clone_from(&owner);
                e.owner_target = Some(format!("SEQUENCE {qseq}"));
                e.deps.extend(schema_dep(&s.schema));
                let id = b.add(e);
                if let Some(c) = &s.comment {
                    b.comment(
                        Some(&s.schema),
                        format!("SEQUENCE {}", q(&s.name)),
                        &format!("SEQUENCE {qseq}"),
                        c,
                        id,
                        None,
                    );
                }
                standalone.push((s, id));
            }
        }
    }
    // Partition attachments.
    for ti in attach {
        let t = &schema.tables[ti];
        let Some((parent, bound)) = &t.partition_of else {
            continue;
        };
        let p = &schema.tables[*parent];
        let spec = match bound {
            PartitionBound::Range { from, to } => {
                let f: Vec<String> = from.iter().map(|v| bound_value(v)).collect();
                let tt: Vec<String> = to.iter().map(|v| bound_value(v)).collect();
                format!("FOR VALUES FROM ({}) TO ({})", f.join(", "), tt.join(", "))
            }
            PartitionBound::List(values) => format!(
                "FOR VALUES IN ({})",
                values
                    .iter()
                    .map(|v| bound_value(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            PartitionBound::Hash { modulus, remainder } => {
                format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})")
            }
            PartitionBound::Default => "DEFAULT".into(),
        };
        let mut e = b.entry(
            "TABLE ATTACH",
            Section::PreData,
            Some(&t.schema),
            t.name.clone(),
        );
        e.defn = format!(
            "ALTER TABLE ONLY {} ATTACH PARTITION {} {spec};\n",
            qual(&p.schema, &p.name),
            qual(&t.schema, &t.name)
        );
        e.deps = vec![table_ids[*parent], table_ids[ti]];
        e.owner.clone_from(&owner);
        e.table = Some(ti);
        b.add(e);
    }
    // Serial defaults, which must follow their sequence.
    defaults.sort_by(|a, b| {
        (&schema.tables[a.0].schema, &schema.tables[a.0].name, a.1).cmp(&(
            &schema.tables[b.0].schema,
            &schema.tables[b.0].name,
            b.1,
        ))
    });
    for (ti, ci, seq_id) in defaults {
        let t = &schema.tables[ti];
        let c = &t.columns[ci];
        let seq = qual(&t.schema, &owned_sequence(t, ci));
        let mut e = b.entry(
            "DEFAULT",
            Section::PreData,
            Some(&t.schema),
            format!("{} {}", t.name, c.name),
        );
        e.defn = format!(
            "ALTER TABLE ONLY {} ALTER COLUMN {} SET DEFAULT nextval({}::regclass);\n",
            qual(&t.schema, &t.name),
            q(&c.name),
            lit(&seq)
        );
        e.drop_stmt = format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT;\n",
            qual(&t.schema, &t.name),
            q(&c.name)
        );
        e.deps = vec![table_ids[ti], seq_id];
        e.owner.clone_from(&owner);
        e.table = Some(ti);
        b.add(e);
    }

    data(&mut b, schema, input, &table_ids, &seq_ids, &standalone);

    post_data(&mut b, schema, &table_ids);
    Toc {
        entries: b.entries,
        database: schema.database.name.clone(),
    }
}

/// Data: each table's TABLE DATA entries, parents first, then the values
/// the sequences continue from (SEQUENCE SET).
fn data(
    b: &mut Builder,
    schema: &Schema,
    input: &DdlInput<'_>,
    table_ids: &[DumpId],
    seq_ids: &[(usize, usize, DumpId)],
    standalone: &[(&crate::schema::Sequence, DumpId)],
) {
    let owner = b.owner.clone();
    // Data, parents first. A partitioned table's rows go to its partitions'
    // entries, as pg_dump writes them, which lets pg_restore -j load the
    // partitions in parallel. Where pgmock routes the rows, each entry holds
    // its partition's rows; where it cannot (a collation-ordered or enum
    // key), each holds a slice of the rows and loads them through the
    // partitioned table, as `pg_dump --load-via-partition-root` does: the
    // server routes them, and pg_restore knows from the `defn` marker not to
    // TRUNCATE ONLY before loading.
    for &ti in input.data_order {
        let parent = &schema.tables[ti];
        if parent.partition_of.is_some() {
            continue;
        }
        let targets = if parent.partitions.is_empty() {
            vec![ti]
        } else {
            partitions_in_dump_order(schema, ti)
        };
        let via_root =
            !parent.partitions.is_empty() && !input.routed.get(ti).copied().unwrap_or(false);
        for target in targets {
            let t = &schema.tables[target];
            let into = if via_root { parent } else { t };
            let name = qual(&into.schema, &into.name);
            let cols: Vec<String> = t
                .columns
                .iter()
                .filter(|c| c.in_copy())
                .map(|c| q(&c.name))
                .collect();
            let mut e = b.entry("TABLE DATA", Section::Data, Some(&t.schema), t.name.clone());
            if via_root {
                e.defn = format!("-- load via partition root {name}");
            }
            e.copy_stmt = Some(format!("COPY {name} ({}) FROM stdin;\n", cols.join(", ")));
            e.deps = vec![table_ids[target]];
            e.owner.clone_from(&owner);
            e.data_table = Some(target);
            e.table = Some(target);
            b.add(e);
        }
    }
    // Sequence values: owned sequences continue after the generated ids.
    let mut sets: Vec<(String, String, String, DumpId, Option<usize>)> = Vec::new();
    for (ti, _ci, id) in seq_ids {
        let t = &schema.tables[*ti];
        let rows = input.rows[*ti];
        let seq = owned_sequence(t, *_ci);
        let value = if rows == 0 {
            "1, false".to_owned()
        } else {
            format!("{rows}, true")
        };
        sets.push((
            t.schema.clone(),
            seq.clone(),
            format!(
                "SELECT pg_catalog.setval({}, {value});\n",
                lit(&qual(&t.schema, &seq))
            ),
            *id,
            Some(*ti),
        ));
    }
    for &(s, id) in standalone {
        // After the values column defaults took, the next call continues from there.
        let taken = schema
            .sequences
            .iter()
            .position(|x| x.schema == s.schema && x.name == s.name)
            .and_then(|i| input.sequence_values.get(i).copied().flatten());
        let value = match taken {
            Some(last) => format!("{last}, true"),
            None => format!("{}, false", s.start),
        };
        sets.push((
            s.schema.clone(),
            s.name.clone(),
            format!(
                "SELECT pg_catalog.setval({}, {value});\n",
                lit(&qual(&s.schema, &s.name))
            ),
            id,
            None,
        ));
    }
    sets.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (ns, name, defn, id, ti) in sets {
        let mut e = b.entry("SEQUENCE SET", Section::Data, Some(&ns), name);
        e.defn = defn;
        e.deps = vec![id];
        e.owner.clone_from(&owner);
        e.table = ti;
        b.add(e);
    }
}

/// The entry a use of the type `name` depends on: the user type's own entry,
/// or the extension that provides it.
fn type_dep(
    types: &[(String, DumpId)],
    extensions: &[(String, DumpId)],
    name: &str,
) -> Option<DumpId> {
    types
        .iter()
        .chain(extensions)
        .find(|(n, _)| n == name)
        .map(|(_, id)| *id)
}

/// User types in the order pg_dump creates them: sorted by (schema, name),
/// then each moved after the types it is built on. Like pg_dump's TopoSort,
/// the order is filled from the end, always taking the last type in sorted
/// order that no remaining type needs, so types without dependencies keep
/// their sorted places.
fn type_order(types: &[crate::schema::UserType]) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..types.len()).collect();
    sorted.sort_by(|&a, &b| {
        (&types[a].schema, &types[a].name).cmp(&(&types[b].schema, &types[b].name))
    });
    // deps[i]: positions in `sorted` of the types sorted[i] uses.
    let deps: Vec<Vec<usize>> = sorted
        .iter()
        .map(|&ti| {
            types[ti]
                .uses()
                .into_iter()
                .filter_map(|n| sorted.iter().position(|&tj| types[tj].name == n))
                .filter(|&pos| sorted[pos] != ti)
                .collect()
        })
        .collect();
    // needed_by[i]: how many not yet placed types use sorted[i].
    let mut needed_by = vec![0usize; sorted.len()];
    for d in deps.iter().flatten() {
        needed_by[*d] += 1;
    }
    let mut ready: std::collections::BinaryHeap<usize> =
        (0..sorted.len()).filter(|&i| needed_by[i] == 0).collect();
    let mut placed = vec![false; sorted.len()];
    let mut reversed: Vec<usize> = Vec::with_capacity(sorted.len());
    while let Some(i) = ready.pop() {
        placed[i] = true;
        reversed.push(sorted[i]);
        for &d in &deps[i] {
            needed_by[d] -= 1;
            if needed_by[d] == 0 {
                ready.push(d);
            }
        }
    }
    // A cycle (rejected when the schema is loaded) would leave types out:
    // they go first, in sorted order, rather than being lost.
    let mut order: Vec<usize> = (0..sorted.len())
        .filter(|&i| !placed[i])
        .map(|i| sorted[i])
        .collect();
    order.extend(reversed.into_iter().rev());
    order
}

/// A partition bound value: numbers and MINVALUE/MAXVALUE bare, the rest quoted.
fn bound_value(v: &str) -> String {
    let upper = v.to_ascii_uppercase();
    if upper == "MINVALUE" || upper == "MAXVALUE" || v.parse::<f64>().is_ok() {
        if upper.ends_with("VALUE") {
            upper
        } else {
            v.to_owned()
        }
    } else {
        lit(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toc(doc: &serde_json::Value) -> Toc {
        let schema = crate::schema::load(doc).unwrap_or_else(|p| panic!("{p:?}"));
        let n = schema.tables.len();
        let rows = vec![3; n];
        let order: Vec<usize> = (0..n).collect();
        build(
            &schema,
            &DdlInput {
                rows: &rows,
                data_order: &order,
                routed: &vec![false; n],
                sequence_values: &[],
                pii_comments: true,
            },
        )
    }

    fn id(toc: &Toc, desc: &str, tag: &str) -> DumpId {
        toc.entries
            .iter()
            .find(|e| e.desc == desc && e.tag == tag)
            .map_or_else(|| panic!("no {desc} {tag}"), |e| e.dump_id)
    }

    fn deps(toc: &Toc, desc: &str, tag: &str) -> Vec<DumpId> {
        let id = id(toc, desc, tag);
        toc.entries[id as usize - 1].deps.clone()
    }

    #[test]
    fn types_follow_the_types_they_use_and_depend_on_them() {
        let toc = toc(&serde_json::json!({
            "database": {"extensions": ["hstore"]},
            "types": {
                "zz_status": {"enum": ["a", "b"]},
                "yy_code": {"domain": "zz_status"},
                "xx_pair": {"composite": {"code": "yy_code", "tags": "hstore"}},
                "aa_outer": {"composite": {"pair": "xx_pair", "list": "zz_status[]"}},
                "mm_free": {"enum": ["x"]},
                "bb_wrap": {"schema": "app", "composite": {"o": "aa_outer"}}
            },
            "tables": {"t": {"columns": {"id": "integer", "o": "aa_outer", "w": "bb_wrap", "s": "zz_status[]"}}}
        }));
        let order: Vec<&str> = toc
            .entries
            .iter()
            .filter(|e| matches!(e.desc, "TYPE" | "DOMAIN"))
            .map(|e| e.tag.as_str())
            .collect();
        // Sorted by (schema, name) where nothing forces otherwise, as pg_dump's TopoSort does.
        assert_eq!(
            order,
            [
                "zz_status",
                "yy_code",
                "xx_pair",
                "aa_outer",
                "bb_wrap",
                "mm_free"
            ]
        );
        let (status, code, pair, outer, wrap) = (
            id(&toc, "TYPE", "zz_status"),
            id(&toc, "DOMAIN", "yy_code"),
            id(&toc, "TYPE", "xx_pair"),
            id(&toc, "TYPE", "aa_outer"),
            id(&toc, "TYPE", "bb_wrap"),
        );
        let (app, hstore) = (id(&toc, "SCHEMA", "app"), id(&toc, "EXTENSION", "hstore"));
        assert_eq!(deps(&toc, "DOMAIN", "yy_code"), [status]);
        assert_eq!(deps(&toc, "TYPE", "xx_pair"), [hstore, code]);
        assert_eq!(deps(&toc, "TYPE", "aa_outer"), [status, pair]);
        assert_eq!(deps(&toc, "TYPE", "bb_wrap"), [app, outer]);
        assert_eq!(deps(&toc, "TABLE", "t"), [status, outer, wrap]);
    }

    #[test]
    fn type_order_keeps_sorted_places_like_pg_dump() {
        let toc = toc(&serde_json::json!({
            "types": {
                "c_enum": {"enum": ["x"]},
                "a_comp": {"composite": {"v": "c_enum"}},
                "b_enum": {"enum": ["y"]}
            },
            "tables": {"t": {"columns": {"id": "integer"}}}
        }));
        let order: Vec<&str> = toc
            .entries
            .iter()
            .filter(|e| e.desc == "TYPE")
            .map(|e| e.tag.as_str())
            .collect();
        assert_eq!(order, ["c_enum", "a_comp", "b_enum"]);
    }

    #[test]
    fn known_extensions_get_their_comment_as_pg_dump_writes_it() {
        let toc = toc(&serde_json::json!({
            "database": {"extensions": ["pgcrypto", "postgis"]},
            "tables": {"t": {"columns": {"id": "integer"}}}
        }));
        let comment = toc
            .entries
            .iter()
            .find(|e| e.desc == "COMMENT" && e.tag == "EXTENSION pgcrypto")
            .expect("a COMMENT entry for pgcrypto");
        assert_eq!(
            comment.defn,
            "COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';\n"
        );
        assert_eq!(
            comment.owner.as_deref(),
            Some(""),
            "empty, as pg_dump leaves it"
        );
        assert_eq!(comment.deps, [id(&toc, "EXTENSION", "pgcrypto")]);
        assert!(
            !toc.entries.iter().any(|e| e.tag == "EXTENSION postgis"),
            "no comment is made up for extensions whose comment pgmock does not know"
        );
    }

    #[test]
    fn foreign_keys_to_partitioned_tables_wait_for_the_index_attachments() {
        let toc = toc(&serde_json::json!({"tables": {
            "events": {"columns": {"id": "bigint", "day": {"type": "date", "nullable": false}},
                "primary_key": ["id", "day"],
                "partition_by": {"strategy": "range", "columns": ["day"]},
                "partitions": {"e1": {"from": "2020-01-01", "to": "2023-01-01"}, "e2": {"from": "2023-01-01", "to": "2025-01-02"}}},
            "refs": {"columns": {"id": "integer", "event_id": "bigint", "event_day": "date"},
                "foreign_keys": [{"columns": ["event_id", "event_day"], "references": "events"}]}
        }}));
        assert_eq!(
            deps(&toc, "FK CONSTRAINT", "refs refs_event_id_event_day_fkey"),
            [
                id(&toc, "TABLE", "refs"),
                id(&toc, "TABLE", "events"),
                id(&toc, "CONSTRAINT", "events events_pkey"),
                id(&toc, "INDEX ATTACH", "e1_pkey"),
                id(&toc, "INDEX ATTACH", "e2_pkey"),
            ]
        );
    }

    #[test]
    fn pii_comments_follow_the_column_comment() {
        let toc = toc(&serde_json::json!({"tables": {"people": {"columns": {
            "id": "bigserial",
            "email": {"type": "text", "comment": "Work address.", "pii": {"level": "direct", "category": "contact"}},
            "zip": {"type": "text", "pii": "quasi"},
            "note": {"type": "text", "comment": "Free text."}
        }}}}));
        let comments: Vec<&str> = toc
            .entries
            .iter()
            .filter(|e| e.desc == "COMMENT")
            .map(|e| e.defn.as_str())
            .collect();
        assert_eq!(
            comments,
            [
                "COMMENT ON COLUMN public.people.email IS 'Work address.\nPII: direct (contact)';\n",
                "COMMENT ON COLUMN public.people.zip IS 'PII: quasi';\n",
                "COMMENT ON COLUMN public.people.note IS 'Free text.';\n",
            ]
        );
    }
}
