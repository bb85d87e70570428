//! TOC entries (pg-dump-format.md §4): the fields of one entry in archive order,
//! and the format-specific trailer that says where its data is.

use std::fmt;
use std::io::Read;

use super::error::FormatProblem;
use super::header::Version;
use super::primitives::{ByteReader, OffsetFlag, PgString, ReadFailure};

/// The section an entry belongs to, which drives `--section` and `-l`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 1: belongs to the section of the entry before it (comments, ACLs).
    None,
    /// 2: schema objects created before the data.
    PreData,
    /// 3: table data and sequence values.
    Data,
    /// 4: constraints and indexes created after the data.
    PostData,
    /// Any other value; pg_restore never restores such an entry.
    Unknown(i32),
}

impl Section {
    /// The section for a stored Int.
    #[must_use]
    pub fn from_raw(raw: i32) -> Self {
        match raw {
            1 => Self::None,
            2 => Self::PreData,
            3 => Self::Data,
            4 => Self::PostData,
            other => Self::Unknown(other),
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("none"),
            Self::PreData => f.write_str("pre-data"),
            Self::Data => f.write_str("data"),
            Self::PostData => f.write_str("post-data"),
            Self::Unknown(raw) => write!(f, "unknown section {raw}"),
        }
    }
}

/// Where an entry's data lives, as its format-specific trailer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataLocation {
    /// Custom format: the Offset after the entry.
    Block {
        /// Whether and how the position is known.
        flag: OffsetFlag,
        /// Absolute offset of the block's type byte (meaningful for `PosSet`).
        position: u64,
    },
    /// Directory and tar formats: the data file name; `None` when stored as "".
    File(Option<PgString>),
}

/// One TOC entry, every field as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Unique positive id; dependencies and `-L` lists refer to it.
    pub dump_id: i32,
    /// Whether the entry has a data block (TABLE DATA, BLOBS).
    pub had_dumper: bool,
    /// Decimal OID of the object's catalog (display only).
    pub tableoid: PgString,
    /// Decimal OID of the object (display only).
    pub oid: PgString,
    /// The object's bare name.
    pub tag: PgString,
    /// Entry type (`TABLE`, `TABLE DATA`, …).
    pub desc: PgString,
    /// Section.
    pub section: Section,
    /// SQL that creates the object.
    pub defn: Option<PgString>,
    /// SQL that drops the object.
    pub drop_stmt: Option<PgString>,
    /// `COPY … FROM stdin;` for TABLE DATA; absent for INSERT-style data.
    pub copy_stmt: Option<PgString>,
    /// Schema name; `None` for objects outside a schema.
    pub namespace: Option<PgString>,
    /// Tablespace; "" is the default tablespace.
    pub tablespace: Option<PgString>,
    /// Table access method (1.14+).
    pub tableam: Option<PgString>,
    /// Relation kind (1.16+; `'r'` as 114 for tables).
    pub relkind: Option<i32>,
    /// Owning role.
    pub owner: Option<PgString>,
    /// The obsolete WITH OIDS flag, always `false` in practice.
    pub with_oids: PgString,
    /// dumpIds this entry depends on.
    pub deps: Vec<i32>,
    /// Where the data is.
    pub data: DataLocation,
    /// Absolute offset of the entry's first byte (in `toc.dat` for directory archives).
    pub toc_offset: u64,
}

impl Entry {
    /// Whether `desc` equals `name`.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.desc == name
    }
}

/// Which trailer follows each entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trailer {
    /// Custom format: an Offset.
    Offset,
    /// Directory and tar: a file name String.
    FileName,
}

/// Reads the entry count and every entry.
pub(crate) fn read_toc<R: Read>(
    r: &mut ByteReader<R>,
    version: Version,
    trailer: Trailer,
) -> Result<Vec<Entry>, ReadFailure> {
    let at = r.position();
    let count = r.int("TOC entry count")?;
    if count < 0 {
        return Err(ByteReader::<R>::fail(
            at,
            FormatProblem::BadEntryCount { count },
        ));
    }
    // No capacity from `count`: a corrupt count must not allocate; each
    // entry needs bytes, so the loop ends at the data's end anyway.
    let mut entries = Vec::new();
    for _ in 0..count {
        entries.push(read_entry(r, version, trailer)?);
    }
    Ok(entries)
}

fn read_entry<R: Read>(
    r: &mut ByteReader<R>,
    version: Version,
    trailer: Trailer,
) -> Result<Entry, ReadFailure> {
    let toc_offset = r.position();
    let dump_id = r.int("dumpId")?;
    if dump_id <= 0 {
        return Err(ByteReader::<R>::fail(
            toc_offset,
            FormatProblem::BadDumpId { id: dump_id },
        ));
    }
    Ok(Entry {
        dump_id,
        had_dumper: r.int("hadDumper")? != 0,
        tableoid: r.required_string("tableoid")?,
        oid: r.required_string("oid")?,
        tag: r.required_string("tag")?,
        desc: r.required_string("desc")?,
        section: Section::from_raw(r.int("section")?),
        defn: r.string("defn")?,
        drop_stmt: r.string("dropStmt")?,
        copy_stmt: r.string("copyStmt")?,
        namespace: r.string("namespace")?,
        tablespace: r.string("tablespace")?,
        tableam: if version >= Version::V1_14 {
            r.string("tableam")?
        } else {
            None
        },
        relkind: if version >= Version::V1_16 {
            Some(r.int("relkind")?)
        } else {
            None
        },
        owner: r.string("owner")?,
        with_oids: r.required_string("withOids flag")?,
        deps: read_deps(r)?,
        data: read_trailer(r, trailer)?,
        toc_offset,
    })
}

/// Dependencies: decimal dumpId Strings up to a NULL String.
fn read_deps<R: Read>(r: &mut ByteReader<R>) -> Result<Vec<i32>, ReadFailure> {
    let mut deps = Vec::new();
    loop {
        let at = r.position();
        let Some(text) = r.string("dependency")? else {
            return Ok(deps);
        };
        let id = std::str::from_utf8(text.as_bytes())
            .ok()
            .and_then(|s| s.parse::<i32>().ok())
            .ok_or_else(|| {
                ByteReader::<R>::fail(
                    at,
                    FormatProblem::BadDependency {
                        text: text.to_string_lossy().into_owned(),
                    },
                )
            })?;
        deps.push(id);
    }
}

fn read_trailer<R: Read>(
    r: &mut ByteReader<R>,
    trailer: Trailer,
) -> Result<DataLocation, ReadFailure> {
    match trailer {
        Trailer::Offset => {
            let (flag, position) = r.offset("data offset")?;
            Ok(DataLocation::Block { flag, position })
        }
        Trailer::FileName => {
            let name = r.required_string("data file name")?;
            Ok(DataLocation::File((!name.is_empty()).then_some(name)))
        }
    }
}
