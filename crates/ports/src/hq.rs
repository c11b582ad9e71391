use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{
    Branch, BranchCode, BranchId, BranchName, DateRange, DayTotals, DeviceId, HqEpoch, KeyHash,
    NewTransaction, RejectionCode, Totals, Transaction, TransactionId,
};

use crate::{ListQuery, Page};

/// What went wrong in HQ storage.
#[derive(Debug, thiserror::Error)]
pub enum HqError {
    /// Another branch already has this code.
    #[error("a branch with code {0} already exists")]
    CodeTaken(String),
    /// No branch with this id.
    #[error("no branch with id {0}")]
    BranchNotFound(BranchId),
    /// No item of HQ's lists with this id (the message names it).
    #[error("{0}")]
    ItemNotFound(String),
    /// An item of the same list already has this name (spelling aside).
    #[error("{0}")]
    NameTaken(String),
    /// The database cannot be used right now; nothing was written. Worth retrying.
    #[error("HQ storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else; for the log.
    #[error("HQ storage failure: {0}")]
    Internal(String),
}

/// A branch about to be created.
#[derive(Debug, Clone)]
pub struct NewBranch {
    /// Its id.
    pub id: BranchId,
    /// Unique code.
    pub code: BranchCode,
    /// Display name.
    pub name: BranchName,
    /// Hash of its first key.
    pub key_hash: KeyHash,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// HQ's list of branches and their keys (hashed).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait BranchDirectory: Send + Sync + 'static {
    /// Stores a new branch. MUST return `CodeTaken` when the code is in use (also under
    /// concurrent creation).
    async fn create(&self, branch: NewBranch) -> Result<Branch, HqError>;

    /// Every branch, by code.
    async fn list(&self) -> Result<Vec<Branch>, HqError>;

    /// The branch with this id.
    async fn get(&self, id: BranchId) -> Result<Option<Branch>, HqError>;

    /// The branch with this code.
    async fn find_by_code(&self, code: &BranchCode) -> Result<Option<Branch>, HqError>;

    /// The branch whose current key has this hash, with the stored hash (for a constant-time
    /// check). A rotated-away key MUST find nothing.
    async fn find_by_key(&self, hash: &KeyHash) -> Result<Option<(Branch, KeyHash)>, HqError>;

    /// Replaces the branch's key. MUST return `BranchNotFound` for an unknown id.
    async fn replace_key(&self, id: BranchId, hash: KeyHash) -> Result<Branch, HqError>;

    /// Disables the branch (keeping the first disable time). `BranchNotFound` if unknown.
    async fn disable(&self, id: BranchId, at: DateTime<Utc>) -> Result<Branch, HqError>;

    /// Enables a disabled branch again (its current key works again). `BranchNotFound` if
    /// unknown; enabling an enabled branch changes nothing.
    async fn enable(&self, id: BranchId) -> Result<Branch, HqError>;

    /// Records that the branch was just heard from.
    async fn touch(&self, id: BranchId, at: DateTime<Utc>) -> Result<(), HqError>;

    /// Records that `device` of `branch` was just heard from (the first time adds it).
    async fn touch_device(
        &self,
        branch: BranchId,
        device: DeviceId,
        at: DateTime<Utc>,
    ) -> Result<(), HqError>;

    /// Every device HQ has heard from, with its branch, by branch then first contact.
    async fn devices(&self) -> Result<Vec<Device>, HqError>;

    /// Records how many rows from HQ `device` of `branch` holds apart because its book could
    /// not take them (its pull quarantine), as the device just reported (the first time adds
    /// the device).
    async fn note_held(
        &self,
        branch: BranchId,
        device: DeviceId,
        held: u64,
        at: DateTime<Utc>,
    ) -> Result<(), HqError>;

    /// Adds `count` rows HQ refused from the branch (they wait quarantined on its PC).
    async fn note_refusals(
        &self,
        branch: BranchId,
        count: u64,
        at: DateTime<Utc>,
    ) -> Result<(), HqError>;

    /// The refusals of every branch that had any.
    async fn refusals(&self) -> Result<Vec<Refusals>, HqError>;
}

/// Rows HQ refused from one branch (each refusal of a re-sent row counts again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusals {
    /// The branch.
    pub branch: BranchId,
    /// Refusals so far.
    pub count: u64,
    /// The latest one.
    pub last_at: DateTime<Utc>,
}

