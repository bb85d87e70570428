//! Reads the files of `values_file` generators, relative to the file that
//! declares each generator: the project file's folder, a template's folder,
//! or the built-in library embedded in the binary.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::model::{CustomBody, Schema};
use crate::error::Problem;
use crate::provenance::Sources;
use crate::source_map::child;

/// Replaces every `values_file` body by the values it lists.
pub fn read(schema: &mut Schema, sources: &Sources) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    for g in &mut schema.generators {
        let CustomBody::File {
            path,
            column,
            weight_column,
        } = &g.body
        else {
            continue;
        };
        match values_of(
            sources,
            &g.pointer,
            path,
            column.as_deref(),
            weight_column.as_deref(),
        ) {
            Ok(values) => g.body = CustomBody::Values(values),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The values of the file the generator at `pointer` names, read relative to the file that declares it.
fn values_of(
    sources: &Sources,
    pointer: &str,
    path: &str,
    column: Option<&str>,
    weight_column: Option<&str>,
) -> Result<Vec<(Value, f64)>, Problem> {
    let declared_in = sources
        .files
        .get(sources.origin(pointer).file)
        .ok_or_else(|| Problem::new(pointer, "cannot tell which file declares this generator"))?;
    locate(&declared_in.path, path, declared_in.label.is_some())
        .and_then(|(shown, bytes)| parse(&shown, &bytes, column, weight_column))
        .map_err(|(message, hint)| {
            let p = Problem::new(child(pointer, "values_file"), message);
            match hint {
                Some(h) => p.hint(h),
                None => p,
            }
        })
}

/// Writes the values of every `values_file` generator of an effective
/// document into it (`values` and `weights`), so the document `pgmock
/// resolve` prints stands alone wherever it is saved.
pub fn inline(doc: &mut Value, sources: &Sources) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(Value::Object(generators)) = doc.get_mut("generators") else {
        return Ok(());
    };
    for (name, def) in generators.iter_mut() {
        let Some(obj) = def.as_object_mut() else {
            continue;
        };
        let Some(Value::String(path)) = obj.get("values_file").cloned() else {
            continue;
        };
        let pointer = child("/generators", name);
        let column = obj.get("column").and_then(Value::as_str).map(str::to_owned);
        let weight_column = obj
            .get("weight_column")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match values_of(
            sources,
            &pointer,
            &path,
            column.as_deref(),
            weight_column.as_deref(),
        ) {
            Ok(values) => {
                for k in ["values_file", "column", "weight_column"] {
                    obj.remove(k);
                }
                let weighted = values.iter().any(|(_, w)| *w != 1.0);
                let (items, weights): (Vec<Value>, Vec<Value>) = values
                    .into_iter()
                    .map(|(v, w)| {
                        // Whole weights print as whole numbers (15, not 15.0).
                        #[allow(clippy::cast_possible_truncation)]
                        let w = if w.fract() == 0.0 && w.abs() < 1e15 {
                            serde_json::json!(w as i64)
                        } else {
                            serde_json::json!(w)
                        };
                        (v, w)
                    })
                    .unzip();
                obj.insert("values".into(), Value::Array(items));
                if weighted {
                    obj.insert("weights".into(), Value::Array(weights));
                }
            }
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

type Failure = (String, Option<String>);

/// The file's display path and bytes.
fn locate(declared_in: &Path, rel: &str, in_template: bool) -> Result<(String, Vec<u8>), Failure> {
    let relative = Path::new(rel);
    if relative.is_absolute() || rel.is_empty() {
        return Err((
            format!("`values_file` must be a path relative to the file that declares it, found `{rel}`"),
            Some("put the file next to the project file (or in the template's folder) and name it relative to it".into()),
        ));
    }
    // A template's files are its folder's: a pack must not read the user's disk.
    if in_template
        && relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err((
            format!(
                "a template's `values_file` must stay inside the template's folder, found `{rel}`"
            ),
            None,
        ));
    }
    let base = declared_in.parent().unwrap_or_else(|| Path::new(""));
    if let Ok(inside) = base.strip_prefix("<built-in>") {
        let key = inside
            .join(relative)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        return crate::template::builtin::FILES
            .iter()
            .find(|(p, _)| *p == key)
            .map(|(_, bytes)| (format!("<built-in>/{key}"), bytes.to_vec()))
            .ok_or_else(|| (format!("the built-in library has no file `{key}`"), None));
    }
    let full: PathBuf = if base.as_os_str().is_empty() {
        relative.to_owned()
    } else {
        base.join(relative)
    };
    // std's error, not fs_err's: the message names the path itself.
    match std::fs::read(&full) {
        Ok(bytes) => Ok((full.display().to_string(), bytes)),
        Err(e) => Err((
            format!("cannot read values file `{}`: {e}", full.display()),
            Some(format!(
                "`values_file` paths are relative to the folder of `{}`",
                declared_in.display()
            )),
        )),
    }
}

/// The values of a CSV (`.csv`, `.tsv`) or text file (one value per line).
fn parse(
    shown: &str,
    bytes: &[u8],
    column: Option<&str>,
    weight_column: Option<&str>,
) -> Result<Vec<(Value, f64)>, Failure> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = crate::source_map::invalid_utf8_position(bytes, &e);
        (
            format!(
                "`{shown}` is not UTF-8 text: line {}, column {} holds a byte that is not UTF-8",
                at.line, at.column
            ),
            Some("save the values file as UTF-8 text".to_owned()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        return Err((
            format!("`{shown}` holds the character U+0000 (NUL) on line {line}"),
            Some("PostgreSQL text cannot hold it: remove it from the file".into()),
        ));
    }
    let lower = shown.to_ascii_lowercase();
    let delimiter = if lower.ends_with(".csv") {
        Some(b',')
    } else if lower.ends_with(".tsv") {
        Some(b'\t')
    } else {
        None
    };
    let Some(delimiter) = delimiter else {
        if column.is_some() || weight_column.is_some() {
            return Err((
                format!("`{shown}` is a text file (one value per line); `column` and `weight_column` need a `.csv` or `.tsv` file"),
                None,
            ));
        }
        let values: Vec<(Value, f64)> = text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.trim().is_empty())
            .map(|l| (Value::String(l.to_owned()), 1.0))
            .collect();
        return non_empty(shown, values);
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| (format!("cannot read `{shown}`: {e}"), None))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let find = |name: &str, key: &str| -> Result<usize, Failure> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            let hint = crate::diagnostic::did_you_mean(name, headers.iter().map(String::as_str))
                .map_or_else(
                    || format!("its columns: {}", headers.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
            (
                format!("`{key}`: `{shown}` has no column `{name}`"),
                Some(hint),
            )
        })
    };
    let value_at = match column {
        Some(c) => find(c, "column")?,
        None => 0,
    };
    let weight_at = weight_column
        .map(|c| find(c, "weight_column"))
        .transpose()?;
    let mut values = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| (format!("cannot read `{shown}`: {e}"), None))?;
        let line = record.position().map_or(0, csv::Position::line);
        let value = record.get(value_at).unwrap_or("");
        let weight = match weight_at {
            None => 1.0,
            Some(w) => {
                let cell = record.get(w).unwrap_or("").trim();
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => x,
                    _ => {
                        return Err((
                            format!("`{shown}` line {line}: weight `{cell}` is not a number ≥ 0"),
                            None,
                        ))
                    }
                }
            }
        };
        values.push((Value::String(value.to_owned()), weight));
    }
    let values = non_empty(shown, values)?;
    if values.iter().all(|(_, w)| *w == 0.0) {
        return Err((format!("every weight in `{shown}` is 0"), None));
    }
    Ok(values)
}

