//! Branch staff (DESIGN 10.2): the store HQ manages them in. They reach their branch with
//! HQ's lists, versioned by the same counter.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{BranchId, KeyHash, PinHash, StaffId, StaffMember, StaffName, StaffRole};

use crate::HqError;

/// A change to a staff member; what is `None` stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffChange {
    /// A new name.
    pub name: Option<StaffName>,
    /// A new role.
    pub role: Option<StaffRole>,
    /// May sign in, or not.
    pub active: Option<bool>,
    /// A new PIN's hash.
    pub pin_hash: Option<PinHash>,
}

/// Branch staff at HQ, versioned with HQ's lists: every change takes the lists' next version,
/// in commit order, so a branch asking for "after version V" never misses one.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HqBranchStaff: Send + Sync + 'static {
    /// The members of `branch` changed after `since` (all of them for 0), by name. MUST be
    /// read after the lists' version it is sent with (a change committed in between is sent
    /// again next time, never skipped).
    async fn staff_since(&self, branch: BranchId, since: i64) -> Result<Vec<StaffMember>, HqError>;

    /// Adds a member to `branch` (active). MUST return `BranchNotFound` for an unknown branch
    /// and `NameTaken` when a member of the branch has a name with the same key.
    async fn add_staff(
        &self,
        branch: BranchId,
        name: StaffName,
        role: StaffRole,
        pin_hash: PinHash,
        at: DateTime<Utc>,
    ) -> Result<StaffMember, HqError>;

    /// Changes a member; answers the member and their branch. MUST return `ItemNotFound` for
    /// an unknown id and `NameTaken` as [`HqBranchStaff::add_staff`].
    async fn change_staff(
        &self,
        id: StaffId,
        change: StaffChange,
        at: DateTime<Utc>,
    ) -> Result<(BranchId, StaffMember), HqError>;
}

/// Wrong PINs of one member at the branch PC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinLock {
    /// Wrong PINs since the last right one or the last lock.
    pub failures: u32,
    /// Until when the member may not try again, if locked.
    pub locked_until: Option<DateTime<Utc>>,
}

impl PinLock {
    /// The state after one more wrong PIN: the `max`-th in a row locks the member until
    /// `until` and the count starts over.
    pub fn after_wrong(self, max: u32, until: DateTime<Utc>) -> Self {
        let failures = self.failures.saturating_add(1);
        if failures >= max {
            Self {
                failures: 0,
                locked_until: Some(until),
            }
        } else {
            Self {
                failures,
                locked_until: None,
            }
        }
    }
}

/// What counting a PIN attempt found ([`BranchPeople::pin_try`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinTry {
    /// Locked until then: the attempt was not counted, and its PIN must not be checked.
    Locked(DateTime<Utc>),
    /// Counted as wrong until the PIN proves right: the state after it (a lock when it was the
    /// last try allowed).
    Counted(PinLock),
}

/// The lock screen's state in the branch database: wrong-PIN counts and sessions, kept in the
/// file so a restart of `kh-local` neither undoes a lock nor signs anybody out.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait BranchPeople: Send + Sync + 'static {
    /// Counts a PIN attempt as wrong *before* its PIN is checked, in one step with the check
    /// of the lock, so attempts made at once cannot all pass the check before any is counted.
    /// A member locked until after `now` is refused ([`PinTry::Locked`]) and nothing is
    /// counted. Otherwise the attempt counts; the `max`-th in a row locks the member until
    /// `until` and the count starts over. A right PIN then clears it ([`Self::pin_passed`]).
    async fn pin_try(
        &self,
        staff: StaffId,
        max: u32,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<PinTry, crate::LedgerError>;

    /// A right PIN: the count (and a lock its own attempt brought) starts over.
    async fn pin_passed(&self, staff: StaffId) -> Result<(), crate::LedgerError>;

    /// Opens a session for `staff` under the token's hash.
    async fn open_session(
        &self,
        token: &KeyHash,
        staff: StaffId,
        at: DateTime<Utc>,
    ) -> Result<(), crate::LedgerError>;

    /// The member of the session with this token's hash if it was used after `idle_since`
    /// (its last use becomes `now`; a store may skip writing that when the last use is under a
    /// minute old); a session idle longer is closed and answers `None`.
    async fn session(
        &self,
        token: &KeyHash,
        idle_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffId>, crate::LedgerError>;

    /// Closes the session (nothing when there is none).
    async fn close_session(&self, token: &KeyHash) -> Result<(), crate::LedgerError>;
}
