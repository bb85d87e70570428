//! The typed schema: what the project file declares, after loading and
//! validation. Every item remembers the JSON pointer it came from, so later
//! stages can still point users at the line that caused a problem.

use serde_json::Value;

use super::check::CheckExpr;
use super::types::{PgType, SerialKind, TypeRef};

/// The whole effective schema of a project.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Database-level settings.
    pub database: Database,
    /// The run seed from the project file (the CLI may override it).
    pub seed: Seed,
    /// Default share of NULLs in nullable columns without their own `null_ratio`.
    pub null_ratio: f64,
    /// The locales people, places and phone numbers come from, by default.
    pub locale: Option<LocaleSpec>,
    /// Naming conventions for keys.
    pub naming: Naming,
    /// Extensions to create.
    pub extensions: Vec<Extension>,
    /// Schemas other than `public` that objects live in, in declaration order.
    pub schemas: Vec<String>,
    /// Enums, composite types and domains.
    pub types: Vec<UserType>,
    /// Stand-alone sequences.
    pub sequences: Vec<Sequence>,
    /// Tables, in file order (partitions included, after their parent's declaration).
    pub tables: Vec<Table>,
    /// Named generators declared in `generators`, usable by name like built-in kinds.
    pub generators: Vec<CustomGenerator>,
}

impl Schema {
    /// What the user type called `name` is, if the project declares one.
    #[must_use]
    pub fn type_kind(&self, name: &str) -> Option<&UserTypeKind> {
        self.types.iter().find(|t| t.name == name).map(|t| &t.kind)
    }

    /// Whether values of `ty` are text to string functions and `LIKE`: the
    /// string types, `citext`, and domains over them (not enums).
    #[must_use]
    pub fn is_text(&self, ty: &PgType) -> bool {
        // Domains built on themselves are reported elsewhere; the walk stops
        // after as many steps as there are types rather than going round.
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            if ty.array_dims > 0 {
                return false;
            }
            match &ty.elem {
                TypeRef::Base(b) => {
                    return matches!(
                        b,
                        super::types::BaseType::Text
                            | super::types::BaseType::Varchar(_)
                            | super::types::BaseType::Char(_)
                    );
                }
                TypeRef::Named(n) if n == "citext" || n.ends_with(".citext") => return true,
                TypeRef::Named(n) => match self.type_kind(n) {
                    Some(UserTypeKind::Domain(d)) => ty = &d.base,
                    _ => return false,
                },
            }
        }
        false
    }

    /// The table called `name`, bare (`orders`) or schema-qualified (`app.orders`).
    #[must_use]
    pub fn table_named(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| {
            t.name == name
                || name
                    .split_once('.')
                    .is_some_and(|(s, n)| s == t.schema && n == t.name)
        })
    }
}

/// A run seed as the user wrote it: `--seed` or the project's `"seed"`.
///
/// A whole number is that number; any other text is hashed to a number
/// (`generate::rng::run_seed`), so that `--seed alice@school.edu` gives
/// every person a dataset of their own and `--seed 7` keeps meaning 7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seed {
    /// A whole number, used as it is.
    Number(u64),
    /// Other text, kept as written so that summaries can show it.
    Text(String),
}

impl Seed {
    /// The seed written as `text`: a whole number (`7`, also `"7"`) means that
    /// number, other text is kept for hashing; `None` for empty or blank text,
    /// which is more likely a shell mistake (`--seed "$unset"`) than a choice.
    #[must_use]
    pub fn from_text(text: &str) -> Option<Self> {
        if text.trim().is_empty() {
            return None;
        }
        Some(
            text.parse()
                .map_or_else(|_| Self::Text(text.to_owned()), Self::Number),
        )
    }
}

impl Default for Seed {
    fn default() -> Self {
        Self::Number(0)
    }
}

/// The seed as `--seed` takes it again: a number as it is, text in double
/// quotes (which also tells the text `"42x"` from the number 42).
impl std::fmt::Display for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// A named generator declared in the project's or a template's `generators`.
#[derive(Debug, Clone)]
pub struct CustomGenerator {
    /// The name columns use (`"generator": "policy_number"`).
    pub name: String,
    /// How it makes values.
    pub body: CustomBody,
    /// Where it was declared (`/generators/policy_number`).
    pub pointer: String,
}

