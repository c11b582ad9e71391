use std::fmt;

/// One rule broken by one field of an input, in words a cashier can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {issue}")]
pub struct FieldError {
    /// The input field, as the client named it (`amount`, `category`, ...).
    pub field: &'static str,
    /// What is wrong and what would be accepted.
    pub issue: String,
}

impl FieldError {
    /// A new field error.
    pub fn new(field: &'static str, issue: impl Into<String>) -> Self {
        Self {
            field,
            issue: issue.into(),
        }
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
