use std::sync::Arc;

use kh_ports::services::{LedgerService, SyncTrigger, SystemService};
use kh_ports::{Clock, Ledger, Outbox, SyncGateway, SyncSettings};

/// The ledger service with its adapters type-erased, as the router holds it.
pub type DynLedgerService = LedgerService<Arc<dyn Ledger>, Arc<dyn Clock>>;

/// The system service with its adapters type-erased, as the router holds it.
pub type DynSystemService = SystemService<
    Arc<dyn Outbox>,
    Arc<dyn SyncSettings>,
    Arc<dyn SyncTrigger>,
    Arc<dyn SyncGateway>,
    Arc<dyn Clock>,
>;

/// What every handler can reach: the services, never storage.
#[derive(Clone)]
pub struct AppState {
    pub(crate) ledger: Arc<DynLedgerService>,
    pub(crate) system: Arc<DynSystemService>,
    pub(crate) on_recorded: Arc<dyn SyncTrigger>,
}

impl AppState {
    /// Wires the services; `on_recorded` is told after each new entry (the sync worker's
    /// debounced wake-up).
    pub fn new(
        ledger: DynLedgerService,
        system: DynSystemService,
        on_recorded: Arc<dyn SyncTrigger>,
    ) -> Self {
        Self {
            ledger: Arc::new(ledger),
            system: Arc::new(system),
            on_recorded,
        }
    }
}
