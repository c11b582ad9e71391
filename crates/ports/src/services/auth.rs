//! Signing HQ staff in and out, and managing them (DESIGN 10.1).

use std::sync::Arc;

use kh_domain::chrono::Duration;
use kh_domain::{Email, HqUser, Password, Role, SessionToken, UserId, ValidationErrors};

use crate::services::ServiceError;
use crate::services::secret::{Strength, hash_secret, verify_secret};
use crate::{Clock, HqStaff, NewSession, Session};

/// A session ends after this long without use.
pub const SESSION_IDLE_HOURS: i64 = 12;
/// Failed sign-ins of one email within [`LOCKOUT_MINUTES`] that lock it until the window passes.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
/// The window failed sign-ins are counted in.
pub const LOCKOUT_MINUTES: i64 = 15;

/// What the same wrong answer says for an unknown email and a wrong password.
const WRONG: &str = "The email or the password is wrong";

/// A hash of a password nobody has, checked when the email is unknown so that an unknown
/// email takes as long as a known one.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2hQbWPYdTzsq3Gq6yRYAkOt3pUW8EPOuUyD+DdZFfq0";

/// A signed-in user: the cookie's token (shown once, to set the cookie) and the session.
#[derive(Debug)]
pub struct SignedIn {
    /// The token for the cookie.
    pub token: SessionToken,
    /// The session it opens.
    pub session: Session,
}

/// Signing HQ staff in and out, and the operator's user commands.
#[derive(Clone)]
pub struct AuthService {
    staff: Arc<dyn HqStaff>,
    clock: Arc<dyn Clock>,
}

