//! Arrays and composite values, built from element generators.

use rand::RngExt;

use super::rng;
use super::{FillCtx, ValueGen};
use crate::pgtext::structured;
use crate::value::{ColumnBuf, ColumnData, TextBuf, ValueFormat};

/// An array of 0..=max elements per dimension, each from the element generator.
#[derive(Debug)]
pub struct Array {
    /// Element generator.
    pub elem: Box<dyn ValueGen>,
    /// Element format.
    pub format: ValueFormat,
    /// Dimensions (1 or more).
    pub dims: u8,
    /// Most elements along each dimension.
    pub max_len: u64,
    /// Element separator: `,` for every built-in type except `box`, which uses `;`.
    pub delimiter: u8,
}

impl ValueGen for Array {
    #[allow(clippy::cast_possible_truncation)]
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let ColumnData::Text(buf) = &mut out.data else {
            return;
        };
        let mut elems = ColumnBuf::for_format(self.format);
        let mut vrows = Vec::new();
        // Element texts of one row, reused across rows: no allocation per element.
        let mut texts = TextBuf::default();
        for &row in ctx.rows {
            let mut r = rng::cell(ctx.key, row);
            let len = r.random_range(0..=self.max_len);
            // Multi-dimensional arrays must be rectangular: every sub-array gets `len` items.
            let inner = if self.dims > 1 { len.clamp(1, 3) } else { 1 };
            let total = if self.dims > 1 {
                len.max(1) * inner.pow(u32::from(self.dims) - 1)
            } else {
                len
            };
            vrows.clear();
            // Element rows are virtual rows derived from (row, position): still pure functions.
            vrows.extend((0..total).map(|j| rng::mix(row ^ rng::mix(j.wrapping_add(0xA5A5)))));
            elems.clear();
            let ectx = FillCtx {
                dataset: ctx.dataset,
                table: ctx.table,
                rows: &vrows,
                columns: &[],
                key: rng::mix(ctx.key ^ 0xE1E),
                // Each element is someone (somewhere) else.
                table_key: rng::mix(ctx.key ^ 0xE1E),
                parents: None,
            };
            self.elem.fill(&ectx, &mut elems);
            texts.clear();
            for i in 0..elems.len() {
                if !elems.nulls[i] {
                    elems.write_text(self.format, i, &mut texts.bytes);
                }
                texts.finish_value();
            }
            write_nested(
                &mut buf.bytes,
                &texts,
                &elems.nulls,
                0,
                self.delimiter,
                self.dims,
                if self.dims > 1 { len.max(1) } else { len },
                inner,
            );
            buf.finish_value();
            out.nulls.push(false);
        }
    }
}

/// Writes elements `first..first + nulls.len()` of `texts` as a (nested) array.
#[allow(clippy::too_many_arguments)]
fn write_nested(
    out: &mut Vec<u8>,
    texts: &TextBuf,
    nulls: &[bool],
    first: usize,
    delimiter: u8,
    dims: u8,
    outer: u64,
    inner: u64,
) {
    if dims <= 1 && delimiter != b',' {
        // Box text contains commas but never the `;` delimiter, so it needs no quotes.
        out.push(b'{');
        for (k, &n) in nulls.iter().enumerate() {
            if k > 0 {
                out.push(delimiter);
            }
            out.extend_from_slice(if n { b"NULL" } else { texts.get(first + k) });
        }
        out.push(b'}');
        return;
    }
    if dims <= 1 {
        structured::array(
            out,
            nulls
                .iter()
                .enumerate()
                .map(|(k, &n)| if n { None } else { Some(texts.get(first + k)) }),
        );
        return;
    }
    out.push(b'{');
    let per = nulls.len() / outer.max(1) as usize;
    for k in 0..outer as usize {
        if k > 0 {
            out.push(delimiter);
        }
        let nslice = &nulls[k * per..(k + 1) * per];
        write_nested(
            out,
            texts,
            nslice,
            first + k * per,
            delimiter,
            dims - 1,
            inner,
            inner,
        );
    }
    out.push(b'}');
}

/// A composite value `(f1,f2,...)` with one generator per field.
#[derive(Debug)]
pub struct Composite {
    /// Field generators and formats.
    pub fields: Vec<(Box<dyn ValueGen>, ValueFormat)>,
}

impl ValueGen for Composite {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let bufs: Vec<ColumnBuf> = self
            .fields
            .iter()
            .enumerate()
            .map(|(k, (gen, format))| {
                let mut b = ColumnBuf::for_format(*format);
                let fctx = FillCtx {
                    dataset: ctx.dataset,
                    table: ctx.table,
                    rows: ctx.rows,
                    columns: &[],
                    key: rng::mix(ctx.key ^ (k as u64 + 1)),
                    // A composite's fields describe the row's own person and place.
                    table_key: ctx.table_key,
                    parents: None,
                };
                gen.fill(&fctx, &mut b);
                b
            })
            .collect();
        let ColumnData::Text(buf) = &mut out.data else {
            return;
        };
        let mut text = Vec::new();
        for i in 0..ctx.rows.len() {
            buf.bytes.push(b'(');
            for (k, b) in bufs.iter().enumerate() {
                if k > 0 {
                    buf.bytes.push(b',');
                }
                if b.nulls[i] {
                    structured::composite_field(&mut buf.bytes, None);
                } else {
                    text.clear();
                    b.write_text(self.fields[k].1, i, &mut text);
                    structured::composite_field(&mut buf.bytes, Some(&text));
                }
            }
            buf.bytes.push(b')');
            buf.finish_value();
            out.nulls.push(false);
        }
    }
}
