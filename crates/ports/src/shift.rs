//! Cash shifts on the branch PC (DESIGN 11): the store that keeps them.

use async_trait::async_trait;
use kh_domain::{ChannelId, Shift, ShiftClose, ShiftId};

use crate::{LedgerError, Page};

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
    /// leave that close as it was), `ShiftConflict` too when it is unknown.
    async fn close_shift(&self, id: ShiftId, close: ShiftClose) -> Result<Shift, LedgerError>;

    /// Shifts, newest first.
    async fn shifts(&self, page: u32, limit: u32) -> Result<Page<Shift>, LedgerError>;
}
