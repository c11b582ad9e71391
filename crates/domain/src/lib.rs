//! The Haramain Finance domain: validated values and the rules of a cash book.
//!
//! Pure by design: no async runtime, no I/O, no ORM, no HTTP and no serde. Adapters and the HTTP
//! layer translate to and from these types at the edge.
#![forbid(unsafe_code)]

pub use chrono;

mod branch;
mod calendar;
mod error;
mod ids;
mod lists;
mod money;
mod people;
mod push;
mod settings;
mod shift;
mod staff;
mod summary;
mod text;
mod transaction;

pub use branch::{ApiKey, Branch, BranchCode, BranchName, KeyHash};
pub use calendar::{BusinessCalendar, DateRange};
pub use error::{FieldError, Rule, ValidationErrors};
pub use ids::{BranchId, DeviceId, HqEpoch, TransactionId};
pub use lists::{
    CASH_CHANNEL_ID, CASH_CHANNEL_NAME, CategoryId, CategoryUse, ChannelId, ChannelKind,
    ChannelName, ChannelRef, DEFAULT_CATEGORIES, DEFAULT_CHANNELS, ListCategory, Lists,
    PaymentChannel, default_categories, default_channels,
};
pub use money::{Amount, TxType};
pub use people::{Pin, PinHash, StaffId, StaffMember, StaffName, StaffRef, StaffRole};
pub use push::{OriginalAtHq, RejectionCode, Verdict, judge_existing, judge_new_void};
pub use settings::{BranchSettings, MAX_DAY_START_MINUTES, MAX_DIFFERENCE_THRESHOLD};
pub use shift::{
    CashCount, DEFAULT_DIFFERENCE_THRESHOLD, DENOMINATIONS, Denomination, MAX_PIECES,
    MAX_SHIFT_FIGURE, Shift, ShiftClose, ShiftId, ShiftNote, check_reported, close_needs,
    expected_drawer, opening_float,
};
pub use staff::{Email, HqUser, Password, Role, SessionToken, UserId};
pub use summary::{CategoryTotal, DailyBalance, DayTotals, Totals, TotalsOverflow};
pub use text::{Category, Description, VoidReason, name_key};
pub use transaction::{
    MAX_FUTURE_SKEW_SECS, NewTransaction, NewTransactionInput, SyncState, SyncedInput, Transaction,
    VoidError, parse_instant,
};
