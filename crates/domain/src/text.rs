use crate::{FieldError, Rule};

/// Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte-order
/// mark, the soft hyphen, fillers and variation selectors. Text made only of them (and spaces)
/// looks empty on every screen, so it counts as empty; at the ends they are trimmed like spaces.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Trims `raw` (spaces and invisible characters), checks its length in characters and refuses
/// control characters (`allow_newlines` lets multi-line text keep `\n`, `\r` and `\t`).
/// The longest length counts the text as sent, before trimming: the limit a client reads in the
/// API's document (`maxLength`) and a form's input limit hold for exactly what is sent.
pub(crate) fn clean(
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) -> Result<String, FieldError> {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    if trimmed.chars().count() < min {
        return Err(FieldError::new(field, "must not be empty").rule(Rule::Required));
    }
    let count = raw.chars().count();
    if count > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters (got {count})"),
        )
        .rule(Rule::MaxLength(i64::try_from(max).unwrap_or(i64::MAX))));
    }
    let bad = trimmed
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t')));
    if bad {
        return Err(
            FieldError::new(field, "must not contain control characters")
                .rule(Rule::NoControlCharacters),
        );
    }
    Ok(trimmed.to_owned())
}

/// The spelling-free form of a name: its words in lower case, one space apart. Two names with
/// one key are one item (a category, a payment channel).
pub fn name_key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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

    /// What every spelling of one category shares: its words in lower case, one space apart.
    /// "Operasional" and "operasional" share one key, as do "Bahan  Baku" and "bahan baku";
    /// the spelling a book stored first is the one its lists show.
    pub fn key(&self) -> String {
        name_key(&self.0)
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
    fn text_that_shows_nothing_counts_as_empty() {
        for invisible in [
            "\u{200B}\u{200B}",
            "\u{FEFF}",
            " \u{200D}\u{2060} ",
            "\u{00AD}",
        ] {
            let err = Category::parse(invisible).unwrap_err();
            assert_eq!(err.issue, "must not be empty", "{invisible:?}");
            assert!(VoidReason::parse(invisible).is_err(), "{invisible:?}");
            assert_eq!(Description::parse(invisible).unwrap().as_str(), "");
        }
        // Trimmed at the ends like spaces, so it cannot make a second "Bahan Baku".
        assert_eq!(
            Category::parse("\u{200B}Bahan Baku\u{FEFF}")
                .unwrap()
                .as_str(),
            "Bahan Baku"
        );
        // Inside a word a joiner stays (it shapes some scripts and emoji).
        assert_eq!(
            Category::parse("a\u{200D}b").unwrap().as_str(),
            "a\u{200D}b"
        );
    }

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
        // The limit counts what was sent: spaces around 50 characters make it too long.
        assert!(Category::parse(&format!(" {} ", "x".repeat(48))).is_ok());
        let padded = format!(" {} ", "x".repeat(50));
        assert_eq!(
            Category::parse(&padded).unwrap_err().rule,
            Rule::MaxLength(50)
        );
    }

    #[test]
    fn spellings_of_one_category_share_a_key_whatever_their_case_and_spaces() {
        let key = |raw: &str| Category::parse(raw).unwrap().key();
        assert_eq!(key("Operasional"), "operasional");
        assert_eq!(key("operasional"), key("OPERASIONAL"));
        assert_eq!(key("Bahan  Baku"), key("bahan baku"));
        assert_eq!(key("Bahan\u{00A0}Baku"), key("Bahan Baku"));
        assert_eq!(key("ÉCLAIR Ünik"), "éclair ünik");
        assert_ne!(key("Bahan Baku"), key("BahanBaku"));
        assert_ne!(key("Operasional"), key("Operasional Kantor"));
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
