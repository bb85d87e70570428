//! Names PostgreSQL would choose: default constraint, index and sequence names
//! (with its 63-byte truncation), and the English singular used by naming
//! conventions (`customers` → `customer`).

/// PostgreSQL's identifier length limit (NAMEDATALEN - 1).
pub const MAX_IDENT_BYTES: usize = 63;

/// Builds `name1_name2_label` the way PostgreSQL's `makeObjectName` does:
/// when too long, the longer of the two name parts is shortened first.
#[must_use]
pub fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let mut len1 = name1.len();
    let mut len2 = name2.map_or(0, str::len);
    while len1 + len2 + overhead > MAX_IDENT_BYTES {
        if len1 > len2 {
            len1 -= 1;
        } else {
            len2 -= 1;
        }
    }
    let mut out = String::new();
    out.push_str(truncate_utf8(name1, len1));
    if let Some(n2) = name2 {
        out.push('_');
        out.push_str(truncate_utf8(n2, len2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// `name` cut as the server cuts a name that is too long (at most 63 bytes, on a character boundary).
#[must_use]
pub fn truncate(name: &str) -> &str {
    truncate_utf8(name, MAX_IDENT_BYTES)
}

fn truncate_utf8(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Picks `base`, or `base` with a number (`t_a_key1`) if `taken` already has it,
/// as PostgreSQL does for clashing default names.
#[must_use]
pub fn unique_name(name1: &str, name2: Option<&str>, label: &str, taken: &[String]) -> String {
    let first = object_name(name1, name2, label);
    if !taken.contains(&first) {
        return first;
    }
    (1..)
        .map(|n| object_name(name1, name2, &format!("{label}{n}")))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(first)
}

/// A simple English singular for table names (`categories` → `category`).
#[must_use]
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    for (plural, single) in [
        ("people", "person"),
        ("children", "child"),
        ("men", "man"),
        ("women", "woman"),
        ("data", "data"),
    ] {
        if lower == plural {
            return single.to_owned();
        }
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return word.to_owned();
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

/// Expands a naming pattern (`{table_singular}_id`, `{table}_id`) for a table.
#[must_use]
pub fn expand(pattern: &str, table: &str) -> String {
    pattern
        .replace("{table_singular}", &singular(table))
        .replace("{table}", table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_and_truncation() {
        assert_eq!(
            object_name("orders", Some("customer_id"), "fkey"),
            "orders_customer_id_fkey"
        );
        assert_eq!(object_name("orders", None, "pkey"), "orders_pkey");
        let long = "a".repeat(70);
        let name = object_name(&long, Some("col"), "key");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_col_key"));
        assert_eq!(
            unique_name("t", Some("a"), "key", &["t_a_key".into()]),
            "t_a_key1"
        );
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("customers"), "customer");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("people"), "person");
        assert_eq!(expand("{table_singular}_id", "orders"), "order_id");
    }
}
