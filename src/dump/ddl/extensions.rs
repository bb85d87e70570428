//! Facts about the extensions PostgreSQL ships.

/// The comments PostgreSQL's contrib extensions install (from their
/// `.control` files), which pg_dump writes as `COMMENT ON EXTENSION`.
pub(super) const EXTENSION_COMMENTS: &[(&str, &str)] = &[
    ("adminpack", "administrative functions for PostgreSQL"),
    ("amcheck", "functions for verifying relation integrity"),
    ("autoinc", "functions for autoincrementing fields"),
    ("bloom", "bloom access method - signature file based index"),
    ("btree_gin", "support for indexing common datatypes in GIN"),
    (
        "btree_gist",
        "support for indexing common datatypes in GiST",
    ),
    ("citext", "data type for case-insensitive character strings"),
    ("cube", "data type for multidimensional cubes"),
    (
        "dblink",
        "connect to other PostgreSQL databases from within a database",
    ),
    ("dict_int", "text search dictionary template for integers"),
    (
        "dict_xsyn",
        "text search dictionary template for extended synonym processing",
    ),
    (
        "earthdistance",
        "calculate great-circle distances on the surface of the Earth",
    ),
    ("file_fdw", "foreign-data wrapper for flat file access"),
    (
        "fuzzystrmatch",
        "determine similarities and distance between strings",
    ),
    ("hstore", "data type for storing sets of (key, value) pairs"),
    (
        "insert_username",
        "functions for tracking who changed a table",
    ),
    ("intagg", "integer aggregator and enumerator (obsolete)"),
    (
        "intarray",
        "functions, operators, and index support for 1-D arrays of integers",
    ),
    (
        "isn",
        "data types for international product numbering standards",
    ),
    ("lo", "Large Object maintenance"),
    ("ltree", "data type for hierarchical tree-like structures"),
    (
        "moddatetime",
        "functions for tracking last modification time",
    ),
    (
        "pageinspect",
        "inspect the contents of database pages at a low level",
    ),
    ("pg_buffercache", "examine the shared buffer cache"),
    ("pg_freespacemap", "examine the free space map (FSM)"),
    ("pg_prewarm", "prewarm relation data"),
    (
        "pg_stat_statements",
        "track planning and execution statistics of all SQL statements executed",
    ),
    (
        "pg_trgm",
        "text similarity measurement and index searching based on trigrams",
    ),
    (
        "pg_visibility",
        "examine the visibility map (VM) and page-level visibility info",
    ),
    ("pgcrypto", "cryptographic functions"),
    ("pgrowlocks", "show row-level locking information"),
    ("pgstattuple", "show tuple-level statistics"),
    (
        "postgres_fdw",
        "foreign-data wrapper for remote PostgreSQL servers",
    ),
    (
        "refint",
        "functions for implementing referential integrity (obsolete)",
    ),
    (
        "seg",
        "data type for representing line segments or floating-point intervals",
    ),
    ("sslinfo", "information about SSL certificates"),
    (
        "tablefunc",
        "functions that manipulate whole tables, including crosstab",
    ),
    ("tcn", "Triggered change notifications"),
    (
        "tsm_system_rows",
        "TABLESAMPLE method which accepts number of rows as a limit",
    ),
    (
        "tsm_system_time",
        "TABLESAMPLE method which accepts time in milliseconds as a limit",
    ),
    ("unaccent", "text search dictionary that removes accents"),
    (
        "uuid-ossp",
        "generate universally unique identifiers (UUIDs)",
    ),
    ("xml2", "XPath querying and XSLT"),
];