/// One branch database (one PC's book) HQ has heard from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// The branch it pushes and pulls for.
    pub branch: BranchId,
    /// Its id (`X-KH-Device`).
    pub id: DeviceId,
    /// First push or pull HQ saw from it.
    pub first_seen_at: DateTime<Utc>,
    /// Its latest contact (refreshed at most every few seconds).
    pub last_seen_at: DateTime<Utc>,
    /// Rows from HQ it holds apart because its book could not take them, as it last said.
    pub pull_quarantined: u64,
}

/// One row of a branch's feed: a stored row with its place in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    /// Its place in the feed: increasing, with gaps.
    pub seq: i64,
    /// The device that pushed it (`None` for rows pushed before devices were recorded).
    pub device: Option<DeviceId>,
    /// The row as the branch made it.
    pub tx: NewTransaction,
    /// When HQ stored it.
    pub received_at: DateTime<Utc>,
}

/// A page of a branch's feed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedPage {
    /// Rows with `seq` above the cursor asked for, in `seq` order.
    pub items: Vec<FeedRow>,
    /// Whether rows beyond this page were stored when it was read.
    pub more: bool,
    /// How many rows the branch has at HQ in all; only counted when `more` (a branch that is
    /// caught up costs one query per pull).
    pub total: Option<u64>,
}

/// Why HQ refused one row of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRejection {
    /// The row's id as sent.
    pub id: String,
    /// Why, in a word the branch can act on.
    pub code: RejectionCode,
    /// What is wrong, for the branch's status screen.
    pub reason: String,
}

/// The fate of every row of one push.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IngestOutcome {
    /// Stored now.
    pub accepted: Vec<TransactionId>,
    /// Already stored with identical content; nothing changed.
    pub duplicates: Vec<TransactionId>,
    /// Refused; nothing stored for these.
    pub rejected: Vec<RowRejection>,
}

/// HQ's ledger of every branch's entries.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HqLedger: Send + Sync + 'static {
    /// Stores the validated rows of one push from `branch` in ONE database transaction that is
    /// committed before this returns. Every row lands in exactly one list of the outcome:
    /// an id already stored with identical content (same branch) is a duplicate; with any other
    /// content or branch it is rejected `conflict` and the stored row is untouched; a void whose
    /// original this branch never delivered (in an earlier push or earlier in this one) is
    /// rejected `unknown_reference`; a void that does not mirror its original is rejected
    /// `validation_failed`; a second void of one original is rejected `already_voided`.
    /// Rows of `rows` carry distinct ids.
    /// Rows are stored with `device` and with their `seq`: the rows of one branch become
    /// visible to readers in `seq` order (a push of a branch takes its numbers and commits
    /// before the next push of that branch takes any), so [`HqLedger::feed`] never skips one.
    async fn ingest(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        rows: Vec<NewTransaction>,
        received_at: DateTime<Utc>,
    ) -> Result<IngestOutcome, HqError>;

    /// At most `limit` rows of `branch` with `seq > after`, in `seq` order, from one snapshot;
    /// a void always comes after its original.
    async fn feed(&self, branch: BranchId, after: i64, limit: u32) -> Result<FeedPage, HqError>;

    /// A page of entries (any branch unless `query.branch`), newest first. Items carry
    /// `sync = Synced { at: received_at }` and `voided_by`.
    async fn list(&self, query: &ListQuery) -> Result<Page<Transaction>, HqError>;

    /// The next `limit` entries of `query` (its page and limit ignored) after `after` in list
    /// order (from the first when `None`), for an export that walks every page. Items as in
    /// [`HqLedger::list`].
    async fn list_after(
        &self,
        query: &ListQuery,
        after: Option<crate::ListCursor>,
        limit: u32,
    ) -> Result<Vec<Transaction>, HqError>;

    /// Totals per branch over the business dates of `range` (branches without entries omitted).
    async fn branch_totals(&self, range: DateRange) -> Result<Vec<(BranchId, Totals)>, HqError>;

    /// The balance before `range` and each business date's totals in it, for one branch or all.
    async fn daily(
        &self,
        branch: Option<BranchId>,
        range: DateRange,
    ) -> Result<(i64, Vec<DayTotals>), HqError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), HqError>;

    /// The HQ database's epoch (DESIGN 8.4), made at its first migration.
    async fn epoch(&self) -> Result<HqEpoch, HqError>;

    /// Makes a new epoch, after the database was restored from a backup; returns it.
    async fn reset_epoch(&self) -> Result<HqEpoch, HqError>;
}
