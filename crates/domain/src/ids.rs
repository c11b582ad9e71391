use std::fmt;

use uuid::Uuid;

use crate::{FieldError, Rule};

/// Reads a UUID written the one way ids travel: 36 characters, lower case, with hyphens
/// (`0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11`). The `uuid` crate also reads upper case, braces,
/// `urn:uuid:` and the hyphen-less form; accepting those would let one id be spelled several
/// ways, and every place that compares ids as text would count it several times.
pub(crate) fn parse_canonical(text: &str) -> Option<Uuid> {
    let uuid = Uuid::try_parse(text).ok()?;
    let mut buf = Uuid::encode_buffer();
    (uuid.hyphenated().encode_lower(&mut buf) == text).then_some(uuid)
}

/// What a field holding an id must look like, for the error a client sees.
pub(crate) const CANONICAL: &str =
    "in lower case with hyphens, such as 0b6f8a52-3c1e-4c55-9d0a-6f1f0e0b7a11";

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
        let uuid = parse_canonical(text).ok_or_else(|| {
            FieldError::new(field, format!("must be a UUID {CANONICAL}")).rule(Rule::Format)
        })?;
        if uuid.get_version_num() != 4 {
            return Err(
                FieldError::new(field, "must be a version-4 (random) UUID").rule(Rule::Format)
            );
        }
        Ok(Self(uuid))
    }

    /// Parses any UUID, for looking an entry up (an id that is not v4 simply will not exist).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(
                field,
                format!("must be a transaction id (a UUID {CANONICAL})"),
            )
            .rule(Rule::Format)
        })
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

    /// Parses any UUID in the canonical spelling.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(field, format!("must be a branch id (a UUID {CANONICAL})"))
                .rule(Rule::Format)
        })
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

/// The id of one branch database (one PC's book): a UUID v4 made once, at its first start
/// (DESIGN 8.2). Sent as `X-KH-Device` on every push and pull and stored with each pushed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(Uuid);

impl DeviceId {
    /// A fresh random id (a branch database makes its own once).
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Accepts only a version-4 UUID in the canonical spelling.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        TransactionId::parse_v4(field, text)
            .map(|id| Self(id.as_uuid()))
            .map_err(|_| {
                FieldError::new(
                    field,
                    format!("must be a device id (a version-4 UUID {CANONICAL})"),
                )
                .rule(Rule::Format)
            })
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

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which life of the HQ database an answer comes from (DESIGN 8.4): made at its first
/// migration and made anew when HQ is restored from a backup. A branch that sees it change
/// sends all its rows again, so a restored HQ gets back what its backup lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HqEpoch(Uuid);

impl HqEpoch {
    /// A fresh epoch.
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses an epoch as HQ sends it (canonical spelling).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(field, format!("must be an HQ epoch (a UUID {CANONICAL})"))
                .rule(Rule::Format)
        })
    }

    /// Wraps an epoch read back from storage.
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for HqEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_id_is_a_canonical_v4_uuid() {
        let v4 = Uuid::new_v4().to_string();
        assert_eq!(DeviceId::parse("d", &v4).unwrap().to_string(), v4);
        assert!(DeviceId::parse("d", &v4.to_uppercase()).is_err());
        assert!(DeviceId::parse("d", "6ba7b810-9dad-11d1-80b4-00c04fd430c8").is_err());
        let err = DeviceId::parse("X-KH-Device", "pc-1").unwrap_err();
        assert_eq!(err.field, "X-KH-Device");
        assert_eq!(err.rule, Rule::Format);
    }

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

    #[test]
    fn an_id_has_one_spelling_only() {
        let id = Uuid::new_v4();
        let canonical = id.to_string();
        assert_eq!(
            TransactionId::parse_v4("id", &canonical).unwrap().as_uuid(),
            id
        );
        assert_eq!(
            TransactionId::parse("id", &canonical).unwrap().as_uuid(),
            id
        );
        assert_eq!(BranchId::parse("id", &canonical).unwrap().as_uuid(), id);
        let other_spellings = [
            canonical.to_uppercase(),
            format!("{{{canonical}}}"),
            format!("urn:uuid:{canonical}"),
            id.simple().to_string(),
            format!(" {canonical}"),
            format!("{canonical} "),
        ];
        for spelling in &other_spellings {
            let err = TransactionId::parse_v4("id", spelling).unwrap_err();
            assert!(
                err.issue.contains("lower case with hyphens"),
                "{spelling}: {err:?}"
            );
            assert!(
                TransactionId::parse("reverses_id", spelling).is_err(),
                "{spelling}"
            );
            assert!(
                BranchId::parse("branch_id", spelling).is_err(),
                "{spelling}"
            );
        }
    }
}
