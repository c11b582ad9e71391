use crate::FieldError;

/// Trims `raw`, checks its length in characters and refuses control characters
/// (`allow_newlines` lets multi-line text keep `\n`, `\r` and `\t`).
fn clean(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    let count = trimmed.chars().count();
    if count < min {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if count > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters (got {count})"),
        ));
    }
    let bad = trimmed
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t')));
    if bad {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// What the money was for, e.g. `Bahan Baku`: 1..=50 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Category(String);

impl Category {
    /// The longest category, in characters.
    pub const MAX_CHARS: usize = 50;

    /// Validates a category typed by a user (it is trimmed first).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean("category", raw, 1, Self::MAX_CHARS, false).map(Self)
    }

    /// The category text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text about an entry: 0..=500 characters; line breaks allowed, other control characters not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Description(String);

impl Description {
    /// The longest description, in characters.
    pub const MAX_CHARS: usize = 500;

    /// Validates a description (it is trimmed first; empty is fine).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean("description", raw, 0, Self::MAX_CHARS, true).map(Self)
    }

    /// The description text (possibly empty).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why an entry is being voided: 1..=200 characters. It becomes the void's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoidReason(String);

impl VoidReason {
    /// The longest reason, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Validates a reason (it is trimmed first and must not be empty).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean("reason", raw, 1, Self::MAX_CHARS, false).map(Self)
    }

    /// The reason text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_is_trimmed_and_bounded_in_characters_not_bytes() {
        assert_eq!(
            Category::parse("  Bahan Baku ").unwrap().as_str(),
            "Bahan Baku"
        );
        assert!(Category::parse("   ").is_err());
        assert!(Category::parse("").is_err());
        // 50 multi-byte characters are fine; 51 are not.
        assert!(Category::parse(&"é".repeat(50)).is_ok());
        let err = Category::parse(&"é".repeat(51)).unwrap_err();
        assert_eq!(err.field, "category");
        assert!(err.issue.contains("at most 50"), "{}", err.issue);
    }

    #[test]
    fn category_refuses_control_characters_even_newlines() {
        assert!(Category::parse("Gaji\u{0}").is_err());
        assert!(Category::parse("Ga\nji").is_err());
        assert!(Category::parse("Ga\u{1b}[31mji").is_err());
    }

    #[test]
    fn description_may_be_empty_or_multiline_but_not_too_long() {
        assert_eq!(Description::parse("").unwrap().as_str(), "");
        assert_eq!(
            Description::parse("baris 1\nbaris 2").unwrap().as_str(),
            "baris 1\nbaris 2"
        );
        assert!(Description::parse("bel\u{7}").is_err());
        assert!(Description::parse(&"x".repeat(500)).is_ok());
        assert!(Description::parse(&"x".repeat(501)).is_err());
    }

    #[test]
    fn void_reason_is_required_and_bounded() {
        assert!(VoidReason::parse(" ").is_err());
        assert!(VoidReason::parse(&"x".repeat(200)).is_ok());
        assert!(VoidReason::parse(&"x".repeat(201)).is_err());
    }
}
