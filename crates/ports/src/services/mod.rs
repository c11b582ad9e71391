//! Use-case services: the operations the HTTP layers call, generic over the ports.

mod auth;
mod error;
mod hq;
pub(crate) mod ledger;
mod lists;
mod lock;
mod people;
mod secret;
mod shift;
mod system;

pub use auth::{AuthService, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, SESSION_IDLE_HOURS, SignedIn};
pub use error::ServiceError;
pub use hq::{
    BranchAdminService, BranchSummary, HqReportService, HqSyncService, IncomingRow,
    PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, PushItem, PushResult, ReportSummary, pull_after_refused,
    pull_limit_refused,
};
pub use ledger::{
    CategorySuggestion, ChannelTotal, CurrentBranch, LedgerService, MAX_DAILY_SPAN_DAYS,
};
pub use lists::{CategoryEdit, ChannelEdit, ListsService};
pub use lock::{
    Actor, DEFAULT_IDLE_LOCK_MINUTES, LockScreenService, MAX_WRONG_PINS, PIN_LOCK_MINUTES, Roster,
};
pub use people::{StaffEdit, StaffService};
pub use shift::{ShiftService, ShiftView};
#[cfg(any(test, feature = "mocks"))]
pub use system::MockSyncTrigger;
pub use system::{
    Preconfigured, Restoring, Sending, SyncAttempt, SyncProgress, SyncStatus, SyncTrigger,
    SystemService, SystemStatus, validate_credentials,
};
