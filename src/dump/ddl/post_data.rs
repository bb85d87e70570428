//! The post-data section: keys, indexes, their attachments to partitioned
//! tables' indexes, and foreign keys.

use super::*;

/// Post-data: keys, then indexes, then partition index attachments, then
/// foreign keys; each group by (schema, name). A partitioned table gets
/// its keys and indexes ON ONLY itself, each partition its own, and INDEX
/// ATTACH entries join them, as pg_dump writes them.
#[allow(clippy::too_many_lines)]
pub(super) fn post_data(b: &mut Builder, schema: &Schema, table_ids: &[DumpId]) {
    let owner = b.owner.clone();
    let only = |t: &Table| {
        if t.partition_by.is_some() {
            ""
        } else {
            "ONLY "
        }
    };
    let mut taken: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
    taken.extend(schema.sequences.iter().map(|s| s.name.clone()));
    for t in &schema.tables {
        taken.extend(
            t.primary_key
                .iter()
                .chain(&t.uniques)
                .map(|k| k.name.clone()),
        );
        taken.extend(t.indexes.iter().map(|i| i.name.clone()));
    }
    let leaves = |t: &Table| {
        let mut v = t.partitions.clone();
        v.sort_by(|a, b| schema.tables[*a].name.cmp(&schema.tables[*b].name));
        v
    };
    // (parent index name, partition index name, schema, deps without ids yet)
    let mut attach: Vec<(usize, usize, String, String)> = Vec::new();
    let mut keys: Vec<(String, String, TocEntry, Vec<usize>, bool)> = Vec::new();
    for (ti, t) in schema.tables.iter().enumerate() {
        if t.partition_of.is_some() {
            continue;
        }
        for (k, kind) in t
            .primary_key
            .iter()
            .map(|k| (k, "PRIMARY KEY"))
            .chain(t.uniques.iter().map(|k| (k, "UNIQUE")))
        {
            let cols: Vec<String> = k.columns.iter().map(|&c| q(&t.columns[c].name)).collect();
            let mut targets = vec![(ti, k.name.clone())];
            for leaf in leaves(t) {
                let l = &schema.tables[leaf];
                let name = if kind == "PRIMARY KEY" {
                    crate::schema::naming::unique_name(&l.name, None, "pkey", &taken)
                } else {
                    let addition: Vec<&str> = k
                        .columns
                        .iter()
                        .map(|&c| t.columns[c].name.as_str())
                        .collect();
                    crate::schema::naming::unique_name(
                        &l.name,
                        Some(&addition.join("_")),
                        "key",
                        &taken,
                    )
                };
                taken.push(name.clone());
                attach.push((ti, leaf, k.name.clone(), name.clone()));
                targets.push((leaf, name));
            }
            for (target, cname) in targets {
                let tt = &schema.tables[target];
                let name = qual(&tt.schema, &tt.name);
                let mut e = b.entry(
                    "CONSTRAINT",
                    Section::PostData,
                    Some(&tt.schema),
                    format!("{} {cname}", tt.name),
                );
                e.defn = format!(
                    "ALTER TABLE ONLY {name}\n    ADD CONSTRAINT {} {kind} ({});\n",
                    q(&cname),
                    cols.join(", ")
                );
                e.drop_stmt = format!("ALTER TABLE ONLY {name} DROP CONSTRAINT {};\n", q(&cname));
                e.deps = vec![table_ids[target]];
                e.tablespace = Some(String::new());
                e.owner.clone_from(&owner);
                e.table = Some(target);
                keys.push((tt.schema.clone(), cname, e, k.columns.clone(), target == ti));
            }
        }
    }
    keys.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut key_dump_ids: Vec<(usize, Vec<usize>, DumpId)> = Vec::new();
    let mut index_ids: Vec<(String, String, DumpId)> = Vec::new();
    for (ns, name, e, cols, own) in keys {
        let ti = e.table.unwrap_or(0);
        let id = b.add(e);
        if own {
            key_dump_ids.push((ti, cols, id));
        }
        index_ids.push((ns, name, id));
    }
    let mut idx: Vec<(String, String, TocEntry)> = Vec::new();
    for (ti, t) in schema.tables.iter().enumerate() {
        for i in &t.indexes {
            let mut targets = vec![(ti, i.name.clone())];
            for leaf in leaves(t) {
                let l = &schema.tables[leaf];
                let addition: Vec<&str> = i
                    .parsed
                    .iter()
                    .map(|k| match k {
                        IndexKey::Column { column, .. } => t.columns[*column].name.as_str(),
                        IndexKey::Expression(text) => expression_label(text),
                    })
                    .collect();
                let name = crate::schema::naming::unique_name(
                    &l.name,
                    Some(&addition.join("_")),
                    "idx",
                    &taken,
                );
                taken.push(name.clone());
                attach.push((ti, leaf, i.name.clone(), name.clone()));
                targets.push((leaf, name));
            }
            let keys: Vec<String> = i
                .parsed
                .iter()
                .map(|k| match k {
                    IndexKey::Column { column, options } => {
                        format!("{}{options}", q(&t.columns[*column].name))
                    }
                    IndexKey::Expression(e) => e.clone(),
                })
                .collect();
            for (target, iname) in targets {
                let tt = &schema.tables[target];
                let mut s = format!(
                    "CREATE {}INDEX {} ON {}{} USING {} ({})",
                    if i.unique { "UNIQUE " } else { "" },
                    q(&iname),
                    if tt.partition_by.is_some() {
                        "ONLY "
                    } else {
                        ""
                    },
                    qual(&tt.schema, &tt.name),
                    i.method,
                    keys.join(", ")
                );
                if let Some(w) = &i.predicate {
                    let _ = write!(s, " WHERE ({w})");
                }
                s.push_str(";\n");
                let mut e = b.entry("INDEX", Section::PostData, Some(&tt.schema), iname.clone());
                e.defn = s;
                e.drop_stmt = format!("DROP INDEX {};\n", qual(&tt.schema, &iname));
                e.deps = vec![table_ids[target]];
                e.tablespace = Some(String::new());
                e.owner.clone_from(&owner);
                e.table = Some(target);
                idx.push((tt.schema.clone(), iname, e));
            }
        }
    }
    idx.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (ns, name, e) in idx {
        let id = b.add(e);
        index_ids.push((ns, name, id));
    }
    let id_of = |ns: &str, name: &str| {
        index_ids
            .iter()
            .find(|(n, i, _)| n == ns && i == name)
            .map(|(_, _, id)| *id)
    };
    let mut attachments: Vec<(String, String, TocEntry, usize, String)> = Vec::new();
    for (parent, leaf, parent_index, leaf_index) in attach {
        let (p, l) = (&schema.tables[parent], &schema.tables[leaf]);
        let mut e = b.entry(
            "INDEX ATTACH",
            Section::PostData,
            Some(&l.schema),
            leaf_index.clone(),
        );
        e.defn = format!(
            "ALTER INDEX {} ATTACH PARTITION {};\n",
            qual(&p.schema, &parent_index),
            qual(&l.schema, &leaf_index)
        );
        // Both indexes, and both tables so that pg_restore -j locks them.
        e.deps = [
            id_of(&l.schema, &leaf_index),
            id_of(&p.schema, &parent_index),
        ]
        .into_iter()
        .flatten()
        .chain([table_ids[parent], table_ids[leaf]])
        .collect();
        e.table = Some(leaf);
        attachments.push((l.schema.clone(), leaf_index, e, parent, parent_index));
    }
    attachments.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    // (partitioned table, its index, the attach entry) for the foreign keys.
    let mut attach_ids: Vec<(usize, String, DumpId)> = Vec::new();
    for (_, _, e, parent, parent_index) in attachments {
        attach_ids.push((parent, parent_index, b.add(e)));
    }
    let mut fks: Vec<(String, String, TocEntry)> = Vec::new();
    for (ti, t) in schema.tables.iter().enumerate() {
        let name = qual(&t.schema, &t.name);
        for fk in &t.foreign_keys {
            let r = &schema.tables[fk.ref_table];
            let cols: Vec<String> = fk.columns.iter().map(|&c| q(&t.columns[c].name)).collect();
            let rcols: Vec<String> = fk
                .ref_columns
                .iter()
                .map(|&c| q(&r.columns[c].name))
                .collect();
            let mut s = format!(
                "ALTER TABLE {}{name}\n    ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}({})",
                only(t),
                q(&fk.name),
                cols.join(", "),
                qual(&r.schema, &r.name),
                rcols.join(", ")
            );
            if fk.on_update != FkAction::NoAction {
                let _ = write!(s, " ON UPDATE {}", action(fk.on_update));
            }
            if fk.on_delete != FkAction::NoAction {
                let _ = write!(s, " ON DELETE {}", action(fk.on_delete));
            }
            if fk.deferrable {
                s.push_str(" DEFERRABLE");
                if fk.initially_deferred {
                    s.push_str(" INITIALLY DEFERRED");
                }
            }
            s.push_str(";\n");
            let mut e = b.entry(
                "FK CONSTRAINT",
                Section::PostData,
                Some(&t.schema),
                format!("{} {}", t.name, fk.name),
            );
            e.defn = s;
            e.drop_stmt = format!(
                "ALTER TABLE {}{name} DROP CONSTRAINT {};\n",
                only(t),
                q(&fk.name)
            );
            e.deps = vec![table_ids[ti], table_ids[fk.ref_table]];
            e.deps.extend(
                key_dump_ids
                    .iter()
                    .filter(|(kt, kc, _)| {
                        *kt == fk.ref_table
                            && kc.len() == fk.ref_columns.len()
                            && kc.iter().all(|c| fk.ref_columns.contains(c))
                    })
                    .map(|(_, _, id)| *id),
            );
            // A partitioned table's key is valid only once every partition's
            // index is attached to it: as pg_dump does, the foreign key
            // depends on those INDEX ATTACH entries too, or pg_restore -j
            // may add it before they ran.
            let keys: Vec<&str> = r
                .primary_key
                .iter()
                .chain(&r.uniques)
                .filter(|k| {
                    k.columns.len() == fk.ref_columns.len()
                        && k.columns.iter().all(|c| fk.ref_columns.contains(c))
                })
                .map(|k| k.name.as_str())
                .collect();
            e.deps.extend(
                attach_ids
                    .iter()
                    .filter(|(p, i, _)| *p == fk.ref_table && keys.contains(&i.as_str()))
                    .map(|(_, _, id)| *id),
            );
            e.owner.clone_from(&owner);
            e.table = Some(ti);
            fks.push((t.schema.clone(), fk.name.clone(), e));
        }
    }
    fks.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (_, _, e) in fks {
        b.add(e);
    }
}

/// The word PostgreSQL puts in an index name for an expression key: the
/// function's name for a function call (`lower(k)` → `lower`), else `expr`.
fn expression_label(text: &str) -> &str {
    let inner = text.trim().trim_start_matches('(').trim_start();
    let name = inner.split('(').next().unwrap_or("").trim();
    let is_call = inner.len() > name.len()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if is_call {
        name.rsplit('.').next().unwrap_or(name)
    } else {
        "expr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_indexes_on_expressions_are_named_as_postgresql_names_them() {
        assert_eq!(expression_label("(lower(k))"), "lower");
        assert_eq!(expression_label("(pg_catalog.lower(k))"), "lower");
        assert_eq!(expression_label("((a + b))"), "expr");
        assert_eq!(expression_label("(a || b)"), "expr");
    }
}
