use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, HqEpoch, NewTransaction};

use crate::LedgerError;

/// A row of the branch's feed this book cannot read as an entry: kept as HQ sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    /// The id it carried, or empty.
    pub id: String,
    /// What is wrong with it.
    pub reason: String,
    /// The row as HQ sent it (JSON).
    pub raw: String,
}

/// One row of the branch's feed (DESIGN 8.1) as it reached the branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulledRow {
    /// Its place in the feed.
    pub seq: i64,
    /// The entry, or why this book cannot read it.
    pub row: Result<NewTransaction, UnreadableRow>,
    /// When HQ stored it (the entry's `synced_at` here).
    pub received_at: DateTime<Utc>,
}

/// A page of the branch's feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PulledPage {
    /// Rows in feed order.
    pub items: Vec<PulledRow>,
    /// Where the next page starts.
    pub next_after: i64,
    /// Whether more rows wait at HQ.
    pub more: bool,
    /// HQ's count of the branch's rows, when `more`.
    pub total: Option<u64>,
    /// HQ's epoch when it answered.
    pub epoch: Option<HqEpoch>,
}

/// Where the book stands in its branch's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PullState {
    /// The feed position of the last page taken (0: none yet).
    pub after: i64,
    /// Rows taken from the feed since it started over (stored, already here or quarantined).
    pub restored: u64,
    /// HQ's count of the branch's rows, as last told.
    pub total: Option<u64>,
    /// Whether the book has caught up with the feed once since it started over; until then
    /// the PC is restoring.
    pub caught_up: bool,
    /// Rows of the feed the book could not take, kept apart with their reason.
    pub quarantined: u64,
}

/// What taking one page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Taken {
    /// Entries the book lacked, now stored as synced.
    pub stored: u64,
    /// Entries it already held, identical.
    pub skipped: u64,
    /// Rows it could not take, kept apart with the reason.
    pub quarantined: u64,
}

/// What the book did on hearing HQ's epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochSeen {
    /// The one it knew (or the first it heard): nothing to do.
    Known,
    /// A new one: HQ was restored or replaced. `requeued` entries HQ had confirmed are back
    /// in the outbox, and the feed is read again from its start.
    Changed {
        /// Entries put back in the outbox.
        requeued: u64,
    },
}

/// The branch's side of the pull: rows of the branch's feed taken into the book.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Inbox: Send + Sync + 'static {
    /// Where the book stands in the feed of the branch it is activated for.
    async fn pull_state(&self) -> Result<PullState, LedgerError>;

    /// Takes `page`, read from `branch`'s feed after `from`, in ONE local transaction with the new
    /// position: an entry the book lacks is stored as synced (at HQ's `received_at`) and
    /// counted in the totals; one it holds with the same content is skipped; anything else
    /// (unreadable, contradicting a stored entry, a void whose original the book lacks or has
    /// voided otherwise) is quarantined with its reason. A stored entry is never changed.
    /// Returns `None`, writing nothing, when the position is no longer `from` or the book is
    /// no longer `branch`'s (the PC was activated again meanwhile).
    async fn take_pulled(
        &self,
        branch: BranchId,
        from: i64,
        page: &PulledPage,
    ) -> Result<Option<Taken>, LedgerError>;

    /// Notes HQ's epoch (DESIGN 8.4). The first one heard is stored. A different one means HQ
    /// may lack rows it once confirmed: in ONE local transaction every entry of the book's
    /// branch marked synced goes back to the outbox (HQ takes what it holds as duplicates), the
    /// feed position starts over (without the PC counting as restoring again), and the new
    /// epoch is stored.
    async fn note_epoch(&self, epoch: HqEpoch) -> Result<EpochSeen, LedgerError>;
}
