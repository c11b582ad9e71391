use std::sync::Arc;

use kh_ports::services::SyncTrigger;
use tokio::sync::Notify;

/// A wake-up for the sync worker: any number of triggers before it looks collapse into one.
#[derive(Debug, Clone, Default)]
pub struct WakeSignal(Arc<Notify>);

impl WakeSignal {
    /// Waits until triggered (returns at once if a trigger is already pending).
    pub async fn notified(&self) {
        self.0.notified().await;
    }
}

impl SyncTrigger for WakeSignal {
    fn trigger(&self) {
        self.0.notify_one();
    }
}
