use std::fmt;

use async_trait::async_trait;
use kh_domain::BranchId;
use kh_domain::chrono::{DateTime, Utc};

use crate::LedgerError;

/// Who this PC is at HQ, as HQ said when the key was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchIdentity {
    /// HQ's id for the branch.
    pub id: BranchId,
    /// Short code, e.g. `JKT-01`.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// Where HQ is and the key that proves this branch's identity.
#[derive(Clone, PartialEq, Eq)]
pub struct SyncCredentials {
    /// HQ's base URL, e.g. `https://hq.example.com`.
    pub cloud_url: String,
    /// The branch key HQ issued. Never logged.
    pub api_key: String,
}

impl fmt::Debug for SyncCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncCredentials")
            .field("cloud_url", &self.cloud_url)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

/// How the last conversation with HQ went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStatus {
    /// HQ answered the last attempt.
    Online,
    /// HQ could not be reached (or has not been tried yet).
    #[default]
    Offline,
    /// HQ refused the key (401/403); pushing stops until the key changes.
    Unauthorized,
}

impl LinkStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Offline => "offline",
            Self::Unauthorized => "unauthorized",
        }
    }

    /// Parses a stored name; anything unknown reads as offline.
    pub fn parse(text: &str) -> Self {
        match text {
            "online" => Self::Online,
            "unauthorized" => Self::Unauthorized,
            _ => Self::Offline,
        }
    }
}

/// What the sync worker last did, kept across restarts so status tells the truth at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncActivity {
    /// State of the link to HQ.
    pub link: LinkStatus,
    /// When HQ last answered (a push, or the check made when there is nothing to push).
    pub last_sync_at: Option<DateTime<Utc>>,
    /// When the worker last tried to talk to HQ.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The last failure in plain words; cleared by a success.
    pub last_error: Option<String>,
}

/// The branch's stored sync settings: credentials, identity and the worker's last activity.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SyncSettings: Send + Sync + 'static {
    /// The stored credentials, if the PC was activated.
    async fn credentials(&self) -> Result<Option<SyncCredentials>, LedgerError>;

    /// The branch identity HQ confirmed, if any.
    async fn identity(&self) -> Result<Option<BranchIdentity>, LedgerError>;

    /// Stores credentials and identity together, replacing earlier ones, and resets the link
    /// status to offline (a new key deserves a fresh try).
    async fn activate(
        &self,
        credentials: &SyncCredentials,
        identity: Option<BranchIdentity>,
    ) -> Result<(), LedgerError>;

    /// The worker's last recorded activity.
    async fn activity(&self) -> Result<SyncActivity, LedgerError>;

    /// Replaces the recorded activity (activation does, for the credentials it just stored).
    async fn record_activity(&self, activity: &SyncActivity) -> Result<(), LedgerError>;

    /// The worker's write of what HQ said: stores `identity` only while `credentials` are still
    /// the stored ones and no identity is stored yet, in one step; false when an activation
    /// came in between (its answer is not about the stored key, so it is dropped).
    async fn learn_identity(
        &self,
        credentials: &SyncCredentials,
        identity: &BranchIdentity,
    ) -> Result<bool, LedgerError>;

    /// The worker's write of how a sync attempt went: replaces the activity only while
    /// `credentials` are still the stored ones, in one step; false when an activation came in
    /// between (a failure of the old key must not undo the new one).
    async fn record_activity_for(
        &self,
        credentials: &SyncCredentials,
        activity: &SyncActivity,
    ) -> Result<bool, LedgerError>;
}
