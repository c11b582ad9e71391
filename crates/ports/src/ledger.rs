use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    BranchId, Category, CategoryTotal, ChannelId, DateRange, DayTotals, NewTransaction, StaffId,
    Totals, Transaction, TransactionId, TxType,
};

/// What went wrong in a ledger. Business outcomes have their own variants; everything else is
/// `Unavailable` (the database cannot be reached or is busy: worth retrying) or `Internal`.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// An entry with this id exists with different content; the stored entry is unchanged.
    #[error("an entry with id {0} already exists with different content")]
    Conflict(TransactionId),
    /// The referenced entry does not exist.
    #[error("no entry with id {0}")]
    NotFound(TransactionId),
    /// The entry already has a void.
    #[error("entry {original} was already voided by {void}")]
    AlreadyVoided {
        /// The entry that was to be voided.
        original: TransactionId,
        /// Its existing void.
        void: TransactionId,
    },
    /// A shift cannot change this way: another is open, or it is already closed (the message
    /// says which).
    #[error("{0}")]
    ShiftConflict(String),
    /// The storage cannot be used right now (locked, unreachable, disk full). Nothing was written.
    #[error("the ledger is unavailable: {0}")]
    Unavailable(String),
    /// An unexpected failure; the message is for the log, not for the user.
    #[error("ledger failure: {0}")]
    Internal(String),
}

/// The result of posting an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// It was new and is now stored.
    Created(Transaction),
    /// The same entry (same id, same content) was already stored; nothing changed.
    Replayed(Transaction),
}

impl Recorded {
    /// The stored entry, whichever way it got there.
    pub fn transaction(&self) -> &Transaction {
        match self {
            Self::Created(tx) | Self::Replayed(tx) => tx,
        }
    }
}

/// Sync-state filter of a listing (branch side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFilter {
    /// Waiting in the outbox.
    Pending,
    /// Accepted by HQ.
    Synced,
    /// Quarantined after HQ refused it.
    Rejected,
}

/// Which entries to list, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// 1-based page number.
    pub page: u32,
    /// Entries per page, 1..=100.
    pub limit: u32,
    /// Only this direction.
    pub tx_type: Option<TxType>,
    /// Only this category, in any spelling (categories compare by [`Category::key`]).
    pub category: Option<Category>,
    /// Only entries whose business date falls in this range.
    pub range: DateRange,
    /// Only entries whose description or category contains this text (case-insensitive).
    pub text: Option<String>,
    /// Only entries in this sync state (branch only).
    pub sync: Option<SyncFilter>,
    /// Only this branch (HQ only).
    pub branch: Option<BranchId>,
    /// Only entries through this payment channel.
    pub channel: Option<ChannelId>,
    /// Only entries this member recorded.
    pub recorded_by: Option<StaffId>,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            page: 1,
            limit: 10,
            tx_type: None,
            category: None,
            range: DateRange::ALL,
            text: None,
            sync: None,
            branch: None,
            channel: None,
            recorded_by: None,
        }
    }
}

/// Where an export stopped reading: the last entry read, in list order (newest
/// `occurred_at` first, then `created_at`, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    /// The last entry's `occurred_at`.
    pub occurred_at: DateTime<Utc>,
    /// Its `created_at`.
    pub created_at: DateTime<Utc>,
    /// Its id.
    pub id: TransactionId,
}

impl ListCursor {
    /// The place just after `tx` in list order.
    pub fn after(tx: &Transaction) -> Self {
        Self {
            occurred_at: tx.occurred_at,
            created_at: tx.created_at,
            id: tx.id,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The entries on this page, newest `occurred_at` first.
    pub items: Vec<T>,
    /// The page number asked for.
    pub page: u32,
    /// The page size asked for.
    pub limit: u32,
    /// How many entries match across all pages.
    pub total: u64,
}

impl<T> Page<T> {
    /// How many pages the matching entries fill.
    pub fn total_pages(&self) -> u64 {
        self.total.div_ceil(u64::from(self.limit.max(1)))
    }
}

/// A category seen in the ledger, with how often it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedCategory {
    /// The category.
    pub category: Category,
    /// The direction it was used with.
    pub tx_type: TxType,
    /// How many entries used it.
    pub count: i64,
}

/// A branch's cash book: posts entries durably and answers the questions the dashboard asks.
///
/// Business dates are taken in the time zone the implementation was opened with.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Ledger: Send + Sync + 'static {
    /// Posts `tx` and returns only once it is durable (a crash afterwards cannot lose it).
    ///
    /// MUST return `Recorded::Replayed(stored)` when an entry with `tx.id` exists and
    /// `tx.is_replay_of(&stored)`, and `LedgerError::Conflict` when it exists with other content;
    /// in neither case is anything written. For a void (`tx.reverses_id` set) it MUST return
    /// `NotFound` when the original does not exist and `AlreadyVoided` when it already has a void,
    /// atomically with the write, so that two concurrent voids cannot both succeed.
    async fn record(&self, tx: NewTransaction) -> Result<Recorded, LedgerError>;

    /// The entry with this id, with `voided_by` filled in; `None` when there is none.
    async fn get(&self, id: TransactionId) -> Result<Option<Transaction>, LedgerError>;

    /// A page of entries matching `query`, newest `occurred_at` first, ties by `created_at`
    /// then `id` (both descending). A page past the end is empty, not an error.
    async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, LedgerError>;

    /// Sums and counts by direction of every entry `query` matches, on all its pages (its page
    /// and limit are ignored); voided entries and their voids are counted apart, as in
    /// [`Ledger::totals`].
    async fn list_totals(&self, query: &ListQuery) -> Result<Totals, LedgerError>;

    /// At most `limit` entries `query` matches (its page and limit aside) that come after
    /// `after` in list order (from the first when `None`): how an export reads every row a
    /// page at a time, each read as cheap as the first page.
    async fn list_after(
        &self,
        query: &ListQuery,
        after: Option<ListCursor>,
        limit: u32,
    ) -> Result<Vec<Transaction>, LedgerError>;

    /// Sums and counts by direction over the business dates of `range`, of one payment
    /// channel's entries when `channel` is given.
    async fn totals(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<Totals, LedgerError>;

    /// The balance before `range` starts (0 for an open start) and the totals of every business
    /// date in `range` that has entries, in date order; of one channel's entries when given.
    async fn daily(
        &self,
        range: DateRange,
        channel: Option<ChannelId>,
    ) -> Result<(i64, Vec<DayTotals>), LedgerError>;

    /// Totals of each payment channel with entries in `range` (voided entries apart, as in
    /// [`Ledger::totals`]), in no particular order.
    async fn channel_totals(
        &self,
        range: DateRange,
    ) -> Result<Vec<(ChannelId, Totals)>, LedgerError>;

    /// Totals by category and direction over `range`, largest total first; every spelling of
    /// a category is counted under the first one the book stored.
    async fn category_totals(
        &self,
        range: DateRange,
        tx_type: Option<TxType>,
    ) -> Result<Vec<CategoryTotal>, LedgerError>;

    /// Categories used so far (each under its first spelling), most used first, at most `limit`.
    async fn used_categories(&self, limit: u32) -> Result<Vec<UsedCategory>, LedgerError>;

    /// Reads from the database. MUST return `Unavailable` when it cannot be read.
    async fn ping(&self) -> Result<(), LedgerError>;
}
