//! Hashing and checking secrets people type (HQ passwords, branch PINs) with argon2id, a fresh
//! salt each time, off the async threads. The PHC string keeps the parameters, so a hash made
//! with other parameters still checks.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::services::ServiceError;

/// How hard a hash is to make (and so to guess by trying).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// HQ passwords: argon2's recommended defaults (19 MiB, 2 passes); a password has far more
    /// possibilities than a PIN.
    Password,
    /// Branch PINs: six digits are a million possibilities, so each try costs more (64 MiB,
    /// 3 passes), still well under the 300 ms a cashier may wait at the lock screen on a shop
    /// PC (`kh-bench pin` prints the figure).
    Pin,
}

impl Strength {
    fn argon2(self) -> Result<Argon2<'static>, ServiceError> {
        let params = match self {
            Self::Password => Params::default(),
            Self::Pin => Params::new(64 * 1024, 3, 1, None)
                .map_err(|e| ServiceError::Internal(e.to_string()))?,
        };
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(e.to_string())
}

/// Hashes `secret` (a fresh salt each time), off the async threads.
pub(crate) async fn hash_secret(
    secret: String,
    strength: Strength,
) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0_u8; 16];
        getrandom::fill(&mut salt).map_err(internal)?;
        let salt = SaltString::encode_b64(&salt).map_err(internal)?;
        strength
            .argon2()?
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(internal)
    })
    .await
    .map_err(internal)?
}

/// Whether `secret` matches the stored PHC `hash`, off the async threads.
pub(crate) async fn verify_secret(secret: String, hash: String) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(internal)?;
        Ok(Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(internal)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_checks_its_secret_only_and_keeps_its_strength() {
        let pin = hash_secret("402913".into(), Strength::Pin).await.unwrap();
        assert!(pin.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{pin}");
        assert!(verify_secret("402913".into(), pin.clone()).await.unwrap());
        assert!(!verify_secret("402914".into(), pin.clone()).await.unwrap());
        let again = hash_secret("402913".into(), Strength::Pin).await.unwrap();
        assert_ne!(pin, again, "a fresh salt each time");
        let password = hash_secret("kata sandi panjang".into(), Strength::Password)
            .await
            .unwrap();
        assert!(
            password.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{password}"
        );
        assert!(
            verify_secret("kata sandi panjang".into(), password)
                .await
                .unwrap()
        );
    }
}
