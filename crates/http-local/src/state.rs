use std::sync::Arc;

use kh_domain::BusinessCalendar;
use kh_ports::services::{
    LedgerService, LockScreenService, ShiftService, SyncTrigger, SystemService,
};

/// What every handler can reach: the services, never storage.
#[derive(Clone)]
pub struct AppState {
    pub(crate) ledger: Arc<LedgerService>,
    pub(crate) system: Arc<SystemService>,
    pub(crate) lock: Arc<LockScreenService>,
    pub(crate) shifts: Arc<ShiftService>,
    pub(crate) on_recorded: Arc<dyn SyncTrigger>,
    /// The branch's time zone (`KH_TIMEZONE`), which the UI must show and compute "today" in.
    pub(crate) calendar: BusinessCalendar,
}

impl AppState {
    /// Wires the services; `on_recorded` is told after each new entry (the sync worker's
    /// debounced wake-up).
    pub fn new(
        ledger: LedgerService,
        system: SystemService,
        lock: LockScreenService,
        shifts: ShiftService,
        on_recorded: Arc<dyn SyncTrigger>,
        calendar: BusinessCalendar,
    ) -> Self {
        Self {
            ledger: Arc::new(ledger),
            system: Arc::new(system),
            lock: Arc::new(lock),
            shifts: Arc::new(shifts),
            on_recorded,
            calendar,
        }
    }
}