/// What a named generator is made of.
#[derive(Debug, Clone)]
pub enum CustomBody {
    /// A regex-like pattern (`POL-[A-Z]{3}-[0-9]{6}`).
    Pattern(String),
    /// A list of values, each with a weight (all 1 when none were given).
    Values(Vec<(Value, f64)>),
    /// Values read from a CSV or text file, before the file is read.
    File {
        /// The path as written, relative to the file that declares it.
        path: String,
        /// The CSV column holding the values (the first one when `None`).
        column: Option<String>,
        /// The CSV column holding each value's weight.
        weight_column: Option<String>,
    },
    /// Text with `{name}` parts filled by other generators (`{policy_number}/{icd10}`).
    Format(String),
    /// One of several generators per row, by weight.
    OneOf(Vec<(String, f64)>),
}

/// A locale, or a weighted mix of them: (name as written, weight), and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct LocaleSpec {
    /// `[("en_US", 70), ("de_DE", 30)]`.
    pub mix: Vec<(String, u32)>,
    /// JSON pointer of the value.
    pub pointer: String,
}

/// Database settings.
#[derive(Debug, Clone)]
pub struct Database {
    /// Name used by `-C` and the header.
    pub name: String,
    /// Owner role; `None` writes `Owner: -` and no `ALTER ... OWNER TO`.
    pub owner: Option<String>,
    /// Encoding name (`UTF8`).
    pub encoding: String,
    /// Default schema for tables and types that do not name one.
    pub default_schema: String,
}

/// Naming conventions for key columns, used to infer foreign keys.
#[derive(Debug, Clone)]
pub struct Naming {
    /// Primary key column name pattern (`id`, `{table_singular}_id`).
    pub primary_key: String,
    /// Foreign key column name pattern (`{table_singular}_id`).
    pub foreign_key: String,
    /// Whether columns matching `foreign_key` become foreign keys automatically.
    pub infer_foreign_keys: bool,
}

/// A `CREATE EXTENSION`.
#[derive(Debug, Clone)]
pub struct Extension {
    /// Extension name.
    pub name: String,
    /// Schema it is installed into.
    pub schema: String,
}

/// A user-defined type.
#[derive(Debug, Clone)]
pub struct UserType {
    /// Type name.
    pub name: String,
    /// Its schema.
    pub schema: String,
    /// What kind of type.
    pub kind: UserTypeKind,
    /// Comment, if any.
    pub comment: Option<String>,
    /// Where it was declared.
    pub pointer: String,
}

