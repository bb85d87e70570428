//! Foreign keys: the forms of `references`, resolving them once every table
//! is known, and inferring them from column names.

use super::*;

impl Loader {
    /// `"customers"`, `"customers.id"`, `"app.customers.id"` or `{table, column(s)}`.
    pub(super) fn reference(
        &self,
        v: &Value,
        ptr: &str,
        p: &mut Problems,
    ) -> Option<(String, Vec<String>)> {
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

    pub(super) fn table_fks(
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

    pub(super) fn resolve_fks(
        &self,
        tables: &mut [Table],
        pending: Vec<PendingFk>,
        p: &mut Problems,
    ) {
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
                            .hint(match target.columns.iter().find(|c| c.name == "id" || c.serial.is_some() || c.identity.is_some()) {
                                Some(c) => format!(
                                    "make `{0}.{1}` its primary key (`\"{1}\": {{\"type\": \"...\", \"primary_key\": true}}`), or name the referenced column: `{0}.{1}`",
                                    target.name, c.name
                                ),
                                None => "name the referenced column: `table.column`".to_owned(),
                            }),
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

/// Whether a referencing column type can hold the referenced column's values.
pub(super) fn compatible(a: &PgType, b: &PgType) -> bool {
    use crate::schema::types::BaseType as B;
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

pub(super) fn infer_fks(tables: &mut [Table], naming: &Naming) {
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

pub(super) fn action(o: &Obj<'_>, key: &str, p: &mut Problems) -> FkAction {
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
