//! Partitioned tables: `partition_by` and each partition's bounds.

use super::*;

impl Loader {
    pub(super) fn partition_by(
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
                None => {
                    let mut prob = Problem::new(
                        o.ptr("columns"),
                        format!("partition key `{n}` is not a column of `{}`", table.name),
                    );
                    if let Some(s) = did_you_mean(n, table.columns.iter().map(|c| c.name.as_str()))
                    {
                        prob = prob.hint(format!("did you mean `{s}`?"));
                    }
                    p.push(prob);
                }
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

    pub(super) fn partition_bound(
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
}

/// A primary key or unique constraint on a partitioned table must include
/// every partition key column: PostgreSQL can only enforce it per partition.
pub(super) fn keys_hold_partition_columns(tables: &[Table], p: &mut Problems) {
    for t in tables {
        let Some(by) = &t.partition_by else { continue };
        for key in t.primary_key.iter().chain(&t.uniques) {
            let missing: Vec<&str> = by
                .columns
                .iter()
                .filter(|c| !key.columns.contains(c))
                .filter_map(|&c| t.columns.get(c).map(|col| col.name.as_str()))
                .collect();
            if !missing.is_empty() {
                p.push(
                    Problem::new(
                        &key.pointer,
                        format!(
                            "key `{}` of partitioned table `{}` leaves out its partition key column(s) `{}`",
                            key.name,
                            t.name,
                            missing.join("`, `")
                        ),
                    )
                    .hint("PostgreSQL requires unique keys on a partitioned table to include every partition key column; add them to the key"),
                );
            }
        }
    }
}
