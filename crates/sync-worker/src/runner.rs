//! Runs the worker in the background: on the interval, shortly after wake-ups, with backoff
//! after failures, and stops cleanly (finishing the batch in flight).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{Backoff, SyncWorker, TickOutcome, WakeSignal};

/// How long a wake-up waits for more entries before syncing, so a burst goes in one push.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// A running worker.
#[derive(Debug)]
pub struct WorkerHandle {
    stop: Arc<AtomicBool>,
    stop_tx: watch::Sender<bool>,
    join: JoinHandle<()>,
}

impl WorkerHandle {
    /// Asks the worker to stop and waits for it: a batch in flight is finished (or times out
    /// with the gateway's request timeout) and its answer recorded first.
    pub async fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.stop_tx.send(true);
        let _ = self.join.await;
    }
}

/// Starts the worker: a tick at once, then after every `interval`, shortly after each wake-up,
/// and after failures with capped, jittered exponential backoff (never longer than `interval`).
pub fn spawn(worker: Arc<SyncWorker>, wake: WakeSignal, interval: Duration) -> WorkerHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let flag = stop.clone();
    let join = tokio::spawn(async move {
        let mut backoff = Backoff::new(Duration::from_secs(1), interval);
        loop {
            let outcome = worker.tick(&flag).await;
            let delay = match outcome {
                TickOutcome::Stopped => break,
                TickOutcome::Offline { .. } | TickOutcome::LocalError(_) => backoff.next_delay(),
                // The new settings deserve a try at once.
                TickOutcome::Superseded => Duration::ZERO,
                TickOutcome::Drained { .. }
                | TickOutcome::Unconfigured
                | TickOutcome::Unauthorized => {
                    backoff.reset();
                    interval
                }
            };
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = wake.notified() => {
                    tokio::select! {
                        () = tokio::time::sleep(DEBOUNCE) => {}
                        _ = stop_rx.changed() => break,
                    }
                }
                _ = stop_rx.changed() => break,
            }
            if flag.load(Ordering::SeqCst) {
                break;
            }
        }
        tracing::info!("sync worker stopped");
    });
    WorkerHandle {
        stop,
        stop_tx,
        join,
    }
}
