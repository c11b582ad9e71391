use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{BranchId, FieldError};

/// A branch's short code, e.g. `JKT-01`: 1..=10 letters, digits, `-` or `_`, kept upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BranchCode(String);

impl BranchCode {
    /// The longest code, in characters.
    pub const MAX_CHARS: usize = 10;

    /// Validates and upper-cases a code.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let code = raw.trim().to_ascii_uppercase();
        let ok = (1..=Self::MAX_CHARS).contains(&code.chars().count())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(Self(code))
        } else {
            Err(FieldError::new(
                "code",
                "must be 1 to 10 letters, digits, - or _ (e.g. JKT-01)",
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A branch's display name: 1..=100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchName(String);

impl BranchName {
    /// The longest name, in characters (counted as sent, spaces around included).
    pub const MAX_CHARS: usize = 100;

    /// Validates a name (trimmed first).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() || raw.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                "name",
                format!("must be 1 to {} characters", Self::MAX_CHARS),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new(
                "name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A branch as HQ knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// HQ's id for it.
    pub id: BranchId,
    /// Unique short code.
    pub code: BranchCode,
    /// Display name.
    pub name: BranchName,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was disabled; a disabled branch cannot push.
    pub disabled_at: Option<DateTime<Utc>>,
    /// When it last pushed (or asked who it is).
    pub last_seen_at: Option<DateTime<Utc>>,
}

/// The SHA-256 of a branch key: what HQ stores instead of the key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    /// Wraps stored bytes; `None` when they are not 32 bytes long.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(Self)
    }

    /// The stored bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Compares in constant time, so response timing says nothing about how close a guess was.
    pub fn matches(&self, other: &KeyHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyHash([redacted])")
    }
}

/// A branch key in clear: shown once when created or rotated, never stored or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

const KEY_PREFIX: &str = "kh_";
const KEY_SECRET_LEN: usize = 40;
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl ApiKey {
    /// A new random key: `kh_` and 40 base-62 characters (about 238 bits).
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut key = String::with_capacity(KEY_PREFIX.len() + KEY_SECRET_LEN);
        key.push_str(KEY_PREFIX);
        let mut buf = [0_u8; 64];
        while key.len() < KEY_PREFIX.len() + KEY_SECRET_LEN {
            getrandom::fill(&mut buf)?;
            // Rejection sampling keeps every character equally likely.
            for b in buf {
                if usize::from(b) < ALPHABET.len() * 4
                    && key.len() < KEY_PREFIX.len() + KEY_SECRET_LEN
                {
                    key.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
                }
            }
        }
        Ok(Self(key))
    }

    /// Wraps a key presented by a client; `None` for anything that cannot be a key.
    pub fn presented(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let ok = raw.len() <= 200 && !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_graphic());
        ok.then(|| Self(raw.to_owned()))
    }

    /// The hash HQ stores and looks keys up by.
    pub fn hash(&self) -> KeyHash {
        KeyHash(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The key itself, to hand to the branch once.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_bounded() {
        assert_eq!(BranchCode::parse(" jkt-01 ").unwrap().as_str(), "JKT-01");
        assert!(BranchCode::parse("").is_err());
        assert!(BranchCode::parse("ABCDEFGHIJK").is_err());
        assert!(BranchCode::parse("JKT 01").is_err());
        assert!(BranchName::parse("Cabang Jakarta Selatan").is_ok());
        assert!(BranchName::parse(&"x".repeat(101)).is_err());
    }

    #[test]
    fn keys_are_random_hashed_and_never_printed() {
        let a = ApiKey::generate().unwrap();
        let b = ApiKey::generate().unwrap();
        assert_ne!(a, b);
        assert!(a.reveal().starts_with("kh_") && a.reveal().len() == 43);
        assert!(a.reveal()[3..].bytes().all(|c| c.is_ascii_alphanumeric()));
        assert!(
            a.hash()
                .matches(&ApiKey::presented(a.reveal()).unwrap().hash())
        );
        assert!(!a.hash().matches(&b.hash()));
        assert!(!format!("{a:?} {:?}", a.hash()).contains(&a.reveal()[3..]));
        assert!(ApiKey::presented("has space").is_none());
        assert!(ApiKey::presented("").is_none());
    }
}
