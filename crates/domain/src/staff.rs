//! HQ staff (DESIGN 10.1): who may sign in to the HQ console and what each role may do.

use std::fmt;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::ids::{CANONICAL, parse_canonical};
use crate::{FieldError, KeyHash, Rule};

/// The id of an HQ user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(Uuid);

impl UserId {
    /// A fresh random id.
    pub fn new_v4() -> Self {
        Self(Uuid::new_v4())
    }

    /// Parses an id in its one spelling.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        parse_canonical(text).map(Self).ok_or_else(|| {
            FieldError::new(field, format!("must be a user id (a UUID {CANONICAL})"))
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

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What an HQ user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads everything.
    Viewer,
    /// Reads and exports everything and manages the lists.
    Finance,
    /// Everything: branches and their keys, users, the audit log.
    Owner,
}

impl Role {
    /// Parses `owner`, `finance` or `viewer`, exactly.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, FieldError> {
        match text {
            "owner" => Ok(Self::Owner),
            "finance" => Ok(Self::Finance),
            "viewer" => Ok(Self::Viewer),
            _ => Err(FieldError::new(field, "must be owner, finance or viewer").rule(Rule::OneOf)),
        }
    }

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Finance => "finance",
            Self::Viewer => "viewer",
        }
    }

    /// Whether this role may do what `needed` may (owner > finance > viewer).
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// An email address, as a sign-in name: trimmed, lower case, one `@` with text on both sides,
/// at most 254 characters, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// The longest address, in characters.
    pub const MAX_CHARS: usize = 254;

    /// Validates an address as typed.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let text = raw.trim().to_lowercase();
        if text.is_empty() {
            return Err(FieldError::new("email", "must not be empty").rule(Rule::Required));
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "email",
                format!("must be at most {} characters", Self::MAX_CHARS),
            )
            .rule(Rule::MaxLength(Self::MAX_CHARS as i64)));
        }
        let well_formed = matches!(text.split_once('@'), Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@'))
            && !text.chars().any(|c| c.is_whitespace() || c.is_control());
        if !well_formed {
            return Err(FieldError::new(
                "email",
                "must be an email address such as nama@contoh.id",
            )
            .rule(Rule::Format));
        }
        Ok(Self(text))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as a user chose it: 10..=128 characters. Never logged, never stored (only its
/// argon2id hash is), never shown.
pub struct Password(String);

impl Password {
    /// The shortest password accepted.
    pub const MIN_CHARS: usize = 10;
    /// The longest password accepted (argon2 takes any length; this bounds the work).
    pub const MAX_CHARS: usize = 128;

    /// Checks a new password's length.
    pub fn new(raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at least {} characters", Self::MIN_CHARS),
            )
            .rule(Rule::Range {
                min: Self::MIN_CHARS as i64,
                max: Self::MAX_CHARS as i64,
            }));
        }
        if n > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at most {} characters", Self::MAX_CHARS),
            )
            .rule(Rule::MaxLength(Self::MAX_CHARS as i64)));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A password presented at sign-in (any length up to the maximum is checked against the
    /// hash; a longer one cannot match).
    pub fn presented(raw: &str) -> Option<Self> {
        (raw.chars().count() <= Self::MAX_CHARS).then(|| Self(raw.to_owned()))
    }

    /// The secret itself, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// An HQ user as stored (the password only as its argon2id hash, in PHC form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqUser {
    /// Its id.
    pub id: UserId,
    /// Its sign-in name.
    pub email: Email,
    /// What it may do.
    pub role: Role,
    /// When it was disabled; a disabled user cannot sign in and its sessions end.
    pub disabled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A session's secret: 32 random bytes, sent in the cookie as 64 hex digits and stored only as
/// its SHA-256 (a stolen database holds no usable session).
pub struct SessionToken(String);

impl SessionToken {
    /// A fresh token.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0_u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A token as a client presented it; `None` for anything that cannot be one.
    pub fn presented(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }

    /// What storage keeps.
    pub fn hash(&self) -> KeyHash {
        let digest = Sha256::digest(self.0.as_bytes());
        KeyHash::from_bytes(&digest).unwrap_or_else(|| unreachable!("SHA-256 is 32 bytes"))
    }

    /// The token, for the cookie only.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_owner_over_finance_over_viewer() {
        assert!(Role::Owner.allows(Role::Finance));
        assert!(Role::Finance.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Finance));
        assert!(!Role::Finance.allows(Role::Owner));
        assert_eq!(Role::parse("r", "finance").unwrap(), Role::Finance);
        assert!(Role::parse("r", "Owner").is_err());
    }

    #[test]
    fn an_email_is_one_spelling_and_must_look_like_one() {
        assert_eq!(
            Email::parse("  Siti@Haramain.ID ").unwrap().as_str(),
            "siti@haramain.id"
        );
        for bad in [
            "",
            "siti",
            "@x",
            "x@",
            "a b@c",
            "a@b@c",
            &format!("{}@x", "a".repeat(260)),
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_password_is_long_enough_and_never_printed() {
        assert_eq!(Password::new("pendek").unwrap_err().field, "password");
        let p = Password::new("kuda-lari-cepat-42").unwrap();
        assert!(!format!("{p:?}").contains("kuda"));
        assert!(Password::presented(&"x".repeat(129)).is_none());
    }

    #[test]
    fn a_session_token_is_random_and_stored_only_as_its_hash() {
        let a = SessionToken::generate().unwrap();
        let b = SessionToken::generate().unwrap();
        assert_ne!(a.reveal(), b.reveal());
        assert_eq!(a.reveal().len(), 64);
        let again = SessionToken::presented(a.reveal()).unwrap();
        assert!(again.hash().matches(&a.hash()));
        assert!(SessionToken::presented("short").is_none());
        assert!(!format!("{a:?}").contains(a.reveal()));
    }
}
