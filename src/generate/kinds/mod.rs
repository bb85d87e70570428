//! Semantic value kinds: realistic text chosen from the `fake` crate's locale
//! word lists (indexed directly, no `String` per value), and a valid value
//! generator for every other built-in type.

pub mod lists;
pub mod locale;
pub mod misc;
pub mod place;
pub mod prose;
pub mod registry;
pub mod text;

pub use misc::{Misc, MiscKind};
pub use text::{Text, TextKind};
