#!/usr/bin/env python3
"""Writes the fixed corpus of mutated projects in tests/fuzz-corpus/.

Each case starts from a small valid project and applies a few random
mutations of the kinds that found "validate accepts, the server rejects"
bugs: explicit values, checks, defaults, enum labels, keys over foreign
keys, names, nesting. The corpus test (tests/cli/fuzz_corpus.rs) runs
`validate` on every case and loads the dump of each accepted one into
PostgreSQL; a case the server rejects is a bug in pgmock.

Deterministic: the same seed writes the same files. Usage:
    scripts/mutate-corpus.py [COUNT] [SEED]
"""

import copy
import json
import os
import random
import sys

BASE = {
    "database": {"name": "fuzz"},
    "seed": 7,
    "types": {"status": {"enum": ["new", "paid", "shipped", "cancelled"]}},
    "tables": {
        "customers": {
            "rows": 12,
            "columns": {
                "id": {"type": "bigint", "primary_key": True},
                "email": {"type": "text", "unique": True, "nullable": False},
                "name": "varchar(40)",
                "age": {"type": "smallint", "check": "age BETWEEN 18 AND 99"},
                "created_at": {"type": "timestamptz", "nullable": False},
            },
        },
        "tags": {
            "rows": 6,
            "columns": {"id": {"type": "integer", "primary_key": True}, "label": {"type": "text", "unique": True}},
        },
        "orders": {
            "rows": {"per": "customers", "min": 0, "max": 3},
            "columns": {
                "id": {"type": "bigint", "primary_key": True},
                "customer_id": {"type": "bigint", "references": "customers", "nullable": False},
                "status": {"type": "status", "nullable": False},
                "total": {"type": "numeric(10,2)", "check": "total >= 0"},
                "ordered_at": "timestamptz",
                "shipped_at": "timestamptz",
            },
        },
        "order_tags": {
            "rows": {"per": "orders", "min": 0, "max": 2},
            "primary_key": ["order_id", "tag_id"],
            "columns": {
                "order_id": {"type": "bigint", "references": "orders"},
                "tag_id": {"type": "integer", "references": "tags"},
            },
        },
    },
}

TYPES = ["int", "smallint", "bigint", "text", "varchar(5)", "char(2)", "numeric(6,2)", "real", "boolean",
         "date", "timestamptz", "uuid", "jsonb", "status", "inet", "text[]", "interval", "bytea"]
CHECKS = ["{c} > 0", "{c} < 0", "{c} BETWEEN 5 AND 3", "length({c}) < 0", "length({c}) <= 2",
          "{c} IN ('a', 'b')", "{c} IN (1, 2)", "{c} <> 'x'", "{c} IS NOT NULL", "lower({c}) = {c}",
          "nosuch > 1", "{c} > 0 AND {c} < 1", "(((({c} > 1))))", "{c} ~ '^[a-z]+$'", "{c} = 'new'"]
DEFAULTS = ["now()", "0", "'x'", "nosuchfn()", "gen_random_uuid()", "uuid_generate_v4()", "'{{}}'::jsonb",
            "true", "{c}", "1 -- one", "'unterminated", "CURRENT_DATE", "-1", "'new'::status", "'2020-13-45'"]
VALUES = [0, 1, -1, 5, 99999, 1.5, "a", "b", "new", "nope", "", "x" * 70, None, True, "2020-01-01",
          "abc\\def", "tab\there", "line\nbreak", "quote'd", "\u00e9t\u00e9", "\U0001F600"]
NAMES = ["id", "Name", "select", "a b", "x" * 63, "y" * 64, "ünïcode", "with\"quote", "order"]


def mutate(doc, rng):
    tables = doc["tables"]
    tname = rng.choice(list(tables))
    table = tables[tname]
    cols = table["columns"]
    cname = rng.choice(list(cols))
    col = cols[cname]
    if isinstance(col, str):
        col = {"type": col}
        cols[cname] = col
    kind = rng.randrange(14)
    if kind == 0:
        col["type"] = rng.choice(TYPES)
    elif kind == 1:
        col["check"] = rng.choice(CHECKS).format(c=cname)
    elif kind == 2:
        col["default"] = rng.choice(DEFAULTS).format(c=cname)
    elif kind == 3:
        col["generator"] = {"kind": "constant", "value": rng.choice(VALUES)}
    elif kind == 4:
        col["generator"] = {"kind": "choice", "values": rng.sample(VALUES, 3)}
    elif kind == 5:
        col["generator"] = {"kind": "weighted",
                            "choices": {str(v): rng.randint(0, 3) for v in rng.sample(VALUES, 3) if v is not None}}
    elif kind == 6:
        col["nullable"] = not col.get("nullable", True)
    elif kind == 7:
        col["unique"] = True
    elif kind == 8:
        cols[rng.choice(NAMES)] = cols.pop(cname)
    elif kind == 9:
        doc["types"]["status"]["enum"].append(rng.choice(["refunded", "x" * 64, "paid", "", "a b"]))
    elif kind == 10:
        rows = table["rows"]
        if isinstance(rows, dict):
            rows["max"] = rng.choice([0, 1, 5, 10, 40])
        else:
            table["rows"] = rng.choice([0, 1, 3, 30, 60])
    elif kind == 11:
        table.setdefault("checks", []).append(
            rng.choice(["{a} < {b}", "{b} < {a}", "{a} <> {b}", "{a} >= {b}"]).format(
                a=cname, b=rng.choice(list(cols))))
    elif kind == 12:
        table.setdefault("indexes", []).append(
            rng.choice([{"columns": [cname]}, {"columns": [f"(lower({cname}))"]},
                        {"columns": [cname], "unique": True}, {"columns": [cname], "where": f"{cname} IS NOT NULL"},
                        {"columns": ["(nosuch)"]}]))
    else:
        col["comment"] = rng.choice(["it's", "a\\b", "line\nbreak", "$$x$$", "\u00e9", ""])


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    rng = random.Random(seed)
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "fuzz-corpus")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".json"):
            os.remove(os.path.join(out, name))
    for i in range(count):
        doc = copy.deepcopy(BASE)
        for _ in range(rng.randint(1, 3)):
            mutate(doc, rng)
        with open(os.path.join(out, f"case{i:03}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
