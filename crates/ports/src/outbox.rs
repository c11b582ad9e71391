use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, Transaction, TransactionId};

use crate::LedgerError;

/// How many entries wait for HQ and how many HQ refused (and how many shift reports it
/// refused). Entries belong to the branch they were made for: those of a branch the PC was
/// activated for earlier are `held`, never sent with another branch's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    /// This branch's entries not yet accepted by HQ and not quarantined.
    pub pending: u64,
    /// This branch's quarantined entries: HQ refused them and they wait for the cause's fix.
    pub rejected: u64,
    /// Another branch's entries not yet at HQ: they go once the PC is activated again with
    /// that branch's key.
    pub held: u64,
    /// Parts of shifts (an opening or a close) HQ refused: kept with the reason and not sent
    /// again, so HQ lacks them until somebody looks.
    pub refused_shifts: u64,
}

impl OutboxCounts {
    /// Entries of this branch not yet safe at HQ, waiting or quarantined.
    pub fn unsent(&self) -> u64 {
        self.pending.saturating_add(self.rejected)
    }
}

/// Why HQ refused one row: its code and its reason, kept apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HQ's code (`validation_failed`, `unknown_reference`, …).
    pub code: String,
    /// HQ's reason in words.
    pub reason: String,
}

impl Refusal {
    /// A refusal with `code` and `reason`.
    pub fn new(code: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            reason: reason.into(),
        }
    }
}

/// HQ's answer to one push, as it applies to the branch's rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PushOutcome {
    /// Accepted now or before (`accepted` and `duplicates`): now safe at HQ.
    pub synced: Vec<TransactionId>,
    /// Refused, with HQ's code and reason.
    pub rejected: Vec<(TransactionId, Refusal)>,
}

/// The branch's outbox: entries on their way to HQ.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Outbox: Send + Sync + 'static {
    /// The oldest `limit` entries neither synced nor quarantined of the branch the PC is
    /// activated for (or of none yet), in the order they were made (never by their clock
    /// times: an original always leaves before its void).
    async fn pending(&self, limit: u32) -> Result<Vec<Transaction>, LedgerError>;

    /// Applies HQ's answer in one local transaction: synced ids get `is_synced` and `synced_at`,
    /// rejected ids get their reason and leave the outbox. Unknown ids are ignored. A void
    /// quarantined as `unknown_reference` returns to the outbox once its original is synced.
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
