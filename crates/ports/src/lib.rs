//! The ports of Haramain Finance (what the core needs from storage, HQ and the clock) and the
//! use-case services that are written against them.
//!
//! Ports speak only domain types. Each documents the errors it MUST return, so that every
//! implementation — and the shared adapter contract suite — agrees on behaviour.
#![forbid(unsafe_code)]

mod clock;
mod gateway;
mod hq;
mod hq_shifts;
mod inbox;
mod ledger;
mod lists;
mod outbox;
mod people;
pub mod services;
mod shift;
mod staff;
mod sync_settings;

pub use clock::{Clock, SystemClock};
pub use gateway::{GatewayError, PushReply, ShiftPushReply, SyncGateway};
pub use hq::{
    BranchDirectory, Device, FeedPage, FeedRow, HqError, HqLedger, IngestOutcome, NewBranch,
    Refusals, RowRejection,
};
pub use hq_shifts::{HqShift, HqShifts, ShiftTotals, ShiftVerdict};
pub use inbox::{EpochSeen, Inbox, PullState, PulledPage, PulledRow, Taken, UnreadableRow};
pub use ledger::{
    Ledger, LedgerError, ListCursor, ListQuery, Page, Recorded, SyncFilter, UsedCategory,
};
pub use lists::{BranchLists, CategoryChange, ChannelChange, HqLists};
pub use outbox::{Outbox, OutboxCounts, PushOutcome, Refusal};
pub use people::{BranchPeople, HqBranchStaff, PinLock, PinTry, StaffChange};
pub use shift::{ShiftCash, ShiftMark, ShiftPart, ShiftStore, ShiftView};
pub use staff::{AuditEntry, HqStaff, NewSession, Session};
pub use sync_settings::{BranchIdentity, LinkStatus, SyncActivity, SyncCredentials, SyncSettings};

#[cfg(any(test, feature = "mocks"))]
pub use clock::MockClock;
#[cfg(any(test, feature = "mocks"))]
pub use gateway::MockSyncGateway;
#[cfg(any(test, feature = "mocks"))]
pub use hq::{MockBranchDirectory, MockHqLedger};
#[cfg(any(test, feature = "mocks"))]
pub use hq_shifts::MockHqShifts;
#[cfg(any(test, feature = "mocks"))]
pub use inbox::MockInbox;
#[cfg(any(test, feature = "mocks"))]
pub use ledger::MockLedger;
#[cfg(any(test, feature = "mocks"))]
pub use lists::{MockBranchLists, MockHqLists};
#[cfg(any(test, feature = "mocks"))]
pub use outbox::MockOutbox;
#[cfg(any(test, feature = "mocks"))]
pub use people::{MockBranchPeople, MockHqBranchStaff};
#[cfg(any(test, feature = "mocks"))]
pub use shift::MockShiftStore;
#[cfg(any(test, feature = "mocks"))]
pub use staff::MockHqStaff;
#[cfg(any(test, feature = "mocks"))]
pub use sync_settings::MockSyncSettings;