impl UserType {
    /// The names of the types this one is built on (a composite's field
    /// types, a domain's base type; an array stands for its element type),
    /// each once, in declaration order. Built-in types are left out.
    #[must_use]
    pub fn uses(&self) -> Vec<&str> {
        let types: Vec<&PgType> = match &self.kind {
            UserTypeKind::Enum(_) => Vec::new(),
            UserTypeKind::Composite(fields) => fields.iter().map(|f| &f.ty).collect(),
            UserTypeKind::Domain(d) => vec![&d.base],
        };
        let mut names: Vec<&str> = Vec::new();
        for ty in types {
            if let TypeRef::Named(name) = &ty.elem {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names
    }
}

/// The three kinds of user type pgmock can declare.
#[derive(Debug, Clone)]
pub enum UserTypeKind {
    /// `CREATE TYPE ... AS ENUM`.
    Enum(Vec<String>),
    /// `CREATE TYPE ... AS (...)`.
    Composite(Vec<Field>),
    /// `CREATE DOMAIN`.
    Domain(Domain),
}

/// A composite type field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Field name.
    pub name: String,
    /// Field type.
    pub ty: PgType,
}

/// A domain over a base type.
#[derive(Debug, Clone)]
pub struct Domain {
    /// The underlying type.
    pub base: PgType,
    /// `NOT NULL` on the domain.
    pub not_null: bool,
    /// Default expression.
    pub default: Option<String>,
    /// Named CHECK constraints (`VALUE > 0`).
    pub checks: Vec<Check>,
}

/// A stand-alone sequence.
#[derive(Debug, Clone)]
pub struct Sequence {
    /// Name.
    pub name: String,
    /// Schema.
    pub schema: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`, when not the default.
    pub min: Option<i64>,
    /// `MAXVALUE`, when not the default.
    pub max: Option<i64>,
    /// `CYCLE`.
    pub cycle: bool,
    /// Comment.
    pub comment: Option<String>,
}

/// How many rows a table gets.
#[derive(Debug, Clone, PartialEq)]
pub enum RowCount {
    /// Exactly this many (before `--scale`).
    Exact(u64),
    /// A number of rows per row of another table, drawn from `min..=max`:
    /// uniformly, or by a Poisson law with `mean`.
    PerParent {
        /// Index of the parent table in `Schema::tables`.
        parent: usize,
        /// Fewest rows per parent row.
        min: u64,
        /// Most rows per parent row.
        max: u64,
        /// Poisson mean, when the counts follow one.
        mean: Option<f64>,
    },
}

/// A table (or a partition of a partitioned table).
#[derive(Debug, Clone)]
pub struct Table {
    /// Bare name.
    pub name: String,
    /// Locales for this table's rows (over the project's).
    pub locale: Option<LocaleSpec>,
    /// Default share of NULLs for this table's nullable columns (over the project's).
    pub null_ratio: Option<f64>,
    /// Schema.
    pub schema: String,
    /// Row count rule.
    pub rows: RowCount,
    /// Not affected by `--scale` (lookup tables).
    pub fixed: bool,
    /// Comment.
    pub comment: Option<String>,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Primary key, if any.
    pub primary_key: Option<KeyConstraint>,
    /// Unique constraints.
    pub uniques: Vec<KeyConstraint>,
    /// CHECK constraints (column and table level), in output order.
    pub checks: Vec<Check>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexes.
    pub indexes: Vec<Index>,
    /// `PARTITION BY` of a partitioned table.
    pub partition_by: Option<PartitionBy>,
    /// Partitions of this table (indexes into `Schema::tables`).
    pub partitions: Vec<usize>,
    /// For a partition: the parent table index and the bound.
    pub partition_of: Option<(usize, PartitionBound)>,
    /// Where it was declared (`/tables/orders`).
    pub pointer: String,
}

impl Table {
    /// Finds a column by name.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Name.
    pub name: String,
    /// Type.
    pub ty: PgType,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// Default expression, as SQL text.
    pub default: Option<String>,
    /// `GENERATED ... AS IDENTITY`.
    pub identity: Option<Identity>,
    /// Declared as `serial`/`bigserial`/`smallserial`.
    pub serial: Option<SerialKind>,
    /// `GENERATED ALWAYS AS (expr) STORED`: computed by the server, left out of COPY.
    pub generated: Option<String>,
    /// Collation.
    pub collation: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// An explicit generator, as written (compiled by the plan stage).
    pub generator: Option<Box<GeneratorSpec>>,
    /// `derive`: an arithmetic expression over the row's other columns, and where it was written.
    pub derive: Option<Box<(String, String)>>,
    /// `aggregate`: `sum(child_table.column)` and the like, and where it was written.
    pub aggregate: Option<Box<(String, String)>>,
    /// `template`: Tera text over the row's other columns, and where it was written.
    pub template: Option<Box<(String, String)>>,
    /// `when`: the column has a value only in rows whose other column holds one of some values.
    pub when: Option<Box<When>>,
    /// `from`: the parent row's value (`fk_column.parent_column`), maybe translated.
    pub from: Option<Box<FromRule>>,
    /// `after`: a date or time after another column of the row or of its parent.
    pub after: Option<Box<AfterRule>>,
    /// `before`: a date or time before another column of the row or of its
    /// parent (usage before the subscription ended); `within_days` is unused.
    pub before: Option<Box<AfterRule>>,
    /// How a foreign key column picks its parent rows (`{"kind": "zipf"}`); uniform when absent.
    pub distribution: Option<Box<GeneratorSpec>>,
    /// Share of NULLs for this column.
    pub null_ratio: Option<f64>,
    /// Locales for this column (over the table's).
    pub locale: Option<Box<LocaleSpec>>,
    /// Its PII label (`"pii"`), which changes no data.
    pub pii: Option<super::Pii>,
    /// Where it was declared.
    pub pointer: String,
}

impl Column {
    /// Whether COPY carries this column (stored generated columns are left out, as pg_dump does).
    #[must_use]
    pub fn in_copy(&self) -> bool {
        self.generated.is_none()
    }
}

/// A declared conditional: `"when": {"status": ["shipped", "delivered"]}`.
#[derive(Debug, Clone)]
pub struct When {
    /// The column that decides (`status`).
    pub column: String,
    /// The values for which this column has a value.
    pub values: Vec<String>,
    /// Where it was written.
    pub pointer: String,
}

/// A declared order in time: `"after": "customer_id.created_at"` or
/// `{"column": "ordered_at", "within_days": 30}`.
#[derive(Debug, Clone)]
pub struct AfterRule {
    /// `column` of the same row, or `fk_column.parent_column`.
    pub column: String,
    /// The longest delay, in days (default: two years after a parent, a month in the row).
    pub within_days: Option<f64>,
    /// Where it was written.
    pub pointer: String,
}

/// `"from": "product_id.price"`, or `{"column": "order_id.status", "map":
/// {"paid": "captured", ...}}` to translate the parent's values.
#[derive(Debug, Clone)]
pub struct FromRule {
    /// `fk_column.parent_column`.
    pub column: String,
    /// Parent value → this column's value, in the order written.
    pub map: Option<Vec<(String, String)>>,
    /// Where it was written.
    pub pointer: String,
}

/// An identity column's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY` (INSERTs need `OVERRIDING SYSTEM VALUE`).
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// An explicit generator as written in the project file: its kind and options.
#[derive(Debug, Clone)]
pub struct GeneratorSpec {
    /// Kind name (`uniform`, `email`, ...).
    pub kind: String,
    /// The options object (without `kind`).
    pub options: serde_json::Map<String, Value>,
    /// Where it was declared.
    pub pointer: String,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone)]
pub struct KeyConstraint {
    /// Constraint name.
    pub name: String,
    /// Column indexes.
    pub columns: Vec<usize>,
    /// Where it was declared.
    pub pointer: String,
}

/// A CHECK constraint.
#[derive(Debug, Clone)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// SQL expression as written.
    pub expr: String,
    /// The recognised simple form, if the expression is one.
    pub parsed: Option<CheckExpr>,
    /// Where it was declared.
    pub pointer: String,
}

/// Referential actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    /// `NO ACTION` (default, not printed).
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

/// A foreign key.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns (indexes into this table).
    pub columns: Vec<usize>,
    /// Referenced table index.
    pub ref_table: usize,
    /// Referenced columns (indexes into the referenced table).
    pub ref_columns: Vec<usize>,
    /// `ON DELETE`.
    pub on_delete: FkAction,
    /// `ON UPDATE`.
    pub on_update: FkAction,
    /// `DEFERRABLE`.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
    /// Where it was declared.
    pub pointer: String,
}