fn non_empty(shown: &str, values: Vec<(Value, f64)>) -> Result<Vec<(Value, f64)>, Failure> {
    if values.is_empty() {
        Err((format!("`{shown}` lists no values"), None))
    } else {
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_and_weights() {
        let csv = b"code,title,frequency\nA00,Cholera,1\n\"J45,1\",Asthma,30\n";
        let v = parse("x.csv", csv, None, Some("frequency")).unwrap_or_default();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1], (Value::String("J45,1".into()), 30.0));
        let v = parse("x.csv", csv, Some("title"), None).unwrap_or_default();
        assert_eq!(v[0].0, Value::String("Cholera".into()));
        let e = parse("x.csv", csv, Some("titel"), None)
            .err()
            .unwrap_or_default();
        assert!(e.0.contains("no column `titel`"), "{e:?}");
        assert_eq!(e.1.as_deref(), Some("did you mean `title`?"));
        let e = parse("x.csv", b"code,f\nA,x\n", None, Some("f"))
            .err()
            .unwrap_or_default();
        assert!(e.0.contains("line 2") && e.0.contains("`x`"), "{e:?}");
    }

    #[test]
    fn text_files_list_one_value_per_line() {
        let v = parse("names.txt", b"\xef\xbb\xbfAda\r\n\nGrace\n", None, None).unwrap_or_default();
        assert_eq!(
            v,
            vec![
                (Value::String("Ada".into()), 1.0),
                (Value::String("Grace".into()), 1.0)
            ]
        );
        assert!(parse("empty.txt", b"\n\n", None, None).is_err());
    }

    #[test]
    fn templates_cannot_leave_their_folder() {
        let e = locate(Path::new("t/1.0.0/template.json"), "../secret.csv", true)
            .err()
            .unwrap_or_default();
        assert!(e.0.contains("inside the template's folder"), "{e:?}");
        assert!(locate(Path::new("p.json"), "/etc/passwd", false).is_err());
    }
}
