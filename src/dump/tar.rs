//! The tar format (`-Ft`, pg-dump-format.md §13): a ustar archive holding
//! `toc.dat`, one member of COPY text per TABLE DATA entry in TOC order, and
//! `restore.sql` for people who extract it by hand. Never compressed.
//!
//! A member's size must be known before its data, so each table is spooled
//! to an anonymous temporary file first, as pg_dump does.

use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;

use super::archive::{self, Header};
use super::directory::data_file;
use super::plain::{self, PlainOptions};
use super::toc::{Toc, TocEntry};
use super::{DataSource, NoData};

/// Writes a tar archive of `toc` to `out`; data is spooled in `spool_dir`.
pub fn write(
    out: &mut dyn Write,
    toc: &Toc,
    data: &dyn DataSource,
    header: &Header,
    plain_opts: &PlainOptions,
    spool_dir: &Path,
) -> io::Result<()> {
    let entries: Vec<&TocEntry> = toc.entries.iter().collect();
    let toc_bytes = archive::toc_dat(&entries, header)?;
    let mtime = u64::try_from(header.created).unwrap_or(0);
    let mut tar = tar::Builder::new(out);
    tar.append(
        &member("toc.dat", toc_bytes.len() as u64, mtime)?,
        &toc_bytes[..],
    )?;
    for e in entries.iter().filter(|e| e.has_data()) {
        let mut spool = tempfile::tempfile_in(spool_dir)?;
        {
            let mut w = io::BufWriter::with_capacity(1 << 16, &mut spool);
            data.write_data(e, &mut w)?;
            w.flush()?;
        }
        let size = spool.stream_position()?;
        spool.seek(SeekFrom::Start(0))?;
        tar.append(&member(&data_file(e), size, mtime)?, &mut spool)?;
    }
    let script = restore_script(toc, plain_opts)?;
    tar.append(
        &member("restore.sql", script.len() as u64, mtime)?,
        &script[..],
    )?;
    tar.finish()
}

/// A member header as pg_dump writes it: mode 0600, owner `postgres`.
fn member(name: &str, size: u64, mtime: u64) -> io::Result<tar::Header> {
    let mut h = tar::Header::new_ustar();
    h.set_path(name)?;
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o600);
    h.set_uid(0o4000);
    h.set_gid(0o2000);
    h.set_size(size);
    h.set_mtime(mtime);
    h.set_username("postgres")?;
    h.set_groupname("postgres")?;
    h.set_device_major(0)?;
    h.set_device_minor(0)?;
    h.set_cksum();
    Ok(h)
}

/// `restore.sql`: the plain script, with each table's data read from its
/// extracted member (`$$PATH$$` to be replaced by the folder it was extracted to).
fn restore_script(toc: &Toc, opts: &PlainOptions) -> io::Result<Vec<u8>> {
    let mut toc = toc.clone();
    for e in &mut toc.entries {
        if !e.has_data() {
            continue;
        }
        let file = data_file(e);
        e.copy_stmt = Some(match e.copy_stmt.as_deref() {
            Some(copy) => format!(
                "{}\n",
                copy.replacen("FROM stdin;", &format!("FROM '$$PATH$$/{file}';"), 1)
            ),
            None => format!("\\i $$PATH$$/{file}\n\n"),
        });
    }
    let mut out = b"--\n-- NOTE:\n--\n-- File paths need to be edited. Search for $$PATH$$ and\n-- replace it with the path to the directory containing\n-- the extracted data files.\n--\n".to_vec();
    plain::write(&mut out, &toc, &NoData, opts)?;
    Ok(out)
}