fn random_hex(bytes: usize) -> Result<String, ServiceError> {
    let mut buf = vec![0_u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Hashes a password with argon2id (a fresh salt each time), off the async threads.
async fn hash(password: Password) -> Result<String, ServiceError> {
    hash_secret(password.expose().to_owned(), Strength::Password).await
}

/// Whether `password` matches the stored PHC `hash`, off the async threads.
async fn verify(password: Password, hash: String) -> Result<bool, ServiceError> {
    verify_secret(password.expose().to_owned(), hash).await
}

impl AuthService {
    /// A service over HQ's staff store.
    pub fn new(staff: Arc<dyn HqStaff>, clock: Arc<dyn Clock>) -> Self {
        Self { staff, clock }
    }

    /// Signs in: a locked email (too many recent failures) is refused before the password is
    /// checked, and every attempt counts as a failure until its password proves right; a wrong
    /// email or password says the same; success opens a session.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, ServiceError> {
        let now = self.clock.now();
        let unauthorized = || ServiceError::Unauthorized(WRONG.into());
        let (Ok(email), Some(password)) = (Email::parse(email), Password::presented(password))
        else {
            return Err(unauthorized());
        };
        let since = now - Duration::minutes(LOCKOUT_MINUTES);
        // Counted as failed before the (slow) check, and cleared if the password is right:
        // passwords sent at once get the five tries one at a time gets.
        if !self
            .staff
            .try_sign_in(&email, now, since, MAX_FAILED_SIGN_INS)
            .await?
        {
            return Err(ServiceError::RateLimited {
                retry_after_secs: u64::try_from(LOCKOUT_MINUTES * 60).unwrap_or(900),
            });
        }
        let found = self.staff.user_by_email(&email).await?;
        let (user, stored) = match found {
            Some((user, stored)) => (Some(user), stored),
            None => (None, DECOY.to_owned()),
        };
        let matches = verify(password, stored).await?;
        let user = match user {
            Some(user) if matches && user.disabled_at.is_none() => user,
            _ => {
                tracing::warn!("a sign-in to the HQ console failed");
                return Err(unauthorized());
            }
        };
        self.staff.clear_failed_sign_ins(&email, since).await?;
        let token = SessionToken::generate().map_err(|e| ServiceError::Internal(e.to_string()))?;
        let csrf_token = random_hex(32)?;
        let expires_at = now + Duration::hours(SESSION_IDLE_HOURS);
        self.staff
            .open_session(NewSession {
                token_hash: token.hash(),
                csrf_token: csrf_token.clone(),
                user: user.id,
                at: now,
                expires_at,
            })
            .await?;
        tracing::info!(user.id = %user.id, role = user.role.as_str(), "signed in to the HQ console");
        Ok(SignedIn {
            token,
            session: Session {
                user,
                csrf_token,
                expires_at,
            },
        })
    }

    /// The live session of a cookie's token; `Unauthorized` when there is none (or it ended).
    pub async fn session(&self, token: Option<&str>) -> Result<Session, ServiceError> {
        let ended = || {
            ServiceError::Unauthorized(
                "Sign in to the HQ console; the session ended or is missing".into(),
            )
        };
        let token = token.and_then(SessionToken::presented).ok_or_else(ended)?;
        let now = self.clock.now();
        self.staff
            .session(
                &token.hash(),
                now,
                now + Duration::hours(SESSION_IDLE_HOURS),
            )
            .await?
            .ok_or_else(ended)
    }

    /// Ends the session of a cookie's token, if any.
    pub async fn sign_out(&self, token: Option<&str>) -> Result<(), ServiceError> {
        if let Some(token) = token.and_then(SessionToken::presented) {
            self.staff.close_session(&token.hash()).await?;
        }
        Ok(())
    }

    /// Makes a user (the operator's `kh-cloud user create`).
    pub async fn create_user(
        &self,
        email: &str,
        role: &str,
        password: &str,
    ) -> Result<HqUser, ServiceError> {
        let mut errors = ValidationErrors::default();
        let email = errors.collect(Email::parse(email));
        let role = errors.collect(Role::parse("role", role));
        let password = errors.collect(Password::new(password));
        let (Some(email), Some(role), Some(password)) = (email, role, password) else {
            return Err(errors.into());
        };
        let user = HqUser {
            id: UserId::new_v4(),
            email,
            role,
            disabled_at: None,
            created_at: self.clock.now(),
        };
        let hashed = hash(password).await?;
        self.staff.create_user(&user, &hashed).await?;
        Ok(user)
    }

    /// Every user.
    pub async fn users(&self) -> Result<Vec<HqUser>, ServiceError> {
        Ok(self.staff.users().await?)
    }

    /// The user with this email.
    pub async fn by_email(&self, email: &str) -> Result<HqUser, ServiceError> {
        let email = Email::parse(email)?;
        self.staff
            .user_by_email(&email)
            .await?
            .map(|(u, _)| u)
            .ok_or_else(|| ServiceError::ItemNotFound(format!("No HQ user {}", email.as_str())))
    }

    /// Disables a user (its sessions end) or enables it again.
    pub async fn set_disabled(&self, id: UserId, disabled: bool) -> Result<HqUser, ServiceError> {
        let at = disabled.then(|| self.clock.now());
        Ok(self.staff.set_disabled(id, at).await?)
    }

    /// Sets a new password (its sessions end).
    pub async fn reset_password(&self, id: UserId, password: &str) -> Result<HqUser, ServiceError> {
        let hashed = hash(Password::new(password)?).await?;
        Ok(self.staff.set_password(id, &hashed).await?)
    }
}

impl AuthService {
    /// Appends who changed what to the audit log; a failure to write it is logged, never
    /// undoes the change it describes.
    pub async fn record(&self, actor: &str, action: &str, target: &str) {
        let entry = crate::AuditEntry {
            at: self.clock.now(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
        };
        if let Err(e) = self.staff.audit(entry).await {
            tracing::error!(error = %e, action, "could not write the audit log");
        }
    }

    /// The latest lines of the audit log, newest first (at most 500).
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<crate::AuditEntry>, ServiceError> {
        Ok(self.staff.audit_log(limit.clamp(1, 500)).await?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use kh_domain::chrono::{TimeZone, Utc};

    use super::*;
    use crate::{MockClock, MockHqStaff};

    /// Passwords sent all at once get the five tries one at a time gets: each is counted
    /// before its password is checked, so the sixth is refused without being looked at, even
    /// when it is the right one.
    #[tokio::test]
    async fn passwords_sent_at_once_get_five_tries_in_all() {
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).unwrap();
        let user = HqUser {
            id: UserId::new_v4(),
            email: Email::parse("pemilik@haramain.id").unwrap(),
            role: Role::Owner,
            disabled_at: None,
            created_at: now,
        };
        let stored = hash(Password::new("sandi-yang-panjang").unwrap())
            .await
            .unwrap();
        let failures = Arc::new(AtomicU32::new(0));
        let mut staff = MockHqStaff::new();
        let counted = failures.clone();
        staff.expect_try_sign_in().returning(move |_, _, _, max| {
            Ok(counted
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                    (n < max).then_some(n + 1)
                })
                .is_ok())
        });
        staff
            .expect_user_by_email()
            .returning(move |_| Ok(Some((user.clone(), stored.clone()))));
        let cleared = failures.clone();
        staff.expect_clear_failed_sign_ins().returning(move |_, _| {
            cleared.store(0, Ordering::SeqCst);
            Ok(())
        });
        staff.expect_open_session().returning(|_| Ok(()));
        let mut clock = MockClock::new();
        clock.expect_now().return_const(now);
        let service = AuthService::new(Arc::new(staff), Arc::new(clock));

        let mut guesses: Vec<String> = (0..11).map(|n| format!("tebakan-ke-{n:02}")).collect();
        guesses.push("sandi-yang-panjang".into());
        let answers = futures::future::join_all(
            guesses
                .iter()
                .map(|p| service.sign_in("pemilik@haramain.id", p)),
        )
        .await;
        assert_eq!(
            crate::services::wrong_and_locked(&answers),
            (5, 7),
            "{answers:?}"
        );
        assert_eq!(failures.load(Ordering::SeqCst), 5);
    }
}
