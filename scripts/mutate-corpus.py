#!/usr/bin/env python3
"""Writes the fixed corpus of mutated projects in tests/fuzz-corpus/.

Each case starts from a small valid project and applies a few random
mutations of the kinds that found "validate accepts, the server rejects"
bugs: explicit values, checks, defaults, enum labels, keys over foreign
keys, names, nesting. The corpus test (tests/cli/fuzz_corpus.rs) runs
`validate` on every case and loads the dump of each accepted one into
PostgreSQL; a case the server rejects is a bug in pgmock.

A second family (`gen*.json`) mutates the bundled examples blindly: any
value of the document replaced by one of a pool of awkward values, keys
deleted or renamed, as a fuzzer that knows nothing of the format would.

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


POOL = [0, 1, -1, 2**31, 2**63, 1e308, -0.5, "", "x", "nope", "text", "int", "varchar(2)", "numeric(3,1)",
        "date", "uuid", "order_status", "smallint", "boolean", "timestamptz", "char(1)", "text[]", "jsonb",
        "customers", "customers.id", "id", "x > 0", "length(x) < 0", "now()", None, True, False, [], {}, ["a"],
        {"kind": "constant", "value": "z"}, {"kind": "sequence", "start": -5}, {"kind": "uniform", "min": 5, "max": 1},
        {"per": "customers", "min": 0, "max": 100}, "'; DROP TABLE x; --", "\u00e9" * 70, "a\u0000b", "\\", 3,
        "weighted", {"kind": "zipf"}, "cascade", "restrict", "boolean", "email"]
KEYS = ["x", "id", "Name", "a" * 64, "rows", "check", "unique", "nullable", "default"]


def paths(v, p=()):
    yield p
    if isinstance(v, dict):
        for k, x in v.items():
            yield from paths(x, p + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from paths(x, p + (i,))


def small(doc):
    """Row counts cut down, so each case loads in a moment."""
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        return
    for t in tables.values():
        if isinstance(t, dict) and isinstance(t.get("rows"), int):
            t["rows"] = min(t["rows"], 40)
        if isinstance(t, dict) and isinstance(t.get("rows"), dict) and isinstance(t["rows"].get("max"), int):
            t["rows"]["max"] = min(t["rows"]["max"], 4)


def blind(doc, rng):
    candidates = [p for p in paths(doc) if p]
    p = rng.choice(candidates)
    parent = doc
    for k in p[:-1]:
        parent = parent[k]
    op = rng.random()
    if op < 0.6:
        parent[p[-1]] = copy.deepcopy(rng.choice(POOL))
    elif op < 0.8 and isinstance(parent, dict):
        del parent[p[-1]]
    elif isinstance(parent, dict):
        parent[rng.choice(KEYS)] = parent.pop(p[-1])


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
    examples = os.path.join(os.path.dirname(__file__), "..", "examples")
    bases = [json.load(open(os.path.join(examples, n), encoding="utf-8")) for n in ("shop.json", "saas.json")]
    for i in range(count):
        doc = copy.deepcopy(rng.choice(bases))
        small(doc)
        for _ in range(rng.randint(1, 3)):
            blind(doc, rng)
        small(doc)
        with open(os.path.join(out, f"gen{i:03}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
