//! Columns computed from the row's other columns: `derive` (arithmetic,
//! `quantity * unit_price`) and `template` (Tera text,
//! `{{ first_name | lower }}.{{ last_name | lower }}@example.com`).

use std::collections::HashMap;

use exmex::prelude::*;
use exmex::DeepEx;

use super::{rng, FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData, ValueFormat};

/// A number computed from other columns of the row (NULL when an input is NULL
/// or the result is not finite, e.g. a division by zero).
#[derive(Debug, Clone)]
pub struct Derived {
    /// The expression, as written (parsed once per chunk: exmex's tree form
    /// borrows its text, and its flat form, `FlatEx`, applies a function to
    /// the wrong part of `round(p * (r / 12) * 2)` in exmex 0.21).
    pub source: String,
    /// The expression's variables, in its variable order.
    pub inputs: Vec<Input>,
    /// The output column's format.
    pub format: ValueFormat,
    /// The largest magnitude the column's type holds: results beyond it are
    /// cut to it, so the row still loads.
    pub limit: f64,
    /// For a NOT NULL column: what a NULL input or a result that is not a
    /// number (a division by zero) gives instead of NULL.
    pub fallback: Option<f64>,
}

/// What a variable of a `derive` expression stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A column of the row, with its format.
    Column(usize, ValueFormat),
    /// `random`: a uniform number in [0, 1) drawn for the cell, so that
    /// `round(subtotal * (0.05 + 0.1 * random), 2)` varies from row to row.
    Random,
}

impl ValueGen for Derived {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let expr = DeepEx::<f64>::parse(&self.source).ok();
        let mut vars = vec![0.0; self.inputs.len()];
        for (i, &row) in ctx.rows.iter().enumerate() {
            let mut ok = true;
            for (k, input) in self.inputs.iter().enumerate() {
                match *input {
                    Input::Column(c, f) => match ctx.columns[c].number_or_instant(f, i) {
                        Some(v) => vars[k] = v,
                        None => ok = false,
                    },
                    Input::Random => vars[k] = rng::unit(rng::mix(ctx.key ^ rng::mix(row))),
                }
            }
            let value = ok
                .then(|| expr.as_ref().and_then(|e| e.eval(&vars).ok()))
                .flatten()
                .filter(|v| v.is_finite());
            let value = value
                .or(self.fallback)
                .map(|v| v.clamp(-self.limit, self.limit));
            out.push_number(self.format, value);
        }
    }

    fn inputs(&self) -> Vec<usize> {
        self.inputs
            .iter()
            .filter_map(|i| match i {
                Input::Column(c, _) => Some(*c),
                Input::Random => None,
            })
            .collect()
    }
}

/// Text rendered from the row's other columns with Tera.
#[derive(Debug, Clone)]
pub struct Templated {
    /// The template source.
    pub source: String,
    /// Columns it reads: (name in the template, column, format).
    pub inputs: Vec<(String, usize, ValueFormat)>,
    /// The column's length limit (`varchar(n)`): longer text is cut.
    pub max_len: Option<usize>,
    /// Whether the column takes NULL where the template cannot be rendered.
    pub nullable: bool,
}

impl ValueGen for Templated {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(Vec::new());
        tera.register_function(
            "get_env",
            |_: &HashMap<String, serde_json::Value>| -> tera::Result<serde_json::Value> {
                Err(tera::Error::msg(
                    "templates cannot read environment variables",
                ))
            },
        );
        let ok = tera.add_raw_template("t", &self.source).is_ok();
        let mut text = Vec::new();
        for i in 0..ctx.rows.len() {
            let mut context = tera::Context::new();
            for (name, c, format) in &self.inputs {
                let buf = &ctx.columns[*c];
                let value = if buf.nulls[i] {
                    serde_json::Value::Null
                } else if let Some(n) = buf.number(*format, i) {
                    serde_json::Number::from_f64(n)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number)
                } else {
                    text.clear();
                    buf.write_text(*format, i, &mut text);
                    serde_json::Value::String(String::from_utf8_lossy(&text).into_owned())
                };
                context.insert(name.as_str(), &value);
            }
            let rendered = ok.then(|| tera.render("t", &context).ok()).flatten();
            // A NOT NULL column gets an empty string where the template fails.
            let rendered = rendered.or_else(|| (!self.nullable).then(String::new));
            match (rendered, &mut out.data) {
                (Some(s), ColumnData::Text(t)) => {
                    let cut = self
                        .max_len
                        .and_then(|m| s.char_indices().nth(m))
                        .map_or(s.len(), |(b, _)| b);
                    t.bytes.extend_from_slice(&s.as_bytes()[..cut]);
                    t.finish_value();
                    out.nulls.push(false);
                }
                _ => out.push_null(),
            }
        }
    }

    fn inputs(&self) -> Vec<usize> {
        self.inputs.iter().map(|(_, c, _)| *c).collect()
    }
}
