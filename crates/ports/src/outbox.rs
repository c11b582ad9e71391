use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, Transaction, TransactionId};

use crate::LedgerError;

/// How many entries wait for HQ and how many HQ refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    /// Not yet accepted by HQ and not quarantined.
    pub pending: u64,
    /// Quarantined: HQ refused them and they wait for someone to fix the cause.
    pub rejected: u64,
}

/// HQ's answer to one push, as it applies to the branch's rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushOutcome {
    /// Accepted now or before (`accepted` and `duplicates`): now safe at HQ.
    pub synced: Vec<TransactionId>,
    /// Refused, with HQ's `code: reason`.
    pub rejected: Vec<(TransactionId, String)>,
}

/// The branch's outbox: entries on their way to HQ.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// The oldest `limit` entries (by `created_at`, then id) neither synced nor quarantined.
    async fn pending(&self, limit: u32) -> Result<Vec<Transaction>, LedgerError>;

    /// Applies HQ's answer in one local transaction: synced ids get `is_synced` and `synced_at`,
    /// rejected ids get their reason and leave the outbox. Unknown ids are ignored.
    async fn apply_outcome(
        &self,
        outcome: &PushOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), LedgerError>;

    /// Pending and rejected counts.
    async fn counts(&self) -> Result<OutboxCounts, LedgerError>;

    /// Puts every quarantined entry back in the outbox; returns how many.
    async fn retry_rejected(&self) -> Result<u64, LedgerError>;

    /// Stamps `branch` on every entry that has no branch yet; returns how many.
    async fn assign_branch(&self, branch: BranchId) -> Result<u64, LedgerError>;
}
