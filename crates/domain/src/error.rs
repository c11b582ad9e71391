use std::fmt;

/// Which rule a field broke, for a client to put in its user's language (the `issue` text is
/// English, for people reading the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Must be given and not empty.
    Required,
    /// At most this many characters.
    MaxLength(i64),
    /// A whole number from `min` to `max`.
    Range {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// One of a fixed set of values (`IN`/`OUT`, ...).
    OneOf,
    /// Written in a fixed format (a UUID, an RFC 3339 time, a date).
    Format,
    /// No control characters.
    NoControlCharacters,
    /// Not more than this many seconds after the entry's `created_at`.
    NotInFuture(i64),
    /// Not before this year.
    MinYear(i64),
    /// The PC's clock is too wrong to stamp anything.
    Clock,
    /// Not a leap second (`:60`).
    NoLeapSecond,
    /// Must come after another field (`to` after `from`).
    Order,
    /// The wrong kind of JSON value (text for a number, …).
    Type,
    /// Not a field of this request.
    UnknownField,
    /// Named more than once.
    Duplicate,
    /// Must be set to confirm a consequential change.
    Confirm,
    /// Too easy to guess (a PIN such as 123456).
    Weak,
    /// Anything else; the issue says what.
    Invalid,
}

impl Rule {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::MaxLength(_) => "max_length",
            Self::Range { .. } => "range",
            Self::OneOf => "one_of",
            Self::Format => "format",
            Self::NoControlCharacters => "no_control_characters",
            Self::NotInFuture(_) => "not_in_future",
            Self::MinYear(_) => "min_year",
            Self::Clock => "clock",
            Self::NoLeapSecond => "no_leap_second",
            Self::Order => "order",
            Self::Type => "type",
            Self::UnknownField => "unknown_field",
            Self::Duplicate => "duplicate",
            Self::Confirm => "confirm",
            Self::Weak => "weak",
            Self::Invalid => "invalid",
        }
    }

    /// The number the rule is about, if any (the longest length, the largest value, the
    /// seconds, the year).
    pub fn limit(self) -> Option<i64> {
        match self {
            Self::MaxLength(n) | Self::NotInFuture(n) | Self::MinYear(n) => Some(n),
            Self::Range { max, .. } => Some(max),
            _ => None,
        }
    }

    /// The smallest allowed value of a range.
    pub fn min(self) -> Option<i64> {
        match self {
            Self::Range { min, .. } => Some(min),
            _ => None,
        }
    }
}

/// One rule broken by one field of an input, in words a cashier can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {issue}")]
pub struct FieldError {
    /// The input field, as the client named it (`amount`, `category`, ...).
    pub field: &'static str,
    /// Which rule, machine-readable.
    pub rule: Rule,
    /// What is wrong and what would be accepted.
    pub issue: String,
}

impl FieldError {
    /// A new field error of an unnamed rule ([`Rule::Invalid`]).
    pub fn new(field: &'static str, issue: impl Into<String>) -> Self {
        Self {
            field,
            rule: Rule::Invalid,
            issue: issue.into(),
        }
    }

    /// Names the rule that was broken.
    #[must_use]
    pub fn rule(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }
}

/// Every rule an input broke, so a form can show them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// A set holding a single error.
    pub fn single(field: &'static str, issue: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, issue)])
    }

    /// Records the error of `result`, if any, and passes its value on.
    pub fn collect<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    /// True when no rule was broken.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}
