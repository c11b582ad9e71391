//! Cash shifts at HQ (DESIGN 11, 12): what the branch PCs report, kept per branch for the
//! console's branch page, the overview's shift differences and what needs attention.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, NaiveDate, Utc};
use kh_domain::{BranchId, DateRange, DeviceId, RejectionCode, ShiftId};

use crate::{HqError, Page, ShiftView};

/// A shift as HQ holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqShift {
    /// Its branch.
    pub branch: BranchId,
    /// The PC that ran it, when that PC said.
    pub device: Option<DeviceId>,
    /// The business day it opened on, in HQ's calendar.
    pub business_date: NaiveDate,
    /// The shift and its figures as the PC last reported them (final once closed).
    pub view: ShiftView,
    /// When HQ last took news of it.
    pub received_at: DateTime<Utc>,
}

/// HQ's verdict on one reported shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftVerdict {
    /// Stored now: the shift is new, or its close is.
    Stored,
    /// HQ already held it as sent (a re-send after a lost answer, or an opening already
    /// followed by its close).
    Duplicate,
    /// Refused, with the code and the reason.
    Refused(RejectionCode, String),
}

/// One branch's closed shifts over a range: how many, and how their counts differed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShiftTotals {
    /// Closed shifts.
    pub closed: u64,
    /// Sum of their differences (counted − expected).
    pub difference: i64,
    /// Sum of the short ones (≤ 0).
    pub short: i64,
    /// Sum of the over ones (≥ 0).
    pub over: i64,
}

/// HQ's store of the branches' shifts. A close, once stored, never changes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HqShifts: Send + Sync + 'static {
    /// Stores what `branch` reports, in one database transaction, and says per shift what
    /// happened. A new id is stored as sent; a stored open shift takes its close once; a
    /// close that differs from the stored one, or a shift of another branch, is refused as
    /// `conflict`.
    async fn put_shifts(
        &self,
        branch: BranchId,
        device: Option<DeviceId>,
        shifts: Vec<ShiftView>,
        at: DateTime<Utc>,
    ) -> Result<Vec<(ShiftId, ShiftVerdict)>, HqError>;

    /// A page of `branch`'s shifts whose business day is in `range`, newest first.
    async fn branch_shifts(
        &self,
        branch: BranchId,
        range: DateRange,
        page: u32,
        limit: u32,
    ) -> Result<Page<HqShift>, HqError>;

    /// Per branch with closed shifts in `range`: their totals.
    async fn shift_totals(&self, range: DateRange)
    -> Result<Vec<(BranchId, ShiftTotals)>, HqError>;

    /// Shifts still open that opened before `before`, oldest first (at most `limit`).
    async fn open_before(&self, before: DateTime<Utc>, limit: u32)
    -> Result<Vec<HqShift>, HqError>;

    /// Shifts closed at or after `since` whose difference is beyond `threshold` either way,
    /// newest first (at most `limit`).
    async fn differences_over(
        &self,
        threshold: i64,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<HqShift>, HqError>;
}
