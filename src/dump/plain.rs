//! The plain SQL writer: renders the TOC exactly as pg_dump's script output
//! does (pg-dump-format.md §9): header and SET block, one commented block
//! per entry, data as COPY blocks, ACL pass, footer.

use std::io::{self, Write};

use super::toc::{Toc, TocEntry};
use super::DataSource;

/// Options that change the plain text.
#[derive(Debug, Clone)]
pub struct PlainOptions {
    /// Target server major version (13..=18).
    pub target_version: u32,
    /// `\restrict` key; `None` writes no `\restrict` lines.
    pub restrict_key: Option<String>,
    /// `-c`.
    pub clean: bool,
    /// `--if-exists`.
    pub if_exists: bool,
    /// `-C`.
    pub create: bool,
    /// `-O`.
    pub no_owner: bool,
    /// `--no-comments`.
    pub no_comments: bool,
    /// Free text for the "Dumped from/by" lines.
    pub version_text: String,
}

fn set_block(out: &mut dyn Write, toc: &Toc, opts: &PlainOptions) -> io::Result<()> {
    out.write_all(b"SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET idle_in_transaction_session_timeout = 0;\n")?;
    if opts.target_version >= 17 {
        out.write_all(b"SET transaction_timeout = 0;\n")?;
    }
    let encoding = toc
        .entries
        .iter()
        .find(|e| e.desc == "ENCODING")
        .and_then(|e| e.defn.split('\'').nth(1))
        .unwrap_or("UTF8");
    writeln!(out, "SET client_encoding = '{encoding}';")?;
    out.write_all(b"SET standard_conforming_strings = on;\n")?;
    out.write_all(b"SELECT pg_catalog.set_config('search_path', '', false);\n")?;
    out.write_all(b"SET check_function_bodies = false;\nSET xmloption = content;\nSET client_min_messages = warning;\nSET row_security = off;\n\n")
}

/// `IF EXISTS` surgery on a drop statement, as pg_restore does (§8.4).
fn if_exists(e: &TocEntry) -> String {
    let mut s = e.drop_stmt.clone();
    if let Some(rest) = s.strip_prefix("ALTER TABLE ") {
        s = format!("ALTER TABLE IF EXISTS {rest}");
    }
    let marker = if e.desc.contains("CONSTRAINT") {
        "DROP CONSTRAINT ".to_owned()
    } else {
        format!("DROP {} ", e.desc)
    };
    if e.desc != "DEFAULT" {
        if let Some(pos) = s.find(&marker) {
            s.insert_str(pos + marker.len(), "IF EXISTS ");
        }
    }
    s
}

fn entry_header(out: &mut dyn Write, e: &TocEntry, opts: &PlainOptions) -> io::Result<()> {
    let owner = if opts.no_owner {
        "-"
    } else {
        e.owner.as_deref().unwrap_or("-")
    };
    let clean = |s: &str| s.replace(['\n', '\r'], " ");
    let lead = if e.has_data() {
        "Data for Name"
    } else {
        "Name"
    };
    write!(
        out,
        "--\n-- {lead}: {}; Type: {}; Schema: {}; Owner: {}",
        clean(&e.tag),
        e.desc,
        e.namespace.as_deref().map_or_else(|| "-".to_owned(), clean),
        clean(owner)
    )?;
    if let Some(ts) = &e.tablespace {
        if !ts.is_empty() {
            write!(out, "; Tablespace: {ts}")?;
        }
    }
    out.write_all(b"\n--\n\n")
}

fn owner_line(out: &mut dyn Write, e: &TocEntry, opts: &PlainOptions) -> io::Result<()> {
    if opts.no_owner || e.drop_stmt.is_empty() {
        return Ok(());
    }
    let (Some(owner), Some(target)) = (&e.owner, &e.owner_target) else {
        return Ok(());
    };
    if owner.is_empty() {
        return Ok(());
    }
    // pg_dump 15 and older spell sequence ownership with ALTER TABLE.
    let target = if opts.target_version < 16 {
        target.replacen("SEQUENCE ", "TABLE ", 1)
    } else {
        target.clone()
    };
    writeln!(
        out,
        "ALTER {target} OWNER TO {};\n",
        crate::pgtext::escape::quoted_ident(owner)
    )
}

/// Writes the whole script.
pub fn write(
    out: &mut dyn Write,
    toc: &Toc,
    data: &dyn DataSource,
    opts: &PlainOptions,
) -> io::Result<()> {
    out.write_all(b"--\n-- PostgreSQL database dump\n--\n\n")?;
    if let Some(key) = &opts.restrict_key {
        writeln!(out, "\\restrict {key}\n")?;
    }
    writeln!(
        out,
        "-- Dumped from database version {}\n-- Dumped by pg_dump version {}\n",
        opts.version_text, opts.version_text
    )?;
    set_block(out, toc, opts)?;
    let entries: Vec<&TocEntry> = toc
        .entries
        .iter()
        .filter(|e| !matches!(e.desc, "ENCODING" | "STDSTRINGS" | "SEARCHPATH"))
        .filter(|e| e.desc != "DATABASE" || opts.create)
        .filter(|e| !(opts.no_comments && e.desc == "COMMENT"))
        .collect();
    if opts.clean && !opts.create {
        for e in entries.iter().rev() {
            if !e.drop_stmt.is_empty() && e.desc != "DATABASE" {
                let stmt = if opts.if_exists {
                    if_exists(e)
                } else {
                    e.drop_stmt.clone()
                };
                out.write_all(stmt.as_bytes())?;
            }
        }
    }
    let mut tablespace: Option<&str> = None;
    let mut tableam: Option<&str> = None;
    for e in &entries {
        if e.desc == "DATABASE" {
            if opts.clean {
                let stmt = if opts.if_exists {
                    if_exists(e)
                } else {
                    e.drop_stmt.clone()
                };
                out.write_all(stmt.as_bytes())?;
            }
            entry_header(out, e, opts)?;
            write!(out, "{}\n\n", e.defn)?;
            owner_line(out, e, opts)?;
            if let Some(key) = &opts.restrict_key {
                writeln!(out, "\\unrestrict {key}")?;
            }
            writeln!(out, "\\connect {}", e.tag)?;
            if let Some(key) = &opts.restrict_key {
                writeln!(out, "\\restrict {key}")?;
            }
            out.write_all(b"\n")?;
            set_block(out, toc, opts)?;
            continue;
        }
        if let Some(ts) = e.tablespace.as_deref() {
            if tablespace != Some(ts) {
                writeln!(out, "SET default_tablespace = '{ts}';\n")?;
                tablespace = Some(ts);
            }
        }
        if let Some(am) = e.tableam.as_deref() {
            if tableam != Some(am) {
                writeln!(out, "SET default_table_access_method = {am};\n")?;
                tableam = Some(am);
            }
        }
        entry_header(out, e, opts)?;
        if !e.defn.is_empty() {
            write!(out, "{}\n\n", e.defn)?;
        }
        owner_line(out, e, opts)?;
        if e.has_data() {
            if let Some(copy) = &e.copy_stmt {
                out.write_all(copy.as_bytes())?;
            }
            data.write_data(e, out)?;
        }
    }
    out.write_all(b"--\n-- PostgreSQL database dump complete\n--\n\n")?;
    if let Some(key) = &opts.restrict_key {
        writeln!(out, "\\unrestrict {key}\n")?;
    }
    Ok(())
}
