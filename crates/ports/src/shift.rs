//! Cash shifts on the branch PC (DESIGN 11): the store that keeps them.

use async_trait::async_trait;
use kh_domain::chrono::{DateTime, Utc};
use kh_domain::{ChannelId, Shift, ShiftClose, ShiftId};

use crate::{LedgerError, Page, Refusal};

/// The cash a shift's entries moved (entries through a cash channel, voids included: a void
/// moves the drawer back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShiftCash {
    /// Cash in.
    pub cash_in: i64,
    /// Cash out.
    pub cash_out: i64,
    /// Entries of the shift, any channel.
    pub entries: u64,
}

/// A shift with what the book says its drawer should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftView {
    /// The shift.
    pub shift: Shift,
    /// The cash its entries moved.
    pub cash: ShiftCash,
    /// Float plus cash in minus cash out (at the close: what the close recorded).
    pub expected: i64,
    /// The shift is open under a blind close: the cashier must not see what the book expects
    /// (nor the cash so far) before counting.
    pub blind: bool,
}

impl ShiftView {
    /// The shift with the cash its entries moved; the expected drawer follows from them
    /// (or is the close's, once closed).
    pub fn new(shift: Shift, cash: ShiftCash) -> Self {
        let expected = match &shift.close {
            Some(close) => close.expected,
            None => kh_domain::expected_drawer(shift.opening_float, cash.cash_in, cash.cash_out),
        };
        Self {
            shift,
            cash,
            expected,
            blind: false,
        }
    }
}

/// The part of a shift that reaches HQ: its opening, then its close. Each goes once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShiftPart {
    /// The shift as opened.
    Open,
    /// Its close.
    Close,
}

/// What HQ said about one part of a sent shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftMark {
    /// The shift.
    pub id: ShiftId,
    /// Its part that HQ answered for.
    pub part: ShiftPart,
    /// HQ's refusal, when it refused; `None`: HQ holds it.
    pub refusal: Option<Refusal>,
}

/// The PC's shifts. At most one is open at a time (one PC, one drawer); a close is written
/// once and never changed.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ShiftStore: Send + Sync + 'static {
    /// Opens `shift`. MUST return `ShiftConflict` when a shift is open; entries recorded from
    /// now on belong to it.
    async fn open_shift(&self, shift: Shift) -> Result<Shift, LedgerError>;

    /// The open shift, if any.
    async fn open_shift_now(&self) -> Result<Option<Shift>, LedgerError>;

    /// One shift. `None` when unknown.
    async fn shift(&self, id: ShiftId) -> Result<Option<Shift>, LedgerError>;

    /// What the last closed shift counted, if any (the next float's suggestion).
    async fn last_counted(&self) -> Result<Option<i64>, LedgerError>;

    /// The cash the shift's entries moved through `cash_channels`.
    async fn shift_cash(
        &self,
        id: ShiftId,
        cash_channels: &[ChannelId],
    ) -> Result<ShiftCash, LedgerError>;

    /// Writes the close. MUST return `ShiftConflict` when the shift is already closed (and
    /// leave that close as it was), `ShiftConflict` too when it is unknown, and `ShiftConflict`
    /// when `close.expected` is not the float plus the cash in minus the cash out its entries
    /// moved through `cash_channels` as they stand when the close is written (an entry recorded
    /// while the drawer was counted): the check and the write are one step.
    async fn close_shift(
        &self,
        id: ShiftId,
        close: ShiftClose,
        cash_channels: &[ChannelId],
    ) -> Result<Shift, LedgerError>;

    /// Shifts, newest first.
    async fn shifts(&self, page: u32, limit: u32) -> Result<Page<Shift>, LedgerError>;

    /// At most `limit` shifts HQ has not had as they stand (opened and not yet answered for, or
    /// closed and the close not yet answered for), oldest first.
    async fn unsent_shifts(&self, limit: u32) -> Result<Vec<Shift>, LedgerError>;

    /// Records HQ's answers in one transaction: a part answered for (held or refused) is not
    /// sent again. A part already marked keeps its first mark; unknown ids are ignored.
    async fn mark_shifts(&self, marks: &[ShiftMark], at: DateTime<Utc>) -> Result<(), LedgerError>;
}
