//! pg_dump's archive model: a table of contents whose entries carry the SQL
//! to create and drop each object, their section, dependencies and, for
//! table data, a reference to a data stream. Every output format renders
//! this one list (design.md §3).

/// A TOC entry id (dense, 1-based, in TOC order).
pub type DumpId = u32;

/// The three restore sections, plus NONE for comments and ACLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Comments and ACLs: they follow the section of the entry before them.
    None = 1,
    /// Schema objects created before the data.
    PreData = 2,
    /// Table data and sequence values.
    Data = 3,
    /// Constraints, indexes and foreign keys, created after the data.
    PostData = 4,
}

/// One TOC entry (pg-dump-format.md §4, §8.1).
#[derive(Debug, Clone)]
pub struct TocEntry {
    /// Entry id.
    pub dump_id: DumpId,
    /// Description (`TABLE`, `TABLE DATA`, `FK CONSTRAINT`, ...), spelled as pg_dump does.
    pub desc: &'static str,
    /// Section.
    pub section: Section,
    /// Schema of the object (`None` for schema-less objects).
    pub namespace: Option<String>,
    /// Bare object name as pg_dump tags it (`orders`, `orders orders_pkey`, `COLUMN t.c`).
    pub tag: String,
    /// Owner role, if any.
    pub owner: Option<String>,
    /// SQL that creates the object (ends with a newline), or empty.
    pub defn: String,
    /// SQL that drops it, or empty.
    pub drop_stmt: String,
    /// `COPY ... FROM stdin;` for data entries whose stream is COPY text.
    pub copy_stmt: Option<String>,
    /// Entries this one depends on.
    pub deps: Vec<DumpId>,
    /// `Some("")` for tables, indexes and index-backed constraints (default tablespace).
    pub tablespace: Option<String>,
    /// `Some("heap")` for tables.
    pub tableam: Option<String>,
    /// For TABLE DATA: the schema table whose rows form the data stream.
    pub data_table: Option<usize>,
    /// The table this entry belongs to, for `-t`/`-T` (tables, their data, keys, indexes...).
    pub table: Option<usize>,
    /// For `ALTER ... OWNER TO`: the object kind and quoted name (`TABLE public.t`).
    pub owner_target: Option<String>,
}

impl TocEntry {
    /// Whether the entry carries a data stream.
    #[must_use]
    pub fn has_data(&self) -> bool {
        self.data_table.is_some()
    }
}

/// The table of contents of a dump.
#[derive(Debug, Clone, Default)]
pub struct Toc {
    /// Entries in dump order.
    pub entries: Vec<TocEntry>,
    /// Database name (header, `-C`).
    pub database: String,
}
