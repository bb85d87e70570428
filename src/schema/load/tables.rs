//! Tables: row counts, columns, keys, checks and indexes.

use super::*;

impl Loader {
    #[allow(clippy::too_many_lines)]
    pub(super) fn table(
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
            rows,
            fixed: o.bool("fixed", p).unwrap_or(false),
            locale: o.locale("locale", p),
            null_ratio: o.ratio("null_ratio", p),
            comment: o.string("comment", p),
            ..empty_table(name, &schema, ptr)
        };
        let mut pk_cols: Vec<(String, String)> = Vec::new();
        let mut unique_cols: Vec<(String, String)> = Vec::new();
        let mut column_checks: Vec<(String, String, String)> = Vec::new();
        match o.get("columns") {
            Some(Value::Object(cols)) => {
                if cols.is_empty() {
                    p.at(&o.ptr("columns"), format!("table `{name}` has no columns"));
                }
                table.columns.reserve_exact(cols.len());
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
                // A `partition_by` with problems of its own has been reported already.
                if o.get("partition_by").is_none() {
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

    pub(super) fn rows(&self, o: &Obj<'_>, p: &mut Problems) -> RowCount {
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
                let mean = match (r.string("distribution", p).as_deref(), r.get("mean")) {
                    (None | Some("uniform"), None) => None,
                    (Some("poisson"), Some(m)) => match m
                        .as_f64()
                        .filter(|m| *m > 0.0 && m.is_finite())
                    {
                        Some(m) => Some(m),
                        None => {
                            p.at(
                                &r.ptr("mean"),
                                format!("`mean` must be a number above 0, found {}", describe(m)),
                            );
                            None
                        }
                    },
                    (Some("poisson"), None) => {
                        p.push(Problem::new(r.ptr("distribution"), "a `poisson` row count needs a `mean`").hint("e.g. `\"rows\": {\"per\": \"customers\", \"distribution\": \"poisson\", \"mean\": 3}`"));
                        None
                    }
                    (None | Some("uniform"), Some(_)) => {
                        p.push(
                            Problem::new(
                                r.ptr("mean"),
                                "`mean` goes with `\"distribution\": \"poisson\"`",
                            )
                            .at_key(),
                        );
                        None
                    }
                    (Some(other), _) => {
                        p.push(Problem::new(r.ptr("distribution"), format!("unknown row-count distribution `{other}`")).hint("use `uniform` (between `min` and `max`) or `poisson` (with a `mean`)"));
                        None
                    }
                };
                let min = r
                    .u64("min", p)
                    .unwrap_or(if mean.is_some() { 0 } else { 1 });
                // A Poisson count is cut off far in its tail unless `max` says otherwise.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let default_max = mean
                    .map_or(min.max(1), |m| (m * 3.0 + 10.0).ceil() as u64)
                    .max(min);
                let max = r.u64("max", p).unwrap_or(default_max);
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
                        mean,
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
    pub(super) fn column(
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
                distribution: None,
                derive: None,
                template: None,
                aggregate: None,
                when: None,
                from: None,
                after: None,
                before: None,
                null_ratio: None,
                locale: None,
                pii: None,
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
                    crate::schema::types::BaseType::SmallInt
                        | crate::schema::types::BaseType::Integer
                        | crate::schema::types::BaseType::BigInt
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
        let distribution = o
            .get("distribution")
            .and_then(|g| generator_spec(g, &o.ptr("distribution"), p));
        if let Some(d) = &distribution {
            if o.get("references").is_none() {
                p.push(
                    Problem::new(&d.pointer, "`distribution` says how a foreign key picks its parent rows; this column has no `references`")
                        .hint("use a `generator` (`{\"kind\": \"zipf\", ...}`) for the column's own values"),
                );
            } else if d.kind != "zipf" && d.kind != "uniform" {
                p.push(
                    Problem::new(
                        &d.pointer,
                        format!("unknown parent distribution `{}`", d.kind),
                    )
                    .hint("use `zipf` (with an optional `exponent`, default 1) or `uniform`"),
                );
            }
        }
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
            generator: generator.map(Box::new),
            derive: o
                .string("derive", p)
                .map(|d| Box::new((d, o.ptr("derive")))),
            template: o
                .string("template", p)
                .map(|t| Box::new((t, o.ptr("template")))),
            aggregate: o
                .string("aggregate", p)
                .map(|a| Box::new((a, o.ptr("aggregate")))),
            when: o
                .get("when")
                .and_then(|v| when(v, &o.ptr("when"), p))
                .map(Box::new),
            from: o
                .get("from")
                .and_then(|v| from(v, &o.ptr("from"), p))
                .map(Box::new),
            after: o
                .get("after")
                .and_then(|v| after(v, &o.ptr("after"), "after", p))
                .map(Box::new),
            before: o
                .get("before")
                .and_then(|v| after(v, &o.ptr("before"), "before", p))
                .map(Box::new),
            distribution: distribution.map(Box::new),
            null_ratio: o.ratio("null_ratio", p),
            locale: o.locale("locale", p).map(Box::new),
            pii: o
                .get("pii")
                .and_then(|v| super::pii::pii(v, &o.ptr("pii"), p)),
            pointer: ptr.to_owned(),
        })
    }

    /// `["a", "b"]` or `{"name": .., "columns": [..]}`.
    pub(super) fn key_spec(
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

    pub(super) fn key_constraint(
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

    pub(super) fn indexes(
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
            let method = o.string("method", p).unwrap_or_else(|| "btree".into());
            let known_method = INDEX_METHODS.contains(&method.as_str());
            let mut parsed = Vec::new();
            for (k, key) in keys.iter().enumerate() {
                let kptr = child(&o.ptr("columns"), &k.to_string());
                // An unknown method is reported once, not again for each ordered key.
                let checked_method = if known_method {
                    method.as_str()
                } else {
                    "btree"
                };
                match index_key::parse(table, key, checked_method, &kptr) {
                    Ok(key) => parsed.push(key),
                    Err(problem) => p.push(problem),
                }
            }
            if !known_method {
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
                        .zip(&parsed)
                        .map(|(k, key)| match key {
                            IndexKey::Column { column, .. } => table.columns[*column].name.as_str(),
                            IndexKey::Expression(_) => k.split_whitespace().next().unwrap_or(""),
                        })
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
                parsed,
                predicate: o.string("where", p),
                pointer: iptr,
            });
        }
        out
    }
}

pub(super) fn constraint_names(t: &Table) -> Vec<String> {
    t.primary_key
        .iter()
        .chain(&t.uniques)
        .map(|k| k.name.clone())
        .chain(t.checks.iter().map(|c| c.name.clone()))
        .collect()
}

pub(super) fn same_set(a: &[usize], b: &[usize]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

pub(super) fn empty_table(name: &str, schema: &str, ptr: &str) -> Table {
    Table {
        name: name.to_owned(),
        locale: None,
        null_ratio: None,
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

pub(super) fn generator_spec(v: &Value, ptr: &str, p: &mut Problems) -> Option<GeneratorSpec> {
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

/// `"when": {"status": "shipped"}` or `{"status": ["shipped", "delivered"]}`.
fn when(v: &Value, ptr: &str, p: &mut Problems) -> Option<crate::schema::When> {
    let hint = "e.g. `\"when\": {\"status\": [\"shipped\", \"delivered\"]}`";
    let Value::Object(map) = v else {
        p.push(
            Problem::new(
                ptr,
                format!(
                    "`when` must be an object of one column → its values, found {}",
                    kind(v)
                ),
            )
            .hint(hint),
        );
        return None;
    };
    let mut entries = map.iter();
    let (Some((column, values)), None) = (entries.next(), entries.next()) else {
        p.push(Problem::new(ptr, "`when` names exactly one column").hint(hint));
        return None;
    };
    let at = child(ptr, column);
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let values: Option<Vec<String>> = match values {
        Value::Array(items) if !items.is_empty() => items.iter().map(scalar).collect(),
        Value::Array(_) => None,
        other => scalar(other).map(|s| vec![s]),
    };
    let Some(values) = values else {
        p.push(Problem::new(at, format!("`when` lists the values of `{column}` as a value or a non-empty list of strings, numbers or booleans")).hint(hint));
        return None;
    };
    Some(crate::schema::When {
        column: column.clone(),
        values,
        pointer: ptr.to_owned(),
    })
}

/// `"after": "created_at"` or `{"column": "customer_id.created_at", "within_days": 30}`.
fn from(v: &Value, ptr: &str, p: &mut Problems) -> Option<crate::schema::FromRule> {
    match v {
        Value::String(s) => Some(crate::schema::FromRule {
            column: s.clone(),
            map: None,
            pointer: ptr.to_owned(),
        }),
        Value::Object(_) => {
            let o = Obj::new(v, ptr, &["column", "map"], "`from`", p)?;
            let column = o.string("column", p).or_else(|| {
                p.at(ptr, "`from` needs a `column`");
                None
            })?;
            let map = match o.get("map") {
                None => None,
                Some(Value::Object(m)) if !m.is_empty() => {
                    let mut out = Vec::with_capacity(m.len());
                    for (k, to) in m {
                        match to {
                            Value::String(t) => out.push((k.clone(), t.clone())),
                            other => p.at(
                                &child(&o.ptr("map"), k),
                                format!(
                                    "a `map` value is the text this column takes, found {}",
                                    describe(other)
                                ),
                            ),
                        }
                    }
                    Some(out)
                }
                Some(other) => {
                    p.push(
                        Problem::new(
                            o.ptr("map"),
                            format!(
                                "`map` must be an object of parent value → value, found {}",
                                describe(other)
                            ),
                        )
                        .hint(
                            "e.g. `\"map\": {\"paid\": \"captured\", \"cancelled\": \"voided\"}`",
                        ),
                    );
                    return None;
                }
            };
            Some(crate::schema::FromRule {
                column,
                map,
                pointer: ptr.to_owned(),
            })
        }
        other => {
            p.push(
                Problem::new(ptr, format!("`from` must be `FOREIGN_KEY_COLUMN.PARENT_COLUMN` or an object with `column` and `map`, found {}", kind(other)))
                    .hint("e.g. `\"from\": \"product_id.price\"`"),
            );
            None
        }
    }
}

/// `after` or `before` (named by `key`): a column name, or an object with `column`.
fn after(v: &Value, ptr: &str, key: &str, p: &mut Problems) -> Option<crate::schema::AfterRule> {
    match v {
        Value::String(s) => Some(crate::schema::AfterRule {
            column: s.clone(),
            within_days: None,
            pointer: ptr.to_owned(),
        }),
        Value::Object(_) => {
            let o = Obj::new(v, ptr, &["column", "within_days"], &format!("`{key}`"), p)?;
            let column = o.string("column", p).or_else(|| {
                p.at(ptr, format!("`{key}` needs a `column`"));
                None
            })?;
            let within_days = match o.get("within_days") {
                None => None,
                Some(w) => match w.as_f64() {
                    Some(d) if d.is_finite() && d > 0.0 => Some(d),
                    _ => {
                        p.at(
                            &o.ptr("within_days"),
                            format!(
                                "`within_days` must be a number of days above 0, found {}",
                                describe(w)
                            ),
                        );
                        return None;
                    }
                },
            };
            Some(crate::schema::AfterRule {
                column,
                within_days,
                pointer: ptr.to_owned(),
            })
        }
        other => {
            p.push(
                Problem::new(ptr, format!("`{key}` must be a column name or an object with `column`, found {}", kind(other)))
                    .hint(format!("e.g. `\"{key}\": \"customer_id.created_at\"` (the parent row's) or `\"{key}\": \"ordered_at\"` (the row's own)")),
            );
            None
        }
    }
}
