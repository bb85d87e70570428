//! Template references: `ecommerce@^1`, `acme/claims@~2.1`, or the object form
//! `{ "name", "version", "params", "prefix", "schema" }`.

use std::fmt;

use semver::VersionReq;

/// A template name (`ecommerce`, or `PACK/NAME` for a pack's template) with a version range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    /// The name, with its pack when it has one.
    pub name: String,
    /// The version range (`*` when none was given).
    pub req: VersionReq,
}

impl TemplateRef {
    /// Parses `NAME[@RANGE]`; the message says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (name, range) = match text.split_once('@') {
            Some((n, r)) => (n.trim(), Some(r.trim())),
            None => (text.trim(), None),
        };
        check_name(name)?;
        let req = match range {
            None => VersionReq::STAR,
            Some(r) => parse_req(r)?,
        };
        Ok(Self {
            name: name.to_owned(),
            req,
        })
    }

    /// The pack part of `PACK/NAME`, if any.
    #[must_use]
    pub fn pack(&self) -> Option<&str> {
        self.name.split_once('/').map(|(p, _)| p)
    }

    /// The name without its pack.
    #[must_use]
    pub fn bare_name(&self) -> &str {
        self.name
            .split_once('/')
            .map_or(self.name.as_str(), |(_, n)| n)
    }
}

impl fmt::Display for TemplateRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.req == VersionReq::STAR {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}@{}", self.name, self.req)
        }
    }
}

/// Parses a semver range (`^1`, `~1.1`, `>=1.0, <2`, `=1.0.0`, `*`).
pub fn parse_req(text: &str) -> Result<VersionReq, String> {
    VersionReq::parse(text).map_err(|e| format!("`{text}` is not a version range ({e})"))
}

/// Checks a template or pack name: lowercase letters, digits, `-` and `_`, with one optional `PACK/`.
pub fn check_name(name: &str) -> Result<(), String> {
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 2 || parts.iter().any(|p| !is_plain_name(p)) {
        return Err(format!(
            "`{name}` is not a template name: use lowercase letters, digits, `-` and `_`, as `NAME` or `PACK/NAME`"
        ));
    }
    Ok(())
}

/// Whether `name` is one plain name segment (`ecommerce`, `claims-v2`).
#[must_use]
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_ranges() {
        let r = TemplateRef::parse("ecommerce@^1").unwrap();
        assert_eq!(
            (r.name.as_str(), r.req.to_string().as_str()),
            ("ecommerce", "^1")
        );
        let r = TemplateRef::parse("acme/claims@~2.1").unwrap();
        assert_eq!((r.pack(), r.bare_name()), (Some("acme"), "claims"));
        assert_eq!(TemplateRef::parse("saas").unwrap().req, VersionReq::STAR);
        assert!(TemplateRef::parse("Shop@1").is_err());
        assert!(TemplateRef::parse("../x").is_err());
        assert!(TemplateRef::parse("a/b/c").is_err());
        assert!(TemplateRef::parse("shop@banana")
            .unwrap_err()
            .contains("not a version range"));
    }
}
