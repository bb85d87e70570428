//! The schema stage: the typed model of a project and its loading.
//!
//! Input: the effective project document (`serde_json::Value`, keys in file
//! order). Output: [`Schema`], or every problem found, each with a JSON
//! pointer. This stage does not decide anything about data; that is `plan`.

pub mod check;
mod index_key;
mod load;
pub mod model;
pub mod naming;
pub mod pii;
pub(crate) mod reader;
pub mod sql_expr;
pub mod types;
pub mod values_file;

pub use load::load;
pub use model::*;
pub use pii::{Pii, PiiCategory, PiiLevel};