/// An index.
#[derive(Debug, Clone)]
pub struct Index {
    /// Name.
    pub name: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// Access method (`btree`, `hash`, `gin`, `gist`, `brin`, ...).
    pub method: String,
    /// Key items as written: column names or parenthesised expressions, with options (`DESC`).
    pub keys: Vec<String>,
    /// The same keys parsed, one per item of `keys`.
    pub parsed: Vec<IndexKey>,
    /// Partial index predicate.
    pub predicate: Option<String>,
    /// Where it was declared.
    pub pointer: String,
}

/// One key of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexKey {
    /// A column of the table.
    Column {
        /// Index into the table's columns.
        column: usize,
        /// What follows the column name, as pg_dump writes it (` text_pattern_ops DESC`):
        /// empty, or starting with a space.
        options: String,
    },
    /// An expression (`(lower(email))`), written as is.
    Expression(String),
}

/// Partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    /// `RANGE`.
    Range,
    /// `LIST`.
    List,
    /// `HASH`.
    Hash,
}

/// `PARTITION BY strategy (columns)`.
#[derive(Debug, Clone)]
pub struct PartitionBy {
    /// Strategy.
    pub strategy: PartitionStrategy,
    /// Partition key columns.
    pub columns: Vec<usize>,
}

/// A partition bound.
#[derive(Debug, Clone)]
pub enum PartitionBound {
    /// `FOR VALUES FROM (..) TO (..)`, literal values as text (`MINVALUE`/`MAXVALUE` allowed).
    Range {
        /// Lower bound values (inclusive).
        from: Vec<String>,
        /// Upper bound values (exclusive).
        to: Vec<String>,
    },
    /// `FOR VALUES IN (..)`.
    List(Vec<String>),
    /// `FOR VALUES WITH (modulus m, remainder r)`.
    Hash {
        /// Modulus.
        modulus: u32,
        /// Remainder.
        remainder: u32,
    },
    /// `DEFAULT`.
    Default,
}
