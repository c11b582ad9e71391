//! Use-case services: the operations the HTTP layers call, generic over the ports.

mod auth;
mod error;
mod hq;
mod hq_shifts;
pub(crate) mod ledger;
mod lists;
mod lock;
mod people;
mod secret;
mod shift;
mod system;

pub use crate::shift::ShiftView;
pub use auth::{AuthService, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, SESSION_IDLE_HOURS, SignedIn};
pub use error::ServiceError;
pub use hq::{
    BranchAdminService, BranchSummary, DailyReport, HqReportService, HqSyncService, IncomingRow,
    PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PushItem, PushResult, ReportSummary, pull_after_refused,
    pull_limit_refused,
};
pub use hq_shifts::{
    HqShiftService, MAX_SHIFTS_PER_PUSH, OPEN_SHIFT_HOURS, RECENT_DIFFERENCE_DAYS, ShiftAttention,
    ShiftItem, ShiftPushResult,
};
pub use ledger::{
    CategorySuggestion, ChannelTotal, CurrentBranch, LedgerService, MAX_DAILY_SPAN_DAYS,
    MAX_EXPORT_DAYS, check_export_range, check_export_rows,
};
pub use lists::{CategoryEdit, ChannelEdit, ListsService};
pub use lock::{
    Actor, DEFAULT_IDLE_LOCK_MINUTES, LockScreenService, MAX_WRONG_PINS, PIN_LOCK_MINUTES, Roster,
};
pub use people::{StaffEdit, StaffService};
pub use shift::{ShiftService, cash_channels, view_of};
#[cfg(any(test, feature = "mocks"))]
pub use system::MockSyncTrigger;
pub use system::{
    Preconfigured, Restoring, Sending, SyncAttempt, SyncProgress, SyncStatus, SyncTrigger,
    SystemService, SystemStatus, validate_credentials,
};

/// How many of a burst of sign-ins were told "wrong" (401) and how many "locked" (429).
#[cfg(test)]
pub(crate) fn wrong_and_locked<T>(answers: &[Result<T, ServiceError>]) -> (usize, usize) {
    let count = |f: fn(&ServiceError) -> bool| {
        answers
            .iter()
            .filter(|a| a.as_ref().err().is_some_and(f))
            .count()
    };
    (
        count(|e| matches!(e, ServiceError::Unauthorized(_))),
        count(|e| matches!(e, ServiceError::RateLimited { .. })),
    )
}
