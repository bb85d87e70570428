//! Problems with making a column unique, reported at the key or unique
//! index that asks for it.

use super::*;

pub(in crate::plan) fn impossible_unique(
    col: &Column,
    rule: &Rules,
    rows: u64,
    values: impl Into<i128>,
) -> Problem {
    let values = values.into();
    let message = format!(
        "column `{}` must be unique over {rows} rows but can take only {values} distinct values",
        col.name
    );
    unique_problem(
        col,
        rule,
        message,
        Some("lower the row count, drop the unique constraint, or widen the column's values"),
    )
}

pub(in crate::plan) fn cannot_make_unique(
    col: &Column,
    rule: &Rules,
    name: &str,
    ty: impl std::fmt::Display,
) -> Problem {
    let message = format!("pgmock cannot make `{name}` ({ty}) unique by itself");
    unique_problem(
        col,
        rule,
        message,
        Some("give the column an explicit generator"),
    )
}

/// A problem with making a column unique, at the unique index that asks for
/// it when no constraint does.
pub(in crate::plan) fn unique_problem(
    col: &Column,
    rule: &Rules,
    message: String,
    hint: Option<&str>,
) -> Problem {
    let Some((pointer, partial)) = &rule.unique_index else {
        let p = Problem::new(&col.pointer, message);
        return match hint {
            Some(h) => p.hint(h),
            None => p,
        };
    };
    let mut p = Problem::new(
        pointer,
        format!("{message} (a unique index makes `{}` unique)", col.name),
    );
    if *partial {
        let trust = "pgmock makes the columns of a partial unique index unique in every row, unless a column that only its `where` uses has an explicit `generator`, which pgmock then trusts to keep the index unique";
        p = p.hint(match hint {
            Some(h) => format!("{h}; {trust}"),
            None => trust.to_owned(),
        });
    } else if let Some(h) = hint {
        p = p.hint(h);
    }
    p
}
