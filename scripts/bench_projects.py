#!/usr/bin/env python3
"""Writes the stress projects of scripts/bench.sh (issue 11) to stdout.

  bench_projects.py huge-constant ROWS MB   one table, a text column holding a MB-megabyte constant
  bench_projects.py wide COLUMNS ROWS       one table of COLUMNS text columns
  bench_projects.py many-tables TABLES COLS TABLES tables of COLS columns each, every table but
                                            the first referencing the one before it, some per parent
  bench_projects.py huge-parents PARENTS    PARENTS customers, 0-4 orders each, Poisson(2) items per order

The projects are written by a script rather than checked in: the biggest is
tens of megabytes of JSON.
"""

import json
import sys


def huge_constant(rows, mb):
    value = "x" * (mb * 1_000_000)
    return {
        "database": {"name": "huge_constant"},
        "seed": 1,
        "tables": {
            "blobs": {
                "rows": rows,
                "columns": {
                    "id": {"type": "bigint", "primary_key": True},
                    "body": {"type": "text", "nullable": False,
                             "generator": {"kind": "constant", "value": value}},
                },
            }
        },
    }


def wide(columns, rows):
    cols = {"id": {"type": "bigint", "primary_key": True}}
    kinds = ["first_name", "last_name", "email", "city", "title", "description"]
    for i in range(columns):
        cols[f"c{i}"] = {"type": "text", "generator": kinds[i % len(kinds)]}
    return {
        "database": {"name": "wide"},
        "seed": 1,
        "tables": {"wide": {"rows": rows, "columns": cols}},
    }


def many_tables(tables, columns):
    out = {}
    types = ["text", "integer", "timestamptz", "numeric(10,2)", "boolean", "date"]
    for t in range(tables):
        cols = {"id": {"type": "bigint", "primary_key": True}}
        if t > 0:
            cols["parent_id"] = {"type": "bigint", "nullable": False,
                                 "references": f"t{t - 1}"}
        for c in range(columns - len(cols)):
            cols[f"col_{c}"] = {"type": types[c % len(types)]}
        table = {"columns": cols}
        if t > 0 and t % 3 == 0:
            table["rows"] = {"per": f"t{t - 1}", "min": 0, "max": 3}
        else:
            table["rows"] = 10
        out[f"t{t}"] = table
    return {"database": {"name": "many"}, "seed": 1, "tables": out}


def huge_parents(parents):
    key = {"type": "bigint", "primary_key": True}
    return {"database": {"name": "parents"}, "seed": 1, "tables": {
        "customers": {"rows": parents, "columns": {"id": key, "name": "text"}},
        "orders": {"rows": {"per": "customers", "min": 0, "max": 4},
                   "columns": {"id": key, "customer_id": {"type": "bigint", "references": "customers"}}},
        "order_items": {"rows": {"per": "orders", "distribution": "poisson", "mean": 2},
                        "columns": {"id": key, "order_id": {"type": "bigint", "references": "orders"}}},
    }}


def main():
    kind, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    project = {"huge-constant": huge_constant, "wide": wide, "many-tables": many_tables,
               "huge-parents": huge_parents}[kind](*args)
    json.dump(project, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
