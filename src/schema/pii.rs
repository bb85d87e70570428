//! PII labels: which columns hold personally identifiable information, how
//! directly they identify a person, and what kind of information it is.
//!
//! The levels and categories are closed lists, so that a typo is an error
//! with a hint rather than a label a compliance review silently misses.
//! A label changes no data; `pgmock explain --pii` lists the labels and
//! `pgmock generate --pii-comments` writes them into the dump as comments.

use std::fmt;

/// A column's PII label: `"pii": "direct"`, or `{"level": "quasi", "category": "location"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pii {
    /// How directly the values identify a person.
    pub level: PiiLevel,
    /// What kind of information it is, when the label says.
    pub category: Option<PiiCategory>,
}

impl Pii {
    /// The text `--pii-comments` writes: `PII: direct (contact)`, or `PII: quasi`.
    #[must_use]
    pub fn comment(self) -> String {
        format!("PII: {self}")
    }
}

impl fmt::Display for Pii {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.name())?;
        match self.category {
            Some(c) => write!(f, " ({})", c.name()),
            None => Ok(()),
        }
    }
}

/// How directly a column's values identify a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PiiLevel {
    /// Identifies a person on its own: a name, an e-mail address, a national id number.
    Direct,
    /// Identifies a person together with other values: a birth date, a postal code, a job title.
    Quasi,
}

impl PiiLevel {
    /// Every level, in the order the docs list them.
    pub const ALL: [Self; 2] = [Self::Direct, Self::Quasi];

    /// Its name in project files and output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Quasi => "quasi",
        }
    }

    /// The level called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// What kind of personal information a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PiiCategory {
    /// A person's name or a part of it.
    Name,
    /// A way to reach a person: e-mail address, phone number, postal address.
    Contact,
    /// Where a person is or was: coordinates, city, postal code, travel history.
    Location,
    /// A number an authority issues to one person: SSN, passport, tax or insurance number.
    NationalId,
    /// Money matters: bank account, IBAN, card number, salary, credit score.
    Financial,
    /// Health: diagnoses, prescriptions, lab results, medical record numbers.
    Health,
    /// Traits of a person: birth date, age, sex, gender, nationality, marital status.
    Demographic,
    /// An identifier online: user name, IP address, device or cookie id.
    OnlineId,
    /// Measurements of the body: fingerprints, face images, voice prints.
    Biometric,
    /// Work: employer, job title, employee number.
    Employment,
    /// Personal information that fits no other category.
    Other,
}

impl PiiCategory {
    /// Every category, in the order the docs list them.
    pub const ALL: [Self; 11] = [
        Self::Name,
        Self::Contact,
        Self::Location,
        Self::NationalId,
        Self::Financial,
        Self::Health,
        Self::Demographic,
        Self::OnlineId,
        Self::Biometric,
        Self::Employment,
        Self::Other,
    ];

    /// Its name in project files and output.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Contact => "contact",
            Self::Location => "location",
            Self::NationalId => "national_id",
            Self::Financial => "financial",
            Self::Health => "health",
            Self::Demographic => "demographic",
            Self::OnlineId => "online_id",
            Self::Biometric => "biometric",
            Self::Employment => "employment",
            Self::Other => "other",
        }
    }

    /// The category called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for level in PiiLevel::ALL {
            assert_eq!(PiiLevel::from_name(level.name()), Some(level));
        }
        for category in PiiCategory::ALL {
            assert_eq!(PiiCategory::from_name(category.name()), Some(category));
        }
        assert_eq!(PiiCategory::from_name("Name"), None, "names are exact");
    }

    #[test]
    fn comments_name_level_and_category() {
        let full = Pii {
            level: PiiLevel::Direct,
            category: Some(PiiCategory::Contact),
        };
        assert_eq!(full.comment(), "PII: direct (contact)");
        let bare = Pii {
            level: PiiLevel::Quasi,
            category: None,
        };
        assert_eq!(bare.comment(), "PII: quasi");
    }
}
