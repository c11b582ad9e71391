use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::FieldError;

/// The id of a transaction: a UUID v4 made on the branch (or by the client, for retries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransactionId(Uuid);

impl TransactionId {
    /// A fresh random id.
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Accepts only a version-4 UUID, as the contract requires of ids made on a branch.
    pub fn parse_v4(field: &'static str, text: &str) -> Result<Self, FieldError> {
        let uuid = Uuid::from_str(text.trim()).map_err(|_| {
            FieldError::new(
                field,
                "must be a UUID such as 0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11",
            )
        })?;
        if uuid.get_version_num() != 4 {
            return Err(FieldError::new(field, "must be a version-4 (random) UUID"));
        }
        Ok(Self(uuid))
    }

    /// Parses any UUID, for looking an entry up (an id that is not v4 simply will not exist).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        Uuid::from_str(text.trim())
            .map(Self)
            .map_err(|_| FieldError::new(field, "must be a transaction id (a UUID)"))
    }

    /// Wraps an id read back from storage, where it was validated on the way in.
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The id of a branch, issued by HQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BranchId(Uuid);

impl BranchId {
    /// A fresh random id (HQ makes these when a branch is created).
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses any UUID.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        Uuid::from_str(text.trim())
            .map(Self)
            .map_err(|_| FieldError::new(field, "must be a branch id (a UUID)"))
    }

    /// Wraps an id read back from storage.
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for BranchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_v4_and_refuses_other_versions_and_garbage() {
        let v4 = Uuid::new_v4().to_string();
        assert!(TransactionId::parse_v4("id", &v4).is_ok());
        let v1ish = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        assert_eq!(
            TransactionId::parse_v4("id", v1ish).unwrap_err().issue,
            "must be a version-4 (random) UUID"
        );
        assert!(TransactionId::parse_v4("id", "12").is_err());
        assert!(TransactionId::parse_v4("id", "").is_err());
    }
}
