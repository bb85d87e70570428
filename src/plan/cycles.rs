//! Columns that read each other across tables. Rules read other tables'
//! columns (a total over its lines, a line's time from its order): each
//! value is recomputed from what it reads, so a cycle of reads would never
//! end. Tables may read each other both ways as long as their columns do not
//! (orders sum their lines' totals while lines copy their order's time).

use crate::error::Problem;
use crate::generate::TableGen;
use crate::schema::Schema;

/// A problem for every cycle of column reads, at the column that closes it.
pub(super) fn check(schema: &Schema, tables: &[TableGen]) -> Vec<Problem> {
    // Nodes are (table, column), numbered table after table.
    let base: Vec<usize> = tables
        .iter()
        .scan(0, |n, t| {
            let at = *n;
            *n += t.columns.len();
            Some(at)
        })
        .collect();
    let total = base
        .last()
        .map_or(0, |b| b + tables.last().map_or(0, |t| t.columns.len()));
    let node = |t: usize, c: usize| base.get(t).map(|b| b + c);
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut crosses = false;
    for (ti, t) in tables.iter().enumerate() {
        for (ci, c) in t.columns.iter().enumerate() {
            let Some(from) = node(ti, ci) else { continue };
            edges[from].extend(c.gen.inputs().into_iter().filter_map(|i| node(ti, i)));
            for (rt, rc) in c.gen.reads() {
                crosses = true;
                edges[from].extend(node(rt, rc));
            }
        }
    }
    if !crosses {
        return Vec::new();
    }
    let name = |n: usize| {
        let ti = base.partition_point(|&b| b <= n) - 1;
        let table = &schema.tables[ti];
        let ci = n - base[ti];
        (
            format!("{}.{}", table.name, table.columns[ci].name),
            table.columns[ci].pointer.clone(),
        )
    };
    // Iterative depth-first search: 0 unseen, 1 on the path, 2 done.
    let mut state = vec![0u8; total];
    let mut problems = Vec::new();
    for start in 0..total {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if let Some(&m) = edges[n].get(*next) {
                *next += 1;
                match state[m] {
                    0 => {
                        state[m] = 1;
                        stack.push((m, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(k, _)| k == m).unwrap_or(0);
                        let path: Vec<String> = stack[from..]
                            .iter()
                            .map(|&(k, _)| name(k).0)
                            .chain([name(m).0])
                            .collect();
                        let (_, pointer) = name(n);
                        problems.push(
                            Problem::new(
                                pointer,
                                format!("columns read each other in a cycle: {}", path.join(" → ")),
                            )
                            .hint("drop one of the rules (`from`, `after`, `aggregate`, `derive`) on that path"),
                        );
                    }
                    _ => {}
                }
            } else {
                state[n] = 2;
                stack.pop();
            }
        }
    }
    problems
}
