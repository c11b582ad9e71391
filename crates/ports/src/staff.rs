//! HQ staff, their sessions and their sign-in failures (DESIGN 10.1). All of it lives in the
//! database, so several `kh-cloud` processes behind one proxy share it.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{Email, HqUser, KeyHash, UserId};

use crate::HqError;

/// A session about to be opened.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The SHA-256 of the cookie's token.
    pub token_hash: KeyHash,
    /// The token a state-changing request must echo in `X-KH-CSRF`.
    pub csrf_token: String,
    /// Whose.
    pub user: UserId,
    /// When it was opened.
    pub at: DateTime<Utc>,
    /// When it ends unless used before.
    pub expires_at: DateTime<Utc>,
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The signed-in user.
    pub user: HqUser,
    /// The token state-changing requests must echo.
    pub csrf_token: String,
    /// When it ends unless used before.
    pub expires_at: DateTime<Utc>,
}

/// One line of the audit log: who changed what (DESIGN 10.1; owners read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a user's email, `admin token` or `command line`.
    pub actor: String,
    /// What, e.g. `branch.create`, `branch.rotate_key`, `list.channel.change`, `user.disable`.
    pub action: String,
    /// Which item: a branch code, an item's name, a user's email.
    pub target: String,
}

/// HQ's users, sessions, sign-in failures and audit log.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HqStaff: Send + Sync + 'static {
    /// Stores a new user with its password's argon2id hash (PHC string). MUST return
    /// `HqError::NameTaken` when the email is taken.
    async fn create_user(&self, user: &HqUser, password_hash: &str) -> Result<(), HqError>;

    /// The user with this email and its password hash.
    async fn user_by_email(&self, email: &Email) -> Result<Option<(HqUser, String)>, HqError>;

    /// Every user, by email.
    async fn users(&self) -> Result<Vec<HqUser>, HqError>;

    /// Disables (`Some(at)`) or re-enables (`None`) a user; disabling ends its sessions.
    /// MUST return `ItemNotFound` for an unknown id.
    async fn set_disabled(&self, id: UserId, at: Option<DateTime<Utc>>) -> Result<HqUser, HqError>;

    /// Replaces a user's password hash and ends its sessions (`ItemNotFound`).
    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<HqUser, HqError>;

    /// Counts a sign-in attempt for `email` at `at` as failed *before* its password is
    /// checked, in one step with the count of the email's failures at or after `since`, so
    /// attempts sent at once (to any HQ process on the database) cannot all pass the count:
    /// when there are `max` already, nothing is counted and the answer is `false`. A right
    /// password then clears the count ([`Self::clear_failed_sign_ins`]).
    async fn try_sign_in(
        &self,
        email: &Email,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
        max: u32,
    ) -> Result<bool, HqError>;

    /// Forgets the failed sign-ins of `email` (after a successful one), and everybody's from
    /// before `stale_before` (they no longer count: this keeps the table to about one window
    /// of failures, however many emails are tried).
    async fn clear_failed_sign_ins(
        &self,
        email: &Email,
        stale_before: DateTime<Utc>,
    ) -> Result<(), HqError>;

    /// Opens a session, and forgets every session that expired before it opens.
    async fn open_session(&self, session: NewSession) -> Result<(), HqError>;

    /// The live session with this token hash, its expiry moved to `extend_to`; `None` when
    /// there is none, it expired before `now`, or its user is disabled.
    async fn session(
        &self,
        token_hash: &KeyHash,
        now: DateTime<Utc>,
        extend_to: DateTime<Utc>,
    ) -> Result<Option<Session>, HqError>;

    /// Ends a session (nothing when there is none).
    async fn close_session(&self, token_hash: &KeyHash) -> Result<(), HqError>;

    /// Appends a line to the audit log.
    async fn audit(&self, entry: AuditEntry) -> Result<(), HqError>;

    /// The latest `limit` lines of the audit log, newest first.
    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, HqError>;
}
